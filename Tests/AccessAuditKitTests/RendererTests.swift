import AccessAuditKit
import Foundation
import Testing

/// Golden files for every renderer, from one shared fixture: the bundled national-statistics
/// sample audited at a fixed clock. Run with UPDATE_GOLDEN=1 to rewrite them after an intended
/// change, then review the diff.
struct RendererTests {
    static let now = Fixture.timestamp("2019-03-13T02:00:00Z")

    static func sampleReport() throws -> AuditReport {
        let path = Fixture.root.appendingPathComponent("samples/national-statistics.sql").path
        let connection = try AuditSource.open(path)
        return try DatabaseAudit.run(
            connection, database: "samples/national-statistics.sql", options: AuditOptions(now: now))
    }

    func golden(_ name: String, _ actual: String) throws -> String {
        let url = Fixture.root.appendingPathComponent("Tests/AccessAuditKitTests/Golden/\(name)")
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] != nil {
            try actual.write(to: url, atomically: true, encoding: .utf8)
        }
        // As bytes: String(contentsOf:) would drop the CSV's byte order mark.
        return String(decoding: try Data(contentsOf: url), as: UTF8.self)
    }

    @Test func textGolden() throws {
        let text = TextRenderer().render(try RendererTests.sampleReport(), context: RenderContext())
        #expect(text == (try golden("sample.txt", text)))
        #expect(!text.contains("\u{1B}"))
    }

    @Test func jsonGoldenComparedAsValues() throws {
        let json = JSONRenderer().render(try RendererTests.sampleReport(), context: RenderContext())
        let expected = try golden("sample.json", json)
        let parsedActual = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? NSDictionary
        let parsedExpected = try JSONSerialization.jsonObject(with: Data(expected.utf8)) as? NSDictionary
        #expect(parsedActual != nil)
        #expect(parsedActual == parsedExpected)
    }

    @Test("Every other format matches its golden file", arguments: [
        (ReportFormat.ndjson, "sample.ndjson"), (.csv, "sample.csv"), (.markdown, "sample.md"), (.html, "sample.html"),
    ])
    func formatGoldens(_ format: ReportFormat, _ file: String) throws {
        let rendered = format.renderer.render(try RendererTests.sampleReport(), context: RenderContext())
        #expect(rendered == (try golden(file, rendered)))
    }

    @Test("NDJSON: one self-contained JSON object a finding")
    func ndjson() throws {
        let report = try RendererTests.sampleReport()
        let lines = NDJSONRenderer().render(report, context: RenderContext()).split(separator: "\n")
        #expect(lines.count == report.findings.count + 1)
        let header = try #require(try JSONSerialization.jsonObject(with: Data((lines.first ?? "").utf8)) as? [String: Any])
        #expect(header["record"] as? String == "run")
        #expect((header["summary"] as? [String: Any])?["verdict"] as? String == "fail")
        #expect((header["notes"] as? [String])?.first == "configuration: none (built-in defaults)")
        for (line, finding) in zip(lines.dropFirst(), report.findings) {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["record"] as? String == "finding")
            #expect(object["key"] as? String == finding.key)
            #expect(object["now"] as? String == "2019-03-13T02:00:00Z")
            #expect(object["database"] as? String == "samples/national-statistics.sql")
        }
    }

    @Test("Injection through database values is neutralised in every format")
    func injection() throws {
        let report = try Fixture.audit(
            "UPDATE accounts SET display_name = '<script>alert(1)</script>', username = '=HYPERLINK(\"http://x\")' WHERE account_id = 'u-ca';"
                + RuleExample.grant(1, "u-ca", "national", scope: "'| x | [link](http://evil) *bold*'", by: "'+cmd'", approvedBy: "'@SUM(A1)'"))
        let html = HTMLRenderer().render(report, context: RenderContext())
        #expect(!html.contains("<script>alert"))
        #expect(html.contains(#""\u003cscript>alert(1)\u003c/script>""#), "data for textContent, no markup")
        let csv = CSVRenderer().render(report, context: RenderContext())
        #expect(csv.contains("\"'=HYPERLINK(\"\"http://x\"\")\""))
        #expect(csv.contains("\"'+cmd\""))
        #expect(csv.contains("\"'@SUM(A1)\""))
        #expect(!csv.contains(",\"=HYPERLINK"))
        let markdown = MarkdownRenderer().render(report, context: RenderContext())
        #expect(!markdown.contains("[link](http://evil)"))
        #expect(markdown.contains("\\| x \\| \\[link\\]\\(http://evil\\) \\*bold\\*"))
        #expect(!markdown.contains("<script>"))
        // Every finding row has the same number of cells as the header.
        let rows = markdown.split(separator: "\n").filter { $0.hasPrefix("| ") && $0.contains("u-ca") }
        let header = markdown.split(separator: "\n").first { $0.hasPrefix("| severity | rule") } ?? ""
        let cells = { (line: Substring) in line.replacingOccurrences(of: "\\|", with: "").filter { $0 == "|" }.count }
        #expect(!rows.isEmpty)
        for row in rows { #expect(cells(row) == cells(header)) }
    }

    @Test("JSON has exactly the contract's shape")
    func jsonShape() throws {
        let json = JSONRenderer().render(try RendererTests.sampleReport(), context: RenderContext())
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(
            Set(object.keys) == ["schema_version", "command", "database", "now", "configuration", "notes", "summary", "findings"],
            "no extension keys without metadata, waivers or a baseline")
        #expect(object["schema_version"] as? Int == 1)
        #expect(object["command"] as? String == "audit")
        #expect(object["now"] as? String == "2019-03-13T02:00:00Z")
        let summary = try #require(object["summary"] as? [String: Any])
        #expect(
            Set(summary.keys) == [
                "accounts", "grants", "findings_by_rule", "not_checked", "findings_by_severity", "verdict", "fail_on", "fail_on_new",
            ])
        #expect(summary["verdict"] as? String == "fail")
        #expect(summary["fail_on"] as? String == "high")
        #expect(summary["findings_by_severity"] as? [String: Int] == ["critical": 1, "high": 5, "medium": 4, "low": 2, "info": 1])
        #expect((summary["not_checked"] as? [String: String])?.isEmpty == true)
        #expect(summary["accounts"] as? Int == 18)
        #expect(summary["grants"] as? Int == 20)
        let byRule = try #require(summary["findings_by_rule"] as? [String: Int])
        #expect(Set(byRule.keys) == Set(RuleRegistry.ids))
        #expect(byRule["level-exceeds-policy"] == 1)
        #expect(byRule["invalid-policy"] == 0)
        let findings = try #require(object["findings"] as? [[String: Any]])
        #expect(findings.count == byRule.values.reduce(0, +))
        let required: Set = ["rule", "severity", "account_id", "grant_id", "org_id", "message", "key"]
        let optional: Set = ["reason", "column", "event_id", "org_type", "table", "evidence", "subject"]
        for finding in findings {
            #expect(required.isSubset(of: Set(finding.keys)))
            #expect(Set(finding.keys).subtracting(required).isSubset(of: optional))
        }
        let critical = try #require(findings.first)
        #expect(critical["rule"] as? String == "level-exceeds-policy")
        #expect(critical["account_id"] as? String == "acc-011")
        #expect(critical["grant_id"] as? Int == 1051)
        #expect(critical["org_id"] as? String == "CA-WM")
        let unauditable = try #require(findings.first { $0["rule"] as? String == "unauditable-grant" })
        #expect(unauditable["reason"] as? String == "unknown-account")
        #expect(unauditable["org_id"] is NSNull)
        let timestamp = try #require(findings.first { $0["rule"] as? String == "invalid-timestamp" })
        #expect(timestamp["column"] as? String == "created_at")
        #expect(timestamp["grant_id"] is NSNull)
    }

    @Test("invalid-policy findings carry org_type, and null ids")
    func invalidPolicyJSON() throws {
        let report = try Fixture.audit("INSERT INTO policy VALUES ('auditor', 'organisation', 'galactic', 1);")
        let value = JSONRenderer.finding(try #require(report.findings.first))
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(value.serialized(pretty: false).utf8)) as? [String: Any])
        #expect(object["org_type"] as? String == "auditor")
        #expect(object["account_id"] is NSNull)
        #expect(object["grant_id"] is NSNull)
        #expect(object["org_id"] is NSNull)
        #expect(object["key"] as? String == "invalid-policy:policy:auditor")
    }

    @Test("Hostile database text cannot reach the terminal raw")
    func hostileText() throws {
        let report = try Fixture.audit(
            "UPDATE accounts SET display_name = 'Eve' || char(10) || '[CRITICAL] forged' || char(27) || '[2J' WHERE account_id = 'u-ca';"
                + RuleExample.grant(1, "u-ca", "national"))
        let text = TextRenderer().render(report, context: RenderContext())
        #expect(text.contains("Eve\\n[CRITICAL] forged\\x1B[2J"))
        #expect(!text.contains("\u{1B}"))
        let coloured = TextRenderer().render(report, context: RenderContext(colour: true))
        #expect(coloured.contains("\u{1B}[1;31m"))
        #expect(!coloured.contains("\u{1B}[2J"))
    }

    @Test("CSV comment lines hold no quote or comma: a spreadsheet keeps each in one cell and the header row intact")
    func csvCommentLines() throws {
        var report = try RendererTests.sampleReport()
        report.database = "we,\"ird,=1+1.sql"
        report.notes.append("a note, with \"quotes\"")
        let csv = CSVRenderer().render(report, context: RenderContext())
        let comments = csv.split(separator: "\r\n").filter { $0.hasPrefix("#") || $0.hasPrefix(CSVRenderer.byteOrderMark + "#") }
        #expect(comments.count == report.statements.count + 1)
        #expect(comments.allSatisfy { !$0.contains("\"") && !$0.contains(",") }, "\(comments)")
        #expect(comments.first?.contains("we\\x2C\\x22ird\\x2C=1+1.sql") == true)
        #expect(comments.last == "# a note\\x2C with \\x22quotes\\x22")
        #expect(Escaping.csvComment("plain (no change)") == "plain (no change)")
    }
}
