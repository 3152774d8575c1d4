//! PBKDF2-HMAC-SHA256 at Django 6.0's 1,200,000 iterations, beside its floor.
//!
//! PBKDF2 cannot do less than two dependent SHA-256 compressions per
//! iteration; `floor` runs exactly that chain. `latch` is latch's own loop,
//! `pbkdf2 crate` the generic RustCrypto path it replaced. The target: latch
//! at most 1.10× the floor.
//!
//!     cargo bench --bench hashing

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use latch::password::pbkdf2::{compression_floor, pbkdf2_sha256};
use sha2::Sha256;

const ITERATIONS: u32 = 1_200_000;

fn hashing(c: &mut Criterion) {
    let mut group = c.benchmark_group("pbkdf2-sha256 at 1,200,000 iterations");
    group
        .sample_size(15)
        .measurement_time(Duration::from_secs(4));
    group.bench_function("floor (2 × N compressions)", |b| {
        b.iter(|| compression_floor(black_box(ITERATIONS)))
    });
    group.bench_function("latch", |b| {
        b.iter(|| {
            pbkdf2_sha256(
                black_box(b"correct horse battery staple"),
                b"seasalt0123456789ABCDE",
                ITERATIONS,
            )
        })
    });
    group.bench_function("pbkdf2 crate", |b| {
        b.iter(|| {
            let mut key = [0u8; 32];
            pbkdf2::pbkdf2_hmac::<Sha256>(
                black_box(b"correct horse battery staple"),
                b"seasalt0123456789ABCDE",
                ITERATIONS,
                &mut key,
            );
            key
        })
    });
    group.finish();
}

criterion_group!(benches, hashing);
criterion_main!(benches);
