-- 0002: Web Desktop links (src/Oriel.Gateway/Links). One row per link made; the token carries the id and is never stored.
-- used_at is set once, by UPDATE ... WHERE used_at IS NULL, which is what makes a link single-use.
-- No foreign keys: a link whose user or target was removed must still be found, to be refused with the right reason.

CREATE TABLE links (
    id           TEXT    PRIMARY KEY,   -- 32 lowercase hex digits: the token's random link id
    user_id      TEXT    NOT NULL,
    target_id    TEXT    NOT NULL,
    viewer       TEXT    NOT NULL,      -- 'builtin' or 'novnc'
    created_by   TEXT    NOT NULL,      -- a username, or 'cli'
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    used_at      INTEGER NULL,
    used_from_ip TEXT    NULL
);
CREATE INDEX links_expires ON links (expires_at);
