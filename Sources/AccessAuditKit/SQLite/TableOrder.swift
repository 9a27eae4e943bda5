/// The order in which a contract table's rows are read wherever their order can change a verdict:
/// the first row of a repeated id (`organisations`, `accounts`, `access_levels`), the first of
/// several rows with one `grant_id`, and the order of two events with the same `event_id` at the
/// same instant (CONTRACT.md §2 and §4, Decisions).
///
/// A query without `ORDER BY` returns rows in whatever order its plan gives: a covering index
/// the database carries (`CREATE INDEX ON organisations(org_id, org_type, name)`) makes SQLite scan
/// that index instead of the table, and the "first" row becomes the one that sorts first in the
/// index. The file's author would then choose the verdict by choosing an index. So every such read
/// ends its `ORDER BY` with the table's own order: its rowid (the order rows were written; a
/// rowid scan costs nothing extra), or, for a source without one (a view, a map's `TEMP VIEW`, a
/// table `WITHOUT ROWID`), every column it reads, so the order is a function of the values alone.
enum TableOrder {
    /// The name under which `table` (as an unqualified name resolves: temp, then main, then the
    /// attached databases) exposes its rowid, or nil when it has none a query can name: not an
    /// ordinary table, `WITHOUT ROWID`, or `rowid`, `_rowid_` and `oid` all taken by columns.
    static func rowid(_ connection: Connection, _ table: String) throws -> String? {
        guard try hasRowid(connection, table: table) else { return nil }
        var columns: Set<String> = []
        let names = try connection.prepare("SELECT name FROM pragma_table_xinfo(?1)")
        try names.bind(table, at: 1)
        try names.forEachRow { row in
            if let name = row.text(0) { columns.insert(ContractSchema.asciiLowercased(name)) }
        }
        return ["rowid", "_rowid_", "oid"].first { !columns.contains($0) }
    }

    /// The `ORDER BY` term that sorts an id column (`grant_id`, `event_id`) in the tool's order of
    /// ids (CONTRACT.md §2, §3 Decisions): NULL, then numbers by value, then text byte for byte, an
    /// integer's canonical text (`'2'`) being that integer. A plain `ORDER BY grant_id` would put
    /// `'10'` before `'2'`, and follow a `COLLATE NOCASE` column's collation. For an
    /// `INTEGER PRIMARY KEY` (the rowid: only integers) the column itself, which costs nothing.
    static func idTerm(_ connection: Connection, _ table: String, _ column: String) throws -> String {
        try isRowidAlias(connection, table, column) ? column : canonicalID(column) + " COLLATE BINARY"
    }

    /// An id column as the engines compare it (`DatabaseAudit.grantID`, `GrantID(text:)`): a text
    /// or blob whose text is an integer's canonical `CAST` is that integer, one whose text is a
    /// REAL's `CAST` is that REAL (`Inf` and `-Inf` too, which `CAST(x AS REAL)` does not read),
    /// any other is its text. Every comparison is `COLLATE BINARY`: a cast keeps the column's
    /// collation, and under `NOCASE` or `RTRIM` `'1 '` or `'1.0E+20'` would pass for a number.
    static func canonicalID(_ column: String) -> String {
        let text = "CAST(\(column) AS TEXT) COLLATE BINARY"
        return "(CASE WHEN typeof(\(column)) IN ('text', 'blob') THEN CASE"
            + " WHEN CAST(CAST(\(column) AS INTEGER) AS TEXT) = \(text) THEN CAST(\(column) AS INTEGER)"
            + " WHEN \(text) = 'Inf' THEN 9e999 WHEN \(text) = '-Inf' THEN -9e999"
            + " WHEN CAST(CAST(\(column) AS REAL) AS TEXT) = \(text) THEN CAST(\(column) AS REAL)"
            + " ELSE CAST(\(column) AS TEXT) END ELSE \(column) END)"
    }

    /// Whether `column` is `table`'s `INTEGER PRIMARY KEY`, the rowid under another name.
    static func isRowidAlias(_ connection: Connection, _ table: String, _ column: String) throws -> Bool {
        guard try rowid(connection, table) != nil else { return false }
        var keys: [(name: String, type: String)] = []
        let info = try connection.prepare("SELECT name, type FROM pragma_table_info(?1) WHERE pk > 0")
        try info.bind(table, at: 1)
        try info.forEachRow { row in keys.append((row.text(0) ?? "", row.text(1) ?? "")) }
        return keys.count == 1 && ContractSchema.asciiLowercased(keys[0].name) == column
            && ContractSchema.asciiLowercased(keys[0].type) == "integer"
    }

    /// Whether `table` is an ordinary table with a rowid (not a view, a virtual table or a table
    /// `WITHOUT ROWID`): in `schema`, or as an unqualified name resolves (temp, main, attached).
    static func hasRowid(_ connection: Connection, schema: String? = nil, table: String) throws -> Bool {
        try kind(connection, schema: schema, table: table).map { $0.type == "table" && !$0.withoutRowid } ?? false
    }

    /// Whether `table` (as an unqualified name resolves) is an ordinary table, with or without a
    /// rowid: read twice in one snapshot, it gives the same rows (a view or a virtual table may not).
    static func isTable(_ connection: Connection, _ table: String) throws -> Bool {
        try kind(connection, table: table)?.type == "table"
    }

    /// `pragma table_list`'s type and `WITHOUT ROWID` flag for `table`, and the schema it is in,
    /// in `schema` or as an unqualified name resolves (temp, main, then the attached databases);
    /// nil when absent.
    static func kind(
        _ connection: Connection, schema: String? = nil, table: String
    ) throws -> (type: String, withoutRowid: Bool, schema: String)? {
        var found: (type: String, withoutRowid: Bool, schema: String)?
        let list = try connection.prepare(
            """
            SELECT t.type, t.wr, t.schema FROM pragma_table_list AS t JOIN pragma_database_list AS d ON d.name = t.schema
            WHERE t.name = ?1 COLLATE NOCASE AND (?2 IS NULL OR t.schema = ?2) ORDER BY t.schema <> 'temp', d.seq LIMIT 1
            """)
        try list.bind(table, at: 1)
        try list.bind(schema, at: 2)
        try list.forEachRow { row in found = (row.text(0) ?? "", row.int64(1) != 0, row.text(2) ?? "") }
        return found
    }

    /// ` ORDER BY keys…, ` then the table's order: its rowid, or every one of the query's
    /// `columns` result columns by position. `keys` are the read's own sort terms (may be empty).
    static func orderBy(_ connection: Connection, _ table: String, keys: [String] = [], columns: Int) throws -> String {
        " ORDER BY " + (keys + (try tieBreak(connection, table, columns: columns))).joined(separator: ", ")
    }

    /// The terms that put rows equal on a read's own keys in table order.
    static func tieBreak(_ connection: Connection, _ table: String, columns: Int) throws -> [String] {
        if let rowid = try rowid(connection, table) { return [rowid] }
        return (1...max(1, columns)).map(String.init)
    }
}
