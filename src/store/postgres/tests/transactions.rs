//! The transactions themselves: a row lock held elsewhere ends the command
//! after the lock timeout with one store error (exit 8), and a deadlock is
//! retried, not reported.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use postgres::types::Type;

use super::{TestDb, event, new_user};
use crate::audit::EventKind;
use crate::store::AccountStore;
use crate::store::postgres::transaction::{End, LOCK_TIMEOUT, run};

#[test]
fn a_stuck_row_lock_ends_the_command_after_the_lock_timeout() {
    let db = TestDb::new();
    let mut store = db.store();
    let e = event(EventKind::PasswordChange, "bob");
    let bob = store.insert_user(&new_user("bob"), &e, false).expect("bob");
    let mut other = db.client();
    let mut holder = other.transaction().expect("another transaction");
    holder
        .batch_execute("SELECT 1 FROM latch.users FOR UPDATE")
        .expect("the row lock");
    let started = Instant::now();
    let error = store
        .change_password(bob.id, &bob.password, "new", None, &[1; 32], &e)
        .expect_err("the row stays locked");
    let waited = started.elapsed();
    assert_eq!(error.exit_code(), 8);
    assert!(
        error
            .to_string()
            .contains("stayed locked by another command for 5s"),
        "{error}"
    );
    // The server's timer, not ours, ends the wait: it may fire a few
    // milliseconds before our clock says the timeout has passed.
    let slack = Duration::from_millis(250);
    assert!(
        waited + slack >= LOCK_TIMEOUT && waited < LOCK_TIMEOUT * 2,
        "{waited:?}"
    );
    holder.rollback().expect("let go");
    store
        .change_password(bob.id, &bob.password, "new", None, &[1; 32], &e)
        .expect("then it goes through");
}

#[test]
fn a_deadlock_is_run_again() {
    let db = TestDb::new();
    let store = db.store();
    db.client()
        .batch_execute(
            "CREATE TABLE latch.probe (id int PRIMARY KEY, n int); \
             INSERT INTO latch.probe VALUES (1, 0), (2, 0)",
        )
        .expect("two rows");
    let (locked_one, wait_one) = mpsc::channel();
    let (took_two, wait_two) = mpsc::channel::<()>();
    let mut other = db.client();
    let holder = std::thread::spawn(move || {
        // This side waits longest before it looks for a deadlock, so the
        // store's transaction is the one the server ends.
        other
            .batch_execute("SET deadlock_timeout = '10s'")
            .expect("set");
        let mut tx = other.transaction().expect("begin");
        tx.batch_execute("UPDATE latch.probe SET n = n + 1 WHERE id = 1")
            .expect("row 1");
        locked_one.send(()).expect("send");
        wait_two.recv().expect("the store has row 2");
        tx.batch_execute("UPDATE latch.probe SET n = n + 1 WHERE id = 2")
            .expect("row 2");
        tx.commit().expect("commit");
    });
    wait_one.recv().expect("row 1 is locked");
    let mut attempts = 0;
    run(&store.client, &store.location, None, End::Commit, |tx| {
        attempts += 1;
        tx.execute_typed(
            "UPDATE probe SET n = n + 10 WHERE id = $1",
            &[(&2, Type::INT4)],
        )?;
        if attempts == 1 {
            took_two.send(()).expect("send");
            std::thread::sleep(Duration::from_millis(200));
        }
        tx.execute_typed(
            "UPDATE probe SET n = n + 10 WHERE id = $1",
            &[(&1, Type::INT4)],
        )?;
        Ok(())
    })
    .expect("run again after the deadlock");
    holder.join().expect("holder");
    assert_eq!(attempts, 2);
    let total: i64 = db
        .client()
        .query_typed_one("SELECT sum(n)::bigint FROM latch.probe", &[])
        .expect("sum")
        .get(0);
    assert_eq!(total, 22, "the holder's two updates and the store's, once");
}
