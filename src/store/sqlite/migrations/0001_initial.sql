-- latch store, schema 1.
--
-- `users` keeps the column names and types of Django's `auth_user`, so any
-- program that can read a Django user table can read this one. The two `_key`
-- columns are latch's: the NFKC case-folded username and the lowercased email,
-- each with a unique index, so the database itself refuses a second "Alice"
-- however many processes race to register her.
CREATE TABLE users (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    password     VARCHAR(128) NOT NULL,
    last_login   DATETIME NULL,
    is_superuser BOOL NOT NULL DEFAULT 0,
    username     VARCHAR(150) NOT NULL,
    first_name   VARCHAR(150) NOT NULL DEFAULT '',
    last_name    VARCHAR(150) NOT NULL DEFAULT '',
    email        VARCHAR(254) NOT NULL,
    is_staff     BOOL NOT NULL DEFAULT 0,
    is_active    BOOL NOT NULL DEFAULT 1,
    date_joined  DATETIME NOT NULL,
    username_key TEXT NOT NULL,
    email_key    TEXT NOT NULL
);
CREATE UNIQUE INDEX users_username_key ON users (username_key);
CREATE UNIQUE INDEX users_email_key ON users (email_key);

-- One row per live session. Only the SHA-256 of the token is here; the token
-- itself is in the token store. `password_binding` is a digest of the user's
-- password hash when the session began: a new password ends the session.
-- Times are Unix seconds, UTC.
CREATE TABLE sessions (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id          INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash       BLOB NOT NULL UNIQUE,
    password_binding BLOB NOT NULL,
    created_at       INTEGER NOT NULL,
    expires_at       INTEGER NOT NULL,
    host             TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user_id ON sessions (user_id);

-- Overrides of the policy's defaults, one row per changed key.
CREATE TABLE policy (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;

-- The audit trail. `subject` is the username as typed (kept after the user is
-- deleted) and `subject_key` its folded form; `actor` the logged-in user who
-- acted, if any. `at` is Unix seconds, UTC. Never a password or a token.
CREATE TABLE events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    subject     TEXT NOT NULL,
    subject_key TEXT NOT NULL,
    user_id     INTEGER NULL,
    actor       TEXT NULL,
    actor_id    INTEGER NULL,
    detail      TEXT NOT NULL DEFAULT '',
    os_user     TEXT NOT NULL DEFAULT '',
    host        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX events_user_id ON events (user_id, id);
CREATE INDEX events_subject_key ON events (subject_key, id);
