//! The committee's progress report: every action in the committee's columns, a count of actions
//! per grade, and the findings behind them with today's figures, small numbers held back. The page
//! prints on A4; the CSV has the same columns.

use super::finding::{self, Current};
use super::pages::grade_counts;
use super::store::{self, Action, Plan, Recommendation};
use super::{council_year, today};
use crate::auth::AnalystUser;
use crate::error::AppError;
use crate::export::cells::{BOM, safe};
use crate::paths::staff;
use crate::state::AppState;
use crate::ui::{Chrome, Page, ScrollingTable, render};
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use leptos::prelude::*;

/// The committee's columns, in its order.
pub const COLUMNS: [&str; 8] = [
    "Recommendation",
    "Responsibility",
    "Date",
    "Agreed Action",
    "Success Measure",
    "Evidence of Progress",
    "Assessment",
    "Evidence of Impact",
];

struct Report {
    plan: Plan,
    recommendations: Vec<Recommendation>,
    actions: Vec<Action>,
    findings: Vec<Current>,
}

async fn load(state: &AppState, id: i64) -> Result<Report, AppError> {
    let plan = store::plan(&state.db, id).await?;
    let recommendations = store::recommendations(&state.db, id).await?;
    let actions = store::actions(&state.db, id).await?;
    let linked = finding::all(&state.db)
        .await?
        .into_iter()
        .filter(|f| actions.iter().any(|a| a.fields.findings.contains(&f.id)))
        .collect();
    // A report goes to committee and is published: today's figures with small numbers held back.
    let findings = finding::published(state, linked, state.config.suppression_threshold).await?;
    Ok(Report { plan, recommendations, actions, findings })
}

/// One action's cells in the committee's columns.
fn cells(action: &Action, recommendations: &[Recommendation]) -> [String; 8] {
    let recommendation = recommendations
        .iter()
        .find(|r| r.id == action.fields.recommendation_id)
        .map(|r| format!("{}. {}", r.number, r.text))
        .unwrap_or_default();
    let latest = action.latest.as_ref();
    [
        recommendation,
        action.fields.responsibility.clone(),
        action.fields.target_date.clone(),
        action.fields.agreed_action.clone(),
        action.fields.success_measure.clone(),
        latest.map(|p| p.evidence_of_progress.clone()).unwrap_or_default(),
        latest.map(|p| p.assessment.label()).unwrap_or_else(|| "Not yet assessed".into()),
        latest.map(|p| p.evidence_of_impact.clone()).unwrap_or_default(),
    ]
}

pub async fn page(
    State(state): State<AppState>,
    AnalystUser(user): AnalystUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let Report { plan, recommendations, actions, findings } = load(&state, id).await?;
    let today = today(&state.config.clock);
    let counts = grade_counts(&actions);
    let heading = format!("{} {}: progress report", plan.title, council_year(plan.year));
    Ok(render(Chrome::staff(&state.config, user.nav()), StatusCode::OK, move || {
        let rows = actions
            .iter()
            .map(|a| view! { <ActionRow cells=cells(a, &recommendations) overdue=a.overdue(&today) /> })
            .collect_view();
        view! {
            <Page title=heading.clone() back=staff::plan(plan.id) wide=true>
                <h1 class="heading-l">{heading.clone()}</h1>
                <p class="body">
                    {format!("As at {today}. Assessment: 1 Fully Achieved, 2 On-Track, 3 Slipped, 4 Not Achieved.")}
                </p>
                <p class="body no-print">
                    <a class="link" href=staff::plan_report_csv(plan.id)>
                        "Download this report (CSV)"
                    </a>
                </p>
                <GradeCounts counts />
                <div class="report">
                    <ScrollingTable label="Progress against each action".to_owned() columns=COLUMNS.to_vec()>
                        {rows}
                    </ScrollingTable>
                </div>
                <FindingsTable findings />
            </Page>
        }
    }))
}

/// How many actions have each grade.
#[component]
fn GradeCounts(counts: Vec<(String, usize)>) -> impl IntoView {
    let rows = counts
        .into_iter()
        .map(|(g, n)| {
            view! {
                <tr>
                    <td>{g}</td>
                    <td class="numeric">{n}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <ScrollingTable label="Actions by assessment".to_owned() columns=vec!["Assessment", "Actions"] numeric_from=1>
            {rows}
        </ScrollingTable>
    }
}

/// The findings the plan's actions rest on, as saved and counted again today.
#[component]
fn FindingsTable(findings: Vec<Current>) -> impl IntoView {
    let rows =
        findings.into_iter().map(|current| view! { <finding::FindingRow current printed=true /> }).collect_view();
    view! {
        <h2 class="heading-m">"Survey findings behind these actions"</h2>
        <p class="body">
            "Figures counted again today with the filters they were first taken with. Counts under the publishing threshold, and any that would reveal them, are shown as [c]. Each share has its 95% interval and a quality word (ONS reliability key); the change compares the answers since a finding was saved with those before, and says \u{201c}no clear change\u{201d} when chance alone could explain it. A target counts as reached only when the latest figure's whole interval is past it."
        </p>
        <ScrollingTable
            label="Survey findings, with today's figures".to_owned()
            columns=vec!["Finding", "Filters", "When saved", "Now", "Change", "Target"]
        >
            {rows}
        </ScrollingTable>
    }
}

/// One action's line of the report; an overdue one says so beside its target date.
#[component]
fn ActionRow(cells: [String; 8], overdue: bool) -> impl IntoView {
    let [recommendation, rest @ ..] = cells;
    view! {
        <tr class=overdue.then_some("row--overdue")>
            <th scope="row" class="prose">
                {recommendation}
            </th>
            {rest
                .into_iter()
                .enumerate()
                .map(|(i, c)| {
                    view! {
                        <td class="prose">
                            {c}
                            {(i == 1 && overdue)
                                .then(|| {
                                    view! {
                                        " "
                                        <strong class="tag tag--red">"Overdue"</strong>
                                    }
                                })}
                        </td>
                    }
                })
                .collect_view()}
        </tr>
    }
}

pub async fn csv(
    State(state): State<AppState>,
    AnalystUser(_user): AnalystUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let Report { plan, recommendations, actions, .. } = load(&state, id).await?;
    let mut out = csv::Writer::from_writer(BOM.to_vec());
    let write = |out: &mut csv::Writer<Vec<u8>>, record: &[String]| {
        out.write_record(record.iter().map(|c| safe(c).into_owned())).map_err(AppError::from)
    };
    write(&mut out, &COLUMNS.map(str::to_owned))?;
    for action in &actions {
        write(&mut out, &cells(action, &recommendations))?;
    }
    let body = out.into_inner().map_err(|e| AppError::from(e.into_error()))?;
    let name = format!("action-plan-{}-{}.csv", plan.year, today(&state.config.clock));
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        body,
    )
        .into_response())
}
