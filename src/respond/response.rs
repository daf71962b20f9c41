//! Turning a finished draft into a response, exactly once.

use super::draft::Draft;
use crate::audit;
use crate::audit::Event;
use crate::clock::CouncilTime;
use crate::db::{Db, is_unique_violation, now};
use crate::error::AppError;
use crate::responses::reference;
use crate::responses::store::{AnswerRow, NewResponse, insert, insert_answers, rows, stored_rows};
use crate::responses::tally::{self, Scope};
use crate::survey::{Barriers, Route, SurveyVersion};
use sqlx::Connection as _;

/// Stores the draft's answers as a response and marks the draft sent, in one transaction. If the
/// draft was sent already (a double tap, a second tab), nothing new is stored and the existing
/// response's id is returned: a draft makes at most one response. A correction draft replaces the
/// answers of the response it corrects instead. What staff create or change is audited.
pub async fn submit(
    db: &Db,
    clock: &CouncilTime,
    draft: &Draft,
    version: &SurveyVersion,
    route: &Route<'_>,
) -> Result<i64, AppError> {
    let barriers: Barriers = route.barriers();
    let rows = rows(route);
    let who = &draft.attribution;
    let mut attempts = 0;
    loop {
        attempts += 1;
        // Acknowledged on the next page: on disk before it is shown.
        let mut writer = db.durable().await?;
        let mut tx = writer.begin().await?;
        let (response_id, reference, before) = match who.corrects_response_id {
            Some(id) => {
                let (reference, before) = take_back(&mut tx, version, id, barriers).await?;
                (id, reference, Some(before))
            }
            None => {
                let reference = reference::generate();
                let submitted_at = now();
                let new = NewResponse {
                    reference: &reference,
                    survey_id: version.survey_id,
                    version_id: version.version_id,
                    channel: &who.channel,
                    barriers,
                    submitted_at,
                    day: clock.day_number(submitted_at),
                    officer_id: who.officer_id,
                    location_id: who.location_id,
                    language: draft.progress.language.as_ref().unwrap_or(version.survey.language()).as_str(),
                    entry_id: None,
                };
                let inserted = insert(&mut tx, &new).await;
                match inserted {
                    Ok(id) => (id, reference, None),
                    // 31^8 references make a clash rare; try again with a new one.
                    Err(e) if is_unique_violation(&e) && attempts < 5 => continue,
                    Err(e) => return Err(e.into()),
                }
            }
        };

        insert_answers(&mut tx, &rows.iter().map(|row| (response_id, *row)).collect::<Vec<_>>()).await?;
        tally::add(&mut tx, &version.survey, Scope::Response(response_id), 1).await?;

        // Sent, the draft lives on only as the receipt: as long as its cookie, then it is swept.
        let claimed = claim(&mut tx, draft, response_id).await?;
        if claimed {
            if who.officer_id.is_some() {
                let action = if before.is_some() { Event::ResponseCorrect } else { Event::ResponseCreate };
                let after = serde_json::json!({
                    "channel": who.channel,
                    "location_id": who.location_id,
                    "answers": rows.iter().copied().map(AnswerRow::to_json).collect::<Vec<_>>(),
                });
                let subject = format!("response/{reference}");
                audit::record(&mut *tx, who.officer_id, action, &subject, before, Some(after)).await?;
            }
            tx.commit().await?;
            return Ok(response_id);
        }
        // Someone else sent this draft first: keep theirs.
        tx.rollback().await?;
        drop(writer);
        let existing: Option<i64> = sqlx::query_scalar("SELECT response_id FROM draft WHERE token_hash = $1")
            .bind(draft.token_hash())
            .fetch_optional(&db.write)
            .await?
            .flatten();
        return existing.ok_or(AppError::NotFound);
    }
}

/// A response about to be corrected: its answers and their counts taken back, its barriers set
/// anew. Returns its reference and its answers as they were (for the audit log).
async fn take_back(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    version: &SurveyVersion,
    id: i64,
    barriers: Barriers,
) -> Result<(String, serde_json::Value), AppError> {
    let before = stored_rows(&mut *tx, id).await?;
    tally::add(&mut *tx, &version.survey, Scope::Response(id), -1).await?;
    sqlx::query("DELETE FROM answer WHERE response_id = $1").bind(id).execute(&mut **tx).await?;
    sqlx::query("DELETE FROM response_score WHERE response_id = $1").bind(id).execute(&mut **tx).await?;
    let reference: String =
        sqlx::query_scalar("UPDATE response SET barriers = $1, updated_at = $2 WHERE id = $3 RETURNING reference")
            .bind(barriers.bits())
            .bind(now())
            .bind(id)
            .fetch_one(&mut **tx)
            .await?;
    Ok((reference, before))
}

/// Marks the draft sent as `response_id`, unless it was sent already (false). Sent, the draft
/// lives on only as the receipt: as long as its cookie, then it is swept.
async fn claim(tx: &mut sqlx::Transaction<'_, sqlx::Any>, draft: &Draft, response_id: i64) -> Result<bool, AppError> {
    let claimed = sqlx::query(
        "UPDATE draft SET response_id = $1, updated_at = $2, expires_at = $3 WHERE token_hash = $4 AND response_id IS NULL",
    )
    .bind(response_id)
    .bind(now())
    .bind(now() + super::draft::RECEIPT_SECS)
    .bind(draft.token_hash())
    .execute(&mut **tx)
    .await?;
    Ok(claimed.rows_affected() == 1)
}

/// What the confirmation page needs.
#[derive(sqlx::FromRow)]
pub struct Receipt {
    pub reference: String,
    #[sqlx(try_from = "i64")]
    pub barriers: Barriers,
}

pub async fn receipt(db: &Db, response_id: i64) -> Result<Option<Receipt>, AppError> {
    Ok(sqlx::query_as("SELECT reference, barriers FROM response WHERE id = $1")
        .bind(response_id)
        .fetch_optional(&db.read)
        .await?)
}
