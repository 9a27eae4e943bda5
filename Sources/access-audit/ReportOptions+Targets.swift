import AccessAuditKit
import ArgumentParser
import Foundation

/// Every file a report run writes, planned and checked before the audit reads anything: the
/// `--output` reports (several, each in its extension's format), the `--history-dir` report,
/// the remediation script and the metrics.
extension ReportOptions {
    struct Targets {
        /// Each report and its format (standard output when no `--output` names a file).
        var reports: [(format: ReportFormat, target: OutputTarget)]
        var history: OutputTarget?
        var remediation: OutputTarget?
        var metrics: [OutputTarget]
    }

    /// With one `--output` and no `--format`: the format its extension names, if any.
    var singleOutputFormat: ReportFormat? {
        guard output.output.count == 1, let path = output.output.first, case .report(let format)? = OutputKind(path: path) else {
            return nil
        }
        return format
    }

    /// Several `--output`: each must name its format by its extension (`-` takes `--format`).
    func validateOutputs() throws {
        let outputs = output.output
        if outputs.count(where: { $0 == "-" }) > 1 { throw ValidationError("--output - (standard output) may be given once.") }
        guard outputs.count > 1 else { return }
        for path in outputs where path != "-" && OutputKind(path: path) == nil {
            throw ValidationError(
                "--output \(path): with several --output, each file's format comes from its extension: \(OutputKind.extensions).")
        }
    }

    func targets(_ effective: Effective, source: SourceOptions) throws -> Targets {
        let inputs = [source.map, waivers, baseline, effective.config.path, effective.nightly?.baselinePath].compactMap { $0 }
        let databases = [source.database]
        func target(_ path: String?, _ option: String, followsLinks: Bool = true) throws -> OutputTarget {
            try OutputTarget(path, option: option, inputs: inputs, databases: databases, followsLinks: followsLinks)
        }
        var reports: [(format: ReportFormat, target: OutputTarget)] = []
        var metrics = try monitoring.metrics.map { [try target($0, "--metrics")] } ?? []
        let several = output.output.count > 1
        for path in output.output.isEmpty ? ["-"] : output.output {
            let kind: OutputKind?
            if path == "-" {
                kind = .report(effective.format)
            } else if several {
                kind = OutputKind(path: path)
            } else {
                // One file: --format (or the config's) decides, except that a .prom file without
                // --format is metrics.
                kind = output.format == nil && OutputKind(path: path) == .metrics ? .metrics : .report(effective.format)
            }
            switch kind {
            case .report(let format)?: reports.append((format, try target(path, "--output")))
            case .metrics?: metrics.append(try target(path, "--output"))
            case nil: throw ValidationError("--output \(path): unknown extension (\(OutputKind.extensions)).")
            }
        }
        let history = try effective.nightly.map { try target($0.path, "--history-dir", followsLinks: false) }
        let remediation = try remediationSQL.map { try target($0, "--remediation-sql") }
        let all = reports.map(\.target) + [history, remediation].compactMap { $0 } + metrics
        for (index, first) in all.enumerated() {
            for second in all[(index + 1)...] where first.collides(with: second) {
                throw AuditError.output(second.path ?? "-", "two outputs name the same file (or both standard output)")
            }
        }
        return Targets(reports: reports, history: history, remediation: remediation, metrics: metrics)
    }

    /// Writes every target from the one report so that a failure is harmless: each file is first
    /// written in full beside its target (`OutputTarget.stage`), standard output after the files,
    /// and only then put in place, in the order reports, remediation script (none without its
    /// report), metrics, history report. So a run that cannot write one of its outputs (a missing
    /// directory, a full disk) exits 2 with none of them changed: above all no history report,
    /// which the next night would take as its baseline, its new findings counted as persisting
    /// (`NightlyFailureCLITests.failedRunLeavesNoHistory`). `--keep`'s pruning comes last, and a report
    /// it cannot delete is a warning, not a failed run: the audit's verdict stands.
    func write(_ report: AuditReport, context: RenderContext, to targets: Targets, nightly: NightlyOptions.Run?, started: Date) throws {
        func render(_ format: ReportFormat, _ target: OutputTarget) throws -> OutputTarget.Staged {
            var context = context
            context.colour = OutputOptions.colour(format, target)
            return try target.stage { try format.renderer.render(report, context: context, to: &$0) }
        }
        var staged = try targets.reports.filter { !$0.target.isStandardOutput }.map { try render($0.format, $0.target) }
        if let remediation = targets.remediation { staged.append(try remediation.stage(RemediationSQL.script(for: report, actor: actor ?? ""))) }
        staged += try targets.metrics.map { try MonitoringOptions.stage(report, context: context, started: started, to: $0) }
        if let history = targets.history, nightly != nil {
            staged.append(try history.stage { try JSONRenderer().render(report, context: context, to: &$0) })
        }
        for (format, target) in targets.reports where target.isStandardOutput { _ = try render(format, target) }
        for file in staged { try file.commit() }
        if targets.history != nil, let nightly, let keep = self.nightly.keep {
            do {
                _ = try nightly.history.prune(keep: keep, sparing: nightly.path)
            } catch {
                let message = (error as? AuditError)?.errorDescription ?? error.localizedDescription
                StandardError.write("access-audit: warning: \(Escaping.terminal(message)); the run's outputs are written\n")
            }
        }
    }
}
