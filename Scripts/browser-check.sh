#!/usr/bin/env bash
# Renders the bundled sample's HTML report in headless Chromium and checks that the page loads,
# its script runs, the findings show (the alliance account with national access first), and the
# severity filter works. Writes a screenshot to docs/report.png.
#
#   Scripts/browser-check.sh            (Debian: apt-get install -y chromium)
#
# Exits 0 when every check passes, 1 when one fails, 2 when Chromium is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
BROWSER=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$BROWSER" ] || { echo "browser-check: no Chromium (apt-get install -y chromium)" >&2; exit 2; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
swift build >/dev/null
.build/debug/access-audit audit samples/national-statistics.sql --now 2019-03-13T02:00:00Z --format html \
  --output "$WORK/report.html" || [ $? -eq 1 ]
run() { timeout 60 "$BROWSER" --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$WORK/profile" "$@" 2>/dev/null; }
run --dump-dom "file://$WORK/report.html" > "$WORK/dom.html"
run --dump-dom "file://$WORK/report.html#critical" > "$WORK/critical.html"
run --screenshot="$WORK/report.png" --window-size=1400,1100 "file://$WORK/report.html" >/dev/null
fail=0
check() { if grep -q -- "$2" "$3"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }
check "the page loaded and its script ran (13 shown)" '<span id="shown">13 shown</span>' "$WORK/dom.html"
check "the first finding is the alliance account with national access" '<tr class="critical".*<td>acc-011</td><td>spatel</td>' "$WORK/dom.html"
check "#critical filters to the one critical finding" '<span id="shown">1 shown</span>' "$WORK/critical.html"
check "no raw markup from the database" 'Sunita Patel' "$WORK/dom.html"
[ -s "$WORK/report.png" ] && cp "$WORK/report.png" docs/report.png && echo "ok   screenshot written to docs/report.png" || { echo "FAIL screenshot"; fail=1; }
exit $fail
