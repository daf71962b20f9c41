//! The audit log: who did what, when, with the record before and after. Append-only: the app only
//! ever inserts into it.

use crate::db::{Db, now};
use crate::error::AppError;
use serde_json::Value;
use sqlx::{Any, Executor};

/// What an audit entry records (its `action`). Stored as its name (`response.create`), which the log page shows
/// and [`as_it_was`] looks up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    ActionCreate,
    ActionUpdate,
    ComparatorsUpload,
    ContactDone,
    ExportResponses,
    ExportSummary,
    FindingCreate,
    ImportResponses,
    ListAdd,
    ListSetActive,
    MapRemove,
    MapUpload,
    PlanCreate,
    PopulationRemove,
    PopulationUpload,
    PostcodesUpload,
    PrivacyUpdate,
    ProgressAdd,
    RecommendationCreate,
    ResponseCreate,
    ResponseCorrect,
    ResponseErase,
    ResponseHelp,
    ResponseSubjectAccess,
    RetentionDelete,
    StaffCreate,
    StaffResetPassword,
    StaffSignIn,
    StaffDeactivate,
    StaffReactivate,
    SurveyCreate,
    SurveyDraft,
    SurveyEdit,
    SurveyLocations,
    SurveyPublish,
    SurveyStatus,
    SurveyUpload,
    WeightingChange,
}

impl Event {
    pub fn as_str(self) -> &'static str {
        match self {
            Event::ActionCreate => "action.create",
            Event::ActionUpdate => "action.update",
            Event::ComparatorsUpload => "comparators.upload",
            Event::ContactDone => "contact.done",
            Event::ExportResponses => "export.responses",
            Event::ExportSummary => "export.summary",
            Event::FindingCreate => "finding.create",
            Event::ImportResponses => "import.responses",
            Event::ListAdd => "list.add",
            Event::ListSetActive => "list.set_active",
            Event::MapRemove => "map.remove",
            Event::MapUpload => "map.upload",
            Event::PlanCreate => "plan.create",
            Event::PopulationRemove => "population.remove",
            Event::PopulationUpload => "population.upload",
            Event::PostcodesUpload => "postcodes.upload",
            Event::PrivacyUpdate => "privacy.update",
            Event::ProgressAdd => "progress.add",
            Event::RecommendationCreate => "recommendation.create",
            Event::ResponseCreate => "response.create",
            Event::ResponseCorrect => "response.correct",
            Event::ResponseErase => "response.erase",
            Event::ResponseHelp => "response.help",
            Event::ResponseSubjectAccess => "response.subject_access",
            Event::RetentionDelete => "retention.delete",
            Event::StaffCreate => "staff.create",
            Event::StaffResetPassword => "staff.reset_password",
            Event::StaffSignIn => "staff.sign_in",
            Event::StaffDeactivate => "staff.deactivate",
            Event::StaffReactivate => "staff.reactivate",
            Event::SurveyCreate => "survey.create",
            Event::SurveyDraft => "survey.draft",
            Event::SurveyEdit => "survey.edit",
            Event::SurveyLocations => "survey.locations",
            Event::SurveyPublish => "survey.publish",
            Event::SurveyStatus => "survey.status",
            Event::SurveyUpload => "survey.upload",
            Event::WeightingChange => "weighting.change",
        }
    }
}

/// Writes one entry. Pass the same transaction as the change it records, so neither is kept
/// without the other.
pub async fn record<'e, E>(
    executor: E,
    staff_id: Option<i64>,
    action: Event,
    subject: &str,
    before: Option<Value>,
    after: Option<Value>,
) -> Result<(), AppError>
where
    E: Executor<'e, Database = Any>,
{
    sqlx::query("INSERT INTO audit_log (at, staff_id, action, subject, before, after) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(now())
        .bind(staff_id)
        .bind(action.as_str())
        .bind(subject)
        .bind(before.map(|v| v.to_string()))
        .bind(after.map(|v| v.to_string()))
        .execute(executor)
        .await?;
    Ok(())
}

/// What the log says `subject` was, by `action`'s records, at the time `at`: the `after` of the
/// last such change at or before it, else the `before` of the first after it. `None` when neither
/// says (no change recorded, or one that keeps no `before`): it was then as it was made.
pub async fn as_it_was(db: &crate::db::Db, action: Event, subject: &str, at: i64) -> Result<Option<Value>, AppError> {
    let last: Option<Option<String>> = sqlx::query_scalar(
        "SELECT after FROM audit_log WHERE action = $1 AND subject = $2 AND at <= $3 ORDER BY at DESC, id DESC LIMIT 1",
    )
    .bind(action.as_str())
    .bind(subject)
    .bind(at)
    .fetch_optional(&db.read)
    .await?;
    let kept = match last {
        Some(after) => after,
        None => sqlx::query_scalar(
            "SELECT before FROM audit_log WHERE action = $1 AND subject = $2 AND at > $3 ORDER BY at, id LIMIT 1",
        )
        .bind(action.as_str())
        .bind(subject)
        .bind(at)
        .fetch_optional(&db.read)
        .await?
        .flatten(),
    };
    Ok(kept.and_then(|text| serde_json::from_str(&text).ok()))
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Entry {
    pub at: i64,
    /// The member of staff's email; none from the command line or a resident.
    pub who: Option<String>,
    pub action: String,
    pub subject: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Newest first.
pub async fn page(db: &Db, limit: i64, offset: i64) -> Result<Vec<Entry>, AppError> {
    Ok(sqlx::query_as(
        "SELECT a.at, s.email AS who, a.action, a.subject, a.before, a.after FROM audit_log a \
         LEFT JOIN staff s ON s.id = a.staff_id ORDER BY a.id DESC LIMIT $1 OFFSET $2",
    )
    .bind(limit)
    .bind(offset)
    .fetch_all(&db.read)
    .await?)
}
