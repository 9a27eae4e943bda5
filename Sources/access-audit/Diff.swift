import AccessAuditKit
import ArgumentParser

extension AccessAudit {
    /// `access-audit diff OLD.json NEW.json`.
    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare two JSON reports: new, persisting and resolved findings (matched on keys).",
            discussion: "Exit status: 1 when a new finding is at or above --fail-on, 0 otherwise, 2 for an unusable report.")

        @Argument(help: ArgumentHelp("The earlier report (--format json).", valueName: "old.json"))
        var old: String

        @Argument(help: ArgumentHelp("The later report (--format json).", valueName: "new.json"))
        var new: String

        @Option(help: ArgumentHelp("Fail (exit 1) when a new finding is at or above this severity.", valueName: "severity"))
        var failOn: FailThreshold = .high

        @OptionGroup var output: HistoryOutputOptions<DiffFormat>

        func run() throws {
            try runMappingErrors {
                let (target, format) = try output.target(inputs: [old, new])
                let diff = ReportDiff(old: try Baseline.load(old), new: try Baseline.load(new))
                try target.write(diff.render(format: format, old: old, new: new))
                return diff.exitStatus(failOn: failOn)
            }
        }
    }
}
