-- access-audit sample: a "legacy portal" whose access tables look nothing like the contract's.
-- Audit it through its map:
--   access-audit audit samples/foreign/legacy-portal.sql --map samples/foreign/legacy-portal.map.sql --now 2019-03-13T02:00:00Z
-- or, as a SQLite file (sqlite3 legacy.db < samples/foreign/legacy-portal.sql):
--   access-audit audit legacy.db --map samples/foreign/legacy-portal.map.sql --now 2019-03-13T02:00:00Z
-- It has no history tables. Every person here is invented.

CREATE TABLE tiers (tier_name TEXT PRIMARY KEY, weight INTEGER NOT NULL, blurb TEXT);
CREATE TABLE org_kinds (kind TEXT PRIMARY KEY, starting_tier TEXT, top_tier TEXT, needs_signoff TEXT);  -- 'Y' / 'N'
CREATE TABLE bodies (ods TEXT PRIMARY KEY, title TEXT, kind TEXT, parent_ods TEXT);
CREATE TABLE body_covers (ods TEXT, covered_ods TEXT);
CREATE TABLE people (uid INTEGER PRIMARY KEY, login TEXT, full_name TEXT, ods TEXT, enabled INTEGER,
                     joined_epoch INTEGER, last_seen_epoch INTEGER);
CREATE TABLE permissions (perm_no INTEGER PRIMARY KEY, uid INTEGER, tier TEXT, for_ods TEXT,
                          given_epoch INTEGER, given_by TEXT, signed_off_by TEXT, ends_on TEXT);

INSERT INTO tiers VALUES ('ORG', 1, 'own organisation'), ('REGION', 2, 'bodies covered'), ('NATIONAL', 3, 'everything');
INSERT INTO org_kinds VALUES ('TRUST', 'ORG', 'ORG', 'N'), ('ALLIANCE', 'REGION', 'REGION', 'Y'), ('CENTRE', 'NATIONAL', 'NATIONAL', 'Y');
INSERT INTO bodies VALUES ('NHSE', 'NHS England Statistics', 'CENTRE', NULL), ('CA-EM', 'East Midlands Cancer Alliance', 'ALLIANCE', NULL),
  ('RX1', 'Nottingham University Hospitals', 'TRUST', 'CA-EM'), ('RWE', 'University Hospitals of Leicester', 'TRUST', 'CA-EM');
INSERT INTO body_covers VALUES ('CA-EM', 'RX1'), ('CA-EM', 'RWE');
INSERT INTO people VALUES
  (1, 'astone', 'Alex Stone', 'NHSE', 1, 1496300000, 1552390000),
  (2, 'bkaur', 'Balvinder Kaur', 'CA-EM', 1, 1551945000, 1552300000),
  (3, 'cwood', 'Chris Wood', 'RX1', 1, 1517443200, 1552200000),
  (4, 'dmills', 'Dana Mills', 'RWE', 0, 1517443200, 1549000000);
INSERT INTO permissions VALUES
  (10, 1, 'NATIONAL', NULL, 1496310000, 'portal.admin', 'head.of.stats', NULL),
  (11, 2, 'NATIONAL', NULL, 1551946000, 'portal.admin', NULL, NULL),
  (12, 3, 'ORG', 'RX1', 1517450000, 'portal.admin', NULL, NULL),
  (13, 4, 'ORG', 'RWE', 1517450000, 'portal.admin', NULL, '2019-02-01');
