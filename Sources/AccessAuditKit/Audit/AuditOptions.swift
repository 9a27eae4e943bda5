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

    /// The `--dormant-days` accepted: 0 to the days from 0001-01-01 to 9999-12-31, the span of
    /// every valid timestamp (a longer span makes no account dormant, and could overflow).
    public static let dormantDaysRange = 0...3_652_058

    /// Logins before this instant are dormant.
    public var dormantCutoff: Timestamp {
        let days = Int64(clamping: min(max(dormantDays, 0), AuditOptions.dormantDaysRange.upperBound))
        return now.adding(seconds: -days * 86_400)
    }
}
