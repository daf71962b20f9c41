//! Checking an entry a device sent, and storing it once.

use super::entry::{Entry, Outcome};
use super::then;
use crate::audit;
use crate::audit::Event;
use crate::auth::SignedIn;
use crate::db::{Db, is_unique_violation, now};
use crate::error::AppError;
use crate::responses::erased;
use crate::responses::reference;
use crate::responses::store::{AnswerRow, NewResponse, insert, insert_answers, rows};
use crate::responses::tally::{self, Scope};
use crate::state::AppState;
use crate::survey::lists::{List, ListItem, items, takes_place};
use crate::survey::{Availability, CHANNEL_OUTREACH, Progress, Route, SurveyVersion, all_field_names, read_all};
use sqlx::Connection as _;
use std::collections::HashMap;

/// How far ahead of the server's clock a device's may be before a time it gives is not believed.
const CLOCK_SKEW_SECS: i64 = 5 * 60;

/// Device ids are the device's own UUIDs: anything longer or stranger was not made by the page.
const MAX_ID_LEN: usize = 64;

/// What a send's entries are checked against, looked up once for the whole send: a device sends
/// many entries of one survey version taken at one place.
#[derive(Default)]
pub struct Lookups {
    places: Option<Vec<ListItem>>,
    /// By (survey slug, version number).
    versions: HashMap<(String, i64), Found>,
    /// By (survey id, location id): whether the survey is taken there.
    taken_at: HashMap<(i64, i64), bool>,
}

/// What an entry's survey and version number name.
#[derive(Clone)]
enum Found {
    NoSurvey,
    /// The survey, by its title, has no version of that number.
    NoVersion(String),
    /// The survey now (its status and dates), the version the entry was taken on, and when that
    /// version was published.
    Version {
        current: SurveyVersion,
        version: SurveyVersion,
        published_at: i64,
    },
}

impl Lookups {
    async fn places(&mut self, state: &AppState) -> Result<&[ListItem], AppError> {
        if self.places.is_none() {
            // Every place, those removed since too: an entry taken there before is still good.
            self.places = Some(items(&state.db, List::Location).await?);
        }
        Ok(self.places.as_deref().unwrap_or_default())
    }

    async fn version(&mut self, state: &AppState, slug: &str, number: i64) -> Result<Found, AppError> {
        let key = (slug.to_owned(), number);
        if let Some(found) = self.versions.get(&key) {
            return Ok(found.clone());
        }
        let found = match state.surveys.current(&state.db, slug).await? {
            None => Found::NoSurvey,
            Some(current) => match state.surveys.numbered(&state.db, current.survey_id, number).await? {
                None => Found::NoVersion(current.survey.title().to_owned()),
                Some(version) => {
                    let published_at = sqlx::query_scalar("SELECT created_at FROM survey_version WHERE id = $1")
                        .bind(version.version_id)
                        .fetch_one(&state.db.read)
                        .await?;
                    Found::Version { current, version, published_at }
                }
            },
        };
        self.versions.insert(key, found.clone());
        Ok(found)
    }

    async fn takes_place(&mut self, state: &AppState, survey_id: i64, location_id: i64) -> Result<bool, AppError> {
        if let Some(taken) = self.taken_at.get(&(survey_id, location_id)) {
            return Ok(*taken);
        }
        let taken = takes_place(&state.db, survey_id, location_id).await?;
        self.taken_at.insert((survey_id, location_id), taken);
        Ok(taken)
    }
}

/// Stores the entry if every rule allows it and it is not stored already; says what became of it.
pub async fn send(
    state: &AppState,
    officer: &SignedIn,
    lookups: &mut Lookups,
    entry: &Entry,
) -> Result<Outcome, AppError> {
    let id = entry.id.clone();
    if entry.id.is_empty()
        || entry.id.len() > MAX_ID_LEN
        || !entry.id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Ok(Outcome::Refused {
            id,
            reasons: vec!["The entry's id was not made by this service's outreach page.".into()],
        });
    }
    if entry.officer_id != officer.id() {
        return Ok(Outcome::NotYours { id });
    }
    if let Some(reference) = stored(&state.db, &entry.id).await? {
        return Ok(Outcome::Stored { id, reference });
    }
    if erased::entry(&mut *state.db.read.acquire().await?, &state.key, &entry.id).await? {
        return Ok(Outcome::Refused {
            id,
            reasons: vec![format!("This entry was sent before, but {}. Discard it.", erased::REFUSAL)],
        });
    }
    let (version, progress) = match check(state, lookups, entry).await? {
        Ok(checked) => checked,
        Err(reasons) => return Ok(Outcome::Refused { id, reasons }),
    };
    let reference = store(state, officer, entry, &version, &progress).await?;
    Ok(Outcome::Stored { id, reference })
}

async fn stored(db: &Db, entry_id: &str) -> Result<Option<String>, AppError> {
    Ok(sqlx::query_scalar("SELECT reference FROM response WHERE entry_id = $1")
        .bind(entry_id)
        .fetch_optional(&db.write)
        .await?)
}

/// Every rule the server holds an entry to, as for any other answer; the reasons it fails, each
/// worded for the officer who took it.
async fn check(
    state: &AppState,
    lookups: &mut Lookups,
    entry: &Entry,
) -> Result<Result<(SurveyVersion, Progress), Vec<String>>, AppError> {
    let refuse = |reason: String| Ok(Err(vec![reason]));
    let (current, version, published_at) = match lookups.version(state, &entry.survey, entry.version).await? {
        Found::NoSurvey => return refuse(format!("There is no survey \u{201c}{}\u{201d} here.", entry.survey)),
        Found::NoVersion(title) => return refuse(format!("{title} has no version {}.", entry.version)),
        Found::Version { current, version, published_at } => (current, version, published_at),
    };
    let title = version.survey.title().to_owned();
    if entry.taken_at > now() + CLOCK_SKEW_SECS {
        return refuse("It was taken at a time still to come: check the device's date and time.".into());
    }
    if entry.taken_at < published_at - CLOCK_SKEW_SECS {
        return refuse(format!(
            "It was taken before version {} of {title} was published: check the device's date and time.",
            entry.version
        ));
    }
    // Open when it was taken, as the survey stood then: an interview taken offline while it was
    // open is kept though the survey has closed since the officer got back in range.
    match then::availability(state, &current, &entry.survey, entry.taken_at).await? {
        Availability::Open => {}
        Availability::NotYet(_) => return refuse(format!("It was taken before {title} opened.")),
        Availability::Closed => return refuse(format!("It was taken when {title} was closed.")),
    }

    // At a place the survey was taken at when it was taken, though the place may be gone since.
    let mut reasons = Vec::new();
    let here = lookups.places(state).await?.iter().find(|l| l.id == entry.location_id).cloned();
    match here {
        None => reasons.push("Its location is not one of the council's locations.".to_owned()),
        Some(place) => {
            let listed_then = place.active || then::place_active(state, place.id, entry.taken_at).await?;
            let taken_then = lookups.takes_place(state, version.survey_id, place.id).await?
                || then::survey_takes_place(state, &entry.survey, place.id, entry.taken_at).await?;
            if !listed_then {
                reasons
                    .push(format!("{} was no longer one of the council's locations when it was taken.", place.label));
            } else if !taken_then {
                reasons.push(format!("{title} was not taken at {} when it was taken.", place.label));
            }
        }
    }
    let language = match entry.language.as_deref() {
        None => None,
        Some(tag) => match version.survey.offered_language(tag) {
            Some(language) => Some(language.clone()),
            None => {
                reasons.push(format!("{title} is not offered in the language \u{201c}{tag}\u{201d}."));
                None
            }
        },
    };
    let survey = version.survey.in_language(language.as_ref());
    let known = all_field_names(survey.questions());
    if let Some((name, _)) = entry.answers.iter().find(|(name, _)| !known.contains(name)) {
        reasons.push(format!(
            "It answers a question that is not in version {} of {title} (\u{201c}{name}\u{201d}).",
            entry.version
        ));
    } else {
        match read_all(survey.questions(), &entry.answers, state.config.clock.day_of(entry.taken_at)) {
            Ok(all) => {
                let progress = Progress { language, ..Progress::from(all) };
                if reasons.is_empty() {
                    return Ok(Ok((version, progress)));
                }
            }
            Err((_, problems)) => reasons.extend(problems.into_iter().map(|p| p.message)),
        }
    }
    Ok(Err(reasons))
}

/// Stores the checked entry as a response taken by the officer at outreach, in one transaction
/// with its answers, its counts and the audit record. Two sends racing store it once: the second
/// meets the unique entry id and answers with the first's reference.
async fn store(
    state: &AppState,
    officer: &SignedIn,
    entry: &Entry,
    version: &SurveyVersion,
    progress: &Progress,
) -> Result<String, AppError> {
    let route = Route::new(&version.survey, progress);
    let rows = rows(&route);
    let mut attempts = 0;
    loop {
        attempts += 1;
        let reference = reference::generate();
        // The device deletes the entry when told it is stored: on disk first.
        let mut writer = state.db.durable().await?;
        let mut tx = writer.begin().await?;
        let new = NewResponse {
            reference: &reference,
            survey_id: version.survey_id,
            version_id: version.version_id,
            channel: CHANNEL_OUTREACH,
            barriers: route.barriers(),
            submitted_at: entry.taken_at,
            day: state.config.clock.day_number(entry.taken_at),
            officer_id: Some(officer.id()),
            location_id: Some(entry.location_id),
            language: progress.language.as_ref().unwrap_or(version.survey.language()).as_str(),
            entry_id: Some(&entry.id),
        };
        let response_id = match insert(&mut tx, &new).await {
            Ok(id) => id,
            Err(e) if is_unique_violation(&e) => {
                tx.rollback().await?;
                drop(writer);
                // Sent already, by another tab or a retry that crossed this one.
                if let Some(reference) = stored(&state.db, &entry.id).await? {
                    return Ok(reference);
                }
                // Otherwise a clash of references, rare in 31^8: try again with a new one.
                if attempts < 5 {
                    continue;
                }
                return Err(e.into());
            }
            Err(e) => return Err(e.into()),
        };
        insert_answers(&mut tx, &rows.iter().map(|row| (response_id, *row)).collect::<Vec<_>>()).await?;
        tally::add(&mut tx, &version.survey, Scope::Response(response_id), 1).await?;
        let after = serde_json::json!({
            "channel": CHANNEL_OUTREACH,
            "location_id": entry.location_id,
            "entry_id": entry.id,
            "taken_at": entry.taken_at,
            "answers": rows.iter().copied().map(AnswerRow::to_json).collect::<Vec<_>>(),
        });
        audit::record(
            &mut *tx,
            Some(officer.id()),
            Event::ResponseCreate,
            &format!("response/{reference}"),
            None,
            Some(after),
        )
        .await?;
        tx.commit().await?;
        return Ok(reference);
    }
}
