@testable import AccessAuditKit
import Foundation
import Testing

/// The HTML report: findings as data in a `<script type="application/json">` element (never one
/// DOM row each), which no database value can break out of, and the triage summaries.
struct HTMLReportTests {
    /// The text of `<script type="application/json" id="ID">…</script>`.
    static func block(_ id: String, in html: String) throws -> String {
        let start = try #require(html.range(of: "<script type=\"application/json\" id=\"\(id)\">"))
        let end = try #require(html.range(of: "</script>", range: start.upperBound..<html.endIndex))
        return String(html[start.upperBound..<end.lowerBound])
    }

    static func parsed(_ html: String) throws -> (rows: [[Any]], strings: [String]) {
        let rows = try JSONSerialization.jsonObject(with: Data(try block("aa-findings", in: html).utf8)) as? [[Any]]
        let strings = try JSONSerialization.jsonObject(with: Data(try block("aa-strings", in: html).utf8)) as? [String]
        return (try #require(rows), try #require(strings))
    }

    @Test("Script JSON strings: no </script> or <!-- can appear, and they parse back to the text as shown")
    func scriptJSONString() throws {
        for nasty in ["</script><script>alert(1)</script>", "<!-- x", "</SCRIPT >", "a\u{202E}b\n\"\\", "plain", "Siân"] {
            let literal = Escaping.scriptJSONString(nasty)
            #expect(!literal.lowercased().contains("</script"))
            #expect(!literal.contains("<!--"))
            #expect(!literal.contains("<"))
            let parsed = try JSONSerialization.jsonObject(with: Data("[\(literal)]".utf8)) as? [String]
            #expect(parsed == [Escaping.terminal(nasty)], "\(nasty)")
        }
        #expect(Escaping.scriptJSONString("a\u{202E}b") == "\"a\\u003cU+202E>b\"")
    }

    @Test("Fragment values percent-encode everything but the unreserved characters")
    func fragmentValue() {
        #expect(Escaping.fragmentValue("level-exceeds-policy") == "level-exceeds-policy")
        #expect(Escaping.fragmentValue("a&b=c #d") == "a%26b%3Dc%20%23d")
        #expect(Escaping.fragmentValue("Siân") == "Si%C3%A2n")
        #expect(Escaping.fragmentValue("\"><script>") == "%22%3E%3Cscript%3E")
    }

    @Test("A hostile value in the findings data cannot close the script element or open a comment")
    func hostileData() throws {
        let report = try Fixture.audit(
            "UPDATE accounts SET display_name = '</script><script>alert(1)</script><!--' WHERE account_id = 'u-ca';"
                + "UPDATE organisations SET name = '</script><img src=x onerror=alert(2)>' WHERE org_id = (SELECT org_id FROM accounts WHERE account_id = 'u-ca');"
                + RuleExample.grant(1, "u-ca", "national", by: "'</script>'"))
        let html = HTMLRenderer().render(report, context: RenderContext())
        // Two data blocks and the script: nothing else closes a script element.
        #expect(html.components(separatedBy: "</script>").count - 1 == 3)
        #expect(!html.contains("<!--"))
        #expect(!html.contains("<script>alert"))
        #expect(!html.contains("<img"))
        let (rows, strings) = try HTMLReportTests.parsed(html)
        #expect(rows.count == report.findings.count)
        #expect(strings.contains("</script><script>alert(1)</script><!--"))
        #expect(strings.first == "")
        // The person link in the summary is escaped and percent-encoded.
        #expect(html.contains("href=\"#by=%3C%2Fscript%3E\""))
    }

    @Test("Findings are data, not DOM rows: the file grows by well under 200 bytes a finding")
    func compact() throws {
        let base = try Fixture.audit(RuleExample.grant(1, "u-ca", "national"))
        let finding = try #require(base.findings.first)
        func report(_ count: Int) -> AuditReport {
            var findings: [Finding] = []
            for index in 0..<count {
                var copy = finding
                copy.accountID = "acc-\(index)"
                copy.grantID = .integer(Int64(100_000 + index))
                copy.key = "level-exceeds-policy:grant:\(100_000 + index)"
                findings.append(copy)
            }
            return AuditReport(command: "audit", database: "x", now: base.now, accounts: count, grants: count, findings: findings)
        }
        let small = HTMLRenderer().render(report(10), context: RenderContext())
        let large = HTMLRenderer().render(report(5010), context: RenderContext())
        #expect((large.utf8.count - small.utf8.count) / 5000 < 200)
        #expect(!large.contains("<td>acc-"), "no finding is an HTML row")
        let (rows, strings) = try HTMLReportTests.parsed(large)
        #expect(rows.count == 5010)
        let first = try #require(rows.first)
        #expect(first[0] as? Int == 4)
        #expect((first[1] as? Int).map { strings[$0] } == "level-exceeds-policy")
        #expect(first[2] as? String == "acc-0")
        #expect(first[4] as? Int == 100000, "an integer grant id is a number")
        #expect(first.count == 17, "the key (rule:grant:100000) and the zeros after it are left out")
        // The message is a template: the same for every finding, stored once.
        let templates = Set(rows.compactMap { $0[14] as? Int })
        #expect(templates.count == 1)
    }

    @Test("Message templates expand back to the message exactly, whatever the values hold")
    func templates() throws {
        let values = ["acc-1", "Siân", "1051", "CA", "a\u{1}b", "'national' (rank 30)", "national", "<U+202E>x"]
        for message in [
            "Level 'national' (rank 30) is above the maximum for acc-1.", "Siân's grant 1051 1051", "no value here",
            "<U+202E>xx national'national' (rank 30)", "",
        ] {
            let template = HTMLFindingsData.template(message, values)
            #expect(HTMLFindingsData.expand(template, values) == message, "\(message)")
        }
        #expect(HTMLFindingsData.template("grant 1051 of acc-1", values) == "grant \u{3} of \u{1}")
        #expect(HTMLFindingsData.template("CA", values) == "CA", "values under 4 bytes stay")
    }

    /// The template as first written: every value, longest first, replaced left to right by a
    /// byte-by-byte copy (slow: `template` must give exactly what it gives).
    static func referenceTemplate(_ text: String, _ values: [String]) -> String {
        var bytes = Array(text.utf8)
        let order = values.indices.prefix(HTMLFindingsData.placeholders).filter { values[$0].utf8.count >= 4 }
            .sorted { values[$0].utf8.count > values[$1].utf8.count }
        for index in order {
            let value = Array(values[index].utf8)
            var out: [UInt8] = []
            var position = 0
            while position < bytes.count {
                if position + value.count <= bytes.count, bytes[position..<position + value.count].elementsEqual(value) {
                    out.append(UInt8(1 + index))
                    position += value.count
                } else {
                    out.append(bytes[position])
                    position += 1
                }
            }
            bytes = out
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test("The fast template search gives what a byte-by-byte copy gives, on random texts and values")
    func templateEquivalence() throws {
        var random = SystemRandomNumberGenerator()
        let alphabet = Array("abAB01 -'ân:") + ["\u{1F600}"]
        func word(_ length: Int) -> String { String((0..<length).map { _ in alphabet.randomElement(using: &random) ?? "a" }) }
        for _ in 0..<2_000 {
            let values = (0..<Int.random(in: 0...35, using: &random)).map { _ in word(Int.random(in: 0...7, using: &random)) }
            var text = ""
            for _ in 0..<Int.random(in: 0...12, using: &random) {
                text += Bool.random(using: &random) && !values.isEmpty ? values[Int.random(in: 0..<values.count, using: &random)] : word(3)
            }
            let fast = HTMLFindingsData.template(text, values)
            #expect(fast == HTMLReportTests.referenceTemplate(text, values), "\(text) \(values)")
            #expect(HTMLFindingsData.expand(fast, values) == text)
        }
    }

    @Test("Every finding of the sample round-trips through the data: message, action and key")
    func sampleRoundTrip() throws {
        let report = try RendererTests.sampleReport()
        let (rows, strings) = try HTMLReportTests.parsed(HTMLRenderer().render(report, context: RenderContext()))
        #expect(rows.count == report.findings.count)
        for (row, finding) in zip(rows, report.findings) {
            let text = { (index: Int) -> String in
                if index == 4 { return (row[4] as? Int).map(String.init) ?? (row[4] as? String ?? "") }
                return (row[index] as? Int).map { strings[$0] } ?? (row[index] as? String ?? "")
            }
            var values = (2..<14).map(text)
            if let rest = row.count > 16 ? row[16] as? [Int] : nil, let shape = rest.first {
                let labels = strings[shape].split(separator: " ")
                #expect(labels.count == rest.count - 1)
                values += rest.dropFirst().map { strings[$0] }
            }
            #expect(HTMLFindingsData.expand(text(14), values) == Escaping.terminal(finding.message))
            #expect(HTMLFindingsData.expand(text(15), values) == Escaping.terminal(finding.action))
            #expect(text(1) == finding.rule)
            #expect(text(2) == finding.accountID ?? "")
            let key = row.count > 17 ? row[17] : 0
            let expectedKey =
                (key as? Int) == 0 ? "\(finding.rule):grant:\(text(4))"
                : (key as? Int) == 1 ? "\(finding.rule):account:\(text(2))" : "\(finding.rule):" + ((key as? String) ?? "?")
            #expect(expectedKey == finding.key)
        }
    }

    @Test("The verdict banner: FAIL with its threshold, and what decides it")
    func verdict() throws {
        let report = try RendererTests.sampleReport()
        let html = HTMLRenderer().render(report, context: RenderContext())
        #expect(html.contains("<p id=\"verdict\" class=\"verdict fail\"><b>FAIL</b> --fail-on high: <a href=\"#fail=1\">6 findings</a> at or above the threshold</p>"))
        let pass = HTMLRenderer().render(report, context: RenderContext(failOn: .none))
        #expect(pass.contains("<p id=\"verdict\" class=\"verdict pass\"><b>PASS</b> --fail-on none: no finding at or above the threshold</p>"))
        // The configuration statement stays at the top.
        #expect(html.contains("<p class=\"note\">configuration: none (built-in defaults)</p>"))
    }

    @Test("Triage: by rule and organisation type, by organisation, by the person who granted or approved")
    func triage() throws {
        let report = try RendererTests.sampleReport()
        let triage = Triage(report, context: RenderContext())
        #expect(triage.verdict == "fail")
        #expect(triage.failing == 6)
        #expect(triage.new == nil && triage.waived == nil)
        #expect(triage.byRuleAndType["level-exceeds-policy"]?["cancer_alliance"] == 1)
        #expect(triage.rules.map(\.count).reduce(0, +) == report.findings.count)
        let top = try #require(triage.people.first)
        #expect(top.person == "kosei" && top.granted == 9 && top.approved == 2)
        #expect(triage.people.contains { $0.person == "lbrennan" && $0.granted == 0 && $0.approved == 5 })
        #expect(triage.organisations.map(\.count) == triage.organisations.map(\.count).sorted(by: >))
        let html = HTMLRenderer().render(report, context: RenderContext())
        #expect(html.contains("<a href=\"#rule=level-exceeds-policy&amp;type=cancer_alliance\">1</a>"))
        #expect(html.contains("<th scope=\"row\">kosei</th><td class=\"n\"><a href=\"#by=kosei\">9</a></td><td class=\"n\"><a href=\"#appr=kosei\">2</a></td>"))
        #expect(html.contains("<a href=\"#org=CA-WM\">"))
    }

    @Test("The findings table has proper semantics: column headers with scope, sort buttons and aria-sort")
    func tableSemantics() throws {
        let html = HTMLRenderer().render(try RendererTests.sampleReport(), context: RenderContext())
        #expect(html.contains("<table id=\"findings\"><caption"))
        #expect(html.contains("<th scope=\"col\" aria-sort=\"none\"><button type=\"button\" data-col=\"4\">grant</button></th>"))
        #expect(html.contains("@media print"))
        #expect(!html.contains("http://") && !html.contains("https://"), "no external resource")
    }
}
