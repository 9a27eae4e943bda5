import AccessAuditKit
import Foundation
import Synchronization

/// The progress line long runs show on a terminal: rows read, the rows the tables hold, and the
/// rate, redrawn on stderr four times a second from its own thread. Nothing is shown when stderr
/// is not a terminal, with `--quiet`, or in the first second (short runs stay silent), and the
/// line is erased when the work ends, so reports and errors never mix with it.
final class ProgressLine: @unchecked Sendable {
    private let counter: RowCounter
    /// The contract tables' row count, 0 until counted (in the background).
    private let estimate = Atomic<Int>(0)
    /// Seconds before the first draw: 1, or `ACCESS_AUDIT_PROGRESS_AFTER` (the tests use 0).
    private let delay: Double
    /// Set by `finish()`; the drawing thread waits on it between draws.
    private let stopped = Monitor(false)
    private let start = DispatchTime.now().uptimeNanoseconds
    /// The drawing thread and the background row count, joined by `finish()` (set once, at start).
    private var drawing: BackgroundWork?
    private var count: RowCount?

    /// Starts drawing for `connection` unless `quiet` or stderr is not a terminal; nil then.
    static func start(for connection: Connection, quiet: Bool) -> ProgressLine? {
        guard !quiet, isatty(STDERR_FILENO) == 1 else { return nil }
        let counter = RowCounter()
        let delay = ProcessInfo.processInfo.environment["ACCESS_AUDIT_PROGRESS_AFTER"].flatMap(Double.init) ?? 1
        let line = ProgressLine(counter: counter, delay: delay)
        connection.rowCounter = counter
        line.count = connection.countContractRows { total in line.estimate.store(total, ordering: .relaxed) }
        line.drawing = BackgroundWork { line.draw() }
        return line
    }

    private init(counter: RowCounter, delay: Double) {
        self.counter = counter
        self.delay = delay
    }

    /// Stops drawing and erases the line.
    func finish() {
        let first = stopped.update { stopped in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        try? drawing?.join()
        count?.finish()
    }

    private func draw() {
        var shown = false
        while !stopped.withLock({ $0 }) {
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            if elapsed >= delay {
                write("\r\u{1B}[K" + ProgressLine.text(rows: counter.count, estimate: estimate.load(ordering: .relaxed), seconds: elapsed))
                shown = true
            }
            _ = stopped.wait(seconds: 0.25) { $0 ? true : nil }
        }
        if shown { write("\r\u{1B}[K") }
    }

    private func write(_ text: String) {
        StandardError.write(text)
    }

    /// `access-audit: 1,234,567 rows read, 812k rows/s, 12 s; the tables hold ~4.9M rows` (without
    /// the table total until it is counted). Not "of ~4.9M" and no percentage: a command reads
    /// some tables twice (`audit` its accounts and grants, `replay` part of the grant log), so the
    /// rows it reads can pass the tables' total and are not a fixed share of it.
    static func text(rows: Int, estimate: Int, seconds: Double) -> String {
        var text = "access-audit: \(grouped(rows)) rows read"
        if seconds > 0 { text += ", \(short(Double(rows) / seconds)) rows/s, \(Int(seconds)) s" }
        if estimate > 0 { text += "; the tables hold ~\(short(Double(estimate))) rows" }
        return text
    }

    static func grouped(_ value: Int) -> String {
        var digits = Array(String(value))
        var index = digits.count - 3
        while index > 0 {
            digits.insert(",", at: index)
            index -= 3
        }
        return String(digits)
    }

    static func short(_ value: Double) -> String {
        switch value {
        case 999_500...: return String(format: "%.1fM", value / 1e6)
        case 999.5...: return String(format: "%.0fk", value / 1e3)
        default: return String(format: "%.0f", value)
        }
    }
}
