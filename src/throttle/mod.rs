//! Limits on attempts at something guessable: signing in, removing answers by reference, and
//! looking up a return code. Attempts are counted in the database, so a limit holds across every
//! instance.
//!
//! An attempt is written (and committed) before it is counted, and both happen before the slow or
//! secret check the limit guards. So of any number of attempts at once, only those among the first
//! `max` to be written can see a count within the limit: 50 concurrent wrong passwords for one
//! account get at most 5 checked. Counting first and writing after the check, as a naive limit
//! does, lets every concurrent attempt through.

mod address;

use crate::config::{ProxyHeader, TrustedProxies};
pub use address::ClientAddress;

use crate::db::{Db, now};
use crate::error::AppError;

/// How far back attempts count.
pub const WINDOW_SECS: i64 = 15 * 60;

/// Something guessable that attempts are limited at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guarded {
    SignIn,
    /// Looking up a return code.
    ReturnCode,
    /// Removing answers by reference.
    Removal,
}

impl Guarded {
    fn as_str(self) -> &'static str {
        match self {
            Guarded::SignIn => "sign-in",
            Guarded::ReturnCode => "return",
            Guarded::Removal => "remove",
        }
    }
}

/// What attempts are counted against, stored as text such as `sign-in:account:x@council.gov.uk`.
/// Every kind there is is here, so the code that counts and the code that clears cannot spell a key
/// differently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key {
    /// Sign-ins to one account, by its email.
    Account(String),
    /// One client address's attempts.
    Address(Guarded, std::net::IpAddr),
    /// Everyone's guesses together: from addresses seen failing in the window, or not (see
    /// [`guess`]).
    Everyone(Guarded, bool),
    /// One officer's return-code lookups for residents who phone.
    Officer(Guarded, i64),
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Key::Account(email) => write!(f, "{}:account:{email}", Guarded::SignIn.as_str()),
            Key::Address(what, ip) => write!(f, "{}:address:{ip}", what.as_str()),
            Key::Everyone(what, seen_failing) => {
                write!(f, "{}:{}", what.as_str(), if *seen_failing { "all" } else { "first" })
            }
            Key::Officer(what, id) => write!(f, "{}:officer:{id}", what.as_str()),
        }
    }
}

/// At most `max` attempts under `key` in the window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limit {
    pub key: String,
    pub max: i64,
}

impl Limit {
    pub fn new(key: Key, max: i64) -> Limit {
        Limit { key: key.to_string(), max }
    }
}

/// An attempt that was within every limit. Unless it is [`forgiven`](Attempt::forgive) it stays
/// counted, as a failure.
#[must_use = "an attempt counts as a failure unless it is forgiven"]
pub struct Attempt {
    ids: Vec<i64>,
}

/// Records one attempt under every limit's key, then counts. Refused with
/// [`AppError::TooManyRequests`] if any key is over its limit (the attempt stays recorded: hammering
/// a limit keeps it shut).
pub async fn attempt(db: &Db, limits: &[Limit]) -> Result<Attempt, AppError> {
    let at = now();
    let mut tx = db.write.begin().await?;
    // Old attempts go as new ones come, so the table stays the size of one window.
    sqlx::query("DELETE FROM attempt WHERE at <= $1").bind(at - WINDOW_SECS).execute(&mut *tx).await?;
    let mut ids = Vec::with_capacity(limits.len());
    for limit in limits {
        let id: i64 = sqlx::query_scalar("INSERT INTO attempt (key, at) VALUES ($1, $2) RETURNING id")
            .bind(&limit.key)
            .bind(at)
            .fetch_one(&mut *tx)
            .await?;
        ids.push(id);
    }
    tx.commit().await?;
    for limit in limits {
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM attempt WHERE key = $1 AND at > $2")
            .bind(&limit.key)
            .bind(at - WINDOW_SECS)
            .fetch_one(&db.write)
            .await?;
        if count > limit.max {
            return Err(AppError::TooManyRequests);
        }
    }
    Ok(Attempt { ids })
}

impl Attempt {
    /// The attempt succeeded: it no longer counts against any limit.
    pub async fn forgive(self, db: &Db) -> Result<(), AppError> {
        for id in self.ids {
            sqlx::query("DELETE FROM attempt WHERE id = $1").bind(id).execute(&db.write).await?;
        }
        Ok(())
    }

    /// The attempt failed and stays counted.
    pub fn fail(self) {}
}

/// A guess at a code a resident holds (a return code, a reference), from `address`: at most
/// `per_address` from one address, and at most `in_total` from everyone together, so that many
/// addresses cannot try every code either. The total is two: one for addresses that have already
/// failed at `what` in the window, one for those that have not, so that a few addresses guessing
/// cannot use the total up and lock out every resident typing their own code for the first time
/// (to shut that one too, a guesser needs `in_total` addresses never seen failing).
pub async fn guess(
    db: &Db,
    what: Guarded,
    address: &ClientAddress,
    per_address: i64,
    in_total: i64,
) -> Result<Attempt, AppError> {
    let own = address.key(what);
    let seen_failing = match &own {
        Some(key) => {
            let failed: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM attempt WHERE key = $1 AND at > $2")
                .bind(key.to_string())
                .bind(now() - WINDOW_SECS)
                .fetch_one(&db.write)
                .await?;
            failed > 0
        }
        None => true,
    };
    let mut limits = vec![Limit::new(Key::Everyone(what, seen_failing), in_total)];
    limits.extend(own.map(|key| Limit::new(key, per_address)));
    attempt(db, &limits).await
}

/// Forgets every attempt under `key` (an account's failures once its owner signs in).
pub async fn clear(db: &Db, key: Key) -> Result<(), AppError> {
    sqlx::query("DELETE FROM attempt WHERE key = $1").bind(key.to_string()).execute(&db.write).await?;
    Ok(())
}

/// Residents' posts that create something, limited per client address: `per_minute`, after a
/// first burst of twice as many. One SQLite instance counts in memory, answering a flood with the
/// plain "Too many attempts" page before it reaches the database; instances sharing PostgreSQL
/// count together in it (a token bucket per address, one statement a post), so that three
/// instances allow what one would. Guesses (return codes, removal) are also counted by [`attempt`].
pub fn resident_writes<S: Clone + Send + Sync + 'static>(
    per_minute: u32,
    proxies: TrustedProxies,
    header: ProxyHeader,
    db: &Db,
    routes: axum::Router<S>,
) -> axum::Router<S> {
    use tower_governor::governor::GovernorConfigBuilder;
    let (burst, per_minute) = (per_minute * 2, u64::from(per_minute));
    if per_minute == 0 {
        return routes;
    }
    if db.backend == crate::db::Backend::Postgres {
        let bucket = Bucket { db: db.clone(), burst: f64::from(burst), per_second: per_minute as f64 / 60.0 };
        let key = address::ClientKey(proxies, header);
        return routes.layer(axum::middleware::from_fn(
            move |request: axum::extract::Request, next: axum::middleware::Next| {
                let (bucket, key) = (bucket.clone(), key.clone());
                async move {
                    use tower_governor::key_extractor::KeyExtractor;
                    if request.method() != axum::http::Method::POST {
                        return next.run(request).await;
                    }
                    let address = key.extract(&request).map(|ip| ip.to_string()).unwrap_or_default();
                    match bucket.take(&address).await {
                        Ok(true) => next.run(request).await,
                        Ok(false) => axum::response::IntoResponse::into_response(AppError::TooManyRequests),
                        // The database restarting must not turn residents away: the post goes
                        // through uncounted, and is run again itself (`db::retry`).
                        Err(AppError::Database(e)) if crate::db::retry::is_lost_connection(&e) => {
                            tracing::warn!(error = ?e, "could not count a resident's post: let through");
                            next.run(request).await
                        }
                        Err(e) => axum::response::IntoResponse::into_response(e),
                    }
                }
            },
        ));
    }
    let Some(limits) = GovernorConfigBuilder::default()
        .key_extractor(address::ClientKey(proxies, header))
        .period(std::time::Duration::from_millis(60_000 / per_minute))
        .burst_size(burst)
        .methods(vec![axum::http::Method::POST])
        .finish()
    else {
        return routes;
    };
    let limiter = limits.limiter().clone();
    // Forget addresses that have been quiet, so the table stays small.
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            every.tick().await;
            limiter.retain_recent();
        }
    });
    let layer = tower_governor::GovernorLayer::new(limits)
        .error_handler(|_| axum::response::IntoResponse::into_response(AppError::TooManyRequests));
    routes.layer(layer)
}

/// Residents' posts per address, counted in PostgreSQL for every instance together.
#[derive(Clone)]
struct Bucket {
    db: Db,
    burst: f64,
    per_second: f64,
}

impl Bucket {
    /// Takes a token for a post from `address`: refilled at the rate since it was last, up to the
    /// burst, less one. A refused post still takes what there was (down to -1): hammering keeps
    /// the limit shut, as with [`attempt`]. PostgreSQL only (`LEAST`, `GREATEST`).
    async fn take(&self, address: &str) -> Result<bool, AppError> {
        let at = jiff::Timestamp::now().as_millisecond() as f64 / 1000.0;
        let tokens: f64 = sqlx::query_scalar(
            "INSERT INTO resident_bucket (address, tokens, refilled_at) VALUES ($1, $2 - 1, $3) \
             ON CONFLICT (address) DO UPDATE SET tokens = GREATEST(-1, LEAST($2, resident_bucket.tokens \
             + ($3 - resident_bucket.refilled_at) * $4) - 1), refilled_at = $3 RETURNING tokens",
        )
        .bind(address)
        .bind(self.burst)
        .bind(at)
        .bind(self.per_second)
        .fetch_one(&self.db.write)
        .await?;
        Ok(tokens >= 0.0)
    }
}

/// Forgets the counts of addresses quiet for an hour (full again by then), now and then, on one
/// instance at a time.
pub async fn sweep_buckets(db: Db) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(15 * 60));
    loop {
        every.tick().await;
        let quiet = (now() - 3600) as f64;
        let sweep = sqlx::query("DELETE FROM resident_bucket WHERE refilled_at < $1").bind(quiet).execute(&db.write);
        match db.alone("limit sweep", sweep).await {
            Ok(None | Some(Ok(_))) => {}
            Ok(Some(Err(e))) => tracing::warn!(error = ?e, "could not sweep residents' limits"),
            Err(e) => tracing::warn!(error = ?e, "could not sweep residents' limits"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_stored_as_they_always_were() {
        // Attempts recorded before an upgrade keep counting after it.
        let ip: std::net::IpAddr = "192.0.2.1".parse().unwrap();
        assert_eq!(Key::Account("a@council.gov.uk".into()).to_string(), "sign-in:account:a@council.gov.uk");
        assert_eq!(Key::Address(Guarded::SignIn, ip).to_string(), "sign-in:address:192.0.2.1");
        assert_eq!(Key::Address(Guarded::ReturnCode, ip).to_string(), "return:address:192.0.2.1");
        assert_eq!(Key::Everyone(Guarded::Removal, false).to_string(), "remove:first");
        assert_eq!(Key::Everyone(Guarded::ReturnCode, true).to_string(), "return:all");
        assert_eq!(Key::Officer(Guarded::ReturnCode, 7).to_string(), "return:officer:7");
    }
}
