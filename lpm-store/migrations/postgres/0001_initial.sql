-- The initial lpm schema on PostgreSQL (15 or newer). Keep in step with ../sqlite/0001_initial.sql.

CREATE TABLE users (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username        TEXT NOT NULL UNIQUE,
    role            TEXT NOT NULL CHECK (role IN ('admin', 'operator')),
    password_hash   TEXT,
    totp_secret     TEXT,
    mfa_enrolled_at TIMESTAMPTZ,
    disabled        BOOLEAN NOT NULL DEFAULT FALSE,
    failed_logins   BIGINT NOT NULL DEFAULT 0,
    locked_until    TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE groups (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE user_groups (
    user_id  BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    group_id BIGINT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, group_id)
);
CREATE INDEX user_groups_group ON user_groups (group_id);

CREATE TABLE hosts (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    fqdn                 TEXT,
    ip                   TEXT,
    port                 BIGINT NOT NULL DEFAULT 12443 CHECK (port BETWEEN 1 AND 65535),
    status               TEXT NOT NULL DEFAULT 'pending'
                         CHECK (status IN ('pending', 'healthy', 'degraded', 'unhealthy', 'unreachable')),
    status_reason        TEXT,
    consecutive_failures BIGINT NOT NULL DEFAULT 0,
    os_name              TEXT,
    package_manager      TEXT CHECK (package_manager IN ('apt', 'dnf', 'zypper')),
    reboot_required      BOOLEAN NOT NULL DEFAULT FALSE,
    last_boot_at         TIMESTAMPTZ,
    last_seen_at         TIMESTAMPTZ,
    next_health_poll_at  TIMESTAMPTZ,
    next_patch_poll_at   TIMESTAMPTZ,
    created_at           TIMESTAMPTZ NOT NULL,
    CHECK (fqdn IS NOT NULL OR ip IS NOT NULL)
);
CREATE UNIQUE INDEX hosts_fqdn ON hosts (fqdn) WHERE fqdn IS NOT NULL;
CREATE UNIQUE INDEX hosts_ip_port ON hosts (ip, port) WHERE ip IS NOT NULL;
CREATE INDEX hosts_status ON hosts (status);
CREATE INDEX hosts_next_health_poll ON hosts (next_health_poll_at);
CREATE INDEX hosts_next_patch_poll ON hosts (next_patch_poll_at);

CREATE TABLE host_groups (
    host_id  BIGINT NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
    group_id BIGINT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    PRIMARY KEY (host_id, group_id)
);
CREATE INDEX host_groups_group ON host_groups (group_id);

CREATE TABLE refresh_tokens (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family_id    TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    rotated_at   TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ,
    ip           TEXT,
    user_agent   TEXT
);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

CREATE TABLE maintenance_windows (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    host_id    BIGINT NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    spec       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX maintenance_windows_host ON maintenance_windows (host_id);

CREATE TABLE patch_jobs (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind          TEXT NOT NULL
                  CHECK (kind IN ('apply_patches', 'install', 'update', 'remove', 'reboot', 'rollback', 'refresh')),
    state         TEXT NOT NULL
                  CHECK (state IN ('queued', 'running', 'succeeded', 'partially_failed', 'failed', 'cancelled')),
    schedule      TEXT NOT NULL CHECK (schedule IN ('next_window', 'immediate')),
    options       TEXT NOT NULL,
    parent_job_id BIGINT REFERENCES patch_jobs (id) ON DELETE SET NULL,
    created_by    BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    started_at    TIMESTAMPTZ,
    finished_at   TIMESTAMPTZ,
    cancelled_by  BIGINT REFERENCES users (id) ON DELETE SET NULL,
    host_count    BIGINT NOT NULL
);
CREATE INDEX patch_jobs_state ON patch_jobs (state);
CREATE INDEX patch_jobs_created ON patch_jobs (created_at);
CREATE INDEX patch_jobs_finished ON patch_jobs (finished_at);

CREATE TABLE patch_job_hosts (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id           BIGINT NOT NULL REFERENCES patch_jobs (id) ON DELETE CASCADE,
    host_id          BIGINT NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
    state            TEXT NOT NULL
                     CHECK (state IN ('queued', 'dispatched', 'running', 'retry_waiting', 'succeeded', 'failed', 'cancelled')),
    due_at           TIMESTAMPTZ,
    waiting_reason   TEXT,
    lease_owner      TEXT,
    lease_expires_at TIMESTAMPTZ,
    attempt          BIGINT NOT NULL DEFAULT 0,
    retries          BIGINT NOT NULL DEFAULT 0,
    patch_retries    BIGINT NOT NULL DEFAULT 0,
    idempotency_key  TEXT,
    agent_job_id     TEXT,
    progress         BIGINT NOT NULL DEFAULT 0,
    error            TEXT,
    changes          TEXT,
    log_tail         TEXT,
    reboot_required  BOOLEAN NOT NULL DEFAULT FALSE,
    started_at       TIMESTAMPTZ,
    finished_at      TIMESTAMPTZ,
    updated_at       TIMESTAMPTZ NOT NULL,
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
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    host_id      BIGINT NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
    collected_at TIMESTAMPTZ NOT NULL,
    ok           BOOLEAN NOT NULL,
    error        TEXT,
    details      TEXT NOT NULL
);
CREATE INDEX host_health_data_host ON host_health_data (host_id, collected_at);
CREATE INDEX host_health_data_collected ON host_health_data (collected_at);

CREATE TABLE host_patch_data (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    host_id      BIGINT NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
    collected_at TIMESTAMPTZ NOT NULL,
    checked_at   TIMESTAMPTZ,
    patch_count  BIGINT NOT NULL,
    security_count BIGINT NOT NULL,
    patches      TEXT NOT NULL
);
CREATE INDEX host_patch_data_host ON host_patch_data (host_id, collected_at);
CREATE INDEX host_patch_data_collected ON host_patch_data (collected_at);

CREATE TABLE certificates (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    serial            TEXT NOT NULL UNIQUE,
    kind              TEXT NOT NULL CHECK (kind IN ('root', 'manager_client', 'agent_server', 'web_server')),
    host_id           BIGINT REFERENCES hosts (id) ON DELETE SET NULL,
    subject           TEXT NOT NULL,
    sans              TEXT NOT NULL,
    not_before        TIMESTAMPTZ NOT NULL,
    not_after         TIMESTAMPTZ NOT NULL,
    fingerprint       TEXT NOT NULL,
    issued_by         BIGINT REFERENCES users (id) ON DELETE SET NULL,
    issued_at         TIMESTAMPTZ NOT NULL,
    revoked_at        TIMESTAMPTZ,
    revoked_by        BIGINT REFERENCES users (id) ON DELETE SET NULL,
    revocation_reason TEXT
);
CREATE INDEX certificates_not_after ON certificates (not_after);
CREATE INDEX certificates_host ON certificates (host_id);

-- Append-only: rows are written with their hash and never updated; only the retention pruner
-- deletes, from the oldest end, recording where it cut in audit_chain. Ids are assigned from
-- the chain head under its row lock, so they are contiguous and a missing row shows as a gap.
CREATE TABLE audit_log (
    id          BIGINT PRIMARY KEY,
    at          TIMESTAMPTZ NOT NULL,
    actor_id    BIGINT,
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
    id             BIGINT PRIMARY KEY CHECK (id = 1),
    head_id        BIGINT NOT NULL,
    head_hash      TEXT NOT NULL,
    pruned_through BIGINT NOT NULL,
    pruned_hash    TEXT NOT NULL
);

CREATE TABLE azure_sso_config (
    id                 BIGINT PRIMARY KEY CHECK (id = 1),
    enabled            BOOLEAN NOT NULL DEFAULT FALSE,
    tenant_id          TEXT,
    client_id          TEXT,
    client_secret_path TEXT,
    updated_at         TIMESTAMPTZ NOT NULL,
    updated_by         BIGINT REFERENCES users (id) ON DELETE SET NULL
);

CREATE TABLE system_config (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by BIGINT REFERENCES users (id) ON DELETE SET NULL
);

CREATE TABLE discovery_runs (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cidr         TEXT NOT NULL,
    port         BIGINT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    total        BIGINT NOT NULL DEFAULT 0,
    done         BIGINT NOT NULL DEFAULT 0,
    found        BIGINT NOT NULL DEFAULT 0,
    requested_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    started_at   TIMESTAMPTZ,
    finished_at  TIMESTAMPTZ,
    error        TEXT
);
CREATE INDEX discovery_runs_state ON discovery_runs (state);

CREATE TABLE discovery_results (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    discovery_id       BIGINT NOT NULL REFERENCES discovery_runs (id) ON DELETE CASCADE,
    ip                 TEXT NOT NULL,
    port               BIGINT NOT NULL,
    fqdn               TEXT,
    agent_version      TEXT,
    found_at           TIMESTAMPTZ NOT NULL,
    registered_host_id BIGINT REFERENCES hosts (id) ON DELETE SET NULL,
    UNIQUE (discovery_id, ip, port)
);

CREATE TABLE worker_heartbeat (
    worker_id    TEXT PRIMARY KEY,
    hostname     TEXT NOT NULL,
    version      TEXT NOT NULL,
    started_at   TIMESTAMPTZ NOT NULL,
    last_beat_at TIMESTAMPTZ NOT NULL
);

-- Compact history kept as long as the audit log, so patch-history and time-to-patch reports
-- reach back that far after the operational rows above are pruned.
CREATE TABLE job_history (
    job_id       BIGINT PRIMARY KEY,
    kind         TEXT NOT NULL,
    state        TEXT NOT NULL,
    created_by   BIGINT,
    created_at   TIMESTAMPTZ NOT NULL,
    finished_at  TIMESTAMPTZ NOT NULL,
    host_count   BIGINT NOT NULL,
    failed_count BIGINT NOT NULL,
    rollback_of  BIGINT
);
CREATE INDEX job_history_finished ON job_history (finished_at);

CREATE TABLE package_change_history (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id    BIGINT NOT NULL,
    host_id   BIGINT NOT NULL,
    package   TEXT NOT NULL,
    from_version TEXT,
    to_version   TEXT,
    action    TEXT NOT NULL,
    at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX package_change_history_at ON package_change_history (at);
CREATE INDEX package_change_history_host ON package_change_history (host_id);

CREATE TABLE cve_history (
    host_id    BIGINT NOT NULL,
    cve        TEXT NOT NULL,
    severity   TEXT NOT NULL,
    first_seen TIMESTAMPTZ NOT NULL,
    fixed_at   TIMESTAMPTZ,
    PRIMARY KEY (host_id, cve)
);
CREATE INDEX cve_history_fixed ON cve_history (fixed_at);
