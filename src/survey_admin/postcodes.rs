//! The admins' page for a survey's postcode-to-ward lookup: how many postcodes it has, and an
//! upload that replaces it whole (in the audit log, with how many there were and are).

use super::store;
use crate::auth::{AdminUser, SignedIn, read_upload};
use crate::error::AppError;
use crate::paths::{Done, Notice, staff};
use crate::state::AppState;
use crate::survey::postcodes::{self, filled};
use crate::survey::{SurveyVersion, thousands};
use crate::ui::{Chrome, ErrorSummary, Notification, Page, Problem, UploadForm, render};
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::*;

const FILES: &str = ".csv,text/csv";

pub async fn page(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(slug): Path<String>,
    Query(notice): Query<Notice>,
) -> Result<Response, AppError> {
    let version = current(&state, &slug).await?;
    let done = matches!(notice.done, Some(Done::Uploaded)).then_some("The postcode lookup is saved.");
    show(&state, &admin, &version, StatusCode::OK, Vec::new(), done).await
}

pub async fn upload(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(slug): Path<String>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let version = current(&state, &slug).await?;
    let file = read_upload(&admin.session, multipart).await?;
    let Some(ward) = filled(&version.survey) else {
        let problem =
            "The survey has no postcode question that fills a ward question: add one (fills = \"ward\") first.";
        return show(&state, &admin, &version, StatusCode::UNPROCESSABLE_ENTITY, vec![problem.to_owned()], None).await;
    };
    match postcodes::parse(ward, &file) {
        Ok(wards) => {
            store::replace_postcodes(&state.db, admin.id(), version.survey_id, &slug, &wards).await?;
            Ok(Redirect::to(&Done::Uploaded.at(staff::postcodes(&slug))).into_response())
        }
        Err(problems) => show(&state, &admin, &version, StatusCode::UNPROCESSABLE_ENTITY, problems, None).await,
    }
}

async fn current(state: &AppState, slug: &str) -> Result<SurveyVersion, AppError> {
    state.surveys.current(&state.db, slug).await?.ok_or(AppError::NotFound)
}

async fn show(
    state: &AppState,
    admin: &SignedIn,
    version: &SurveyVersion,
    status: StatusCode,
    problems: Vec<String>,
    done: Option<&'static str>,
) -> Result<Response, AppError> {
    let count = postcodes::count(&state.db, version.survey_id).await?;
    let survey = version.survey.clone();
    let ward = filled(&survey).map(|q| q.text.clone());
    let slug = survey.slug().to_owned();
    let csrf = admin.csrf.clone();
    let problems: Vec<Problem> =
        problems.into_iter().map(|message| Problem { field: "file".into(), message }).collect();
    let title = if problems.is_empty() { "Postcodes" } else { "Error: Postcodes" };
    Ok(render(Chrome::staff(&state.config, admin.nav()), status, move || {
        let has = match (&ward, count) {
            (None, _) => "The survey has no postcode question that fills a ward question.".to_owned(),
            (Some(_), 0) => "No postcodes yet: residents choose their ward from the list.".to_owned(),
            (Some(_), n) => format!("{} postcodes, each with its ward.", thousands(n as usize)),
        };
        view! {
            <Page title=title.to_owned()>
                <ErrorSummary problems=problems.clone() />
                <Notification text=done.map(str::to_owned) />
                <span class="caption-l">{survey.title().to_owned()}</span>
                <h1 class="heading-l">"Postcodes"</h1>
                <p class="body">
                    "A resident who gives their postcode has their ward chosen from this list, to check and change. The postcode itself is never kept whole."
                </p>
                <p class="body">{has}</p>
                <h2 class="heading-m">"Upload the postcode lookup"</h2>
                <p class="body">
                    {format!(
                        "A CSV file: the borough's rows of the ONS Postcode Directory (its pcds and osward columns), or two columns, postcode and ward. Each ward is matched to an answer of \u{201c}{}\u{201d} by its id or its words. It replaces the lookup there is now; answers already given keep their ward.",
                        ward.clone().unwrap_or_default(),
                    )}
                </p>
                <pre class="code">"postcode,ward\nTS18 1AU,Stockton Town Centre\n\u{2026}"</pre>
                <UploadForm
                    action=staff::postcodes(&slug)
                    csrf=csrf.clone()
                    label="Postcode lookup file"
                    accept=FILES
                    button="Check and save"
                />
            </Page>
        }
    }))
}
