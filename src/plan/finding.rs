//! Findings: figures quoted from the survey, such as "15 of 51 residents who used online services
//! would not use them again". Each is saved from the dashboard with the filters it was shown with,
//! so the same figure can be counted again: the plan shows it "then" and "now".

use crate::state::AppState;
use crate::db::{now, Db};
use crate::error::AppError;
use crate::insight::filters::FilterQuery;
use crate::insight::{summarise, Cell, Summary};
use std::collections::HashMap;
use crate::auth::{AnalystUser, StaffForm};
use crate::ui::{render, trimmed, Page, ScrollingTable};
use axum::extract::{Query, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::*;
use serde::Deserialize;
use sqlx::Row;

const MAX_WORDING: usize = 300;

#[derive(Debug, Clone)]
pub struct Finding {
    pub id: i64,
    pub slug: String,
    pub question_id: String,
    pub option_id: String,
    /// The dashboard's query string when it was saved.
    pub filters: String,
    pub statement: String,
    pub then: Figure,
    pub created_at: i64,
}

/// A count out of a base, either of which may be held back in publishable output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Figure {
    pub count: Cell,
    pub base: Cell,
}

impl Figure {
    /// "15 of 51 (29.4%)", or "[c] of 51" when held back.
    pub fn text(self) -> String {
        let show = |c: Cell| match c {
            Cell::Count(n) => crate::survey::thousands(n as usize),
            Cell::Suppressed => "[c]".to_owned(),
        };
        match self.count.percent_of(self.base) {
            Some(p) => format!("{} of {} ({p:.1}%)", show(self.count), show(self.base)),
            None => format!("{} of {}", show(self.count), show(self.base)),
        }
    }
}

impl Figure {
    /// As published: a count under `threshold` is held back, and so is one whose remainder (the
    /// base less the count) is, since the base would give it away; a base under it is too.
    pub fn held_back(self, threshold: i64) -> Figure {
        let small = |n: i64| n > 0 && n < threshold;
        match (self.count, self.base) {
            (Cell::Count(n), Cell::Count(b)) => Figure {
                count: if small(n) || small(b - n) || small(b) { Cell::Suppressed } else { self.count },
                base: if small(b) { Cell::Suppressed } else { self.base },
            },
            _ => Figure { count: Cell::Suppressed, base: self.base },
        }
    }
}

/// Reads a stored query string back into the dashboard's filters.
fn parse_filters(filters: &str) -> Result<FilterQuery, AppError> {
    let uri: Uri = format!("/?{filters}").parse().map_err(|_| AppError::BadRequest("The filters could not be read.".into()))?;
    Query::<FilterQuery>::try_from_uri(&uri)
        .map(|q| q.0)
        .map_err(|_| AppError::BadRequest("The filters could not be read.".into()))
}

/// The figure for one answer to one question under the given filters, counted now. `None` when
/// the survey no longer asks that question or offers that answer.
pub async fn figure(state: &AppState, slug: &str, question: &str, option: &str, filters: &str) -> Result<Option<Figure>, AppError> {
    Ok(summary_now(state, slug, filters).await?.and_then(|s| pick(&s, question, option)))
}

/// The survey's summary under the given filters, counted now; `None` if the survey has gone.
async fn summary_now(state: &AppState, slug: &str, filters: &str) -> Result<Option<Summary>, AppError> {
    let Some(version) = state.surveys.current(&state.db, slug).await? else { return Ok(None) };
    let filters = parse_filters(filters)?.filters(&state.config.clock)?;
    Ok(Some(summarise(&state.db, &state.surveys, &version, &filters).await?))
}

/// One answer's figure from a summary.
fn pick(summary: &Summary, question: &str, option: &str) -> Option<Figure> {
    let q = summary.questions.iter().find(|q| q.id == question)?;
    q.rows.iter().find(|r| r.id == option).map(|r| Figure { count: r.count, base: q.base })
}

const COLUMNS: &str = "f.id, s.slug, f.question_id, f.option_id, f.filters, f.statement, f.count_then, f.base_then, f.created_at";

fn from_row(row: &sqlx::any::AnyRow) -> Result<Finding, AppError> {
    Ok(Finding {
        id: row.try_get("id")?,
        slug: row.try_get("slug")?,
        question_id: row.try_get("question_id")?,
        option_id: row.try_get("option_id")?,
        filters: row.try_get("filters")?,
        statement: row.try_get("statement")?,
        then: Figure { count: Cell::Count(row.try_get("count_then")?), base: Cell::Count(row.try_get("base_then")?) },
        created_at: row.try_get("created_at")?,
    })
}

/// Every finding, newest first.
pub async fn all(db: &Db) -> Result<Vec<Finding>, AppError> {
    let sql = format!("SELECT {COLUMNS} FROM finding f JOIN survey s ON s.id = f.survey_id ORDER BY f.id DESC");
    let rows = sqlx::query(&sql).fetch_all(&db.read).await?;
    rows.iter().map(from_row).collect()
}

/// A finding with its figure counted again now.
pub struct Current {
    pub finding: Finding,
    pub now: Option<Figure>,
    /// The day it was saved, in the council's time zone (`YYYY-MM-DD`).
    pub taken_on: String,
}

/// These findings, each with its figure now; both figures held back when `threshold` is given.
pub async fn with_figures_now(state: &AppState, findings: Vec<Finding>, threshold: Option<i64>) -> Result<Vec<Current>, AppError> {
    let mut current = Vec::with_capacity(findings.len());
    // Findings taken from the same view share one count.
    let mut counted: HashMap<(String, String), Option<Summary>> = HashMap::new();
    for mut finding in findings {
        let key = (finding.slug.clone(), finding.filters.clone());
        if !counted.contains_key(&key) {
            let summary = summary_now(state, &finding.slug, &finding.filters).await?;
            counted.insert(key.clone(), summary);
        }
        let mut now = counted[&key].as_ref().and_then(|s| pick(s, &finding.question_id, &finding.option_id));
        if let Some(threshold) = threshold {
            finding.then = finding.then.held_back(threshold);
            now = now.map(|f| f.held_back(threshold));
        }
        let taken_on = state.config.clock.day_of(finding.created_at).to_string();
        current.push(Current { finding, now, taken_on });
    }
    Ok(current)
}

/// The filters in words, for people reading the plan: "Channel: phone; From: 2026-04-01".
pub fn describe(filters: &str) -> String {
    let names = [
        ("from", "From"),
        ("to", "To"),
        ("channel", "Channel"),
        ("location", "Location"),
        ("version", "Survey version"),
        ("ward", "Ward"),
        ("age_band", "Age band"),
        ("disability", "Disability"),
    ];
    let parts: Vec<String> = form_urlencoded::parse(filters.as_bytes())
        .filter_map(|(k, v)| names.iter().find(|(key, _)| *key == k).map(|(_, name)| format!("{name}: {v}")))
        .collect();
    if parts.is_empty() { "All responses".to_owned() } else { parts.join("; ") }
}

/// "Save as a finding" on the results page: hidden fields the page wrote, and the analyst's words.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewFinding {
    #[serde(default)]
    survey: String,
    #[serde(default)]
    question: String,
    #[serde(default)]
    option: String,
    #[serde(default)]
    filters: String,
    #[serde(default, deserialize_with = "trimmed")]
    wording: String,
}

pub async fn create(State(state): State<AppState>, AnalystUser(user): AnalystUser, StaffForm(form): StaffForm<NewFinding>) -> Result<Response, AppError> {
    let refuse = |message: &str| AppError::BadRequest(message.to_owned());
    let slug = form.survey.as_str();
    let version = state.surveys.current(&state.db, slug).await?.ok_or(AppError::NotFound)?;
    let question = version.survey.question(&form.question).filter(|q| q.kind.is_choice()).ok_or_else(|| refuse("Choose a question with answers to choose from."))?;
    let option = question.options.iter().find(|o| o.id == form.option).ok_or_else(|| refuse("Choose one of the question's answers."))?;
    let query = parse_filters(&form.filters)?;
    query.filters(&state.config.clock)?;
    let filters = query.filter_string();
    let wording = form.wording.as_str();
    if wording.chars().count() > MAX_WORDING {
        return Err(refuse(&format!("The wording must be {MAX_WORDING} characters or fewer.")));
    }
    let then = figure(&state, slug, &question.id, &option.id, &filters).await?.ok_or(AppError::NotFound)?;
    let (Cell::Count(count), Cell::Count(base)) = (then.count, then.base) else { return Err(AppError::Internal(anyhow::anyhow!("exact figure held back"))) };
    // The figure itself is shown beside the words, then and now, so that it can be held back.
    let statement = if wording.is_empty() {
        format!("Answered \u{201c}{}\u{201d} to \u{201c}{}\u{201d}", option.label, question.text)
    } else {
        wording.to_owned()
    };
    let mut tx = state.db.write.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO finding (survey_id, question_id, option_id, filters, statement, count_then, base_then, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(version.survey_id)
    .bind(&question.id)
    .bind(&option.id)
    .bind(&filters)
    .bind(&statement)
    .bind(count)
    .bind(base)
    .bind(user.id())
    .bind(now())
    .fetch_one(&mut *tx)
    .await?;
    let after = serde_json::json!({ "survey": slug, "question": question.id, "option": option.id, "filters": filters, "statement": statement, "count": count, "base": base });
    crate::audit::record(&mut *tx, Some(user.id()), "finding.create", &format!("finding/{id}"), None, Some(after)).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/staff/findings?saved={id}#finding-{id}")).into_response())
}

#[derive(Debug, Deserialize)]
pub struct Saved {
    saved: Option<i64>,
}

pub async fn list(State(state): State<AppState>, AnalystUser(user): AnalystUser, Query(saved): Query<Saved>) -> Result<Response, AppError> {
    let findings = with_figures_now(&state, all(&state.db).await?, None).await?;
    Ok(render(state.chrome.staff(user.nav()), StatusCode::OK, move || {
        let rows = findings.into_iter().map(|c| view! { <FindingRow current=c /> }).collect_view();
        view! {
            <Page title="Survey findings".to_owned()>
                {saved.saved.map(|_| view! { <div class="notification" role="status"><p class="body">"Finding saved. Link it to an action from the action's edit page."</p></div> })}
                <h1 class="heading-l">"Survey findings"</h1>
                <p class="body">"Figures from the survey that actions in the plan are based on. \u{201c}Now\u{201d} counts the same answers with the same filters again today."</p>
                <ScrollingTable label="Survey findings, newest first".to_owned() columns=vec!["Finding", "Filters", "Then", "Now"]>{rows}</ScrollingTable>
                <p class="body"><a class="link" href="/staff/action-plan">"Go to the action plan"</a></p>
            </Page>
        }
    }))
}

/// One finding as a table row: its words, filters, and the figure then and now.
#[component]
pub fn FindingRow(current: Current) -> impl IntoView {
    let Current { finding, now, taken_on } = current;
    let dashboard = format!("/staff/surveys/{}?{}", finding.slug, finding.filters);
    let now = now.map_or_else(|| "No longer asked".to_owned(), Figure::text);
    view! {
        <tr id=format!("finding-{}", finding.id)>
            <td><a class="link" href=dashboard>{finding.statement}</a></td>
            <td>{describe(&finding.filters)}</td>
            <td>{format!("{} on {}", finding.then.text(), taken_on)}</td>
            <td>{now}</td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_and_filters_read_plainly() {
        assert_eq!(Figure { count: Cell::Count(15), base: Cell::Count(51) }.text(), "15 of 51 (29.4%)");
        assert_eq!(Figure { count: Cell::Suppressed, base: Cell::Count(51) }.text(), "[c] of 51");
        assert_eq!(describe(""), "All responses");
        let figure = |n, b| Figure { count: Cell::Count(n), base: Cell::Count(b) };
        assert_eq!(figure(15, 51).held_back(5), figure(15, 51));
        assert_eq!(figure(3, 51).held_back(5), Figure { count: Cell::Suppressed, base: Cell::Count(51) });
        assert_eq!(figure(48, 51).held_back(5), Figure { count: Cell::Suppressed, base: Cell::Count(51) }, "51 - 48 = 3");
        assert_eq!(figure(0, 51).held_back(5), figure(0, 51));
        assert_eq!(figure(2, 4).held_back(5), Figure { count: Cell::Suppressed, base: Cell::Suppressed });
        assert_eq!(describe("from=2026-04-01&channel=phone&nonsense=1"), "From: 2026-04-01; Channel: phone");
    }
}
