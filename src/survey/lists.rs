//! The short lists admins keep, which officers' entries draw on: locations where officers take
//! surveys, and kinds of help they give. (The admin page is `staff::lists`.)

use crate::db::Db;
use crate::error::AppError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum List {
    Location,
    Help,
}

impl List {
    pub fn parse(s: &str) -> Option<List> {
        match s {
            "location" => Some(List::Location),
            "help" => Some(List::Help),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            List::Location => "location",
            List::Help => "help",
        }
    }

    pub fn heading(self) -> &'static str {
        match self {
            List::Location => "Locations",
            List::Help => "Help given",
        }
    }
}

#[derive(Debug, Clone)]
pub struct ListItem {
    pub id: i64,
    pub label: String,
    pub active: bool,
}

pub async fn items(db: &Db, list: List) -> Result<Vec<ListItem>, AppError> {
    let rows: Vec<(i64, String, i64)> =
        sqlx::query_as("SELECT id, label, active FROM list_item WHERE list = $1 ORDER BY label")
            .bind(list.as_str())
            .fetch_all(&db.read)
            .await?;
    Ok(rows.into_iter().map(|(id, label, active)| ListItem { id, label, active: active == 1 }).collect())
}

pub async fn active_items(db: &Db, list: List) -> Result<Vec<ListItem>, AppError> {
    Ok(items(db, list).await?.into_iter().filter(|i| i.active).collect())
}

/// The locations officers take a survey at; empty means every location.
pub async fn locations(db: &Db, survey_id: i64) -> Result<Vec<i64>, AppError> {
    Ok(sqlx::query_scalar("SELECT list_item_id FROM survey_location WHERE survey_id = $1 ORDER BY list_item_id")
        .bind(survey_id)
        .fetch_all(&db.read)
        .await?)
}

/// What is wrong, in the officer's words, with taking the survey called `survey` at `place`:
/// none chosen, or one it is not taken at (`taken`, from [`taken_at`]). Assisted entry and
/// outreach both ask it. None when all is well or no survey is chosen yet.
pub fn place_problem(place: Option<&ListItem>, survey: Option<&str>, taken: bool) -> Option<String> {
    match (place, survey) {
        (None, _) => Some("Select where you are".to_owned()),
        (Some(place), Some(survey)) if !taken => {
            Some(format!("{survey} is not taken at {}: choose another survey or location", place.label))
        }
        _ => None,
    }
}

/// Whether a survey is taken at a location: its list of locations is empty (every location) or
/// names this one.
pub async fn takes_place(db: &Db, survey_id: i64, location_id: i64) -> Result<bool, AppError> {
    Ok(taken_at(&locations(db, survey_id).await?, location_id))
}

/// Whether a survey whose list of locations is `allowed` (see [`locations`]) is taken at one.
pub fn taken_at(allowed: &[i64], location_id: i64) -> bool {
    allowed.is_empty() || allowed.contains(&location_id)
}
