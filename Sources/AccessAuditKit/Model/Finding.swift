import Foundation

/// One problem the audit found, with the evidence a reviewer needs.
///
/// The first fields are the contract's (§5); `evidence` is this tool's addition: what was
/// expected, what was found, and the facts behind it, in a fixed order.
public struct Finding: Sendable, Hashable {
    public var rule: String
    public var severity: Severity
    public var accountID: String?
    public var grantID: GrantID?
    public var orgID: String?
    public var message: String
    /// Stable across runs for the same underlying problem: the rule plus the ids it is about.
    public var key: String
    /// Rule-specific fields of the contract.
    public var reason: String?
    public var column: String?
    public var eventID: GrantID?
    public var orgType: String?
    public var table: String?
    public var evidence: Evidence
    /// The waiver that applies, if any (see `--waivers`). Boxed: a finding stays small however
    /// many of them an audit holds.
    public var waiver: WaiverStatus? {
        get { waiverBox?.status }
        set { waiverBox = newValue.map(WaiverBox.init) }
    }
    private var waiverBox: WaiverBox?
    /// Against a baseline report: new since it, or already in it (see `--baseline`).
    public var change: BaselineChange?

    public init(
        rule: String, severity: Severity, accountID: String? = nil, grantID: GrantID? = nil,
        orgID: String? = nil, message: String, key: String,
        reason: String? = nil, column: String? = nil, eventID: GrantID? = nil,
        orgType: String? = nil, table: String? = nil, evidence: Evidence = Evidence()
    ) {
        self.rule = rule
        self.severity = severity
        self.accountID = accountID
        self.grantID = grantID
        self.orgID = orgID
        self.message = message
        self.key = key
        self.reason = reason
        self.column = column
        self.eventID = eventID
        self.orgType = orgType
        self.table = table
        self.evidence = evidence
    }
}

/// Builds finding keys: `rule:part:part…`. Each id is percent-encoded (`%` and `:`), NULL is
/// `%N` and a text grant_id is prefixed `%T`, so keys made of different ids never collide.
public enum FindingKey {
    /// Joins the rule and already-encoded parts.
    public static func make(_ rule: String, _ parts: String...) -> String {
        ([rule] + parts).joined(separator: ":")
    }

    /// An optional id or value as a key part.
    public static func encode(_ part: String?) -> String {
        guard let part else { return "%N" }
        guard part.contains(where: { $0 == "%" || $0 == ":" }) else { return part }
        return part.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: ":", with: "%3A")
    }

    /// A grant id as a key part.
    public static func encode(_ id: GrantID) -> String {
        switch id {
        case .null: "%N"
        case .integer(let value): String(value)
        case .real(_, let text): "%R" + encode(text)
        case .text(let value): "%T" + encode(value)
        }
    }
}

/// The facts behind a finding, as ordered label/value pairs (nil values are left out).
public struct Evidence: Sendable, Hashable {
    public private(set) var items: [Item]

    public struct Item: Sendable, Hashable {
        public let label: String
        public let value: String
    }

    public init(_ pairs: KeyValuePairs<String, String?> = [:]) {
        items = pairs.compactMap { label, value in value.map { Item(label: label, value: $0) } }
    }

    public subscript(label: String) -> String? {
        items.first { $0.label == label }?.value
    }

    public mutating func append(_ label: String, _ value: String?) {
        if let value { items.append(Item(label: label, value: value)) }
    }
}

/// A waiver status behind one reference (see `Finding.waiver`). Immutable, compared by value.
final class WaiverBox: Hashable, Sendable {
    let status: WaiverStatus

    init(_ status: WaiverStatus) {
        self.status = status
    }

    static func == (lhs: WaiverBox, rhs: WaiverBox) -> Bool { lhs.status == rhs.status }

    func hash(into hasher: inout Hasher) { hasher.combine(status) }
}
