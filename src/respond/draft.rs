//! Drafts: a resident's answers so far, saved on every page against a cookie, so that closing the
//! browser loses nothing.
//!
//! A draft is reached three ways, each by a secret of which only a hash is stored: the `draft`
//! cookie while it is being answered; a return code once the resident has saved it to come back
//! later (saving ends the cookie, so the next person at a shared computer starts afresh); and the
//! `receipt` cookie for the hour after it is sent, which shows the reference once and lets the
//! resident ask to be contacted.

use super::return_code::ReturnCode;
use crate::db::{Db, is_unique_violation, now};
use crate::error::AppError;
use crate::keys::ServerKey;
use crate::paths::resident;
use crate::survey::Progress;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Which cookie: the draft being answered, or the receipt of one just sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kept {
    Draft,
    Receipt,
}

impl Kept {
    fn name(self) -> &'static str {
        match self {
            Kept::Draft => "draft",
            Kept::Receipt => "receipt",
        }
    }
}

/// How long after sending the receipt cookie lasts: long enough to ask to be contacted.
pub const RECEIPT_SECS: i64 = 3600;

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
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Attribution {
    pub officer_id: Option<i64>,
    pub channel: String,
    pub location_id: Option<i64>,
    /// An officer correcting one of their own responses: sending replaces its answers.
    pub corrects_response_id: Option<i64>,
    /// The officer's staff session: the draft can only be sent while it stands.
    pub officer_session: Option<String>,
}

impl Attribution {
    /// What the check at sending needs to know ([`crate::auth::check_assisted`]).
    pub fn entry(&self) -> crate::auth::AssistedEntry<'_> {
        crate::auth::AssistedEntry {
            officer_id: self.officer_id,
            officer_session: self.officer_session.as_deref(),
            corrects_response_id: self.corrects_response_id,
        }
    }

    pub fn web() -> Attribution {
        Attribution {
            officer_id: None,
            channel: crate::survey::CHANNEL_WEB.to_owned(),
            location_id: None,
            corrects_response_id: None,
            officer_session: None,
        }
    }
}

impl Draft {
    pub fn token_hash(&self) -> &str {
        &self.token_hash
    }
}

pub fn hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

pub fn token(jar: &CookieJar, kept: Kept) -> Option<String> {
    jar.get(kept.name())
        .map(|c| c.value().to_owned())
        .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The cookie is scoped to one survey's pages and lives as long as the draft (or receipt) does.
pub fn cookie(kept: Kept, slug: &str, token: String, ttl_secs: i64, secure: bool) -> Cookie<'static> {
    Cookie::build((kept.name(), token))
        .path(resident::start_page(&slug))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(time::Duration::seconds(ttl_secs))
        .build()
}

/// Tells the browser to forget a cookie.
pub fn removal(kept: Kept, slug: &str) -> Cookie<'static> {
    Cookie::build((kept.name(), "")).path(resident::start_page(&slug)).build()
}

/// A new random token and its hash.
fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let hash = hash(&token);
    (token, hash)
}

/// A draft as stored: its answers so far as JSON.
#[derive(sqlx::FromRow)]
struct DraftRow {
    token_hash: String,
    survey_version_id: i64,
    progress: String,
    response_id: Option<i64>,
    #[sqlx(flatten)]
    attribution: Attribution,
}

pub async fn find(db: &Db, token: &str) -> Result<Option<Draft>, AppError> {
    let row: Option<DraftRow> = sqlx::query_as(
        "SELECT token_hash, survey_version_id, progress, response_id, officer_id, channel, location_id, \
         corrects_response_id, officer_session FROM draft WHERE token_hash = $1 AND expires_at > $2",
    )
    .bind(hash(token))
    .bind(now())
    .fetch_optional(&db.read)
    .await?;
    Ok(row.map(|row| Draft {
        token_hash: row.token_hash,
        version_id: row.survey_version_id,
        // A draft written by this program always parses; if one somehow does not, starting
        // afresh is kinder than an error page on every visit.
        progress: serde_json::from_str(&row.progress).unwrap_or_default(),
        response_id: row.response_id,
        attribution: row.attribution,
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
    let (token, token_hash) = new_token();
    let at = now();
    sqlx::query(
        "INSERT INTO draft (token_hash, survey_version_id, progress, created_at, updated_at, expires_at, \
         officer_id, channel, location_id, corrects_response_id, officer_session) \
         VALUES ($1, $2, $3, $4, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(token_hash)
    .bind(version_id)
    .bind(serde_json::to_string(progress).map_err(anyhow::Error::from)?)
    .bind(at)
    .bind(at + ttl_secs)
    .bind(attribution.officer_id)
    .bind(&attribution.channel)
    .bind(attribution.location_id)
    .bind(attribution.corrects_response_id)
    .bind(&attribution.officer_session)
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

/// Saves the answers so far for the resident to come back to with a new return code, and ends the
/// draft in this browser: its token is replaced by one nobody holds, so the cookie opens nothing.
/// A code saved before stops working. Returns the code and when it expires, or `None` if the draft
/// was sent (or removed) in the meantime.
pub async fn save_for_return(
    db: &Db,
    key: &ServerKey,
    draft: &Draft,
    ttl_secs: i64,
) -> Result<Option<(ReturnCode, i64)>, AppError> {
    let progress = serde_json::to_string(&draft.progress).map_err(anyhow::Error::from)?;
    let (_, unheld) = new_token();
    let at = now();
    for _ in 0..5 {
        let code = ReturnCode::generate();
        let saved = sqlx::query(
            "UPDATE draft SET progress = $1, updated_at = $2, expires_at = $3, return_code_hash = $4, token_hash = $5 \
             WHERE token_hash = $6 AND response_id IS NULL",
        )
        .bind(&progress)
        .bind(at)
        .bind(at + ttl_secs)
        .bind(code.hash(key))
        .bind(&unheld)
        .bind(&draft.token_hash)
        .execute(&db.write)
        .await;
        match saved {
            Ok(done) if done.rows_affected() == 1 => return Ok(Some((code, at + ttl_secs))),
            Ok(_) => return Ok(None),
            // 31^8 codes make a clash with a live draft rare; try another.
            Err(e) if is_unique_violation(&e) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(AppError::Internal(anyhow::anyhow!("no free return code after 5 tries")))
}

/// The unsent, unexpired draft a return code was given for, if any: its version, to check the
/// survey before [`reopen`] hands it to a browser.
pub async fn find_by_code(db: &Db, key: &ServerKey, code: &ReturnCode) -> Result<Option<(String, i64)>, AppError> {
    let row: Option<(String, i64)> = sqlx::query_as(
        "SELECT token_hash, survey_version_id FROM draft \
         WHERE return_code_hash IN ($1, $2) AND response_id IS NULL AND expires_at > $3",
    )
    .bind(code.hash(key))
    .bind(code.unkeyed_hash())
    .bind(now())
    .fetch_optional(&db.read)
    .await?;
    Ok(row)
}

/// Opens a saved draft in a new browser: gives it a new token (so any other browser that had it
/// open loses it) and, for an officer continuing it with a resident, the officer's attribution.
/// The return code keeps working until the draft is sent or expires. Returns the new token, or
/// `None` if the draft changed hands or was sent in the meantime.
pub async fn reopen(db: &Db, token_hash: &str, officer: Option<&Attribution>) -> Result<Option<String>, AppError> {
    let (token, new_hash) = new_token();
    let query = match officer {
        None => sqlx::query("UPDATE draft SET token_hash = $1 WHERE token_hash = $2 AND response_id IS NULL")
            .bind(new_hash)
            .bind(token_hash),
        Some(who) => sqlx::query(
            "UPDATE draft SET token_hash = $1, officer_id = $3, channel = $4, location_id = $5, officer_session = $6 \
             WHERE token_hash = $2 AND response_id IS NULL",
        )
        .bind(new_hash)
        .bind(token_hash)
        .bind(who.officer_id)
        .bind(&who.channel)
        .bind(who.location_id)
        .bind(&who.officer_session),
    };
    let done = query.execute(&db.write).await?;
    Ok((done.rows_affected() == 1).then_some(token))
}

/// Throws an unsent draft away ("Not you? Start again").
pub async fn discard(db: &Db, token_hash: &str) -> Result<(), AppError> {
    sqlx::query("DELETE FROM draft WHERE token_hash = $1 AND response_id IS NULL")
        .bind(token_hash)
        .execute(&db.write)
        .await?;
    Ok(())
}

/// Ends the drafts an officer had open in a staff session that is ending. Drafts they were taking
/// start to finish go; a resident's saved draft the officer had continued stays, for its return
/// code, but is closed in the officer's browser. Returns how many were thrown away.
pub async fn end_for_session(db: &Db, officer_session: &str) -> Result<u64, AppError> {
    let mut tx = db.write.begin().await?;
    let thrown = sqlx::query(
        "DELETE FROM draft WHERE officer_session = $1 AND response_id IS NULL AND return_code_hash IS NULL",
    )
    .bind(officer_session)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let saved: Vec<String> =
        sqlx::query_scalar("SELECT token_hash FROM draft WHERE officer_session = $1 AND response_id IS NULL")
            .bind(officer_session)
            .fetch_all(&mut *tx)
            .await?;
    for token_hash in saved {
        let (_, unheld) = new_token();
        sqlx::query("UPDATE draft SET token_hash = $1, officer_session = NULL WHERE token_hash = $2")
            .bind(unheld)
            .bind(token_hash)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(thrown)
}

/// Marks the reference of a sent draft as shown. True only the first time: the confirmation page
/// shows the reference once, and never to whoever uses the browser next.
pub async fn claim_receipt(db: &Db, token_hash: &str) -> Result<bool, AppError> {
    let done = sqlx::query("UPDATE draft SET receipt_shown_at = $1 WHERE token_hash = $2 AND receipt_shown_at IS NULL")
        .bind(now())
        .bind(token_hash)
        .execute(&db.write)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Removes drafts past their expiry. Sent drafts go too: the response itself is kept.
pub async fn delete_expired(db: &Db) -> Result<u64, AppError> {
    let done = sqlx::query("DELETE FROM draft WHERE expires_at <= $1").bind(now()).execute(&db.write).await?;
    Ok(done.rows_affected())
}
