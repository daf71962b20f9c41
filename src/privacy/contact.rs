//! "Would you like someone to contact you about help?" After sending their answers a resident is
//! asked first whether they agree to be contacted, and only if they say yes for their name and a
//! phone number or email address. The details are stored apart from the answers (nothing links
//! them), shown only to officers and admins, never exported, and deleted when the follow-up is
//! marked done or when the survey's retention period for them ends.

use super::store;
use crate::auth::account::parse_email;
use crate::auth::{CSRF_FIELD, OfficerOrAdminUser, StaffForm};
use crate::error::AppError;
use crate::fields;
use crate::paths::{Done, Notice, resident, staff};
use crate::respond::{self, Sent};
use crate::state::AppState;
use crate::survey::privacy as settings;
use crate::ui::{
    Chrome, ErrorMessage, ErrorSummary, Form, NoFields, Notification, Page, Problem, ScrollingTable, TextField,
    message_for, problems, render, trimmed,
};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::*;
use serde::Deserialize;
use validator::{Validate, ValidationError};

const MAX_PHONE: usize = 30;

/// The words a resident agrees to, stored with their details.
fn consent_text(council: &str, days: i64) -> String {
    format!(
        "I agree that {council} can use my name and contact details to contact me about help with getting online. \
         They are kept apart from my answers, seen only by the staff who contact me, and deleted once I have been \
         contacted, or after {days} days at the most."
    )
}

async fn consent_for(state: &AppState, survey_id: i64) -> Result<String, AppError> {
    let privacy = settings::load(&state.db, survey_id, &state.config.council_name).await?;
    Ok(consent_text(&state.config.council_name, privacy.contact_days))
}

fn page_title(problems: &[Problem], title: &str) -> String {
    if problems.is_empty() { title.to_owned() } else { format!("Error: {title}") }
}

fn consent_page(state: &AppState, sent: &Sent, consent: String, problems: Vec<Problem>) -> Response {
    let status = if problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let action = resident::contact(&sent.slug);
    let back = resident::done(&sent.slug);
    let error = problems.first().map(|p| p.message.clone());
    let title = page_title(&problems, "Would you like someone to contact you about help?");
    render(respond::chrome(state, &sent.slug), status, move || {
        view! {
            <Page title back>
                <ErrorSummary problems=problems.clone() />
                <form method="post" action=action novalidate>
                    <div class="form-group">
                        <fieldset class="fieldset" aria-describedby="consent-hint">
                            <legend class="fieldset__legend fieldset__legend--l">
                                <h1 class="fieldset__heading">"Would you like someone to contact you about help?"</h1>
                            </legend>
                            <div class="hint" id="consent-hint">
                                <p class="body">
                                    "A member of staff can phone or email you about help with getting online, such as free sessions, devices or data."
                                </p>
                                <p class="body">{consent}</p>
                            </div>
                            {error.map(|m| view! { <ErrorMessage id="consent-error".to_owned() message=m /> })}
                            <div class="radios">
                                <div class="radios__item">
                                    <input class="radios__input" id="consent" name="consent" type="radio" value="yes" />
                                    <label class="label radios__label" for="consent">
                                        "Yes, I agree to be contacted"
                                    </label>
                                </div>
                                <div class="radios__item">
                                    <input
                                        class="radios__input"
                                        id="consent-no"
                                        name="consent"
                                        type="radio"
                                        value="no"
                                    />
                                    <label class="label radios__label" for="consent-no">
                                        "No, thank you"
                                    </label>
                                </div>
                            </div>
                        </fieldset>
                    </div>
                    <button type="submit" class="button">
                        "Continue"
                    </button>
                </form>
            </Page>
        }
    })
}

pub async fn consent_form(State(state): State<AppState>, sent: Sent) -> Result<Response, AppError> {
    let consent = consent_for(&state, sent.survey_id).await?;
    Ok(consent_page(&state, &sent, consent, Vec::new()))
}

/// Whether the resident agrees to be contacted; nothing chosen is asked again.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Consent {
    consent: Option<String>,
}

pub async fn consent(
    State(state): State<AppState>,
    sent: Sent,
    Form(form): Form<Consent>,
) -> Result<Response, AppError> {
    match form.consent.as_deref() {
        Some("yes") => {
            // Kept on the server: the details form is only taken once this is recorded.
            store::agree_to_contact(&state.db, &sent.token_hash).await?;
            Ok(Redirect::to(&resident::contact_details(&sent.slug)).into_response())
        }
        Some("no") => Ok(Redirect::to(&resident::done(&sent.slug)).into_response()),
        _ => {
            let consent = consent_for(&state, sent.survey_id).await?;
            let problem =
                Problem { field: "consent".into(), message: "Select yes if you agree to be contacted, or no".into() };
            Ok(consent_page(&state, &sent, consent, vec![problem]))
        }
    }
}

/// Whether the resident on this draft has agreed to be contacted.
async fn agreed(state: &AppState, sent: &Sent) -> Result<bool, AppError> {
    store::has_agreed_to_contact(&state.db, &sent.token_hash).await
}

/// The contact details form: a name, and a phone number or an email address (or both).
#[derive(Debug, Default, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
pub struct Details {
    #[serde(default, deserialize_with = "trimmed")]
    #[validate(length(min = 1, max = 100, message = "Enter your name, in up to 100 characters"))]
    name: String,
    #[serde(default, deserialize_with = "trimmed")]
    #[validate(custom(
        function = "phone_number",
        message = "Enter a phone number, like 01642 526000 or 07700 900123"
    ))]
    phone: String,
    #[serde(default, deserialize_with = "trimmed")]
    #[validate(custom(
        function = "email_address",
        message = "Enter an email address in the correct format, like name@example.com"
    ))]
    email: String,
}

/// Blank, or a phone number.
fn phone_number(phone: &str) -> Result<(), ValidationError> {
    (phone.is_empty() || parse_phone(phone).is_some()).then_some(()).ok_or_else(|| ValidationError::new("phone"))
}

/// Blank, or an email address.
fn email_address(email: &str) -> Result<(), ValidationError> {
    (email.is_empty() || parse_email(email).is_some()).then_some(()).ok_or_else(|| ValidationError::new("email"))
}

fn details_page(state: &AppState, sent: &Sent, details: Details, problems: Vec<Problem>) -> Response {
    let status = if problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let action = resident::contact_details(&sent.slug);
    let back = resident::contact(&sent.slug);
    let error = |field: &str| message_for(&problems, field);
    let (name_error, phone_error, email_error) = (error("name"), error("phone"), error("email"));
    let title = page_title(&problems, "How can we contact you?");
    render(respond::chrome(state, &sent.slug), status, move || {
        view! {
            <Page title back>
                <ErrorSummary problems=problems.clone() />
                <h1 class="heading-l">"How can we contact you?"</h1>
                <p class="body">"Give your name, and a phone number or an email address, or both."</p>
                <form method="post" action=action novalidate>
                    <TextField
                        id="name"
                        label="Your name"
                        error=name_error
                        autocomplete="name"
                        no_spellcheck=true
                        value=details.name
                    />
                    <TextField
                        id="phone"
                        label="Phone number (optional)"
                        error=phone_error
                        kind="tel"
                        autocomplete="tel"
                        value=details.phone
                    />
                    <TextField
                        id="email"
                        label="Email address (optional)"
                        error=email_error
                        kind="email"
                        autocomplete="email"
                        no_spellcheck=true
                        value=details.email
                    />
                    <button type="submit" class="button">
                        "Send my details"
                    </button>
                </form>
            </Page>
        }
    })
}

pub async fn details_form(State(state): State<AppState>, sent: Sent) -> Result<Response, AppError> {
    if !agreed(&state, &sent).await? {
        return Ok(Redirect::to(&resident::contact(&sent.slug)).into_response());
    }
    Ok(details_page(&state, &sent, Details::default(), Vec::new()))
}

/// A phone number as people write one: digits, spaces, brackets, dashes and a leading plus, with
/// 10 to 15 digits.
fn parse_phone(input: &str) -> Option<String> {
    let digits = input.chars().filter(char::is_ascii_digit).count();
    let allowed =
        input.chars().enumerate().all(|(i, c)| c.is_ascii_digit() || " ()-".contains(c) || (c == '+' && i == 0));
    (allowed && (10..=15).contains(&digits) && input.chars().count() <= MAX_PHONE).then(|| input.to_owned())
}

pub async fn save_details(
    State(state): State<AppState>,
    sent: Sent,
    Form(details): Form<Details>,
) -> Result<Response, AppError> {
    // No consent, no details.
    if !agreed(&state, &sent).await? {
        return Ok(Redirect::to(&resident::contact(&sent.slug)).into_response());
    }
    let mut problems =
        details.validate().err().map(|e| problems(&e, fields!(details; name, phone, email))).unwrap_or_default();
    if details.phone.is_empty() && details.email.is_empty() {
        problems.push(Problem {
            field: "phone".into(),
            message: "Enter a phone number or an email address, so we can contact you".into(),
        });
    }
    if !problems.is_empty() {
        return Ok(details_page(&state, &sent, details, problems));
    }
    let phone = parse_phone(&details.phone).unwrap_or_default();
    let email = parse_email(&details.email).unwrap_or_default();
    let consent = consent_for(&state, sent.survey_id).await?;
    let request = store::ContactRequest {
        survey_id: sent.survey_id,
        name: &details.name,
        phone: &phone,
        email: &email,
        consent: &consent,
    };
    // Only the day: an exact time could be matched to the answers sent just before.
    store::request_contact(&state.db, &request, state.config.clock.start_of(state.config.clock.today())).await?;
    Ok(Redirect::to(&resident::contact_thanks(&sent.slug)).into_response())
}

pub async fn thanks(State(state): State<AppState>, sent: Sent) -> Result<Response, AppError> {
    let privacy = settings::load(&state.db, sent.survey_id, &state.config.council_name).await?;
    let days = privacy.contact_days;
    Ok(render(respond::chrome(&state, &sent.slug), StatusCode::OK, move || {
        view! {
            <Page title="We will contact you".to_owned()>
                <h1 class="heading-l">"We will contact you"</h1>
                <p class="body">"A member of staff will phone or email you about help with getting online."</p>
                <p class="body">
                    {format!("We delete your details once we have contacted you, or after {days} days at the most.")}
                </p>
            </Page>
        }
    }))
}

// ---- Staff --------------------------------------------------------------------------------------

pub async fn list(
    State(state): State<AppState>,
    OfficerOrAdminUser(user): OfficerOrAdminUser,
    Query(notice): Query<Notice>,
) -> Result<Response, AppError> {
    let rows = store::contact_requests(&state.db).await?;
    let csrf = user.csrf.clone();
    let done = notice.done == Some(Done::Contacted);
    let clock = state.config.clock.clone();
    Ok(render(Chrome::staff(&state.config, user.nav()), StatusCode::OK, move || {
        let rows = rows
            .into_iter()
            .map(|store::WaitingContact { id, slug, name, phone, email, created_at: at }| {
                view! {
                    <tr>
                        <td>{clock.day_of(at).to_string()}</td>
                        <td>{name.clone()}</td>
                        <td>{phone}</td>
                        <td class="prose">{email}</td>
                        <td>{slug}</td>
                        <td>
                            <form method="post" action=staff::contact_done(id) class="inline-form">
                                <input type="hidden" name=CSRF_FIELD value=csrf.clone() />
                                <button type="submit" class="link-button">
                                    "Done: delete"
                                    <span class="visually-hidden">{format!(" the details of {name}")}</span>
                                </button>
                            </form>
                        </td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <Page title="Residents to contact".to_owned()>
                <Notification text=done.then(|| "Marked done. Their details have been deleted.".to_owned()) />
                <h1 class="heading-l">"Residents to contact"</h1>
                <p class="body">
                    "Residents who agreed to be contacted about help, oldest first. When you have contacted someone, mark it done: their details are deleted straight away. Do not copy them anywhere else."
                </p>
                <ScrollingTable
                    label="Residents to contact, oldest first".to_owned()
                    columns=vec!["Asked", "Name", "Phone", "Email", "Survey", "Action"]
                >
                    {rows}
                </ScrollingTable>
            </Page>
        }
    }))
}

pub async fn done(
    State(state): State<AppState>,
    OfficerOrAdminUser(user): OfficerOrAdminUser,
    Path(id): Path<i64>,
    _: StaffForm<NoFields>,
) -> Result<Response, AppError> {
    if !store::contact_done(&state.db, user.id(), id).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to(&Done::Contacted.at(staff::CONTACTS)).into_response())
}

#[cfg(test)]
mod tests {
    use super::parse_phone;

    #[test]
    fn phone_numbers_as_people_write_them() {
        assert!(parse_phone("01642 526000").is_some());
        assert!(parse_phone("+44 (0)7700 900123").is_some());
        assert!(parse_phone("07700-900-123").is_some());
        assert!(parse_phone("12345").is_none());
        assert!(parse_phone("call me 07700 900123").is_none());
        assert!(parse_phone("0770+0900123").is_none());
    }
}
