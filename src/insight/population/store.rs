//! A survey's population figures: replaced whole by an upload, removed by an admin, each change
//! in the audit log with what was there before.

use super::Margin;
use crate::audit::{self, Event};
use crate::db::Db;
use crate::error::AppError;
use serde_json::{Value, json};

#[derive(sqlx::FromRow)]
struct Row {
    question_id: String,
    option_id: String,
    people: i64,
}

/// The survey's margins, each question's answers in the order they were stored (the question's).
pub async fn margins(db: &Db, survey_id: i64) -> Result<Vec<Margin>, AppError> {
    margins_in(&db.read, survey_id).await
}

async fn margins_in<'e, E>(executor: E, survey_id: i64) -> Result<Vec<Margin>, AppError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT question_id, option_id, people FROM population WHERE survey_id = $1 ORDER BY question_id, position",
    )
    .bind(survey_id)
    .fetch_all(executor)
    .await?;
    let mut margins: Vec<Margin> = Vec::new();
    for row in rows {
        match margins.last_mut() {
            Some(m) if m.question_id == row.question_id => m.people.push((row.option_id, row.people)),
            _ => margins.push(Margin { question_id: row.question_id, people: vec![(row.option_id, row.people)] }),
        }
    }
    Ok(margins)
}

fn as_json(margins: &[Margin]) -> Value {
    json!(margins.iter().map(|m| json!({ "question": m.question_id, "people": m.people })).collect::<Vec<_>>())
}

/// Puts `margins` in place of whatever the survey had, in one transaction with its audit entry.
pub async fn replace(db: &Db, by: i64, survey_id: i64, slug: &str, margins: &[Margin]) -> Result<(), AppError> {
    let mut tx = db.write.begin().await?;
    // Two admins saving at once take turns on the survey's row (a lock on both backends), so the
    // second's delete sees the first's rows and nothing collides: the last one saved stands.
    sqlx::query("UPDATE survey SET id = id WHERE id = $1").bind(survey_id).execute(&mut *tx).await?;
    let before = margins_in(&mut *tx, survey_id).await?;
    sqlx::query("DELETE FROM population WHERE survey_id = $1").bind(survey_id).execute(&mut *tx).await?;
    for margin in margins {
        for (position, (option, people)) in (0_i64..).zip(&margin.people) {
            sqlx::query(
                "INSERT INTO population (survey_id, question_id, option_id, position, people) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(survey_id)
            .bind(&margin.question_id)
            .bind(option)
            .bind(position)
            .bind(*people)
            .execute(&mut *tx)
            .await?;
        }
    }
    let (before, after) =
        ((!before.is_empty()).then(|| as_json(&before)), (!margins.is_empty()).then(|| as_json(margins)));
    let event = if margins.is_empty() { Event::PopulationRemove } else { Event::PopulationUpload };
    audit::record(&mut *tx, Some(by), event, &format!("survey/{slug}/population"), before, after).await?;
    tx.commit().await?;
    Ok(())
}
