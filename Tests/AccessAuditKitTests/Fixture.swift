import AccessAuditKit
import Foundation

/// Builds audit fixtures from SQL text (STYLE.md: fixtures are `.sql`, never binary blobs).
enum Fixture {
    /// The repository root, found from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// An in-memory database: the schema, then `sql`.
    ///
    /// `constrained: false` (the default) uses the contract's columns with no types or
    /// constraints, so fixtures can hold what a foreign system might write: NULLs in NOT NULL
    /// columns, text ranks, duplicate keys.
    /// Runs `body` on a database `access-audit generate` writes to a temporary file, removed after.
    static func withGeneratedDatabase<T>(
        accounts: Int, seed: UInt64, _ body: (Connection) throws -> T
    ) throws -> T {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("generated-\(UUID().uuidString).db").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try DatabaseGenerator.generate(to: path, options: .init(accounts: accounts, seed: seed))
        return try body(Connection(readOnlyPath: path))
    }

    /// A new empty temporary directory; the caller removes it.
    static func temporaryDirectory(_ prefix: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    static func database(_ sql: String, constrained: Bool = false, base: Bool = false) throws -> Connection {
        let connection = try Connection()
        try connection.executeScript(constrained ? BundledSchema.sql : ContractSchema.unconstrainedSQL)
        if base { try connection.executeScript(RuleExample.baseFixture) }
        try connection.executeScript(sql)
        return connection
    }

    /// Audits `sql` on top of the rule examples' base fixture at `RuleExample.now`.
    static func audit(
        _ sql: String, base: Bool = true, now: Timestamp = RuleExample.now, dormantDays: Int = 90,
        constrained: Bool = false
    ) throws -> AuditReport {
        let connection = try database(sql, constrained: constrained, base: base)
        return try DatabaseAudit.run(
            connection, database: "fixture", options: AuditOptions(now: now, dormantDays: dormantDays))
    }

    /// The findings of one rule.
    static func findings(_ rule: String, in report: AuditReport) -> [Finding] {
        report.findings.filter { $0.rule == rule }
    }

    /// A timestamp that must parse.
    static func timestamp(_ text: String) -> Timestamp {
        guard let value = Timestamp(text) else { fatalError("fixture timestamp \(text) does not parse") }
        return value
    }

    /// Writes `sql` (after the full schema) into a SQLite file at `path`.
    static func writeDatabase(_ sql: String, to path: String, constrained: Bool = true) throws {
        let connection = try database(sql, constrained: constrained)
        try connection.execute("VACUUM INTO '\(path.replacingOccurrences(of: "'", with: "''"))'")
    }
}
