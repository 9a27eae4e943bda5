-- access-audit sample: national cancer waiting times statistics, pre-publication access.
--
-- A fictional snapshot of the access-control database of a national statistics system, taken
-- by the nightly audit at 02:00 on 13 March 2019. On 7 March a Cancer Alliance user (jdoyle)
-- was given a *national* account in error; it was reported on 11 March and revoked at 11:50 on
-- 12 March, and the "check of every other user" was done by hand. The grant_events log keeps
-- that incident. The audit finds what the hand check missed: a second alliance user (spatel),
-- set up the same morning by the same administrator, still holds national access, approved by
-- the administrator who granted it. A few everyday problems sit alongside: among them an
-- approval typed into the grants table by hand with no trace in the log, and a leaver whose
-- revoke was logged against the wrong grant id, so she kept her access.
--
-- Load it with:  access-audit audit samples/national-statistics.sql --now 2019-03-13T02:00:00Z
-- (every person and account here is invented).

-- access-audit contract schema, v1 (../shared/CONTRACT.md §1).
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


INSERT INTO access_levels (level, rank, description) VALUES
  ('organisation', 10, 'Pre-publication data for the account''s own organisation'),
  ('alliance', 20, 'Pre-publication data for the providers and commissioners in the organisation''s remit'),
  ('national', 30, 'All pre-publication national data: producers of the official statistics only');

INSERT INTO policy (org_type, default_level, max_level, requires_approval) VALUES
  ('national_producer', 'national', 'national', 1),
  ('data_processor', 'organisation', 'national', 1),
  ('cancer_alliance', 'alliance', 'alliance', 1),
  ('commissioner', 'organisation', 'organisation', 1),
  ('provider', 'organisation', 'organisation', 0);

INSERT INTO organisations (org_id, name, org_type, parent_org_id) VALUES
  ('NHSE-STATS', 'NHS England Analytical Services', 'national_producer', NULL),
  ('X26', 'NHS Digital', 'data_processor', NULL),
  ('CA-WM', 'West Midlands Cancer Alliance', 'cancer_alliance', NULL),
  ('CA-WX', 'Wessex Cancer Alliance', 'cancer_alliance', NULL),
  ('CA-NCL', 'North Central London Cancer Alliance', 'cancer_alliance', NULL),
  ('RRK', 'University Hospitals Birmingham NHS Foundation Trust', 'provider', 'CA-WM'),
  ('RXK', 'Sandwell and West Birmingham Hospitals NHS Trust', 'provider', 'CA-WM'),
  ('RHM', 'University Hospital Southampton NHS Foundation Trust', 'provider', 'CA-WX'),
  ('R1F', 'Isle of Wight NHS Trust', 'provider', 'CA-WX'),
  ('RAL', 'Royal Free London NHS Foundation Trust', 'provider', 'CA-NCL'),
  ('RRV', 'University College London Hospitals NHS Foundation Trust', 'provider', 'CA-NCL'),
  ('15E', 'NHS Birmingham and Solihull CCG', 'commissioner', 'CA-WM'),
  ('10X', 'NHS Southampton City CCG', 'commissioner', 'CA-WX'),
  ('07M', 'NHS Barnet CCG', 'commissioner', 'CA-NCL');

INSERT INTO org_remit (org_id, covers_org_id) VALUES
  ('CA-WM', 'RRK'), ('CA-WM', 'RXK'), ('CA-WM', '15E'),
  ('CA-WX', 'RHM'), ('CA-WX', 'R1F'), ('CA-WX', '10X'),
  ('CA-NCL', 'RAL'), ('CA-NCL', 'RRV'), ('CA-NCL', '07M');

INSERT INTO accounts (account_id, username, display_name, org_id, status, created_at, last_login_at) VALUES
  ('acc-001', 'hwright', 'Hannah Wright', 'NHSE-STATS', 'active', '2017-06-01T09:00:00Z', '2019-03-12T16:40:00Z'),
  ('acc-002', 'dokafor', 'David Okafor', 'NHSE-STATS', 'active', '2017-06-01T09:05:00Z', '2019-03-11T08:15:00Z'),
  ('acc-003', 'rkhan', 'Rukhsana Khan', 'X26', 'active', '2018-01-15T10:00:00Z', '2019-03-12T11:02:00Z'),
  ('acc-004', 'kosei', 'Kwame Osei', 'X26', 'active', '2016-11-01T09:00:00Z', '2019-03-12T11:50:00Z'),
  ('acc-005', 'lbrennan', 'Laura Brennan', 'X26', 'active', '2016-11-01T09:10:00Z', '2019-03-12T12:00:00Z'),
  ('acc-010', 'jdoyle', 'Jamie Doyle', 'CA-WX', 'active', '2019-03-07T08:30:00Z', '2019-03-12T09:55:00Z'),
  ('acc-011', 'spatel', 'Sunita Patel', 'CA-WM', 'active', '2019-03-07T09:00:00Z', '2019-03-11T14:20:00Z'),
  ('acc-012', 'tnguyen', 'Thanh Nguyen', 'CA-NCL', 'active', '2018-05-14T09:00:00Z', '2019-03-08T10:00:00Z'),
  ('acc-013', 'bevans', 'Bethan Evans', 'CA-NCL', 'active', '2018-05-14T09:05:00Z', '2019-03-01T13:30:00Z'),
  ('acc-020', 'achowdhury', 'Amir Chowdhury', 'RRK', 'active', '2018-02-01T09:00:00Z', '2019-03-12T09:00:00Z'),
  ('acc-021', 'rbaker', 'Rachel Baker', 'RXK', 'active', '2018-02-01T09:10:00Z', '2019-03-05T09:00:00Z'),
  ('acc-022', 'mjones', 'Megan Jones', 'RHM', 'left', '2017-09-01T09:00:00Z', '2019-02-14T17:00:00Z'),
  ('acc-023', 'cdavies', 'Carys Davies', 'R1F', 'active', '2018-07-01T09:00:00Z', '2019-03-10T10:00:00Z'),
  ('acc-024', 'ewilliams', 'Emyr Williams', 'RAL', 'active', '2017-03-01T09:00:00Z', '2018-09-03T10:00:00Z'),
  ('acc-025', 'ocampbell', 'Olivia Campbell', 'RRV', 'active', '31/01/2019', '2019-03-11T10:00:00Z'),
  ('acc-030', 'gsmith', 'George Smith', '15E', 'active', '2018-03-01T09:00:00Z', '2019-03-12T15:00:00Z'),
  ('acc-031', 'ltaylor', 'Lucy Taylor', '10X', 'active', '2018-10-01T09:00:00Z', '2019-03-12T10:30:00Z'),
  ('acc-032', 'nali', 'Nadia Ali', '07M', 'active', '2018-10-01T09:10:00Z', '2019-03-12T10:30:00Z');

INSERT INTO grants (grant_id, account_id, level, scope_org_id, granted_at, granted_by, approved_by, expires_at) VALUES
  (1001, 'acc-001', 'national', NULL, '2017-06-01T10:00:00Z', 'kosei', 'mfarah', NULL),
  (1002, 'acc-002', 'national', NULL, '2017-06-01T10:05:00Z', 'kosei', 'mfarah', NULL),
  (1003, 'acc-004', 'organisation', NULL, '2016-11-01T12:00:00Z', 'lbrennan', 'mfarah', NULL),
  (1004, 'acc-005', 'organisation', NULL, '2016-11-01T12:10:00Z', 'kosei', 'mfarah', NULL),
  (1010, 'acc-003', 'national', NULL, '2018-01-15T11:00:00Z', 'kosei', 'lbrennan', NULL),
  (1020, 'acc-020', 'organisation', 'RRK', '2018-02-01T10:00:00Z', 'kosei', NULL, NULL),
  (1021, 'acc-021', 'organisation', 'RXK', '2018-02-01T10:10:00Z', 'kosei', NULL, NULL),
  (1022, 'acc-022', 'organisation', 'RHM', '2017-09-01T10:00:00Z', 'kosei', NULL, NULL),
  (1023, 'acc-024', 'organisation', 'RAL', '2017-03-01T10:00:00Z', 'kosei', NULL, NULL),
  (1030, 'acc-030', 'organisation', '15E', '2018-03-01T10:00:00Z', 'kosei', 'lbrennan', '2019-02-28T23:59:59Z'),
  (1031, 'acc-012', 'alliance', 'CA-NCL', '2018-05-14T10:00:00Z', 'kosei', 'lbrennan', NULL),
  (1032, 'acc-013', 'alliance', 'RHM', '2018-05-14T10:05:00Z', 'kosei', 'lbrennan', NULL),
  (1040, 'acc-023', 'organisation', 'R1F', '2018-07-01T10:00:00Z', 'kosei', NULL, NULL),
  (1041, 'acc-025', 'organisation', 'RRV', '2019-01-31T10:00:00Z', 'kosei', NULL, NULL),
  (1042, 'acc-031', 'organisation', '10X', '2018-10-01T10:00:00Z', 'kosei', NULL, NULL),
  (1043, 'acc-032', 'organisation', '07M', '2018-10-01T10:10:00Z', 'kosei', 'lbrennan', NULL),
  (1044, 'acc-020', 'organisation', 'RRK', '2018-11-20T14:00:00Z', 'kosei', NULL, NULL),
  (1045, 'acc-009', 'alliance', NULL, '2018-06-01T10:00:00Z', 'kosei', 'lbrennan', NULL),
  (1051, 'acc-011', 'national', NULL, '2019-03-07T09:12:00Z', 'kosei', 'kosei', NULL),
  (1052, 'acc-010', 'alliance', 'CA-WX', '2019-03-12T12:05:00Z', 'kosei', 'lbrennan', NULL);

INSERT INTO grant_events (event_id, occurred_at, action, grant_id, account_id, level, scope_org_id, actor, approved_by, expires_at, note) VALUES
  (1, '2016-11-01T12:00:00Z', 'grant', 1003, 'acc-004', 'organisation', NULL, 'lbrennan', 'mfarah', NULL, 'REQ-0904'),
  (2, '2016-11-01T12:10:00Z', 'grant', 1004, 'acc-005', 'organisation', NULL, 'kosei', 'mfarah', NULL, 'REQ-0905'),
  (3, '2017-03-01T10:00:00Z', 'grant', 1023, 'acc-024', 'organisation', 'RAL', 'kosei', NULL, NULL, 'REQ-1010'),
  (4, '2017-06-01T10:00:00Z', 'grant', 1001, 'acc-001', 'national', NULL, 'kosei', 'mfarah', NULL, 'REQ-1120 statistics producer'),
  (5, '2017-06-01T10:05:00Z', 'grant', 1002, 'acc-002', 'national', NULL, 'kosei', 'mfarah', NULL, 'REQ-1121 statistics producer'),
  (6, '2017-09-01T10:00:00Z', 'grant', 1022, 'acc-022', 'organisation', 'RHM', 'kosei', NULL, NULL, 'REQ-1207'),
  (7, '2018-01-15T11:00:00Z', 'grant', 1010, 'acc-003', 'national', NULL, 'kosei', NULL, NULL, 'REQ-1502 data quality analyst'),
  (8, '2018-02-01T10:00:00Z', 'grant', 1020, 'acc-020', 'organisation', 'RRK', 'kosei', NULL, NULL, 'REQ-1533'),
  (9, '2018-02-01T10:10:00Z', 'grant', 1021, 'acc-021', 'organisation', 'RXK', 'kosei', NULL, NULL, 'REQ-1534'),
  (10, '2018-03-01T10:00:00Z', 'grant', 1030, 'acc-030', 'organisation', '15E', 'kosei', 'lbrennan', '2019-02-28T23:59:59Z', 'REQ-1580 fixed-term secondment'),
  (11, '2018-05-14T10:00:00Z', 'grant', 1031, 'acc-012', 'alliance', 'CA-NCL', 'kosei', 'lbrennan', NULL, 'REQ-1633'),
  (12, '2018-05-14T10:05:00Z', 'grant', 1032, 'acc-013', 'alliance', 'RHM', 'kosei', 'lbrennan', NULL, 'REQ-1634'),
  (13, '2018-06-01T10:00:00Z', 'grant', 1045, 'acc-009', 'alliance', NULL, 'kosei', 'lbrennan', NULL, 'REQ-1660'),
  (14, '2018-07-01T10:00:00Z', 'grant', 1040, 'acc-023', 'organisation', 'R1F', 'kosei', NULL, NULL, 'REQ-1702'),
  (15, '2018-10-01T10:00:00Z', 'grant', 1042, 'acc-031', 'organisation', '10X', 'kosei', NULL, NULL, 'REQ-1811'),
  (16, '2018-10-01T10:10:00Z', 'grant', 1043, 'acc-032', 'organisation', '07M', 'kosei', 'lbrennan', NULL, 'REQ-1812'),
  (17, '2018-11-20T14:00:00Z', 'grant', 1044, 'acc-020', 'organisation', 'RRK', 'kosei', NULL, NULL, 'REQ-1907 re-requested after password reset'),
  (18, '2019-01-31T10:00:00Z', 'grant', 1041, 'acc-025', 'organisation', 'RRV', 'kosei', NULL, NULL, 'REQ-2015'),
  (19, '2019-02-15T09:05:00Z', 'revoke', 1035, 'acc-022', NULL, NULL, 'lbrennan', NULL, NULL, 'REQ-1950 remove leaver access'),
  (20, '2019-03-07T08:45:00Z', 'grant', 1050, 'acc-010', 'national', NULL, 'kosei', NULL, NULL, 'REQ-2101 new alliance analyst'),
  (21, '2019-03-07T09:12:00Z', 'grant', 1051, 'acc-011', 'national', NULL, 'kosei', 'kosei', NULL, 'REQ-2102 new alliance analyst'),
  (22, '2019-03-12T11:50:00Z', 'revoke', 1050, 'acc-010', NULL, NULL, 'kosei', NULL, NULL, 'INC-0311 national account given to Cancer Alliance user in error'),
  (23, '2019-03-12T12:05:00Z', 'grant', 1052, 'acc-010', 'alliance', 'CA-WX', 'kosei', 'lbrennan', NULL, 'INC-0311 correct access for alliance user');

INSERT INTO account_events (event_id, occurred_at, action, account_id, org_id, status, actor, note) VALUES
  (1, '2016-11-01T09:00:00Z', 'create', 'acc-004', 'X26', 'active', 'kosei', 'new account'),
  (2, '2016-11-01T09:10:00Z', 'create', 'acc-005', 'X26', 'active', 'kosei', 'new account'),
  (3, '2017-03-01T09:00:00Z', 'create', 'acc-024', 'RAL', 'active', 'kosei', 'new account'),
  (4, '2017-06-01T09:00:00Z', 'create', 'acc-001', 'NHSE-STATS', 'active', 'kosei', 'new account'),
  (5, '2017-06-01T09:05:00Z', 'create', 'acc-002', 'NHSE-STATS', 'active', 'kosei', 'new account'),
  (6, '2017-09-01T09:00:00Z', 'create', 'acc-022', 'RHM', 'active', 'kosei', 'new account'),
  (7, '2018-01-15T10:00:00Z', 'create', 'acc-003', 'X26', 'active', 'kosei', 'new account'),
  (8, '2018-02-01T09:00:00Z', 'create', 'acc-020', 'RRK', 'active', 'kosei', 'new account'),
  (9, '2018-02-01T09:10:00Z', 'create', 'acc-021', 'RXK', 'active', 'kosei', 'new account'),
  (10, '2018-03-01T09:00:00Z', 'create', 'acc-030', '15E', 'active', 'kosei', 'new account'),
  (11, '2018-05-14T09:00:00Z', 'create', 'acc-012', 'CA-NCL', 'active', 'kosei', 'new account'),
  (12, '2018-05-14T09:05:00Z', 'create', 'acc-013', 'CA-NCL', 'active', 'kosei', 'new account'),
  (13, '2018-06-01T09:00:00Z', 'create', 'acc-009', 'CA-WM', 'active', 'kosei', 'new account'),
  (14, '2018-07-01T09:00:00Z', 'create', 'acc-023', 'R1F', 'active', 'kosei', 'new account'),
  (15, '2018-10-01T09:00:00Z', 'create', 'acc-031', '10X', 'active', 'kosei', 'new account'),
  (16, '2018-10-01T09:10:00Z', 'create', 'acc-032', '07M', 'active', 'kosei', 'new account'),
  (17, '2018-12-01T09:00:00Z', 'status', 'acc-009', NULL, 'deleted', 'lbrennan', 'left the alliance; account deleted'),
  (18, '2019-01-31T09:00:00Z', 'create', 'acc-025', 'RRV', 'active', 'kosei', 'new account'),
  (19, '2019-02-15T09:00:00Z', 'status', 'acc-022', NULL, 'left', 'lbrennan', 'HR leaver notification'),
  (20, '2019-03-07T08:30:00Z', 'create', 'acc-010', 'CA-WX', 'active', 'kosei', 'new account'),
  (21, '2019-03-07T09:00:00Z', 'create', 'acc-011', 'CA-WM', 'active', 'kosei', 'new account');

-- Monthly cancer waiting times outputs, each generated a week before it is published (national
-- level: producers of the official statistics only), and the alliances' provider-level extract of
-- January's (alliance level). January 2019's national output was generated on 7 March, the
-- morning of the breach, and is not yet published at the time of this snapshot.
INSERT INTO releases (release_id, title, level, generated_at, published_at) VALUES
  ('CWT-2018-11', 'Cancer waiting times, November 2018', 'national', '2019-01-03T07:00:00Z', '2019-01-10T09:30:00Z'),
  ('CWT-2018-12', 'Cancer waiting times, December 2018', 'national', '2019-02-07T07:00:00Z', '2019-02-14T09:30:00Z'),
  ('CWT-2019-01', 'Cancer waiting times, January 2019', 'national', '2019-03-07T07:00:00Z', NULL),
  ('CWT-2019-01-ALL', 'Cancer waiting times, January 2019: provider extract for Cancer Alliances', 'alliance', '2019-03-07T07:00:00Z', NULL);
