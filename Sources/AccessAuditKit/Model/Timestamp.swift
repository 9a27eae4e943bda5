/// An instant, parsed exactly as CONTRACT.md §2 allows.
///
/// Accepted: `YYYY-MM-DD`, or that followed by `T` or one space and `HH:MM` or `HH:MM:SS`
/// (the latter with an optional `.fraction` of any number of digits), then optionally `Z` or
/// `±HH:MM`. No zone means UTC. Every field must be real. Nothing else parses: no surrounding
/// whitespace, no lower-case `t`/`z`, no leap seconds, no fraction after `HH:MM`.
///
/// The instant is kept as UTC seconds since 1970 plus the fraction's digits (trailing zeros
/// dropped), so comparisons are exact however many digits the fraction has.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z (negative before).
    public let seconds: Int64
    /// Decimal digits after the point, without trailing zeros ("" for a whole second).
    public let fraction: String

    public init(seconds: Int64, fraction: String = "") {
        self.seconds = seconds
        var digits = Substring(fraction)
        while digits.last == "0" { digits.removeLast() }
        self.fraction = String(digits)
    }

    /// Parses `text`, or returns nil when it is not a valid contract timestamp.
    public init?(_ text: String) {
        var text = text
        guard let parsed = text.withUTF8({ Timestamp.parse($0) }) else { return nil }
        self = parsed
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        if lhs.seconds != rhs.seconds { return lhs.seconds < rhs.seconds }
        // Digit strings without trailing zeros compare as decimal fractions lexicographically.
        return lhs.fraction.utf8.lexicographicallyPrecedes(rhs.fraction.utf8)
    }

    /// This instant moved by whole seconds (the fraction is kept), saturating rather than
    /// overflowing at the ends of `Int64`.
    public func adding(seconds delta: Int64) -> Timestamp {
        let (sum, overflow) = seconds.addingReportingOverflow(delta)
        return Timestamp(seconds: overflow ? (delta < 0 ? .min : .max) : sum, fraction: fraction)
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`, the contract's JSON form (the fraction is not shown).
    public var description: String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = Timestamp.civil(fromDays: days)
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3600, 2)):"
            + "\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))Z"
    }

    private func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    // MARK: Parsing

    static func parse(_ b: UnsafeBufferPointer<UInt8>) -> Timestamp? {
        let count = b.count
        guard count >= 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
            let year = digits(b, 0, 4), let month = digits(b, 5, 2), let day = digits(b, 8, 2),
            year >= 1, (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year)
        else { return nil }
        var secondOfDay: Int64 = 0
        var fraction = ""
        var offset: Int64 = 0
        if count > 10 {
            guard b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: " "), count >= 16,
                b[13] == UInt8(ascii: ":"),
                let hour = digits(b, 11, 2), let minute = digits(b, 14, 2), hour < 24, minute < 60
            else { return nil }
            secondOfDay = hour * 3600 + minute * 60
            var position = 16
            if position < count, b[position] == UInt8(ascii: ":") {
                guard let second = digits(b, position + 1, 2), second < 60 else { return nil }
                secondOfDay += second
                position += 3
                if position < count, b[position] == UInt8(ascii: ".") {
                    let start = position + 1
                    var end = start
                    while end < count, isDigit(b[end]) { end += 1 }
                    guard end > start else { return nil }
                    fraction = String(decoding: UnsafeBufferPointer(rebasing: b[start..<end]), as: UTF8.self)
                    position = end
                }
            }
            if position < count {
                switch b[position] {
                case UInt8(ascii: "Z"):
                    position += 1
                case UInt8(ascii: "+"), UInt8(ascii: "-"):
                    guard position + 6 <= count, b[position + 3] == UInt8(ascii: ":"),
                        let zoneHour = digits(b, position + 1, 2), let zoneMinute = digits(b, position + 4, 2),
                        zoneHour < 24, zoneMinute < 60
                    else { return nil }
                    let sign: Int64 = b[position] == UInt8(ascii: "+") ? 1 : -1
                    offset = sign * (zoneHour * 3600 + zoneMinute * 60)
                    position += 6
                default:
                    return nil
                }
            }
            guard position == count else { return nil }
        }
        let days = daysFromCivil(year: year, month: month, day: day)
        let instant = days * 86_400 + secondOfDay - offset
        // The fields are real, but a zone can still move the instant out of the contract's years
        // (`9999-12-31T23:59-23:59` is in year 10000 in UTC): such a value is no timestamp.
        guard (firstSecond...lastSecond).contains(instant) else { return nil }
        return Timestamp(seconds: instant, fraction: fraction)
    }

    /// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z, the first and last whole seconds a timestamp
    /// may denote (CONTRACT.md §2: years 0001-9999, which bounds the UTC instant, not only the
    /// fields; a fraction of the last second is still in year 9999).
    static let firstSecond = daysFromCivil(year: 1, month: 1, day: 1) * 86_400
    static let lastSecond = daysFromCivil(year: 9999, month: 12, day: 31) * 86_400 + 86_399

    @inline(__always)
    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    private static func digits(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ length: Int) -> Int64? {
        guard start + length <= b.count else { return nil }
        var value: Int64 = 0
        for index in start..<(start + length) {
            guard isDigit(b[index]) else { return nil }
            value = value * 10 + Int64(b[index] - 0x30)
        }
        return value
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's algorithm).
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
