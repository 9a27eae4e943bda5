/// access-audit: audits who can see what in an access-control database (CONTRACT.md v1).
public enum AccessAuditKit {
    /// The tool's version.
    public static let version = "0.1.0"
    /// The contract version this build implements.
    public static let contractVersion = 1
}
