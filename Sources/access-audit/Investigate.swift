import AccessAuditKit
import ArgumentParser
import Foundation

extension NightlySchedule: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(argument)
    }
}

extension AccessAudit {
    /// `access-audit investigate DB (--account ID | --grant ID)`: the facts of a breach report.
    struct InvestigateCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "investigate",
            abstract: "Write the facts of a breach report for one account or grant, from the history logs.",
            discussion: """
                Sections: intervals (every state rule), timeline, detectable, also affected, same \
                actor, pre-release (with a releases table) and a plain-English narrative. Exit \
                status: 0 no interval, 1 at least one, 2 no history, unknown subject, bad input or \
                unreadable database.
                """)

        @OptionGroup var source: SourceOptions

        @Option(help: ArgumentHelp("The account_id to investigate.", valueName: "id"))
        var account: String?

        @Option(help: ArgumentHelp("The grant_id to investigate.", valueName: "id"))
        var grant: String?

        @Option(help: ArgumentHelp("Start of the window (default: the beginning of the history).", valueName: "timestamp"))
        var from: Timestamp?

        @Option(help: ArgumentHelp("End of the window (default: now).", valueName: "timestamp"))
        var to: Timestamp?

        @Option(help: ArgumentHelp("The daily time (UTC) a scheduled audit runs, for 'detectable'.", valueName: "HH:MM"))
        var nightly: NightlySchedule?

        @Option(help: ArgumentHelp("Same actor: events within this many days of a breach's start.", valueName: "n"))
        var windowDays = 30

        @OptionGroup var written: DossierOutputOptions

        func validate() throws {
            guard (account == nil) != (grant == nil) else { throw ValidationError("Give exactly one of --account and --grant.") }
            if let from, let to, from > to { throw ValidationError("--from must not be after --to.") }
            guard Investigate.windowDaysRange.contains(windowDays) else {
                throw ValidationError("--window-days must be from \(Investigate.windowDaysRange.lowerBound) to \(Investigate.windowDaysRange.upperBound).")
            }
        }

        func run() throws {
            try runMappingErrors {
                // Checked against the files the run reads before anything is read.
                let target = try written.target(for: source)
                let subject: InvestigationSubject = account.map { .account($0) } ?? .grant(argument: grant ?? "")
                let options = Investigate.Options(
                    subject: subject, from: from, to: to ?? Timestamp(seconds: Int64(Date().timeIntervalSince1970)),
                    nightly: nightly, windowDays: windowDays)
                let dossier = try source.reading { connection in
                    try Investigate.run(connection, database: source.database, options: options)
                }
                try target.write(InvestigationRenderer.render(dossier, format: written.format))
                return dossier.intervals.isEmpty ? 0 : 1
            }
        }
    }
}
