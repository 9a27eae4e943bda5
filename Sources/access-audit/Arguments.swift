import AccessAuditKit
import ArgumentParser

extension Timestamp: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(argument)
    }
}

extension ReportFormat: ExpressibleByArgument {}
extension FailThreshold: ExpressibleByArgument {}
