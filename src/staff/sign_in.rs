//! Signing in and out. Attempts are limited per account and per address (see [`crate::throttle`]),
//! so the limits hold across every instance and cannot be raced; unknown emails get the same
//! answer, in about the same time, as wrong passwords.

use super::account;
use super::session::{self, SignedIn, StaffForm, CSRF_FIELD};
use crate::app::AppState;
use crate::error::AppError;
use crate::throttle::{self, ClientAddress, Limit};
use crate::ui::{render, ErrorSummary, Page, Problem};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::*;
use serde::Deserialize;
use tower_sessions::Session;

const ACCOUNT_LIMIT: i64 = 5;
const ADDRESS_LIMIT: i64 = 20;

fn account_key(email: &str) -> String {
    format!("sign-in:account:{email}")
}

fn limits(email: &str, address: &ClientAddress) -> Vec<Limit> {
    let mut limits = vec![Limit::new(account_key(email), ACCOUNT_LIMIT)];
    limits.extend(address.key("sign-in").map(|key| Limit::new(key, ADDRESS_LIMIT)));
    limits
}

#[derive(Debug, Default, Deserialize)]
pub struct Next {
    next: Option<String>,
    /// After signing out: how many unsent entries were closed.
    closed: Option<u64>,
}

/// Only paths inside the staff area: never another site.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with("/staff") && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/staff".to_owned(),
    }
}

pub async fn sign_in_page(State(state): State<AppState>, session: Session, Query(next): Query<Next>) -> Result<Response, AppError> {
    let csrf = session::csrf_token(&session).await?;
    // Nothing is closed without telling the officer who had it open.
    let notice = next.closed.filter(|n| *n > 0).map(|n| match n {
        1 => "You have signed out. The survey you had not sent was closed, and its answers were not kept.".to_owned(),
        n => format!("You have signed out. The {n} surveys you had not sent were closed, and their answers were not kept."),
    });
    Ok(form(&state, StatusCode::OK, csrf, safe_next(next.next.as_deref()), String::new(), None, notice))
}

fn form(state: &AppState, status: StatusCode, csrf: String, next: String, email: String, error: Option<String>, notice: Option<String>) -> Response {
    let problems: Vec<Problem> =
        error.iter().map(|m| Problem { field: "email".into(), message: m.clone() }).collect();
    let title = if error.is_some() { "Error: Sign in" } else { "Sign in" };
    render(state.chrome.clone(), status, move || {
        view! {
            <Page title=title.to_owned()>
                <ErrorSummary problems />
                {notice.map(|text| view! { <div class="inset"><p class="body">{text}</p></div> })}
                <h1 class="heading-l">"Sign in"</h1>
                <p class="body">"For council staff. Residents do not need to sign in."</p>
                <form method="post" action="/staff/login">
                    <input type="hidden" name=CSRF_FIELD value=csrf />
                    <input type="hidden" name="next" value=next />
                    <div class="form-group">
                        <label class="label" for="email">
                            "Email address"
                        </label>
                        <input class="input" id="email" name="email" type="email" autocomplete="username" spellcheck="false" value=email />
                    </div>
                    <div class="form-group">
                        <label class="label" for="password">
                            "Password"
                        </label>
                        <input class="input" id="password" name="password" type="password" autocomplete="current-password" />
                    </div>
                    <button type="submit" class="button">
                        "Sign in"
                    </button>
                </form>
            </Page>
        }
    })
}

pub async fn sign_in(
    State(state): State<AppState>,
    session: Session,
    address: ClientAddress,
    form_fields: StaffForm,
) -> Result<Response, AppError> {
    form_fields.expect_only(&["next", "email", "password"])?;
    let next = safe_next(form_fields.get("next"));
    let typed_email = form_fields.get("email").unwrap_or_default().trim().to_owned();
    let password = form_fields.get("password").unwrap_or_default().to_owned();
    let email = account::parse_email(&typed_email).unwrap_or_default();
    // Counted before the password is checked, so concurrent guesses cannot outrun the limit.
    let attempt = throttle::attempt(&state.db, &limits(&email, &address)).await?;
    let found = account::find_for_sign_in(&state.db, &email).await?;
    let (staff, hash) = match found {
        Some((staff, hash)) if staff.active => (Some(staff), Some(hash)),
        _ => (None, None),
    };
    let verified = account::verify_password(password, hash).await;
    let Some(staff) = staff.filter(|_| verified) else {
        attempt.fail();
        let csrf = session::csrf_token(&session).await?;
        let message = "Enter a correct email address and password".to_owned();
        return Ok(form(&state, StatusCode::UNPROCESSABLE_ENTITY, csrf, next, typed_email, Some(message), None));
    };
    attempt.forgive(&state.db).await?;
    throttle::clear(&state.db, &account_key(&email)).await?;
    session::sign_in(&session, &staff).await?;
    crate::audit::record(&state.db.write, Some(staff.id), "staff.sign_in", &format!("staff/{}", staff.id), None, None).await?;
    Ok(Redirect::to(&next).into_response())
}

pub async fn sign_out(State(state): State<AppState>, signed_in: SignedIn, form_fields: StaffForm) -> Result<Response, AppError> {
    form_fields.expect_only(&[])?;
    let closed = session::sign_out(&state, &signed_in.session).await?;
    let to = if closed > 0 { format!("/staff/login?closed={closed}") } else { "/staff/login".to_owned() };
    Ok(Redirect::to(&to).into_response())
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_inside_the_staff_area() {
        assert_eq!(safe_next(Some("/staff/users")), "/staff/users");
        for hostile in ["https://evil.example", "//evil.example", "/s/x", "/staff\\..\\x"] {
            assert_eq!(safe_next(Some(hostile)), "/staff", "{hostile}");
        }
        assert_eq!(safe_next(None), "/staff");
    }
}
