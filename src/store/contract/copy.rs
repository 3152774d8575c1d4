//! The contract of `read_batches`: a copy is read one table at a time, in
//! the order the target's foreign keys need, never more than `COPY_BATCH`
//! rows in a batch.

use super::*;
use crate::mfa::totp::TotpState;
use crate::store::{COPY_BATCH, StoreCopy};

/// The tables `batch` holds rows of, by their place in the copy's order,
/// and how many rows each.
fn tables(batch: &StoreCopy) -> Vec<(usize, usize)> {
    [
        batch.users.len(),
        batch.factors.len(),
        batch.recovery_codes.len(),
        batch.policy.len(),
        batch.failures.len(),
        batch.events.len(),
    ]
    .into_iter()
    .enumerate()
    .filter(|&(_, rows)| rows > 0)
    .collect()
}

pub fn a_copy_is_read_a_table_at_a_time_in_batches_of_copy_batch(store: &mut dyn AccountStore) {
    let many = COPY_BATCH + 1;
    let done = event(EventKind::Import, "root");
    let mut batch = store.import().expect("import");
    let mut ids = Vec::new();
    for i in 0..many {
        let Written::Done { id } = batch
            .insert(&new_user(&format!("u{i}"), i == 0))
            .expect("insert")
        else {
            panic!("u{i} is taken");
        };
        let totp = TotpState {
            key: zeroize::Zeroizing::new(vec![7; 20]),
            step: 30,
            t0: 0,
            digits: 6,
            drift: 0,
            last_t: -1,
        };
        batch.set_factor(id, &totp).expect("factor");
        ids.push(id);
    }
    batch.finish(ImportEnd::Commit, &done).expect("commit");
    let codes: Vec<[u8; 32]> = (0..many)
        .map(|i| {
            let mut hash = [0; 32];
            hash[..8].copy_from_slice(&u64::try_from(i).expect("a count").to_be_bytes());
            hash
        })
        .collect();
    store
        .replace_recovery_codes(
            ids[0],
            &codes,
            &event(EventKind::MfaRecoveryCodesRegenerated, "u0"),
        )
        .expect("codes");
    store
        .set_policy(
            "lockout-threshold",
            7,
            &event(EventKind::PolicyChange, "u0"),
        )
        .expect("policy");
    for i in 0..many {
        store
            .begin_attempt(&format!("ghost{i}"), NOW, &lock_until)
            .expect("attempt");
    }

    let mut seen = Vec::new();
    let mut factor_users = Vec::new();
    store
        .read_batches(&mut |batch| {
            let held = tables(batch);
            assert_eq!(held.len(), 1, "one table a batch: {held:?}");
            assert!(held[0].1 <= COPY_BATCH, "{held:?}");
            factor_users.extend(batch.factors.iter().map(|f| f.user_id));
            seen.push(held[0]);
            Ok(())
        })
        .expect("read");
    let order: Vec<usize> = seen.iter().map(|&(table, _)| table).collect();
    assert!(order.windows(2).all(|w| w[0] <= w[1]), "{order:?}");
    let rows = |table: usize| -> Vec<usize> {
        seen.iter()
            .filter(|&&(t, _)| t == table)
            .map(|&(_, rows)| rows)
            .collect()
    };
    for table in [0, 1, 2, 4] {
        assert_eq!(rows(table), [COPY_BATCH, 1], "table {table}");
    }
    assert_eq!(rows(3), [1]);
    assert_eq!(factor_users, ids, "every factor once, in user order");
    assert!(!rows(5).is_empty(), "the events come last");
}
