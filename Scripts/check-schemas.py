#!/usr/bin/env python3
"""Validate access-audit JSON outputs against docs/schema/ (JSON Schema draft 2020-12).

Usage: check-schemas.py [--kind report|ndjson|exposure|timeline|diff] FILE...

Without --kind, each file's kind is taken from its content: `.ndjson` files are NDJSON reports;
an object with `intervals` is exposure; `command` "timeline" or "diff" those; anything else a
report. Exits 0 when every file is valid, 1 with one line per error otherwise, 2 when the
`jsonschema` package is missing (pip install jsonschema).
"""
import json
import pathlib
import sys

try:
    import jsonschema
    from referencing import Registry, Resource
except ImportError:
    print("check-schemas: the jsonschema package is missing (pip install jsonschema)", file=sys.stderr)
    sys.exit(2)

SCHEMAS = pathlib.Path(__file__).resolve().parent.parent / "docs" / "schema"


def load_registry():
    schemas = {}
    registry = Registry()
    for path in sorted(SCHEMAS.glob("*.schema.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator.check_schema(schema)
        schemas[path.name.removesuffix(".schema.json")] = schema
        registry = registry.with_resource(schema["$id"], Resource.from_contents(schema))
    return schemas, registry


def validator(schemas, registry, name, definition=None):
    schema = schemas[name]
    if definition is not None:
        schema = {"$schema": schema["$schema"], "$ref": schema["$id"] + "#/$defs/" + definition}
    return jsonschema.Draft202012Validator(schema, registry=registry)


def kind_of(path, document):
    if path.suffix == ".ndjson":
        return "ndjson"
    if isinstance(document, dict):
        if "intervals" in document:
            return "exposure"
        if document.get("command") in ("timeline", "diff"):
            return document["command"]
    return "report"


def errors_in(path, kind, schemas, registry):
    text = path.read_text(encoding="utf-8")
    if kind == "ndjson" or (kind is None and path.suffix == ".ndjson"):
        lines = [line for line in text.split("\n") if line]
        if not lines:
            yield "no lines"
            return
        for number, line in enumerate(lines, 1):
            record = json.loads(line)
            definition = "ndjson_run" if number == 1 else "ndjson_finding"
            for error in validator(schemas, registry, "report", definition).iter_errors(record):
                yield f"line {number}: {error.json_path}: {error.message}"
        return
    document = json.loads(text)
    for error in validator(schemas, registry, kind or kind_of(path, document)).iter_errors(document):
        yield f"{error.json_path}: {error.message}"


def main(arguments):
    kind = None
    if len(arguments) >= 2 and arguments[0] == "--kind":
        kind, arguments = arguments[1], arguments[2:]
    if not arguments:
        print(__doc__.strip(), file=sys.stderr)
        return 64
    schemas, registry = load_registry()
    failed = 0
    for name in arguments:
        path = pathlib.Path(name)
        problems = list(errors_in(path, kind, schemas, registry))
        for problem in problems:
            print(f"{name}: {problem}")
        failed += bool(problems)
    print(f"check-schemas: {len(arguments) - failed} of {len(arguments)} files valid")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
