-- 0009: SSH targets and roles (docs/operations.md "SSH targets").
-- A target's SSH private key (OpenSSH or PEM text) and its passphrase, each encrypted like the password
-- (Security/TargetSecretProtector, associated data naming the target and the kind of secret). The rest of an SSH
-- target's settings (host key pins, trust on first use, terminal type, logins) live in the settings JSON document.
ALTER TABLE targets ADD COLUMN private_key_ciphertext TEXT NULL;
ALTER TABLE targets ADD COLUMN private_key_passphrase_ciphertext TEXT NULL;

-- Role settings: the SSH logins holders may use besides each target's own username (JSON list of names, "*" for
-- any the target offers), file transfer in each direction, and answering a target's sign-in prompts in the browser.
ALTER TABLE roles ADD COLUMN logins TEXT NOT NULL DEFAULT '[]';
ALTER TABLE roles ADD COLUMN file_download INTEGER NOT NULL DEFAULT 0 CHECK (file_download IN (0, 1));
ALTER TABLE roles ADD COLUMN file_upload INTEGER NOT NULL DEFAULT 0 CHECK (file_upload IN (0, 1));
ALTER TABLE roles ADD COLUMN browser_auth_prompts INTEGER NOT NULL DEFAULT 0 CHECK (browser_auth_prompts IN (0, 1));
