//! What every handler can reach: the database, the staff session store, the published surveys,
//! the settings and the server's key. It names only the layers below it (the survey catalogue,
//! keys, config, db), so the services and features above can all take it.

use crate::config::Config;
use crate::db::Db;
use crate::survey::Catalogue;
use async_trait::async_trait;
use axum::extract::FromRef;
use std::sync::Arc;
use tower_sessions::cookie::SameSite;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion};
use tower_sessions::{Expiry, SessionManagerLayer};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

#[derive(Clone, FromRef)]
pub struct AppState {
    pub db: Db,
    pub sessions: SessionStore,
    pub surveys: Arc<Catalogue>,
    pub config: Arc<Config>,
    /// For keyed hashes (return codes, erased references).
    pub key: crate::keys::ServerKey,
}

/// The session store for whichever database the app runs on.
#[derive(Debug, Clone)]
pub enum SessionStore {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

impl SessionStore {
    /// Opens the store on its own small pool to the same database and creates its table.
    pub async fn open(database_url: &str) -> anyhow::Result<SessionStore> {
        let store = if database_url.starts_with("sqlite:") {
            let options: sqlx::sqlite::SqliteConnectOptions = database_url.parse()?;
            let pool = sqlx::sqlite::SqlitePoolOptions::new()
                .max_connections(2)
                .connect_with(options.busy_timeout(std::time::Duration::from_secs(5)))
                .await?;
            let store = SqliteStore::new(pool);
            store.migrate().await?;
            SessionStore::Sqlite(store)
        } else {
            let pool = sqlx::postgres::PgPoolOptions::new().max_connections(4).connect(database_url).await?;
            let store = PostgresStore::new(pool);
            store.migrate().await?;
            SessionStore::Postgres(store)
        };
        Ok(store)
    }

    pub fn layer(self, idle_minutes: i64, secure: bool) -> SessionManagerLayer<SessionStore> {
        SessionManagerLayer::new(self)
            .with_name("staff_session")
            .with_path(crate::paths::staff::HOME)
            .with_http_only(true)
            .with_secure(secure)
            // Strict: a link on another site opens staff pages signed out, so it can make nothing
            // happen in a member of staff's name, not even an audited download.
            .with_same_site(SameSite::Strict)
            .with_expiry(Expiry::OnInactivity(time::Duration::minutes(idle_minutes)))
    }

    /// Clears expired staff sessions now and then, on one instance at a time.
    pub async fn sweep_expired(self, db: crate::db::Db) {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(15 * 60));
        loop {
            every.tick().await;
            match db.alone("session sweep", self.delete_expired()).await {
                Ok(None | Some(Ok(()))) => {}
                Ok(Some(Err(e))) => tracing::warn!(error = ?e, "could not remove expired staff sessions"),
                Err(e) => tracing::warn!(error = ?e, "could not remove expired staff sessions"),
            }
        }
    }
}

#[async_trait]
impl session_store::SessionStore for SessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        match self {
            SessionStore::Sqlite(s) => s.create(record).await,
            SessionStore::Postgres(s) => s.create(record).await,
        }
    }
    async fn save(&self, record: &Record) -> session_store::Result<()> {
        match self {
            SessionStore::Sqlite(s) => s.save(record).await,
            SessionStore::Postgres(s) => s.save(record).await,
        }
    }
    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        match self {
            SessionStore::Sqlite(s) => s.load(id).await,
            SessionStore::Postgres(s) => s.load(id).await,
        }
    }
    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        match self {
            SessionStore::Sqlite(s) => s.delete(id).await,
            SessionStore::Postgres(s) => s.delete(id).await,
        }
    }
}

#[async_trait]
impl ExpiredDeletion for SessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        match self {
            SessionStore::Sqlite(s) => s.delete_expired().await,
            SessionStore::Postgres(s) => s.delete_expired().await,
        }
    }
}
