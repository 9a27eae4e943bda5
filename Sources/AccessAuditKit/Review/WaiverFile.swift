import Foundation
import Yams

/// Reads a waivers file (YAML):
///
/// ```yaml
/// waivers:
///   - key: "above-default-level:grant:1010"          # or rule + account_id / grant_id
///     reason: "Data quality analyst; DPIA-2018-14"
///     owner: "nhsd.analytics"
///     approved_by: "head.of.statistics"
///     expires: 2019-06-30
///     subject:                                        # what was accepted (`access-audit waive`)
///       account_id: "acc-014"
///       level: "national"
/// ```
///
/// Every entry needs `reason`, `owner`, `approved_by` and `expires` (a contract timestamp), and
/// either `key` or `rule` with `account_id` and/or `grant_id`. `subject` maps `FindingSubject`
/// field names to key-encoded values; an entry without one is a legacy waiver. The owner and the
/// approver must be different people. Unknown fields are errors (a typo must not silently waive
/// nothing). Any problem is exit 2 naming the file and the line.
public enum WaiverFile {
    static let fields: Set = ["key", "rule", "account_id", "grant_id", "reason", "owner", "approved_by", "expires", "subject"]

    /// The largest waiver file read (64 MiB: hundreds of thousands of waivers).
    static let maxBytes = 64 << 20

    public static func load(_ path: String) throws -> [Waiver] {
        guard let text = String(bytes: try InputFile.read(path, limit: maxBytes), encoding: .utf8) else {
            throw AuditError.unreadable(path, "not UTF-8 text")
        }
        return try parse(text, path: path)
    }

    public static func parse(_ text: String, path: String) throws -> [Waiver] {
        guard let root = try YAMLInput.compose(text, error: { .waivers(path: path, line: $0, message: $1) }) else { return [] }
        let entries: Node.Sequence
        if let sequence = root.sequence {
            entries = sequence
        } else if let mapping = root.mapping, mapping.count == 1, let list = mapping["waivers"] {
            guard let sequence = list.sequence else { throw problem(path, list, "`waivers` must be a list") }
            entries = sequence
        } else {
            throw problem(path, root, "expected a list of waivers, or `waivers:` followed by one")
        }
        return try entries.map { try waiver($0, path: path) }
    }

    private static func waiver(_ node: Node, path: String) throws -> Waiver {
        guard let mapping = node.mapping else { throw problem(path, node, "a waiver must be a mapping of fields") }
        var values: [String: String] = [:]
        var subject: FindingSubject?
        for (keyNode, valueNode) in mapping {
            guard let name = keyNode.string, fields.contains(name) else {
                throw problem(path, keyNode, "unknown field \(keyNode.string.map { "'\($0)'" } ?? "") (expected one of \(fields.sorted().joined(separator: ", ")))")
            }
            if name == "subject" {
                subject = try self.subject(valueNode, path: path)
                continue
            }
            guard let value = valueNode.scalar?.string else { throw problem(path, valueNode, "`\(name)` must be a single value") }
            values[name] = value
        }
        for required in ["reason", "owner", "approved_by", "expires"] where Blank.isBlank(values[required]) {
            throw problem(path, node, "the waiver has no `\(required)`")
        }
        if values["key"] == nil {
            guard let rule = values["rule"] else { throw problem(path, node, "the waiver needs `key`, or `rule` with `account_id` or `grant_id`") }
            guard RuleRegistry.description(of: rule) != nil else { throw problem(path, node, "unknown rule '\(rule)'") }
            guard values["account_id"] != nil || values["grant_id"] != nil else {
                throw problem(path, node, "a waiver by `rule` also needs `account_id` or `grant_id`")
            }
        }
        if Blank.samePerson(values["owner"], values["approved_by"]) {
            throw problem(path, node, "the owner and the approver are the same person ('\(values["owner"] ?? "")'): a waiver needs two people")
        }
        let expiresText = values["expires"] ?? ""
        guard let expires = Timestamp(expiresText) else {
            throw problem(path, node, "`expires` '\(expiresText)' is not a timestamp (YYYY-MM-DD[THH:MM[:SS]][Z|±HH:MM], years 0001-9999 in UTC)")
        }
        return Waiver(
            path: path, line: (node.mark?.line ?? 0), key: values["key"], rule: values["rule"], accountID: values["account_id"],
            grantID: values["grant_id"], subject: subject, reason: values["reason"] ?? "", owner: values["owner"] ?? "",
            approvedBy: values["approved_by"] ?? "", expires: expires, expiresText: expiresText)
    }

    /// `subject:`: a mapping of `FindingSubject` field names to single values.
    private static func subject(_ node: Node, path: String) throws -> FindingSubject {
        guard let mapping = node.mapping, !mapping.isEmpty else { throw problem(path, node, "`subject` must be a mapping of fields (written by `access-audit waive`)") }
        var pairs: [(String, String)] = []
        for (keyNode, valueNode) in mapping {
            guard let name = keyNode.string, FindingSubject.names.contains(name) else {
                throw problem(path, keyNode, "unknown subject field \(keyNode.string.map { "'\($0)'" } ?? "") (expected one of \(FindingSubject.names.joined(separator: ", ")))")
            }
            guard let value = valueNode.scalar?.string else { throw problem(path, valueNode, "subject `\(name)` must be a single value") }
            guard !pairs.contains(where: { $0.0 == name }) else { throw problem(path, keyNode, "subject `\(name)` is given twice") }
            pairs.append((name, value))
        }
        return FindingSubject(encoded: pairs)
    }

    private static func problem(_ path: String, _ node: Node, _ message: String) -> AuditError {
        .waivers(path: path, line: node.mark?.line ?? 1, message: message)
    }
}
