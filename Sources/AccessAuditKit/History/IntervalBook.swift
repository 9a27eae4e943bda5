/// The bookkeeping of `exposure`, shared by the fast and the reference tracker: which grants are
/// in breach since when, and the maximal intervals closed so far.
///
/// An interval that ends at an instant is held back until time moves on, so a breach that
/// begins again at the same instant continues it (intervals are maximal); one that begins and
/// ends at the same instant is dropped.
///
/// It is also the one definition of `clipped` (CONTRACT.md §5): an interval the window opens at
/// T1 is clipped when its key already broke the rule in the state before T1.
struct IntervalBook<Key: Hashable> {
    private var open: [Key: ExposureInterval] = [:]
    private var pending: [Key: ExposureInterval] = [:]
    private var pendingInstant: Timestamp?
    private var closed: [ExposureInterval] = []
    /// T1, once the window is open.
    private var windowStart: Timestamp?
    /// The keys breaking the rule just before T1; nil when no event falls at T1 itself (the
    /// state before T1 is then the state at T1).
    private var breakingBeforeStart: Set<Key>?

    /// Before the events at T1 itself are applied: the keys that break the rule then.
    mutating func noteBreakingBeforeStart(_ keys: Set<Key>) {
        breakingBeforeStart = keys
    }

    /// Opens the window at T1: the `record` calls at T1 that follow open clipped intervals for
    /// the keys that already broke the rule before T1.
    mutating func openWindow(at from: Timestamp) {
        windowStart = from
    }

    /// Records whether `key` breaks the rule at `instant`. `opening` makes a new interval (its
    /// start, end and `clipped` are set here), and makes it again for each later record at the
    /// instant it opened (the facts at its start are the state after every event then);
    /// `ending` fills in who or what ended one.
    mutating func record(
        _ key: Key, breaking: Bool, at instant: Timestamp, opening: () -> ExposureInterval?,
        ending: (inout ExposureInterval) -> Void
    ) {
        if let pendingInstant, pendingInstant < instant { flush() }
        if breaking, open[key] == nil {
            if var resumed = pending.removeValue(forKey: key) {
                // It did not end after all: nothing ended it yet.
                resumed.endedBy = nil
                resumed.endedByAction = nil
                resumed.endNote = nil
                open[key] = resumed
            } else if var interval = opening() {
                interval.start = instant
                interval.end = instant
                interval.clipped = instant == windowStart && (breakingBeforeStart?.contains(key) ?? true)
                open[key] = interval
            }
        } else if breaking, let current = open[key], current.start == instant, var refreshed = opening() {
            // Opened at this very instant: its facts (level, grantor, approver, holder) are the
            // state after every event at it (CONTRACT.md §4), not after the first that began it.
            refreshed.start = current.start
            refreshed.end = current.end
            refreshed.clipped = current.clipped
            open[key] = refreshed
        } else if !breaking, var interval = open.removeValue(forKey: key) {
            interval.end = instant
            ending(&interval)
            pending[key] = interval
            pendingInstant = instant
        }
    }

    private mutating func flush() {
        closed.append(contentsOf: pending.values.filter { $0.start < $0.end })
        pending = [:]
        pendingInstant = nil
    }

    /// Closes the window at `to`: what is still open is ongoing. In grant_id order, then start.
    mutating func finish(at to: Timestamp) -> [ExposureInterval] {
        flush()
        for var interval in open.values {
            interval.end = to
            interval.ongoing = true
            closed.append(interval)
        }
        open = [:]
        return closed.sorted { ($0.grantID, $0.start) < ($1.grantID, $1.start) }
    }
}
