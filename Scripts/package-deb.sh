#!/usr/bin/env bash
# Builds a Debian package of access-audit with dpkg-deb: the static release binary, its man page
# and completions (make install), the systemd service and timer, and the cron line (contrib/).
#
#   bash Scripts/package-deb.sh [OUT_DIR]     (default: .build/deb)
#
# Expects `make all` to have run (make deb does both). Prints the path of the .deb.
set -euo pipefail
cd "$(dirname "$0")/.."

out="${1:-.build/deb}"
version="$(.build/release/access-audit --version)"
arch="$(dpkg --print-architecture)"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
root="$stage/access-audit_${version}_${arch}"

make --no-print-directory install PREFIX=/usr DESTDIR="$root" >/dev/null
install -D -m 0644 contrib/access-audit.service "$root/usr/lib/systemd/system/access-audit.service"
install -D -m 0644 contrib/access-audit.timer "$root/usr/lib/systemd/system/access-audit.timer"
install -D -m 0644 contrib/access-audit.sysusers "$root/usr/lib/sysusers.d/access-audit.conf"
install -D -m 0644 contrib/access-audit.cron "$root/usr/share/doc/access-audit/examples/access-audit.cron"
install -D -m 0644 README.md "$root/usr/share/doc/access-audit/README.md"
install -D -m 0644 docs/CONTRACT.md "$root/usr/share/doc/access-audit/CONTRACT.md"
for schema in docs/schema/*.schema.json; do
  install -D -m 0644 "$schema" "$root/usr/share/doc/access-audit/schema/$(basename "$schema")"
done
gzip -9n "$root/usr/share/man/man1/access-audit.1"

mkdir -p "$root/DEBIAN"
cat > "$root/DEBIAN/control" <<CONTROL
Package: access-audit
Version: ${version}
Architecture: ${arch}
Maintainer: access-audit maintainers <access-audit@localhost>
Depends: libc6, libstdc++6, libgcc-s1, libsqlite3-0
Section: admin
Priority: optional
Installed-Size: $(du -sk "$root/usr" | cut -f1)
Description: nightly audit of an access-control database against its policy
 Reads the accounts, organisations, policies and grants of a SQLite access-control
 database, checks every granted level against what its organisation type may hold,
 and reports every mismatch with the evidence a reviewer needs. Ships a systemd
 service and timer for the nightly run (not enabled: systemctl enable --now
 access-audit.timer).
CONTROL

# The service's user. Skipped when installing into another root (DPKG_ROOT), where the
# machine's users are not ours to change.
cat > "$root/DEBIAN/postinst" <<'POSTINST'
#!/bin/sh
set -e
if [ "$1" = configure ] && [ -z "${DPKG_ROOT:-}" ]; then
  if command -v systemd-sysusers >/dev/null 2>&1; then
    systemd-sysusers access-audit.conf || true
  elif ! getent passwd access-audit >/dev/null; then
    useradd --system --home-dir /var/lib/access-audit --shell /usr/sbin/nologin access-audit || true
  fi
  if [ -d /run/systemd/system ]; then systemctl daemon-reload || true; fi
fi
POSTINST
chmod 0755 "$root/DEBIAN/postinst"

mkdir -p "$out"
dpkg-deb --root-owner-group --build "$root" "$out" >/dev/null
echo "$out/access-audit_${version}_${arch}.deb"
