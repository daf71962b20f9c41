//! A survey's map: replaced whole by an upload, removed by an admin, each change in the audit
//! log (what question it was matched to and how many areas, not every point).

use super::{AreaMap, Report};
use crate::audit::{self, Event};
use crate::db::{Db, now};
use crate::error::AppError;
use serde_json::json;

/// The survey's map and what its upload found, when it has one.
pub async fn map(db: &Db, survey_id: i64) -> Result<Option<(AreaMap, Report)>, AppError> {
    let row: Option<(String, String)> = sqlx::query_as("SELECT map, report FROM area_map WHERE survey_id = $1")
        .bind(survey_id)
        .fetch_optional(&db.read)
        .await?;
    let Some((map, report)) = row else { return Ok(None) };
    let read = |e: serde_json::Error| AppError::Internal(anyhow::anyhow!("a stored map cannot be read: {e}"));
    Ok(Some((serde_json::from_str(&map).map_err(read)?, serde_json::from_str(&report).map_err(read)?)))
}

/// Puts `map` in place of the survey's (None: removes it), with its audit entry.
pub async fn replace(
    db: &Db,
    by: i64,
    survey_id: i64,
    slug: &str,
    map: Option<(&AreaMap, &Report)>,
) -> Result<(), AppError> {
    let mut tx = db.write.begin().await?;
    // Two admins uploading at once take turns on the survey's row, as population uploads do.
    sqlx::query("UPDATE survey SET id = id WHERE id = $1").bind(survey_id).execute(&mut *tx).await?;
    let before: Option<String> = sqlx::query_scalar("SELECT report FROM area_map WHERE survey_id = $1")
        .bind(survey_id)
        .fetch_optional(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM area_map WHERE survey_id = $1").bind(survey_id).execute(&mut *tx).await?;
    if let Some((map, report)) = map {
        sqlx::query("INSERT INTO area_map (survey_id, uploaded_at, staff_id, map, report) VALUES ($1, $2, $3, $4, $5)")
            .bind(survey_id)
            .bind(now())
            .bind(by)
            .bind(json!(map).to_string())
            .bind(json!(report).to_string())
            .execute(&mut *tx)
            .await?;
    }
    let after = map.map(|(m, r)| json!({ "question": m.question_id, "report": r }));
    let event = if map.is_some() { Event::MapUpload } else { Event::MapRemove };
    let before = before.and_then(|b| serde_json::from_str(&b).ok()).map(|r: serde_json::Value| json!({ "report": r }));
    audit::record(&mut *tx, Some(by), event, &format!("survey/{slug}/map"), before, after).await?;
    tx.commit().await?;
    Ok(())
}
