/// The facts of `GrantFactsView` on the fast engine's representation: from a grants row's bytes
/// (`Facts`, filled by the scan) and from a replayed grant's interned ids (`Judged`, for `replay`
/// and `exposure`). The rule conditions themselves are the rules' own (`StateRule`); like the
/// grant scan, these only pick candidates, and the rule types make the findings.
extension FastState {
    /// A replayed grant resolved against the reference data.
    struct Resolved {
        let account: Int32
        let org: Int32
        let policy: Policy
        let level: Int32
        let rank: Int64
    }

    /// Facts as stored values, each computed once.
    struct Facts: GrantFactsView {
        var levelRank: Int64
        var defaultRank: Int64
        var maxRank: Int64
        var requiresApproval: Bool
        var scope: ScopeFact
        var approver: ApproverFact
        var expires: InstantFact
        var grantedAtValid: Bool
        var isDuplicate: Bool
        var now: Timestamp

        init(
            rank: Int64, policy: Policy, scope: ScopeFact, approver: ApproverFact, expires: InstantFact,
            grantedAtValid: Bool, isDuplicate: Bool, now: Timestamp
        ) {
            levelRank = rank
            defaultRank = policy.defaultRank
            maxRank = policy.maxRank
            requiresApproval = policy.requiresApproval
            self.scope = scope
            self.approver = approver
            self.expires = expires
            self.grantedAtValid = grantedAtValid
            self.isDuplicate = isDuplicate
            self.now = now
        }

        /// Every fact of `view`, read once.
        @inline(__always)
        init<V: GrantFactsView>(_ view: V) {
            levelRank = view.levelRank
            defaultRank = view.defaultRank
            maxRank = view.maxRank
            requiresApproval = view.requiresApproval
            scope = view.scope
            approver = view.approver
            expires = view.expires
            grantedAtValid = view.grantedAtValid
            isDuplicate = view.isDuplicate
            now = view.now
        }
    }

    /// A replayed grant's facts, each computed when a condition reads it (exposure reads few).
    struct Judged: GrantFactsView {
        let state: FastState
        let grant: CompactReplay.Grant
        let resolved: Resolved
        let isDuplicate: Bool
        let now: Timestamp

        var levelRank: Int64 { resolved.rank }
        var defaultRank: Int64 { resolved.policy.defaultRank }
        var maxRank: Int64 { resolved.policy.maxRank }
        var requiresApproval: Bool { resolved.policy.requiresApproval }
        var scope: ScopeFact { state.scopeFact(state.scope(ofValue: grant.scope), org: resolved.org) }
        var approver: ApproverFact {
            let state = state, grant = grant, account = resolved.account
            guard !state.isBlankValue(grant.approvedBy) else { return .blank }
            return state.values.withBytes(grant.approvedBy) { approver in
                let grantor = grant.grantedBy != CompactReplay.null
                    && state.values.withBytes(grant.grantedBy) { Blank.samePerson(bytes: approver, $0) }
                return state.approverFact(approver, grantor: grantor, account: account)
            }
        }
        var expires: InstantFact {
            guard !state.isBlankValue(grant.expires) else { return .none }
            return state.values.withBytes(grant.expires) { Timestamp.parse($0) }.map(InstantFact.valid) ?? .invalid
        }
        /// A replayed grant's granted_at is its event's own valid time.
        var grantedAtValid: Bool { true }
    }

    /// Where an interned scope (-1: blank) points from the organisation `org`.
    @inline(__always)
    func scopeFact(_ scope: Int32, org: Int32) -> ScopeFact {
        guard scope >= 0 else { return .none }
        guard org >= 0 else { return .outsideRemit }
        if scope == org { return .ownOrganisation }
        return remit.contains(UInt64(UInt32(org)) << 32 | UInt64(UInt32(scope))) ? .inRemit : .outsideRemit
    }

    /// Who a non-blank approver is: `grantor` whether it is the same person as the grantor, then
    /// the account's username and id.
    @inline(__always)
    func approverFact(_ approver: UnsafeBufferPointer<UInt8>, grantor: Bool, account: Int32) -> ApproverFact {
        if grantor { return .grantor }
        if perAccount.withUsername(account, { Blank.samePerson(bytes: approver, $0) }) { return .username }
        if accounts.withBytes(account, { Blank.samePerson(bytes: approver, $0) }) { return .accountID }
        return .someoneElse
    }

    @inline(__always)
    func isBlankValue(_ value: Int32) -> Bool {
        value == CompactReplay.null || valueIsBlank[Int(value)]
    }

    /// The valid level of a `values` id, cached.
    func level(ofValue value: Int32) -> Int32? {
        guard value >= 0 else { return nil }
        if valueLevel.count < values.count { valueLevel += repeatElement(-2, count: values.count - valueLevel.count) }
        if valueLevel[Int(value)] == -2 { valueLevel[Int(value)] = values.withBytes(value) { levels.lookup($0) } ?? -1 }
        let level = valueLevel[Int(value)]
        return level >= 0 ? level : nil
    }

    /// The organisation id a scope value names (-1 blank), cached.
    func scope(ofValue value: Int32) -> Int32 {
        guard !isBlankValue(value) else { return -1 }
        if valueOrg.count < values.count { valueOrg += repeatElement(-2, count: values.count - valueOrg.count) }
        if valueOrg[Int(value)] == -2 { valueOrg[Int(value)] = values.withBytes(value) { orgID($0) } }
        return valueOrg[Int(value)]
    }

    /// Resolution in the contract's order; nil: unauditable.
    func resolve(_ grant: CompactReplay.Grant) -> Resolved? {
        let account = grant.account
        guard account != CompactReplay.null, let policy = policyIndex(ofAccount: account),
            let level = level(ofValue: grant.level)
        else { return nil }
        return Resolved(
            account: account, org: perAccount[account].org, policy: policies[Int(policy)], level: level,
            rank: levelRank[Int(level)])
    }

    /// The facts of a resolved replayed grant at `now`.
    @inline(__always)
    func judged(_ grant: CompactReplay.Grant, _ resolved: Resolved, isDuplicate: Bool = false, now: Timestamp) -> Judged {
        Judged(state: self, grant: grant, resolved: resolved, isDuplicate: isDuplicate, now: now)
    }

    /// Whether a replayed grant breaks an exposure rule (unauditable grants break none: they are
    /// `unauditable-grant` instead).
    func breaks(_ rule: StateRule, _ grant: CompactReplay.Grant) -> Bool {
        guard let resolved = resolve(grant) else { return false }
        return rule.holds(judged(grant, resolved, now: options.now))
    }
}
