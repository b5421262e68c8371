-- 0001: the initial schema. Times are Unix milliseconds (UTC). JSON columns hold compact JSON text.

CREATE TABLE users (
    id                   TEXT    PRIMARY KEY,
    username             TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    password_hash        TEXT    NOT NULL,
    is_admin             INTEGER NOT NULL DEFAULT 0,
    must_change_password INTEGER NOT NULL DEFAULT 0,
    declared             INTEGER NOT NULL DEFAULT 0,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL
);

CREATE TABLE roles (
    name            TEXT    PRIMARY KEY COLLATE NOCASE,
    description     TEXT    NOT NULL DEFAULT '',
    target_ids      TEXT    NOT NULL DEFAULT '[]',  -- JSON array of target ids
    target_labels   TEXT    NOT NULL DEFAULT '[]',  -- JSON array of selectors: [{"env":"dev","team":"*"}]
    clipboard_read  INTEGER NOT NULL DEFAULT 0,
    clipboard_write INTEGER NOT NULL DEFAULT 0,
    resize          INTEGER NOT NULL DEFAULT 1,
    max_sessions    INTEGER NULL,                   -- NULL: no limit
    declared        INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);

CREATE TABLE user_roles (
    user_id   TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role_name TEXT NOT NULL COLLATE NOCASE REFERENCES roles(name) ON DELETE CASCADE ON UPDATE CASCADE,
    PRIMARY KEY (user_id, role_name)
);

CREATE TABLE targets (
    id                  TEXT    PRIMARY KEY,
    name                TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    protocol            TEXT    NOT NULL,
    host                TEXT    NOT NULL,
    port                INTEGER NOT NULL,
    description         TEXT    NOT NULL DEFAULT '',
    labels              TEXT    NOT NULL DEFAULT '{}',  -- JSON object
    username            TEXT    NULL,
    password_ciphertext TEXT    NULL,                   -- AES-256-GCM, see Security/SecretKeyRing
    vnc_security        TEXT    NOT NULL DEFAULT '[]',  -- JSON array of security type names
    tls_verification    TEXT    NOT NULL DEFAULT 'system',
    tls_pin             TEXT    NULL,                   -- lowercase hex SHA-256 of the server certificate
    declared            INTEGER NOT NULL DEFAULT 0,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL
);

-- Sign-in sessions referenced by the session cookie; the cookie carries the id, the row its SHA-256.
CREATE TABLE signin_sessions (
    id_hash      TEXT    PRIMARY KEY,
    user_id      TEXT    NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    client_ip    TEXT    NULL,
    user_agent   TEXT    NULL
);
CREATE INDEX signin_sessions_user ON signin_sessions (user_id);

CREATE TABLE signin_throttle (
    key          TEXT    PRIMARY KEY,   -- "user:<name>" or "ip:<address>"
    failures     INTEGER NOT NULL,
    window_start INTEGER NOT NULL,
    locked_until INTEGER NOT NULL
);

-- Append-only, hash-chained: hash = SHA-256 over prev_hash and the row's fields (Audit/AuditChain.cs).
CREATE TABLE audit_events (
    seq        INTEGER PRIMARY KEY,
    time       INTEGER NOT NULL,
    kind       TEXT    NOT NULL,
    actor      TEXT    NULL,
    target     TEXT    NULL,
    client_ip  TEXT    NULL,
    session_id TEXT    NULL,
    details    TEXT    NOT NULL DEFAULT '{}',
    prev_hash  BLOB    NOT NULL,
    hash       BLOB    NOT NULL
);
CREATE INDEX audit_events_time ON audit_events (time);
