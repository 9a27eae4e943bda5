import Foundation

/// Writes a finished report: to standard output, or to a file atomically (a temporary file
/// renamed into place), so a failed run never leaves half a report nor clobbers an old one.
public enum ReportOutput {
    public static func write(_ text: String, to path: String?) throws {
        guard let path else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw AuditError.output(path, (error as NSError).localizedFailureReason ?? error.localizedDescription)
        }
    }
}
