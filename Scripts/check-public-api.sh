#!/usr/bin/env bash
# AccessAuditKit's public API against the committed list (docs/public-api.txt), so the surface
# docs/LIBRARY.md promises cannot grow (or shrink) without anyone noticing.
#
#   bash Scripts/check-public-api.sh            exit 1 with a diff if the surface differs
#   bash Scripts/check-public-api.sh --update   rewrite docs/public-api.txt from the build
#
# Then docs/LIBRARY.md's example is type-checked as another package would compile it (no
# `-package-name`, so it sees only `public`): the example needs nothing the surface hides.
#
# The surface is read from the compiler: `swift package dump-symbol-graph` at the public access
# level (synthesized members left out), one line per symbol: its kind, its path and its
# declaration. A public signature that names a newly public type changes both lines.
set -euo pipefail
cd "$(dirname "$0")/.."
list=docs/public-api.txt

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! swift package dump-symbol-graph --minimum-access-level public --skip-synthesized-members >"$log" 2>&1; then
  cat "$log" >&2
  echo "check-public-api: swift package dump-symbol-graph failed" >&2
  exit 1
fi
directory="$(sed -n 's/^Files written to //p' "$log" | tail -n 1)"
if [ -z "$directory" ] || [ ! -f "$directory/AccessAuditKit.symbols.json" ]; then
  cat "$log" >&2
  echo "check-public-api: no AccessAuditKit symbol graph in the output" >&2
  exit 1
fi

current="$(python3 - "$directory" <<'PY'
import glob, json, os, sys
lines = set()
# AccessAuditKit.symbols.json, plus AccessAuditKit@Swift.symbols.json etc. for public
# extensions of other modules' types.
for path in glob.glob(os.path.join(sys.argv[1], "AccessAuditKit*.symbols.json")):
    with open(path) as f:
        graph = json.load(f)
    for symbol in graph["symbols"]:
        kind = symbol["kind"]["identifier"].removeprefix("swift.")
        name = ".".join(symbol["pathComponents"])
        declaration = "".join(fragment["spelling"] for fragment in symbol.get("declarationFragments", []))
        lines.add(f"{kind} {name}: {' '.join(declaration.split())}")
print("\n".join(sorted(lines)))
PY
)"

if [ "${1:-}" = "--update" ]; then
  printf '%s\n' "$current" >"$list"
  echo "check-public-api: wrote $list ($(wc -l <"$list") symbols)"
  exit 0
fi
if ! diff -u "$list" <(printf '%s\n' "$current") >&2; then
  echo "check-public-api: AccessAuditKit's public API differs from $list (+ newly public, - no longer public)." >&2
  echo "check-public-api: make it package, or if a library user needs it, add it to docs/LIBRARY.md and run: bash Scripts/check-public-api.sh --update" >&2
  exit 1
fi

example="$(mktemp -d)"
trap 'rm -f "$log"; rm -rf "$example"' EXIT
sed -n '/^## Example/,/^## /p' docs/LIBRARY.md | sed -n '/^```swift$/,/^```$/p' | sed '1d;$d' >"$example/main.swift"
if [ ! -s "$example/main.swift" ]; then
  echo "check-public-api: no swift block under '## Example' in docs/LIBRARY.md" >&2
  exit 1
fi
includes=(-I "$(swift build --show-bin-path)/Modules" -I Sources/CAccessAuditSQLite)
while IFS= read -r map; do includes+=(-I "$(dirname "$map")"); done < <(find .build/checkouts -name module.modulemap)
if ! swiftc -typecheck "${includes[@]}" "$example/main.swift" >&2; then
  echo "check-public-api: docs/LIBRARY.md's example does not compile against the public API alone" >&2
  exit 1
fi
echo "check-public-api: ok ($(wc -l <"$list") public symbols; docs/LIBRARY.md's example compiles as a dependent would)"
