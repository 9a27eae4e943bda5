import Foundation

/// Where a command writes (`--output`, `--remediation-sql`): the one place that decides whether
/// a path may be written, and writes it. Nothing the tool writes may destroy something:
///
/// - nil or `-` is standard output;
/// - a symlink is written through: its target (followed to the end, even if it does not exist
///   yet) is replaced, the link stays, and the target is checked like any path;
/// - anything that exists and is not a regular file (a FIFO, a device such as `/dev/null`, a
///   directory, a socket) is refused;
/// - a file that is one of the inputs (same device and inode: the database, its `-wal`,
///   `-journal` and `-shm`, the map, waivers, baseline and config, `diff`'s reports) is refused,
///   and so is the name of a database's `-wal`, `-journal` or `-shm` that does not exist yet;
/// - a file is written atomically (a temporary file in the same directory, renamed over it), so a
///   failed run leaves the old file whole; an existing file keeps its mode, a new one gets
///   0644 less the umask.
///
/// The checks use `stat`/`lstat` only: opening and closing the audited database (or its
/// journal) here would drop SQLite's POSIX locks on it.
package struct OutputTarget: Sendable {
    /// The path as the user gave it, nil for standard output.
    package let path: String?
    /// What the user called it in messages (`--output`, `--remediation-sql`).
    let option: String
    let inputs: [String]
    let databases: [String]
    /// False for a file the tool names itself (the `--history-dir` report): a symlink there is
    /// refused, never written through (CONTRACT.md §5.8: a symlink with a report's name is never
    /// read, deleted or written), since whoever can write the directory could point it anywhere.
    let followsLinks: Bool

    /// Checks `path` (nil or `-`: standard output) against the files the run reads. `databases`
    /// are inputs that SQLite opens, whose journal files are inputs too.
    package init(
        _ path: String?, option: String = "--output", inputs: [String] = [], databases: [String] = [], followsLinks: Bool = true
    ) throws {
        self.path = path == "-" ? nil : path
        self.option = option
        self.inputs = inputs
        self.databases = databases
        self.followsLinks = followsLinks
        if self.path != nil { _ = try resolve() }
    }

    package var isStandardOutput: Bool { path == nil }

    /// Whether two targets would write the same file (or both standard output).
    package func collides(with other: OutputTarget) -> Bool {
        guard let path, let otherPath = other.path else { return path == nil && other.path == nil }
        guard let mine = try? resolve(), let theirs = try? other.resolve() else { return false }
        if mine.canonical == theirs.canonical { return true }
        if let a = mine.existing, let b = theirs.existing { return a.identity == b.identity }
        return path == otherPath
    }

    /// Writes finished text.
    package func write(_ text: String) throws {
        try write { try $0.append(text) }
    }

    /// Stages finished text (`stage(_:)`).
    package func stage(_ text: String) throws -> Staged {
        try stage { try $0.append(text) }
    }

    /// Streams what `body` writes into the sink to the target. The checks run again first, so a
    /// file that became an input or a device since the start is still refused.
    package func write(_ body: (inout ReportSink) throws -> Void) throws {
        try stage(body).commit()
    }

    /// A file written in full and synced beside its target, not yet in place: `commit()` renames
    /// it over the target (atomic: readers see the old file or the new one); dropped without a
    /// commit, it is removed. A run with several outputs stages them all before it puts any in
    /// place, so one it cannot write (a missing directory, a full disk) leaves every target as it
    /// was. Standard output cannot wait: its staging writes it.
    package final class Staged {
        private let temporary: String?
        private let final: String
        private let path: String
        private var pending: Bool

        init(temporary: String?, final: String, path: String) {
            self.temporary = temporary
            self.final = final
            self.path = path
            pending = temporary != nil
        }

        /// Puts the file in place (nothing for standard output).
        package func commit() throws {
            guard pending, let temporary else { return }
            pending = false
            guard rename(temporary, final) == 0 else {
                let code = errno
                unlink(temporary)
                throw AuditError.output(path, String(cString: strerror(code)))
            }
        }

        deinit {
            if pending, let temporary { unlink(temporary) }
        }
    }

    /// Writes what `body` writes into the sink to a temporary file beside the target (standard
    /// output: to standard output), checked again first, for `Staged.commit()`.
    package func stage(_ body: (inout ReportSink) throws -> Void) throws -> Staged {
        guard let path else {
            var sink = ReportSink { try StandardOutput.write($0) }
            try body(&sink)
            try sink.finish()
            return Staged(temporary: nil, final: "-", path: "-")
        }
        let resolved = try resolve()
        let directory = (resolved.final as NSString).deletingLastPathComponent
        let name = (resolved.final as NSString).lastPathComponent
        let (descriptor, temporary) = try createTemporary(in: directory.isEmpty ? "." : directory, for: name)
        var open = true
        do {
            var sink = ReportSink { try OutputTarget.writeAll($0, to: descriptor, name: path) }
            try body(&sink)
            try sink.finish()
            if let existing = resolved.existing {
                // Keep the owner where we may (root replacing another user's report); then the mode.
                if existing.owner != (getuid(), getgid()) { _ = fchown(descriptor, existing.owner.user, existing.owner.group) }
                guard fchmod(descriptor, existing.mode & 0o7777) == 0 else { throw failure(errno) }
            }
            guard fsync(descriptor) == 0 else { throw failure(errno) }
            open = false
            guard close(descriptor) == 0 else { throw failure(errno) }
            return Staged(temporary: temporary, final: resolved.final, path: path)
        } catch {
            if open { close(descriptor) }
            unlink(temporary)
            if error is AuditError { throw error }
            throw AuditError.output(path, error.localizedDescription)
        }
    }

    // MARK: - Checks

    struct Identity: Equatable {
        let device: UInt64
        let inode: UInt64

        init(_ info: stat) {
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
        }
    }

    struct Existing {
        let identity: Identity
        let mode: mode_t
        let owner: (user: uid_t, group: gid_t)
    }

    struct Resolved {
        /// The path written: the end of any chain of symlinks.
        let final: String
        /// Its directory resolved, plus its name: what it is compared with by name.
        let canonical: String
        /// The regular file there now, if any.
        let existing: Existing?
    }

    func resolve() throws -> Resolved {
        guard let path else { throw AuditError.output("-", "standard output is not a file") }
        if !followsLinks {
            var info = stat()
            if lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFLNK {
                throw AuditError.output(path, "\(option): a symbolic link has the report's name; it is never written through")
            }
        }
        let final = try OutputTarget.followLinks(path, option: option)
        var info = stat()
        var existing: Existing?
        if stat(final, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFREG else {
                throw AuditError.output(path, "\(option) is not a regular file (a FIFO, device, directory or socket is never replaced)")
            }
            existing = Existing(identity: Identity(info), mode: info.st_mode, owner: (info.st_uid, info.st_gid))
        } else if errno != ENOENT {
            throw failure(errno)
        }
        let canonical = OutputTarget.canonical(final)
        for input in inputs + databases {
            var other = stat()
            guard stat(input, &other) == 0 else { continue }
            if let existing, existing.identity == Identity(other) {
                throw AuditError.output(path, "\(option) is the same file as the input \(input)")
            }
            if canonical == OutputTarget.canonical(input) {
                throw AuditError.output(path, "\(option) is the same file as the input \(input)")
            }
        }
        for database in databases {
            let base = OutputTarget.canonical((try? OutputTarget.followLinks(database, option: option)) ?? database)
            for suffix in ["-wal", "-journal", "-shm"] {
                var other = stat()
                let companion = base + suffix
                let same = canonical == companion
                    || (existing != nil && stat(companion, &other) == 0 && existing?.identity == Identity(other))
                if same { throw AuditError.output(path, "\(option) is the database's \(suffix) file (\(database)\(suffix))") }
            }
        }
        return Resolved(final: final, canonical: canonical, existing: existing)
    }

    /// `path` with every symlink along the chain at its end followed (40 at most, like the
    /// kernel), whether or not the last target exists.
    static func followLinks(_ path: String, option: String) throws -> String {
        var current = path
        for _ in 0..<40 {
            var info = stat()
            guard lstat(current, &info) == 0, info.st_mode & S_IFMT == S_IFLNK else { return current }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let count = readlink(current, &buffer, buffer.count - 1)
            guard count >= 0 else { throw AuditError.output(path, String(cString: strerror(errno))) }
            let target = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = target.hasPrefix("/") ? target : ((current as NSString).deletingLastPathComponent as NSString).appendingPathComponent(target)
        }
        throw AuditError.output(path, "\(option): too many levels of symbolic links")
    }

    /// The directory of `path` with every link resolved (`realpath`), plus its last component.
    static func canonical(_ path: String) -> String {
        let directory = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        guard let resolved = realpath(directory.isEmpty ? "." : directory, nil) else { return path }
        defer { free(resolved) }
        return (String(cString: resolved) as NSString).appendingPathComponent(name)
    }

    // MARK: - Writing

    /// A new file `.NAME.PID.RANDOM.tmp` in `directory`, opened exclusively (never through a link).
    private func createTemporary(in directory: String, for name: String) throws -> (Int32, String) {
        for _ in 0..<16 {
            let temporary = (directory as NSString).appendingPathComponent(
                ".\(name).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
            let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
            if descriptor >= 0 { return (descriptor, temporary) }
            guard errno == EEXIST else {
                throw AuditError.output(path ?? "-", "cannot create a file in \(directory): \(String(cString: strerror(errno)))")
            }
        }
        throw AuditError.output(path ?? "-", "cannot create a file in \(directory)")
    }

    static func writeAll(_ bytes: [UInt8], to descriptor: Int32, name: String) throws {
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let count = Foundation.write(descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { throw AuditError.output(name, String(cString: strerror(count < 0 ? errno : EIO))) }
                offset += count
            }
        }
    }

    private func failure(_ code: Int32) -> AuditError {
        AuditError.output(path ?? "-", String(cString: strerror(code)))
    }
}
