-- access-audit contract schema, v1 (docs/CONTRACT.md §1).
--
-- The tables an access-control system keeps, as access-audit reads them. A database written by
-- another system may break any constraint here; access-audit assumes none holds and reports what
-- it finds. Columns may be added; none may be renamed or dropped.

-- The access levels, ordered by rank: a higher rank sees more.
CREATE TABLE access_levels (
  level       TEXT PRIMARY KEY,          -- name of the level, e.g. 'organisation', 'national'
  rank        INTEGER NOT NULL UNIQUE,   -- higher = wider access; must be stored as an integer
  description TEXT                       -- what the level lets its holder see
);

-- What each type of organisation may hold.
CREATE TABLE policy (
  org_type          TEXT PRIMARY KEY,            -- matches organisations.org_type
  default_level     TEXT NOT NULL,               -- the level new accounts of this type should get
  max_level         TEXT NOT NULL,               -- the highest level this type may ever hold
  requires_approval INTEGER NOT NULL DEFAULT 1   -- grants need an approver unless this is the integer 0
);

-- Every organisation with an account, and every organisation a grant may be scoped to.
CREATE TABLE organisations (
  org_id        TEXT PRIMARY KEY,   -- stable identifier, e.g. an ODS code
  name          TEXT NOT NULL,      -- display name
  org_type      TEXT NOT NULL,      -- key into policy.org_type
  parent_org_id TEXT                -- the organisation it belongs to, if any (informational)
);

-- The organisations an organisation is accountable for (a Cancer Alliance covers its providers
-- and commissioners). A grant may be scoped to the account's own organisation or one of these.
CREATE TABLE org_remit (
  org_id        TEXT NOT NULL,   -- the accountable organisation
  covers_org_id TEXT NOT NULL,   -- an organisation in its remit
  PRIMARY KEY (org_id, covers_org_id)
);

-- User accounts.
CREATE TABLE accounts (
  account_id    TEXT PRIMARY KEY,
  username      TEXT NOT NULL UNIQUE,       -- login name; compared to approvers as the same person
  display_name  TEXT,                       -- free text typed by people: never trusted in reports
  org_id        TEXT NOT NULL,              -- the organisation the account belongs to
  status        TEXT NOT NULL DEFAULT 'active',  -- 'active' (trimmed, any case); anything else is inactive
  created_at    TEXT NOT NULL,              -- timestamp (CONTRACT.md §2)
  last_login_at TEXT                        -- timestamp, NULL when the account never logged in
);

-- Current grants: one account, one level, optionally scoped to one organisation.
CREATE TABLE grants (
  grant_id     INTEGER PRIMARY KEY,
  account_id   TEXT NOT NULL,   -- key into accounts.account_id
  level        TEXT NOT NULL,   -- key into access_levels.level
  scope_org_id TEXT,            -- NULL (or blank) = no explicit scope
  granted_at   TEXT NOT NULL,   -- timestamp
  granted_by   TEXT,            -- who allocated it
  approved_by  TEXT,            -- who signed it off (required unless policy.requires_approval = 0)
  expires_at   TEXT             -- timestamp, NULL = never
);

-- History (optional, both append-only). Replaying them rebuilds the state at any past moment.
CREATE TABLE grant_events (
  event_id     INTEGER PRIMARY KEY,
  occurred_at  TEXT NOT NULL,     -- timestamp of the change
  action       TEXT NOT NULL,     -- 'grant' | 'change' | 'revoke'
  grant_id     INTEGER NOT NULL,  -- the grant it creates, changes or removes
  account_id   TEXT NOT NULL,
  level        TEXT,              -- grant/change: the level
  scope_org_id TEXT,              -- grant/change: the scope
  actor        TEXT,              -- who did it (becomes granted_by on 'grant')
  approved_by  TEXT,              -- grant/change: the approver
  expires_at   TEXT,              -- grant/change: the expiry
  note         TEXT               -- free text, e.g. a ticket reference
);

CREATE TABLE account_events (
  event_id    INTEGER PRIMARY KEY,
  occurred_at TEXT NOT NULL,      -- timestamp of the change
  action      TEXT NOT NULL,      -- 'create' | 'move' | 'status'
  account_id  TEXT NOT NULL,
  org_id      TEXT,               -- create/move: the organisation
  status      TEXT,               -- create/status: the status (blank on create = 'active')
  actor       TEXT,               -- who did it
  note        TEXT
);

-- Releases (optional, CONTRACT.md §6): statistical outputs that exist before they are published.
-- Between generated_at and published_at (NULL: not yet published) an output is visible to every
-- grant whose level's rank is at least the rank of its level. `investigate` reports which of a
-- breach's grants saw an output before publication; the audit itself does not read this table.
CREATE TABLE releases (
  release_id   TEXT PRIMARY KEY,
  title        TEXT NOT NULL,     -- e.g. 'Cancer waiting times, January 2019'
  level        TEXT NOT NULL,     -- key into access_levels.level: the lowest level that sees it
  generated_at TEXT NOT NULL,     -- timestamp: when the output was produced
  published_at TEXT               -- timestamp, NULL = not (yet) published
);

-- Indexes that help the history commands; the audit itself needs none.
CREATE INDEX grant_events_by_time ON grant_events (occurred_at, event_id);
CREATE INDEX account_events_by_time ON account_events (occurred_at, event_id);
CREATE INDEX grant_events_by_account ON grant_events (account_id);
CREATE INDEX account_events_by_account ON account_events (account_id);
