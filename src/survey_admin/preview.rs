//! Preview: any version, or the draft, one question at a time in the residents' own pages, with a
//! banner saying it is a preview. Nothing is stored: "Continue" only moves to the next question.

use super::pages::problems_from;
use super::store;
use crate::auth::AdminUser;
use crate::error::AppError;
use crate::paths::staff;
use crate::respond::pages::QuestionPage;
use crate::state::AppState;
use crate::survey::Survey;
use crate::ui::{Chrome, ErrorSummary, Page, render};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::*;
use serde::Deserialize;
use std::sync::Arc;

#[derive(Debug, Deserialize)]
pub struct Which {
    /// A version number, or `draft`.
    version: String,
    /// The question's position, from 0.
    q: Option<usize>,
}

fn here(slug: &str, version: &str, q: usize) -> String {
    staff::preview_question(&slug, version, q)
}

async fn survey_for(
    state: &AppState,
    slug: &str,
    version: &str,
) -> Result<Result<Arc<Survey>, crate::survey::DefinitionErrors>, AppError> {
    let listed = store::find(&state.db, slug).await?;
    if version == "draft" {
        let (definition, _) = store::draft(&state.db, listed.id).await?.ok_or(AppError::NotFound)?;
        return Ok(Survey::parse(definition).map(Arc::new));
    }
    let number: i64 = version.parse().map_err(|_| AppError::NotFound)?;
    let version = state.surveys.numbered(&state.db, listed.id, number).await?.ok_or(AppError::NotFound)?;
    Ok(Ok(version.survey))
}

pub async fn page(
    State(state): State<AppState>,
    AdminUser(_admin): AdminUser,
    Path(slug): Path<String>,
    Query(which): Query<Which>,
) -> Result<Response, AppError> {
    let manage = staff::manage(&slug);
    let survey = match survey_for(&state, &slug, &which.version).await? {
        Ok(survey) => survey,
        Err(errors) => return Ok(not_previewable(&state, manage, &errors)),
    };
    let at = which.q.unwrap_or(0);
    let total = survey.questions().len();
    let label = if which.version == "draft" { "the draft".to_owned() } else { format!("version {}", which.version) };
    let Some(question) = survey.questions().get(at).cloned() else {
        return Ok(end_of_preview(&state, &slug, &label, manage));
    };
    let banner = format!(
        "Preview of {label}, question {} of {total}: nothing is saved.{}",
        at + 1,
        shown_when(&survey, &question).unwrap_or_default()
    );
    let chrome = crate::ui::Chrome { banner: Some(banner), ..crate::respond::chrome(&state, &slug) };
    let action = here(&slug, &which.version, at + 1);
    let back = if at == 0 { manage } else { here(&slug, &which.version, at - 1) };
    let survey_title = survey.title().to_owned();
    Ok(render(chrome, StatusCode::OK, move || {
        view! { <QuestionPage survey_title question answer=None error=None action back /> }
    }))
}

/// A draft with problems: they are listed, each pointing at its question.
fn not_previewable(state: &AppState, manage: String, errors: &crate::survey::DefinitionErrors) -> Response {
    let problems = problems_from(errors);
    render(Chrome::council(&state.config), StatusCode::UNPROCESSABLE_ENTITY, move || {
        view! {
            <Page title="Error: The draft cannot be previewed yet".to_owned() back=manage>
                <ErrorSummary problems />
                <h1 class="heading-l">"The draft cannot be previewed yet"</h1>
            </Page>
        }
    })
}

/// After the last question, where residents would check their answers.
fn end_of_preview(state: &AppState, slug: &str, label: &str, manage: String) -> Response {
    let chrome = crate::ui::Chrome {
        banner: Some(format!("Preview of {label}: nothing is saved.")),
        ..crate::respond::chrome(state, slug)
    };
    render(chrome, StatusCode::OK, move || {
        view! {
            <Page title="End of the preview".to_owned()>
                <h1 class="heading-l">"End of the preview"</h1>
                <p class="body">"Residents would now check their answers and send them."</p>
                <p class="body">
                    <a class="link" href=manage>
                        "Back to the survey"
                    </a>
                </p>
            </Page>
        }
    })
}

/// For a question shown only after certain answers: which, in the admin's words.
fn shown_when(survey: &Survey, question: &crate::survey::Question) -> Option<String> {
    question.show_if.as_ref().map(|rule| {
        let earlier = &survey.questions()[rule.question];
        let answers: Vec<String> =
            rule.any_of.iter().map(|o| earlier.option(o).map_or(o.clone(), |c| c.label.clone())).collect();
        format!(" Only shown to people who answered {} to \u{201c}{}\u{201d}.", answers.join(" or "), earlier.text)
    })
}

/// "Continue" in a preview: on to the question the form points at, keeping nothing.
pub async fn next(AdminUser(_admin): AdminUser, Path(slug): Path<String>, Query(which): Query<Which>) -> Response {
    Redirect::to(&here(&slug, &which.version, which.q.unwrap_or(0))).into_response()
}
