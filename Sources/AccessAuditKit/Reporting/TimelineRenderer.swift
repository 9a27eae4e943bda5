/// `timeline` reports: each event of the account with what was in force right after it, marking
/// the moments the account went out of policy and came back.
public enum TimelineRenderer {
    public static func render(_ report: TimelineReport, format: ReportFormat) -> String {
        switch format {
        case .json: json(report).serialized(pretty: true) + "\n"
        // The command line offers only `ReportFormat.historyFormats`; the tabular ones read as text.
        case .text, .ndjson, .csv, .markdown, .html, .junit: text(report)
        }
    }

    public static func json(_ report: TimelineReport) -> JSONValue {
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

    static func text(_ report: TimelineReport) -> String {
        let safe = Escaping.terminal
        let account = report.account
        var title = "access-audit timeline of account \(safe(report.accountID))"
        if let username = account?.username { title += " (\(safe(username)))" }
        var lines = [title + " in \(safe(report.database))", "\(report.entries.count) event\(report.entries.count == 1 ? "" : "s")", ""]
        var previous: Set<String> = []
        for entry in report.entries {
            let event = entry.event
            var what: [String] = [event.action.map(safe) ?? "NULL"]
            if let grant = event.grantID { what.append("grant_id \(safe(grant.description))") }
            if let level = event.level { what.append("level \(safe(level))") }
            if let scope = event.scopeOrgID { what.append("scope \(safe(scope))") }
            if let org = event.orgID { what.append("org \(safe(org))") }
            if let status = event.status { what.append("status \(safe(status))") }
            var who: [String] = []
            if let actor = event.actor { who.append("by \(safe(actor))") }
            if event.log == .grantEvents, event.action == "grant" || event.action == "change" {
                who.append("approved by \(event.approvedBy.map(safe) ?? "(none)")")
            }
            let time = event.instant?.description ?? safe(event.occurredAt ?? "NULL")
            lines.append("\(time)  \(event.log.rawValue) #\(safe(event.eventID.description))  \(what.joined(separator: " "))  \(who.joined(separator: ", "))")
            if let note = event.note { lines.append("    note: \(safe(note))") }
            if let reason = entry.invalidReason {
                lines.append("    INVALID, skipped: \(safe(reason))")
            }
            let keys = Set(entry.findings.map(\.key))
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
            previous = keys
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
