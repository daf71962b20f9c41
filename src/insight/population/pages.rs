//! The admins' page for a survey's population figures, and the results' "who is still missing"
//! table built on them.

use super::{Margin, Shortfall, parse, store};
use crate::auth::{AdminUser, CSRF_FIELD, SignedIn, StaffForm, read_upload};
use crate::error::AppError;
use crate::insight::weighting::pages::{WeightingFields, WeightingForm};
use crate::paths::{Done, Notice, staff};
use crate::state::AppState;
use crate::survey::{Survey, SurveyVersion, thousands};
use crate::ui::{Chrome, ErrorSummary, NoFields, Notification, Page, Problem, ScrollingTable, UploadForm, render};
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
    let done = match notice.done {
        Some(Done::Uploaded) => Some("The population figures are saved: the results show who is missing by them."),
        Some(Done::Removed) => Some("The population figures are removed."),
        Some(Done::Saved) => Some("The weighting is saved."),
        _ => None,
    };
    show(&state, &admin, &version, StatusCode::OK, Vec::new(), done, None).await
}

pub async fn upload(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(slug): Path<String>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let version = current(&state, &slug).await?;
    let file = read_upload(&admin.session, multipart).await?;
    match parse(&version.survey, &file) {
        Ok(margins) => {
            store::replace(&state.db, admin.id(), version.survey_id, &slug, &margins).await?;
            Ok(Redirect::to(&Done::Uploaded.at(staff::population(&slug))).into_response())
        }
        Err(messages) => {
            let problems = messages.into_iter().map(|message| Problem { field: "file".into(), message }).collect();
            show(&state, &admin, &version, StatusCode::UNPROCESSABLE_ENTITY, problems, None, None).await
        }
    }
}

pub async fn remove(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(slug): Path<String>,
    StaffForm(_): StaffForm<NoFields>,
) -> Result<Response, AppError> {
    let version = current(&state, &slug).await?;
    store::replace(&state.db, admin.id(), version.survey_id, &slug, &[]).await?;
    Ok(Redirect::to(&Done::Removed.at(staff::population(&slug))).into_response())
}

pub(crate) async fn current(state: &AppState, slug: &str) -> Result<SurveyVersion, AppError> {
    state.surveys.current(&state.db, slug).await?.ok_or(AppError::NotFound)
}

/// The page, with `problems` from an upload or the weighting form (then `weighting` as it was
/// sent; else as saved).
pub(crate) async fn show(
    state: &AppState,
    admin: &SignedIn,
    version: &SurveyVersion,
    status: StatusCode,
    problems: Vec<Problem>,
    done: Option<&'static str>,
    weighting: Option<WeightingFields>,
) -> Result<Response, AppError> {
    let margins = store::margins(&state.db, version.survey_id).await?;
    let weighting = match weighting {
        Some(fields) => fields,
        None => WeightingFields::of(crate::insight::weighting::store::settings(&state.db, version.survey_id).await?),
    };
    let survey = version.survey.clone();
    let slug = survey.slug().to_owned();
    let csrf = admin.csrf.clone();
    let title = if problems.is_empty() { "Population" } else { "Error: Population" };
    Ok(render(Chrome::staff(&state.config, admin.nav()), status, move || {
        let tables = margins
            .iter()
            .map(|margin| view! { <MarginTable survey=survey.clone() margin=margin.clone() /> })
            .collect_view();
        view! {
            <Page title=title.to_owned()>
                <ErrorSummary problems=problems.clone() />
                <Notification text=done.map(str::to_owned) />
                <span class="caption-l">{survey.title().to_owned()}</span>
                <h1 class="heading-l">"Population"</h1>
                <p class="body">
                    "The borough's residents by the answers to the survey's about-you questions, from the Census tables. The results set who answered against them, to show who is still missing."
                </p>
                {if margins.is_empty() {
                    view! { <p class="body">"No population figures yet."</p> }.into_any()
                } else {
                    view! {
                        {tables}
                        <form method="post" action=staff::population_removal(&slug)>
                            <input type="hidden" name=CSRF_FIELD value=csrf.clone() />
                            <button type="submit" class="button button--warning">
                                "Remove the population figures"
                            </button>
                        </form>
                        <WeightingForm
                            slug=slug.clone()
                            csrf=csrf.clone()
                            fields=weighting.clone()
                            problems=problems.clone()
                        />
                    }
                        .into_any()
                }}
                <h2 class="heading-m">"Upload population figures"</h2>
                <p class="body">
                    "A CSV file with the columns question, option and population: one row for each answer of each question it covers (the ids are on the survey's page), leaving out \u{201c}Prefer not to say\u{201d}. Give 0 for an answer nobody in the borough would give. It replaces the figures there are now."
                </p>
                <pre class="code">
                    "question,option,population\nage_band,16_24,21340\nage_band,25_34,30100\n\u{2026}"
                </pre>
                <UploadForm
                    action=staff::population(&slug)
                    csrf=csrf.clone()
                    label="Population file"
                    accept=FILES
                    button="Check and save"
                />
            </Page>
        }
    }))
}

/// One question's population, each answer with its share.
#[component]
fn MarginTable(survey: std::sync::Arc<Survey>, margin: Margin) -> impl IntoView {
    let question = survey.question(&margin.question_id);
    let text = question.map_or_else(|| margin.question_id.clone(), |q| q.text.clone());
    let total: i64 = margin.people.iter().map(|(_, n)| n).sum();
    let rows = margin
        .people
        .into_iter()
        .map(|(id, people)| {
            let label = question.and_then(|q| q.option(&id)).map_or(id, |o| o.label.clone());
            let share = if total > 0 { people as f64 * 100.0 / total as f64 } else { 0.0 };
            view! {
                <tr>
                    <td>{label}</td>
                    <td class="numeric">{thousands(people as usize)}</td>
                    <td class="numeric">{format!("{share:.1}%")}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <ScrollingTable label=text columns=vec!["Answer", "Residents", "Share"] numeric_from=1>
            {rows}
        </ScrollingTable>
    }
}

/// Who is still missing: for each question with population figures, its answers' share of the
/// responses against their share of residents, most short first, so that officers can plan where
/// to take the survey next.
#[component]
pub fn WhoIsMissing(
    tables: Vec<(String, Vec<Shortfall>)>,
    /// Whether the survey has population figures (there may be none yet to set them against).
    uploaded: bool,
    slug: String,
    admin: bool,
) -> impl IntoView {
    let upload = admin.then(|| {
        view! {
            <a class="link" href=staff::population(&slug)>
                "Population figures"
            </a>
        }
    });
    if tables.is_empty() {
        let says = if uploaded {
            "Nobody in these results has given an answer the population figures cover yet. "
        } else {
            "With the borough's population by ward, age or another about-you question, this shows which groups are short in the answers. "
        };
        return view! {
            <h2 class="heading-m">"Who is still missing"</h2>
            <p class="body">{says} {upload}</p>
            <p class="body">
                <a class="link" href=staff::map(&slug)>
                    "Map by area"
                </a>
            </p>
        }
        .into_any();
    }
    let tables = tables
        .into_iter()
        .map(|(question, rows)| {
            let rows = rows.into_iter().map(|row| view! { <ShortfallRow row /> }).collect_view();
            view! {
                <ScrollingTable
                    label=format!("Who is missing: {question}")
                    columns=vec!["Answer", "Responses", "Share of responses", "Share of residents", "Short by"]
                    numeric_from=1
                >
                    {rows}
                </ScrollingTable>
            }
        })
        .collect_view();
    view! {
        <h2 class="heading-m">"Who is still missing"</h2>
        <p class="body">
            "Each answer's share of the people who gave one, against its share of the borough's residents. \u{201c}Short by\u{201d} is how many more people with that answer would make the responses like the borough, at the same number of responses: the groups to reach next come first."
        </p>
        {tables}
        <p class="body">
            <a class="link" href=staff::map(&slug)>
                "Map by area"
            </a>
            " \u{b7} "
            <a class="link" href=staff::LISTS>
                "Places officers take the survey"
            </a>
            " \u{b7} "
            <a class="link" href=staff::ASSIST>
                "Take a survey with a resident"
            </a>
            {upload
                .map(|link| {
                    view! {
                        " \u{b7} "
                        {link}
                    }
                })}
        </p>
    }
    .into_any()
}

#[component]
fn ShortfallRow(row: Shortfall) -> impl IntoView {
    let short = row.people.round() as i64;
    let short = match short {
        0 => "None".to_owned(),
        n if n > 0 => format!("{} people", thousands(n as usize)),
        n => format!("None ({} over)", thousands(n.unsigned_abs() as usize)),
    };
    view! {
        <tr>
            <td>{row.label}</td>
            <td class="numeric">{thousands(row.responses as usize)}</td>
            <td class="numeric">{format!("{:.1}%", row.response_share * 100.0)}</td>
            <td class="numeric">{format!("{:.1}%", row.population_share * 100.0)}</td>
            <td class="numeric">{short}</td>
        </tr>
    }
}
