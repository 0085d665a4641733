-- Pending updates per severity on the host row (critical is already there), so the dashboard
-- sums them without reading patch snapshots. Keep in step with
-- ../sqlite/0006_pending_by_severity.sql.

ALTER TABLE hosts ADD COLUMN pending_important BIGINT NOT NULL DEFAULT 0;
ALTER TABLE hosts ADD COLUMN pending_moderate BIGINT NOT NULL DEFAULT 0;
ALTER TABLE hosts ADD COLUMN pending_low BIGINT NOT NULL DEFAULT 0;
ALTER TABLE hosts ADD COLUMN pending_unknown BIGINT NOT NULL DEFAULT 0;
