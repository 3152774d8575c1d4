//! The contract of failed attempts: counted before the check, locked at the
//! threshold, reset and cleared.

use super::*;

pub fn attempts_are_counted_before_the_check_and_lock_at_the_threshold(
    store: &mut dyn AccountStore,
) {
    for expected in 1..LOCK_AT {
        match store
            .begin_attempt("alice", NOW, &lock_until)
            .expect("attempt")
        {
            Attempt::Counted(failures) => {
                assert_eq!(failures.count, expected);
                assert_eq!(failures.locked_until, None);
            }
            other => panic!("{other:?}"),
        }
    }
    match store
        .begin_attempt("alice", NOW, &lock_until)
        .expect("attempt")
    {
        Attempt::Counted(failures) => {
            assert_eq!(failures.count, LOCK_AT);
            assert_eq!(failures.locked_until, Some(NOW + 60));
        }
        other => panic!("{other:?}"),
    }
    // Locked: refused, and not counted.
    for _ in 0..2 {
        assert_eq!(
            store
                .begin_attempt("alice", NOW + 1, &lock_until)
                .expect("attempt"),
            Attempt::Locked { until: NOW + 60 }
        );
    }
    match store
        .begin_attempt("alice", NOW + 61, &lock_until)
        .expect("attempt")
    {
        Attempt::Counted(failures) => assert_eq!(failures.count, LOCK_AT + 1),
        other => panic!("{other:?}"),
    }
}

pub fn failures_are_reset_and_cleared(store: &mut dyn AccountStore) {
    store
        .begin_attempt("alice", NOW, &lock_until)
        .expect("attempt");
    store.reset_failures("alice").expect("reset");
    match store
        .begin_attempt("alice", NOW, &lock_until)
        .expect("attempt")
    {
        Attempt::Counted(failures) => assert_eq!(failures.count, 1),
        other => panic!("{other:?}"),
    }
    let unlock = event(EventKind::Unlock, "alice");
    assert!(store.clear_failures("alice", &unlock).expect("clear"));
    assert!(!store.clear_failures("alice", &unlock).expect("clear"));
    let filter = EventFilter {
        subject_key: Some("alice".into()),
        ..Default::default()
    };
    let unlocks = store.events(&filter, 10).expect("events");
    assert_eq!(unlocks.len(), 1, "{unlocks:?}");
    assert_eq!(unlocks[0].event.kind, "unlock");
}
