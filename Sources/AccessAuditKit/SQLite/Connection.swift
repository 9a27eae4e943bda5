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
    package var rowCounter: RowCounter?

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
    package internal(set) var loadedFiles: [RunMetadata.File] = []
    /// The fingerprints of the last read transaction: the audited file as it was read inside the
    /// snapshot (with `readChecks.fingerprint`), then `loadedFiles`.
    public internal(set) var fingerprints: [RunMetadata.File] = []

    /// The bounds it reads under (kept alive here: the progress handler points at the deadline).
    let limits: ReadLimits

    /// Opens an existing database file read-only.
    ///
    /// - Parameters:
    ///   - busyTimeoutMilliseconds: how long a read waits for a writer's lock.
    ///   - immutable: the file is not being written (a copy, a backup, read-only media): SQLite's
    ///     `immutable` open takes no locks and creates no `-wal`/`-shm` beside it. Wrong answers
    ///     if anything writes the file meanwhile.
    ///   - limits: the longest value and the deadline (`ReadLimits`).
    public init(
        readOnlyPath path: String, busyTimeoutMilliseconds: Int32 = 5_000, immutable: Bool = false,
        limits: ReadLimits = ReadLimits()
    ) throws {
        handle = try Connection.open(
            path, flags: SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI, uri: true, immutable: immutable)
        sqlite3_busy_timeout(handle, busyTimeoutMilliseconds)
        file = (path, busyTimeoutMilliseconds, immutable)
        self.limits = limits
        bound()
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
            readOnlyPath: file.path, busyTimeoutMilliseconds: file.busyTimeoutMilliseconds, immutable: file.immutable,
            limits: limits)
        other.rowCounter = rowCounter
        return other
    }

    /// Opens a private, empty, writable in-memory database.
    package init(limits: ReadLimits = ReadLimits()) throws {
        handle = try Connection.open(
            ":memory:", flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
            uri: false)
        file = nil
        self.limits = limits
        bound()
    }

    /// A private in-memory database with the file at `path` attached read-only under `schema`
    /// (for `--map`: the map's temporary views read from it).
    package init(
        attachingReadOnly path: String, as schema: String, busyTimeoutMilliseconds: Int32, limits: ReadLimits = ReadLimits()
    ) throws {
        handle = try Connection.open(
            ":memory:", flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI,
            uri: false)
        file = nil
        self.limits = limits
        bound()
        sqlite3_busy_timeout(handle, busyTimeoutMilliseconds)
        let statement = try prepare("ATTACH DATABASE ?1 AS \"\(schema)\"")
        try statement.bind("file:\(Connection.percentEncodedPath(path))?mode=ro", at: 1)
        // mode=ro: nothing the map runs can write to the source, whatever it says.
        try statement.run()
        attached = (schema, path)
    }

    /// Creates a new database file for writing (the generator's only use). Refuses an existing
    /// path, so an audited database can never be opened for writing by mistake.
    package init(creatingNewFileAt path: String) throws {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw SQLiteError(code: SQLITE_CANTOPEN, message: "\(path) already exists")
        }
        handle = try Connection.open(
            path, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, uri: false)
        file = nil
        // It writes the generator's own values, not hostile ones: SQLite's own value limit.
        limits = ReadLimits(maxValueBytes: ReadLimits.maxValueBytesCeiling)
        bound()
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// SQLite's own memory is capped once for the process (`ReadLimits.sqliteHeapBytes`).
    private static let heapLimit: Void = { _ = sqlite3_hard_heap_limit64(ReadLimits.sqliteHeapBytes) }()

    private static func open(_ path: String, flags: Int32, uri: Bool, immutable: Bool = false) throws -> OpaquePointer {
        _ = heapLimit
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
        // What the audited file or a dump may make SQLite do (sqlite.org/security.html): load no
        // extension, not even through load_extension(); no writable_schema tricks. (Not
        // TRUSTED_SCHEMA off: in this SQLite it also refuses json_extract() in a file's views,
        // and no function with side effects is built in once extensions are off.)
        _ = access_audit_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0)
        _ = access_audit_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1)
        return db
    }

    /// Applies `limits`: SQLite builds and returns no value longer than `maxValueBytes` (stored
    /// or computed alike: "string or blob too big"), and every statement is interrupted once the
    /// deadline has passed (checked every 1,000 virtual-machine steps).
    private func bound() {
        sqlite3_limit(handle, SQLITE_LIMIT_LENGTH, Int32(clamping: limits.maxValueBytes))
        // SQLite's own sorts and temporary b-trees (an `ORDER BY` no index answers: a grant_id that
        // is not the rowid, a view, a shuffled log with text ids) stay in memory. Otherwise SQLite
        // spills them to a file of its choosing (it skips an unusable $TMPDIR for /var/tmp): copies
        // of audited rows in a place the user never named (docs/SECURITY.md).
        sqlite3_exec(handle, "PRAGMA temp_store = MEMORY", nil, nil, nil)
        guard let deadline = limits.deadline else { return }
        sqlite3_progress_handler(
            handle, 1_000,
            { context in
                guard let context else { return 0 }
                return Unmanaged<Deadline>.fromOpaque(context).takeUnretainedValue().hasPassed ? 1 : 0
            }, Unmanaged.passUnretained(deadline).toOpaque())
    }

    /// The error for a failed call: SQLite's code and message, or, when the deadline ended the
    /// statement, the tool's own message.
    func failure(_ rc: Int32, sql: String? = nil, table: String? = nil, rowsRead: Int? = nil) -> SQLiteError {
        let code = sqlite3_extended_errcode(handle)
        var message = String(cString: sqlite3_errmsg(handle))
        if code & 0xFF == SQLITE_INTERRUPT, let deadline = limits.deadline, deadline.hasPassed {
            message = deadline.message
        } else if code & 0xFF == SQLITE_TOOBIG {
            message = "a value is longer than --max-value-bytes (\(limits.maxValueBytes) bytes)"
        } else if code & 0xFF == SQLITE_NOMEM {
            message = "out of memory (SQLite may use at most \(ReadLimits.sqliteHeapBytes >> 20) MiB)"
        }
        return SQLiteError(code: code, message: message, sql: sql, table: table, rowsRead: rowsRead)
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
    package func prepare(_ sql: String) throws -> Statement {
        try Statement(connection: self, sql: sql)
    }

    /// Runs statements that return no rows we need (`BEGIN`, `COMMIT`, DDL on private databases).
    package func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &error)
        if rc != SQLITE_OK {
            sqlite3_free(error)
            throw failure(rc, sql: sql, table: Statement.tables(in: sql))
        }
    }
}
