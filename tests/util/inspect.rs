//! The store read and changed behind latch's back, on either backend: SQL
//! that both SQLite and PostgreSQL (latch's schema first on the search path)
//! take, with every value read back as text.

use super::{Backend, Env};

impl Env {
    /// The SQLite file itself, for tests of what only SQLite has.
    #[track_caller]
    pub fn connection(&self) -> rusqlite::Connection {
        assert_eq!(
            self.backend(),
            Backend::Sqlite,
            "connection() opens the SQLite file; use query/sql on PostgreSQL"
        );
        rusqlite::Connection::open(&self.db).expect("open the store")
    }

    /// Every row `select` returns, each value as text (`None` for NULL,
    /// bytes in lowercase hex).
    pub fn query(&self, select: &str) -> Vec<Vec<Option<String>>> {
        match self.pg() {
            Some(database) => {
                let mut client = database.client();
                client
                    .simple_query(select)
                    .unwrap_or_else(|e| panic!("{select}: {}", pg_error(&e)))
                    .into_iter()
                    .filter_map(|message| match message {
                        postgres::SimpleQueryMessage::Row(row) => Some(
                            (0..row.len())
                                .map(|i| {
                                    row.get(i).map(|text| match text.strip_prefix("\\x") {
                                        Some(hex) => hex.to_owned(),
                                        None => text.to_owned(),
                                    })
                                })
                                .collect(),
                        ),
                        _ => None,
                    })
                    .collect()
            }
            None => {
                let conn = self.connection();
                let mut statement = conn
                    .prepare(select)
                    .unwrap_or_else(|e| panic!("{select}: {e}"));
                let columns = statement.column_count();
                statement
                    .query_map([], |row| {
                        (0..columns)
                            .map(|i| row.get::<_, rusqlite::types::Value>(i).map(sqlite_text))
                            .collect::<Result<Vec<_>, _>>()
                    })
                    .expect("rows")
                    .collect::<Result<_, _>>()
                    .expect("rows")
            }
        }
    }

    /// The one row `select` returns.
    #[track_caller]
    pub fn row(&self, select: &str) -> Vec<Option<String>> {
        let mut rows = self.query(select);
        assert_eq!(rows.len(), 1, "{select}: not one row: {rows:?}");
        rows.remove(0)
    }

    /// The one row `select` returns, none of its values NULL.
    #[track_caller]
    pub fn texts(&self, select: &str) -> Vec<String> {
        self.row(select)
            .into_iter()
            .map(|value| value.unwrap_or_else(|| panic!("{select}: NULL")))
            .collect()
    }

    /// Whether the store exists yet: the file, or latch's schema.
    pub fn store_exists(&self) -> bool {
        match self.pg() {
            Some(database) => database.has_schema(),
            None => self.db.exists(),
        }
    }

    /// The one value of the one row `select` returns.
    #[track_caller]
    pub fn value(&self, select: &str) -> Option<String> {
        let rows = self.query(select);
        assert_eq!(rows.len(), 1, "{select}: not one row: {rows:?}");
        rows[0][0].clone()
    }

    /// The one value of the one row `select` returns, a number.
    #[track_caller]
    pub fn number(&self, select: &str) -> i64 {
        self.value(select)
            .unwrap_or_else(|| panic!("{select}: NULL"))
            .parse()
            .unwrap_or_else(|e| panic!("{select}: not a number: {e}"))
    }

    /// The SQL for the current Unix time, in this store's dialect.
    pub fn now_sql(&self) -> &'static str {
        match self.backend() {
            Backend::Sqlite => "CAST(strftime('%s', 'now') AS integer)",
            Backend::Postgres => "CAST(extract(epoch FROM now()) AS bigint)",
        }
    }

    /// SQLite's SQL in this store's dialect: `char(n)` is `chr(n)` on
    /// PostgreSQL.
    pub fn dialect(&self, sql: &str) -> String {
        match self.backend() {
            Backend::Sqlite => sql.to_owned(),
            Backend::Postgres => sql.replace("char(", "chr("),
        }
    }

    /// Text as an SQL string literal (the same in both dialects).
    pub fn text_sql(&self, text: &str) -> String {
        format!("'{}'", text.replace('\'', "''"))
    }

    /// The first value of every row `select` returns, none NULL.
    pub fn column(&self, select: &str) -> Vec<String> {
        self.query(select)
            .into_iter()
            .map(|row| row[0].clone().unwrap_or_else(|| panic!("{select}: NULL")))
            .collect()
    }

    /// A byte string as an SQL literal, in this store's dialect.
    pub fn bytes_sql(&self, bytes: &[u8]) -> String {
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        match self.backend() {
            Backend::Sqlite => format!("X'{hex}'"),
            Backend::Postgres => format!("'\\x{hex}'::bytea"),
        }
    }

    /// The token hash of every session row, in row order.
    pub fn session_token_hashes(&self) -> Vec<Vec<u8>> {
        self.query("SELECT token_hash FROM sessions ORDER BY id")
            .into_iter()
            .map(|row| unhex(row[0].as_deref().expect("a token hash")))
            .collect()
    }

    /// Runs SQL that changes the store (a test's shortcut to a state latch
    /// itself would take time or several users to reach).
    pub fn sql(&self, statements: &str) {
        match self.pg() {
            Some(database) => database
                .client()
                .batch_execute(statements)
                .unwrap_or_else(|e| panic!("{statements}: {}", pg_error(&e))),
            None => self
                .connection()
                .execute_batch(statements)
                .unwrap_or_else(|e| panic!("{statements}: {e}")),
        }
    }

    /// Runs SQL that changes the store, and says whether the store took it.
    pub fn try_sql(&self, statements: &str) -> bool {
        match self.pg() {
            Some(database) => database.client().batch_execute(statements).is_ok(),
            None => self.connection().execute_batch(statements).is_ok(),
        }
    }

    /// `PRAGMA integrity_check`: "ok" for a sound SQLite file.
    pub fn integrity(&self) -> String {
        self.connection()
            .query_row("PRAGMA integrity_check", [], |row| row.get(0))
            .expect("integrity_check")
    }

    pub fn count(&self, table: &str) -> i64 {
        self.number(&format!("SELECT count(*) FROM {table}"))
    }

    /// `(kind, subject, detail)` of the events matching `filter` (an SQL
    /// condition on the events table), oldest first.
    pub fn events_where(&self, filter: &str) -> Vec<(String, String, String)> {
        self.query(&format!(
            "SELECT kind, subject, detail FROM events WHERE {filter} ORDER BY id"
        ))
        .into_iter()
        .map(|row| {
            let text = |i: usize| row[i].clone().unwrap_or_default();
            (text(0), text(1), text(2))
        })
        .collect()
    }

    /// Every row of the tables that matter, as text: to prove a failed
    /// command left the store as it was.
    pub fn dump(&self) -> String {
        self.dump_tables(&["users", "sessions", "policy", "events", "login_failures"])
    }

    /// Every row of `tables`, as text.
    pub fn dump_tables(&self, tables: &[&str]) -> String {
        if !self.store_exists() {
            return "no store".into();
        }
        let mut out = String::new();
        for table in tables {
            for row in self.query(&format!("SELECT * FROM {table} ORDER BY 1")) {
                let values: Vec<String> = row
                    .into_iter()
                    .map(|value| value.unwrap_or_else(|| "NULL".into()))
                    .collect();
                out.push_str(&format!("{table}: {}\n", values.join(" | ")));
            }
        }
        out
    }
}

fn sqlite_text(value: rusqlite::types::Value) -> Option<String> {
    use rusqlite::types::Value;
    match value {
        Value::Null => None,
        Value::Integer(n) => Some(n.to_string()),
        Value::Real(x) => Some(x.to_string()),
        Value::Text(text) => Some(text),
        Value::Blob(bytes) => Some(bytes.iter().map(|b| format!("{b:02x}")).collect()),
    }
}

pub fn unhex(hex: &str) -> Vec<u8> {
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex"))
        .collect()
}

/// The server's own message for a failed statement.
fn pg_error(error: &postgres::Error) -> String {
    match error.as_db_error() {
        Some(db) => format!("{}: {}", db.severity(), db.message()),
        None => error.to_string(),
    }
}
