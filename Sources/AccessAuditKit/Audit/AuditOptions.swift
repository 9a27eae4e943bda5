/// What kind of state is audited: the live tables, or a state rebuilt from history.
public enum AuditMode: Sendable {
    /// `audit`: the current tables (every rule).
    case current
    /// `replay --as-of T`: a rebuilt state. No `dormant-account` (login history is not kept) and
    /// `invalid-timestamp` checks only grants' `expires_at`.
    case replay
}

/// Settings of one audit run.
public struct AuditOptions: Sendable {
    /// The audit's clock.
    public var now: Timestamp
    /// `dormant-account` fires for logins earlier than `now` minus this many days.
    public var dormantDays: Int
    public var mode: AuditMode

    public init(now: Timestamp, dormantDays: Int = 90, mode: AuditMode = .current) {
        self.now = now
        self.dormantDays = dormantDays
        self.mode = mode
    }

    /// Logins before this instant are dormant.
    public var dormantCutoff: Timestamp {
        now.adding(seconds: -Int64(dormantDays) * 86_400)
    }
}
