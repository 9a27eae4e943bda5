/// RFC 4180 CSV, one finding a row, every field quoted and formula-neutralised
/// (`Escaping.csvField`), CRLF line ends.
public struct CSVRenderer: ReportRenderer {
    public init() {}

    public func render(_ report: AuditReport, context: RenderContext, to sink: inout ReportSink) throws {
        try sink.append(ReportColumns.headers.map(Escaping.csvField).joined(separator: ",") + "\r\n")
        for finding in report.findings {
            try sink.append(ReportColumns.row(finding).map(Escaping.csvField).joined(separator: ",") + "\r\n")
        }
    }
}
