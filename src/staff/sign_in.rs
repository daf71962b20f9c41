//! The sign-in and sign-out pages. [`crate::auth::authenticate`] decides and throttles.

use crate::audit::Event;
use crate::auth::{self, CSRF_FIELD, SignedIn, StaffForm, session};
use crate::error::AppError;
use crate::paths::staff;
use crate::state::AppState;
use crate::throttle::ClientAddress;
use crate::ui::{Chrome, ErrorSummary, NoFields, Page, Problem, TextField, render, trimmed};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::*;
use serde::Deserialize;
use tower_sessions::Session;

#[derive(Debug, Default, Deserialize)]
pub struct Next {
    next: Option<String>,
    /// After signing out: how many unsent entries were closed.
    closed: Option<u64>,
}

/// Only paths inside the staff area: never another site.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with(staff::HOME) && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => staff::HOME.to_owned(),
    }
}

pub async fn sign_in_page(
    State(state): State<AppState>,
    session: Session,
    Query(next): Query<Next>,
) -> Result<Response, AppError> {
    let csrf = session::csrf_token(&session).await?;
    // Nothing is closed without telling the officer who had it open.
    let notice = next.closed.filter(|n| *n > 0).map(|n| match n {
        1 => "You have signed out. The survey you had not sent was closed, and its answers were not kept.".to_owned(),
        n => format!(
            "You have signed out. The {n} surveys you had not sent were closed, and their answers were not kept."
        ),
    });
    Ok(form(&state, StatusCode::OK, csrf, safe_next(next.next.as_deref()), String::new(), None, notice))
}

fn form(
    state: &AppState,
    status: StatusCode,
    csrf: String,
    next: String,
    email: String,
    error: Option<String>,
    notice: Option<String>,
) -> Response {
    let problems: Vec<Problem> = error.iter().map(|m| Problem { field: "email".into(), message: m.clone() }).collect();
    let title = if error.is_some() { "Error: Sign in" } else { "Sign in" };
    render(Chrome::council(&state.config), status, move || {
        view! {
            <Page title=title.to_owned()>
                <ErrorSummary problems />
                {notice
                    .map(|text| {
                        view! {
                            <div class="inset">
                                <p class="body">{text}</p>
                            </div>
                        }
                    })}
                <h1 class="heading-l">"Sign in"</h1>
                <p class="body">"For council staff. Residents do not need to sign in."</p>
                <form method="post" action=staff::LOGIN>
                    <input type="hidden" name=CSRF_FIELD value=csrf />
                    <input type="hidden" name="next" value=next />
                    <TextField
                        id="email"
                        label="Email address"
                        kind="email"
                        autocomplete="username"
                        no_spellcheck=true
                        value=email
                    />
                    <TextField id="password" label="Password" kind="password" autocomplete="current-password" />
                    <button type="submit" class="button">
                        "Sign in"
                    </button>
                </form>
            </Page>
        }
    })
}

/// The sign-in form. Whether the email and password are right is [`auth::authenticate`]'s
/// question, answered the same way for every wrong pair.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    next: Option<String>,
    #[serde(default, deserialize_with = "trimmed")]
    email: String,
    #[serde(default)]
    password: String,
}

pub async fn sign_in(
    State(state): State<AppState>,
    session: Session,
    address: ClientAddress,
    StaffForm(credentials): StaffForm<Credentials>,
) -> Result<Response, AppError> {
    let next = safe_next(credentials.next.as_deref());
    let (typed_email, password) = (credentials.email, credentials.password);
    let Some(staff) = auth::authenticate(&state.db, &typed_email, password, &address).await? else {
        let csrf = session::csrf_token(&session).await?;
        let message = "Enter a correct email address and password".to_owned();
        return Ok(form(&state, StatusCode::UNPROCESSABLE_ENTITY, csrf, next, typed_email, Some(message), None));
    };
    session::sign_in(&session, &staff).await?;
    crate::audit::record(
        &state.db.write,
        Some(staff.id),
        Event::StaffSignIn,
        &format!("staff/{}", staff.id),
        None,
        None,
    )
    .await?;
    Ok(Redirect::to(&next).into_response())
}

pub async fn sign_out(
    State(state): State<AppState>,
    signed_in: SignedIn,
    _: StaffForm<NoFields>,
) -> Result<Response, AppError> {
    let closed = match signed_in.session_id() {
        Some(id) => crate::respond::end_officer_drafts(&state.db, &id).await?,
        None => 0,
    };
    session::sign_out(&signed_in.session).await?;
    let to = if closed > 0 { staff::login_closed(closed) } else { staff::LOGIN.to_owned() };
    Ok(Redirect::to(&to).into_response())
}

#[cfg(test)]
mod tests {
    use super::safe_next;
    use crate::paths::staff;

    #[test]
    fn next_stays_inside_the_staff_area() {
        assert_eq!(safe_next(Some(staff::USERS)), staff::USERS);
        for hostile in ["https://evil.example", "//evil.example", "/s/x", "/staff\\..\\x"] {
            assert_eq!(safe_next(Some(hostile)), staff::HOME, "{hostile}");
        }
        assert_eq!(safe_next(None), staff::HOME);
    }
}
