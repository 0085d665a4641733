-- A running discovery run's heartbeat: a worker that dies mid-scan stops writing it, and after
-- a while another worker takes the run over. Keep in step with ../postgres/0009_discovery_heartbeat.sql.

ALTER TABLE discovery_runs ADD COLUMN heartbeat_at TEXT;
