/// A Markdown report for tickets and wikis: summary tables, then one table of findings; every
/// database value through `Escaping.markdownCell`.
public struct MarkdownRenderer: ReportRenderer {
    public init() {}

    public func render(_ report: AuditReport, context: RenderContext, to sink: inout ReportSink) throws {
        let cell = Escaping.markdownCell
        try sink.append("# access-audit \(report.command): \(cell(report.database))\n\n")
        try sink.append(
            "Audited at \(report.now): \(report.accounts) accounts, \(report.grants) grants, \(report.findings.count) findings.\n\n")
        if let metadata = report.metadata { try sink.append("_\(cell(metadata.summary))_\n\n") }
        for statement in report.statements { try sink.append("> \(cell(statement))\n\n") }
        try sink.append("| severity | findings |\n|---|---:|\n")
        for (severity, count) in report.findingsBySeverity { try sink.append("| \(severity.rawValue) | \(count) |\n") }
        try sink.append("\n| rule | severity | findings |\n|---|---|---:|\n")
        for (rule, count) in report.findingsByRule {
            try sink.append("| `\(rule)` | \(RuleRegistry.description(of: rule)?.severity.rawValue ?? "") | \(count) |\n")
        }
        for (rule, why) in report.notChecked {
            try sink.append("| `\(rule)` | \(RuleRegistry.description(of: rule)?.severity.rawValue ?? "") | not checked: \(cell(why)) |\n")
        }
        guard !report.findings.isEmpty else { return try sink.append("\nNo findings.\n") }
        let all = ReportColumns.headers(report)
        let headers = all.filter { $0 != "evidence" && $0 != "key" }
        try sink.append("\n## Findings\n\n| " + headers.joined(separator: " | ") + " |\n|" + String(repeating: "---|", count: headers.count) + "\n")
        for finding in report.findings {
            let row = ReportColumns.row(finding, in: report)
            let cells = zip(all, row).filter { headers.contains($0.0) }.map { cell($0.1) }
            try sink.append("| " + cells.joined(separator: " | ") + " |\n")
            try sink.flushIfFull()
        }
    }
}
