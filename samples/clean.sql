-- access-audit sample: a small, clean access database. Every grant is within policy, approved
-- by someone other than the grantor and the holder, scoped within remit, and every account
-- has logged in recently. `access-audit audit samples/clean.sql --now 2026-11-25T00:00:00Z`
-- reports no findings and exits 0.

CREATE TABLE access_levels (level TEXT PRIMARY KEY, rank INTEGER NOT NULL UNIQUE, description TEXT);
CREATE TABLE policy (org_type TEXT PRIMARY KEY, default_level TEXT NOT NULL, max_level TEXT NOT NULL,
                     requires_approval INTEGER NOT NULL DEFAULT 1);
CREATE TABLE organisations (org_id TEXT PRIMARY KEY, name TEXT NOT NULL, org_type TEXT NOT NULL, parent_org_id TEXT);
CREATE TABLE org_remit (org_id TEXT NOT NULL, covers_org_id TEXT NOT NULL, PRIMARY KEY (org_id, covers_org_id));
CREATE TABLE accounts (account_id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE, display_name TEXT,
                       org_id TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'active',
                       created_at TEXT NOT NULL, last_login_at TEXT);
CREATE TABLE grants (grant_id INTEGER PRIMARY KEY, account_id TEXT NOT NULL, level TEXT NOT NULL,
                     scope_org_id TEXT, granted_at TEXT NOT NULL, granted_by TEXT, approved_by TEXT, expires_at TEXT);

INSERT INTO access_levels VALUES
  ('organisation', 10, 'Own organisation'),
  ('alliance', 20, 'Organisations in remit'),
  ('national', 30, 'All national data');

INSERT INTO policy VALUES
  ('national_producer', 'national', 'national', 1),
  ('cancer_alliance', 'alliance', 'alliance', 1),
  ('provider', 'organisation', 'organisation', 0);

INSERT INTO organisations VALUES
  ('NHSE-STATS', 'NHS England Analytical Services', 'national_producer', NULL),
  ('CA-WX', 'Wessex Cancer Alliance', 'cancer_alliance', NULL),
  ('RHM', 'University Hospital Southampton NHS Foundation Trust', 'provider', 'CA-WX');

INSERT INTO org_remit VALUES ('CA-WX', 'RHM');

INSERT INTO accounts VALUES
  ('acc-001', 'hwright', 'Hannah Wright', 'NHSE-STATS', 'active', '2024-06-01T09:00:00Z', '2026-11-24T16:40:00Z'),
  ('acc-010', 'jdoyle', 'Jamie Doyle', 'CA-WX', 'active', '2025-03-07T08:30:00Z', '2026-11-23T09:55:00Z'),
  ('acc-020', 'mjones', 'Megan Jones', 'RHM', 'active', '2025-09-01T09:00:00Z', '2026-11-20T17:00:00Z'),
  ('acc-021', 'cdavies', 'Carys Davies', 'RHM', 'disabled', '2025-09-01T09:00:00Z', '2026-01-20T17:00:00Z');

INSERT INTO grants VALUES
  (1, 'acc-001', 'national', NULL, '2024-06-01T10:00:00Z', 'kosei', 'mfarah', NULL),
  (2, 'acc-010', 'alliance', 'RHM', '2025-03-07T09:00:00Z', 'kosei', 'lbrennan', '2027-03-31'),
  (3, 'acc-020', 'organisation', 'RHM', '2025-09-01T10:00:00Z', 'kosei', NULL, NULL);
