import Foundation
import Yams

/// `access-audit.yml` (in the current directory) or `--config FILE`: the settings a team keeps
/// with its nightly job. Flags on the command line override the file.
///
/// ```yaml
/// fail_on: medium            # critical | high | medium | low | info | none
/// format: json               # text | json | ndjson | csv | markdown | html
/// dormant_days: 60         # 0 to 3652059
/// timeout: 7200              # seconds, 1 to 604800 (default 3600)
/// max_value_bytes: 4194304   # 1 to 2147483647 (default 1048576)
/// max_waiver_days: 180       # a waiver may expire at most this long after the run's clock (365)
/// disabled_rules: [above-default-level]
/// severity:                  # per-rule overrides
///   dormant-account: medium
/// ```
public struct AuditConfig: Sendable {
    public var path: String?
    public var failOn: FailThreshold?
    public var format: ReportFormat?
    public var dormantDays: Int?
    public var timeoutSeconds: Int?
    public var maxValueBytes: Int?
    public var maxWaiverDays: Int?
    public var disabledRules: [String] = []
    public var severity: [(rule: String, severity: Severity)] = []

    public init() {}

    /// `max_waiver_days` when the file does not set it.
    public static let defaultMaxWaiverDays = 365
    /// The largest `max_waiver_days`: the span of the contract's years, so the limit never overflows.
    static let maxWaiverDaysLimit = 3_652_059

    /// The file at `path`, or `access-audit.yml` in the current directory when it exists, or none.
    public static func load(_ path: String?) throws -> AuditConfig {
        let candidate = path ?? "access-audit.yml"
        if path == nil, !FileManager.default.fileExists(atPath: candidate) { return AuditConfig() }
        guard let text = String(bytes: try InputFile.read(candidate, limit: maxBytes), encoding: .utf8) else {
            throw AuditError.unreadable(candidate, "not UTF-8 text")
        }
        var config = try parse(text, path: candidate)
        config.path = candidate
        return config
    }

    /// The largest settings file read (1 MiB).
    static let maxBytes = 1 << 20

    public static func parse(_ text: String, path: String) throws -> AuditConfig {
        func problem(_ node: Node?, _ message: String) -> AuditError {
            .config(path: path, line: node?.mark?.line ?? 1, message: message)
        }
        /// A whole number in `range`, written in decimal (no sign but `-`, no spaces).
        func integer(_ node: Node, _ key: String, _ range: ClosedRange<Int>) throws -> Int {
            guard let text = node.string, let value = Int(text), range.contains(value) else {
                throw problem(node, "\(key) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            return value
        }
        let root = try YAMLInput.compose(text, error: { .config(path: path, line: $0, message: $1) })
        var config = AuditConfig()
        guard let root else { return config }
        guard let mapping = root.mapping else { throw problem(root, "expected a mapping of settings") }
        for (keyNode, value) in mapping {
            switch keyNode.string {
            case "fail_on":
                guard let text = value.string, let threshold = FailThreshold(rawValue: text) else {
                    throw problem(value, "fail_on must be one of \(FailThreshold.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                config.failOn = threshold
            case "format":
                guard let text = value.string, let format = ReportFormat(rawValue: text) else {
                    throw problem(value, "format must be one of \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                config.format = format
            case "dormant_days":
                config.dormantDays = try integer(value, "dormant_days", AuditOptions.dormantDaysRange)
            case "timeout":
                config.timeoutSeconds = try integer(value, "timeout", 1...ReadLimits.maxTimeoutSeconds)
            case "max_value_bytes":
                config.maxValueBytes = try integer(value, "max_value_bytes", 1...ReadLimits.maxValueBytesCeiling)
            case "max_waiver_days":
                config.maxWaiverDays = try integer(value, "max_waiver_days", 0...maxWaiverDaysLimit)
            case "disabled_rules":
                guard let list = value.sequence else { throw problem(value, "disabled_rules must be a list of rule ids") }
                for item in list {
                    guard let rule = item.string, RuleRegistry.description(of: rule) != nil else {
                        throw problem(item, "unknown rule '\(item.string ?? "")'")
                    }
                    config.disabledRules.append(rule)
                }
            case "severity":
                guard let overrides = value.mapping else { throw problem(value, "severity must map rule ids to severities") }
                for (ruleNode, severityNode) in overrides {
                    guard let rule = ruleNode.string, RuleRegistry.description(of: rule) != nil else {
                        throw problem(ruleNode, "unknown rule '\(ruleNode.string ?? "")'")
                    }
                    guard let text = severityNode.string, let severity = Severity(rawValue: text) else {
                        throw problem(severityNode, "severity of \(rule) must be one of critical, high, medium, low, info")
                    }
                    config.severity.append((rule, severity))
                }
            default:
                throw problem(keyNode, "unknown setting '\(keyNode.string ?? "")' (expected fail_on, format, dormant_days, timeout, max_value_bytes, max_waiver_days, disabled_rules, severity)")
            }
        }
        return config
    }
}

extension AuditReport {
    /// Drops the findings of disabled rules (listing them as not checked) and applies severity
    /// overrides; the report states both, and the file, at its top in every format.
    public mutating func apply(config: AuditConfig) {
        configuration = ConfigurationStatement(path: config.path)
        configuration.disabledRules = config.disabledRules
        configuration.severityOverrides = config.severity
        if !config.disabledRules.isEmpty {
            let disabled = Set(config.disabledRules)
            findings.removeAll { disabled.contains($0.rule) }
            let why = "disabled by \(config.path ?? "the configuration")"
            for rule in RuleRegistry.ids where disabled.contains(rule) && !notChecked.contains(where: { $0.rule == rule }) {
                notChecked.append((rule, why))
            }
        }
        for (rule, severity) in config.severity {
            for index in findings.indices where findings[index].rule == rule { findings[index].severity = severity }
        }
        if !config.severity.isEmpty { AuditEngine.sort(&findings) }
    }
}
