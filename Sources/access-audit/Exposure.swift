import AccessAuditKit
import ArgumentParser

extension AccessAudit {
    /// `access-audit exposure DB --from T1 --to T2 [--rule R]`: how long each breach lasted.
    struct ExposureCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "exposure",
            abstract: "List each interval in a window during which a grant broke a rule.",
            discussion: """
                Each interval says whether the breach was already in force at --from (clipped), \
                who granted and approved the grant as at its start, and who ended it. --format \
                csv, markdown or html writes the exposure table for a breach report. Exit \
                status: 0 no interval, 1 at least one, 2 the database has no history or could \
                not be read.
                """)

        @OptionGroup var source: SourceOptions

        @Option(help: ArgumentHelp("Start of the window.", valueName: "timestamp"), transform: Timestamp.argument)
        var from: Timestamp

        @Option(help: ArgumentHelp("End of the window.", valueName: "timestamp"), transform: Timestamp.argument)
        var to: Timestamp

        @Option(
            help: ArgumentHelp(
                "The rule: \(Exposure.rules.joined(separator: ", ")).", valueName: "rule"))
        var rule = "level-exceeds-policy"

        @OptionGroup var output: HistoryOutputOptions<HistoryFormat>

        func validate() throws {
            guard Exposure.rules.contains(rule) else {
                throw ValidationError("--rule must be one of \(Exposure.rules.joined(separator: ", ")).")
            }
            guard from <= to else { throw ValidationError("--from must not be after --to.") }
        }

        func run() throws {
            try runMappingErrors {
                let (target, format) = try output.target(inputs: [source.map], databases: [source.database])
                let report = try source.reading { connection in
                    try Exposure.run(connection, database: source.database, from: from, to: to, rule: rule, tuning: .fromEnvironment)
                }
                try target.write(ExposureRenderer.render(report, format: format))
                return report.intervals.isEmpty ? 0 : 1
            }
        }
    }
}
