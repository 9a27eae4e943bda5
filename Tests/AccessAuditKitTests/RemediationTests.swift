@testable import AccessAuditKit
import Foundation
import Testing

/// The remediation script applied (ROLLBACK changed to COMMIT) to hostile databases: exactly the
/// intended rows change, whatever the ids hold.
struct RemediationTests {
    /// Accounts whose ids attack the script, each disabled and holding one grant (so the fix is
    /// `DELETE FROM grants WHERE account_id = …`), beside active look-alikes that must keep theirs.
    static let hostile = """
        INSERT INTO accounts(account_id, username, display_name, org_id, status, created_at, last_login_at) VALUES
          ('evil' || char(10) || 'COMMIT; DELETE FROM accounts; DELETE FROM grants;' || char(10) || '--', 'evil', 'Evil', 'P1', 'disabled', '2026-01-01', NULL),
          ('bob', 'bob', 'Bob (active)', 'P1', 'active', '2026-01-01', '2026-05-30'),
          (CAST(X'626F6200' AS TEXT), 'bob0', 'Bob NUL (disabled)', 'P1', 'disabled', '2026-01-01', NULL),
          (CAST(X'75FF' AS TEXT), 'uff', 'invalid UTF-8 (disabled)', 'P1', 'disabled', '2026-01-01', NULL),
          (CAST(X'75FE' AS TEXT), 'ufe', 'invalid UTF-8 (active)', 'P1', 'active', '2026-01-01', '2026-05-30'),
          ('o''brien'';--', 'obrien', 'Quotes (disabled)', 'P1', 'disabled', '2026-01-01', NULL),
          ('rtl' || char(8238) || 'x', 'rtl', 'Bidi (disabled)', 'P1', 'disabled', '2026-01-01', NULL);
        INSERT INTO grants(grant_id, account_id, level, scope_org_id, granted_at, granted_by, approved_by, expires_at) VALUES
          (10, 'evil' || char(10) || 'COMMIT; DELETE FROM accounts; DELETE FROM grants;' || char(10) || '--', 'organisation', NULL, '2026-05-01', 'admin.one', 'approver.two', NULL),
          (11, 'bob', 'organisation', NULL, '2026-05-01', 'admin.one', 'approver.two', NULL),
          (12, CAST(X'626F6200' AS TEXT), 'organisation', NULL, '2026-05-01', 'admin.one', 'approver.two', NULL),
          (13, CAST(X'75FF' AS TEXT), 'organisation', NULL, '2026-05-01', 'admin.one', 'approver.two', NULL),
          (14, CAST(X'75FE' AS TEXT), 'organisation', NULL, '2026-05-01', 'admin.one', 'approver.two', NULL),
          (15, 'o''brien'';--', 'organisation', NULL, '2026-05-01', 'admin.one', 'approver.two', NULL),
          (16, 'rtl' || char(8238) || 'x', 'organisation', NULL, '2026-05-01', 'admin.one', 'approver.two', NULL),
          (17, 'u-prov', 'national', NULL, '2026-05-01', 'admin.one', 'approver.two', NULL);
        """

    /// The same grants logged as they were made, so the script must log its changes too.
    static let history = """
        INSERT INTO grant_events(event_id, occurred_at, action, grant_id, account_id, level, scope_org_id, actor, approved_by, expires_at, note)
          SELECT grant_id, granted_at, 'grant', grant_id, account_id, level, scope_org_id, granted_by, approved_by, expires_at, NULL FROM grants;
        """

    static func database(history: Bool) throws -> Connection {
        let connection = try Connection()
        try connection.executeScript(BundledSchema.sql + RuleExample.baseFixture + hostile + (history ? Self.history : ""))
        return connection
    }

    /// Every row of a table, every column as its hex bytes and storage class.
    static func rows(_ connection: Connection, _ table: String, _ columns: [String]) throws -> [String] {
        let select = columns.map { "typeof(\($0)) || ':' || hex(\($0))" }.joined(separator: " || ' ' || ")
        var rows: [String] = []
        try connection.prepare("SELECT \(select) FROM \(table) ORDER BY rowid").forEachRow { rows.append($0.text(0) ?? "") }
        return rows
    }

    static let grantColumns = ["grant_id", "account_id", "level", "scope_org_id", "granted_at", "granted_by", "approved_by", "expires_at"]
    static let accountColumns = ["account_id", "username", "display_name", "org_id", "status", "created_at", "last_login_at"]

    @Test("Applied to hostile ids (newline + COMMIT injection, NUL, invalid UTF-8, quotes, bidi), exactly the intended rows change", arguments: [false, true])
    func hostileIDs(history: Bool) throws {
        let report = try DatabaseAudit.run(try Self.database(history: history), database: "hostile", options: AuditOptions(now: RuleExample.now))
        #expect(report.findings.count { $0.rule == "inactive-account-access" } == 5)
        let script = RemediationSQL.script(for: report, actor: "admin" + "\n" + "DELETE FROM accounts;")
        // No value became a statement: every line is a comment or one of the script's own.
        for line in script.split(separator: "\n", omittingEmptySubsequences: true) {
            let statement = line.trimmingCharacters(in: .whitespaces)
            let own = ["--", "BEGIN;", "ROLLBACK;", "UPDATE grants ", "DELETE FROM grants ", "INSERT INTO grant_events ", "SELECT ", "strftime(", "FROM grants ", "CAST(X'", "'access-audit"]
            #expect(own.contains { statement.hasPrefix($0) }, "\(statement)")
        }
        #expect(!script.unicodeScalars.contains { $0 == "\u{202E}" || $0 == "\0" || $0 == "\r" })

        let applied = try Self.database(history: history)
        let untouched = try Self.database(history: history)
        try applied.executeScript(script.replacingOccurrences(of: "ROLLBACK;  -- change to COMMIT after review", with: "COMMIT;"))
        // Accounts untouched; grants: exactly the five inactive accounts' grants gone and grant 17 lowered.
        #expect(try Self.rows(applied, "accounts", Self.accountColumns) == Self.rows(untouched, "accounts", Self.accountColumns))
        let before = try Self.rows(untouched, "grants", Self.grantColumns)
        let after = try Self.rows(applied, "grants", Self.grantColumns)
        let deleted: Set = [10, 12, 13, 15, 16]
        var expected: [String] = []
        for (index, row) in before.enumerated() {
            let id = [10, 11, 12, 13, 14, 15, 16, 17][index]
            if deleted.contains(id) { continue }
            expected.append(id == 17 ? row.replacingOccurrences(of: Self.hex("national"), with: Self.hex("organisation")) : row)
        }
        #expect(after == expected)

        // Re-audited, the fixed findings are gone and nothing new appears.
        let reaudit = try DatabaseAudit.run(applied, database: "hostile", options: AuditOptions(now: RuleExample.now))
        let fixed = Set(report.findings.filter { ["inactive-account-access", "level-exceeds-policy"].contains($0.rule) }.map(\.key))
        #expect(Set(reaudit.findings.map(\.key)) == Set(report.findings.map(\.key)).subtracting(fixed))
        var events = 0
        try applied.prepare("SELECT count(*) FROM grant_events WHERE actor = CAST(X'\(Self.hex("admin\nDELETE FROM accounts;"))' AS TEXT)")
            .forEachRow { events = Int($0.int64(0)) }
        #expect(events == (history ? 6 : 0), "one event per changed grant, only when the log has rows")
    }

    /// Found attacking the build: with grant_id 5 held by alice's expired grant and bob's valid
    /// one (no primary key), the fix `DELETE FROM grants WHERE grant_id = 5` deleted both.
    @Test("A fix for a grant whose grant_id names several rows changes nothing; a unique id is still fixed", arguments: [false, true])
    func repeatedGrantID(history: Bool) throws {
        func database() throws -> Connection {
            let connection = try Connection()
            try connection.executeScript(
                ContractSchema.unconstrainedSQL + RuleExample.baseFixture + """
                    INSERT INTO grants VALUES
                      (5, 'u-prov', 'organisation', NULL, '2026-05-01', 'admin.one', 'approver.two', '2026-05-15'),
                      (5, 'u-ca', 'alliance', NULL, '2026-05-01', 'admin.one', 'approver.two', NULL),
                      (6, 'u-ca', 'alliance', NULL, '2026-05-01', 'admin.one', 'approver.two', '2026-05-15');
                    """ + (history ? Self.history : ""))
            return connection
        }
        let report = try DatabaseAudit.run(try database(), database: "repeated", options: AuditOptions(now: RuleExample.now))
        #expect(Set(report.findings.filter { $0.rule == "expired-grant" }.compactMap(\.grantID)) == [.integer(5), .integer(6)])
        let script = RemediationSQL.script(for: report, actor: "admin")
        let applied = try database()
        try applied.executeScript(script.replacingOccurrences(of: "ROLLBACK;  -- change to COMMIT after review", with: "COMMIT;"))
        var left: [String] = []
        try applied.prepare("SELECT grant_id || ' ' || account_id FROM grants ORDER BY rowid").forEachRow { left.append($0.text(0) ?? "") }
        #expect(left == ["5 u-prov", "5 u-ca"])
        var logged: [Int64] = []
        try applied.prepare("SELECT grant_id FROM grant_events WHERE actor = 'admin'").forEachRow { logged.append($0.int64(0)) }
        #expect(logged == (history ? [6] : []))
    }

    @Test("In a UTF-16 database, where X'…' literals would name other text, the script stops before changing anything")
    func utf16Database() throws {
        let report = try DatabaseAudit.run(try Self.database(history: true), database: "hostile", options: AuditOptions(now: RuleExample.now))
        let script = RemediationSQL.script(for: report, actor: "admin").replacingOccurrences(of: "ROLLBACK;  -- change to COMMIT after review", with: "COMMIT;")
        let utf16 = try Connection()
        try utf16.execute("PRAGMA encoding = 'UTF-16le'")
        try utf16.executeScript(BundledSchema.sql + RuleExample.baseFixture + Self.hostile + Self.history)
        let before = try Self.rows(utf16, "grants", Self.grantColumns)
        #expect(throws: (any Error).self) { try utf16.executeScript(script) }
        try? utf16.execute("ROLLBACK")
        #expect(try Self.rows(utf16, "grants", Self.grantColumns) == before)
    }

    static func hex(_ text: String) -> String {
        text.utf8.map { String(format: "%02X", $0) }.joined()
    }

    @Test("Literals are byte-exact and comments unbreakable")
    func literalsAndComments() throws {
        let samples: [[UInt8]] = [
            Array("plain".utf8), Array("o'brien".utf8), [0x62, 0x6F, 0x62, 0x00], [0x75, 0xFF], Array("a\nb\r".utf8),
            Array("r\u{202E}l".utf8), Array("Zoë 🚑".utf8), [],
        ]
        let connection = try Connection()
        for bytes in samples {
            let text = DBText.decode(bytes)
            #expect(DBText.bytes(text) == bytes)
            var back: [UInt8]?
            try connection.prepare("SELECT CAST(\(RemediationSQL.literal(text)) AS BLOB), typeof(\(RemediationSQL.literal(text)))").forEachRow { row in
                back = row.bytes(0).map(Array.init) ?? []
                #expect(row.text(1) == "text")
            }
            #expect(back == bytes, "\(bytes)")
            let comment = RemediationSQL.comment(text)
            #expect(!comment.unicodeScalars.contains { $0.value < 0x20 || Escaping.isInvisible($0) })
        }
        #expect(RemediationSQL.literal("o'brien") == "'o''brien'")
        #expect(RemediationSQL.literal(DBText.decode([0x62, 0x6F, 0x62, 0x00])) == "CAST(X'626F6200' AS TEXT)")
    }
}
