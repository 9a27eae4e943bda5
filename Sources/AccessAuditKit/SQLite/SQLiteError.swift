/// An error reported by SQLite.
///
/// Carries the extended result code, SQLite's message and the SQL that was running, but never
/// bound values: audit data is sensitive and error text ends up in logs.
public struct SQLiteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The extended result code (`sqlite3_extended_errcode`).
    public let code: Int32
    /// SQLite's own message (`sqlite3_errmsg`), or the result code's description.
    public let message: String
    /// The statement that failed, when there was one.
    public let sql: String?

    public init(code: Int32, message: String, sql: String? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
    }

    /// The primary result code (the low byte of the extended one).
    public var primaryCode: Int32 { code & 0xFF }

    public var description: String {
        "SQLite error \(code): \(message)"
    }
}
