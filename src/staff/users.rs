//! Admins add staff, turn accounts off and on, and set new passwords.

use crate::auth::account::{self, Created, NewStaff, Role, check_password, parse_email};
use crate::auth::{AdminUser, CSRF_FIELD, StaffForm};
use crate::error::AppError;
use crate::fields;
use crate::paths::{Done, Notice, staff};
use crate::state::AppState;
use crate::ui::{
    Checkbox, Chrome, ErrorSummary, Fieldset, Notification, Page, Problem, ScrollingTable, Switch, TextField,
    message_for, problems, render, trimmed,
};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::*;
use serde::Deserialize;
use validator::{Validate, ValidationError};

fn notice_text(done: Option<Done>) -> Option<&'static str> {
    match done? {
        Done::Created => Some("Account created. Give the person their temporary password in person or by phone."),
        Done::Deactivated => Some("Account turned off. Any sessions it had have ended."),
        Done::Reactivated => Some("Account turned back on."),
        Done::Password => Some("Password changed. Any sessions the account had have ended."),
        _ => None,
    }
}

/// What the add-staff form sent, to show again with its problems.
#[derive(Debug, Clone, Default)]
struct Draft {
    name: String,
    email: String,
    roles: Vec<String>,
    problems: Vec<Problem>,
}

pub async fn list(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Query(notice): Query<Notice>,
) -> Result<Response, AppError> {
    page(&state, &admin, StatusCode::OK, Draft::default(), notice_text(notice.done)).await
}

async fn page(
    state: &AppState,
    admin: &crate::auth::SignedIn,
    status: StatusCode,
    draft: Draft,
    notice: Option<&'static str>,
) -> Result<Response, AppError> {
    let staff = account::all(&state.db).await?;
    let csrf = admin.csrf.clone();
    let me = admin.id();
    let title = if draft.problems.is_empty() { "Staff accounts" } else { "Error: Staff accounts" };
    Ok(render(Chrome::staff(&state.config, admin.nav()), status, move || {
        let rows =
            staff.into_iter().map(|account| view! { <AccountRow account me csrf=csrf.clone() /> }).collect_view();
        view! {
            <Page title=title.to_owned()>
                <ErrorSummary problems=draft.problems.clone() />
                <Notification text=notice.map(str::to_owned) />
                <h1 class="heading-l">"Staff accounts"</h1>
                <ScrollingTable
                    label="Staff accounts".to_owned()
                    columns=vec!["Name", "Email", "Roles", "Status", "Actions"]
                >
                    {rows}
                </ScrollingTable>
                <AddAccount draft csrf />
            </Page>
        }
    }))
}

/// The form that adds a member of staff, with what was sent and its problems.
#[component]
fn AddAccount(draft: Draft, csrf: String) -> impl IntoView {
    let error_for = |field: &str| message_for(&draft.problems, field);
    let (name_error, email_error, roles_error, password_error) =
        (error_for("name"), error_for("email"), error_for("role-admin"), error_for("password"));
    let role_boxes = Role::ALL
        .into_iter()
        .map(|role| {
            let checked = draft.roles.iter().any(|r| r == role.as_str());
            view! { <Checkbox name="role" value=role.as_str() label=role.as_str() checked /> }
        })
        .collect_view();
    view! {
        <h2 class="heading-m">"Add a member of staff"</h2>
        <form method="post" action=staff::USERS>
            <input type="hidden" name=CSRF_FIELD value=csrf.clone() />
            <TextField id="name" label="Full name" error=name_error autocomplete="off" value=draft.name.clone() />
            <TextField
                id="email"
                label="Email address"
                error=email_error
                kind="email"
                autocomplete="off"
                no_spellcheck=true
                value=draft.email.clone()
            />
            <Fieldset legend="Roles" size="m" error_id="roles" error=roles_error>
                <div class="checkboxes">{role_boxes}</div>
            </Fieldset>
            <PasswordField label="Temporary password" error=password_error />
            <button type="submit" class="button">
                "Add account"
            </button>
        </form>
    }
}

/// One account in the list, with what an admin can do to it (never turn off their own).
#[component]
fn AccountRow(account: account::Staff, me: i64, csrf: String) -> impl IntoView {
    let toggle = (account.id != me).then(|| {
        let (label, value) = if account.active { ("Turn off", "0") } else { ("Turn on", "1") };
        view! {
            <form method="post" action=staff::user_active(account.id) class="inline-form">
                <input type="hidden" name=CSRF_FIELD value=csrf.clone() />
                <input type="hidden" name="active" value=value />
                <button type="submit" class="link-button">
                    {label}
                    <span class="visually-hidden">{format!(" {}", account.name)}</span>
                </button>
            </form>
        }
    });
    view! {
        <tr>
            <td>{account.name.clone()}</td>
            <td>{account.email.clone()}</td>
            <td>{account.roles.names().join(", ")}</td>
            <td>
                {if account.active {
                    view! { <span class="tag">"Active"</span> }.into_any()
                } else {
                    view! { <span class="tag tag--grey">"Off"</span> }.into_any()
                }}
            </td>
            <td>
                <a class="link" href=staff::user_password(account.id)>
                    "New password"
                    <span class="visually-hidden">{format!(" for {}", account.name)}</span>
                </a>
                " "
                {toggle}
            </td>
        </tr>
    }
}

/// The add-staff form.
#[derive(Debug, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
pub struct NewAccount {
    #[serde(default, deserialize_with = "trimmed")]
    #[validate(length(min = 1, max = 100, message = "Enter a name of up to 100 characters"))]
    name: String,
    #[serde(default, deserialize_with = "trimmed")]
    #[validate(custom(
        function = "valid_email",
        message = "Enter an email address in the correct format, like name@council.gov.uk"
    ))]
    email: String,
    #[serde(default)]
    #[validate(length(min = 1, message = "Select at least one role"), custom(function = "known_roles"))]
    role: Vec<String>,
    #[serde(default)]
    #[validate(custom(function = "password_rule"))]
    password: String,
}

fn valid_email(email: &str) -> Result<(), ValidationError> {
    parse_email(email).map(|_| ()).ok_or_else(|| ValidationError::new("email"))
}

fn known_roles(roles: &[String]) -> Result<(), ValidationError> {
    match roles.iter().all(|r| Role::parse(r).is_some()) {
        true => Ok(()),
        false => Err(ValidationError::new("role").with_message("Select at least one role".into())),
    }
}

fn password_rule(password: &str) -> Result<(), ValidationError> {
    check_password(password).map_err(|message| ValidationError::new("password").with_message(message.into()))
}

pub async fn create(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    StaffForm(form): StaffForm<NewAccount>,
) -> Result<Response, AppError> {
    let mut problems = match form.validate() {
        Ok(()) => Vec::new(),
        Err(errors) => problems(&errors, fields!(form; name, email, role, password)),
    };
    if problems.is_empty() {
        let new = NewStaff {
            email: parse_email(&form.email).unwrap_or_default(),
            name: form.name.clone(),
            roles: form.role.iter().filter_map(|r| Role::parse(r)).collect(),
            password_hash: account::hash_password(form.password).await?,
        };
        match account::create(&state.db, Some(admin.id()), new).await? {
            Created::Id(_) => return Ok(Redirect::to(&Done::Created.at(staff::USERS)).into_response()),
            Created::EmailTaken => {
                problems.push(draft_problem("email", "There is already an account with this email address"))
            }
        }
    }
    // The first checkbox is where the summary's link for roles lands.
    for problem in problems.iter_mut().filter(|p| p.field == "role") {
        problem.field = "role-admin".into();
    }
    let draft = Draft { name: form.name, email: form.email, roles: form.role, problems };
    page(&state, &admin, StatusCode::UNPROCESSABLE_ENTITY, draft, None).await
}

/// A new password, with the rule it must meet.
#[component]
fn PasswordField(label: &'static str, error: Option<String>) -> impl IntoView {
    view! {
        <TextField
            id="password"
            label
            hint=format!("At least {} characters.", account::MIN_PASSWORD_CHARS)
            error
            kind="password"
            autocomplete="new-password"
        />
    }
}

fn draft_problem(field: &str, message: &str) -> Problem {
    Problem { field: field.to_owned(), message: message.to_owned() }
}

pub async fn set_active(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(id): Path<i64>,
    StaffForm(Switch { active }): StaffForm<Switch>,
) -> Result<Response, AppError> {
    if id == admin.id() {
        return Err(AppError::BadRequest("You cannot turn off your own account.".into()));
    }
    account::find(&state.db, id).await?.ok_or(AppError::NotFound)?;
    account::set_active(&state.db, admin.id(), id, active).await?;
    let done = if active { Done::Reactivated } else { Done::Deactivated };
    Ok(Redirect::to(&done.at(staff::USERS)).into_response())
}

pub async fn password_page(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let staff = account::find(&state.db, id).await?.ok_or(AppError::NotFound)?;
    Ok(password_form(&state, &admin, staff, StatusCode::OK, None))
}

fn password_form(
    state: &AppState,
    admin: &crate::auth::SignedIn,
    staff: account::Staff,
    status: StatusCode,
    error: Option<String>,
) -> Response {
    let csrf = admin.csrf.clone();
    let problems: Vec<Problem> = error.iter().map(|m| draft_problem("password", m)).collect();
    let title = format!("{}New password for {}", if error.is_some() { "Error: " } else { "" }, staff.name);
    render(Chrome::staff(&state.config, admin.nav()), status, move || {
        view! {
            <Page title=title back=staff::USERS.to_owned()>
                <ErrorSummary problems />
                <h1 class="heading-l">{format!("New password for {}", staff.name)}</h1>
                <p class="body">"Setting a new password signs this person out everywhere."</p>
                <form method="post" action=staff::user_password(staff.id)>
                    <input type="hidden" name=CSRF_FIELD value=csrf />
                    <PasswordField label="New temporary password" error />
                    <button type="submit" class="button">
                        "Set password"
                    </button>
                </form>
            </Page>
        }
    })
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewPassword {
    #[serde(default)]
    password: String,
}

pub async fn set_password(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(id): Path<i64>,
    StaffForm(form): StaffForm<NewPassword>,
) -> Result<Response, AppError> {
    let staff = account::find(&state.db, id).await?.ok_or(AppError::NotFound)?;
    if let Err(message) = check_password(&form.password) {
        return Ok(password_form(&state, &admin, staff, StatusCode::UNPROCESSABLE_ENTITY, Some(message)));
    }
    account::reset_password(&state.db, Some(admin.id()), id, account::hash_password(form.password).await?).await?;
    Ok(Redirect::to(&Done::Password.at(staff::USERS)).into_response())
}
