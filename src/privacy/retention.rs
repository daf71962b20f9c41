//! Deleting what each survey's retention settings say is due: drafts, responses (with everything
//! about them, as for erasure) and contact details. Runs every hour inside the app and on demand
//! (`inclusion-survey retention run`, with `--dry-run` to see what would go). Findings in the
//! action plan keep the figures they were saved with.

use super::store::erase;
use crate::audit;
use crate::audit::Event;
use crate::db::{Db, now};
use crate::error::AppError;
use crate::survey::Catalogue;
use crate::survey::privacy as settings;

/// Responses deleted in one transaction, so that submissions are never held up for long.
const BATCH: i64 = 500;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub drafts: i64,
    pub responses: i64,
    pub contacts: i64,
}

impl Counts {
    pub fn is_empty(&self) -> bool {
        *self == Counts::default()
    }
}

/// What is due (or was deleted) for each survey, by slug. `now` is a parameter so that tests can
/// move the clock.
pub async fn run(
    db: &Db,
    catalogue: &Catalogue,
    council: &str,
    now: i64,
    dry_run: bool,
) -> Result<Vec<(String, Counts)>, AppError> {
    let surveys: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, slug FROM survey ORDER BY slug").fetch_all(&db.read).await?;
    let mut report = Vec::with_capacity(surveys.len());
    for (survey_id, slug) in surveys {
        let privacy = settings::load(db, survey_id, council).await?;
        let (drafts_before, responses_before, contacts_before) =
            (privacy.drafts_due_before(now), privacy.responses_due_before(now), privacy.contacts_due_before(now));
        let counts = if dry_run {
            let count = |sql: &'static str, before: i64| async move {
                sqlx::query_scalar::<_, i64>(sql).bind(survey_id).bind(before).fetch_one(&db.read).await
            };
            Counts {
                drafts: count(DUE_DRAFTS_COUNT, drafts_before).await?,
                responses: sqlx::query_scalar::<_, i64>(&format!(
                    "SELECT COUNT(*) FROM response WHERE {DUE_RESPONSES}"
                ))
                .bind(survey_id)
                .bind(responses_before)
                .bind(now)
                .fetch_one(&db.read)
                .await?,
                contacts: count(
                    "SELECT COUNT(*) FROM contact_request WHERE survey_id = $1 AND created_at < $2",
                    contacts_before,
                )
                .await?,
            }
        } else {
            // Each delete is committed with the audit entry that counts it, so nothing goes unrecorded.
            let subject = format!("survey/{slug}");
            let mut tx = db.write.begin().await?;
            let drafts = sqlx::query(&DUE_DRAFTS_COUNT.replace("SELECT COUNT(*) FROM", "DELETE FROM"))
                .bind(survey_id)
                .bind(drafts_before)
                .execute(&mut *tx)
                .await?
                .rows_affected() as i64;
            let contacts = sqlx::query("DELETE FROM contact_request WHERE survey_id = $1 AND created_at < $2")
                .bind(survey_id)
                .bind(contacts_before)
                .execute(&mut *tx)
                .await?
                .rows_affected() as i64;
            if drafts + contacts > 0 {
                let after = serde_json::json!({ "drafts": drafts, "contact_requests": contacts });
                audit::record(&mut *tx, None, Event::RetentionDelete, &subject, None, Some(after)).await?;
            }
            tx.commit().await?;
            let responses = delete_responses(db, catalogue, survey_id, responses_before, now, &subject).await?;
            Counts { drafts, responses, contacts }
        };
        report.push((slug, counts));
    }
    Ok(report)
}

/// Responses past the retention period ($2), unless an admin chose to keep them longer ($3: now).
const DUE_RESPONSES: &str =
    "survey_id = $1 AND submitted_at < $2 AND (keep_until IS NULL OR keep_until <= $3) AND import_id IS NULL";

const DUE_DRAFTS_COUNT: &str = "SELECT COUNT(*) FROM draft WHERE survey_version_id IN (SELECT id FROM survey_version WHERE survey_id = $1) AND updated_at < $2";

async fn delete_responses(
    db: &Db,
    catalogue: &Catalogue,
    survey_id: i64,
    before: i64,
    now: i64,
    subject: &str,
) -> Result<i64, AppError> {
    let mut deleted = 0;
    loop {
        let mut tx = db.write.begin().await?;
        let ids: Vec<i64> =
            sqlx::query_scalar(&format!("SELECT id FROM response WHERE {DUE_RESPONSES} ORDER BY id LIMIT $4"))
                .bind(survey_id)
                .bind(before)
                .bind(now)
                .bind(BATCH)
                .fetch_all(&mut *tx)
                .await?;
        let mut in_batch = 0;
        for id in &ids {
            if erase(db, catalogue, &mut tx, *id).await?.is_some() {
                in_batch += 1;
            }
        }
        if in_batch > 0 {
            audit::record(
                &mut *tx,
                None,
                Event::RetentionDelete,
                subject,
                None,
                Some(serde_json::json!({ "responses": in_batch })),
            )
            .await?;
        }
        tx.commit().await?;
        deleted += in_batch;
        if (ids.len() as i64) < BATCH {
            return Ok(deleted);
        }
    }
}

/// Runs the retention job every hour, on one instance at a time, after clearing away imports
/// whose instance stopped.
pub async fn every_hour(db: Db, catalogue: std::sync::Arc<Catalogue>, council: String) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        every.tick().await;
        match db.alone("stopped imports", crate::export::import::run::clear_abandoned(&db)).await {
            Ok(None | Some(Ok(_))) => {}
            Ok(Some(Err(e))) => tracing::warn!(error = ?e, "clearing away stopped imports failed"),
            Err(e) => tracing::warn!(error = ?e, "clearing away stopped imports failed"),
        }
        let ran = match db.alone("retention", run(&db, &catalogue, &council, now(), false)).await {
            Ok(None) => continue,
            Ok(Some(ran)) => ran,
            Err(e) => Err(e.into()),
        };
        match ran {
            Ok(report) => {
                for (slug, counts) in report.into_iter().filter(|(_, c)| !c.is_empty()) {
                    tracing::info!(
                        survey = slug,
                        drafts = counts.drafts,
                        responses = counts.responses,
                        contacts = counts.contacts,
                        "retention: deleted what was due"
                    );
                }
            }
            Err(e) => tracing::warn!(error = ?e, "retention job failed"),
        }
    }
}
