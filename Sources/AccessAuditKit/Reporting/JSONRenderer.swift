/// CONTRACT.md §5: one object, findings in the audit's deterministic order.
public struct JSONRenderer: ReportRenderer {
    public init() {}

    public static let schemaVersion: Int64 = 1

    /// Streams the document: the header members, then one finding at a time, so a report with a
    /// hundred thousand findings is never built as one value.
    public func render(_ report: AuditReport, context: RenderContext, to sink: inout ReportSink) throws {
        let header: [(String, JSONValue)] = [
            ("schema_version", .int(JSONRenderer.schemaVersion)),
            ("command", .string(report.command)),
            ("database", .string(report.database)),
            ("now", .string(report.now.description)),
            ("configuration", JSONRenderer.configuration(report.configuration)),
            ("notes", .array(report.statements.map { .string($0) })),
            ("summary", JSONRenderer.summary(report, context: context)),
        ]
        try sink.append("{")
        for (key, value) in header {
            try sink.append("\n  " + Escaping.jsonString(key) + ": ")
            value.write(to: &sink, pretty: true, indent: 1)
            try sink.append(",")
        }
        try sink.append(report.findings.isEmpty ? "\n  \"findings\": []" : "\n  \"findings\": [")
        for (index, finding) in report.findings.enumerated() {
            try sink.append(index == 0 ? "\n    " : ",\n    ")
            JSONRenderer.finding(finding).write(to: &sink, pretty: true, indent: 2)
            try sink.flushIfFull()
        }
        try sink.append(report.findings.isEmpty ? "" : "\n  ]")
        // Beyond the contract's six members: `run` (versions, fingerprints, settings), and
        // `stale_waivers` / `resolved` only when --waivers / --baseline were given.
        if let metadata = report.metadata {
            try sink.append(",\n  \"run\": ")
            metadata.json.write(to: &sink, pretty: true, indent: 1)
        }
        if let stale = report.staleWaivers {
            try sink.append(",\n  \"stale_waivers\": ")
            JSONValue.array(stale.map(JSONRenderer.waiver)).write(to: &sink, pretty: true, indent: 1)
        }
        if let resolved = report.resolved {
            // One entry at a time, like the findings: a baseline's resolved list can be as long as it.
            try sink.append(resolved.isEmpty ? ",\n  \"resolved\": []" : ",\n  \"resolved\": [")
            for (index, finding) in resolved.enumerated() {
                try sink.append(index == 0 ? "\n    " : ",\n    ")
                JSONRenderer.resolved(finding).write(to: &sink, pretty: true, indent: 2)
                try sink.flushIfFull()
            }
            try sink.append(resolved.isEmpty ? "" : "\n  ]")
        }
        try sink.append("\n}\n")
    }

    /// CONTRACT.md §5 `summary`: counts of what ran, what did not run and why, and the verdict.
    static func summary(_ report: AuditReport, context: RenderContext) -> JSONValue {
        .object([
            ("accounts", .int(Int64(report.accounts))),
            ("grants", .int(Int64(report.grants))),
            ("findings_by_rule", .object(report.findingsByRule.map { ($0.rule, .int(Int64($0.count))) })),
            ("not_checked", .object(report.notChecked.map { ($0.rule, .string($0.why)) })),
            ("findings_by_severity", .object(report.findingsBySeverity.map { ($0.severity.rawValue, .int(Int64($0.count))) })),
            ("verdict", .string(report.verdict(failOn: context.failOn, onlyNew: context.onlyNew))),
            ("fail_on", .string(context.failOn.rawValue)),
            ("fail_on_new", .bool(context.onlyNew)),
        ])
    }

    /// The configuration file used, its disabled rules and severity overrides.
    static func configuration(_ statement: ConfigurationStatement) -> JSONValue {
        .object([
            ("file", .string(statement.path)),
            ("disabled_rules", .array(statement.disabledRules.map { .string($0) })),
            ("severity_overrides", .object(statement.severityOverrides.map { ($0.rule, .string($0.severity.rawValue)) })),
        ])
    }

    /// One finding: the contract's fields, its rule-specific fields when set, then `evidence`.
    package static func finding(_ finding: Finding) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("rule", .string(finding.rule)),
            ("severity", .string(finding.severity.rawValue)),
            ("account_id", .string(finding.accountID)),
            ("grant_id", finding.grantID.map(grantID) ?? .null),
            ("org_id", .string(finding.orgID)),
            ("message", .string(finding.message)),
            ("key", .string(finding.key)),
        ]
        if let reason = finding.reason { members.append(("reason", .string(reason))) }
        if let column = finding.column { members.append(("column", .string(column))) }
        if let eventID = finding.eventID { members.append(("event_id", grantID(eventID))) }
        if finding.rule == RuleRegistry.id(of: InvalidPolicy.self) || finding.orgType != nil {
            members.append(("org_type", .string(finding.orgType)))
        }
        if let table = finding.table { members.append(("table", .string(table))) }
        // Beyond the contract: what the finding is about, for waivers and baselines.
        members.append(("subject", FindingSubject(finding).json))
        members.append(("evidence", .object(finding.evidence.items.map { ($0.label, .string($0.value)) })))
        if let status = finding.waiver {
            guard case .object(let fields) = waiver(status.waiver) else { return .object(members) }
            members.append(("waiver", .object([("status", .string(status.state.rawValue))] + fields)))
        }
        if let change = finding.change { members.append(("baseline", .string(change.rawValue))) }
        if finding.subjectChangedSinceBaseline { members.append(("baseline_subject_changed", .bool(true))) }
        if let history = finding.history {
            members += [("first_seen", .string(history.firstSeen.description)), ("runs_seen", .int(Int64(history.runsSeen)))]
        }
        return .object(members)
    }

    static func waiver(_ waiver: Waiver) -> JSONValue {
        .object([
            ("line", .int(Int64(waiver.line))), ("key", .string(waiver.key)), ("rule", .string(waiver.rule)),
            ("account_id", .string(waiver.accountID)), ("grant_id", waiverGrantID(waiver.grantID)), ("reason", .string(waiver.reason)),
            ("owner", .string(waiver.owner)), ("approved_by", .string(waiver.approvedBy)), ("expires", .string(waiver.expires.description)),
            ("subject", waiver.subject?.json ?? .null),
        ])
    }

    static func resolved(_ finding: BaselineFinding) -> JSONValue {
        .object([
            ("key", .string(finding.key)), ("rule", .string(finding.rule)), ("severity", .string(finding.severity?.rawValue)),
            ("account_id", .string(finding.accountID)), ("grant_id", waiverGrantID(finding.grantID)), ("message", .string(finding.message)),
        ] + (finding.subject.map { [("subject", $0.json)] } ?? []))
    }

    /// A `grant_id` read back as text (a waivers file, a saved report): an integer when written
    /// canonically (`1051`), as a finding of that grant gives it; else the text as written.
    static func waiverGrantID(_ text: String?) -> JSONValue {
        guard let text else { return .null }
        return grantID(GrantID(text: text))
    }

    static func grantID(_ id: GrantID) -> JSONValue {
        switch id {
        case .null: .null
        case .integer(let value): .int(value)
        case .real(_, let text), .text(let text): .string(text)
        }
    }
}
