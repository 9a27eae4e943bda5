import Foundation

/// `--history-dir DIR`: one JSON report a run, named by the audit's clock
/// (`access-audit-YYYY-MM-DDTHHMMSSZ.json`), the newest earlier one as the next run's baseline,
/// and all but the newest `keep` deleted. Only files named that way are read or deleted.
public struct ReportHistory: Sendable {
    public var directory: String

    public init(directory: String) {
        self.directory = directory
    }

    /// A report in the directory and the instant its name gives.
    public struct Entry: Sendable, Equatable {
        public var path: String
        public var instant: Timestamp
    }

    static let prefix = "access-audit-", suffix = ".json"

    /// The file name of the report of a run at `now` (whole seconds, UTC).
    public static func name(for now: Timestamp) -> String {
        prefix + now.description.replacingOccurrences(of: ":", with: "") + suffix
    }

    /// The instant a report's file name gives, nil for any other name.
    static func instant(ofName name: String) -> Timestamp? {
        guard name.hasPrefix(prefix), name.hasSuffix(suffix) else { return nil }
        let stamp = Array(name.dropFirst(prefix.count).dropLast(suffix.count))
        // YYYY-MM-DDTHHMMSSZ: put the colons back and let the contract's parser judge it.
        guard stamp.count == 18, stamp[10] == "T", stamp[17] == "Z" else { return nil }
        let text = String(stamp[0..<13]) + ":" + String(stamp[13..<15]) + ":" + String(stamp[15..<18])
        guard let instant = Timestamp(text), name == ReportHistory.name(for: instant) else { return nil }
        return instant
    }

    /// The directory's reports, oldest first. A missing directory is an error: it is where the
    /// run must write.
    public func entries() throws -> [Entry] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw AuditError.invalidArgument("\(directory): --history-dir must be an existing directory")
        }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            throw AuditError.unreadable(directory, "cannot list the directory")
        }
        return names.compactMap { name in
            // Only regular files are reports: a directory or a symlink with a report's name is
            // neither read as a baseline nor deleted by --keep.
            guard let instant = ReportHistory.instant(ofName: name), ReportHistory.isRegularFile(path(of: name)) else { return nil }
            return Entry(path: path(of: name), instant: instant)
        }.sorted { $0.instant < $1.instant }
    }

    /// The newest report strictly before `now`: the baseline of a run at `now`.
    public func baseline(before now: Timestamp) throws -> Entry? {
        try entries().last { $0.instant.seconds < now.seconds }
    }

    /// The baseline of a run at `now`: the newest earlier report, loaded, and its path; on the
    /// first night (no earlier report) an empty baseline, so every finding is new.
    public func previous(before now: Timestamp) throws -> (baseline: Baseline, path: String?) {
        guard let entry = try baseline(before: now) else { return (Baseline(findings: []), nil) }
        return (try Baseline.load(entry.path), entry.path)
    }

    /// Where a run at `now` writes its report.
    public func path(for now: Timestamp) -> String {
        path(of: ReportHistory.name(for: now))
    }

    /// Deletes all but the newest `keep` reports, and never `current`, the one the run just wrote
    /// (a run with an earlier clock than the reports already there keeps its own as well as the
    /// newest `keep`); returns the deleted paths.
    @discardableResult
    public func prune(keep: Int, sparing current: String) throws -> [String] {
        let reports = try entries()
        let kept = Set(reports.suffix(max(keep, 0)).map(\.path)).union([current])
        let old = reports.map(\.path).filter { !kept.contains($0) }
        for path in old {
            do {
                try FileManager.default.removeItem(atPath: path)
            } catch {
                throw AuditError.output(path, "cannot delete an old report (--keep)")
            }
        }
        return old
    }

    /// Whether `path` is a regular file itself (`lstat`: a symlink is not followed).
    static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    private func path(of name: String) -> String {
        URL(fileURLWithPath: directory).appendingPathComponent(name).path
    }
}
