/// The §3 grant-rule conditions on a replayed grant, from interned ids (for `replay` and
/// `exposure`). Like the grant scan, these only pick candidates; the rule types decide.
extension FastState {
    /// A replayed grant resolved against the reference data.
    struct Resolved {
        let account: Int32
        let org: Int32
        let policy: Policy
        let level: Int32
        let rank: Int64
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
            account: account, org: accountOrg[Int(account)], policy: policies[Int(policy)], level: level,
            rank: levelRank[Int(level)])
    }

    func scopeOutsideRemit(_ grant: CompactReplay.Grant, _ resolved: Resolved) -> Bool {
        let scope = scope(ofValue: grant.scope)
        return scope >= 0 && scope != resolved.org
            && !remit.contains(UInt64(UInt32(resolved.org)) << 32 | UInt64(UInt32(scope)))
    }

    func missingApproval(_ grant: CompactReplay.Grant, _ resolved: Resolved) -> Bool {
        resolved.policy.requiresApproval && isBlankValue(grant.approvedBy)
    }

    func selfApproved(_ grant: CompactReplay.Grant, _ resolved: Resolved) -> Bool {
        guard !isBlankValue(grant.approvedBy) else { return false }
        return values.withBytes(grant.approvedBy) { approver in
            (grant.grantedBy != CompactReplay.null && values.withBytes(grant.grantedBy) { Blank.samePerson(bytes: approver, $0) })
                || withUsername(resolved.account) { Blank.samePerson(bytes: approver, $0) }
                || accounts.withBytes(resolved.account) { Blank.samePerson(bytes: approver, $0) }
        }
    }

    /// Whether a replayed grant breaks one of the exposure rules.
    func breaks(_ rule: String, _ grant: CompactReplay.Grant) -> Bool {
        guard let resolved = resolve(grant) else { return false }
        switch rule {
        case "level-exceeds-policy": return resolved.rank > resolved.policy.maxRank
        case "above-default-level": return resolved.policy.defaultRank < resolved.rank && resolved.rank <= resolved.policy.maxRank
        case "scope-outside-remit": return scopeOutsideRemit(grant, resolved)
        case "missing-approval": return missingApproval(grant, resolved)
        case "self-approved": return selfApproved(grant, resolved)
        default: return false
        }
    }
}
