//! The staff side's own pages: signing in and out, the home page, staff accounts, the lists admins
//! keep, and the audit log. Every route checks the role on the server through its handler's
//! extractors ([`crate::auth`]).

mod lists;
mod sign_in;
mod store;
mod users;

use crate::auth::{AdminUser, SignedIn};
use crate::paths::staff;

use crate::auth::Role;
use crate::error::AppError;
use crate::state::AppState;
use crate::ui::{Chrome, Page, ScrollingTable, render};
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use leptos::prelude::*;
use serde::Deserialize;

/// The staff side's own pages: signing in and out, the home page, accounts, lists and the audit
/// log. `app.rs` puts every feature's staff pages behind the session layer together.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff", get(home))
        .route("/staff/login", get(sign_in::sign_in_page).post(sign_in::sign_in))
        .route("/staff/logout", post(sign_in::sign_out))
        .route("/staff/users", get(users::list).post(users::create))
        .route("/staff/users/{id}/active", post(users::set_active))
        .route("/staff/users/{id}/password", get(users::password_page).post(users::set_password))
        .route("/staff/lists", get(lists::page))
        .route("/staff/lists/{list}", post(lists::add))
        .route("/staff/lists/item/{id}/active", post(lists::set_active))
        .route("/staff/audit", get(audit_log))
}

async fn home(State(state): State<AppState>, signed_in: SignedIn) -> Result<Response, AppError> {
    let roles = signed_in.staff.roles;
    let reads = roles.has(Role::Analyst) || roles.has(Role::Admin);
    let surveys = if reads { state.surveys.published(&state.db).await? } else { Vec::new() };
    let surveys: Vec<(String, String)> =
        surveys.iter().map(|v| (v.survey.slug().to_owned(), v.survey.title().to_owned())).collect();
    let imports = roles.has(Role::Admin);
    let signed_in_as = format!("Signed in as {} ({}).", signed_in.staff.name, roles.names().join(", "));
    Ok(render(Chrome::staff(&state.config, signed_in.nav()), StatusCode::OK, move || {
        view! {
            <Page title="Staff home".to_owned()>
                <h1 class="heading-l">"Staff home"</h1>
                <p class="body">{signed_in_as}</p>
                <ul class="staff-links">
                    {links_for(roles)
                        .into_iter()
                        .map(|(href, title, text)| {
                            view! {
                                <li class="staff-links__item">
                                    <a class="link heading-m" href=href>
                                        {title}
                                    </a>
                                    <p class="body">{text}</p>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
                {surveys.into_iter().map(|(slug, title)| view! { <SurveyLinks slug title imports /> }).collect_view()}
            </Page>
        }
    }))
}

/// The staff pages these roles open, each with what it is for: (address, title, words).
fn links_for(roles: crate::auth::account::Roles) -> Vec<(&'static str, &'static str, &'static str)> {
    let mut links = Vec::new();
    if roles.has(Role::Officer) {
        links.push((staff::ASSIST, "Take a survey with a resident", "In person, by phone or from a paper form."));
        links.push((staff::OUTREACH, "Outreach with no connection", "Take the survey on this device where there is no wifi or signal; entries are sent when the connection returns."));
    }
    if roles.has(Role::Officer) || roles.has(Role::Admin) {
        links.push((
            staff::CONTACTS,
            "Residents to contact",
            "Residents who asked for someone to contact them about help.",
        ));
        links.push((staff::RESPONSES, "Find a response", "For a resident who asks to see or remove their answers."));
    }
    if roles.has(Role::Admin) {
        links.push((staff::SURVEYS, "Surveys", "Add, change, preview, publish, open and close surveys."));
        links.push((staff::USERS, "Staff accounts", "Add staff, turn accounts off, set new passwords."));
        links.push((staff::LISTS, "Locations and help", "The places officers work and the help they give."));
        links.push((staff::AUDIT, "Audit log", "Who created, changed or deleted what, and when."));
        links.push((staff::NATIONAL, "National figures", "The national statistics the results are compared with."));
    }
    if roles.has(Role::Analyst) || roles.has(Role::Admin) {
        links.push((
            staff::ACTION_PLAN,
            "Action plan",
            "The digital inclusion plan: actions, findings from the survey, progress and the committee report.",
        ));
    }
    links
}

/// A survey's results and downloads, and for admins its import and privacy pages.
#[component]
fn SurveyLinks(slug: String, title: String, imports: bool) -> impl IntoView {
    let export = staff::export(&slug);
    view! {
        <h2 class="heading-m">{title}</h2>
        <ul class="staff-links">
            <li class="staff-links__item">
                <a class="link" href=staff::results(&slug)>
                    "See the results"
                </a>
                ", or "
                <a class="link" href=staff::map(&slug)>
                    "by area on a map"
                </a>
            </li>
            <li class="staff-links__item">
                <a class="link" href=format!("{export}/responses.csv")>
                    "Download every response (CSV)"
                </a>
            </li>
            <li class="staff-links__item">
                <a class="link" href=format!("{export}/responses.sps")>
                    "SPSS or PSPP syntax that reads the responses with labels"
                </a>
                ", with "
                <a class="link" href=format!("{export}/responses.csv?one_line=1")>
                    "the responses file for it"
                </a>
                " (written answers on one line); or "
                <a class="link" href=format!("{export}/responses.R")>
                    "an R script"
                </a>
                " for the file above"
            </li>
            <li class="staff-links__item">
                <a class="link" href=format!("{export}/summary.csv")>
                    "Download the summary (CSV)"
                </a>
            </li>
            <li class="staff-links__item">
                <a class="link" href=format!("{export}/summary.csv?publishable=1")>
                    "Download the summary for publishing, small numbers held back (CSV)"
                </a>
                ", or as a "
                <a class="link" href=format!("{export}/summary.zip?publishable=1")>
                    "data package for an open-data portal"
                </a>
            </li>
            <li class="staff-links__item">
                <a class="link" href=format!("{export}/responses.zip")>
                    "Every response as a data package, for the council's own use"
                </a>
            </li>
            {imports
                .then(|| {
                    view! {
                        <li class="staff-links__item">
                            <a class="link" href=staff::import(&slug)>
                                "Import responses typed up elsewhere"
                            </a>
                        </li>
                        <li class="staff-links__item">
                            <a class="link" href=staff::privacy(&slug)>
                                "Privacy notice and retention"
                            </a>
                        </li>
                        <li class="staff-links__item">
                            <a class="link" href=staff::population(&slug)>
                                "The borough's population, to show who is missing"
                            </a>
                        </li>
                        <li class="staff-links__item">
                            <a class="link" href=staff::postcodes(&slug)>
                                "Postcodes and their wards, for a postcode question"
                            </a>
                        </li>
                    }
                })}
        </ul>
    }
}

#[derive(Debug, Default, Deserialize)]
struct AuditPage {
    page: Option<i64>,
}

const AUDIT_PAGE_SIZE: i64 = 50;

/// One entry of the audit log: when, who, what, to which record, and the record before and after.
#[component]
fn AuditRow(entry: crate::audit::Entry, clock: crate::clock::CouncilTime) -> impl IntoView {
    view! {
        <tr>
            <td>{clock.format_time(entry.at)}</td>
            <td>{entry.who.unwrap_or_else(|| "command line".into())}</td>
            <td>{entry.action}</td>
            <td>{entry.subject}</td>
            <td>
                <code class="code">{entry.before.unwrap_or_default()}</code>
            </td>
            <td>
                <code class="code">{entry.after.unwrap_or_default()}</code>
            </td>
        </tr>
    }
}

async fn audit_log(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Query(q): Query<AuditPage>,
) -> Result<Response, AppError> {
    let page = q.page.unwrap_or(1).clamp(1, 100_000);
    let entries = crate::audit::page(&state.db, AUDIT_PAGE_SIZE + 1, (page - 1) * AUDIT_PAGE_SIZE).await?;
    let more = entries.len() as i64 > AUDIT_PAGE_SIZE;
    let clock = state.config.clock.clone();
    Ok(render(Chrome::staff(&state.config, admin.nav()), StatusCode::OK, move || {
        let rows = entries
            .into_iter()
            .take(AUDIT_PAGE_SIZE as usize)
            .map(|entry| view! { <AuditRow entry clock=clock.clone() /> })
            .collect_view();
        view! {
            <Page title="Audit log".to_owned()>
                <h1 class="heading-l">"Audit log"</h1>
                <ScrollingTable
                    label="Audit log, newest first".to_owned()
                    columns=vec!["When (UTC)", "Who", "What", "Record", "Before", "After"]
                >
                    {rows}
                </ScrollingTable>
                <p class="body">
                    {(page > 1)
                        .then(|| {
                            view! {
                                <a class="link" href=staff::audit_page(page - 1)>
                                    "Newer"
                                </a>
                                " "
                            }
                        })}
                    {more
                        .then(|| {
                            view! {
                                <a class="link" href=staff::audit_page(page + 1)>
                                    "Older"
                                </a>
                            }
                        })}
                </p>
            </Page>
        }
    }))
}
