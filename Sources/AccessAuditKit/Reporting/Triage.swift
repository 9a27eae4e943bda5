/// Where a report's findings come from, for a reviewer's first look: the verdict and its counts,
/// findings by rule × organisation type, by organisation and by the person who granted or
/// approved the grant. Every value is as the report holds it; the renderers escape.
package struct Triage: Sendable {
    /// `pass` or `fail`, as the exit status decides.
    package let verdict: String
    /// Findings that decide the verdict (at or above `--fail-on`, not waived, new with `--fail-on-new`).
    package let failing: Int
    /// Against a baseline (nil without one): new and persisting findings, and resolved ones.
    package let new: Int?
    package let persisting: Int?
    package let resolved: Int?
    /// With a waivers file (nil without one): findings waived, and those whose waiver expired.
    package let waived: Int?
    package let expired: Int?
    /// Rules with findings, most first, and organisation types, most first.
    package let rules: [(rule: String, count: Int)]
    package let orgTypes: [(type: String, count: Int)]
    /// Findings per rule and organisation type (missing pairs are 0).
    package let byRuleAndType: [String: [String: Int]]
    /// Organisations with the most findings: id, name, type, count.
    package let organisations: [(id: String, name: String, type: String, count: Int)]
    /// People who granted or approved the grants of the findings, most first.
    package let people: [(person: String, granted: Int, approved: Int)]

    /// The organisation type a finding is counted under ("" when it has none).
    package static func orgType(of finding: Finding) -> String { finding.evidence["org_type"] ?? finding.orgType ?? "" }

    package init(_ report: AuditReport, context: RenderContext, top: Int = 20) {
        verdict = report.verdict(failOn: context.failOn, onlyNew: context.onlyNew)
        let findings = report.findings
        failing = findings.count { report.counts($0, failOn: context.failOn, onlyNew: context.onlyNew) }
        if let resolved = report.resolved {
            new = findings.count { $0.change == .new }
            persisting = findings.count { $0.change == .persisting }
            self.resolved = resolved.count
        } else {
            (new, persisting, resolved) = (nil, nil, nil)
        }
        if report.staleWaivers != nil || findings.contains(where: { $0.waiver != nil }) {
            waived = findings.count { $0.waiver?.state == .waived }
            expired = findings.count { $0.waiver?.state == .expired }
        } else {
            (waived, expired) = (nil, nil)
        }
        var byRule: [String: Int] = [:], byType: [String: Int] = [:], matrix: [String: [String: Int]] = [:]
        var byOrg: [String: (name: String, type: String, count: Int)] = [:]
        var granted: [String: Int] = [:], approved: [String: Int] = [:]
        for finding in findings {
            let type = Triage.orgType(of: finding)
            byRule[finding.rule, default: 0] += 1
            byType[type, default: 0] += 1
            matrix[finding.rule, default: [:]][type, default: 0] += 1
            if let org = finding.orgID {
                byOrg[org, default: (finding.evidence["organisation"] ?? "", type, 0)].count += 1
            }
            if let person = finding.evidence["granted_by"] { granted[person, default: 0] += 1 }
            if let person = finding.evidence["approved_by"] { approved[person, default: 0] += 1 }
        }
        rules = Triage.mostFirst(byRule).map { ($0.key, $0.count) }
        orgTypes = Triage.mostFirst(byType).map { ($0.key, $0.count) }
        byRuleAndType = matrix
        organisations = Triage.mostFirst(byOrg.mapValues(\.count)).prefix(top).map { entry in
            let org = byOrg[entry.key]
            return (entry.key, org?.name ?? "", org?.type ?? "", entry.count)
        }
        let everyone = Set(granted.keys).union(approved.keys)
        people = everyone.map { ($0, granted[$0] ?? 0, approved[$0] ?? 0) }
            .sorted { ($0.1, $0.2, $1.0) > ($1.1, $1.2, $0.0) }
            .prefix(top).map { $0 }
    }

    /// Counts, highest first, ties by key.
    static func mostFirst(_ counts: [String: Int]) -> [(key: String, count: Int)] {
        counts.map { ($0.key, $0.value) }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
    }
}
