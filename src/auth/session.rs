//! Staff sessions (tower-sessions; the store is in [`crate::state`]), the extractors that say who may call a handler, and CSRF tokens.

use super::account::{self, Role, Staff};
use crate::error::AppError;
use crate::paths::staff;
use crate::state::AppState;
use crate::ui::{FormFields, NoFields, SignedInNav};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use rand::RngCore;
use serde::de::DeserializeOwned;
use subtle::ConstantTimeEq;
use tower_sessions::Session;
use tower_sessions::session::Id;
use tower_sessions::session_store::SessionStore;

const STAFF_ID: &str = "staff_id";
const EPOCH: &str = "epoch";
const CSRF: &str = "csrf";
pub const CSRF_FIELD: &str = "csrf";

fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The session's CSRF token, made on first use. Every staff form carries it.
pub async fn csrf_token(session: &Session) -> Result<String, AppError> {
    if let Some(token) = session.get::<String>(CSRF).await? {
        return Ok(token);
    }
    let token = random_token();
    session.insert(CSRF, &token).await?;
    Ok(token)
}

/// Checks a posted form's token against the session's, in constant time.
pub async fn check_csrf(session: &Session, posted: Option<&str>) -> Result<(), AppError> {
    let expected = session.get::<String>(CSRF).await?;
    match (expected, posted) {
        (Some(expected), Some(posted)) if bool::from(expected.as_bytes().ct_eq(posted.as_bytes())) => Ok(()),
        _ => Err(AppError::FormExpired),
    }
}

/// A staff form that uploads one file (field `file`) with its CSRF token: the file's bytes, once
/// the token has been checked. Anything else in the form is refused.
pub async fn read_upload(session: &Session, multipart: axum::extract::Multipart) -> Result<Vec<u8>, AppError> {
    Ok(read_upload_with::<NoFields>(session, multipart, &[]).await?.0)
}

/// [`read_upload`] for a form that also has the text fields `extra`, decoded into `T`.
pub async fn read_upload_with<T: DeserializeOwned>(
    session: &Session,
    multipart: axum::extract::Multipart,
    extra: &[&str],
) -> Result<(Vec<u8>, T), AppError> {
    read_parts(session, multipart, extra).await.map(|(file, _, fields)| (file, fields))
}

/// [`read_upload`], with the name the file had on the uploader's computer (if the browser gave
/// one): a form without an id of its own is named after its file, as XLSForm tools do.
pub async fn read_upload_named(
    session: &Session,
    multipart: axum::extract::Multipart,
) -> Result<(Vec<u8>, Option<String>), AppError> {
    read_parts::<NoFields>(session, multipart, &[]).await.map(|(file, name, _)| (file, name))
}

async fn read_parts<T: DeserializeOwned>(
    session: &Session,
    mut multipart: axum::extract::Multipart,
    extra: &[&str],
) -> Result<(Vec<u8>, Option<String>, T), AppError> {
    let unreadable = |e: axum::extract::multipart::MultipartError| match e.status() {
        StatusCode::PAYLOAD_TOO_LARGE => AppError::TooLarge,
        _ => AppError::BadRequest("The upload did not arrive in full.".into()),
    };
    let (mut csrf, mut file, mut file_name, mut fields) = (None, None, None, FormFields::default());
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        match field.name().map(str::to_owned) {
            Some(name) if name == CSRF_FIELD => csrf = Some(field.text().await.map_err(unreadable)?),
            Some(name) if name == "file" => {
                file_name = field.file_name().map(str::to_owned);
                file = Some(field.bytes().await.map_err(unreadable)?)
            }
            Some(name) if extra.contains(&name.as_str()) => {
                let value = field.text().await.map_err(unreadable)?;
                if !crate::db::is_storable_text(&value) {
                    return Err(AppError::BadRequest("The form sent a control character we cannot store.".into()));
                }
                fields.0.push((name, value));
            }
            _ => return Err(AppError::BadRequest("The form sent information we did not expect.".into())),
        }
    }
    check_csrf(session, csrf.as_deref()).await?;
    let file = file
        .filter(|f| !f.is_empty())
        .map(|f| f.to_vec())
        .ok_or_else(|| AppError::BadRequest("Choose a file to upload.".into()))?;
    Ok((file, file_name, fields.decode()?))
}

/// Starts a signed-in session under a new id (so an id planted before sign-in is worthless).
pub async fn sign_in(session: &Session, staff: &Staff) -> Result<(), AppError> {
    session.cycle_id().await?;
    session.insert(STAFF_ID, staff.id).await?;
    session.insert(EPOCH, staff.session_epoch).await?;
    session.insert(CSRF, random_token()).await?;
    Ok(())
}

/// Ends the session. (The sign-out page first ends the assisted drafts opened in it.)
pub async fn sign_out(session: &Session) -> Result<(), AppError> {
    session.flush().await.map_err(AppError::from)
}

/// Who an entry is recorded under, as [`check_assisted`] needs it.
#[derive(Debug, Clone, Copy, Default)]
pub struct AssistedEntry<'a> {
    pub officer_id: Option<i64>,
    pub officer_session: Option<&'a str>,
    pub corrects_response_id: Option<i64>,
}

/// What an officer's entry needs to be sent: their account still active, the staff session they
/// started it in still signed in as them (not signed out, timed out or ended by a password reset),
/// and for a correction, the correction window still open. Checked again at sending, because the
/// resident's pages are outside the staff area and its session checks.
pub async fn check_assisted(state: &AppState, entry: AssistedEntry<'_>) -> Result<(), AppError> {
    let Some(officer_id) = entry.officer_id else { return Ok(()) };
    let staff = account::find(&state.db, officer_id).await?.filter(|s| s.active).ok_or(AppError::Unauthorized)?;
    if let Some(session) = entry.officer_session {
        let id: Id = session.parse().map_err(|_| AppError::Unauthorized)?;
        let record = state.sessions.load(&id).await?;
        let stands = record.is_some_and(|r| {
            r.data.get(STAFF_ID).and_then(|v| v.as_i64()) == Some(officer_id)
                && r.data.get(EPOCH).and_then(|v| v.as_i64()) == Some(staff.session_epoch)
        });
        if !stands {
            return Err(AppError::Unauthorized);
        }
    }
    if let Some(response_id) = entry.corrects_response_id {
        let submitted_at: Option<i64> = sqlx::query_scalar(
            "SELECT submitted_at FROM response WHERE id = $1 AND officer_id = $2 AND import_id IS NULL",
        )
        .bind(response_id)
        .bind(officer_id)
        .fetch_optional(&state.db.read)
        .await?;
        if submitted_at.is_none_or(|at| at <= crate::db::now() - state.config.correction_window_secs()) {
            return Err(AppError::BadRequest(TOO_OLD_TO_CORRECT.into()));
        }
    }
    Ok(())
}

/// Why an officer cannot correct an entry themselves.
pub const TOO_OLD_TO_CORRECT: &str = "This entry is too old to correct here. Ask an administrator to correct it.";

/// Any active member of staff. Sessions from before a deactivation or password reset are refused.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub staff: Staff,
    pub session: Session,
    pub csrf: String,
}

impl SignedIn {
    pub fn nav(&self) -> SignedInNav {
        SignedInNav { name: self.staff.name.clone(), csrf: self.csrf.clone() }
    }

    pub fn id(&self) -> i64 {
        self.staff.id
    }

    /// The session's id, recorded on the drafts an officer starts so that signing out ends them.
    pub fn session_id(&self) -> Option<String> {
        self.session.id().map(|id| id.to_string())
    }
}

/// A staff form post whose CSRF token matched the session's, decoded into `T` (see
/// [`crate::ui::Form`]) without the token. Taking this is how a staff handler gets its form, so
/// none can forget the check. It reads the body, so it comes after the role extractor: an outsider
/// gets 401/403 first.
pub struct StaffForm<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for StaffForm<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, AppError> {
        let session = request
            .extensions()
            .get::<Session>()
            .cloned()
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("staff routes need the session layer")))?;
        let mut form = FormFields::from_request(request, state).await?;
        check_csrf(&session, form.get(CSRF_FIELD)).await?;
        form.0.retain(|(name, _)| name != CSRF_FIELD);
        Ok(StaffForm(form.decode()?))
    }
}

/// A GET that writes to the audit log (downloads, subject access), proven to come from the
/// service's own pages or to be typed or bookmarked, by the `Sec-Fetch-Site` header browsers send.
/// The Strict session cookie already keeps other sites' links signed out; this says so plainly.
pub struct FromOwnPages;

impl<S: Send + Sync> FromRequestParts<S> for FromOwnPages {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        match parts.headers.get("sec-fetch-site").map(|v| v.as_bytes()) {
            None | Some(b"same-origin") | Some(b"none") => Ok(FromOwnPages),
            Some(_) => Err(AppError::OtherSite),
        }
    }
}

/// Why a request was refused before its handler ran.
fn refuse(parts: &Parts, status: StatusCode) -> Response {
    if status == StatusCode::UNAUTHORIZED && parts.method == Method::GET {
        let next = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or(staff::HOME);
        let encoded: String = form_urlencoded::byte_serialize(next.as_bytes()).collect();
        return Redirect::to(&staff::login_then(&encoded)).into_response();
    }
    let error = if status == StatusCode::FORBIDDEN { AppError::Forbidden } else { AppError::Unauthorized };
    error.into_response()
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let session = Session::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::Internal(anyhow::anyhow!("staff routes need the session layer")).into_response())?;
        let id = session.get::<i64>(STAFF_ID).await.map_err(|e| AppError::from(e).into_response())?;
        let epoch = session.get::<i64>(EPOCH).await.map_err(|e| AppError::from(e).into_response())?;
        let Some((id, epoch)) = id.zip(epoch) else { return Err(refuse(parts, StatusCode::UNAUTHORIZED)) };
        let staff = account::find(&state.db, id).await.map_err(IntoResponse::into_response)?;
        match staff {
            Some(staff) if staff.active && staff.session_epoch == epoch => {
                let csrf = csrf_token(&session).await.map_err(IntoResponse::into_response)?;
                Ok(SignedIn { staff, session, csrf })
            }
            _ => {
                let _ = session.flush().await;
                Err(refuse(parts, StatusCode::UNAUTHORIZED))
            }
        }
    }
}

/// Extractors that let a handler's signature say which role may call it.
macro_rules! role_guard {
    ($(#[$doc:meta])* $name:ident, $($role:expr),+) => {
        $(#[$doc])*
        #[derive(Debug, Clone)]
        pub struct $name(pub SignedIn);

        impl FromRequestParts<AppState> for $name {
            type Rejection = Response;

            async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
                let signed_in = SignedIn::from_request_parts(parts, state).await?;
                if [$($role),+].into_iter().any(|r| signed_in.staff.roles.has(r)) {
                    Ok($name(signed_in))
                } else {
                    Err(refuse(parts, StatusCode::FORBIDDEN))
                }
            }
        }
    };
}

role_guard!(
    /// Holds the admin role.
    AdminUser,
    Role::Admin
);
role_guard!(
    /// Holds the officer role: assisted entry.
    OfficerUser,
    Role::Officer
);
role_guard!(
    /// Works with residents' contact details and removes responses on their behalf: officers and
    /// admins.
    OfficerOrAdminUser,
    Role::Officer,
    Role::Admin
);
role_guard!(
    /// Reads summaries and exports: analysts and admins.
    AnalystUser,
    Role::Analyst,
    Role::Admin
);
