//! The user: latch's one model of an account, as Django's `auth_user` has
//! it. The store reads and writes it, an import reads it from JSON Lines
//! (it is one line, serialized) or from a Django site's database, an export
//! writes it. Each backend has one column list for it (`rows.rs`).
//!
//! `User<Id>` is stored when `Id` is the store's `i64` (`User`), and not
//! yet when it is `()` (`NewUser`); a Django site's user carries Django's
//! own id. The folded keys that make names and emails unique are not
//! fields: they are always what `keys` derives from the username and email,
//! so a row can never hold keys that disagree with them.
//!
//! `user_fields!` is the model's one column list, which both backends make
//! every select and insert of a user from.

use serde::{Deserialize, Serialize};

use crate::timestamp::DateTime;
use crate::validate;

/// A user, as Django names its columns. The username and email are checked
/// and normalized before a store is given one (`transfer::check_user`,
/// `accounts::register`). As JSON Lines, every field but `username`,
/// `email` and `password` may be left out; `id` is never read or written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct User<Id = i64> {
    /// The store's id (`users.id`), Django's (`auth_user.id`), or `()`.
    #[serde(skip)]
    pub id: Id,
    pub username: String,
    pub email: String,
    /// The Django-encoded hash, or `!…` for an unusable password.
    pub password: String,
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    #[serde(default = "active_by_default")]
    pub is_active: bool,
    #[serde(default)]
    pub is_staff: bool,
    #[serde(default)]
    pub is_superuser: bool,
    /// Now, when a line leaves it out.
    #[serde(default = "DateTime::now", deserialize_with = "date_joined")]
    pub date_joined: DateTime,
    #[serde(default, deserialize_with = "last_login")]
    pub last_login: Option<DateTime>,
}

/// The columns of `User`'s fields after its id, in the order of the fields,
/// each after `$table` (`"users."`, or `""` where SQL wants bare names):
/// the one column list of the model. A backend reads a row in this order
/// and binds a user's values in it.
macro_rules! user_fields {
    ($table:literal) => {
        $crate::store::user::user_fields!(
            $table;
            username, email, password, first_name, last_name,
            is_active, is_staff, is_superuser, date_joined, last_login
        )
    };
    ($table:literal; $first:ident $(, $field:ident)*) => {
        concat!($table, stringify!($first) $(, ", ", $table, stringify!($field))*)
    };
}
pub(in crate::store) use user_fields;

/// A user not stored yet: what `register` and an import write.
pub type NewUser = User<()>;

/// The folded forms of a user's username and email, which the store keeps
/// unique (`username_key`, `email_key`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keys {
    pub username: String,
    pub email: String,
}

impl<Id> User<Id> {
    /// The user's folded keys.
    pub fn keys(&self) -> Keys {
        Keys {
            username: validate::fold(&self.username),
            email: validate::email_key(&self.email),
        }
    }

    /// The same user with the id `id`: a new user once the store gives it
    /// one, or a user of another store without its id.
    pub fn with_id<Other>(self, id: Other) -> User<Other> {
        User {
            id,
            username: self.username,
            email: self.email,
            password: self.password,
            first_name: self.first_name,
            last_name: self.last_name,
            is_active: self.is_active,
            is_staff: self.is_staff,
            is_superuser: self.is_superuser,
            date_joined: self.date_joined,
            last_login: self.last_login,
        }
    }
}

fn active_by_default() -> bool {
    true
}

/// The message a bad time in a line of JSON Lines gives: latch's field name
/// and fixed words, never the text (`transfer::jsonl` reads it back).
pub const NOT_A_TIME: &str = "is not a date and time";

fn date_joined<'de, D: serde::Deserializer<'de>>(input: D) -> Result<DateTime, D::Error> {
    let text = String::deserialize(input)?;
    DateTime::parse(&text)
        .ok_or_else(|| serde::de::Error::custom(format!("date_joined {NOT_A_TIME}")))
}

fn last_login<'de, D: serde::Deserializer<'de>>(input: D) -> Result<Option<DateTime>, D::Error> {
    Option::<String>::deserialize(input)?
        .map(|text| {
            DateTime::parse(&text)
                .ok_or_else(|| serde::de::Error::custom(format!("last_login {NOT_A_TIME}")))
        })
        .transpose()
}

/// A user with what `users list` and `users show` add to the row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserListing {
    pub user: User,
    /// Consecutive failed logins since the last success.
    pub failures: u32,
    pub locked_until: Option<i64>,
    pub sessions: u32,
    /// Whether the account has a confirmed second factor.
    pub mfa: bool,
    /// Its unused recovery codes.
    pub recovery_codes_left: u32,
}

/// Which users `for_each_user` visits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UserFilter {
    #[default]
    All,
    Active,
    Disabled,
    Admins,
    /// Accounts with a confirmed second factor.
    WithFactor,
    /// Accounts without one.
    WithoutFactor,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(username: &str, email: &str) -> NewUser {
        User {
            id: (),
            username: username.into(),
            email: email.into(),
            password: "!".into(),
            first_name: String::new(),
            last_name: String::new(),
            is_active: true,
            is_staff: false,
            is_superuser: false,
            date_joined: DateTime::fixed("2026-01-02 03:04:05.250000"),
            last_login: None,
        }
    }

    #[test]
    fn keys_are_folded_from_the_fields() {
        let user = user("Straße", "Alice@Bücher.Example");
        let keys = user.keys();
        assert_eq!(keys.username, "strasse");
        assert_eq!(keys.email, "alice@xn--bcher-kva.example");
        assert_eq!(user.with_id(7).id, 7);
    }

    #[test]
    fn serialized_times_are_djangos_text_and_the_id_is_left_out() {
        let user = user("alice", "alice@example.com").with_id(7);
        let text = serde_json::to_string(&user).expect("JSON");
        assert!(!text.contains("\"id\""), "{text}");
        assert!(
            text.contains(r#""date_joined":"2026-01-02 03:04:05.250000","last_login":null"#),
            "{text}"
        );
        let back: NewUser = serde_json::from_str(&text).expect("read back");
        assert_eq!(back, user.with_id(()));
    }

    #[test]
    fn the_column_list_is_the_fields_in_their_order() {
        let text = serde_json::to_string(&user("alice", "alice@example.com")).expect("JSON");
        let columns: Vec<&str> = user_fields!("").split(", ").collect();
        let at: Vec<usize> = columns
            .iter()
            .map(|name| text.find(&format!("\"{name}\":")).expect(name))
            .collect();
        assert!(at.is_sorted(), "{columns:?} in {text}");
        // Every field but the id, which serde leaves out.
        assert_eq!(text.matches("\":").count(), columns.len());
        assert_eq!(
            user_fields!("users.").split(", ").next(),
            Some("users.username")
        );
    }
}
