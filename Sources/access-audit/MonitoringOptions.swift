import AccessAuditKit
import ArgumentParser
import Foundation

/// `--metrics FILE`: the run's numbers for Prometheus (node_exporter's textfile collector).
struct MonitoringOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Write Prometheus metrics (text format, atomically) to this file, e.g. for node_exporter's textfile collector.",
            valueName: "file.prom"))
    var metrics: String?

    /// The metrics file, checked like every output before the audit runs.
    func target(inputs: [String], databases: [String]) throws -> OutputTarget? {
        try metrics.map { try OutputTarget($0, option: "--metrics", inputs: inputs, databases: databases) }
    }

    /// Stages the metrics of `report` (`OutputTarget.stage`); `started` is when the run began (the
    /// library reads no clock).
    static func stage(_ report: AuditReport, context: RenderContext, started: Date, to target: OutputTarget) throws -> OutputTarget.Staged {
        let finished = Date()
        let run = MetricsRenderer.Run(durationSeconds: finished.timeIntervalSince(started), finishedAt: finished.timeIntervalSince1970)
        return try target.stage(MetricsRenderer.render(report, context: context, run: run))
    }
}
