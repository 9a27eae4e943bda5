import AccessAuditKit
import ArgumentParser

extension AccessAudit {
    /// `access-audit timeline DB --account ID`: one account's story.
    struct TimelineCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "timeline",
            abstract: "Show an account's grant and account events with the findings in force after each.",
            discussion: """
                --format csv, markdown or html writes one row per event: time, table, action, \
                actor, the change and the findings in force after it. Exit status: 0 shown, 2 no \
                history, unknown account, or unreadable database.
                """)

        @OptionGroup var source: SourceOptions

        @Option(help: ArgumentHelp("The account_id to follow.", valueName: "id"))
        var account: String

        @OptionGroup var output: HistoryOutputOptions<HistoryFormat>

        func run() throws {
            try runMappingErrors {
                let (target, format) = try output.target(inputs: [source.map], databases: [source.database])
                let report = try source.reading { connection in
                    try Timeline.run(connection, database: source.database, account: account)
                }
                try target.write(TimelineRenderer.render(report, format: format))
                return 0
            }
        }
    }
}
