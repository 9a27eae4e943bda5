#!/usr/bin/env bash
# Checks that the CSV report opens right in a spreadsheet: LibreOffice, headless, converts the
# sample's CSV (with a display name "Siân" put in) to xlsx, and the workbook keeps "Siân" (not
# "SiÃ¢n"). The UTF-8 byte order mark at the start of the CSV is what makes this work.
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
{ cat samples/national-statistics.sql; echo "UPDATE accounts SET display_name = 'Siân Jones' WHERE account_id = 'acc-011';"; } > "$WORK/sample.sql"
".build/$CONFIG/access-audit" audit "$WORK/sample.sql" --now 2019-03-13T02:00:00Z --format csv --output "$WORK/report.csv" || [ $? -eq 1 ]
timeout 120 "$OFFICE" --headless -env:UserInstallation="file://$WORK/profile" --convert-to xlsx --outdir "$WORK" "$WORK/report.csv" >/dev/null 2>&1
if python3 - "$WORK/report.xlsx" <<'PY'
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
text = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/") and n.endswith(".xml"))
sys.exit(0 if "Siân Jones" in text and "SiÃ¢n" not in text else 1)
PY
then echo "ok   LibreOffice opens the CSV as UTF-8: the xlsx keeps \"Siân Jones\""; else echo "FAIL LibreOffice lost \"Siân\" converting the CSV to xlsx"; exit 1; fi
