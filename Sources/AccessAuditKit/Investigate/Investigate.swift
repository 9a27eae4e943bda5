/// `investigate (--account ID | --grant ID)`: the facts of a breach report for one subject, in the
/// order a report is written (see `InvestigationReport`).
///
/// Two passes. The subject's own history is small: SQLite picks it out (`SubjectEvents`) and the
/// reference replay follows every state rule on it at once (`BreachWalk`), giving the intervals,
/// the timeline and the state each interval passed through. Only when there is an interval does a
/// second pass stream the whole history once (`OthersPass`, on the fast engine) for the other
/// grants in breach at the same time and the same people's other allocations.
public enum Investigate {
    public struct Options: Sendable {
        public var subject: InvestigationSubject
        /// T1; nil: from the beginning of the history.
        public var from: Timestamp?
        /// T2: the end of the window (the command line's default is the current time).
        public var to: Timestamp
        public var nightly: NightlySchedule?
        public var windowDays: Int

        public init(subject: InvestigationSubject, from: Timestamp? = nil, to: Timestamp, nightly: NightlySchedule? = nil, windowDays: Int = 30) {
            self.subject = subject
            self.from = from
            self.to = to
            self.nightly = nightly
            self.windowDays = windowDays
        }
    }

    /// The `--window-days` accepted: as `--dormant-days`, at most the span of every valid
    /// timestamp (a wider window holds nothing more, and its seconds could overflow).
    public static let windowDaysRange = AuditOptions.dormantDaysRange

    /// The earliest instant the contract allows (0001-01-01T00:00:00Z): T1 when none is given.
    static let beginning = Timestamp(seconds: Timestamp.daysFromCivil(year: 1, month: 1, day: 1) * 86_400)

    public static func run(_ connection: Connection, database: String, options: Options) throws -> InvestigationReport {
        let from = options.from ?? beginning
        if let given = options.from, given > options.to {
            throw AuditError.invalidArgument("--from \(given) is after --to \(options.to)")
        }
        guard windowDaysRange.contains(options.windowDays) else {
            throw AuditError.invalidArgument("--window-days must be from \(windowDaysRange.lowerBound) to \(windowDaysRange.upperBound)")
        }
        return try DatabaseAudit.readTransaction(connection, database: database) {
            let presence = try ContractSchema.check(connection)
            let logs = try EventReader.logs(connection, presence: presence)
            guard logs.any else { throw AuditError.noHistory(database) }
            let reference = try DatabaseAudit.loadReference(connection)
            let releases = try Releases.read(connection, levels: reference.levels)
            var subject = try SubjectPass.run(connection, logs: logs, reference: reference, options: options, from: from)
            guard !subject.timeline.isEmpty || subject.account != nil else {
                throw AuditError.invalidArgument("\(database): \(options.subject) has no row and no history")
            }
            let others = OthersPass(
                subjectIntervals: subject.intervals, isSubjectGrant: subject.owns, isSubjectEvent: subject.owns,
                from: from, to: options.to, windowDays: options.windowDays)
            var (affected, sameActor) = try others.run(connection, database: database)
            affected.sort(by: InvestigationInterval.reportOrder)
            let preRelease = releases.map { subject.preRelease(of: $0.releases) } ?? []
            subject.intervals.sort(by: InvestigationInterval.reportOrder)
            var report = InvestigationReport(
                database: database, subject: options.subject, account: subject.account, from: from, to: options.to,
                fromGiven: options.from != nil, nightly: options.nightly, windowDays: options.windowDays,
                intervals: subject.intervals, timeline: subject.timeline,
                detectable: try subject.intervals.map { try Detection(of: $0, nightly: options.nightly) },
                alsoAffected: affected, sameActor: sameActor, preRelease: preRelease, hasReleases: releases != nil,
                releaseProblems: releases?.problems ?? [], invalidEvents: subject.invalidEvents, narrative: [])
            report.narrative = Narrative.lines(for: report)
            return report
        }
    }
}

extension InvestigationInterval {
    /// By start, then grant, then rule in the contract's order.
    static func reportOrder(_ a: InvestigationInterval, _ b: InvestigationInterval) -> Bool {
        let ra = Exposure.rules.firstIndex(of: a.interval.rule) ?? 0, rb = Exposure.rules.firstIndex(of: b.interval.rule) ?? 0
        return (a.interval.start, a.interval.grantID, ra) < (b.interval.start, b.interval.grantID, rb)
    }
}

extension Detection {
    /// When `interval` first became visible: the first nightly run at or after its start, or the
    /// start. A run after the last timestamp has no timestamp form to report it in: exit 2.
    init(of interval: InvestigationInterval, nightly: NightlySchedule?) throws {
        var run: Timestamp?
        if let nightly {
            guard let first = nightly.firstRun(atOrAfter: interval.interval.start) else {
                throw AuditError.invalidArgument(
                    "--nightly \(nightly): the first run after the breach starting \(interval.interval.start) would be after "
                        + "9999-12-31T23:59:59Z, the last timestamp; investigate it without --nightly")
            }
            run = first
        }
        let at = run ?? interval.interval.start
        let end = interval.interval.end
        // A run at the very instant the breach ended sees the state after that event: too late.
        let visible = at < end || (interval.interval.ongoing && at <= end)
        self.init(
            interval: interval, firstNightlyRun: run, detectableAt: at, visible: visible || interval.interval.ongoing,
            beforeEnd: visible ? end.seconds - at.seconds : nil)
    }
}
