/// `investigate`'s first pass: the subject's own history replayed with every state rule followed.
struct SubjectPass {
    let subject: InvestigationSubject
    var intervals: [InvestigationInterval] = []
    var timeline: [TimelineEntry] = []
    var account: AccountRow?
    var invalidEvents = 0
    /// The state of each subject grant after every applied event: level rank and its holder's
    /// policy maximum (nil when unauditable), for the pre-release overlap.
    var states: [GrantID: [(at: Timestamp, rank: Int64?, maxRank: Int64?)]] = [:]

    init(subject: InvestigationSubject) {
        self.subject = subject
    }

    /// Whether an interval is of the subject's grants (for an account: while it held them).
    func owns(_ interval: ExposureInterval) -> Bool {
        switch subject {
        case .account(let id): ExactText.equal(interval.accountID, id)
        case .grant(let id): interval.grantID == id
        }
    }

    /// Whether an event is the subject's own grant event.
    func owns(_ event: HistoryEvent) -> Bool {
        guard event.log == .grantEvents else { return false }
        switch subject {
        case .account(let id): return ExactText.equal(event.accountID, id)
        case .grant(let id): return event.grantID == id
        }
    }

    static func run(
        _ connection: Connection, logs: EventReader.Logs, reference: ReferenceData, options: Investigate.Options, from: Timestamp
    ) throws -> SubjectPass {
        var pass = SubjectPass(subject: options.subject)
        let rows = try SubjectEvents.accountRows(connection, subject: options.subject, logs: logs)
        let replay = Replay(accounts: rows, tracksAccounts: true)
        let walk = BreachWalk(rules: Exposure.rules, reference: reference, replay: replay, from: from, to: options.to)
        try SubjectEvents.forEach(connection, subject: options.subject, logs: logs) { event in
            let holder = event.log == .grantEvents ? replay.grants[event.grantID ?? .null]?.accountID : nil
            guard let reason = walk.step(event, applied: { pass.record(replay: replay, reference: reference, at: $0) }) else {
                return false
            }
            pass.addToTimeline(event, holder: holder, reason: reason.isEmpty ? nil : reason, replay: replay, reference: reference)
            return true
        }
        pass.intervals = walk.finish().filter { pass.owns($0.interval) }
        pass.invalidEvents = walk.invalidEvents
        switch options.subject {
        case .account(let id): pass.account = replay.account(id)
        case .grant(let id):
            let holder = replay.grants[id]?.accountID ?? pass.timeline.first { $0.event.grantID == id }?.event.accountID
            pass.account = replay.account(holder)
        }
        return pass
    }

    /// The subject's live grants in the replayed state.
    private func grants(in replay: Replay) -> [GrantRow] {
        switch subject {
        case .account(let id): replay.grants(of: id)
        case .grant(let id): replay.grants[id].map { [$0] } ?? []
        }
    }

    private mutating func record(replay: Replay, reference: ReferenceData, at instant: Timestamp) {
        for grant in grants(in: replay) {
            var maxRank: Int64?
            if case .auditable(_, let policy, _) = reference.resolve(grant, account: replay.account(grant.accountID)) {
                maxRank = policy.maxRank
            }
            states[grant.grantID, default: []].append((instant, reference.levels.rank(grant.level), maxRank))
        }
    }

    /// The timeline entry of `event` when it is the subject's (as `timeline` decides for an account).
    private mutating func addToTimeline(
        _ event: HistoryEvent, holder: String?, reason: String?, replay: Replay, reference: ReferenceData
    ) {
        let account: String?
        switch subject {
        case .account(let id):
            guard ExactText.equal(event.accountID, id) || ExactText.equal(holder, id) else { return }
            account = id
        case .grant(let id):
            let current = replay.grants[id]?.accountID
            if event.log == .grantEvents {
                guard event.grantID == id else { return }
                account = current ?? event.accountID
            } else {
                guard let current, ExactText.equal(event.accountID, current) else { return }
                account = current
            }
        }
        let now = event.instant ?? Timestamp(seconds: 0)
        var findings = account.map { Timeline.findings(for: $0, replay: replay, reference: reference, now: now) } ?? []
        if case .grant(let id) = subject { findings = findings.filter { $0.grantID == nil || $0.grantID == id } }
        timeline.append(TimelineEntry(event: event, invalidReason: reason, findings: findings))
    }
}
