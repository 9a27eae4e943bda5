/// One maximal interval during which a grant broke a state rule (CONTRACT.md §4 `exposure`).
public struct ExposureInterval: Sendable, Hashable {
    public var rule: String
    public var grantID: GrantID
    public var accountID: String?
    /// The account's organisation and the grant's level at the start of the interval.
    public var orgID: String?
    public var level: String?
    public var start: Timestamp
    public var end: Timestamp
    /// The state at the end of the window still breaks the rule.
    public var ongoing: Bool
    /// The breach was already in force before T1, so `start` is T1 (set by `IntervalBook`).
    public var clipped = false
    /// For people: who held it, who granted and approved it (as at the start), and the event that
    /// ended it: its actor (nil when ongoing, or when that event's actor is NULL), action and note.
    public var username: String?
    public var grantedBy: String?
    public var approvedBy: String?
    public var endedBy: String?
    public var endedByAction: String?
    public var endNote: String?

    /// Length in whole seconds.
    public var seconds: Int64 { end.seconds - start.seconds }
}

/// The result of `exposure`.
public struct ExposureReport: Sendable {
    public var database: String
    public var rule: String
    public var from: Timestamp
    public var to: Timestamp
    /// In grant_id order, then by start.
    public var intervals: [ExposureInterval]
    /// Events that could not be applied (they are skipped, as in every replay).
    public var invalidEvents: Int
}
