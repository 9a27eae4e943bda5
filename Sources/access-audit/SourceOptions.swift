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

    @Flag(help: "Show no progress line (one is drawn on stderr only when it is a terminal and the run takes over a second).")
    var quiet = false

    func validate() throws {
        guard busyTimeout >= 0 else { throw ValidationError("--busy-timeout must be 0 or more.") }
    }

    /// Starts hashing the database (and map) on another thread for the report's metadata.
    func fingerprints() -> RunMetadata.Fingerprinting {
        RunMetadata.Fingerprinting([database] + (map.map { [$0] } ?? []))
    }

    func open() throws -> Connection {
        try AuditSource.open(database, map: map, busyTimeoutMilliseconds: busyTimeout, immutable: immutable)
    }

    /// Opens the database and runs `body` on it under the progress line (erased before returning).
    func reading<T>(_ body: (Connection) throws -> T) throws -> T {
        let connection = try open()
        let progress = ProgressLine.start(for: connection, quiet: quiet)
        defer { progress?.finish() }
        return try body(connection)
    }
}
