//! Each survey's privacy settings: how long drafts, responses and contact details are kept, how to
//! reach the data protection officer, and the privacy notice (the default, or the admin's own).
//! Admins change them at `/staff/surveys/{slug}/privacy`.

use crate::app::AppState;
use crate::audit;
use crate::db::{now, Db};
use crate::error::AppError;
use crate::staff::{AdminUser, SignedIn, StaffForm, CSRF_FIELD};
use crate::ui::{render, ErrorMessage, ErrorSummary, Page, Problem};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::*;
use serde::Serialize;
use std::ops::RangeInclusive;

pub const DRAFT_DAYS: RangeInclusive<i64> = 1..=90;
pub const RESPONSE_MONTHS: RangeInclusive<i64> = 1..=120;
pub const CONTACT_DAYS: RangeInclusive<i64> = 1..=365;
const MAX_NOTICE: usize = 20_000;
const MAX_CONTACT: usize = 500;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Privacy {
    /// The admin's own notice, paragraphs separated by blank lines; `None` for the default.
    pub notice: Option<String>,
    pub contact: String,
    pub draft_days: i64,
    pub response_months: i64,
    pub contact_days: i64,
}

impl Privacy {
    /// What a survey uses until an admin changes it.
    pub fn default_for(council: &str) -> Privacy {
        Privacy {
            notice: None,
            contact: format!("the data protection officer at {council}"),
            draft_days: 7,
            response_months: DEFAULT_RESPONSE_MONTHS,
            contact_days: 30,
        }
    }

    /// Responses sent before this moment (Unix seconds) are past their retention period.
    pub fn responses_due_before(&self, now: i64) -> i64 {
        now - self.response_months * MONTH_SECS
    }

    pub fn drafts_due_before(&self, now: i64) -> i64 {
        now - self.draft_days * 24 * 3600
    }

    pub fn contacts_due_before(&self, now: i64) -> i64 {
        now - self.contact_days * 24 * 3600
    }

    /// The default notice, paragraph by paragraph under its headings: who the controller is, the
    /// purpose and lawful basis, how long things are kept, and how to use your rights.
    pub fn default_notice(&self, council: &str) -> Vec<(&'static str, Vec<String>)> {
        let months = plural(self.response_months, "month");
        vec![
            ("Who we are", vec![format!("{council} is responsible for your answers (the data controller).")]),
            (
                "What we collect and why",
                vec![
                    "We collect your answers to this survey to find out what stops people using the council's online services, and to plan help such as training, devices and easier websites. We do not ask for your name.".to_owned(),
                    "If you ask us to contact you about help, we ask for your name and a phone number or email address, and only with your agreement. We keep them apart from your answers, and only the staff who contact you can see them.".to_owned(),
                    "Our lawful basis is that this is part of our public task (UK GDPR Article 6(1)(e)). If you tell us about a disability or health condition, we use it to make our services easier to use, under Article 9(2)(g). We use contact details only with your consent (Article 6(1)(a)).".to_owned(),
                ],
            ),
            (
                "How long we keep it",
                vec![format!(
                    "We keep your answers for {months}, then delete them. Answers you have not sent are deleted after {}. Contact details are deleted once we have contacted you, or after {} at the most.",
                    plural(self.draft_days, "day"),
                    plural(self.contact_days, "day"),
                )],
            ),
            (
                "Your rights",
                vec![
                    "You can ask to see your answers, or have them removed. Quote the reference you get at the end of the survey. You can remove them yourself on the \u{201c}Remove your answers\u{201d} page.".to_owned(),
                    format!("To ask about your data, contact {}. You can also complain to the Information Commissioner's Office (ico.org.uk).", self.contact),
                ],
            ),
        ]
    }
}

fn plural(n: i64, unit: &str) -> String {
    if n == 1 { format!("1 {unit}") } else { format!("{n} {unit}s") }
}

/// A month is taken as 30 days: councils state retention in months, and a day either way does not
/// matter next to a period of years.
pub const MONTH_SECS: i64 = 30 * 24 * 3600;

/// How long answers are kept when an admin has not said.
pub const DEFAULT_RESPONSE_MONTHS: i64 = 24;

/// A survey's settings, or the defaults.
pub async fn load(db: &Db, survey_id: i64, council: &str) -> Result<Privacy, AppError> {
    let row: Option<(Option<String>, String, i64, i64, i64)> =
        sqlx::query_as("SELECT notice, contact, draft_days, response_months, contact_days FROM survey_privacy WHERE survey_id = $1")
            .bind(survey_id)
            .fetch_optional(&db.read)
            .await?;
    Ok(match row {
        Some((notice, contact, draft_days, response_months, contact_days)) => Privacy { notice, contact, draft_days, response_months, contact_days },
        None => Privacy::default_for(council),
    })
}

async fn save(db: &Db, by: i64, survey_id: i64, before: &Privacy, after: &Privacy) -> Result<(), AppError> {
    let mut tx = db.write.begin().await?;
    sqlx::query(
        "INSERT INTO survey_privacy (survey_id, notice, contact, draft_days, response_months, contact_days, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (survey_id) DO UPDATE SET notice = excluded.notice, \
         contact = excluded.contact, draft_days = excluded.draft_days, response_months = excluded.response_months, \
         contact_days = excluded.contact_days, updated_at = excluded.updated_at",
    )
    .bind(survey_id)
    .bind(after.notice.as_deref())
    .bind(&after.contact)
    .bind(after.draft_days)
    .bind(after.response_months)
    .bind(after.contact_days)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    let (before, after) = (serde_json::to_value(before).ok(), serde_json::to_value(after).ok());
    audit::record(&mut *tx, Some(by), "privacy.update", &format!("survey/{survey_id}"), before, after).await?;
    tx.commit().await?;
    Ok(())
}

/// Reads the settings form; out-of-range periods and over-long text are problems.
fn parse(form: &StaffForm) -> (Privacy, Vec<(String, String)>, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut number = |field: &str, range: RangeInclusive<i64>, what: &str| {
        let value = form.get(field).unwrap_or_default().trim();
        value.parse::<i64>().ok().filter(|n| range.contains(n)).unwrap_or_else(|| {
            problems.push(Problem { field: field.to_owned(), message: format!("Enter {what} from {} to {}", range.start(), range.end()) });
            0
        })
    };
    let draft_days = number("draft_days", DRAFT_DAYS, "a number of days");
    let response_months = number("response_months", RESPONSE_MONTHS, "a number of months");
    let contact_days = number("contact_days", CONTACT_DAYS, "a number of days");
    let contact = form.get("contact").unwrap_or_default().trim().to_owned();
    if contact.is_empty() || contact.chars().count() > MAX_CONTACT {
        problems.push(Problem { field: "contact".into(), message: format!("Enter how to contact the data protection officer, in up to {MAX_CONTACT} characters") });
    }
    let notice = form.get("notice").unwrap_or_default().trim().replace("\r\n", "\n");
    if notice.chars().count() > MAX_NOTICE {
        problems.push(Problem { field: "notice".into(), message: format!("The privacy notice must be {MAX_NOTICE} characters or fewer") });
    }
    let privacy = Privacy { notice: (!notice.is_empty()).then_some(notice), contact, draft_days, response_months, contact_days };
    (privacy, form.0 .0.clone(), problems)
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct Notice {
    done: Option<String>,
}

pub async fn page(State(state): State<AppState>, AdminUser(admin): AdminUser, Path(slug): Path<String>, Query(notice): Query<Notice>) -> Result<Response, AppError> {
    let version = state.surveys.current(&state.db, &slug).await?.ok_or(AppError::NotFound)?;
    let privacy = load(&state.db, version.survey_id, &state.config.council_name).await?;
    let values = vec![
        ("notice".to_owned(), privacy.notice.clone().unwrap_or_default()),
        ("contact".to_owned(), privacy.contact.clone()),
        ("draft_days".to_owned(), privacy.draft_days.to_string()),
        ("response_months".to_owned(), privacy.response_months.to_string()),
        ("contact_days".to_owned(), privacy.contact_days.to_string()),
    ];
    form_page(&state, &admin, &slug, StatusCode::OK, values, Vec::new(), notice.done.is_some())
}

pub async fn update(State(state): State<AppState>, AdminUser(admin): AdminUser, Path(slug): Path<String>, form: StaffForm) -> Result<Response, AppError> {
    form.expect_only(&["notice", "contact", "draft_days", "response_months", "contact_days"])?;
    let version = state.surveys.current(&state.db, &slug).await?.ok_or(AppError::NotFound)?;
    let (after, values, problems) = parse(&form);
    if !problems.is_empty() {
        return form_page(&state, &admin, &slug, StatusCode::UNPROCESSABLE_ENTITY, values, problems, false);
    }
    let before = load(&state.db, version.survey_id, &state.config.council_name).await?;
    save(&state.db, admin.id(), version.survey_id, &before, &after).await?;
    Ok(Redirect::to(&format!("/staff/surveys/{slug}/privacy?done=saved")).into_response())
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
    let value = |field: &str| values.iter().find(|(k, _)| k == field).map(|(_, v)| v.clone()).unwrap_or_default();
    let error = |field: &str| problems.iter().find(|p| p.field == field).map(|p| p.message.clone());
    let fields = [
        ("draft_days", "Delete unsent answers after (days)", "From 1 to 90. Unsent answers are also deleted when they expire."),
        ("response_months", "Delete sent answers after (months)", "From 1 to 120. A month is counted as 30 days."),
        ("contact_days", "Delete contact details after (days), if not done sooner", "From 1 to 365. They are deleted as soon as the follow-up is marked done."),
    ]
    .map(|(id, label, hint)| (id, label, hint, value(id), error(id)));
    let (notice, contact, notice_error, contact_error) = (value("notice"), value("contact"), error("notice"), error("contact"));
    let csrf = admin.csrf.clone();
    let action = format!("/staff/surveys/{slug}/privacy");
    let preview = format!("/s/{slug}/privacy");
    let title = if problems.is_empty() { "Privacy and retention" } else { "Error: Privacy and retention" };
    Ok(render(state.chrome.staff(admin.nav()), status, move || {
        let numbers = fields
            .into_iter()
            .map(|(id, label, hint, value, error)| {
                let hint_id = format!("{id}-hint");
                view! {
                    <div class="form-group">
                        <label class="label" for=id>{label}</label>
                        <div class="hint" id=hint_id.clone()>{hint}</div>
                        {error.map(|m| view! { <ErrorMessage id=format!("{id}-error") message=m /> })}
                        <input class="input input--short" id=id name=id type="text" inputmode="numeric" aria-describedby=hint_id value=value />
                    </div>
                }
            })
            .collect_view();
        view! {
            <Page title=title.to_owned()>
                <ErrorSummary problems=problems.clone() />
                {saved.then(|| view! { <div class="notification" role="status"><p class="body">"Saved."</p></div> })}
                <h1 class="heading-l">"Privacy and retention"</h1>
                <p class="body">"What residents are told, and how long their answers and contact details are kept. The retention job deletes what is due every hour, and records how many it deleted in the audit log."</p>
                <p class="body"><a class="link" href=preview>"See the privacy notice as residents do"</a></p>
                <form method="post" action=action>
                    <input type="hidden" name=CSRF_FIELD value=csrf />
                    {numbers}
                    <div class="form-group">
                        <label class="label" for="contact">"How to contact the data protection officer"</label>
                        {contact_error.map(|m| view! { <ErrorMessage id="contact-error".to_owned() message=m /> })}
                        <input class="input" id="contact" name="contact" type="text" value=contact />
                    </div>
                    <div class="form-group">
                        <label class="label" for="notice">"Your own privacy notice (optional)"</label>
                        <div class="hint" id="notice-hint">"Leave blank to use the standard notice, which names the council, the purpose, the lawful basis, the periods above and the contact. Separate paragraphs with a blank line."</div>
                        {notice_error.map(|m| view! { <ErrorMessage id="notice-error".to_owned() message=m /> })}
                        <textarea class="textarea" id="notice" name="notice" rows="12" aria-describedby="notice-hint">{notice}</textarea>
                    </div>
                    <button type="submit" class="button">"Save"</button>
                </form>
            </Page>
        }
    }))
}
