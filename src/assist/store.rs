//! Assisted entry's queries: an officer's recent entries, one of their own responses, and the help
//! they recorded with it.

use crate::audit;
use crate::audit::Event;
use crate::db::{Db, now};
use crate::error::AppError;

/// One of an officer's recent entries, for their list.
#[derive(sqlx::FromRow)]
pub struct RecentEntry {
    pub reference: String,
    pub submitted_at: i64,
    pub channel: String,
    /// The place it was taken at.
    pub label: Option<String>,
}

/// The officer's entries sent after `since`, newest first, at most 20.
pub async fn recent_entries(db: &Db, officer_id: i64, since: i64) -> Result<Vec<RecentEntry>, AppError> {
    Ok(sqlx::query_as(
        "SELECT r.reference, r.submitted_at, r.channel, l.label FROM response r \
         LEFT JOIN list_item l ON l.id = r.location_id \
         WHERE r.officer_id = $1 AND r.submitted_at > $2 AND r.import_id IS NULL \
         ORDER BY r.submitted_at DESC, r.id DESC LIMIT 20",
    )
    .bind(officer_id)
    .bind(since)
    .fetch_all(&db.read)
    .await?)
}

/// One of the officer's own responses.
#[derive(sqlx::FromRow)]
pub struct Own {
    pub id: i64,
    pub reference: String,
    pub survey_version_id: i64,
    pub submitted_at: i64,
    pub channel: String,
    pub location_id: Option<i64>,
}

/// The response with this reference if this officer entered it (and it is not in an import under
/// way).
pub async fn own_response(db: &Db, officer_id: i64, reference: &str) -> Result<Option<Own>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, reference, survey_version_id, submitted_at, channel, location_id FROM response \
         WHERE reference = $1 AND officer_id = $2 AND import_id IS NULL",
    )
    .bind(reference)
    .bind(officer_id)
    .fetch_optional(&db.read)
    .await?)
}

/// The help an officer gave a resident: kinds from the council's list, and any other in words.
pub struct HelpGiven {
    pub chosen: Vec<i64>,
    pub other: String,
}

/// Records the help given with a response, audited.
pub async fn record_help(db: &Db, officer_id: i64, response: &Own, help: &HelpGiven) -> Result<(), AppError> {
    let mut tx = db.write.begin().await?;
    for id in &help.chosen {
        sqlx::query("INSERT INTO response_help (response_id, help_id, recorded_at) VALUES ($1, $2, $3)")
            .bind(response.id)
            .bind(id)
            .bind(now())
            .execute(&mut *tx)
            .await?;
    }
    if !help.other.is_empty() {
        sqlx::query("INSERT INTO response_help (response_id, text, recorded_at) VALUES ($1, $2, $3)")
            .bind(response.id)
            .bind(&help.other)
            .bind(now())
            .execute(&mut *tx)
            .await?;
    }
    let after = serde_json::json!({ "help": help.chosen, "other": help.other });
    let subject = format!("response/{}", response.reference);
    audit::record(&mut *tx, Some(officer_id), Event::ResponseHelp, &subject, None, Some(after)).await?;
    tx.commit().await?;
    Ok(())
}
