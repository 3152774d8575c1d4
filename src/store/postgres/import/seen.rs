//! The keys an import may no longer take without asking the server: a
//! fingerprint (a keyed 64-bit hash) of each folded username and email that
//! the store had when the import began or that the import has written.
//!
//! A key whose fingerprint is absent is certainly free (as of the import's
//! start); one whose fingerprint is present may be taken, and the import asks
//! the server who has it. A false match only costs that question, so the
//! fingerprints need no more than a hash, and they take 8 bytes a key: a
//! sorted vector searched by bisection, and the latest ones in a small hash
//! set merged into it when full. It never decides that a key is taken.

use std::collections::HashSet;
use std::hash::{BuildHasher, RandomState};

/// Which of a user's keys a fingerprint is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Key {
    Username,
    Email,
}

/// How many fingerprints wait in the hash set before they are merged.
const RECENT: usize = 1 << 16;

#[derive(Debug, Default)]
pub(super) struct Seen {
    hasher: RandomState,
    /// Every fingerprint merged so far, ascending.
    sorted: Vec<u64>,
    recent: HashSet<u64>,
}

impl Seen {
    fn fingerprint(&self, key: Key, value: &str) -> u64 {
        self.hasher.hash_one((key, value))
    }

    /// Whether `value` may be taken as a `key`: false only when it is not.
    pub(super) fn may_hold(&self, key: Key, value: &str) -> bool {
        let print = self.fingerprint(key, value);
        self.recent.contains(&print) || self.sorted.binary_search(&print).is_ok()
    }

    pub(super) fn add(&mut self, key: Key, value: &str) {
        let print = self.fingerprint(key, value);
        if self.sorted.binary_search(&print).is_ok() {
            return;
        }
        self.recent.insert(print);
        if self.recent.len() >= RECENT {
            self.merge();
        }
    }

    /// Moves the recent fingerprints into the sorted vector, merging from
    /// the back in place: no second copy of the vector.
    fn merge(&mut self) {
        let mut recent: Vec<u64> = self.recent.drain().collect();
        recent.sort_unstable();
        let mut old = self.sorted.len();
        let mut new = recent.len();
        self.sorted.reserve_exact(new);
        self.sorted.resize(old + new, 0);
        let mut at = old + new;
        while new > 0 {
            at -= 1;
            if old > 0 && self.sorted[old - 1] > recent[new - 1] {
                self.sorted[at] = self.sorted[old - 1];
                old -= 1;
            } else {
                self.sorted[at] = recent[new - 1];
                new -= 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Key, RECENT, Seen};

    #[test]
    fn a_key_is_held_once_added_and_only_as_its_kind() {
        let mut seen = Seen::default();
        assert!(!seen.may_hold(Key::Username, "alice"));
        seen.add(Key::Username, "alice");
        assert!(seen.may_hold(Key::Username, "alice"));
        assert!(!seen.may_hold(Key::Email, "alice"));
        assert!(!seen.may_hold(Key::Username, "alicf"));
    }

    #[test]
    fn merges_keep_every_key_and_the_order() {
        let mut seen = Seen::default();
        let count = RECENT * 3 + 17;
        for i in 0..count {
            seen.add(Key::Email, &format!("user{i}@example.com"));
            // Added twice: merged fingerprints are not added again.
            if i % 5 == 0 {
                seen.add(Key::Email, &format!("user{}@example.com", i / 2));
            }
        }
        assert_eq!(seen.sorted.len() + seen.recent.len(), count);
        assert!(seen.sorted.len() >= RECENT * 3);
        assert!(seen.sorted.windows(2).all(|pair| pair[0] < pair[1]));
        for i in 0..count {
            assert!(seen.may_hold(Key::Email, &format!("user{i}@example.com")));
        }
        let absent = (count..count + 1000)
            .filter(|i| seen.may_hold(Key::Email, &format!("user{i}@example.com")))
            .count();
        assert_eq!(absent, 0, "fingerprints of 64 bits do not collide here");
    }
}
