/// The plain-English account of `investigate`, built from the report's facts only (dates, times,
/// roles, durations), in the order of a breach report: what happened, when it could have been
/// seen, who else was affected, the same people's other allocations, and the impact (statistics
/// seen before publication). Values from the database are left as they are here; each renderer
/// escapes the lines for its format.
enum Narrative {
    static let ruleWords: [String: String] = [
        "level-exceeds-policy": "a level above the most its organisation type may hold",
        "above-default-level": "a level above its organisation type's default",
        "scope-outside-remit": "a scope outside its organisation's remit",
        "missing-approval": "no approval where one is required",
        "self-approved": "an approval by the person it benefits or who granted it",
    ]

    static func lines(for report: InvestigationReport) -> [String] {
        var lines: [String] = []
        let who = subject(report)
        let window = report.fromGiven ? "between \(human(report.from)) and \(human(report.to))" : "up to \(human(report.to))"
        guard !report.intervals.isEmpty else {
            return ["\(who) broke no state rule \(window)."]
        }
        let rules = Set(report.intervals.map(\.interval.rule))
        lines.append(
            "\(who) broke \(count(rules.count, "state rule")) in \(count(report.intervals.count, "interval")) \(window).")
        // Intervals of one grant with the same start and end are one story: told once, with every rule.
        for group in grouped(report.intervals) {
            let item = group[0], interval = item.interval
            let rules = group.map { "\(ruleWords[$0.interval.rule] ?? $0.interval.rule) (\($0.interval.rule))" }
            var text = "Grant \(interval.grantID) held \(value(interval.level)) at \(value(interval.orgID)) with "
                + rules.joined(separator: " and ") + ", "
            text += item.clipped ? "already so at \(human(interval.start))" : "from \(human(interval.start))"
            text += interval.ongoing ? " and still at \(human(interval.end)) (\(duration(interval)) so far)" : " to \(human(interval.end)) (\(duration(interval)))"
            text += "; granted by \(person(interval.grantedBy)), approved by \(person(interval.approvedBy))"
            if !interval.ongoing {
                text += "; ended by \(person(interval.endedBy))" + (interval.endedByAction.map { " (\($0))" } ?? "")
                if let note = interval.endNote { text += ", note \"\(note)\"" }
            }
            lines.append(text + ".")
            guard let detection = report.detectable.first(where: { $0.interval == item }) else { continue }
            guard let run = detection.firstNightlyRun else {
                lines.append("It was visible to an audit from its start.")
                continue
            }
            if let lead = detection.beforeEnd {
                lines.append(
                    "The nightly audit could first have reported it on \(human(run)), "
                        + (interval.ongoing ? "and it was still in force \(ExposureRenderer.duration(lead)) later." : "\(ExposureRenderer.duration(lead)) before it ended."))
            } else if interval.ongoing {
                lines.append("The first nightly audit after its start is due on \(human(run)).")
            } else {
                lines.append("It ended before the first nightly audit after its start (\(human(run))): no nightly audit could see it.")
            }
        }
        if report.alsoAffected.isEmpty {
            lines.append("No other grant broke the same rule at the same time.")
        } else {
            let accounts = Set(report.alsoAffected.compactMap(\.interval.accountID))
            var text = "\(count(report.alsoAffected.count, "other grant")) of \(count(accounts.count, "other account")) broke the same rule at the same time: "
            text += report.alsoAffected.map { item in
                let interval = item.interval
                let holder = value(interval.accountID) + (interval.username.map { " (\($0))" } ?? "")
                return "grant \(interval.grantID) of \(holder) at \(value(interval.orgID)), \(value(interval.level)), \(interval.rule), "
                    + "granted by \(person(interval.grantedBy)), from \(human(interval.start))"
                    + (interval.ongoing ? ", still in force at \(human(interval.end))" : " to \(human(interval.end))")
            }.joined(separator: "; ")
            lines.append(text + ".")
        }
        let people = Set(report.sameActor.map(\.person))
        if !report.sameActor.isEmpty {
            let breaking = report.sameActor.filter { !$0.rules.isEmpty }
            var text = "Within \(count(report.windowDays, "day")) of a breach's start, \(people.sorted().joined(separator: " and ")) "
                + "made or approved \(count(report.sameActor.count, "other grant or change", plural: "other grants or changes"))"
            text += breaking.isEmpty ? ", none of which broke a state rule." : "; \(breaking.count) broke a state rule: "
                + breaking.map { item in
                    "grant \(item.event.grantID.map(\.description) ?? "NULL") (\(value(item.event.action))) for \(value(item.event.accountID)) "
                        + "at \(human(item.event.instant)) (\(item.rules.joined(separator: ", ")))"
                }.joined(separator: "; ") + "."
            lines.append(text)
        }
        if !report.hasReleases {
            lines.append("The database has no releases table, so pre-release access was not checked.")
        } else if report.preRelease.isEmpty {
            lines.append("No statistical output was visible before publication to the grants in breach.")
        } else {
            lines.append(
                "Impact: \(count(report.preRelease.count, "pre-release exposure")) of statistics: "
                    + report.preRelease.map { exposure in
                        "grant \(exposure.grantID) could see \(value(exposure.releaseID)) \"\(value(exposure.title))\" (\(value(exposure.level))) "
                            + "from \(human(exposure.from)) to \(human(exposure.to)) (\(ExposureRenderer.duration(exposure.to.seconds - exposure.from.seconds))), "
                            + (exposure.publishedAt.map { "before its publication on \(human($0))" } ?? "and it was not published by \(human(report.to))")
                    }.joined(separator: "; ") + ".")
        }
        if !report.releaseProblems.isEmpty {
            lines.append("\(count(report.releaseProblems.count, "releases row")) could not be checked (see pre_release).")
        }
        return lines
    }

    /// Consecutive runs of intervals of one grant with the same start, end and clipping.
    private static func grouped(_ intervals: [InvestigationInterval]) -> [[InvestigationInterval]] {
        var groups: [[InvestigationInterval]] = []
        for item in intervals {
            if let last = groups.last?.first, last.interval.grantID == item.interval.grantID, last.interval.start == item.interval.start,
                last.interval.end == item.interval.end, last.clipped == item.clipped, last.interval.ongoing == item.interval.ongoing
            {
                groups[groups.count - 1].append(item)
            } else {
                groups.append([item])
            }
        }
        return groups
    }

    private static func subject(_ report: InvestigationReport) -> String {
        switch report.subject {
        case .account(let id):
            return "Account \(id)" + (report.account?.username.map { " (\($0))" } ?? "")
        case .grant(let id):
            return "Grant \(id)" + (report.account.map { " of account \(value($0.accountID))" } ?? "")
        }
    }

    private static func duration(_ interval: ExposureInterval) -> String { ExposureRenderer.duration(interval.seconds) }

    private static func value(_ text: String?) -> String { text ?? "NULL" }

    private static func person(_ name: String?) -> String { Blank.isBlank(name) ? "no one" : name ?? "no one" }

    static func count(_ n: Int, _ noun: String, plural: String? = nil) -> String {
        "\(n) " + (n == 1 ? noun : plural ?? noun + "s")
    }

    /// `7 March 2019 08:45 UTC`.
    static func human(_ instant: Timestamp?) -> String {
        guard let instant else { return "an invalid time" }
        let days = instant.seconds >= 0 ? instant.seconds / 86_400 : (instant.seconds - 86_399) / 86_400
        let second = instant.seconds - days * 86_400
        let (year, month, day) = Timestamp.civil(fromDays: days)
        let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
        let hour = second / 3600, minute = second / 60 % 60
        return "\(day) \(months[Int(month) - 1]) \(year) \(hour < 10 ? "0" : "")\(hour):\(minute < 10 ? "0" : "")\(minute) UTC"
    }
}
