//! Turning weighting on or off (on the population page), and what the results say about it.

use super::Trim;
use super::results::Weighting;
use crate::auth::{AdminUser, CSRF_FIELD, StaffForm};
use crate::error::AppError;
use crate::insight::population::pages::{current, show};
use crate::paths::{Done, staff};
use crate::state::AppState;
use crate::survey::{Survey, thousands};
use crate::ui::{Problem, Radios, TextField};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::*;
use serde::Deserialize;
use std::sync::Arc;

/// The weighting form as sent, and as shown again.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct WeightingFields {
    /// `on` or `off`.
    #[serde(default)]
    pub weight: String,
    #[serde(default)]
    pub trim_low: String,
    #[serde(default)]
    pub trim_high: String,
}

impl WeightingFields {
    /// As the survey has it now.
    pub fn of(trim: Option<Trim>) -> WeightingFields {
        let bounds = trim.unwrap_or_default();
        WeightingFields {
            weight: if trim.is_some() { "on" } else { "off" }.to_owned(),
            trim_low: bounds.low.to_string(),
            trim_high: bounds.high.to_string(),
        }
    }

    /// The bounds to weight within, None to leave the results unweighted, or what is wrong.
    fn parse(&self) -> Result<Option<Trim>, Vec<Problem>> {
        match self.weight.as_str() {
            "off" => return Ok(None),
            "on" => {}
            _ => {
                return Err(vec![Problem {
                    field: "weight".into(),
                    message: "Choose whether to weight the results".into(),
                }]);
            }
        }
        let number = |text: &str| text.trim().parse::<f64>().ok().filter(|n| n.is_finite());
        let mut problems = Vec::new();
        let low = number(&self.trim_low).filter(|n| *n > 0.0 && *n <= 1.0);
        if low.is_none() {
            problems.push(Problem {
                field: "trim_low".into(),
                message: "The smallest weight must be a number above 0 and no more than 1, like 0.3".into(),
            });
        }
        let high = number(&self.trim_high).filter(|n| *n >= 1.0 && *n <= 100.0);
        if high.is_none() {
            problems.push(Problem {
                field: "trim_high".into(),
                message: "The largest weight must be a number from 1 to 100, like 3".into(),
            });
        }
        match (low, high) {
            (Some(low), Some(high)) => Ok(Some(Trim { low, high })),
            _ => Err(problems),
        }
    }
}

pub async fn save(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(slug): Path<String>,
    StaffForm(fields): StaffForm<WeightingFields>,
) -> Result<Response, AppError> {
    let version = current(&state, &slug).await?;
    match fields.parse() {
        Ok(trim) => {
            super::store::set(&state.db, admin.id(), version.survey_id, &slug, trim).await?;
            Ok(Redirect::to(&Done::Saved.at(staff::population(&slug))).into_response())
        }
        Err(problems) => {
            show(&state, &admin, &version, StatusCode::UNPROCESSABLE_ENTITY, problems, None, Some(fields)).await
        }
    }
}

/// Whether to weight the results to the population figures, and the bounds on each weight.
#[component]
pub fn WeightingForm(slug: String, csrf: String, fields: WeightingFields, problems: Vec<Problem>) -> impl IntoView {
    let error = |field: &str| problems.iter().find(|p| p.field == field).map(|p| p.message.clone());
    let items = vec![
        ("on".to_owned(), "Yes: show weighted figures beside the unweighted ones".to_owned()),
        ("off".to_owned(), "No: show the answers as they came".to_owned()),
    ];
    view! {
        <h2 class="heading-m">"Weighting the results"</h2>
        <p class="body">
            "Weighting gives each answer more or less say, so that the people who answered count as the borough's residents would: by each question above at once (raking). The results then show a weighted figure beside each unweighted one, and say how far the weights had to go."
        </p>
        <form method="post" action=staff::weighting(&slug) novalidate>
            <input type="hidden" name=CSRF_FIELD value=csrf />
            <Radios
                name="weight"
                legend="Weight the results to these figures?"
                items
                chosen=fields.weight.clone()
                error=error("weight")
            />
            <TextField
                id="trim_low"
                label="Smallest weight, as a multiple of the average"
                hint="No one's answer counts for less than this: 0.3 is common."
                value=fields.trim_low.clone()
                short=true
                inputmode="decimal"
                error=error("trim_low")
            />
            <TextField
                id="trim_high"
                label="Largest weight, as a multiple of the average"
                hint="No one's answer counts for more than this, so a few people cannot speak for many: 3 is common."
                value=fields.trim_high.clone()
                short=true
                inputmode="decimal"
                error=error("trim_high")
            />
            <button type="submit" class="button">
                "Save weighting"
            </button>
        </form>
    }
}

/// On the results: whether they are weighted, and how the weights came out, in words.
#[component]
pub fn WeightingReport(weighting: Weighting, survey: Arc<Survey>) -> AnyView {
    let weighted = match weighting {
        Weighting::Off => return ().into_any(),
        Weighting::NotForSelection => {
            return view! {
                <h2 class="heading-m">"Weighting"</h2>
                <p class="body">
                    "The results are weighted to the borough's population, but not for this selection: weights are kept for the whole survey, one version, or one answer about the person (such as a ward). The figures below are unweighted."
                </p>
            }
            .into_any();
        }
        Weighting::On(weighted) => weighted,
    };
    let scheme = &weighted.scheme;
    let raked = &scheme.raked;
    let question_text = |id: &str| survey.question(id).map_or_else(|| id.to_owned(), |q| q.text.clone());
    let answer_label = |question: &str, option: &str| {
        survey.question(question).and_then(|q| q.option(option)).map_or_else(|| option.to_owned(), |o| o.label.clone())
    };
    let questions: Vec<String> =
        scheme.not_known.iter().map(|(q, _)| format!("\u{201c}{}\u{201d}", question_text(q))).collect();
    let converged = if raked.converged {
        let s = if raked.rounds == 1 { "" } else { "s" };
        format!("The weighted answers meet the population's figures (after {} round{s} of raking).", raked.rounds)
    } else {
        format!(
            "The weights could not meet the population's figures within the bounds set ({} to {} times the average) after {} rounds: the weighted figures are as near as they came. Widen the bounds, or find more people in the groups that are short.",
            scheme.trim.low, scheme.trim.high, raked.rounds
        )
    };
    let not_known = scheme
        .not_known
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(q, n)| {
            view! {
                <li>
                    {format!(
                        "{} of the {} people did not answer \u{201c}{}\u{201d} in a way the population counts (no answer, prefer not to say, or an answer such as \u{201c}I do not know\u{201d}): they keep their share, and the others are weighted within the rest.",
                        thousands(*n as usize),
                        thousands(scheme.respondents as usize),
                        question_text(q),
                    )}
                </li>
            }
        })
        .collect_view();
    // Answers nobody gave, a sentence for each question.
    let mut by_question: Vec<(&str, Vec<String>, i64)> = Vec::new();
    for u in &scheme.unmet {
        let label = format!("\u{201c}{}\u{201d}", answer_label(&u.question_id, &u.option_id));
        match by_question.iter_mut().find(|(q, ..)| *q == u.question_id) {
            Some((_, labels, people)) => {
                labels.push(label);
                *people += u.people;
            }
            None => by_question.push((u.question_id.as_str(), vec![label], u.people)),
        }
    }
    let unmet = by_question
        .into_iter()
        .map(|(question, labels, people)| {
            view! {
                <li>
                    {format!(
                        "Nobody who answered gave {} to \u{201c}{}\u{201d} ({} residents): nobody speaks for them, and the other answers were made up to the whole without them.",
                        labels.join(", "),
                        question_text(question),
                        thousands(people as usize),
                    )}
                </li>
            }
        })
        .collect_view();
    view! {
        <h2 class="heading-m">"Weighted to the borough"</h2>
        <p class="body">
            {format!(
                "Beside each percentage is its weighted figure: the answers as they would be if the people who answered were like the borough's residents by {}. The charts draw the weighted figure, and the interval and quality are the weighted figure's (from its standard error with these weights, on the log-odds scale).",
                questions.join(" and "),
            )}
        </p>
        <ul class="list list--bullet">
            <li>{converged}</li>
            <li>
                {format!(
                    "Each person's answers count from {:.2} to {:.2} times the average (bounds {} to {}).",
                    raked.range.0,
                    raked.range.1,
                    scheme.trim.low,
                    scheme.trim.high,
                )}
            </li>
            <li>
                {format!(
                    "Design effect {:.2}: the weighted figures are as sure as {} people's answers would be, of the {} who answered (the effective sample size).",
                    raked.design_effect,
                    thousands(raked.effective_n.round() as usize),
                    thousands(scheme.respondents as usize),
                )}
            </li>
            {not_known}
            {unmet}
        </ul>
        <p class="body">
            "Weighting corrects for who answered only as far as these questions go: people who are alike in them can still differ in what matters."
        </p>
    }
    .into_any()
}
