import Foundation

/// Whether a finding is new since the baseline report or was already in it.
public enum BaselineChange: String, Sendable, Hashable {
    case new, persisting
}

/// A finding as a previous JSON report recorded it.
public struct BaselineFinding: Sendable, Hashable {
    public var key: String
    public var rule: String
    public var severity: Severity?
    public var accountID: String?
    public var grantID: String?
    public var message: String
}

/// A previous `--format json` report, for `--baseline` and `diff`.
public struct Baseline: Sendable {
    public var findings: [BaselineFinding]

    public static func load(_ path: String) throws -> Baseline {
        // Only a regular file: a FIFO would hang the read below.
        try InputFile.check(path)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FileManager.default.fileExists(atPath: path) ? AuditError.unreadable(path, "cannot read") : AuditError.fileNotFound(path)
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw AuditError.baseline(path, "not a JSON object (use a report written with --format json)")
        }
        guard object["schema_version"] as? Int == 1, let list = object["findings"] as? [[String: Any]] else {
            throw AuditError.baseline(path, "not an access-audit JSON report (schema_version 1 with findings)")
        }
        var findings: [BaselineFinding] = []
        for (index, item) in list.enumerated() {
            guard let key = item["key"] as? String, let rule = item["rule"] as? String else {
                throw AuditError.baseline(path, "finding \(index + 1) has no key or rule")
            }
            let grant = item["grant_id"].flatMap { value -> String? in
                if let number = value as? NSNumber, !(value is NSNull) { return number.stringValue }
                return value as? String
            }
            findings.append(
                BaselineFinding(
                    key: key, rule: rule, severity: (item["severity"] as? String).flatMap(Severity.init(rawValue:)),
                    accountID: item["account_id"] as? String, grantID: grant, message: item["message"] as? String ?? ""))
        }
        return Baseline(findings: findings)
    }
}

extension AuditReport {
    /// Marks each finding new or persisting against `baseline` and lists the resolved ones.
    public mutating func compare(with baseline: Baseline) {
        let before = Set(baseline.findings.map(\.key))
        for index in findings.indices {
            findings[index].change = before.contains(findings[index].key) ? .persisting : .new
        }
        let now = Set(findings.map(\.key))
        resolved = baseline.findings.filter { !now.contains($0.key) }
    }
}
