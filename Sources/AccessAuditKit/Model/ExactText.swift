/// Text that compares and hashes byte for byte, as the contract compares ids, levels, org types
/// and scopes ("exactly, as text").
///
/// Swift's `String` `==`, `<` and hashing are Unicode canonical equivalence: `"caf\u{E9}"` (NFC)
/// equals `"cafe\u{301}"` (NFD), and even `"\u{212A}"` (KELVIN SIGN) equals `"K"`. Two different
/// database values must never be one key, so every dictionary key and comparison of rule
/// evaluation uses this type (or `ExactText.equal`), never a bare `String`. The bytes compared are
/// the String's UTF-8, which `DBText.decode` makes injective in the database's bytes.
package struct ExactText: Hashable, Comparable, Sendable, CustomStringConvertible {
    package let string: String

    @inlinable
    package init(_ string: String) {
        self.string = string
    }

    /// nil for NULL.
    @inlinable
    package init?(_ string: String?) {
        guard let string else { return nil }
        self.string = string
    }

    package var description: String { string }

    @inlinable
    package static func == (lhs: ExactText, rhs: ExactText) -> Bool {
        ExactText.equal(lhs.string, rhs.string)
    }

    /// By bytes (SQLite's BINARY collation).
    @inlinable
    package static func < (lhs: ExactText, rhs: ExactText) -> Bool {
        lhs.string.utf8.lexicographicallyPrecedes(rhs.string.utf8)
    }

    @inlinable
    package func hash(into hasher: inout Hasher) {
        let utf8 = string.utf8
        hasher.combine(utf8.count)
        if utf8.withContiguousStorageIfAvailable({ hasher.combine(bytes: UnsafeRawBufferPointer($0)) }) == nil {
            for byte in utf8 { hasher.combine(byte) }
        }
    }

    /// Byte equality of two texts.
    @inlinable
    package static func equal(_ lhs: String, _ rhs: String) -> Bool {
        let a = lhs.utf8
        let b = rhs.utf8
        guard a.count == b.count else { return false }
        return a.elementsEqual(b)
    }

    /// Byte equality of two optional texts (NULL equals only NULL).
    @inlinable
    package static func equal(_ lhs: String?, _ rhs: String?) -> Bool {
        switch (lhs, rhs) {
        case (nil, nil): return true
        case (let a?, let b?): return equal(a, b)
        default: return false
        }
    }
}
