-- Authentication state: TOTP replay protection, soft locks, recovery codes, WebAuthn
-- credentials, JWT verifying keys and WebSocket tickets. Keep in step with ../sqlite/0002_auth.sql.

ALTER TABLE users ADD COLUMN totp_last_step BIGINT;
ALTER TABLE users ADD COLUMN lock_level BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN password_changed_at TIMESTAMPTZ;
-- Access tokens issued before this are refused: revocation takes effect at once.
ALTER TABLE users ADD COLUMN sessions_revoked_at TIMESTAMPTZ;

CREATE TABLE recovery_codes (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash  TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ,
    UNIQUE (user_id, code_hash)
);

CREATE TABLE webauthn_credentials (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id       BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    credential_id TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    passkey       TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    last_used_at  TIMESTAMPTZ
);
CREATE INDEX webauthn_credentials_user ON webauthn_credentials (user_id);

-- Public halves only: private signing keys live in files (0600) beside the web process.
CREATE TABLE jwt_keys (
    kid          TEXT PRIMARY KEY,
    public_key   TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    verify_until TIMESTAMPTZ NOT NULL
);

CREATE TABLE ws_tickets (
    ticket_hash TEXT PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at  TIMESTAMPTZ NOT NULL,
    used_at     TIMESTAMPTZ
);
CREATE INDEX ws_tickets_expires ON ws_tickets (expires_at);
