/// SQL that picks rows out by id the way every engine compares ids (CONTRACT.md §2): as text,
/// `CAST(x AS TEXT)`, byte for byte. SQL's own `=` compares by affinity and storage class (an
/// untyped `grant_id = 1` misses the text `'1'`) and in the column's collation, which a cast keeps
/// (a `NOCASE` column's `CAST(account_id AS TEXT) = 'u-ca'` is also true of `U-CA`): so every
/// comparison is on the text and `COLLATE BINARY`.
enum IDMatch {
    /// `column`'s text is `value` (a literal or a parameter), byte for byte.
    static func text(_ column: String, _ value: String) -> String {
        "CAST(\(column) AS TEXT) = \(value) COLLATE BINARY"
    }

    /// A grant id column as `GrantID` tells ids apart (`GrantID(text:)`): by its text alone. An
    /// integer and a text or blob holding its canonical text are one id, as are a REAL and a text or
    /// blob holding its `CAST` text; no two other ids share a text. `(key) IN (SELECT key FROM …)`
    /// (NULL is no id).
    static func grantKey(_ column: String) -> String {
        "CAST(\(column) AS TEXT) COLLATE BINARY"
    }

    /// `column` is the grant id bound by `bind` at parameter `?text` (a NULL id names no row).
    static func grant(_ column: String, text: Int32) -> String {
        Self.text(column, "?\(text)")
    }

    /// Binds `id` for `grant(_:text:)`: its text (`CAST(x AS TEXT)`).
    static func bind(_ id: GrantID, _ statement: Statement, text: Int32) throws {
        try statement.bind(id == .null ? nil : id.description, at: text)
    }

    /// `table` for a filtered read, read as itself. The index check (`DatabaseAudit.checkIndexes`)
    /// proves every full index holds its table's rows but leaves out expression columns and
    /// partial indexes, and a filter such as `CAST(account_id AS TEXT) = ?` may be answered by
    /// exactly such an index: one on `CAST(account_id AS TEXT)` whose entries point at other rows
    /// hides the subject's events while `quick_check` passes. A table is read `NOT INDEXED` (its
    /// rowid stays nameable). A view (or anything else) is read whole in a subquery,
    /// `(SELECT * FROM v NOT INDEXED LIMIT -1)`: `NOT INDEXED` names the view, not the tables it is
    /// flattened into, and the `LIMIT` keeps it from being flattened into the filtered query or
    /// having the filter pushed into it. (A co-routine: rows stream; but every column is copied,
    /// which at 2.6M events costs about 1.5 s of CPU, so a table does without it.)
    static func unindexed(_ connection: Connection, _ table: String) throws -> String {
        try TableOrder.isTable(connection, table) ? "\(table) NOT INDEXED" : "(SELECT * FROM \(table) NOT INDEXED LIMIT -1) AS \(table)"
    }
}
