@testable import AccessAuditKit
import Testing

/// `investigate` on hand-written histories over the rule examples' base: every section made to
/// fire and kept quiet.
struct InvestigateTests {
    typealias E = RuleExample

    static let releasesTable = "CREATE TABLE releases(release_id, title, level, generated_at, published_at);"

    static func release(_ id: String, level: String, generated: String, published: String?) -> String {
        "INSERT INTO releases VALUES ('\(id)', 'Output \(id)', '\(level)', '\(generated)', \(published.map { "'\($0)'" } ?? "NULL"));"
    }

    static func investigate(
        _ sql: String, _ subject: InvestigationSubject = .account("u-ca"), from: String? = nil, to: String = "2026-05-20",
        nightly: String? = nil, windowDays: Int = 30
    ) throws -> InvestigationReport {
        let options = Investigate.Options(
            subject: subject, from: from.map(Fixture.timestamp), to: Fixture.timestamp(to), nightly: nightly.flatMap(NightlySchedule.init),
            windowDays: windowDays)
        return try Investigate.run(Fixture.database(sql, base: true), database: "fixture", options: options)
    }

    /// u-ca (alliance) gets national on 05-02 10:00 with no approval, revoked 05-05 12:00 by admin.two.
    static let incident = HistoryCommandTests.incident

    static func spans(_ intervals: [InvestigationInterval]) -> [String] {
        intervals.map { "\($0.interval.rule) \($0.interval.grantID) \($0.interval.start) \($0.interval.ongoing ? "ongoing" : $0.interval.end.description)\($0.clipped ? " clipped" : "")" }
    }

    // MARK: intervals

    @Test("Every state rule's interval, with the exposure fields, ended by the revoke")
    func intervalsOfEveryRule() throws {
        let report = try Self.investigate(Self.incident)
        #expect(Self.spans(report.intervals) == [
            "level-exceeds-policy 1 2026-05-02T10:00:00Z 2026-05-05T12:00:00Z",
            "missing-approval 1 2026-05-02T10:00:00Z 2026-05-05T12:00:00Z",
        ])
        let first = try #require(report.intervals.first?.interval)
        #expect(first.grantedBy == "admin.one")
        #expect(first.approvedBy == nil)
        #expect(first.endedBy == "admin.two")
        #expect(first.orgID == "CA1")
        #expect(first.level == "national")
        #expect(first.seconds == 3 * 86_400 + 2 * 3600)
    }

    @Test("An interval clipped by T1 starts at T1 and says so; one that begins at T1 or later is not clipped")
    func clippedByFrom() throws {
        let clipped = try Self.investigate(Self.incident, from: "2026-05-03")
        #expect(Self.spans(clipped.intervals).first == "level-exceeds-policy 1 2026-05-03T00:00:00Z 2026-05-05T12:00:00Z clipped")
        let whole = try Self.investigate(Self.incident, from: "2026-05-01")
        #expect(whole.intervals.allSatisfy { !$0.clipped })
        // The breach begins with an event at T1 itself: it starts at T1 but did not begin before it.
        let atFrom = try Self.investigate(Self.incident, from: "2026-05-02T10:00:00Z")
        #expect(atFrom.intervals.count == 2)
        #expect(atFrom.intervals.allSatisfy { !$0.clipped && $0.interval.start == Fixture.timestamp("2026-05-02T10:00:00Z") })
    }

    @Test("An ongoing interval ends at T2 with no one who ended it")
    func ongoing() throws {
        let sql = E.grantEvent(1, "2026-05-02T10:00:00Z", "grant", grant: 1, account: "u-ca", level: "'national'")
        let report = try Self.investigate(sql, to: "2026-05-10")
        #expect(Self.spans(report.intervals) == ["level-exceeds-policy 1 2026-05-02T10:00:00Z ongoing"])
        #expect(report.intervals.first?.interval.end == Fixture.timestamp("2026-05-10"))
        #expect(report.intervals.first?.interval.endedBy == nil)
        #expect(report.narrative.contains { $0.contains("so far") })
    }

    @Test("A grant re-granted after a revoke has one interval per life; re-granted to another account, the other life is not the account's")
    func regrantedAfterRevoke() throws {
        let sql =
            Self.incident
            + E.grantEvent(3, "2026-05-10T09:00:00Z", "grant", grant: 1, account: "u-ca", level: "'national'", approvedBy: "'approver.two'")
            + E.grantEvent(4, "2026-05-11T09:00:00Z", "revoke", grant: 1, account: "u-ca")
            + E.grantEvent(5, "2026-05-12T09:00:00Z", "grant", grant: 1, account: "u-prov", level: "'alliance'")
        let report = try Self.investigate(sql)
        #expect(Self.spans(report.intervals.filter { $0.interval.rule == "level-exceeds-policy" }) == [
            "level-exceeds-policy 1 2026-05-02T10:00:00Z 2026-05-05T12:00:00Z",
            "level-exceeds-policy 1 2026-05-10T09:00:00Z 2026-05-11T09:00:00Z",
        ])
        #expect(report.timeline.count == 4)
        let grant = try Self.investigate(sql, .grant(.integer(1)))
        #expect(Self.spans(grant.intervals.filter { $0.interval.rule == "level-exceeds-policy" }).last
            == "level-exceeds-policy 1 2026-05-12T09:00:00Z ongoing")
        #expect(grant.intervals.contains { $0.interval.accountID == "u-prov" })
        #expect(grant.timeline.count == 5)
    }

    @Test("An account that moved organisation during the breach: one interval, org as at its start, ended by the move")
    func movedDuringBreach() throws {
        let sql =
            E.grantEvent(1, "2026-05-02T10:00:00Z", "grant", grant: 1, account: "u-ca", level: "'national'")
            + E.accountEvent(2, "2026-05-03T10:00:00Z", "move", account: "u-ca", org: "'P1'")
            + E.accountEvent(3, "2026-05-04T10:00:00Z", "move", account: "u-ca", org: "'NAT'")
            + Self.releasesTable
            + Self.release("R-ALL", level: "alliance", generated: "2026-05-01", published: nil)
        let report = try Self.investigate(sql)
        let level = report.intervals.filter { $0.interval.rule == "level-exceeds-policy" }
        #expect(Self.spans(level) == ["level-exceeds-policy 1 2026-05-02T10:00:00Z 2026-05-04T10:00:00Z"])
        #expect(level.first?.interval.orgID == "CA1")
        #expect(level.first?.interval.endedByAction == "move")
        #expect(report.timeline.map { $0.event.action ?? "" } == ["grant", "move", "move"])
        // An alliance output is within what an alliance may see, but not a provider: exposed only while at P1.
        #expect(report.preRelease.map { "\($0.releaseID ?? "") \($0.from) \($0.to)" } == ["R-ALL 2026-05-03T10:00:00Z 2026-05-04T10:00:00Z"])
    }

    @Test("No breach: no interval, and every section says so")
    func noBreach() throws {
        let sql = E.grantEvent(1, "2026-05-02T10:00:00Z", "grant", grant: 1, account: "u-ca", level: "'organisation'")
        let report = try Self.investigate(sql, nightly: "02:00")
        #expect(report.intervals.isEmpty)
        #expect(report.detectable.isEmpty && report.alsoAffected.isEmpty && report.sameActor.isEmpty && report.preRelease.isEmpty)
        #expect(report.timeline.count == 1)
        #expect(report.narrative.first == "Account u-ca (ca.user) broke no state rule up to 20 May 2026 00:00 UTC.")
    }

    // MARK: detectable

    @Test("detectable: the first nightly run at or after the start, and how long before the end; without --nightly, the start")
    func detectable() throws {
        let nightly = try Self.investigate(Self.incident, nightly: "02:00")
        let first = try #require(nightly.detectable.first)
        #expect(first.firstNightlyRun == Fixture.timestamp("2026-05-03T02:00:00Z"))
        #expect(first.beforeEnd.map { $0 == 2 * 86_400 + 10 * 3600 } == true)
        #expect(first.visible)
        let plain = try Self.investigate(Self.incident)
        #expect(plain.detectable.first?.firstNightlyRun == nil)
        #expect(plain.detectable.first?.detectableAt == Fixture.timestamp("2026-05-02T10:00:00Z"))
        // A breach from 10:00 to 14:00 the same day ends before any nightly run sees it.
        let short =
            E.grantEvent(1, "2026-05-02T10:00:00Z", "grant", grant: 1, account: "u-ca", level: "'national'")
            + E.grantEvent(2, "2026-05-02T14:00:00Z", "revoke", grant: 1, account: "u-ca")
        let missed = try Self.investigate(short, nightly: "02:00")
        #expect(missed.detectable.first?.visible == false)
        #expect(missed.detectable.first?.beforeEnd == nil)
        #expect(NightlySchedule("24:00") == nil && NightlySchedule("2:00") == nil && NightlySchedule("02:00") != nil)
    }

    // MARK: also affected

    @Test("also_affected: another grant in breach of the same rule at the same time, not one before or of another rule")
    func alsoAffected() throws {
        let sql =
            Self.incident
            // Overlapping: u-prov's alliance grant breaks level-exceeds-policy (provider max organisation).
            + E.grantEvent(3, "2026-05-04T09:00:00Z", "grant", grant: 2, account: "u-prov", level: "'alliance'", actor: "'admin.three'")
            // Before the breach and over by its start.
            + E.grantEvent(4, "2026-04-01T09:00:00Z", "grant", grant: 3, account: "u-gone", level: "'national'", actor: "'admin.three'")
            + E.grantEvent(5, "2026-04-02T09:00:00Z", "revoke", grant: 3, account: "u-gone")
            // Same time, but only above-default-level (a rule the subject did not break).
            + E.grantEvent(6, "2026-05-03T09:00:00Z", "grant", grant: 4, account: "u-nat", level: "'national'", actor: "'admin.three'")
        let report = try Self.investigate(sql)
        #expect(Self.spans(report.alsoAffected) == ["level-exceeds-policy 2 2026-05-04T09:00:00Z ongoing"])
        #expect(report.alsoAffected.first?.interval.accountID == "u-prov")
        #expect(!report.alsoAffected.contains { $0.interval.accountID == "u-ca" })
    }

    // MARK: same actor

    @Test("same_actor: the grantor's and the approver's allocations near the breach's start, with the rules broken after each")
    func sameActor() throws {
        let sql =
            E.grantEvent(1, "2026-05-02T10:00:00Z", "grant", grant: 1, account: "u-ca", level: "'national'", approvedBy: "'approver.two'")
            // The grantor, two days later: a provider given alliance with no approval (two rules).
            + E.grantEvent(2, "2026-05-04T10:00:00Z", "grant", grant: 2, account: "u-prov", level: "'alliance'", approvedBy: "NULL")
            // The approver signs off a clean grant made by someone else.
            + E.grantEvent(3, "2026-05-05T10:00:00Z", "grant", grant: 3, account: "u-nat", level: "'national'", actor: "'admin.three'",
                approvedBy: "' APPROVER.TWO '")
            // Someone else entirely; and the grantor, but long after.
            + E.grantEvent(4, "2026-05-06T10:00:00Z", "grant", grant: 4, account: "u-sup", level: "'organisation'", actor: "'admin.three'",
                approvedBy: "'someone'")
            + E.grantEvent(5, "2026-07-20T10:00:00Z", "grant", grant: 5, account: "u-old", level: "'organisation'")
        let report = try Self.investigate(sql, to: "2026-08-01")
        #expect(report.sameActor.map { "\($0.event.grantID ?? .null) \($0.person) \($0.role) \($0.rules)" } == [
            "2 admin.one actor [\"level-exceeds-policy\", \"missing-approval\"]",
            "3 approver.two approver [\"above-default-level\"]",
        ])
        let narrow = try Self.investigate(sql, to: "2026-08-01", windowDays: 1)
        #expect(narrow.sameActor.isEmpty)
    }

    // MARK: pre-release

    @Test("pre_release: a release published during the breach and one never published; not one published before, nor one the org may see")
    func preRelease() throws {
        let sql =
            Self.incident + Self.releasesTable
            + Self.release("R-PUB", level: "national", generated: "2026-05-01T07:00:00Z", published: "2026-05-04T09:30:00Z")
            + Self.release("R-NEVER", level: "national", generated: "2026-05-03T07:00:00Z", published: nil)
            + Self.release("R-OLD", level: "national", generated: "2026-04-01", published: "2026-04-10")
            + Self.release("R-ALL", level: "alliance", generated: "2026-05-01", published: nil)
            + Self.release("R-BAD", level: "gold", generated: "2026-05-01", published: nil)
            + Self.release("R-TIME", level: "national", generated: "01/05/2026", published: "soon")
        let report = try Self.investigate(sql)
        #expect(report.preRelease.map { "\($0.releaseID ?? "") \($0.from) \($0.to) \($0.publishedAt?.description ?? "unpublished")" } == [
            "R-PUB 2026-05-02T10:00:00Z 2026-05-04T09:30:00Z 2026-05-04T09:30:00Z",
            "R-NEVER 2026-05-03T07:00:00Z 2026-05-05T12:00:00Z unpublished",
        ])
        #expect(report.releaseProblems.map(\.releaseID) == ["R-BAD", "R-TIME"])
        #expect(report.releaseProblems.last?.reason.contains("generated_at") == true)
        #expect(report.releaseProblems.last?.reason.contains("published_at") == true)
        #expect(report.hasReleases)
        // In the JSON, each unusable row is an entry of pre_release with its problem.
        guard case .object(let members) = InvestigationRenderer.json(report),
            case .array(let entries)? = members.first(where: { $0.0 == "pre_release" })?.1
        else { return #expect(Bool(false)) }
        #expect(entries.count == 4)
        #expect(entries.last?.serialized(pretty: false).contains("\"problem\":\"generated_at") == true)
        #expect(entries.first?.serialized(pretty: false).contains("\"problem\":null") == true)
        let none = try Self.investigate(Self.incident)
        #expect(!none.hasReleases && none.preRelease.isEmpty)
        #expect(none.narrative.contains { $0.contains("no releases table") })
    }

    // MARK: errors

    @Test("Errors: no history, an unknown subject, --from after --to, a releases table without all its columns")
    func errors() throws {
        #expect(throws: AuditError.noHistory("fixture")) { try Self.investigate("") }
        #expect(throws: AuditError.self) { try Self.investigate(Self.incident, .account("nobody")) }
        #expect(throws: AuditError.self) { try Self.investigate(Self.incident, .grant(.integer(99))) }
        #expect(throws: AuditError.self) { try Self.investigate(Self.incident, from: "2026-05-21") }
        #expect(throws: AuditError.missingSchema(["column releases.published_at"])) {
            try Self.investigate(Self.incident + "CREATE TABLE releases(release_id, title, level, generated_at);")
        }
    }

    // MARK: engines

    @Test("The fast and the reference pass over everything give the same others and same-actor events", arguments: [5 as UInt64, 9])
    func othersPassEngines(seed: UInt64) throws {
        try Fixture.withGeneratedDatabase(accounts: 2_000, seed: seed) { connection in
            let window = (Fixture.timestamp("2020-01-01"), DatabaseGenerator.now)
            // The subject: the first account with a level-exceeds-policy interval.
            let exposure = try Exposure.run(connection, database: "g", from: window.0, to: window.1, rule: "level-exceeds-policy")
            let account = try #require(exposure.intervals.first?.accountID)
            let report = try Investigate.run(
                connection, database: "g",
                options: .init(subject: .account(account), from: window.0, to: window.1, windowDays: 400))
            #expect(!report.intervals.isEmpty)
            let pass = OthersPass(
                subjectIntervals: report.intervals, isSubjectGrant: { $0.accountID == account },
                isSubjectEvent: { $0.log == .grantEvents && $0.accountID == account }, from: window.0, to: window.1, windowDays: 400)
            let fast = try DatabaseAudit.readTransaction(connection, database: "g") { try pass.runFast(connection, database: "g", tuning: .init(threads: false)) }
            let reference = try DatabaseAudit.readTransaction(connection, database: "g") { try pass.runReference(connection, database: "g") }
            let piped = try DatabaseAudit.readTransaction(connection, database: "g") { try pass.runFast(connection, database: "g", tuning: .init(threads: true)) }
            #expect(piped.0 == fast.0 && piped.1 == fast.1)
            #expect(!fast.0.isEmpty)
            #expect(Set(fast.0) == Set(reference.0))
            #expect(fast.1 == reference.1)
            // The subject's intervals are exactly what exposure gives for its grants.
            let own = exposure.intervals.filter { $0.accountID == account }
            #expect(Set(report.intervals.filter { $0.interval.rule == "level-exceeds-policy" }.map(\.interval)) == Set(own))
        }
    }

    @Test("The subject's own history, picked out by SQLite, gives exactly timeline's entries and exposure's intervals for every rule")
    func subjectPassMatchesWholeReplay() throws {
        try Fixture.withGeneratedDatabase(accounts: 1_500, seed: 4) { connection in
            let from = Fixture.timestamp("2021-01-01"), to = DatabaseGenerator.now
            var byRule: [String: [ExposureInterval]] = [:]
            for rule in Exposure.rules {
                byRule[rule] = try Exposure.run(connection, database: "g", from: from, to: to, rule: rule).intervals
            }
            // Accounts with intervals of several rules, a moved one, and one picked at random.
            let accounts = Set(byRule.values.flatMap { $0.prefix(3) }.compactMap(\.accountID)).sorted().prefix(8) + ["acc-1000007"]
            for account in accounts {
                let report = try Investigate.run(
                    connection, database: "g", options: .init(subject: .account(account), from: from, to: to, windowDays: 0))
                let timeline = try Timeline.run(connection, database: "g", account: account)
                #expect(report.timeline.map { "\($0.event.eventID) \($0.invalidReason ?? "") \($0.findings.map(\.key))" }
                    == timeline.entries.map { "\($0.event.eventID) \($0.invalidReason ?? "") \($0.findings.map(\.key))" })
                for rule in Exposure.rules {
                    let own = byRule[rule, default: []].filter { $0.accountID == account }
                    #expect(Set(report.intervals.filter { $0.interval.rule == rule }.map(\.interval)) == Set(own), "\(account) \(rule)")
                }
            }
        }
    }

    @Test("Text grant ids: the fast engine declines, the reference pass gives the same sections")
    func textGrantIDs() throws {
        let sql =
            "INSERT INTO grant_events VALUES (1, '2026-05-02T10:00:00Z', 'grant', 'g-1', 'u-ca', 'national', NULL, 'admin.one', NULL, NULL, NULL);"
            + "INSERT INTO grant_events VALUES (2, '2026-05-03T10:00:00Z', 'grant', 'g-2', 'u-prov', 'alliance', NULL, 'admin.one', 'approver.two', NULL, NULL);"
            + "INSERT INTO grant_events VALUES (3, '2026-05-05T12:00:00Z', 'revoke', 'g-1', 'u-ca', NULL, NULL, 'admin.two', NULL, NULL, NULL);"
        let report = try Self.investigate(sql)
        #expect(Self.spans(report.intervals).first == "level-exceeds-policy g-1 2026-05-02T10:00:00Z 2026-05-05T12:00:00Z")
        #expect(Self.spans(report.alsoAffected) == ["level-exceeds-policy g-2 2026-05-03T10:00:00Z ongoing"])
        #expect(report.sameActor.map { "\($0.event.grantID ?? .null) \($0.role)" } == ["g-2 actor"])
        let byGrant = try Self.investigate(sql, .grant(argument: "g-2"))
        #expect(byGrant.intervals.map(\.interval.grantID) == [.text("g-2")])
        let actors = try Actors.run(Fixture.database(sql, base: true), database: "fixture", from: nil, to: nil).actors
        #expect(actors.first?.actor == "admin.one" && actors.first?.breaking["level-exceeds-policy"] == 2)
    }
}
