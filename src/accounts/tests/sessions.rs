//! Sessions: a login replaces this store's session, `current` finds it and
//! ends the ones that are over (expired, password changed, disabled),
//! logout ends one or all, a password change ends the others.

use super::{Fixture, OTHER_PASSWORD, PASSWORD, accounts_tests, exit};
use crate::accounts::{self, LoggedOut, PasswordChange, Revoke};
use crate::audit::{AuditEvent, EventKind};
use crate::session::{self, SessionToken};
use crate::store::NewSession;
use crate::token_store::TokenStore;

/// A login keeps its token in the token store and `current` finds the user
/// by it; the login leaves a LoginSuccess event.
fn a_login_is_found_by_its_token(f: &mut Fixture) {
    f.user("alice");
    assert_eq!(exit(f.current()), 4, "not logged in before");
    let logged_in = f.login("alice", PASSWORD).expect("login");
    assert!(f.tokens.load(&f.key).expect("load").is_some());
    let current = f.current().expect("logged in");
    assert_eq!(current.user.username, "alice");
    assert_eq!(current.session.id, logged_in.session_id);
    assert!(f.kinds_of("alice").contains(&"login_success".to_owned()));
}

/// A second login on one store replaces the first session: one row, the
/// new token.
fn a_login_replaces_the_previous_session(f: &mut Fixture) {
    f.user("alice");
    f.user("bob");
    let first = f.login("alice", PASSWORD).expect("login");
    let second = f.login("bob", PASSWORD).expect("login");
    assert_ne!(first.session_id, second.session_id);
    assert_eq!(f.session_count(), 1);
    assert_eq!(f.current().expect("logged in").user.username, "bob");
}

/// A failed login leaves the previous session as it was.
fn a_failed_login_keeps_the_previous_session(f: &mut Fixture) {
    f.user("alice");
    f.user("bob");
    f.login("alice", PASSWORD).expect("login");
    assert_eq!(exit(f.login("bob", OTHER_PASSWORD)), 4);
    assert_eq!(f.current().expect("still logged in").user.username, "alice");
}

/// Logout ends the session, forgets the token and leaves an event; a
/// second logout finds no one, which is no error.
fn logout_ends_the_session_and_forgets_the_token(f: &mut Fixture) {
    f.user("alice");
    f.login("alice", PASSWORD).expect("login");
    let out = accounts::logout(Some(f.store.as_mut()), &f.tokens, &f.key, false).expect("logout");
    assert_eq!(
        out,
        LoggedOut::Ended {
            username: "alice".into(),
            sessions: 1
        }
    );
    assert!(f.tokens.load(&f.key).expect("load").is_none());
    assert_eq!(f.session_count(), 0);
    assert_eq!(exit(f.current()), 4);
    assert!(f.kinds_of("alice").contains(&"logout".to_owned()));
    let again = accounts::logout(Some(f.store.as_mut()), &f.tokens, &f.key, false).expect("again");
    assert_eq!(again, LoggedOut::NotLoggedIn);
}

/// Starts a session of `name` directly in the store, as another host would,
/// expiring at `expires_at`; returns its token.
fn other_session(f: &mut Fixture, name: &str, expires_at: i64) -> SessionToken {
    let user = f.find(name);
    let token = SessionToken::generate().expect("token");
    let now = crate::timestamp::now();
    let new = NewSession {
        user_id: user.id,
        token_hash: token.hash(),
        password_binding: session::password_binding(&user.password),
        created_at: now - 10,
        expires_at,
        host: "elsewhere".into(),
        login_time: crate::timestamp::DateTime::from_unix(now),
        verified_password: user.password.clone(),
        rehash: None,
    };
    let events = [AuditEvent::by_self(EventKind::LoginSuccess, name, user.id)];
    f.store
        .start_session(&new, None, &events, &mut || Ok(()))
        .expect("session");
    token
}

/// An expired session is over: `current` refuses it (exit 4), removes its
/// row and forgets its token.
fn an_expired_session_is_ended_when_found(f: &mut Fixture) {
    f.user("alice");
    let token = other_session(f, "alice", crate::timestamp::now() - 1);
    f.tokens.save(&f.key, &token).expect("save");
    let refused = f.current().expect_err("expired");
    assert_eq!(refused.exit_code(), 4);
    assert!(refused.to_string().contains("expired"), "{refused}");
    assert_eq!(f.session_count(), 0);
    assert!(f.tokens.load(&f.key).expect("load").is_none());
}

/// Disabling an account ends its sessions; its kept token is then refused.
fn disabling_ends_the_sessions(f: &mut Fixture) {
    let root = f.root();
    f.user("alice");
    f.login("alice", PASSWORD).expect("login");
    let (_, _, ended) =
        accounts::set_active(f.store.as_mut(), &root, "alice", false).expect("disable");
    assert_eq!(ended, 1);
    assert_eq!(exit(f.current()), 4);
}

/// A password change checks the current password (a wrong one is exit 4
/// and changes nothing), ends every other session and keeps this one; the
/// old password no longer passes.
fn a_password_change_ends_the_other_sessions(f: &mut Fixture) {
    f.user("alice");
    let far = crate::timestamp::now() + 3600;
    other_session(f, "alice", far);
    other_session(f, "alice", far);
    f.login("alice", PASSWORD).expect("login");
    assert_eq!(f.session_count(), 3);
    let current = f.current().expect("logged in");
    let wrong = PasswordChange {
        current: OTHER_PASSWORD,
        new: OTHER_PASSWORD,
        confirmation: Some(OTHER_PASSWORD),
        code: None,
    };
    assert_eq!(
        exit(accounts::change_password(
            f.store.as_mut(),
            &current,
            &wrong
        )),
        4
    );
    assert_eq!(f.session_count(), 3);
    let change = PasswordChange {
        current: PASSWORD,
        ..wrong
    };
    let ended = accounts::change_password(f.store.as_mut(), &current, &change).expect("change");
    assert_eq!(ended, 2);
    assert_eq!(f.session_count(), 1);
    assert_eq!(
        f.current().expect("this session goes on").user.username,
        "alice"
    );
    assert_eq!(exit(f.authenticate("alice", PASSWORD)), 4);
    f.authenticate("alice", OTHER_PASSWORD)
        .expect("the new password");
    assert!(f.kinds_of("alice").contains(&"password_change".to_owned()));
}

/// Revoking all other sessions keeps this one; a non-admin cannot list
/// everyone's (exit 9).
fn revoking_the_others_keeps_this_one(f: &mut Fixture) {
    f.user("alice");
    other_session(f, "alice", crate::timestamp::now() + 3600);
    f.login("alice", PASSWORD).expect("login");
    let current = f.current().expect("logged in");
    assert_eq!(
        exit(accounts::list_sessions(f.store.as_ref(), &current, true)),
        9
    );
    let ended = accounts::revoke_sessions(
        f.store.as_mut(),
        &f.tokens,
        &f.key,
        &current,
        Revoke::AllOthers,
    )
    .expect("revoke");
    assert_eq!(ended, 1);
    let mine = accounts::list_sessions(f.store.as_ref(), &current, false).expect("list");
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].session.id, current.session.id);
}

accounts_tests!(
    a_login_is_found_by_its_token,
    a_login_replaces_the_previous_session,
    a_failed_login_keeps_the_previous_session,
    logout_ends_the_session_and_forgets_the_token,
    an_expired_session_is_ended_when_found,
    disabling_ends_the_sessions,
    a_password_change_ends_the_other_sessions,
    revoking_the_others_keeps_this_one,
);
