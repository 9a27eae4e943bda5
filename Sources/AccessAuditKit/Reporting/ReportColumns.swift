/// The columns the tabular formats (CSV, Markdown, HTML) share: a finding's identity, the
/// evidence a reviewer checks first, what to do about it (`Finding.action`), and the rest of the
/// evidence.
enum ReportColumns {
    static let headers = [
        "severity", "rule", "account_id", "username", "grant_id", "org_id", "org_type", "level", "expected", "found",
        "granted_by", "granted_at", "approved_by", "message", "action", "key", "evidence", "waiver", "baseline",
    ]

    /// Evidence labels shown in their own column (the rest go to `evidence`).
    static let own: Set = ["username", "org_type", "level", "expected", "found", "granted_by", "granted_at", "approved_by"]

    static func row(_ finding: Finding) -> [String] {
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
