//! The database: SQLite by default, PostgreSQL when `DATABASE_URL` starts with `postgres://`.
//!
//! Queries are written once in SQL that both backends accept (`$1` parameters, `RETURNING`,
//! `ON CONFLICT`) and run through sqlx's `Any` driver; only migrations differ per backend. Queries live
//! beside the resource they serve.

pub mod retry;

use anyhow::Context;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyPool};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
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
    /// Whether the SQLite writer was set to sync each commit ([`Db::durable`]) and must be set back
    /// when it is released.
    syncing: Arc<AtomicBool>,
    /// Off only for the load benchmark's comparison with unsynced commits.
    sync_acknowledgements: Arc<AtomicBool>,
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

// WAL lets readers carry on while one connection writes. synchronous=NORMAL in WAL mode keeps every
// committed transaction if the process dies (the WAL is written before COMMIT returns); only a power
// cut or OS crash can lose the last few. That is the trade for drafts; what acknowledges answers
// commits with the WAL synced (see `Db::durable`).
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
        let syncing = Arc::new(AtomicBool::new(false));
        let sync_acknowledgements = Arc::new(AtomicBool::new(true));
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
                Db { read: pool.clone(), write: pool, backend, sqlite_path: None, syncing, sync_acknowledgements }
            }
            Backend::Sqlite => {
                let (url, path) = sqlite_url(url)?;
                // The writer connects first so that it creates the file and switches it to WAL
                // before any reader opens it.
                let reset = syncing.clone();
                let write = options()
                    .max_connections(1)
                    // Back to NORMAL after a durable transaction (or one that failed part-way).
                    .after_release(move |conn, _meta| {
                        let reset = reset.clone();
                        Box::pin(async move {
                            if !reset.swap(false, Ordering::SeqCst) {
                                return Ok(true);
                            }
                            // A connection that cannot be set back is closed, not kept syncing.
                            Ok(sqlx::query("PRAGMA synchronous = NORMAL").execute(&mut *conn).await.is_ok())
                        })
                    })
                    .connect(&url)
                    .await
                    .with_context(|| format!("could not open the SQLite database {url}"))?;
                let read = options()
                    .max_connections(max_connections)
                    .connect(&url)
                    .await
                    .with_context(|| format!("could not open the SQLite database {url}"))?;
                Db { read, write, backend, sqlite_path: Some(path), syncing, sync_acknowledgements }
            }
        };
        Ok(db)
    }

    /// The write connection, set so that what it commits is on disk before the commit returns:
    /// for what acknowledges answers (a sent response, an officer's or a device's entry, an
    /// import finished), which a power cut must not take back. Begin the transaction on it
    /// (`sqlx::Connection::begin`). On SQLite it syncs the WAL at each commit (`synchronous =
    /// FULL`, which must be set outside a transaction) until it is released, when it goes back to
    /// NORMAL: drafts stay cheaper. PostgreSQL's commits are on disk already. Release it before
    /// using `write` again: SQLite has one write connection.
    pub async fn durable(&self) -> Result<PoolConnection<Any>, sqlx::Error> {
        let mut conn = self.write.acquire().await?;
        if self.backend == Backend::Sqlite && self.sync_acknowledgements.load(Ordering::Relaxed) {
            // Marked first, so that a failure below still sets it back.
            self.syncing.store(true, Ordering::SeqCst);
            sqlx::query("PRAGMA synchronous = FULL").execute(&mut *conn).await?;
        }
        Ok(conn)
    }

    /// Whether [`Db::durable`] syncs: the load benchmark turns it off for a round to print what
    /// syncing costs beside it. Never off in the service.
    pub fn set_synced_acknowledgements(&self, on: bool) {
        self.sync_acknowledgements.store(on, Ordering::Relaxed);
    }

    /// Runs a background job (a sweep, the retention job) on one instance at a time. On
    /// PostgreSQL several instances share the database: the job runs under an advisory lock named
    /// for it, and an instance that finds it held skips this turn (`None`); each run says in the
    /// log which instance ran it. On SQLite there is one instance.
    pub async fn alone<T>(&self, job: &'static str, work: impl Future<Output = T>) -> Result<Option<T>, sqlx::Error> {
        if self.backend != Backend::Postgres {
            return Ok(Some(work.await));
        }
        // Held on its own connection for the whole job: the lock is the session's.
        let mut conn = self.write.acquire().await?;
        let key = lock_key(job);
        let locked: bool =
            sqlx::query_scalar("SELECT pg_try_advisory_lock($1)").bind(key).fetch_one(&mut *conn).await?;
        if !locked {
            tracing::debug!(job, "another instance is running this job: skipped here");
            return Ok(None);
        }
        tracing::info!(job, instance = %instance(), "running the job on this instance");
        let done = work.await;
        let _: bool = sqlx::query_scalar("SELECT pg_advisory_unlock($1)").bind(key).fetch_one(&mut *conn).await?;
        Ok(Some(done))
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

/// A job's advisory lock: the first 8 bytes of its name's SHA-256, the same on every instance.
fn lock_key(job: &str) -> i64 {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(format!("inclusion-survey job {job}"));
    i64::from_be_bytes(digest[..8].try_into().expect("8 bytes"))
}

/// This instance in the log: its host and process.
fn instance() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_owned())
        .unwrap_or_else(|| "this host".to_owned());
    format!("{host} (process {})", std::process::id())
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

    async fn level(conn: &mut sqlx::AnyConnection) -> i64 {
        sqlx::query_scalar("PRAGMA synchronous").fetch_one(conn).await.unwrap()
    }

    #[tokio::test]
    async fn a_durable_commit_syncs_and_the_writer_goes_back_to_normal_after() {
        let dir = std::env::temp_dir().join(format!("is-durable-{}", std::process::id()));
        let db = Db::connect(&format!("sqlite:{}/db.sqlite3", dir.display()), 2).await.unwrap();
        let (normal, full) = (1, 2);
        assert_eq!(level(&mut *db.write.acquire().await.unwrap()).await, normal, "drafts stay cheaper");
        sqlx::query("CREATE TABLE t (x BIGINT)").execute(&db.write).await.unwrap();
        {
            use sqlx::Connection;
            let mut writer = db.durable().await.unwrap();
            let mut tx = writer.begin().await.unwrap();
            sqlx::query("INSERT INTO t (x) VALUES (1)").execute(&mut *tx).await.unwrap();
            assert_eq!(level(&mut *tx).await, full, "the commit syncs the WAL");
            tx.commit().await.unwrap();
        }
        assert_eq!(level(&mut *db.write.acquire().await.unwrap()).await, normal);
        // Given up part-way (an error, a dropped request): set back all the same.
        drop(db.durable().await.unwrap());
        assert_eq!(level(&mut *db.write.acquire().await.unwrap()).await, normal);
        std::fs::remove_dir_all(dir).ok();
    }
}
