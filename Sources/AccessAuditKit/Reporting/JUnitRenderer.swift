/// JUnit XML for CI test reports (GitLab's `artifacts:reports:junit`, Jenkins' `junit` step):
/// one testcase per rule of the contract. A rule fails when it has a finding that decides the
/// verdict (unwaived, at or above `--fail-on`, and new under `--fail-on-new`); its one `<failure>`
/// lists every such finding with its key and evidence. One failure element per testcase, because
/// that is what the JUnit schema allows and what Jenkins and GitLab read (both take the first).
/// The other findings of the rule are in `<system-out>`; a rule that did not run is `<skipped>`.
/// Every database value goes through `Escaping.xml`.
public struct JUnitRenderer: ReportRenderer {
    public init() {}

    public func render(_ report: AuditReport, context: RenderContext, to sink: inout ReportSink) throws {
        let xml = Escaping.xml
        var byRule: [String: [Finding]] = [:]
        for finding in report.findings { byRule[finding.rule, default: []].append(finding) }
        let notChecked = Dictionary(report.notChecked.map { ($0.rule, $0.why) }) { first, _ in first }
        let failing = Set(report.findings.filter { report.counts($0, failOn: context.failOn, onlyNew: context.onlyNew) }.map(\.rule))
        let total = RuleRegistry.ids.count
        let counts = "tests=\"\(total)\" failures=\"\(failing.count)\" errors=\"0\" skipped=\"\(notChecked.count)\""
        try sink.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        try sink.append("<testsuites name=\"access-audit\" \(counts)>\n")
        try sink.append(
            "  <testsuite name=\"access-audit \(xml(report.command)) of \(xml(report.database))\" \(counts) timestamp=\"\(report.now)\">\n")
        try sink.append("    <properties>\n")
        var properties: [(String, String)] = [
            ("database", report.database), ("now", report.now.description), ("fail_on", context.failOn.rawValue),
            ("fail_on_new", String(context.onlyNew)), ("verdict", report.verdict(failOn: context.failOn, onlyNew: context.onlyNew)),
            ("accounts", String(report.accounts)), ("grants", String(report.grants)),
        ]
        properties += report.statements.map { ("note", $0) }
        for (name, value) in properties {
            try sink.append("      <property name=\"\(name)\" value=\"\(xml(value))\"/>\n")
        }
        try sink.append("    </properties>\n")
        for rule in RuleRegistry.ids {
            let severity = report.severity(ofRule: rule)
            try sink.append("    <testcase classname=\"access-audit.\(xml(report.command))\" name=\"\(rule) (\(severity.rawValue))\">\n")
            let findings = byRule[rule] ?? []
            let counted = findings.filter { report.counts($0, failOn: context.failOn, onlyNew: context.onlyNew) }
            if let why = notChecked[rule] {
                try sink.append("      <skipped message=\"not checked: \(xml(why))\"/>\n")
            } else if !counted.isEmpty {
                let what = context.onlyNew ? "new finding" : "finding"
                let message = "\(counted.count) \(what)\(counted.count == 1 ? "" : "s") at or above \(context.failOn.rawValue)"
                try sink.append("      <failure type=\"\(severity.rawValue)\" message=\"\(message)\">")
                try sink.append(counted.map(JUnitRenderer.describe).joined(separator: "\n\n"))
                try sink.append("</failure>\n")
            }
            let others = findings.filter { finding in !counted.contains { $0.key == finding.key } }
            if !others.isEmpty {
                try sink.append("      <system-out>")
                try sink.append(others.map(JUnitRenderer.describe).joined(separator: "\n\n"))
                try sink.append("</system-out>\n")
            }
            try sink.append("    </testcase>\n")
            try sink.flushIfFull()
        }
        try sink.append("  </testsuite>\n</testsuites>\n")
    }

    /// A finding as escaped lines: severity, rule and message; key; waiver and baseline; evidence.
    static func describe(_ finding: Finding) -> String {
        let xml = Escaping.xml
        var lines = ["[\(finding.severity.rawValue.uppercased())] \(xml(finding.message))", "  key: \(xml(finding.key))"]
        if let waiver = finding.waiver { lines.append("  waiver: \(xml(waiver.summary))") }
        if let change = finding.change { lines.append("  baseline: \(change.rawValue)") }
        for item in finding.evidence.items { lines.append("  \(xml(item.label)): \(xml(item.value))") }
        return lines.joined(separator: "\n")
    }
}
