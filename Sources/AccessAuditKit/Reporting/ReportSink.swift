/// Where a report's bytes go: a buffer flushed in 1 MiB chunks to a file or standard output (so a
/// large report is never held whole), or kept (for tests and small reports).
public struct ReportSink {
    private(set) var buffer: [UInt8] = []
    private let flush: (([UInt8]) throws -> Void)?

    /// A sink that keeps everything (see `text`).
    public init() {
        flush = nil
        buffer.reserveCapacity(1 << 16)
    }

    /// A sink that hands full chunks to `flush`.
    public init(flush: @escaping ([UInt8]) throws -> Void) {
        self.flush = flush
        buffer.reserveCapacity(1 << 20 + 1 << 16)
    }

    public mutating func append(_ text: String) throws {
        var text = text
        text.withUTF8 { buffer.append(contentsOf: $0) }
        try flushIfFull()
    }

    mutating func append(bytes: UnsafeBufferPointer<UInt8>) {
        buffer.append(contentsOf: bytes)
    }

    mutating func append(byte: UInt8) {
        buffer.append(byte)
    }

    mutating func flushIfFull() throws {
        if let flush, buffer.count >= 1 << 20 {
            try flush(buffer)
            buffer.removeAll(keepingCapacity: true)
        }
    }

    /// Hands over what is left.
    public mutating func finish() throws {
        if let flush, !buffer.isEmpty {
            try flush(buffer)
            buffer.removeAll()
        }
    }

    /// Everything written, for a keeping sink.
    public var text: String { String(decoding: buffer, as: UTF8.self) }
}
