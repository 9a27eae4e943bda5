import Crypto

/// What every read transaction on an audited database does besides the work
/// (`DatabaseAudit.readTransaction`), so that a report describes one complete, consistent,
/// sound snapshot or is not written at all.
public struct ReadChecks: Sendable {
    /// `PRAGMA quick_check` on the audited file, inside the snapshot, before a row is trusted: a
    /// b-tree with a page referenced twice reads "fine" row by row while whole pages are never
    /// visited, so a corrupt file would be audited as sound. Off only for a file the user has
    /// just checked (`--no-integrity-check`).
    public var integrity = true
    /// SHA-256 of the audited file, read through SQLite's own handle on a second thread while the
    /// snapshot is held (for the report's `run.files`).
    public var fingerprint = false

    public init(integrity: Bool = true, fingerprint: Bool = false) {
        self.integrity = integrity
        self.fingerprint = fingerprint
    }
}

extension DatabaseAudit {
    /// Takes the snapshot: the first read of the audited file inside the open transaction takes
    /// its SHARED lock (rollback journal) or its WAL read mark, which every later read shares.
    static func takeSnapshot(_ connection: Connection) throws {
        try connection.execute("SELECT count(*) FROM main.sqlite_schema")
        if let file = connection.auditedFile, file.schema != "main" {
            try connection.execute("SELECT count(*) FROM \"\(file.schema)\".sqlite_schema")
        }
    }

    /// `PRAGMA quick_check` of the audited file (every table and index: the contract's tables may
    /// be views over any of them), throwing `AuditError.corrupt` with SQLite's first complaint.
    static func checkIntegrity(_ connection: Connection, schema: String, database: String) throws {
        var problems: [String] = []
        try connection.prepare("PRAGMA \(quote(schema)).quick_check(3)").forEachRow { row in
            problems.append(row.text(0) ?? "")
        }
        guard problems == ["ok"] else { throw AuditError.corrupt(database, "PRAGMA quick_check: " + (problems.first ?? "no answer")) }
        try checkIndexCounts(connection, schema: schema, database: database)
    }

    /// `quick_check` does not compare an index with its table, and a query may read a table through
    /// an index (`ORDER BY grant_id` on a table whose grant_id is not the rowid): an index missing
    /// the entry of a national grant would hide that grant. Every full index must hold exactly as
    /// many entries as its table has rows (a partial index is left out: its count may rightly
    /// differ). Cheaper than `integrity_check` (7x `quick_check` at 1M accounts): one pass over
    /// each index, no lookups.
    static func checkIndexCounts(_ connection: Connection, schema: String, database: String) throws {
        var indexes: [(name: String, table: String)] = []
        let quotedSchema = quote(schema)
        try connection.prepare(
            "SELECT name, tbl_name, sql FROM \(quotedSchema).sqlite_schema WHERE type = 'index'"
        ).forEachRow { row in
            guard let name = row.text(0), let table = row.text(1) else { return }
            if let sql = row.text(2), sql.uppercased().contains(" WHERE ") { return }
            indexes.append((name, table))
        }
        var rows: [String: Int64] = [:]
        for (name, table) in indexes {
            let target = "\(quotedSchema).\(quote(table))"
            if rows[table] == nil {
                try connection.prepare("SELECT count(*) FROM \(target) NOT INDEXED").forEachRow { rows[table] = $0.int64(0) }
            }
            var entries: Int64 = -1
            try connection.prepare("SELECT count(*) FROM \(target) INDEXED BY \(quote(name))").forEachRow { entries = $0.int64(0) }
            guard entries == rows[table] else {
                throw AuditError.corrupt(
                    database, "index \(name) holds \(entries) entries for the \(rows[table] ?? 0) rows of \(table)")
            }
        }
    }

    /// An SQL identifier in double quotes (names come from the file: hostile).
    static func quote(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Starts the structure check: on a second connection certain to read the same snapshot (a
    /// rollback-journal or `--immutable` file, as for the history checks), beside the work, to
    /// be joined before the report is returned; anywhere else here and now, before the work.
    /// Either way no report leaves `readTransaction` unless the check passed.
    static func startIntegrityCheck(_ connection: Connection, database: String) throws -> BackgroundWork? {
        guard connection.readChecks.integrity, let file = connection.auditedFile else { return nil }
        if file.schema == "main", let sibling = try FastAudit.sameSnapshotSibling(connection) {
            return BackgroundWork.reading(sibling) { try checkIntegrity($0, schema: "main", database: database) }
        }
        try checkIntegrity(connection, schema: file.schema, database: database)
        return nil
    }

    /// Starts hashing the audited file on a thread of its own (normal priority: the report waits
    /// for it, so it must never be work the scheduler may starve); nil when there is nothing to hash.
    static func startFingerprint(_ connection: Connection) -> (BackgroundWork, FingerprintBox)? {
        guard connection.readChecks.fingerprint, let file = connection.auditedFile else { return nil }
        let box = FingerprintBox()
        nonisolated(unsafe) let reader = connection
        let work = BackgroundWork {
            var hasher = SHA256()
            let size = try reader.readDatabaseFile(schema: file.schema) { hasher.update(bufferPointer: $0) }
            box.file = RunMetadata.File(path: file.path, size: size ?? 0, sha256: RunMetadata.hex(hasher.finalize()))
        }
        return (work, box)
    }

    /// Where the hashing thread leaves its result (read only after `join()`).
    final class FingerprintBox: @unchecked Sendable {
        var file: RunMetadata.File?
    }
}
