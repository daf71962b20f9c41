//! Surveys as admins manage them: creating one from a definition, the draft of its next version,
//! publishing, and opening and closing. Every change is audited with the change it records.

use crate::audit;
use crate::audit::Event;
use crate::db::{Backend, Db, is_unique_violation, now};
use crate::error::AppError;
use crate::survey::{Definition, DefinitionErrors, Status, Survey};
use serde_json::json;
use std::collections::BTreeMap;

/// A survey in the admins' list.
#[derive(Debug, Clone)]
pub struct Listed {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub status: Status,
    pub version: Option<i64>,
    pub responses: i64,
    pub opens_at: Option<i64>,
    pub closes_at: Option<i64>,
    pub has_draft: bool,
}

pub async fn list(db: &Db) -> Result<Vec<Listed>, AppError> {
    listed(db, None).await
}

pub async fn find(db: &Db, slug: &str) -> Result<Listed, AppError> {
    listed(db, Some(slug)).await?.into_iter().next().ok_or(AppError::NotFound)
}

/// Every survey, or the one with this slug.
async fn listed(db: &Db, slug: Option<&str>) -> Result<Vec<Listed>, AppError> {
    // id, slug, status, version, opens, closes, published definition, draft definition, responses
    type Row = (i64, String, String, Option<i64>, Option<i64>, Option<i64>, Option<String>, Option<String>, i64);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT s.id, s.slug, s.status, v.version, s.opens_at, s.closes_at, v.definition, d.definition, \
         (SELECT COUNT(*) FROM response r WHERE r.survey_id = s.id AND r.import_id IS NULL) \
         FROM survey s LEFT JOIN survey_version v ON v.id = s.current_version_id LEFT JOIN survey_draft d ON d.survey_id = s.id \
         WHERE $1 IS NULL OR s.slug = $1 ORDER BY s.slug",
    )
    .bind(slug)
    .fetch_all(&db.read)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, slug, status, version, opens_at, closes_at, published, draft, responses)| {
            let title = published
                .as_deref()
                .or(draft.as_deref())
                .and_then(|d| serde_json::from_str::<Definition>(d).ok())
                .map(|d| d.title)
                .unwrap_or_else(|| slug.clone());
            let status = Status::parse(&status).unwrap_or(Status::Closed);
            Listed { id, slug, title, status, version, responses, opens_at, closes_at, has_draft: draft.is_some() }
        })
        .collect())
}

/// A definition as stored: JSON, whatever it was written in.
pub fn stored(definition: &Definition) -> Result<String, AppError> {
    serde_json::to_string(definition).map_err(AppError::from)
}

pub enum Created {
    Id(i64),
    SlugTaken,
}

/// Adds a survey, not yet published, with `survey` as the draft of its first version, and what its
/// file had that the draft does not keep (`notes`).
pub async fn create(db: &Db, by: Option<i64>, survey: &Survey, notes: &[String]) -> Result<Created, AppError> {
    let mut tx = db.write.begin().await?;
    let at = now();
    let inserted =
        sqlx::query_scalar("INSERT INTO survey (slug, status, created_at) VALUES ($1, 'draft', $2) RETURNING id")
            .bind(survey.slug())
            .bind(at)
            .fetch_one(&mut *tx)
            .await;
    let id: i64 = match inserted {
        Ok(id) => id,
        Err(e) if is_unique_violation(&e) => return Ok(Created::SlugTaken),
        Err(e) => return Err(e.into()),
    };
    sqlx::query("INSERT INTO survey_draft (survey_id, definition, updated_at, import_notes) VALUES ($1, $2, $3, $4)")
        .bind(id)
        .bind(stored(survey.definition())?)
        .bind(at)
        .bind(notes_stored(notes)?)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut *tx,
        by,
        Event::SurveyCreate,
        &format!("survey/{}", survey.slug()),
        None,
        Some(json!({ "title": survey.title(), "not_kept": notes.len() })),
    )
    .await?;
    tx.commit().await?;
    Ok(Created::Id(id))
}

/// Notes as stored: a JSON list, or nothing when there are none.
fn notes_stored(notes: &[String]) -> Result<Option<String>, AppError> {
    if notes.is_empty() {
        return Ok(None);
    }
    serde_json::to_string(notes).map(Some).map_err(|e| AppError::Internal(e.into()))
}

/// What the file the draft was uploaded from had that the draft does not keep (none when it was
/// not uploaded, or its file was ours).
pub async fn import_notes(db: &Db, survey_id: i64) -> Result<Vec<String>, AppError> {
    let stored: Option<Option<String>> =
        sqlx::query_scalar("SELECT import_notes FROM survey_draft WHERE survey_id = $1")
            .bind(survey_id)
            .fetch_optional(&db.read)
            .await?;
    match stored.flatten() {
        None => Ok(Vec::new()),
        Some(json) => serde_json::from_str(&json)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("stored import notes are unreadable: {e}"))),
    }
}

/// The draft of a survey's next version, and its revision (for spotting concurrent edits).
pub async fn draft(db: &Db, survey_id: i64) -> Result<Option<(Definition, i64)>, AppError> {
    let row: Option<(String, i64)> =
        sqlx::query_as("SELECT definition, revision FROM survey_draft WHERE survey_id = $1")
            .bind(survey_id)
            .fetch_optional(&db.read)
            .await?;
    row.map(|(text, revision)| {
        serde_json::from_str(&text)
            .map(|d| (d, revision))
            .map_err(|e| AppError::Internal(anyhow::anyhow!("stored draft is unreadable: {e}")))
    })
    .transpose()
}

/// Starts a draft from a published definition, unless there is one already.
pub async fn start_draft(db: &Db, by: i64, survey_id: i64, from: &Definition) -> Result<(), AppError> {
    let mut tx = db.write.begin().await?;
    let added = sqlx::query("INSERT INTO survey_draft (survey_id, definition, updated_at) VALUES ($1, $2, $3) ON CONFLICT (survey_id) DO NOTHING")
        .bind(survey_id)
        .bind(stored(from)?)
        .bind(now())
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if added == 1 {
        audit::record(&mut *tx, Some(by), Event::SurveyDraft, &format!("survey/{}", from.id), None, None).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Saves the draft as edited from revision `revision`; `false` if someone saved since (nothing is
/// changed, and the editor is told to reload).
pub async fn save_draft(
    db: &Db,
    by: Option<i64>,
    survey_id: i64,
    revision: i64,
    definition: &Definition,
) -> Result<bool, AppError> {
    let mut tx = db.write.begin().await?;
    let updated = sqlx::query("UPDATE survey_draft SET definition = $1, revision = revision + 1, updated_at = $2 WHERE survey_id = $3 AND revision = $4")
        .bind(stored(definition)?)
        .bind(now())
        .bind(survey_id)
        .bind(revision)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if updated != 1 {
        return Ok(false);
    }
    audit::record(
        &mut *tx,
        by,
        Event::SurveyEdit,
        &format!("survey/{}", definition.id),
        None,
        Some(json!({ "revision": revision + 1 })),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Replaces the draft with an uploaded definition (or makes one), with what its file had that the
/// draft does not keep (`notes`: those of the file before go with it).
pub async fn replace_draft(
    db: &Db,
    by: Option<i64>,
    survey_id: i64,
    survey: &Survey,
    notes: &[String],
) -> Result<(), AppError> {
    let mut tx = db.write.begin().await?;
    sqlx::query(
        "INSERT INTO survey_draft (survey_id, definition, updated_at, import_notes) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (survey_id) DO UPDATE SET definition = excluded.definition, revision = survey_draft.revision + 1, \
         updated_at = excluded.updated_at, import_notes = excluded.import_notes",
    )
    .bind(survey_id)
    .bind(stored(survey.definition())?)
    .bind(now())
    .bind(notes_stored(notes)?)
    .execute(&mut *tx)
    .await?;
    let details = json!({ "not_kept": notes.len() });
    audit::record(&mut *tx, by, Event::SurveyUpload, &format!("survey/{}", survey.slug()), None, Some(details)).await?;
    tx.commit().await?;
    Ok(())
}

pub enum Published {
    Version(i64),
    Invalid(DefinitionErrors),
    NoDraft,
}

/// Checks the draft with the same rules as an upload and, if it passes, makes it the survey's new
/// current version. Versions are never changed afterwards: responses and drafts keep theirs.
pub async fn publish(db: &Db, by: Option<i64>, survey_id: i64) -> Result<Published, AppError> {
    let Some((definition, revision)) = draft(db, survey_id).await? else { return Ok(Published::NoDraft) };
    let slug: String =
        sqlx::query_scalar("SELECT slug FROM survey WHERE id = $1").bind(survey_id).fetch_one(&db.read).await?;
    if definition.id != slug {
        let mut errors = DefinitionErrors::default();
        errors.0.push(crate::survey::DefinitionError {
            question: None,
            message: format!("the id must stay {slug}: a survey's address does not change"),
        });
        return Ok(Published::Invalid(errors));
    }
    // A language only a form's name for it says (`label::Martian`) waits for an admin to name it.
    let unnamed = crate::survey::translation::unnamed(&definition);
    if !unnamed.is_empty() {
        let mut errors = DefinitionErrors::default();
        for (language, name) in unnamed {
            let message = format!("say which language {name} (`{language}`) is, on the draft's page");
            errors.0.push(crate::survey::DefinitionError { question: None, message });
        }
        return Ok(Published::Invalid(errors));
    }
    let survey = match Survey::parse(definition) {
        Ok(survey) => survey,
        Err(errors) => return Ok(Published::Invalid(errors)),
    };
    // Residents choosing a language must get all of it: a draft may be translated bit by bit, but
    // is published only when every language it offers is complete.
    let missing = survey.missing_translations();
    if !missing.is_empty() {
        let mut errors = DefinitionErrors::default();
        for (language, gaps) in missing {
            let shown: Vec<&str> = gaps.iter().take(5).map(String::as_str).collect();
            let more = if gaps.len() > shown.len() {
                format!(" and {} more", gaps.len() - shown.len())
            } else {
                String::new()
            };
            let message =
                format!("the translation `{language}` is not complete: it has no text for {}{more}", shown.join("; "));
            errors.0.push(crate::survey::DefinitionError { question: None, message });
        }
        return Ok(Published::Invalid(errors));
    }
    let mut tx = db.write.begin().await?;
    // Only the revision checked above is published; a save in between wins and must be checked.
    let deleted = sqlx::query("DELETE FROM survey_draft WHERE survey_id = $1 AND revision = $2")
        .bind(survey_id)
        .bind(revision)
        .execute(&mut *tx)
        .await?;
    if deleted.rows_affected() != 1 {
        return Err(AppError::BadRequest(
            "The draft changed while it was being published. Check it and publish again.".into(),
        ));
    }
    let version: i64 =
        sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) + 1 FROM survey_version WHERE survey_id = $1")
            .bind(survey_id)
            .fetch_one(&mut *tx)
            .await?;
    let version_id: i64 = sqlx::query_scalar(
        "INSERT INTO survey_version (survey_id, version, definition, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(survey_id)
    .bind(version)
    .bind(stored(survey.definition())?)
    .bind(now())
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query("UPDATE survey SET current_version_id = $1 WHERE id = $2")
        .bind(version_id)
        .bind(survey_id)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut *tx,
        by,
        Event::SurveyPublish,
        &format!("survey/{slug}"),
        None,
        Some(json!({ "version": version })),
    )
    .await?;
    tx.commit().await?;
    Ok(Published::Version(version))
}

/// Opens or closes a survey, with the dates it takes answers between.
pub async fn set_status(
    db: &Db,
    by: i64,
    survey: &Listed,
    status: Status,
    opens_at: Option<i64>,
    closes_at: Option<i64>,
) -> Result<(), AppError> {
    let mut tx = db.write.begin().await?;
    sqlx::query("UPDATE survey SET status = $1, opens_at = $2, closes_at = $3 WHERE id = $4")
        .bind(status.as_str())
        .bind(opens_at)
        .bind(closes_at)
        .bind(survey.id)
        .execute(&mut *tx)
        .await?;
    let before = json!({ "status": survey.status, "opens_at": survey.opens_at, "closes_at": survey.closes_at });
    let after = json!({ "status": status, "opens_at": opens_at, "closes_at": closes_at });
    audit::record(
        &mut *tx,
        Some(by),
        Event::SurveyStatus,
        &format!("survey/{}", survey.slug),
        Some(before),
        Some(after),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A published version's definition as written, for download: TOML or JSON.
pub async fn version_document(db: &Db, survey_id: i64, version: i64, format: &str) -> Result<Vec<u8>, AppError> {
    let text: String =
        sqlx::query_scalar("SELECT definition FROM survey_version WHERE survey_id = $1 AND version = $2")
            .bind(survey_id)
            .bind(version)
            .fetch_optional(&db.read)
            .await?
            .ok_or(AppError::NotFound)?;
    let definition: Definition = serde_json::from_str(&text).map_err(AppError::from)?;
    document(&definition, format)
}

/// A definition as a file: `json`, `toml`, or `xlsx` (an XLSForm).
pub fn document(definition: &Definition, format: &str) -> Result<Vec<u8>, AppError> {
    match format {
        "json" => Ok(serde_json::to_string_pretty(definition)?.into_bytes()),
        "toml" => Ok(toml::to_string(definition)?.into_bytes()),
        "xlsx" | "xlsform" => {
            crate::survey::xlsform::write(definition).map_err(|e| AppError::Internal(anyhow::anyhow!("XLSForm: {e}")))
        }
        _ => Err(AppError::NotFound),
    }
}

pub async fn set_locations(db: &Db, by: i64, survey: &Listed, ids: &[i64]) -> Result<(), AppError> {
    let mut tx = db.write.begin().await?;
    sqlx::query("DELETE FROM survey_location WHERE survey_id = $1").bind(survey.id).execute(&mut *tx).await?;
    for id in ids {
        sqlx::query("INSERT INTO survey_location (survey_id, list_item_id) VALUES ($1, $2)")
            .bind(survey.id)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    audit::record(
        &mut *tx,
        Some(by),
        Event::SurveyLocations,
        &format!("survey/{}", survey.slug),
        None,
        Some(json!({ "locations": ids })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A published version, for the survey's page.
#[derive(sqlx::FromRow)]
pub struct VersionRow {
    pub version: i64,
    pub created_at: i64,
    /// Responses answered on it.
    pub responses: i64,
}

/// A survey's published versions, newest first.
pub async fn versions(db: &Db, survey_id: i64) -> Result<Vec<VersionRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT v.version, v.created_at, (SELECT COUNT(*) FROM response r WHERE r.survey_version_id = v.id \
         AND r.import_id IS NULL) AS responses FROM survey_version v WHERE v.survey_id = $1 ORDER BY v.version DESC",
    )
    .bind(survey_id)
    .fetch_all(&db.read)
    .await?)
}

/// Puts `wards` in place of the survey's lookup, in one transaction with its audit entry. Answers
/// already given keep their ward: the lookup only chooses one for the next resident to check.
pub async fn replace_postcodes(
    db: &Db,
    by: i64,
    survey_id: i64,
    slug: &str,
    wards: &BTreeMap<String, String>,
) -> Result<(), AppError> {
    let mut tx = db.write.begin().await?;
    // Two admins saving at once take turns on the survey's row: the last one saved stands whole.
    sqlx::query("UPDATE survey SET id = id WHERE id = $1").bind(survey_id).execute(&mut *tx).await?;
    let before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM postcode_ward WHERE survey_id = $1")
        .bind(survey_id)
        .fetch_one(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM postcode_ward WHERE survey_id = $1").bind(survey_id).execute(&mut *tx).await?;
    let rows: Vec<(i64, &str, &str)> = wards.iter().map(|(p, w)| (survey_id, p.as_str(), w.as_str())).collect();
    // A few thousand rows a statement, each statement one bound value (see `json_rows`).
    let select = Backend::of(&tx).json_rows(1, &[true, false, false]);
    for chunk in rows.chunks(5_000) {
        let json = serde_json::to_string(chunk).map_err(|e| AppError::Internal(e.into()))?;
        sqlx::query(&format!("INSERT INTO postcode_ward (survey_id, postcode, ward) {select}"))
            .bind(json)
            .execute(&mut *tx)
            .await?;
    }
    let said = |n: usize| serde_json::json!({ "postcodes": n });
    let target = format!("survey/{slug}/postcodes");
    audit::record(
        &mut *tx,
        Some(by),
        Event::PostcodesUpload,
        &target,
        Some(said(before as usize)),
        Some(said(wards.len())),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
