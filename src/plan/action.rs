//! One action: adding and editing it (admins), reading it with its findings and progress history,
//! and adding graded progress (analysts and admins).

use super::finding::{self, FindingRow};
use super::pages::GradeTag;
use super::store::{self, Action, ActionFields, Progress, Recommendation};
use super::{Grade, council_year, today};
use crate::auth::account::Role;
use crate::auth::{AdminUser, AnalystUser, CSRF_FIELD, SignedIn, StaffForm};
use crate::db::now;
use crate::error::AppError;
use crate::fields;
use crate::paths::{Done, Notice, staff};
use crate::state::AppState;
use crate::survey::{Barrier, Barriers};
use crate::ui::{
    Checkbox, Chrome, ErrorSummary, Field, Fieldset, Notification, Page, Problem, ScrollingTable, SummaryRow, TextArea,
    TextField, check, described_by, iso_date, message_for, render, required, trimmed, trimmed_text,
};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::*;
use serde::Deserialize;
use validator::Validate;

#[derive(Debug, Default, Deserialize)]
pub struct NewQuery {
    recommendation: Option<i64>,
}

/// The action form (adding and changing; changing also sends the revision it started from).
#[derive(Debug, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
pub struct ActionForm {
    revision: Option<String>,
    #[serde(default)]
    recommendation: String,
    #[serde(default, deserialize_with = "trimmed_text")]
    #[validate(
        custom(function = "required", message = "Enter the agreed action"),
        length(max = 4000, message = "The agreed action must be 4000 characters or fewer")
    )]
    agreed_action: String,
    #[serde(default, deserialize_with = "trimmed_text")]
    #[validate(
        custom(function = "required", message = "Enter who is responsible"),
        length(max = 200, message = "Who is responsible must be 200 characters or fewer")
    )]
    responsibility: String,
    #[serde(default, deserialize_with = "trimmed")]
    #[validate(custom(function = "iso_date", message = "Enter the target date as a date, like 2027-03-31"))]
    target_date: String,
    #[serde(default, deserialize_with = "trimmed_text")]
    #[validate(
        custom(function = "required", message = "Enter the success measure"),
        length(max = 4000, message = "The success measure must be 4000 characters or fewer")
    )]
    success_measure: String,
    #[serde(default)]
    barrier: Vec<String>,
    #[serde(default)]
    finding: Vec<String>,
}

impl ActionForm {
    /// The action, checking every field in the page's order; the fields come back as typed even
    /// when there are problems, so the form can show them again.
    fn parse(self, recommendations: &[Recommendation], findings: &[i64]) -> (ActionFields, Vec<Problem>) {
        let mut problems = Vec::new();
        let recommendation_id =
            self.recommendation.parse::<i64>().ok().filter(|r| recommendations.iter().any(|x| x.id == *r));
        if recommendation_id.is_none() {
            problems.push(Problem {
                field: "recommendation".into(),
                message: "Select the recommendation this action is for".into(),
            });
        }
        problems.extend(check(&self, fields!(self; agreed_action, responsibility, target_date, success_measure)));
        let mut barriers = Barriers::default();
        for name in &self.barrier {
            match Barrier::parse(name) {
                Some(b) => barriers.insert(b),
                None => problems
                    .push(Problem { field: "barrier-skills".into(), message: "Select barriers from the list".into() }),
            }
        }
        let mut linked = Vec::new();
        for id in &self.finding {
            match id.parse::<i64>().ok().filter(|id| findings.contains(id)) {
                Some(id) if !linked.contains(&id) => linked.push(id),
                Some(_) => {}
                None => {
                    problems.push(Problem { field: "findings".into(), message: "Select findings from the list".into() })
                }
            }
        }
        let fields = ActionFields {
            recommendation_id: recommendation_id.unwrap_or_default(),
            agreed_action: self.agreed_action,
            responsibility: self.responsibility,
            // As a date is written everywhere (`2027-03-31`), so that dates compare as text.
            target_date: crate::clock::parse_day("target", &self.target_date)
                .map_or(self.target_date, |d| d.to_string()),
            success_measure: self.success_measure,
            barriers,
            findings: linked,
        };
        (fields, problems)
    }
}

/// The progress form.
#[derive(Debug, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
pub struct ProgressForm {
    #[serde(default, deserialize_with = "trimmed_text")]
    #[validate(
        custom(function = "required", message = "Enter the evidence of progress"),
        length(max = 4000, message = "The evidence of progress must be 4000 characters or fewer")
    )]
    evidence_of_progress: String,
    #[serde(default)]
    assessment: String,
    #[serde(default, deserialize_with = "trimmed_text")]
    #[validate(length(max = 4000, message = "The evidence of impact must be 4000 characters or fewer"))]
    evidence_of_impact: String,
}

/// Everything the action form shows.
struct FormPage {
    plan_id: i64,
    heading: String,
    action_url: String,
    revision: Option<i64>,
    fields: ActionFields,
    problems: Vec<Problem>,
}

async fn form_page(
    state: &AppState,
    admin: &SignedIn,
    status: StatusCode,
    page: FormPage,
) -> Result<Response, AppError> {
    let plan = store::plan(&state.db, page.plan_id).await?;
    let recommendations = store::recommendations(&state.db, page.plan_id).await?;
    let findings = finding::all(&state.db).await?;
    let csrf = admin.csrf.clone();
    let today = today(&state.config.clock);
    let FormPage { plan_id, heading, action_url, revision, fields, problems } = page;
    let title = if problems.is_empty() { heading.clone() } else { format!("Error: {heading}") };
    let caption = format!("{} {}", plan.title, council_year(plan.year));
    Ok(render(Chrome::staff(&state.config, admin.nav()), status, move || {
        let stale = message_for(&problems, "revision").map(|_| {
            view! {
                <p class="body" id="revision">
                    <a class="link" href=action_url.clone()>
                        "Reload this action to see the latest version"
                    </a>
                </p>
            }
        });
        view! {
            <Page title back=staff::plan(plan_id)>
                <ErrorSummary problems=problems.clone() />
                {stale}
                <span class="caption-l">{caption}</span>
                <h1 class="heading-l">{heading.clone()}</h1>
                <form method="post" action=action_url.clone()>
                    <input type="hidden" name=CSRF_FIELD value=csrf />
                    {revision.map(|r| view! { <input type="hidden" name="revision" value=r.to_string() /> })}
                    <ActionFieldset fields problems recommendations findings today />
                    <button type="submit" class="button">
                        "Save action"
                    </button>
                </form>
            </Page>
        }
    }))
}

/// What an admin types for an action, as sent, with its problems. A target date already past
/// (`today` is `YYYY-MM-DD`) is warned about.
#[component]
fn ActionFieldset(
    fields: ActionFields,
    problems: Vec<Problem>,
    recommendations: Vec<Recommendation>,
    findings: Vec<finding::Finding>,
    today: String,
) -> impl IntoView {
    let error = |field: &str| message_for(&problems, field);
    let date_error = error("target_date");
    let past = fields.target_date.as_str() < today.as_str() && date_error.is_none() && !fields.target_date.is_empty();
    let recommendation_options = recommendations
        .iter()
        .map(|r| {
            view! {
                <option value=r.id.to_string() selected=r.id == fields.recommendation_id>
                    {format!("Recommendation {}", r.number)}
                </option>
            }
        })
        .collect_view();
    let recommendation_error = error("recommendation");
    let described = described_by("recommendation", false, recommendation_error.is_some());
    view! {
        <Field id="recommendation" label="Recommendation" error=recommendation_error>
            <select class="select" id="recommendation" name="recommendation" aria-describedby=described>
                <option value="">"Select"</option>
                {recommendation_options}
            </select>
        </Field>
        <TextArea
            id="agreed_action"
            label="Agreed action"
            error=error("agreed_action")
            rows=4
            value=fields.agreed_action
        />
        <TextField
            id="responsibility"
            label="Responsibility"
            hint="A named role or team, like Digital Inclusion Officer."
            error=error("responsibility")
            value=fields.responsibility
        />
        <Field id="target_date" label="Target date" error=date_error.clone()>
            {past
                .then(|| {
                    view! {
                        <p class="warning-text" id="target_date-warning">
                            <strong>
                                "This date has already passed: the action will show as overdue until it is graded 1 Fully Achieved."
                            </strong>
                        </p>
                    }
                })}
            <input
                class="input input--date"
                id="target_date"
                name="target_date"
                type="date"
                value=fields.target_date.clone()
                aria-describedby=described_by("target_date", false, date_error.is_some())
            />
        </Field>
        <TextArea
            id="success_measure"
            label="Success measure"
            error=error("success_measure")
            rows=3
            value=fields.success_measure
        />
        <BarrierChoices chosen=fields.barriers error=error("barrier-skills") />
        <FindingChoices findings chosen=fields.findings error=error("findings") />
    }
}

/// The barriers an action addresses, as checkboxes.
#[component]
fn BarrierChoices(chosen: crate::survey::Barriers, error: Option<String>) -> impl IntoView {
    let barrier_boxes = Barrier::ALL
        .iter()
        .map(|b| view! { <Checkbox name="barrier" value=b.as_str() label=b.as_str() checked=chosen.contains(*b) /> })
        .collect_view();
    view! {
        <Fieldset legend="Barriers it addresses" error_id="barrier-skills" error>
            <div class="checkboxes">{barrier_boxes}</div>
        </Fieldset>
    }
}

/// The saved findings an action can be based on, as checkboxes.
#[component]
fn FindingChoices(findings: Vec<finding::Finding>, chosen: Vec<i64>, error: Option<String>) -> impl IntoView {
    let finding_boxes = findings
        .iter()
        .map(|f| {
            view! { <Checkbox name="finding" value=f.id.to_string() label=f.statement.clone() checked=chosen.contains(&f.id) /> }
        })
        .collect_view();
    view! {
        <Fieldset legend="Survey findings it is based on" id="findings" error_id="findings" error>
            {if findings.is_empty() {
                view! { <p class="body">"No findings yet. Save one from a survey's results page."</p> }.into_any()
            } else {
                view! { <div class="checkboxes">{finding_boxes}</div> }.into_any()
            }}
        </Fieldset>
    }
}

pub async fn new_page(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(plan_id): Path<i64>,
    Query(q): Query<NewQuery>,
) -> Result<Response, AppError> {
    let fields = ActionFields { recommendation_id: q.recommendation.unwrap_or_default(), ..ActionFields::default() };
    let page = FormPage {
        plan_id,
        heading: "Add an action".into(),
        action_url: staff::new_action(plan_id),
        revision: None,
        fields,
        problems: Vec::new(),
    };
    form_page(&state, &admin, StatusCode::OK, page).await
}

async fn finding_ids(state: &AppState) -> Result<Vec<i64>, AppError> {
    Ok(finding::all(&state.db).await?.into_iter().map(|f| f.id).collect())
}

fn saved(state: &AppState, id: i64, fields: &ActionFields) -> Response {
    let done = if fields.target_date < today(&state.config.clock) { Done::SavedPast } else { Done::Saved };
    Redirect::to(&done.at(staff::action(id))).into_response()
}

pub async fn create(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(plan_id): Path<i64>,
    StaffForm(form): StaffForm<ActionForm>,
) -> Result<Response, AppError> {
    let recommendations = store::recommendations(&state.db, plan_id).await?;
    let (fields, problems) = form.parse(&recommendations, &finding_ids(&state).await?);
    if problems.is_empty() {
        let id = store::create_action(&state.db, admin.id(), &fields).await?;
        return Ok(saved(&state, id, &fields));
    }
    let page = FormPage {
        plan_id,
        heading: "Add an action".into(),
        action_url: staff::new_action(plan_id),
        revision: None,
        fields,
        problems,
    };
    form_page(&state, &admin, StatusCode::UNPROCESSABLE_ENTITY, page).await
}

pub async fn edit_page(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let action = store::action(&state.db, id).await?;
    let page = FormPage {
        plan_id: action.plan_id,
        heading: "Change an action".into(),
        action_url: staff::edit_action(id),
        revision: Some(action.revision),
        fields: action.fields,
        problems: Vec::new(),
    };
    form_page(&state, &admin, StatusCode::OK, page).await
}

pub async fn update(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(id): Path<i64>,
    StaffForm(form): StaffForm<ActionForm>,
) -> Result<Response, AppError> {
    let before = store::action(&state.db, id).await?;
    let revision: i64 = form
        .revision
        .as_deref()
        .and_then(|r| r.parse().ok())
        .ok_or_else(|| AppError::BadRequest("The form is missing its revision: reload the page.".into()))?;
    let recommendations = store::recommendations(&state.db, before.plan_id).await?;
    let (fields, mut problems) = form.parse(&recommendations, &finding_ids(&state).await?);
    let mut status = StatusCode::UNPROCESSABLE_ENTITY;
    if problems.is_empty() {
        if store::update_action(&state.db, admin.id(), &before, revision, &fields).await? {
            return Ok(saved(&state, id, &fields));
        }
        status = StatusCode::CONFLICT;
        problems.push(Problem {
            field: "revision".into(),
            message: "Someone else changed this action while you were editing it, so your changes have not been saved. Reload the page to see theirs, then make yours again".into(),
        });
    }
    let page = FormPage {
        plan_id: before.plan_id,
        heading: "Change an action".into(),
        action_url: staff::edit_action(id),
        revision: Some(revision),
        fields,
        problems,
    };
    form_page(&state, &admin, status, page).await
}

pub async fn page(
    State(state): State<AppState>,
    AnalystUser(user): AnalystUser,
    Path(id): Path<i64>,
    Query(notice): Query<Notice>,
) -> Result<Response, AppError> {
    action_page(&state, &user, id, StatusCode::OK, notice.done, Vec::new()).await
}

async fn action_page(
    state: &AppState,
    user: &SignedIn,
    id: i64,
    status: StatusCode,
    done: Option<Done>,
    problems: Vec<Problem>,
) -> Result<Response, AppError> {
    let action = store::action(&state.db, id).await?;
    let plan = store::plan(&state.db, action.plan_id).await?;
    let recommendation =
        store::recommendations(&state.db, plan.id).await?.into_iter().find(|r| r.id == action.fields.recommendation_id);
    let history = store::history(&state.db, id).await?;
    let linked =
        finding::all(&state.db).await?.into_iter().filter(|f| action.fields.findings.contains(&f.id)).collect();
    let findings = finding::with_figures_now(state, linked).await?;
    let admin = user.staff.roles.has(Role::Admin);
    let csrf = user.csrf.clone();
    let overdue = action.overdue(&today(&state.config.clock));
    let clock = state.config.clock.clone();
    let notice = match done {
        Some(Done::Saved) => Some("Action saved."),
        Some(Done::SavedPast) => Some(
            "Action saved. Its target date has already passed, so it shows as overdue until it is graded 1 Fully Achieved.",
        ),
        Some(Done::Progress) => Some("Progress saved."),
        _ => None,
    };
    let heading = format!("Action: {}", action.fields.agreed_action.chars().take(80).collect::<String>());
    let title = if problems.is_empty() { heading.clone() } else { format!("Error: {heading}") };
    Ok(render(Chrome::staff(&state.config, user.nav()), status, move || {
        view! {
            <Page title=title back=staff::plan(plan.id)>
                <ErrorSummary problems=problems.clone() />
                <Notification text=notice.map(str::to_owned) />
                <span class="caption-l">{format!("{} {}", plan.title, council_year(plan.year))}</span>
                <h1 class="heading-l">"Action"</h1>
                <ActionSummary action=action.clone() recommendation overdue />
                {admin
                    .then(|| {
                        view! {
                            <p class="body">
                                <a class="link" href=staff::edit_action(id)>
                                    "Change this action"
                                </a>
                            </p>
                        }
                    })}
                <ActionFindings findings />
                <ProgressHistory history clock />
                <h2 class="heading-m">"Add a progress update"</h2>
                <ProgressForm id csrf problems />
            </Page>
        }
    }))
}

/// What was agreed, by whom, by when, and how it is graded now.
#[component]
fn ActionSummary(action: Action, recommendation: Option<Recommendation>, overdue: bool) -> impl IntoView {
    let barriers: Vec<&str> = action.fields.barriers.iter().map(|b| b.as_str()).collect();
    let fields = action.fields.clone();
    view! {
        <dl class="summary-list">
            <SummaryRow key="Recommendation" prose=true>
                {recommendation.map(|r| format!("{}. {}", r.number, r.text))}
            </SummaryRow>
            <SummaryRow key="Agreed action" prose=true>
                {fields.agreed_action}
            </SummaryRow>
            <SummaryRow key="Barriers">
                {if barriers.is_empty() { "None recorded".to_owned() } else { barriers.join(", ") }}
            </SummaryRow>
            <SummaryRow key="Responsibility">{fields.responsibility}</SummaryRow>
            <SummaryRow key="Target date">
                {fields.target_date}
                {overdue
                    .then(|| {
                        view! {
                            " "
                            <strong class="tag tag--red">"Overdue"</strong>
                        }
                    })}
            </SummaryRow>
            <SummaryRow key="Success measure" prose=true>
                {fields.success_measure}
            </SummaryRow>
            <SummaryRow key="Assessment">
                <GradeTag grade=action.grade() />
            </SummaryRow>
        </dl>
    }
}

/// The findings the action is based on, then and now.
#[component]
fn ActionFindings(findings: Vec<finding::Current>) -> impl IntoView {
    let no_findings = findings.is_empty();
    let finding_rows = findings.into_iter().map(|c| view! { <FindingRow current=c /> }).collect_view();
    view! {
        <h2 class="heading-m">"Survey findings"</h2>
        {if no_findings {
            view! { <p class="body">"No findings are linked to this action yet."</p> }.into_any()
        } else {
            view! {
                <ScrollingTable
                    label="Findings this action is based on".to_owned()
                    columns=vec!["Finding", "Filters", "Then", "Now", "Change", "Target"]
                >
                    {finding_rows}
                </ScrollingTable>
            }
                .into_any()
        }}
    }
}

/// Every progress update, newest first.
#[component]
fn ProgressHistory(history: Vec<Progress>, clock: crate::clock::CouncilTime) -> impl IntoView {
    let no_progress = history.is_empty();
    let rows = history
        .into_iter()
        .map(|p| {
            view! {
                <tr>
                    <td>{clock.format_time(p.entered_at)}</td>
                    <td>{p.entered_by.unwrap_or_default()}</td>
                    <td class="prose">{p.evidence_of_progress}</td>
                    <td>
                        <GradeTag grade=Some(p.assessment) />
                    </td>
                    <td class="prose">{p.evidence_of_impact}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h2 class="heading-m">"Progress"</h2>
        {if no_progress {
            view! { <p class="body">"No progress has been recorded yet."</p> }.into_any()
        } else {
            view! {
                <ScrollingTable
                    label="Progress updates, newest first".to_owned()
                    columns=vec!["Entered", "By", "Evidence of progress", "Assessment", "Evidence of impact"]
                >
                    {rows}
                </ScrollingTable>
            }
                .into_any()
        }}
    }
}

/// Adding a progress update: the evidence and a grade, with what to fix in them.
#[component]
fn ProgressForm(id: i64, csrf: String, problems: Vec<Problem>) -> impl IntoView {
    let error = |field: &str| message_for(&problems, field);
    let (progress_error, grade_error, impact_error) =
        (error("evidence_of_progress"), error("assessment-1"), error("evidence_of_impact"));
    let grade_radios = Grade::ALL
        .iter()
        .map(|g| {
            let id = format!("assessment-{}", g.number());
            view! {
                <div class="radios__item">
                    <input
                        class="radios__input"
                        id=id.clone()
                        name="assessment"
                        type="radio"
                        value=g.number().to_string()
                    />
                    <label class="label radios__label" for=id>
                        {g.label()}
                    </label>
                </div>
            }
        })
        .collect_view();
    view! {
        <form method="post" action=staff::action_progress(id)>
            <input type="hidden" name=CSRF_FIELD value=csrf />
            <TextArea id="evidence_of_progress" label="Evidence of progress" error=progress_error rows=4 />
            <Fieldset legend="Assessment" error_id="assessment" error=grade_error>
                <div class="radios">{grade_radios}</div>
            </Fieldset>
            <TextArea id="evidence_of_impact" label="Evidence of impact (optional)" error=impact_error rows=3 />
            <button type="submit" class="button">
                "Save progress"
            </button>
        </form>
    }
}

pub async fn add_progress(
    State(state): State<AppState>,
    AnalystUser(user): AnalystUser,
    Path(id): Path<i64>,
    StaffForm(form): StaffForm<ProgressForm>,
) -> Result<Response, AppError> {
    store::action(&state.db, id).await?;
    let mut problems = check(&form, fields!(form; evidence_of_progress));
    let assessment = form.assessment.parse().ok().and_then(Grade::from_number);
    if assessment.is_none() {
        problems.push(Problem {
            field: "assessment-1".into(),
            message: "Select an assessment from 1 Fully Achieved to 4 Not Achieved".into(),
        });
    }
    problems.extend(check(&form, fields!(form; evidence_of_impact)));
    match assessment {
        Some(assessment) if problems.is_empty() => {
            let ProgressForm { evidence_of_progress, evidence_of_impact, .. } = form;
            let progress =
                Progress { entered_at: now(), entered_by: None, evidence_of_progress, assessment, evidence_of_impact };
            store::add_progress(&state.db, user.id(), id, &progress).await?;
            Ok(Redirect::to(&Done::Progress.at(staff::action(id))).into_response())
        }
        _ => action_page(&state, &user, id, StatusCode::UNPROCESSABLE_ENTITY, None, problems).await,
    }
}
