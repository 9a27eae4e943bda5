/// Replays events (in the contract's order) onto a `Replay` and follows the breaches of several
/// state rules at once, with `Exposure.Tracker`, the reference definition of an interval: the
/// subject's own small history in `investigate`, and every event when the fast engine declines.
///
/// The trackers mark an interval that starts at T1 `clipped` when the breach began earlier.
final class BreachWalk {
    let reference: ReferenceData
    let rules: [String]
    let from: Timestamp
    let to: Timestamp
    private(set) var replay: Replay
    private var trackers: [Exposure.Tracker]
    private var gate: WindowGate
    private(set) var invalidEvents = 0

    init(rules: [String], reference: ReferenceData, replay: Replay, from: Timestamp, to: Timestamp) {
        self.reference = reference
        self.rules = rules
        self.from = from
        self.to = to
        self.replay = replay
        trackers = BreachWalk.trackers(rules, reference: reference, replay: replay)
        gate = WindowGate(from: from)
    }

    private static func trackers(_ rules: [String], reference: ReferenceData, replay: Replay) -> [Exposure.Tracker] {
        rules.compactMap(StateRule.init(rawValue:)).map { Exposure.Tracker(rule: $0, reference: reference, replay: replay) }
    }

    /// Starts over on a new replay (the event reader fell back to its sorted path).
    func reset(replay: Replay) {
        self.replay = replay
        trackers = BreachWalk.trackers(rules, reference: reference, replay: replay)
        gate = WindowGate(from: from)
        invalidEvents = 0
    }

    /// Applies `event`. Returns nil once the event is after T2 (the walk is over), else the reason
    /// it is invalid ("" when applied). `applied` runs right after a valid event is applied.
    func step(_ event: HistoryEvent, applied: (Timestamp) -> Void = { _ in }) -> String? {
        guard let instant = event.instant else {
            invalidEvents += 1
            return replay.apply(event) ?? ""
        }
        if instant > to { return nil }
        gate.advance(to: instant, noteBefore: noteBreakingBeforeStart, open: start)
        let touched = gate.isOpen ? trackers.first?.touched(by: event) ?? [] : []
        if let reason = replay.apply(event) {
            invalidEvents += 1
            return reason
        }
        if gate.isOpen, let first = trackers.first {
            for grant in touched.union(first.touched(by: event)) {
                for tracker in trackers { tracker.update(grant, at: instant, event: event) }
            }
        }
        applied(instant)
        return ""
    }

    private func noteBreakingBeforeStart() {
        for tracker in trackers { tracker.noteBreakingBeforeStart(at: from) }
    }

    private func start() {
        for tracker in trackers { tracker.start(at: from) }
    }

    /// The state rules (in the contract's order) `grant` breaks in the replayed state.
    func rulesBroken(by grant: GrantRow, at instant: Timestamp) -> [String] {
        StateRule.exposed.filter {
            HistorySource.breaks(grant, rule: $0, replay: replay, reference: reference, now: instant)
        }.map(\.id)
    }

    /// Ends the walk at T2: every interval of every rule.
    func finish() -> [InvestigationInterval] {
        gate.finish(open: start)
        return trackers.flatMap { $0.finish(at: to) }.map(InvestigationInterval.init(interval:))
    }
}
