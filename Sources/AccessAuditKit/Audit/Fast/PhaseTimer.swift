import Foundation

/// With `ACCESS_AUDIT_PHASES=1` in the environment, prints how long each phase of an audit took to
/// standard error (for profiling and docs/PERFORMANCE.md); otherwise does nothing.
struct PhaseTimer {
    private let enabled = ProcessInfo.processInfo.environment["ACCESS_AUDIT_PHASES"] != nil
    private var last = Date()

    mutating func mark(_ phase: String) {
        guard enabled else { return }
        let now = Date()
        // write(2), unchecked: a full or closed stderr loses the line (FileHandle.write would trap).
        let line = Array(String(format: "phase %-32@ %6.3f s\n", phase as NSString, now.timeIntervalSince(last)).utf8)
        _ = line.withUnsafeBytes { Foundation.write(STDERR_FILENO, $0.baseAddress, $0.count) }
        last = now
    }
}
