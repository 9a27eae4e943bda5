/// The columns the tabular formats (CSV, Markdown, HTML) share: a finding's identity, the
/// evidence a reviewer checks first, what to do about it (`Finding.action`), and the rest of the
/// evidence; with a baseline, each finding's history (`first_seen`, `runs_seen`, `open`).
enum ReportColumns {
    /// The history columns, present only in a report that tracks history (`AuditReport.tracksHistory`).
    static let historyHeaders = ["first_seen", "runs_seen", "open"]

    /// The columns of `report`.
    static func headers(_ report: AuditReport) -> [String] {
        report.tracksHistory ? headers + historyHeaders : headers
    }

    /// A finding's row in `report`, one value per `headers(report)`.
    static func row(_ finding: Finding, in report: AuditReport) -> [String] {
        guard report.tracksHistory else { return row(finding) }
        let history = finding.history
        return row(finding) + [
            history?.firstSeen.description ?? "", history.map { String($0.runsSeen) } ?? "", history?.openFor(at: report.now) ?? "",
        ]
    }

    static let headers = [
        "severity", "rule", "account_id", "username", "grant_id", "org_id", "org_type", "level", "expected", "found",
        "granted_by", "granted_at", "approved_by", "message", "action", "key", "evidence", "waiver", "baseline",
    ]

    /// Evidence labels shown in their own column (the rest go to `evidence`).
    static let own: Set = ["username", "org_type", "level", "expected", "found", "granted_by", "granted_at", "approved_by"]

    private static func row(_ finding: Finding) -> [String] {
        let evidence = finding.evidence
        let rest = evidence.items.filter { !own.contains($0.label) }.map { "\($0.label)=\($0.value)" }
        return [
            finding.severity.rawValue, finding.rule, finding.accountID ?? "", evidence["username"] ?? "",
            finding.grantID?.description ?? "", finding.orgID ?? "", evidence["org_type"] ?? finding.orgType ?? "",
            evidence["level"] ?? "", evidence["expected"] ?? "", evidence["found"] ?? "", evidence["granted_by"] ?? "",
            evidence["granted_at"] ?? "", evidence["approved_by"] ?? "", finding.message, finding.action, finding.key,
            rest.joined(separator: "; "), finding.waiver?.summary ?? "", (finding.change?.rawValue ?? "") + (finding.subjectChangedSinceBaseline ? " (subject changed)" : ""),
        ]
    }
}
