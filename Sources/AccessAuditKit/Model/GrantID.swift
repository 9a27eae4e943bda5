/// A `grant_id` as the database holds it.
///
/// The contract declares `grant_id INTEGER PRIMARY KEY`, but no constraint is assumed to hold: a
/// foreign system may store text, reals or NULL. Integers stay integers (JSON numbers); anything
/// else is kept as its text (JSON strings). Ordering follows SQLite's: NULL, then numbers by value,
/// then text by bytes.
public enum GrantID: Sendable, Hashable, Comparable, CustomStringConvertible {
    case null
    case integer(Int64)
    /// A REAL, with the text SQLite gives it.
    case real(Double, text: String)
    case text(String)

    /// The id a text or blob holding `text` is (ids compare as text, CONTRACT.md §2): the integer
    /// whose canonical `CAST` text it is exactly (`1`, `-7`; not `01`, `+1` or `1.0`), else the text.
    public init(text: String) {
        if let value = Int64(text), String(value) == text { self = .integer(value) } else { self = .text(text) }
    }

    public var description: String {
        switch self {
        case .null: "NULL"
        case .integer(let value): String(value)
        case .real(_, let text), .text(let text): text
        }
    }

    private var order: Int {
        switch self {
        case .null: 0
        case .integer, .real: 1
        case .text: 2
        }
    }

    private var number: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .real(let value, _): value
        default: nil
        }
    }

    /// Byte for byte for text (never Unicode canonical equivalence, see `ExactText`).
    public static func == (lhs: GrantID, rhs: GrantID) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.integer(let a), .integer(let b)): return a == b
        case (.real(let a, let x), .real(let b, let y)): return a == b && ExactText.equal(x, y)
        case (.text(let a), .text(let b)): return ExactText.equal(a, b)
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .integer(let value): hasher.combine(value)
        case .real(let value, let text):
            hasher.combine(value)
            hasher.combine(ExactText(text))
        case .text(let text): hasher.combine(ExactText(text))
        }
    }

    public static func < (lhs: GrantID, rhs: GrantID) -> Bool {
        switch (lhs, rhs) {
        case (.integer(let a), .integer(let b)): return a < b
        case (.text(let a), .text(let b)): return a.utf8.lexicographicallyPrecedes(b.utf8)
        default:
            if let a = lhs.number, let b = rhs.number { return a < b }
            return lhs.order < rhs.order
        }
    }
}
