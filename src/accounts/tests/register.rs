//! Registering: the first admin once, admins only by admins, folded names
//! and emails unique, every problem at once, an event per account.

use super::{Fixture, PASSWORD, accounts_tests, exit};
use crate::accounts::{self, Admin, Registration};
use crate::error::{Error, Taken};

/// Anyone may register the first admin; once there is one, a second
/// bootstrap is refused (exit 9) and creates nothing.
fn the_first_admin_is_bootstrapped_once(f: &mut Fixture) {
    assert!(!f.store.has_admin().expect("has_admin"));
    let root = f.root();
    assert!(root.is_superuser);
    assert!(f.store.has_admin().expect("has_admin"));
    assert_eq!(exit(f.register("boss", Admin::Bootstrap, None)), 9);
    assert!(f.store.user_by_key("boss").expect("read").is_none());
}

/// An admin registers another admin; a non-admin, or no one, cannot
/// (exit 9), and nothing is created.
fn only_an_admin_grants_admin_at_registration(f: &mut Fixture) {
    let root = f.root();
    let alice = f.user("alice");
    assert!(!alice.is_superuser);
    assert_eq!(
        exit(f.register("mallory", Admin::GrantedByAdmin, Some(&alice))),
        9
    );
    assert_eq!(exit(f.register("eve", Admin::GrantedByAdmin, None)), 9);
    assert!(f.store.user_by_key("mallory").expect("read").is_none());
    assert!(f.store.user_by_key("eve").expect("read").is_none());
    let boss = f
        .register("boss", Admin::GrantedByAdmin, Some(&root))
        .expect("granted by an admin");
    assert!(boss.is_superuser);
    let event = f
        .events()
        .into_iter()
        .find(|e| e.event.subject == "boss")
        .expect("the register event");
    assert_eq!(event.event.actor.as_deref(), Some("root"));
    assert_eq!(event.event.detail, "admin");
}

/// A name that folds to a taken one, or an email that differs only in
/// case, is a conflict naming what is taken (exit 6); the first spelling
/// stays.
fn folded_names_and_emails_conflict(f: &mut Fixture) {
    f.user("Alice");
    let refused = f.register_with("ALICE", "other@example.com", Admin::No, None);
    assert!(
        matches!(refused, Err(Error::Conflict(Taken::Username))),
        "{refused:?}"
    );
    let refused = f.register_with("bob", "ALICE@Example.com", Admin::No, None);
    assert!(
        matches!(refused, Err(Error::Conflict(Taken::Email))),
        "{refused:?}"
    );
    assert_eq!(
        exit(f.register_with("bob", "alice@example.com", Admin::No, None)),
        6
    );
    assert!(f.store.user_by_key("bob").expect("read").is_none());
    assert_eq!(f.find("alice").username, "Alice");
    assert_eq!(f.kinds_of("ALICE"), Vec::<String>::new());
}

/// Every problem with the fields is reported at once (exit 3), before the
/// store is touched.
fn every_problem_is_reported_at_once(f: &mut Fixture) {
    let policy = f.store.policy().expect("policy");
    let refused = accounts::check_registration(
        &Registration {
            username: "bad name!",
            email: "not-an-email",
            password: "short",
            confirmation: Some("shorter"),
            admin: Admin::No,
        },
        &policy,
    );
    let Err(Error::InvalidInput(problems)) = refused else {
        panic!("refused as invalid: {refused:?}");
    };
    let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
    for field in ["username", "email", "password"] {
        assert!(fields.contains(&field), "{field} in {fields:?}");
    }
    assert!(
        problems.iter().all(|p| !p.message.contains("short")),
        "no password in a message: {problems:?}"
    );
}

/// A mismatched confirmation alone is refused (exit 3).
fn a_mismatched_confirmation_is_refused(f: &mut Fixture) {
    let policy = f.store.policy().expect("policy");
    let refused = accounts::check_registration(
        &Registration {
            username: "alice",
            email: "alice@example.com",
            password: PASSWORD,
            confirmation: Some("Quiver-Lantern-Tromb0ne-89"),
            admin: Admin::No,
        },
        &policy,
    );
    assert_eq!(exit(refused), 3);
}

/// Each registration leaves one Register event, the first admin's saying
/// so; the new account can log in at once.
fn a_registration_leaves_an_event_and_can_log_in(f: &mut Fixture) {
    f.root();
    f.user("alice");
    assert_eq!(f.kinds_of("root"), ["register"]);
    assert_eq!(f.kinds_of("alice"), ["register"]);
    let root_event = f
        .events()
        .into_iter()
        .find(|e| e.event.subject == "root")
        .expect("event");
    assert_eq!(root_event.event.detail, "first admin");
    f.login("alice", PASSWORD).expect("a new account logs in");
    assert_eq!(f.current().expect("logged in").user.username, "alice");
}

accounts_tests!(
    the_first_admin_is_bootstrapped_once,
    only_an_admin_grants_admin_at_registration,
    folded_names_and_emails_conflict,
    every_problem_is_reported_at_once,
    a_mismatched_confirmation_is_refused,
    a_registration_leaves_an_event_and_can_log_in,
);
