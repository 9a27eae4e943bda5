@testable import AccessAuditKit
import Testing

/// Contract clauses that cross rules: unauditable grants, ordering, counts, data-driven levels.
struct EngineTests {
    typealias G = RuleExample

    @Test("An unauditable grant gets exactly one finding and no other grant finding")
    func unauditableIsExclusive() throws {
        let report = try Fixture.audit(
            RuleExample.grant(1, "nobody", "national", scope: "'P2'", by: "'x'", approvedBy: "'x'", expires: "'2020-01-01'")
                + RuleExample.grant(2, "nobody", "national", scope: "'P2'", by: "'x'", approvedBy: "'x'", expires: "'2020-01-01'"))
        #expect(report.findings.map(\.rule) == ["unauditable-grant", "unauditable-grant"])
        #expect(report.findings.map(\.reason) == ["unknown-account", "unknown-account"])
    }

    @Test("Unauditable reasons are checked in the contract's order")
    func unauditableReasonOrder() throws {
        // Unknown organisation and unknown level at once: the organisation is checked first.
        let both = try Fixture.audit(
            "UPDATE accounts SET org_id = 'GONE' WHERE account_id = 'u-ca';" + RuleExample.grant(1, "u-ca", "galactic"))
        #expect(both.findings.map(\.reason) == ["unknown-organisation"])
        // No policy and unknown level: no-policy first.
        let policy = try Fixture.audit(
            "UPDATE organisations SET org_type = NULL WHERE org_id = 'CA1';" + RuleExample.grant(1, "u-ca", "galactic"))
        #expect(policy.findings.map(\.reason) == ["no-policy"])
        let level = try Fixture.audit(RuleExample.grant(1, "u-ca", "galactic"))
        #expect(level.findings.map(\.reason) == ["unknown-level"])
        #expect(level.findings.first?.orgID == "CA1")
        let account = try Fixture.audit(RuleExample.grant(1, "nobody", "galactic"))
        #expect(account.findings.first?.orgID == nil)
        let nullAccount = try Fixture.audit(
            "INSERT INTO grants VALUES (1, NULL, 'alliance', NULL, '2026-01-01', 'a', 'b', NULL);")
        #expect(nullAccount.findings.map(\.reason) == ["unknown-account"])
        let nullLevel = try Fixture.audit(
            "INSERT INTO grants VALUES (1, 'u-ca', NULL, NULL, '2026-01-01', 'a', 'b', NULL);")
        #expect(nullLevel.findings.map(\.reason) == ["unknown-level"])
    }

    @Test("An invalid policy makes its type's grants no-policy, and is reported once")
    func invalidPolicyCascades() throws {
        let report = try Fixture.audit(
            "UPDATE policy SET default_level = 'national' WHERE org_type = 'cancer_alliance';"
                + RuleExample.grant(1, "u-ca", "national") + RuleExample.grant(2, "u-ca", "alliance"))
        #expect(Fixture.findings("invalid-policy", in: report).count == 1)
        #expect(Fixture.findings("invalid-policy", in: report).first?.orgType == "cancer_alliance")
        #expect(Fixture.findings("unauditable-grant", in: report).map(\.reason) == ["no-policy", "no-policy"])
        #expect(Fixture.findings("level-exceeds-policy", in: report).isEmpty)
    }

    @Test("A grant can break several rules at once")
    func severalRules() throws {
        let report = try Fixture.audit(
            RuleExample.grant(1, "u-ca", "national", scope: "'P2'", by: "'ca.user'", approvedBy: "'ca.user'", expires: "'2026-01-01'"))
        #expect(
            Set(report.findings.map(\.rule))
                == ["level-exceeds-policy", "scope-outside-remit", "self-approved", "expired-grant"])
    }

    @Test("Duplicates: lowest grant_id is the original, with the first-seen order irrelevant")
    func duplicates() throws {
        let report = try Fixture.audit(
            RuleExample.grant(7, "u-ca", "alliance") + RuleExample.grant(2, "u-ca", "organisation")
                + RuleExample.grant(4, "u-ca", "alliance") + RuleExample.grant(9, "u-ca", "organisation", scope: "'P1'")
                + RuleExample.grant(11, "u-ca", "organisation", scope: "' '"))
        let duplicates = Fixture.findings("duplicate-grant", in: report)
        #expect(duplicates.map(\.grantID) == [.integer(7), .integer(11)])
        #expect(duplicates.first?.evidence["found"] == "also grant 4")
    }

    @Test("Duplicate grant_ids in a database without constraints are not each other's duplicates")
    func duplicatePrimaryKeys() throws {
        let report = try Fixture.audit(RuleExample.grant(3, "u-ca", "alliance") + RuleExample.grant(3, "u-ca", "alliance"))
        #expect(Fixture.findings("duplicate-grant", in: report).isEmpty)
        #expect(report.grants == 2)
    }

    @Test("Text grant_ids sort after numbers, as in SQLite")
    func textGrantIDs() throws {
        let report = try Fixture.audit(
            "INSERT INTO grants VALUES ('g-1', 'u-ca', 'alliance', NULL, '2026-01-01', 'a', 'b', NULL);"
                + RuleExample.grant(50, "u-ca", "alliance"))
        let duplicate = Fixture.findings("duplicate-grant", in: report)
        #expect(duplicate.map(\.grantID) == [.text("g-1")])
        #expect(duplicate.first?.key == "duplicate-grant:grant:%Tg-1")
    }

    @Test("Levels and ranks come from the database")
    func dataDrivenLevels() throws {
        let sql = """
            INSERT INTO access_levels VALUES ('bronze', 1, NULL), ('silver', 2, NULL), ('gold', 3, NULL);
            INSERT INTO policy VALUES ('club', 'bronze', 'silver', 0);
            INSERT INTO organisations VALUES ('C', 'Club', 'club', NULL);
            INSERT INTO accounts VALUES ('a', 'a', NULL, 'C', 'active', '2026-05-01', NULL);
            INSERT INTO grants VALUES (1, 'a', 'gold', NULL, '2026-05-01', 'x', NULL, NULL);
            INSERT INTO grants VALUES (2, 'a', 'silver', NULL, '2026-05-01', 'x', NULL, NULL);
            """
        let report = try Fixture.audit(sql, base: false)
        #expect(report.findings.map(\.rule) == ["level-exceeds-policy", "above-default-level"])
    }

    @Test("A level defined twice: the first valid row wins")
    func duplicateLevels() throws {
        let report = try Fixture.audit(
            "INSERT INTO access_levels VALUES ('alliance', 99, 'later duplicate');" + RuleExample.grant(1, "u-ca", "alliance"))
        #expect(Fixture.findings("level-exceeds-policy", in: report).isEmpty)
    }

    @Test("Two valid policy rows for one type: the strictest reading")
    func duplicatePolicies() throws {
        let report = try Fixture.audit(
            "INSERT INTO policy VALUES ('cancer_alliance', 'organisation', 'organisation', 0);"
                + RuleExample.grant(1, "u-ca", "alliance", approvedBy: "NULL"))
        #expect(Fixture.findings("level-exceeds-policy", in: report).count == 1)
        #expect(Fixture.findings("missing-approval", in: report).count == 1)
    }

    @Test("Account findings: one per account; dormant cut-off follows --dormant-days")
    func accountRules() throws {
        let grants = RuleExample.grant(1, "u-old", "organisation") + RuleExample.grant(2, "u-old", "organisation", scope: "'P1'")
        let report = try Fixture.audit(grants)
        #expect(Fixture.findings("dormant-account", in: report).count == 1)
        #expect(Fixture.findings("dormant-account", in: report).first?.evidence["auditable_grants"] == "2")
        // u-old last logged in 2025-12-01, exactly 182 days before now: "earlier than" is strict.
        #expect(Fixture.findings("dormant-account", in: try Fixture.audit(grants, dormantDays: 181)).count == 1)
        #expect(Fixture.findings("dormant-account", in: try Fixture.audit(grants, dormantDays: 182)).isEmpty)
        #expect(Fixture.findings("dormant-account", in: try Fixture.audit(grants, dormantDays: 0)).count == 1)
    }

    @Test("Accounts with a NULL or repeated id are still checked for timestamps")
    func unreachableAccounts() throws {
        let report = try Fixture.audit(
            "INSERT INTO accounts VALUES (NULL, 'n', NULL, 'P1', 'active', 'bad', NULL);"
                + "INSERT INTO accounts VALUES ('u-ca', 'dup', NULL, 'P1', 'active', 'worse', NULL);")
        let invalid = Fixture.findings("invalid-timestamp", in: report)
        #expect(invalid.count == 2)
        #expect(invalid.map(\.key).sorted() == ["invalid-timestamp:account:%N:created_at", "invalid-timestamp:account:u-ca:created_at"])
        #expect(report.accounts == 8)
    }

    @Test("Summary counts every row read and every rule")
    func summary() throws {
        let report = try Fixture.audit(RuleExample.grant(1, "u-ca", "national") + RuleExample.grant(2, "ghost", "x"))
        #expect(report.grants == 2)
        #expect(report.accounts == 6)
        // The fixture's logs are empty: history-mismatch is not checked rather than counted as 0.
        #expect(report.notChecked.map(\.rule) == ["history-mismatch"])
        #expect(report.findingsByRule.map(\.rule) == RuleRegistry.ids.filter { $0 != "history-mismatch" })
        #expect(report.findingsByRule.first { $0.rule == "level-exceeds-policy" }?.count == 1)
        #expect(report.findingsByRule.first { $0.rule == "unauditable-grant" }?.count == 1)
    }

    @Test("Findings come in a deterministic order: severity, rule, account, grant")
    func order() throws {
        let sql =
            RuleExample.grant(3, "u-ca", "alliance", approvedBy: "NULL") + RuleExample.grant(2, "u-prov", "organisation", expires: "'2020-01-01'")
            + RuleExample.grant(1, "u-ca", "national")
        let report = try Fixture.audit(sql)
        #expect(
            report.findings.map(\.key) == [
                "level-exceeds-policy:grant:1", "missing-approval:grant:3", "expired-grant:grant:2",
                "above-default-level:grant:3",
            ])
    }

    @Test("Exit status follows --fail-on")
    func exitStatus() throws {
        let report = try Fixture.audit(RuleExample.grant(1, "u-ca", "alliance", expires: "'2020-01-01'"))
        // medium (expired) and info (above default)
        #expect(report.exitStatus(failOn: .high) == 0)
        #expect(report.exitStatus(failOn: .medium) == 1)
        #expect(report.exitStatus(failOn: .info) == 1)
        #expect(report.exitStatus(failOn: .none) == 0)
        #expect(try Fixture.audit("").exitStatus(failOn: .info) == 0)
    }

    @Test("Keys encode ids so different ids never collide")
    func keys() {
        #expect(FindingKey.encode("a:b") == "a%3Ab")
        #expect(FindingKey.encode("a%3Ab") == "a%253Ab")
        #expect(FindingKey.encode(nil) == "%N")
        #expect(FindingKey.encode(GrantID.integer(5)) == "5")
        #expect(FindingKey.encode(GrantID.text("5")) == "%T5")
        #expect(FindingKey.encode(GrantID.null) == "%N")
    }
}
