/// `timeline` reports: each event of the account with what was in force right after it, marking
/// the moments the account went out of policy and came back; as text, JSON, or one table (CSV,
/// Markdown, HTML).
public enum TimelineRenderer {
    public static func render(_ report: TimelineReport, format: ReportFormat) -> String {
        switch format {
        case .json: json(report).serialized(pretty: true) + "\n"
        case .csv: document(report).csv()
        case .markdown: document(report).render(.markdown)
        case .html: document(report).render(.html)
        // The command line offers only `ReportFormat.historyFormats`; the others read as text.
        case .text, .ndjson, .junit: text(report)
        }
    }

    package static func json(_ report: TimelineReport) -> JSONValue {
        .object([
            ("schema_version", .int(JSONRenderer.schemaVersion)),
            ("command", .string("timeline")),
            ("database", .string(report.database)),
            ("account_id", .string(report.accountID)),
            ("username", .string(report.account?.username)),
            (
                "entries",
                .array(
                    report.entries.map { entry in
                        let event = entry.event
                        return .object([
                            ("occurred_at", .string(event.instant?.description ?? event.occurredAt)),
                            ("table", .string(event.log.rawValue)),
                            ("event_id", JSONRenderer.grantID(event.eventID)),
                            ("action", .string(event.action)),
                            ("grant_id", event.grantID.map(JSONRenderer.grantID) ?? .null),
                            ("level", .string(event.level)),
                            ("scope_org_id", .string(event.scopeOrgID)),
                            ("org_id", .string(event.orgID)),
                            ("status", .string(event.status)),
                            ("actor", .string(event.actor)),
                            ("approved_by", .string(event.approvedBy)),
                            ("expires_at", .string(event.expiresAt)),
                            ("note", .string(event.note)),
                            ("applied", .bool(entry.invalidReason == nil)),
                            ("invalid_reason", .string(entry.invalidReason)),
                            ("findings", .array(entry.findings.map(JSONRenderer.finding))),
                        ])
                    })
            ),
        ])
    }

    /// The title every human format starts with.
    static func title(_ report: TimelineReport) -> String {
        var title = "access-audit timeline of account \(report.accountID)"
        if let username = report.account?.username { title += " (\(username))" }
        return title + " in \(report.database)"
    }

    static func count(_ report: TimelineReport) -> String {
        "\(report.entries.count) event\(report.entries.count == 1 ? "" : "s")"
    }

    /// When the event happened: normalised when valid, else as stored.
    static func time(_ event: HistoryEvent) -> String {
        event.instant?.description ?? event.occurredAt ?? "NULL"
    }

    /// What the event set, as `level national scope P1 org CA1 status active` (raw values).
    static func change(_ event: HistoryEvent) -> [String] {
        [("level", event.level), ("scope", event.scopeOrgID), ("org", event.orgID), ("status", event.status)].compactMap { label, value in
            value.map { "\(label) \($0)" }
        }
    }

    /// Whether a grant event names an approver (a grant or a change: a revoke has none to name).
    static func namesApprover(_ event: HistoryEvent) -> Bool {
        event.log == .grantEvents && (event.action == "grant" || event.action == "change")
    }

    /// Each entry with the keys of the findings in force before it (to mark what is new, and
    /// when the account went out of policy and came back).
    static func steps(_ report: TimelineReport) -> [(entry: TimelineEntry, before: Set<String>)] {
        var before: Set<String> = []
        return report.entries.map { entry in
            defer { before = Set(entry.findings.map(\.key)) }
            return (entry, before)
        }
    }

    static func text(_ report: TimelineReport) -> String {
        let safe = Escaping.terminal
        var lines = [safe(title(report)), count(report), ""]
        for (entry, previous) in steps(report) {
            let event = entry.event
            var what: [String] = [event.action ?? "NULL"]
            if let grant = event.grantID { what.append("grant_id \(grant.description)") }
            what += change(event)
            var who: [String] = []
            if let actor = event.actor { who.append("by \(actor)") }
            if namesApprover(event) { who.append("approved by \(event.approvedBy ?? "(none)")") }
            lines.append(
                "\(safe(time(event)))  \(event.log.rawValue) #\(safe(event.eventID.description))  "
                    + "\(safe(what.joined(separator: " ")))  \(safe(who.joined(separator: ", ")))")
            if let note = event.note { lines.append("    note: \(safe(note))") }
            if let reason = entry.invalidReason {
                lines.append("    INVALID, skipped: \(safe(reason))")
            }
            if entry.findings.isEmpty {
                lines.append(previous.isEmpty ? "    in force: nothing" : "    in force: nothing (back within policy)")
            } else {
                let marker = previous.isEmpty ? " (out of policy)" : ""
                lines.append("    in force\(marker):")
                for finding in entry.findings {
                    let isNew = previous.contains(finding.key) ? "" : " NEW"
                    lines.append("      [\(finding.severity.rawValue.uppercased())]\(isNew) \(finding.rule): \(safe(finding.message))")
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: The timeline table (CSV, Markdown, HTML)

    /// The timeline table's columns: the event, what it changed, who did it, and what was in
    /// force on the account right after it.
    package static let columns = [
        "time", "table", "event_id", "action", "grant_id", "change", "actor", "approved_by", "note", "applied", "invalid_reason",
        "in_force_after",
    ]

    /// One entry as raw cells (each format escapes them); a NULL is an empty cell. `in_force_after`
    /// lists the findings as `NEW critical level-exceeds-policy (grant 1050)`, `NEW` marking those
    /// not in force before the event, or says `nothing` (`nothing (back within policy)`).
    static func row(_ entry: TimelineEntry, before: Set<String>) -> [String] {
        let event = entry.event
        var inForce = entry.findings.map { finding in
            (before.contains(finding.key) ? "" : "NEW ") + "\(finding.severity.rawValue) \(finding.rule)"
                + (finding.grantID.map { " (grant \($0))" } ?? "")
        }.joined(separator: "; ")
        if inForce.isEmpty { inForce = before.isEmpty ? "nothing" : "nothing (back within policy)" }
        return [
            time(event), event.log.rawValue, event.eventID.description, event.action ?? "",
            event.grantID.map { $0 == .null ? "" : $0.description } ?? "", change(event).joined(separator: " "), event.actor ?? "",
            namesApprover(event) ? event.approvedBy ?? "" : "", event.note ?? "", String(entry.invalidReason == nil),
            entry.invalidReason ?? "", inForce,
        ]
    }

    /// The report as one table, for `DossierDocument`'s CSV, Markdown and HTML.
    static func document(_ report: TimelineReport) -> DossierDocument {
        DossierDocument(
            title: title(report), meta: [count(report)],
            sections: [
                DossierDocument.Section(
                    title: "Events (\(report.entries.count))", header: columns, rows: steps(report).map { row($0.entry, before: $0.before) },
                    empty: "No events.")
            ])
    }
}
