//! The plan in the database. Every change is written with its audit entry in one transaction.

use super::Grade;
use crate::audit;
use crate::audit::Event;
use crate::db::{Db, now};
use crate::error::AppError;
use crate::survey::Barriers;
use serde_json::json;
use std::collections::HashMap;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Plan {
    pub id: i64,
    pub title: String,
    pub year: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Recommendation {
    pub id: i64,
    pub number: i64,
    pub text: String,
}

/// What an admin types for an action.
#[derive(Debug, Clone, Default, PartialEq, sqlx::FromRow)]
pub struct ActionFields {
    pub recommendation_id: i64,
    pub agreed_action: String,
    pub responsibility: String,
    /// `YYYY-MM-DD`.
    pub target_date: String,
    pub success_measure: String,
    #[sqlx(try_from = "i64")]
    pub barriers: Barriers,
    /// Read apart ([`finding_links`]).
    #[sqlx(skip)]
    pub findings: Vec<i64>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Action {
    pub id: i64,
    pub plan_id: i64,
    #[sqlx(flatten)]
    pub fields: ActionFields,
    pub revision: i64,
    /// Read apart ([`history`], [`latest_progress`]).
    #[sqlx(skip)]
    pub latest: Option<Progress>,
}

impl Action {
    /// Past its target date and not fully achieved.
    pub fn overdue(&self, today: &str) -> bool {
        self.fields.target_date.as_str() < today && self.grade() != Some(Grade::FullyAchieved)
    }

    pub fn grade(&self) -> Option<Grade> {
        self.latest.as_ref().map(|p| p.assessment)
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Progress {
    pub entered_at: i64,
    pub entered_by: Option<String>,
    pub evidence_of_progress: String,
    #[sqlx(try_from = "i64")]
    pub assessment: Grade,
    pub evidence_of_impact: String,
}

/// An action's progress update, with the action's id.
#[derive(sqlx::FromRow)]
struct ActionProgress {
    action_id: i64,
    #[sqlx(flatten)]
    progress: Progress,
}

pub async fn plans(db: &Db) -> Result<Vec<Plan>, AppError> {
    Ok(sqlx::query_as("SELECT id, title, year FROM plan ORDER BY year DESC, id DESC").fetch_all(&db.read).await?)
}

pub async fn plan(db: &Db, id: i64) -> Result<Plan, AppError> {
    let plan =
        sqlx::query_as("SELECT id, title, year FROM plan WHERE id = $1").bind(id).fetch_optional(&db.read).await?;
    plan.ok_or(AppError::NotFound)
}

pub async fn recommendations(db: &Db, plan_id: i64) -> Result<Vec<Recommendation>, AppError> {
    Ok(sqlx::query_as("SELECT id, number, text FROM recommendation WHERE plan_id = $1 ORDER BY number")
        .bind(plan_id)
        .fetch_all(&db.read)
        .await?)
}

const ACTION_COLUMNS: &str = "a.id, r.plan_id, a.recommendation_id, a.agreed_action, a.responsibility, a.target_date, \
     a.success_measure, a.barriers, a.revision";

/// A plan's actions in recommendation order, each with its latest progress update.
pub async fn actions(db: &Db, plan_id: i64) -> Result<Vec<Action>, AppError> {
    let sql = format!(
        "SELECT {ACTION_COLUMNS} FROM plan_action a JOIN recommendation r ON r.id = a.recommendation_id \
         WHERE r.plan_id = $1 ORDER BY r.number, a.id"
    );
    let mut actions: Vec<Action> = sqlx::query_as(&sql).bind(plan_id).fetch_all(&db.read).await?;
    let latest = latest_progress(db, plan_id).await?;
    let links = finding_links(db, plan_id).await?;
    for action in &mut actions {
        action.latest = latest.get(&action.id).cloned();
        action.fields.findings = links.get(&action.id).cloned().unwrap_or_default();
    }
    Ok(actions)
}

pub async fn action(db: &Db, id: i64) -> Result<Action, AppError> {
    let sql = format!(
        "SELECT {ACTION_COLUMNS} FROM plan_action a JOIN recommendation r ON r.id = a.recommendation_id WHERE a.id = $1"
    );
    let mut action: Action = sqlx::query_as(&sql).bind(id).fetch_optional(&db.read).await?.ok_or(AppError::NotFound)?;
    action.latest = history(db, id).await?.into_iter().next();
    action.fields.findings =
        sqlx::query_scalar("SELECT finding_id FROM action_finding WHERE action_id = $1 ORDER BY finding_id")
            .bind(id)
            .fetch_all(&db.read)
            .await?;
    Ok(action)
}

const PROGRESS_COLUMNS: &str =
    "p.action_id, p.entered_at, s.name AS entered_by, p.evidence_of_progress, p.assessment, p.evidence_of_impact";

/// Every progress update for an action, newest first.
pub async fn history(db: &Db, action_id: i64) -> Result<Vec<Progress>, AppError> {
    let sql = format!(
        "SELECT {PROGRESS_COLUMNS} FROM progress p LEFT JOIN staff s ON s.id = p.entered_by WHERE p.action_id = $1 ORDER BY p.id DESC"
    );
    Ok(sqlx::query_as(&sql).bind(action_id).fetch_all(&db.read).await?)
}

async fn latest_progress(db: &Db, plan_id: i64) -> Result<HashMap<i64, Progress>, AppError> {
    let sql = format!(
        "SELECT {PROGRESS_COLUMNS} FROM progress p LEFT JOIN staff s ON s.id = p.entered_by WHERE p.id IN \
         (SELECT MAX(p2.id) FROM progress p2 JOIN plan_action a ON a.id = p2.action_id \
          JOIN recommendation r ON r.id = a.recommendation_id WHERE r.plan_id = $1 GROUP BY p2.action_id)"
    );
    let rows: Vec<ActionProgress> = sqlx::query_as(&sql).bind(plan_id).fetch_all(&db.read).await?;
    Ok(rows.into_iter().map(|row| (row.action_id, row.progress)).collect())
}

async fn finding_links(db: &Db, plan_id: i64) -> Result<HashMap<i64, Vec<i64>>, AppError> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT l.action_id, l.finding_id FROM action_finding l JOIN plan_action a ON a.id = l.action_id \
         JOIN recommendation r ON r.id = a.recommendation_id WHERE r.plan_id = $1 ORDER BY l.finding_id",
    )
    .bind(plan_id)
    .fetch_all(&db.read)
    .await?;
    let mut links: HashMap<i64, Vec<i64>> = HashMap::new();
    for (action, finding) in rows {
        links.entry(action).or_default().push(finding);
    }
    Ok(links)
}

pub async fn create_plan(db: &Db, by: i64, title: &str, year: i64) -> Result<i64, AppError> {
    let mut tx = db.write.begin().await?;
    let id: i64 = sqlx::query_scalar("INSERT INTO plan (title, year, created_at) VALUES ($1, $2, $3) RETURNING id")
        .bind(title)
        .bind(year)
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
    audit::record(
        &mut *tx,
        Some(by),
        Event::PlanCreate,
        &format!("plan/{id}"),
        None,
        Some(json!({ "title": title, "year": year })),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Adds a recommendation numbered after the plan's last. Two admins adding at once both get one:
/// the loser of the race for a number takes the next.
pub async fn add_recommendation(db: &Db, by: i64, plan_id: i64, text: &str) -> Result<i64, AppError> {
    for _ in 0..5 {
        let mut tx = db.write.begin().await?;
        let number: i64 =
            sqlx::query_scalar("SELECT COALESCE(MAX(number), 0) + 1 FROM recommendation WHERE plan_id = $1")
                .bind(plan_id)
                .fetch_one(&mut *tx)
                .await?;
        let inserted = sqlx::query_scalar(
            "INSERT INTO recommendation (plan_id, number, text, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(plan_id)
        .bind(number)
        .bind(text)
        .bind(now())
        .fetch_one(&mut *tx)
        .await;
        let id: i64 = match inserted {
            Ok(id) => id,
            Err(e) if crate::db::is_unique_violation(&e) => continue,
            Err(e) => return Err(e.into()),
        };
        let after = json!({ "plan_id": plan_id, "number": number, "text": text });
        audit::record(
            &mut *tx,
            Some(by),
            Event::RecommendationCreate,
            &format!("recommendation/{id}"),
            None,
            Some(after),
        )
        .await?;
        tx.commit().await?;
        return Ok(id);
    }
    Err(AppError::Internal(anyhow::anyhow!("could not number a new recommendation")))
}

fn fields_json(f: &ActionFields) -> serde_json::Value {
    json!({
        "recommendation_id": f.recommendation_id,
        "agreed_action": f.agreed_action,
        "responsibility": f.responsibility,
        "target_date": f.target_date,
        "success_measure": f.success_measure,
        "barriers": f.barriers.iter().map(|b| b.as_str()).collect::<Vec<_>>(),
        "findings": f.findings,
    })
}

pub async fn create_action(db: &Db, by: i64, fields: &ActionFields) -> Result<i64, AppError> {
    let mut tx = db.write.begin().await?;
    let id = with_fields(
        sqlx::query_scalar(
            "INSERT INTO plan_action (recommendation_id, agreed_action, responsibility, target_date, success_measure, barriers, \
             updated_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
        ),
        fields,
    )
    .fetch_one(&mut *tx)
    .await?;
    link_findings(&mut tx, id, &fields.findings).await?;
    audit::record(&mut *tx, Some(by), Event::ActionCreate, &format!("action/{id}"), None, Some(fields_json(fields)))
        .await?;
    tx.commit().await?;
    Ok(id)
}

/// Saves an edit made from the form at `revision`. If someone saved since, nothing is changed
/// and `false` comes back: the second save is told to reload rather than overwriting the first.
pub async fn update_action(
    db: &Db,
    by: i64,
    before: &Action,
    revision: i64,
    fields: &ActionFields,
) -> Result<bool, AppError> {
    let mut tx = db.write.begin().await?;
    let updated: Option<i64> = with_fields(
        sqlx::query_scalar(
            "UPDATE plan_action SET recommendation_id = $1, agreed_action = $2, responsibility = $3, target_date = $4, \
             success_measure = $5, barriers = $6, updated_at = $7, revision = revision + 1 WHERE id = $8 AND revision = $9 RETURNING id",
        ),
        fields,
    )
    .bind(before.id)
    .bind(revision)
    .fetch_optional(&mut *tx)
    .await?;
    if updated.is_none() {
        tx.rollback().await?;
        return Ok(false);
    }
    sqlx::query("DELETE FROM action_finding WHERE action_id = $1").bind(before.id).execute(&mut *tx).await?;
    link_findings(&mut tx, before.id, &fields.findings).await?;
    let subject = format!("action/{}", before.id);
    audit::record(
        &mut *tx,
        Some(by),
        Event::ActionUpdate,
        &subject,
        Some(fields_json(&before.fields)),
        Some(fields_json(fields)),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

type Statement<'q> = sqlx::query::QueryScalar<'q, sqlx::Any, i64, sqlx::any::AnyArguments<'q>>;

/// Binds an action's fields to `$1` to `$6`, and the time to `$7`.
fn with_fields<'q>(query: Statement<'q>, f: &'q ActionFields) -> Statement<'q> {
    query
        .bind(f.recommendation_id)
        .bind(f.agreed_action.as_str())
        .bind(f.responsibility.as_str())
        .bind(f.target_date.as_str())
        .bind(f.success_measure.as_str())
        .bind(f.barriers.bits())
        .bind(now())
}

async fn link_findings(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    action_id: i64,
    findings: &[i64],
) -> Result<(), AppError> {
    for finding in findings {
        sqlx::query("INSERT INTO action_finding (action_id, finding_id) VALUES ($1, $2)")
            .bind(action_id)
            .bind(finding)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

pub async fn add_progress(db: &Db, by: i64, action_id: i64, progress: &Progress) -> Result<(), AppError> {
    let mut tx = db.write.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO progress (action_id, entered_by, entered_at, evidence_of_progress, assessment, evidence_of_impact) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(action_id)
    .bind(by)
    .bind(progress.entered_at)
    .bind(&progress.evidence_of_progress)
    .bind(progress.assessment.number())
    .bind(&progress.evidence_of_impact)
    .fetch_one(&mut *tx)
    .await?;
    let after = json!({
        "action_id": action_id,
        "evidence_of_progress": progress.evidence_of_progress,
        "assessment": progress.assessment.number(),
        "evidence_of_impact": progress.evidence_of_impact,
    });
    audit::record(&mut *tx, Some(by), Event::ProgressAdd, &format!("progress/{id}"), None, Some(after)).await?;
    tx.commit().await?;
    Ok(())
}

/// A saved finding as stored: the figure as it was when saved.
#[derive(sqlx::FromRow)]
pub struct FindingRow {
    pub id: i64,
    pub slug: String,
    pub question_id: String,
    pub option_id: String,
    pub filters: String,
    pub statement: String,
    pub count_then: i64,
    pub base_then: i64,
    pub created_at: i64,
    pub target_percent: Option<f64>,
    pub target_by: Option<String>,
}

/// Every finding, newest first.
pub async fn findings(db: &Db) -> Result<Vec<FindingRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT f.id, s.slug, f.question_id, f.option_id, f.filters, f.statement, f.count_then, f.base_then, \
         f.created_at, f.target_percent, f.target_by FROM finding f JOIN survey s ON s.id = f.survey_id ORDER BY f.id DESC",
    )
    .fetch_all(&db.read)
    .await?)
}

/// A finding to save: an answer's count out of its base under the dashboard's filters.
pub struct NewFinding<'a> {
    pub survey_id: i64,
    pub question_id: &'a str,
    pub option_id: &'a str,
    pub filters: &'a str,
    pub statement: &'a str,
    pub count: i64,
    pub base: i64,
    /// The plan's target for the figure: a percentage, and when by.
    pub target: Option<(f64, &'a str)>,
}

/// Saves a finding, audited; gives its id.
pub async fn create_finding(db: &Db, by: i64, slug: &str, new: &NewFinding<'_>) -> Result<i64, AppError> {
    let mut tx = db.write.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO finding (survey_id, question_id, option_id, filters, statement, count_then, base_then, \
         created_by, created_at, target_percent, target_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, CASE WHEN $11 IS NULL THEN NULL ELSE $10 END, $11) RETURNING id",
    )
    .bind(new.survey_id)
    .bind(new.question_id)
    .bind(new.option_id)
    .bind(new.filters)
    .bind(new.statement)
    .bind(new.count)
    .bind(new.base)
    .bind(by)
    .bind(now())
    // Always a number: sqlx's Any driver sends a missing f64 to PostgreSQL as a missing f32
    // (sqlx-core 0.8.6), and the statement prepared with that type on a pooled connection then
    // refuses the next real f64. No target is said by target_by being missing.
    .bind(new.target.map_or(0.0, |(percent, _)| percent))
    .bind(new.target.map(|(_, by)| by))
    .fetch_one(&mut *tx)
    .await?;
    let after = json!({ "survey": slug, "question": new.question_id, "option": new.option_id, "filters": new.filters,
        "statement": new.statement, "count": new.count, "base": new.base, "target": new.target });
    audit::record(&mut *tx, Some(by), Event::FindingCreate, &format!("finding/{id}"), None, Some(after)).await?;
    tx.commit().await?;
    Ok(id)
}
