//! Admins add staff, turn accounts off and on, and set new passwords.

use super::account::{self, check_password, parse_email, Created, NewStaff, Role, Roles};
use super::session::{AdminUser, StaffForm, CSRF_FIELD};
use crate::app::AppState;
use crate::error::AppError;
use crate::ui::{render, ErrorMessage, ErrorSummary, Page, Problem, ScrollingTable};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::*;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct Notice {
    done: Option<String>,
}

fn notice_text(done: Option<&str>) -> Option<&'static str> {
    match done? {
        "created" => Some("Account created. Give the person their temporary password in person or by phone."),
        "deactivated" => Some("Account turned off. Any sessions it had have ended."),
        "reactivated" => Some("Account turned back on."),
        "password" => Some("Password changed. Any sessions the account had have ended."),
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

pub async fn list(State(state): State<AppState>, AdminUser(admin): AdminUser, Query(notice): Query<Notice>) -> Result<Response, AppError> {
    page(&state, &admin, StatusCode::OK, Draft::default(), notice_text(notice.done.as_deref())).await
}

async fn page(
    state: &AppState,
    admin: &super::session::SignedIn,
    status: StatusCode,
    draft: Draft,
    notice: Option<&'static str>,
) -> Result<Response, AppError> {
    let staff = account::all(&state.db).await?;
    let csrf = admin.csrf.clone();
    let me = admin.id();
    let title = if draft.problems.is_empty() { "Staff accounts" } else { "Error: Staff accounts" };
    let error_for = |field: &str| draft.problems.iter().find(|p| p.field == field).map(|p| p.message.clone());
    let (name_error, email_error, roles_error, password_error) =
        (error_for("name"), error_for("email"), error_for("role-admin"), error_for("password"));
    Ok(render(state.chrome.staff(admin.nav()), status, move || {
        let rows = staff
            .into_iter()
            .map(|s| {
                let toggle = (s.id != me).then(|| {
                    let (label, value) = if s.active { ("Turn off", "0") } else { ("Turn on", "1") };
                    view! {
                        <form method="post" action=format!("/staff/users/{}/active", s.id) class="inline-form">
                            <input type="hidden" name=CSRF_FIELD value=csrf.clone() />
                            <input type="hidden" name="active" value=value />
                            <button type="submit" class="link-button">
                                {label}
                                <span class="visually-hidden">{format!(" {}", s.name)}</span>
                            </button>
                        </form>
                    }
                });
                view! {
                    <tr>
                        <td>{s.name.clone()}</td>
                        <td>{s.email.clone()}</td>
                        <td>{s.roles.names().join(", ")}</td>
                        <td>
                            {if s.active {
                                view! { <span class="tag">"Active"</span> }.into_any()
                            } else {
                                view! { <span class="tag tag--grey">"Off"</span> }.into_any()
                            }}
                        </td>
                        <td>
                            <a class="link" href=format!("/staff/users/{}/password", s.id)>
                                "New password"
                                <span class="visually-hidden">{format!(" for {}", s.name)}</span>
                            </a>
                            " "
                            {toggle}
                        </td>
                    </tr>
                }
            })
            .collect_view();
        let role_boxes = Role::ALL
            .into_iter()
            .map(|role| {
                let id = format!("role-{}", role.as_str());
                let checked = draft.roles.iter().any(|r| r == role.as_str());
                view! {
                    <div class="checkboxes__item">
                        <input class="checkboxes__input" id=id.clone() name="role" type="checkbox" value=role.as_str() checked=checked />
                        <label class="label checkboxes__label" for=id>
                            {role.as_str()}
                        </label>
                    </div>
                }
            })
            .collect_view();
        view! {
            <Page title=title.to_owned()>
                <ErrorSummary problems=draft.problems.clone() />
                {notice.map(|text| view! { <div class="notification" role="status"><p class="body">{text}</p></div> })}
                <h1 class="heading-l">"Staff accounts"</h1>
                <ScrollingTable label="Staff accounts".to_owned() columns=vec!["Name", "Email", "Roles", "Status", "Actions"]>{rows}</ScrollingTable>
                <h2 class="heading-m">"Add a member of staff"</h2>
                <form method="post" action="/staff/users">
                    <input type="hidden" name=CSRF_FIELD value=csrf.clone() />
                    <div class="form-group">
                        <label class="label" for="name">"Full name"</label>
                        {name_error.map(|m| view! { <ErrorMessage id="name-error".to_owned() message=m /> })}
                        <input class="input" id="name" name="name" type="text" autocomplete="off" value=draft.name.clone() />
                    </div>
                    <div class="form-group">
                        <label class="label" for="email">"Email address"</label>
                        {email_error.map(|m| view! { <ErrorMessage id="email-error".to_owned() message=m /> })}
                        <input class="input" id="email" name="email" type="email" autocomplete="off" spellcheck="false" value=draft.email.clone() />
                    </div>
                    <div class="form-group">
                        <fieldset class="fieldset">
                            <legend class="fieldset__legend fieldset__legend--m">"Roles"</legend>
                            {roles_error.map(|m| view! { <ErrorMessage id="roles-error".to_owned() message=m /> })}
                            <div class="checkboxes">{role_boxes}</div>
                        </fieldset>
                    </div>
                    <PasswordField label="Temporary password" error=password_error />
                    <button type="submit" class="button">"Add account"</button>
                </form>
            </Page>
        }
    }))
}

pub async fn create(State(state): State<AppState>, AdminUser(admin): AdminUser, form: StaffForm) -> Result<Response, AppError> {
    form.expect_only(&["name", "email", "role", "password"])?;
    let mut draft = Draft {
        name: form.get("name").unwrap_or_default().trim().to_owned(),
        email: form.get("email").unwrap_or_default().trim().to_owned(),
        roles: form.all("role").map(str::to_owned).collect(),
        problems: Vec::new(),
    };
    let mut problems = Vec::new();
    if draft.name.is_empty() || draft.name.chars().count() > 100 {
        problems.push(draft_problem("name", "Enter a name of up to 100 characters"));
    }
    let email = parse_email(&draft.email);
    if email.is_none() {
        problems.push(draft_problem("email", "Enter an email address in the correct format, like name@council.gov.uk"));
    }
    let roles: Option<Vec<Role>> = draft.roles.iter().map(|r| Role::parse(r)).collect();
    let roles: Roles = roles.unwrap_or_default().into_iter().collect();
    if roles.is_empty() {
        problems.push(draft_problem("role-admin", "Select at least one role"));
    }
    let password = form.get("password").unwrap_or_default().to_owned();
    if let Err(message) = check_password(&password) {
        problems.push(draft_problem("password", &message));
    }
    if problems.is_empty() {
        let new = NewStaff {
            email: email.clone().unwrap_or_default(),
            name: draft.name.clone(),
            roles,
            password_hash: account::hash_password(password).await?,
        };
        match account::create(&state.db, Some(admin.id()), new).await? {
            Created::Id(_) => return Ok(Redirect::to("/staff/users?done=created").into_response()),
            Created::EmailTaken => problems.push(draft_problem("email", "There is already an account with this email address")),
        }
    }
    draft.problems = problems;
    page(&state, &admin, StatusCode::UNPROCESSABLE_ENTITY, draft, None).await
}

/// A new password, with the rule it must meet.
#[component]
fn PasswordField(label: &'static str, error: Option<String>) -> impl IntoView {
    view! {
        <div class="form-group">
            <label class="label" for="password">{label}</label>
            <div class="hint" id="password-hint">
                {format!("At least {} characters.", account::MIN_PASSWORD_CHARS)}
            </div>
            {error.map(|m| view! { <ErrorMessage id="password-error".to_owned() message=m /> })}
            <input class="input" id="password" name="password" type="password" autocomplete="new-password" aria-describedby="password-hint" />
        </div>
    }
}

fn draft_problem(field: &str, message: &str) -> Problem {
    Problem { field: field.to_owned(), message: message.to_owned() }
}

pub async fn set_active(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(id): Path<i64>,
    form: StaffForm,
) -> Result<Response, AppError> {
    form.expect_only(&["active"])?;
    let active = match form.get("active") {
        Some("1") => true,
        Some("0") => false,
        _ => return Err(AppError::BadRequest("The form did not say whether to turn the account on or off.".into())),
    };
    if id == admin.id() {
        return Err(AppError::BadRequest("You cannot turn off your own account.".into()));
    }
    account::find(&state.db, id).await?.ok_or(AppError::NotFound)?;
    account::set_active(&state.db, admin.id(), id, active).await?;
    let done = if active { "reactivated" } else { "deactivated" };
    Ok(Redirect::to(&format!("/staff/users?done={done}")).into_response())
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
    admin: &super::session::SignedIn,
    staff: account::Staff,
    status: StatusCode,
    error: Option<String>,
) -> Response {
    let csrf = admin.csrf.clone();
    let problems: Vec<Problem> = error.iter().map(|m| draft_problem("password", m)).collect();
    let title = format!("{}New password for {}", if error.is_some() { "Error: " } else { "" }, staff.name);
    render(state.chrome.staff(admin.nav()), status, move || {
        view! {
            <Page title=title back="/staff/users".to_owned()>
                <ErrorSummary problems />
                <h1 class="heading-l">{format!("New password for {}", staff.name)}</h1>
                <p class="body">"Setting a new password signs this person out everywhere."</p>
                <form method="post" action=format!("/staff/users/{}/password", staff.id)>
                    <input type="hidden" name=CSRF_FIELD value=csrf />
                    <PasswordField label="New temporary password" error />
                    <button type="submit" class="button">"Set password"</button>
                </form>
            </Page>
        }
    })
}

pub async fn set_password(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(id): Path<i64>,
    form: StaffForm,
) -> Result<Response, AppError> {
    form.expect_only(&["password"])?;
    let staff = account::find(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let password = form.get("password").unwrap_or_default().to_owned();
    if let Err(message) = check_password(&password) {
        return Ok(password_form(&state, &admin, staff, StatusCode::UNPROCESSABLE_ENTITY, Some(message)));
    }
    account::reset_password(&state.db, Some(admin.id()), id, account::hash_password(password).await?).await?;
    Ok(Redirect::to("/staff/users?done=password").into_response())
}
