@testable import AccessAuditKit
import Foundation
import Testing

/// Waivers and baselines: every state, every malformed input.
struct ReviewTests {
    static let entry = """
        waivers:
          - key: "k"
            reason: r
            owner: o
            approved_by: a
            expires: 2030-01-01

        """

    func problem(_ yaml: String) -> String? {
        do {
            _ = try WaiverFile.parse(yaml, path: "w.yml")
            return nil
        } catch {
            return (error as? AuditError)?.errorDescription ?? "\(error)"
        }
    }

    @Test func parsesTheSample() throws {
        let waivers = try WaiverFile.load(Fixture.root.appendingPathComponent("samples/waivers.yml").path)
        #expect(waivers.count == 3)
        #expect(waivers[0].key == "above-default-level:grant:1010")
        #expect(waivers[0].expires == Fixture.timestamp("2019-12-31"))
        #expect(waivers[1].rule == "duplicate-grant")
        #expect(waivers[1].accountID == "acc-020")
        #expect(waivers.map(\.line) == [8, 20, 33])
        #expect(waivers[0].subject != nil && waivers[1].subject != nil && waivers[2].subject == nil)
        #expect(try WaiverFile.parse("", path: "w.yml").isEmpty)
        #expect(try WaiverFile.parse("- key: k\n  reason: r\n  owner: o\n  approved_by: a\n  expires: 2030-01-01\n", path: "w").count == 1)
    }

    @Test("Malformed files name the file and the line at fault", arguments: [
        ("waivers:\n  - key: [unclosed\n", "w.yml:3: did not find expected"),
        ("waivers:\n  - key: k\n    owner: o\n    approved_by: a\n    expires: 2030-01-01\n", "w.yml:2: the waiver has no `reason`"),
        ("waivers:\n  - key: k\n    reson: r\n    owner: o\n    approved_by: a\n    expires: 2030-01-01\n", "w.yml:3: unknown field 'reson'"),
        ("waivers:\n  - key: k\n    reason: r\n    owner: o\n    approved_by: a\n    expires: next year\n", "w.yml:2: `expires` 'next year' is not a timestamp"),
        ("waivers:\n  - rule: nope\n    account_id: x\n    reason: r\n    owner: o\n    approved_by: a\n    expires: 2030-01-01\n", "unknown rule 'nope'"),
        ("waivers:\n  - rule: duplicate-grant\n    reason: r\n    owner: o\n    approved_by: a\n    expires: 2030-01-01\n", "also needs `account_id` or `grant_id`"),
        ("waivers: 3\n", "w.yml:1: `waivers` must be a list"),
        ("hello\n", "expected a list of waivers"),
        ("waivers:\n  - reason: r\n    owner: o\n    approved_by: a\n    expires: 2030-01-01\n", "needs `key`, or `rule`"),
        ("waivers:\n  - key: [a, b]\n    reason: r\n    owner: o\n    approved_by: a\n    expires: 2030-01-01\n", "w.yml:2: `key` must be a single value"),
        ("waivers:\n  - key: k\n    reason: '  '\n    owner: o\n    approved_by: a\n    expires: 2030-01-01\n", "no `reason`"),
    ])
    func malformed(_ yaml: String, _ expected: String) {
        let message = problem(yaml)
        #expect(message?.contains(expected) == true, "\(message ?? "parsed")")
    }

    @Test("Waiver states: waived (not counted), expired (counted, says so), stale")
    func states() throws {
        var report = try Fixture.audit(
            RuleExample.grant(1, "u-ca", "national") + RuleExample.grant(2, "u-prov", "organisation", expires: "'2026-01-01'"))
        let yaml = """
            - key: "level-exceeds-policy:grant:1"
              reason: accepted
              owner: o
              approved_by: a
              expires: 2026-07-01
            - rule: expired-grant
              grant_id: "2"
              reason: was accepted
              owner: o
              approved_by: a
              expires: 2026-06-01T00:00:00Z
            - key: nothing
              reason: r
              owner: o
              approved_by: a
              expires: 2027-01-01
            """
        try report.apply(waivers: try WaiverFile.parse(yaml, path: "w"))
        let exceeds = try #require(report.findings.first { $0.rule == "level-exceeds-policy" })
        #expect(exceeds.waiver?.state == .waived)
        let expired = try #require(report.findings.first { $0.rule == "expired-grant" })
        #expect(expired.waiver?.state == .expired, "expires exactly now: no longer waives")
        #expect(report.staleWaivers?.map(\.key) == ["nothing"])
        #expect(report.exitStatus(failOn: .high) == 0, "the only high-or-above finding is waived")
        #expect(report.exitStatus(failOn: .medium) == 1, "the expired waiver does not waive")
        let json = JSONRenderer().render(report, context: RenderContext())
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect((object["stale_waivers"] as? [Any])?.count == 1)
        let findings = try #require(object["findings"] as? [[String: Any]])
        #expect((findings.first?["waiver"] as? [String: Any])?["status"] as? String == "waived")
        #expect(TextRenderer().render(report, context: RenderContext()).contains("waiver EXPIRED at 2026-06-01T00:00:00Z"))
    }

    @Test("The first matching waiver wins; a rule waiver needs every id it names to match")
    func matching() throws {
        var report = try Fixture.audit(RuleExample.grant(1, "u-ca", "national") + RuleExample.grant(2, "u-ca", "national"))
        let yaml = """
            - rule: level-exceeds-policy
              account_id: u-ca
              grant_id: "2"
              reason: second
              owner: o
              approved_by: a
              expires: 2027-01-01
            - rule: level-exceeds-policy
              account_id: u-ca
              reason: any grant of u-ca
              owner: o
              approved_by: a
              expires: 2027-01-01
            """
        try report.apply(waivers: try WaiverFile.parse(yaml, path: "w"))
        let reasons = report.findings.filter { $0.rule == "level-exceeds-policy" }.map { $0.waiver?.waiver.reason }
        #expect(reasons == ["any grant of u-ca", "second"])
        #expect(report.staleWaivers?.isEmpty == true)
    }

    @Test("Through the index, the first matching waiver in file order still wins, whether by key or by rule")
    func indexKeepsFileOrder() throws {
        var report = try Fixture.audit(RuleExample.grant(1, "u-ca", "national") + RuleExample.grant(2, "u-ca", "national"))
        func entry(_ match: String, _ reason: String) -> String {
            "- \(match)\n  reason: \(reason)\n  owner: o\n  approved_by: a\n  expires: 2027-01-01\n"
        }
        let yaml = entry("rule: level-exceeds-policy\n  grant_id: \"1\"", "rule by grant")
            + entry("key: \"level-exceeds-policy:grant:1\"", "key, later")
            + entry("key: \"level-exceeds-policy:grant:2\"", "key first")
            + entry("rule: level-exceeds-policy\n  account_id: u-ca\n  grant_id: \"2\"", "rule by both, later")
            + entry("rule: level-exceeds-policy\n  account_id: u-prov", "another account")
            + entry("key: \"level-exceeds-policy:grant:2\"\n  rule: missing-approval", "key with a rule that does not match")
        try report.apply(waivers: try WaiverFile.parse(yaml, path: "w"))
        let reasons = report.findings.filter { $0.rule == "level-exceeds-policy" }.map { $0.waiver?.waiver.reason }
        #expect(reasons == ["rule by grant", "key first"])
        #expect(report.staleWaivers?.map(\.reason) == ["key, later", "rule by both, later", "another account", "key with a rule that does not match"])
    }

    @Test("Baseline: new, persisting, resolved, and --fail-on-new")
    func baseline() throws {
        var report = try Fixture.audit(RuleExample.grant(1, "u-ca", "national") + RuleExample.grant(2, "u-ca", "alliance"))
        let previous = Baseline(findings: [
            BaselineFinding(key: "above-default-level:grant:2", rule: "above-default-level", severity: .info, message: "m"),
            BaselineFinding(key: "missing-approval:grant:9", rule: "missing-approval", severity: .high, message: "gone"),
        ])
        try report.compare(with: previous)
        #expect(report.findings.first { $0.grantID == .integer(1) }?.change == .new)
        #expect(report.findings.first { $0.grantID == .integer(2) }?.change == .persisting)
        #expect(report.resolved?.map(\.key) == ["missing-approval:grant:9"])
        #expect(report.exitStatus(failOn: .high, onlyNew: true) == 1)
        var quiet = report
        quiet.findings = quiet.findings.filter { $0.change == .persisting }
        #expect(quiet.exitStatus(failOn: .info) == 1)
        #expect(quiet.exitStatus(failOn: .info, onlyNew: true) == 0)
    }

    @Test("A baseline must be an access-audit JSON report")
    func badBaseline() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, text) in [("a.json", "not json"), ("b.json", "{\"findings\": []}"), ("c.json", "{\"schema_version\": 1, \"findings\": [{}]}")] {
            let path = directory.appendingPathComponent(name).path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            #expect(throws: AuditError.self) { try Baseline.load(path) }
        }
        #expect(throws: AuditError.fileNotFound("/nope.json")) { try Baseline.load("/nope.json") }
    }
}
