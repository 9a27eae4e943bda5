#!/usr/bin/env python3
"""Parse access-audit --metrics files with the Prometheus client's own text parser.

Usage: check-metrics.py FILE...

Prints each file's families and samples, exits 0 when every file parses, has the metrics the
nightly alerts need, and holds nothing else than access_audit_* metrics; 1 otherwise; 2 when the
prometheus_client package is missing (pip install prometheus-client).
"""
import sys

try:
    from prometheus_client.parser import text_string_to_metric_families
except ImportError:
    print("check-metrics: the prometheus_client package is missing (pip install prometheus-client)", file=sys.stderr)
    sys.exit(2)

REQUIRED = {"access_audit_findings", "access_audit_duration_seconds", "access_audit_rows_read",
            "access_audit_last_success_timestamp_seconds", "access_audit_failing_findings"}


def check(path):
    text = open(path, encoding="utf-8").read()
    try:
        families = list(text_string_to_metric_families(text))
    except Exception as error:  # the parser raises ValueError and others on bad input
        return [f"does not parse: {error}"]
    problems = []
    names = {family.name for family in families}
    for missing in sorted(REQUIRED - names):
        problems.append(f"missing {missing}")
    for family in families:
        if not family.name.startswith("access_audit_"):
            problems.append(f"unexpected family {family.name}")
        if not family.samples:
            problems.append(f"{family.name} has no sample")
    samples = sum(len(family.samples) for family in families)
    print(f"{path}: {len(families)} families, {samples} samples")
    return problems


def main(paths):
    if not paths:
        print(__doc__.strip(), file=sys.stderr)
        return 64
    failed = 0
    for path in paths:
        problems = check(path)
        for problem in problems:
            print(f"{path}: {problem}")
        failed += bool(problems)
    print(f"check-metrics: {len(paths) - failed} of {len(paths)} files valid")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
