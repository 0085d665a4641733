-- The initial lpm schema on SQLite. Keep in step with ../postgres/0001_initial.sql.
-- Timestamps are RFC 3339 UTC text, which sorts in time order; JSON is text.

CREATE TABLE users (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    username        TEXT NOT NULL UNIQUE,
    role            TEXT NOT NULL CHECK (role IN ('admin', 'operator')),
    password_hash   TEXT,
    totp_secret     TEXT,
    mfa_enrolled_at TEXT,
    disabled        BOOLEAN NOT NULL DEFAULT 0,
    failed_logins   INTEGER NOT NULL DEFAULT 0,
    locked_until    TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

CREATE TABLE groups (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);

CREATE TABLE user_groups (
    user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    group_id INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, group_id)
);
CREATE INDEX user_groups_group ON user_groups (group_id);

CREATE TABLE hosts (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    fqdn                 TEXT,
    ip                   TEXT,
    port                 INTEGER NOT NULL DEFAULT 12443 CHECK (port BETWEEN 1 AND 65535),
    status               TEXT NOT NULL DEFAULT 'pending'
                         CHECK (status IN ('pending', 'healthy', 'degraded', 'unhealthy', 'unreachable')),
    status_reason        TEXT,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    os_name              TEXT,
    package_manager      TEXT CHECK (package_manager IN ('apt', 'dnf', 'zypper')),
    reboot_required      BOOLEAN NOT NULL DEFAULT 0,
    last_boot_at         TEXT,
    last_seen_at         TEXT,
    next_health_poll_at  TEXT,
    next_patch_poll_at   TEXT,
    created_at           TEXT NOT NULL,
    CHECK (fqdn IS NOT NULL OR ip IS NOT NULL)
);
CREATE UNIQUE INDEX hosts_fqdn ON hosts (fqdn) WHERE fqdn IS NOT NULL;
CREATE UNIQUE INDEX hosts_ip_port ON hosts (ip, port) WHERE ip IS NOT NULL;
CREATE INDEX hosts_status ON hosts (status);
CREATE INDEX hosts_next_health_poll ON hosts (next_health_poll_at);
CREATE INDEX hosts_next_patch_poll ON hosts (next_patch_poll_at);

CREATE TABLE host_groups (
    host_id  INTEGER NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
    group_id INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    PRIMARY KEY (host_id, group_id)
);
CREATE INDEX host_groups_group ON host_groups (group_id);

CREATE TABLE refresh_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family_id    TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    last_used_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    rotated_at   TEXT,
    revoked_at   TEXT,
    ip           TEXT,
    user_agent   TEXT
);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

CREATE TABLE maintenance_windows (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    host_id    INTEGER NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    spec       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX maintenance_windows_host ON maintenance_windows (host_id);

CREATE TABLE patch_jobs (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    kind          TEXT NOT NULL
                  CHECK (kind IN ('apply_patches', 'install', 'update', 'remove', 'reboot', 'rollback', 'refresh')),
    state         TEXT NOT NULL
                  CHECK (state IN ('queued', 'running', 'succeeded', 'partially_failed', 'failed', 'cancelled')),
    schedule      TEXT NOT NULL CHECK (schedule IN ('next_window', 'immediate')),
    options       TEXT NOT NULL,
    parent_job_id INTEGER REFERENCES patch_jobs (id) ON DELETE SET NULL,
    created_by    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at    TEXT NOT NULL,
    started_at    TEXT,
    finished_at   TEXT,
    cancelled_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    host_count    INTEGER NOT NULL
);
CREATE INDEX patch_jobs_state ON patch_jobs (state);
CREATE INDEX patch_jobs_created ON patch_jobs (created_at);
CREATE INDEX patch_jobs_finished ON patch_jobs (finished_at);

CREATE TABLE patch_job_hosts (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id           INTEGER NOT NULL REFERENCES patch_jobs (id) ON DELETE CASCADE,
    host_id          INTEGER NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
    state            TEXT NOT NULL
                     CHECK (state IN ('queued', 'dispatched', 'running', 'retry_waiting', 'succeeded', 'failed', 'cancelled')),
    due_at           TEXT,
    waiting_reason   TEXT,
    lease_owner      TEXT,
    lease_expires_at TEXT,
    attempt          INTEGER NOT NULL DEFAULT 0,
    retries          INTEGER NOT NULL DEFAULT 0,
    patch_retries    INTEGER NOT NULL DEFAULT 0,
    idempotency_key  TEXT,
    agent_job_id     TEXT,
    progress         INTEGER NOT NULL DEFAULT 0,
    error            TEXT,
    changes          TEXT,
    log_tail         TEXT,
    reboot_required  BOOLEAN NOT NULL DEFAULT 0,
    started_at       TEXT,
    finished_at      TEXT,
    updated_at       TEXT NOT NULL,
    UNIQUE (job_id, host_id)
);
-- The claim query's two halves: due rows waiting for a worker, and in-flight rows whose lease lapsed.
CREATE INDEX patch_job_hosts_due ON patch_job_hosts (due_at, id) WHERE state IN ('queued', 'retry_waiting');
CREATE INDEX patch_job_hosts_inflight ON patch_job_hosts (lease_expires_at) WHERE state IN ('dispatched', 'running');
CREATE INDEX patch_job_hosts_host ON patch_job_hosts (host_id);
-- Settling a job asks whether any of its rows is unfinished: one probe of this index.
CREATE INDEX patch_job_hosts_unfinished ON patch_job_hosts (job_id)
    WHERE state IN ('queued', 'dispatched', 'running', 'retry_waiting');

CREATE TABLE host_health_data (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    host_id      INTEGER NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
    collected_at TEXT NOT NULL,
    ok           BOOLEAN NOT NULL,
    error        TEXT,
    details      TEXT NOT NULL
);
CREATE INDEX host_health_data_host ON host_health_data (host_id, collected_at);
CREATE INDEX host_health_data_collected ON host_health_data (collected_at);

CREATE TABLE host_patch_data (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    host_id      INTEGER NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
    collected_at TEXT NOT NULL,
    checked_at   TEXT,
    patch_count  INTEGER NOT NULL,
    security_count INTEGER NOT NULL,
    patches      TEXT NOT NULL
);
CREATE INDEX host_patch_data_host ON host_patch_data (host_id, collected_at);
CREATE INDEX host_patch_data_collected ON host_patch_data (collected_at);

CREATE TABLE certificates (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    serial            TEXT NOT NULL UNIQUE,
    kind              TEXT NOT NULL CHECK (kind IN ('root', 'manager_client', 'agent_server', 'web_server')),
    host_id           INTEGER REFERENCES hosts (id) ON DELETE SET NULL,
    subject           TEXT NOT NULL,
    sans              TEXT NOT NULL,
    not_before        TEXT NOT NULL,
    not_after         TEXT NOT NULL,
    fingerprint       TEXT NOT NULL,
    issued_by         INTEGER REFERENCES users (id) ON DELETE SET NULL,
    issued_at         TEXT NOT NULL,
    revoked_at        TEXT,
    revoked_by        INTEGER REFERENCES users (id) ON DELETE SET NULL,
    revocation_reason TEXT
);
CREATE INDEX certificates_not_after ON certificates (not_after);
CREATE INDEX certificates_host ON certificates (host_id);

-- Append-only: rows are written with their hash and never updated; only the retention pruner
-- deletes, from the oldest end, recording where it cut in audit_chain. Ids are assigned from
-- the chain head under its row lock, so they are contiguous and a missing row shows as a gap.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor_id    INTEGER,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id   TEXT,
    ip          TEXT,
    details     TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    row_hash    TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor ON audit_log (actor_id);
CREATE INDEX audit_log_action ON audit_log (action);

-- One row: the chain's head (for appends and truncation checks) and the prune anchor.
CREATE TABLE audit_chain (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    head_id        INTEGER NOT NULL,
    head_hash      TEXT NOT NULL,
    pruned_through INTEGER NOT NULL,
    pruned_hash    TEXT NOT NULL
);

CREATE TABLE azure_sso_config (
    id                 INTEGER PRIMARY KEY CHECK (id = 1),
    enabled            BOOLEAN NOT NULL DEFAULT 0,
    tenant_id          TEXT,
    client_id          TEXT,
    client_secret_path TEXT,
    updated_at         TEXT NOT NULL,
    updated_by         INTEGER REFERENCES users (id) ON DELETE SET NULL
);

CREATE TABLE system_config (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by INTEGER REFERENCES users (id) ON DELETE SET NULL
);

CREATE TABLE discovery_runs (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    cidr         TEXT NOT NULL,
    port         INTEGER NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    total        INTEGER NOT NULL DEFAULT 0,
    done         INTEGER NOT NULL DEFAULT 0,
    found        INTEGER NOT NULL DEFAULT 0,
    requested_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at   TEXT NOT NULL,
    started_at   TEXT,
    finished_at  TEXT,
    error        TEXT
);
CREATE INDEX discovery_runs_state ON discovery_runs (state);

CREATE TABLE discovery_results (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    discovery_id       INTEGER NOT NULL REFERENCES discovery_runs (id) ON DELETE CASCADE,
    ip                 TEXT NOT NULL,
    port               INTEGER NOT NULL,
    fqdn               TEXT,
    agent_version      TEXT,
    found_at           TEXT NOT NULL,
    registered_host_id INTEGER REFERENCES hosts (id) ON DELETE SET NULL,
    UNIQUE (discovery_id, ip, port)
);

CREATE TABLE worker_heartbeat (
    worker_id    TEXT PRIMARY KEY,
    hostname     TEXT NOT NULL,
    version      TEXT NOT NULL,
    started_at   TEXT NOT NULL,
    last_beat_at TEXT NOT NULL
);

-- Compact history kept as long as the audit log, so patch-history and time-to-patch reports
-- reach back that far after the operational rows above are pruned.
CREATE TABLE job_history (
    job_id       INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL,
    state        TEXT NOT NULL,
    created_by   INTEGER,
    created_at   TEXT NOT NULL,
    finished_at  TEXT NOT NULL,
    host_count   INTEGER NOT NULL,
    failed_count INTEGER NOT NULL,
    rollback_of  INTEGER
);
CREATE INDEX job_history_finished ON job_history (finished_at);

CREATE TABLE package_change_history (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id    INTEGER NOT NULL,
    host_id   INTEGER NOT NULL,
    package   TEXT NOT NULL,
    from_version TEXT,
    to_version   TEXT,
    action    TEXT NOT NULL,
    at        TEXT NOT NULL
);
CREATE INDEX package_change_history_at ON package_change_history (at);
CREATE INDEX package_change_history_host ON package_change_history (host_id);

CREATE TABLE cve_history (
    host_id    INTEGER NOT NULL,
    cve        TEXT NOT NULL,
    severity   TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    fixed_at   TEXT,
    PRIMARY KEY (host_id, cve)
);
CREATE INDEX cve_history_fixed ON cve_history (fixed_at);
