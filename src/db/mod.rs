//! The database: SQLite by default, PostgreSQL when `DATABASE_URL` starts with `postgres://`.
//!
//! Queries are written once in SQL that both backends accept (`$1` parameters, `RETURNING`,
//! `ON CONFLICT`) and run through sqlx's `Any` driver; only migrations differ per backend. Queries live
//! beside the resource they serve.

use anyhow::Context;
use sqlx::AnyPool;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use std::path::Path;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Two pools onto one database. On SQLite every write goes through one connection, so writers queue
/// in the pool in order instead of sleeping in SQLite's busy handler; reads run side by side (WAL).
/// On PostgreSQL both are the same pool.
#[derive(Clone, Debug)]
pub struct Db {
    pub read: AnyPool,
    pub write: AnyPool,
    pub backend: Backend,
    /// The SQLite file, for work that reads it directly (the big export).
    pub sqlite_path: Option<std::path::PathBuf>,
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

// WAL lets readers carry on while one connection writes. synchronous=NORMAL in WAL mode keeps every
// committed transaction if the process dies (the WAL is written before COMMIT returns); only a power
// cut or OS crash can lose the last few, which is the usual trade for SQLite servers.
// secure_delete overwrites deleted rows with zeros, so erased answers do not linger in free pages
// of the file (or of a copy of it).
const SQLITE_PRAGMAS: [&str; 5] = [
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA busy_timeout = 5000",
    "PRAGMA secure_delete = ON",
];

impl Db {
    pub async fn connect(url: &str, max_connections: u32) -> anyhow::Result<Db> {
        install_default_drivers();
        let backend = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            anyhow::bail!("DATABASE_URL must start with sqlite: or postgres://");
        };
        let options = || {
            AnyPoolOptions::new()
                .acquire_timeout(Duration::from_secs(10))
                // No ping before every query: on SQLite it is a second hand-over to the
                // connection's worker thread for each statement, and a connection that has gone
                // bad fails its own query, which reports it, instead.
                .test_before_acquire(false)
                .after_connect(move |conn, _meta| {
                    Box::pin(async move {
                        if backend == Backend::Sqlite {
                            for pragma in SQLITE_PRAGMAS {
                                sqlx::query(pragma).execute(&mut *conn).await?;
                            }
                        }
                        Ok(())
                    })
                })
        };
        let db = match backend {
            Backend::Postgres => {
                let pool = options()
                    .max_connections(max_connections)
                    .connect(url)
                    .await
                    .context("could not connect to PostgreSQL")?;
                Db { read: pool.clone(), write: pool, backend, sqlite_path: None }
            }
            Backend::Sqlite => {
                let (url, path) = sqlite_url(url)?;
                // The writer connects first so that it creates the file and switches it to WAL
                // before any reader opens it.
                let write = options()
                    .max_connections(1)
                    .connect(&url)
                    .await
                    .with_context(|| format!("could not open the SQLite database {url}"))?;
                let read = options()
                    .max_connections(max_connections)
                    .connect(&url)
                    .await
                    .with_context(|| format!("could not open the SQLite database {url}"))?;
                Db { read, write, backend, sqlite_path: Some(path) }
            }
        };
        Ok(db)
    }

    /// Applies the migrations for this backend. Safe to run from several instances at once:
    /// on PostgreSQL sqlx holds an advisory lock while it migrates.
    pub async fn migrate(&self) -> anyhow::Result<()> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&self.write).await.context("could not apply database migrations")?;
        Ok(())
    }
}

/// Creates the folder for a SQLite file and asks sqlx to create the file if it is missing.
/// Returns the URL to connect with and the file's path.
fn sqlite_url(url: &str) -> anyhow::Result<(String, std::path::PathBuf)> {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        anyhow::bail!("use a SQLite file, not an in-memory database, so that answers are kept");
    }
    if let Some(parent) = Path::new(path).parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).with_context(|| format!("could not create the folder {}", parent.display()))?;
    }
    let url = if url.contains("mode=") {
        url.to_owned()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    };
    Ok((url, std::path::PathBuf::from(path)))
}

impl Backend {
    /// The backend a connection (or transaction) talks to.
    pub fn of(conn: &sqlx::AnyConnection) -> Backend {
        match conn.backend_name() {
            "PostgreSQL" => Backend::Postgres,
            _ => Backend::Sqlite,
        }
    }

    /// A SELECT of the rows of a JSON array of arrays bound as `$param`, one column for each of
    /// `integer` (an integer, or else text): many rows written with one statement and one bound
    /// value. Bound one by one instead, SQLite's time grows with the square of a statement's
    /// placeholders (it looks each one's name up along a list); that was a big import's largest
    /// cost.
    pub fn json_rows(self, param: usize, integer: &[bool]) -> String {
        let cells: Vec<String> = integer
            .iter()
            .enumerate()
            .map(|(i, integer)| match (self, integer) {
                (Backend::Postgres, true) => format!("(value ->> {i})::bigint"),
                _ => format!("value ->> {i}"),
            })
            .collect();
        let cells = cells.join(", ");
        match self {
            Backend::Sqlite => format!("SELECT {cells} FROM json_each(${param})"),
            Backend::Postgres => format!("SELECT {cells} FROM json_array_elements(${param}::json)"),
        }
    }
}

/// The responses readers see, with `r` the response table: all but those of an import still under
/// way, which shows them when it finishes (see the import's `run` module). Queries written as one
/// string say `import_id IS NULL` themselves.
pub const STORED_RESPONSES: &str = "r.import_id IS NULL";

/// Current time in Unix seconds, as stored.
pub fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Whether text can be stored as it is: no control characters but tab and line breaks. PostgreSQL
/// refuses NUL outright, and the rest are never meant (pasted by mistake, or hostile), so every
/// way text comes in refuses them with a message rather than failing on one backend only.
pub fn is_storable_text(text: &str) -> bool {
    !text.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

pub fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(e) if e.is_unique_violation())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_not_storable() {
        assert!(is_storable_text("Line one\r\nline two\tand a tab, ŵ, 漢字, مرحبا"));
        for bad in ["a\0b", "bell\u{7}", "esc\u{1b}[31m", "del\u{7f}", "c1\u{85}"] {
            assert!(!is_storable_text(bad), "{bad:?}");
        }
    }

    #[test]
    fn sqlite_urls_create_the_file() {
        let dir = std::env::temp_dir().join(format!("is-url-{}", std::process::id()));
        let url = format!("sqlite:{}/x/db.sqlite3", dir.display());
        assert_eq!(sqlite_url(&url).unwrap().0, format!("{url}?mode=rwc"));
        assert_eq!(sqlite_url(&url).unwrap().1, dir.join("x/db.sqlite3"));
        assert!(dir.join("x").is_dir());
        assert_eq!(sqlite_url("sqlite:a.db?mode=ro").unwrap().0, "sqlite:a.db?mode=ro");
        assert!(sqlite_url("sqlite::memory:").is_err());
    }
}
