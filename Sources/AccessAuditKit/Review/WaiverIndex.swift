/// The waivers of a file, indexed so that finding the first one (in file order) that matches a
/// finding takes a few dictionary look-ups, however many waivers there are: by key, and by rule
/// with the account and/or grant a rule waiver names.
struct WaiverIndex {
    /// A rule waiver's look-up: nil account or grant means the waiver does not name one.
    private struct RuleIDs: Hashable {
        var rule: String
        var accountID: String?
        var grantID: String?
    }

    private let waivers: [Waiver]
    /// Positions in file order.
    private var byKey: [String: [Int]] = [:]
    private var byRule: [RuleIDs: [Int]] = [:]

    init(_ waivers: [Waiver]) {
        self.waivers = waivers
        for (position, waiver) in waivers.enumerated() {
            if let key = waiver.key {
                byKey[key, default: []].append(position)
            } else if let rule = waiver.rule {
                byRule[RuleIDs(rule: rule, accountID: waiver.accountID.map(FindingKey.encode), grantID: waiver.grantID), default: []]
                    .append(position)
            }
        }
    }

    /// The position of the first waiver that matches `finding`, or nil.
    func first(matching finding: Finding) -> Int? {
        // Ids in their key form: exact bytes (see `Waiver.matches`).
        let grant = finding.grantID.map(FindingKey.encode)
        var lists = [byKey[finding.key]]
        if let account = finding.accountID.map(FindingKey.encode) {
            lists.append(byRule[RuleIDs(rule: finding.rule, accountID: account, grantID: nil)])
            if let grant { lists.append(byRule[RuleIDs(rule: finding.rule, accountID: account, grantID: grant)]) }
        }
        if let grant { lists.append(byRule[RuleIDs(rule: finding.rule, accountID: nil, grantID: grant)]) }
        // Each list is in file order: its first full match is its candidate; the earliest wins.
        return lists.compactMap { list in list?.first { waivers[$0].matches(finding) } }.min()
    }
}
