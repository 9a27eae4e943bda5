#!/usr/bin/env bash
# Regenerates Sources/AccessAuditKit/Audit/BundledSchema.swift from schema.sql (the file to edit).
# SchemaTests fails when the two differ.
set -euo pipefail
cd "$(dirname "$0")/.."
{
  printf '%s\n' '/// The bundled `schema.sql` (printed by `access-audit schema`). Generated from the repository'"'"'s' \
    '/// schema.sql by Scripts/embed-schema.sh; a test keeps the two byte-identical.' \
    'public enum BundledSchema {' \
    '    public static let sql = #"""'
  cat schema.sql
  printf '\n%s\n' '"""#' '}'
} > Sources/AccessAuditKit/Audit/BundledSchema.swift
