/// The small tables every grant is checked against: levels, policies, organisations and remits.
///
/// Loaded once before grants stream; its size grows with organisations, never with grants. Every
/// key is byte-exact (`ExactText`): ids that are canonically equivalent are still different ids.
package struct ReferenceData: Sendable {
    package var levels: LevelTable
    /// Valid policies by org type.
    package var policies: [ExactText: Policy]
    /// Every policy row as read, for the `invalid-policy` rule.
    package var policyRows: [PolicyRow]
    /// Organisations by id (the first row of a duplicated id wins).
    package var organisations: [ExactText: Organisation]
    /// `org_remit` pairs: organisation id → the ids it covers.
    package var remit: [ExactText: Set<ExactText>]

    package init(
        levels: LevelTable, policyRows: [PolicyRow], organisations: [Organisation],
        remit: [(String, String)]
    ) {
        self.levels = levels
        self.policyRows = policyRows
        var valid: [ExactText: [Policy]] = [:]
        for row in policyRows {
            if let orgType = row.orgType, let policy = ReferenceData.validPolicy(row, levels: levels, orgType: orgType) {
                valid[ExactText(orgType), default: []].append(policy)
            }
        }
        policies = valid.compactMapValues(Policy.strictest(of:))
        var orgs: [ExactText: Organisation] = [:]
        for org in organisations where orgs[ExactText(org.orgID)] == nil { orgs[ExactText(org.orgID)] = org }
        self.organisations = orgs
        var pairs: [ExactText: Set<ExactText>] = [:]
        for (org, covers) in remit { pairs[ExactText(org), default: []].insert(ExactText(covers)) }
        self.remit = pairs
    }

    /// A policy row is valid when both its levels are valid and rank(default) <= rank(max).
    static func validPolicy(_ row: PolicyRow, levels: LevelTable, orgType: String) -> Policy? {
        guard let defaultLevel = row.defaultLevel, let maxLevel = row.maxLevel,
            let defaultRank = levels.rank(defaultLevel), let maxRank = levels.rank(maxLevel),
            defaultRank <= maxRank
        else { return nil }
        return Policy(
            orgType: orgType, defaultLevel: defaultLevel, defaultRank: defaultRank,
            maxLevel: maxLevel, maxRank: maxRank, requiresApproval: !row.approvalWaived)
    }

    /// Whether `org` has an `org_remit` row covering `covered`.
    package func covers(_ org: String, _ covered: String) -> Bool {
        remit[ExactText(org)]?.contains(ExactText(covered)) ?? false
    }

    /// The organisation of an id, nil for NULL or an id no row has.
    package func organisation(_ id: String?) -> Organisation? {
        id.flatMap { organisations[ExactText($0)] }
    }

    /// The valid policy of an org type, nil for NULL or a type without one.
    package func policy(forType orgType: String?) -> Policy? {
        orgType.flatMap { policies[ExactText($0)] }
    }
}
