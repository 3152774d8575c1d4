//! A login killed between writing its token and committing its session,
//! without a kill: a token store that keeps the token and then fails stands
//! for a process that dies right after the write. `tests/stress/crashes.rs`
//! kills real processes at random points; this pins the one point it found.

use std::cell::{Cell, RefCell};

use latch::accounts::{self, Admin, Registration};
use latch::session::SessionToken;
use latch::store::{OpenMode, SqliteStore};
use latch::token_store::{TokenStore, TokenStoreKind};

use crate::util::{PASSWORD, sha256};

/// Keeps one token in memory; with `die` set, `save` keeps the token and
/// then fails, as a process killed right after the write would have.
#[derive(Default)]
struct DiesAfterSaving {
    token: RefCell<Option<String>>,
    die: Cell<bool>,
}

impl TokenStore for DiesAfterSaving {
    fn kind(&self) -> TokenStoreKind {
        TokenStoreKind::File
    }

    fn load(&self, _: &str) -> latch::Result<Option<SessionToken>> {
        Ok(self.token.borrow().as_deref().and_then(SessionToken::parse))
    }

    fn save(&self, _: &str, token: &SessionToken) -> latch::Result<()> {
        *self.token.borrow_mut() = Some(token.expose().to_owned());
        if self.die.get() {
            return Err(latch::Error::Internal(
                "killed after the token write".into(),
            ));
        }
        Ok(())
    }

    fn remove(&self, _: &str) -> latch::Result<bool> {
        Ok(self.token.borrow_mut().take().is_some())
    }
}

/// A new store at `path` with `alice` registered (password `PASSWORD`).
fn store_with_alice(path: &std::path::Path) -> (SqliteStore, accounts::Authenticated) {
    let mut store = SqliteStore::open(path, OpenMode::Create)
        .expect("open")
        .expect("created");
    let checked = accounts::check_registration(
        &Registration {
            username: "alice",
            email: "alice@example.com",
            password: PASSWORD,
            confirmation: None,
            admin: Admin::No,
        },
        &Default::default(),
    )
    .expect("valid");
    let registered = accounts::register(&mut store, checked, None).expect("register");
    (store, registered)
}

#[test]
fn a_login_that_dies_after_its_token_write_leaves_no_session_without_a_token() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("latch.db");
    let (mut store, registered) = store_with_alice(&path);
    let tokens = DiesAfterSaving::default();
    let previous = tokens.start_load("key");
    accounts::start_session(&mut store, &tokens, "key", registered, previous).expect("first login");

    // The second login replaces the first; its process dies after the token
    // write, before the commit.
    tokens.die.set(true);
    let authenticated = accounts::authenticate(&mut store, "alice", PASSWORD).expect("password");
    let previous = tokens.start_load("key");
    accounts::start_session(&mut store, &tokens, "key", authenticated, previous)
        .expect_err("the login died");
    drop(store);

    let token = tokens
        .token
        .borrow()
        .clone()
        .expect("the new token was written");
    let conn = rusqlite::Connection::open(&path).expect("open");
    let hashes: Vec<Vec<u8>> = conn
        .prepare("SELECT token_hash FROM sessions")
        .expect("select")
        .query_map([], |row| row.get(0))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("sessions");
    // The new session never committed, and the first one, whose token was
    // overwritten, must be gone: at most an orphan token is left.
    for hash in hashes {
        assert_eq!(
            hash,
            sha256(&token),
            "a session row whose token is no longer in the token store"
        );
    }
}

/// A login checks the password, then hashes for a while before it writes its
/// session; an admin's reset in between must win, not be undone.
#[test]
fn a_password_changed_between_check_and_session_is_not_undone() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("latch.db");
    let (mut store, _) = store_with_alice(&path);
    // An old-format hash, so that the login would also rewrite it.
    let old = "pbkdf2_sha256$1000$shortsalt$it+6pvf1grdMwPSLJ7qRPujK8dQNvXunEfryfOO5dBk=";
    let conn = rusqlite::Connection::open(&path).expect("open");
    conn.execute("UPDATE users SET password = ?1", [old])
        .expect("old hash");

    let authenticated = accounts::authenticate(&mut store, "alice", PASSWORD).expect("password");
    // Meanwhile another command sets a new password.
    conn.execute("UPDATE users SET password = '!reset by an admin'", [])
        .expect("reset");
    let tokens = DiesAfterSaving::default();
    let previous = tokens.start_load("key");
    let refused = accounts::start_session(&mut store, &tokens, "key", authenticated, previous)
        .expect_err("a login over a changed password");
    assert_eq!(refused.exit_code(), 4, "{refused}");
    let password: String = conn
        .query_row("SELECT password FROM users", [], |row| row.get(0))
        .expect("user");
    assert_eq!(password, "!reset by an admin", "the login undid the reset");
    let sessions: i64 = conn
        .query_row("SELECT count(*) FROM sessions", [], |row| row.get(0))
        .expect("count");
    assert_eq!(sessions, 0);
    assert!(tokens.token.borrow().is_none(), "a token without a session");
}
