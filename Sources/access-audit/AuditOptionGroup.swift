import AccessAuditKit
import ArgumentParser
import Foundation

/// The options every auditing command shares: clock, thresholds, format, output.
struct ReportOptions: ParsableArguments {
    @Option(help: "The audit's clock, as a contract timestamp (default: the current UTC time).")
    var now: Timestamp?

    @Option(help: ArgumentHelp("Fail (exit 1) when a finding is at or above this severity.", valueName: "severity"))
    var failOn: FailThreshold = .high

    @Option(help: "Report format.")
    var format: ReportFormat = .text

    @Option(help: ArgumentHelp("Write the report to this file (atomically) instead of standard output.", valueName: "file"))
    var output: String?

    /// `--now`, or the current time to the second.
    var clock: Timestamp {
        now ?? Timestamp(seconds: Int64(Date().timeIntervalSince1970.rounded(.down)))
    }

    /// Colour only for a terminal on standard output, and never when NO_COLOR is set.
    var colour: Bool {
        output == nil && format == .text && isatty(STDOUT_FILENO) == 1
            && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }

    /// Renders and writes `report`, and returns the contract's exit status for it.
    func emit(_ report: AuditReport) throws -> Int32 {
        let context = RenderContext(failOn: failOn, colour: colour)
        try ReportOutput.write(format.renderer.render(report, context: context), to: output)
        return report.exitStatus(failOn: failOn)
    }
}

/// Runs a command body and maps its outcome to the exit status, in one place: a returned status
/// as is, an `AuditError` as one line on standard error and status 2.
func runMappingErrors(_ body: () throws -> Int32) throws {
    let status: Int32
    do {
        status = try body()
    } catch let error as AuditError {
        let line = Escaping.terminal(error.errorDescription ?? "\(error)")
        FileHandle.standardError.write(Data("access-audit: error: \(line)\n".utf8))
        throw ExitCode(2)
    } catch let error as SQLiteError {
        FileHandle.standardError.write(Data("access-audit: error: \(Escaping.terminal(error.description))\n".utf8))
        throw ExitCode(2)
    }
    if status != 0 { throw ExitCode(status) }
}
