import AccessAuditKit
import Foundation
import Testing

/// Run metadata, the configuration file, and remediation SQL.
struct SettingsCLITests {
    static let sample = "samples/national-statistics.sql"
    static let now = ["--now", "2019-03-13T02:00:00Z"]

    func object(_ result: CLI.Result) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    @Test("Every report records the versions, the file's size and SHA-256, and the settings")
    func metadata() throws {
        let run = try #require(try object(CLI.run(["audit", Self.sample, "--format", "json"] + Self.now))["run"] as? [String: Any])
        #expect(run["tool_version"] as? String == AccessAuditKit.version)
        #expect(run["contract_version"] as? Int == 1)
        let file = try #require((run["files"] as? [[String: Any]])?.first)
        #expect(file["path"] as? String == Self.sample)
        let size = try FileManager.default.attributesOfItem(atPath: CLI.root.appendingPathComponent(Self.sample).path)[.size] as? Int
        #expect(file["size"] as? Int == size)
        #expect((file["sha256"] as? String)?.count == 64)
        let settings = try #require(run["settings"] as? [String: Any])
        #expect(settings["now"] as? String == "2019-03-13T02:00:00Z")
        #expect(settings["fail_on"] as? String == "high")
        // Settings keep their types (docs/CONTRACT.md §5.1): numbers and booleans, not text.
        #expect(settings["dormant_days"] as? Int == 90)
        #expect(settings["busy_timeout_ms"] as? Int == 5000)
        #expect(settings["immutable"] as? Bool == false)
        #expect(!(settings["immutable"] is String) && !(settings["dormant_days"] is String))
        // SHA-256 against the standard test vector: "abc".
        let abc = RunMetadata.fingerprint(Data("abc".utf8), path: "abc")
        #expect(abc.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(abc.size == 3)
    }

    @Test("The configuration file: disabled rules, severity overrides, defaults; flags win")
    func config() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("access-audit.yml").path
        try """
            fail_on: critical
            format: json
            dormant_days: 1
            disabled_rules: [above-default-level, duplicate-grant]
            severity:
              dormant-account: critical
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try CLI.run(["audit", Self.sample, "--config", path] + Self.now)
        #expect(result.status == 1, "a dormant account is now critical")
        let report = try object(result)
        let findings = try #require(report["findings"] as? [[String: Any]])
        #expect(!findings.contains { ["above-default-level", "duplicate-grant"].contains($0["rule"] as? String ?? "") })
        let dormant = findings.filter { $0["rule"] as? String == "dormant-account" }
        #expect(dormant.count > 1, "dormant_days: 1 catches more accounts")
        #expect(dormant.allSatisfy { $0["severity"] as? String == "critical" })
        // Flags override the file.
        let flags = try CLI.run(["audit", Self.sample, "--config", path, "--fail-on", "none", "--format", "text", "--dormant-days", "90"] + Self.now)
        #expect(flags.status == 0)
        #expect(flags.stdout.hasPrefix("access-audit audit"))
        let printed = try CLI.run(["audit", Self.sample, "--config", path, "--print-config", "--fail-on", "low"])
        #expect(printed.status == 0)
        #expect(printed.stdout.contains("fail_on: low\n"))
        #expect(printed.stdout.contains("format: json\n"))
        #expect(printed.stdout.contains("disabled_rules: [above-default-level, duplicate-grant]\n"))
        #expect(printed.stdout.contains("severity:\n  dormant-account: critical\n"))
        // A bad file is exit 2 naming its line.
        try "fail_on: high\nformat: pdf\n".write(toFile: path, atomically: true, encoding: .utf8)
        let bad = try CLI.run(["audit", Self.sample, "--config", path])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("access-audit.yml:2: format must be one of"), "\(bad.stderr)")
        try "dormant_dayz: 3\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try CLI.run(["audit", Self.sample, "--config", path]).stderr.contains(":1: unknown setting 'dormant_dayz'"))
        #expect(try CLI.run(["audit", Self.sample, "--config", directory.appendingPathComponent("none.yml").path]).status == 2)
    }

    @Test("Remediation SQL is reviewable, ends in ROLLBACK, and fixes what it claims when committed")
    func remediation() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("fix.sql").path
        let result = try CLI.run(["audit", Self.sample, "--remediation-sql", path, "--actor", "j.admin"] + Self.now)
        #expect(result.status == 1)
        let script = try String(contentsOfFile: path, encoding: .utf8)
        #expect(script.hasPrefix("-- access-audit remediation"))
        let grant1051 = "grant_id COLLATE BINARY IN (1051, '1051', CAST('1051' AS BLOB)) AND typeof(grant_id) IN ('integer', 'text', 'blob') AND CAST(grant_id AS TEXT) = '1051' COLLATE BINARY"
        #expect(script.contains("UPDATE grants NOT INDEXED SET level = 'alliance' WHERE \(grant1051) AND (SELECT count(*) FROM grants NOT INDEXED WHERE \(grant1051)) = 1;"))
        #expect(script.hasSuffix("ROLLBACK;  -- change to COMMIT after review\n"))
        // As generated it changes nothing.
        let sample = try String(contentsOf: CLI.root.appendingPathComponent(Self.sample), encoding: .utf8)
        let options = AuditOptions(now: Timestamp("2019-03-13T02:00:00Z")!)
        let untouched = try Connection()
        try untouched.executeScript(sample)
        try untouched.executeScript(script)
        let before = try DatabaseAudit.run(untouched, database: "db", options: options)
        #expect(before.findings.count == 13)
        // Committed by a reviewer, it removes what it addresses.
        let applied = try Connection()
        try applied.executeScript(sample)
        let start = Int64(Date().timeIntervalSince1970) - 1
        try applied.executeScript(script.replacingOccurrences(of: "ROLLBACK;", with: "COMMIT;"))
        let after = try DatabaseAudit.run(applied, database: "db", options: options)
        let rules = Set(after.findings.map(\.rule))
        for fixed in ["level-exceeds-policy", "scope-outside-remit", "expired-grant", "duplicate-grant", "inactive-account-access"] {
            #expect(!rules.contains(fixed), "\(fixed)")
        }
        #expect(rules.contains("missing-approval"), "needs a human: left as a comment")
        // Exactly: the fixed findings are gone, nothing new appears (no history-mismatch, no
        // invalid-event), because each change is in grant_events as an administrator logs it.
        let fixedKeys = Set(before.findings.filter { script.contains("remediation of \($0.key)'") }.map(\.key))
        #expect(fixedKeys.count == 5)
        #expect(Set(after.findings.map(\.key)) == Set(before.findings.map(\.key)).subtracting(fixedKeys))
        var events: [[String]] = []
        try applied.prepare("SELECT event_id, occurred_at, action, grant_id, account_id, ifnull(level, '-'), actor, note FROM grant_events WHERE event_id > 23 ORDER BY event_id")
            .forEachRow { row in events.append((0..<8).map { row.text($0) ?? "" }) }
        #expect(events.map { [$0[0], $0[2], $0[3], $0[4], $0[5], $0[6]] } == [
            ["24", "change", "1051", "acc-011", "alliance", "j.admin"],
            ["25", "revoke", "1032", "acc-013", "-", "j.admin"],
            ["26", "revoke", "1030", "acc-030", "-", "j.admin"],
            ["27", "revoke", "1022", "acc-022", "-", "j.admin"],
            ["28", "revoke", "1044", "acc-020", "-", "j.admin"],
        ])
        for event in events {
            let at = try #require(Timestamp(event[1]), "\(event[1])")
            #expect(event[1].count == 20 && event[1].hasSuffix("Z"))
            #expect(at.seconds >= start && at.seconds <= Int64(Date().timeIntervalSince1970) + 1, "the time it was applied")
            #expect(event[7].hasPrefix("access-audit remediation of ") && fixedKeys.contains(String(event[7].dropFirst(28))))
        }
    }
}
