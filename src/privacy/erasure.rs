//! Removing a response, and showing one to the person it belongs to (subject access).
//!
//! A resident removes their own answers at `/s/{slug}/remove` with their reference. Whether or not
//! the reference exists, the page says the same thing, so nobody can use it to find out which
//! references exist; attempts are limited per address. Officers and admins remove a response on a
//! resident's behalf, and admins can download one response, at `/staff/responses`.

use super::store;
use crate::audit;
use crate::audit::Event;
use crate::auth::account::Role;
use crate::auth::session::FromOwnPages;
use crate::auth::{CSRF_FIELD, OfficerOrAdminUser, SignedIn, StaffForm};
use crate::clock::CouncilTime;
use crate::error::AppError;
use crate::paths::{Done, resident, staff};
use crate::responses::reference;
use crate::state::AppState;
use crate::throttle::{self, ClientAddress, Guarded};
use crate::ui::{
    Chrome, ErrorSummary, Field, Form, NoFields, Notification, Page, Problem, ScrollingTable, described_by, render,
};
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::*;
use serde::Deserialize;

/// Removal attempts allowed from one address in the throttle's window.
const ATTEMPTS_PER_ADDRESS: i64 = 10;
/// And from everyone together, as for return codes (see [`throttle::guess`]).
const ATTEMPTS_IN_TOTAL: i64 = 300;

/// The resident's page: a reference to type, or the same confirmation whatever was typed.
fn resident_page(
    state: &AppState,
    slug: &str,
    status: StatusCode,
    typed: String,
    problem: Option<String>,
    done: bool,
) -> Response {
    let action = resident::remove(&slug);
    let back = resident::start_page(&slug);
    let title = if problem.is_some() { "Error: Remove your answers" } else { "Remove your answers" };
    render(crate::respond::chrome(state, slug), status, move || {
        let problems: Vec<Problem> =
            problem.iter().map(|m| Problem { field: "reference".into(), message: m.clone() }).collect();
        view! {
            <Page title=title.to_owned() back>
                <ErrorSummary problems />
                {if done {
                    view! {
                        <h1 class="heading-l">"Your request has been dealt with"</h1>
                        <p class="body">
                            "If the reference matched answers you sent, they have now been removed, and cannot be brought back."
                        </p>
                        <p class="body">
                            "If you are not sure you typed it correctly, you can try again, or ask a member of staff to help."
                        </p>
                    }
                        .into_any()
                } else {
                    view! {
                        <h1 class="heading-l">"Remove your answers"</h1>
                        <p class="body">
                            "Type the reference you were given when you sent your answers. We will remove your answers straight away. This cannot be undone."
                        </p>
                        <form method="post" action=action novalidate>
                            <ReferenceField
                                label="Your reference"
                                hint="8 letters and numbers, like 7KQ4 M2XD."
                                error=problem.clone()
                                typed
                            />
                            <button type="submit" class="button button--warning">
                                "Remove my answers"
                            </button>
                        </form>
                    }
                        .into_any()
                }}
            </Page>
        }
    })
}

pub async fn remove_page(State(state): State<AppState>, Path(slug): Path<String>) -> Result<Response, AppError> {
    state.surveys.current(&state.db, &slug).await?.ok_or(AppError::NotFound)?;
    Ok(resident_page(&state, &slug, StatusCode::OK, String::new(), None, false))
}

/// The removal form: the reference the resident was given.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Removal {
    #[serde(default)]
    reference: String,
}

pub async fn remove(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    address: ClientAddress,
    Form(form): Form<Removal>,
) -> Result<Response, AppError> {
    state.surveys.current(&state.db, &slug).await?.ok_or(AppError::NotFound)?;
    let typed = form.reference;
    let Some(reference) = reference::parse(&typed) else {
        let message = "Enter your reference: 8 letters and numbers, like 7KQ4 M2XD".to_owned();
        return Ok(resident_page(&state, &slug, StatusCode::UNPROCESSABLE_ENTITY, typed, Some(message), false));
    };
    // Every removal counts, found or not: whether it was found must not show.
    throttle::guess(&state.db, Guarded::Removal, &address, ATTEMPTS_PER_ADDRESS, ATTEMPTS_IN_TOTAL).await?.fail();
    store::erase_by_reference(&state.db, &state.surveys, &state.key, &reference, None).await?;
    // The same page whether or not the reference existed.
    Ok(resident_page(&state, &slug, StatusCode::OK, String::new(), None, true))
}

// ---- Staff --------------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
pub struct Lookup {
    reference: Option<String>,
    done: Option<Done>,
}

/// One stored response, for the person it belongs to.
struct Found {
    reference: String,
    survey: String,
    version: i64,
    submitted_at: i64,
    channel: String,
    /// (question id, question, answer id, answer, text)
    answers: Vec<[String; 5]>,
}

async fn find(state: &AppState, reference: &str) -> Result<Option<Found>, AppError> {
    let Some(found) = store::response_by_reference(&state.db, reference).await? else { return Ok(None) };
    let version = state.surveys.version(&state.db, found.survey_version_id).await?;
    let rows = crate::responses::store::answers_of(&state.db, found.id).await?;
    let survey = &version.survey;
    // In survey order, with the words the resident saw.
    let mut answers = Vec::new();
    for q in survey.questions() {
        for row in rows.iter().filter(|row| row.question_id == q.id) {
            let option = q.option(&row.option_id).map(|o| o.label.clone()).unwrap_or_default();
            let text = row.text.clone().unwrap_or_default();
            answers.push([row.question_id.clone(), q.text.clone(), row.option_id.clone(), option, text]);
        }
    }
    Ok(Some(Found {
        reference: found.reference,
        survey: found.slug,
        version: found.version,
        submitted_at: found.submitted_at,
        channel: found.channel,
        answers,
    }))
}

pub async fn lookup_page(
    State(state): State<AppState>,
    OfficerOrAdminUser(user): OfficerOrAdminUser,
    _: FromOwnPages,
    Query(lookup): Query<Lookup>,
) -> Result<Response, AppError> {
    let typed = lookup.reference.clone().unwrap_or_default();
    let (reference, problem) = match lookup.reference.as_deref().filter(|r| !r.trim().is_empty()) {
        None => (None, None),
        Some(r) => match reference::parse(r) {
            Some(r) => (Some(r), None),
            None => (None, Some("Enter a reference: 8 letters and numbers".to_owned())),
        },
    };
    let found = match &reference {
        Some(r) => find(&state, r).await?,
        None => None,
    };
    if let (Some(found), true) = (&found, user.staff.roles.has(Role::Admin)) {
        audit::record(
            &state.db.write,
            Some(user.id()),
            Event::ResponseSubjectAccess,
            &format!("response/{}", found.reference),
            None,
            None,
        )
        .await?;
    }
    Ok(staff_page(&state, &user, typed, reference, problem, found, lookup.done == Some(Done::Erased)))
}

fn staff_page(
    state: &AppState,
    user: &SignedIn,
    typed: String,
    reference: Option<String>,
    problem: Option<String>,
    found: Option<Found>,
    erased: bool,
) -> Response {
    let admin = user.staff.roles.has(Role::Admin);
    let csrf = user.csrf.clone();
    let status = if problem.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let title = if problem.is_some() { "Error: Find a response" } else { "Find a response" };
    let clock = state.config.clock.clone();
    render(Chrome::staff(&state.config, user.nav()), status, move || {
        let problems: Vec<Problem> =
            problem.iter().map(|m| Problem { field: "reference".into(), message: m.clone() }).collect();
        let result = match (reference, found) {
            (Some(r), None) => {
                Some(view! { <p class="body">{format!("There is no response with the reference {r}.")}</p> }.into_any())
            }
            (_, Some(found)) => {
                Some(view! { <FoundResponse found admin csrf=csrf.clone() clock=clock.clone() /> }.into_any())
            }
            (None, None) => None,
        };
        view! {
            <Page title=title.to_owned()>
                <ErrorSummary problems />
                <Notification text=erased.then(|| "The response has been removed.".to_owned()) />
                <h1 class="heading-l">"Find a response"</h1>
                <p class="body">
                    "For a resident who asks to see or remove their answers. Ask them for the reference they were given."
                </p>
                <form method="get" action=staff::RESPONSES>
                    <ReferenceField label="Reference" error=problem typed=typed.clone() />
                    <button type="submit" class="button button--secondary">
                        "Find"
                    </button>
                </form>
                {result}
            </Page>
        }
    })
}

/// A response found by its reference: when and how it was sent, its answers (admins only) and
/// the button that removes it.
#[component]
fn FoundResponse(found: Found, admin: bool, csrf: String, clock: CouncilTime) -> impl IntoView {
    let reference = found.reference.clone();
    let rows = found
        .answers
        .into_iter()
        .map(|[_, question, _, option, text]| {
            view! {
                <tr>
                    <td>{question}</td>
                    <td>{option}</td>
                    <td class="prose">{text}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h2 class="heading-m">{format!("Response {}", found.reference)}</h2>
        <p class="body">
            {format!(
                "Survey {}, version {}, sent {} by {}.",
                found.survey,
                found.version,
                clock.format_time(found.submitted_at),
                found.channel,
            )}
        </p>
        {admin
            .then(|| {
                view! {
                    <p class="body">
                        <a class="link" href=staff::response_file(&reference, "csv")>
                            "Download this response (CSV)"
                        </a>
                        " \u{b7} "
                        <a class="link" href=staff::response_file(&reference, "json")>
                            "Download this response (JSON)"
                        </a>
                    </p>
                    <ScrollingTable
                        label="The answers in this response".to_owned()
                        columns=vec!["Question", "Answer", "In their own words"]
                    >
                        {rows}
                    </ScrollingTable>
                }
            })}
        <form method="post" action=staff::erase_response(&reference)>
            <input type="hidden" name=CSRF_FIELD value=csrf.clone() />
            <button type="submit" class="button button--warning">
                {format!("Remove response {}", found.reference)}
            </button>
        </form>
    }
}

pub async fn erase_for_resident(
    State(state): State<AppState>,
    OfficerOrAdminUser(user): OfficerOrAdminUser,
    Path(reference): Path<String>,
    _: StaffForm<NoFields>,
) -> Result<Response, AppError> {
    let reference = reference::parse(&reference).ok_or(AppError::NotFound)?;
    if !store::erase_by_reference(&state.db, &state.surveys, &state.key, &reference, Some(user.id())).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to(&Done::Erased.at(staff::RESPONSES)).into_response())
}

/// One response, as CSV (the responses export's columns) or JSON, for the resident who asked.
pub async fn download(
    State(state): State<AppState>,
    crate::auth::AdminUser(admin): crate::auth::AdminUser,
    _: FromOwnPages,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let (reference, format) = file.rsplit_once('.').ok_or(AppError::NotFound)?;
    let reference = reference::parse(reference).ok_or(AppError::NotFound)?;
    let found = find(&state, &reference).await?.ok_or(AppError::NotFound)?;
    audit::record(
        &state.db.write,
        Some(admin.id()),
        Event::ResponseSubjectAccess,
        &format!("response/{reference}"),
        None,
        Some(serde_json::json!({ "format": format })),
    )
    .await?;
    let (content_type, body) = match format {
        "json" => {
            let answers: Vec<serde_json::Value> = found
                .answers
                .iter()
                .map(|[qid, question, oid, option, text]| serde_json::json!({ "question_id": qid, "question": question, "option_id": oid, "option": option, "text": text }))
                .collect();
            let body = serde_json::json!({
                "reference": found.reference,
                "survey": found.survey,
                "survey_version": found.version,
                "submitted_at": state.config.clock.format_time(found.submitted_at),
                "channel": found.channel,
                "answers": answers,
            });
            ("application/json", serde_json::to_vec_pretty(&body).map_err(AppError::from)?)
        }
        "csv" => {
            let version = state.surveys.current(&state.db, &found.survey).await?.ok_or(AppError::NotFound)?;
            let filters =
                crate::responses::filters::Filters { reference: Some(reference.clone()), ..Default::default() };
            let (tx, mut rx) = tokio::sync::mpsc::channel(4);
            let options = crate::export::Options { labels: true, bom: true, ..Default::default() };
            let mut sink = crate::export::Sink::Channel(tx);
            let (db, catalogue) = (state.db.clone(), state.surveys.clone());
            let writer = tokio::spawn(async move {
                crate::export::responses::write(&db, &catalogue, &version, &filters, options, None, &mut sink).await
            });
            let mut body = Vec::new();
            while let Some(chunk) = rx.recv().await {
                body.extend(chunk.map_err(AppError::from)?);
            }
            writer.await.map_err(AppError::from)??;
            ("text/csv; charset=utf-8", body)
        }
        _ => return Err(AppError::NotFound),
    };
    let disposition = format!("attachment; filename=\"response-{reference}.{format}\"");
    Ok(([(header::CONTENT_TYPE, content_type.to_owned()), (header::CONTENT_DISPOSITION, disposition)], body)
        .into_response())
}

/// Where a reference is typed: letters and numbers a spell checker would only mark wrong, shown in
/// capitals as they were given.
#[component]
fn ReferenceField(
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    error: Option<String>,
    typed: String,
) -> impl IntoView {
    let described = described_by("reference", hint.is_some(), error.is_some());
    view! {
        <Field id="reference" label hint=hint.map(str::to_owned) error>
            <input
                class="input input--reference"
                id="reference"
                name="reference"
                type="text"
                autocomplete="off"
                spellcheck="false"
                autocapitalize="characters"
                aria-describedby=described
                value=typed
            />
        </Field>
    }
}
