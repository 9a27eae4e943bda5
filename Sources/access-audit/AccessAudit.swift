import AccessAuditKit
import ArgumentParser
import Foundation

/// The root command: `access-audit <subcommand>`.
@main
struct AccessAudit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "access-audit",
        abstract: "Audit who can see what in an access-control database.",
        discussion: """
            Exit status: 0 no finding at or above --fail-on; 1 at least one; 2 the audit could not \
            run (bad or missing database, missing tables or columns); 64 a usage error.
            """,
        version: AccessAuditKit.version,
        subcommands: [Audit.self, ReplayCommand.self, ExposureCommand.self, TimelineCommand.self, InvestigateCommand.self, ActorsCommand.self, Generate.self, Diff.self, Waive.self, Rules.self, Schema.self],
        defaultSubcommand: nil
    )

    /// Guards the standard descriptors, then parses and runs as usual. SIGPIPE is ignored so
    /// that a reader closing the pipe early (`audit … | head`) is a write error like any other
    /// (exit 2, one line), not death by a signal.
    static func main() {
        StandardError.occupyClosedStandardDescriptors()
        signal(SIGPIPE, SIG_IGN)
        checkSubcommand()
        main(nil)
    }
}
