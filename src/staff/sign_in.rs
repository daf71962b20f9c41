//! Signing in and out. Failed attempts are counted per account and per address in the database,
//! so the limits hold across every instance; unknown emails get the same answer, in about the same
//! time, as wrong passwords.

use super::account;
use super::session::{self, SignedIn, StaffForm, CSRF_FIELD};
use crate::app::AppState;
use crate::db::{now, Db};
use crate::error::AppError;
use crate::ui::{render, ErrorSummary, Page, Problem};
use axum::extract::{ConnectInfo, FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::*;
use serde::Deserialize;
use std::net::{IpAddr, SocketAddr};
use tower_sessions::Session;

const WINDOW_SECS: i64 = 15 * 60;
const ACCOUNT_LIMIT: i64 = 5;
const ADDRESS_LIMIT: i64 = 20;

/// The peer's address, when the server was started with connect info.
pub struct ClientAddress(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddress(parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip())))
    }
}

fn throttle_keys(email: &str, address: &ClientAddress) -> Vec<(String, i64)> {
    let mut keys = vec![(format!("account:{email}"), ACCOUNT_LIMIT)];
    if let Some(ip) = address.0 {
        keys.push((format!("address:{ip}"), ADDRESS_LIMIT));
    }
    keys
}

pub(crate) async fn too_many_failures(db: &Db, keys: &[(String, i64)]) -> Result<bool, AppError> {
    for (key, limit) in keys {
        let failures: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sign_in_failure WHERE key = $1 AND at > $2")
            .bind(key)
            .bind(now() - WINDOW_SECS)
            .fetch_one(&db.read)
            .await?;
        if failures >= *limit {
            return Ok(true);
        }
    }
    Ok(false)
}

pub(crate) async fn record_failure(db: &Db, keys: &[(String, i64)]) -> Result<(), AppError> {
    let mut tx = db.write.begin().await?;
    sqlx::query("DELETE FROM sign_in_failure WHERE at <= $1").bind(now() - WINDOW_SECS).execute(&mut *tx).await?;
    for (key, _) in keys {
        sqlx::query("INSERT INTO sign_in_failure (key, at) VALUES ($1, $2)")
            .bind(key)
            .bind(now())
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

#[derive(Debug, Default, Deserialize)]
pub struct Next {
    next: Option<String>,
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
    Ok(form(&state, StatusCode::OK, csrf, safe_next(next.next.as_deref()), String::new(), None))
}

fn form(state: &AppState, status: StatusCode, csrf: String, next: String, email: String, error: Option<String>) -> Response {
    let problems: Vec<Problem> =
        error.iter().map(|m| Problem { field: "email".into(), message: m.clone() }).collect();
    let title = if error.is_some() { "Error: Sign in" } else { "Sign in" };
    render(state.chrome.clone(), status, move || {
        view! {
            <Page title=title.to_owned()>
                <ErrorSummary problems />
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
    let keys = throttle_keys(&email, &address);

    if too_many_failures(&state.db, &keys).await? {
        return Err(AppError::TooManyRequests);
    }
    let found = account::find_for_sign_in(&state.db, &email).await?;
    let (staff, hash) = match found {
        Some((staff, hash)) if staff.active => (Some(staff), Some(hash)),
        _ => (None, None),
    };
    let verified = account::verify_password(password, hash).await;
    let Some(staff) = staff.filter(|_| verified) else {
        record_failure(&state.db, &keys).await?;
        let csrf = session::csrf_token(&session).await?;
        let message = "Enter a correct email address and password".to_owned();
        return Ok(form(&state, StatusCode::UNPROCESSABLE_ENTITY, csrf, next, typed_email, Some(message)));
    };
    sqlx::query("DELETE FROM sign_in_failure WHERE key = $1").bind(&keys[0].0).execute(&state.db.write).await?;
    session::sign_in(&session, &staff).await?;
    crate::audit::record(&state.db.write, Some(staff.id), "staff.sign_in", &format!("staff/{}", staff.id), None, None).await?;
    Ok(Redirect::to(&next).into_response())
}

pub async fn sign_out(signed_in: SignedIn, form_fields: StaffForm) -> Result<Response, AppError> {
    form_fields.expect_only(&[])?;
    session::sign_out(&signed_in.session).await?;
    Ok(Redirect::to("/staff/login").into_response())
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
