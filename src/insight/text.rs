//! What people wrote in their own words: a text question's answers, or the words written beside
//! "Something else", newest first, a page at a time, with the dashboard's filters. Staff only, and
//! never in the publishable view: free text is where people write names and phone numbers.

use super::summary::{PER_PAGE, Written, written};
use crate::auth::AnalystUser;
use crate::error::AppError;
use crate::paths::staff;
use crate::responses::filters::FilterQuery;
use crate::state::AppState;
use crate::survey::thousands;
use crate::ui::{Chrome, Page, ScrollingTable, render};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use leptos::prelude::*;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct Paging {
    page: Option<String>,
    /// `1` to show the words as written; otherwise contact details are redacted.
    full: Option<String>,
}

/// Where a question's words can be read, when it has any: text questions, and choices with a
/// "Something else" that people describe.
pub fn path(slug: &str, question: &crate::survey::Question) -> Option<String> {
    (question.kind.is_text() || question.options.iter().any(|o| o.other))
        .then(|| staff::text_answers(&slug, &question.id))
}

impl Paging {
    /// The page asked for, from 1.
    fn page(&self) -> Result<i64, AppError> {
        match self.page.as_deref().filter(|p| !p.is_empty()) {
            None => Ok(1),
            Some(p) => p
                .parse()
                .ok()
                .filter(|p| (1..=100_000).contains(p))
                .ok_or_else(|| AppError::BadRequest("The page must be a whole number.".into())),
        }
    }

    fn full(&self) -> bool {
        self.full.as_deref() == Some("1")
    }
}

pub async fn text_answers(
    State(state): State<AppState>,
    AnalystUser(user): AnalystUser,
    Path((slug, question)): Path<(String, String)>,
    Query(query): Query<FilterQuery>,
    Query(paging): Query<Paging>,
) -> Result<Response, AppError> {
    let version = state.surveys.current(&state.db, &slug).await?.ok_or(AppError::NotFound)?;
    let q = version.survey.question(&question).filter(|q| path(&slug, q).is_some()).ok_or(AppError::NotFound)?.clone();
    let (page, full) = (paging.page()?, paging.full());
    let filters = query.filters(&state.config.clock)?;
    let (total, mut rows) = written(&state.db, version.survey_id, &filters, &q.id, page).await?;
    if !full {
        for row in &mut rows {
            row.text = crate::insight::redact::redact(&row.text).into_owned();
        }
    }
    let shown = shown(total, page, rows.len());
    let links = Links::new(&slug, &q.id, &query.filter_string(), full, page, total);
    let title = q.text.clone();
    let clock = state.config.clock.clone();
    Ok(render(Chrome::staff(&state.config, user.nav()), StatusCode::OK, move || {
        let rows = rows
            .into_iter()
            .map(|Written { text, reference, submitted_at: at }| {
                view! {
                    <tr>
                        <td>{clock.format_time(at)}</td>
                        <td>{reference}</td>
                        <td class="prose">{text}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <Page title=format!("What people wrote: {title}")>
                <a class="link" href=links.back>
                    "Back to the results"
                </a>
                <span class="caption-l">"What people wrote"</span>
                <h1 class="heading-l">{title.clone()}</h1>
                <p class="body">{shown}</p>
                <p class="body">
                    "These are residents' own words: they may contain names or contact details. Do not publish them or copy them outside the council."
                </p>
                <p class="body">
                    <a class="link" href=links.toggle>
                        {links.toggle_text}
                    </a>
                </p>
                <ScrollingTable label="Answers".to_owned() columns=vec!["Sent", "Reference", "Answer"]>
                    {rows}
                </ScrollingTable>
                <Pagination newer=links.newer older=links.older />
            </Page>
        }
    }))
}

/// How many answers there are and which are on this page.
fn shown(total: i64, page: i64, on_page: usize) -> String {
    if total == 0 {
        return "Nobody wrote anything here in this selection.".to_owned();
    }
    let first = (page - 1) * PER_PAGE + 1;
    let last = (first + on_page as i64 - 1).max(first);
    let answers = if total == 1 { "1 answer".to_owned() } else { format!("{} answers", thousands(total as usize)) };
    format!("{answers}, newest first. Showing {first} to {last}.")
}

/// Where the page links to, each keeping the filters (and whether the words are shown in full).
struct Links {
    back: String,
    toggle: String,
    toggle_text: &'static str,
    newer: Option<String>,
    older: Option<String>,
}

impl Links {
    fn new(slug: &str, question: &str, filters: &str, full: bool, page: i64, total: i64) -> Links {
        let words = staff::text_answers(slug, question);
        let here = format!("{words}?{filters}{}", if full { "&full=1" } else { "" });
        let (toggle, toggle_text) = if full {
            (format!("{words}?{filters}"), "Hide email addresses, phone numbers and postcodes")
        } else {
            (format!("{words}?{filters}&full=1"), "Show the answers in full, with any contact details")
        };
        Links {
            back: staff::results_filtered(slug, filters),
            toggle,
            toggle_text,
            newer: (page > 1).then(|| format!("{here}&page={}", page - 1)),
            older: (page * PER_PAGE < total).then(|| format!("{here}&page={}", page + 1)),
        }
    }
}

/// Links to the newer and older pages, where there are any.
#[component]
fn Pagination(newer: Option<String>, older: Option<String>) -> impl IntoView {
    view! {
        <nav class="pagination" aria-label="Pages of answers">
            {newer
                .map(|href| {
                    view! {
                        <a class="link" href=href rel="prev">
                            "Newer answers"
                        </a>
                    }
                })}
            " "
            {older
                .map(|href| {
                    view! {
                        <a class="link" href=href rel="next">
                            "Older answers"
                        </a>
                    }
                })}
        </nav>
    }
}
