//! The privacy feature's queries: erasing a response, and residents' requests to be contacted.

use crate::audit;
use crate::audit::Event;
use crate::db::{Db, now};
use crate::error::AppError;
use crate::keys::ServerKey;
use crate::responses::tally::{self, Scope};
use crate::survey::Catalogue;
use crate::survey::privacy::Privacy;
use sqlx::{Any, Transaction};

/// Deletes a response and everything about it: its answers, the draft it was sent from, the help
/// recorded with it, its counts in the running totals, and the answers that audit entries about it hold (the entries stay, so
/// the log still shows who did what). Returns the reference, or `None` if there is no such
/// response.
pub async fn erase(
    db: &Db,
    catalogue: &Catalogue,
    tx: &mut Transaction<'_, Any>,
    response_id: i64,
) -> Result<Option<String>, AppError> {
    // Claiming the row with an update locks it on PostgreSQL, so two removals of one response at
    // once (a resident and the retention job, say) cannot both take its counts away.
    let row: Option<(String, i64)> = sqlx::query_as(
        "UPDATE response SET updated_at = updated_at WHERE id = $1 RETURNING reference, survey_version_id",
    )
    .bind(response_id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((reference, version_id)) = row else { return Ok(None) };
    let version = catalogue.version(db, version_id).await?;
    tally::add(tx, &version.survey, Scope::Response(response_id), -1).await?;
    sqlx::query("UPDATE audit_log SET before = NULL, after = NULL WHERE subject = $1")
        .bind(format!("response/{reference}"))
        .execute(&mut **tx)
        .await?;
    // The sent draft still holds a copy of the answers, and its cookie would reopen them.
    sqlx::query("DELETE FROM draft WHERE response_id = $1").bind(response_id).execute(&mut **tx).await?;
    sqlx::query("DELETE FROM response WHERE id = $1").bind(response_id).execute(&mut **tx).await?;
    Ok(Some(reference))
}

/// Removes the response with this reference, audited without its answers. Returns whether there
/// was one.
///
/// The reference (and the outreach entry id) is remembered as a keyed hash, so that the response
/// cannot come back in an old export or from a device sending again ([`crate::responses::erased`]).
/// A response still hidden in an import under way is not dropped silently either: this takes its
/// import's row first, so the import's finishing waits for this erasure (or this for it), and then
/// sees it and stops, saying why.
pub async fn erase_by_reference(
    db: &Db,
    catalogue: &Catalogue,
    key: &ServerKey,
    reference: &str,
    by: Option<i64>,
) -> Result<bool, AppError> {
    let mut tx = db.write.begin().await?;
    let importing: Option<i64> =
        sqlx::query_scalar("SELECT import_id FROM response WHERE reference = $1 AND import_id IS NOT NULL")
            .bind(reference)
            .fetch_optional(&mut *tx)
            .await?;
    if let Some(run) = importing {
        sqlx::query("UPDATE import_run SET heartbeat_at = heartbeat_at WHERE id = $1")
            .bind(run)
            .execute(&mut *tx)
            .await?;
    }
    let found: Option<(i64, Option<String>)> =
        sqlx::query_as("SELECT id, entry_id FROM response WHERE reference = $1 AND import_id IS NULL")
            .bind(reference)
            .fetch_optional(&mut *tx)
            .await?;
    if found.is_none() && importing.is_none() {
        return Ok(false);
    }
    crate::responses::erased::remember(&mut tx, key, reference, found.as_ref().and_then(|(_, entry)| entry.as_deref()))
        .await?;
    if let Some((id, _)) = found {
        erase(db, catalogue, &mut tx, id).await?;
    }
    let who = if by.is_some() { "staff, for the resident" } else { "the resident" };
    let after = serde_json::json!({ "removed_by": who, "while_importing": importing.is_some() && found.is_none() });
    audit::record(&mut *tx, by, Event::ResponseErase, &format!("response/{reference}"), None, Some(after)).await?;
    tx.commit().await?;
    Ok(true)
}

/// A stored response found by its reference, for the staff page that finds one to erase or download.
#[derive(sqlx::FromRow)]
pub struct ByReference {
    pub id: i64,
    pub reference: String,
    pub survey_version_id: i64,
    pub submitted_at: i64,
    pub channel: String,
    pub slug: String,
    pub version: i64,
}

/// A response by its reference, unless it is hidden in an import under way.
pub async fn response_by_reference(db: &Db, reference: &str) -> Result<Option<ByReference>, AppError> {
    Ok(sqlx::query_as(
        "SELECT r.id, r.reference, r.survey_version_id, r.submitted_at, r.channel, s.slug, v.version FROM response r \
         JOIN survey s ON s.id = r.survey_id JOIN survey_version v ON v.id = r.survey_version_id \
         WHERE r.reference = $1 AND r.import_id IS NULL",
    )
    .bind(reference)
    .fetch_optional(&db.read)
    .await?)
}

/// Records, on the resident's sent draft, that they agreed to be contacted: the details form is
/// only taken once this is recorded on the server.
pub async fn agree_to_contact(db: &Db, token_hash: &str) -> Result<(), AppError> {
    sqlx::query("UPDATE draft SET contact_consent_at = $1 WHERE token_hash = $2")
        .bind(now())
        .bind(token_hash)
        .execute(&db.write)
        .await?;
    Ok(())
}

/// Whether the resident on this draft has agreed to be contacted.
pub async fn has_agreed_to_contact(db: &Db, token_hash: &str) -> Result<bool, AppError> {
    let at: Option<Option<i64>> = sqlx::query_scalar("SELECT contact_consent_at FROM draft WHERE token_hash = $1")
        .bind(token_hash)
        .fetch_optional(&db.read)
        .await?;
    Ok(at.flatten().is_some())
}

/// A resident's request to be contacted, as they gave it.
pub struct ContactRequest<'a> {
    pub survey_id: i64,
    pub name: &'a str,
    pub phone: &'a str,
    pub email: &'a str,
    /// The words they agreed to.
    pub consent: &'a str,
}

/// Stores a request to be contacted, dated `day`; the same request again (a second tap) is not
/// stored twice.
pub async fn request_contact(db: &Db, request: &ContactRequest<'_>, day: i64) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO contact_request (survey_id, name, phone, email, consent, created_at) SELECT $1, $2, $3, $4, $5, $6 \
         WHERE NOT EXISTS (SELECT 1 FROM contact_request WHERE survey_id = $1 AND name = $2 AND phone = $3 AND email = $4)",
    )
    .bind(request.survey_id)
    .bind(request.name)
    .bind(request.phone)
    .bind(request.email)
    .bind(request.consent)
    .bind(day)
    .execute(&db.write)
    .await?;
    Ok(())
}

/// A request to be contacted, waiting for staff.
#[derive(sqlx::FromRow)]
pub struct WaitingContact {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub phone: String,
    pub email: String,
    pub created_at: i64,
}

/// The requests waiting, oldest first.
pub async fn contact_requests(db: &Db) -> Result<Vec<WaitingContact>, AppError> {
    Ok(sqlx::query_as(
        "SELECT c.id, s.slug, c.name, c.phone, c.email, c.created_at FROM contact_request c \
         JOIN survey s ON s.id = c.survey_id ORDER BY c.created_at, c.id",
    )
    .fetch_all(&db.read)
    .await?)
}

/// Deletes a request staff have dealt with; `false` if there was none. The audit entry says that
/// it was done, not who it was.
pub async fn contact_done(db: &Db, by: i64, id: i64) -> Result<bool, AppError> {
    let mut tx = db.write.begin().await?;
    let deleted = sqlx::query("DELETE FROM contact_request WHERE id = $1").bind(id).execute(&mut *tx).await?;
    if deleted.rows_affected() == 0 {
        return Ok(false);
    }
    audit::record(&mut *tx, Some(by), Event::ContactDone, &format!("contact/{id}"), None, None).await?;
    tx.commit().await?;
    Ok(true)
}

/// Saves a survey's privacy settings, audited with what they were.
pub async fn save_settings(
    db: &Db,
    by: i64,
    survey_id: i64,
    before: &Privacy,
    after: &Privacy,
) -> Result<(), AppError> {
    let mut tx = db.write.begin().await?;
    sqlx::query(
        "INSERT INTO survey_privacy (survey_id, notice, contact, draft_days, response_months, contact_days, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (survey_id) DO UPDATE SET notice = excluded.notice, \
         contact = excluded.contact, draft_days = excluded.draft_days, response_months = excluded.response_months, \
         contact_days = excluded.contact_days, updated_at = excluded.updated_at",
    )
    .bind(survey_id)
    .bind(after.notice.as_deref())
    .bind(&after.contact)
    .bind(after.draft_days)
    .bind(after.response_months)
    .bind(after.contact_days)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    let (before, after) = (serde_json::to_value(before).ok(), serde_json::to_value(after).ok());
    audit::record(&mut *tx, Some(by), Event::PrivacyUpdate, &format!("survey/{survey_id}"), before, after).await?;
    tx.commit().await?;
    Ok(())
}
