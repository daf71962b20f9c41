//! Surveys in the database, and a cache of parsed definitions. Published versions never change, so
//! caching them by id is safe however many instances share the database.

use super::{Definition, Survey};
use crate::db::{Db, now};
use crate::error::AppError;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// Whether a survey takes answers, as an admin set it (its dates may still keep it shut).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Added, never opened.
    Draft,
    Open,
    Closed,
}

impl Status {
    /// As stored, in forms and in the audit log.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Open => "open",
            Status::Closed => "closed",
        }
    }

    pub fn parse(value: &str) -> Option<Status> {
        [Status::Draft, Status::Open, Status::Closed].into_iter().find(|s| s.as_str() == value)
    }
}

/// As stored (for reading rows with `#[sqlx(try_from = "String")]`).
impl TryFrom<String> for Status {
    type Error = String;

    fn try_from(value: String) -> Result<Status, String> {
        Status::parse(&value).ok_or_else(|| format!("no survey status {value:?}"))
    }
}

/// One published version of a survey.
#[derive(Debug, Clone)]
pub struct SurveyVersion {
    pub survey_id: i64,
    pub version_id: i64,
    pub version: i64,
    pub status: Status,
    /// When an open survey starts and stops taking answers, if set (Unix seconds).
    pub opens_at: Option<i64>,
    pub closes_at: Option<i64>,
    pub survey: Arc<Survey>,
}

/// Whether a survey takes new answers now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Availability {
    Open,
    /// Not open yet: published but not opened, or open from a day still to come.
    NotYet(Option<i64>),
    Closed,
}

impl SurveyVersion {
    pub fn availability(&self, now: i64) -> Availability {
        Availability::of(self.status, self.opens_at, self.closes_at, now)
    }
}

impl Availability {
    /// Whether a survey with this status and these dates takes answers at `now`.
    pub fn of(status: Status, opens_at: Option<i64>, closes_at: Option<i64>, now: i64) -> Availability {
        match (status, opens_at, closes_at) {
            (Status::Open, _, Some(closes)) if now >= closes => Availability::Closed,
            (Status::Open, Some(opens), _) if now < opens => Availability::NotYet(Some(opens)),
            (Status::Open, _, _) => Availability::Open,
            (Status::Draft, _, _) => Availability::NotYet(None),
            (Status::Closed, _, _) => Availability::Closed,
        }
    }
}

/// A survey's version as stored, before its definition is parsed.
#[derive(sqlx::FromRow)]
struct VersionRow {
    /// The survey's.
    id: i64,
    #[sqlx(try_from = "String")]
    status: Status,
    opens_at: Option<i64>,
    closes_at: Option<i64>,
    version_id: i64,
    version: i64,
}

#[derive(Default)]
pub struct Catalogue {
    parsed: RwLock<HashMap<i64, Arc<Survey>>>,
    /// See [`Catalogue::answering`].
    answering: RwLock<HashMap<i64, SurveyVersion>>,
}

impl Catalogue {
    /// The version new residents are given, by the survey's slug.
    pub async fn current(&self, db: &Db, slug: &str) -> Result<Option<SurveyVersion>, AppError> {
        let row: Option<VersionRow> = sqlx::query_as(
            "SELECT s.id, s.status, s.opens_at, s.closes_at, v.id AS version_id, v.version FROM survey s \
             JOIN survey_version v ON v.id = s.current_version_id WHERE s.slug = $1",
        )
        .bind(slug)
        .fetch_optional(&db.read)
        .await?;
        match row {
            None => Ok(None),
            Some(row) => self.with_definition(db, row).await.map(Some),
        }
    }

    /// Surveys taking answers now, with their current versions, for officers to choose from.
    pub async fn open(&self, db: &Db) -> Result<Vec<SurveyVersion>, AppError> {
        let now = crate::db::now();
        Ok(self.published(db).await?.into_iter().filter(|v| v.availability(now) == Availability::Open).collect())
    }

    /// Every survey with a published version, open or not, for staff reading results.
    pub async fn published(&self, db: &Db) -> Result<Vec<SurveyVersion>, AppError> {
        let slugs: Vec<String> =
            sqlx::query_scalar("SELECT slug FROM survey WHERE current_version_id IS NOT NULL ORDER BY slug")
                .fetch_all(&db.read)
                .await?;
        let mut published = Vec::with_capacity(slugs.len());
        for slug in slugs {
            published.extend(self.current(db, &slug).await?);
        }
        Ok(published)
    }

    /// A version a draft is being answered on: what never changes about it (its survey, number and
    /// questions) from the cache after the first time, with no query. Its status and dates are as
    /// they were then: a draft finishes on its version whatever they are now, so nothing on this
    /// path may rely on them.
    pub async fn answering(&self, db: &Db, version_id: i64) -> Result<SurveyVersion, AppError> {
        if let Some(version) = self.answering.read().expect("cache lock").get(&version_id) {
            return Ok(version.clone());
        }
        let version = self.version(db, version_id).await?;
        self.answering.write().expect("cache lock").insert(version_id, version.clone());
        Ok(version)
    }

    /// A particular version, by id (a draft's or a response's).
    pub async fn version(&self, db: &Db, version_id: i64) -> Result<SurveyVersion, AppError> {
        let row: VersionRow = sqlx::query_as(
            "SELECT s.id, s.status, s.opens_at, s.closes_at, v.id AS version_id, v.version FROM survey_version v \
             JOIN survey s ON s.id = v.survey_id WHERE v.id = $1",
        )
        .bind(version_id)
        .fetch_one(&db.read)
        .await?;
        self.with_definition(db, row).await
    }

    /// A survey's version by its number, as a paper form names it.
    pub async fn numbered(&self, db: &Db, survey_id: i64, number: i64) -> Result<Option<SurveyVersion>, AppError> {
        let row: Option<VersionRow> = sqlx::query_as(
            "SELECT s.id, s.status, s.opens_at, s.closes_at, v.id AS version_id, v.version FROM survey_version v \
             JOIN survey s ON s.id = v.survey_id WHERE s.id = $1 AND v.version = $2",
        )
        .bind(survey_id)
        .bind(number)
        .fetch_optional(&db.read)
        .await?;
        match row {
            None => Ok(None),
            Some(row) => self.with_definition(db, row).await.map(Some),
        }
    }

    /// Every published version of a survey, oldest first.
    pub async fn versions(&self, db: &Db, survey_id: i64) -> Result<Vec<SurveyVersion>, AppError> {
        let rows: Vec<VersionRow> = sqlx::query_as(
            "SELECT s.id, s.status, s.opens_at, s.closes_at, v.id AS version_id, v.version FROM survey_version v \
             JOIN survey s ON s.id = v.survey_id WHERE s.id = $1 ORDER BY v.version",
        )
        .bind(survey_id)
        .fetch_all(&db.read)
        .await?;
        let mut versions = Vec::with_capacity(rows.len());
        for row in rows {
            versions.push(self.with_definition(db, row).await?);
        }
        Ok(versions)
    }

    async fn with_definition(&self, db: &Db, row: VersionRow) -> Result<SurveyVersion, AppError> {
        Ok(SurveyVersion {
            survey_id: row.id,
            version_id: row.version_id,
            version: row.version,
            status: row.status,
            opens_at: row.opens_at,
            closes_at: row.closes_at,
            survey: self.parsed(db, row.version_id).await?,
        })
    }

    async fn parsed(&self, db: &Db, version_id: i64) -> Result<Arc<Survey>, AppError> {
        if let Some(survey) = self.parsed.read().expect("cache lock").get(&version_id) {
            return Ok(survey.clone());
        }
        let text: String = sqlx::query_scalar("SELECT definition FROM survey_version WHERE id = $1")
            .bind(version_id)
            .fetch_one(&db.read)
            .await?;
        let survey = Survey::from_document(&text)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("stored survey version {version_id} is invalid: {e}")))?;
        let survey = Arc::new(survey);
        self.parsed.write().expect("cache lock").insert(version_id, survey.clone());
        Ok(survey)
    }
}

/// Adds a survey with its first version unless a survey with that slug exists. Safe when several
/// instances start at once: the unique constraints decide, and the losers change nothing.
pub async fn ensure_survey(db: &Db, survey: &Survey) -> anyhow::Result<()> {
    let definition = serde_json::to_string(survey.definition() as &Definition)?;
    let at = now();
    let mut tx = db.write.begin().await?;
    sqlx::query("INSERT INTO survey (slug, status, created_at) VALUES ($1, 'open', $2) ON CONFLICT (slug) DO NOTHING")
        .bind(survey.slug())
        .bind(at)
        .execute(&mut *tx)
        .await?;
    let survey_id: i64 =
        sqlx::query_scalar("SELECT id FROM survey WHERE slug = $1").bind(survey.slug()).fetch_one(&mut *tx).await?;
    sqlx::query(
        "INSERT INTO survey_version (survey_id, version, definition, created_at) VALUES ($1, 1, $2, $3) \
         ON CONFLICT (survey_id, version) DO NOTHING",
    )
    .bind(survey_id)
    .bind(&definition)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE survey SET current_version_id = \
           (SELECT id FROM survey_version WHERE survey_id = $1 AND version = 1) \
         WHERE id = $1 AND current_version_id IS NULL",
    )
    .bind(survey_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}
