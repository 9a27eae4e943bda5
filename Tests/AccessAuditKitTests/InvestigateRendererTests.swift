import AccessAuditKit
import Foundation
import Testing

/// Golden files for `investigate` and `actors` on the bundled sample, and escaping in every format.
struct InvestigateRendererTests {
    static func sample() throws -> InvestigationReport {
        let path = Fixture.root.appendingPathComponent("samples/national-statistics.sql").path
        let options = Investigate.Options(
            subject: .account("acc-010"), to: Fixture.timestamp("2019-03-13T02:00:00Z"), nightly: NightlySchedule("02:00"))
        return try Investigate.run(AuditSource.open(path), database: "samples/national-statistics.sql", options: options)
    }

    func golden(_ name: String, _ actual: String) throws -> String {
        let url = Fixture.root.appendingPathComponent("Tests/AccessAuditKitTests/Golden/\(name)")
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] != nil {
            try actual.write(to: url, atomically: true, encoding: .utf8)
        }
        return try String(contentsOf: url, encoding: .utf8)
    }

    @Test("investigate on the sample matches its golden file", arguments: [
        (DossierDocument.Format.text, "investigate-acc-010.txt"), (.markdown, "investigate-acc-010.md"), (.html, "investigate-acc-010.html"),
    ])
    func goldens(_ format: DossierDocument.Format, _ file: String) throws {
        let rendered = InvestigationRenderer.render(try Self.sample(), format: format)
        #expect(rendered == (try golden(file, rendered)))
    }

    @Test func jsonGoldenComparedAsValues() throws {
        let json = InvestigationRenderer.render(try Self.sample(), format: .json)
        let expected = try golden("investigate-acc-010.json", json)
        let actual = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? NSDictionary)
        #expect(actual == (try JSONSerialization.jsonObject(with: Data(expected.utf8)) as? NSDictionary))
        #expect(Set(actual.allKeys.compactMap { $0 as? String }) == [
            "schema_version", "subject", "intervals", "timeline", "detectable", "also_affected", "same_actor", "pre_release", "narrative",
        ])
    }

    @Test func actorsGolden() throws {
        let path = Fixture.root.appendingPathComponent("samples/national-statistics.sql").path
        let report = try Actors.run(AuditSource.open(path), database: "samples/national-statistics.sql", from: nil, to: nil)
        let text = ActorsRenderer.render(report, format: .text)
        #expect(text == (try golden("actors.txt", text)))
        let json = ActorsRenderer.render(report, format: .json)
        #expect(json == (try golden("actors.json", json)))
    }

    @Test("The README shows the real output of investigate and actors on the sample")
    func readme() throws {
        let readme = try String(contentsOf: Fixture.root.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains(InvestigationRenderer.render(try Self.sample(), format: .text)))
        let path = Fixture.root.appendingPathComponent("samples/national-statistics.sql").path
        let actors = try Actors.run(AuditSource.open(path), database: "samples/national-statistics.sql", from: nil, to: nil)
        #expect(readme.contains(ActorsRenderer.render(actors, format: .text)))
    }

    @Test("Database values are escaped in every format of the dossier")
    func escaping() throws {
        let sql =
            "UPDATE accounts SET username = '<script>x</script>' WHERE account_id = 'u-ca';"
            + RuleExample.grantEvent(1, "2026-05-02T10:00:00Z", "grant", grant: 1, account: "u-ca", level: "'national'", actor: "'evil\u{1B}[31m|*x*'")
            + "UPDATE grant_events SET note = 'line one\nline two <b>' WHERE event_id = 1;"
        let report = try Investigate.run(
            Fixture.database(sql, base: true), database: "fixture",
            options: .init(subject: .account("u-ca"), to: Fixture.timestamp("2026-05-20")))
        let text = InvestigationRenderer.render(report, format: .text)
        #expect(!text.contains("\u{1B}"))
        #expect(text.contains("evil\\x1B[31m"))
        #expect(!text.contains("line one\nline two"))
        let html = InvestigationRenderer.render(report, format: .html)
        #expect(!html.contains("<script>x") && html.contains("&lt;script&gt;x&lt;/script&gt;"))
        #expect(!html.contains("<b>"))
        let markdown = InvestigationRenderer.render(report, format: .markdown)
        #expect(!markdown.contains("<script>") && !markdown.contains("\u{1B}") && markdown.contains("\\|\\*x\\*"))
        let json = InvestigationRenderer.render(report, format: .json)
        #expect(try JSONSerialization.jsonObject(with: Data(json.utf8)) is NSDictionary)
    }
}
