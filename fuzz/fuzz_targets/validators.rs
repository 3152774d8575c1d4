//! The input rules: username, email, password and the folded key, on any
//! UTF-8. None may panic; an accepted username or email is accepted again
//! unchanged; the folded key folds to itself, so a look-alike cannot get a
//! key of its own.

#![no_main]

use latch::policy::Policy;
use latch::validate;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(name) = validate::username(text) {
        assert_eq!(validate::username(&name), Ok(name.clone()));
        assert_eq!(validate::fold(&name), validate::fold(text));
        assert!(validate::login_name(&name).is_ok());
    }
    let _ = validate::login_name(text);
    if let Ok(email) = validate::email(text) {
        assert_eq!(validate::email(&email), Ok(email.clone()));
    }
    let key = validate::fold(text);
    assert_eq!(validate::fold(&key), key, "fold is not a fixed point");
    // The password, then the words it must not be close to.
    let (password, known) = text.split_once('\n').unwrap_or((text, ""));
    let _ = validate::password(password, &Policy::default(), &[known]);
});
