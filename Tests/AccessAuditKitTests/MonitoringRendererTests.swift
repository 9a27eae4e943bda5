@testable import AccessAuditKit
import Foundation
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// `--format junit` and `--metrics`: golden files from the shared sample fixture, the JUnit
/// document read back by a real XML parser, hostile values neutralised.
struct MonitoringRendererTests {
    static let run = MetricsRenderer.Run(durationSeconds: 1.25, finishedAt: 1_552_442_401)

    func golden(_ name: String, _ actual: String) throws -> String {
        try RendererTests().golden(name, actual)
    }

    /// Counts testcases, failures and skipped elements, and collects failure messages.
    final class JUnitReader: NSObject, XMLParserDelegate {
        var testcases: [String] = []
        var failures: [String: String] = [:]
        var skipped: [String] = []
        var suites: [[String: String]] = []
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            switch name {
            case "testsuite": suites.append(attributes)
            case "testcase": testcases.append(attributes["name"] ?? "")
            case "failure": failures[testcases.last ?? ""] = attributes["message"]
            case "skipped": skipped.append(testcases.last ?? "")
            default: break
            }
        }
    }

    func read(_ xml: String) throws -> JUnitReader {
        let parser = XMLParser(data: Data(xml.utf8))
        let reader = JUnitReader()
        parser.delegate = reader
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        return reader
    }

    @Test("JUnit: golden file; one testcase per rule, a failure for each rule with findings at or above --fail-on")
    func junitGolden() throws {
        let xml = JUnitRenderer().render(try RendererTests.sampleReport(), context: RenderContext())
        #expect(xml == (try golden("sample.junit.xml", xml)))
        let reader = try read(xml)
        #expect(reader.testcases.count == RuleRegistry.ids.count)
        // The sample's critical and high findings: level-exceeds-policy, scope-outside-remit,
        // missing-approval, self-approved, unauditable-grant, history-mismatch.
        #expect(reader.failures.count == 6)
        #expect(reader.failures["level-exceeds-policy (critical)"] == "1 finding at or above high")
        #expect(reader.suites.first?["failures"] == "6")
        #expect(reader.suites.first?["tests"] == "14")
    }

    @Test("JUnit: --fail-on medium fails more rules; waived findings and rules not run do not fail")
    func junitThresholdAndSkips() throws {
        var report = try RendererTests.sampleReport()
        let medium = try read(JUnitRenderer().render(report, context: RenderContext(failOn: .medium)))
        #expect(medium.failures.count == 10)
        var config = AuditConfig()
        config.disabledRules = ["dormant-account"]
        report.apply(config: config)
        let waiver = Waiver(
            line: 1, key: "level-exceeds-policy:grant:1051", reason: "r", owner: "o", approvedBy: "a",
            expires: Fixture.timestamp("2019-06-01"), expiresText: "2019-06-01")
        try report.apply(waivers: [waiver], maxDays: 365)
        let reader = try read(JUnitRenderer().render(report, context: RenderContext()))
        #expect(reader.failures["level-exceeds-policy (critical)"] == nil)
        #expect(reader.failures.count == 5)
        #expect(reader.skipped == ["dormant-account (low)"])
    }

    @Test("JUnit: hostile database values leave the document well-formed")
    func junitHostile() throws {
        let report = try Fixture.audit(
            "UPDATE accounts SET display_name = '</failure><x>' || char(0) || char(27) || ']]>&', username = 'a\"b''c' WHERE account_id = 'u-ca';"
                + RuleExample.grant(1, "u-ca", "national", by: "'<by>'", approvedBy: "NULL"))
        let xml = JUnitRenderer().render(report, context: RenderContext())
        let reader = try read(xml)
        #expect(!reader.failures.isEmpty)
        #expect(!xml.contains("</failure><x>"))
        #expect(!xml.contains("\u{0}") && !xml.contains("\u{1B}"))
    }

    @Test("Metrics: golden file, the families and labels the alerts use")
    func metricsGolden() throws {
        let text = MetricsRenderer.render(try RendererTests.sampleReport(), context: RenderContext(), run: Self.run)
        #expect(text == (try golden("sample.prom", text)))
        #expect(text.contains("access_audit_findings{rule=\"level-exceeds-policy\",severity=\"critical\"} 1\n"))
        #expect(text.contains("access_audit_last_success_timestamp_seconds 1552442401\n"))
        #expect(text.contains("access_audit_duration_seconds 1.25\n"))
        #expect(text.contains("access_audit_rows_read{table=\"grants\"} 20\n"))
        #expect(!text.contains("new_findings"))
    }

    @Test("Metrics: new and resolved findings only with a baseline")
    func metricsBaseline() throws {
        var report = try RendererTests.sampleReport()
        try report.compare(with: Baseline(findings: []))
        let text = MetricsRenderer.render(report, context: RenderContext(onlyNew: true), run: Self.run)
        #expect(text.contains("access_audit_new_findings{severity=\"critical\"} 1\n"))
        #expect(text.contains("access_audit_resolved_findings 0\n"))
    }
}
