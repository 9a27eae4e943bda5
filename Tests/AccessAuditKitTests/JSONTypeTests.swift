@testable import AccessAuditKit
import Foundation
import Testing

/// docs/CONTRACT.md §5.1: a `grant_id` has one type everywhere a report names it, and settings
/// keep their types.
struct JSONTypeTests {
    @Test("resolved and diff give an integer grant_id as an integer, a text one as a string")
    func resolvedGrantIDs() throws {
        let findings = [
            BaselineFinding(key: "expired-grant:grant:1051", rule: "expired-grant", severity: .medium, grantID: "1051", message: "m"),
            BaselineFinding(key: "expired-grant:grant:%Tg-7", rule: "expired-grant", severity: .medium, grantID: "g-7", message: "m"),
            BaselineFinding(key: "dormant-account:account:a", rule: "dormant-account", severity: .low, message: "m"),
        ]
        let rendered = findings.map { JSONRenderer.resolved($0).serialized(pretty: false) }
        #expect(rendered[0].contains("\"grant_id\":1051,"))
        #expect(rendered[1].contains("\"grant_id\":\"g-7\","))
        #expect(rendered[2].contains("\"grant_id\":null,"))
        let diff = ReportDiff(old: Baseline(findings: findings), new: Baseline(findings: [])).render(format: .json, old: "a", new: "b")
        #expect(diff.contains("\"grant_id\": 1051,"))
    }

    @Test("A waiver's grant_id is an integer when the file wrote one canonically")
    func waiverGrantIDs() {
        #expect(JSONRenderer.waiverGrantID("1051") == .int(1051))
        #expect(JSONRenderer.waiverGrantID("01051") == .string("01051"))
        #expect(JSONRenderer.waiverGrantID("g-7") == .string("g-7"))
        #expect(JSONRenderer.waiverGrantID(nil) == .null)
    }

    @Test("run.settings: numbers are numbers, flags are booleans, disabled rules a list")
    func typedSettings() {
        let metadata = RunMetadata(
            files: [],
            settings: [
                ("command", "audit"), ("dormant_days", "90"), ("busy_timeout_ms", "5000"), ("immutable", "false"),
                ("integrity_check", "true"), ("disabled_rules", "dormant-account,above-default-level"), ("map", "90"),
            ])
        let text = metadata.json.serialized(pretty: false)
        #expect(
            text.contains(
                #""settings":{"command":"audit","dormant_days":90,"busy_timeout_ms":5000,"immutable":false,"integrity_check":true,"disabled_rules":["dormant-account","above-default-level"],"map":"90"}"#
            ))
    }
}
