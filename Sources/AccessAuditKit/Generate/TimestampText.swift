/// Fast `YYYY-MM-DDTHH:MM:SSZ` text for the generator (millions of timestamps).
struct TimestampText {
    private var dayCache: [Int64: [UInt8]] = [:]

    mutating func text(_ seconds: Int64) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        var bytes = dayCache[days] ?? {
            let (y, m, d) = Timestamp.civil(fromDays: days)
            let prefix = Array(String(format4(y) + "-" + format2(m) + "-" + format2(d) + "T").utf8)
            dayCache[days] = prefix
            return prefix
        }()
        let second = seconds - days * 86_400
        for (value, separator) in [(second / 3600, UInt8(ascii: ":")), (second / 60 % 60, UInt8(ascii: ":")), (second % 60, UInt8(ascii: "Z"))] {
            bytes.append(UInt8(48 + value / 10))
            bytes.append(UInt8(48 + value % 10))
            bytes.append(separator)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private func format2(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
    private func format4(_ value: Int64) -> String { String(repeating: "0", count: max(0, 4 - String(value).count)) + String(value) }
}
