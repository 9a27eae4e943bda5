/// The audit of one state: reference data loaded first, then accounts, then grants streamed one
/// by one, then the account rules. Sources (the live database, or a state rebuilt from history)
/// feed it; it never reads a database itself.
///
/// Memory grows with accounts and organisations. Per grant it keeps nothing, except for accounts
/// holding more than one grant, where it remembers each (level, scope) pair once for
/// `duplicate-grant`.
package final class AuditEngine {
    package let reference: ReferenceData
    package let options: AuditOptions
    /// By account id, byte for byte.
    private var accountIndex: [ExactText: Int] = [:]
    private var accounts: [AccountRecord] = []
    /// (account index, level, scope) seen on accounts with several auditable grants.
    private var seenGrants: [DuplicateKey: GrantID] = [:]
    private var findings: [Finding] = []
    package private(set) var accountRows = 0
    package private(set) var grantRows = 0

    struct DuplicateKey: Hashable {
        let account: Int
        let level: ExactText
        let scope: ExactText?
    }

    package init(reference: ReferenceData, options: AuditOptions) {
        self.reference = reference
        self.options = options
        for row in reference.policyRows {
            for rule in RuleRegistry.policyRules {
                rule.check(row, levels: reference.levels, into: &findings)
            }
        }
    }

    /// Adds one account row. The first row of a duplicated account_id is the one grants use.
    package func add(account row: AccountRow) {
        accountRows += 1
        let record = AccountRecord(row: row)
        if let id = ExactText(row.accountID), accountIndex[id] == nil {
            accountIndex[id] = accounts.count
            accounts.append(record)
        } else {
            // A NULL or repeated id: no grant can reach it, but its values are still checked.
            let facts = AccountFacts(account: record, organisation: organisation(of: row), options: options)
            for rule in RuleRegistry.accountRules { rule.check(facts, into: &findings) }
        }
    }

    /// Checks one grant. Grants must arrive in ascending `grant_id` order (SQLite's ordering) so
    /// that the first of duplicates is the one with the lowest id.
    package func add(grant: GrantRow) {
        add(grant: grant, duplicateOf: nil, tracked: true)
    }

    /// Checks one grant whose duplicate is already known (the fast engine tracks duplicates
    /// itself and hands over only the grants that can fire).
    func add(grant: GrantRow, duplicateOf: GrantID?) {
        add(grant: grant, duplicateOf: duplicateOf, tracked: false)
    }

    private func add(grant: GrantRow, duplicateOf known: GrantID?, tracked: Bool) {
        grantRows += 1
        let index = ExactText(grant.accountID).flatMap { accountIndex[$0] }
        let account = index.map { accounts[$0].row }
        switch reference.resolve(grant, account: account) {
        case .unauditable(let reason, let organisation, let policy):
            findings.append(
                RuleRegistry.unauditableGrant.finding(
                    for: grant, reason: reason, account: account, organisation: organisation, policy: policy))
        case .auditable(let organisation, let policy, let rank):
            guard let index, let level = grant.level else { return }
            accounts[index].auditableGrants += 1
            let facts = GrantFacts(
                grant: grant, account: accounts[index], organisation: organisation, policy: policy,
                levelRank: rank, duplicateOf: tracked ? duplicate(of: grant, account: index, level: level) : known,
                reference: reference, options: options)
            for rule in RuleRegistry.grantRules { rule.check(facts, into: &findings) }
        }
    }

    /// Adds a finding made outside the grant and account rules (history rules).
    package func record(_ finding: Finding) {
        findings.append(finding)
    }

    /// Sets an account's auditable grant count (the fast engine counted grants it did not hand over).
    func setAuditableGrants(_ count: Int, account id: String) {
        if let index = accountIndex[ExactText(id)] { accounts[index].auditableGrants = count }
    }

    /// The account row grants resolve to for `id`, if any.
    package func account(_ id: String?) -> AccountRow? {
        ExactText(id).flatMap { accountIndex[$0] }.map { accounts[$0].row }
    }

    /// Runs the account rules and returns every finding in a deterministic order.
    package func finish() -> [Finding] {
        for record in accounts {
            let facts = AccountFacts(account: record, organisation: organisation(of: record.row), options: options)
            for rule in RuleRegistry.accountRules { rule.check(facts, into: &findings) }
        }
        var sorted = findings
        findings = []
        AuditEngine.sort(&sorted)
        return sorted
    }

    private func organisation(of row: AccountRow) -> Organisation? {
        reference.organisation(row.orgID)
    }

    /// The lower grant_id of an earlier auditable grant with the same account, level and scope.
    ///
    /// An account's first grant is remembered in its record; only from its second grant on do
    /// its (level, scope) pairs go into `seenGrants`, so single-grant accounts cost nothing more.
    private func duplicate(of grant: GrantRow, account: Int, level: String) -> GrantID? {
        let key = DuplicateKey(account: account, level: ExactText(level), scope: ExactText(Blank.nonBlank(grant.scopeOrgID)))
        guard let first = accounts[account].firstGrant else {
            accounts[account].firstGrant = (key.level, key.scope, grant.grantID)
            return nil
        }
        let firstKey = DuplicateKey(account: account, level: first.level, scope: first.scope)
        if seenGrants[firstKey] == nil { seenGrants[firstKey] = first.id }
        if let earlier = seenGrants[key] {
            return earlier < grant.grantID ? earlier : nil
        }
        seenGrants[key] = grant.grantID
        return nil
    }

    /// Severity (highest first), then the contract's rule order, account, grant, key and message
    /// (then the order found, so equal findings keep it). The rule position is looked up once per finding,
    /// and indices are sorted rather than findings, which are large to move; the order is then
    /// applied in place, so the findings are never held twice.
    static func sort(_ findings: inout [Finding]) {
        let ranks = findings.map { (4 - $0.severity.rank) * 1_000 + (RuleRegistry.order[$0.rule] ?? 999) }
        let order = findings.indices.sorted { i, j in
            if ranks[i] != ranks[j] { return ranks[i] < ranks[j] }
            if !ExactText.equal(findings[i].accountID, findings[j].accountID) {
                return precedes(findings[i].accountID, findings[j].accountID)
            }
            if findings[i].grantID != findings[j].grantID { return (findings[i].grantID ?? .null) < (findings[j].grantID ?? .null) }
            if findings[i].key != findings[j].key { return findings[i].key.utf8.lexicographicallyPrecedes(findings[j].key.utf8) }
            // Findings sharing a key (repeated ids) by their message, so the `#2` suffix of
            // `FindingKey.makeUnique` follows what they say rather than the order rows were read.
            if !ExactText.equal(findings[i].message, findings[j].message) {
                return findings[i].message.utf8.lexicographicallyPrecedes(findings[j].message.utf8)
            }
            return i < j
        }
        applyInPlace(order, to: &findings)
    }

    /// Rearranges `elements` so that the element at position `k` is the one that was at
    /// `order[k]` (`order` a permutation of the indices), one cycle at a time, by swaps.
    static func applyInPlace<T>(_ order: [Int], to elements: inout [T]) {
        var placed = [Bool](repeating: false, count: order.count)
        for start in order.indices where !placed[start] {
            var position = start
            while order[position] != start {
                elements.swapAt(position, order[position])
                placed[position] = true
                position = order[position]
            }
            placed[position] = true
        }
    }

    /// NULL first, then text by bytes.
    private static func precedes(_ a: String?, _ b: String?) -> Bool {
        guard let a else { return b != nil }
        guard let b else { return false }
        return a.utf8.lexicographicallyPrecedes(b.utf8)
    }
}
