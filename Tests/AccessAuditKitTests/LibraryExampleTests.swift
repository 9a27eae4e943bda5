import AccessAuditKit
import Foundation
import Testing

/// docs/LIBRARY.md's example, as written there, on a generated database: the documented calls
/// exist and give the same findings as the command's own path.
struct LibraryExampleTests {
    @Test("docs/LIBRARY.md's example runs and reports the audit's findings")
    func example() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("library-\(UUID().uuidString).db").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try DatabaseGenerator.generate(to: path, options: .init(accounts: 200, seed: 1))

        let connection = try Connection(readOnlyPath: path)
        let now = Timestamp("2026-06-01T00:00:00Z")!
        let report = try DatabaseAudit.run(connection, database: path, options: AuditOptions(now: now))
        var lines: [String] = []
        for finding in report.findings where finding.severity >= .high {
            lines.append("\(finding.severity) \(finding.rule) \(finding.accountID ?? "-") \(finding.message)")
        }
        let json = ReportFormat.json.renderer.render(report, context: RenderContext())

        #expect(!lines.isEmpty)
        #expect(lines.allSatisfy { line in report.findings.contains { line.hasSuffix($0.message) } })
        #expect(report.findings.allSatisfy { json.contains("\"\($0.rule)\"") })
    }
}
