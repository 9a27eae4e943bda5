import AccessAuditKit
import ArgumentParser
import Foundation

extension AccessAudit {
    /// `access-audit replay DB --as-of T`: the audit of a past moment, rebuilt from history.
    struct ReplayCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "replay",
            abstract: "Audit the state at a past moment, rebuilt from grant_events and account_events.",
            discussion: """
                Every rule but history-mismatch and dormant-account, with the clock at --as-of. \
                Exit status as for audit; 2 when the database has no history.
                """)

        @OptionGroup var source: SourceOptions

        @Option(help: ArgumentHelp("The moment to rebuild, as a contract timestamp.", valueName: "timestamp"), transform: Timestamp.argument)
        var asOf: Timestamp

        @OptionGroup var report: ReportOptions

        func validate() throws {
            // The findings describe the past: their fixes applied to today's grants could remove
            // grants that are fine now.
            if report.remediationSQL != nil {
                throw ValidationError("--remediation-sql fixes the current state: use it with audit, not replay.")
            }
        }

        func run() throws {
            let started = Date()
            try runMappingErrors {
                let effective = try report.effective(clock: asOf)
                let settings = report.settings(effective, source: source, command: [("command", "replay"), ("as_of", asOf.description)])
                if report.printConfig {
                    try report.printSettings(settings)
                    return 0
                }
                let targets = try report.targets(effective, source: source)
                let (result, fingerprints) = try source.reading(config: effective.config, fingerprint: true) { connection in
                    (try ReplayAudit.run(connection, database: source.database, asOf: asOf, tuning: .fromEnvironment), connection.fingerprints)
                }
                return try report.emit(
                    result, effective: effective, targets: targets, fingerprints: fingerprints, settings: settings, started: started)
            }
        }
    }
}
