@testable import AccessAuditKit
import Testing

/// Found attacking the next build: `investigate` picked its subject's events in SQL with `=`
/// (affinity, storage class, the column's collation), where every engine compares ids as text,
/// byte for byte, an integer's canonical text being that integer (CONTRACT.md §2).
struct InvestigateIDTests {
    typealias E = RuleExample

    /// u-ca's grant 1 (alliance: fine) raised to national by a `change` logged under text '1', and
    /// revoked by a `revoke` logged under blob X'31' naming another account (a revoke takes the
    /// grant whoever it names).
    static let textIDs =
        E.grantEvent(1, "2026-05-01T10:00:00Z", "grant", grant: 1, account: "u-ca", level: "'alliance'")
        + "INSERT INTO grant_events VALUES (2, '2026-05-02T10:00:00Z', 'change', '1', 'u-ca', 'national', NULL, 'admin.one', 'approver.two', NULL, NULL);"
        + "INSERT INTO grant_events VALUES (3, '2026-05-05T12:00:00Z', 'revoke', X'31', 'u-prov', NULL, NULL, 'admin.two', NULL, NULL, NULL);"

    @Test("Events logged under '1' and X'31' are grant 1's, for --grant 1 and for its account; '01' is another grant")
    func textGrantIDs() throws {
        for subject in [InvestigationSubject.grant(argument: "1"), .account("u-ca")] {
            let report = try InvestigateTests.investigate(Self.textIDs, subject)
            let breaches = report.intervals.filter { $0.interval.rule == "level-exceeds-policy" }
            #expect(InvestigateTests.spans(breaches) == ["level-exceeds-policy 1 2026-05-02T10:00:00Z 2026-05-05T12:00:00Z"], "\(subject)")
        }
        // The text '01' names no grant 1 (nor does the argument): an unknown subject.
        #expect(InvestigationSubject.grant(argument: "01") == .grant(.text("01")))
        #expect(InvestigationSubject.grant(argument: "+1") == .grant(.text("+1")))
        #expect(throws: AuditError.self) { try InvestigateTests.investigate(Self.textIDs, .grant(argument: "01")) }
    }

    /// The three logs and `accounts` with `account_id COLLATE NOCASE`, and an account `U-CA`
    /// beside `u-ca` (ids compare exactly: two accounts) with an invalid event and a grant 2.
    static let nocase = """
        CREATE TABLE a2(account_id COLLATE NOCASE, username, display_name, org_id, status, created_at, last_login_at);
        INSERT INTO a2 SELECT * FROM accounts;
        DROP TABLE accounts;
        ALTER TABLE a2 RENAME TO accounts;
        INSERT INTO accounts VALUES ('U-CA', 'other.user', 'Other', 'NAT', 'active', '2026-01-01', NULL);
        DROP TABLE grant_events;
        CREATE TABLE grant_events(event_id, occurred_at, action, grant_id, account_id COLLATE NOCASE, level, scope_org_id, actor, approved_by, expires_at, note);
        DROP TABLE account_events;
        CREATE TABLE account_events(event_id, occurred_at, action, account_id COLLATE NOCASE, org_id, status, actor, note);
        """
        + E.grantEvent(1, "2026-05-02T10:00:00Z", "grant", grant: 1, account: "u-ca", level: "'national'")
        + E.grantEvent(2, "2026-05-03T10:00:00Z", "grant", grant: 2, account: "U-CA", level: "'national'")
        + E.accountEvent(1, "2026-05-04T10:00:00Z", "teleport", account: "U-CA")

    @Test("A NOCASE account_id pulls in no other account's rows or events: for --account and for --grant")
    func nocaseAccounts() throws {
        for subject in [InvestigationSubject.account("u-ca"), .grant(.integer(1))] {
            let report = try InvestigateTests.investigate(Self.nocase, subject)
            let breaches = report.intervals.filter { $0.interval.rule == "level-exceeds-policy" }
            #expect(InvestigateTests.spans(breaches) == ["level-exceeds-policy 1 2026-05-02T10:00:00Z ongoing"], "\(subject)")
            #expect(report.invalidEvents == 0, "U-CA's invalid event is not u-ca's: \(subject)")
            #expect(report.timeline.allSatisfy { $0.event.accountID == "u-ca" }, "\(subject)")
        }
        #expect(try InvestigateTests.investigate(Self.nocase, .account("U-CA")).invalidEvents == 1)
    }

    @Test("A nightly run after the last timestamp (9999-12-31T23:59:59Z) is an error, not a year 10000 in the report")
    func nightlyAfterTheLastTimestamp() throws {
        let late = E.grantEvent(1, "9999-12-31T03:00:00Z", "grant", grant: 1, account: "u-ca", level: "'national'")
        let report = try InvestigateTests.investigate(late, to: "9999-12-31T23:59:59Z", nightly: "04:00")
        #expect(report.detectable.first?.firstNightlyRun == Fixture.timestamp("9999-12-31T04:00:00Z"))
        #expect(throws: AuditError.self) { try InvestigateTests.investigate(late, to: "9999-12-31T23:59:59Z", nightly: "02:00") }
        #expect(NightlySchedule("02:00")?.firstRun(atOrAfter: Fixture.timestamp("9999-12-31T02:00:00Z")) != nil)
        #expect(NightlySchedule("02:00")?.firstRun(atOrAfter: Fixture.timestamp("9999-12-31T02:00:01Z")) == nil)
    }
}
