//! CSV out: files that open cleanly in Excel and never run a formula planted in an answer.

pub mod cells;
pub mod import;
pub mod package;
pub mod responses;
pub mod summary;
pub mod syntax;

pub use responses::{Options, Sink};

use crate::audit::Event;
use crate::auth::session::FromOwnPages;
use crate::auth::{AdminUser, AnalystUser, SignedIn};
use crate::clock::CouncilTime;
use crate::error::AppError;
use crate::insight::weighting::results::{Weighted, Weighting, weighted};
use crate::paths::staff;
use crate::responses::filters::{FilterQuery, Filters, flag};
use crate::state::AppState;
use crate::ui::{Chrome, Page, ScrollingTable, TextField, UploadForm, render};
use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use leptos::prelude::*;
use serde::Deserialize;

/// Largest file the import form takes: about 50,000 rows of the built-in survey.
const MAX_IMPORT_BYTES: usize = 20 * 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/surveys/{slug}/export/responses.csv", get(responses_csv))
        .route("/staff/surveys/{slug}/export/summary.csv", get(summary_csv))
        .route("/staff/surveys/{slug}/export/summary.zip", get(summary_package))
        .route("/staff/surveys/{slug}/export/responses.zip", get(responses_package))
        .route("/staff/surveys/{slug}/export/responses.sps", get(spss_syntax))
        .route("/staff/surveys/{slug}/export/responses.R", get(r_script))
        .route(
            "/staff/surveys/{slug}/import",
            get(import_page).post(import_upload).layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES)),
        )
}

async fn import_page(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
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
    let ask_keep_until = report
        .as_ref()
        .is_some_and(|r| r.past_retention.is_some() || r.errors.iter().any(|e| e.column == "keep_until"));
    let clock = state.config.clock.clone();
    let title = format!("{}Import responses", if failed { "Error: " } else { "" });
    render(Chrome::staff(&state.config, admin.nav()), status, move || {
        let outcome = report.map(|report| view! { <ImportOutcome report clock ask_keep_until /> });
        view! {
            <Page title back=staff::HOME.to_owned()>
                <span class="caption-l">{title_text}</span>
                <h1 class="heading-l">"Import responses"</h1>
                {outcome}
                <p class="body">
                    "Upload a CSV file in the same format as the responses export (with ids, not labels). Every row is checked first: if any row has a problem, nothing is imported. Rows whose reference is already here are skipped, so uploading the same file twice changes nothing. Rows with no channel are recorded as paper. A large file takes a few seconds: residents can keep answering meanwhile, and its rows appear all at once when it has finished."
                </p>
                <UploadForm
                    action=staff::import(&slug)
                    csrf
                    label="CSV file"
                    accept=".csv,text/csv"
                    button="Check and import"
                >
                    {ask_keep_until
                        .then(|| {
                            view! {
                                <TextField
                                    id="keep_until"
                                    label="Keep answers older than the retention period until"
                                    hint="A date, for example 2027-03-31. Upload the file again with it."
                                    kind="date"
                                />
                            }
                        })}
                </UploadForm>
            </Page>
        }
    })
}

/// What an upload did: how many rows came in, or why nothing did and where to fix it.
#[component]
fn ImportOutcome(report: import::Report, clock: CouncilTime, ask_keep_until: bool) -> AnyView {
    let r = report;
    if r.error_count == 0 {
        view! {
            <div class="notification" role="status">
                <p class="body">
                    {format!(
                        "Imported {} responses. {} were already here and were skipped.",
                        r.imported,
                        r.skipped_existing,
                    )}
                </p>
                {r.past_retention.map(|p| view! { <p class="body">{p.describe(&clock)}</p> })}
            </div>
        }
        .into_any()
    } else {
        let listed = !r.errors.is_empty();
        let busy = r.describe_busy(&clock);
        let rows = r
            .errors
            .into_iter()
            .map(|e| {
                view! {
                    <tr>
                        <td>{e.line}</td>
                        <td>{e.column}</td>
                        <td>{e.reason}</td>
                    </tr>
                }
            })
            .collect_view();
        let summary = match (busy, &r.past_retention) {
            (Some(busy), _) => busy,
            (None, Some(past)) if !listed => past.describe(&clock),
            _ => format!("{} problems were found. Fix them in the file and upload it again.", r.error_count),
        };
        let (link, target) = if ask_keep_until {
            ("Choose a date to keep them until", "#keep_until")
        } else {
            ("Choose the file again", "#file")
        };
        let table = listed.then(|| {
            view! {
                <ScrollingTable label="Problems in the file".to_owned() columns=vec!["Line", "Column", "Problem"]>
                    {rows}
                </ScrollingTable>
            }
        });
        view! {
            <div class="error-summary" tabindex="-1" autofocus="">
                <div role="alert">
                    <h2 class="error-summary__title">"Nothing was imported"</h2>
                    <p class="body">{summary}</p>
                    <a href=target class="link">
                        {link}
                    </a>
                </div>
            </div>
            {table}
        }
        .into_any()
    }
}

/// The import form's own field: a date to keep rows past the retention period until.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ImportOptions {
    #[serde(default)]
    keep_until: String,
}

async fn import_upload(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(slug): Path<String>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let version = state.surveys.current(&state.db, &slug).await?.ok_or(AppError::NotFound)?;
    let (file, options) =
        crate::auth::read_upload_with::<ImportOptions>(&admin.session, multipart, &["keep_until"]).await?;
    let keep_until = match import::keep_until(&options.keep_until, &state.config.clock) {
        Ok(keep_until) => keep_until,
        Err(report) => {
            return Ok(import_view(&state, &admin, &version, StatusCode::UNPROCESSABLE_ENTITY, Some(report)));
        }
    };
    // In a task of its own, so that an admin who closes the page does not stop it halfway: it
    // would leave its rows hidden until cleared away, and other imports waiting meanwhile.
    let importing = tokio::spawn({
        let (state, version, by) = (state.clone(), version.clone(), admin.id());
        async move {
            import::import(
                &state.db,
                &state.config.clock,
                &state.surveys,
                &version,
                import::Source::Bytes(file),
                &state.key,
                Some(by),
                keep_until,
            )
            .await
        }
    });
    let report = importing.await??;
    let status = if report.error_count > 0 { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok(import_view(&state, &admin, &version, status, Some(report)))
}

/// A download's own options from its query string.
fn options(query: &FilterQuery) -> Result<Options, AppError> {
    Ok(Options {
        labels: flag(query.labels.as_deref(), false)?,
        bom: flag(query.bom.as_deref(), true)?,
        redact: flag(query.redact.as_deref(), false)?,
        one_line: flag(query.one_line.as_deref(), false)?,
    })
}

/// The name a download is saved under: `SLUG-WHAT-DAY.EXT`, today in the council's time zone.
fn file_name(state: &AppState, slug: &str, what: &str, extension: &str) -> String {
    format!("{slug}-{what}-{}.{extension}", state.config.clock.today())
}

fn attachment(state: &AppState, slug: &str, what: &str) -> (header::HeaderName, String) {
    (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{}\"", file_name(state, slug, what, "csv")))
}

/// The summary a download asks for, written to the audit log (with its `format`) before it is
/// worked out; held back with the small-number rule, which comes back too, when publishable.
async fn summary_for(
    state: &AppState,
    user: &SignedIn,
    slug: &str,
    query: &FilterQuery,
    format: &str,
) -> Result<(crate::survey::SurveyVersion, crate::insight::Summary, Option<i64>, Option<Weighted>), AppError> {
    let publishable = query.publishable()?;
    query.no_filters_when_publishable()?;
    let details = serde_json::json!({ "publishable": publishable, "format": format });
    let (version, filters) = begin(state, user, slug, query, Event::ExportSummary, details).await?;
    let threshold = publishable.then_some(state.config.suppression_threshold);
    let summary = match threshold {
        Some(threshold) => {
            crate::insight::publish::publication(&state.db, &state.surveys, &version, None, threshold).await?.summary
        }
        None => crate::insight::summarise(&state.db, &state.surveys, &version, &filters).await?,
    };
    // Publishable figures are of every response, and so are their weighted shares.
    let weighting_filters = if threshold.is_some() { Filters::default() } else { filters };
    let weighted = match weighted(&state.db, &state.surveys, &version, &weighting_filters).await? {
        Weighting::On(w) => Some(*w),
        _ => None,
    };
    Ok((version, summary, threshold, weighted))
}

/// The summary as a Frictionless Data Package: `summary.csv` and its `datapackage.json`.
async fn summary_package(
    State(state): State<AppState>,
    AnalystUser(user): AnalystUser,
    _: FromOwnPages,
    Path(slug): Path<String>,
    Query(query): Query<FilterQuery>,
) -> Result<Response, AppError> {
    let (version, summary, threshold, weighted) = summary_for(&state, &user, &slug, &query, "package").await?;
    let csv = summary::to_csv(&summary, weighted.as_ref(), false).map_err(AppError::from)?;
    let descriptor =
        package::summary(&about(&state, &slug, version.survey.title()), &summary, threshold, weighted.is_some());
    let zipped =
        package::zip(std::io::Cursor::new(Vec::new()), &descriptor, "summary.csv", &mut csv.as_slice())?.into_inner();
    Ok(([(header::CONTENT_TYPE, "application/zip".to_owned()), zip_attachment(&state, &slug, "summary")], zipped)
        .into_response())
}

/// Every response as a Frictionless Data Package, for the council's own use. The file can be
/// large: the CSV and the zip are written to temporary files, not held in memory.
async fn responses_package(
    State(state): State<AppState>,
    AnalystUser(user): AnalystUser,
    _: FromOwnPages,
    Path(slug): Path<String>,
    Query(query): Query<FilterQuery>,
) -> Result<Response, AppError> {
    let options = Options { labels: false, bom: false, ..options(&query)? };
    let details = serde_json::json!({ "labels": false, "redact": options.redact, "package": true });
    let (version, filters) = begin(&state, &user, &slug, &query, Event::ExportResponses, details).await?;
    let layout = responses::Layout::load(&state.db, &state.surveys, version.survey_id).await?;
    let descriptor = package::responses(&about(&state, &slug, version.survey.title()), &layout.described());
    // Unnamed temporary files: readable by this process only, gone when closed, whatever happens
    // to the request.
    let csv = tempfile::tempfile()?;
    let csv_again = csv.try_clone()?;
    // `write` flushes the sink when it is done, so the other handle reads it all.
    let mut sink = Sink::Writer(Box::new(tokio::io::BufWriter::new(tokio::fs::File::from_std(csv))));
    responses::write(&state.db, &state.surveys, &version, &filters, options, None, &mut sink).await?;
    drop(sink);
    let zipped = tokio::task::spawn_blocking(move || -> Result<std::fs::File, AppError> {
        let mut csv = std::io::BufReader::new(csv_again);
        std::io::Seek::rewind(&mut csv)?;
        let mut zipped = package::zip(tempfile::tempfile()?, &descriptor, "responses.csv", &mut csv)?;
        std::io::Seek::rewind(&mut zipped)?;
        Ok(zipped)
    })
    .await??;
    // Fused, as the responses download's: the compression layer may poll once more after the end.
    let chunks = futures_util::stream::unfold(tokio::fs::File::from_std(zipped), |mut file| async move {
        let mut chunk = vec![0; 64 * 1024];
        match tokio::io::AsyncReadExt::read(&mut file, &mut chunk).await {
            Ok(0) => None,
            Ok(n) => {
                chunk.truncate(n);
                Some((Ok::<_, std::io::Error>(chunk), file))
            }
            Err(e) => Some((Err(e), file)),
        }
    });
    let body = Body::from_stream(futures_util::StreamExt::fuse(chunks));
    Ok(([(header::CONTENT_TYPE, "application/zip".to_owned()), zip_attachment(&state, &slug, "responses")], body)
        .into_response())
}

fn about<'a>(state: &'a AppState, slug: &'a str, title: &'a str) -> package::About<'a> {
    package::About {
        slug,
        title,
        council: &state.config.council_name,
        created: crate::clock::rfc3339(crate::db::now()),
    }
}

fn zip_attachment(state: &AppState, slug: &str, what: &str) -> (header::HeaderName, String) {
    (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{}\"", file_name(state, slug, what, "zip")))
}

/// Syntax for SPSS or GNU PSPP that reads today's responses download with its labels. It holds
/// the questions and options only, no answers, so it is not written to the audit log.
async fn spss_syntax(
    State(state): State<AppState>,
    AnalystUser(_): AnalystUser,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    syntax_file(&state, &slug, "sps", syntax::spss).await
}

/// The same for R.
async fn r_script(
    State(state): State<AppState>,
    AnalystUser(_): AnalystUser,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    syntax_file(&state, &slug, "R", syntax::r).await
}

async fn syntax_file(
    state: &AppState,
    slug: &str,
    extension: &str,
    write: fn(&[responses::Described], &str, &str) -> String,
) -> Result<Response, AppError> {
    let version = state.surveys.current(&state.db, slug).await?.ok_or(AppError::NotFound)?;
    let layout = responses::Layout::load(&state.db, &state.surveys, version.survey_id).await?;
    let text = write(&layout.described(), &file_name(state, slug, "responses", "csv"), &state.config.council_name);
    let disposition = format!("attachment; filename=\"{}\"", file_name(state, slug, "responses", extension));
    Ok((
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, disposition)],
        text,
    )
        .into_response())
}

/// The survey and filters an export asks for; the export is written to the audit log (who, what,
/// filters) before any of it is sent.
async fn begin(
    state: &AppState,
    user: &SignedIn,
    slug: &str,
    query: &FilterQuery,
    action: Event,
    mut details: serde_json::Value,
) -> Result<(crate::survey::SurveyVersion, Filters), AppError> {
    let version = state.surveys.current(&state.db, slug).await?.ok_or(AppError::NotFound)?;
    let filters = query.filters(&state.config.clock)?;
    details["filters"] = serde_json::to_value(&filters).map_err(AppError::from)?;
    crate::audit::record(&state.db.write, Some(user.id()), action, &format!("survey/{slug}"), None, Some(details))
        .await?;
    Ok((version, filters))
}

async fn summary_csv(
    State(state): State<AppState>,
    AnalystUser(user): AnalystUser,
    _: FromOwnPages,
    Path(slug): Path<String>,
    Query(query): Query<FilterQuery>,
) -> Result<Response, AppError> {
    let (_, summary, _, weighted) = summary_for(&state, &user, &slug, &query, "csv").await?;
    let bytes =
        summary::to_csv(&summary, weighted.as_ref(), flag(query.bom.as_deref(), true)?).map_err(AppError::from)?;
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), attachment(&state, &slug, "summary")], bytes)
        .into_response())
}

async fn responses_csv(
    State(state): State<AppState>,
    AnalystUser(user): AnalystUser,
    _: FromOwnPages,
    Path(slug): Path<String>,
    Query(query): Query<FilterQuery>,
) -> Result<Response, AppError> {
    let options = options(&query)?;
    // `labels_in=cy`: the labels in Welsh, where the survey has them.
    let labels_in = query.labels_in().map_err(AppError::BadRequest)?;
    let details = serde_json::json!({ "labels": options.labels, "redact": options.redact });
    let (version, filters) = begin(&state, &user, &slug, &query, Event::ExportResponses, details).await?;

    // A small bounded channel: the database cursor runs only as fast as the client reads.
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    let (db, catalogue) = (state.db.clone(), state.surveys.clone());
    tokio::spawn(async move {
        let mut sink = Sink::Channel(tx.clone());
        if let Err(e) =
            responses::write(&db, &catalogue, &version, &filters, options, labels_in.as_ref(), &mut sink).await
        {
            tracing::error!(error = ?e, "responses export failed part way");
            let _ = tx.send(Err(std::io::Error::other("export failed"))).await;
        }
    });
    // Fused: the compression layer may poll once more after the end.
    let chunks = futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|chunk| (chunk, rx)) });
    let body = Body::from_stream(futures_util::StreamExt::fuse(chunks));
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), attachment(&state, &slug, "responses")], body)
        .into_response())
}
