/// An error reported by SQLite.
///
/// Carries the extended result code, SQLite's message, the SQL that was running and where the
/// read was (the table and the 1-based row), but never bound values or column values: audit data
/// is sensitive and error text ends up in logs.
public struct SQLiteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The extended result code (`sqlite3_extended_errcode`).
    public let code: Int32
    /// SQLite's own message (`sqlite3_errmsg`), or the tool's when it ended the read itself
    /// (`--timeout`, `--max-value-bytes`).
    public let message: String
    /// The statement that failed, when there was one.
    public let sql: String?
    /// The table (or tables) the failing statement reads, when known.
    public var table: String?
    /// The rows the statement had returned when it failed, when it was stepping (the failing row
    /// is a later one: the next, or any, when SQLite sorts before it returns a row).
    public var rowsRead: Int?

    package init(code: Int32, message: String, sql: String? = nil, table: String? = nil, rowsRead: Int? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
        self.table = table
        self.rowsRead = rowsRead
    }

    /// The primary result code (the low byte of the extended one).
    public var primaryCode: Int32 { code & 0xFF }

    /// `reading grants after row 5: ` (or less, as much as is known), for messages.
    public var location: String {
        guard let table else { return "" }
        switch rowsRead {
        case nil: return "reading \(table): "
        case 0: return "reading \(table) before its first row: "
        case let rows?: return "reading \(table) after row \(rows): "
        }
    }

    public var description: String {
        "SQLite error \(code): \(location)\(message)"
    }
}
