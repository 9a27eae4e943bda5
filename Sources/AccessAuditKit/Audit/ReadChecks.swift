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
    /// be views over any of them), throwing `AuditError.corrupt` with SQLite's first complaint;
    /// with `full`, `PRAGMA integrity_check`, which also compares every index with its table
    /// (`needsFullCheck`). Then `checkIndexes`.
    static func checkIntegrity(_ connection: Connection, schema: String, database: String, full: Bool) throws {
        let pragma = full ? "integrity_check" : "quick_check"
        var problems: [String] = []
        try connection.prepare("PRAGMA \(quote(schema)).\(pragma)(3)").forEachRow { row in
            problems.append(row.text(0) ?? "")
        }
        guard problems == ["ok"] else { throw AuditError.corrupt(database, "PRAGMA \(pragma): " + (problems.first ?? "no answer")) }
        try withRowSumFunction(connection) { try checkIndexes(connection, schema: schema, database: database) }
    }

    /// Whether the audit's reads could be answered from an index `checkIndexes` cannot vouch for,
    /// so that the whole file gets `PRAGMA integrity_check`, which compares every index (partial,
    /// expression and `WITHOUT ROWID` ones too) with its table (about 5 s more CPU than
    /// `quick_check` at 1M accounts). `checkIndexes` proves each full index of a rowid table holds
    /// its table's rows, leaving out partial indexes and expression columns, and the audit reads an
    /// ordinary table with full scans that only a full index can answer. That holds only when every
    /// contract table (the releases too) is such a table, in the audited file, with no partial or
    /// expression index. Otherwise (found attacking the next builds):
    /// - a view (the file's, or a `--map` TEMP VIEW) may be answered from any index: a partial one
    ///   behind `CREATE VIEW grants AS … WHERE revoked = 0` missing the national grant was a PASS;
    /// - a `--map` TEMP TABLE was filled by SQL over the source, which any index may answer;
    /// - a `WITHOUT ROWID` table's indexes hold no rowid to compare, and a virtual table is not a
    ///   b-tree of its own;
    /// - an expression index on exactly a read's sort term (a grant_id that is not the rowid is read
    ///   `ORDER BY` `TableOrder.canonicalID`) answered that read in its own order, and a lying one
    ///   lost a `duplicate-grant`.
    static func needsFullCheck(_ connection: Connection) throws -> Bool {
        for table in ContractSchema.tables.map(\.name) + [Releases.table.name] {
            guard let kind = try TableOrder.kind(connection, table: table) else { continue }
            if kind.type != "table" || kind.withoutRowid || kind.schema == "temp" { return true }
            if try hasPartialOrExpressionIndex(connection, schema: kind.schema, table: table) { return true }
        }
        return false
    }

    /// Whether `table` has an index that is partial or holds an expression (`index_xinfo`'s cid -2).
    static func hasPartialOrExpressionIndex(_ connection: Connection, schema: String, table: String) throws -> Bool {
        var indexes: [String] = []
        var partial = false
        try connection.prepare("PRAGMA \(quote(schema)).index_list(\(quote(table)))").forEachRow { row in
            if row.int64(4) != 0 { partial = true }
            if let name = row.text(1) { indexes.append(name) }
        }
        if partial { return true }
        for index in indexes {
            var expression = false
            try connection.prepare("PRAGMA \(quote(schema)).index_xinfo(\(quote(index)))").forEachRow { row in
                if row.int64(1) == -2 { expression = true }
            }
            if expression { return true }
        }
        return false
    }

    /// `quick_check` does not compare an index with its table, and a query may read a table through
    /// an index: `ORDER BY grant_id` on a table whose grant_id is not the rowid, or a covering
    /// index that holds every column a query reads, so SQLite never looks at the table. An index
    /// missing the entry of a national grant, pointing two entries at one row, or holding
    /// 'alliance' where the table says 'national' would hide that grant. So every full index must
    /// hold exactly its table's rows: the multiset of (indexed columns, rowid) read from the index
    /// must be the one read from the table. Each side is summed as a keyed hash per row (`RowSum`,
    /// computed inside SQLite by `access_audit_rowsum`, which `withRowSumFunction` registers), one
    /// pass over each index and one over each indexed table. A partial index (`pragma index_list`
    /// says so) is left out: its rows are a subset by design, and the audit's full scans cannot
    /// use one. An expression column of an index is left out of the comparison (its rowids still
    /// are compared).
    static func checkIndexes(_ connection: Connection, schema: String, database: String) throws {
        let quotedSchema = quote(schema)
        var tables: [String: [IndexShape]] = [:]
        var order: [String] = []
        try connection.prepare(
            "SELECT name, tbl_name FROM \(quotedSchema).sqlite_schema WHERE type = 'index' ORDER BY tbl_name, name"
        ).forEachRow { row in
            guard let name = row.text(0), let table = row.text(1) else { return }
            if tables[table] == nil { order.append(table) }
            tables[table, default: []].append(IndexShape(name: name))
        }
        for table in order {
            var partial: Set<String> = []
            try connection.prepare("PRAGMA \(quotedSchema).index_list(\(quote(table)))").forEachRow { row in
                if row.int64(4) != 0, let name = row.text(1) { partial.insert(name) }
            }
            var shapes = tables[table, default: []].filter { !partial.contains($0.name) }
            guard !shapes.isEmpty else { continue }
            var columnNames: Set<String> = []
            try connection.prepare("PRAGMA \(quotedSchema).table_xinfo(\(quote(table)))").forEachRow { row in
                if let name = row.text(1) { columnNames.insert(name.lowercased()) }
            }
            // The rowid under a name no column of the table has taken (nil: all three are taken).
            let rowid = ["rowid", "_rowid_", "oid"].first { !columnNames.contains($0) }
            // Without the rowid an entry pointing at another row with the same values passes
            // (grant 2's entry at grant 1's row: {1, 2} = {1, 2}), and nothing can name it.
            if rowid == nil, try TableOrder.hasRowid(connection, schema: schema, table: table) {
                throw AuditError.unverifiable(
                    database, "table \(table) has an index, and columns named rowid, _rowid_ and oid, so the index cannot be checked against its rows")
            }
            for index in shapes.indices {
                try connection.prepare("PRAGMA \(quotedSchema).index_xinfo(\(quote(shapes[index].name)))").forEachRow { row in
                    switch row.int64(1) {
                    case -1: if let rowid { shapes[index].columns.append(rowid) }
                    case -2: break
                    default: if let name = row.text(2) { shapes[index].columns.append(quote(name)) }
                    }
                }
            }
            let target = "\(quotedSchema).\(quote(table))"
            let tableSums = try rowSums(connection, from: "\(target) NOT INDEXED", shapes: shapes.count) { shapes[$0].columns }
            for (index, shape) in shapes.enumerated() {
                let entries = try rowSums(connection, from: "\(target) INDEXED BY \(quote(shape.name))", shapes: 1) { _ in
                    shape.columns
                }[0]
                guard entries == tableSums[index] else {
                    let what = entries.count == tableSums[index].count
                        ? "holds entries that differ from the rows of \(table)"
                        : "holds \(entries.count) entries for the \(tableSums[index].count) rows of \(table)"
                    throw AuditError.corrupt(database, "index \(shape.name) \(what)")
                }
            }
        }
    }

    /// One index of a table: its name and the columns (quoted, or the rowid) it holds.
    struct IndexShape {
        let name: String
        var columns: [String] = []
    }

    /// An SQL identifier in double quotes (names come from the file: hostile).
    static func quote(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Starts the structure check: on a second connection certain to read the same snapshot (a
    /// rollback-journal or `--immutable` file, as for the history checks), beside the work, to
    /// be joined before the report is returned; anywhere else here and now, before the work.
    /// Either way no report leaves `readTransaction` unless the check passed.
    static func startIntegrityCheck(
        _ connection: Connection, database: String, tuning: AuditOptions.Tuning
    ) throws -> BackgroundWork? {
        guard connection.readChecks.integrity, let file = connection.auditedFile else { return nil }
        // Decided on this connection: a `--map`'s TEMP VIEWs exist only here.
        let full = try needsFullCheck(connection)
        if file.schema == "main", let sibling = try FastAudit.sameSnapshotSibling(connection, tuning: tuning) {
            return BackgroundWork.reading(sibling) { try checkIntegrity($0, schema: "main", database: database, full: full) }
        }
        try checkIntegrity(connection, schema: file.schema, database: database, full: full)
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
