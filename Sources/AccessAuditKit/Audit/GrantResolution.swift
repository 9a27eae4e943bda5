/// What a grant resolves to against the reference data: auditable with its organisation, policy
/// and level rank, or unauditable with the contract's reason (checked in the contract's order).
package enum GrantResolution {
    case auditable(organisation: Organisation, policy: Policy, levelRank: Int64)
    case unauditable(UnauditableReason, organisation: Organisation?, policy: Policy?)
}

extension ReferenceData {
    /// Resolves `grant` held by `account` (nil when the account does not exist).
    package func resolve(_ grant: GrantRow, account: AccountRow?) -> GrantResolution {
        guard let account else { return .unauditable(.unknownAccount, organisation: nil, policy: nil) }
        guard let organisation = organisation(account.orgID) else {
            return .unauditable(.unknownOrganisation, organisation: nil, policy: nil)
        }
        guard let policy = policy(forType: organisation.orgType) else {
            return .unauditable(.noPolicy, organisation: organisation, policy: nil)
        }
        guard let rank = levels.rank(grant.level) else {
            return .unauditable(.unknownLevel, organisation: organisation, policy: policy)
        }
        return .auditable(organisation: organisation, policy: policy, levelRank: rank)
    }
}
