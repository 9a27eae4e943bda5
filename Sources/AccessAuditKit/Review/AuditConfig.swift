import Foundation
import Yams

/// `access-audit.yml` (in the current directory) or `--config FILE`: the settings a team keeps
/// with its nightly job. Flags on the command line override the file.
///
/// ```yaml
/// fail_on: medium            # critical | high | medium | low | info | none
/// format: json               # text | json | ndjson | csv | markdown | html
/// dormant_days: 60
/// disabled_rules: [above-default-level]
/// severity:                  # per-rule overrides
///   dormant-account: medium
/// ```
public struct AuditConfig: Sendable {
    public var path: String?
    public var failOn: FailThreshold?
    public var format: ReportFormat?
    public var dormantDays: Int?
    public var disabledRules: [String] = []
    public var severity: [(rule: String, severity: Severity)] = []

    public init() {}

    /// The file at `path`, or `access-audit.yml` in the current directory when it exists, or none.
    public static func load(_ path: String?) throws -> AuditConfig {
        let candidate = path ?? "access-audit.yml"
        guard FileManager.default.fileExists(atPath: candidate) else {
            if let path { throw AuditError.fileNotFound(path) }
            return AuditConfig()
        }
        guard let text = try? String(contentsOf: URL(fileURLWithPath: candidate), encoding: .utf8) else {
            throw AuditError.unreadable(candidate, "not UTF-8 text")
        }
        var config = try parse(text, path: candidate)
        config.path = candidate
        return config
    }

    public static func parse(_ text: String, path: String) throws -> AuditConfig {
        func problem(_ node: Node?, _ message: String) -> AuditError {
            .config(path: path, line: node?.mark?.line ?? 1, message: message)
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
                guard let text = value.string, let days = Int(text), days >= 0 else { throw problem(value, "dormant_days must be 0 or more") }
                config.dormantDays = days
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
                throw problem(keyNode, "unknown setting '\(keyNode.string ?? "")' (expected fail_on, format, dormant_days, disabled_rules, severity)")
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
        if !config.severity.isEmpty { findings = AuditEngine.sorted(findings) }
    }
}
