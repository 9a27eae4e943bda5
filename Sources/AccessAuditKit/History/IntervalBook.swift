/// The bookkeeping of `exposure`, shared by the fast and the reference tracker: which grants are
/// in breach since when, and the maximal intervals closed so far.
///
/// An interval that ends at an instant is held back until time moves on, so a breach that
/// begins again at the same instant continues it (intervals are maximal); one that begins and
/// ends at the same instant is dropped.
struct IntervalBook<Key: Hashable> {
    private var open: [Key: ExposureInterval] = [:]
    private var pending: [Key: ExposureInterval] = [:]
    private var pendingInstant: Timestamp?
    private var closed: [ExposureInterval] = []

    /// Records whether `key` breaks the rule at `instant`. `opening` makes a new interval (its
    /// start and end are set here); `ending` fills in who or what ended one.
    mutating func record(
        _ key: Key, breaking: Bool, at instant: Timestamp, opening: () -> ExposureInterval?,
        ending: (inout ExposureInterval) -> Void
    ) {
        if let pendingInstant, pendingInstant < instant { flush() }
        if breaking, open[key] == nil {
            if let resumed = pending.removeValue(forKey: key) {
                open[key] = resumed
            } else if var interval = opening() {
                interval.start = instant
                interval.end = instant
                open[key] = interval
            }
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
