/// The Prometheus text exposition format (version 0.0.4) for node_exporter's textfile collector
/// (`--metrics FILE`): what the last run found, how long it took, how much it read, and when it
/// last succeeded, so an alert can fire both on findings and on a nightly run that stopped running.
///
/// Written here rather than through swift-prometheus: its registry emits metric families in
/// Dictionary order, which changes from run to run, and a file people diff and a golden test need
/// a fixed order; the format needs no more than this file.
public enum MetricsRenderer {
    /// What the caller measured: the library reads no clock.
    public struct Run: Sendable {
        /// Seconds the run took.
        public var durationSeconds: Double
        /// When the run finished, in seconds since 1970 (UTC).
        public var finishedAt: Double

        public init(durationSeconds: Double, finishedAt: Double) {
            self.durationSeconds = durationSeconds
            self.finishedAt = finishedAt
        }
    }

    public static func render(_ report: AuditReport, context: RenderContext, run: Run) -> String {
        var out = ""
        func family(_ name: String, _ type: String, _ help: String, _ samples: [(labels: [(String, String)], value: String)]) {
            out += "# HELP access_audit_\(name) \(help)\n# TYPE access_audit_\(name) \(type)\n"
            for sample in samples {
                let labels = sample.labels.map { "\($0.0)=\"\(Escaping.prometheusLabel($0.1))\"" }.joined(separator: ",")
                out += "access_audit_\(name)\(labels.isEmpty ? "" : "{\(labels)}") \(sample.value)\n"
            }
        }
        let notChecked = Set(report.notChecked.map(\.rule))
        family(
            "info", "gauge", "The tool and the audited database of the last run (always 1).",
            [([("version", AccessAuditKit.version), ("command", report.command), ("database", report.database)], "1")])
        family(
            "findings", "gauge", "Findings of the last run by rule and severity (every rule that ran; waived findings included).",
            report.findingsByRule.map { ([("rule", $0.rule), ("severity", report.severity(ofRule: $0.rule).rawValue)], String($0.count)) })
        family(
            "findings_by_severity", "gauge", "Findings of the last run by severity.",
            report.findingsBySeverity.map { ([("severity", $0.severity.rawValue)], String($0.count)) })
        let counted = report.findings.count { report.counts($0, failOn: context.failOn, onlyNew: context.onlyNew) }
        family(
            "failing_findings", "gauge", "Findings that decided the verdict: unwaived, at or above fail_on (and new, with fail_on_new).",
            [([("fail_on", context.failOn.rawValue)], String(counted))])
        family("verdict_fail", "gauge", "1 when the last run failed (exit status 1), 0 when it passed.", [([], counted > 0 ? "1" : "0")])
        if report.resolved != nil {
            family(
                "new_findings", "gauge", "Findings not in the baseline report, by severity (only when there was a baseline).",
                Severity.allCases.reversed().map { severity in
                    ([("severity", severity.rawValue)], String(report.findings.count { $0.severity == severity && $0.change == .new }))
                })
            family("resolved_findings", "gauge", "Findings of the baseline report that are gone.", [([], String(report.resolved?.count ?? 0))])
        }
        family(
            "waived_findings", "gauge", "Findings waived by a waiver in force.", [([], String(report.findings.count { $0.waiver?.state == .waived }))])
        family(
            "rules_not_checked", "gauge", "Rules of the contract that did not run.", [([], String(notChecked.count))])
        family(
            "rows_read", "gauge", "Rows of the audited state the last run read, by table.",
            [([("table", "accounts")], String(report.accounts)), ([("table", "grants")], String(report.grants))])
        family("duration_seconds", "gauge", "How long the last run took.", [([], number(run.durationSeconds))])
        family(
            "last_success_timestamp_seconds", "gauge",
            "When a run last completed (exit 0 or 1); alert when it is older than a day and a bit.", [([], number(run.finishedAt))])
        return out
    }

    /// A sample value: integral values without a fraction, others to the millisecond.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "NaN" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        let millis = (value * 1000).rounded() / 1000
        return String(millis)
    }
}
