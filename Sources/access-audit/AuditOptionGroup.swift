import AccessAuditKit
import ArgumentParser
import Foundation

/// Where and how a report is written: every command that reports has these.
struct OutputOptions: ParsableArguments {
    @Option(help: "Report format.")
    var format: ReportFormat = .text

    @Option(help: ArgumentHelp("Write the report to this file (atomically) instead of standard output.", valueName: "file"))
    var output: String?

    /// Colour only for a terminal on standard output, and never when NO_COLOR is set.
    var colour: Bool {
        output == nil && format == .text && isatty(STDOUT_FILENO) == 1
            && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }

    func write(_ text: String) throws {
        try ReportOutput.write(text, to: output)
    }
}

/// The options of the auditing commands (`audit`, `replay`): threshold and output.
struct ReportOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Fail (exit 1) when a finding is at or above this severity.", valueName: "severity"))
    var failOn: FailThreshold = .high

    @Option(help: ArgumentHelp("A YAML file of waivers: accepted findings, each with reason, owner, approver and expiry.", valueName: "file"))
    var waivers: String?

    @Option(help: ArgumentHelp("A previous JSON report: mark findings new or persisting and list the resolved ones.", valueName: "previous.json"))
    var baseline: String?

    @Flag(help: "With --baseline: only new, unwaived findings decide the exit status.")
    var failOnNew = false

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if failOnNew, baseline == nil { throw ValidationError("--fail-on-new needs --baseline.") }
    }

    /// Applies waivers and the baseline, renders and writes `report`, and returns its exit status.
    func emit(_ report: AuditReport) throws -> Int32 {
        var report = report
        if let waivers { report.apply(waivers: try WaiverFile.load(waivers)) }
        if let baseline { report.compare(with: try Baseline.load(baseline)) }
        let context = RenderContext(failOn: failOn, colour: output.colour, onlyNew: failOnNew)
        try ReportOutput.write(to: output.output) { try output.format.renderer.render(report, context: context, to: &$0) }
        return report.exitStatus(failOn: failOn, onlyNew: failOnNew)
    }
}

/// Runs a command body and maps its outcome to the exit status, in one place: a returned status
/// as is, an `AuditError` or `SQLiteError` as one line on standard error and status 2.
func runMappingErrors(_ body: () throws -> Int32) throws {
    let status: Int32
    do {
        status = try body()
    } catch let error as AuditError {
        fail(error.errorDescription ?? "\(error)")
    } catch let error as SQLiteError {
        fail(error.description)
    }
    if status != 0 { throw ExitCode(status) }

    func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("access-audit: error: \(Escaping.terminal(message))\n".utf8))
        AccessAudit.exit(withError: ExitCode(2))
    }
}
