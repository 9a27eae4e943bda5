import AccessAuditKit
import ArgumentParser

extension Timestamp: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(argument)
    }
}

extension ReportFormat: ExpressibleByArgument {}
extension FailThreshold: ExpressibleByArgument {}

/// A timestamp option's value that is not a contract timestamp: says which forms are accepted.
struct TimestampArgumentError: Error, CustomStringConvertible {
    var description: String {
        "expected YYYY-MM-DD, optionally followed by T (or a space) and HH:MM or HH:MM:SS[.fraction], "
            + "then optionally Z or ±HH:MM (no zone means UTC), e.g. 2019-03-13 or 2019-03-13T02:00:00Z"
    }
}

extension Timestamp {
    /// For `@Option(transform:)`: a bad value names the accepted forms (ArgumentParser's own
    /// message for a failed `init?(argument:)` does not).
    static func argument(_ text: String) throws -> Timestamp {
        guard let timestamp = Timestamp(text) else { throw TimestampArgumentError() }
        return timestamp
    }
}
