#!/usr/bin/env bash
# Benchmarks access-audit against what people would otherwise run, side by side on the same file,
# on logs in event_id (= time) order and on the same history shuffled.
#
#   Scripts/bench.sh [ACCOUNTS ...]        default: 1000000   (10000000 works, needs ~14 GB disk)
#
# For each size it generates (once, cached in $BENCH_DIR) two databases from the same seed:
# `access-audit generate --seed 1` (in order) and the same with `--disorder 1` (every event at a
# random place in event_id order, occurred_at in mixed valid forms). Then ROUNDS (default 3)
# interleaved rounds of, on each database in turn:
#   floor        sqlite3 reading every column the rules read: grants, accounts and both logs
#   audit        access-audit audit --format json --output FILE (every rule, history included)
#   replay       access-audit replay --as-of (the state rebuilt at the end of history)
#   exposure     access-audit exposure over the whole history
# (EXTRA=1 adds the one-thread runs audit-1t and replay-1t, with ACCESS_AUDIT_THREADS=1;
# BASE=/path/to/an/older/access-audit adds base-audit, base-replay and base-exposure with it.)
# NO_BUILD=1 uses the release binary as it is. It prints the median wall time, the median CPU time (user + system), the largest peak RSS
# (GNU time's %M, the "Maximum resident set size" of `time -v`), and each ratio to the floor.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000000)
ROUNDS=${ROUNDS:-3}
WORK=${BENCH_DIR:-/tmp/access-audit-bench}
NOW=2026-06-01T00:00:00Z
mkdir -p "$WORK"
command -v sqlite3 >/dev/null || { echo "bench: needs the sqlite3 shell (apt-get install -y sqlite3)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench: needs GNU time (apt-get install -y time)" >&2; exit 2; }
[ -n "${NO_BUILD:-}" ] || swift build -c release >/dev/null
BIN=$PWD/.build/release/access-audit

FLOOR_SQL="SELECT grant_id, account_id, level, scope_org_id, granted_at, granted_by, approved_by, expires_at FROM grants;
SELECT account_id, username, display_name, org_id, status, created_at, last_login_at FROM accounts;
SELECT * FROM access_levels; SELECT * FROM policy; SELECT * FROM organisations; SELECT * FROM org_remit;
SELECT event_id, occurred_at, action, grant_id, account_id, level, scope_org_id, actor, approved_by, expires_at, note FROM grant_events;
SELECT event_id, occurred_at, action, account_id, org_id, status, actor, note FROM account_events;"

# run NAME CMD...: appends "NAME wall_seconds peak_kb cpu_seconds" to $WORK/results
run() {
  local name=$1; shift
  /usr/bin/time -f "%e %M %U %S" -o "$WORK/time" "$@" >/dev/null 2>"$WORK/stderr" || true
  echo "$name $(tail -n 1 "$WORK/time" | awk '{ printf "%s %s %.2f", $1, $2, $3 + $4 }')" >> "$WORK/results"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(sqlite3 --version | cut -d' ' -f1-2), $(swift --version 2>/dev/null | head -n 1), load $(cut -d' ' -f1-3 /proc/loadavg)"
for N in "${SIZES[@]}"; do
  for ORDER in inorder shuffled; do
    DB="$WORK/accounts-$N-$ORDER.db"
    [ ! -f "$DB" ] || continue
    DISORDER=0; [ "$ORDER" = inorder ] || DISORDER=1
    /usr/bin/time -f "%e" -o "$WORK/gen" "$BIN" generate "$DB" --accounts "$N" --seed 1 --disorder "$DISORDER" 2>"$WORK/gen-out"
    echo "generated $N accounts ($ORDER) in $(cat "$WORK/gen") s: $(grep -o '[0-9]* grants, [0-9]* grant events, [0-9]* account events' "$WORK/gen-out")"
  done
  : > "$WORK/results"
  for round in $(seq "$ROUNDS"); do
    for ORDER in inorder shuffled; do
      DB="$WORK/accounts-$N-$ORDER.db"
      run "$ORDER:floor" sqlite3 -readonly "$DB" "$FLOOR_SQL"
      run "$ORDER:audit" "$BIN" audit "$DB" --now "$NOW" --format json --output "$WORK/audit-$ORDER.json"
      run "$ORDER:replay" "$BIN" replay "$DB" --as-of "$NOW" --format json --output "$WORK/replay-$ORDER.json"
      run "$ORDER:exposure" "$BIN" exposure "$DB" --from 2016-01-01 --to "$NOW" --format json --output "$WORK/exposure-$ORDER.json"
      if [ -n "${BASE:-}" ]; then
        run "$ORDER:base-audit" "$BASE" audit "$DB" --now "$NOW" --format json --output "$WORK/base-audit-$ORDER.json"
        run "$ORDER:base-replay" "$BASE" replay "$DB" --as-of "$NOW" --format json --output "$WORK/base-replay-$ORDER.json"
        run "$ORDER:base-exposure" "$BASE" exposure "$DB" --from 2016-01-01 --to "$NOW" --format json --output "$WORK/base-exposure-$ORDER.json"
      fi
      if [ -n "${EXTRA:-}" ]; then
        run "$ORDER:audit-1t" env ACCESS_AUDIT_THREADS=1 "$BIN" audit "$DB" --now "$NOW" --format json --output "$WORK/audit-$ORDER.json"
        run "$ORDER:replay-1t" env ACCESS_AUDIT_THREADS=1 "$BIN" replay "$DB" --as-of "$NOW" --format json --output "$WORK/replay-$ORDER.json"
      fi
    done
  done
  echo
  echo "== $N accounts (median of $ROUNDS interleaved rounds; peak RSS is the largest seen)"
  awk '
    { wall[$1] = wall[$1] " " $2; cpu[$1] = cpu[$1] " " $4; if ($3 > rss[$1]) rss[$1] = $3; if (!($1 in seen)) { order[++n] = $1; seen[$1] = 1 } }
    function median(list,   a, k, i, j, t) {
      k = split(list, a, " ")
      for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
      return a[int((k + 1) / 2)]
    }
    END {
      printf "  %-20s %8s %10s %11s %13s\n", "", "wall", "cpu", "peak RSS", "/ its floor"
      for (i = 1; i <= n; i++) { m[order[i]] = median(wall[order[i]]) }
      for (i = 1; i <= n; i++) {
        split(order[i], part, ":")
        printf "  %-20s %8.2f s %8.2f s %8.1f MB %8.2f\n", order[i], m[order[i]], median(cpu[order[i]]), rss[order[i]] / 1024, m[order[i]] / m[part[1] ":floor"]
      }
      print "  targets: audit, replay, exposure each <= 1.5x its floor; peak RSS <= 150 MB"
      printf "  shuffled / in order: audit %.2f, replay %.2f, exposure %.2f\n", m["shuffled:audit"] / m["inorder:audit"], m["shuffled:replay"] / m["inorder:replay"], m["shuffled:exposure"] / m["inorder:exposure"]
    }' "$WORK/results"
done
