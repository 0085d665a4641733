-- A running discovery run's heartbeat: a worker that dies mid-scan stops writing it, and after
-- a while another worker takes the run over. Keep in step with ../postgres/0009_discovery_heartbeat.sql.

ALTER TABLE discovery_runs ADD COLUMN heartbeat_at TEXT;
-- Bumped by every claim: a worker whose run was taken over can no longer write to it.
ALTER TABLE discovery_runs ADD COLUMN claims INTEGER NOT NULL DEFAULT 0;
