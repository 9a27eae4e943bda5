import Foundation

/// Runs the built binary as `CLI.run` does, but spawned and reaped here (`posix_spawn`, `wait4`) so
/// that its own peak memory is known, not the largest of every child the test process ever had
/// (`RUSAGE_CHILDREN`). Output goes to files, so nothing can block on a pipe.
///
/// The peak: Linux's `ru_maxrss` of a spawned child also counts the parent's resident memory at
/// the spawn (at `exec` it keeps the high-water mark of the memory it replaced, the test
/// process's), so it is only an upper bound. When it is over the bound asked about, the child's
/// own high-water mark (`VmHWM` in `/proc/PID/status`, of its own memory since `exec`) is read
/// every 2 ms while it runs, and the largest reading is the peak (a spike in its last 2 ms could
/// be missed; growing past the bound takes far longer).
struct MeasuredRun {
    var status: Int32 = -1
    /// The signal that ended it, if one did (SIGKILL after the time limit included).
    var signal: Int32?
    var timedOut = false
    var seconds = 0.0
    /// Peak resident memory, in bytes, as far as it decides `peakBound` (see above).
    var peakBytes = 0
    /// The largest `VmHWM` read while it ran: its own peak, give or take the last 2 ms.
    var ownPeakBytes = 0
    var stdout = Data()
    var stderr = Data()

    static func run(_ arguments: [String], in directory: URL, timeout: Double, peakBound: Int) throws -> MeasuredRun {
        let out = directory.appendingPathComponent("stdout-\(UUID().uuidString)").path
        let err = directory.appendingPathComponent("stderr-\(UUID().uuidString)").path
        defer {
            unlink(out)
            unlink(err)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let binary = CLI.binary.path
        let argv: [UnsafeMutablePointer<CChar>?] = ([binary] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var pid = pid_t()
        let start = Date()
        let spawned = posix_spawn(&pid, binary, &actions, nil, argv, envp)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EINVAL) }
        var result = MeasuredRun()
        var raw: Int32 = 0
        var usage = rusage()
        var polled = 0
        while true {
            let reaped = wait4(pid, &raw, WNOHANG, &usage)
            if reaped == pid { break }
            polled = max(polled, highWaterMark(pid))
            if reaped < 0, errno != EINTR { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EINVAL) }
            if Date().timeIntervalSince(start) > timeout, !result.timedOut {
                result.timedOut = true
                kill(pid, SIGKILL)
            }
            usleep(2_000)
        }
        result.seconds = Date().timeIntervalSince(start)
        // Linux reports ru_maxrss in KiB.
        let upper = Int(usage.ru_maxrss) * 1_024
        result.peakBytes = upper < peakBound ? upper : polled
        result.ownPeakBytes = polled
        if raw & 0x7F == 0 {
            result.status = (raw >> 8) & 0xFF
        } else {
            result.signal = raw & 0x7F
        }
        result.stdout = FileManager.default.contents(atPath: out) ?? Data()
        result.stderr = FileManager.default.contents(atPath: err) ?? Data()
        return result
    }

    /// `VmHWM` of a running process, in bytes (0 when it cannot be read).
    static func highWaterMark(_ pid: pid_t) -> Int {
        guard let status = FileManager.default.contents(atPath: "/proc/\(pid)/status") else { return 0 }
        for line in String(decoding: status, as: UTF8.self).split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let digits = line.dropFirst(6).filter(\.isNumber)
            return (Int(String(digits)) ?? 0) * 1_024
        }
        return 0
    }
}
