//! Change over time: one question's answers (or a national measure) in two periods or two
//! versions of the survey side by side, each share with its interval, and the change in each with
//! its 95% interval: Newcombe's method from the two Wilson intervals, or, when both sides are
//! weighted, the design-based t-test R's `svyttest` gives. "No clear change" whenever the interval
//! includes 0; a clear change is a rise or a fall, never "better".

use super::interval::{Change, Sureness, WeightedShare};
use super::summary::{Cell, Summary, summarise};
use super::weighting::results::{Weighted, Weighting, weighted};
use crate::auth::AnalystUser;
use crate::error::AppError;
use crate::paths::staff;
use crate::responses::filters::FilterQuery;
use crate::state::AppState;
use crate::survey::measures::MEASURES;
use crate::survey::{Survey, SurveyVersion};
use crate::ui::{Chrome, Page, ScrollingTable, Select, TextField, render};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use leptos::prelude::*;
use serde::Deserialize;
use std::sync::Arc;

/// The page's GET form: what to compare, and the two sides.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ChangeQuery {
    /// A choice question's id, or a national measure's key.
    #[serde(default)]
    pub question: String,
    #[serde(default)]
    pub then_from: String,
    #[serde(default)]
    pub then_to: String,
    #[serde(default)]
    pub then_version: String,
    #[serde(default)]
    pub now_from: String,
    #[serde(default)]
    pub now_to: String,
    #[serde(default)]
    pub now_version: String,
}

impl ChangeQuery {
    /// One side's filters as the results page takes them.
    fn side(&self, then: bool) -> FilterQuery {
        let given = |s: &str| Some(s.to_owned()).filter(|s| !s.is_empty());
        let (from, to, version) = if then {
            (&self.then_from, &self.then_to, &self.then_version)
        } else {
            (&self.now_from, &self.now_to, &self.now_version)
        };
        FilterQuery::period(given(from), given(to), given(version))
    }

    fn is_asked(&self) -> bool {
        !self.question.is_empty() && self.side(true).filter_string() != self.side(false).filter_string()
    }
}

/// One side: its counts, and its weighted shares when the results are weighted for it.
struct Side {
    summary: Summary,
    weighted: Option<Weighted>,
}

/// One answer's row: its share then and now, and the change.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub label: String,
    pub then: Option<Shown>,
    pub now: Option<Shown>,
    pub change: Option<Change>,
}

pub async fn page(
    State(state): State<AppState>,
    AnalystUser(user): AnalystUser,
    Path(slug): Path<String>,
    Query(query): Query<ChangeQuery>,
) -> Result<Response, AppError> {
    let version = state.surveys.current(&state.db, &slug).await?.ok_or(AppError::NotFound)?;
    let (rows, weighted) = if query.is_asked() {
        let then = side(&state, &version, &query.side(true)).await?;
        let now = side(&state, &version, &query.side(false)).await?;
        // Like with like: weighted only when both sides are.
        let both = then.weighted.is_some() && now.weighted.is_some();
        (rows(&version.survey, &query.question, &then, &now, both), both)
    } else {
        (Vec::new(), false)
    };
    let survey = version.survey.clone();
    Ok(render(Chrome::staff(&state.config, user.nav()), StatusCode::OK, move || {
        view! { <ChangePage survey slug query rows weighted /> }
    }))
}

async fn side(state: &AppState, version: &SurveyVersion, query: &FilterQuery) -> Result<Side, AppError> {
    let filters = query.filters(&state.config.clock)?;
    let summary = summarise(&state.db, &state.surveys, version, &filters).await?;
    let weighted = match weighted(&state.db, &state.surveys, version, &filters).await? {
        Weighting::On(w) => Some(*w),
        _ => None,
    };
    Ok(Side { summary, weighted })
}

/// A share as shown: its count and base, the share and how sure it is (weighted when asked for
/// and there, else the counts' own), and the weighted share itself.
type Shown = (Cell, Cell, f64, Sureness, Option<WeightedShare>);

fn share(count: Cell, base: Cell, weighted: Option<WeightedShare>) -> Option<Shown> {
    match weighted {
        Some(w) => Some((count, base, w.share, w.sureness(), Some(w))),
        None => {
            let sure = Sureness::of(count, base)?;
            Some((count, base, count.value() as f64 / base.value() as f64, sure, None))
        }
    }
}

/// The rows for `question` (a choice question's id or a measure's key).
fn rows(survey: &Survey, question: &str, then: &Side, now: &Side, weighted: bool) -> Vec<Row> {
    let pick = |side: &Side, option: &str| -> Option<Shown> {
        let w =
            |f: &dyn Fn(&Weighted) -> Option<WeightedShare>| side.weighted.as_ref().filter(|_| weighted).and_then(f);
        if let Some(score) = side.summary.scores.iter().find(|s| s.measure.key == question) {
            return share(score.met, score.base, w(&|w| w.scores.get(question).copied()));
        }
        let q = side.summary.questions.iter().find(|q| q.id == question)?;
        let row = q.rows.iter().find(|r| r.id == option)?;
        share(row.count, q.base, w(&|w| w.share(question, option)))
    };
    let options: Vec<(String, String)> = match MEASURES.iter().find(|m| m.key == question) {
        Some(m) => vec![(String::new(), m.name.to_owned())],
        None => survey
            .question(question)
            .map(|q| q.options.iter().map(|o| (o.id.clone(), o.label.clone())).collect())
            .unwrap_or_default(),
    };
    options
        .into_iter()
        .map(|(id, label)| {
            let (then, now) = (pick(then, &id), pick(now, &id));
            let change = match (then, now) {
                (Some((.., Some(w1))), Some((.., Some(w2)))) => Some(Change::weighted(w1, w2)),
                (Some((.., p1, s1, _)), Some((.., p2, s2, _))) => {
                    Some(Change::of((p1, s1.interval), (p2, s2.interval)))
                }
                _ => None,
            };
            Row { label, then, now, change }
        })
        .collect()
}

#[component]
fn ChangePage(survey: Arc<Survey>, slug: String, query: ChangeQuery, rows: Vec<Row>, weighted: bool) -> impl IntoView {
    let choices: Vec<(String, String)> = survey
        .questions()
        .iter()
        .filter(|q| q.kind.is_choice())
        .map(|q| (q.id.clone(), q.text.clone()))
        .chain(MEASURES.iter().map(|m| (m.key.to_owned(), format!("{} ({} {})", m.name, m.framework, m.version))))
        .collect();
    let asked = query.is_asked();
    let cell = |side: Option<Shown>| match side {
        Some((count, base, p, sure, _)) => {
            format!("{:.1}% ({} of {}; {})", p * 100.0, count.shown(), base.shown(), sure.words())
        }
        None => "\u{2013}".to_owned(),
    };
    let table = rows
        .into_iter()
        .map(|row| {
            view! {
                <tr>
                    <td>{row.label}</td>
                    <td>{cell(row.then)}</td>
                    <td>{cell(row.now)}</td>
                    <td>{row.change.map_or_else(|| "\u{2013}".to_owned(), Change::words)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <Page title="Change over time".to_owned()>
            <span class="caption-l">{survey.title().to_owned()}</span>
            <h1 class="heading-l">"Change over time"</h1>
            <p class="body">
                "Compare one question's answers, or a national measure, between two periods (such as before and after a campaign) or two versions of the survey. Each change comes with its 95% interval: where that includes 0, chance alone could explain it, and it says \u{201c}no clear change\u{201d}."
            </p>
            <form method="get" class="filters">
                <Select name="question" label="Question or measure" items=choices chosen=query.question.clone() />
                <PeriodFields
                    side="then"
                    from=query.then_from.clone()
                    to=query.then_to.clone()
                    version=query.then_version.clone()
                />
                <PeriodFields
                    side="now"
                    from=query.now_from.clone()
                    to=query.now_to.clone()
                    version=query.now_version.clone()
                />
                <button type="submit" class="button">
                    "Compare"
                </button>
            </form>
            {(!asked)
                .then(|| {
                    view! { <p class="body">"Choose a question and two different periods or versions to compare."</p> }
                })}
            {asked
                .then(|| {
                    view! {
                        <p class="body">
                            {if weighted {
                                "Both sides are weighted to the borough's population: the shares and intervals are weighted, and each change is a design-based t-test on the two together."
                            } else {
                                "Unweighted: each share is of the people who answered in that period or version."
                            }}
                        </p>
                        <ScrollingTable
                            label="Change over time".to_owned()
                            columns=vec!["Answer", "Then", "Now", "Change"]
                        >
                            {table}
                        </ScrollingTable>
                    }
                })}
            <p class="body">
                <a class="link" href=staff::results(&slug)>
                    "Back to the results"
                </a>
            </p>
        </Page>
    }
}

/// One side of the comparison: a period (from, to) or a version, named `then_from` and so on.
#[component]
fn PeriodFields(side: &'static str, from: String, to: String, version: String) -> impl IntoView {
    let label = if side == "then" { "Then" } else { "Now" };
    view! {
        <div class="filters__row">
            <TextField id=format!("{side}_from") label=format!("{label}: from") kind="date" value=from />
            <TextField id=format!("{side}_to") label=format!("{label}: to") kind="date" value=to />
            <TextField
                id=format!("{side}_version")
                label=format!("{label}: version")
                short=true
                inputmode="numeric"
                value=version
            />
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::insight::summary::{OptionRow, QuestionSummary};
    use crate::survey::Kind;

    fn side(yes: i64, base: i64) -> Side {
        let question = QuestionSummary {
            id: "used_online".into(),
            text: "Used?".into(),
            kind: Kind::Single,
            base: Cell::Count(base),
            rows: vec![OptionRow { id: "yes".into(), label: "Yes".into(), count: Cell::Count(yes) }],
            note: None,
            middle: None,
        };
        Side { summary: Summary { respondents: base, questions: vec![question], scores: Vec::new() }, weighted: None }
    }

    #[test]
    fn a_change_within_chance_is_no_clear_change() {
        let survey = crate::survey::builtin();
        let rows = rows(&survey, "used_online", &side(15, 51), &side(20, 49), false);
        let yes = rows.iter().find(|r| r.label == "Yes").unwrap();
        assert!(yes.change.unwrap().words().ends_with("no clear change"), "{yes:?}");
        let rows = rows_for(&survey, side(60, 100), side(30, 100));
        assert!(rows[0].change.unwrap().words().ends_with("a clear fall"));
    }

    fn rows_for(survey: &Survey, then: Side, now: Side) -> Vec<Row> {
        rows(survey, "used_online", &then, &now, false)
    }
}
