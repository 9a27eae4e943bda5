import AccessAuditKit
import Foundation
import Testing

/// Waivers, baselines and `diff` end to end.
struct ReviewCLITests {
    static let sample = "samples/national-statistics.sql"
    static let now = ["--now", "2019-03-13T02:00:00Z"]

    func json(_ result: CLI.Result) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    @Test("The sample waivers: one waived, one expired, one stale; exit still 1 for the rest")
    func sampleWaivers() throws {
        let result = try CLI.run(["audit", Self.sample, "--waivers", "samples/waivers.yml", "--format", "json"] + Self.now)
        #expect(result.status == 1)
        let object = try json(result)
        let findings = try #require(object["findings"] as? [[String: Any]])
        let states = findings.compactMap { ($0["waiver"] as? [String: Any])?["status"] as? String }.sorted()
        #expect(states == ["expired", "waived"])
        #expect((object["stale_waivers"] as? [[String: Any]])?.first?["line"] as? Int == 33)
    }

    @Test("Waiving every finding at or above high makes the run pass; a malformed file is exit 2 with its line")
    func waiveAll() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let report = try json(try CLI.run(["audit", Self.sample, "--format", "json"] + Self.now))
        let keys = (report["findings"] as? [[String: Any]] ?? []).filter {
            ["critical", "high"].contains($0["severity"] as? String ?? "")
        }.compactMap { $0["key"] as? String }
        #expect(keys.count == 6)
        let yaml = "waivers:\n" + keys.map {
            "  - key: \"\($0)\"\n    reason: accepted for the test\n    owner: o\n    approved_by: a\n    expires: 2020-01-01\n"
        }.joined()
        let path = directory.appendingPathComponent("all.yml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try CLI.run(["audit", Self.sample, "--waivers", path] + Self.now).status == 0)
        // The same waivers, a year later, have expired: the run fails again.
        #expect(try CLI.run(["audit", Self.sample, "--waivers", path, "--now", "2020-06-01"]).status == 1)
        let broken = directory.appendingPathComponent("broken.yml").path
        try "waivers:\n  - key: x\n    reason: r\n".write(toFile: broken, atomically: true, encoding: .utf8)
        let result = try CLI.run(["audit", Self.sample, "--waivers", broken] + Self.now)
        #expect(result.status == 2)
        #expect(result.stderr.contains("broken.yml:2: the waiver has no `owner`"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test("--baseline marks new and persisting and lists resolved; --fail-on-new gates on new ones only")
    func baseline() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let previous = directory.appendingPathComponent("previous.json").path
        #expect(try CLI.run(["audit", Self.sample, "--format", "json", "--output", previous] + Self.now).status == 1)
        // Same database again: nothing new.
        let same = try CLI.run(["audit", Self.sample, "--baseline", previous, "--fail-on-new", "--format", "json"] + Self.now)
        #expect(same.status == 0)
        let object = try json(same)
        #expect(Set((object["findings"] as? [[String: Any]] ?? []).compactMap { $0["baseline"] as? String }) == ["persisting"])
        #expect((object["resolved"] as? [Any])?.isEmpty == true)
        // Yesterday's report without the critical finding, plus one that has since been fixed.
        var yesterday = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: previous))) as? [String: Any])
        var findings = (yesterday["findings"] as? [[String: Any]] ?? []).filter { $0["severity"] as? String != "critical" }
        findings.append(["key": "missing-approval:grant:9999", "rule": "missing-approval", "severity": "high", "message": "fixed since"])
        yesterday["findings"] = findings
        let older = directory.appendingPathComponent("older.json").path
        try JSONSerialization.data(withJSONObject: yesterday).write(to: URL(fileURLWithPath: older))
        let text = try CLI.run(["audit", Self.sample, "--baseline", older, "--fail-on-new"] + Self.now)
        #expect(text.status == 1)
        #expect(text.stdout.contains("baseline: 1 new, 12 persisting, 1 resolved"))
        #expect(text.stdout.contains("[CRITICAL] [NEW] level-exceeds-policy"))
        #expect(text.stdout.contains("[RESOLVED] missing-approval:grant:9999"))
        // diff gives the same comparison.
        let diff = try CLI.run(["diff", older, previous])
        #expect(diff.status == 1)
        #expect(diff.stdout.contains("1 new, 12 persisting, 1 resolved"))
        #expect(try CLI.run(["diff", previous, previous]).status == 0)
        #expect(try CLI.run(["diff", previous, "/nope.json"]).status == 2)
        #expect(try CLI.run(["audit", Self.sample, "--fail-on-new"]).status == 64)
    }
}
