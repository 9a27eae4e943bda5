/// The contract's §2 text semantics: blank values, trimming, same person, active status.
///
/// Whitespace here is exactly space, tab, CR, LF, VT and FF (ASCII only, as the contract says),
/// never Unicode's wider notion.
package enum Blank {
    /// Space, tab, LF, VT, FF, CR.
    @inlinable
    package static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }

    /// NULL, or text that is empty or only whitespace.
    package static func isBlank(_ value: String?) -> Bool {
        guard let value else { return true }
        return value.utf8.allSatisfy(isWhitespace)
    }

    /// nil when blank, the value untouched otherwise.
    package static func nonBlank(_ value: String?) -> String? {
        isBlank(value) ? nil : value
    }

    /// The value without leading and trailing whitespace.
    package static func trimmed(_ value: String) -> Substring {
        let utf8 = value.utf8
        guard let first = utf8.firstIndex(where: { !isWhitespace($0) }),
            let last = utf8.lastIndex(where: { !isWhitespace($0) })
        else { return value[value.endIndex...] }
        // Whitespace is ASCII, so these byte positions are character boundaries.
        return value[first...last]
    }

    /// Two names are the same person when both are non-blank and equal after trimming,
    /// ignoring ASCII case.
    package static func samePerson(_ lhs: String?, _ rhs: String?) -> Bool {
        guard let lhs, let rhs, !isBlank(lhs), !isBlank(rhs) else { return false }
        return asciiCaseInsensitiveEqual(trimmed(lhs).utf8, trimmed(rhs).utf8)
    }

    /// `status`, trimmed, equals `active` ignoring ASCII case.
    package static func isActiveStatus(_ status: String?) -> Bool {
        guard let status else { return false }
        return asciiCaseInsensitiveEqual(trimmed(status).utf8, "active".utf8)
    }

    static func asciiCaseInsensitiveEqual(_ lhs: Substring.UTF8View, _ rhs: some Collection<UInt8>)
        -> Bool
    {
        guard lhs.count == rhs.count else { return false }
        return zip(lhs, rhs).allSatisfy { asciiLower($0) == asciiLower($1) }
    }

    @inline(__always)
    static func asciiLower(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }
}
