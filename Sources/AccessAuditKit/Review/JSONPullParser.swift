import Foundation

/// A JSON reader that walks a file one value at a time, through a fixed 1 MiB buffer: a caller
/// keeps the members it wants and skips the rest without building them, so reading a report takes
/// memory for what is kept, not for the text (a 1.5 GB baseline through `JSONSerialization` took
/// 13.7 GB). Strict RFC 8259: anything else is an error with the byte offset.
struct JSONPullParser: ~Copyable {
    /// A value that is not a container.
    enum Scalar: Equatable {
        case string(String)
        /// A number, as written.
        case number(String)
        case bool(Bool)
        case null
    }

    struct Failure: Error {
        let message: String
    }

    private let descriptor: Int32
    private var buffer = [UInt8](repeating: 0, count: 1 << 20)
    private var count = 0
    private var position = 0
    /// Bytes consumed before the buffer's start (for messages).
    private var consumed = 0
    /// Reused for each string's bytes, so reading one allocates only the `String` itself.
    private var scratch: [UInt8] = []
    /// Nesting limit, so a hostile file cannot exhaust the stack of a recursive skip.
    private static let maxDepth = 512

    init(path: String) throws {
        descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            let why = String(cString: strerror(errno))
            throw FileManager.default.fileExists(atPath: path) ? AuditError.unreadable(path, why) : AuditError.fileNotFound(path)
        }
    }

    deinit { close(descriptor) }

    // MARK: Bytes

    private mutating func peekByte() throws -> UInt8? {
        if position == count {
            consumed += count
            position = 0
            count = 0
            while true {
                let read = buffer.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, $0.count) }
                if read < 0, errno == EINTR { continue }
                guard read >= 0 else { throw Failure(message: "read failed: \(String(cString: strerror(errno)))") }
                count = read
                break
            }
            if count == 0 { return nil }
        }
        return buffer[position]
    }

    private mutating func nextByte() throws -> UInt8 {
        guard let byte = try peekByte() else { throw fail("unexpected end of file") }
        position += 1
        return byte
    }

    func fail(_ message: String) -> Failure {
        Failure(message: "\(message) at byte \(consumed + position)")
    }

    /// The next byte that is not JSON whitespace, not consumed; nil at the end.
    mutating func peek() throws -> UInt8? {
        while let byte = try peekByte() {
            guard byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D else { return byte }
            position += 1
            // Indentation comes in runs: skip the rest of this chunk's run without re-checking the buffer.
            while position < count {
                let next = buffer[position]
                guard next == 0x20 || next == 0x09 || next == 0x0A || next == 0x0D else { return next }
                position += 1
            }
        }
        return nil
    }

    private mutating func expect(_ byte: UInt8) throws {
        guard try peek() == byte else { throw fail("expected '\(Character(Unicode.Scalar(byte)))'") }
        position += 1
    }

    // MARK: Containers

    /// Calls `member` for each member name of the object that starts here; `member` must consume
    /// the value (read it or `skipValue()`).
    mutating func readObject(_ member: (inout JSONPullParser, String) throws -> Void) throws {
        try expect(UInt8(ascii: "{"))
        if try peek() == UInt8(ascii: "}") {
            position += 1
            return
        }
        while true {
            guard try peek() == UInt8(ascii: "\"") else { throw fail("expected a member name") }
            let name = try readStringBody(keep: true) ?? ""
            try expect(UInt8(ascii: ":"))
            try member(&self, name)
            guard let byte = try peek() else { throw fail("unexpected end of file") }
            position += 1
            if byte == UInt8(ascii: "}") { return }
            guard byte == UInt8(ascii: ",") else { throw fail("expected ',' or '}'") }
        }
    }

    /// Calls `element` for each element of the array that starts here; it must consume the value.
    mutating func readArray(_ element: (inout JSONPullParser, Int) throws -> Void) throws {
        try expect(UInt8(ascii: "["))
        if try peek() == UInt8(ascii: "]") {
            position += 1
            return
        }
        var index = 0
        while true {
            try element(&self, index)
            index += 1
            guard let byte = try peek() else { throw fail("unexpected end of file") }
            position += 1
            if byte == UInt8(ascii: "]") { return }
            guard byte == UInt8(ascii: ",") else { throw fail("expected ',' or ']'") }
        }
    }

    /// Whether the next value is an object / an array.
    mutating func atObject() throws -> Bool { try peek() == UInt8(ascii: "{") }
    mutating func atArray() throws -> Bool { try peek() == UInt8(ascii: "[") }
    mutating func atContainer() throws -> Bool {
        let byte = try peek()
        return byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[")
    }

    /// Consumes one value of any kind without keeping it.
    mutating func skipValue(depth: Int = 0) throws {
        guard depth < JSONPullParser.maxDepth else { throw fail("nested too deeply") }
        if try atObject() {
            try readObject { parser, _ in try parser.skipValue(depth: depth + 1) }
        } else if try atArray() {
            try readArray { parser, _ in try parser.skipValue(depth: depth + 1) }
        } else if try peek() == UInt8(ascii: "\"") {
            _ = try readStringBody(keep: false)
        } else {
            _ = try readScalar()
        }
    }

    /// Fails unless nothing but whitespace is left.
    mutating func expectEnd() throws {
        guard try peek() == nil else { throw fail("unexpected text after the document") }
    }

    // MARK: Scalars

    /// A string, number, `true`, `false` or `null`; fails on a container.
    mutating func readScalar() throws -> Scalar {
        guard let byte = try peek() else { throw fail("unexpected end of file") }
        switch byte {
        case UInt8(ascii: "\""): return .string(try readStringBody(keep: true) ?? "")
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try readNumber())
        default: throw fail("expected a value")
        }
    }

    private mutating func literal(_ word: StaticString) throws {
        for expected in UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount) {
            guard try nextByte() == expected else { throw fail("invalid literal") }
        }
    }

    private mutating func readNumber() throws -> String {
        var bytes: [UInt8] = []
        while let byte = try peekByte(), byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        {
            bytes.append(byte)
            position += 1
            guard bytes.count <= 64 else { throw fail("number too long") }
        }
        guard JSONPullParser.isNumber(bytes) else { throw fail("invalid number") }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// RFC 8259's grammar: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    static func isNumber(_ bytes: [UInt8]) -> Bool {
        var index = 0
        func digits() -> Int {
            let start = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            return index - start
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        let start = index
        let whole = digits()
        guard whole > 0, whole == 1 || bytes[start] != UInt8(ascii: "0") else { return false }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { return false }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { return false }
        }
        return index == bytes.count
    }

    /// The string that starts here (at its opening quote), escapes decoded; it must be UTF-8.
    /// With `keep: false` it is checked and consumed, and nil is returned (nothing is kept).
    private mutating func readStringBody(keep: Bool) throws -> String? {
        try expect(UInt8(ascii: "\""))
        var bytes = scratch
        scratch = []
        bytes.removeAll(keepingCapacity: true)
        defer { scratch = bytes }
        while true {
            // The common case, a run of plain bytes, is scanned and copied a chunk at a time.
            if try peekByte() != nil {
                let start = position
                let end = buffer.withUnsafeBufferPointer { raw in
                    var index = start
                    while index < count {
                        let byte = raw[index]
                        if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { break }
                        index += 1
                    }
                    return index
                }
                if keep, end > start { bytes.append(contentsOf: buffer[start..<end]) }
                position = end
                if end == count { continue }
            }
            let byte = try nextByte()
            switch byte {
            case UInt8(ascii: "\""):
                guard keep else { return nil }
                // ASCII (nearly every string of a report) needs no validation; `String(validating:)`
                // is generic and costs a metadata look-up per call.
                if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
                guard let text = String(validating: bytes, as: UTF8.self) else { throw fail("a string is not UTF-8") }
                return text
            case UInt8(ascii: "\\"):
                try readEscape(into: &bytes)
                if !keep { bytes.removeAll(keepingCapacity: true) }
            case 0x00..<0x20:
                throw fail("a control character inside a string")
            default:
                if keep { bytes.append(byte) }
            }
        }
    }

    private mutating func readEscape(into bytes: inout [UInt8]) throws {
        let byte = try nextByte()
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): bytes.append(byte)
        case UInt8(ascii: "b"): bytes.append(0x08)
        case UInt8(ascii: "f"): bytes.append(0x0C)
        case UInt8(ascii: "n"): bytes.append(0x0A)
        case UInt8(ascii: "r"): bytes.append(0x0D)
        case UInt8(ascii: "t"): bytes.append(0x09)
        case UInt8(ascii: "u"):
            var value = try hex4()
            if (0xD800..<0xDC00).contains(value) {
                guard try nextByte() == UInt8(ascii: "\\"), try nextByte() == UInt8(ascii: "u") else { throw fail("a lone surrogate") }
                let low = try hex4()
                guard (0xDC00..<0xE000).contains(low) else { throw fail("a lone surrogate") }
                value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let scalar = Unicode.Scalar(value) else { throw fail("a lone surrogate") }
            bytes.append(contentsOf: Array(String(Character(scalar)).utf8))
        default:
            throw fail("an invalid escape")
        }
    }

    private mutating func hex4() throws -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = try nextByte()
            guard let digit = UInt32(String(UnicodeScalar(byte)), radix: 16) else { throw fail("an invalid \\u escape") }
            value = value << 4 | digit
        }
        return value
    }
}
