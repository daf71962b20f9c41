//! Drafts: a resident's answers so far, saved on every page against a cookie, so that closing the
//! browser loses nothing.

use crate::db::{now, Db};
use crate::error::AppError;
use crate::survey::Progress;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::Row;

const COOKIE: &str = "draft";

#[derive(Debug, Clone)]
pub struct Draft {
    token_hash: String,
    pub version_id: i64,
    pub progress: Progress,
    /// Set once the draft has been sent: it is then a receipt, not something to change.
    pub response_id: Option<i64>,
    pub attribution: Attribution,
}

/// Who entered the answers, how and where. A resident on their own is `web`, with no officer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribution {
    pub officer_id: Option<i64>,
    pub channel: String,
    pub location_id: Option<i64>,
    /// An officer correcting one of their own responses: sending replaces its answers.
    pub corrects_response_id: Option<i64>,
}

impl Attribution {
    pub fn web() -> Attribution {
        Attribution {
            officer_id: None,
            channel: super::CHANNEL_WEB.to_owned(),
            location_id: None,
            corrects_response_id: None,
        }
    }
}

impl Draft {
    pub fn token_hash(&self) -> &str {
        &self.token_hash
    }
}

fn hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

pub fn token(jar: &CookieJar) -> Option<String> {
    jar.get(COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The cookie is scoped to one survey's pages and lives as long as the draft does.
pub fn cookie(slug: &str, token: String, ttl_secs: i64, secure: bool) -> Cookie<'static> {
    Cookie::build((COOKIE, token))
        .path(format!("/s/{slug}"))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(time::Duration::seconds(ttl_secs))
        .build()
}

pub async fn find(db: &Db, token: &str) -> Result<Option<Draft>, AppError> {
    let row = sqlx::query(
        "SELECT token_hash, survey_version_id, progress, response_id, officer_id, channel, location_id, \
         corrects_response_id FROM draft WHERE token_hash = $1 AND expires_at > $2",
    )
    .bind(hash(token))
    .bind(now())
    .fetch_optional(&db.read)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let progress: String = row.try_get("progress")?;
    Ok(Some(Draft {
        token_hash: row.try_get("token_hash")?,
        version_id: row.try_get("survey_version_id")?,
        // A draft written by this program always parses; if one somehow does not, starting
        // afresh is kinder than an error page on every visit.
        progress: serde_json::from_str(&progress).unwrap_or_default(),
        response_id: row.try_get("response_id")?,
        attribution: Attribution {
            officer_id: row.try_get("officer_id")?,
            channel: row.try_get("channel")?,
            location_id: row.try_get("location_id")?,
            corrects_response_id: row.try_get("corrects_response_id")?,
        },
    }))
}

/// Starts a draft on a survey version; returns the token for the cookie.
pub async fn create(
    db: &Db,
    version_id: i64,
    ttl_secs: i64,
    attribution: &Attribution,
    progress: &Progress,
) -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let at = now();
    sqlx::query(
        "INSERT INTO draft (token_hash, survey_version_id, progress, created_at, updated_at, expires_at, \
         officer_id, channel, location_id, corrects_response_id) VALUES ($1, $2, $3, $4, $4, $5, $6, $7, $8, $9)",
    )
    .bind(hash(&token))
    .bind(version_id)
    .bind(serde_json::to_string(progress).map_err(anyhow::Error::from)?)
    .bind(at)
    .bind(at + ttl_secs)
    .bind(attribution.officer_id)
    .bind(&attribution.channel)
    .bind(attribution.location_id)
    .bind(attribution.corrects_response_id)
    .execute(&db.write)
    .await?;
    Ok(token)
}

/// Saves the answers so far and pushes the expiry back. Returns false if the draft was sent (or
/// removed) in the meantime, in which case nothing changed.
pub async fn save(db: &Db, draft: &Draft, ttl_secs: i64) -> Result<bool, AppError> {
    let at = now();
    let done = sqlx::query(
        "UPDATE draft SET progress = $1, updated_at = $2, expires_at = $3 \
         WHERE token_hash = $4 AND response_id IS NULL",
    )
    .bind(serde_json::to_string(&draft.progress).map_err(anyhow::Error::from)?)
    .bind(at)
    .bind(at + ttl_secs)
    .bind(&draft.token_hash)
    .execute(&db.write)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Removes drafts past their expiry. Sent drafts go too: the response itself is kept.
pub async fn delete_expired(db: &Db) -> Result<u64, AppError> {
    let done = sqlx::query("DELETE FROM draft WHERE expires_at <= $1")
        .bind(now())
        .execute(&db.write)
        .await?;
    Ok(done.rows_affected())
}
