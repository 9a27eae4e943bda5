import AccessAuditKit
import Foundation
import Testing

/// Each finding's own history (CONTRACT.md §5.10): `first_seen` and `runs_seen` carried from run
/// to run through the JSON report, a finding that leaves and comes back starting again, new
/// findings first, and baselines whose history cannot be true refused.
struct FindingHistoryTests {
    static let night1 = Fixture.timestamp("2026-06-01T02:00:00Z")
    static let national = RuleExample.grant(1, "u-ca", "national")
    static let alliance = RuleExample.grant(2, "u-ca", "alliance")

    /// One night: audits `sql` at `now`, compares with the report at `previous` (if any), writes
    /// this night's JSON report to `path` and returns the report.
    static func night(_ sql: String, at now: Timestamp, previous: String?, writing path: String) throws -> AuditReport {
        var report = try Fixture.audit(sql, now: now)
        try report.compare(with: try previous.map(Baseline.load) ?? Baseline(findings: []))
        try JSONRenderer().render(report, context: RenderContext()).write(toFile: path, atomically: true, encoding: .utf8)
        return report
    }

    static func history(_ report: AuditReport, grant: Int64) -> FindingHistory? {
        report.findings.first { $0.grantID == .integer(grant) }?.history
    }

    @Test("Night 1, 2, 3: a finding that persists keeps its first sighting; one that leaves and comes back starts again")
    func threeNights() throws {
        let directory = try Fixture.temporaryDirectory("history")
        defer { try? FileManager.default.removeItem(at: directory) }
        func path(_ night: Int) -> String { directory.appendingPathComponent("night\(night).json").path }
        let night2 = Self.night1.adding(seconds: 86_400), night3 = Self.night1.adding(seconds: 3 * 86_400)
        let one = try Self.night(Self.national + Self.alliance, at: Self.night1, previous: nil, writing: path(1))
        #expect(Self.history(one, grant: 1) == FindingHistory(firstSeen: Self.night1, runsSeen: 1))
        #expect(Self.history(one, grant: 2) == FindingHistory(firstSeen: Self.night1, runsSeen: 1))
        // Night 2: grant 2 is lowered (its finding leaves), grant 1 persists.
        let two = try Self.night(Self.national + RuleExample.grant(2, "u-ca", "organisation"), at: night2, previous: path(1), writing: path(2))
        #expect(Self.history(two, grant: 1) == FindingHistory(firstSeen: Self.night1, runsSeen: 2))
        #expect(Self.history(two, grant: 2) == nil)
        #expect(two.resolved?.map(\.key) == ["above-default-level:grant:2"])
        // Night 3: grant 2 is raised again: new, first seen tonight, not on night 1.
        let three = try Self.night(Self.national + Self.alliance, at: night3, previous: path(2), writing: path(3))
        #expect(Self.history(three, grant: 1) == FindingHistory(firstSeen: Self.night1, runsSeen: 3))
        #expect(Self.history(three, grant: 2) == FindingHistory(firstSeen: night3, runsSeen: 1))
        let back = try #require(three.findings.first { $0.key == "above-default-level:grant:2" })
        #expect(back.change == .new)
        // Read back as written: the JSON carries both fields.
        let saved = try Baseline.load(path(3))
        #expect(saved.now == night3)
        #expect(saved.findings.first { $0.key == "level-exceeds-policy:grant:1" }?.history == FindingHistory(firstSeen: Self.night1, runsSeen: 3))
        let json = try String(contentsOfFile: path(3), encoding: .utf8)
        #expect(json.contains("\"first_seen\": \"2026-06-01T02:00:00Z\",\n      \"runs_seen\": 3"))
        // How long open, as every human format says it.
        #expect(Self.history(three, grant: 1)?.summary(at: night3) == "open 3 days (first seen 2026-06-01T02:00:00Z, 3 consecutive runs)")
        #expect(Self.history(three, grant: 2)?.summary(at: night3) == "open less than a day (first seen 2026-06-04T02:00:00Z, first run)")
        #expect(TextRenderer().render(three, context: RenderContext()).contains("  open 3 days (first seen 2026-06-01T02:00:00Z, 3 consecutive runs)\n"))
    }

    @Test("A baseline written before these fields: first seen at its now, 2 runs; without a baseline no fields")
    func legacyBaseline() throws {
        let directory = try Fixture.temporaryDirectory("history")
        defer { try? FileManager.default.removeItem(at: directory) }
        let old = directory.appendingPathComponent("old.json").path
        let plain = try Fixture.audit(Self.national, now: Self.night1)
        let json = JSONRenderer().render(plain, context: RenderContext())
        #expect(!json.contains("first_seen") && !json.contains("runs_seen"))
        #expect(plain.findings.allSatisfy { $0.history == nil })
        try json.write(toFile: old, atomically: true, encoding: .utf8)
        var report = try Fixture.audit(Self.national, now: Self.night1.adding(seconds: 5 * 86_400))
        try report.compare(with: try Baseline.load(old))
        #expect(Self.history(report, grant: 1) == FindingHistory(firstSeen: Self.night1, runsSeen: 2))
    }

    @Test("With a baseline, new findings come first within each severity; the rest keep their order")
    func newFirst() throws {
        let sql = Self.national + Self.alliance + RuleExample.grant(3, "u-ca", "alliance")
        var report = try Fixture.audit(sql, now: Self.night1)
        let before = report.findings.map(\.key)
        let old = report.findings.filter { $0.key != "above-default-level:grant:3" }.map {
            BaselineFinding(key: $0.key, rule: $0.rule, severity: $0.severity, message: $0.message, subject: FindingSubject($0))
        }
        try report.compare(with: Baseline(findings: old, now: Self.night1.adding(seconds: -86_400)))
        let after = report.findings.map(\.key)
        #expect(Set(after) == Set(before))
        #expect(report.findings.map(\.severity.rank) == report.findings.map(\.severity.rank).sorted(by: >), "severity first")
        let info = report.findings.filter { $0.severity == .info }.map(\.key)
        #expect(info.first == "above-default-level:grant:3", "the new one leads its severity: \(info)")
        #expect(Array(info.dropFirst()) == before.filter { info.contains($0) && $0 != "above-default-level:grant:3" })
    }

    @Test(
        "A baseline whose history cannot be true is exit 2 naming the file and the finding",
        arguments: [
            (#""runs_seen": 3,"first_seen": "yesterday""#, "first_seen 'yesterday' is not a time"),
            (#""runs_seen": 3,"first_seen": "2026-06-01T02:00:00+01:00""#, "is not a time written YYYY-MM-DDTHH:MM:SSZ"),
            (#""runs_seen": 0,"first_seen": "2026-06-01T02:00:00Z""#, "runs_seen 0 is not a whole number"),
            (#""runs_seen": 2.5,"first_seen": "2026-06-01T02:00:00Z""#, "runs_seen 2.5 is not a whole number"),
            (#""first_seen": "2026-06-01T02:00:00Z""#, "first_seen and runs_seen come together"),
            (#""runs_seen": 3,"first_seen": "2026-06-09T02:00:00Z""#, "first_seen 2026-06-09T02:00:00Z is later than the report's now"),
        ])
    func badHistory(_ members: String, _ why: String) throws {
        let directory = try Fixture.temporaryDirectory("history")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("bad.json").path
        let json = JSONRenderer().render(try Fixture.audit(Self.national, now: Self.night1.adding(seconds: 86_400)), context: RenderContext())
        try json.replacingOccurrences(of: #""key": "level-exceeds-policy:grant:1","#, with: #""key": "level-exceeds-policy:grant:1","# + members + ",")
            .write(toFile: path, atomically: true, encoding: .utf8)
        #expect(json.contains(#""key": "level-exceeds-policy:grant:1","#))
        do {
            _ = try Baseline.load(path)
            Issue.record("\(members) was accepted")
        } catch let error as AuditError {
            let line = error.errorDescription ?? ""
            #expect(line.contains(path) && line.contains("level-exceeds-policy:grant:1") && line.contains(why), "\(line)")
            #expect(!line.contains("\n"))
        }
    }

    @Test("A finding whose subject changed is new and starts its history again")
    func subjectChangedStartsAgain() throws {
        var report = try Fixture.audit(Self.national, now: Self.night1)
        var moved = try #require(report.findings.first { $0.key == "level-exceeds-policy:grant:1" })
        moved.accountID = "u-someone-else"
        let entry = BaselineFinding(
            key: moved.key, rule: moved.rule, severity: moved.severity, message: moved.message, subject: FindingSubject(moved),
            history: FindingHistory(firstSeen: Self.night1.adding(seconds: -9 * 86_400), runsSeen: 9))
        try report.compare(with: Baseline(findings: [entry], path: "b.json", now: Self.night1.adding(seconds: -86_400)))
        #expect(Self.history(report, grant: 1) == FindingHistory(firstSeen: Self.night1, runsSeen: 1))
        #expect(report.findings.first { $0.grantID == .integer(1) }?.subjectChangedSinceBaseline == true)
    }

    @Test("A baseline whose first sighting is later than this run's now is refused")
    func baselineFromTheFuture() throws {
        let entry = BaselineFinding(
            key: "level-exceeds-policy:grant:1", rule: "level-exceeds-policy", severity: .critical, message: "m",
            history: FindingHistory(firstSeen: Self.night1.adding(seconds: 86_400), runsSeen: 4))
        var report = try Fixture.audit(Self.national, now: Self.night1)
        #expect(throws: AuditError.self) { try report.compare(with: Baseline(findings: [entry], path: "later.json", now: Self.night1)) }
    }

    /// The sample at its clock against a baseline of the night before: the critical finding is
    /// new, the account findings were seen the night before for the first time (a report before
    /// finding histories), the rest have been open since five days, and one finding is resolved.
    static func sampleWithHistory() throws -> AuditReport {
        var report = try RendererTests.sampleReport()
        let fiveDays = RendererTests.now.adding(seconds: -5 * 86_400)
        let old = report.findings.filter { $0.severity != .critical }.map {
            BaselineFinding(
                key: $0.key, rule: $0.rule, severity: $0.severity, accountID: $0.accountID, message: $0.message, subject: FindingSubject($0),
                history: $0.grantID == nil ? nil : FindingHistory(firstSeen: fiveDays, runsSeen: 5))
        } + [BaselineFinding(key: "missing-approval:grant:999", rule: "missing-approval", severity: .high, message: "gone")]
        try report.compare(with: Baseline(findings: old, path: "yesterday.json", now: RendererTests.now.adding(seconds: -86_400)))
        return report
    }

    @Test("Golden files with each finding's history", arguments: [
        (ReportFormat.text, "sample-history.txt"), (.json, "sample-history.json"), (.ndjson, "sample-history.ndjson"),
        (.csv, "sample-history.csv"), (.markdown, "sample-history.md"), (.html, "sample-history.html"),
    ])
    func historyGoldens(_ format: ReportFormat, _ file: String) throws {
        let rendered = format.renderer.render(try Self.sampleWithHistory(), context: RenderContext())
        #expect(rendered == (try RendererTests().golden(file, rendered)))
    }
}
