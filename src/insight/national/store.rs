//! The national figures as admins uploaded them. Each upload is a new version, kept whole and
//! never changed, so the figures the results were set against on a given day can be told again;
//! with none uploaded, the figures that ship with the app stand.

use super::{Comparator, SHIPPED, parse};
use crate::audit::{self, Event};
use crate::db::{Db, now};
use crate::error::AppError;
use serde_json::json;

/// One uploaded version of the figures.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Upload {
    pub id: i64,
    pub uploaded_at: i64,
    /// Who uploaded it, when their account is still known.
    pub by: Option<String>,
}

/// The figures in use: the newest upload, or the shipped ones (None).
pub async fn current(db: &Db) -> Result<(Option<Upload>, Vec<Comparator>), AppError> {
    let newest: Option<(i64, i64, Option<String>, String)> = sqlx::query_as(
        "SELECT c.id, c.uploaded_at, s.name, c.body FROM comparator_file c LEFT JOIN staff s ON s.id = c.staff_id \
         ORDER BY c.id DESC LIMIT 1",
    )
    .fetch_optional(&db.read)
    .await?;
    Ok(match newest {
        // An upload was checked before it was kept; should it not read now (a later check), the
        // shipped figures stand rather than none.
        Some((id, uploaded_at, by, body)) => {
            (Some(Upload { id, uploaded_at, by }), parse(&body).unwrap_or_else(|_| super::shipped()))
        }
        None => (None, super::shipped()),
    })
}

/// Every upload, newest first.
pub async fn uploads(db: &Db) -> Result<Vec<Upload>, AppError> {
    Ok(sqlx::query_as(
        "SELECT c.id, c.uploaded_at, s.name AS by FROM comparator_file c LEFT JOIN staff s ON s.id = c.staff_id \
         ORDER BY c.id DESC",
    )
    .fetch_all(&db.read)
    .await?)
}

/// The file of version `id` as it was uploaded; 0 is the shipped one.
pub async fn body(db: &Db, id: i64) -> Result<Option<String>, AppError> {
    if id == 0 {
        return Ok(Some(SHIPPED.to_owned()));
    }
    Ok(sqlx::query_scalar("SELECT body FROM comparator_file WHERE id = $1").bind(id).fetch_optional(&db.read).await?)
}

/// Keeps `body` (already checked) as the newest version, with its audit entry naming the version
/// it replaces.
pub async fn add(db: &Db, by: i64, body: &str) -> Result<i64, AppError> {
    let mut tx = db.write.begin().await?;
    let before: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM comparator_file").fetch_one(&mut *tx).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO comparator_file (uploaded_at, staff_id, body) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(now())
    .bind(by)
    .bind(body)
    .fetch_one(&mut *tx)
    .await?;
    let version = |id: Option<i64>| json!({ "version": id.unwrap_or(0) });
    audit::record(
        &mut *tx,
        Some(by),
        Event::ComparatorsUpload,
        "comparators",
        Some(version(before)),
        Some(json!({ "version": id, "file": body })),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}
