//! `/staff/outreach`: while online, the officer chooses the survey and the place for the session;
//! the page then carries everything the device needs to take entries with no connection.

use super::device::{Kit, OutreachDevice, Place, Tongue};
use crate::auth::{OfficerUser, SignedIn};
use crate::error::AppError;
use crate::paths::staff;
use crate::state::AppState;
use crate::survey::SurveyVersion;
use crate::survey::lists::{List, ListItem, active_items, locations, place_problem, taken_at};
use crate::ui::question::{hints_in, words_in};
use crate::ui::{Chrome, ErrorSummary, Page, Problem, Radios, Select, render, render_with_islands};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use leptos::prelude::*;
use serde::Deserialize;

pub const PATH: &str = staff::OUTREACH;

/// The page's module script: it loads the island's code and the service worker.
const LOADER: &str = "/outreach.js";

/// The session chosen: a GET form, so the session's page has an address to come back to.
#[derive(Debug, Default, Deserialize)]
pub struct Session {
    survey: Option<String>,
    location: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    OfficerUser(officer): OfficerUser,
    Query(session): Query<Session>,
) -> Result<Response, AppError> {
    let surveys = state.surveys.open(&state.db).await?;
    let places = active_items(&state.db, List::Location).await?;
    let (Some(slug), Some(location)) = (session.survey.clone(), session.location.clone()) else {
        return Ok(setup(&state, &officer, &surveys, &places, &session, Vec::new()));
    };
    let mut problems = Vec::new();
    let version = surveys.iter().find(|v| v.survey.slug() == slug);
    if version.is_none() {
        problems.push(Problem { field: "survey".into(), message: "Select a survey".into() });
    }
    let place = places.iter().find(|p| location.parse() == Ok(p.id));
    // The places the survey is taken at: checked here, and offered on the device for changing an
    // entry's place.
    let listed = match version {
        Some(version) => locations(&state.db, version.survey_id).await?,
        None => Vec::new(),
    };
    let taken = place.is_none_or(|place| taken_at(&listed, place.id));
    if let Some(message) = place_problem(place, version.map(|v| v.survey.title()), taken) {
        problems.push(Problem { field: "location".into(), message });
    }
    match (version, place) {
        (Some(version), Some(place)) if problems.is_empty() => {
            let elsewhere = places
                .iter()
                .filter(|p| taken_at(&listed, p.id))
                .map(|p| Place { id: p.id, label: p.label.clone() })
                .collect();
            Ok(device_page(&state, &officer, version, place, elsewhere))
        }
        _ => Ok(setup(&state, &officer, &surveys, &places, &session, problems)),
    }
}

fn setup(
    state: &AppState,
    officer: &SignedIn,
    surveys: &[SurveyVersion],
    places: &[ListItem],
    chosen: &Session,
    problems: Vec<Problem>,
) -> Response {
    let status = if problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let title = if problems.is_empty() { "Outreach with no connection" } else { "Error: Outreach with no connection" };
    let error = |field: &str| problems.iter().find(|p| p.field == field).map(|p| p.message.clone());
    let (survey_error, location_error) = (error("survey"), error("location"));
    let survey_options: Vec<(String, String)> =
        surveys.iter().map(|s| (s.survey.slug().to_owned(), s.survey.title().to_owned())).collect();
    let place_options: Vec<(String, String)> = places.iter().map(|p| (p.id.to_string(), p.label.clone())).collect();
    let (chosen_survey, chosen_place) =
        (chosen.survey.clone().unwrap_or_default(), chosen.location.clone().unwrap_or_default());
    render(Chrome::staff(&state.config, officer.nav()), status, move || {
        view! {
            <Page title=title.to_owned() back=staff::HOME.to_owned()>
                <ErrorSummary problems=problems.clone() />
                <h1 class="heading-l">"Outreach with no connection"</h1>
                <p class="body">
                    "For drop-ins, warm spaces and doorsteps where there may be no wifi or signal. Choose the survey and the place here while you have a connection. The next page then works with none: entries are kept on this device and sent when the connection returns."
                </p>
                <p class="body">
                    "It needs JavaScript. Without it, use "<a class="link" href=staff::ASSIST>
                        "Take a survey with a resident"
                    </a>" or a paper form."
                </p>
                <form method="get" action=PATH>
                    <Select name="survey" label="Survey" items=survey_options chosen=chosen_survey error=survey_error />
                    <Radios
                        name="location"
                        legend="Where are you?"
                        items=place_options
                        chosen=chosen_place
                        error=location_error
                    />
                    <button type="submit" class="button">
                        "Start the outreach session"
                    </button>
                </form>
            </Page>
        }
    })
}

fn device_page(
    state: &AppState,
    officer: &SignedIn,
    version: &SurveyVersion,
    place: &ListItem,
    places: Vec<Place>,
) -> Response {
    let kit = Kit {
        survey: version.survey.slug().to_owned(),
        title: version.survey.title().to_owned(),
        version: version.version,
        location_id: place.id,
        location: place.label.clone(),
        places,
        officer_id: officer.id(),
        officer: officer.staff.name.clone(),
        csrf: officer.csrf.clone(),
        languages: version
            .survey
            .languages()
            .iter()
            .map(|offered| {
                let questions = version.survey.in_language(Some(&offered.language)).questions().to_vec();
                Tongue {
                    tag: offered.language.to_string(),
                    name: offered.name.clone(),
                    words: words_in(&offered.language),
                    hints: questions.iter().map(|q| hints_in(&offered.language, q)).collect(),
                    questions,
                }
            })
            .collect(),
    };
    let caption = format!("{} at {}", kit.title, kit.location);
    let title = format!("Outreach: {}", kit.title);
    render_with_islands(Chrome::staff(&state.config, officer.nav()), StatusCode::OK, move || {
        view! {
            <Page title script=LOADER>
                <span class="caption-l">{caption}</span>
                <OutreachDevice kit />
                <p class="body outreach__change">
                    <a class="link" href=PATH>
                        "Change the survey or the place"
                    </a>
                </p>
            </Page>
        }
    })
}
