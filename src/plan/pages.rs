//! The list of plans, and one plan with its recommendations and actions.

use super::store::{self, Action, Plan, Recommendation};
use super::{Grade, council_year, today};
use crate::auth::account::Role;
use crate::auth::{AdminUser, AnalystUser, CSRF_FIELD, SignedIn, StaffForm};
use crate::error::AppError;
use crate::fields;
use crate::paths::staff;
use crate::state::AppState;
use crate::ui::{
    Chrome, ErrorSummary, Page, Problem, ScrollingTable, TextArea, TextField, check, message_for, render, required,
    trimmed, trimmed_text,
};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::*;
use serde::Deserialize;
use validator::{Validate, ValidationError};

/// What a form sent, to show again with its problems.
#[derive(Debug, Clone, Default)]
struct Sent {
    values: Vec<(String, String)>,
    problems: Vec<Problem>,
}

impl Sent {
    fn value(&self, field: &str) -> String {
        self.values.iter().find(|(k, _)| k == field).map(|(_, v)| v.clone()).unwrap_or_default()
    }

    fn error(&self, field: &str) -> Option<String> {
        message_for(&self.problems, field)
    }
}

/// How many actions have each grade, with those not yet assessed last.
pub fn grade_counts(actions: &[Action]) -> Vec<(String, usize)> {
    let mut counts: Vec<(String, usize)> =
        Grade::ALL.iter().map(|g| (g.label(), actions.iter().filter(|a| a.grade() == Some(*g)).count())).collect();
    counts.push(("Not yet assessed".to_owned(), actions.iter().filter(|a| a.grade().is_none()).count()));
    counts
}

pub async fn plans(State(state): State<AppState>, AnalystUser(user): AnalystUser) -> Result<Response, AppError> {
    plans_page(&state, &user, StatusCode::OK, Sent::default()).await
}

async fn plans_page(state: &AppState, user: &SignedIn, status: StatusCode, sent: Sent) -> Result<Response, AppError> {
    let mut plans: Vec<(Plan, Vec<Action>)> = Vec::new();
    for plan in store::plans(&state.db).await? {
        let actions = store::actions(&state.db, plan.id).await?;
        plans.push((plan, actions));
    }
    let admin = user.staff.roles.has(Role::Admin);
    let csrf = user.csrf.clone();
    let today = today(&state.config.clock);
    let title = if sent.problems.is_empty() { "Action plan" } else { "Error: Action plan" };
    Ok(render(Chrome::staff(&state.config, user.nav()), status, move || {
        let rows = plans
            .into_iter()
            .map(|(plan, actions)| view! { <PlanRow plan actions today=today.clone() /> })
            .collect_view();
        view! {
            <Page title=title.to_owned()>
                <ErrorSummary problems=sent.problems.clone() />
                <h1 class="heading-l">"Action plan"</h1>
                <p class="body">
                    "The council's digital inclusion plans, by council year. " <a class="link" href=staff::FINDINGS>
                        "See the survey findings they are based on"
                    </a>"."
                </p>
                <ScrollingTable
                    label="Plans".to_owned()
                    columns=vec!["Plan", "Year", "Actions", "Assessments", "Overdue"]
                    numeric_from=2
                >
                    {rows}
                </ScrollingTable>
                {admin.then(|| view! { <NewPlanForm csrf=csrf.clone() sent=sent.clone() /> })}
            </Page>
        }
    }))
}

/// A plan in the list: its title (to its page), year, actions, how they are graded, how many are
/// overdue on `today`.
#[component]
fn PlanRow(plan: Plan, actions: Vec<Action>, today: String) -> impl IntoView {
    let graded = grade_counts(&actions)
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(g, n)| format!("{g}: {n}"))
        .collect::<Vec<_>>()
        .join("; ");
    let overdue = actions.iter().filter(|a| a.overdue(&today)).count();
    view! {
        <tr>
            <td>
                <a class="link" href=staff::plan(plan.id)>
                    {plan.title}
                </a>
            </td>
            <td>{council_year(plan.year)}</td>
            <td class="numeric">{actions.len()}</td>
            <td>{graded}</td>
            <td class="numeric">{overdue}</td>
        </tr>
    }
}

/// Starts a plan (admins): its title and council year, with what was sent and its problems.
#[component]
fn NewPlanForm(csrf: String, sent: Sent) -> impl IntoView {
    view! {
        <h2 class="heading-m">"Start a plan"</h2>
        <form method="post" action=staff::ACTION_PLAN>
            <input type="hidden" name=CSRF_FIELD value=csrf />
            <TextField id="title" label="Title" error=sent.error("title") value=sent.value("title") />
            <TextField
                id="year"
                label="Council year it starts"
                hint="For example, 2026 for April 2026 to March 2027."
                error=sent.error("year")
                short=true
                inputmode="numeric"
                value=sent.value("year")
            />
            <button type="submit" class="button">
                "Start plan"
            </button>
        </form>
    }
}

/// The new plan form.
#[derive(Debug, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
pub struct NewPlan {
    #[serde(default, deserialize_with = "trimmed_text")]
    #[validate(
        custom(function = "required", message = "Enter a title"),
        length(max = 200, message = "A title must be 200 characters or fewer")
    )]
    title: String,
    #[serde(default, deserialize_with = "trimmed")]
    #[validate(custom(function = "plan_year", message = "Enter the year the plan starts, like 2026"))]
    year: String,
}

fn plan_year(year: &str) -> Result<(), ValidationError> {
    year.parse::<i64>().ok().filter(|y| (2000..=2100).contains(y)).map(drop).ok_or_else(|| ValidationError::new("year"))
}

pub async fn create_plan(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    StaffForm(form): StaffForm<NewPlan>,
) -> Result<Response, AppError> {
    let problems = check(&form, fields!(form; title, year));
    match form.year.parse::<i64>() {
        Ok(year) if problems.is_empty() => {
            let id = store::create_plan(&state.db, admin.id(), &form.title, year).await?;
            Ok(Redirect::to(&staff::plan(id)).into_response())
        }
        _ => {
            let values = vec![("title".to_owned(), form.title), ("year".to_owned(), form.year)];
            plans_page(&state, &admin, StatusCode::UNPROCESSABLE_ENTITY, Sent { values, problems }).await
        }
    }
}

pub async fn plan(
    State(state): State<AppState>,
    AnalystUser(user): AnalystUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    plan_page(&state, &user, id, StatusCode::OK, Sent::default()).await
}

async fn plan_page(
    state: &AppState,
    user: &SignedIn,
    id: i64,
    status: StatusCode,
    sent: Sent,
) -> Result<Response, AppError> {
    let plan = store::plan(&state.db, id).await?;
    let recommendations = store::recommendations(&state.db, id).await?;
    let actions = store::actions(&state.db, id).await?;
    let admin = user.staff.roles.has(Role::Admin);
    let csrf = user.csrf.clone();
    let today = today(&state.config.clock);
    let heading = format!("{} {}", plan.title, council_year(plan.year));
    let title = if sent.problems.is_empty() { heading.clone() } else { format!("Error: {heading}") };
    Ok(render(Chrome::staff(&state.config, user.nav()), status, move || {
        let sections = recommendations
            .into_iter()
            .map(|r| {
                let actions: Vec<Action> =
                    actions.iter().filter(|a| a.fields.recommendation_id == r.id).cloned().collect();
                view! { <RecommendationSection plan=id recommendation=r actions today=today.clone() admin /> }
            })
            .collect_view();
        view! {
            <Page title=title>
                <ErrorSummary problems=sent.problems.clone() />
                <span class="caption-l">"Action plan"</span>
                <h1 class="heading-l">{heading.clone()}</h1>
                <p class="body">
                    <a class="link" href=staff::plan_report(id)>
                        "Progress report for committee"
                    </a>
                    " \u{b7} "
                    <a class="link" href=staff::plan_report_csv(id)>
                        "Download the progress report (CSV)"
                    </a>
                </p>
                {sections}
                {admin.then(|| view! { <NewRecommendationForm plan=id csrf=csrf.clone() sent=sent.clone() /> })}
            </Page>
        }
    }))
}

/// One recommendation of plan `plan`, with its actions (and, for admins, a link to add one).
#[component]
fn RecommendationSection(
    plan: i64,
    recommendation: Recommendation,
    actions: Vec<Action>,
    today: String,
    admin: bool,
) -> impl IntoView {
    let number = recommendation.number;
    let rows = actions.into_iter().map(|action| view! { <ActionRow action today=today.clone() /> }).collect_view();
    view! {
        <h2 class="heading-m">{format!("Recommendation {number}")}</h2>
        <p class="body prose">{recommendation.text}</p>
        <ScrollingTable
            label=format!("Actions for recommendation {number}")
            columns=vec!["Agreed action", "Barriers", "Responsibility", "Date", "Assessment"]
        >
            {rows}
        </ScrollingTable>
        {admin
            .then(|| {
                view! {
                    <p class="body">
                        <a class="link" href=staff::new_action_for(plan, recommendation.id)>
                            {format!("Add an action to recommendation {number}")}
                        </a>
                    </p>
                }
            })}
    }
}

/// Adds a recommendation to plan `plan` (admins), with what was sent and its problems.
#[component]
fn NewRecommendationForm(plan: i64, csrf: String, sent: Sent) -> impl IntoView {
    view! {
        <h2 class="heading-m">"Add a recommendation"</h2>
        <form method="post" action=staff::plan_recommendations(plan)>
            <input type="hidden" name=CSRF_FIELD value=csrf />
            <TextArea id="text" label="Recommendation" error=sent.error("text") rows=3 value=sent.value("text") />
            <button type="submit" class="button button--secondary">
                "Add recommendation"
            </button>
        </form>
    }
}

/// An action in a plan's table, flagged when overdue.
#[component]
fn ActionRow(action: Action, today: String) -> impl IntoView {
    let overdue = action.overdue(&today);
    let barriers: Vec<&str> = action.fields.barriers.iter().map(|b| b.as_str()).collect();
    view! {
        <tr class=overdue.then_some("row--overdue")>
            <td>
                <a class="link" href=staff::action(action.id)>
                    {action.fields.agreed_action.clone()}
                </a>
            </td>
            <td>{barriers.join(", ")}</td>
            <td>{action.fields.responsibility.clone()}</td>
            <td>
                {action.fields.target_date.clone()}
                {overdue
                    .then(|| {
                        view! {
                            " "
                            <strong class="tag tag--red">"Overdue"</strong>
                        }
                    })}
            </td>
            <td>
                <GradeTag grade=action.grade() />
            </td>
        </tr>
    }
}

#[component]
pub fn GradeTag(grade: Option<Grade>) -> impl IntoView {
    match grade {
        Some(g) => view! { <strong class=g.tag_class()>{g.label()}</strong> }.into_any(),
        None => view! { <span class="tag tag--grey">"Not yet assessed"</span> }.into_any(),
    }
}

/// The new recommendation form.
#[derive(Debug, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
pub struct NewRecommendation {
    #[serde(default, deserialize_with = "trimmed_text")]
    #[validate(
        custom(function = "required", message = "Enter the recommendation"),
        length(max = 2000, message = "The recommendation must be 2000 characters or fewer")
    )]
    text: String,
}

pub async fn add_recommendation(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(id): Path<i64>,
    StaffForm(form): StaffForm<NewRecommendation>,
) -> Result<Response, AppError> {
    store::plan(&state.db, id).await?;
    let problems = check(&form, fields!(form; text));
    if !problems.is_empty() {
        return plan_page(
            &state,
            &admin,
            id,
            StatusCode::UNPROCESSABLE_ENTITY,
            Sent { values: vec![("text".to_owned(), form.text)], problems },
        )
        .await;
    }
    store::add_recommendation(&state.db, admin.id(), id, &form.text).await?;
    Ok(Redirect::to(&staff::plan(id)).into_response())
}
