/// Text read from the audited database, kept losslessly.
///
/// The contract compares ids "exactly, as text", so two different byte strings must never become
/// equal in memory. Valid UTF-8 (the normal case) becomes an ordinary `String`. A byte that is not
/// part of valid UTF-8 is kept as the private-use scalar `U+10FF00 + byte` (an idea borrowed from
/// Python's `surrogateescape`), so distinct inputs stay distinct; renderers show such bytes as
/// U+FFFD with `DBText.display(_:)`, and `DBText.bytes(_:)` gives the original bytes back.
///
/// A real U+10FF00…U+10FFFF in valid text would look like an escaped byte, so its four bytes are
/// escaped one by one too: `decode` is injective and `bytes(decode(x)) == x` for every `x`.
package enum DBText {
    static let escapeBase: UInt32 = 0x10_FF00

    /// Decodes bytes from SQLite.
    package static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        // U+10FF00 and above start with 0xF4; text without that byte needs no look at its scalars.
        if let valid = String(validating: bytes, as: UTF8.self),
            !bytes.contains(0xF4) || !valid.unicodeScalars.contains(where: { $0.value >= escapeBase })
        {
            return valid
        }
        var scalars = String.UnicodeScalarView()
        var index = 0
        while index < bytes.count {
            if let (scalar, length) = decodeScalar(bytes, at: index), scalar.value < escapeBase {
                scalars.append(scalar)
                index += length
            } else {
                // U+10FF00...U+10FFFF are all valid scalars; the fallback is never taken.
                scalars.append(Unicode.Scalar(escapeBase + UInt32(bytes[index])) ?? "\u{FFFD}")
                index += 1
            }
        }
        return String(scalars)
    }

    /// Decodes bytes from any collection (tests, fixtures).
    package static func decode(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBufferPointer { decode($0) }
    }

    /// The bytes `text` was decoded from: each escaped byte as itself, everything else as UTF-8.
    package static func bytes(_ text: String) -> [UInt8] {
        guard text.unicodeScalars.contains(where: { $0.value >= escapeBase }) else { return Array(text.utf8) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if scalar.value >= escapeBase {
                bytes.append(UInt8(truncatingIfNeeded: scalar.value - escapeBase))
            } else {
                bytes.append(contentsOf: String(scalar).utf8)
            }
        }
        return bytes
    }

    /// Whether `text` holds bytes that are not valid UTF-8 (escaped, see above).
    package static func hasEscapedBytes(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.value >= escapeBase }
    }

    /// `text` with every escaped byte shown as U+FFFD, for people and report formats.
    package static func display(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value >= escapeBase }) else { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            scalars.append(scalar.value >= escapeBase ? "\u{FFFD}" : scalar)
        }
        return String(scalars)
    }

    /// One well-formed UTF-8 sequence at `index` (no overlongs, surrogates or values past
    /// U+10FFFF), or nil.
    private static func decodeScalar(
        _ bytes: UnsafeBufferPointer<UInt8>, at index: Int
    ) -> (Unicode.Scalar, Int)? {
        let lead = bytes[index]
        let length: Int
        let minimum: UInt32
        var value: UInt32
        switch lead {
        case 0x00...0x7F: return (Unicode.Scalar(lead), 1)
        case 0xC2...0xDF: length = 2; minimum = 0x80; value = UInt32(lead & 0x1F)
        case 0xE0...0xEF: length = 3; minimum = 0x800; value = UInt32(lead & 0x0F)
        case 0xF0...0xF4: length = 4; minimum = 0x1_0000; value = UInt32(lead & 0x07)
        default: return nil
        }
        guard index + length <= bytes.count else { return nil }
        for offset in 1..<length {
            let byte = bytes[index + offset]
            guard byte & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        guard value >= minimum, let scalar = Unicode.Scalar(value) else { return nil }
        return (scalar, length)
    }
}
