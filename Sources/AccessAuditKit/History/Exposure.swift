/// `exposure --from T1 --to T2 [--rule R]`: per grant, each maximal interval inside [T1, T2]
/// during which it broke R.
///
/// Streams the merged log once: events up to T1 build the starting state, then each event in
/// (T1, T2] re-checks only the grants it touches (the grant, or every grant of the account an
/// account event names). Memory: live grants, accounts and the intervals found.
public enum Exposure {
    /// The state rules an exposure can follow.
    public static let rules = StateRule.exposed.map(\.id)

    /// The fast engine, or the reference path for what it does not handle.
    public static func run(
        _ connection: Connection, database: String, from: Timestamp, to: Timestamp, rule id: String,
        tuning: AuditOptions.Tuning = .init()
    ) throws -> ExposureReport {
        try validate(from: from, to: to, rule: id)
        do {
            return try DatabaseAudit.readTransaction(connection, database: database, tuning: tuning) {
                try FastReplay.exposure(connection, database: database, from: from, to: to, rule: id, tuning: tuning)
            }
        } catch is FastAudit.Unsupported {
            return try runReference(connection, database: database, from: from, to: to, rule: id)
        }
    }

    private static func validate(from: Timestamp, to: Timestamp, rule id: String) throws {
        guard Exposure.rules.contains(id) else {
            throw AuditError.invalidArgument("--rule must be one of \(Exposure.rules.joined(separator: ", ")), not \(id)")
        }
        guard from <= to else { throw AuditError.invalidArgument("--from \(from) is after --to \(to)") }
    }

    /// The deliberately simple reference path (every event and grant as Strings).
    package static func runReference(
        _ connection: Connection, database: String, from: Timestamp, to: Timestamp, rule id: String
    ) throws -> ExposureReport {
        try validate(from: from, to: to, rule: id)
        guard let rule = StateRule(rawValue: id), rule.followedByExposure else {
            throw AuditError.invalidArgument("--rule \(id) is not a rule exposure follows")
        }
        return try DatabaseAudit.readTransaction(connection, database: database) {
            var (reference, logs, replay) = try HistorySource.open(connection, database: database, tracksAccounts: true)
            var tracker = Tracker(rule: rule, reference: reference, replay: replay)
            var gate = WindowGate(from: from)
            var invalid = 0
            let reset = {
                replay = try HistorySource.replay(connection, tracksAccounts: true)
                tracker = Tracker(rule: rule, reference: reference, replay: replay)
                gate = WindowGate(from: from)
                invalid = 0
            }
            try EventReader.forEachEvent(connection, logs: logs, reset: reset) { event in
                // An invalid time is an invalid event wherever it comes; valid ones after T2 end the walk.
                guard let instant = event.instant else {
                    invalid += 1
                    return true
                }
                if instant > to { return false }
                gate.advance(to: instant, noteBefore: { tracker.noteBreakingBeforeStart(at: from) }, open: { tracker.start(at: from) })
                let touched = gate.isOpen ? tracker.touched(by: event) : []
                if replay.apply(event) != nil {
                    invalid += 1
                    return true
                }
                if gate.isOpen {
                    for grant in touched.union(tracker.touched(by: event)) { tracker.update(grant, at: instant, event: event) }
                }
                return true
            }
            gate.finish { tracker.start(at: from) }
            return ExposureReport(
                database: database, rule: id, from: from, to: to, intervals: tracker.finish(at: to), invalidEvents: invalid)
        }
    }

    /// Follows breaches while events are applied.
    final class Tracker {
        let rule: StateRule
        let reference: ReferenceData
        let replay: Replay
        private var book = IntervalBook<GrantID>()

        init(rule: StateRule, reference: ReferenceData, replay: Replay) {
            self.rule = rule
            self.reference = reference
            self.replay = replay
        }

        /// Before the events at T1 itself: which live grants break the rule (for `clipped`).
        func noteBreakingBeforeStart(at from: Timestamp) {
            book.noteBreakingBeforeStart(Set(replay.grants.values.filter { breaks($0, at: from) }.map(\.grantID)))
        }

        /// Opens an interval at `from` for every live grant that breaks the rule then.
        func start(at from: Timestamp) {
            book.openWindow(at: from)
            for grant in replay.sortedGrants { update(grant.grantID, at: from, event: nil) }
        }

        private func breaks(_ grant: GrantRow, at instant: Timestamp) -> Bool {
            HistorySource.breaks(grant, rule: rule, replay: replay, reference: reference, now: instant)
        }

        /// The grants an event can change: its grant, or every grant of its account.
        func touched(by event: HistoryEvent) -> Set<GrantID> {
            switch event.log {
            case .grantEvents: return [event.grantID ?? .null]
            case .accountEvents: return ExactText(event.accountID).flatMap { replay.grantsByAccount[$0] } ?? []
            }
        }

        func update(_ id: GrantID, at instant: Timestamp, event: HistoryEvent?) {
            let grant = replay.grants[id]
            let breaking = grant.map { breaks($0, at: instant) } ?? false
            book.record(
                id, breaking: breaking, at: instant,
                opening: {
                    guard let grant else { return nil }
                    let account = replay.account(grant.accountID)
                    return ExposureInterval(
                        rule: rule.id, grantID: id, accountID: grant.accountID, orgID: account?.orgID,
                        level: grant.level, start: instant, end: instant, ongoing: false, username: account?.username,
                        grantedBy: grant.grantedBy, approvedBy: grant.approvedBy)
                },
                ending: { interval in
                    interval.endedBy = event?.actor
                    interval.endedByAction = event?.action
                    interval.endNote = event?.note
                })
        }

        /// Closes the window at `to`: what is still open is ongoing.
        func finish(at to: Timestamp) -> [ExposureInterval] {
            book.finish(at: to)
        }
    }
}
