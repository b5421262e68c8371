-- 0008: the recordings catalog (one row per recorded session; the file is DATA/recordings/<id>.orec) and the
-- recording settings of roles (docs/recording.md). Rows outlive their user and target: no foreign keys.
CREATE TABLE recordings (
    id TEXT PRIMARY KEY,               -- the session id (hex), also the file name stem
    user_id TEXT NOT NULL,
    user_name TEXT NOT NULL,
    target_id TEXT NOT NULL,
    target_name TEXT NOT NULL,
    protocol TEXT NOT NULL,            -- vnc (later rdp, ssh)
    kind TEXT NOT NULL,                -- the file header's kind: tdp | rfb-passthrough
    started_at INTEGER NOT NULL,       -- Unix ms
    ended_at INTEGER NULL,             -- Unix ms; NULL while recording
    duration_ms INTEGER NOT NULL DEFAULT 0,
    size_bytes INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL,              -- recording | complete | incomplete
    problem TEXT NULL                  -- why incomplete
);
CREATE INDEX recordings_started ON recordings (started_at, id);
CREATE INDEX recordings_user ON recordings (user_id, started_at);
CREATE INDEX recordings_target ON recordings (target_id, started_at);
CREATE INDEX recordings_status ON recordings (status);

-- Role settings: recording mode (off | best-effort | required), input recording (off | redacted | full), who the
-- holder may see recordings of (none | own | all), and whether the holder may watch others' live sessions.
ALTER TABLE roles ADD COLUMN recording TEXT NOT NULL DEFAULT 'best-effort';
ALTER TABLE roles ADD COLUMN record_input TEXT NOT NULL DEFAULT 'redacted';
ALTER TABLE roles ADD COLUMN recordings_access TEXT NOT NULL DEFAULT 'none';
ALTER TABLE roles ADD COLUMN watch_live INTEGER NOT NULL DEFAULT 0;
