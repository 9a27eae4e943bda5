import Foundation

/// Standard output, written with `write(2)` so a failure (a full disk, a closed descriptor, a
/// closed pipe) is an error to report rather than a crash.
package enum StandardOutput {
    package static func write(_ bytes: [UInt8]) throws {
        try OutputTarget.writeAll(bytes, to: STDOUT_FILENO, name: "standard output")
    }

    package static func write(_ text: String) throws {
        try write(Array(text.utf8))
    }
}
