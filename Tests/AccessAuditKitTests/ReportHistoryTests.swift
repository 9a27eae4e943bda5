@testable import AccessAuditKit
import Foundation
import Testing

/// `--history-dir`: names, the baseline chosen, pruning, and `--output` kinds by extension.
struct ReportHistoryTests {
    func directory(_ files: [String]) throws -> (URL, ReportHistory) {
        let url = try Fixture.temporaryDirectory("history")
        for name in files { try "{}".write(to: url.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return (url, ReportHistory(directory: url.path))
    }

    @Test("A report's name is its clock without colons, and reads back; other names are not reports")
    func names() {
        let night = Fixture.timestamp("2019-03-12T02:00:00Z")
        #expect(ReportHistory.name(for: night) == "access-audit-2019-03-12T020000Z.json")
        #expect(ReportHistory.instant(ofName: "access-audit-2019-03-12T020000Z.json") == night)
        for other in [
            "access-audit-2019-03-12T020000Z.json.tmp", "access-audit-2019-02-30T020000Z.json", "access-audit-latest.json",
            "notes.json", "access-audit-2019-03-12T0200Z.json", "access-audit-2019-03-12t020000z.json",
        ] {
            #expect(ReportHistory.instant(ofName: other) == nil, "\(other)")
        }
    }

    @Test("The baseline is the newest report strictly before the run; none on night one")
    func baseline() throws {
        let (url, history) = try directory([
            "access-audit-2019-03-10T020000Z.json", "access-audit-2019-03-12T020000Z.json", "access-audit-2019-03-11T020000Z.json",
            "access-audit-2019-03-13T020000Z.json", "unrelated.json",
        ])
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(try history.baseline(before: Fixture.timestamp("2019-03-13T02:00:00Z"))?.path.hasSuffix("2019-03-12T020000Z.json") == true)
        #expect(try history.baseline(before: Fixture.timestamp("2019-03-12T02:00:01Z"))?.path.hasSuffix("2019-03-12T020000Z.json") == true)
        #expect(try history.baseline(before: Fixture.timestamp("2019-03-10T02:00:00Z")) == nil)
        #expect(try history.entries().count == 4)
    }

    @Test("--keep N deletes all but the newest N reports and nothing else")
    func prune() throws {
        let (url, history) = try directory([
            "access-audit-2019-03-10T020000Z.json", "access-audit-2019-03-12T020000Z.json", "access-audit-2019-03-11T020000Z.json",
            "keep-me.json",
        ])
        defer { try? FileManager.default.removeItem(at: url) }
        let deleted = try history.prune(keep: 2, sparing: history.path(for: Fixture.timestamp("2019-03-12T02:00:00Z")))
        #expect(deleted.map { URL(fileURLWithPath: $0).lastPathComponent } == ["access-audit-2019-03-10T020000Z.json"])
        let left = try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
        #expect(left == ["access-audit-2019-03-11T020000Z.json", "access-audit-2019-03-12T020000Z.json", "keep-me.json"])
    }

    /// Found attacking the build: `--keep` deleted a directory named like a report, with its
    /// contents, and a run with an earlier clock deleted the report it had just written.
    @Test("--keep never deletes the run's own report, a directory or a symlink named like a report")
    func pruneSparesWhatIsNotOld() throws {
        let (url, history) = try directory([
            "access-audit-2019-03-10T020000Z.json", "access-audit-2019-03-12T020000Z.json", "access-audit-2019-03-13T020000Z.json",
        ])
        defer { try? FileManager.default.removeItem(at: url) }
        let folder = url.appendingPathComponent("access-audit-2019-01-01T020000Z.json")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        try "evidence".write(to: folder.appendingPathComponent("inside.txt"), atomically: true, encoding: .utf8)
        let outside = url.appendingPathComponent("outside.txt")
        try "precious".write(to: outside, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(
            atPath: url.appendingPathComponent("access-audit-2019-01-02T020000Z.json").path, withDestinationPath: outside.path)
        // The run at 2019-03-11 wrote its report before pruning to 1: it keeps the newest and its own.
        let own = history.path(for: Fixture.timestamp("2019-03-11T02:00:00Z"))
        try "{}".write(toFile: own, atomically: true, encoding: .utf8)
        let deleted = try history.prune(keep: 1, sparing: own)
        #expect(Set(deleted.map { URL(fileURLWithPath: $0).lastPathComponent }) == [
            "access-audit-2019-03-10T020000Z.json", "access-audit-2019-03-12T020000Z.json",
        ])
        #expect(FileManager.default.fileExists(atPath: own))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("inside.txt").path))
        #expect(try String(contentsOf: outside, encoding: .utf8) == "precious")
        #expect(try history.entries().map(\.path) == [own, history.path(for: Fixture.timestamp("2019-03-13T02:00:00Z"))])
    }

    @Test("A missing history directory is an error, not a silent first night")
    func missingDirectory() {
        #expect(throws: AuditError.self) { try ReportHistory(directory: "/nonexistent/history").entries() }
    }

    @Test("--output kinds by extension: .xml is JUnit, .prom is metrics, unknown is none")
    func outputKinds() {
        #expect(OutputKind(path: "r/a.json") == .report(.json))
        #expect(OutputKind(path: "a.NDJSON") == .report(.ndjson))
        #expect(OutputKind(path: "a.md") == .report(.markdown))
        #expect(OutputKind(path: "a.html") == .report(.html))
        #expect(OutputKind(path: "a.xml") == .report(.junit))
        #expect(OutputKind(path: "a.prom") == .metrics)
        #expect(OutputKind(path: "a.csv") == .report(.csv))
        #expect(OutputKind(path: "report") == nil)
        #expect(OutputKind(path: "a.pdf") == nil)
        #expect(OutputKind(path: ".json") == nil)
    }
}
