/// Adds allocations up by person.
struct ActorTally {
    static let outOfPolicyRules: Set<String> = ["level-exceeds-policy", "scope-outside-remit", "missing-approval", "self-approved"]
    private var index: [ExactText: Int] = [:]
    private(set) var summaries: [ActorSummary] = []

    /// The same-person key (§2): trimmed, ASCII case folded; nil when blank.
    static func key(_ name: String?) -> ExactText? {
        guard let name, !Blank.isBlank(name) else { return nil }
        return ExactText(String(decoding: Blank.trimmed(name).utf8.map(Blank.asciiLower), as: UTF8.self))
    }

    private mutating func slot(_ name: String?) -> Int? {
        guard let key = ActorTally.key(name), let name else { return nil }
        if let found = index[key] { return found }
        index[key] = summaries.count
        summaries.append(ActorSummary(actor: String(Blank.trimmed(name))))
        return summaries.count - 1
    }

    /// One grant or change by `actor`, approved by `approver`, whose grant broke `rules` right after.
    mutating func record(actor: String?, approver: String?, rules: [String], at instant: Timestamp?) {
        let made = slot(actor), signed = slot(approver)
        let outOfPolicy = rules.contains { ActorTally.outOfPolicyRules.contains($0) }
        for person in Set([made, signed].compactMap { $0 }) {
            if person == made { summaries[person].granted += 1 }
            if person == signed { summaries[person].approved += 1 }
            for rule in rules { summaries[person].breaking[rule, default: 0] += 1 }
            if person == made, person == signed { summaries[person].selfApproved += 1 }
            if person == made, rules.contains("missing-approval") { summaries[person].missingApproval += 1 }
            if outOfPolicy {
                summaries[person].outOfPolicy += 1
                if let instant {
                    summaries[person].firstBreach = min(summaries[person].firstBreach ?? instant, instant)
                    summaries[person].lastBreach = max(summaries[person].lastBreach ?? instant, instant)
                }
            }
        }
    }

    /// Most out-of-policy allocations first, then by name.
    func sorted() -> [ActorSummary] {
        summaries.sorted { ($1.outOfPolicy, $0.actor) < ($0.outOfPolicy, $1.actor) }
    }
}
