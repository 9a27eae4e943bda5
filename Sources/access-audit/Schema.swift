import AccessAuditKit
import ArgumentParser

extension AccessAudit {
    /// `access-audit schema`: the bundled schema.sql.
    struct Schema: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the contract's schema.sql.")

        func run() throws {
            try runMappingErrors {
                try StandardOutput.write(BundledSchema.sql)
                return 0
            }
        }
    }
}
