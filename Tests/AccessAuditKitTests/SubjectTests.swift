@testable import AccessAuditKit
import Foundation
import Testing

/// Issue 11.7 and 11.8: a waiver or a baseline entry applies only to the subject it was written
/// for, and no waiver an auditor would refuse is accepted.
struct SubjectTests {
    /// Grant 7 of u-ca at alliance level without an approver: `missing-approval:grant:7`. A second
    /// alliance account, mallory, to move it to.
    static let world = RuleExample.grant(7, "u-ca", "alliance", approvedBy: "NULL")
        + "INSERT INTO accounts VALUES ('mallory', 'mallory', 'M', 'CA1', 'active', '2026-01-01', '2026-05-30');"
    static let key = "missing-approval:grant:7"

    func finding(_ report: AuditReport, _ key: String = SubjectTests.key) throws -> Finding {
        try #require(report.findings.first { $0.key == key })
    }

    /// A waiver for `key` with the subject the finding has in `report`, as YAML.
    func waiverYAML(for report: AuditReport, key: String = SubjectTests.key, owner: String = "o", approver: String = "a", expires: String = "2026-12-01")
        throws -> String
    {
        let subject = FindingSubject(try finding(report, key))
        return "- key: \"\(key)\"\n  reason: r\n  owner: \"\(owner)\"\n  approved_by: \"\(approver)\"\n  expires: \(expires)\n  subject:\n"
            + subject.fields.map { "    \($0.name): \"\($0.value.replacingOccurrences(of: "\"", with: "\\\""))\"\n" }.joined()
    }

    @Test("A waiver stops applying when its grant moves to another account or its level is raised (subject-changed)")
    func waiverSubjectChanged() throws {
        let written = try Fixture.audit(Self.world)
        let yaml = try waiverYAML(for: written)
        for (change, fields) in [
            ("UPDATE grants SET account_id = 'mallory' WHERE grant_id = 7;", ["account_id"]),
            ("UPDATE grants SET level = 'national' WHERE grant_id = 7;", ["level", "message"]),
        ] {
            var report = try Fixture.audit(Self.world + change)
            try report.apply(waivers: try WaiverFile.parse(yaml, path: "w.yml"))
            let status = try #require(try finding(report).waiver)
            #expect(status.state == .subjectChanged, "\(change)")
            #expect(status.changed == fields, "\(status.changed)")
            #expect(report.exitStatus(failOn: .high) == 1, "a subject-changed waiver waives nothing")
            #expect(report.notes.contains { $0.contains("subject changed since the waiver was written") })
            let text = TextRenderer().render(report, context: RenderContext())
            #expect(text.contains("1 subject-changed"), "counted where waiver states show")
            #expect(text.contains("waiver written for another subject"))
            let json = try #require(try JSONSerialization.jsonObject(with: Data(JSONRenderer().render(report, context: RenderContext()).utf8)) as? [String: Any])
            let entry = try #require((json["findings"] as? [[String: Any]])?.first { $0["key"] as? String == Self.key })
            #expect((entry["waiver"] as? [String: Any])?["status"] as? String == "subject-changed")
        }
        // Unchanged: it waives.
        var same = try Fixture.audit(Self.world)
        try same.apply(waivers: try WaiverFile.parse(yaml, path: "w.yml"))
        #expect(try finding(same).waiver?.state == .waived)
        #expect(same.exitStatus(failOn: .high) == 0)
    }

    @Test("A waiver without `subject` is legacy: it still matches by key, and a note says so")
    func legacyWaiver() throws {
        var report = try Fixture.audit(Self.world + "UPDATE grants SET account_id = 'mallory' WHERE grant_id = 7;")
        try report.apply(waivers: try WaiverFile.parse("- key: \"\(Self.key)\"\n  reason: r\n  owner: o\n  approved_by: a\n  expires: 2026-12-01\n", path: "old.yml"))
        let status = try #require(try finding(report).waiver)
        #expect(status.state == .waived)
        #expect(status.summary.contains("no subject"))
        #expect(report.notes.contains { $0.contains("1 waiver without `subject` (line 1 of old.yml)") })
    }

    @Test("Subjects compare exactly: ids that differ only in bytes that are not UTF-8 differ")
    func exactSubjects() throws {
        var first = Finding(rule: "missing-approval", severity: .high, accountID: DBText.decode([0x67, 0xFF]), message: "m", key: "k")
        let second = Finding(rule: "missing-approval", severity: .high, accountID: DBText.decode([0x67, 0xFE]), message: "m", key: "k")
        #expect(FindingSubject(first) != FindingSubject(second))
        first.accountID = nil
        #expect(FindingSubject(first).fields.first?.value == "%N")
        #expect(FindingSubject(encoded: [("message", "m"), ("account_id", "x")]).fields.map(\.name) == ["account_id", "message"])
        // The written form: plain printable ASCII as it is, everything else unambiguous.
        #expect(FindingSubject.written("Level 'national': rank 30") == "Level 'national': rank 30")
        #expect(FindingSubject.written(nil) == "%N")
        #expect(FindingSubject.written("N") == "N")
        #expect(FindingSubject.written("%N") == "%%25N")
        #expect(FindingSubject.written("a\nb") == "%a%0Ab")
        #expect(FindingSubject.written(DBText.decode([0x67, 0xFF])) == "%g%FF")
    }

    @Test("Baseline: a finding whose subject changed is new, marked and noted; an old baseline without subjects is noted")
    func baselineSubjectChanged() throws {
        let directory = try Fixture.temporaryDirectory("subject")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("yesterday.json").path
        try JSONRenderer().render(try Fixture.audit(Self.world), context: RenderContext()).write(toFile: path, atomically: true, encoding: .utf8)
        let baseline = try Baseline.load(path)
        var report = try Fixture.audit(Self.world + "UPDATE grants SET level = 'national' WHERE grant_id = 7;")
        try report.compare(with: baseline)
        let moved = try finding(report)
        #expect(moved.change == .new)
        #expect(moved.subjectChangedSinceBaseline)
        #expect(report.notes.contains { $0.contains("1 finding is new although its key was in the baseline") })
        #expect(TextRenderer().render(report, context: RenderContext()).contains("[NEW: SUBJECT CHANGED]"))
        #expect(JSONRenderer().render(report, context: RenderContext()).contains("\"baseline_subject_changed\": true"))
        // The same database again: persisting, no note.
        var same = try Fixture.audit(Self.world)
        let notesBefore = same.notes
        try same.compare(with: baseline)
        #expect(try finding(same).change == .persisting)
        #expect(same.notes == notesBefore)
        // A baseline without subjects: persisting by key, said once.
        var legacy = baseline
        legacy.findings = legacy.findings.map { var copy = $0; copy.subject = nil; return copy }
        var old = try Fixture.audit(Self.world + "UPDATE grants SET level = 'national' WHERE grant_id = 7;")
        try old.compare(with: legacy)
        #expect(try finding(old).change == .persisting)
        #expect(old.notes.contains { $0.contains("records no finding subjects") })
        // diff: the same comparison.
        let later = directory.appendingPathComponent("today.json").path
        try JSONRenderer().render(try Fixture.audit(Self.world + "UPDATE grants SET level = 'national' WHERE grant_id = 7;"), context: RenderContext())
            .write(toFile: later, atomically: true, encoding: .utf8)
        let diff = ReportDiff(old: baseline, new: try Baseline.load(later))
        #expect(diff.subjectChanged == [Self.key])
        #expect(diff.new.map(\.key).contains(Self.key))
        #expect(diff.exitStatus(failOn: .high) == 1)
    }

    @Test("A baseline of another database, or of other fingerprinted files, is a note")
    func baselineOrigin() throws {
        var report = try Fixture.audit(Self.world)
        let subject = FindingSubject(try finding(report))
        let entry = BaselineFinding(key: Self.key, rule: "missing-approval", severity: .high, message: "m", subject: subject)
        try report.compare(with: Baseline(findings: [entry], path: "b.json", database: "other.db"))
        #expect(report.notes.contains { $0.contains("Baseline b.json is a report on database 'other.db', not 'fixture'") })
        var fingerprinted = try Fixture.audit(Self.world)
        fingerprinted.metadata = RunMetadata(files: [.init(path: "fixture", size: 1, sha256: "x")], settings: [])
        try fingerprinted.compare(with: Baseline(findings: [entry], path: "b.json", database: "fixture", runFiles: ["fixture", "map.sql"]))
        #expect(fingerprinted.notes.contains { $0.contains("fingerprinted 'fixture', 'map.sql'") })
    }

    @Test(
        "Waivers no auditor would accept are refused, naming the line",
        arguments: [
            ("o", " O\t", "w.yml:1: the owner and the approver are the same person"),
            ("CA.User ", "a", "w.yml:1: the waiver's owner 'CA.User ' is the holder (username) of missing-approval:grant:7"),
            ("o", "U-CA", "w.yml:1: the waiver's approved_by 'U-CA' is the holder (account_id)"),
            ("o", "Admin.One", "w.yml:1: the waiver's approved_by 'Admin.One' is the grantor (granted_by)"),
        ])
    func samePerson(_ owner: String, _ approver: String, _ expected: String) throws {
        var report = try Fixture.audit(Self.world)
        let yaml = try waiverYAML(for: report, owner: owner, approver: approver)
        do {
            try report.apply(waivers: try WaiverFile.parse(yaml, path: "w.yml"))
            Issue.record("accepted a waiver by \(owner)/\(approver)")
        } catch let error as AuditError {
            #expect(error.errorDescription?.contains(expected) == true, "\(error.errorDescription ?? "")")
        }
    }

    /// Found attacking the next build: the check compared the owner with the grantor, which an
    /// `invalid-event` finding's evidence does not have: whoever wrote the bad event could waive it.
    @Test("A waiver of an invalid-event by the event's actor is refused; by someone else it applies")
    func invalidEventActor() throws {
        let world = Self.world + RuleExample.grantEvent(1, "2026-05-02T10:00:00Z", "teleport", grant: 9, account: "u-ca", actor: "'Mallory.X'")
        let key = "invalid-event:grant_events:1"
        var report = try Fixture.audit(world)
        let refused = try waiverYAML(for: report, key: key, owner: " mallory.x", approver: "a")
        do {
            try report.apply(waivers: try WaiverFile.parse(refused, path: "w.yml"))
            Issue.record("accepted a waiver owned by the event's actor")
        } catch let error as AuditError {
            #expect(error.errorDescription?.contains("is the event's actor (actor) of \(key)") == true, "\(error.errorDescription ?? "")")
        }
        var other = try Fixture.audit(world)
        try other.apply(waivers: try WaiverFile.parse(try waiverYAML(for: other, key: key, owner: "o", approver: "a"), path: "w.yml"))
        #expect(try finding(other, key).waiver?.state == .waived)
    }

    @Test("An expiry more than max_waiver_days after the run's clock is refused; the limit is configurable")
    func maxWaiverDays() throws {
        var report = try Fixture.audit(Self.world)
        // RuleExample.now is 2026-06-01: 365 days later is 2027-06-01.
        let far = try WaiverFile.parse(try waiverYAML(for: report, expires: "2027-06-01T00:00:01Z"), path: "w.yml")
        #expect(throws: AuditError.waivers(path: "w.yml", line: 1, message: "`expires` 2027-06-01T00:00:01Z is more than 365 days after the run's clock 2026-06-01T00:00:00Z (max_waiver_days)")) {
            try report.apply(waivers: far)
        }
        try report.apply(waivers: far, maxDays: 400)
        #expect(try finding(report).waiver?.state == .waived)
        var edge = try Fixture.audit(Self.world)
        try edge.apply(waivers: try WaiverFile.parse(try waiverYAML(for: edge, expires: "2027-06-01"), path: "w.yml"))
        #expect(try finding(edge).waiver?.state == .waived, "exactly 365 days is allowed")
        #expect(try AuditConfig.parse("max_waiver_days: 30\n", path: "c.yml").maxWaiverDays == 30)
        for bad in ["-1", "x", "99999999999999999999", "[1]"] {
            #expect(throws: AuditError.self) { try AuditConfig.parse("max_waiver_days: \(bad)\n", path: "c.yml") }
        }
        #expect(throws: AuditError.self) { try WaiverFile.parse(try waiverYAML(for: edge, expires: "9999-12-31T23:59-23:59"), path: "w.yml") }
    }

    @Test("Unknown subject fields in a waivers file are refused")
    func unknownSubjectField() throws {
        #expect(throws: AuditError.self) {
            try WaiverFile.parse("- key: k\n  reason: r\n  owner: o\n  approved_by: a\n  expires: 2026-12-01\n  subject:\n    levle: x\n", path: "w")
        }
        #expect(throws: AuditError.self) {
            try WaiverFile.parse("- key: k\n  reason: r\n  owner: o\n  approved_by: a\n  expires: 2026-12-01\n  subject: national\n", path: "w")
        }
    }
}

/// `WaiverEntry` (the `waive` command) and `SavedReport` (reports read back).
struct WaiverEntryTests {
    @Test("waive's entry survives hostile ids: line breaks, quotes, colons and bytes that are not UTF-8")
    func hostileRoundTrip() throws {
        let directory = try Fixture.temporaryDirectory("waive")
        defer { try? FileManager.default.removeItem(at: directory) }
        // An account id that would break naive YAML, one that is not UTF-8, both without approver.
        let sql = """
            INSERT INTO accounts VALUES ('evil"' || char(10) || '  - key: x: y #', 'e', 'E', 'CA1', 'active', '2026-01-01', '2026-05-30');
            INSERT INTO accounts VALUES (CAST(X'6576FF' AS TEXT), 'f', 'F', 'CA1', 'active', '2026-01-01', '2026-05-30');
            INSERT INTO grants VALUES (1, 'evil"' || char(10) || '  - key: x: y #', 'alliance', NULL, '2026-05-01', 'g', NULL, NULL);
            INSERT INTO grants VALUES (2, CAST(X'6576FF' AS TEXT), 'alliance', NULL, '2026-05-01', 'g', NULL, NULL);
            """
        var report = try Fixture.audit(sql)
        let path = directory.appendingPathComponent("r.json").path
        try JSONRenderer().render(report, context: RenderContext()).write(toFile: path, atomically: true, encoding: .utf8)
        var yaml = ""
        for key in ["missing-approval:grant:1", "missing-approval:grant:2"] {
            yaml += try WaiverEntry.yaml(
                .init(report: path, key: key, reason: "line one\nline \"two\": #3", owner: "o", approvedBy: "a", expires: "2026-12-01", now: RuleExample.now))
        }
        let waivers = try WaiverFile.parse("waivers:\n" + yaml, path: "w.yml")
        #expect(waivers.count == 2)
        #expect(waivers.first?.reason == "line one\nline \"two\": #3")
        try report.apply(waivers: waivers)
        #expect(report.findings.filter { $0.rule == "missing-approval" }.map { $0.waiver?.state } == [.waived, .waived])
        #expect(report.staleWaivers?.isEmpty == true)
        #expect(throws: AuditError.invalidArgument("\(path): no finding has the key 'missing-approval:grant:3'")) {
            try WaiverEntry.yaml(.init(report: path, key: "missing-approval:grant:3", reason: "r", owner: "o", approvedBy: "a", expires: "2026-12-01", now: RuleExample.now))
        }
    }

    static let header = "{\"schema_version\": 1, \"command\": \"audit\", \"database\": \"d\", \"findings\": ["
    static let good = "{\"rule\": \"missing-approval\", \"severity\": \"high\", \"account_id\": \"a\", \"grant_id\": 7, \"org_id\": null, \"message\": \"m\", \"key\": \"k\""

    @Test(
        "A report read back must hold only values this tool writes",
        arguments: [
            ("not json", "not a JSON object"),
            ("{\"findings\": []}", "schema_version (none) is not 1"),
            ("{\"schema_version\": 2, \"findings\": []}", "schema_version 2 is not 1"),
            ("{\"schema_version\": 1}", "has no `findings`"),
            ("{\"schema_version\": 1, \"findings\": {}}", "`findings` is not a list"),
            ("{\"schema_version\": 1, \"command\": \"diff\", \"findings\": []}", "command 'diff' is not audit or replay"),
            (header + "{}]}", "finding 1 has no key"),
            (header + good + "}, 3]}", "finding 2 is not an object"),
            (header + good.replacingOccurrences(of: "high", with: "severe") + "}]}", "finding 1 (k): unknown severity 'severe'"),
            (header + good.replacingOccurrences(of: "missing-approval", with: "x") + "}]}", "finding 1 (k): unknown rule 'x'"),
            (header + good.replacingOccurrences(of: "\"high\"", with: "3") + "}]}", "finding 1 (k): `severity` has the wrong type"),
            (header + good.replacingOccurrences(of: ": 7", with: ": 7.5") + "}]}", "finding 1 (k): grant_id 7.5 is not an integer"),
            (header + good.replacingOccurrences(of: "\"a\"", with: "[1]") + "}]}", "finding 1 (k): `account_id` is not a single value"),
            (header + good + ", \"baseline\": \"old\"}]}", "finding 1 (k): unknown baseline state 'old'"),
            (header + good + ", \"waiver\": {\"status\": \"forgiven\"}}]}", "finding 1 (k): unknown waiver status 'forgiven'"),
            (header + good + ", \"subject\": {\"levle\": \"x\"}}]}", "finding 1 (k): unknown subject field 'levle'"),
            (header + good + ", \"subject\": {\"level\": 3}}]}", "finding 1 (k): subject `level` is not a string"),
            (header + good + "}]} trailing", "unexpected text after the document"),
            (header + good + "}", "unexpected end of file"),
            (header + good + ", \"x\": 01}]}", "invalid number"),
            (header + good + ", \"x\": \"\\ud800\"}]}", "a lone surrogate"),
        ])
    func badReports(_ text: String, _ expected: String) throws {
        let directory = try Fixture.temporaryDirectory("saved")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("r.json").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try Baseline.load(path)
            Issue.record("accepted \(text)")
        } catch let error as AuditError {
            let message = error.errorDescription ?? ""
            #expect(message.hasPrefix(path) && message.contains(expected), "\(message)")
        }
    }

    @Test("A report read back keeps what comparisons need, escapes decoded, everything else skipped")
    func goodReport() throws {
        let directory = try Fixture.temporaryDirectory("saved")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("r.json").path
        let text = Self.header + Self.good.replacingOccurrences(of: "\"m\"", with: "\"\\u00e9\\ud83d\\ude00\\n\\\"\\/\"")
            + ", \"evidence\": {\"username\": \"u\"}, \"extra\": [1, {\"a\": [true, false, null, -1.5e3]}], \"subject\": {\"message\": \"%N\"}}], "
            + "\"run\": {\"files\": [{\"path\": \"d\", \"size\": 1}]}, \"resolved\": []}"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let baseline = try Baseline.load(path)
        #expect(baseline.database == "d")
        #expect(baseline.runFiles == ["d"])
        let finding = try #require(baseline.findings.first)
        #expect(finding.message == "é😀\n\"/")
        #expect(finding.grantID == "7")
        #expect(finding.subject == FindingSubject(encoded: [("message", "%N")]))
        // A whole rendered report round-trips: every finding's subject as the run computed it.
        let report = try Fixture.audit(SubjectTests.world + RuleExample.grant(8, "u-ca", "national"))
        try JSONRenderer().render(report, context: RenderContext()).write(toFile: path, atomically: true, encoding: .utf8)
        let read = try Baseline.load(path)
        #expect(read.findings.map(\.key) == report.findings.map(\.key))
        #expect(read.findings.map(\.subject) == report.findings.map { FindingSubject($0) })
    }
}
