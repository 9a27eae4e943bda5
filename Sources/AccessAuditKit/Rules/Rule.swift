/// What a rule is: identity, severity, why it exists, and SQL examples that prove it.
///
/// Modelled on SwiftLint's `RuleDescription`: the examples are small SQL fixtures run on top of
/// `RuleExample.baseFixture`, and one generic test checks that every triggering example fires
/// the rule and every non-triggering one keeps it quiet.
public struct RuleDescription: Sendable {
    /// The contract's rule id, e.g. `level-exceeds-policy`.
    public let id: String
    public let severity: Severity
    /// One line: why an auditor cares.
    public let rationale: String
    /// What one finding is about (a grant, an account, a policy row, a value, an event).
    public let subject: String
    public let triggeringExamples: [RuleExample]
    public let nonTriggeringExamples: [RuleExample]
    /// What to do about one finding of the rule, in words built from the finding's facts; where
    /// `--remediation-sql` writes a change for the rule, the line says so (see `Finding.action`).
    public let action: @Sendable (Finding) -> String
}

extension Finding {
    /// One line: what to do about this finding (its rule's `action`), in every tabular format.
    public var action: String { RuleRegistry.description(of: rule)?.action(self) ?? "" }
}

/// A SQL fixture for a rule's examples.
public struct RuleExample: Sendable, CustomStringConvertible {
    /// SQL run after `schema.sql` and the base fixture.
    public let sql: String
    /// How many findings of the rule it must give (triggering examples only).
    public let count: Int
    /// What the example shows.
    public let note: String

    package init(_ note: String, count: Int = 1, _ sql: String) {
        self.note = note
        self.count = count
        self.sql = sql
    }

    public var description: String { note }
}

/// A rule of the audit.
package protocol Rule: Sendable {
    var description: RuleDescription { get }
}

/// A rule evaluated once per auditable grant.
package protocol GrantRule: Rule {
    func check(_ grant: GrantFacts, into findings: inout [Finding])
}

/// A rule evaluated once per account, after every grant has been read.
package protocol AccountRule: Rule {
    func check(_ account: AccountFacts, into findings: inout [Finding])
}

/// A rule evaluated once per `policy` row.
package protocol PolicyRule: Rule {
    func check(_ row: PolicyRow, levels: LevelTable, into findings: inout [Finding])
}
