import AccessAuditKit
import ArgumentParser

extension AccessAudit {
    /// `access-audit actors DB [--from T1] [--to T2]`: who allocates what.
    struct ActorsCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "actors",
            abstract: "For each person who granted, changed or approved grants, what their allocations did to policy.",
            discussion: """
                From the grant log (the state right after each event), or from grants when there is \
                no log. Sorted by out-of-policy allocations. Exit status: 0 written, 2 bad input or \
                unreadable database.
                """)

        @OptionGroup var source: SourceOptions

        @Option(help: ArgumentHelp("Only allocations at or after this time.", valueName: "timestamp"))
        var from: Timestamp?

        @Option(help: ArgumentHelp("Only allocations at or before this time.", valueName: "timestamp"))
        var to: Timestamp?

        @OptionGroup var written: DossierOutputOptions

        func validate() throws {
            if let from, let to, from > to { throw ValidationError("--from must not be after --to.") }
        }

        func run() throws {
            try runMappingErrors {
                // Checked against the files the run reads before anything is read.
                let target = try written.target(for: source)
                let dossier = try source.reading { connection in
                    try Actors.run(connection, database: source.database, from: from, to: to)
                }
                try target.write(ActorsRenderer.render(dossier, format: written.format))
                return 0
            }
        }
    }
}
