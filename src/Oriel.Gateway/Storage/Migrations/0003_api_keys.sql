-- 0003: API keys for server-to-server callers (src/Oriel.Gateway/ApiKeys), and the role flag that lets a role's
-- holders make Web Desktop links for the targets the role grants. docs/api-keys.md.

ALTER TABLE roles ADD COLUMN create_links INTEGER NOT NULL DEFAULT 0;

-- One row per key. The secret ("oriel_" + 43 base64url characters) is shown once and never stored: the row keeps
-- its SHA-256 and the first 8 characters after "oriel_" (the prefix, to find candidate rows and to name the key
-- in listings). revoked_at is the revoked flag; a revoked row stays, so its use is refused with the right reason.
CREATE TABLE api_keys (
    id           TEXT    PRIMARY KEY,              -- "ak_" + 16 lowercase hex digits
    name         TEXT    NOT NULL COLLATE NOCASE,
    user_id      TEXT    NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    prefix       TEXT    NOT NULL,
    secret_hash  TEXT    NOT NULL,                 -- lowercase hex SHA-256 of the whole secret
    created_by   TEXT    NOT NULL,                 -- a username, or 'cli'
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NULL,                     -- NULL: does not expire
    last_used_at INTEGER NULL,
    last_used_ip TEXT    NULL,
    revoked_at   INTEGER NULL,
    revoked_by   TEXT    NULL
);
CREATE INDEX api_keys_prefix ON api_keys (prefix);
CREATE INDEX api_keys_user ON api_keys (user_id);
-- A name names one live key; a revoked key's name may be reused.
CREATE UNIQUE INDEX api_keys_live_name ON api_keys (name) WHERE revoked_at IS NULL;
