//! An officer's own recent entries: record the help they gave, and correct an entry within the
//! correction window. Officers see only their own entries.

use super::store;
use crate::auth::{CSRF_FIELD, OfficerUser, SignedIn, StaffForm};
use crate::db::now;
use crate::error::AppError;
use crate::paths::staff;
use crate::respond::{self, Attribution, paths};
use crate::responses::store::StoredAnswer;
use crate::state::AppState;
use crate::survey::lists::{List, active_items};
use crate::survey::{Answer, Kind, Progress, Route};
use crate::ui::{Chrome, ErrorSummary, Fieldset, NoFields, Page, Problem, ScrollingTable, TextField, render};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use leptos::prelude::*;
use serde::Deserialize;
use std::collections::BTreeMap;

const RECENT_SECS: i64 = 24 * 3600;

#[derive(Debug, Clone)]
pub struct Entry {
    reference: String,
    at: i64,
    channel: String,
    location: Option<String>,
    correctable: bool,
}

pub async fn entries(state: &AppState, officer_id: i64) -> Result<Vec<Entry>, AppError> {
    let window_start = now() - state.config.correction_window_secs();
    let rows = store::recent_entries(&state.db, officer_id, now() - RECENT_SECS).await?;
    Ok(rows
        .into_iter()
        .map(|row| Entry {
            correctable: row.submitted_at > window_start,
            reference: row.reference,
            at: row.submitted_at,
            channel: row.channel,
            location: row.label,
        })
        .collect())
}

pub fn table(entries: Vec<Entry>, csrf: String, clock: crate::clock::CouncilTime) -> impl IntoView {
    let rows = entries
        .into_iter()
        .map(|e| {
            let correct = e.correctable.then(|| {
                view! {
                    <form method="post" action=staff::correct(&e.reference) class="inline-form">
                        <input type="hidden" name=CSRF_FIELD value=csrf.clone() />
                        <button type="submit" class="link-button">
                            "Correct"
                            <span class="visually-hidden">{format!(" {}", e.reference)}</span>
                        </button>
                    </form>
                }
            });
            view! {
                <tr>
                    <td>{e.reference.clone()}</td>
                    <td>{clock.format_time(e.at)}</td>
                    <td>{crate::survey::channel_label(&e.channel)}</td>
                    <td>{e.location.unwrap_or_default()}</td>
                    <td>
                        <a class="link" href=staff::help_given(&e.reference)>
                            "Record help"
                            <span class="visually-hidden">{format!(" for {}", e.reference)}</span>
                        </a>
                        " "
                        {correct}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h2 class="heading-m">"Your entries in the last 24 hours"</h2>
        <ScrollingTable
            label="Your entries in the last 24 hours".to_owned()
            columns=vec!["Reference", "Sent (UTC)", "Channel", "Location", "Actions"]
        >
            {rows}
        </ScrollingTable>
    }
}

/// One of the officer's own responses, by reference. Anyone else's is "not found".
async fn own(state: &AppState, officer: &SignedIn, reference: &str) -> Result<store::Own, AppError> {
    let reference = crate::responses::reference::parse(reference).ok_or(AppError::NotFound)?;
    store::own_response(&state.db, officer.id(), &reference).await?.ok_or(AppError::NotFound)
}

/// Reopens one of the officer's own responses on the check-answers page; sending it replaces the
/// answers (audited with before and after). Only within the correction window.
pub async fn correct(
    State(state): State<AppState>,
    OfficerUser(officer): OfficerUser,
    Path(reference): Path<String>,
    jar: CookieJar,
    _: StaffForm<NoFields>,
) -> Result<Response, AppError> {
    let response = own(&state, &officer, &reference).await?;
    if response.submitted_at <= now() - state.config.correction_window_secs() {
        return Err(AppError::BadRequest(crate::auth::TOO_OLD_TO_CORRECT.into()));
    }
    let version = state.surveys.version(&state.db, response.survey_version_id).await?;
    let rows = crate::responses::store::answers_of(&state.db, response.id).await?;
    let mut progress = Progress { answers: answers_from_rows(&version.survey, rows), ..Progress::default() };
    let seen: Vec<String> = Route::new(&version.survey, &progress).shown_questions().map(|q| q.id.clone()).collect();
    progress.seen.extend(seen);
    let attribution = Attribution {
        officer_id: Some(officer.id()),
        channel: response.channel,
        location_id: response.location_id,
        corrects_response_id: Some(response.id),
        officer_session: officer.session_id(),
    };
    let to = paths::check(version.survey.slug());
    respond::hand_over(&state, jar, &version, &attribution, &progress, &to).await
}

/// Stored answer rows back into answers, in survey order.
fn answers_from_rows(survey: &crate::survey::Survey, rows: Vec<StoredAnswer>) -> BTreeMap<String, Answer> {
    let mut answers = BTreeMap::new();
    for q in survey.questions() {
        let mine: Vec<&StoredAnswer> = rows.iter().filter(|row| row.question_id == q.id).collect();
        if mine.is_empty() {
            continue;
        }
        let answer = match q.kind {
            Kind::Single | Kind::Scale => Answer::Choice(mine[0].option_id.clone()),
            Kind::Multiple => Answer::Choices {
                selected: q
                    .options
                    .iter()
                    .filter(|o| mine.iter().any(|row| row.option_id == o.id))
                    .map(|o| o.id.clone())
                    .collect(),
                other: mine.iter().find_map(|row| row.text.clone()),
            },
            Kind::ShortText | Kind::LongText | Kind::Postcode => Answer::Text(mine[0].text.clone().unwrap_or_default()),
            // Stored as the value itself, as the running totals count it.
            Kind::WholeNumber | Kind::Decimal | Kind::Date => Answer::Text(mine[0].option_id.clone()),
            Kind::Note => continue,
        };
        answers.insert(q.id.clone(), answer);
    }
    answers
}

pub async fn help_page(
    State(state): State<AppState>,
    OfficerUser(officer): OfficerUser,
    Path(reference): Path<String>,
) -> Result<Response, AppError> {
    let response = own(&state, &officer, &reference).await?;
    show_help(&state, &officer, response.reference, StatusCode::OK, None).await
}

async fn show_help(
    state: &AppState,
    officer: &SignedIn,
    reference: String,
    status: StatusCode,
    error: Option<String>,
) -> Result<Response, AppError> {
    let help = active_items(&state.db, List::Help).await?;
    let csrf = officer.csrf.clone();
    let problems: Vec<Problem> = error.iter().map(|m| Problem { field: "help".into(), message: m.clone() }).collect();
    let title = format!("{}Help given for {reference}", if error.is_some() { "Error: " } else { "" });
    Ok(render(Chrome::staff(&state.config, officer.nav()), status, move || {
        let boxes = help
            .into_iter()
            .enumerate()
            .map(|(i, item)| {
                let id = if i == 0 { "help".to_owned() } else { format!("help-{}", i + 1) };
                view! {
                    <div class="checkboxes__item">
                        <input
                            class="checkboxes__input"
                            id=id.clone()
                            name="help"
                            type="checkbox"
                            value=item.id.to_string()
                        />
                        <label class="label checkboxes__label" for=id>
                            {item.label}
                        </label>
                    </div>
                }
            })
            .collect_view();
        view! {
            <Page title back=staff::ASSIST.to_owned()>
                <ErrorSummary problems />
                <h1 class="heading-l">{format!("Help given for {reference}")}</h1>
                <form method="post" action=staff::help_given(&reference)>
                    <input type="hidden" name=CSRF_FIELD value=csrf />
                    <Fieldset legend="What help did you give?" size="m" error_id="help" error>
                        <div class="checkboxes">{boxes}</div>
                    </Fieldset>
                    <TextField id="other" label="Other help (optional)" />
                    <button type="submit" class="button">
                        "Save help given"
                    </button>
                </form>
            </Page>
        }
    }))
}

/// The help an officer gave: items from the list, and anything else in words.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HelpGiven {
    #[serde(default)]
    help: Vec<String>,
    #[serde(default)]
    other: String,
}

pub async fn record_help(
    State(state): State<AppState>,
    OfficerUser(officer): OfficerUser,
    Path(reference): Path<String>,
    StaffForm(form): StaffForm<HelpGiven>,
) -> Result<Response, AppError> {
    let response = own(&state, &officer, &reference).await?;
    let available = active_items(&state.db, List::Help).await?;
    let chosen: Option<Vec<i64>> =
        form.help.iter().map(|v| v.parse().ok().filter(|id| available.iter().any(|a| a.id == *id))).collect();
    let other = crate::survey::clean_text(&form.other);
    let problem = match &chosen {
        None => Some("Select from the help shown"),
        Some(c) if c.is_empty() && other.is_empty() => Some("Select the help you gave, or describe it"),
        _ if other.chars().count() > 500 => Some("Other help must be 500 characters or fewer"),
        _ => None,
    };
    if let Some(message) = problem {
        return show_help(&state, &officer, response.reference, StatusCode::UNPROCESSABLE_ENTITY, Some(message.into()))
            .await;
    }
    let help = store::HelpGiven { chosen: chosen.unwrap_or_default(), other };
    store::record_help(&state.db, officer.id(), &response, &help).await?;
    Ok(Redirect::to(staff::ASSIST).into_response())
}
