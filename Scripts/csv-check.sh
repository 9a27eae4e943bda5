#!/usr/bin/env bash
# Checks that the CSV report opens right in a spreadsheet: LibreOffice, headless, converts the
# sample's CSV (with a display name "Siân" put in, and a database path holding a comma, a double
# quote and a formula) to xlsx, and the workbook keeps "Siân Jones" (not "SiÃ¢n"), the run line
# in one cell, the header row whole and every finding's severity in column A.
#
# The file starts with a UTF-8 byte order mark: Excel opens it as UTF-8 because of it, and so does
# LibreOffice's Text Import dialog on the desktop. Headless conversion shows no dialog: without
# --infilter, LibreOffice 7.4 reads a CSV in the system's legacy character set whatever the mark
# (measured: "SiÃ¢n"), so the check checks the mark by its bytes and converts with the options
# the mark stands for (UTF-8, comma, double quote).
#
#   Scripts/csv-check.sh        (needs libreoffice; exits 2 when it is missing)
set -euo pipefail
cd "$(dirname "$0")/.."
OFFICE=$(command -v libreoffice || command -v soffice || true)
[ -n "$OFFICE" ] || { echo "csv-check: no LibreOffice: skipped" >&2; exit 2; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
CONFIG=${CONFIG:-debug}
swift build -c "$CONFIG" >/dev/null
# A database path a spreadsheet could split: a comma, a double quote, a formula.
DB="$WORK/sample, \"quoted\" =1+1.sql"
{ cat samples/national-statistics.sql; echo "UPDATE accounts SET display_name = 'Siân Jones' WHERE account_id = 'acc-011';"; } > "$DB"
".build/$CONFIG/access-audit" audit "$DB" --now 2019-03-13T02:00:00Z --format csv --output "$WORK/report.csv" || [ $? -eq 1 ]
if [ "$(head -c 3 "$WORK/report.csv" | od -An -tx1 | tr -d ' \n')" = "efbbbf" ]; then
  echo "ok   the CSV starts with the UTF-8 byte order mark"
else
  echo "FAIL the CSV does not start with the UTF-8 byte order mark"; exit 1
fi
timeout 120 "$OFFICE" --headless -env:UserInstallation="file://$WORK/profile" --infilter="CSV:44,34,76,1" \
  --convert-to xlsx --outdir "$WORK" "$WORK/report.csv" >/dev/null 2>&1
[ -s "$WORK/report.xlsx" ] || { echo "FAIL LibreOffice wrote no xlsx"; exit 1; }
python3 - "$WORK/report.xlsx" "$WORK/report.csv" <<'PY'
import csv, html, io, re, sys, zipfile
book = zipfile.ZipFile(sys.argv[1])
names = book.namelist()
shared = []
if "xl/sharedStrings.xml" in names:
    for item in re.findall(r"<si>(.*?)</si>", book.read("xl/sharedStrings.xml").decode("utf-8"), re.S):
        shared.append(html.unescape("".join(re.findall(r"<t[^>]*>(.*?)</t>", item, re.S))))
sheet = book.read("xl/worksheets/sheet1.xml").decode("utf-8")
rows = []
for row in re.findall(r"<row [^>]*>(.*?)</row>", sheet, re.S):
    cells = []
    for attributes, body in re.findall(r"<c ([^>]*?)(?:/>|>(.*?)</c>)", row, re.S):
        value = re.search(r"<v>(.*?)</v>", body or "", re.S)
        text = value.group(1) if value else ""
        if 't="s"' in attributes and text:
            text = shared[int(text)]
        cells.append(html.unescape(text))
    rows.append(cells)
with open(sys.argv[2], encoding="utf-8-sig", newline="") as handle:
    lines = handle.read().split("\r\n")
header = next(csv.reader(io.StringIO(next(line for line in lines if line.startswith('"severity"')))))
text = "\n".join("\t".join(row) for row in rows)
problems = []
if "Siân Jones" not in text or "SiÃ¢n" in text:
    problems.append('"Siân Jones" did not survive')
comments = [row for row in rows if row and row[0].startswith("#")]
if not comments or any(len([c for c in row if c]) != 1 for row in comments):
    problems.append("a # line was split into several cells")
heads = [row for row in rows if row and row[0] == "severity"]
if len(heads) != 1 or heads[0][: len(header)] != header:
    problems.append("the header row is not whole: %r" % (heads[:1],))
findings = rows[rows.index(heads[0]) + 1 :] if heads else []
severities = {"critical", "high", "medium", "low", "info"}
if not findings or any(row[0] not in severities for row in findings if row):
    problems.append("a finding row does not start with its severity")
if problems:
    print("FAIL LibreOffice: " + "; ".join(problems))
    sys.exit(1)
print('ok   LibreOffice opens the CSV as UTF-8: the xlsx keeps "Siân Jones", %d # lines in one cell each, the header and %d findings whole' % (len(comments), len(findings)))
PY
