/// Replays events (in the contract's order) onto a `Replay` and follows the breaches of several
/// state rules at once, with `Exposure.Tracker`, the reference definition of an interval: the
/// subject's own small history in `investigate`, and every event when the fast engine declines.
///
/// Besides the intervals it knows which grants already broke each rule just before T1, so an
/// interval that starts at T1 can say whether the breach began earlier (`clipped`).
final class BreachWalk {
    let reference: ReferenceData
    let rules: [String]
    let from: Timestamp
    let to: Timestamp
    private(set) var replay: Replay
    private var trackers: [Exposure.Tracker]
    private(set) var started = false
    /// Per rule, the grants breaking it after every event before T1 (nil until time reaches T1).
    private var before: [Set<GrantID>]?
    private(set) var invalidEvents = 0

    init(rules: [String], reference: ReferenceData, replay: Replay, from: Timestamp, to: Timestamp) {
        self.reference = reference
        self.rules = rules
        self.from = from
        self.to = to
        self.replay = replay
        trackers = BreachWalk.trackers(rules, reference: reference, replay: replay)
    }

    private static func trackers(_ rules: [String], reference: ReferenceData, replay: Replay) -> [Exposure.Tracker] {
        rules.compactMap { id in
            RuleRegistry.grantRules.first { $0.description.id == id }.map { Exposure.Tracker(rule: $0, reference: reference, replay: replay) }
        }
    }

    /// Starts over on a new replay (the event reader fell back to its sorted path).
    func reset(replay: Replay) {
        self.replay = replay
        trackers = BreachWalk.trackers(rules, reference: reference, replay: replay)
        started = false
        before = nil
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
        if before == nil, instant >= from { before = breaking() }
        if !started, instant > from { start() }
        let touched = started ? trackers.first?.touched(by: event) ?? [] : []
        if let reason = replay.apply(event) {
            invalidEvents += 1
            return reason
        }
        if started, let first = trackers.first {
            for grant in touched.union(first.touched(by: event)) {
                for tracker in trackers { tracker.update(grant, at: instant, event: event) }
            }
        }
        applied(instant)
        return ""
    }

    private func start() {
        for tracker in trackers { tracker.start(at: from) }
        started = true
    }

    /// The state rules (in the contract's order) `grant` breaks in the replayed state.
    func rulesBroken(by grant: GrantRow, at instant: Timestamp) -> [String] {
        Exposure.rules.filter { id in
            guard let rule = RuleRegistry.grantRules.first(where: { $0.description.id == id }) else { return false }
            return HistorySource.breaks(grant, rule: rule, replay: replay, reference: reference, now: instant)
        }
    }

    /// Per rule, the live grants breaking it now.
    private func breaking() -> [Set<GrantID>] {
        trackers.map { tracker in
            Set(replay.sortedGrants.filter {
                HistorySource.breaks($0, rule: tracker.rule, replay: replay, reference: reference, now: from)
            }.map(\.grantID))
        }
    }

    /// Ends the walk at T2: every interval of every rule, with `clipped`.
    func finish() -> [InvestigationInterval] {
        if before == nil { before = breaking() }
        if !started { start() }
        var intervals: [InvestigationInterval] = []
        for (index, tracker) in trackers.enumerated() {
            for interval in tracker.finish(at: to) {
                let clipped = interval.start == from && (before?[index].contains(interval.grantID) ?? false)
                intervals.append(InvestigationInterval(interval: interval, clipped: clipped))
            }
        }
        return intervals
    }
}
