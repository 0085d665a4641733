-- no-transaction
-- The auditor role and API tokens. Keep in step with ../postgres/0008_api_tokens_auditor.sql.
--
-- SQLite cannot change a CHECK constraint in place, so `users` is rebuilt the documented way
-- (https://sqlite.org/lang_altertable.html, "other kinds of table schema changes"): foreign
-- keys off outside any transaction, copy into a new table, drop, rename, check, foreign keys
-- on. The copy runs in one transaction so a failure leaves the old table as it was.

PRAGMA foreign_keys = OFF;

BEGIN;

CREATE TABLE users_new (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    username            TEXT NOT NULL UNIQUE,
    role                TEXT NOT NULL CHECK (role IN ('admin', 'operator', 'auditor')),
    password_hash       TEXT,
    totp_secret         TEXT,
    mfa_enrolled_at     TEXT,
    disabled            BOOLEAN NOT NULL DEFAULT 0,
    failed_logins       INTEGER NOT NULL DEFAULT 0,
    locked_until        TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    totp_last_step      INTEGER,
    lock_level          INTEGER NOT NULL DEFAULT 0,
    password_changed_at TEXT,
    sessions_revoked_at TEXT
);

INSERT INTO users_new (id, username, role, password_hash, totp_secret, mfa_enrolled_at, disabled,
                       failed_logins, locked_until, created_at, updated_at, totp_last_step,
                       lock_level, password_changed_at, sessions_revoked_at)
SELECT id, username, role, password_hash, totp_secret, mfa_enrolled_at, disabled, failed_logins,
       locked_until, created_at, updated_at, totp_last_step, lock_level, password_changed_at,
       sessions_revoked_at
FROM users;

-- Keep the id sequence: ids of deleted users are never handed out again (the audit log names
-- them).
UPDATE sqlite_sequence SET seq = (SELECT seq FROM sqlite_sequence WHERE name = 'users')
WHERE name = 'users_new' AND EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'users');

DROP TABLE users;
ALTER TABLE users_new RENAME TO users;

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('admin', 'operator', 'auditor')),
    token_hash   TEXT NOT NULL UNIQUE,
    -- 1: the token reaches only the groups in api_token_groups (even when none are left).
    group_scoped BOOLEAN NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    expires_at   TEXT,
    last_used_at TEXT,
    last_used_ip TEXT,
    UNIQUE (user_id, name)
);

CREATE TABLE api_token_groups (
    token_id INTEGER NOT NULL REFERENCES api_tokens (id) ON DELETE CASCADE,
    group_id INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    PRIMARY KEY (token_id, group_id)
);
CREATE INDEX api_token_groups_group ON api_token_groups (group_id);

-- Every address a token was used from: a use from a new one is audited.
CREATE TABLE api_token_addresses (
    token_id      INTEGER NOT NULL REFERENCES api_tokens (id) ON DELETE CASCADE,
    ip            TEXT NOT NULL,
    first_seen_at TEXT NOT NULL,
    PRIMARY KEY (token_id, ip)
);

COMMIT;

PRAGMA foreign_keys = ON;
