import Testing

@testable import AccessAuditKit

/// The HTML report's template search (`BytePattern`) is linear: it finds what a naive search
/// finds, and its byte comparisons are counted rather than timed, so a quadratic search fails here
/// on any machine.
@Suite struct BytePatternTests {
    /// The naive search: the pattern compared at every position.
    static func naive(_ needle: [UInt8], _ haystack: [UInt8], from start: Int) -> Int? {
        guard haystack.count - start >= needle.count else { return nil }
        return (start...(haystack.count - needle.count)).first { haystack[$0..<$0 + needle.count].elementsEqual(needle) }
    }

    @Test("Finds what a naive search finds, from every start, on random bytes of a small alphabet")
    func equivalence() {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<3_000 {
            let needle = (0..<Int.random(in: 1...6, using: &random)).map { _ in UInt8.random(in: 97...99, using: &random) }
            let haystack = (0..<Int.random(in: 0...30, using: &random)).map { _ in UInt8.random(in: 97...99, using: &random) }
            let pattern = BytePattern(needle)
            for start in 0...haystack.count {
                #expect(pattern.firstOccurrence(in: haystack, from: start) == BytePatternTests.naive(needle, haystack, from: start))
            }
        }
    }

    @Test("At most two byte comparisons per byte searched, on long runs of one byte (naive: length squared)")
    func linear() {
        let run = 200_000
        let cases: [(needle: [UInt8], haystack: [UInt8], found: Int?)] = [
            (Array(repeating: 0x61, count: run + 1) + [0x78], Array(repeating: 0x61, count: run * 2), nil),
            (Array(repeating: 0x61, count: run / 2) + [0x78], Array(repeating: 0x61, count: run) + [0x78], run / 2),
            (Array(repeating: 0x61, count: run), Array(repeating: 0x61, count: run - 1) + [0x62] + Array(repeating: 0x61, count: run), run),
            (Array(Array(repeating: [UInt8]([0x61, 0x62]), count: run / 4).joined()) + [0x61, 0x61], Array(Array(repeating: [UInt8]([0x61, 0x62]), count: run).joined()), nil),
        ]
        for (needle, haystack, found) in cases {
            var comparisons = 0
            #expect(BytePattern(needle).firstOccurrence(in: haystack, from: 0, comparisons: &comparisons) == found)
            #expect(comparisons <= 2 * haystack.count, "\(comparisons) comparisons for \(haystack.count) bytes")
        }
    }

    @Test("A finding whose values are mebibyte runs of one byte gets its template (within 60 s: a generous bound, the naive search took hours)")
    func mebibyteTemplate() {
        let run = 1_000_000
        let username = String(repeating: "a", count: run + 1) + "x"
        let approver = String(repeating: "a", count: run)
        let values = [username, approver, "acc-1"]
        // The username does not occur, but nearly does at every byte of both runs.
        let message = "Grant 1 (acc-1) was granted by \(approver) and approved by \(approver)."
        // Not timed (benchmarks are never unit tests): `linear` counts the comparisons. With the old
        // naive search this call does not finish in 120 s.
        let template = HTMLFindingsData.template(message, values)
        #expect(template == "Grant 1 (\u{3}) was granted by \u{2} and approved by \u{2}.")
        #expect(HTMLFindingsData.expand(template, values) == message)
    }
}
