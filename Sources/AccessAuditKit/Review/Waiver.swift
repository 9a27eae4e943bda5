/// An accepted exception: a finding a reviewer has decided to live with, for a reason, until a
/// date. A waiver matches a finding by its `key`, or by its rule plus the account and/or grant;
/// it applies while the finding's subject is the one it was written for.
public struct Waiver: Sendable, Hashable {
    /// The waivers file and the line the entry starts on (for messages).
    public var path: String = ""
    public var line: Int
    public var key: String?
    public var rule: String?
    public var accountID: String?
    public var grantID: String?
    /// What was accepted (see `FindingSubject`); nil for an entry written before subjects existed,
    /// which then matches by key and ids alone (a legacy waiver, reported in the notes).
    public var subject: FindingSubject?
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
        // Ids compare byte for byte, in their key form: Swift's `==` on Strings would take `café`
        // and `cafe\u{301}` for one account; a grant_id is written as in keys (`7`, `%T7` for text).
        if let accountID, FindingKey.encode(accountID) != FindingKey.encode(finding.accountID) { return false }
        if let grantID, grantID != finding.grantID.map(FindingKey.encode) { return false }
        return true
    }

    /// Refuses a waiver whose owner or approver is a person the finding is about: its holder
    /// (account_id or username), the grant's grantor, or the actor of the event an
    /// `invalid-event` finding is about (CONTRACT.md §2 "same person").
    func checkPeople(key: String, accountID: String?, username: String?, grantedBy: String?, actor: String?) throws {
        let involved: [(String, String?)] = [
            ("the holder (account_id)", accountID), ("the holder (username)", username), ("the grantor (granted_by)", grantedBy),
            ("the event's actor (actor)", actor),
        ]
        for (role, name) in [("owner", owner), ("approved_by", approvedBy)] {
            if let (who, _) = involved.first(where: { Blank.samePerson(name, $0.1) }) {
                throw AuditError.waivers(
                    path: path, line: line, message: "the waiver's \(role) '\(name)' is \(who) of \(key): nobody may waive their own finding")
            }
        }
    }

    func checkPeople(against finding: Finding) throws {
        try checkPeople(
            key: finding.key, accountID: finding.accountID, username: finding.evidence["username"],
            grantedBy: finding.evidence["granted_by"], actor: finding.evidence["actor"])
    }

    /// Refuses a waiver that expires more than `maxDays` after the run's clock.
    func checkExpiry(now: Timestamp, maxDays: Int) throws {
        guard expires > now.adding(seconds: Int64(maxDays) * 86_400) else { return }
        throw AuditError.waivers(
            path: path, line: line, message: "`expires` \(expiresText) is more than \(maxDays) days after the run's clock \(now) (max_waiver_days)")
    }
}

/// What a waiver did to a finding.
public struct WaiverStatus: Sendable, Hashable {
    public enum State: String, Sendable, CaseIterable {
        /// In force: the finding is reported as waived and does not count for `--fail-on`.
        case waived
        /// Past its expiry: it no longer waives the finding, and the finding says so.
        case expired
        /// Written for another subject (the grant moved to another account, its level or scope
        /// changed, …): it no longer waives the finding, and the finding says so.
        case subjectChanged = "subject-changed"
    }

    public var state: State
    public var waiver: Waiver
    /// With `subjectChanged`: the subject fields that differ from the waiver's.
    public var changed: [String] = []

    /// One line for reports.
    public var summary: String {
        let waiver = waiver
        let legacy = waiver.subject == nil ? " [no subject: matched by key and ids only]" : ""
        switch state {
        case .waived:
            return "waived until \(waiver.expires): \(waiver.reason) (owner \(waiver.owner), approved by \(waiver.approvedBy))\(legacy)"
        case .expired:
            return "waiver EXPIRED at \(waiver.expires), no longer applies: \(waiver.reason) (owner \(waiver.owner))\(legacy)"
        case .subjectChanged:
            return "waiver written for another subject (\(changed.joined(separator: ", ")) changed), no longer applies: "
                + "\(waiver.reason) (owner \(waiver.owner), line \(waiver.line))"
        }
    }
}

extension AuditReport {
    /// Marks each finding with the first waiver (in file order) that matches it, and records the
    /// waivers that match nothing as stale. A waiver whose subject differs from the finding's is
    /// `subject-changed` and waives nothing. Refuses (exit 2, naming the line) a waiver that
    /// expires more than `maxDays` after the run's clock, or whose owner or approver is the
    /// holder or grantor of a finding it would waive.
    public mutating func apply(waivers: [Waiver], maxDays: Int = AuditConfig.defaultMaxWaiverDays) throws {
        for waiver in waivers { try waiver.checkExpiry(now: now, maxDays: maxDays) }
        let index = WaiverIndex(waivers)
        var used = [Bool](repeating: false, count: waivers.count)
        var legacyLines: [Int] = []
        var changedCount = 0
        // A repeated id makes a waiver by rule and ids ambiguous (which of the rows did the
        // reviewer accept?): such findings are waived by key only.
        func base(_ key: String) -> String {
            key.range(of: ":#", options: .backwards).map { String(key[..<$0.lowerBound]) } ?? key
        }
        let repeated = Set(findings.filter { $0.key.contains(":#") }.map { base($0.key) })
        var ambiguous = 0
        for position in findings.indices {
            guard let match = index.first(matching: findings[position]) else { continue }
            let waiver = waivers[match]
            if waiver.key == nil, repeated.contains(base(findings[position].key)) {
                ambiguous += 1
                continue
            }
            if !used[match], waiver.subject == nil { legacyLines.append(waiver.line) }
            used[match] = true
            if let accepted = waiver.subject {
                let subject = FindingSubject(findings[position])
                if accepted != subject {
                    findings[position].waiver = WaiverStatus(state: .subjectChanged, waiver: waiver, changed: accepted.changes(to: subject))
                    changedCount += 1
                    continue
                }
            }
            try waiver.checkPeople(against: findings[position])
            findings[position].waiver = WaiverStatus(state: waiver.expires > now ? .waived : .expired, waiver: waiver)
        }
        staleWaivers = waivers.indices.filter { !used[$0] }.map { waivers[$0] }
        if ambiguous > 0 {
            notes.append(
                "\(ambiguous) finding\(ambiguous == 1 ? "" : "s") of a repeated id matched a waiver by rule and ids and \(ambiguous == 1 ? "was" : "were") not waived: waive such a finding by its key.")
        }
        if changedCount > 0 {
            notes.append(
                "\(changedCount) waiver match\(changedCount == 1 ? "" : "es") no longer appl\(changedCount == 1 ? "ies" : "y"): "
                    + "the finding's subject changed since the waiver was written (state subject-changed).")
        }
        if !legacyLines.isEmpty {
            let lines = legacyLines.sorted()
            let shown = lines.prefix(10).map(String.init).joined(separator: ", ") + (lines.count > 10 ? ", …" : "")
            notes.append(
                "\(lines.count) waiver\(lines.count == 1 ? "" : "s") without `subject` (line\(lines.count == 1 ? "" : "s") \(shown) "
                    + "of \(waivers.first?.path ?? "the waivers file")) matched by key and ids only, so they would still apply "
                    + "if the finding's account, level or scope changed; write them again with `access-audit waive`.")
        }
    }
}
