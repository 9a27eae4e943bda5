import Foundation

/// Tells `AuditOptions.Tuning.phases` how long each phase of a run took (for profiling and
/// docs/PERFORMANCE.md); without one it does nothing. The caller decides where the lines go.
struct PhaseTimer {
    private let report: (@Sendable (String, Double) -> Void)?
    private var last = Date()

    init(_ report: (@Sendable (String, Double) -> Void)?) {
        self.report = report
    }

    mutating func mark(_ phase: String) {
        guard let report else { return }
        let now = Date()
        report(phase, now.timeIntervalSince(last))
        last = now
    }
}
