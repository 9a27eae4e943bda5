/// Replays history events (CONTRACT.md §4) onto a state of grants and accounts.
///
/// Pure: events in, state out, no database. Events must arrive in the contract's order
/// (`EventReader` gives them so). An event that cannot be applied is skipped and its reason
/// returned, for `invalid-event`.
package final class Replay {
    /// Live grants by id.
    package private(set) var grants: [GrantID: GrantRow] = [:]
    /// Accounts as they stand: the `accounts` row as it is now, with the account events applied
    /// so far on top; accounts without a row appear once an event names them. By id, byte for byte.
    package private(set) var accounts: [ExactText: AccountRow] = [:]
    /// Account ids in a stable order: table order, then first named by an event.
    package private(set) var accountOrder: [String] = []
    /// Live grant ids by account id (kept only when asked for).
    package private(set) var grantsByAccount: [ExactText: Set<GrantID>] = [:]
    private let tracksAccounts: Bool

    /// - Parameters:
    ///   - accounts: the `accounts` table as it is now (the first row of a repeated id wins).
    ///   - tracksAccounts: keep `grantsByAccount` up to date (exposure and timelines need it).
    package init(accounts rows: [AccountRow] = [], tracksAccounts: Bool = false) {
        self.tracksAccounts = tracksAccounts
        for row in rows {
            guard let id = row.accountID, accounts[ExactText(id)] == nil else { continue }
            accounts[ExactText(id)] = row
            accountOrder.append(id)
        }
    }

    /// Applies `event`. Returns nil when it was applied, or why it is invalid (and was skipped).
    @discardableResult
    package func apply(_ event: HistoryEvent) -> String? {
        guard let occurredAt = event.occurredAt, Timestamp(occurredAt) != nil else {
            return Reason.badTime(event.occurredAt)
        }
        switch event.log {
        case .accountEvents: return applyAccountEvent(event)
        case .grantEvents: return applyGrantEvent(event, at: occurredAt)
        }
    }

    private func applyAccountEvent(_ event: HistoryEvent) -> String? {
        let action = event.action
        guard action == "create" || action == "move" || action == "status" else {
            return Reason.unknownAccountAction(action)
        }
        // An event without an account_id names no account any grant can reach: nothing to change.
        guard let id = event.accountID else { return nil }
        let key = ExactText(id)
        var row = accounts[key] ?? AccountRow(accountID: id, username: nil, orgID: nil, status: "active", createdAt: nil)
        if accounts[key] == nil { accountOrder.append(id) }
        switch action {
        case "create":
            row.orgID = event.orgID
            row.status = Blank.isBlank(event.status) ? "active" : event.status
        case "move":
            row.orgID = event.orgID
        default:
            row.status = event.status
        }
        accounts[key] = row
        return nil
    }

    private func applyGrantEvent(_ event: HistoryEvent, at occurredAt: String) -> String? {
        let id = event.grantID ?? .null
        let existing = grants[id]
        switch event.action {
        case "grant":
            guard existing == nil else { return Reason.exists(id) }
            let grant = GrantRow(
                grantID: id, accountID: event.accountID, level: event.level, scopeOrgID: event.scopeOrgID,
                grantedAt: occurredAt, grantedBy: event.actor, approvedBy: event.approvedBy, expiresAt: event.expiresAt)
            grants[id] = grant
            track(grant.accountID, id, add: true)
        case "change":
            guard var grant = existing else { return Reason.missing("change", id) }
            guard ExactText.equal(grant.accountID, event.accountID) else {
                return Reason.otherAccount(id, event: event.accountID, holder: grant.accountID)
            }
            grant.level = event.level
            grant.scopeOrgID = event.scopeOrgID
            grant.approvedBy = event.approvedBy
            grant.expiresAt = event.expiresAt
            grants[id] = grant
        case "revoke":
            guard let grant = existing else { return Reason.missing("revoke", id) }
            grants[id] = nil
            track(grant.accountID, id, add: false)
        default:
            return Reason.unknownGrantAction(event.action)
        }
        return nil
    }

    private func track(_ account: String?, _ id: GrantID, add: Bool) {
        guard tracksAccounts, let account = ExactText(account) else { return }
        if add {
            grantsByAccount[account, default: []].insert(id)
        } else {
            grantsByAccount[account]?.remove(id)
        }
    }

    /// The account's state, nil when it has neither a row nor an event so far.
    package func account(_ id: String?) -> AccountRow? {
        ExactText(id).flatMap { accounts[$0] }
    }

    /// The live grants of an account, in grant_id order (needs `tracksAccounts`).
    package func grants(of account: String) -> [GrantRow] {
        (grantsByAccount[ExactText(account)] ?? []).sorted().compactMap { grants[$0] }
    }

    /// Every live grant in grant_id order.
    package var sortedGrants: [GrantRow] {
        grants.keys.sorted().compactMap { grants[$0] }
    }

    /// Why an event is invalid, in words both engines share.
    enum Reason {
        static func badTime(_ text: String?) -> String { "occurred_at \(quoted(text)) is not a valid timestamp" }
        static func unknownAccountAction(_ action: String?) -> String { "unknown account action \(quoted(action))" }
        static func unknownGrantAction(_ action: String?) -> String { "unknown grant action \(quoted(action))" }
        static func exists(_ id: GrantID) -> String { "grant \(id) already exists" }
        static func missing(_ action: String, _ id: GrantID) -> String { "\(action) of grant \(id), which does not exist" }
        static func otherAccount(_ id: GrantID, event: String?, holder: String?) -> String {
            "change of grant \(id) names account \(quoted(event)), but it belongs to \(quoted(holder))"
        }
    }
}
