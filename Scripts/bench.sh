#!/usr/bin/env bash
# Benchmarks access-audit against what people would otherwise run, side by side on the same file.
#
#   Scripts/bench.sh [ACCOUNTS ...]        default: 100000 1000000   (10000000 works, needs ~7 GB disk)
#
# For each size it generates (once, cached in $BENCH_DIR) a database with
# `access-audit generate --seed 1`, then runs ROUNDS (default 3) interleaved rounds of:
#   floor        sqlite3 reading every column the grant and account rules need
#   floor+events the same plus every column of grant_events and account_events (what history needs)
#   events       sqlite3 reading the two event tables once (the replay/exposure yardstick)
#   sql-level    the hand-tuned sqlite3 query for level-exceeds-policy alone
#   audit        access-audit audit --format json --output FILE (every rule, history included)
#   audit-1t     the same with ACCESS_AUDIT_THREADS=1 (one thread: no second connection, no pipelining)
#   replay       access-audit replay --as-of (the state rebuilt at the end of history)
#   replay-1t    the same on one thread
#   exposure     access-audit exposure over the whole history
# and prints the median wall time, the CPU time (user + system), the peak RSS, and the ratios
# the issue asks for.
# Set BENCH_OBVIOUS=1 to also time the obvious join left to SQLite's planner (slow).
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(100000 1000000)
ROUNDS=${ROUNDS:-3}
WORK=${BENCH_DIR:-/tmp/access-audit-bench}
NOW=2026-06-01T00:00:00Z
mkdir -p "$WORK"
command -v sqlite3 >/dev/null || { echo "bench: needs the sqlite3 shell (apt-get install -y sqlite3)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench: needs GNU time (apt-get install -y time)" >&2; exit 2; }
swift build -c release >/dev/null
BIN=$PWD/.build/release/access-audit

FLOOR_SQL="SELECT grant_id, account_id, level, scope_org_id, granted_at, granted_by, approved_by, expires_at FROM grants;
SELECT account_id, username, display_name, org_id, status, created_at, last_login_at FROM accounts;
SELECT * FROM access_levels; SELECT * FROM policy; SELECT * FROM organisations; SELECT * FROM org_remit;"
EVENTS_SQL="SELECT * FROM grant_events; SELECT * FROM account_events;"
LEVEL_SQL="WITH acct AS MATERIALIZED (
  SELECT a.account_id, ml.rank AS max_rank FROM accounts a
  JOIN organisations o ON o.org_id = a.org_id JOIN policy p ON p.org_type = o.org_type
  JOIN access_levels ml ON ml.level = p.max_level)
SELECT g.grant_id, g.account_id, g.level FROM grants g
JOIN acct ON acct.account_id = g.account_id JOIN access_levels gl ON gl.level = g.level
WHERE gl.rank > acct.max_rank;"
OBVIOUS_SQL="SELECT g.grant_id FROM grants g JOIN accounts a ON a.account_id = g.account_id
JOIN organisations o ON o.org_id = a.org_id JOIN policy p ON p.org_type = o.org_type
JOIN access_levels gl ON gl.level = g.level JOIN access_levels ml ON ml.level = p.max_level
WHERE gl.rank > ml.rank;"

# run NAME CMD...: appends "NAME wall_seconds peak_kb cpu_seconds" to $WORK/results
run() {
  local name=$1; shift
  /usr/bin/time -f "%e %M %U %S" -o "$WORK/time" "$@" >/dev/null 2>"$WORK/stderr" || true
  echo "$name $(tail -n 1 "$WORK/time" | awk '{ printf "%s %s %.2f", $1, $2, $3 + $4 }')" >> "$WORK/results"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(sqlite3 --version | cut -d' ' -f1-2), $(swift --version 2>/dev/null | head -n 1)"
for N in "${SIZES[@]}"; do
  DB="$WORK/accounts-$N.db"
  if [ ! -f "$DB" ]; then
    /usr/bin/time -f "%e" -o "$WORK/gen" "$BIN" generate "$DB" --accounts "$N" --seed 1 2>"$WORK/gen-out"
    echo "generated $N accounts in $(cat "$WORK/gen") s: $(grep -o '[0-9]* grants, [0-9]* grant events, [0-9]* account events' "$WORK/gen-out")"
  fi
  : > "$WORK/results"
  for round in $(seq "$ROUNDS"); do
    run floor sqlite3 -readonly "$DB" "$FLOOR_SQL"
    run floor+events sqlite3 -readonly "$DB" "$FLOOR_SQL $EVENTS_SQL"
    run events sqlite3 -readonly "$DB" "$EVENTS_SQL"
    run sql-level sqlite3 -readonly "$DB" "$LEVEL_SQL"
    [ -z "${BENCH_OBVIOUS:-}" ] || run sql-obvious sqlite3 -readonly "$DB" "$OBVIOUS_SQL"
    run audit "$BIN" audit "$DB" --now "$NOW" --format json --output "$WORK/audit.json"
    run audit-1t env ACCESS_AUDIT_THREADS=1 "$BIN" audit "$DB" --now "$NOW" --format json --output "$WORK/audit.json"
    run replay "$BIN" replay "$DB" --as-of "$NOW" --format json --output "$WORK/replay.json"
    run replay-1t env ACCESS_AUDIT_THREADS=1 "$BIN" replay "$DB" --as-of "$NOW" --format json --output "$WORK/replay.json"
    run exposure "$BIN" exposure "$DB" --from 2016-01-01 --to "$NOW" --format json --output "$WORK/exposure.json"
  done
  echo
  echo "== $N accounts (median of $ROUNDS rounds; peak RSS is the largest seen)"
  awk '
    { wall[$1] = wall[$1] " " $2; cpu[$1] = cpu[$1] " " $4; if ($3 > rss[$1]) rss[$1] = $3; if (!($1 in seen)) { order[++n] = $1; seen[$1] = 1 } }
    function median(list,   a, k, i, j, t) {
      k = split(list, a, " ")
      for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
      return a[int((k + 1) / 2)]
    }
    END {
      printf "  %-13s %8s %10s %11s\n", "", "wall", "cpu", "peak RSS"
      for (i = 1; i <= n; i++) {
        m[order[i]] = median(wall[order[i]])
        printf "  %-13s %8.2f s %8.2f s %8.1f MB\n", order[i], m[order[i]], median(cpu[order[i]]), rss[order[i]] / 1024
      }
      printf "  audit / floor          %5.2f  (target <= 1.5)\n", m["audit"] / m["floor"]
      printf "  audit / floor+events   %5.2f\n", m["audit"] / m["floor+events"]
      printf "  audit / sql-level      %5.2f  (target <= 0.6)\n", m["audit"] / m["sql-level"]
      printf "  audit peak RSS         %5.0f MB (target <= 150)\n", rss["audit"] / 1024
      printf "  replay / events        %5.2f  (target <= 3)\n", m["replay"] / m["events"]
      printf "  exposure / events      %5.2f  (target <= 3)\n", m["exposure"] / m["events"]
    }' "$WORK/results"
done
