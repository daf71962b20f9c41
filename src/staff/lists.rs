//! The page where admins keep the short lists ([`crate::survey::lists`]).

use super::store;
use crate::auth::{AdminUser, CSRF_FIELD, SignedIn, StaffForm};
use crate::error::AppError;
use crate::fields;
use crate::paths::staff;
use crate::state::AppState;
use crate::survey::lists::{List, ListItem, items};
use crate::ui::{Chrome, ErrorSummary, Page, Problem, ScrollingTable, Switch, TextField, problems, render, trimmed};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::*;
use serde::Deserialize;
use validator::Validate;

pub async fn page(State(state): State<AppState>, AdminUser(admin): AdminUser) -> Result<Response, AppError> {
    show(&state, &admin, StatusCode::OK, None).await
}

/// `problem`: which list's add form failed, and why.
async fn show(
    state: &AppState,
    admin: &SignedIn,
    status: StatusCode,
    problem: Option<(List, String)>,
) -> Result<Response, AppError> {
    let locations = items(&state.db, List::Location).await?;
    let help = items(&state.db, List::Help).await?;
    let csrf = admin.csrf.clone();
    let problems: Vec<Problem> = problem
        .iter()
        .map(|(list, m)| Problem { field: format!("{}-label", list.as_str()), message: m.clone() })
        .collect();
    let title = if problem.is_some() { "Error: Locations and help" } else { "Locations and help" };
    let error = |list: List| problem.as_ref().filter(|(l, _)| *l == list).map(|(_, m)| m.clone());
    let (location_error, help_error) = (error(List::Location), error(List::Help));
    Ok(render(Chrome::staff(&state.config, admin.nav()), status, move || {
        view! {
            <Page title=title.to_owned()>
                <ErrorSummary problems />
                <h1 class="heading-l">"Locations and help"</h1>
                <p class="body">"Officers choose from these lists when they take a survey with a resident."</p>
                <ListSection list=List::Location items=locations csrf=csrf.clone() error=location_error />
                <ListSection list=List::Help items=help csrf=csrf.clone() error=help_error />
            </Page>
        }
    }))
}

/// One list: its items, each with a button to stop or start using it, and a form to add one.
#[component]
fn ListSection(list: List, items: Vec<ListItem>, csrf: String, error: Option<String>) -> impl IntoView {
    let rows = items.into_iter().map(|item| view! { <ItemRow item csrf=csrf.clone() /> }).collect_view();
    view! {
        <h2 class="heading-m">{list.heading()}</h2>
        <ScrollingTable label=list.heading().to_owned() columns=vec!["Name", "Status", "Action"]>
            {rows}
        </ScrollingTable>
        <form method="post" action=staff::list(list.as_str())>
            <input type="hidden" name=CSRF_FIELD value=csrf />
            <TextField
                id=format!("{}-label", list.as_str())
                name="label"
                label=format!("Add to {}", list.heading().to_lowercase())
                error
                autocomplete="off"
            />
            <button type="submit" class="button button--secondary">
                "Add"
            </button>
        </form>
    }
}

/// An item of a list, in use or not, with the button that switches it.
#[component]
fn ItemRow(item: ListItem, csrf: String) -> impl IntoView {
    let (label, value) = if item.active { ("Stop using", "0") } else { ("Use again", "1") };
    view! {
        <tr>
            <td>{item.label.clone()}</td>
            <td>{if item.active { "In use" } else { "Not in use" }}</td>
            <td>
                <form method="post" action=staff::list_item_active(item.id) class="inline-form">
                    <input type="hidden" name=CSRF_FIELD value=csrf />
                    <input type="hidden" name="active" value=value />
                    <button type="submit" class="link-button">
                        {label}
                        <span class="visually-hidden">{format!(": {}", item.label)}</span>
                    </button>
                </form>
            </td>
        </tr>
    }
}

#[derive(Debug, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
pub struct NewItem {
    #[serde(default, deserialize_with = "trimmed")]
    #[validate(length(min = 1, max = 100, message = "Enter a name of up to 100 characters"))]
    label: String,
}

pub async fn add(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(list): Path<String>,
    StaffForm(form): StaffForm<NewItem>,
) -> Result<Response, AppError> {
    let list = List::parse(&list).ok_or(AppError::NotFound)?;
    if let Some(problem) = form.validate().err().and_then(|e| problems(&e, fields!(form; label)).pop()) {
        return show(&state, &admin, StatusCode::UNPROCESSABLE_ENTITY, Some((list, problem.message))).await;
    }
    if store::add_list_item(&state.db, admin.id(), list, &form.label).await?.is_none() {
        let message = "That is already on the list".to_owned();
        return show(&state, &admin, StatusCode::UNPROCESSABLE_ENTITY, Some((list, message))).await;
    }
    Ok(Redirect::to(staff::LISTS).into_response())
}

pub async fn set_active(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(id): Path<i64>,
    StaffForm(Switch { active }): StaffForm<Switch>,
) -> Result<Response, AppError> {
    store::set_list_item_active(&state.db, admin.id(), id, active).await?;
    Ok(Redirect::to(staff::LISTS).into_response())
}
