//! CSV out: files that open cleanly in Excel and never run a formula planted in an answer.

mod cells;
pub mod responses;

pub use responses::{Filters, Options, Sink};

use crate::app::AppState;
use crate::error::AppError;
use crate::staff::AnalystUser;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/staff/surveys/{slug}/export/responses.csv", get(responses_csv))
}

/// The query string of an export link: the dashboard's filters and the file's options.
#[derive(Debug, Default, Deserialize)]
pub struct ExportQuery {
    from: Option<String>,
    to: Option<String>,
    channel: Option<String>,
    location: Option<String>,
    version: Option<String>,
    labels: Option<String>,
    bom: Option<String>,
}

/// `YYYY-MM-DD` as the start of that day (UTC), in Unix seconds.
pub fn parse_date(field: &str, value: &str) -> Result<i64, AppError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(value.trim(), &format)
        .map(|d| d.midnight().assume_utc().unix_timestamp())
        .map_err(|_| AppError::BadRequest(format!("The {field} date must look like 2026-03-31.")))
}

fn flag(value: Option<&str>, default: bool) -> Result<bool, AppError> {
    match value {
        None | Some("") => Ok(default),
        Some("1" | "true" | "yes") => Ok(true),
        Some("0" | "false" | "no") => Ok(false),
        Some(_) => Err(AppError::BadRequest("An option must be 1 or 0.".into())),
    }
}

fn number(field: &str, value: Option<&str>) -> Result<Option<i64>, AppError> {
    value
        .filter(|v| !v.is_empty())
        .map(|v| v.parse().map_err(|_| AppError::BadRequest(format!("The {field} must be a whole number."))))
        .transpose()
}

impl ExportQuery {
    pub fn filters(&self) -> Result<Filters, AppError> {
        let day = 24 * 3600;
        Ok(Filters {
            from: self.from.as_deref().filter(|v| !v.is_empty()).map(|v| parse_date("from", v)).transpose()?,
            to: self.to.as_deref().filter(|v| !v.is_empty()).map(|v| parse_date("to", v).map(|t| t + day)).transpose()?,
            channel: self.channel.clone().filter(|c| !c.is_empty()),
            location_id: number("location", self.location.as_deref())?,
            version: number("version", self.version.as_deref())?,
        })
    }

    fn options(&self) -> Result<Options, AppError> {
        Ok(Options { labels: flag(self.labels.as_deref(), false)?, bom: flag(self.bom.as_deref(), true)? })
    }
}

async fn responses_csv(
    State(state): State<AppState>,
    AnalystUser(user): AnalystUser,
    Path(slug): Path<String>,
    Query(query): Query<ExportQuery>,
) -> Result<Response, AppError> {
    let version = state.surveys.current(&state.db, &slug).await?.ok_or(AppError::NotFound)?;
    let filters = query.filters()?;
    let options = query.options()?;
    let details = serde_json::json!({ "filters": filters, "labels": options.labels });
    crate::audit::record(&state.db.write, Some(user.id()), "export.responses", &format!("survey/{slug}"), None, Some(details)).await?;

    // A small bounded channel: the database cursor runs only as fast as the client reads.
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    let db = state.db.clone();
    tokio::spawn(async move {
        let mut sink = Sink::Channel(tx.clone());
        if let Err(e) = responses::write(&db, &version, &filters, options, &mut sink).await {
            tracing::error!(error = ?e, "responses export failed part way");
            let _ = tx.send(Err(std::io::Error::other("export failed"))).await;
        }
    });
    // Fused: the compression layer may poll once more after the end.
    let chunks = futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|chunk| (chunk, rx)) });
    let body = Body::from_stream(futures_util::StreamExt::fuse(chunks));
    let today = time::OffsetDateTime::now_utc().date();
    let disposition = format!("attachment; filename=\"{slug}-responses-{today}.csv\"");
    Ok((
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, disposition)],
        body,
    )
        .into_response())
}
