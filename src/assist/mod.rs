//! Assisted entry: digital customer officers take the survey with residents in person, by phone
//! or from paper, under their own accounts. Guided mode is the resident flow itself (one question a
//! page, for reading aloud); fast entry puts every question on one page for typing up paper forms.
//! Both end on the resident flow's check-your-answers page and rules, with the officer, channel and
//! location recorded on the draft.

mod fast;
mod recent;
mod store;

use crate::auth::{CSRF_FIELD, OfficerUser, SignedIn, StaffForm};
use crate::error::AppError;
use crate::paths::staff;
use crate::respond::pages::ReturnCodeField;
use crate::respond::return_code::ReturnCode;
use crate::respond::{self, Attribution, paths};
use crate::state::AppState;
use crate::survey::lists::{List, active_items, place_problem};
use crate::survey::{Availability, CHANNELS, Progress, SurveyVersion};
use crate::throttle::{self, Guarded, Key, Limit};
use crate::ui::{Chrome, ErrorSummary, Page, Problem, Radios, Select, message_for, render};
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::cookie::CookieJar;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/assist", get(setup_page).post(begin))
        .route("/staff/assist/{slug}/fast", get(fast::page).post(fast::check))
        .route("/staff/assist/help/{reference}", get(recent::help_page).post(recent::record_help))
        .route("/staff/assist/correct/{reference}", post(recent::correct))
        .route("/staff/assist/return", post(continue_saved))
}

/// Wrong return codes one officer may try in the throttle's window: officers are trusted, but an
/// account in the wrong hands must not become a way to guess codes.
const CODE_TRIES_PER_OFFICER: i64 = 10;

/// The officer's choices for the shift, kept in their session.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Shift {
    pub survey: String,
    pub channel: String,
    pub location_id: Option<i64>,
    /// The version to take, when typing up a paper form printed from an older one; otherwise the
    /// survey's current version.
    #[serde(default)]
    pub version: Option<i64>,
    /// A return code that could not be used, to show again with its problem. Never stored.
    #[serde(skip)]
    pub code_typed: String,
}

const SHIFT: &str = "assist_shift";

impl Shift {
    async fn load(signed_in: &SignedIn) -> Shift {
        signed_in.session.get::<Shift>(SHIFT).await.ok().flatten().unwrap_or_default()
    }

    /// The version this shift takes, if its survey is open and has it.
    async fn survey_version(&self, state: &AppState) -> Result<Option<SurveyVersion>, AppError> {
        let Some(current) = state.surveys.current(&state.db, &self.survey).await? else { return Ok(None) };
        if current.availability(crate::db::now()) != Availability::Open {
            return Ok(None);
        }
        match self.version {
            None => Ok(Some(current)),
            Some(number) => state.surveys.numbered(&state.db, current.survey_id, number).await,
        }
    }

    fn attribution(&self, officer: &SignedIn) -> Attribution {
        Attribution {
            officer_id: Some(officer.id()),
            channel: self.channel.clone(),
            location_id: self.location_id,
            corrects_response_id: None,
            officer_session: officer.session_id(),
        }
    }
}

/// `?survey=…&channel=paper&version=N`, from a paper form's "Type up a paper form".
#[derive(Debug, Default, Deserialize)]
struct Preselect {
    survey: Option<String>,
    channel: Option<String>,
    version: Option<i64>,
}

async fn setup_page(
    State(state): State<AppState>,
    OfficerUser(officer): OfficerUser,
    Query(pick): Query<Preselect>,
) -> Result<Response, AppError> {
    let mut shift = Shift::load(&officer).await;
    if let Some(survey) = pick.survey {
        shift = Shift { survey, channel: pick.channel.unwrap_or(shift.channel), version: pick.version, ..shift };
    }
    show_setup(&state, &officer, StatusCode::OK, shift, Vec::new()).await
}

async fn show_setup(
    state: &AppState,
    officer: &SignedIn,
    status: StatusCode,
    shift: Shift,
    problems: Vec<Problem>,
) -> Result<Response, AppError> {
    let surveys = state.surveys.open(&state.db).await?;
    let locations = active_items(&state.db, List::Location).await?;
    let recent = recent::entries(state, officer.id()).await?;
    let csrf = officer.csrf.clone();
    let code_error = message_for(&problems, "code");
    let code_typed = if code_error.is_some() { shift.code_typed.clone() } else { String::new() };
    let title =
        if problems.is_empty() { "Take a survey with a resident" } else { "Error: Take a survey with a resident" };
    let clock = state.config.clock.clone();
    let surveys: Vec<(String, String)> =
        surveys.iter().map(|s| (s.survey.slug().to_owned(), s.survey.title().to_owned())).collect();
    let places: Vec<(String, String)> = locations.iter().map(|l| (l.id.to_string(), l.label.clone())).collect();
    Ok(render(Chrome::staff(&state.config, officer.nav()), status, move || {
        view! {
            <Page title=title.to_owned()>
                <ErrorSummary problems=problems.clone() />
                <h1 class="heading-l">"Take a survey with a resident"</h1>
                <p class="body">"Your choices are remembered until you sign out."</p>
                <ShiftForm csrf=csrf.clone() shift surveys places problems />
                <ContinueSaved csrf=csrf.clone() typed=code_typed error=code_error />
                {recent::table(recent, csrf, clock.clone())}
            </Page>
        }
    }))
}

/// The officer's choices for the shift (which survey, how it is taken, where), and whether to ask
/// one question at a time or type up a paper form. A paper form printed from an older version
/// says so.
#[component]
fn ShiftForm(
    csrf: String,
    shift: Shift,
    surveys: Vec<(String, String)>,
    places: Vec<(String, String)>,
    problems: Vec<Problem>,
) -> impl IntoView {
    let channels: Vec<(String, String)> = CHANNELS.iter().map(|(v, l)| ((*v).to_owned(), (*l).to_owned())).collect();
    let place = shift.location_id.map(|id| id.to_string()).unwrap_or_default();
    let older = shift.version.map(|v| {
        view! {
            <input type="hidden" name="version" value=v.to_string() />
            <div class="inset">
                <p class="body">
                    {format!(
                        "For a paper form printed from version {v} of the survey: its answers are checked against that version.",
                    )}
                </p>
            </div>
        }
    });
    view! {
        <form method="post" action=staff::ASSIST>
            <input type="hidden" name=CSRF_FIELD value=csrf />
            {older}
            <Select
                name="survey"
                label="Survey"
                items=surveys
                chosen=shift.survey
                error=message_for(&problems, "survey")
            />
            <Radios
                name="channel"
                legend="How are you taking it?"
                items=channels
                chosen=shift.channel
                error=message_for(&problems, "channel")
            />
            <Radios
                name="location"
                legend="Where are you?"
                items=places
                chosen=place
                error=message_for(&problems, "location")
            />
            <div class="button-group">
                <button type="submit" class="button" name="mode" value="guided">
                    "Ask one question at a time"
                </button>
                <button type="submit" class="button button--secondary" name="mode" value="fast">
                    "Type up a paper form"
                </button>
            </div>
        </form>
    }
}

/// For a resident who saved their answers and phones in: continue their draft, at the first
/// question not yet answered, recorded as taken by this officer (by phone unless the officer chose
/// another way above).
#[component]
fn ContinueSaved(csrf: String, typed: String, error: Option<String>) -> impl IntoView {
    let hint = "The survey carries on where they stopped, recorded as taken by you, by phone unless you chose another way above.";
    view! {
        <h2 class="heading-m" id="continue-saved">
            "Continue a resident's saved answers"
        </h2>
        <form method="post" action=staff::ASSIST_RETURN novalidate>
            <input type="hidden" name=CSRF_FIELD value=csrf />
            <ReturnCodeField label="Their return code" hint typed problem=error />
            <button type="submit" class="button button--secondary">
                "Continue their answers"
            </button>
        </form>
    }
}

async fn continue_saved(
    State(state): State<AppState>,
    OfficerUser(officer): OfficerUser,
    jar: CookieJar,
    StaffForm(respond::CodeForm { code: typed }): StaffForm<respond::CodeForm>,
) -> Result<Response, AppError> {
    let shift = Shift::load(&officer).await;
    let opened = match ReturnCode::parse(&typed) {
        Err(problem) => Err(problem.0),
        Ok(code) => {
            let limits = [Limit::new(Key::Officer(Guarded::ReturnCode, officer.id()), CODE_TRIES_PER_OFFICER)];
            let attempt = throttle::attempt(&state.db, &limits).await?;
            let mut taking = shift.clone();
            if !CHANNELS.iter().any(|(c, _)| *c == taking.channel) {
                taking.channel = "phone".into();
            }
            match respond::open_by_code(&state, &code, None, Some(&taking.attribution(&officer))).await? {
                Some(opened) => {
                    attempt.forgive(&state.db).await?;
                    Ok(opened)
                }
                None => {
                    attempt.fail();
                    Err(
                        "No saved answers have that code. Check it with the resident: it may have expired, or been sent already",
                    )
                }
            }
        }
    };
    match opened {
        Ok(opened) => {
            let to = opened.next.clone();
            Ok((opened.into_cookie(&state, jar), Redirect::to(&to)).into_response())
        }
        Err(message) => {
            let problems = vec![Problem { field: "code".into(), message: message.to_owned() }];
            show_setup(
                &state,
                &officer,
                StatusCode::UNPROCESSABLE_ENTITY,
                Shift { code_typed: typed, ..shift },
                problems,
            )
            .await
        }
    }
}

/// The form an officer starts a session of entries with. Which survey, channel and location are
/// allowed depends on the database, so they are checked in the handler, in the page's order.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Setup {
    #[serde(default)]
    survey: String,
    #[serde(default)]
    channel: String,
    location: Option<String>,
    mode: Option<String>,
    version: Option<String>,
}

impl Setup {
    /// The shift chosen. A version comes from a paper form's link (a hidden field): anything but
    /// a number was not typed by the officer.
    fn into_shift(self) -> Result<Shift, AppError> {
        let version = match self.version.as_deref().filter(|v| !v.is_empty()) {
            None => None,
            Some(v) => {
                Some(v.parse().map_err(|_| AppError::BadRequest("The survey version must be a number.".into()))?)
            }
        };
        Ok(Shift {
            survey: self.survey,
            channel: self.channel,
            location_id: self.location.as_deref().and_then(|l| l.parse().ok()),
            version,
            code_typed: String::new(),
        })
    }
}

impl Shift {
    /// The survey version to take, and what is wrong with the choices: a survey that is not open
    /// (or has no such version), a channel not offered, a place not in use or not one the survey
    /// is taken at.
    async fn check(&self, state: &AppState) -> Result<(Option<SurveyVersion>, Vec<Problem>), AppError> {
        let mut problems = Vec::new();
        let version = self.survey_version(state).await?;
        if version.is_none() {
            let open = state
                .surveys
                .current(&state.db, &self.survey)
                .await?
                .is_some_and(|v| v.availability(crate::db::now()) == Availability::Open);
            let message = match self.version {
                Some(v) if open => {
                    format!("This survey has no version {v}: select the survey printed on the paper form")
                }
                _ => "Select a survey".to_owned(),
            };
            problems.push(Problem { field: "survey".into(), message });
        }
        if !CHANNELS.iter().any(|(c, _)| *c == self.channel) {
            problems.push(Problem { field: "channel".into(), message: "Select how you are taking the survey".into() });
        }
        let locations = active_items(&state.db, List::Location).await?;
        let here = locations.iter().find(|l| Some(l.id) == self.location_id);
        let taken = match (here, &version) {
            (Some(place), Some(version)) => {
                crate::survey::lists::takes_place(&state.db, version.survey_id, place.id).await?
            }
            _ => true,
        };
        if let Some(message) = place_problem(here, version.as_ref().map(|v| v.survey.title()), taken) {
            problems.push(Problem { field: "location".into(), message });
        }
        Ok((version, problems))
    }
}

async fn begin(
    State(state): State<AppState>,
    OfficerUser(officer): OfficerUser,
    jar: CookieJar,
    StaffForm(form): StaffForm<Setup>,
) -> Result<Response, AppError> {
    let mode = form.mode.clone();
    let shift = form.into_shift()?;
    let (version, problems) = shift.check(&state).await?;
    let Some(version) = version.filter(|_| problems.is_empty()) else {
        return show_setup(&state, &officer, StatusCode::UNPROCESSABLE_ENTITY, shift, problems).await;
    };
    officer.session.insert(SHIFT, &shift).await?;
    let slug = version.survey.slug().to_owned();
    match mode.as_deref() {
        Some("fast") => Ok(Redirect::to(&staff::fast_entry(&slug)).into_response()),
        _ => {
            let first = paths::question(&slug, &version.survey.questions()[0].id, false);
            let attribution = shift.attribution(&officer);
            respond::hand_over(&state, jar, &version, &attribution, &Progress::default(), &first).await
        }
    }
}
