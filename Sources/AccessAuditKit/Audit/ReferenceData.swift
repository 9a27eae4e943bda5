/// The small tables every grant is checked against: levels, policies, organisations and remits.
///
/// Loaded once before grants stream; its size grows with organisations, never with grants. Every
/// key is byte-exact (`ExactText`): ids that are canonically equivalent are still different ids.
public struct ReferenceData: Sendable {
    public var levels: LevelTable
    /// Valid policies by org type.
    public var policies: [ExactText: Policy]
    /// Every policy row as read, for the `invalid-policy` rule.
    public var policyRows: [PolicyRow]
    /// Organisations by id (the first row of a duplicated id wins).
    public var organisations: [ExactText: Organisation]
    /// `org_remit` pairs: organisation id → the ids it covers.
    public var remit: [ExactText: Set<ExactText>]

    public init(
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
    public func covers(_ org: String, _ covered: String) -> Bool {
        remit[ExactText(org)]?.contains(ExactText(covered)) ?? false
    }

    /// The organisation of an id, nil for NULL or an id no row has.
    public func organisation(_ id: String?) -> Organisation? {
        id.flatMap { organisations[ExactText($0)] }
    }

    /// The valid policy of an org type, nil for NULL or a type without one.
    public func policy(forType orgType: String?) -> Policy? {
        orgType.flatMap { policies[ExactText($0)] }
    }
}
