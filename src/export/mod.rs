//! CSV out: files that open cleanly in Excel and never run a formula planted in an answer.

pub mod cells;
pub mod import;
pub mod responses;
pub mod summary;

pub use responses::{Filters, Options, Param, Sink};

use crate::app::AppState;
use crate::error::AppError;
use crate::staff::session::FromOwnPages;
use crate::staff::{AdminUser, AnalystUser, SignedIn};
use crate::ui::{render, Page, ScrollingTable, UploadForm};
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{header, StatusCode};
use leptos::prelude::*;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

/// Largest file the import form takes: about 50,000 rows of the built-in survey.
const MAX_IMPORT_BYTES: usize = 20 * 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/surveys/{slug}/export/responses.csv", get(responses_csv))
        .route("/staff/surveys/{slug}/export/summary.csv", get(summary_csv))
        .route(
            "/staff/surveys/{slug}/import",
            get(import_page).post(import_upload).layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES)),
        )
}

async fn import_page(State(state): State<AppState>, AdminUser(admin): AdminUser, Path(slug): Path<String>) -> Result<Response, AppError> {
    let version = state.surveys.current(&state.db, &slug).await?.ok_or(AppError::NotFound)?;
    Ok(import_view(&state, &admin, &version, StatusCode::OK, None))
}

fn import_view(
    state: &AppState,
    admin: &SignedIn,
    version: &crate::survey::SurveyVersion,
    status: StatusCode,
    report: Option<import::Report>,
) -> Response {
    let slug = version.survey.slug().to_owned();
    let title_text = version.survey.title().to_owned();
    let csrf = admin.csrf.clone();
    let failed = report.as_ref().is_some_and(|r| r.error_count > 0);
    // Asked for once the file turns out to hold rows past the retention period.
    let ask_keep_until = report.as_ref().is_some_and(|r| r.past_retention.is_some() || r.errors.iter().any(|e| e.column == KEEP_UNTIL));
    let title = format!("{}Import responses", if failed { "Error: " } else { "" });
    render(state.chrome.staff(admin.nav()), status, move || {
        let outcome = report.map(|r| {
            if r.error_count == 0 {
                view! {
                    <div class="notification" role="status">
                        <p class="body">
                            {format!("Imported {} responses. {} were already here and were skipped.", r.imported, r.skipped_existing)}
                        </p>
                        {r.past_retention.map(|p| view! { <p class="body">{p.describe()}</p> })}
                    </div>
                }
                .into_any()
            } else {
                let listed = !r.errors.is_empty();
                let rows = r
                    .errors
                    .into_iter()
                    .map(|e| view! { <tr><td>{e.line}</td><td>{e.column}</td><td>{e.reason}</td></tr> })
                    .collect_view();
                let summary = match &r.past_retention {
                    Some(past) if !listed => past.describe(),
                    _ => format!("{} problems were found. Fix them in the file and upload it again.", r.error_count),
                };
                let (link, target) = if ask_keep_until { ("Choose a date to keep them until", "#keep_until") } else { ("Choose the file again", "#file") };
                let table = listed.then(|| {
                    view! { <ScrollingTable label="Problems in the file".to_owned() columns=vec!["Line", "Column", "Problem"]>{rows}</ScrollingTable> }
                });
                view! {
                    <div class="error-summary" tabindex="-1" autofocus="">
                        <div role="alert">
                            <h2 class="error-summary__title">"Nothing was imported"</h2>
                            <p class="body">{summary}</p>
                            <a href=target class="link">{link}</a>
                        </div>
                    </div>
                    {table}
                }
                .into_any()
            }
        });
        view! {
            <Page title back="/staff".to_owned()>
                <span class="caption-l">{title_text}</span>
                <h1 class="heading-l">"Import responses"</h1>
                {outcome}
                <p class="body">
                    "Upload a CSV file in the same format as the responses export (with ids, not labels). Every row is checked first: if any row has a problem, nothing is imported. Rows whose reference is already here are skipped, so uploading the same file twice changes nothing. Rows with no channel are recorded as paper."
                </p>
                <UploadForm action=format!("/staff/surveys/{slug}/import") csrf label="CSV file" accept=".csv,text/csv" button="Check and import">
                    {ask_keep_until.then(|| view! {
                        <div class="form-group">
                            <label class="label" for="keep_until">"Keep answers older than the retention period until"</label>
                            <div class="hint" id="keep_until-hint">"A date, for example 2027-03-31. Upload the file again with it."</div>
                            <input class="input input--date" id="keep_until" name="keep_until" type="date" aria-describedby="keep_until-hint" />
                        </div>
                    })}
                </UploadForm>
            </Page>
        }
    })
}

/// The import form's date to keep rows past the retention period until.
const KEEP_UNTIL: &str = "keep_until";

async fn import_upload(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(slug): Path<String>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let version = state.surveys.current(&state.db, &slug).await?.ok_or(AppError::NotFound)?;
    let (file, fields) = crate::staff::session::read_upload_with(&admin.session, multipart, &[KEEP_UNTIL]).await?;
    let keep_until = match import::keep_until(fields.get(KEEP_UNTIL).unwrap_or_default()) {
        Ok(keep_until) => keep_until,
        Err(report) => return Ok(import_view(&state, &admin, &version, StatusCode::UNPROCESSABLE_ENTITY, Some(report))),
    };
    let report = import::import(&state.db, &state.surveys, &version, &file, Some(admin.id()), keep_until).await?;
    let status = if report.error_count > 0 { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok(import_view(&state, &admin, &version, status, Some(report)))
}

/// The query string of an export link: the dashboard's filters and the file's options.
#[derive(Debug, Default, Deserialize)]
pub struct ExportQuery {
    pub from: Option<String>,
    pub to: Option<String>,
    pub channel: Option<String>,
    pub location: Option<String>,
    pub version: Option<String>,
    pub ward: Option<String>,
    pub age_band: Option<String>,
    pub disability: Option<String>,
    /// On the results page: a question to compare across groups, and the groups.
    pub compare: Option<String>,
    pub by: Option<String>,
    labels: Option<String>,
    bom: Option<String>,
    redact: Option<String>,
    publishable: Option<String>,
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
    pub fn publishable(&self) -> Result<bool, AppError> {
        flag(self.publishable.as_deref(), false)
    }

    /// The same filters as a query string, for links that keep them.
    pub fn filter_string(&self) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        for (name, value) in [
            ("from", &self.from),
            ("to", &self.to),
            ("channel", &self.channel),
            ("location", &self.location),
            ("version", &self.version),
            ("ward", &self.ward),
            ("age_band", &self.age_band),
            ("disability", &self.disability),
        ] {
            if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
                out.append_pair(name, v);
            }
        }
        out.finish()
    }

    pub fn filters(&self) -> Result<Filters, AppError> {
        let day = 24 * 3600;
        Ok(Filters {
            from: self.from.as_deref().filter(|v| !v.is_empty()).map(|v| parse_date("from", v)).transpose()?,
            to: self.to.as_deref().filter(|v| !v.is_empty()).map(|v| parse_date("to", v).map(|t| t + day)).transpose()?,
            channel: self.channel.clone().filter(|c| !c.is_empty()),
            location_id: number("location", self.location.as_deref())?,
            version: number("version", self.version.as_deref())?,
            answers: [("ward", &self.ward), ("age_band", &self.age_band), ("disability", &self.disability)]
                .into_iter()
                .filter_map(|(q, v)| v.as_deref().filter(|v| !v.is_empty()).map(|v| (q.to_owned(), v.to_owned())))
                .collect(),
            reference: None,
        })
    }

    fn options(&self) -> Result<Options, AppError> {
        Ok(Options {
            labels: flag(self.labels.as_deref(), false)?,
            bom: flag(self.bom.as_deref(), true)?,
            redact: flag(self.redact.as_deref(), false)?,
        })
    }
}

fn attachment(slug: &str, what: &str) -> (header::HeaderName, String) {
    let today = time::OffsetDateTime::now_utc().date();
    (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{slug}-{what}-{today}.csv\""))
}

/// The survey and filters an export asks for; the export is written to the audit log (who, what,
/// filters) before any of it is sent.
async fn begin(
    state: &AppState,
    user: &SignedIn,
    slug: &str,
    query: &ExportQuery,
    action: &str,
    mut details: serde_json::Value,
) -> Result<(crate::survey::SurveyVersion, Filters), AppError> {
    let version = state.surveys.current(&state.db, slug).await?.ok_or(AppError::NotFound)?;
    let filters = query.filters()?;
    details["filters"] = serde_json::to_value(&filters).map_err(AppError::from)?;
    crate::audit::record(&state.db.write, Some(user.id()), action, &format!("survey/{slug}"), None, Some(details)).await?;
    Ok((version, filters))
}

async fn summary_csv(
    State(state): State<AppState>,
    AnalystUser(user): AnalystUser,
    _: FromOwnPages,
    Path(slug): Path<String>,
    Query(query): Query<ExportQuery>,
) -> Result<Response, AppError> {
    let publishable = flag(query.publishable.as_deref(), false)?;
    let details = serde_json::json!({ "publishable": publishable });
    let (version, filters) = begin(&state, &user, &slug, &query, "export.summary", details).await?;
    let mut summary = crate::insight::summarise(&state.db, &state.surveys, &version, &filters).await?;
    if publishable {
        summary = summary.suppress(state.config.suppression_threshold);
    }
    let bytes = summary::to_csv(&summary, flag(query.bom.as_deref(), true)?).map_err(AppError::from)?;
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), attachment(&slug, "summary")], bytes).into_response())
}

async fn responses_csv(
    State(state): State<AppState>,
    AnalystUser(user): AnalystUser,
    _: FromOwnPages,
    Path(slug): Path<String>,
    Query(query): Query<ExportQuery>,
) -> Result<Response, AppError> {
    let options = query.options()?;
    let details = serde_json::json!({ "labels": options.labels, "redact": options.redact });
    let (version, filters) = begin(&state, &user, &slug, &query, "export.responses", details).await?;

    // A small bounded channel: the database cursor runs only as fast as the client reads.
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    let (db, catalogue) = (state.db.clone(), state.surveys.clone());
    tokio::spawn(async move {
        let mut sink = Sink::Channel(tx.clone());
        if let Err(e) = responses::write(&db, &catalogue, &version, &filters, options, &mut sink).await {
            tracing::error!(error = ?e, "responses export failed part way");
            let _ = tx.send(Err(std::io::Error::other("export failed"))).await;
        }
    });
    // Fused: the compression layer may poll once more after the end.
    let chunks = futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|chunk| (chunk, rx)) });
    let body = Body::from_stream(futures_util::StreamExt::fuse(chunks));
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), attachment(&slug, "responses")], body).into_response())
}
