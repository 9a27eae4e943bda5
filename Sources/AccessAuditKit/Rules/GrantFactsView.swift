/// Where a grant's scope points, seen from the holder's organisation (ids compared exactly).
package enum ScopeFact: Sendable, Equatable {
    /// NULL or blank.
    case none
    case ownOrganisation
    /// An organisation the holder's organisation has an `org_remit` row for.
    case inRemit
    /// Anything else, an organisation that does not exist included.
    case outsideRemit
}

/// Who approved a grant, seen from its grantor and holder (`Blank.samePerson`), the first match
/// in this order.
package enum ApproverFact: Sendable, Equatable {
    /// NULL or blank.
    case blank
    case grantor
    case username
    case accountID
    case someoneElse
}

/// A nullable timestamp column: blank (NULL), a valid instant, or not a valid timestamp.
package enum InstantFact: Sendable, Equatable {
    case none
    case valid(Timestamp)
    case invalid
}

/// The vocabulary every grant rule's condition is written in: the facts about one auditable
/// grant (its account, organisation, policy and level resolved), as each engine can provide them
/// from its own representation. The reference path reads them from Strings (`GrantFacts`), the
/// fast engine from row bytes (`FastState.RowFacts`) and from interned ids (`FastState.Judged`).
///
/// A rule's condition is one generic function over this protocol, in the rule's own file; the
/// engines call it through `StateRule` (RuleRegistry.swift) and the registry's list
/// (RuleList.swift), specialised for their own type, so the hot loops stay free of existentials.
protocol GrantFactsView {
    /// The rank of the grant's (valid) level.
    var levelRank: Int64 { get }
    /// The policy's default and maximum ranks, and whether it requires an approver.
    var defaultRank: Int64 { get }
    var maxRank: Int64 { get }
    var requiresApproval: Bool { get }
    var scope: ScopeFact { get }
    var approver: ApproverFact { get }
    var expires: InstantFact { get }
    /// Whether granted_at is a valid timestamp (always, on a replayed state: it is the event's time).
    var grantedAtValid: Bool { get }
    /// Another auditable grant with a lower id has the same account, level and scope.
    var isDuplicate: Bool { get }
    /// The moment of the audit.
    var now: Timestamp { get }
}

/// A grant rule with its condition over `GrantFactsView` (every grant rule of the list: `StateRule`).
protocol GrantCondition: GrantRule, RegisteredRule {
    static func holds<F: GrantFactsView>(_ grant: F) -> Bool
}

extension InstantFact {
    /// A nullable timestamp column's text: blank is NULL.
    static func of(_ text: String?) -> InstantFact {
        guard let text = Blank.nonBlank(text) else { return .none }
        return Timestamp(text).map(InstantFact.valid) ?? .invalid
    }
}

/// The reference path's facts: from the Strings of the grant, its account and the reference data.
extension GrantFacts: GrantFactsView {
    var defaultRank: Int64 { policy.defaultRank }
    var maxRank: Int64 { policy.maxRank }
    var requiresApproval: Bool { policy.requiresApproval }

    var scope: ScopeFact {
        guard let scope = Blank.nonBlank(grant.scopeOrgID) else { return .none }
        guard let own = account.row.orgID else { return .outsideRemit }
        if ExactText.equal(scope, own) { return .ownOrganisation }
        return reference.covers(own, scope) ? .inRemit : .outsideRemit
    }

    var approver: ApproverFact {
        let approver = grant.approvedBy
        if Blank.isBlank(approver) { return .blank }
        if Blank.samePerson(approver, grant.grantedBy) { return .grantor }
        if Blank.samePerson(approver, account.row.username) { return .username }
        if Blank.samePerson(approver, account.row.accountID) { return .accountID }
        return .someoneElse
    }

    var expires: InstantFact { InstantFact.of(grant.expiresAt) }

    var grantedAtValid: Bool {
        options.mode == .replay || grant.grantedAt.flatMap(Timestamp.init) != nil
    }

    var isDuplicate: Bool { duplicateOf != nil }
    var now: Timestamp { options.now }
}

/// The vocabulary of the account rules' conditions: the facts about one account after its grants
/// were counted, from `AccountFacts` (reference) or the fast engine's per-account flags.
protocol AccountFactsView {
    /// `status`, trimmed, is `active` ignoring ASCII case.
    var active: Bool { get }
    /// How many auditable grants the account holds.
    var auditableGrants: Int { get }
    /// The last login (or, never having logged in, the creation) is a valid instant before the
    /// dormant cut-off.
    var idleSinceCutoff: Bool { get }
    /// created_at is not valid, or last_login_at neither blank nor valid.
    var badTimestamp: Bool { get }
    /// The audit is of the current state (`replay` keeps no login history).
    var current: Bool { get }
}

/// An account rule with its condition over `AccountFactsView` (`AccountStateRule`).
protocol AccountCondition: AccountRule, RegisteredRule {
    static func holds<F: AccountFactsView>(account: F) -> Bool
}

extension AccountFacts: AccountFactsView {
    var active: Bool { account.active }
    var auditableGrants: Int { account.auditableGrants }
    var idleSinceCutoff: Bool { account.lastActivity.map { $0 < options.dormantCutoff } ?? false }
    var badTimestamp: Bool {
        !InvalidTimestamp.isValid(account.row.createdAt, required: true)
            || !InvalidTimestamp.isValid(account.row.lastLoginAt, required: false)
    }
    var current: Bool { options.mode == .current }
}
