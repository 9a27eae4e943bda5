/// `exposure` reports: the contract's JSON, or a table a person can read.
public enum ExposureRenderer {
    public static func render(_ report: ExposureReport, format: ReportFormat) -> String {
        switch format {
        case .json: json(report).serialized(pretty: true) + "\n"
        // The command line offers only `ReportFormat.historyFormats`; the tabular ones read as text.
        case .text, .ndjson, .csv, .markdown, .html, .junit: text(report)
        }
    }

    /// CONTRACT.md §5: `{"schema_version": 1, "intervals": [...]}`.
    public static func json(_ report: ExposureReport) -> JSONValue {
        .object([
            ("schema_version", .int(JSONRenderer.schemaVersion)),
            (
                "intervals",
                .array(
                    report.intervals.map { interval in
                        .object([
                            ("rule", .string(interval.rule)),
                            ("grant_id", JSONRenderer.grantID(interval.grantID)),
                            ("account_id", .string(interval.accountID)),
                            ("org_id", .string(interval.orgID)),
                            ("level", .string(interval.level)),
                            ("start", .string(interval.start.description)),
                            ("end", .string(interval.end.description)),
                            ("ongoing", .bool(interval.ongoing)),
                        ])
                    })
            ),
        ])
    }

    static func text(_ report: ExposureReport) -> String {
        let safe = Escaping.terminal
        var lines = [
            "access-audit exposure of \(safe(report.database)): \(report.rule) from \(report.from) to \(report.to)",
            "\(report.intervals.count) interval\(report.intervals.count == 1 ? "" : "s")"
                + (report.invalidEvents > 0 ? "; \(report.invalidEvents) invalid event(s) skipped" : ""),
        ]
        guard !report.intervals.isEmpty else { return lines.joined(separator: "\n") + "\n" }
        let header = ["grant", "account", "username", "org", "level", "start", "end", "duration", "granted by", "approved by", "ended by"]
        let rows = report.intervals.map { interval -> [String] in
            let ended: String
            if interval.ongoing {
                ended = "-"
            } else {
                ended = [interval.endedByAction, interval.endedBy].compactMap { $0.map(safe) }.joined(separator: " by ")
            }
            return [
                interval.grantID.description, interval.accountID ?? "NULL", interval.username ?? "", interval.orgID ?? "NULL",
                interval.level ?? "NULL", interval.start.description, interval.ongoing ? "ongoing" : interval.end.description,
                duration(interval.seconds), interval.grantedBy ?? "", interval.approvedBy ?? "(none)", ended,
            ].map(safe)
        }
        lines.append("")
        lines.append(contentsOf: TextTable.render(header: header, rows: rows))
        return lines.joined(separator: "\n") + "\n"
    }

    /// `5d 3h 5m`, `2h 0m`, `45s`.
    public static func duration(_ seconds: Int64) -> String {
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
