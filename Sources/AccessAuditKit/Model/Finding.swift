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
    public var evidence: Evidence
    /// Rule-specific fields of the contract.
    public var reason: String? {
        get { details.reason }
        set { details.reason = newValue }
    }
    public var column: String? {
        get { details.column }
        set { details.column = newValue }
    }
    public var eventID: GrantID? {
        get { details.eventID }
        set { details.eventID = newValue }
    }
    public var orgType: String? {
        get { details.orgType }
        set { details.orgType = newValue }
    }
    public var table: String? {
        get { details.table }
        set { details.table = newValue }
    }
    /// The waiver that applies, if any (see `--waivers`).
    public var waiver: WaiverStatus? {
        get { details.waiver }
        set { details.waiver = newValue }
    }
    /// Against a baseline report: new since it, or already in it (see `--baseline`).
    public var change: BaselineChange? {
        get { details.change }
        set { details.change = newValue }
    }
    /// Against a baseline: `change` is `.new` although the key was in it, because the finding's
    /// subject changed (see `FindingSubject`).
    public var subjectChangedSinceBaseline: Bool {
        get { details.subjectChangedSinceBaseline }
        set { details.subjectChangedSinceBaseline = newValue }
    }
    /// Against a baseline: when the finding was first seen and in how many consecutive runs.
    public var history: FindingHistory? {
        get { details.history }
        set { details.history = newValue }
    }
    /// Against a baseline: the baseline's copy was waived (see `BaselineChange.counts`).
    public var waivedInBaseline: Bool {
        get { details.waivedInBaseline }
        set { details.waivedInBaseline = newValue }
    }
    /// Against a baseline: the baseline's copy could decide its verdict (not waived, at or above
    /// its run's `fail_on`: `Baseline.heeded`, `BaselineChange.counts`).
    public var heededInBaseline: Bool {
        get { details.heededInBaseline }
        set { details.heededInBaseline = newValue }
    }

    /// The fields most findings leave unset, behind one reference that is nil when all are: a
    /// finding is 136 bytes instead of 280 with them inline, and an audit at national scale holds
    /// 94k of them.
    private var detailsBox: DetailsBox?

    private var details: FindingDetails {
        get { detailsBox?.details ?? FindingDetails() }
        set { detailsBox = newValue == FindingDetails() ? nil : DetailsBox(newValue) }
    }

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
        self.evidence = evidence
        details = FindingDetails(reason: reason, column: column, eventID: eventID, orgType: orgType, table: table)
    }
}

/// Builds finding keys: `rule:part:part…` (CONTRACT.md §5: unique within a report, and each id
/// encoded reversibly, byte for byte).
///
/// A part keeps the printable ASCII bytes of its id except `%`, `:` and `#`; every other byte
/// (space, controls, NUL, DEL, any byte of non-ASCII text, bytes that are not UTF-8) is `%XX`. NULL
/// is `%N`, a text grant_id is prefixed `%T` and a real one `%R`, so keys made of different ids
/// never collide and `decode` gives every id's bytes back. When several findings of one report
/// would share a key (repeated grant ids, account ids or event ids), the second and later get a
/// last part `#2`, `#3`… in report order (`makeUnique`).
package enum FindingKey {
    /// Joins the rule and already-encoded parts.
    package static func make(_ rule: String, _ parts: String...) -> String {
        ([rule] + parts).joined(separator: ":")
    }

    /// An optional id or value as a key part.
    package static func encode(_ part: String?) -> String {
        guard let part else { return "%N" }
        if part.utf8.allSatisfy(isKept) { return part }
        let hex = Array("0123456789ABCDEF".utf8)
        var encoded: [UInt8] = []
        for byte in DBText.bytes(part) {
            if isKept(byte) {
                encoded.append(byte)
            } else {
                encoded += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: encoded, as: UTF8.self)
    }

    /// A grant id as a key part.
    package static func encode(_ id: GrantID) -> String {
        switch id {
        case .null: "%N"
        case .integer(let value): String(value)
        case .real(_, let text): "%R" + encode(text)
        case .text(let value): "%T" + encode(value)
        }
    }

    /// The bytes of an id encoded by `encode(_: String?)`, nil for `%N` or a malformed part.
    package static func decode(_ part: Substring) -> [UInt8]? {
        if part == "%N" { return nil }
        var bytes: [UInt8] = []
        var iterator = part.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
            bytes.append(high << 4 | low)
        }
        return bytes
    }

    /// Gives the second and later findings that share a key a last part `#2`, `#3`… in order.
    package static func makeUnique(_ findings: inout [Finding]) {
        var seen: [String: Int] = [:]
        var repeated = false
        for finding in findings {
            seen[finding.key, default: 0] += 1
            if seen[finding.key, default: 0] > 1 { repeated = true }
        }
        guard repeated else { return }
        var next: [String: Int] = [:]
        for index in findings.indices where seen[findings[index].key, default: 0] > 1 {
            let key = findings[index].key
            let occurrence = next[key, default: 1]
            next[key] = occurrence + 1
            if occurrence > 1 { findings[index].key = key + ":#" + String(occurrence) }
        }
    }

    private static func isKept(_ byte: UInt8) -> Bool {
        byte > 0x20 && byte < 0x7F && byte != UInt8(ascii: "%") && byte != UInt8(ascii: ":") && byte != UInt8(ascii: "#")
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
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

/// The rarely set fields of a `Finding` (see `Finding.detailsBox`).
struct FindingDetails: Sendable, Hashable {
    var reason: String?
    var column: String?
    var eventID: GrantID?
    var orgType: String?
    var table: String?
    var waiver: WaiverStatus?
    var change: BaselineChange?
    var subjectChangedSinceBaseline = false
    var history: FindingHistory?
    var waivedInBaseline = false
    var heededInBaseline = true
}

/// `FindingDetails` behind one reference. Immutable (a change makes a new box), compared by value.
final class DetailsBox: Hashable, Sendable {
    let details: FindingDetails

    init(_ details: FindingDetails) {
        self.details = details
    }

    static func == (lhs: DetailsBox, rhs: DetailsBox) -> Bool { lhs.details == rhs.details }

    func hash(into hasher: inout Hasher) { hasher.combine(details) }
}
