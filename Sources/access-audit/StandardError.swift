import Foundation

/// Standard error for the command line's own messages (errors, `generate`'s summary, the
/// progress line), written with `write(2)`: a full or closed stderr loses the message but never
/// crashes the run or changes its exit status.
enum StandardError {
    static func write(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let count = bytes.withUnsafeBytes { Foundation.write(STDERR_FILENO, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return }
            bytes = bytes.dropFirst(count)
        }
    }

    /// Makes sure descriptors 0, 1 and 2 are open before anything else is: a process started
    /// with one closed would otherwise hand that number to the next file it opens (a report's
    /// temporary file, the database being hashed), and a write meant for standard output would
    /// land in it. A closed one is taken by `/dev/null` opened read-only, so writing to it fails
    /// (exit 2, as any write error) instead of going anywhere.
    static func occupyClosedStandardDescriptors() {
        for descriptor in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] where fcntl(descriptor, F_GETFD) == -1 && errno == EBADF {
            let opened = open("/dev/null", O_RDONLY)
            if opened >= 0, opened != descriptor {
                dup2(opened, descriptor)
                close(opened)
            }
        }
    }
}
