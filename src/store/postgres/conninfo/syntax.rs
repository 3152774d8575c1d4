//! The syntax of libpq's connection strings: a URL's parts (through the
//! `url` crate) and `key=value` pairs, into the keywords latch takes. Values
//! are not judged here (`resolve` does that); no problem it reports quotes
//! the string.

use percent_encoding::percent_decode_str;
use zeroize::Zeroizing;

use super::FIELD;
use crate::error::Problem;

/// The keywords latch takes, each with its environment variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Keyword {
    Host,
    Port,
    Dbname,
    User,
    Password,
    Passfile,
    Sslmode,
    Sslrootcert,
    ConnectTimeout,
    ApplicationName,
}

pub(super) const KEYWORDS: [(Keyword, &str, &str); 10] = [
    (Keyword::Host, "host", "PGHOST"),
    (Keyword::Port, "port", "PGPORT"),
    (Keyword::Dbname, "dbname", "PGDATABASE"),
    (Keyword::User, "user", "PGUSER"),
    (Keyword::Password, "password", "PGPASSWORD"),
    (Keyword::Passfile, "passfile", "PGPASSFILE"),
    (Keyword::Sslmode, "sslmode", "PGSSLMODE"),
    (Keyword::Sslrootcert, "sslrootcert", "PGSSLROOTCERT"),
    (
        Keyword::ConnectTimeout,
        "connect_timeout",
        "PGCONNECT_TIMEOUT",
    ),
    (Keyword::ApplicationName, "application_name", "PGAPPNAME"),
];

/// libpq's other keywords. latch refuses them by name, since it would not
/// honour them; any other word is refused by its position only, because a
/// string written wrong may have a piece of a password where a keyword goes.
const LIBPQ_ONLY: &[&str] = &[
    "hostaddr",
    "options",
    "service",
    "client_encoding",
    "fallback_application_name",
    "channel_binding",
    "require_auth",
    "target_session_attrs",
    "load_balance_hosts",
    "keepalives",
    "keepalives_idle",
    "keepalives_interval",
    "keepalives_count",
    "tcp_user_timeout",
    "replication",
    "gssencmode",
    "gsslib",
    "gssdelegation",
    "krbsrvname",
    "requirepeer",
    "requiressl",
    "sslcert",
    "sslkey",
    "sslpassword",
    "sslcrl",
    "sslcrldir",
    "sslsni",
    "sslcompression",
    "sslcertmode",
    "sslnegotiation",
    "ssl_min_protocol_version",
    "ssl_max_protocol_version",
    "min_protocol_version",
    "max_protocol_version",
];

fn keyword(name: &str) -> Option<Keyword> {
    KEYWORDS
        .iter()
        .find(|(_, text, _)| *text == name)
        .map(|(keyword, _, _)| *keyword)
}

fn keyword_names() -> String {
    KEYWORDS.map(|(_, name, _)| name).join(", ")
}

/// A refused keyword: named when it is one of libpq's, else by position.
fn unknown_keyword(name: &str, place: &str) -> Problem {
    let problem = if LIBPQ_ONLY.contains(&name) {
        Problem::new(
            FIELD,
            format!("latch does not take the connection option {name:?}"),
        )
    } else {
        Problem::new(FIELD, format!("{place} is not a connection option"))
    };
    problem.with_hint(format!("latch takes: {}", keyword_names()))
}

/// The values the string sets, the last of a repeated keyword winning (as
/// in libpq).
#[derive(Default)]
pub(super) struct Settings(Vec<(Keyword, Zeroizing<String>)>);

impl Settings {
    pub(super) fn set(&mut self, keyword: Keyword, value: String) {
        self.0.retain(|(k, _)| *k != keyword);
        self.0.push((keyword, Zeroizing::new(value)));
    }

    pub(super) fn get(&self, keyword: Keyword) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| *k == keyword)
            .map(|(_, v)| v.as_str())
    }
}

/// The length of `postgresql://` or `postgres://` when `text` begins with
/// one (in lower case, as libpq requires).
pub fn url_prefix_len(text: &str) -> Option<usize> {
    ["postgresql://", "postgres://"]
        .into_iter()
        .find(|prefix| text.starts_with(prefix))
        .map(str::len)
}

fn decode(text: &str, what: &str) -> Result<String, Problem> {
    percent_decode_str(text)
        .decode_utf8()
        .map(|text| text.into_owned())
        .map_err(|_| {
            Problem::new(
                FIELD,
                format!("the URL's {what} is not UTF-8 once percent-decoded"),
            )
        })
}

/// `postgresql://[user[:password]@][host[:port][,...]][/dbname][?key=value&...]`.
pub(super) fn parse_url(text: &str, prefix: usize) -> Result<Settings, Vec<Problem>> {
    let (scheme, after) = text.split_at(prefix);
    let authority_end = after.find(['/', '?', '#']).unwrap_or(after.len());
    let (authority, tail) = after.split_at(authority_end);
    let (userinfo, host_list) = match authority.rfind('@') {
        Some(at) => (&authority[..=at], &authority[at + 1..]),
        None => ("", authority),
    };
    let entries: Vec<&str> = host_list.split(',').collect();
    let bad_url = |e: url::ParseError| vec![Problem::new(FIELD, format!("not a valid URL: {e}"))];

    // url reads one host: the rest of the URL is read with the first entry,
    // and each entry on its own.
    let whole = Zeroizing::new(format!("{scheme}{userinfo}{}{tail}", entries[0]));
    let url = url::Url::parse(&whole).map_err(bad_url)?;
    let mut settings = Settings::default();
    let mut problems = Vec::new();
    let mut keep = |result: Result<Option<(Keyword, String)>, Problem>| match result {
        Ok(Some((keyword, value))) => settings.set(keyword, value),
        Ok(None) => {}
        Err(problem) => problems.push(problem),
    };

    let mut hosts = Vec::new();
    let mut ports = Vec::new();
    for entry in &entries {
        let one = url::Url::parse(&format!("{scheme}{entry}")).map_err(bad_url)?;
        hosts.push(match one.host() {
            None => String::new(),
            Some(url::Host::Ipv6(address)) => address.to_string(),
            Some(url::Host::Ipv4(address)) => address.to_string(),
            Some(url::Host::Domain(name)) => match decode(name, "host") {
                Ok(name) => name,
                Err(problem) => return Err(vec![problem]),
            },
        });
        ports.push(one.port().map(|p| p.to_string()).unwrap_or_default());
    }
    if hosts.iter().any(|h| !h.is_empty()) || hosts.len() > 1 {
        keep(Ok(Some((Keyword::Host, hosts.join(",")))));
    }
    if ports.iter().any(|p| !p.is_empty()) {
        keep(Ok(Some((Keyword::Port, ports.join(",")))));
    }
    if !url.username().is_empty() {
        keep(decode(url.username(), "user").map(|u| Some((Keyword::User, u))));
    }
    if let Some(password) = url.password() {
        keep(decode(password, "password").map(|p| Some((Keyword::Password, p))));
    }
    let path = url.path().strip_prefix('/').unwrap_or(url.path());
    if !path.is_empty() {
        keep(decode(path, "database name").map(|d| Some((Keyword::Dbname, d))));
    }
    if url.fragment().is_some() {
        keep(Err(Problem::new(
            FIELD,
            "a PostgreSQL URL has no fragment (#…); a # in a password is written %23",
        )));
    }
    for (index, pair) in url.query().unwrap_or("").split('&').enumerate() {
        if pair.is_empty() {
            continue;
        }
        let place = format!("the URL's query parameter {}", index + 1);
        let Some((name, value)) = pair.split_once('=') else {
            keep(Err(Problem::new(FIELD, format!("{place} has no \"=\""))));
            continue;
        };
        let name = match decode(name, "query") {
            Ok(name) => name,
            Err(problem) => {
                keep(Err(problem));
                continue;
            }
        };
        match keyword(&name) {
            Some(keyword) => keep(decode(value, "query").map(|v| Some((keyword, v)))),
            None => keep(Err(unknown_keyword(&name, &place))),
        }
    }
    if problems.is_empty() {
        Ok(settings)
    } else {
        Err(problems)
    }
}

/// libpq's `isspace`.
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c')
}

/// `keyword = value ...`: spaces around `=` are optional; a value is a
/// single-quoted string or runs to the next space; a backslash takes the
/// next character as it is, inside quotes or not.
pub(super) fn parse_keyword_value(text: &str) -> Result<Settings, Vec<Problem>> {
    let mut settings = Settings::default();
    let mut problems = Vec::new();
    let mut chars = text.chars().enumerate().peekable();
    let skip_spaces = |chars: &mut std::iter::Peekable<_>| {
        while chars
            .next_if(|(_, c): &(usize, char)| is_space(*c))
            .is_some()
        {}
    };
    loop {
        skip_spaces(&mut chars);
        let Some(&(start, _)) = chars.peek() else {
            break;
        };
        let place = format!("the word at character {}", start + 1);
        let mut name = String::new();
        while let Some((_, c)) = chars.next_if(|(_, c)| !is_space(*c) && *c != '=') {
            name.push(c);
        }
        skip_spaces(&mut chars);
        if chars.next_if(|(_, c)| *c == '=').is_none() {
            problems.push(
                Problem::new(FIELD, format!("{place} is not followed by \"=\"")).with_hint(
                    "write key=value pairs; a file path with = in it can be given as ./PATH",
                ),
            );
            break;
        }
        skip_spaces(&mut chars);
        let mut value = Zeroizing::new(String::new());
        if chars.next_if(|(_, c)| *c == '\'').is_some() {
            let mut closed = false;
            while let Some((_, c)) = chars.next() {
                match c {
                    '\\' => match chars.next() {
                        Some((_, next)) => value.push(next),
                        None => break,
                    },
                    '\'' => {
                        closed = true;
                        break;
                    }
                    c => value.push(c),
                }
            }
            if !closed {
                problems.push(Problem::new(
                    FIELD,
                    format!("the quoted value after {place} is not closed with '"),
                ));
                break;
            }
        } else {
            while let Some((_, c)) = chars.next_if(|(_, c)| !is_space(*c)) {
                if c == '\\' {
                    if let Some((_, next)) = chars.next() {
                        value.push(next);
                    }
                } else {
                    value.push(c);
                }
            }
        }
        match keyword(&name) {
            Some(keyword) => settings.set(keyword, value.to_string()),
            None => problems.push(unknown_keyword(&name, &place)),
        }
    }
    if problems.is_empty() {
        Ok(settings)
    } else {
        Err(problems)
    }
}
