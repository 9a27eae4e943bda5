import AccessAuditKit
import Testing

/// CONTRACT.md §4 replay, clause by clause, on the pure component (events in, state out).
struct ReplayTests {
    static func grantEvent(
        _ id: Int64, _ at: String, _ action: String, grant: Int64, account: String?, level: String? = nil,
        scope: String? = nil, actor: String? = "admin", approvedBy: String? = "boss", expires: String? = nil
    ) -> HistoryEvent {
        HistoryEvent(
            log: .grantEvents, eventID: .integer(id), occurredAt: at, action: action, grantID: .integer(grant),
            accountID: account, level: level, scopeOrgID: scope, actor: actor, approvedBy: approvedBy, expiresAt: expires)
    }

    static func accountEvent(_ id: Int64, _ at: String, _ action: String, account: String?, org: String? = nil, status: String? = nil)
        -> HistoryEvent
    {
        HistoryEvent(log: .accountEvents, eventID: .integer(id), occurredAt: at, action: action, accountID: account, orgID: org, status: status)
    }

    @Test("grant creates the grant: granted_by is the actor, granted_at the occurred_at")
    func grantCreates() {
        let replay = Replay()
        #expect(replay.apply(Self.grantEvent(1, "2026-01-01T10:00Z", "grant", grant: 7, account: "a", level: "alliance", scope: "P1", expires: "2027-01-01")) == nil)
        #expect(
            replay.grants[.integer(7)]
                == GrantRow(
                    grantID: .integer(7), accountID: "a", level: "alliance", scopeOrgID: "P1", grantedAt: "2026-01-01T10:00Z",
                    grantedBy: "admin", approvedBy: "boss", expiresAt: "2027-01-01"))
    }

    @Test("change replaces level, scope, approver and expiry, NULL meaning NULL; the rest stays")
    func changeReplaces() {
        let replay = Replay()
        replay.apply(Self.grantEvent(1, "2026-01-01", "grant", grant: 7, account: "a", level: "alliance", scope: "P1", expires: "2027-01-01"))
        #expect(replay.apply(Self.grantEvent(2, "2026-02-01", "change", grant: 7, account: "a", level: "national", actor: "other", approvedBy: nil)) == nil)
        let grant = replay.grants[.integer(7)]
        #expect(grant?.level == "national")
        #expect(grant?.scopeOrgID == nil)
        #expect(grant?.approvedBy == nil)
        #expect(grant?.expiresAt == nil)
        #expect(grant?.grantedBy == "admin")
        #expect(grant?.grantedAt == "2026-01-01")
    }

    @Test("A change naming a different account is invalid and changes nothing")
    func changeWithOtherAccount() {
        let replay = Replay()
        replay.apply(Self.grantEvent(1, "2026-01-01", "grant", grant: 7, account: "a", level: "alliance"))
        #expect(replay.apply(Self.grantEvent(2, "2026-02-01", "change", grant: 7, account: "b", level: "national")) != nil)
        #expect(replay.apply(Self.grantEvent(3, "2026-02-01", "change", grant: 7, account: "A", level: "national")) != nil)
        #expect(replay.apply(Self.grantEvent(4, "2026-02-01", "change", grant: 7, account: nil, level: "national")) != nil)
        #expect(replay.grants[.integer(7)]?.level == "alliance")
    }

    @Test("revoke removes; revoke needs no matching account")
    func revoke() {
        let replay = Replay()
        replay.apply(Self.grantEvent(1, "2026-01-01", "grant", grant: 7, account: "a", level: "alliance"))
        #expect(replay.apply(Self.grantEvent(2, "2026-02-01", "revoke", grant: 7, account: "someone-else")) == nil)
        #expect(replay.grants.isEmpty)
    }

    @Test("A grant for a live grant_id, a change or revoke of a missing one: invalid")
    func existenceChecks() {
        let replay = Replay()
        #expect(replay.apply(Self.grantEvent(1, "2026-01-01", "change", grant: 7, account: "a", level: "x")) != nil)
        #expect(replay.apply(Self.grantEvent(2, "2026-01-01", "revoke", grant: 7, account: "a")) != nil)
        replay.apply(Self.grantEvent(3, "2026-01-02", "grant", grant: 7, account: "a", level: "alliance"))
        #expect(replay.apply(Self.grantEvent(4, "2026-01-03", "grant", grant: 7, account: "b", level: "national")) != nil)
        #expect(replay.grants[.integer(7)]?.accountID == "a")
    }

    @Test("A re-grant after a revoke is valid and starts afresh")
    func regrant() {
        let replay = Replay()
        replay.apply(Self.grantEvent(1, "2026-01-01", "grant", grant: 7, account: "a", level: "alliance"))
        replay.apply(Self.grantEvent(2, "2026-01-02", "revoke", grant: 7, account: "a"))
        #expect(replay.apply(Self.grantEvent(3, "2026-01-03", "grant", grant: 7, account: "b", level: "national", actor: "new")) == nil)
        #expect(replay.grants[.integer(7)]?.accountID == "b")
        #expect(replay.grants[.integer(7)]?.grantedBy == "new")
        #expect(replay.grants[.integer(7)]?.grantedAt == "2026-01-03")
    }

    @Test("Unknown actions and invalid times are invalid, for both logs")
    func invalidEvents() {
        let replay = Replay()
        #expect(replay.apply(Self.grantEvent(1, "2026-01-01", "GRANT", grant: 7, account: "a", level: "x")) != nil)
        #expect(replay.apply(Self.grantEvent(2, "2026-01-01", " grant", grant: 7, account: "a", level: "x")) != nil)
        #expect(replay.apply(Self.grantEvent(3, "2026-02-30", "grant", grant: 7, account: "a", level: "x")) != nil)
        #expect(replay.apply(Self.accountEvent(4, "2026-01-01", "delete", account: "a")) != nil)
        #expect(replay.apply(Self.accountEvent(5, "", "status", account: "a", status: "x")) != nil)
        #expect(replay.grants.isEmpty)
        #expect(replay.accounts.isEmpty)
    }

    @Test("Accounts start from their row now; events apply on top; an unknown account starts with no org, active")
    func accounts() {
        let row = AccountRow(accountID: "a", username: "alice", orgID: "P1", status: "active", createdAt: "2026-01-01")
        let replay = Replay(accounts: [row, AccountRow(accountID: "a", username: "dup", orgID: "X", status: "x", createdAt: nil)])
        #expect(replay.account("a") == row)
        replay.apply(Self.accountEvent(1, "2026-01-01", "move", account: "a", org: "CA1"))
        #expect(replay.account("a")?.orgID == "CA1")
        #expect(replay.account("a")?.username == "alice")
        replay.apply(Self.accountEvent(2, "2026-01-02", "status", account: "a", status: "locked"))
        #expect(replay.account("a")?.status == "locked")
        replay.apply(Self.accountEvent(3, "2026-01-03", "create", account: "a", org: "P2", status: " "))
        #expect(replay.account("a")?.status == "active")
        #expect(replay.account("a")?.orgID == "P2")
        replay.apply(Self.accountEvent(4, "2026-01-04", "status", account: "b", status: "left"))
        #expect(replay.account("b") == AccountRow(accountID: "b", username: nil, orgID: nil, status: "left", createdAt: nil))
        replay.apply(Self.accountEvent(5, "2026-01-05", "move", account: "a", org: nil))
        #expect(replay.account("a")?.orgID == nil)
        #expect(replay.accountOrder == ["a", "b"])
    }

    @Test("grantsByAccount follows grants and revokes")
    func tracking() {
        let replay = Replay(tracksAccounts: true)
        replay.apply(Self.grantEvent(1, "2026-01-01", "grant", grant: 2, account: "a", level: "x"))
        replay.apply(Self.grantEvent(2, "2026-01-01", "grant", grant: 1, account: "a", level: "y"))
        #expect(replay.grants(of: "a").map(\.grantID) == [.integer(1), .integer(2)])
        replay.apply(Self.grantEvent(3, "2026-01-02", "revoke", grant: 2, account: "a"))
        #expect(replay.grants(of: "a").map(\.grantID) == [.integer(1)])
    }
}
