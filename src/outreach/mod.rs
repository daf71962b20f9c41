//! Offline outreach: officers at drop-ins, warm spaces and doorsteps with no connection take the
//! survey on their device, which keeps each entry and sends it when the connection returns. The
//! server treats the device as untrusted: every entry is checked again with the same rules as any
//! other answer, and stored once however many times it is sent.

mod device;
mod entry;
mod keep;
#[cfg(feature = "ssr")]
mod page;
mod send;
#[cfg(feature = "ssr")]
mod store;
#[cfg(feature = "ssr")]
mod then;

pub use device::{Kit, OutreachDevice, Place, Tongue};
pub use entry::{Entry, MAX_ENTRIES_PER_SEND, Outcome};
pub use send::{SendEntries, send_entries};

#[cfg(feature = "ssr")]
pub use ssr::router;

#[cfg(feature = "ssr")]
mod ssr {
    use crate::auth::OfficerUser;
    use crate::error::AppError;
    use crate::state::AppState;
    use axum::Router;
    use axum::extract::{DefaultBodyLimit, Request, State};
    use axum::http::{StatusCode, header};
    use axum::response::{IntoResponse, Response};
    use axum::routing::{get, post};
    use leptos::prelude::provide_context;
    use leptos::server_fn::ServerFn;
    use leptos::server_fn::error::SERVER_FN_ERROR_HEADER;

    /// Where the outreach page's server functions are mounted: under `/staff`, where the staff
    /// session cookie is sent.
    pub const SERVER_FNS: &str = crate::paths::staff::OUTREACH_API;

    /// A full send of entries with long written answers, as JSON.
    const MAX_SEND_BYTES: usize = super::MAX_ENTRIES_PER_SEND * 16 * 1024;

    pub fn router() -> Router<AppState> {
        Router::new()
            .route(super::page::PATH, get(super::page::page))
            .route(&format!("{SERVER_FNS}/{{*name}}"), post(server_fns).layer(DefaultBodyLimit::max(MAX_SEND_BYTES)))
    }

    /// Runs the outreach server functions for officers only: like every staff handler, the
    /// signature says who may call it, and an outsider is refused before the body is read. The
    /// functions find the state and the officer in context.
    async fn server_fns(
        State(state): State<AppState>,
        officer: Result<OfficerUser, Response>,
        request: Request,
    ) -> Response {
        let OfficerUser(officer) = match officer {
            Ok(officer) => officer,
            Err(refused) => return for_the_page(refused.status()),
        };
        // Said plainly when the length is known; a body without one is still cut at the limit.
        let length = request.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
        if length.is_some_and(|n| n > MAX_SEND_BYTES) {
            return AppError::TooLarge.into_response();
        }
        let response = leptos_axum::handle_server_fns_with_context(
            move || {
                provide_context(state.clone());
                provide_context(officer.clone());
            },
            request,
        )
        .await
        .into_response();
        unreadable_is_bad_request(response).await
    }

    /// A refusal before any function ran, in the form the page reads a function's error in, so
    /// it can tell the officer why the entries wait.
    fn for_the_page(status: StatusCode) -> Response {
        let message = match status {
            StatusCode::UNAUTHORIZED => "you are signed out. Sign in again on this device and the entries are sent.",
            StatusCode::FORBIDDEN => "your account does not have the officer role. Ask an administrator.",
            _ => "the service refused the send. Try again later.",
        };
        (status, [(SERVER_FN_ERROR_HEADER, <super::SendEntries as ServerFn>::PATH)], format!("ServerError|{message}"))
            .into_response()
    }

    /// Arguments that could not be read fail before a function runs, and the framework answers
    /// 500 for them; they are the sender's mistake, so they are answered 400 with the same words.
    async fn unreadable_is_bad_request(response: Response) -> Response {
        if response.status() != StatusCode::INTERNAL_SERVER_ERROR
            || !response.headers().contains_key(SERVER_FN_ERROR_HEADER)
        {
            return response;
        }
        let (mut parts, body) = response.into_parts();
        // An error message is a line or two; anything longer is cut, not buffered.
        let bytes = axum::body::to_bytes(body, 64 * 1024).await.unwrap_or_default();
        if [&b"Deserialization|"[..], b"Args|", b"MissingArg|"].iter().any(|kind| bytes.starts_with(kind)) {
            parts.status = StatusCode::BAD_REQUEST;
        }
        Response::from_parts(parts, bytes.into())
    }
}
