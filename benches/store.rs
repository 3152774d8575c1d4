//! What register, login and whoami ask of the account store, at 1,000,
//! 100,000 and 1,000,000 users: the target is the same cost at a million as
//! at a thousand (within 1.2×). PBKDF2, which dominates a whole login and
//! does not depend on the store, is left out here (`benches/hashing.rs`).
//!
//! Each store is made as an operator would, by `latch import`
//! (`benches/make-store.sh`), so the first run spends a few seconds on it.
//!
//!     cargo bench --bench store
//!     LATCH_BENCH_SIZES=1000,100000 cargo bench --bench store

use std::hint::black_box;
use std::time::Duration;

mod shared;

use criterion::{Criterion, criterion_group, criterion_main};
use latch::audit::{AuditEvent, EventKind};
use latch::session::{self, SessionToken};
use latch::store::{AccountStore, NewSession, NewUser, OpenMode, SqliteStore};
use latch::timestamp::{self, DateTime};
use latch::validate;

fn sizes() -> Vec<u32> {
    std::env::var("LATCH_BENCH_SIZES")
        .unwrap_or_else(|_| "1000,100000,1000000".into())
        .split(',')
        .map(|size| size.trim().parse().expect("LATCH_BENCH_SIZES: numbers"))
        .collect()
}

/// A user as `register` makes one, with a hash computed once.
fn new_user(username: String, password: &str) -> NewUser {
    NewUser {
        id: (),
        email: format!("{username}@example.com"),
        username,
        password: password.to_owned(),
        first_name: String::new(),
        last_name: String::new(),
        is_active: true,
        is_staff: false,
        is_superuser: false,
        date_joined: DateTime::now(),
        last_login: None,
    }
}

/// A new session for `user_id`, as `login` starts one.
fn new_session(user_id: i64, password: &str) -> (SessionToken, NewSession) {
    let token = SessionToken::generate().expect("a token");
    let now = timestamp::now();
    let session = NewSession {
        user_id,
        token_hash: token.hash(),
        password_binding: session::password_binding(password),
        created_at: now,
        expires_at: now + 3600,
        host: "bench".into(),
        login_time: DateTime::from_unix(now),
        verified_password: password.to_owned(),
        rehash: None,
    };
    (token, session)
}

/// The users a benchmark visits: spread over the whole store, not one hot row.
struct Spread {
    next: u64,
    users: u64,
}

impl Spread {
    fn username(&mut self) -> String {
        self.next = self
            .next
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        format!("user{}", (self.next >> 33) % self.users)
    }
}

fn store_operations(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    for users in sizes() {
        let db = shared::make_store(dir.path(), &users.to_string(), users);
        let mut store = SqliteStore::open(&db, OpenMode::Existing)
            .expect("the store opens")
            .expect("the store exists");
        let first = store
            .user_by_key("user0")
            .expect("a lookup")
            .expect("user0 was imported");
        let password = first.password.clone();
        let (token, session) = new_session(first.id, &password);
        store
            .start_session(&session, None, &[], &mut || Ok(()))
            .expect("a session");
        let token_hash = token.hash();
        let mut spread = Spread {
            next: 1,
            users: u64::from(users),
        };

        let mut group = c.benchmark_group(format!("store of {users} users"));
        let mut registered = 0u64;
        group.bench_function("register: insert a user and its event", |b| {
            b.iter(|| {
                registered += 1;
                let user = new_user(format!("bench{registered}"), &password);
                let event = AuditEvent::new(EventKind::Register, &user.username, None);
                store.insert_user(&user, &event, false).expect("inserted")
            })
        });
        group.bench_function(
            "login: find the user, count the attempt, start a session",
            |b| {
                b.iter(|| {
                    let key = validate::fold(&spread.username());
                    let user = store.user_by_key(&key).expect("a lookup").expect("a user");
                    store
                        .begin_attempt(&key, timestamp::now(), &|_| None)
                        .expect("an attempt");
                    let (_, session) = new_session(user.id, &user.password);
                    let event =
                        AuditEvent::by_self(EventKind::LoginSuccess, &user.username, user.id);
                    store
                        .start_session(&session, None, &[event], &mut || Ok(()))
                        .expect("a session")
                })
            },
        );
        group.bench_function("whoami: the session of a token, with its user", |b| {
            b.iter(|| {
                store
                    .session_by_token(black_box(&token_hash))
                    .expect("a lookup")
                    .expect("the session")
            })
        });
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = store_operations
}
criterion_main!(benches);
