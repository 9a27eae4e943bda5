/// Whom an investigation is about: one account (every grant it held) or one grant id.
public enum InvestigationSubject: Sendable, Hashable, CustomStringConvertible {
    case account(String)
    case grant(GrantID)

    /// `--grant ID`: the id as a grant_id holding that text is (`GrantID(text:)`: `7` is grant 7,
    /// `07` and `+7` are other ids).
    public static func grant(argument: String) -> InvestigationSubject {
        .grant(GrantID(text: argument))
    }

    public var description: String {
        switch self {
        case .account(let id): "account \(id)"
        case .grant(let id): "grant \(id)"
        }
    }
}

/// A breach interval of `investigate`: the exposure interval (CONTRACT.md §5).
public struct InvestigationInterval: Sendable, Hashable {
    public var interval: ExposureInterval
    /// The breach was already in force before T1, so `start` is T1 (as `exposure` says it).
    public var clipped: Bool { interval.clipped }
}

/// When an interval first became visible to an audit.
public struct Detection: Sendable, Hashable {
    public var interval: InvestigationInterval
    /// With `--nightly`: the first nightly run at or after the start (nil without `--nightly`).
    public var firstNightlyRun: Timestamp?
    /// The first moment an audit could have reported it: the nightly run, or the start itself.
    public var detectableAt: Timestamp
    /// Whether that moment falls inside the interval (an ongoing interval counts as lasting).
    public var visible: Bool
    /// Seconds from `detectableAt` to the interval's end (nil when not visible).
    public var beforeEnd: Int64?
}

/// A grant or change by the subject's grantor or approver near the start of a breach, with the
/// state rules its grant broke right after it.
public struct ActorEvent: Sendable, Hashable {
    public var event: HistoryEvent
    /// The person of the subject it matched: its `actor` or its `approved_by`.
    public var person: String
    /// `actor` when that person made the event, `approver` when they approved it.
    public var role: String
    /// The state rules (CONTRACT.md §4 `exposure`) the grant broke right after the event.
    public var rules: [String]
}

/// A release the subject could see before it was published (CONTRACT.md §6).
public struct PreReleaseExposure: Sendable, Hashable {
    public var releaseID: String?
    public var title: String?
    public var level: String?
    public var grantID: GrantID
    public var from: Timestamp
    public var to: Timestamp
    public var generatedAt: Timestamp
    /// nil: not published (by the end of the window, or ever).
    public var publishedAt: Timestamp?
}

/// The result of `investigate`.
public struct InvestigationReport: Sendable {
    public var database: String
    public var subject: InvestigationSubject
    /// The subject's account (for a grant: its holder at its first event), as it stands at the end.
    public var account: AccountRow?
    /// T1 (the beginning of time when `fromGiven` is false) and T2.
    public var from: Timestamp
    public var to: Timestamp
    public var fromGiven: Bool
    public var nightly: NightlySchedule?
    public var windowDays: Int
    /// Every interval of the subject's grants, for every state rule: by start, then grant, then rule.
    public var intervals: [InvestigationInterval]
    public var timeline: [TimelineEntry]
    public var detectable: [Detection]
    /// Other grants whose interval of the same rule overlaps one of the subject's.
    public var alsoAffected: [InvestigationInterval]
    public var sameActor: [ActorEvent]
    public var preRelease: [PreReleaseExposure]
    /// Whether the database has a `releases` table.
    public var hasReleases: Bool
    /// `releases` rows that could not be checked, reported rather than dropped.
    public var releaseProblems: [ReleaseProblem]
    /// Events skipped as invalid while replaying the subject's history.
    public var invalidEvents: Int
    public var narrative: [String]
}
