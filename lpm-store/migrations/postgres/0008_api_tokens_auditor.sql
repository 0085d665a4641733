-- The auditor role and API tokens. Keep in step with ../sqlite/0008_api_tokens_auditor.sql.

ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('admin', 'operator', 'auditor'));

CREATE TABLE api_tokens (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('admin', 'operator', 'auditor')),
    token_hash   TEXT NOT NULL UNIQUE,
    -- TRUE: the token reaches only the groups in api_token_groups (even when none are left).
    group_scoped BOOLEAN NOT NULL DEFAULT FALSE,
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ,
    last_used_at TIMESTAMPTZ,
    last_used_ip TEXT,
    UNIQUE (user_id, name)
);

CREATE TABLE api_token_groups (
    token_id BIGINT NOT NULL REFERENCES api_tokens (id) ON DELETE CASCADE,
    group_id BIGINT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    PRIMARY KEY (token_id, group_id)
);
CREATE INDEX api_token_groups_group ON api_token_groups (group_id);

-- Every address a token was used from: a use from a new one is audited.
CREATE TABLE api_token_addresses (
    token_id      BIGINT NOT NULL REFERENCES api_tokens (id) ON DELETE CASCADE,
    ip            TEXT NOT NULL,
    first_seen_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (token_id, ip)
);
