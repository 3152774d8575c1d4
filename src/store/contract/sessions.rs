//! The contract of sessions: started only for a checked password of an
//! active user, replaced, ended, and ended by a password change.

use super::*;
use crate::timestamp::DateTime;

pub fn a_session_starts_only_for_the_checked_password_of_an_active_user(
    store: &mut dyn AccountStore,
) {
    add(store, "root", true);
    let alice = add(store, "alice", false);
    store
        .begin_attempt("alice", NOW, &lock_until)
        .expect("attempt");
    let (id, hash) = login(store, &alice).expect("login");
    let (session, user) = store
        .session_by_token(&hash)
        .expect("read")
        .expect("the session");
    assert_eq!(session.id, id);
    assert_eq!(
        user.last_login,
        Some(DateTime::fixed("2030-01-02 00:00:00.000000"))
    );
    let listing = store.user_listing("alice").expect("read").expect("alice");
    assert_eq!(listing.failures, 0);

    let mut stale = alice.clone();
    stale.password = "pbkdf2_sha256$1000$old$hash".into();
    assert_eq!(exit(login(store, &stale)), 4);
    store
        .set_active(alice.id, false, &event(EventKind::Disable, "alice"))
        .expect("disable");
    assert_eq!(exit(login(store, &alice)), 4);
    assert!(store.session_by_token(&hash).expect("read").is_none());
}

pub fn a_login_replaces_the_session_it_names(store: &mut dyn AccountStore) {
    let alice = add(store, "alice", false);
    let (_, old) = login(store, &alice).expect("login");
    let (session, new) = new_session(&alice);
    store
        .start_session(&session, Some(&old), &[], &mut || Ok(()))
        .expect("login again");
    assert!(store.session_by_token(&old).expect("read").is_none());
    assert!(store.session_by_token(&new).expect("read").is_some());
    // A failing `before_commit` starts nothing.
    let (session, failed) = new_session(&alice);
    let refused = store.start_session(&session, Some(&new), &[], &mut || {
        Err(Error::Internal("token store".into()))
    });
    assert!(refused.is_err());
    assert!(store.session_by_token(&failed).expect("read").is_none());
    assert!(store.session_by_token(&new).expect("read").is_some());
}

pub fn sessions_end_one_all_or_all_but_one(store: &mut dyn AccountStore) {
    let alice = add(store, "alice", false);
    let bob = add(store, "bob", false);
    let ids: Vec<i64> = (0..3)
        .map(|_| login(store, &alice).expect("login").0)
        .collect();
    login(store, &bob).expect("login");
    assert_eq!(store.sessions(None).expect("list").len(), 4);
    assert_eq!(
        store
            .end_sessions(Sessions::One(ids[0]), None)
            .expect("end"),
        1
    );
    let logout = event(EventKind::Logout, "alice");
    let but = Sessions::AllOfBut {
        user_id: alice.id,
        keep: ids[2],
    };
    assert_eq!(store.end_sessions(but, Some(&logout)).expect("end"), 1);
    let left = store.sessions(Some(alice.id)).expect("list");
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].session.id, ids[2]);
    let all = Sessions::AllOf { user_id: alice.id };
    assert_eq!(store.end_sessions(all, None).expect("end"), 1);
    assert_eq!(store.sessions(None).expect("list").len(), 1);
}

pub fn a_password_change_ends_other_sessions_and_refuses_a_stale_hash(
    store: &mut dyn AccountStore,
) {
    let alice = add(store, "alice", false);
    let (keep, _) = login(store, &alice).expect("login");
    login(store, &alice).expect("login");
    let new_password = "pbkdf2_sha256$1000$new$hash";
    let binding = session::password_binding(new_password);
    let change = event(EventKind::PasswordChange, "alice");
    let ended = store
        .change_password(
            alice.id,
            &alice.password,
            new_password,
            Some(keep),
            &binding,
            &change,
        )
        .expect("change");
    assert_eq!(ended, 1);
    let left = store.sessions(Some(alice.id)).expect("list");
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].session.password_binding, binding.to_vec());
    let stale = store.change_password(alice.id, &alice.password, "x", None, &binding, &change);
    assert!(matches!(stale, Err(Error::Conflicts(_))), "{stale:?}");
    let user = store.user_by_key("alice").expect("read").expect("alice");
    assert_eq!(user.password, new_password);
}
