internal import CAccessAuditSQLite

/// A `grant_id` (or `event_id`) as the contract compares it: as text, `CAST(x AS TEXT)`.
///
/// The contract declares `grant_id INTEGER PRIMARY KEY`, but no constraint is assumed to hold: a
/// foreign system may store text, reals or NULL. One representation per text
/// (`DatabaseAudit.grantID`): an integer, or a text or blob whose text is an integer's (`1`), is
/// `.integer` (a JSON number); a REAL, or a text or blob whose text is what a REAL's `CAST`
/// gives (`1.0`, `1.0e+20`), is `.real`, identified by that text alone (`0.1` and the next double
/// up are both `0.1`: one id); anything else is `.text` (JSON strings). So equality, hashing and
/// keys follow the text. Ordering follows SQLite's: NULL, then numbers by value (an integer
/// before a real of the same value), then text by bytes.
public enum GrantID: Sendable, Hashable, Comparable, CustomStringConvertible {
    case null
    case integer(Int64)
    /// A REAL's text (`CAST(x AS TEXT)`) and the number that text reads as.
    case real(Double, text: String)
    case text(String)

    public var description: String {
        switch self {
        case .null: "NULL"
        case .integer(let value): String(value)
        case .real(_, let text), .text(let text): text
        }
    }

    /// The id of a REAL `value` whose `CAST(x AS TEXT)` is `text`: its number is the one the text
    /// reads as, so reals of one text are one id in ordering too.
    static func fromReal(_ value: Double, text: String) -> GrantID {
        .real(Double(text) ?? value, text: text)
    }

    /// The id a text or blob holding `text` is (ids compare as text, CONTRACT.md §2): the integer
    /// whose canonical `CAST` text it is exactly (`1`, `-7`; not `01`, `+1` or `1.0`), else the REAL
    /// whose `CAST` text it is exactly (`1.0`, `1.0e+20`, `Inf`; not `1e0` or `1.00`), else the
    /// text. `TableOrder.canonicalID` is the same definition in SQL.
    public init(text: String) {
        if let value = Int64(text), String(value) == text {
            self = .integer(value)
            return
        }
        // A REAL's text has a digit or `I` (Inf) and only these characters.
        if text.utf8.contains(where: { $0 >= 0x30 && $0 <= 0x39 || $0 == 0x49 }),
            text.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || "+-.eInf".utf8.contains($0) }),
            let value = Double(text), GrantID.realText(value) == text
        {
            self = .real(value, text: text)
            return
        }
        self = .text(text)
    }

    /// SQLite's text of a REAL: its own printf, with the format `CAST` uses (`%!.15g`).
    static func realText(_ value: Double) -> String {
        guard let pointer = withVaList([value], { sqlite3_vmprintf("%!.15g", $0) }) else { return String(value) }
        defer { sqlite3_free(pointer) }
        return String(cString: pointer)
    }

    private var order: Int {
        switch self {
        case .null: 0
        case .integer: 1
        case .real: 2
        case .text: 3
        }
    }

    private var number: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .real(let value, _): value
        default: nil
        }
    }

    /// Byte for byte for text (never Unicode canonical equivalence, see `ExactText`); a REAL by
    /// its text.
    public static func == (lhs: GrantID, rhs: GrantID) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.integer(let a), .integer(let b)): return a == b
        case (.real(_, let x), .real(_, let y)): return ExactText.equal(x, y)
        case (.text(let a), .text(let b)): return ExactText.equal(a, b)
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .integer(let value): hasher.combine(value)
        case .real(_, let text):
            hasher.combine(1)
            hasher.combine(ExactText(text))
        case .text(let text): hasher.combine(ExactText(text))
        }
    }

    public static func < (lhs: GrantID, rhs: GrantID) -> Bool {
        switch (lhs, rhs) {
        case (.integer(let a), .integer(let b)): return a < b
        case (.text(let a), .text(let b)): return a.utf8.lexicographicallyPrecedes(b.utf8)
        case (.real(let a, let x), .real(let b, let y)): return a != b ? a < b : x.utf8.lexicographicallyPrecedes(y.utf8)
        default:
            if let a = lhs.number, let b = rhs.number, a != b { return a < b }
            return lhs.order < rhs.order
        }
    }
}
