/// A byte string to search for in linear time (Knuth–Morris–Pratt): a search from `start` looks at
/// each byte after it at most twice, however the pattern and the text repeat themselves. A naive
/// search costs the pattern's length at every position where a long run of one byte almost
/// matches (`aaaa…ax` in `aaaa…a`): quadratic in a value's length, and a value may be a mebibyte.
struct BytePattern {
    let bytes: [UInt8]
    /// `border[i]`: the length of the longest proper prefix of `bytes[0...i]` that is also its suffix.
    private let border: [Int]

    /// `bytes` must not be empty.
    init(_ bytes: [UInt8]) {
        precondition(!bytes.isEmpty, "an empty pattern")
        self.bytes = bytes
        var border = [Int](repeating: 0, count: bytes.count)
        var length = 0
        for position in bytes.indices.dropFirst() {
            while length > 0, bytes[position] != bytes[length] { length = border[length - 1] }
            if bytes[position] == bytes[length] { length += 1 }
            border[position] = length
        }
        self.border = border
    }

    /// Where the pattern first occurs in `haystack` at or after `start`.
    func firstOccurrence(in haystack: [UInt8], from start: Int) -> Int? {
        var comparisons = 0
        return firstOccurrence(in: haystack, from: start, comparisons: &comparisons)
    }

    /// `firstOccurrence`, adding to `comparisons` each byte comparison made (at most twice the
    /// bytes searched: what a test checks instead of timing).
    func firstOccurrence(in haystack: [UInt8], from start: Int, comparisons: inout Int) -> Int? {
        guard haystack.count - start >= bytes.count else { return nil }
        return haystack.withUnsafeBufferPointer { hay in
            bytes.withUnsafeBufferPointer { pin in
                border.withUnsafeBufferPointer { border in
                    var matched = 0
                    var position = start
                    var count = 0
                    defer { comparisons += count }
                    while position < hay.count {
                        count += 1
                        if hay[position] == pin[matched] {
                            matched += 1
                            position += 1
                            if matched == pin.count { return position - matched }
                        } else if matched > 0 {
                            matched = border[matched - 1]
                        } else {
                            position += 1
                        }
                    }
                    return nil
                }
            }
        }
    }
}
