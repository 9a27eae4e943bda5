internal import CAccessAuditSQLite
import Foundation

/// A prepared statement, finalized in `deinit`.
package final class Statement {
    private let connection: Connection
    let handle: OpaquePointer
    /// The SQL text, for error messages (never with bound values).
    package let sql: String
    /// The tables it reads, for error messages ("grants", "account_events and grant_events").
    let tables: String?

    init(connection: Connection, sql: String) throws {
        self.connection = connection
        self.sql = sql
        tables = Statement.tables(in: sql)
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v2(connection.handle, sql, -1, &statement, nil)
        guard rc == SQLITE_OK, let statement else {
            sqlite3_finalize(statement)
            throw connection.failure(rc, sql: sql, table: tables)
        }
        handle = statement
    }

    /// The names after each `FROM` in the tool's own SQL (it names tables plainly; pragma and
    /// schema reads are "the schema"), deduplicated and sorted; nil when there are none.
    static func tables(in sql: String) -> String? {
        let words = sql.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "(" || $0 == ")" || $0 == "," })
        var names: [String] = []
        for (index, word) in words.enumerated() where word.uppercased() == "FROM" && index + 1 < words.count {
            var name = String(words[index + 1])
            if name.hasPrefix("pragma_") || name.lowercased().hasSuffix("sqlite_schema") { name = "the schema" }
            if !names.contains(name) { names.append(name) }
        }
        return names.isEmpty ? nil : names.sorted().joined(separator: " and ")
    }

    /// Rows stepped and not yet added to the connection's `RowCounter`.
    private var uncounted = 0
    /// Rows stepped since the statement last started, for errors.
    private var stepped = 0

    deinit {
        flushCount()
        sqlite3_finalize(handle)
    }

    @inline(__always)
    private func count() {
        stepped &+= 1
        uncounted &+= 1
        if uncounted >= 1_024 { flushCount() }
    }

    private func flushCount() {
        if uncounted > 0, let counter = connection.rowCounter { counter.add(uncounted) }
        uncounted = 0
    }

    /// Binds text to a 1-based parameter.
    package func bind(_ text: String, at index: Int32) throws {
        let rc = sqlite3_bind_text(
            handle, index, text, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
        guard rc == SQLITE_OK else { throw error(rc) }
    }

    /// Binds an integer to a 1-based parameter.
    package func bind(_ value: Int64, at index: Int32) throws {
        let rc = sqlite3_bind_int64(handle, index, value)
        guard rc == SQLITE_OK else { throw error(rc) }
    }

    /// Binds text, or NULL for nil.
    package func bind(_ text: String?, at index: Int32) throws {
        guard let text else {
            let rc = sqlite3_bind_null(handle, index)
            guard rc == SQLITE_OK else { throw error(rc) }
            return
        }
        try bind(text, at: index)
    }

    /// Runs a statement that returns no rows (an INSERT), then makes it ready to bind again.
    package func run() throws {
        defer {
            stepped = 0
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        let rc = sqlite3_step(handle)
        guard rc == SQLITE_DONE || rc == SQLITE_ROW else { throw error(rc) }
    }

    /// Steps once: the current row, or nil when done (for cursors merged by hand).
    package func step() throws -> Row? {
        let rc = sqlite3_step(handle)
        if rc == SQLITE_DONE {
            flushCount()
            return nil
        }
        guard rc == SQLITE_ROW else { throw error(rc) }
        count()
        return Row(handle: handle)
    }

    /// Steps through every row, handing each to `body`. The row is valid only inside the call.
    package func forEachRow(_ body: (Row) throws -> Void) throws {
        sqlite3_reset(handle)
        stepped = 0
        // Reset afterwards too: a finished statement is ready to be bound and run again.
        defer {
            flushCount()
            stepped = 0
            sqlite3_reset(handle)
        }
        while true {
            let rc = sqlite3_step(handle)
            if rc == SQLITE_DONE { return }
            guard rc == SQLITE_ROW else { throw error(rc) }
            count()
            try body(Row(handle: handle))
        }
    }

    /// The error for a failed call, naming the tables and how many rows had been read.
    private func error(_ rc: Int32) -> SQLiteError {
        connection.failure(rc, sql: sql, table: tables, rowsRead: stepped)
    }
}
