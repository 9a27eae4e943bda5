import Foundation

/// Why an audit could not run. Each maps to exit status 2 with its one-line description.
public enum AuditError: Error, LocalizedError, Equatable {
    case fileNotFound(String)
    case notARegularFile(String)
    case unreadable(String, String)
    case tooLarge(String, limit: Int)
    case notADatabase(String)
    case sqlScript(path: String, line: Int, message: String)
    case missingSchema([String])
    case database(String, SQLiteError)
    case noHistory(String)
    case invalidArgument(String)
    case output(String, String)
    case waivers(path: String, line: Int, message: String)
    case baseline(String, String)
    case config(path: String, line: Int, message: String)
    /// The file failed SQLite's structure check: no verdict on a corrupt file.
    case corrupt(String, String)
    /// An `--immutable` copy with a `-wal` or `-journal` beside it: the file alone is not the copy.
    case incompleteCopy(String, String)
    /// The external sort's temporary file could not be made or written in that directory.
    case temporaryFile(String, String)
    /// A table read twice in one snapshot gave different rows (a view that is not deterministic):
    /// no verdict from a guess at which read was right.
    case readDifferently(table: String, why: String)
    /// A file the tool cannot check before trusting it (and so gives no verdict on).
    case unverifiable(String, String)

    public var errorDescription: String? {
        switch self {
        case .fileNotFound(let path): "\(path): no such file"
        case .notARegularFile(let path): "\(path): not a regular file"
        case .unreadable(let path, let why): "\(path): cannot read: \(why)"
        case .tooLarge(let path, let limit): "\(path): larger than \(limit) bytes, the limit for this kind of input"
        case .notADatabase(let path): "\(path): not a SQLite database (and not a .sql file)"
        // SQLite quotes the offending token, which may span lines: the description stays one line.
        case .sqlScript(let path, let line, let message): "\(path):\(line): \(Escaping.terminal(message))"
        case .missingSchema(let missing): "the database does not follow the contract: missing \(missing.joined(separator: ", "))"
        case .database(let path, let error): "\(path): \(error.location)\(error.message) (SQLite code \(error.code))"
        case .noHistory(let path): "\(path): no history: grant_events and account_events are absent or empty"
        case .invalidArgument(let message): message
        case .output(let path, let why): "\(path): cannot write: \(why)"
        case .waivers(let path, let line, let message): "\(path):\(line): \(message)"
        case .baseline(let path, let why): "\(path): not a usable baseline: \(why)"
        case .config(let path, let line, let message): "\(path):\(line): \(message)"
        case .corrupt(let path, let problem):
            "\(path): the database file is corrupt (\(problem)); no verdict is given on it: restore it from a backup, or check it with `sqlite3 FILE 'PRAGMA integrity_check'`"
        case .incompleteCopy(let path, let why): "\(path): \(why)"
        case .temporaryFile(let directory, let why):
            "cannot use the temporary directory \(directory) to sort the history logs: \(why) (set TMPDIR to a writable directory)"
        case .readDifferently(let table, let why): "\(table) read differently on a second pass: \(Escaping.terminal(why))"
        case .unverifiable(let path, let why): "\(path): \(Escaping.terminal(why)); no verdict is given on it"
        }
    }
}
