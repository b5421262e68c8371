-- 0005: a sign-in session opened by a Web Desktop link reaches only the link's target (docs/links.md, "Scope").
-- NULL: an ordinary sign-in, limited by the user's roles alone. Not a foreign key: a removed target leaves a scope
-- that matches nothing, which is what it should do.
ALTER TABLE signin_sessions ADD COLUMN scope_target_id TEXT NULL;
