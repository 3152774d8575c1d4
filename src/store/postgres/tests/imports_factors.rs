//! The contracts of `ImportBatch` and `FactorStore` on PostgreSQL: an import
//! all or nothing (dry run, abandon, the last admin kept, `earlier` for keys
//! this import wrote), and each second-factor method's refusals.

use super::{TestDb, admin_user, event, events_of, login, new_user, totp};
use crate::audit::EventKind;
use crate::error::{Error, Taken};
use crate::store::factor::{AcceptedCode, Factor, FactorStore};
use crate::store::{AccountStore, ImportEnd, Written};
use crate::timestamp::DateTime;

#[test]
fn imports_are_all_or_nothing() {
    let db = TestDb::new();
    let mut store = db.store();
    let e = event(EventKind::Import, "x");
    let admin = store
        .insert_user(&admin_user("admin"), &e, true)
        .expect("admin");
    let bob = store.insert_user(&new_user("bob"), &e, false).expect("bob");
    login(&mut store, &bob, 1);

    let mut batch = store.import().expect("import");
    let Written::Done { id: dave } = batch.insert(&new_user("dave")).expect("dave") else {
        panic!("dave was taken");
    };
    assert_eq!(
        batch.insert(&new_user("DAVE")).expect("again"),
        Written::Taken {
            field: Taken::Both,
            by: dave,
            earlier: true
        }
    );
    assert_eq!(
        batch.insert(&new_user("Bob")).expect("bob"),
        Written::Taken {
            field: Taken::Both,
            by: bob.id,
            earlier: false
        }
    );
    let mut new_bob = new_user("bob");
    new_bob.password = "imported".into();
    assert_eq!(
        batch.update(bob.id, &new_bob).expect("update"),
        Written::Done { id: bob.id }
    );
    let mut stolen = new_user("bob");
    stolen.email = "Dave@example.com".into();
    assert_eq!(
        batch.update(bob.id, &stolen).expect("taken email"),
        Written::Taken {
            field: Taken::Email,
            by: dave,
            earlier: true
        }
    );
    batch.set_factor(dave, &totp(4)).expect("factor");
    batch.finish(ImportEnd::DryRun, &e).expect("dry run");
    assert!(
        store.user_by_key("dave").expect("r").is_none(),
        "a dry run writes nothing"
    );
    assert_eq!(
        events_of(&store, "import"),
        2,
        "the two inserts' events; the dry run's is undone"
    );

    let mut batch = store.import().expect("import");
    batch.insert(&new_user("erin")).expect("erin");
    batch.finish(ImportEnd::Abandon, &e).expect("abandon");
    assert!(store.user_by_key("erin").expect("r").is_none());

    let mut batch = store.import().expect("import");
    let mut demoted = admin_user("admin");
    demoted.is_superuser = false;
    batch.update(admin.id, &demoted).expect("update");
    assert!(matches!(
        batch.finish(ImportEnd::Commit, &e),
        Err(Error::NotPermitted(_))
    ));
    assert!(store.has_admin().expect("has_admin"));

    let mut batch = store.import().expect("import");
    let Written::Done { id: dave } = batch.insert(&new_user("dave")).expect("dave") else {
        panic!("dave was taken");
    };
    batch.update(bob.id, &new_bob).expect("update");
    batch.set_factor(dave, &totp(4)).expect("factor");
    batch.finish(ImportEnd::Commit, &e).expect("commit");
    assert_eq!(
        store.user_by_key("bob").expect("r").expect("b").password,
        "imported"
    );
    assert_eq!(
        store.sessions(Some(bob.id)).expect("s").len(),
        0,
        "a new password ends sessions"
    );
    let factor = store.factor(dave).expect("factor").expect("dave's");
    assert!(factor.confirmed);
    assert_eq!(factor.totp.last_t, 4);
    assert_eq!(
        store
            .user_by_key("dave")
            .expect("r")
            .expect("d")
            .date_joined,
        DateTime::fixed("2026-11-18 11:06:40.123456")
    );
}

#[test]
fn second_factors() {
    let db = TestDb::new();
    let mut store = db.store();
    let e = event(EventKind::MfaEnrol, "bob");
    let bob = store.insert_user(&new_user("bob"), &e, false).expect("bob");
    assert_eq!(store.factor_summary(bob.id).expect("s"), Default::default());
    let pending = Factor {
        user_id: bob.id,
        totp: totp(-1),
        confirmed: false,
        created_at: 5,
        confirmed_at: None,
    };
    store.set_pending_factor(&pending, &e).expect("pending");
    store
        .set_pending_factor(&pending, &e)
        .expect("a pending one is replaced");
    let summary = store.factor_summary(bob.id).expect("s");
    assert!(summary.pending && !summary.confirmed);
    let code = AcceptedCode::Totp {
        previous_last_t: -1,
        t: 10,
        drift: 1,
    };
    let wrong_key = store.confirm_factor(bob.id, &[8; 20], code, &[], 50, &e);
    assert!(
        matches!(wrong_key, Err(Error::Conflicts(_))),
        "{wrong_key:?}"
    );
    store
        .confirm_factor(bob.id, &[7; 20], code, &[[1; 32], [2; 32], [3; 32]], 50, &e)
        .expect("confirm");
    assert!(matches!(
        store.confirm_factor(bob.id, &[7; 20], code, &[], 50, &e),
        Err(Error::Conflicts(_))
    ));
    assert!(matches!(
        store.set_pending_factor(&pending, &e),
        Err(Error::Conflicts(_))
    ));
    let factor = store.factor(bob.id).expect("f").expect("bob's");
    assert_eq!(
        (
            factor.confirmed,
            factor.confirmed_at,
            factor.totp.last_t,
            factor.totp.drift
        ),
        (true, Some(50), 10, 1)
    );
    assert_eq!(*factor.totp.key, vec![7; 20]);

    let codes = store.recovery_codes(bob.id).expect("codes");
    assert_eq!(
        codes.iter().map(|(_, h)| h[0]).collect::<Vec<_>>(),
        [1, 2, 3]
    );
    store.begin_attempt("bob", 100, &|_| None).expect("failure");
    let used = AcceptedCode::Recovery { id: codes[0].0 };
    assert!(
        store
            .accept_code(
                bob.id,
                "bob",
                used,
                60,
                &[event(EventKind::MfaRecoveryCodeUsed, "bob")]
            )
            .expect("used")
    );
    assert!(
        !store
            .accept_code(bob.id, "bob", used, 61, &[])
            .expect("used twice")
    );
    assert_eq!(
        store.user_listing("bob").expect("l").expect("b").failures,
        0
    );
    let next = AcceptedCode::Totp {
        previous_last_t: 10,
        t: 11,
        drift: 0,
    };
    assert!(
        store
            .accept_code(bob.id, "bob", next, 62, &[])
            .expect("totp")
    );
    assert!(
        !store
            .accept_code(bob.id, "bob", next, 62, &[])
            .expect("the same step again")
    );
    assert_eq!(
        store.factor_summary(bob.id).expect("s").recovery_codes_left,
        2
    );

    store
        .replace_recovery_codes(bob.id, &[[4; 32]], &e)
        .expect("replace");
    assert_eq!(store.recovery_codes(bob.id).expect("c").len(), 1);
    let mut names = Vec::new();
    store
        .for_each_factor(&mut |name, f| {
            names.push((name.to_owned(), f.user_id));
            Ok(())
        })
        .expect("factors");
    assert_eq!(names, [("bob".to_owned(), bob.id)]);

    login(&mut store, &bob, 1);
    assert_eq!(
        store.remove_factor(bob.id, true, &e).expect("remove"),
        (true, 1)
    );
    assert_eq!(
        store.remove_factor(bob.id, true, &e).expect("again"),
        (false, 0)
    );
    assert!(store.factor(bob.id).expect("f").is_none());
    assert!(matches!(
        store.replace_recovery_codes(bob.id, &[[4; 32]], &e),
        Err(Error::Conflicts(_))
    ));
    assert_eq!(store.recovery_codes(bob.id).expect("c").len(), 0);
}
