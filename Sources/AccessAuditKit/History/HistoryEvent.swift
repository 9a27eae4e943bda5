/// Which append-only log an event comes from.
public enum EventLog: String, Sendable, Hashable {
    case accountEvents = "account_events"
    case grantEvents = "grant_events"
}

/// One row of `grant_events` or `account_events`, every value as text (nil for NULL).
///
/// Fields a log does not have are nil (account events have no grant, level or approver; grant
/// events have no org_id or status).
public struct HistoryEvent: Sendable, Hashable {
    public var log: EventLog
    /// The event's `event_id` as stored (an integer in a well-formed log).
    public var eventID: GrantID
    public var occurredAt: String?
    public var action: String?
    public var grantID: GrantID?
    public var accountID: String?
    public var level: String?
    public var scopeOrgID: String?
    public var orgID: String?
    public var status: String?
    public var actor: String?
    public var approvedBy: String?
    public var expiresAt: String?
    public var note: String?

    package init(
        log: EventLog, eventID: GrantID, occurredAt: String?, action: String?, grantID: GrantID? = nil,
        accountID: String?, level: String? = nil, scopeOrgID: String? = nil, orgID: String? = nil,
        status: String? = nil, actor: String? = nil, approvedBy: String? = nil, expiresAt: String? = nil,
        note: String? = nil
    ) {
        self.log = log
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.action = action
        self.grantID = grantID
        self.accountID = accountID
        self.level = level
        self.scopeOrgID = scopeOrgID
        self.orgID = orgID
        self.status = status
        self.actor = actor
        self.approvedBy = approvedBy
        self.expiresAt = expiresAt
        self.note = note
    }

    /// The instant the event happened, nil when `occurred_at` is invalid.
    public var instant: Timestamp? { occurredAt.flatMap(Timestamp.init) }

    /// The event on the current row of `EventReader.forEachRow`.
    init(row: some RowValues) {
        typealias C = EventReader.Column
        let isGrant = row.int64(C.log) == 1
        self.init(
            log: isGrant ? .grantEvents : .accountEvents, eventID: DatabaseAudit.grantID(row, C.eventID),
            occurredAt: row.text(C.occurredAt), action: row.text(C.action),
            grantID: isGrant ? DatabaseAudit.grantID(row, C.grantID) : nil, accountID: row.text(C.accountID),
            level: row.text(C.level), scopeOrgID: row.text(C.scopeOrgID), orgID: row.text(C.orgID), status: row.text(C.status),
            actor: row.text(C.actor), approvedBy: row.text(C.approvedBy), expiresAt: row.text(C.expiresAt), note: row.text(C.note))
    }
}
