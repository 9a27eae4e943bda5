/// `invalid-event`: a history event that cannot be applied means the log no longer explains the
/// state; each is reported and skipped.
package struct InvalidEvent: Rule, RegisteredRule {
    package init() {}

    package let description = RuleDescription(
        id: "invalid-event", severity: .medium,
        rationale: "A history event cannot be applied (unknown action, bad time, missing or existing grant, wrong account).",
        subject: "event",
        triggeringExamples: [
            RuleExample("Unknown grant action", RuleExample.grantEvent(1, "2026-05-01", "delete", grant: 1, account: "u-ca")),
            RuleExample("Actions compare exactly", RuleExample.grantEvent(1, "2026-05-01", "Grant", grant: 1, account: "u-ca")),
            RuleExample("Invalid occurred_at", RuleExample.grantEvent(1, "2026-05-01T25:00", "grant", grant: 1, account: "u-ca")),
            RuleExample(
                "A grant for an existing grant_id",
                RuleExample.grantEvent(1, "2026-05-01", "grant", grant: 1, account: "u-ca", level: "'alliance'")
                    + RuleExample.grantEvent(2, "2026-05-02", "grant", grant: 1, account: "u-prov", level: "'organisation'")),
            RuleExample("A change of a missing grant", RuleExample.grantEvent(1, "2026-05-01", "change", grant: 1, account: "u-ca")),
            RuleExample("A revoke of a missing grant", RuleExample.grantEvent(1, "2026-05-01", "revoke", grant: 1, account: "u-ca")),
            RuleExample(
                "A change naming another account",
                RuleExample.grantEvent(1, "2026-05-01", "grant", grant: 1, account: "u-ca", level: "'alliance'")
                    + RuleExample.grantEvent(2, "2026-05-02", "change", grant: 1, account: "u-prov", level: "'national'")),
            RuleExample(
                "Order is by time, not by event_id: a revoke logged before its grant",
                RuleExample.grantEvent(1, "2026-05-02", "grant", grant: 1, account: "u-ca", level: "'alliance'")
                    + RuleExample.grantEvent(2, "2026-05-01", "revoke", grant: 1, account: "u-ca")),
            RuleExample("Unknown account action", RuleExample.accountEvent(1, "2026-05-01", "delete", account: "u-ca")),
            RuleExample("Account event with a bad time", RuleExample.accountEvent(1, "yesterday", "status", account: "u-ca", status: "'locked'")),
        ],
        nonTriggeringExamples: [
            RuleExample(
                "Grant, change, revoke, re-grant",
                RuleExample.grantEvent(1, "2026-04-01", "grant", grant: 1, account: "u-ca", level: "'alliance'")
                    + RuleExample.grantEvent(2, "2026-04-02", "change", grant: 1, account: "u-ca", level: "'organisation'")
                    + RuleExample.grantEvent(3, "2026-04-03", "revoke", grant: 1, account: "u-prov")
                    + RuleExample.grantEvent(4, "2026-04-04", "grant", grant: 1, account: "u-ca", level: "'alliance'")
                    + RuleExample.grant(1, "u-ca", "alliance")),
            RuleExample(
                "Zone offsets order events by time: the grant at 09:30Z comes before the revoke at 10:00+00:00",
                RuleExample.grantEvent(1, "2026-05-01T10:00:00+00:00", "revoke", grant: 1, account: "u-ca")
                    + RuleExample.grantEvent(2, "2026-05-01T10:30:00+01:00", "grant", grant: 1, account: "u-ca", level: "'alliance'")),
            RuleExample(
                "Same instant: grant events in event_id order",
                RuleExample.grantEvent(2, "2026-05-01", "revoke", grant: 1, account: "u-ca")
                    + RuleExample.grantEvent(1, "2026-05-01", "grant", grant: 1, account: "u-ca", level: "'alliance'")),
            RuleExample(
                "Create, move, status",
                RuleExample.accountEvent(1, "2026-01-01", "create", account: "u-new", org: "'P1'")
                    + RuleExample.accountEvent(2, "2026-02-01", "move", account: "u-new", org: "'P2'")
                    + RuleExample.accountEvent(3, "2026-03-01", "status", account: "u-new", status: "'locked'")),
        ],
        action: { finding in
            "Correct event \(finding.eventID?.description ?? "?") in \(finding.table ?? "the log") so that it can be applied, "
                + "or record a correcting event; the remediation script does not change the log."
        })

    package func finding(for event: HistoryEvent, reason: String) -> Finding {
        let id = FindingKey.encode(event.eventID)
        return Finding(
            rule: description.id, severity: description.severity, accountID: event.accountID, grantID: event.grantID,
            message: "\(event.log.rawValue) event \(event.eventID) cannot be applied: \(reason).",
            key: FindingKey.make(description.id, event.log.rawValue, id), eventID: event.eventID, table: event.log.rawValue,
            evidence: Evidence([
                "expected": "an event that applies to the replayed state", "found": reason,
                "occurred_at": event.occurredAt, "action": event.action, "actor": event.actor, "note": event.note,
            ]))
    }
}

extension RuleRegistry {
    /// The rule's instance for the code that makes its findings (it is judged by no condition).
    static let invalidEvent = InvalidEvent()
}
