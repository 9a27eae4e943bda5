/// `investigate`'s pass over the whole history, once the subject's intervals are known: the other
/// grants whose interval of the same rule overlaps one of them (`also_affected`), and the grants
/// and changes the subject's grantor or approver made near the start of a breach (`same_actor`).
///
/// It runs on the fast engine's compact replay (the same trackers as `exposure`), or, when that
/// engine declines the database, on the reference replay (`BreachWalk`).
struct OthersPass {
    /// The subject's intervals; their rules are the ones followed.
    let subjectIntervals: [InvestigationInterval]
    /// Whether an interval or event belongs to the subject (those are reported elsewhere).
    let isSubjectGrant: (ExposureInterval) -> Bool
    let isSubjectEvent: (HistoryEvent) -> Bool
    let from: Timestamp
    let to: Timestamp
    let windowDays: Int

    var rules: [String] {
        Exposure.rules.filter { rule in subjectIntervals.contains { $0.interval.rule == rule } }
    }

    /// The subject's grantors and approvers, as at the start of each interval (blank ones left out).
    var people: [String] {
        var people: [String] = []
        for interval in subjectIntervals {
            for name in [interval.interval.grantedBy, interval.interval.approvedBy] {
                guard let name, !Blank.isBlank(name), !people.contains(where: { Blank.samePerson($0, name) }) else { continue }
                people.append(name)
            }
        }
        return people
    }

    /// Within `windowDays` of the start of one of the subject's intervals (either side).
    func inWindow(_ instant: Timestamp) -> Bool {
        let span = Int64(windowDays) * 86_400
        return subjectIntervals.contains { abs(instant.seconds - $0.interval.start.seconds) <= span }
    }

    /// The person and role an in-window grant or change matches, if any.
    func match(_ event: HistoryEvent, people: [String]) -> (person: String, role: String)? {
        guard event.log == .grantEvents, event.action == "grant" || event.action == "change", !isSubjectEvent(event) else {
            return nil
        }
        if let person = people.first(where: { Blank.samePerson($0, event.actor) }) { return (person, "actor") }
        if let person = people.first(where: { Blank.samePerson($0, event.approvedBy) }) { return (person, "approver") }
        return nil
    }

    /// Keeps the other grants' intervals that overlap a subject interval of the same rule.
    func affected(_ intervals: [InvestigationInterval]) -> [InvestigationInterval] {
        intervals.filter { other in
            !isSubjectGrant(other.interval)
                && subjectIntervals.contains { $0.interval.rule == other.interval.rule && Self.overlap($0.interval, other.interval) }
        }
    }

    /// Two intervals share a stretch of time (or both are the point T2 of an ongoing breach).
    static func overlap(_ a: ExposureInterval, _ b: ExposureInterval) -> Bool {
        let start = max(a.start, b.start), end = min(a.end, b.end)
        return start < end || (start == end && (a.start == a.end || b.start == b.end))
    }

    /// The fast engine, or the reference replay for what it declines.
    func run(_ connection: Connection, database: String) throws -> ([InvestigationInterval], [ActorEvent]) {
        guard !subjectIntervals.isEmpty else { return ([], []) }
        do {
            return try runFast(connection, database: database)
        } catch is FastAudit.Unsupported {
            return try runReference(connection, database: database)
        }
    }

    func runFast(
        _ connection: Connection, database: String, tuning: AuditOptions.Tuning = .init()
    ) throws -> ([InvestigationInterval], [ActorEvent]) {
        let (state, logs) = try FastReplay.open(connection, database: database, now: to, tuning: tuning)
        let rules = self.rules.compactMap(StateRule.init(rawValue:)), people = self.people
        var trackers = rules.map { FastReplay.Tracker(state: state, rule: $0) }
        var gate = WindowGate(from: from)
        var events: [ActorEvent] = []
        let hooks = FastState.ReplayHooks(
            willApply: { instant in
                gate.advance(
                    to: instant, noteBefore: { for tracker in trackers { tracker.noteBreakingBeforeStart() } },
                    open: { for tracker in trackers { tracker.start(at: from) } })
            },
            applied: { applied, row in
                if gate.isOpen {
                    for id in applied.grants { for tracker in trackers { tracker.update(id, at: applied.instant, row: row) } }
                }
                guard row.int64(EventReader.Column.log) == 1, !people.isEmpty, inWindow(applied.instant) else { return }
                let event = HistoryEvent(row: row)
                guard let (person, role) = match(event, people: people) else { return }
                let grant = applied.grants.first.flatMap { state.replayed.get($0) }
                let broken = grant.map { grant in StateRule.exposed.filter { state.breaks($0, grant) }.map(\.id) } ?? []
                events.append(ActorEvent(event: event, person: person, role: role, rules: broken))
            },
            reset: {
                trackers = rules.map { FastReplay.Tracker(state: state, rule: $0) }
                gate = WindowGate(from: from)
                events = []
            })
        try state.replay(connection, logs: logs, accountEvents: true, until: to, pipelined: tuning.pipelines, hooks: hooks)
        gate.finish { for tracker in trackers { tracker.start(at: from) } }
        let intervals = trackers.flatMap { $0.finish(at: to) }.map(InvestigationInterval.init(interval:))
        return (affected(intervals), events)
    }

    func runReference(_ connection: Connection, database: String) throws -> ([InvestigationInterval], [ActorEvent]) {
        let (reference, logs, replay) = try HistorySource.open(connection, database: database, tracksAccounts: true)
        let walk = BreachWalk(rules: rules, reference: reference, replay: replay, from: from, to: to)
        let people = self.people
        var events: [ActorEvent] = []
        let reset = {
            walk.reset(replay: try HistorySource.replay(connection, tracksAccounts: true))
            events = []
        }
        try EventReader.forEachEvent(connection, logs: logs, reset: reset) { event in
            let reason = walk.step(event) { instant in
                guard !people.isEmpty, inWindow(instant), let (person, role) = match(event, people: people) else { return }
                let grant = walk.replay.grants[event.grantID ?? .null]
                let broken = grant.map { grant in
                    walk.rulesBroken(by: grant, at: instant)
                } ?? []
                events.append(ActorEvent(event: event, person: person, role: role, rules: broken))
            }
            return reason != nil
        }
        return (affected(walk.finish()), events)
    }
}
