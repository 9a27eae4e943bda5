extension RuleExample {
    /// The world every rule example starts from: three levels, four org types, five
    /// organisations, one remit and six accounts, no grants. It gives no finding on its own.
    /// The examples audit it with `RuleExample.now`.
    package static let baseFixture = """
        INSERT INTO access_levels(level, rank, description) VALUES
          ('organisation', 10, 'Data of the own organisation'),
          ('alliance', 20, 'Data of the organisations in remit'),
          ('national', 30, 'All national data before publication');
        INSERT INTO policy(org_type, default_level, max_level, requires_approval) VALUES
          ('provider', 'organisation', 'organisation', 1),
          ('cancer_alliance', 'organisation', 'alliance', 1),
          ('national_producer', 'alliance', 'national', 1),
          ('supplier', 'organisation', 'organisation', 0);
        INSERT INTO organisations(org_id, name, org_type, parent_org_id) VALUES
          ('P1', 'Provider One', 'provider', 'CA1'),
          ('P2', 'Provider Two', 'provider', NULL),
          ('CA1', 'Alliance One', 'cancer_alliance', NULL),
          ('NAT', 'National Producer', 'national_producer', NULL),
          ('SUP', 'Supplier', 'supplier', NULL);
        INSERT INTO org_remit(org_id, covers_org_id) VALUES ('CA1', 'P1');
        INSERT INTO accounts(account_id, username, display_name, org_id, status, created_at, last_login_at) VALUES
          ('u-prov', 'prov.user', 'Provider User', 'P1', 'active', '2026-01-01T09:00:00Z', '2026-05-30T09:00:00Z'),
          ('u-ca', 'ca.user', 'Alliance User', 'CA1', 'active', '2026-01-01', '2026-05-30 09:00'),
          ('u-nat', 'nat.user', 'National User', 'NAT', 'active', '2026-01-01', '2026-05-30'),
          ('u-sup', 'sup.user', 'Supplier User', 'SUP', 'active', '2026-01-01', NULL),
          ('u-gone', 'gone.user', 'Former User', 'P1', 'disabled', '2026-01-01', '2026-05-30'),
          ('u-old', 'old.user', 'Old User', 'P1', 'active', '2025-01-01', '2025-12-01');
        """

    /// The clock of every example: 2026-06-01T00:00:00Z.
    package static let now = Timestamp(seconds: Timestamp.daysFromCivil(year: 2026, month: 6, day: 1) * 86_400)

    /// A grant row for examples: `grant(1, "u-ca", "alliance")` with sensible defaults.
    package static func grant(
        _ id: Int, _ account: String, _ level: String, scope: String = "NULL",
        grantedAt: String = "'2026-05-01T10:00:00Z'", by: String = "'admin.one'",
        approvedBy: String = "'approver.two'", expires: String = "NULL"
    ) -> String {
        "INSERT INTO grants(grant_id, account_id, level, scope_org_id, granted_at, granted_by, approved_by, expires_at) "
            + "VALUES (\(id), '\(account)', '\(level)', \(scope), \(grantedAt), \(by), \(approvedBy), \(expires));"
    }
}

extension RuleExample {
    /// A `grant_events` row for examples.
    package static func grantEvent(
        _ eventID: Int, _ at: String, _ action: String, grant: Int, account: String, level: String = "NULL",
        scope: String = "NULL", actor: String = "'admin.one'", approvedBy: String = "'approver.two'",
        expires: String = "NULL"
    ) -> String {
        "INSERT INTO grant_events(event_id, occurred_at, action, grant_id, account_id, level, scope_org_id, actor, "
            + "approved_by, expires_at, note) VALUES (\(eventID), '\(at)', '\(action)', \(grant), '\(account)', "
            + "\(level), \(scope), \(actor), \(approvedBy), \(expires), NULL);"
    }

    /// An `account_events` row for examples.
    package static func accountEvent(
        _ eventID: Int, _ at: String, _ action: String, account: String, org: String = "NULL", status: String = "NULL",
        actor: String = "'admin.one'"
    ) -> String {
        "INSERT INTO account_events(event_id, occurred_at, action, account_id, org_id, status, actor, note) "
            + "VALUES (\(eventID), '\(at)', '\(action)', '\(account)', \(org), \(status), \(actor), NULL);"
    }

    /// Grant 1 of u-ca at alliance level, in the table and in the log, consistently.
    static let loggedGrant =
        grant(1, "u-ca", "alliance", grantedAt: "'2026-05-01T10:00:00Z'")
        + grantEvent(1, "2026-05-01T10:00:00Z", "grant", grant: 1, account: "u-ca", level: "'alliance'")
}
