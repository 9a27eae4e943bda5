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

        @Option(help: "The audit's clock, as a contract timestamp (default: the current UTC time).", transform: Timestamp.argument)
        var now: Timestamp?

        // `.unconditional`: `--dormant-days -5` takes -5 (and says it must be 0 or more) instead of
        // reading it as an option and reporting a missing value.
        @Option(
            parsing: .unconditional,
            help: ArgumentHelp("dormant-account fires for no login in this many days (default: 90).", valueName: "days"))
        var dormantDays: Int?

        @OptionGroup var report: ReportOptions

        func validate() throws {
            if let dormantDays, !AuditOptions.dormantDaysRange.contains(dormantDays) {
                throw ValidationError(
                    "--dormant-days must be from \(AuditOptions.dormantDaysRange.lowerBound) to \(AuditOptions.dormantDaysRange.upperBound).")
            }
        }

        func run() throws {
            let started = Date()
            try runMappingErrors {
                let clock = now ?? Timestamp(seconds: Int64(Date().timeIntervalSince1970.rounded(.down)))
                let effective = try report.effective(clock: clock)
                let days = dormantDays ?? effective.config.dormantDays ?? 90
                let settings = report.settings(
                    effective, source: source, command: [("command", "audit"), ("now", clock.description), ("dormant_days", String(days))])
                if report.printConfig {
                    try report.printSettings(settings)
                    return 0
                }
                let targets = try report.targets(effective, source: source)
                let options = AuditOptions(now: clock, dormantDays: days, tuning: .fromEnvironment)
                let (result, fingerprints) = try source.reading(config: effective.config, fingerprint: true) { connection in
                    (try DatabaseAudit.run(connection, database: source.database, options: options), connection.fingerprints)
                }
                return try report.emit(
                    result, effective: effective, targets: targets, fingerprints: fingerprints, settings: settings, started: started)
            }
        }
    }
}
