//! The page at `/staff/surveys/{slug}/privacy` where admins change a survey's privacy settings
//! ([`crate::survey::privacy`]).

use crate::auth::{AdminUser, CSRF_FIELD, SignedIn, StaffForm};
use crate::error::AppError;
use crate::fields;
use crate::paths::{Done, Notice, resident, staff};
use crate::state::AppState;
use crate::survey::privacy::{CONTACT_DAYS, DRAFT_DAYS, Privacy, RESPONSE_MONTHS, load};
use crate::ui::{
    Chrome, ErrorSummary, Notification, Page, Problem, TextArea, TextField, message_for, problems, render, trimmed,
    trimmed_text,
};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::*;
use serde::Deserialize;
use std::ops::RangeInclusive;
use validator::{Validate, ValidationError};

/// The settings form. Periods stay text until checked, so a mistyped one is shown again as typed.
#[derive(Debug, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
pub struct SettingsForm {
    #[serde(default, deserialize_with = "trimmed_text")]
    #[validate(length(max = 20000, message = "The privacy notice must be 20000 characters or fewer"))]
    notice: String,
    #[serde(default, deserialize_with = "trimmed")]
    #[validate(length(
        min = 1,
        max = 500,
        message = "Enter how to contact the data protection officer, in up to 500 characters"
    ))]
    contact: String,
    #[serde(default, deserialize_with = "trimmed")]
    #[validate(custom(function = "draft_days", message = "Enter a number of days from 1 to 90"))]
    draft_days: String,
    #[serde(default, deserialize_with = "trimmed")]
    #[validate(custom(function = "response_months", message = "Enter a number of months from 1 to 120"))]
    response_months: String,
    #[serde(default, deserialize_with = "trimmed")]
    #[validate(custom(function = "contact_days", message = "Enter a number of days from 1 to 365"))]
    contact_days: String,
}

fn number_in(value: &str, range: RangeInclusive<i64>) -> Option<i64> {
    value.parse::<i64>().ok().filter(|n| range.contains(n))
}

fn draft_days(value: &str) -> Result<(), ValidationError> {
    number_in(value, DRAFT_DAYS).map(drop).ok_or_else(|| ValidationError::new("range"))
}

fn response_months(value: &str) -> Result<(), ValidationError> {
    number_in(value, RESPONSE_MONTHS).map(drop).ok_or_else(|| ValidationError::new("range"))
}

fn contact_days(value: &str) -> Result<(), ValidationError> {
    number_in(value, CONTACT_DAYS).map(drop).ok_or_else(|| ValidationError::new("range"))
}

impl SettingsForm {
    /// The settings, or what to say about them.
    fn parse(&self) -> Result<Privacy, Vec<Problem>> {
        self.validate()
            .map_err(|e| problems(&e, fields!(self; draft_days, response_months, contact_days, contact, notice)))?;
        let notice = self.notice.clone();
        Ok(Privacy {
            notice: (!notice.is_empty()).then_some(notice),
            contact: self.contact.clone(),
            draft_days: number_in(&self.draft_days, DRAFT_DAYS).unwrap_or_default(),
            response_months: number_in(&self.response_months, RESPONSE_MONTHS).unwrap_or_default(),
            contact_days: number_in(&self.contact_days, CONTACT_DAYS).unwrap_or_default(),
        })
    }

    fn values(self) -> Vec<(String, String)> {
        [
            ("notice", self.notice),
            ("contact", self.contact),
            ("draft_days", self.draft_days),
            ("response_months", self.response_months),
            ("contact_days", self.contact_days),
        ]
        .map(|(k, v)| (k.to_owned(), v))
        .into()
    }
}

pub async fn page(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(slug): Path<String>,
    Query(notice): Query<Notice>,
) -> Result<Response, AppError> {
    let version = state.surveys.current(&state.db, &slug).await?.ok_or(AppError::NotFound)?;
    let privacy = load(&state.db, version.survey_id, &state.config.council_name).await?;
    let values = vec![
        ("notice".to_owned(), privacy.notice.clone().unwrap_or_default()),
        ("contact".to_owned(), privacy.contact.clone()),
        ("draft_days".to_owned(), privacy.draft_days.to_string()),
        ("response_months".to_owned(), privacy.response_months.to_string()),
        ("contact_days".to_owned(), privacy.contact_days.to_string()),
    ];
    form_page(&state, &admin, &slug, StatusCode::OK, values, Vec::new(), notice.done == Some(Done::Saved))
}

pub async fn update(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(slug): Path<String>,
    StaffForm(form): StaffForm<SettingsForm>,
) -> Result<Response, AppError> {
    let version = state.surveys.current(&state.db, &slug).await?.ok_or(AppError::NotFound)?;
    let after = match form.parse() {
        Ok(after) => after,
        Err(problems) => {
            return form_page(&state, &admin, &slug, StatusCode::UNPROCESSABLE_ENTITY, form.values(), problems, false);
        }
    };
    let before = load(&state.db, version.survey_id, &state.config.council_name).await?;
    super::store::save_settings(&state.db, admin.id(), version.survey_id, &before, &after).await?;
    Ok(Redirect::to(&Done::Saved.at(staff::privacy(&slug))).into_response())
}

fn form_page(
    state: &AppState,
    admin: &SignedIn,
    slug: &str,
    status: StatusCode,
    values: Vec<(String, String)>,
    problems: Vec<Problem>,
    saved: bool,
) -> Result<Response, AppError> {
    let csrf = admin.csrf.clone();
    let action = staff::privacy(slug);
    let preview = resident::privacy(slug);
    let title = if problems.is_empty() { "Privacy and retention" } else { "Error: Privacy and retention" };
    Ok(render(Chrome::staff(&state.config, admin.nav()), status, move || {
        view! {
            <Page title=title.to_owned()>
                <ErrorSummary problems=problems.clone() />
                <Notification text=saved.then(|| "Saved.".to_owned()) />
                <h1 class="heading-l">"Privacy and retention"</h1>
                <p class="body">
                    "What residents are told, and how long their answers and contact details are kept. The retention job deletes what is due every hour, and records how many it deleted in the audit log."
                </p>
                <p class="body">
                    <a class="link" href=preview>
                        "See the privacy notice as residents do"
                    </a>
                </p>
                <SettingsForm action csrf values problems />
            </Page>
        }
    }))
}

/// The retention periods, the data protection officer's contact and the council's own notice, as
/// sent (`values`) with their problems.
#[component]
fn SettingsForm(action: String, csrf: String, values: Vec<(String, String)>, problems: Vec<Problem>) -> impl IntoView {
    let value = |field: &str| values.iter().find(|(k, _)| k == field).map(|(_, v)| v.clone()).unwrap_or_default();
    let error = |field: &str| message_for(&problems, field);
    let numbers = [
        (
            "draft_days",
            "Delete unsent answers after (days)",
            "From 1 to 90. Unsent answers are also deleted when they expire.",
        ),
        ("response_months", "Delete sent answers after (months)", "From 1 to 120. A month is counted as 30 days."),
        (
            "contact_days",
            "Delete contact details after (days), if not done sooner",
            "From 1 to 365. They are deleted as soon as the follow-up is marked done.",
        ),
    ]
    .into_iter()
    .map(|(id, label, hint)| {
        view! { <TextField id label hint error=error(id) short=true inputmode="numeric" value=value(id) /> }
    })
    .collect_view();
    view! {
        <form method="post" action=action>
            <input type="hidden" name=CSRF_FIELD value=csrf />
            {numbers}
            <TextField
                id="contact"
                label="How to contact the data protection officer"
                error=error("contact")
                value=value("contact")
            />
            <TextArea
                id="notice"
                label="Your own privacy notice (optional)"
                hint="Leave blank to use the standard notice, which names the council, the purpose, the lawful basis, the periods above and the contact. Separate paragraphs with a blank line."
                error=error("notice")
                rows=12
                value=value("notice")
            />
            <button type="submit" class="button">
                "Save"
            </button>
        </form>
    }
}
