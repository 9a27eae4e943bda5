import Foundation

/// What reading hostile input may cost: the longest value SQLite may hand over, and when the run
/// must end. Every connection is opened under one (docs/SECURITY.md, "Inputs").
public struct ReadLimits: Sendable {
    /// `--max-value-bytes`' default: 1 MiB, far above any id, name or timestamp, far below what
    /// hurts (a value is copied a few times on its way to a report).
    public static let defaultMaxValueBytes = 1 << 20
    /// The largest `--max-value-bytes` accepted: SQLite's own ceiling for a value (2^31 - 1).
    public static let maxValueBytesCeiling = Int(Int32.max)
    /// `--timeout`'s default: one hour, for a nightly run. The 1M-account sample audits in about
    /// 4 s; a real database a hundred times larger is still well inside it.
    public static let defaultTimeoutSeconds = 3_600
    /// The largest `--timeout` accepted: a week.
    public static let maxTimeoutSeconds = 604_800
    /// The largest `.sql` input or `--map` file read (256 MiB): a dump larger than that belongs
    /// in a SQLite file, which is read without being loaded into memory.
    public static let maxScriptBytes = 256 << 20
    /// The most memory SQLite itself may hold in this process (2 GiB): an in-memory `.sql`
    /// database, sorts, recursive queries. Beyond it SQLite fails with "out of memory".
    package static let sqliteHeapBytes: Int64 = 2 << 30

    /// SQLite refuses to build or return a value longer than this (`SQLITE_LIMIT_LENGTH`).
    public var maxValueBytes: Int
    /// When the run ends, or nil for none.
    public var deadline: Deadline?

    public init(maxValueBytes: Int = ReadLimits.defaultMaxValueBytes, deadline: Deadline? = nil) {
        self.maxValueBytes = maxValueBytes
        self.deadline = deadline
    }
}

/// A moment on the monotonic clock after which every statement is interrupted.
public final class Deadline: Sendable {
    /// The timeout it was set with, for messages.
    public let seconds: Int
    private let end: UInt64

    /// `seconds` from now.
    public init(seconds: Int) {
        self.seconds = seconds
        let (sum, overflow) = DispatchTime.now().uptimeNanoseconds
            .addingReportingOverflow(UInt64(max(0, seconds)).multipliedReportingOverflow(by: 1_000_000_000).partialValue)
        end = overflow ? .max : sum
    }

    /// Whether the moment has passed.
    public var hasPassed: Bool { DispatchTime.now().uptimeNanoseconds >= end }

    /// What the tool says when it ended a read.
    var message: String { "timed out after \(seconds) s (--timeout)" }
}
