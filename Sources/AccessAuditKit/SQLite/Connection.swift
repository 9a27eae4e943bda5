internal import CAccessAuditSQLite
import Foundation

/// One SQLite database handle, closed in `deinit`.
///
/// The audit only ever reads: files are opened with `SQLITE_OPEN_READONLY` (plus
/// `SQLITE_OPEN_NOMUTEX`: a connection is used by one thread at a time). The only databases this
/// type writes to are private in-memory ones that `.sql` text is loaded into.
public final class Connection {
    let handle: OpaquePointer

    /// Counts every row read through this connection (for a progress line), when set.
    public var rowCounter: RowCounter?

    /// How a read-only file connection was opened, so `sibling()` can open another like it.
    private let file: (path: String, busyTimeoutMilliseconds: Int32, immutable: Bool)?

    /// The audited database file: its schema name on this connection (`main`, or `src` under a
    /// map) and its path; nil for a private in-memory database.
    var auditedFile: (schema: String, path: String)? {
        if let file { return ("main", file.path) }
        return attached.map { ($0.schema, $0.path) }
    }
    private var attached: (schema: String, path: String)?

    /// What every read transaction does besides the work (`DatabaseAudit.readTransaction`).
    public var readChecks = ReadChecks()
    /// Fingerprints of files read before any transaction (a `.sql` source, a map), as loaded.
    public internal(set) var loadedFiles: [RunMetadata.File] = []
    /// The fingerprints of the last read transaction: the audited file as it was read inside the
    /// snapshot (with `readChecks.fingerprint`), then `loadedFiles`.
    public internal(set) var fingerprints: [RunMetadata.File] = []

    /// Opens an existing database file read-only.
    ///
    /// - Parameters:
    ///   - busyTimeoutMilliseconds: how long a read waits for a writer's lock.
    ///   - immutable: the file is not being written (a copy, a backup, read-only media): SQLite's
    ///     `immutable` open takes no locks and creates no `-wal`/`-shm` beside it. Wrong answers
    ///     if anything writes the file meanwhile.
    public init(readOnlyPath path: String, busyTimeoutMilliseconds: Int32 = 5_000, immutable: Bool = false) throws {
        handle = try Connection.open(
            path, flags: SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI, uri: true, immutable: immutable)
        sqlite3_busy_timeout(handle, busyTimeoutMilliseconds)
        file = (path, busyTimeoutMilliseconds, immutable)
    }

    /// How long a read waits for a writer's lock.
    func setBusyTimeout(milliseconds: Int32) {
        sqlite3_busy_timeout(handle, milliseconds)
    }

    /// The busy timeout it was opened with (5,000 ms for in-memory databases, which never wait).
    var openedBusyTimeout: Int32 { file?.busyTimeoutMilliseconds ?? 5_000 }

    /// Whether the file was opened `immutable` (a copy nobody writes).
    var isImmutable: Bool { file?.immutable ?? false }

    /// A second read-only connection to the same file, opened the same way and counting into the
    /// same `RowCounter`, for work on another thread; nil for in-memory and mapped databases.
    /// Whether it sees the same snapshot is the caller's business (see `FastAudit`).
    func sibling() throws -> Connection? {
        guard let file else { return nil }
        let other = try Connection(
            readOnlyPath: file.path, busyTimeoutMilliseconds: file.busyTimeoutMilliseconds, immutable: file.immutable)
        other.rowCounter = rowCounter
        return other
    }

    /// Opens a private, empty, writable in-memory database.
    public init() throws {
        handle = try Connection.open(
            ":memory:", flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
            uri: false)
        file = nil
    }

    /// A private in-memory database with the file at `path` attached read-only under `schema`
    /// (for `--map`: the map's temporary views read from it).
    public init(attachingReadOnly path: String, as schema: String, busyTimeoutMilliseconds: Int32) throws {
        handle = try Connection.open(
            ":memory:", flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI,
            uri: false)
        file = nil
        sqlite3_busy_timeout(handle, busyTimeoutMilliseconds)
        let statement = try prepare("ATTACH DATABASE ?1 AS \"\(schema)\"")
        try statement.bind("file:\(Connection.percentEncodedPath(path))?mode=ro", at: 1)
        // mode=ro: nothing the map runs can write to the source, whatever it says.
        try statement.run()
        attached = (schema, path)
    }

    /// Creates a new database file for writing (the generator's only use). Refuses an existing
    /// path, so an audited database can never be opened for writing by mistake.
    public init(creatingNewFileAt path: String) throws {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw SQLiteError(code: SQLITE_CANTOPEN, message: "\(path) already exists")
        }
        handle = try Connection.open(
            path, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, uri: false)
        file = nil
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    private static func open(_ path: String, flags: Int32, uri: Bool, immutable: Bool = false) throws -> OpaquePointer {
        var db: OpaquePointer?
        // A file path goes through a `file:` URI so `mode=ro` holds even if flags were ignored,
        // and so characters like `?` or `#` in a file name are escaped rather than interpreted.
        let target = uri ? "file:\(percentEncodedPath(path))?mode=ro\(immutable ? "&immutable=1" : "")" : path
        let rc = sqlite3_open_v2(target, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) }
                ?? String(cString: sqlite3_errstr(rc))
            let code = db.map { sqlite3_extended_errcode($0) } ?? rc
            // sqlite3_open_v2 allocates a handle even on failure; it must still be closed.
            if let db { sqlite3_close_v2(db) }
            throw SQLiteError(code: code, message: message)
        }
        sqlite3_extended_result_codes(db, 1)
        return db
    }

    /// `path` as the path part of a `file:` URI: `?`, `#` and `%` are percent-encoded, and an
    /// absolute path gets an empty authority (`file:///abs`) so `//x` is never read as a host.
    static func percentEncodedPath(_ path: String) -> String {
        var bytes: [UInt8] = path.hasPrefix("/") ? Array("//".utf8) : []
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "?"), UInt8(ascii: "#"), UInt8(ascii: "%"):
                bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            default:
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Prepares one statement.
    public func prepare(_ sql: String) throws -> Statement {
        try Statement(connection: self, sql: sql)
    }

    /// Runs statements that return no rows we need (`BEGIN`, `COMMIT`, DDL on private databases).
    public func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &error)
        if rc != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_free(error)
            throw SQLiteError(code: sqlite3_extended_errcode(handle), message: message, sql: sql)
        }
    }

    /// Runs a script of many statements, reporting the 1-based line where a failing one starts.
    ///
    /// Used to load `.sql` text into a private in-memory database.
    public func executeScript(_ script: String) throws {
        var bytes = Array(script.utf8)
        bytes.append(0)
        try bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            try base.withMemoryRebound(to: CChar.self, capacity: buffer.count) { start in
                var cursor: UnsafePointer<CChar>? = start
                while let current = cursor, current.pointee != 0 {
                    var statement: OpaquePointer?
                    var tail: UnsafePointer<CChar>?
                    var rc = sqlite3_prepare_v2(handle, current, -1, &statement, &tail)
                    if rc == SQLITE_OK, let statement {
                        repeat { rc = sqlite3_step(statement) } while rc == SQLITE_ROW
                        sqlite3_finalize(statement)
                        if rc == SQLITE_DONE { rc = SQLITE_OK }
                    }
                    if rc != SQLITE_OK {
                        let offset = start.distance(to: current)
                        throw ScriptError(
                            line: Connection.line(of: offset, in: buffer, skippingBlanks: true),
                            underlying: SQLiteError(
                                code: sqlite3_extended_errcode(handle),
                                message: String(cString: sqlite3_errmsg(handle))))
                    }
                    cursor = tail
                }
            }
        }
    }

    /// The line (1-based) of the first byte at or after `offset` that is neither whitespace nor
    /// inside a comment: where the failing statement really starts.
    private static func line(
        of offset: Int, in buffer: UnsafeBufferPointer<UInt8>, skippingBlanks: Bool
    ) -> Int {
        var position = offset
        let end = buffer.count - 1  // the terminating NUL
        func at(_ index: Int) -> UInt8 { index < end ? buffer[index] : 0 }
        while skippingBlanks, position < end {
            if Blank.isWhitespace(at(position)) {
                position += 1
            } else if at(position) == UInt8(ascii: "-"), at(position + 1) == UInt8(ascii: "-") {
                while position < end, at(position) != UInt8(ascii: "\n") { position += 1 }
            } else if at(position) == UInt8(ascii: "/"), at(position + 1) == UInt8(ascii: "*") {
                position += 2
                while position < end, !(at(position) == UInt8(ascii: "*") && at(position + 1) == UInt8(ascii: "/")) {
                    position += 1
                }
                position = min(position + 2, end)
            } else {
                break
            }
        }
        var line = 1
        for index in 0..<min(position, end) where buffer[index] == UInt8(ascii: "\n") {
            line += 1
        }
        return line
    }

    /// A failure inside a script, with the line it happened on.
    public struct ScriptError: Error, Sendable {
        public let line: Int
        public let underlying: SQLiteError
    }
}
