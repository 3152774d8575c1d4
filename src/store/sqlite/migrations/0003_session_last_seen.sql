-- latch store, schema 3: when each session was last used (Unix seconds),
-- for `latch sessions list`. Set at login; refreshed at most once a minute by
-- the commands that use the session.
ALTER TABLE sessions ADD COLUMN last_seen_at INTEGER NULL;
UPDATE sessions SET last_seen_at = created_at;
