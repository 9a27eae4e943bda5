import Foundation

/// The §2 text semantics on raw bytes, for the fast engine (no String is made).
extension Blank {
    /// NULL, or only whitespace.
    @inline(__always)
    static func isBlank(bytes: UnsafeBufferPointer<UInt8>?) -> Bool {
        guard let bytes else { return true }
        for byte in bytes where !isWhitespace(byte) { return false }
        return true
    }

    /// The bytes without surrounding whitespace.
    @inline(__always)
    static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var start = 0
        var end = bytes.count
        while start < end, isWhitespace(bytes[start]) { start += 1 }
        while end > start, isWhitespace(bytes[end - 1]) { end -= 1 }
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }

    /// Same person on bytes: both non-blank, equal after trimming, ASCII case ignored.
    static func samePerson(bytes lhs: UnsafeBufferPointer<UInt8>?, _ rhs: UnsafeBufferPointer<UInt8>?) -> Bool {
        guard let lhs, let rhs else { return false }
        let a = trimmed(lhs)
        let b = trimmed(rhs)
        guard a.count == b.count, a.count > 0 else { return false }
        for index in 0..<a.count where asciiLower(a[index]) != asciiLower(b[index]) { return false }
        return true
    }

    /// `active` after trimming, ASCII case ignored.
    static func isActiveStatus(bytes: UnsafeBufferPointer<UInt8>?) -> Bool {
        guard let bytes else { return false }
        let word = trimmed(bytes)
        guard word.count == 6 else { return false }
        return asciiLower(word[0]) == UInt8(ascii: "a") && asciiLower(word[1]) == UInt8(ascii: "c")
            && asciiLower(word[2]) == UInt8(ascii: "t") && asciiLower(word[3]) == UInt8(ascii: "i")
            && asciiLower(word[4]) == UInt8(ascii: "v") && asciiLower(word[5]) == UInt8(ascii: "e")
    }

    /// Exact byte equality of two optional values.
    @inline(__always)
    static func equal(bytes lhs: UnsafeBufferPointer<UInt8>?, _ rhs: UnsafeBufferPointer<UInt8>?) -> Bool {
        switch (lhs, rhs) {
        case (nil, nil): return true
        case (let a?, let b?):
            guard a.count == b.count else { return false }
            if a.count == 0 { return true }
            guard let x = a.baseAddress, let y = b.baseAddress else { return false }
            return memcmp(x, y, a.count) == 0
        default: return false
        }
    }
}
