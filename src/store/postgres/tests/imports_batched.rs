//! The batched import's edges: users whose keys are certainly free wait and
//! are written a batch at a time, and every answer is still the one a
//! row-at-a-time import gives: across a batch boundary, for a key taken
//! inside one batch or by an existing user, for a factor of a waiting user,
//! for an update after waiting inserts, and when a concurrent registration
//! takes a waiting user's key (the import fails whole).

use super::{TestDb, admin_user, event, new_user, totp};
use crate::audit::EventKind;
use crate::error::{Error, Taken};
use crate::store::factor::FactorStore;
use crate::store::postgres::import::BATCH;
use crate::store::{AccountStore, ImportEnd, UserFilter, Written};

fn done(written: Written) -> i64 {
    match written {
        Written::Done { id } => id,
        taken => panic!("expected a written user, got {taken:?}"),
    }
}

fn ids_by_name(store: &impl AccountStore) -> Vec<(String, i64)> {
    let mut rows = Vec::new();
    store
        .for_each_user(UserFilter::default(), &mut |listing| {
            rows.push((listing.user.username, listing.user.id));
            Ok(())
        })
        .expect("for_each_user");
    rows
}

#[test]
fn a_batch_boundary_keeps_every_user_their_answer_and_order() {
    let db = TestDb::new();
    let mut store = db.store();
    let e = event(EventKind::Import, "x");
    store
        .insert_user(&admin_user("admin"), &e, true)
        .expect("admin");
    let count = BATCH * 2 + 7;
    let mut batch = store.import().expect("import");
    let ids: Vec<i64> = (0..count)
        .map(|i| done(batch.insert(&new_user(&format!("u{i}"))).expect("insert")))
        .collect();
    assert!(
        ids.windows(2).all(|pair| pair[0] < pair[1]),
        "ids follow the import's order"
    );
    // One written in the first batch, one still waiting: both earlier.
    for i in [BATCH - 1, count - 1] {
        assert_eq!(
            batch.insert(&new_user(&format!("U{i}"))).expect("again"),
            Written::Taken {
                field: Taken::Both,
                by: ids[i],
                earlier: true
            }
        );
    }
    batch.finish(ImportEnd::Commit, &e).expect("commit");
    let stored = ids_by_name(&store);
    assert_eq!(stored.len(), count + 1);
    for (i, id) in ids.iter().enumerate() {
        let user = store
            .user_by_key(&format!("u{i}"))
            .expect("read")
            .expect("imported");
        assert_eq!(user.id, *id);
        assert_eq!(user.email, format!("u{i}@example.com"));
    }
}

#[test]
fn a_key_taken_inside_one_batch_or_by_an_existing_user_is_reported() {
    let db = TestDb::new();
    let mut store = db.store();
    let e = event(EventKind::Import, "x");
    let bob = store.insert_user(&new_user("bob"), &e, false).expect("bob");
    let mut batch = store.import().expect("import");
    let carol = done(batch.insert(&new_user("carol")).expect("carol"));
    // Another username with carol's email, while carol waits.
    let mut carl = new_user("carl");
    carl.email = "Carol@example.com".into();
    assert_eq!(
        batch.insert(&carl).expect("carl"),
        Written::Taken {
            field: Taken::Email,
            by: carol,
            earlier: true
        }
    );
    let dave = done(batch.insert(&new_user("dave")).expect("dave"));
    // Bob's email under another username: taken by an existing user.
    let mut robert = new_user("robert");
    robert.email = "BOB@example.com".into();
    assert_eq!(
        batch.insert(&robert).expect("robert"),
        Written::Taken {
            field: Taken::Email,
            by: bob.id,
            earlier: false
        }
    );
    assert_eq!(
        batch.insert(&new_user("BOB")).expect("BOB"),
        Written::Taken {
            field: Taken::Both,
            by: bob.id,
            earlier: false
        }
    );
    let erin = done(batch.insert(&new_user("erin")).expect("erin"));
    assert!(carol < dave && dave < erin, "ids follow the import's order");
    batch.finish(ImportEnd::Commit, &e).expect("commit");
    let names: Vec<String> = ids_by_name(&store).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names.len(), 4, "bob, carol, dave, erin: {names:?}");
    assert!(store.user_by_key("carl").expect("r").is_none());
    assert!(store.user_by_key("robert").expect("r").is_none());
}

#[test]
fn a_factor_for_a_waiting_user_and_an_update_after_inserts_are_written() {
    let db = TestDb::new();
    let mut store = db.store();
    let e = event(EventKind::Import, "x");
    let bob = store.insert_user(&new_user("bob"), &e, false).expect("bob");
    let mut batch = store.import().expect("import");
    let first = done(batch.insert(&new_user("first")).expect("first"));
    let dave = done(batch.insert(&new_user("dave")).expect("dave"));
    batch
        .set_factor(dave, &totp(9))
        .expect("a factor for a waiting user");
    let second = done(batch.insert(&new_user("second")).expect("second"));
    let Written::Taken { by, .. } = batch.insert(&new_user("bob")).expect("bob") else {
        panic!("bob exists");
    };
    let mut new_bob = new_user("bob");
    new_bob.password = "imported".into();
    assert_eq!(
        batch.update(by, &new_bob).expect("update"),
        Written::Done { id: bob.id }
    );
    let third = done(batch.insert(&new_user("third")).expect("third"));
    batch.finish(ImportEnd::Commit, &e).expect("commit");
    assert_eq!(
        store.factor(dave).expect("f").expect("dave's").totp.last_t,
        9
    );
    assert_eq!(
        store.user_by_key("bob").expect("r").expect("b").password,
        "imported"
    );
    for (name, id) in [("first", first), ("second", second), ("third", third)] {
        assert_eq!(store.user_by_key(name).expect("r").expect("u").id, id);
    }
}

#[test]
fn a_dry_run_of_waiting_users_writes_nothing_but_checks_the_admin() {
    let db = TestDb::new();
    let mut store = db.store();
    let e = event(EventKind::Import, "x");
    let admin = store
        .insert_user(&admin_user("admin"), &e, true)
        .expect("admin");
    let mut batch = store.import().expect("import");
    done(batch.insert(&new_user("waiting")).expect("waiting"));
    batch.finish(ImportEnd::DryRun, &e).expect("dry run");
    assert!(store.user_by_key("waiting").expect("r").is_none());

    let mut batch = store.import().expect("import");
    done(batch.insert(&new_user("waiting")).expect("waiting"));
    let mut demoted = admin_user("admin");
    demoted.is_superuser = false;
    batch.update(admin.id, &demoted).expect("update");
    assert!(matches!(
        batch.finish(ImportEnd::Commit, &e),
        Err(Error::NotPermitted(_))
    ));
    assert!(store.user_by_key("waiting").expect("r").is_none());
}

#[test]
fn a_waiting_users_key_taken_by_a_concurrent_registration_fails_the_import() {
    let db = TestDb::new();
    let mut store = db.store();
    let mut other = db.store();
    let e = event(EventKind::Import, "x");
    let mut batch = store.import().expect("import");
    done(batch.insert(&new_user("early")).expect("early"));
    done(batch.insert(&new_user("zoe")).expect("zoe"));
    other
        .insert_user(&new_user("Zoe"), &e, false)
        .expect("a registration meanwhile");
    let result = batch.finish(ImportEnd::Commit, &e);
    let Err(Error::Conflicts(problems)) = result else {
        panic!("expected the import to fail, got {result:?}");
    };
    assert_eq!(problems.len(), 1);
    assert!(problems[0].field.contains("\"zoe\""), "{problems:?}");
    assert!(store.user_by_key("early").expect("r").is_none());
    assert_eq!(ids_by_name(&store).len(), 1, "only the registered Zoe");
}
