import Foundation

/// Opens what the user named: a SQLite file (read-only) or a `.sql` text file (loaded into a
/// private in-memory database, so samples stay readable text and need no `sqlite3`).
public enum AuditSource {
    /// Opens `path`, or with `map` a foreign database seen through a map (see `openMapped`),
    /// turning every failure into a one-line `AuditError`.
    public static func open(
        _ path: String, map: String? = nil, busyTimeoutMilliseconds: Int32 = 5_000, immutable: Bool = false
    ) throws -> Connection {
        if let map { return try openMapped(path, map: map, busyTimeoutMilliseconds: busyTimeoutMilliseconds) }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw AuditError.fileNotFound(path)
        }
        guard !isDirectory.boolValue else { throw AuditError.notARegularFile(path) }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw AuditError.unreadable(path, "permission denied")
        }
        if path.lowercased().hasSuffix(".sql") { return try load(script: path) }
        if immutable { try refuseIncompleteCopy(path) }
        do {
            return try Connection(readOnlyPath: path, busyTimeoutMilliseconds: busyTimeoutMilliseconds, immutable: immutable)
        } catch let error as SQLiteError {
            throw describe(error, path: path)
        }
    }

    /// A foreign database under the contract's names: a private in-memory database attaches
    /// `path` read-only as `src`, then runs `map`, whose `CREATE TEMP VIEW` statements present the
    /// source's tables under the contract's names (e.g. `CREATE TEMP VIEW grants AS SELECT
    /// perm_id AS grant_id, … FROM src.permissions`). The source is never written.
    public static func openMapped(_ path: String, map: String, busyTimeoutMilliseconds: Int32) throws -> Connection {
        for file in [path, map] {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) else {
                throw AuditError.fileNotFound(file)
            }
            guard !isDirectory.boolValue else { throw AuditError.notARegularFile(file) }
        }
        let mapData = try contents(of: map)
        let script = String(decoding: mapData, as: UTF8.self)
        let connection: Connection
        if path.lowercased().hasSuffix(".sql") {
            // A text source is loaded into the private database itself; maps name its tables unqualified.
            connection = try load(script: path)
        } else {
            connection = try Connection(attachingReadOnly: path, as: "src", busyTimeoutMilliseconds: busyTimeoutMilliseconds)
            do {
                try connection.execute("SELECT count(*) FROM src.sqlite_schema")
            } catch let error as SQLiteError {
                throw describe(error, path: path)
            }
        }
        do {
            try connection.executeScript(script)
        } catch let error as Connection.ScriptError {
            throw AuditError.sqlScript(path: map, line: error.line, message: error.underlying.message)
        }
        connection.loadedFiles.append(RunMetadata.fingerprint(mapData, path: map))
        return connection
    }

    /// An `--immutable` open reads the main file alone and trusts it not to change: a copy with a
    /// non-empty `-wal` beside it holds committed transactions that the file alone does not (they
    /// would be silently missing), and a copy with a `-journal` beside it may have been taken in
    /// the middle of a write (the journal is what would undo it). Both are refused. Only `stat`
    /// is used: nothing here opens the files.
    static func refuseIncompleteCopy(_ path: String) throws {
        var info = stat()
        if stat(path + "-wal", &info) == 0, info.st_size > 0 {
            throw AuditError.incompleteCopy(
                path,
                "a non-empty \(path)-wal lies beside it: --immutable would ignore the transactions it holds. Audit the copy without --immutable (SQLite then reads the -wal; this needs write access to the directory for the -shm), or checkpoint it first (`sqlite3 COPY 'PRAGMA wal_checkpoint(TRUNCATE)'` on a writable copy)"
            )
        }
        if stat(path + "-journal", &info) == 0 {
            throw AuditError.incompleteCopy(
                path,
                "\(path)-journal lies beside it: the copy may have been taken in the middle of a write. Audit it without --immutable (SQLite rolls a hot journal back, on a writable copy), or take the copy again with `sqlite3 DB '.backup COPY'`"
            )
        }
    }

    private static func load(script path: String) throws -> Connection {
        let data = try contents(of: path)
        let connection = try Connection()
        do {
            try connection.executeScript(String(decoding: data, as: UTF8.self))
        } catch let error as Connection.ScriptError {
            throw AuditError.sqlScript(path: path, line: error.line, message: error.underlying.message)
        }
        connection.loadedFiles = [RunMetadata.fingerprint(data, path: path)]
        return connection
    }

    /// A whole text file (a `.sql` source or a map). FileHandle rather than `Data(contentsOf:)`,
    /// which leaks a buffer on empty files.
    static func contents(of path: String) throws -> Data {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw AuditError.unreadable(path, "cannot open") }
        defer { try? handle.close() }
        do {
            return try handle.readToEnd() ?? Data()
        } catch {
            throw AuditError.unreadable(path, error.localizedDescription)
        }
    }

    /// The `AuditError` for a SQLite failure while reading `path`.
    public static func describe(_ error: SQLiteError, path: String) -> AuditError {
        // SQLITE_NOTADB (26): the file is not a database.
        error.primaryCode == 26 ? .notADatabase(path) : .database(path, error)
    }
}
