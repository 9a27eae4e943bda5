import AccessAuditKit
import ArgumentParser

/// The database every auditing command reads, and how it is opened.
struct SourceOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("The database: a SQLite file (opened read-only) or a .sql file.", valueName: "db"))
    var database: String

    @Option(help: ArgumentHelp("How long to wait for a writer's lock before giving up (exit 2).", valueName: "ms"))
    var busyTimeout: Int32 = 5_000

    @Option(
        help: ArgumentHelp(
            "A .sql file of CREATE TEMP VIEW statements presenting a foreign database (attached read-only as src) under the contract's table names.",
            valueName: "map.sql"))
    var map: String?

    @Flag(
        help: ArgumentHelp(
            "The file is a copy nobody writes (a backup, read-only media): take no locks and create no -wal/-shm beside it."))
    var immutable = false

    @Flag(
        help: ArgumentHelp(
            "Skip the structure check (PRAGMA quick_check) done before any row is trusted: only for a file you have just checked yourself."))
    var noIntegrityCheck = false

    @Option(
        help: ArgumentHelp(
            "End the run after this many seconds, loading a .sql or a map included: exit 2 naming the table being read (default: 3600, or for audit and replay the config's timeout; at most 604800).",
            valueName: "seconds"))
    var timeout: Int?

    @Option(
        help: ArgumentHelp(
            "Refuse any value longer than this many bytes: exit 2 naming the table (default: 1048576, or for audit and replay the config's max_value_bytes).",
            valueName: "bytes"))
    var maxValueBytes: Int?

    @Flag(help: "Show no progress line (one is drawn on stderr only when it is a terminal and the run takes over a second).")
    var quiet = false

    func validate() throws {
        guard busyTimeout >= 0 else { throw ValidationError("--busy-timeout must be 0 or more.") }
        if let timeout, !(1...ReadLimits.maxTimeoutSeconds).contains(timeout) {
            throw ValidationError("--timeout must be from 1 to \(ReadLimits.maxTimeoutSeconds) seconds.")
        }
        if let maxValueBytes, !(1...ReadLimits.maxValueBytesCeiling).contains(maxValueBytes) {
            throw ValidationError("--max-value-bytes must be from 1 to \(ReadLimits.maxValueBytesCeiling).")
        }
    }

    /// The effective timeout: the flag, else the config's, else the default.
    func timeoutSeconds(_ config: AuditConfig?) -> Int {
        timeout ?? config?.timeoutSeconds ?? ReadLimits.defaultTimeoutSeconds
    }

    /// The effective value limit: the flag, else the config's, else the default.
    func valueLimit(_ config: AuditConfig?) -> Int {
        maxValueBytes ?? config?.maxValueBytes ?? ReadLimits.defaultMaxValueBytes
    }

    /// Opens the database under its limits (the timeout starts now; `config`: the settings file
    /// of `audit` and `replay`, which may set the limits); with `fingerprint`, each read
    /// transaction also hashes the audited file (through SQLite's handle, inside the snapshot)
    /// for the report's metadata.
    func open(config: AuditConfig? = nil, fingerprint: Bool = false) throws -> Connection {
        let limits = ReadLimits(maxValueBytes: valueLimit(config), deadline: Deadline(seconds: timeoutSeconds(config)))
        let connection = try AuditSource.open(
            database, map: map, busyTimeoutMilliseconds: busyTimeout, immutable: immutable, limits: limits)
        connection.readChecks = ReadChecks(integrity: !noIntegrityCheck, fingerprint: fingerprint)
        return connection
    }

    /// Opens the database and runs `body` on it under the progress line (erased before returning).
    func reading<T>(config: AuditConfig? = nil, fingerprint: Bool = false, _ body: (Connection) throws -> T) throws -> T {
        let connection = try open(config: config, fingerprint: fingerprint)
        let progress = ProgressLine.start(for: connection, quiet: quiet)
        defer { progress?.finish() }
        return try body(connection)
    }
}
