-- Per-protocol target settings move into one versioned JSON document (see Storage/TargetSettingsJson), so a new
-- protocol or setting needs no new column. VNC targets keep every value; other protocols had none to keep.
-- The password stays encrypted in password_ciphertext; the username stays in its own column.
ALTER TABLE targets ADD COLUMN settings TEXT NOT NULL DEFAULT '{"v":1}';  -- JSON object, "v" = format version

UPDATE targets SET settings = json_object(
    'v', 1,
    'security', json(vnc_security),
    'tls', tls_verification,
    'tlsPin', tls_pin,
    'jpegQuality', jpeg_quality,
    'passthroughLossless', json(CASE passthrough_lossless WHEN 0 THEN 'false' ELSE 'true' END))
WHERE protocol = 'vnc';

ALTER TABLE targets DROP COLUMN vnc_security;
ALTER TABLE targets DROP COLUMN tls_verification;
ALTER TABLE targets DROP COLUMN tls_pin;
ALTER TABLE targets DROP COLUMN jpeg_quality;
ALTER TABLE targets DROP COLUMN passthrough_lossless;
