//! The JSON Lines import reader (`latch import --format jsonl`): any bytes as
//! the file. Reading never panics; each user comes with its own line number,
//! in order; every line is refused with its problems or accepted whole, and an
//! accepted user passes latch's rules again and survives `export`'s encoding
//! unchanged.

#![no_main]

use std::io::Cursor;

use latch::transfer;
use latch::validate;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let lines = data.split(|byte| *byte == b'\n').count() as u64;
    let mut input = Cursor::new(data);
    let mut last = 0u64;
    for incoming in transfer::json_lines(&mut input) {
        // Reading from memory cannot fail.
        let incoming = incoming.expect("an in-memory read");
        let number: u64 = incoming
            .place
            .strip_prefix("line ")
            .and_then(|n| n.parse().ok())
            .expect("a place of the form `line N`");
        assert!(number > last && number <= lines, "line {number} after {last}");
        last = number;
        match incoming.user {
            Ok(user) => {
                assert_eq!(validate::username(&user.username), Ok(user.username.clone()));
                assert_eq!(validate::email(&user.email), Ok(user.email.clone()));
                assert_eq!(user.keys().username, validate::fold(&user.username));
                assert!(!user.password.is_empty());
                // What export writes for this user reads back as the same user.
                let line = serde_json::to_string(&user.clone().with_id(1)).expect("a user encodes");
                let again = transfer::parse_line(&line, number).expect("an exported line");
                assert_eq!(again, user);
            }
            Err(problems) => {
                assert!(!problems.is_empty(), "a refused line with no problem");
                for problem in &problems {
                    assert!(problem.field.starts_with(&incoming.place), "{problem:?}");
                    assert!(!problem.message.contains('\n'), "{problem:?}");
                }
            }
        }
    }
});
