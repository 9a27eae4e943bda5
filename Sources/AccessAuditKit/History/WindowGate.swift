/// Where a walk over the merged log stands with respect to T1: the one place that decides when
/// `exposure`'s trackers (fast and reference, and `investigate`'s) look at the state before T1
/// and when they open the window on the state at T1.
///
/// Events at or before T1 build the starting state. Only an event at T1 itself can begin a
/// breach at T1 that was not in force before, so just before the first one the trackers note
/// what breaks (`clipped`); just before the first event after T1 (or at the end of the walk)
/// they open the window.
struct WindowGate {
    let from: Timestamp
    private var reachedFrom = false
    /// The window is open: events from now on are followed.
    private(set) var isOpen = false

    init(from: Timestamp) {
        self.from = from
    }

    /// Call before an event at `instant` (at most T2, valid) is applied.
    mutating func advance(to instant: Timestamp, noteBefore: () throws -> Void, open: () throws -> Void) rethrows {
        if !reachedFrom, instant >= from {
            reachedFrom = true
            if instant == from { try noteBefore() }
        }
        if !isOpen, instant > from {
            isOpen = true
            try open()
        }
    }

    /// At the end of the walk: opens the window if no event after T1 did.
    mutating func finish(open: () throws -> Void) rethrows {
        guard !isOpen else { return }
        isOpen = true
        try open()
    }
}
