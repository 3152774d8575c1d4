//! The contract of users: folded names and emails unique, the first admin
//! once, the last active admin kept, users visited by filter.

use super::*;

pub fn folded_names_and_emails_are_unique(store: &mut dyn AccountStore) {
    add(store, "alice", false);
    let mut same_name = new_user("ALICE", false);
    same_name.email = "other@example.com".into();
    let refused = store.insert_user(&same_name, &event(EventKind::Register, "ALICE"), false);
    assert!(
        matches!(refused, Err(Error::Conflict(Taken::Username))),
        "{refused:?}"
    );
    let mut same_email = new_user("bob", false);
    same_email.email = "ALICE@example.com".into();
    let refused = store.insert_user(&same_email, &event(EventKind::Register, "bob"), false);
    assert!(
        matches!(refused, Err(Error::Conflict(Taken::Email))),
        "{refused:?}"
    );
    assert!(store.user_by_key("bob").expect("read").is_none());
}

pub fn a_first_admin_is_refused_once_an_admin_exists(store: &mut dyn AccountStore) {
    assert!(!store.has_admin().expect("has_admin"));
    let root = new_user("root", true);
    store
        .insert_user(&root, &event(EventKind::Register, "root"), true)
        .expect("the first admin");
    assert!(store.has_admin().expect("has_admin"));
    let second = new_user("boss", true);
    assert_eq!(
        exit(store.insert_user(&second, &event(EventKind::Register, "boss"), true)),
        9
    );
    assert!(store.user_by_key("boss").expect("read").is_none());
}

pub fn the_last_active_admin_stays(store: &mut dyn AccountStore) {
    let root = add(store, "root", true);
    let alice = add(store, "alice", false);
    let revoke = event(EventKind::AdminRevoke, "root");
    assert_eq!(exit(store.set_admin(root.id, false, &revoke)), 9);
    assert_eq!(
        exit(store.set_active(root.id, false, &event(EventKind::Disable, "root"))),
        9
    );
    assert_eq!(
        exit(store.delete_user(root.id, &event(EventKind::Delete, "root"))),
        9
    );
    store
        .set_admin(alice.id, true, &event(EventKind::AdminGrant, "alice"))
        .expect("a second admin");
    store
        .set_admin(root.id, false, &revoke)
        .expect("no longer the last");
    let root = store.user_by_key("root").expect("read").expect("root");
    assert!(!root.is_superuser);
    assert!(store.has_admin().expect("has_admin"));
}

pub fn users_are_visited_by_filter_in_id_order(store: &mut dyn AccountStore) {
    add(store, "root", true);
    let bob = add(store, "bob", false);
    add(store, "carol", false);
    store
        .set_active(bob.id, false, &event(EventKind::Disable, "bob"))
        .expect("disable");
    let names = |store: &dyn AccountStore, filter| {
        let mut names = Vec::new();
        store
            .for_each_user(filter, &mut |listing| {
                names.push(listing.user.username);
                Ok(())
            })
            .expect("visit");
        names
    };
    assert_eq!(names(store, UserFilter::All), ["root", "bob", "carol"]);
    assert_eq!(names(store, UserFilter::Active), ["root", "carol"]);
    assert_eq!(names(store, UserFilter::Disabled), ["bob"]);
    assert_eq!(names(store, UserFilter::Admins), ["root"]);
    assert_eq!(names(store, UserFilter::WithoutFactor).len(), 3);
    assert!(names(store, UserFilter::WithFactor).is_empty());
}
