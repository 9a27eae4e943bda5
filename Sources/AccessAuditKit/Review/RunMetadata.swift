import Crypto
import Foundation

/// What makes a report reproducible: the tool and contract versions, the database file (path,
/// size, SHA-256) and every effective setting. Recorded in every report.
public struct RunMetadata: Sendable {
    public struct File: Sendable {
        public var path: String
        public var size: Int64
        public var sha256: String
    }

    public var toolVersion = AccessAuditKit.version
    public var contractVersion = AccessAuditKit.contractVersion
    /// The audited file, and the map when one was used.
    public var files: [File]
    /// Effective settings, in a fixed order.
    public var settings: [(String, String)]

    public init(files: [File], settings: [(String, String)]) {
        self.files = files
        self.settings = settings
    }

    /// Size and SHA-256 of a file, read with `read(2)` into one reused 1 MiB buffer (no
    /// allocation per chunk: the hash runs beside the audit and must not add to its memory).
    public static func fingerprint(_ path: String) throws -> File {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw AuditError.unreadable(path, String(cString: strerror(errno))) }
        defer { close(descriptor) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        var hasher = SHA256()
        var size: Int64 = 0
        while true {
            let count = read(descriptor, buffer.baseAddress, buffer.count)
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw AuditError.unreadable(path, String(cString: strerror(errno))) }
            if count == 0 { break }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            size += Int64(count)
        }
        let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        return File(path: path, size: size, sha256: digest)
    }

    /// Fingerprints files on another thread at the lowest priority, so hashing a large database
    /// takes the cores only when the audit leaves one idle (its threads come first); `wait()`
    /// returns the results, or the first error.
    public final class Fingerprinting: @unchecked Sendable {
        private let done = DispatchSemaphore(value: 0)
        private var result: Result<[File], Error> = .success([])

        public init(_ paths: [String]) {
            let thread = Thread { [self] in
                Thread.runOnlyWhenIdle()
                result = Result { try paths.map(RunMetadata.fingerprint) }
                done.signal()
            }
            thread.start()
        }

        public func wait() throws -> [File] {
            done.wait()
            done.signal()
            return try result.get()
        }
    }

    var json: JSONValue {
        .object([
            ("tool_version", .string(toolVersion)), ("contract_version", .int(Int64(contractVersion))),
            (
                "files",
                .array(files.map { .object([("path", .string($0.path)), ("size", .int($0.size)), ("sha256", .string($0.sha256))]) })
            ),
            ("settings", .object(settings.map { ($0.0, .string($0.1)) })),
        ])
    }

    /// One line for people.
    public var summary: String {
        let described = files.map { "\($0.path) (\($0.size) bytes, sha256 \($0.sha256.prefix(16))…)" }.joined(separator: ", ")
        let options = settings.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
        return "access-audit \(toolVersion), contract v\(contractVersion); \(described); \(options)"
    }
}

extension Thread {
    /// Lowers the calling thread to run only on a core nothing else wants (the fingerprints: work
    /// the audit must not wait on).
    static func runOnlyWhenIdle() {
        #if os(Linux)
            // SCHED_IDLE (5 in Linux's ABI; glibc declares it only under _GNU_SOURCE, which
            // Swift's Glibc module does not set).
            var parameters = sched_param()
            _ = pthread_setschedparam(pthread_self(), 5, &parameters)
        #else
            Thread.current.qualityOfService = .background
        #endif
    }
}
