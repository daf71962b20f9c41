//! The national figures' page: the figures the results are compared with, where they come from,
//! every version uploaded, and (for admins) a new version.

use super::{Comparator, parse, store};
use crate::auth::account::Role;
use crate::auth::{AdminUser, AnalystUser, SignedIn, read_upload};
use crate::error::AppError;
use crate::paths::{Done, Notice, staff};
use crate::state::AppState;
use crate::survey::measures::MEASURES;
use crate::ui::{Chrome, ErrorSummary, Notification, Page, Problem, ScrollingTable, UploadForm, render};
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::*;

/// Far larger than any list of national figures.
pub const MAX_FILE_BYTES: usize = 64 * 1024;

pub async fn page(
    State(state): State<AppState>,
    AnalystUser(user): AnalystUser,
    Query(notice): Query<Notice>,
) -> Result<Response, AppError> {
    let done =
        matches!(notice.done, Some(Done::Uploaded)).then_some("The national figures are saved as a new version.");
    show(&state, &user, StatusCode::OK, Vec::new(), done).await
}

pub async fn upload(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let file = read_upload(&admin.session, multipart).await?;
    let problems = match std::str::from_utf8(&file) {
        Err(_) => vec!["The file must be a CSV file saved as UTF-8.".to_owned()],
        Ok(text) => match parse(text) {
            Ok(found) if found.is_empty() => vec!["The file has no figures in it.".to_owned()],
            Ok(_) => {
                store::add(&state.db, admin.id(), text).await?;
                return Ok(Redirect::to(&Done::Uploaded.at(staff::NATIONAL)).into_response());
            }
            Err(problems) => problems,
        },
    };
    let problems = problems.into_iter().map(|message| Problem { field: "file".into(), message }).collect();
    show(&state, &admin, StatusCode::UNPROCESSABLE_ENTITY, problems, None).await
}

/// One version's file, as uploaded (0: as shipped).
pub async fn download(
    State(state): State<AppState>,
    AnalystUser(_): AnalystUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let body = store::body(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let name = format!("national-figures-version-{id}.csv");
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        body,
    )
        .into_response())
}

/// Which figures are in use, in words: "Version 2, uploaded on 6 December 2026 by Sam Jones".
pub fn in_use(clock: &crate::clock::CouncilTime, upload: Option<&store::Upload>) -> String {
    match upload {
        Some(u) => format!(
            "Version {}, uploaded on {}{}",
            u.id,
            clock.format_day(u.uploaded_at),
            u.by.as_ref().map(|name| format!(" by {name}")).unwrap_or_default()
        ),
        None => "The figures that came with the service".to_owned(),
    }
}

async fn show(
    state: &AppState,
    user: &SignedIn,
    status: StatusCode,
    problems: Vec<Problem>,
    done: Option<&'static str>,
) -> Result<Response, AppError> {
    let (current, figures) = store::current(&state.db).await?;
    let uploads = store::uploads(&state.db).await?;
    let clock = state.config.clock.clone();
    let using = in_use(&clock, current.as_ref());
    let admin = user.staff.roles.has(Role::Admin);
    let csrf = user.csrf.clone();
    let title = if problems.is_empty() { "National figures" } else { "Error: National figures" };
    Ok(render(Chrome::staff(&state.config, user.nav()), status, move || {
        let rows = figures.iter().cloned().map(|c| view! { <FigureRow c /> }).collect_view();
        let versions = uploads
            .iter()
            .map(|u| {
                view! {
                    <tr>
                        <td>{format!("Version {}", u.id)}</td>
                        <td>{clock.format_time(u.uploaded_at)}</td>
                        <td>{u.by.clone().unwrap_or_default()}</td>
                        <td>
                            <a class="link" href=staff::national_version(u.id) download>
                                {format!("Download version {}", u.id)}
                            </a>
                        </td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <Page title=title.to_owned()>
                <ErrorSummary problems=problems.clone() />
                <Notification text=done.map(str::to_owned) />
                <h1 class="heading-l">"National figures"</h1>
                <p class="body">
                    "Each survey's results set the measures scored as the national statistics score them against these figures, the newest year of each. Every new file is kept as a version of its own, so what a page showed can be told again."
                </p>
                <p class="body">
                    <strong>"In use: "</strong>
                    {using.clone()}
                    "."
                </p>
                <ScrollingTable
                    label="National figures in use".to_owned()
                    columns=vec!["Measure", "Population", "Year", "Figure", "Asked", "Source"]
                    numeric_from=2
                >
                    {rows}
                </ScrollingTable>
                <h2 class="heading-m">"Versions"</h2>
                <ScrollingTable label="Versions".to_owned() columns=vec!["Version", "Uploaded", "By", "File"]>
                    {versions}
                    <tr>
                        <td>"As it came"</td>
                        <td>"With the service"</td>
                        <td></td>
                        <td>
                            <a class="link" href=staff::national_version(0) download>
                                "Download the figures that came with the service"
                            </a>
                        </td>
                    </tr>
                </ScrollingTable>
                {admin
                    .then(|| {
                        view! {
                            <h2 class="heading-m">"Upload new figures"</h2>
                            <p class="body">
                                "A CSV file with the columns measure, population, year, figure (a percentage), base (how many the source asked, or empty when it does not say) and source (its address). Start from a version above: the new file replaces the figures in use, and the old versions stay."
                            </p>
                            <UploadForm
                                action=staff::NATIONAL.to_owned()
                                csrf=csrf.clone()
                                label="National figures file"
                                accept=".csv,text/csv"
                                button="Check and save"
                            />
                        }
                    })}
            </Page>
        }
    }))
}

#[component]
fn FigureRow(c: Comparator) -> impl IntoView {
    // Named as the results name it, with the id the file uses.
    let name = MEASURES.iter().find(|m| m.id == c.measure).map(|m| m.name);
    view! {
        <tr>
            <td>
                {name} {name.map(|_| view! { <br /> })}
                <span class="hint">{format!("In the file: {}", c.measure)}</span>
            </td>
            <td>{c.population.clone()}</td>
            <td class="numeric">{c.year}</td>
            <td class="numeric">{format!("{}%", c.share * 100.0)}</td>
            <td class="numeric">
                {c.base.map(|b| crate::survey::thousands(b as usize)).unwrap_or_else(|| "Not given".into())}
            </td>
            <td>
                <a class="link" href=c.source.clone()>
                    {c.source.clone()}
                </a>
            </td>
        </tr>
    }
}
