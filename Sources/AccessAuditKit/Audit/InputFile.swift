import Foundation

/// The one place input files are checked and read: only regular files (after following
/// symlinks), so a FIFO cannot hang a run and `/dev/zero` cannot fill memory.
///
/// The audited SQLite file is only checked (`stat`): SQLite alone opens it, because closing any
/// descriptor of a file drops every POSIX lock the process holds on it. Text inputs (`.sql`,
/// `--map`, the configuration) are read whole, here, under a size limit.
enum InputFile {
    /// Throws unless `path` is a readable regular file; returns its size in bytes.
    @discardableResult
    static func check(_ path: String) throws -> Int {
        var info = stat()
        guard stat(path, &info) == 0 else { throw failure(path, errno) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw AuditError.notARegularFile(path) }
        guard access(path, R_OK) == 0 else { throw failure(path, errno) }
        return Int(info.st_size)
    }

    /// The bytes of the regular file at `path`, refused when larger than `limit` (by its size
    /// before reading, and while reading, since the file may grow meanwhile).
    static func read(_ path: String, limit: Int) throws -> [UInt8] {
        guard try check(path) <= limit else { throw AuditError.tooLarge(path, limit: limit) }
        // O_NONBLOCK: if the path became a FIFO since the check, opening it does not wait for a writer.
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        guard descriptor >= 0 else { throw failure(path, errno) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw failure(path, errno) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw AuditError.notARegularFile(path) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(min(Int(info.st_size), limit) + 1)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure(path, errno)
            }
            if count == 0 { return bytes }
            guard bytes.count + count <= limit else { throw AuditError.tooLarge(path, limit: limit) }
            bytes += chunk[0..<count]
        }
    }

    private static func failure(_ path: String, _ code: Int32) -> AuditError {
        switch code {
        case ENOENT, ENOTDIR: .fileNotFound(path)
        case EACCES: .unreadable(path, "permission denied")
        default: .unreadable(path, String(cString: strerror(code)))
        }
    }
}
