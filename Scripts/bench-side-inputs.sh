#!/usr/bin/env bash
# Side inputs at scale (issue 12): how much memory and time a large baseline and many stale
# waivers cost, next to the same audit without them.
#
#   Scripts/bench-side-inputs.sh [ACCOUNTS] [WAIVERS]     default: 1000000 3000
#
# Generates (once, cached in $BENCH_DIR) `access-audit generate --seed 1` with ACCOUNTS accounts,
# writes its JSON report (the baseline) and a waivers file of WAIVERS entries that match nothing
# (half by key, half by rule and account), then runs, with GNU time:
#   audit             audit --format json (the reference)
#   audit+baseline    the same with --baseline REPORT.json
#   diff              diff REPORT.json REPORT.json
#   audit+waivers     audit --format json --waivers STALE.yml
# and prints wall seconds and peak RSS for each, and the baseline's size and finding count.
# Benchmarks are never timed unit tests (CONTRIBUTING.md).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
W=${2:-3000}
WORK=${BENCH_DIR:-/tmp/access-audit-bench}
NOW=2026-06-01T00:00:00Z
mkdir -p "$WORK"
[ -x /usr/bin/time ] || { echo "bench: needs GNU time (apt-get install -y time)" >&2; exit 2; }
swift build -c release >/dev/null
BIN=$PWD/.build/release/access-audit
DB="$WORK/accounts-$N.db"
[ -f "$DB" ] || "$BIN" generate "$DB" --accounts "$N" --seed 1 >/dev/null
REPORT="$WORK/report-$N.json"
"$BIN" audit "$DB" --now "$NOW" --format json --output "$REPORT" --quiet || [ $? -eq 1 ]
STALE="$WORK/stale-$W.yml"
{
  echo "waivers:"
  for i in $(seq 1 "$W"); do
    if [ $((i % 2)) -eq 0 ]; then
      printf '  - key: "level-exceeds-policy:grant:-%d"\n' "$i"
    else
      printf '  - rule: dormant-account\n    account_id: "nobody-%d"\n' "$i"
    fi
    printf '    reason: "stale"\n    owner: "o"\n    approved_by: "a"\n    expires: 2026-12-01\n'
  done
} > "$STALE"

run() {
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" >/dev/null 2>"$WORK/stderr" || true
  read -r wall peak < <(tail -n 1 "$WORK/time")
  printf '%-16s %8.2f s %10.0f MB\n' "$name" "$wall" "$((peak / 1024))"
}

echo "baseline: $(du -m "$REPORT" | cut -f1) MB, $(grep -c '"key":' "$REPORT") findings; waivers: $W stale"
run audit "$BIN" audit "$DB" --now "$NOW" --format json --quiet
run audit+baseline "$BIN" audit "$DB" --now "$NOW" --format json --quiet --baseline "$REPORT"
run diff "$BIN" diff "$REPORT" "$REPORT"
run audit+waivers "$BIN" audit "$DB" --now "$NOW" --format json --quiet --waivers "$STALE"
