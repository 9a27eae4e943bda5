import AccessAuditKit
import Foundation
import Testing

/// `investigate` and `actors` end to end on the bundled sample.
struct InvestigateCLITests {
    static let sample = "samples/national-statistics.sql"
    static let snapshot = "2019-03-13T02:00:00Z"

    @Test("investigate the first alliance user: 5d 3h 5m of national access, the grantor, the missing approval, the other alliance user, the unpublished release")
    func sampleText() throws {
        let result = try CLI.run(["investigate", Self.sample, "--account", "acc-010"])
        #expect(result.status == 1)
        #expect(result.stderr.isEmpty)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.contains { $0.contains("level-exceeds-policy") && $0.contains("1050") && $0.contains("5d 3h 5m") && $0.contains("kosei") && $0.contains("(none)") })
        #expect(lines.contains { $0.contains("missing-approval") && $0.contains("1050") })
        #expect(lines.contains { $0.contains("level-exceeds-policy") && $0.contains("1051") && $0.contains("acc-011") && $0.contains("spatel") })
        #expect(lines.contains { $0.contains("CWT-2019-01 ") && $0.contains("not published") })
        #expect(!lines.contains { $0.contains("CWT-2018-12") || $0.contains("CWT-2019-01-ALL") })
        #expect(result.stdout.contains("granted by kosei, approved by no one"))
    }

    @Test("investigate JSON: exactly the dossier's keys, the sample's facts")
    func sampleJSON() throws {
        let result = try CLI.run(["investigate", Self.sample, "--account", "acc-010", "--to", Self.snapshot, "--nightly", "02:00", "--format", "json"])
        #expect(result.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["schema_version", "subject", "intervals", "timeline", "detectable", "also_affected", "same_actor", "pre_release", "narrative"])
        let intervals = try #require(object["intervals"] as? [[String: Any]])
        let first = try #require(intervals.first)
        #expect(first["grant_id"] as? Int == 1050 && first["duration_seconds"] as? Int == 443_100)
        #expect(first["granted_by"] as? String == "kosei" && first["approved_by"] is NSNull && first["ended_by"] as? String == "kosei")
        #expect(first["clipped"] as? Bool == false)
        let affected = try #require(object["also_affected"] as? [[String: Any]])
        #expect(affected.contains { $0["account_id"] as? String == "acc-011" && $0["rule"] as? String == "level-exceeds-policy" })
        let releases = try #require(object["pre_release"] as? [[String: Any]])
        #expect(releases.map { $0["release_id"] as? String } == ["CWT-2019-01"])
        #expect(releases.first?["published_at"] is NSNull)
        let detectable = try #require(object["detectable"] as? [[String: Any]])
        #expect(detectable.first?["first_nightly_run"] as? String == "2019-03-08T02:00:00Z")
    }

    @Test("investigate the other alliance user by grant: ongoing at T2; the producers' accounts have none (exit 0)")
    func byGrantAndQuiet() throws {
        let grant = try CLI.run(["investigate", Self.sample, "--grant", "1051", "--to", Self.snapshot, "--format", "json"])
        #expect(grant.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(grant.stdout.utf8)) as? [String: Any])
        let intervals = try #require(object["intervals"] as? [[String: Any]])
        #expect(intervals.contains { $0["rule"] as? String == "level-exceeds-policy" && $0["ongoing"] as? Bool == true })
        let quiet = try CLI.run(["investigate", Self.sample, "--account", "acc-001", "--to", Self.snapshot])
        #expect(quiet.status == 0)
        #expect(quiet.stdout.contains("broke no state rule"))
    }

    @Test("investigate errors: one line and exit 2; usage errors exit 64")
    func errors() throws {
        let unknown = try CLI.run(["investigate", Self.sample, "--account", "nobody"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.split(separator: "\n").count == 1)
        let clean = try CLI.run(["investigate", "samples/clean.sql", "--account", "acc-001"])
        #expect(clean.status == 2)
        #expect(clean.stderr.contains("no history"))
        #expect(try CLI.run(["investigate", Self.sample]).status == 64)
        #expect(try CLI.run(["investigate", Self.sample, "--account", "a", "--grant", "1"]).status == 64)
        #expect(try CLI.run(["investigate", Self.sample, "--account", "acc-010", "--nightly", "25:00"]).status == 64)
        #expect(try CLI.run(["investigate", Self.sample, "--account", "acc-010", "--format", "csv"]).status == 64)
        // The report never goes over an input: the database itself is refused before it is read.
        let overInput = try CLI.run(["investigate", Self.sample, "--account", "acc-010", "--output", Self.sample])
        #expect(overInput.status == 2)
        #expect(try CLI.run(["actors", Self.sample, "--output", Self.sample]).status == 2)
        #expect(try String(contentsOf: CLI.root.appendingPathComponent(Self.sample), encoding: .utf8).contains("CWT-2019-01"))
        // --from after --to is a usage error, as for exposure and actors (it was exit 2).
        let backwards = try CLI.run(["investigate", Self.sample, "--account", "acc-010", "--from", "2019-03-10", "--to", "2019-03-01"])
        #expect(backwards.status == 64)
    }

    @Test("actors on the sample: kosei first, with the out-of-policy national grants")
    func actors() throws {
        let result = try CLI.run(["actors", Self.sample, "--format", "json"])
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["schema_version", "actors"])
        let actors = try #require(object["actors"] as? [[String: Any]])
        let kosei = try #require(actors.first)
        #expect(kosei["actor"] as? String == "kosei")
        let breaking = try #require(kosei["breaking"] as? [String: Int])
        #expect(breaking["level-exceeds-policy"] == 2)
        #expect(kosei["last_breach"] as? String == "2019-03-07T09:12:00Z")
        let text = try CLI.run(["actors", Self.sample, "--from", "2019-03-01", "--to", Self.snapshot])
        #expect(text.status == 0)
        #expect(text.stdout.split(separator: "\n").contains { $0.contains("kosei") })
        #expect(!text.stdout.contains("mfarah"))
    }
}
