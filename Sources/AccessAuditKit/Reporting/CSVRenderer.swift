/// RFC 4180 CSV, one finding a row, every field quoted and formula-neutralised
/// (`Escaping.csvField`), CRLF line ends. Lines starting with `#` come first: the run, its
/// verdict and what shaped it (configuration, disabled rules, overrides, rules not checked), as
/// every format states them at its top; read the table with a comment character of `#`.
///
/// The file starts with a UTF-8 byte order mark (U+FEFF), so Excel and LibreOffice open names
/// like "Siân" as UTF-8 rather than in the system's legacy code page. The mark comes before the
/// first `#` line: a reader that skips comment lines decodes as UTF-8 with BOM (Python's
/// `utf-8-sig`) or strips a leading U+FEFF first (`CSVRenderer.byteOrderMark`).
public struct CSVRenderer: ReportRenderer {
    /// What the file starts with.
    package static let byteOrderMark = "\u{FEFF}"

    public init() {}

    public func render(_ report: AuditReport, context: RenderContext, to sink: inout ReportSink) throws {
        let verdict = report.verdict(failOn: context.failOn, onlyNew: context.onlyNew).uppercased()
        let run = "access-audit \(report.command) of \(report.database) at \(report.now): \(verdict) (--fail-on \(context.failOn.rawValue))"
        try sink.append(CSVRenderer.byteOrderMark)
        for line in [run] + report.statements {
            try sink.append(CSVRenderer.comment(line))
        }
        try sink.append(CSVRenderer.record(ReportColumns.headers(report)))
        for finding in report.findings {
            try sink.append(CSVRenderer.record(ReportColumns.row(finding, in: report)))
        }
    }

    /// One record: every field through `Escaping.csvField`, comma-separated, CRLF-terminated.
    static func record(_ fields: [String]) -> String {
        fields.map(Escaping.csvField).joined(separator: ",") + "\r\n"
    }

    /// A `#` line above the table, shown as on a terminal (so it stays one line), with no quote
    /// or comma (`Escaping.csvComment`), so a spreadsheet keeps it in one cell.
    static func comment(_ text: String) -> String {
        "# " + Escaping.csvComment(text) + "\r\n"
    }
}
