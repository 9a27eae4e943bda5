import AccessAuditKit
import ArgumentParser
import Foundation

extension AccessAudit {
    /// `access-audit waive REPORT.json KEY --reason … --owner … --approved-by … --expires …`.
    struct Waive: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the waiver entry for one finding of a saved JSON report (key, rule, ids and subject).",
            discussion: """
                The entry is checked as --waivers checks it (two different people, neither the finding's holder nor \
                its grantor; an expiry within max_waiver_days of --now) and printed as a list item for a `waivers:` \
                file. Exit status: 0 written, 2 an unknown key or a waiver a run would refuse.
                """)

        @Argument(help: ArgumentHelp("A report written with --format json.", valueName: "report.json"))
        var report: String

        @Argument(help: ArgumentHelp("The finding's key, as the report gives it.", valueName: "key"))
        var key: String

        @Option(help: "Why the finding is accepted.")
        var reason: String

        @Option(help: "Who owns the exception.")
        var owner: String

        @Option(help: "Who approved it (another person than the owner).")
        var approvedBy: String

        @Option(help: ArgumentHelp("When it stops applying, as a contract timestamp.", valueName: "timestamp"))
        var expires: String

        @Option(help: "The clock the expiry is checked against (default: the current UTC time).")
        var now: Timestamp?

        @Option(help: ArgumentHelp("Settings file for max_waiver_days (default: access-audit.yml in the current directory, if any).", valueName: "file"))
        var config: String?

        @Option(help: ArgumentHelp("Write the entry to this file instead of standard output.", valueName: "file"))
        var output: String?

        func run() throws {
            try runMappingErrors {
                // Checked before anything is read: the entry may not replace the report or the config.
                let target = try OutputTarget(output, inputs: [report] + (config.map { [$0] } ?? []))
                let clock = now ?? Timestamp(seconds: Int64(Date().timeIntervalSince1970.rounded(.down)))
                let settings = try AuditConfig.load(config)
                let text = try WaiverEntry.yaml(
                    .init(
                        report: report, key: key, reason: reason, owner: owner, approvedBy: approvedBy, expires: expires, now: clock,
                        maxDays: settings.maxWaiverDays ?? AuditConfig.defaultMaxWaiverDays))
                try target.write(text)
                return 0
            }
        }
    }
}
