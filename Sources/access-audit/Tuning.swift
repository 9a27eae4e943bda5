import AccessAuditKit
import Foundation

extension AuditOptions.Tuning {
    /// The tuning switches of a command-line run, from the environment (the library reads
    /// none): `ACCESS_AUDIT_THREADS=1` keeps everything on one thread, `ACCESS_AUDIT_PHASES` prints
    /// how long each phase took to standard error, `ACCESS_AUDIT_SORT_MEMORY=BYTES` sets the
    /// history sort's memory before it spills, and the spill file goes to `$TMPDIR` (else /tmp).
    /// Benchmarks and profiling only: none of them changes a finding.
    static var fromEnvironment: AuditOptions.Tuning {
        let environment = ProcessInfo.processInfo.environment
        var tuning = AuditOptions.Tuning()
        tuning.threads = environment["ACCESS_AUDIT_THREADS"] != "1"
        if let bytes = environment["ACCESS_AUDIT_SORT_MEMORY"].flatMap(Int.init), bytes > 0 { tuning.sortMemory = bytes }
        if let directory = environment["TMPDIR"], !directory.isEmpty { tuning.temporaryDirectory = directory }
        if environment["ACCESS_AUDIT_PHASES"] != nil {
            tuning.phases = { phase, seconds in
                StandardError.write(String(format: "phase %-32@ %6.3f s\n", phase as NSString, seconds))
            }
        }
        return tuning
    }
}
