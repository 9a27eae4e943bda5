import Foundation
import Testing

/// `waive`, subjects, waiver refusals and reports read back, end to end (issue 11.7, 11.8, 11.10).
struct WaiveCLITests {
    static let sample = "samples/national-statistics.sql"
    static let now = ["--now", "2019-03-13T02:00:00Z"]
    static let key = "above-default-level:grant:1010"

    func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    func finding(_ report: [String: Any], _ key: String = WaiveCLITests.key) throws -> [String: Any] {
        try #require((report["findings"] as? [[String: Any]])?.first { $0["key"] as? String == key })
    }

    /// The sample, and a copy of it in which grant 1010 was moved to another account.
    func databases(in directory: URL) throws -> (report: String, moved: String) {
        let report = directory.appendingPathComponent("report.json").path
        #expect(try CLI.run(["audit", Self.sample, "--format", "json", "--output", report] + Self.now).status == 1)
        let moved = directory.appendingPathComponent("moved.sql").path
        let text = try String(contentsOfFile: CLI.root.appendingPathComponent(Self.sample).path, encoding: .utf8)
        try (text + "\nUPDATE grants SET account_id = 'acc-004' WHERE grant_id = 1010;\n").write(toFile: moved, atomically: true, encoding: .utf8)
        return (report, moved)
    }

    func waive(_ report: String, _ key: String = WaiveCLITests.key, owner: String = "nhsd.analytics", approver: String = "head.of.statistics",
               expires: String = "2019-12-31", extra: [String] = []) throws -> CLI.Result {
        try CLI.run(
            ["waive", report, key, "--reason", "DPIA-2018-14", "--owner", owner, "--approved-by", approver, "--expires", expires]
                + Self.now + extra)
    }

    @Test("waive writes an entry that waives the finding, and stops waiving once the grant moves to another account")
    func waiveThenMove() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (report, moved) = try databases(in: directory)
        let waivers = directory.appendingPathComponent("waivers.yml").path
        let written = try waive(report, extra: ["--output", waivers])
        #expect(written.status == 0, "\(written.stderr)")
        let entry = try String(contentsOfFile: waivers, encoding: .utf8)
        #expect(entry.contains("subject:") && entry.contains("account_id: \"acc-003\""), "\(entry)")
        let before = try object(try CLI.run(["audit", Self.sample, "--format", "json", "--waivers", waivers] + Self.now).stdout)
        #expect((try finding(before)["waiver"] as? [String: Any])?["status"] as? String == "waived")
        let after = try CLI.run(["audit", moved, "--format", "json", "--waivers", waivers] + Self.now)
        let moved1010 = try finding(try object(after.stdout))
        #expect((moved1010["waiver"] as? [String: Any])?["status"] as? String == "subject-changed")
        #expect((moved1010["subject"] as? [String: Any])?["account_id"] as? String == "acc-004")
        let text = try CLI.run(["audit", moved, "--waivers", waivers] + Self.now)
        #expect(text.stdout.contains("0 findings waived, 0 expired, 1 subject-changed"), "\(text.stdout)")
        // With yesterday's report as the baseline, the moved grant is new, not persisting.
        let baseline = try object(try CLI.run(["audit", moved, "--format", "json", "--baseline", report] + Self.now).stdout)
        #expect(try finding(baseline)["baseline"] as? String == "new")
        #expect(try finding(baseline)["baseline_subject_changed"] as? Bool == true)
        #expect(try CLI.run(["audit", moved, "--baseline", report] + Self.now).stdout.contains("[NEW: SUBJECT CHANGED]"))
    }

    @Test(
        "waive refuses what a run would refuse, and an unknown key, with exit 2",
        arguments: [
            ("nope:grant:1", "a", "b", "2019-12-31", "no finding has the key 'nope:grant:1'"),
            (WaiveCLITests.key, "Lbrennan", " lbrennan ", "2019-12-31", "the owner and the approver are the same person"),
            (WaiveCLITests.key, "RKHAN", "b", "2019-12-31", "is the holder (username)"),
            (WaiveCLITests.key, "a", "kosei", "2019-12-31", "is the grantor (granted_by)"),
            (WaiveCLITests.key, "a", "b", "2020-03-13T02:00:01Z", "more than 365 days after the run's clock"),
            (WaiveCLITests.key, "a", "b", "9999-12-31T23:59-23:59", "is not a timestamp"),
        ])
    func waiveRefuses(_ key: String, _ owner: String, _ approver: String, _ expires: String, _ expected: String) throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (report, _) = try databases(in: directory)
        let result = try waive(report, key, owner: owner, approver: approver, expires: expires)
        #expect(result.status == 2)
        #expect(result.stderr.contains(expected), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test("A run refuses a waivers file with a waiver too far ahead or by the holder, naming the file and line")
    func runRefuses() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("w.yml").path
        for (owner, expires, expected) in [
            ("a", "2021-01-01", "w.yml:2: `expires` 2021-01-01 is more than 365 days"), ("rkhan", "2019-12-31", "w.yml:2: the waiver's owner 'rkhan' is the holder"),
        ] {
            try "waivers:\n  - key: \"\(Self.key)\"\n    reason: r\n    owner: \(owner)\n    approved_by: b\n    expires: \(expires)\n"
                .write(toFile: path, atomically: true, encoding: .utf8)
            let result = try CLI.run(["audit", Self.sample, "--waivers", path] + Self.now)
            #expect(result.status == 2)
            #expect(result.stderr.contains(expected), "\(result.stderr)")
        }
        // max_waiver_days from the configuration lets the far one through.
        try "waivers:\n  - key: \"\(Self.key)\"\n    reason: r\n    owner: a\n    approved_by: b\n    expires: 2021-01-01\n".write(toFile: path, atomically: true, encoding: .utf8)
        let config = directory.appendingPathComponent("c.yml").path
        try "max_waiver_days: 1000\n".write(toFile: config, atomically: true, encoding: .utf8)
        #expect(try CLI.run(["audit", Self.sample, "--waivers", path, "--config", config] + Self.now).status == 1)
    }

    @Test("--now outside years 0001-9999 in UTC is a usage error")
    func nowOutOfRange() throws {
        #expect(try CLI.run(["audit", Self.sample, "--now", "9999-12-31T23:59-23:59"]).status == 64)
        #expect(try CLI.run(["audit", Self.sample, "--now", "0001-01-01T00:00+00:01"]).status == 64)
    }

    @Test("Reports read back: an unknown severity or rule is exit 2 naming the file and the finding; another database is a note")
    func reportsReadBack() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (report, moved) = try databases(in: directory)
        let text = try String(contentsOfFile: report, encoding: .utf8)
        for (find, replace, expected) in [
            ("\"severity\": \"critical\"", "\"severity\": \"catastrophic\"", "finding 1 (level-exceeds-policy:grant:1051): unknown severity 'catastrophic'"),
            ("\"rule\": \"level-exceeds-policy\"", "\"rule\": \"level-exceeds\"", "finding 1 (level-exceeds-policy:grant:1051): unknown rule 'level-exceeds'"),
            ("\"schema_version\": 1", "\"schema_version\": 2", "schema_version 2 is not 1"),
            ("\"grant_id\": 1051", "\"grant_id\": true", "finding 1 (level-exceeds-policy:grant:1051): `grant_id` has the wrong type"),
        ] {
            let bad = directory.appendingPathComponent("bad.json").path
            try text.replacingOccurrences(of: find, with: replace).write(toFile: bad, atomically: true, encoding: .utf8)
            for arguments in [["diff", report, bad], ["diff", bad, report], ["audit", Self.sample, "--baseline", bad] + Self.now] {
                let result = try CLI.run(arguments)
                #expect(result.status == 2, "\(arguments) \(replace)")
                #expect(result.stderr.contains("bad.json") && result.stderr.contains(expected), "\(result.stderr)")
            }
        }
        // A baseline of another database: the run says so.
        let other = try CLI.run(["audit", moved, "--baseline", report] + Self.now)
        #expect(other.stdout.contains("note: Baseline \(report) is a report on database 'samples/national-statistics.sql', not '\(moved)'"), "\(other.stdout)")
        let json = try object(try CLI.run(["audit", moved, "--format", "json", "--baseline", report] + Self.now).stdout)
        #expect((json["notes"] as? [String] ?? []).contains { $0.contains("Baseline \(report) is a report on database") }, "\(json["notes"] ?? "")")
        let movedReport = directory.appendingPathComponent("moved.json").path
        _ = try CLI.run(["audit", moved, "--format", "json", "--output", movedReport] + Self.now)
        let diff = try CLI.run(["diff", report, movedReport])
        #expect(diff.stdout.contains("note: Baseline \(report) is a report on database"), "\(diff.stdout)")
        #expect(diff.stdout.contains("(subject changed)"))
    }
}
