//! Findings: figures quoted from the survey, such as "15 of 51 residents who used online services
//! would not use them again". Each is saved from the dashboard with the filters it was shown with,
//! so the same figure can be counted again: the plan shows it "then" and "now".

use super::store;
use crate::auth::{AnalystUser, StaffForm};
use crate::db::Db;
use crate::error::AppError;
use crate::insight::interval::{Change, Sureness, WeightedShare};
use crate::insight::weighting::results::{Weighting, weighted};
use crate::insight::{Cell, QuestionSummary, Summary, summarise};
use crate::paths::staff;
use crate::responses::filters::FilterQuery;
use crate::state::AppState;
use crate::survey::about_you;
use crate::ui::{Chrome, Notification, Page, ScrollingTable, render, trimmed};
use axum::extract::{Query, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::*;
use serde::Deserialize;
use std::collections::HashMap;

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
    pub target: Option<Target>,
}

/// The plan's target for a finding's figure: "10% by March 2028".
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// As a fraction.
    pub share: f64,
    pub by: String,
}

impl Target {
    /// The target against the latest figure, in words: reached only when the latest figure's
    /// whole 95% interval is past it (on the far side from where the finding started), so that a
    /// figure that may only seem to have moved is never called a success; "not yet reached"
    /// otherwise.
    /// `now` is how sure the latest figure is: weighted when the results are.
    pub fn words(&self, then: Figure, now: Option<Sureness>) -> String {
        let by = if self.by.is_empty() { String::new() } else { format!(" by {}", self.by) };
        let target = format!("{:.0}%{by}", self.share * 100.0);
        let (Some(start), Some(sure)) = (then.count.percent_of(then.base), now) else { return target };
        let down = self.share * 100.0 < start;
        let reached = if down { sure.interval.high < self.share } else { sure.interval.low > self.share };
        if reached {
            format!(
                "{target}: reached (the latest figure's 95% interval is all {} it)",
                if down { "below" } else { "above" }
            )
        } else {
            format!("{target}: not yet reached")
        }
    }
}

/// A count out of a base, either of which may be held back in publishable output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Figure {
    pub count: Cell,
    pub base: Cell,
}

impl Figure {
    /// "15 of 51 (29.4%; 95% interval 19% to 43%, treat with caution)", or "[c] of 51" when held
    /// back.
    pub fn text(self) -> String {
        match (self.count.percent_of(self.base), Sureness::of(self.count, self.base)) {
            (Some(p), Some(sure)) => {
                format!("{} of {} ({p:.1}%; 95% interval {})", self.count.shown(), self.base.shown(), sure.words())
            }
            _ => format!("{} of {}", self.count.shown(), self.base.shown()),
        }
    }
}

impl Figure {
    pub fn sureness(self) -> Option<Sureness> {
        Sureness::of(self.count, self.base)
    }

    /// Whether this figure beside `then` (the same figure counted earlier) tells nothing of the
    /// answers that came in between: the new people, those of them who gave the answer and those
    /// who did not are each none or at least `threshold`. (Fewer people now, after an erasure or
    /// a correction, is a change like any other.)
    pub fn change_shows_nobody(self, then: Figure, threshold: i64) -> bool {
        let passes = |n: i64| n == 0 || n.abs() >= threshold;
        let (count, base) = (self.count.value() - then.count.value(), self.base.value() - then.base.value());
        passes(count) && passes(base) && passes(base - count)
    }
}

/// Reads a stored query string back into the dashboard's filters.
fn parse_filters(filters: &str) -> Result<FilterQuery, AppError> {
    let uri: Uri =
        format!("/?{filters}").parse().map_err(|_| AppError::BadRequest("The filters could not be read.".into()))?;
    Query::<FilterQuery>::try_from_uri(&uri)
        .map(|q| q.0)
        .map_err(|_| AppError::BadRequest("The filters could not be read.".into()))
}

/// The figure for one answer to one question under the given filters, counted now. `None` when
/// the survey no longer asks that question or offers that answer.
pub async fn figure(
    state: &AppState,
    slug: &str,
    question: &str,
    option: &str,
    filters: &str,
) -> Result<Option<Figure>, AppError> {
    Ok(summary_now(state, slug, filters).await?.and_then(|(s, _)| pick(&s, question, option)))
}

/// The survey's summary under the given filters, counted now, and weighted when the results
/// are; `None` if the survey has gone.
async fn summary_now(state: &AppState, slug: &str, filters: &str) -> Result<Option<(Summary, Weighting)>, AppError> {
    let Some(version) = state.surveys.current(&state.db, slug).await? else { return Ok(None) };
    let filters = parse_filters(filters)?.filters(&state.config.clock)?;
    let summary = summarise(&state.db, &state.surveys, &version, &filters).await?;
    Ok(Some((summary, weighted(&state.db, &state.surveys, &version, &filters).await?)))
}

/// One answer's figure from a summary.
fn pick(summary: &Summary, question: &str, option: &str) -> Option<Figure> {
    answer(summary.questions.iter().find(|q| q.id == question)?, option)
}

/// One answer's figure from its question's summary.
fn answer(q: &QuestionSummary, option: &str) -> Option<Figure> {
    q.rows.iter().find(|r| r.id == option).map(|r| Figure { count: r.count, base: q.base })
}

impl From<store::FindingRow> for Finding {
    fn from(row: store::FindingRow) -> Finding {
        Finding {
            id: row.id,
            slug: row.slug,
            question_id: row.question_id,
            option_id: row.option_id,
            filters: row.filters,
            statement: row.statement,
            then: Figure { count: Cell::Count(row.count_then), base: Cell::Count(row.base_then) },
            created_at: row.created_at,
            target: row
                .target_percent
                .map(|percent| Target { share: percent / 100.0, by: row.target_by.unwrap_or_default() }),
        }
    }
}

/// Every finding, newest first.
pub async fn all(db: &Db) -> Result<Vec<Finding>, AppError> {
    Ok(store::findings(db).await?.into_iter().map(Finding::from).collect())
}

/// A finding with its figure counted again now.
pub struct Current {
    pub finding: Finding,
    pub now: Option<Figure>,
    /// Why the figure now is not published, when it is not.
    pub withheld: Option<&'static str>,
    /// The figure now weighted to the borough, when the results are weighted for its view.
    pub weighted: Option<WeightedShare>,
    /// The day it was saved, in the council's time zone (`YYYY-MM-DD`).
    pub taken_on: String,
}

impl Current {
    /// The figure now in words, or why there is none; weighted, as the count came and weighted
    /// to the borough.
    pub fn now_text(&self) -> String {
        match (self.withheld, self.now, self.weighted()) {
            (Some(why), _, _) => why.to_owned(),
            (None, Some(now), None) => now.text(),
            (None, Some(now), Some(w)) => format!(
                "{}; weighted to the borough {:.1}% (95% interval {})",
                now.text(),
                w.share * 100.0,
                w.sureness().words()
            ),
            (None, None, _) => "No longer asked".to_owned(),
        }
    }

    /// The weighted share, only beside a count and base that are shown.
    fn weighted(&self) -> Option<WeightedShare> {
        let shown = |now: &Figure| matches!((now.count, now.base), (Cell::Count(_), Cell::Count(b)) if b > 0);
        self.weighted.filter(|_| self.withheld.is_none() && self.now.as_ref().is_some_and(shown))
    }

    /// The plan's target for the figure against the latest one (weighted when the results are),
    /// or a dash when it has none.
    pub fn target_text(&self) -> String {
        let now = self.now.filter(|_| self.withheld.is_none());
        let sure = match self.weighted() {
            Some(w) => Some(w.sureness()),
            None => now.and_then(Figure::sureness),
        };
        self.finding.target.as_ref().map_or_else(|| "\u{2013}".to_owned(), |t| t.words(self.finding.then, sure))
    }

    /// How the share among those who answered since the finding was saved differs from the share
    /// then (two groups of different people, so the test is fair), in words; a dash when either
    /// figure is not shown. Only "then" and "now" go into it, so it shows nothing they do not.
    /// Unweighted, as "then" was saved: the weights are not kept by day.
    pub fn change_text(&self) -> String {
        const NONE: &str = "\u{2013}";
        let (None, Some(now)) = (self.withheld, self.now) else { return NONE.to_owned() };
        let then = self.finding.then;
        let (Cell::Count(count), Cell::Count(base), Cell::Count(count_now), Cell::Count(base_now)) =
            (then.count, then.base, now.count, now.base)
        else {
            return NONE.to_owned();
        };
        if base_now == base {
            return "No answers since".to_owned();
        }
        Change::between(count, base, count_now - count, base_now - base)
            .map_or_else(|| NONE.to_owned(), |change| format!("Since then, {}", change.words()))
    }
}

/// These findings, each with its exact figure now, for staff.
pub async fn with_figures_now(state: &AppState, findings: Vec<Finding>) -> Result<Vec<Current>, AppError> {
    let mut current = Vec::with_capacity(findings.len());
    // Findings taken from the same view share one count.
    let mut counted: HashMap<(String, String), Option<(Summary, Weighting)>> = HashMap::new();
    for finding in findings {
        let key = (finding.slug.clone(), finding.filters.clone());
        if !counted.contains_key(&key) {
            let summary = summary_now(state, &finding.slug, &finding.filters).await?;
            counted.insert(key.clone(), summary);
        }
        let (question, option) = (&finding.question_id, &finding.option_id);
        let now = counted[&key].as_ref().and_then(|(s, _)| pick(s, question, option));
        let weighted = match &counted[&key] {
            Some((_, Weighting::On(w))) => w.share(question, option),
            _ => None,
        };
        let taken_on = state.config.clock.day_of(finding.created_at).to_string();
        current.push(Current { finding, now, withheld: None, weighted, taken_on });
    }
    Ok(current)
}

/// Which publishable figures a finding's filters point to: every response, or one group of a
/// breakdown (a cell of that breakdown's published cube). Anything else is not published.
fn published_view(filters: &FilterQuery) -> Option<Option<(&'static str, String)>> {
    // Only a breakdown's groups are cells of a published cube: not language, version or dates.
    let cube = |by: &str| ["channel", "location"].contains(&by) || crate::survey::ABOUT_YOU_FILTERS.contains(&by);
    let set: Vec<(&'static str, &str)> = filters
        .named()
        .into_iter()
        .filter_map(|(name, v)| Some((name, v.as_deref().filter(|v| !v.is_empty())?)))
        .collect();
    match set.as_slice() {
        [] => Some(None),
        [(by, group)] if cube(by) => Some(Some((*by, (*group).to_owned()))),
        _ => None,
    }
}

const NOT_PUBLISHED: &str = "Not published: figures for dates, a language, a version or several filters at once could be taken from other published figures to show a small group";
const TOO_FEW_NEW: &str =
    "Held back: so few answers came in since the finding was saved that the change would show what they said";

/// These findings as published: each figure now is the one every other publishable output shows
/// (the headline figures, or a cell of a breakdown's cube), shown only when it and its change
/// since the finding was saved pass the threshold, since "then" and "now" side by side give away
/// the answers that came in between. The "then" figures of one question and view are held back
/// together, as rows of one table.
pub async fn published(state: &AppState, findings: Vec<Finding>, threshold: i64) -> Result<Vec<Current>, AppError> {
    use crate::insight::publish::{Headline, cube, published_headline};
    let mut headlines: HashMap<String, Option<(crate::survey::SurveyVersion, Summary, Headline)>> = HashMap::new();
    let mut cubes: HashMap<(String, &'static str), Option<Vec<(String, Vec<crate::insight::crosstab::Column>)>>> =
        HashMap::new();
    let mut current = Vec::with_capacity(findings.len());
    // The exact figures now, to tell whether the change since then shows anybody's answer.
    // The weighted share of a view published (every response, or one group) is of the same
    // responses, and is shown only beside the published count and base.
    for Current { finding, now: exact, weighted, taken_on, .. } in with_figures_now(state, findings).await? {
        let view = parse_filters(&finding.filters).ok().and_then(|q| published_view(&q));
        let Some(view) = view else {
            current.push(Current { finding, now: None, withheld: Some(NOT_PUBLISHED), weighted: None, taken_on });
            continue;
        };
        if !headlines.contains_key(&finding.slug) {
            let loaded = match state.surveys.current(&state.db, &finding.slug).await? {
                Some(version) => {
                    let (summary, _, headline) =
                        published_headline(&state.db, &state.surveys, &version, threshold).await?;
                    Some((version, summary, headline))
                }
                None => None,
            };
            headlines.insert(finding.slug.clone(), loaded);
        }
        let Some((version, summary, headline)) = &headlines[&finding.slug] else {
            current.push(Current { finding, now: None, withheld: None, weighted: None, taken_on });
            continue;
        };
        let now = match view {
            None => pick(summary, &finding.question_id, &finding.option_id),
            Some((by, group)) => {
                let key = (finding.slug.clone(), by);
                if !cubes.contains_key(&key) {
                    cubes.insert(key.clone(), cube(&state.db, &state.surveys, version, headline, by, threshold).await?);
                }
                cubes[&key].as_ref().and_then(|cube| {
                    let (_, columns) = cube.iter().find(|(id, _)| *id == finding.question_id)?;
                    answer(&columns.iter().find(|c| c.id == group)?.summary, &finding.option_id)
                })
            }
        };
        let withheld = exact
            .filter(|exact| now.is_some() && !exact.change_shows_nobody(finding.then, threshold))
            .map(|_| TOO_FEW_NEW);
        let now = if withheld.is_some() { None } else { now };
        current.push(Current { finding, now, withheld, weighted, taken_on });
    }
    hold_back_then(&mut current, threshold);
    Ok(current)
}

/// The "then" figures as published: those of one question in one view are rows of one table
/// whose other rows (the answers no finding quotes, and "No answer") are not shown but add up
/// with them to the base; held back as a table is.
fn hold_back_then(current: &mut [Current], threshold: i64) {
    use crate::insight::suppress::Table;
    let mut tables: HashMap<(String, String, String, i64), Vec<usize>> = HashMap::new();
    for (i, c) in current.iter().enumerate() {
        let f = &c.finding;
        tables
            .entry((f.slug.clone(), f.question_id.clone(), f.filters.clone(), f.then.base.value()))
            .or_default()
            .push(i);
    }
    for members in tables.values() {
        let mut table = Table::default();
        let base = table.figure(current[members[0]].finding.then.base.value());
        // One figure per answer quoted, however many findings quote it.
        let mut options: Vec<(String, usize)> = Vec::new();
        for i in members {
            let f = &current[*i].finding;
            if !options.iter().any(|(o, _)| *o == f.option_id) {
                options.push((f.option_id.clone(), table.figure(f.then.count.value())));
            }
        }
        let shown: i64 = options.iter().map(|(_, figure)| table.value(*figure)).sum();
        let mut parts: Vec<usize> = options.iter().map(|(_, f)| *f).collect();
        // Several answers can be chosen of some questions: then the answers do not add up, and
        // each is only bounded by the base; a remainder under the threshold is still held.
        parts.push(table.unpublished((table.value(base) - shown).max(0)));
        if options.len() == 1 || shown <= table.value(base) {
            table.adds_up(parts, base);
        }
        table.suppress(threshold);
        for i in members {
            let figure =
                options.iter().find(|(o, _)| *o == current[*i].finding.option_id).map(|(_, f)| *f).unwrap_or(base);
            let then = &mut current[*i].finding.then;
            if table.is_held(figure) {
                then.count = Cell::Suppressed;
            }
            if table.is_held(base) {
                then.base = Cell::Suppressed;
                then.count = Cell::Suppressed;
            }
        }
    }
}

/// The filters in words, for people reading the plan: "Channel: phone; From: 2026-04-01".
pub fn describe(filters: &str) -> String {
    let names = [
        ("from", "From"),
        ("to", "To"),
        ("channel", "Channel"),
        ("location", "Location"),
        ("version", "Survey version"),
        ("language", "Language answered in"),
        (about_you::WARD, "Ward"),
        (about_you::AGE_BAND, "Age band"),
        (about_you::DISABILITY, "Disability"),
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
    /// The plan's target for the figure, in percent (optional), and when by.
    #[serde(default, deserialize_with = "trimmed")]
    target: String,
    #[serde(default, deserialize_with = "trimmed")]
    target_by: String,
}

impl NewFinding {
    /// The target as given: none, or a percentage from 0 to 100 and its date in words.
    fn target(&self) -> Result<Option<(f64, &str)>, AppError> {
        let refuse = |message: &str| AppError::BadRequest(message.to_owned());
        if self.target_by.chars().count() > MAX_TARGET_BY {
            return Err(refuse(&format!(
                "When the target is for must be {MAX_TARGET_BY} characters or fewer, such as March 2028."
            )));
        }
        if self.target.is_empty() {
            return match self.target_by.is_empty() {
                true => Ok(None),
                false => Err(refuse("Give the target as a percentage, such as 10, or leave both target boxes empty.")),
            };
        }
        let percent =
            self.target.trim_end_matches('%').trim().parse::<f64>().ok().filter(|p| (0.0..=100.0).contains(p));
        let percent = percent.ok_or_else(|| refuse("The target must be a percentage from 0 to 100, such as 10."))?;
        Ok(Some((percent, self.target_by.as_str())))
    }
}

const MAX_TARGET_BY: usize = 40;

pub async fn create(
    State(state): State<AppState>,
    AnalystUser(user): AnalystUser,
    StaffForm(form): StaffForm<NewFinding>,
) -> Result<Response, AppError> {
    let refuse = |message: &str| AppError::BadRequest(message.to_owned());
    let slug = form.survey.as_str();
    let version = state.surveys.current(&state.db, slug).await?.ok_or(AppError::NotFound)?;
    let question = version
        .survey
        .question(&form.question)
        .filter(|q| q.kind.is_choice())
        .ok_or_else(|| refuse("Choose a question with answers to choose from."))?;
    let option = question
        .options
        .iter()
        .find(|o| o.id == form.option)
        .ok_or_else(|| refuse("Choose one of the question's answers."))?;
    let query = parse_filters(&form.filters)?;
    query.filters(&state.config.clock)?;
    let filters = query.filter_string();
    let wording = form.wording.as_str();
    if wording.chars().count() > MAX_WORDING {
        return Err(refuse(&format!("The wording must be {MAX_WORDING} characters or fewer.")));
    }
    let target = form.target()?;
    let then = figure(&state, slug, &question.id, &option.id, &filters).await?.ok_or(AppError::NotFound)?;
    let (Cell::Count(count), Cell::Count(base)) = (then.count, then.base) else {
        return Err(AppError::Internal(anyhow::anyhow!("exact figure held back")));
    };
    // The figure itself is shown beside the words, then and now, so that it can be held back.
    let statement = if wording.is_empty() {
        format!("Answered \u{201c}{}\u{201d} to \u{201c}{}\u{201d}", option.label, question.text)
    } else {
        wording.to_owned()
    };
    let new = store::NewFinding {
        survey_id: version.survey_id,
        question_id: &question.id,
        option_id: &option.id,
        filters: &filters,
        statement: &statement,
        count,
        base,
        target,
    };
    let id = store::create_finding(&state.db, user.id(), slug, &new).await?;
    Ok(Redirect::to(&staff::finding_saved(id)).into_response())
}

#[derive(Debug, Deserialize)]
pub struct Saved {
    saved: Option<i64>,
}

pub async fn list(
    State(state): State<AppState>,
    AnalystUser(user): AnalystUser,
    Query(saved): Query<Saved>,
) -> Result<Response, AppError> {
    let findings = with_figures_now(&state, all(&state.db).await?).await?;
    Ok(render(Chrome::staff(&state.config, user.nav()), StatusCode::OK, move || {
        let rows = findings.into_iter().map(|c| view! { <FindingRow current=c /> }).collect_view();
        view! {
            <Page title="Survey findings".to_owned()>
                <Notification text=saved
                    .saved
                    .map(|_| "Finding saved. Link it to an action from the action's edit page.".to_owned()) />
                <h1 class="heading-l">"Survey findings"</h1>
                <p class="body">
                    "Figures from the survey that actions in the plan are based on. \u{201c}Now\u{201d} counts the same answers with the same filters again today."
                </p>
                <ScrollingTable
                    label="Survey findings, newest first".to_owned()
                    columns=vec!["Finding", "Filters", "Then", "Now", "Change", "Target"]
                >
                    {rows}
                </ScrollingTable>
                <p class="body">
                    <a class="link" href=staff::ACTION_PLAN>
                        "Go to the action plan"
                    </a>
                </p>
            </Page>
        }
    }))
}

/// One finding as a table row: its words, filters, and the figure then and now.
#[component]
pub fn FindingRow(
    current: Current,
    /// In the printed committee report: the statement without its link to the dashboard.
    #[prop(optional)]
    printed: bool,
) -> impl IntoView {
    let (now, change, target) = (current.now_text(), current.change_text(), current.target_text());
    let Current { finding, taken_on, .. } = current;
    let dashboard = staff::results_filtered(&finding.slug, &finding.filters);
    let statement = if printed {
        finding.statement.into_any()
    } else {
        view! {
            <a class="link" href=dashboard>
                {finding.statement}
            </a>
        }
        .into_any()
    };
    view! {
        <tr id=format!("finding-{}", finding.id)>
            <td class="prose">{statement}</td>
            <td>{describe(&finding.filters)}</td>
            <td>{format!("{} on {}", finding.then.text(), taken_on)}</td>
            <td>{now}</td>
            <td>{change}</td>
            <td>{target}</td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_and_filters_read_plainly() {
        assert_eq!(
            Figure { count: Cell::Count(15), base: Cell::Count(51) }.text(),
            "15 of 51 (29.4%; 95% interval 19% to 43%, treat with caution)"
        );
        assert_eq!(Figure { count: Cell::Suppressed, base: Cell::Count(51) }.text(), "[c] of 51");
        assert_eq!(describe(""), "All responses");
        let figure = |n, b| Figure { count: Cell::Count(n), base: Cell::Count(b) };
        // 15 of 51, then 16 of 52: the one new person gave the answer.
        assert!(!figure(16, 52).change_shows_nobody(figure(15, 51), 5));
        assert!(!figure(15, 52).change_shows_nobody(figure(15, 51), 5), "nor did they: 52 - 15 less 51 - 15");
        assert!(figure(15, 51).change_shows_nobody(figure(15, 51), 5));
        assert!(figure(20, 61).change_shows_nobody(figure(15, 51), 5), "5 of 10 new people");
        assert!(!figure(20, 60).change_shows_nobody(figure(15, 51), 5), "5 of 9: 4 did not");
        assert_eq!(describe("from=2026-04-01&channel=phone&nonsense=1"), "From: 2026-04-01; Channel: phone");
        assert_eq!(describe("language=cy"), "Language answered in: cy", "a finding about Welsh answers says so");
    }

    #[test]
    fn a_target_is_reached_only_when_the_whole_interval_is_past_it() {
        let figure = |n, b| Figure { count: Cell::Count(n), base: Cell::Count(b) };
        let target = Target { share: 0.10, by: "March 2028".into() };
        // From 18 of 100: 15 of 200 (7.5%, interval 4.6% to 12.0%) may still be above 10%.
        assert_eq!(target.words(figure(18, 100), figure(15, 200).sureness()), "10% by March 2028: not yet reached");
        // 10 of 400 (2.5%, interval 1.4% to 4.5%) is clearly below it.
        assert!(
            target
                .words(figure(18, 100), figure(10, 400).sureness())
                .ends_with("reached (the latest figure's 95% interval is all below it)")
        );
        // Aiming up: from 46% to 60%.
        let up = Target { share: 0.60, by: String::new() };
        assert_eq!(
            up.words(figure(51, 110), figure(130, 200).sureness()),
            "60%: not yet reached",
            "65% of 200: 58% to 71%"
        );
        assert_eq!(up.words(figure(51, 110), None), "60%");
    }
}
