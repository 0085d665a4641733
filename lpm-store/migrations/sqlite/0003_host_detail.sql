-- What the pollers learn about a host, kept on the host row for lists and dashboards, and
-- installed-package snapshots. Keep in step with ../postgres/0003_host_detail.sql.

ALTER TABLE hosts ADD COLUMN hostname TEXT;
ALTER TABLE hosts ADD COLUMN os_id TEXT;
ALTER TABLE hosts ADD COLUMN os_version TEXT;
ALTER TABLE hosts ADD COLUMN kernel TEXT;
ALTER TABLE hosts ADD COLUMN arch TEXT;
ALTER TABLE hosts ADD COLUMN agent_version TEXT;
ALTER TABLE hosts ADD COLUMN last_health_at TEXT;
ALTER TABLE hosts ADD COLUMN last_patch_poll_at TEXT;
ALTER TABLE hosts ADD COLUMN pending_patches INTEGER NOT NULL DEFAULT 0;
ALTER TABLE hosts ADD COLUMN pending_security INTEGER NOT NULL DEFAULT 0;
ALTER TABLE hosts ADD COLUMN pending_critical INTEGER NOT NULL DEFAULT 0;

CREATE TABLE host_package_data (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    host_id       INTEGER NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
    collected_at  TEXT NOT NULL,
    package_count INTEGER NOT NULL,
    packages      TEXT NOT NULL
);
CREATE INDEX host_package_data_host ON host_package_data (host_id, collected_at);
CREATE INDEX host_package_data_collected ON host_package_data (collected_at);
