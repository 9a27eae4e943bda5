import AccessAuditKit
import Foundation
import Testing

/// `access-audit audit` end to end: exit codes, formats, errors, read-only.
struct AuditCommandTests {
    static let sample = "samples/national-statistics.sql"
    static let now = ["--now", "2019-03-13T02:00:00Z"]

    @Test("The README's main command finds the alliance account with national access")
    func sampleText() throws {
        let result = try CLI.run(["audit", AuditCommandTests.sample] + AuditCommandTests.now)
        #expect(result.status == 1)
        #expect(result.stderr.isEmpty)
        #expect(result.stdout.contains("[CRITICAL] level-exceeds-policy  grant 1051, account acc-011 (spatel)"))
        #expect(result.stdout.contains("FAIL: 6 findings at or above high"))
        #expect(!result.stdout.contains("\u{1B}"), "no colour without a terminal")
    }

    @Test func sampleJSON() throws {
        let result = try CLI.run(["audit", AuditCommandTests.sample, "--format", "json"] + AuditCommandTests.now)
        #expect(result.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let findings = try #require(object["findings"] as? [[String: Any]])
        #expect(findings.contains { $0["rule"] as? String == "level-exceeds-policy" && $0["account_id"] as? String == "acc-011" })
        #expect(object["database"] as? String == AuditCommandTests.sample)
    }

    @Test("The clean sample exits 0 with no finding")
    func cleanSample() throws {
        let result = try CLI.run(["audit", "samples/clean.sql", "--now", "2026-11-25T00:00:00Z", "--format", "json"])
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect((object["findings"] as? [Any])?.isEmpty == true)
    }

    @Test(
        "--fail-on sets the threshold",
        arguments: [("critical", 1), ("high", 1), ("medium", 1), ("low", 1), ("info", 1), ("none", 0)] as [(String, Int32)])
    func failOn(_ threshold: String, _ status: Int32) throws {
        let result = try CLI.run(["audit", AuditCommandTests.sample, "--fail-on", threshold] + AuditCommandTests.now)
        #expect(result.status == status)
    }

    @Test("--fail-on between the clean sample's (empty) findings and a medium-only database")
    func failOnMediumOnly() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("medium.sql").path
        let sql = ContractSchema.unconstrainedSQL + RuleExample.baseFixture
            + RuleExample.grant(1, "u-prov", "organisation", expires: "'2020-01-01'")
        try sql.write(toFile: path, atomically: true, encoding: .utf8)
        let base = ["audit", path, "--now", "2026-06-01T00:00:00Z"]
        #expect(try CLI.run(base).status == 0)
        #expect(try CLI.run(base + ["--fail-on", "medium"]).status == 1)
        #expect(try CLI.run(base + ["--fail-on", "critical"]).status == 0)
    }

    @Test("--output writes the report to a file and nothing to stdout")
    func output() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let report = directory.appendingPathComponent("report.json").path
        let result = try CLI.run(
            ["audit", AuditCommandTests.sample, "--format", "json", "--output", report] + AuditCommandTests.now)
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        let data = try Data(contentsOf: URL(fileURLWithPath: report))
        #expect(try JSONSerialization.jsonObject(with: data) is [String: Any])
    }

    @Test("A failed run leaves an existing report untouched")
    func outputNotClobbered() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let report = directory.appendingPathComponent("report.txt").path
        try "previous report\n".write(toFile: report, atomically: true, encoding: .utf8)
        let result = try CLI.run(["audit", "no-such.db", "--output", report])
        #expect(result.status == 2)
        #expect(try String(contentsOfFile: report, encoding: .utf8) == "previous report\n")
    }

    @Test("--dormant-days moves the dormant cut-off")
    func dormantDays() throws {
        let short = try CLI.run(["audit", AuditCommandTests.sample, "--format", "json", "--dormant-days", "1"] + AuditCommandTests.now)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(short.stdout.utf8)) as? [String: Any])
        let byRule = (object["summary"] as? [String: Any])?["findings_by_rule"] as? [String: Int]
        #expect((byRule?["dormant-account"] ?? 0) > 1)
    }

    @Test("The audited SQLite file's bytes are unchanged by an audit")
    func readOnly() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("audit.db").path
        let sample = try String(contentsOf: CLI.root.appendingPathComponent(AuditCommandTests.sample), encoding: .utf8)
        let connection = try Connection()
        try connection.executeScript(sample)
        try connection.execute("VACUUM INTO '\(path)'")
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        let result = try CLI.run(["audit", path, "--format", "json"] + AuditCommandTests.now)
        #expect(result.status == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        let after = try FileManager.default.attributesOfItem(atPath: path)
        #expect(after[.modificationDate] as? Date == attributes[.modificationDate] as? Date)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["audit.db"])
        // Same findings from the file as from the .sql text (the run metadata names different files).
        let fromText = try CLI.run(["audit", AuditCommandTests.sample, "--format", "json"] + AuditCommandTests.now)
        func findings(_ text: String) throws -> NSArray? {
            (try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])?["findings"] as? NSArray
        }
        #expect(try findings(result.stdout) == findings(fromText.stdout))
    }
}
