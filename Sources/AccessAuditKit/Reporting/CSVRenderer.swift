/// RFC 4180 CSV, one finding a row, every field quoted and formula-neutralised
/// (`Escaping.csvField`), CRLF line ends. Lines starting with `#` come first: the run, its
/// verdict and what shaped it (configuration, disabled rules, overrides, rules not checked), as
/// every format states them at its top; read the table with a comment character of `#`.
public struct CSVRenderer: ReportRenderer {
    public init() {}

    public func render(_ report: AuditReport, context: RenderContext, to sink: inout ReportSink) throws {
        let verdict = report.verdict(failOn: context.failOn, onlyNew: context.onlyNew).uppercased()
        let run = "access-audit \(report.command) of \(report.database) at \(report.now): \(verdict) (--fail-on \(context.failOn.rawValue))"
        for line in [run] + report.statements {
            try sink.append("# " + Escaping.terminal(line) + "\r\n")
        }
        try sink.append(ReportColumns.headers.map(Escaping.csvField).joined(separator: ",") + "\r\n")
        for finding in report.findings {
            try sink.append(ReportColumns.row(finding).map(Escaping.csvField).joined(separator: ",") + "\r\n")
        }
    }
}
