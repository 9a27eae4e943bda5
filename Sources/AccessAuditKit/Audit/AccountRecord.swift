/// What the engine keeps per account while grants stream: only what rules and evidence need.
package struct AccountRecord: Sendable {
    package var row: AccountRow
    package var active: Bool
    /// The instant `dormant-account` compares: last login, or creation when never logged in;
    /// nil when that value is invalid.
    package var lastActivity: Timestamp?
    /// How many auditable grants the account holds (filled while grants stream).
    package var auditableGrants: Int = 0
    /// The account's first auditable grant, for `duplicate-grant`.
    var firstGrant: (level: ExactText, scope: ExactText?, id: GrantID)?

    package init(row: AccountRow) {
        self.row = row
        active = Blank.isActiveStatus(row.status)
        if let lastLogin = Blank.nonBlank(row.lastLoginAt) {
            lastActivity = Timestamp(lastLogin)
        } else {
            lastActivity = row.createdAt.flatMap(Timestamp.init)
        }
    }
}
