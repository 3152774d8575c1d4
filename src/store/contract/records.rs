//! The contract of records: policy values and history events.

use super::*;

pub fn policy_values_are_stored(store: &mut dyn AccountStore) {
    let defaults = store.policy().expect("policy");
    let threshold = i64::from(defaults.lockout_threshold) + 1;
    store
        .set_policy(
            "lockout-threshold",
            threshold,
            &event(EventKind::PolicyChange, "root"),
        )
        .expect("set");
    assert_eq!(
        i64::from(store.policy().expect("policy").lockout_threshold),
        threshold
    );
}

pub fn events_are_filtered_and_limited_newest_first(store: &mut dyn AccountStore) {
    let alice = add(store, "alice", false);
    add(store, "bob", false);
    for n in 0..3 {
        let e = AuditEvent::by_self(EventKind::Logout, "alice", alice.id).detail(n.to_string());
        store.record(&e).expect("record");
    }
    store
        .record(&event(EventKind::LoginFailure, "carol"))
        .expect("record");
    let all = store.events(&EventFilter::default(), 100).expect("events");
    assert_eq!(all.len(), 6);
    assert!(all.windows(2).all(|w| w[0].id > w[1].id));
    let by_id = EventFilter {
        user_id: Some(alice.id),
        ..Default::default()
    };
    let newest = store.events(&by_id, 2).expect("events");
    assert_eq!(newest.len(), 2);
    assert_eq!(newest[0].event.detail, "2");
    let by_key = EventFilter {
        subject_key: Some("carol".into()),
        ..Default::default()
    };
    assert_eq!(store.events(&by_key, 10).expect("events").len(), 1);
}
