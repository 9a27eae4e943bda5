import AccessAuditKit
import Foundation
import Testing

/// `replay`, `exposure` and `timeline` end to end on the bundled sample.
struct HistoryCLITests {
    static let sample = "samples/national-statistics.sql"

    @Test("exposure finds the incident: 5 days 3 hours, ended by the revoke; the second is ongoing")
    func exposureText() throws {
        let result = try CLI.run(["exposure", Self.sample, "--from", "2019-03-01", "--to", "2019-03-13T02:00:00Z"])
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("1050 ") && $0.contains("jdoyle") && $0.contains("5d 3h 5m") && $0.contains("revoke by kosei") })
        #expect(lines.contains { $0.hasPrefix("1051 ") && $0.contains("ongoing") })
    }

    @Test("exposure JSON has the contract's shape")
    func exposureJSON() throws {
        let result = try CLI.run(
            ["exposure", Self.sample, "--from", "2019-03-01", "--to", "2019-03-13T02:00:00Z", "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["schema_version", "intervals"])
        let intervals = try #require(object["intervals"] as? [[String: Any]])
        #expect(intervals.count == 2)
        let first = try #require(intervals.first)
        #expect(Set(first.keys) == [
            "rule", "grant_id", "account_id", "org_id", "level", "start", "end", "ongoing", "clipped", "granted_by", "approved_by",
            "ended_by",
        ])
        #expect(first["clipped"] as? Bool == false)
        #expect(first["granted_by"] as? String == "kosei")
        #expect(first["approved_by"] is NSNull)
        #expect(first["ended_by"] as? String == "kosei")
        #expect(intervals.last?["ended_by"] is NSNull)
        #expect(first["grant_id"] as? Int == 1050)
        #expect(first["start"] as? String == "2019-03-07T08:45:00Z")
        #expect(first["end"] as? String == "2019-03-12T11:50:00Z")
        #expect(first["ongoing"] as? Bool == false)
        #expect(first["org_id"] as? String == "CA-WX")
        #expect(intervals.last?["ongoing"] as? Bool == true)
    }

    @Test("exposure with nothing in the window exits 0")
    func exposureEmpty() throws {
        let result = try CLI.run(["exposure", Self.sample, "--from", "2018-01-01", "--to", "2018-02-01"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("0 intervals"))
    }

    @Test("exposure usage errors: unknown rule, reversed window")
    func exposureUsage() throws {
        #expect(try CLI.run(["exposure", Self.sample, "--from", "2019-03-01", "--to", "2019-03-02", "--rule", "expired-grant"]).status == 64)
        #expect(try CLI.run(["exposure", Self.sample, "--from", "2019-03-02", "--to", "2019-03-01"]).status == 64)
        #expect(try CLI.run(["exposure", Self.sample, "--from", "2019-03-01", "--to", "2019-03-02", "--format", "ndjson"]).status == 64)
        #expect(try CLI.run(["timeline", Self.sample, "--account", "acc-010", "--format", "junit"]).status == 64)
    }

    @Test("replay at the moment the data was generated shows both alliance accounts with national access")
    func replay() throws {
        let result = try CLI.run(["replay", Self.sample, "--as-of", "2019-03-07T12:00:00Z", "--format", "json"])
        #expect(result.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["command"] as? String == "replay")
        #expect(object["now"] as? String == "2019-03-07T12:00:00Z")
        let findings = try #require(object["findings"] as? [[String: Any]])
        let over = findings.filter { $0["rule"] as? String == "level-exceeds-policy" }.compactMap { $0["account_id"] as? String }
        #expect(over.sorted() == ["acc-010", "acc-011"])
        #expect(!findings.contains { $0["rule"] as? String == "dormant-account" || $0["rule"] as? String == "history-mismatch" })
    }

    @Test("timeline of the first incident's account")
    func timeline() throws {
        let result = try CLI.run(["timeline", Self.sample, "--account", "acc-010"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("in force (out of policy):"))
        #expect(result.stdout.contains("NEW level-exceeds-policy"))
        #expect(result.stdout.contains("back within policy"))
        let json = try CLI.run(["timeline", Self.sample, "--account", "acc-010", "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((object["entries"] as? [Any])?.count == 4)
    }

    @Test("Without history, replay, exposure and timeline exit 2; audit runs and says history was skipped")
    func noHistory() throws {
        let clean = "samples/clean.sql"
        for arguments in [
            ["replay", clean, "--as-of", "2026-01-01"], ["exposure", clean, "--from", "2026-01-01", "--to", "2026-02-01"],
            ["timeline", clean, "--account", "acc-001"],
        ] {
            let result = try CLI.run(arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr.contains("no history"), "\(arguments)")
            #expect(result.stdout.isEmpty)
        }
        let audit = try CLI.run(["audit", clean, "--now", "2026-11-25T00:00:00Z"])
        #expect(audit.status == 0)
        #expect(audit.stdout.contains("note: not checked: history-mismatch: no history tables"))
        #expect(audit.stdout.contains("note: not checked: invalid-event: no history tables"))
    }

    @Test("timeline of an unknown account exits 2")
    func unknownAccount() throws {
        let result = try CLI.run(["timeline", Self.sample, "--account", "nobody"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("nobody"))
    }
}
