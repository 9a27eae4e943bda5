import AccessAuditKit
import ArgumentParser
import Foundation

/// `--history-dir DIR [--keep N]`: the nightly run keeps its own dated reports and compares with
/// the last one, so no script has to find "yesterday's" file.
struct NightlyOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Keep each run's JSON report in this directory (access-audit-YYYY-MM-DDTHHMMSSZ.json, by the audit's clock) and use the newest earlier one as the baseline (none on the first night: every finding is new).",
            valueName: "dir"))
    var historyDir: String?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("With --history-dir: after writing, delete all but the newest N reports there.", valueName: "n"))
    var keep: Int?

    func validate(baseline: String?) throws {
        if historyDir != nil, baseline != nil {
            throw ValidationError("--history-dir finds the baseline itself: give --history-dir or --baseline, not both.")
        }
        if let keep {
            guard historyDir != nil else { throw ValidationError("--keep needs --history-dir.") }
            guard keep >= 1 else { throw ValidationError("--keep must be 1 or more (the report just written is kept).") }
        }
    }

    /// The history of a run at `clock`: where it writes, and the baseline it compares with.
    struct Run {
        var history: ReportHistory
        var path: String
        var baseline: Baseline
        var baselinePath: String?
    }

    func run(at clock: Timestamp) throws -> Run? {
        guard let historyDir else { return nil }
        let history = ReportHistory(directory: historyDir)
        let (baseline, path) = try history.previous(before: clock)
        return Run(history: history, path: history.path(for: clock), baseline: baseline, baselinePath: path)
    }

    /// The settings `--print-config` and `run.settings` show.
    func settings(_ run: Run?) -> [(String, String)] {
        guard let run else { return [] }
        var settings = [("history_dir", run.history.directory), ("history_baseline", run.baselinePath ?? "none (first night)")]
        if let keep { settings.append(("keep", String(keep))) }
        return settings
    }
}
