import Foundation

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
    /// How the run uses threads, memory and the temporary directory: never what it finds.
    public var tuning: Tuning

    public init(now: Timestamp, dormantDays: Int = 90, mode: AuditMode = .current, tuning: Tuning = Tuning()) {
        self.now = now
        self.dormantDays = dormantDays
        self.mode = mode
        self.tuning = tuning
    }

    /// The switches that change how a run works but never its findings (tests hold every setting
    /// to the same report). The library reads no environment variable: the CLI sets these.
    public struct Tuning: Sendable {
        /// Whether a second thread may step SQLite or run the history checks (when there is a
        /// second core). `false` runs everything on the calling thread.
        public var threads: Bool
        /// Bytes the history sort may hold in memory (keys and row copies) before it spills
        /// sorted runs to a temporary file (`EventSort`).
        public var sortMemory: Int
        /// Where that temporary file is made.
        public var temporaryDirectory: String
        /// Told how long each phase of a run took, in seconds, as it ends (for profiling); the
        /// library prints nothing itself.
        public var phases: (@Sendable (_ phase: String, _ seconds: Double) -> Void)?

        /// 16 MiB of sort memory (a shuffled 1M-account history, 2.6M events, is about 22 runs):
        /// 30 MB less at the peak of a shuffled 1M `audit` than 32 MiB, at the same CPU time
        /// within the noise (docs/PERFORMANCE.md, "Memory").
        public static let defaultSortMemory = 16 << 20

        public init(
            threads: Bool = true, sortMemory: Int = Tuning.defaultSortMemory, temporaryDirectory: String = "/tmp",
            phases: (@Sendable (_ phase: String, _ seconds: Double) -> Void)? = nil
        ) {
            self.threads = threads
            self.sortMemory = max(1, sortMemory)
            self.temporaryDirectory = temporaryDirectory
            self.phases = phases
        }

        /// Whether stepping SQLite on a second thread can pay: threads are allowed and there is a
        /// second core.
        var pipelines: Bool { threads && ProcessInfo.processInfo.activeProcessorCount > 1 }
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
