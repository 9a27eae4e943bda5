import AccessAuditKit
import Foundation
import Testing

/// What to do about each finding (`Finding.action`), and the CSV that opens right.
struct ActionTests {
    @Test("Every rule says what to do about each of its findings", arguments: RuleRegistry.ids)
    func everyRuleHasAnAction(_ id: String) throws {
        let rule = try #require(RuleRegistry.all.first { $0.description.id == id })
        for example in rule.description.triggeringExamples {
            let report = try Fixture.audit(example.sql)
            for finding in Fixture.findings(id, in: report) {
                #expect(finding.action.count > 20, "\(id): \(example.note)")
                #expect(!finding.action.contains("'?'"), "\(id): \(example.note): \(finding.action)")
            }
        }
    }

    @Test("level-exceeds-policy: lower to the type's maximum, as the remediation script does, or move the account")
    func levelAction() throws {
        let report = try Fixture.audit(RuleExample.grant(1, "u-ca", "national"))
        let finding = try #require(Fixture.findings("level-exceeds-policy", in: report).first)
        #expect(finding.action.hasPrefix("Lower the grant to 'alliance' (what the remediation script does) or move the account to an organisation whose type may hold 'national'"))
        let sql = RemediationSQL.script(for: report, actor: "reviewer")
        #expect(sql.contains("UPDATE grants NOT INDEXED SET level = 'alliance'"))
    }

    @Test("The action is in text, CSV, Markdown and HTML")
    func everyFormat() throws {
        let report = try RendererTests.sampleReport()
        let action = try #require(report.findings.first?.action)
        #expect(TextRenderer().render(report, context: RenderContext()).contains("  -> " + action))
        #expect(CSVRenderer().render(report, context: RenderContext()).contains(",\"" + action + "\","))
        #expect(MarkdownRenderer().render(report, context: RenderContext()).contains("| " + Escaping.markdownCell(action) + " |"))
        // HTML: the action is a template in the data (HTMLReportTests.sampleRoundTrip expands it).
        #expect(HTMLRenderer().render(report, context: RenderContext()).contains("\"Lower the grant to '\\u"))
    }

    @Test("CSV starts with a UTF-8 byte order mark, then the # lines; a reader that strips it parses the table")
    func csvByteOrderMark() throws {
        let report = try Fixture.audit(
            "UPDATE accounts SET display_name = 'Siân' WHERE account_id = 'u-ca';" + RuleExample.grant(1, "u-ca", "national"))
        let csv = CSVRenderer().render(report, context: RenderContext())
        #expect(Array(csv.utf8.prefix(4)) == [0xEF, 0xBB, 0xBF, UInt8(ascii: "#")])
        let lines = csv.dropFirst(CSVRenderer.byteOrderMark.count).components(separatedBy: "\r\n")
        #expect(lines.first?.hasPrefix("# access-audit audit of fixture") == true)
        let table = lines.drop { $0.hasPrefix("#") }
        #expect(table.first?.hasPrefix("\"severity\",\"rule\",\"account_id\"") == true)
        #expect(table.first?.contains("\"message\",\"action\",\"key\"") == true)
        #expect(csv.contains("display_name=Siân"))
    }
}
