import AccessAuditKit
import ArgumentParser
import Foundation

extension AccessAudit {
    /// `access-audit audit DB`: the current state against every rule.
    struct Audit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Audit the current accounts and grants against the policy.",
            discussion: "DB is a SQLite file (opened read-only) or a .sql text file (loaded into memory).")

        @OptionGroup var source: SourceOptions

        @Option(help: "The audit's clock, as a contract timestamp (default: the current UTC time).")
        var now: Timestamp?

        @Option(help: ArgumentHelp("dormant-account fires for no login in this many days.", valueName: "days"))
        var dormantDays: Int = 90

        @OptionGroup var report: ReportOptions

        func validate() throws {
            guard dormantDays >= 0 else { throw ValidationError("--dormant-days must be 0 or more.") }
        }

        func run() throws {
            try runMappingErrors {
                let clock = now ?? Timestamp(seconds: Int64(Date().timeIntervalSince1970.rounded(.down)))
                let connection = try source.open()
                let options = AuditOptions(now: clock, dormantDays: dormantDays)
                return try report.emit(DatabaseAudit.run(connection, database: source.database, options: options))
            }
        }
    }
}
