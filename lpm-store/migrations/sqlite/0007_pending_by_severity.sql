-- Pending updates per severity on the host row (critical is already there), so the dashboard
-- sums them without reading patch snapshots. Keep in step with
-- ../postgres/0006_pending_by_severity.sql.

ALTER TABLE hosts ADD COLUMN pending_important INTEGER NOT NULL DEFAULT 0;
ALTER TABLE hosts ADD COLUMN pending_moderate INTEGER NOT NULL DEFAULT 0;
ALTER TABLE hosts ADD COLUMN pending_low INTEGER NOT NULL DEFAULT 0;
ALTER TABLE hosts ADD COLUMN pending_unknown INTEGER NOT NULL DEFAULT 0;
