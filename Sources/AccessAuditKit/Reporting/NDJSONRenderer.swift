/// One finding per line, for log pipelines (the run's metadata is in the JSON format): each line is the finding's JSON object (as in the
/// `json` format) plus the run's `schema_version`, `command`, `database` and `now`, so every line
/// stands alone.
public struct NDJSONRenderer: ReportRenderer {
    public init() {}

    public func render(_ report: AuditReport, context: RenderContext, to sink: inout ReportSink) throws {
        let run: [(String, JSONValue)] = [
            ("schema_version", .int(JSONRenderer.schemaVersion)), ("command", .string(report.command)),
            ("database", .string(report.database)), ("now", .string(report.now.description)),
        ]
        for finding in report.findings {
            guard case .object(let members) = JSONRenderer.finding(finding) else { continue }
            JSONValue.object(run + members).write(to: &sink, pretty: false, indent: 0)
            try sink.append("\n")
        }
    }
}
