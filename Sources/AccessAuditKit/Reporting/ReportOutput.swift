import Foundation

/// Writes a report: to standard output, or to a file atomically (streamed into a temporary file
/// beside it, renamed into place at the end), so a failed run never leaves half a report nor
/// clobbers an old one.
public enum ReportOutput {
    /// Writes finished text.
    public static func write(_ text: String, to path: String?) throws {
        try write(to: path) { try $0.append(text) }
    }

    /// Streams what `body` writes into the sink to `path` (nil: standard output).
    public static func write(to path: String?, _ body: (inout ReportSink) throws -> Void) throws {
        guard let path else {
            var sink = ReportSink { FileHandle.standardOutput.write(Data($0)) }
            try body(&sink)
            try sink.finish()
            return
        }
        let target = URL(fileURLWithPath: path)
        let temporary = target.deletingLastPathComponent()
            .appendingPathComponent(".\(target.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil),
            let handle = try? FileHandle(forWritingTo: temporary)
        else {
            throw AuditError.output(path, "cannot create a file in \(target.deletingLastPathComponent().path)")
        }
        do {
            var sink = ReportSink { try handle.write(contentsOf: Data($0)) }
            try body(&sink)
            try sink.finish()
            try handle.close()
            // rename(2) replaces the target atomically: readers see the old report or the new one.
            guard rename(temporary.path, target.path) == 0 else {
                throw AuditError.output(path, String(cString: strerror(errno)))
            }
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(at: temporary)
            if let error = error as? AuditError { throw error }
            throw AuditError.output(path, (error as NSError).localizedFailureReason ?? error.localizedDescription)
        }
    }
}
