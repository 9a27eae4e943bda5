/// An accepted exception: a finding a reviewer has decided to live with, for a reason, until a
/// date. A waiver matches a finding by its `key`, or by its rule plus the account and/or grant.
public struct Waiver: Sendable, Hashable {
    /// The line of the waivers file the entry starts on (for messages).
    public var line: Int
    public var key: String?
    public var rule: String?
    public var accountID: String?
    public var grantID: String?
    public var reason: String
    public var owner: String
    public var approvedBy: String
    public var expires: Timestamp
    /// `expires` as written in the file.
    public var expiresText: String

    /// Whether this waiver is about `finding`: every field it names must match.
    public func matches(_ finding: Finding) -> Bool {
        if let key, key != finding.key { return false }
        if let rule, rule != finding.rule { return false }
        if let accountID, accountID != finding.accountID { return false }
        if let grantID, grantID != finding.grantID?.description { return false }
        return true
    }
}

/// What a waiver did to a finding.
public struct WaiverStatus: Sendable, Hashable {
    public enum State: String, Sendable {
        /// In force: the finding is reported as waived and does not count for `--fail-on`.
        case waived
        /// Past its expiry: it no longer waives the finding, and the finding says so.
        case expired
    }

    public var state: State
    public var waiver: Waiver

    /// One line for reports.
    public var summary: String {
        let waiver = waiver
        switch state {
        case .waived:
            return "waived until \(waiver.expires): \(waiver.reason) (owner \(waiver.owner), approved by \(waiver.approvedBy))"
        case .expired:
            return "waiver EXPIRED at \(waiver.expires), no longer applies: \(waiver.reason) (owner \(waiver.owner))"
        }
    }
}

extension AuditReport {
    /// Marks each finding with the first waiver (in file order) that matches it, and records the
    /// waivers that match nothing as stale.
    public mutating func apply(waivers: [Waiver]) {
        var used = Set<Int>()
        for index in findings.indices {
            guard let position = waivers.firstIndex(where: { $0.matches(findings[index]) }) else { continue }
            let waiver = waivers[position]
            used.insert(position)
            findings[index].waiver = WaiverStatus(state: waiver.expires > now ? .waived : .expired, waiver: waiver)
        }
        staleWaivers = waivers.indices.filter { !used.contains($0) }.map { waivers[$0] }
    }
}
