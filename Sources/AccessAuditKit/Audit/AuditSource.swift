import Foundation

/// Opens what the user named: a SQLite file (read-only) or a `.sql` text file (loaded into a
/// private in-memory database, so samples stay readable text and need no `sqlite3`).
///
/// Every input is hostile (docs/SECURITY.md, "Inputs"): only regular files are read, text inputs
/// under `ReadLimits.maxScriptBytes`, scripts byte for byte under `ScriptAuthorizer`, and every
/// connection under `limits` (the longest value, the deadline).
public enum AuditSource {
    /// Opens `path`, or with `map` a foreign database seen through a map (see `openMapped`),
    /// turning every failure into a one-line `AuditError`.
    public static func open(
        _ path: String, map: String? = nil, busyTimeoutMilliseconds: Int32 = 5_000, immutable: Bool = false,
        limits: ReadLimits = ReadLimits()
    ) throws -> Connection {
        if let map { return try openMapped(path, map: map, busyTimeoutMilliseconds: busyTimeoutMilliseconds, limits: limits) }
        if isScript(path) { return try load(script: path, limits: limits) }
        try InputFile.check(path)
        if immutable { try refuseIncompleteCopy(path) }
        do {
            return try Connection(
                readOnlyPath: path, busyTimeoutMilliseconds: busyTimeoutMilliseconds, immutable: immutable, limits: limits)
        } catch let error as SQLiteError {
            throw describe(error, path: path)
        }
    }

    /// A foreign database under the contract's names: a private in-memory database attaches
    /// `path` read-only as `src`, then runs `map`, whose `CREATE TEMP VIEW` statements present the
    /// source's tables under the contract's names (e.g. `CREATE TEMP VIEW grants AS SELECT
    /// perm_id AS grant_id, … FROM src.permissions`). The source is never written, and the map
    /// runs under `ScriptAuthorizer` as a `.sql` input does.
    package static func openMapped(
        _ path: String, map: String, busyTimeoutMilliseconds: Int32, limits: ReadLimits = ReadLimits()
    ) throws -> Connection {
        let script = try InputFile.read(map, limit: ReadLimits.maxScriptBytes)
        let connection: Connection
        if isScript(path) {
            // A text source is loaded into the private database itself; maps name its tables unqualified.
            connection = try load(script: path, limits: limits)
        } else {
            try InputFile.check(path)
            do {
                connection = try Connection(
                    attachingReadOnly: path, as: "src", busyTimeoutMilliseconds: busyTimeoutMilliseconds, limits: limits)
                try connection.execute("SELECT count(*) FROM src.sqlite_schema")
            } catch let error as SQLiteError {
                throw describe(error, path: path)
            }
        }
        try run(script, path: map, on: connection, temporaryObjects: true)
        connection.loadedFiles.append(RunMetadata.fingerprint(script, path: map))
        return connection
    }

    /// An `--immutable` open reads the main file alone and trusts it not to change: a copy with a
    /// non-empty `-wal` beside it holds committed transactions that the file alone does not (they
    /// would be silently missing), and a copy with a `-journal` beside it may have been taken in
    /// the middle of a write (the journal is what would undo it). Both are refused. Only `stat`
    /// is used: nothing here opens the files.
    static func refuseIncompleteCopy(_ given: String) throws {
        // SQLite keeps the -wal and -journal beside the real file, not beside a symlink to it.
        let path = URL(fileURLWithPath: given).resolvingSymlinksInPath().path
        var info = stat()
        if stat(path + "-wal", &info) == 0, info.st_size > 0 {
            throw AuditError.incompleteCopy(
                given,
                "a non-empty \(path)-wal lies beside it: --immutable would ignore the transactions it holds. Audit the copy without --immutable (SQLite then reads the -wal; this needs write access to the directory for the -shm), or checkpoint it first (`sqlite3 COPY 'PRAGMA wal_checkpoint(TRUNCATE)'` on a writable copy)"
            )
        }
        if stat(path + "-journal", &info) == 0 {
            throw AuditError.incompleteCopy(
                given,
                "\(path)-journal lies beside it: the copy may have been taken in the middle of a write. Audit it without --immutable (SQLite rolls a hot journal back, on a writable copy), or take the copy again with `sqlite3 DB '.backup COPY'`"
            )
        }
    }

    private static func isScript(_ path: String) -> Bool {
        path.lowercased().hasSuffix(".sql")
    }

    private static func load(script path: String, limits: ReadLimits) throws -> Connection {
        let bytes = try InputFile.read(path, limit: ReadLimits.maxScriptBytes)
        let connection = try Connection(limits: limits)
        try run(bytes, path: path, on: connection, temporaryObjects: false)
        connection.loadedFiles = [RunMetadata.fingerprint(bytes, path: path)]
        return connection
    }

    private static func run(_ script: [UInt8], path: String, on connection: Connection, temporaryObjects: Bool) throws {
        do {
            try connection.loadUntrustedScript(script, temporaryObjects: temporaryObjects)
        } catch let error as Connection.ScriptError {
            throw AuditError.sqlScript(path: path, line: error.line, message: error.underlying.message)
        }
    }

    /// The `AuditError` for a SQLite failure while reading `path`.
    package static func describe(_ error: SQLiteError, path: String) -> AuditError {
        switch error.primaryCode {
        case 26:  // SQLITE_NOTADB: the file is not a database.
            return .notADatabase(path)
        case 14:  // SQLITE_CANTOPEN once the file was found: typically WAL on read-only media.
            return .database(
                path,
                SQLiteError(
                    code: error.code,
                    message: error.message + " (a WAL database on read-only media or in a read-only directory cannot be "
                        + "read in place: --immutable reads such a copy when nothing writes it and its -wal is empty or "
                        + "absent; otherwise copy it, with its -wal, somewhere writable)",
                    sql: error.sql, table: error.table, rowsRead: error.rowsRead))
        default:
            return .database(path, error)
        }
    }
}
