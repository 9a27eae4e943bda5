/// `investigate` reports: JSON `{"schema_version": 1, "subject", "intervals", "timeline",
/// "detectable", "also_affected", "same_actor", "pre_release", "narrative"}`, or the same sections
/// as text, Markdown or HTML (`DossierDocument`).
public enum InvestigationRenderer {
    public static func render(_ report: InvestigationReport, format: DossierDocument.Format) -> String {
        switch format {
        case .json: json(report).serialized(pretty: true) + "\n"
        case .text, .markdown, .html: document(report).render(format)
        }
    }

    // MARK: JSON

    package static func json(_ report: InvestigationReport) -> JSONValue {
        .object([
            ("schema_version", .int(JSONRenderer.schemaVersion)),
            ("subject", subject(report)),
            ("intervals", .array(report.intervals.map(interval))),
            ("timeline", timelineEntries(report)),
            ("detectable", .array(report.detectable.map(detection))),
            ("also_affected", .array(report.alsoAffected.map(interval))),
            ("same_actor", .array(report.sameActor.map(actorEvent))),
            ("pre_release", .array(report.preRelease.map(preRelease) + report.releaseProblems.map(releaseProblem))),
            ("narrative", .array(report.narrative.map { .string($0) })),
        ])
    }

    static func subject(_ report: InvestigationReport) -> JSONValue {
        var kind = "account", accountID = report.account?.accountID, grantID = JSONValue.null
        switch report.subject {
        case .account(let id): accountID = id
        case .grant(let id):
            kind = "grant"
            grantID = JSONRenderer.grantID(id)
        }
        return .object([
            ("kind", .string(kind)), ("account_id", .string(accountID)), ("grant_id", grantID),
            ("username", .string(report.account?.username)), ("org_id", .string(report.account?.orgID)),
            ("database", .string(report.database)), ("from", report.fromGiven ? .string(report.from.description) : .null),
            ("to", .string(report.to.description)), ("nightly", .string(report.nightly?.description)),
            ("window_days", .int(Int64(report.windowDays))), ("releases_table", .bool(report.hasReleases)),
            ("invalid_events", .int(Int64(report.invalidEvents))),
        ])
    }

    /// The exposure fields of CONTRACT.md §5 (as `exposure` writes them), with the holder's
    /// username and the duration.
    static func interval(_ item: InvestigationInterval) -> JSONValue {
        let interval = item.interval
        return .object(
            ExposureRenderer.members(interval) + [
                ("username", .string(interval.username)), ("duration_seconds", .int(interval.seconds)),
                ("duration", .string(ExposureRenderer.duration(interval.seconds))),
            ])
    }

    /// The entries exactly as `timeline --format json` writes them.
    static func timelineEntries(_ report: InvestigationReport) -> JSONValue {
        let timeline = TimelineReport(
            database: report.database, accountID: report.account?.accountID ?? "", account: report.account, entries: report.timeline)
        guard case .object(let members) = TimelineRenderer.json(timeline), let entries = members.first(where: { $0.0 == "entries" })
        else { return .array([]) }
        return entries.1
    }

    static func detection(_ item: Detection) -> JSONValue {
        let interval = item.interval.interval
        return .object([
            ("rule", .string(interval.rule)), ("grant_id", JSONRenderer.grantID(interval.grantID)),
            ("start", .string(interval.start.description)), ("end", .string(interval.end.description)),
            ("ongoing", .bool(interval.ongoing)), ("first_nightly_run", .string(item.firstNightlyRun?.description)),
            ("detectable_at", .string(item.detectableAt.description)), ("visible", .bool(item.visible)),
            ("before_end_seconds", item.beforeEnd.map { .int($0) } ?? .null),
        ])
    }

    static func actorEvent(_ item: ActorEvent) -> JSONValue {
        let event = item.event
        return .object([
            ("person", .string(item.person)), ("role", .string(item.role)),
            ("occurred_at", .string(event.instant?.description ?? event.occurredAt)), ("event_id", JSONRenderer.grantID(event.eventID)),
            ("action", .string(event.action)), ("grant_id", event.grantID.map(JSONRenderer.grantID) ?? .null),
            ("account_id", .string(event.accountID)), ("level", .string(event.level)), ("scope_org_id", .string(event.scopeOrgID)),
            ("actor", .string(event.actor)), ("approved_by", .string(event.approvedBy)), ("note", .string(event.note)),
            ("rules", .array(item.rules.map { .string($0) })),
        ])
    }

    static func preRelease(_ item: PreReleaseExposure) -> JSONValue {
        .object([
            ("release_id", .string(item.releaseID)), ("title", .string(item.title)), ("level", .string(item.level)),
            ("grant_id", JSONRenderer.grantID(item.grantID)), ("from", .string(item.from.description)),
            ("to", .string(item.to.description)), ("duration_seconds", .int(item.to.seconds - item.from.seconds)),
            ("generated_at", .string(item.generatedAt.description)), ("published_at", .string(item.publishedAt?.description)),
            ("problem", .null),
        ])
    }

    /// A `releases` row that could not be checked: reported in place, with its reason.
    static func releaseProblem(_ item: ReleaseProblem) -> JSONValue {
        .object([
            ("release_id", .string(item.releaseID)), ("title", .string(item.title)), ("level", .null), ("grant_id", .null),
            ("from", .null), ("to", .null), ("duration_seconds", .null), ("generated_at", .null), ("published_at", .null),
            ("problem", .string(item.reason)),
        ])
    }

    // MARK: Text, Markdown, HTML

    static func document(_ report: InvestigationReport) -> DossierDocument {
        typealias Section = DossierDocument.Section
        let account = report.account
        var title = "access-audit investigate: \(report.subject)"
        if let username = account?.username { title += " (\(username))" }
        var meta = [
            "database \(report.database); window " + (report.fromGiven ? report.from.description : "the beginning of the history")
                + " to \(report.to.description)",
            "nightly audit " + (report.nightly.map { "at \($0) UTC" } ?? "not given (a breach counts as visible from its start)")
                + "; same actor within \(report.windowDays) days of a breach's start",
        ]
        if report.invalidEvents > 0 { meta.append("\(report.invalidEvents) invalid event(s) of the subject skipped") }
        let intervalHeader = ["rule", "grant", "account", "username", "org", "level", "start", "end", "duration", "granted by", "approved by", "ended by"]
        var sections = [
            Section(
                title: "Intervals (\(report.intervals.count))", header: intervalHeader, rows: report.intervals.map(intervalRow),
                empty: "No state rule was broken in the window."),
            Section(
                title: "Timeline (\(report.timeline.count) events)",
                header: ["time", "event", "action", "grant", "level", "scope", "org", "status", "by", "approved by", "note", "in force after"],
                rows: report.timeline.map(timelineRow), empty: "No events."),
            Section(
                title: "Detectable", header: ["rule", "grant", "start", "first nightly run", "detectable at", "before the end"],
                rows: report.detectable.map(detectionRow), empty: "Nothing to detect."),
            Section(
                title: "Also affected (\(report.alsoAffected.count))", header: intervalHeader, rows: report.alsoAffected.map(intervalRow),
                empty: "No other grant broke the same rule at the same time."),
            Section(
                title: "Same actor (\(report.sameActor.count))",
                header: ["time", "person", "role", "action", "grant", "account", "level", "actor", "approved by", "rules broken after"],
                rows: report.sameActor.map(actorRow),
                empty: report.intervals.isEmpty ? "No breach, so no one to follow." : "No other grant or change by the same people in the window."),
        ]
        var releases = Section(
            title: "Pre-release (\(report.preRelease.count))",
            header: ["release", "title", "level", "grant", "from", "to", "duration", "published"],
            rows: report.preRelease.map(preReleaseRow),
            empty: report.hasReleases ? "No release was visible before publication." : "No releases table: not checked.")
        releases.paragraphs = report.releaseProblems.map { problem in
            "releases row \(problem.releaseID ?? "NULL") could not be checked: \(problem.reason)"
        }
        sections.append(releases)
        sections.append(Section(title: "Narrative", paragraphs: report.narrative))
        return DossierDocument(title: title, meta: meta, sections: sections)
    }

    static func intervalRow(_ item: InvestigationInterval) -> [String] {
        let interval = item.interval
        let ended = interval.ongoing ? "-" : [interval.endedByAction, interval.endedBy].compactMap { $0 }.joined(separator: " by ")
        return [
            interval.rule, interval.grantID.description, interval.accountID ?? "NULL", interval.username ?? "", interval.orgID ?? "NULL",
            interval.level ?? "NULL", interval.start.description + (item.clipped ? " (clipped)" : ""),
            interval.ongoing ? "ongoing" : interval.end.description, ExposureRenderer.duration(interval.seconds),
            interval.grantedBy ?? "", interval.approvedBy ?? "(none)", ended,
        ]
    }

    static func timelineRow(_ entry: TimelineEntry) -> [String] {
        let event = entry.event
        var inForce = entry.findings.map(\.rule).joined(separator: ", ")
        if inForce.isEmpty { inForce = "nothing" }
        if let reason = entry.invalidReason { inForce = "INVALID, skipped: \(reason)" }
        return [
            event.instant?.description ?? event.occurredAt ?? "NULL", "\(event.log.rawValue) #\(event.eventID)", event.action ?? "NULL",
            event.grantID?.description ?? "", event.level ?? "", event.scopeOrgID ?? "", event.orgID ?? "", event.status ?? "",
            event.actor ?? "", event.log == .grantEvents && event.action != "revoke" ? event.approvedBy ?? "(none)" : "", event.note ?? "",
            inForce,
        ]
    }

    static func detectionRow(_ item: Detection) -> [String] {
        let interval = item.interval.interval
        let lead = item.beforeEnd.map { ExposureRenderer.duration($0) + (interval.ongoing ? " (still in force)" : "") }
        return [
            interval.rule, interval.grantID.description, interval.start.description, item.firstNightlyRun?.description ?? "-",
            item.detectableAt.description, lead ?? (item.visible ? "after the window" : "never: it ended first"),
        ]
    }

    static func actorRow(_ item: ActorEvent) -> [String] {
        let event = item.event
        return [
            event.instant?.description ?? event.occurredAt ?? "NULL", item.person, item.role, event.action ?? "NULL",
            event.grantID?.description ?? "NULL", event.accountID ?? "NULL", event.level ?? "NULL", event.actor ?? "",
            event.approvedBy ?? "(none)", item.rules.isEmpty ? "none" : item.rules.joined(separator: ", "),
        ]
    }

    static func preReleaseRow(_ item: PreReleaseExposure) -> [String] {
        [
            item.releaseID ?? "NULL", item.title ?? "", item.level ?? "", item.grantID.description, item.from.description,
            item.to.description, ExposureRenderer.duration(item.to.seconds - item.from.seconds),
            item.publishedAt?.description ?? "not published",
        ]
    }
}
