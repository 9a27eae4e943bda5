extension AuditReport {
    /// A rule's severity in this report: the configuration's override, else the contract's.
    public func severity(ofRule rule: String) -> Severity {
        configuration.severityOverrides.last { $0.rule == rule }?.severity ?? RuleRegistry.description(of: rule)?.severity ?? .info
    }
}
