import AccessAuditKit
import Foundation
import Testing

/// Golden files for `exposure` and `timeline` in every format they write, on the bundled sample,
/// and hostile database values escaped in each (run with UPDATE_GOLDEN=1 to rewrite the goldens
/// after an intended change, then review the diff).
struct HistoryRendererTests {
    static let sample = "samples/national-statistics.sql"

    static func connection() throws -> Connection {
        try AuditSource.open(Fixture.root.appendingPathComponent(sample).path)
    }

    /// From 09:00 on 7 March 2019: grant 1050's breach began at 08:45 (clipped), 1051's at 09:12.
    static func exposure() throws -> ExposureReport {
        try Exposure.run(
            connection(), database: sample, from: Fixture.timestamp("2019-03-07T09:00:00Z"),
            to: Fixture.timestamp("2019-03-13T02:00:00Z"), rule: "level-exceeds-policy")
    }

    static func timeline() throws -> TimelineReport {
        try Timeline.run(connection(), database: sample, account: "acc-010")
    }

    func golden(_ name: String, _ actual: String) throws -> String {
        let url = Fixture.root.appendingPathComponent("Tests/AccessAuditKitTests/Golden/\(name)")
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] != nil {
            try actual.write(to: url, atomically: true, encoding: .utf8)
        }
        // As bytes: String(contentsOf:) would drop the CSV's byte order mark.
        return String(decoding: try Data(contentsOf: url), as: UTF8.self)
    }

    static let formats: [(ReportFormat, String)] = [(.text, "txt"), (.csv, "csv"), (.markdown, "md"), (.html, "html")]

    @Test("exposure on the sample matches its golden file in every format", arguments: formats)
    func exposureGoldens(_ format: ReportFormat, _ suffix: String) throws {
        let rendered = ExposureRenderer.render(try Self.exposure(), format: format)
        #expect(rendered == (try golden("exposure-sample.\(suffix)", rendered)))
    }

    @Test("timeline on the sample matches its golden file in every format", arguments: formats)
    func timelineGoldens(_ format: ReportFormat, _ suffix: String) throws {
        let rendered = TimelineRenderer.render(try Self.timeline(), format: format)
        #expect(rendered == (try golden("timeline-acc-010.\(suffix)", rendered)))
    }

    @Test func jsonGoldensComparedAsValues() throws {
        for (name, json) in [
            ("exposure-sample.json", ExposureRenderer.render(try Self.exposure(), format: .json)),
            ("timeline-acc-010.json", TimelineRenderer.render(try Self.timeline(), format: .json)),
        ] {
            let expected = try golden(name, json)
            let actual = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? NSDictionary
            let wanted = try JSONSerialization.jsonObject(with: Data(expected.utf8)) as? NSDictionary
            #expect(actual != nil)
            #expect(actual == wanted, "\(name)")
        }
    }

    @Test("The exposure table: the reviewer's columns, clipped and ongoing said, durations human and in seconds")
    func exposureTable() throws {
        let csv = ExposureRenderer.render(try Self.exposure(), format: .csv)
        #expect(csv.hasPrefix("\u{FEFF}# access-audit exposure of samples/national-statistics.sql"))
        let lines = csv.split(separator: "\r\n").map(String.init)
        #expect(lines.contains(ExposureRenderer.columns.map { "\"\($0)\"" }.joined(separator: ",")))
        let first = try #require(lines.first { $0.hasPrefix("\"level-exceeds-policy\",\"1050\"") })
        #expect(first.contains("\"2019-03-07T09:00:00Z\",\"2019-03-12T11:50:00Z\",\"5d 2h 50m\",\"442200\",\"false\",\"true\""))
        let second = try #require(lines.first { $0.hasPrefix("\"level-exceeds-policy\",\"1051\"") })
        #expect(second.contains("\"true\",\"false\",\"kosei\",\"kosei\",\"\""))
        let text = ExposureRenderer.render(try Self.exposure(), format: .text)
        #expect(text.contains("2019-03-07T09:00:00Z (clipped)"))
    }

    @Test("The README shows the real output of exposure on the sample")
    func readme() throws {
        let readme = try String(contentsOf: Fixture.root.appendingPathComponent("README.md"), encoding: .utf8)
        let report = try Exposure.run(
            Self.connection(), database: Self.sample, from: Fixture.timestamp("2019-03-01"), to: Fixture.timestamp("2019-03-13T02:00:00Z"),
            rule: "level-exceeds-policy")
        #expect(readme.contains(ExposureRenderer.render(report, format: .text)))
    }
}

/// Hostile values from the database in every format `exposure` and `timeline` write.
struct HistoryEscapingTests {
    /// An account id that is not valid UTF-8 (u, 0xFF), a `<script>` username with a bidi
    /// override, a formula actor, a multi-line approver and a note with a bidi override.
    static let sql = """
        INSERT INTO accounts(account_id, username, display_name, org_id, status, created_at, last_login_at) VALUES
          (CAST(x'75ff' AS TEXT), '<script>alert(1)</script>' || char(8238) || 'gpj', 'Hostile', 'CA1', 'active', '2026-01-01', NULL);
        INSERT INTO grant_events(event_id, occurred_at, action, grant_id, account_id, level, scope_org_id, actor, approved_by, expires_at, note)
        VALUES (1, '2026-05-02', 'grant', 7, CAST(x'75ff' AS TEXT), 'national', NULL, '=cmd|'' /C calc''!A0', 'line one' || char(10) || 'line two',
                NULL, 'ok' || char(8238) || 'txt.exe'),
               (2, '2026-05-04', 'revoke', 7, CAST(x'75ff' AS TEXT), NULL, NULL, '@SUM(1)|<b>x</b>', NULL, NULL, NULL);
        """

    static func rendered() throws -> [(String, String)] {
        let connection = try Fixture.database(sql, base: true)
        let exposure = try Exposure.run(
            connection, database: "fixture", from: Fixture.timestamp("2026-05-01"), to: Fixture.timestamp("2026-05-31"),
            rule: "level-exceeds-policy")
        #expect(exposure.intervals.count == 1)
        let timeline = try Timeline.run(connection, database: "fixture", account: DBText.decode([0x75, 0xFF]))
        #expect(timeline.entries.count == 2)
        var out: [(String, String)] = []
        for format in [ReportFormat.csv, .markdown, .html, .text] {
            out.append(("exposure \(format)", ExposureRenderer.render(exposure, format: format)))
            out.append(("timeline \(format)", TimelineRenderer.render(timeline, format: format)))
        }
        return out
    }

    @Test("No format lets a bidi control, an ANSI-free terminal trick or a raw invalid byte through")
    func everyFormat() throws {
        for (name, text) in try Self.rendered() {
            #expect(!text.unicodeScalars.contains { $0.value == 0x202E }, "\(name): bidi override shown raw")
            #expect(!text.unicodeScalars.contains { $0.value >= 0x10_FF00 }, "\(name): an escaped byte left in")
            #expect(text.contains("u\u{FFFD}"), "\(name): the invalid byte shown as U+FFFD")
            #expect(text.contains("U+202E"), "\(name): the bidi override made visible")
        }
    }

    @Test("CSV: byte order mark, formulas neutralised, every field quoted")
    func csv() throws {
        let values = Dictionary(try Self.rendered(), uniquingKeysWith: { a, _ in a })
        for name in ["exposure csv", "timeline csv"] {
            let csv = try #require(values[name])
            #expect(csv.hasPrefix("\u{FEFF}#"), "\(name)")
            #expect(csv.contains("\"'=cmd|' /C calc'!A0\"") || csv.contains("\"'@SUM(1)|<b>x</b>\""), "\(name)")
            #expect(!csv.contains(",\"=") && !csv.contains(",\"@"), "\(name): a formula left live")
        }
        let timeline = try #require(values["timeline csv"])
        #expect(timeline.contains("\"'=cmd|' /C calc'!A0\"") && timeline.contains("\"'@SUM(1)|<b>x</b>\""))
        // The newline stays inside its quoted field: a CSV reader sees one record.
        #expect(timeline.contains("\"line one\nline two\""))
    }

    @Test("Markdown and HTML: no markup from the database, one table row per record")
    func markup() throws {
        let values = Dictionary(try Self.rendered(), uniquingKeysWith: { a, _ in a })
        for name in ["exposure markdown", "timeline markdown", "exposure html", "timeline html"] {
            let text = try #require(values[name])
            #expect(!text.contains("<script>") && !text.contains("<b>"), "\(name)")
            #expect(text.contains("&lt;script&gt;") || text.contains("&lt;b&gt;"), "\(name)")
            #expect(!text.contains("line one\nline two"), "\(name)")
        }
        let markdown = try #require(values["timeline markdown"])
        #expect(markdown.contains("line one<br>line two"))
        #expect(markdown.contains("=cmd\\|"))
        // Every table line has as many unescaped pipes as the header.
        let rows = markdown.split(separator: "\n").filter { $0.hasPrefix("|") }
        let pipes = rows.map { row in zip(row, row.dropFirst()).count { $0.1 == "|" && $0.0 != "\\" } + 1 }
        #expect(Set(pipes).count == 1, "\(pipes)")
        let html = try #require(values["timeline html"])
        #expect(html.hasPrefix("<!DOCTYPE html>") && !html.contains("<script"), "self-contained, no script")
    }
}
