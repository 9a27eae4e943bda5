-- Presents the legacy portal's tables under the contract's names (docs/RELIABILITY.md, "Foreign
-- schemas"). Each view lists the contract's columns in order. Names are unqualified so the map
-- works both on a SQLite file (attached read-only as `src`) and on a .sql text source.
CREATE TEMP VIEW access_levels AS
  SELECT tier_name AS level, weight AS rank, blurb AS description FROM tiers;
CREATE TEMP VIEW policy AS
  SELECT kind AS org_type, starting_tier AS default_level, top_tier AS max_level,
         CASE needs_signoff WHEN 'N' THEN 0 ELSE 1 END AS requires_approval FROM org_kinds;
CREATE TEMP VIEW organisations AS
  SELECT ods AS org_id, title AS name, kind AS org_type, parent_ods AS parent_org_id FROM bodies;
CREATE TEMP VIEW org_remit AS
  SELECT ods AS org_id, covered_ods AS covers_org_id FROM body_covers;
CREATE TEMP VIEW accounts AS
  SELECT 'u' || uid AS account_id, login AS username, full_name AS display_name, ods AS org_id,
         CASE enabled WHEN 1 THEN 'active' ELSE 'disabled' END AS status,
         strftime('%Y-%m-%dT%H:%M:%SZ', joined_epoch, 'unixepoch') AS created_at,
         strftime('%Y-%m-%dT%H:%M:%SZ', last_seen_epoch, 'unixepoch') AS last_login_at FROM people;
CREATE TEMP VIEW grants AS
  SELECT perm_no AS grant_id, 'u' || uid AS account_id, tier AS level, for_ods AS scope_org_id,
         strftime('%Y-%m-%dT%H:%M:%SZ', given_epoch, 'unixepoch') AS granted_at, given_by AS granted_by,
         signed_off_by AS approved_by, ends_on AS expires_at FROM permissions;
