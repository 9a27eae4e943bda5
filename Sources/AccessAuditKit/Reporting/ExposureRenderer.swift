/// `exposure` reports: the contract's JSON, a table a person can read on a terminal, or the
/// exposure table a reviewer pastes into a breach report (CSV, Markdown, HTML).
public enum ExposureRenderer {
    public static func render(_ report: ExposureReport, format: ReportFormat) -> String {
        switch format {
        case .json: json(report).serialized(pretty: true) + "\n"
        case .csv: document(report).csv()
        case .markdown: document(report).render(.markdown)
        case .html: document(report).render(.html)
        // The command line offers only `ReportFormat.historyFormats`; the others read as text.
        case .text, .ndjson, .junit: text(report)
        }
    }

    /// CONTRACT.md §5: `{"schema_version": 1, "intervals": [...]}`.
    package static func json(_ report: ExposureReport) -> JSONValue {
        .object([
            ("schema_version", .int(JSONRenderer.schemaVersion)),
            ("intervals", .array(report.intervals.map { .object(members($0)) })),
        ])
    }

    /// One interval's members, exactly the contract's (CONTRACT.md §5), in its order.
    static func members(_ interval: ExposureInterval) -> [(String, JSONValue)] {
        [
            ("rule", .string(interval.rule)),
            ("grant_id", JSONRenderer.grantID(interval.grantID)),
            ("account_id", .string(interval.accountID)),
            ("org_id", .string(interval.orgID)),
            ("level", .string(interval.level)),
            ("start", .string(interval.start.description)),
            ("end", .string(interval.end.description)),
            ("ongoing", .bool(interval.ongoing)),
            ("clipped", .bool(interval.clipped)),
            ("granted_by", .string(interval.grantedBy)),
            ("approved_by", .string(interval.approvedBy)),
            ("ended_by", interval.ongoing ? .null : .string(interval.endedBy)),
        ]
    }

    /// The first lines of every human format: what was read and how many intervals it gave.
    static func heading(_ report: ExposureReport) -> (title: String, summary: String) {
        (
            "access-audit exposure of \(report.database): \(report.rule) from \(report.from) to \(report.to)",
            "\(report.intervals.count) interval\(report.intervals.count == 1 ? "" : "s")"
                + (report.invalidEvents > 0 ? "; \(report.invalidEvents) invalid event(s) skipped" : "")
        )
    }

    static func text(_ report: ExposureReport) -> String {
        let safe = Escaping.terminal
        let (title, summary) = heading(report)
        var lines = [safe(title), summary]
        guard !report.intervals.isEmpty else { return lines.joined(separator: "\n") + "\n" }
        let header = ["grant", "account", "username", "org", "level", "start", "end", "duration", "granted by", "approved by", "ended by"]
        let rows = report.intervals.map { interval -> [String] in
            let ended: String
            if interval.ongoing {
                ended = "-"
            } else {
                ended = [interval.endedByAction, interval.endedBy].compactMap { $0 }.joined(separator: " by ")
            }
            return [
                interval.grantID.description, interval.accountID ?? "NULL", interval.username ?? "", interval.orgID ?? "NULL",
                interval.level ?? "NULL", interval.start.description + (interval.clipped ? " (clipped)" : ""),
                interval.ongoing ? "ongoing" : interval.end.description,
                duration(interval.seconds), interval.grantedBy ?? "", interval.approvedBy ?? "(none)", ended,
            ].map(safe)
        }
        lines.append("")
        lines.append(contentsOf: TextTable.render(header: header, rows: rows))
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: The exposure table (CSV, Markdown, HTML)

    /// The exposure table's columns: the contract's members (§5) with the holder's username and
    /// the duration, human and in seconds.
    package static let columns = [
        "rule", "grant_id", "account_id", "username", "org_id", "level", "start", "end", "duration", "duration_seconds",
        "ongoing", "clipped", "granted_by", "approved_by", "ended_by",
    ]

    /// One interval as raw cells (each format escapes them); a NULL is an empty cell.
    static func row(_ interval: ExposureInterval) -> [String] {
        [
            interval.rule, interval.grantID == .null ? "" : interval.grantID.description, interval.accountID ?? "",
            interval.username ?? "", interval.orgID ?? "", interval.level ?? "", interval.start.description,
            interval.end.description, duration(interval.seconds), String(interval.seconds), String(interval.ongoing),
            String(interval.clipped), interval.grantedBy ?? "", interval.approvedBy ?? "",
            interval.ongoing ? "" : interval.endedBy ?? "",
        ]
    }

    /// The report as one table, for `DossierDocument`'s CSV, Markdown and HTML.
    static func document(_ report: ExposureReport) -> DossierDocument {
        let (title, summary) = heading(report)
        return DossierDocument(
            title: title, meta: [summary],
            sections: [
                DossierDocument.Section(
                    title: "Intervals (\(report.intervals.count))", header: columns, rows: report.intervals.map(row),
                    empty: "No grant broke \(report.rule) in the window.")
            ])
    }

    /// `5d 3h 5m`, `2h 0m`, `45s`.
    package static func duration(_ seconds: Int64) -> String {
        let days = seconds / 86_400
        let hours = seconds % 86_400 / 3600
        let minutes = seconds % 3600 / 60
        if days > 0 { return "\(days)d \(hours)h \(minutes)m" }
        if hours > 0 { return "\(hours)h \(minutes)m" }
        if minutes > 0 { return "\(minutes)m" }
        return "\(seconds)s"
    }
}

/// Left-aligned columns separated by two spaces.
enum TextTable {
    static func render(header: [String], rows: [[String]]) -> [String] {
        var widths = header.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        func line(_ cells: [String]) -> String {
            var text = ""
            for (index, cell) in cells.enumerated() {
                let last = index == cells.count - 1
                text += last ? cell : cell + String(repeating: " ", count: widths[index] - cell.count + 2)
            }
            return text
        }
        return [line(header), line(widths.map { String(repeating: "-", count: $0) })] + rows.map(line)
    }
}
