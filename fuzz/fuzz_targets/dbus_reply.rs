//! What a D-Bus bus sends back to latch's own connection (the Secret Service
//! search, deletes and prompts): any bytes as the stream after the bus's
//! `OK`. Reading never panics and never reads past a message's announced
//! length; what is read as a message gives its header and, for the bodies
//! latch expects, a value or an error.

#![no_main]

use std::io::Cursor;

use latch::token_store::dbus::read_message;
use libfuzzer_sys::fuzz_target;
use zbus::zvariant::OwnedObjectPath;

fuzz_target!(|data: &[u8]| {
    let mut input = Cursor::new(data);
    // Messages one after another, as the bus sends them, until the bytes
    // run out or one is refused.
    let mut start = input.position();
    while let Ok(message) = read_message(&mut input) {
        // Exactly the bytes the message announced, no more.
        assert_eq!(input.position() - start, message.data().len() as u64);
        start = input.position();
        let header = message.header();
        let _ = (header.message_type(), header.reply_serial(), header.error_name());
        let body = message.body();
        let _ = body.deserialize::<(Vec<OwnedObjectPath>, Vec<OwnedObjectPath>)>();
        let _ = body.deserialize::<OwnedObjectPath>();
        let _ = body.deserialize::<&str>();
        // An error reply becomes latch's error message.
        let _ = zbus::Error::from(message.clone()).to_string();
    }
});
