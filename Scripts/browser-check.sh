#!/usr/bin/env bash
# Renders HTML reports in headless Chromium and checks them:
#  - the bundled sample: the page loads and its script runs, the verdict banner, the findings
#    (the alliance account with national access first), a filter from the URL fragment (the old
#    `#critical` and `#sev=`), a summary filter (the person who granted), numeric sorting of the
#    grant column, no raw markup from the database; a screenshot at 1280x900 to docs/report.png;
#  - axe-core in the page (no serious or critical violation), when an offline axe.min.js is found;
#  - a generated database of 100k accounts (and 1M with BIG=1): the file size, the time until the
#    page says its first screen is drawn (`data-first-screen-ms`, from navigation start) and the
#    wall time of the headless browser, which must stay under LIMIT_MS (3000).
#
#   Scripts/browser-check.sh            (Debian: apt-get install -y chromium)
#   BIG=1 Scripts/browser-check.sh      (also 1M accounts: ~1 minute more)
#
# Exits 0 when every check passes, 1 when one fails, 2 when Chromium is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
BROWSER=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$BROWSER" ] || { echo "browser-check: no Chromium (apt-get install -y chromium)" >&2; exit 2; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
CONFIG=${CONFIG:-debug}
swift build -c "$CONFIG" >/dev/null
BIN=".build/$CONFIG/access-audit"
LIMIT_MS=${LIMIT_MS:-3000}
$BIN audit samples/national-statistics.sql --now 2019-03-13T02:00:00Z --format html \
  --output "$WORK/report.html" || [ $? -eq 1 ]
run() { timeout 120 "$BROWSER" --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$WORK/profile" "$@" 2>/dev/null; }
dom() { run --dump-dom "file://$1" | grep -v '^<script type="application/json"\|^\[\|^,\[' ; }
dom "$WORK/report.html" > "$WORK/dom.html"
dom "$WORK/report.html#critical" > "$WORK/critical.html"
dom "$WORK/report.html#sev=high" > "$WORK/high.html"
dom "$WORK/report.html#by=kosei" > "$WORK/by.html"
dom "$WORK/report.html#sort=4&dir=1" > "$WORK/sorted.html"
dom "$WORK/report.html#sort=4&dir=-1" > "$WORK/sorted-down.html"
run --screenshot="$WORK/report.png" --window-size=1280,900 "file://$WORK/report.html" >/dev/null
fail=0
check() { if grep -q -- "$2" "$3"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }
check "the page loaded and its script ran" 'data-ready="1"' "$WORK/dom.html"
check "all 13 findings shown, one page" '<span id="shown" aria-live="polite">rows 1–13 of 13 shown</span>' "$WORK/dom.html"
check "the verdict banner says FAIL at --fail-on high" '<p id="verdict" class="verdict fail"><b>FAIL</b> --fail-on high' "$WORK/dom.html"
check "the first finding is the alliance account with national access" '<tr class="critical"><td class="sev">critical</td><td>level-exceeds-policy</td><td>acc-011</td><td>spatel</td>' "$WORK/dom.html"
check "#critical (the old link) filters to the one critical finding" 'rows 1–1 of 1 shown (of 13)' "$WORK/critical.html"
check "#sev=high filters to the five high findings" 'rows 1–5 of 5 shown (of 13)' "$WORK/high.html"
check "a person link (#by=kosei) filters to the nine findings of grants kosei made" "rows 1–9 of 9 shown (of 13)" "$WORK/by.html"
check "sorting the grant column ascending is numeric" 'aria-sort="ascending"><button type="button" data-col="4">grant' "$WORK/sorted.html"
first_grant() { grep -o '<tbody><tr class="[a-z]*"><td class="sev">[a-z]*</td><td>[^<]*</td><td>[^<]*</td><td>[^<]*</td><td>[^<]*</td>' "$1" | sed 's/.*<td>//; s/<\/td>$//'; }
up=$(first_grant "$WORK/sorted.html"); down=$(first_grant "$WORK/sorted-down.html")
if [ -n "$up" ] && [ -n "$down" ] && [ "$up" -lt "$down" ]; then echo "ok   numeric sort: first grant $up ascending, $down descending"; else echo "FAIL numeric sort ($up / $down)"; fail=1; fi
check "no raw markup from the database" 'Sunita Patel' "$WORK/dom.html"
[ -s "$WORK/report.png" ] && cp "$WORK/report.png" docs/report.png && echo "ok   screenshot written to docs/report.png" || { echo "FAIL screenshot"; fail=1; }

# Accessibility: axe-core (the axe.min.js that PyPI's axe-playwright-python ships; npm is not
# reachable here) run in the page; serious and critical violations fail the check.
AXE=${AXE_JS:-}
if [ -z "$AXE" ] && timeout 120 python3 -m pip download axe-playwright-python==0.1.8 --no-deps -q -d "$WORK/axe" >/dev/null 2>&1; then
  python3 -c 'import sys,zipfile,glob; z=zipfile.ZipFile(glob.glob(sys.argv[1]+"/*.whl")[0]); open(sys.argv[1]+"/axe.min.js","wb").write(z.read("axe_playwright_python/axe.min.js"))' "$WORK/axe" && AXE="$WORK/axe/axe.min.js"
fi
if [ -n "$AXE" ] && [ -s "$AXE" ]; then
  { sed 's|</body></html>$||' "$WORK/report.html"; printf '<script>'; cat "$AXE"; printf '</script><script>axe.run(document,{resultTypes:["violations"]}).then(function(r){var v=r.violations.filter(function(x){return x.impact==="serious"||x.impact==="critical";});document.documentElement.setAttribute("data-axe",v.length+" serious: "+v.map(function(x){return x.id+" ("+x.nodes.length+")";}).join(", "));});</script></body></html>\n'; } > "$WORK/axe.html"
  run --virtual-time-budget=20000 --dump-dom "file://$WORK/axe.html" | grep -o 'data-axe="[^"]*"' > "$WORK/axe.txt" || true
  echo "axe-core: $(cat "$WORK/axe.txt")"
  check "axe-core: no serious or critical accessibility violation" 'data-axe="0 serious: "' "$WORK/axe.txt"
else
  echo "skip axe-core: no offline copy (set AXE_JS=path/to/axe.min.js)"
fi

# Size and time to first screen at scale.
scale() {
  local accounts=$1 db="$WORK/scale-$1.db" html="$WORK/scale-$1.html"
  $BIN generate "$db" --accounts "$accounts" --seed 1 >/dev/null
  local t0 t1 t2
  t0=$(date +%s%N)
  $BIN audit "$db" --now 2026-06-01T00:00:00Z --format html --output "$html" || [ $? -eq 1 ]
  t1=$(date +%s%N)
  run --dump-dom "file://$html" | grep -v '^\[\|^,\[' > "$WORK/scale.dom"
  t2=$(date +%s%N)
  local size findings first
  size=$(stat -c %s "$html")
  findings=$(grep -o '<b id="total">[0-9]*' "$html" | grep -o '[0-9]*$')
  first=$(grep -o 'data-first-screen-ms="[0-9]*"' "$WORK/scale.dom" | grep -o '[0-9]*' || echo "")
  rows=$(grep -o '<tr class="' "$WORK/scale.dom" | wc -l)
  echo "scale $accounts accounts: $findings findings, $((size / 1000)) kB, written in $(((t1 - t0) / 1000000)) ms;" \
    "first screen at ${first:-?} ms in the page, headless Chromium done in $(((t2 - t1) / 1000000)) ms; $rows table rows in the DOM"
  if [ -n "$first" ] && [ "$first" -lt "$LIMIT_MS" ] && [ "$rows" -le 200 ]; then echo "ok   $accounts accounts: first screen under $LIMIT_MS ms";
  else echo "FAIL $accounts accounts: first screen ${first:-never} ms (limit $LIMIT_MS), $rows rows"; fail=1; fi
  if [ "$size" -le 20000000 ]; then echo "ok   $accounts accounts: at most 20 MB"; else echo "FAIL $accounts accounts: $size bytes"; fail=1; fi
  rm -f "$db" "$html"
}
scale 100000
[ -z "${BIG:-}" ] || scale 1000000
exit $fail
