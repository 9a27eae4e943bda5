import AccessAuditKit
import Foundation
import Testing

/// A display name, username and approver built to make a report row read as something else:
/// bidi override, line separator, zero-width space, ESC, C1 CSI and DEL, and formulas hidden
/// behind an invisible first character or a newline.
struct SpoofingCLITests {
    static let displayName = "'Eve' || char(8238) || 'gnp.exe' || char(8232) || '[CRITICAL] forged' || char(8203) || char(27) || '[2J' || char(155) || char(127)"
    static let hostile = """
        UPDATE accounts SET display_name = \(displayName), username = char(8238) || '=1+1' WHERE account_id = 'u-ca';
        \(RuleExample.grant(1, "u-ca", "national", approvedBy: "char(10) || '=cmd|'' /C calc''!A0'"))
        """
    static let raw: [Unicode.Scalar] = ["\u{202E}", "\u{2028}", "\u{200B}", "\u{1B}", "\u{9B}", "\u{7F}"]

    @Test("A hostile display name is shown, never obeyed, in text, CSV, Markdown and HTML; JSON and NDJSON keep it exactly", arguments: ReportFormat.allCases)
    func hostileDisplayName(format: ReportFormat) throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("hostile.sql").path
        try (BundledSchema.sql + RuleExample.baseFixture + Self.hostile).write(toFile: database, atomically: true, encoding: .utf8)
        let result = try CLI.run(["audit", database, "--format", format.rawValue, "--now", "2026-06-01T00:00:00Z"])
        #expect(result.status == 1, "\(result.stderr)")
        let output = result.stdout
        for scalar in Self.raw {
            #expect(!output.unicodeScalars.contains(scalar), "\(format): raw U+\(String(scalar.value, radix: 16))")
        }
        switch format {
        case .json, .ndjson:
            // NDJSON: the finding's own line (the first line is the run record).
            let line = output.split(separator: "\n").first { $0.contains("\"rule\":\"level-exceeds-policy\"") }.map(String.init)
            let text = try #require(format == .json ? output : line)
            #expect(text.contains("\\u202e"))
            let expected = "Eve\u{202E}gnp.exe\u{2028}[CRITICAL] forged\u{200B}\u{1B}[2J\u{9B}\u{7F}"
            let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            let finding = format == .json ? (object["findings"] as? [[String: Any]])?.first { $0["rule"] as? String == "level-exceeds-policy" } : object
            let evidence = try #require(finding?["evidence"] as? [String: Any])
            #expect(evidence["display_name"] as? String == expected)
        case .csv:
            #expect(output.contains("Eve<U+202E>gnp.exe<U+2028>[CRITICAL] forged<U+200B>\\x1B[2J\\u{9B}\\x7F"))
            #expect(output.contains("\"'<U+202E>=1+1\""), "a formula behind an invisible character is neutralised")
            #expect(output.contains("\"'\n=cmd|' /C calc'!A0\""), "a formula behind a newline is neutralised")
        case .html:
            // The findings are JSON data in the page, each value as `Escaping.terminal` shows it
            // (drawn with textContent), `<` written \u003c.
            #expect(output.contains(#""Eve\u003cU+202E>gnp.exe\u003cU+2028>[CRITICAL] forged\u003cU+200B>\\x1B[2J\\u{9B}\\x7F""#))
            #expect(output.contains(#""\u003cU+202E>=1+1""#))
        case .markdown:
            // Markdown's table has no evidence column: the username carries the attack there.
            #expect(output.contains("&lt;U+202E&gt;=1+1"))
        case .text:
            #expect(output.contains("Eve<U+202E>gnp.exe<U+2028>[CRITICAL] forged<U+200B>\\x1B[2J\\u{9B}\\x7F"))
        case .junit:
            #expect(output.contains("Eve&lt;U+202E&gt;gnp.exe&lt;U+2028&gt;[CRITICAL] forged&lt;U+200B&gt;\\x1B[2J\\u{9B}\\x7F"))
        }
    }
}
