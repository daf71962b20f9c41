//! Storing responses and their answers: one statement for many rows, for the resident flow, an
//! outreach device's entries and an import alike.

use crate::db::Backend;
use crate::error::AppError;
use crate::survey::{Answer, Barriers, Route};
use sqlx::{Any, Transaction};

/// One row of the `answer` table.
#[derive(Clone, Copy)]
pub struct AnswerRow<'a> {
    pub question_id: &'a str,
    pub option_id: &'a str,
    pub text: Option<&'a str>,
}

impl AnswerRow<'_> {
    /// As the audit log records it: `[question, option, text]`.
    pub fn to_json(self) -> serde_json::Value {
        serde_json::json!([self.question_id, self.option_id, self.text])
    }
}

/// The rows that store the answers the rules still show.
pub fn rows<'a>(route: &'a Route<'a>) -> Vec<AnswerRow<'a>> {
    let mut rows = Vec::new();
    for (question, answer) in route.answers() {
        let question_id = question.id.as_str();
        match answer {
            Answer::Choice(option_id) => rows.push(AnswerRow { question_id, option_id, text: None }),
            Answer::Choices { selected, other } => {
                for option_id in selected {
                    let is_other = question.option(option_id).is_some_and(|o| o.other);
                    let text = other.as_deref().filter(|_| is_other);
                    rows.push(AnswerRow { question_id, option_id, text });
                }
            }
            // A number or a date is kept as its value where a choice keeps its id, so that the
            // running totals count each value as they count each choice.
            Answer::Text(value) if question.kind.is_value() => {
                rows.push(AnswerRow { question_id, option_id: value, text: None })
            }
            Answer::Text(text) => rows.push(AnswerRow { question_id, option_id: "", text: Some(text) }),
        }
    }
    rows
}

/// A response to store.
pub struct NewResponse<'a> {
    pub reference: &'a str,
    pub survey_id: i64,
    pub version_id: i64,
    pub channel: &'a str,
    pub barriers: Barriers,
    pub submitted_at: i64,
    /// The council's day `submitted_at` falls on ([`crate::clock::CouncilTime::day_number`]).
    pub day: i64,
    pub officer_id: Option<i64>,
    pub location_id: Option<i64>,
    /// The language it was answered in.
    pub language: &'a str,
    /// The id an outreach device gave the entry this response was made from: one response each.
    pub entry_id: Option<&'a str>,
}

/// Inserts the response row; a clash of references comes back as the database's unique violation.
pub async fn insert(tx: &mut Transaction<'_, Any>, new: &NewResponse<'_>) -> Result<i64, sqlx::Error> {
    Ok(insert_all(tx, std::slice::from_ref(new), None, None).await?[0])
}

/// Inserts response rows, all in one statement, and gives their ids in the same order. Those
/// answered before `keep.1` are kept until `keep.0` (rows past retention an admin chose to keep).
/// Those of an import under way carry its id, which hides them until it finishes.
pub async fn insert_all(
    tx: &mut Transaction<'_, Any>,
    new: &[NewResponse<'_>],
    keep: Option<(i64, i64)>,
    import_id: Option<i64>,
) -> Result<Vec<i64>, sqlx::Error> {
    if new.is_empty() {
        return Ok(Vec::new());
    }
    // Tuples are written as JSON arrays.
    let rows: Vec<_> = new
        .iter()
        .map(|row| {
            let keep_until = keep.filter(|(_, before)| row.submitted_at < *before).map(|(until, _)| until);
            (
                row.reference,
                row.survey_id,
                row.version_id,
                row.channel,
                row.barriers.bits(),
                row.submitted_at,
                row.officer_id,
                row.location_id,
                row.day,
                keep_until,
                row.language,
                import_id,
                row.entry_id,
            )
        })
        .collect();
    let select = Backend::of(tx)
        .json_rows(1, &[false, true, true, false, true, true, true, true, true, true, false, true, false]);
    let sql = format!(
        "INSERT INTO response (reference, survey_id, survey_version_id, channel, barriers, submitted_at, officer_id, location_id, day, keep_until, language, import_id, entry_id) \
         {select} RETURNING id, reference"
    );
    // The database need not return the rows in the order they were given: match by reference.
    let stored: std::collections::HashMap<String, i64> = sqlx::query_as::<_, (i64, String)>(&sql)
        .bind(serde_json::to_string(&rows).map_err(|e| sqlx::Error::Encode(e.into()))?)
        .fetch_all(&mut **tx)
        .await?
        .into_iter()
        .map(|(id, reference)| (reference, id))
        .collect();
    Ok(new.iter().map(|row| stored[row.reference]).collect())
}

/// Inserts answer rows (each with its response's id), all in one statement.
pub async fn insert_answers(tx: &mut Transaction<'_, Any>, rows: &[(i64, AnswerRow<'_>)]) -> Result<(), AppError> {
    if rows.is_empty() {
        return Ok(());
    }
    let json: Vec<_> = rows.iter().map(|(id, row)| (id, row.question_id, row.option_id, row.text)).collect();
    let select = Backend::of(tx).json_rows(1, &[true, false, false, false]);
    sqlx::query(&format!("INSERT INTO answer (response_id, question_id, option_id, text) {select}"))
        .bind(serde_json::to_string(&json)?)
        .execute(&mut **tx)
        .await?;
    insert_scores(tx, rows).await
}

/// Each response's national measures, scored from the answer rows being stored with it.
async fn insert_scores(tx: &mut Transaction<'_, Any>, rows: &[(i64, AnswerRow<'_>)]) -> Result<(), AppError> {
    let mut by_response: std::collections::BTreeMap<i64, Vec<(&str, &str)>> = std::collections::BTreeMap::new();
    for (id, row) in rows {
        by_response.entry(*id).or_default().push((row.question_id, row.option_id));
    }
    let scores: Vec<(i64, &str, i64)> = by_response
        .iter()
        .flat_map(|(id, answers)| {
            crate::survey::measures::scores(answers.iter().copied())
                .into_iter()
                .map(move |(measure, met)| (*id, measure, i64::from(met == "1")))
        })
        .collect();
    if scores.is_empty() {
        return Ok(());
    }
    let select = Backend::of(tx).json_rows(1, &[true, false, true]);
    sqlx::query(&format!("INSERT INTO response_score (response_id, measure, met) {select}"))
        .bind(serde_json::to_string(&scores)?)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A response's answers as stored, for the audit log's "before".
pub async fn stored_rows(tx: &mut Transaction<'_, Any>, response_id: i64) -> Result<serde_json::Value, AppError> {
    let answers: Vec<serde_json::Value> = answers_in(&mut **tx, response_id)
        .await?
        .into_iter()
        .map(|a| serde_json::json!([a.question_id, a.option_id, a.text]))
        .collect();
    Ok(serde_json::json!({ "answers": answers }))
}

/// One stored answer.
#[derive(sqlx::FromRow)]
pub struct StoredAnswer {
    pub question_id: String,
    pub option_id: String,
    pub text: Option<String>,
}

/// A response's answers, as stored, in a fixed order.
pub async fn answers_of(db: &crate::db::Db, response_id: i64) -> Result<Vec<StoredAnswer>, AppError> {
    answers_in(&db.read, response_id).await
}

/// A response's answers read through `executor`: the read pool, or a transaction that is about to
/// change them.
async fn answers_in<'e>(
    executor: impl sqlx::Executor<'e, Database = Any>,
    response_id: i64,
) -> Result<Vec<StoredAnswer>, AppError> {
    Ok(sqlx::query_as(
        "SELECT question_id, option_id, text FROM answer WHERE response_id = $1 ORDER BY question_id, option_id",
    )
    .bind(response_id)
    .fetch_all(executor)
    .await?)
}

/// How many responses are stored (not counting an import under way).
pub async fn count(db: &crate::db::Db) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM response WHERE import_id IS NULL").fetch_one(&db.read).await?)
}
