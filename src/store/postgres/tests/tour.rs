//! Every method of the PostgreSQL store once, on users of the caller's own:
//! run over the socket here, and through PgBouncer by the race tests.

use super::{TestDb, event, new_user, session, totp};
use sha2::{Digest, Sha256};

use crate::audit::EventKind;
use crate::store::factor::{AcceptedCode, Factor, FactorStore};
use crate::store::postgres::PostgresStore;
use crate::store::{AccountStore, EventFilter, ImportEnd, Sessions, UserFilter, Written};

/// Every method once, on users named after `tag`: for the PgBouncer test.
pub(super) fn tour(store: &mut PostgresStore, tag: &str) {
    let e = event(EventKind::Register, tag);
    let user = store
        .insert_user(&new_user(tag), &e, false)
        .expect("insert_user");
    store.has_admin().expect("has_admin");
    store.policy().expect("policy");
    store
        .set_policy("session-age", 3600, &e)
        .expect("set_policy");
    store
        .user_by_key(&user.username.to_lowercase())
        .expect("user_by_key");
    store
        .user_listing(&user.username.to_lowercase())
        .expect("user_listing");
    store
        .for_each_user(UserFilter::All, &mut |_| Ok(()))
        .expect("for_each_user");
    for filter in [
        UserFilter::Active,
        UserFilter::Disabled,
        UserFilter::Admins,
        UserFilter::WithFactor,
        UserFilter::WithoutFactor,
    ] {
        store
            .for_each_user(filter, &mut |_| Ok(()))
            .expect("filtered");
    }
    let key = user.username.to_lowercase();
    store
        .begin_attempt(&key, 100, &|_| Some(150))
        .expect("begin_attempt");
    // Locked: the other branch.
    store
        .begin_attempt(&key, 120, &|_| None)
        .expect("begin_attempt, locked");
    // A token of the tag's own: tours run at once on one store.
    let token: [u8; 32] = Sha256::digest(tag.as_bytes()).into();
    let mut new_session = session(&user, 0);
    new_session.token_hash = token;
    let id = store
        .start_session(&new_session, None, std::slice::from_ref(&e), &mut || Ok(()))
        .expect("start_session");
    store
        .confirm_check(user.id, &user.password, None, std::slice::from_ref(&e))
        .expect("confirm_check");
    store
        .under_write_lock(&mut || Ok(()))
        .expect("under_write_lock");
    store
        .session_by_token(&token)
        .expect("session_by_token")
        .expect("the session");
    store.sessions(Some(user.id)).expect("sessions");
    store.touch_session(id, 200).expect("touch_session");
    store.reset_failures(&key).expect("reset_failures");
    store.clear_failures(&key, &e).expect("clear_failures");
    store
        .change_password(user.id, &user.password, "changed", Some(id), &[3; 32], &e)
        .expect("change_password");
    store
        .end_sessions(Sessions::AllOf { user_id: user.id }, Some(&e))
        .expect("end_sessions");
    store
        .end_sessions(Sessions::One(id), None)
        .expect("end_sessions, one");
    store
        .end_sessions(
            Sessions::AllOfBut {
                user_id: user.id,
                keep: id,
            },
            None,
        )
        .expect("end_sessions, all but");
    store.record(&e).expect("record");
    store.events(&EventFilter::default(), 5).expect("events");
    let filter = EventFilter {
        user_id: Some(user.id),
        subject_key: Some(key.clone()),
    };
    store.events(&filter, 5).expect("events, filtered");
    let factor = Factor {
        user_id: user.id,
        totp: totp(-1),
        confirmed: false,
        created_at: 1,
        confirmed_at: None,
    };
    store
        .set_pending_factor(&factor, &e)
        .expect("set_pending_factor");
    store
        .confirm_factor(
            user.id,
            &[7; 20],
            AcceptedCode::Totp {
                previous_last_t: -1,
                t: 3,
                drift: 0,
            },
            &[[1; 32]],
            5,
            &e,
        )
        .expect("confirm_factor");
    store.factor(user.id).expect("factor");
    store.factor_summary(user.id).expect("factor_summary");
    let codes = store.recovery_codes(user.id).expect("recovery_codes");
    store
        .accept_code(
            user.id,
            &key,
            AcceptedCode::Recovery { id: codes[0].0 },
            6,
            std::slice::from_ref(&e),
        )
        .expect("accept_code");
    store
        .replace_recovery_codes(user.id, &[[2; 32]], &e)
        .expect("replace_recovery_codes");
    store
        .for_each_factor(&mut |_, _| Ok(()))
        .expect("for_each_factor");
    store
        .remove_factor(user.id, true, &e)
        .expect("remove_factor");
    store.set_active(user.id, false, &e).expect("set_active");
    store.set_admin(user.id, true, &e).expect("set_admin");
    store.set_admin(user.id, false, &e).expect("set_admin");
    let mut batch = store.import().expect("import");
    let imported = new_user(&format!("{tag}-imported"));
    let Written::Done { id: imported_id } = batch.insert(&imported).expect("insert") else {
        panic!("taken");
    };
    batch.update(imported_id, &imported).expect("update");
    batch.set_factor(imported_id, &totp(1)).expect("set_factor");
    batch.finish(ImportEnd::Commit, &e).expect("finish");
    store.delete_user(user.id, &e).expect("delete_user");
}

#[test]
fn the_tour_runs_on_the_socket() {
    let db = TestDb::new();
    tour(&mut db.store(), "walker");
}
