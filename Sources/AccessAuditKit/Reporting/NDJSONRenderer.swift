/// One JSON object per line, for log pipelines. The first line (`"record": "run"`) states the
/// run: `schema_version`, `command`, `database`, `now`, the configuration, the notes and the
/// summary (as in the `json` format); then one line per finding (`"record": "finding"`): the
/// finding's JSON object plus the run's `schema_version`, `command`, `database` and `now`, so
/// every line stands alone.
public struct NDJSONRenderer: ReportRenderer {
    public init() {}

    public func render(_ report: AuditReport, context: RenderContext, to sink: inout ReportSink) throws {
        let run: [(String, JSONValue)] = [
            ("schema_version", .int(JSONRenderer.schemaVersion)), ("command", .string(report.command)),
            ("database", .string(report.database)), ("now", .string(report.now.description)),
        ]
        let header: [(String, JSONValue)] = [
            ("record", .string("run")), ("configuration", JSONRenderer.configuration(report.configuration)),
            ("notes", .array(report.statements.map { .string($0) })), ("summary", JSONRenderer.summary(report, context: context)),
        ]
        JSONValue.object([header[0]] + run + header.dropFirst()).write(to: &sink, pretty: false, indent: 0)
        try sink.append("\n")
        for finding in report.findings {
            guard case .object(let members) = JSONRenderer.finding(finding) else { continue }
            JSONValue.object([("record", .string("finding"))] + run + members).write(to: &sink, pretty: false, indent: 0)
            try sink.append("\n")
        }
    }
}
