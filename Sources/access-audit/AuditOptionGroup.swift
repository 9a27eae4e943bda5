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

    @OptionGroup var output: OutputOptions

    /// Renders and writes `report`, and returns the contract's exit status for it.
    func emit(_ report: AuditReport) throws -> Int32 {
        let context = RenderContext(failOn: failOn, colour: output.colour)
        try ReportOutput.write(to: output.output) { try output.format.renderer.render(report, context: context, to: &$0) }
        return report.exitStatus(failOn: failOn)
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
