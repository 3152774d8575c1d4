-- latch store, schema 4: the second factor (TOTP, RFC 6238) and its
-- recovery codes.
--
-- One row per account in `mfa_factors`, pending until a code from the app
-- confirms it. The columns follow django-otp's `otp_totp_totpdevice`: `key`
-- is the shared secret in lowercase hex (it must be readable to check a code,
-- so anyone who can read this file can make codes), `step` and `t0` are
-- seconds, `drift` is in time steps, and `last_t` is the last time step
-- accepted (-1 for none), so that no code is accepted twice. Times are Unix
-- seconds, UTC.
CREATE TABLE mfa_factors (
    user_id      INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    key          TEXT NOT NULL,
    step         INTEGER NOT NULL DEFAULT 30,
    t0           INTEGER NOT NULL DEFAULT 0,
    digits       INTEGER NOT NULL DEFAULT 6,
    drift        INTEGER NOT NULL DEFAULT 0,
    last_t       INTEGER NOT NULL DEFAULT -1,
    confirmed    BOOL NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    confirmed_at INTEGER NULL
);

-- Single-use recovery codes: only their SHA-256 is kept. `used_at` is set
-- when one is accepted; a new set replaces the old one.
CREATE TABLE mfa_recovery_codes (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash BLOB NOT NULL,
    used_at   INTEGER NULL
);
CREATE INDEX mfa_recovery_codes_user_id ON mfa_recovery_codes (user_id);
