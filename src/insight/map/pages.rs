//! The map page: any answer's share by ward, or who is still missing by ward, drawn as an SVG on
//! the server with the same figures in a table beside it; and, for admins, the boundaries upload.

use super::{AreaMap, Report, Shade, band_of, bands, read, store};
use crate::auth::account::Role;
use crate::auth::{AdminUser, AnalystUser, CSRF_FIELD, SignedIn, StaffForm, read_upload};
use crate::error::AppError;
use crate::insight::interval::{Sureness, WeightedShare};
use crate::insight::page::PublishableCheckbox;
use crate::insight::population::{self, shortfalls};
use crate::insight::summary::{Cell, OptionRow, QuestionSummary};
use crate::insight::weighting::results::{Of, Shares, Weighting, weighted};
use crate::insight::{crosstab, publish};
use crate::paths::{Done, staff};
use crate::responses::filters::{Filters, flag};
use crate::state::AppState;
use crate::survey::measures::{MEASURES, Measure, Rule};
use crate::survey::{Choice, Question, Survey, SurveyVersion, thousands};
use crate::ui::{
    Chrome, ErrorSummary, NoFields, Notification, Page, Problem, ScrollingTable, Select, UploadForm, render,
};
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::*;
use serde::Deserialize;
use std::collections::HashMap;

/// A sequential blue scale that reads in greyscale and to colour-blind eyes, lightest lowest.
const FILLS: [&str; 5] = ["#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c"];
/// What the map shows when nothing is chosen.
const RESPONSES: &str = "responses";
/// The start of a national measure's name in `show`: `measure.ID`.
const MEASURE: &str = "measure";

#[derive(Debug, Default, Deserialize)]
pub struct MapQuery {
    /// `responses`, `QUESTION.ANSWER` for that answer's share, or `measure.ID` for a national
    /// measure.
    show: Option<String>,
    publishable: Option<String>,
    done: Option<Done>,
}

pub async fn page(
    State(state): State<AppState>,
    AnalystUser(user): AnalystUser,
    Path(slug): Path<String>,
    Query(query): Query<MapQuery>,
) -> Result<Response, AppError> {
    let version = population::pages::current(&state, &slug).await?;
    let done = match query.done {
        Some(Done::Uploaded) => Some("The ward boundaries are saved."),
        Some(Done::Removed) => Some("The ward boundaries are removed."),
        _ => None,
    };
    show(&state, &user, &version, &query, StatusCode::OK, Vec::new(), done).await
}

pub async fn upload(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(slug): Path<String>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let version = population::pages::current(&state, &slug).await?;
    let file = read_upload(&admin.session, multipart).await?;
    // Reading and simplifying a large file is seconds of work: off the threads serving requests.
    let survey = version.survey.clone();
    let read = tokio::task::spawn_blocking(move || read(&survey, &file))
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("reading a map: {e}")))?;
    match read {
        Ok((map, report)) => {
            store::replace(&state.db, admin.id(), version.survey_id, &slug, Some((&map, &report))).await?;
            Ok(Redirect::to(&Done::Uploaded.at(staff::map(&slug))).into_response())
        }
        Err(message) => {
            let problems = vec![Problem { field: "file".into(), message }];
            show(&state, &admin, &version, &MapQuery::default(), StatusCode::UNPROCESSABLE_ENTITY, problems, None).await
        }
    }
}

pub async fn remove(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(slug): Path<String>,
    StaffForm(_): StaffForm<NoFields>,
) -> Result<Response, AppError> {
    let version = population::pages::current(&state, &slug).await?;
    store::replace(&state.db, admin.id(), version.survey_id, &slug, None).await?;
    Ok(Redirect::to(&Done::Removed.at(staff::map(&slug))).into_response())
}

/// One area's figures: its shade, and the table's cells after its key and name.
#[derive(Debug, Clone)]
struct Figures {
    option_id: String,
    shade: Shade,
    cells: Vec<String>,
}

/// What the map shows: its title, the table's headings after "Key" and "Area", each area's
/// figures, the legend's bands (as words) and a note on how to read it.
struct Shown {
    title: String,
    columns: Vec<&'static str>,
    areas: Vec<Figures>,
    legend: Vec<String>,
    note: String,
}

/// The responses by ward: against the population where there is one (the share of residents
/// the responses reached, 100% being the borough's mix), otherwise the count.
fn responses(ward: &QuestionSummary, margin: Option<&population::Margin>) -> Shown {
    if let Some(rows) = margin.and_then(|m| shortfalls(m, ward)) {
        let reached: Vec<f64> = rows.iter().map(|r| r.response_share / r.population_share.max(1e-12) * 100.0).collect();
        let bands = bands(&reached, 10.0, f64::INFINITY);
        let areas = rows
            .iter()
            .zip(&reached)
            .map(|(r, reached)| Figures {
                option_id: r.option_id.clone(),
                shade: Shade::Band(band_of(&bands, *reached)),
                cells: vec![
                    format!("{reached:.0}%"),
                    thousands(r.responses as usize),
                    format!("{:.1}%", r.response_share * 100.0),
                    format!("{:.1}%", r.population_share * 100.0),
                    match r.people.round() as i64 {
                        n if n > 0 => format!("{} people", thousands(n as usize)),
                        _ => "None".into(),
                    },
                ],
            })
            .collect();
        return Shown {
            title: format!("Responses against residents: {}", ward.text),
            columns: vec!["Reached", "Responses", "Share of responses", "Share of residents", "Short by"],
            areas,
            legend: bands.iter().map(|(from, to)| format!("{from:.0}% to {to:.0}% of the borough's mix")).collect(),
            note: "\u{201c}Reached\u{201d} is each area's share of the responses against its share of the borough's residents: under 100% it is short of responses, the lighter the shorter. Take the survey to the lightest areas next.".into(),
        };
    }
    let counts: Vec<(String, Cell)> = ward.rows.iter().map(|r| (r.id.clone(), r.count)).collect();
    let shown: Vec<f64> =
        counts.iter().filter_map(|(_, c)| matches!(c, Cell::Count(n) if *n > 0).then(|| c.value() as f64)).collect();
    let bands = bands(&shown, 5.0, f64::INFINITY);
    let areas = counts
        .into_iter()
        .map(|(option_id, count)| Figures {
            option_id,
            shade: match count {
                Cell::Suppressed => Shade::HeldBack,
                Cell::Count(0) => Shade::NoAnswers,
                Cell::Count(n) => Shade::Band(band_of(&bands, n as f64)),
            },
            cells: vec![count.shown()],
        })
        .collect();
    Shown {
        title: format!("Responses: {}", ward.text),
        columns: vec!["Responses"],
        areas,
        legend: bands.iter().map(|(from, to)| format!("{from:.0} to {to:.0} responses")).collect(),
        note: "With the borough's population by ward (on the population page), this shows which areas are short of responses, not only how many each has.".into(),
    }
}

/// One answer's share by ward (or a measure met), with its interval and quality: the cross-tab's
/// columns, and each column's weighted shares when the results are weighted. A weighted share is
/// only shown, and only shades an area, beside a count and base that are shown.
fn share(
    columns: &[crosstab::Column],
    (title, among): (String, &str),
    option: &str,
    weighted: Option<&HashMap<String, Shares>>,
) -> Shown {
    let dash = || "\u{2013}".to_owned();
    let figures: Vec<(String, Cell, Cell, Option<WeightedShare>)> = columns
        .iter()
        .map(|c| {
            let count = c.summary.rows.iter().find(|r| r.id == option).map_or(Cell::Count(0), |r| r.count);
            let base = c.summary.base;
            let shown = matches!((count, base), (Cell::Count(_), Cell::Count(b)) if b > 0);
            let w = weighted.and_then(|w| w.get(&c.id)?.get(option).copied()).filter(|_| shown);
            (c.id.clone(), count, base, w)
        })
        .collect();
    // The weighted share shades the map when the results are weighted, as the charts draw it.
    let percent = |count: Cell, base: Cell, w: Option<WeightedShare>| match weighted {
        Some(_) => w.map(|w| w.share * 100.0),
        None => count.percent_of(base),
    };
    let shares: Vec<f64> = figures.iter().filter_map(|(_, n, base, w)| percent(*n, *base, *w)).collect();
    let bands = bands(&shares, 5.0, 100.0);
    let areas = figures
        .into_iter()
        .map(|(option_id, count, base, w)| {
            let unweighted = count.percent_of(base).map_or_else(dash, |p| format!("{p:.0}%"));
            let people = format!("{} of {}", count.shown(), base.shown());
            let cells = match weighted {
                Some(_) => vec![
                    w.map_or_else(dash, |w| format!("{:.0}%", w.share * 100.0)),
                    w.map_or_else(dash, |w| w.sureness().words()),
                    unweighted,
                    people,
                ],
                None => vec![unweighted, people, Sureness::of(count, base).map_or_else(dash, Sureness::words)],
            };
            let shade = match (percent(count, base, w), base) {
                (Some(p), _) => Shade::Band(band_of(&bands, p)),
                (None, Cell::Count(0)) => Shade::NoAnswers,
                _ => Shade::HeldBack,
            };
            Figures { option_id, shade, cells }
        })
        .collect();
    let (columns, note) = match weighted {
        Some(_) => (
            vec!["Weighted percent", "Weighted 95% interval, quality", "Unweighted percent", "People"],
            format!(
                "Each area's share of the people there {among}, weighted to the borough's population (the map is shaded by it), with the unweighted share beside it. An area with few answers has a wide interval: read its quality before acting on it."
            ),
        ),
        None => (
            vec!["Percent", "People", "95% interval, quality"],
            format!(
                "Each area's share of the people there {among}, unweighted. An area with few answers has a wide interval: read its quality before acting on it."
            ),
        ),
    };
    let legend = bands.iter().map(|(from, to)| format!("{from:.0}% to {to:.0}%")).collect();
    Shown { title, columns, areas, legend, note }
}

/// A national measure by ward on the publishable map: where it is met by giving one answer, the
/// answer's count over those who answered, both from the publishable cross-tab of its question (so
/// nothing new is published); met by ticking several, a figure of its own, published for the whole
/// borough only, so every area is held back.
fn published_measure(columns: Option<Vec<crosstab::Column>>, measure: &Measure) -> Option<Vec<crosstab::Column>> {
    let mut columns = columns?;
    for c in &mut columns {
        let cell = |id: &str| c.summary.rows.iter().find(|r| r.id == id).map(|r| r.count);
        let (met, no_answer) = match measure.rule {
            Rule::Gave(option) => (cell(option).unwrap_or(Cell::Suppressed), cell("no_answer")),
            Rule::AllOf(_) => (Cell::Suppressed, None),
        };
        let base = match (c.summary.base, no_answer) {
            (Cell::Count(b), Some(Cell::Count(n))) => Cell::Count(b - n),
            (Cell::Count(0), _) => Cell::Count(0),
            _ => Cell::Suppressed,
        };
        c.summary.rows = vec![OptionRow { id: "1".into(), label: "Met".into(), count: met }];
        c.summary.base = base;
    }
    Some(columns)
}

async fn figures(
    state: &AppState,
    version: &SurveyVersion,
    map: &AreaMap,
    show: &str,
    publishable: bool,
) -> Result<Option<Shown>, AppError> {
    let (db, surveys) = (&state.db, &state.surveys);
    let threshold = state.config.suppression_threshold;
    let ward = &map.question_id;
    if show == RESPONSES {
        let (summary, margin) = if publishable {
            (publish::published_headline(db, surveys, version, threshold).await?.0, None)
        } else {
            let summary = crate::insight::summarise(db, surveys, version, &Filters::default()).await?;
            let margins = population::store::margins(db, version.survey_id).await?;
            (summary, margins.into_iter().find(|m| m.question_id == *ward))
        };
        return Ok(summary.questions.iter().find(|q| q.id == *ward).map(|q| responses(q, margin.as_ref())));
    }
    let Some(chosen) = Chosen::parse(&version.survey, show) else { return Ok(None) };
    // Weighted as the results are, for every response (a publishable map is of every response).
    let weighted = match weighted(db, surveys, version, &Filters::default()).await? {
        Weighting::On(w) => w.groups(version, chosen.of(), ward),
        _ => None,
    };
    let columns = match chosen {
        Chosen::Answer(q, _) if publishable => {
            publish::publication(db, surveys, version, Some((&q.id, ward)), threshold).await?.crosstab
        }
        Chosen::Answer(q, _) => crosstab::crosstab(db, surveys, version, &Filters::default(), &q.id, ward).await?,
        Chosen::Measure(m) if publishable => published_measure(
            publish::publication(db, surveys, version, Some((m.question_id, ward)), threshold).await?.crosstab,
            m,
        ),
        Chosen::Measure(m) => crosstab::measure_by(db, surveys, version, m, ward).await?,
    };
    let (title, option) = match chosen {
        Chosen::Answer(q, o) => ((format!("{}: {}", q.text, o.label), "who were asked"), o.id.as_str()),
        Chosen::Measure(m) => {
            ((format!("{} ({}, {})", m.name, m.framework, m.version), "who answered its question"), "1")
        }
    };
    let mut shown = columns.map(|columns| share(&columns, title, option, weighted.as_ref()));
    if let (Some(shown), Chosen::Measure(m), true) = (&mut shown, chosen, publishable)
        && matches!(m.rule, Rule::AllOf(_))
    {
        shown.note = "Who met this measure is a figure of its own, not an answer's count: for publishing it is given for the whole borough only (on the results page), so every area is held back here.".into();
    }
    Ok(shown)
}

/// A figure the map can show by area, besides the responses: an answer's share, or a national
/// measure met, as `show` names it (`QUESTION.ANSWER` or `measure.ID`).
#[derive(Clone, Copy)]
enum Chosen<'a> {
    Answer(&'a Question, &'a Choice),
    Measure(&'static Measure),
}

impl<'a> Chosen<'a> {
    fn parse(survey: &'a Survey, show: &str) -> Option<Chosen<'a>> {
        let (first, second) = show.split_once('.')?;
        if first == MEASURE {
            return measures(survey).find(|m| m.id == second).map(Chosen::Measure);
        }
        let q = survey.question(first).filter(|q| q.kind.is_choice())?;
        Some(Chosen::Answer(q, q.options.iter().find(|o| o.id == second)?))
    }

    fn of(self) -> Of<'a> {
        match self {
            Chosen::Answer(q, _) => Of::Question(&q.id),
            Chosen::Measure(m) => Of::Measure(m),
        }
    }
}

/// The national measures this survey scores (it asks their question).
fn measures(survey: &Survey) -> impl Iterator<Item = &'static Measure> + '_ {
    MEASURES.iter().filter(|m| survey.question(m.question_id).is_some())
}

/// Everything the map can show: who is missing, the national measures (by an about-you answer,
/// as their totals are kept), then each choice question's answers.
fn choices(survey: &Survey, ward: &str) -> Vec<(String, String)> {
    let mut items = vec![(RESPONSES.to_owned(), "Responses by area (who is still missing)".to_owned())];
    if survey.about_you().any(|q| q.id == ward) {
        items
            .extend(measures(survey).map(|m| (format!("{MEASURE}.{}", m.id), format!("National measure: {}", m.name))));
    }
    for q in survey.questions().iter().filter(|q| q.kind.is_choice() && q.id != ward) {
        items.extend(q.options.iter().map(|o| (format!("{}.{}", q.id, o.id), format!("{}: {}", q.text, o.label))));
    }
    items
}

async fn show(
    state: &AppState,
    user: &SignedIn,
    version: &SurveyVersion,
    query: &MapQuery,
    status: StatusCode,
    problems: Vec<Problem>,
    done: Option<&'static str>,
) -> Result<Response, AppError> {
    let publishable = flag(query.publishable.as_deref(), false)?;
    let chosen = query.show.clone().filter(|s| !s.is_empty()).unwrap_or_else(|| RESPONSES.to_owned());
    let stored = store::map(&state.db, version.survey_id).await?;
    let shown = match &stored {
        Some((map, _)) => match figures(state, version, map, &chosen, publishable).await? {
            Some(shown) => Some(shown),
            None => return Err(AppError::BadRequest("The map cannot show that: choose from the list.".into())),
        },
        None => None,
    };
    let survey = version.survey.clone();
    let slug = survey.slug().to_owned();
    let admin = user.staff.roles.has(Role::Admin);
    let csrf = user.csrf.clone();
    let threshold = state.config.suppression_threshold;
    let title = if problems.is_empty() { "Map by area" } else { "Error: Map by area" };
    Ok(render(Chrome::staff(&state.config, user.nav()), status, move || {
        let drawn = match (stored.clone(), shown) {
            (Some((map, report)), Some(shown)) => {
                let items = choices(&survey, &map.question_id);
                view! {
                    <form method="get" action=staff::map(&slug) class="filters">
                        <Select name="show" label="Show on the map" items chosen=chosen.clone() />
                        <PublishableCheckbox checked=publishable threshold />
                        <button type="submit" class="button button--secondary">
                            "Show"
                        </button>
                    </form>
                    <AreaMapView survey=survey.clone() map=map shown=shown />
                    <UploadReport report=report />
                }
                    .into_any()
            }
            _ => {
                view! { <p class="body">"No ward boundaries yet. " {(!admin).then_some("An administrator can upload them.")}</p> }
                    .into_any()
            }
        };
        let manage = admin.then(|| {
            let remove = stored.is_some().then(|| {
                view! {
                    <form method="post" action=staff::map_removal(&slug)>
                        <input type="hidden" name=CSRF_FIELD value=csrf.clone() />
                        <button type="submit" class="button button--warning">
                            "Remove the ward boundaries"
                        </button>
                    </form>
                }
            });
            view! {
                <h2 class="heading-m">"Upload ward boundaries"</h2>
                <p class="body">
                    "A GeoJSON file of the borough's wards, as ONS Open Geography publishes them (\u{201c}Wards (December 2023) Boundaries UK BGC\u{201d}, filtered to the borough, downloaded as GeoJSON). Each ward is matched to an answer of the survey's ward question by its name or code, and simplified for drawing. It replaces the boundaries there are now."
                </p>
                <UploadForm
                    action=staff::map(&slug)
                    csrf=csrf.clone()
                    label="Ward boundaries file"
                    accept=".geojson,.json,application/geo+json,application/json"
                    button="Check and save"
                />
                {remove}
            }
        });
        view! {
            <Page title=title.to_owned() back=staff::results(&slug)>
                <ErrorSummary problems=problems.clone() />
                <Notification text=done.map(str::to_owned) />
                <span class="caption-l">{survey.title().to_owned()}</span>
                <h1 class="heading-l">"Map by area"</h1>
                {drawn}
                {manage}
            </Page>
        }
    }))
}

/// The map and its table: each area shaded by its band (or hatched when held back), with its
/// key number written on it, so that colour is never the only way to tell areas apart.
#[component]
fn AreaMapView(survey: std::sync::Arc<Survey>, map: AreaMap, shown: Shown) -> impl IntoView {
    let Shown { title, columns, areas, legend, note } = shown;
    let label = |id: &str| {
        survey
            .question(&map.question_id)
            .and_then(|q| q.options.iter().find(|o| o.id == id))
            .map_or_else(|| id.to_owned(), |o| o.label.clone())
    };
    let shade_of = |id: &str| areas.iter().find(|a| a.option_id == id).map(|a| a.shade.clone());
    let paths = map
        .areas
        .iter()
        .enumerate()
        .map(|(i, area)| {
            let fill = match shade_of(&area.option_id) {
                Some(Shade::Band(b)) => FILLS[b.min(FILLS.len() - 1)].to_owned(),
                Some(Shade::HeldBack) => "url(#map-held-back)".to_owned(),
                _ => "url(#map-no-answers)".to_owned(),
            };
            let (x, y) = area.label_at;
            view! {
                <path class="map__area" d=area.path.clone() fill=fill>
                    <title>{label(&area.option_id)}</title>
                </path>
                <text class="map__key" x=format!("{x}") y=format!("{y}")>
                    {(i + 1).to_string()}
                </text>
            }
        })
        .collect_view();
    let rows = map
        .areas
        .iter()
        .enumerate()
        .map(|(i, area)| {
            let figures = areas.iter().find(|a| a.option_id == area.option_id);
            let band = match figures.map(|f| &f.shade) {
                Some(Shade::Band(b)) => legend.get(*b).cloned().unwrap_or_default(),
                Some(Shade::HeldBack) => "Held back".into(),
                _ => "No answers".into(),
            };
            let cells =
                figures.map(|f| f.cells.iter().map(|c| view! { <td class="numeric">{c.clone()}</td> }).collect_view());
            view! {
                <tr>
                    <td class="numeric">{i + 1}</td>
                    <td>{label(&area.option_id)}</td>
                    <td>{band}</td>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    let swatches = legend
        .iter()
        .enumerate()
        .map(|(b, words)| (FILLS[b.min(FILLS.len() - 1)].to_owned(), words.clone()))
        // The held-back and no-answer keys only where the map has such an area.
        .chain(
            areas
                .iter()
                .any(|a| a.shade == Shade::HeldBack)
                .then(|| ("url(#map-held-back)".to_owned(), "Held back: too few to publish".to_owned())),
        )
        .chain(
            areas
                .iter()
                .any(|a| a.shade == Shade::NoAnswers)
                .then(|| ("url(#map-no-answers)".to_owned(), "No answers".to_owned())),
        )
        .map(|(fill, words)| {
            view! {
                <li class="map__legend-item">
                    <svg class="map__swatch" viewBox="0 0 24 24" aria-hidden="true">
                        <rect x="1" y="1" width="22" height="22" fill=fill class="map__area"></rect>
                    </svg>
                    {words}
                </li>
            }
        })
        .collect_view();
    let mut header = vec!["Key", "Area", "Band"];
    header.extend(columns);
    view! {
        <h2 class="heading-m">{title.clone()}</h2>
        <p class="body">{note}</p>
        <div class="map">
            <svg
                class="map__svg"
                viewBox=format!("-4 -4 {} {}", map.width + 8.0, map.height + 8.0)
                role="img"
                aria-labelledby="map-title map-desc"
                xmlns="http://www.w3.org/2000/svg"
            >
                <title id="map-title">{format!("Map: {title}")}</title>
                <desc id="map-desc">
                    "Each area is numbered; the table below gives every area's figures by its number."
                </desc>
                <MapPatterns />
                {paths}
            </svg>
            <ul class="map__legend" aria-label="Key to the shading">
                {swatches}
            </ul>
        </div>
        <ScrollingTable label=format!("Figures: {title}") columns=header numeric_from=3>
            {rows}
        </ScrollingTable>
    }
}

/// The hatching for held-back areas and the dots for areas with no answers, drawn in the page's
/// first SVG and used by the map and the legend.
#[component]
fn MapPatterns() -> impl IntoView {
    view! {
        <defs>
            <pattern
                id="map-held-back"
                width="6"
                height="6"
                patternUnits="userSpaceOnUse"
                patternTransform="rotate(45)"
            >
                <rect width="6" height="6" fill="#ffffff"></rect>
                <line x1="0" y1="0" x2="0" y2="6" stroke="#505a5f" stroke-width="2"></line>
            </pattern>
            <pattern id="map-no-answers" width="6" height="6" patternUnits="userSpaceOnUse">
                <rect width="6" height="6" fill="#f3f2f1"></rect>
                <circle cx="3" cy="3" r="1" fill="#505a5f"></circle>
            </pattern>
        </defs>
    }
}

/// What the upload found: which question, how many areas, what was left out.
#[component]
fn UploadReport(report: Report) -> impl IntoView {
    let without = (!report.without_area.is_empty())
        .then(|| format!("No area in the file for: {}. ", report.without_area.join(", ")));
    let left_out = (!report.left_out.is_empty())
        .then(|| format!("Areas in the file that are no answer here, left out: {}. ", report.left_out.join(", ")));
    view! {
        <details class="details">
            <summary class="details__summary">"About these boundaries"</summary>
            <p class="body">
                {format!(
                    "{} of the {} answers are drawn. The boundaries were simplified from {} points to {} for drawing. ",
                    report.matched,
                    report.answers,
                    thousands(report.points_before),
                    thousands(report.points_after),
                )} {without} {left_out}
            </p>
        </details>
    }
}
