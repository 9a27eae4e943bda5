@testable import AccessAuditKit
import Testing

/// Ids compare exactly, byte for byte (CONTRACT.md §2), where Swift's `String` `==` and hashing
/// are canonical equivalence: `café` in NFC (U+00E9) and in NFD (e + U+0301) are different ids to
/// every rule, on every engine of `audit`, `replay` and `exposure`.
struct ExactTextTests {
    static let nfc = "'caf' || char(233)"
    static let nfd = "'cafe' || char(769)"

    /// A grant row with SQL expressions for its values.
    static func grant(
        _ id: Int, account: String = "'u-ca'", level: String = "'alliance'", scope: String = "NULL",
        by: String = "'admin.one'", approvedBy: String = "'approver.two'"
    ) -> String {
        "INSERT INTO grants VALUES (\(id), \(account), \(level), \(scope), '2026-05-01T10:00:00Z', \(by), \(approvedBy), NULL);"
    }

    static func account(_ id: String, org: String, username: String = "'cafe.user'", status: String = "'active'") -> String {
        "INSERT INTO accounts VALUES (\(id), \(username), 'Cafe', \(org), \(status), '2026-01-01', '2026-05-30');"
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let note: String
        let rule: String
        let count: Int
        let sql: String
        var testDescription: String { "\(rule) \(count): \(note)" }
    }

    static let cases: [Case] = [
        Case(
            note: "scope NFD, own organisation NFC", rule: "scope-outside-remit", count: 1,
            sql: "INSERT INTO organisations VALUES (\(nfc), 'Cafe', 'cancer_alliance', NULL);"
                + account("'u-cafe'", org: nfc) + grant(1, account: "'u-cafe'", scope: nfd)),
        Case(
            note: "scope NFD, remit covers NFC", rule: "scope-outside-remit", count: 1,
            sql: "INSERT INTO organisations VALUES (\(nfc), 'Cafe', 'provider', NULL); INSERT INTO org_remit VALUES ('CA1', \(nfc));"
                + grant(1, scope: nfd)),
        Case(
            note: "level NFD ranks 99, NFC 10", rule: "level-exceeds-policy", count: 1,
            sql: "INSERT INTO access_levels VALUES (\(nfc), 10, NULL), (\(nfd), 99, NULL);" + grant(1, level: nfd)),
        Case(
            note: "unknown-account: account NFC, grant NFD", rule: "unauditable-grant", count: 1,
            sql: account(nfc, org: "'CA1'") + grant(1, account: nfd)),
        Case(
            note: "unknown-organisation: organisation NFC, account's org NFD", rule: "unauditable-grant", count: 1,
            sql: "INSERT INTO organisations VALUES (\(nfc), 'Cafe', 'provider', NULL);" + account("'u-cafe'", org: nfd)
                + grant(1, account: "'u-cafe'", level: "'organisation'")),
        Case(
            note: "no-policy: policy for type NFC, organisation of type NFD", rule: "unauditable-grant", count: 1,
            sql: "INSERT INTO policy VALUES (\(nfc), 'organisation', 'national', 0);"
                + "INSERT INTO organisations VALUES ('CAFE', 'Cafe', \(nfd), NULL);" + account("'u-cafe'", org: "'CAFE'")
                + grant(1, account: "'u-cafe'", level: "'national'")),
        Case(
            note: "unknown-level: level NFC, grant NFD", rule: "unauditable-grant", count: 1,
            sql: "INSERT INTO access_levels VALUES (\(nfc), 10, NULL);" + grant(1, level: nfd)),
        Case(
            note: "grantor NFC, approver NFD", rule: "self-approved", count: 0,
            sql: grant(1, by: nfc, approvedBy: nfd)),
        Case(
            note: "username NFC, approver NFD", rule: "self-approved", count: 0,
            sql: account("'u-cafe'", org: "'CA1'", username: nfc) + grant(1, account: "'u-cafe'", approvedBy: nfd)),
        Case(
            note: "account_id NFC, approver NFD", rule: "self-approved", count: 0,
            sql: account(nfc, org: "'CA1'") + grant(1, account: nfc, approvedBy: nfd)),
        Case(
            note: "scopes NFC and NFD", rule: "duplicate-grant", count: 0,
            sql: grant(1, scope: nfc) + grant(2, scope: nfd)),
        Case(
            note: "levels NFC and NFD", rule: "duplicate-grant", count: 0,
            sql: "INSERT INTO access_levels VALUES (\(nfc), 10, NULL), (\(nfd), 10, NULL);" + grant(1, level: nfc) + grant(2, level: nfd)),
        Case(
            note: "account NFD disabled with a grant, NFC active", rule: "inactive-account-access", count: 1,
            sql: account(nfc, org: "'CA1'") + account(nfd, org: "'CA1'", status: "'disabled'") + grant(1, account: nfd)),
        Case(
            note: "scope NFC in grants, NFD in the log", rule: "history-mismatch", count: 1,
            sql: grant(1, scope: nfc)
                + "INSERT INTO grant_events VALUES (1, '2026-05-01T10:00:00Z', 'grant', 1, 'u-ca', 'alliance', \(nfd), 'admin.one', 'approver.two', NULL, NULL);"),
        Case(
            note: "account NFC in grants, NFD in the log", rule: "history-mismatch", count: 1,
            sql: account(nfc, org: "'CA1'") + account(nfd, org: "'CA1'") + grant(1, account: nfc)
                + "INSERT INTO grant_events VALUES (1, '2026-05-01T10:00:00Z', 'grant', 1, \(nfd), 'alliance', NULL, 'admin.one', 'approver.two', NULL, NULL);"),
    ]

    @Test("NFC and NFD are different ids on every engine of audit, replay and exposure", arguments: cases)
    func everyEngine(_ testCase: Case) throws {
        try EveryEngine.check(testCase.sql, rule: testCase.rule, count: testCase.count)
    }

    @Test("ExactText, GrantID and Blank.samePerson compare bytes, not canonical equivalence")
    func values() {
        let nfc = "caf\u{E9}", nfd = "cafe\u{301}"
        #expect(nfc == nfd, "Swift's own ==, the trap this guards against")
        #expect(ExactText(nfc) != ExactText(nfd))
        #expect(Set([ExactText(nfc), ExactText(nfd), ExactText("\u{212A}"), ExactText("K")]).count == 4)
        #expect(!ExactText.equal(nfc, nfd) && ExactText.equal(nfc, "caf\u{E9}"))
        #expect(GrantID.text(nfc) != GrantID.text(nfd))
        #expect(Set([GrantID.text(nfc), GrantID.text(nfd)]).count == 2)
        #expect(!Blank.samePerson(nfc, nfd) && !Blank.samePerson("\u{212A}im", "Kim"))
        #expect(Blank.samePerson(" \(nfd)\t", "CAFE\u{301}"), "trimmed, ASCII case ignored")
    }

    @Test("Replay keeps NFC and NFD grant ids and accounts apart")
    func replayKeys() {
        let nfc = "caf\u{E9}", nfd = "cafe\u{301}"
        let replay = Replay(
            accounts: [AccountRow(accountID: nfc, username: "a", orgID: "P1", status: "active", createdAt: nil),
                       AccountRow(accountID: nfd, username: "b", orgID: "P2", status: "active", createdAt: nil)])
        #expect(replay.accountOrder.count == 2)
        #expect(replay.account(nfd)?.orgID == "P2")
        for (index, id) in [nfc, nfd].enumerated() {
            replay.apply(HistoryEvent(
                log: .grantEvents, eventID: .integer(Int64(index + 1)), occurredAt: "2026-01-01", action: "grant",
                grantID: .text(id), accountID: nfc, level: "alliance"))
        }
        #expect(replay.grants.count == 2)
    }
}
