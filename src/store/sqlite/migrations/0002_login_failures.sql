-- latch store, schema 2: brute-force lockout.
--
-- One row per folded username that has failed to log in since its last
-- success, known to the store or not, so that a lockout says nothing about
-- which names exist. `locked_until` is Unix seconds; a name is locked while it
-- is in the future. A successful login or `latch users unlock` deletes the row.
CREATE TABLE login_failures (
    username_key    TEXT PRIMARY KEY,
    failures        INTEGER NOT NULL,
    last_failure_at INTEGER NOT NULL,
    locked_until    INTEGER NULL
) WITHOUT ROWID;
