//! A survey and a place as they stood when an entry was taken. An officer out of range for a day
//! keeps interviewing while, back at the office, the survey is closed or a drop-in removed from the
//! list; the entries were good when taken and are kept. What stood then is read from the audit log,
//! which records every change to a survey's status and places and to the list of locations, in the
//! same transaction as the change.

use crate::audit::{Event, as_it_was};
use crate::error::AppError;
use crate::state::AppState;
use crate::survey::{Availability, Status, SurveyVersion};

/// Whether the survey took answers at `at`, by its status and dates then.
pub async fn availability(
    state: &AppState,
    current: &SurveyVersion,
    slug: &str,
    at: i64,
) -> Result<Availability, AppError> {
    let then = as_it_was(&state.db, Event::SurveyStatus, &format!("survey/{slug}"), at).await?;
    Ok(match then {
        Some(then) => {
            let date = |name: &str| then.get(name).and_then(serde_json::Value::as_i64);
            Availability::of(
                then.get("status").and_then(|s| s.as_str()).and_then(Status::parse).unwrap_or(Status::Closed),
                date("opens_at"),
                date("closes_at"),
                at,
            )
        }
        None => current.availability(at),
    })
}

/// Whether the location was on the council's list at `at` (places are made active).
pub async fn place_active(state: &AppState, place: i64, at: i64) -> Result<bool, AppError> {
    let then = as_it_was(&state.db, Event::ListSetActive, &format!("list_item/{place}"), at).await?;
    Ok(then.and_then(|v| v.get("active").and_then(serde_json::Value::as_bool)).unwrap_or(true))
}

/// Whether the survey was taken at the location at `at`: its list of places then named it, or
/// was empty (every place; a survey starts so).
pub async fn survey_takes_place(state: &AppState, slug: &str, place: i64, at: i64) -> Result<bool, AppError> {
    let then = as_it_was(&state.db, Event::SurveyLocations, &format!("survey/{slug}"), at).await?;
    let places: Vec<i64> =
        then.and_then(|v| serde_json::from_value(v.get("locations")?.clone()).ok()).unwrap_or_default();
    Ok(crate::survey::lists::taken_at(&places, place))
}
