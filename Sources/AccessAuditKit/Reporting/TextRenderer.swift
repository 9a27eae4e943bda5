/// The report for a person at a terminal: summary by severity and rule first, then each finding
/// saying what was expected and what was found, with the evidence. Every database value passes
/// through `Escaping.terminal`; colour only when the context asks for it.
public struct TextRenderer: ReportRenderer {
    public init() {}

    public func render(_ report: AuditReport, context: RenderContext, to sink: inout ReportSink) throws {
        let style = Style(enabled: context.colour)
        var lines: [String] = []
        let safe = Escaping.terminal
        lines.append(style.bold("access-audit \(report.command)") + " of \(safe(report.database)) at \(report.now)")
        lines.append(
            "\(report.accounts) account\(plural(report.accounts)), \(report.grants) grant\(plural(report.grants)), "
                + "\(report.findings.count) finding\(plural(report.findings.count))")
        if let metadata = report.metadata { lines.append(style.dim(safe(metadata.summary))) }
        for statement in report.statements { lines.append(style.dim("note: " + safe(statement))) }
        let waived = report.findings.count { $0.waiver?.state == .waived }
        if report.staleWaivers != nil {
            lines.append(
                "waivers: \(waived) finding\(plural(waived)) waived, \(report.findings.count { $0.waiver?.state == .expired }) expired, "
                    + "\(report.findings.count { $0.waiver?.state == .subjectChanged }) subject-changed, \(report.staleWaivers?.count ?? 0) stale")
        }
        if let resolved = report.resolved {
            lines.append(
                "baseline: \(report.findings.count { $0.change == .new }) new, \(report.findings.count { $0.change == .persisting }) persisting, "
                    + "\(resolved.count) resolved, \(report.findings.count(where: \.subjectChangedSinceBaseline)) new with a changed subject")
        }
        lines.append("")
        lines.append(style.bold("By severity"))
        for (severity, count) in report.findingsBySeverity {
            let row = "  " + pad(severity.rawValue, 10) + String(count)
            lines.append(count == 0 ? style.dim(row) : style.severity(severity, row))
        }
        lines.append("")
        lines.append(style.bold("By rule"))
        let width = (RuleRegistry.ids.map(\.count).max() ?? 0) + 2
        for (rule, count) in report.findingsByRule {
            let severity = RuleRegistry.description(of: rule)?.severity.rawValue ?? ""
            let row = "  " + pad(rule, width) + pad(severity, 10) + String(count)
            lines.append(count == 0 ? style.dim(row) : row)
        }
        for (rule, why) in report.notChecked {
            let severity = RuleRegistry.description(of: rule)?.severity.rawValue ?? ""
            lines.append(style.dim("  " + pad(rule, width) + pad(severity, 10) + "not checked: " + safe(why)))
        }
        if !report.findings.isEmpty {
            lines.append("")
            lines.append(style.bold("Findings"))
        }
        for finding in report.findings {
            lines.append("")
            lines.append(contentsOf: render(finding, now: report.now, style: style))
        }
        for waiver in report.staleWaivers ?? [] {
            lines.append("")
            lines.append(style.dim("[STALE WAIVER] line \(waiver.line): matches no finding: ") + safe(waiver.key ?? [waiver.rule, waiver.accountID, waiver.grantID].compactMap { $0 }.joined(separator: " ")))
        }
        for finding in report.resolved ?? [] {
            lines.append("")
            lines.append(style.good("[RESOLVED] ") + safe(finding.key) + "  " + safe(finding.message))
        }
        lines.append("")
        let failing = report.findings.count { report.counts($0, failOn: context.failOn, onlyNew: context.onlyNew) }
        if let threshold = context.failOn.severity {
            let verdict = failing == 0 ? style.good("PASS") : style.severity(.critical, "FAIL")
            lines.append(
                "\(verdict): \(failing) \(context.onlyNew ? "new " : "")\(waived > 0 ? "unwaived " : "")finding\(plural(failing)) at or above \(threshold.rawValue) (--fail-on \(threshold.rawValue)\(context.onlyNew ? ", --fail-on-new" : ""))")
        } else {
            lines.append("PASS: --fail-on none")
        }
        for line in lines { try sink.append(line + "\n") }
    }

    private func render(_ finding: Finding, now: Timestamp, style: Style) -> [String] {
        let safe = Escaping.terminal
        var subject: [String] = []
        if let table = finding.table, let event = finding.eventID {
            subject.append("event \(table) #\(safe(event.description))")
        }
        if let grant = finding.grantID { subject.append("grant \(safe(grant.description))") }
        if let account = finding.accountID {
            let username = finding.evidence["username"].map { " (\(safe($0)))" } ?? ""
            subject.append("account \(safe(account))\(username)")
        }
        if let org = finding.orgID { subject.append("org \(safe(org))") }
        if let orgType = finding.orgType, finding.grantID == nil, finding.accountID == nil {
            subject.append("org type \(safe(orgType))")
        }
        let marks = (finding.change == .new ? (finding.subjectChangedSinceBaseline ? "[NEW: SUBJECT CHANGED] " : "[NEW] ") : "") + (finding.waiver?.state == .waived ? "[WAIVED] " : "")
        var lines = [
            style.severity(finding.severity, "[\(finding.severity.rawValue.uppercased())]") + " " + marks
                + style.bold(finding.rule) + (subject.isEmpty ? "" : "  " + subject.joined(separator: ", ")),
            "  " + safe(finding.message),
            "  -> " + safe(finding.action),
        ]
        if let history = finding.history { lines.append("  " + history.summary(at: now)) }
        let labelWidth = (finding.evidence.items.map(\.label.count).max() ?? 0) + 2
        for item in finding.evidence.items {
            lines.append("  " + style.dim(pad(item.label + ":", labelWidth)) + safe(item.value))
        }
        if let waiver = finding.waiver { lines.append("  " + pad("waiver:", labelWidth) + safe(waiver.summary)) }
        lines.append("  " + style.dim(pad("key:", labelWidth) + safe(finding.key)))
        return lines
    }

    private func plural(_ count: Int) -> String { count == 1 ? "" : "s" }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    /// ANSI styling that is a no-op when disabled.
    struct Style {
        let enabled: Bool

        func wrap(_ code: String, _ text: String) -> String {
            enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
        }

        func bold(_ text: String) -> String { wrap("1", text) }
        func dim(_ text: String) -> String { wrap("2", text) }
        func good(_ text: String) -> String { wrap("32", text) }

        func severity(_ severity: Severity, _ text: String) -> String {
            switch severity {
            case .critical: wrap("1;31", text)
            case .high: wrap("31", text)
            case .medium: wrap("33", text)
            case .low: wrap("36", text)
            case .info: wrap("2", text)
            }
        }
    }
}
