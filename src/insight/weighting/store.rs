//! Whether a survey's results are weighted (and within which bounds), and the running totals by
//! cell that weighting reads.

use super::Trim;
use super::scheme::CellCounts;
use crate::audit::{self, Event};
use crate::db::Db;
use crate::error::AppError;
use serde_json::json;

/// The survey's trimming bounds when its results are weighted; none when they are not.
pub async fn settings(db: &Db, survey_id: i64) -> Result<Option<Trim>, AppError> {
    let row: Option<(f64, f64)> = sqlx::query_as("SELECT trim_low, trim_high FROM weighting WHERE survey_id = $1")
        .bind(survey_id)
        .fetch_optional(&db.read)
        .await?;
    Ok(row.map(|(low, high)| Trim { low, high }))
}

/// Turns weighting on with `trim`, or off (None), with an audit entry of before and after.
pub async fn set(db: &Db, by: i64, survey_id: i64, slug: &str, trim: Option<Trim>) -> Result<(), AppError> {
    let mut tx = db.write.begin().await?;
    // Two admins saving at once take turns on the survey's row, as population uploads do, so the
    // second's delete sees the first's row and its insert does not collide.
    sqlx::query("UPDATE survey SET id = id WHERE id = $1").bind(survey_id).execute(&mut *tx).await?;
    let before: Option<(f64, f64)> = sqlx::query_as("SELECT trim_low, trim_high FROM weighting WHERE survey_id = $1")
        .bind(survey_id)
        .fetch_optional(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM weighting WHERE survey_id = $1").bind(survey_id).execute(&mut *tx).await?;
    if let Some(trim) = trim {
        sqlx::query("INSERT INTO weighting (survey_id, trim_low, trim_high) VALUES ($1, $2, $3)")
            .bind(survey_id)
            .bind(trim.low)
            .bind(trim.high)
            .execute(&mut *tx)
            .await?;
    }
    let as_json = |bounds: Option<(f64, f64)>| bounds.map(|(low, high)| json!({ "trim_low": low, "trim_high": high }));
    let after = trim.map(|t| (t.low, t.high));
    audit::record(
        &mut *tx,
        Some(by),
        Event::WeightingChange,
        &format!("survey/{slug}/weighting"),
        as_json(before),
        as_json(after),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The running totals by cell of the survey's versions (one version, when given).
pub async fn cell_counts(db: &Db, survey_id: i64, version: Option<i64>) -> Result<CellCounts, AppError> {
    let rows: Vec<(i64, String, String, String, i64)> = sqlx::query_as(
        "SELECT t.survey_version_id, t.cell, t.question_id, t.option_id, CAST(SUM(t.n) AS BIGINT) FROM tally_cell t \
         JOIN survey_version v ON v.id = t.survey_version_id WHERE v.survey_id = $1 AND ($2 = 0 OR v.version = $2) \
         GROUP BY t.survey_version_id, t.cell, t.question_id, t.option_id",
    )
    .bind(survey_id)
    .bind(version.unwrap_or(0))
    .fetch_all(&db.read)
    .await?;
    Ok(CellCounts::from_rows(rows))
}
