@testable import AccessAuditKit
import Testing

/// What a finding costs to hold (issue 13: 94k findings at 1M accounts): its fields most findings
/// leave unset sit behind one reference, and the sort rearranges the findings in place.
struct FindingMemoryTests {
    @Test("A finding is at most 160 bytes: the rarely set fields are behind one reference (280 inline)")
    func compact() {
        #expect(MemoryLayout<Finding>.stride <= 160)
    }

    @Test("Each rarely set field reads back what was written, and unsetting all of them gives a plain finding again")
    func rareFields() {
        let plain = Finding(rule: "expired-grant", severity: .medium, accountID: "u-1", grantID: .integer(7), message: "m", key: "k")
        var finding = plain
        finding.reason = "org_missing"
        finding.column = "expires_at"
        finding.eventID = .text("e-1")
        finding.orgType = "agency"
        finding.table = "grant_events"
        finding.waiver = nil
        finding.change = .new
        finding.subjectChangedSinceBaseline = true
        finding.history = FindingHistory(firstSeen: Timestamp(seconds: 86_400), runsSeen: 3)
        finding.waivedInBaseline = true
        finding.heededInBaseline = false
        #expect(finding.reason == "org_missing" && finding.column == "expires_at" && finding.eventID == .text("e-1"))
        #expect(finding.orgType == "agency" && finding.table == "grant_events" && finding.change == .new)
        #expect(finding.subjectChangedSinceBaseline && finding.waivedInBaseline && finding.history?.runsSeen == 3)
        #expect(!finding.heededInBaseline && plain.heededInBaseline)
        #expect(finding != plain)
        // A copy keeps its own values when the original changes (the box is never shared mutably).
        let copy = finding
        finding.reason = "level_missing"
        #expect(copy.reason == "org_missing" && finding.reason == "level_missing")
        finding.reason = nil
        finding.column = nil
        finding.eventID = nil
        finding.orgType = nil
        finding.table = nil
        finding.change = nil
        finding.subjectChangedSinceBaseline = false
        finding.history = nil
        finding.waivedInBaseline = false
        finding.heededInBaseline = true
        #expect(finding == plain)
        #expect(finding.hashValue == plain.hashValue)
        let made = Finding(rule: "invalid-event", severity: .high, message: "m", key: "k", reason: "r", column: "c", eventID: .integer(3), orgType: "o", table: "t")
        #expect(made.reason == "r" && made.column == "c" && made.eventID == .integer(3) && made.orgType == "o" && made.table == "t")
    }

    @Test("A permutation applied in place gives what copying in that order gives, for every shape of cycle")
    func permutationInPlace() {
        var generator = SystemRandomNumberGenerator()
        var orders: [[Int]] = [[], [0], [1, 0], [0, 1, 2, 3], [3, 0, 1, 2], [1, 0, 3, 2, 4]]
        for count in [2, 5, 17, 100, 1_000] { orders.append(Array(0..<count).shuffled(using: &generator)) }
        for order in orders {
            let original = order.indices.map { "element \($0)" }
            var elements = original
            AuditEngine.applyInPlace(order, to: &elements)
            #expect(elements == order.map { original[$0] })
        }
    }

    @Test("Sorting in place gives the order of the sort's comparison: severity, rule, account, grant, key")
    func sortInPlace() {
        let findings = [
            Finding(rule: "dormant-account", severity: .low, accountID: "b", message: "m", key: "dormant-account:b"),
            Finding(rule: "expired-grant", severity: .medium, accountID: "b", grantID: .integer(2), message: "m", key: "expired-grant:2"),
            Finding(rule: "dormant-account", severity: .low, accountID: "a", message: "m", key: "dormant-account:a"),
            Finding(rule: "expired-grant", severity: .medium, accountID: "a", grantID: .integer(9), message: "m", key: "expired-grant:9"),
            Finding(rule: "expired-grant", severity: .medium, accountID: "a", grantID: .integer(1), message: "m", key: "expired-grant:1"),
        ]
        var sorted = findings
        AuditEngine.sort(&sorted)
        #expect(sorted.map(\.key) == ["expired-grant:1", "expired-grant:9", "expired-grant:2", "dormant-account:a", "dormant-account:b"])
    }
}
