@testable import AccessAuditKit
import Foundation
import Testing

/// Property tests with a fixed seed, run for a bounded number of cases in every CI run: the
/// timestamp parser against an independent model, and the lossless text decoding.
struct PropertyTests {
    /// An independent reading of CONTRACT.md §2: a regular expression for the form, then the ranges,
    /// then Foundation's calendar for the instant (years 1900-2100, where it is proleptic Gregorian).
    static let pattern = try! NSRegularExpression(
        pattern: #"^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]+))?)?(Z|([+-])([0-9]{2}):([0-9]{2}))?)?$"#)

    static func model(_ text: String) -> (valid: Bool, seconds: Int64?) {
        let range = NSRange(text.startIndex..., in: text)
        guard let match = pattern.firstMatch(in: text, range: range) else { return (false, nil) }
        func group(_ index: Int) -> Int? {
            guard let range = Range(match.range(at: index), in: text) else { return nil }
            return Int(text[range])
        }
        let (year, month, day) = (group(1)!, group(2)!, group(3)!)
        let (hour, minute, second) = (group(4) ?? 0, group(5) ?? 0, group(6) ?? 0)
        let zoneSign = Range(match.range(at: 9), in: text).map { text[$0] == "-" ? -1 : 1 } ?? 1
        let (zoneHour, zoneMinute) = (group(10) ?? 0, group(11) ?? 0)
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard year >= 1, (1...12).contains(month), day >= 1, day <= days[month - 1], hour < 24, minute < 60, second < 60,
            zoneHour < 24, zoneMinute < 60
        else { return (false, nil) }
        guard (1900...2100).contains(year) else { return (true, nil) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let date = calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second))!
        return (true, Int64(date.timeIntervalSince1970) - Int64(zoneSign * (zoneHour * 3600 + zoneMinute * 60)))
    }

    static let seeds = [
        "2019-03-07", "2019-03-07T09:12", "2019-03-07 09:12:05", "2024-02-29T23:59:59.123Z", "2019-12-31T23:30:00-05:30",
        "2000-02-29T00:00+14:00", "1999-01-01T00:00:00.000000000001Z",
    ]
    static let alphabet = Array("0123456789-:T Z+.tz/")

    @Test("The timestamp parser agrees with an independent model on 20,000 mutated stamps")
    func timestamps() {
        var random = SplitMix64(seed: 2026)
        var valid = 0
        for index in 0..<20_000 {
            var chars = Array(Self.seeds[index % Self.seeds.count])
            for _ in 0..<Int(random.int(0...3)) {
                let position = Int(random.int(0...Int64(chars.count)))
                switch random.int(0...2) {
                case 0 where position < chars.count: chars[position] = Self.alphabet[Int(random.int(0...Int64(Self.alphabet.count - 1)))]
                case 1 where position < chars.count: chars.remove(at: position)
                default: chars.insert(Self.alphabet[Int(random.int(0...Int64(Self.alphabet.count - 1)))], at: position)
                }
            }
            let text = String(chars)
            let expected = Self.model(text)
            let parsed = Timestamp(text)
            #expect((parsed != nil) == expected.valid, "\(text)")
            if let seconds = expected.seconds, let parsed { #expect(parsed.seconds == seconds, "\(text)") }
            if parsed != nil { valid += 1 }
        }
        // Both sides of the boundary were explored.
        #expect(valid > 2_000 && valid < 18_000, "\(valid) valid")
    }

    @Test("Text decoding is lossless: different bytes never decode to the same String")
    func decoding() {
        var random = SplitMix64(seed: 7)
        var seen: [String: [UInt8]] = [:]
        for _ in 0..<20_000 {
            let count = Int(random.int(0...6))
            let bytes = (0..<count).map { _ in random.chance(0.5) ? UInt8(random.int(0x61...0x63)) : UInt8(random.int(0x80...0xFF)) }
            let text = DBText.decode(bytes)
            if let earlier = seen[text] { #expect(earlier == bytes) } else { seen[text] = bytes }
            if let valid = String(validating: bytes, as: UTF8.self) { #expect(text == valid) }
            #expect(!DBText.display(text).unicodeScalars.contains { $0.value >= 0x10_FF00 })
        }
        #expect(seen.count > 5_000)
    }
}

extension PropertyTests {
    @Test("Random and mutated .sql text never crashes: it loads and audits, or is one clear error")
    func sqlText() throws {
        let sample = try String(contentsOf: Fixture.root.appendingPathComponent("samples/national-statistics.sql"), encoding: .utf8)
        let bytes = Array(sample.utf8)
        var random = SplitMix64(seed: 31)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sqlfuzz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var loaded = 0
        var refused = 0
        for index in 0..<150 {
            var mutated = bytes
            if index % 3 == 0 {
                mutated = (0..<Int(random.int(0...400))).map { _ in UInt8(random.int(0...255)) }
            } else {
                for _ in 0..<Int(random.int(1...8)) {
                    mutated[Int(random.int(0...Int64(mutated.count - 1)))] = UInt8(random.int(0...255))
                }
            }
            let path = directory.appendingPathComponent("fuzz-\(index).sql").path
            try Data(mutated).write(to: URL(fileURLWithPath: path))
            do {
                let connection = try AuditSource.open(path)
                _ = try DatabaseAudit.run(connection, database: path, options: AuditOptions(now: RuleExample.now))
                loaded += 1
            } catch let error as AuditError {
                #expect(!(error.errorDescription ?? "").isEmpty)
                #expect(!(error.errorDescription ?? "").contains("\n"))
                refused += 1
            }
        }
        #expect(loaded + refused == 150)
        #expect(refused > 0)
    }
}
