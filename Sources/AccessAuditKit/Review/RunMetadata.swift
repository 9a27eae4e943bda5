import Crypto
import Foundation

/// What makes a report reproducible: the tool and contract versions, the database file (path,
/// size, SHA-256) and every effective setting. Recorded in every report.
public struct RunMetadata: Sendable {
    public struct File: Sendable {
        public var path: String
        public var size: Int64
        public var sha256: String
    }

    public var toolVersion = AccessAuditKit.version
    public var contractVersion = AccessAuditKit.contractVersion
    /// The audited file, and the map when one was used.
    public var files: [File]
    /// Effective settings, in a fixed order.
    public var settings: [(String, String)]

    public init(files: [File], settings: [(String, String)]) {
        self.files = files
        self.settings = settings
    }

    /// Size and SHA-256 of bytes already read (a `.sql` source or a map, as loaded).
    package static func fingerprint(_ data: some DataProtocol, path: String) -> File {
        File(path: path, size: Int64(data.count), sha256: hex(SHA256.hash(data: data)))
    }

    static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }

    var json: JSONValue {
        .object([
            ("tool_version", .string(toolVersion)), ("contract_version", .int(Int64(contractVersion))),
            (
                "files",
                .array(files.map { .object([("path", .string($0.path)), ("size", .int($0.size)), ("sha256", .string($0.sha256))]) })
            ),
            ("settings", .object(settings.map { ($0.0, RunMetadata.typed(setting: $0.0, $0.1)) })),
        ])
    }

    /// Settings that are numbers or booleans in JSON (docs/CONTRACT.md §5.1 `run.settings`).
    static let integerSettings: Set = ["dormant_days", "busy_timeout_ms", "keep"]
    static let booleanSettings: Set = ["immutable", "integrity_check", "fail_on_new"]

    /// A setting's value with its type: the settings are kept as text for `--print-config` and the
    /// text formats, and typed here so a JSON consumer reads `90`, not `"90"`.
    static func typed(setting key: String, _ value: String) -> JSONValue {
        if integerSettings.contains(key), let number = Int64(value) { return .int(number) }
        if booleanSettings.contains(key), let flag = Bool(value) { return .bool(flag) }
        if key == "disabled_rules" { return .array(value.split(separator: ",").map { .string(String($0)) }) }
        return .string(value)
    }

    /// One line for people.
    public var summary: String {
        let described = files.map { "\($0.path) (\($0.size) bytes, sha256 \($0.sha256.prefix(16))…)" }.joined(separator: ", ")
        let options = settings.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
        return "access-audit \(toolVersion), contract v\(contractVersion); \(described); \(options)"
    }
}
