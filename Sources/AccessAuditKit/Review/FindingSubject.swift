/// What a finding is about, beyond its key: the facts a reviewer accepted when they waived it, or
/// that yesterday's report saw. A key names the grant or account (`missing-approval:grant:7`); the
/// subject says whose it is and what it is (account, organisation, level, scope and the inputs
/// of the message), so a waiver for alice's regional grant 7 stops applying when grant 7 is
/// moved to mallory or raised to national.
///
/// Fields, in this order, each only where it applies (docs/CONTRACT-NOTES.md):
/// - `account_id`, `org_id`: every finding (NULL when absent);
/// - `level`, `scope_org_id`: findings about a grant (not `invalid-event`), as in `grants`;
/// - `expires_at` (`expired-grant`) or `last_activity` and `auditable_grants` (`dormant-account`):
///   those messages quote the run's clock, so they stand in for the message;
/// - `message`: every other rule, whose message is built from its inputs only.
///
/// Values are written in one reversible form and compared in it, so they compare exactly whatever
/// bytes the ids hold: printable ASCII not starting with `%` as it is (so a reviewer can read the
/// message in a waiver), NULL as `%N`, anything else as `%` followed by the value as a key part
/// (`FindingKey.encode`: every other byte `%XX`, from the id's original bytes).
public struct FindingSubject: Sendable, Hashable {
    public struct Field: Sendable, Hashable {
        public let name: String
        /// The value as a key part (`%N` is NULL).
        public let value: String
    }

    /// Every field name a subject may have, in the order fields are written.
    package static let names = [
        "account_id", "org_id", "level", "scope_org_id", "expires_at", "last_activity", "auditable_grants", "message",
    ]

    /// The fields, in `names` order.
    public let fields: [Field]

    /// A subject from already-encoded values (a waivers file, a saved report). Unknown names are
    /// the caller's to refuse; fields are put in `names` order so the written order never matters.
    package init(encoded pairs: [(String, String)]) {
        fields = pairs.map { Field(name: $0.0, value: $0.1) }.sorted {
            (FindingSubject.names.firstIndex(of: $0.name) ?? Int.max, $0.name)
                < (FindingSubject.names.firstIndex(of: $1.name) ?? Int.max, $1.name)
        }
    }

    /// The subject of a finding of this run.
    public init(_ finding: Finding) {
        var pairs: [(String, String?)] = [("account_id", finding.accountID), ("org_id", finding.orgID)]
        if finding.grantID != nil, finding.rule != RuleRegistry.invalidEvent.description.id {
            pairs += [("level", finding.evidence["level"]), ("scope_org_id", finding.evidence["scope_org_id"])]
        }
        switch finding.rule {
        case RuleRegistry.id(of: ExpiredGrant.self):
            pairs.append(("expires_at", finding.evidence["expires_at"]))
        case RuleRegistry.id(of: DormantAccount.self):
            pairs += [("last_activity", finding.evidence["found"]), ("auditable_grants", finding.evidence["auditable_grants"])]
        default:
            pairs.append(("message", finding.message))
        }
        fields = pairs.map { Field(name: $0.0, value: FindingSubject.written($0.1)) }
    }

    /// A value in the written form (see the type's comment). Injective: a plain value never
    /// starts with `%`, an encoded one always does and is never `%N` (that would need the
    /// value "N", which is plain).
    package static func written(_ value: String?) -> String {
        guard let value else { return "%N" }
        let plain = value.utf8.first != UInt8(ascii: "%") && value.utf8.allSatisfy { (0x20...0x7E).contains($0) }
        return plain ? value : "%" + FindingKey.encode(value)
    }

    /// The names of the fields that differ between two subjects (either side may lack one).
    public func changes(to other: FindingSubject) -> [String] {
        let mine = Dictionary(fields.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        let theirs = Dictionary(other.fields.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        return FindingSubject.names.filter { mine[$0] != theirs[$0] }
            + Set(mine.keys).union(theirs.keys).subtracting(FindingSubject.names).filter { mine[$0] != theirs[$0] }.sorted()
    }

    var json: JSONValue {
        .object(fields.map { ($0.name, .string($0.value)) })
    }
}
