//! One error type for the whole app. Each variant knows its HTTP status and what the person sees;
//! database and unexpected errors are logged and shown as an opaque 500.

use crate::paths::staff;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("page not found")]
    NotFound,
    /// Input we cannot use; the message is shown to the person as it is.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// An answer to a question the resident's earlier answers skip.
    #[error("question does not apply")]
    NotApplicable { continue_to: String },
    #[error("request body too large")]
    TooLarge,
    /// Not signed in (for a POST; a GET is sent to the sign-in page instead).
    #[error("not signed in")]
    Unauthorized,
    /// Signed in, but without the role the page needs.
    #[error("forbidden")]
    Forbidden,
    /// Too many attempts (sign-ins, return codes, removals).
    #[error("too many requests")]
    TooManyRequests,
    /// A staff form whose CSRF token is missing or does not match the session's: from another
    /// site, or from a page open since before the session changed.
    #[error("form expired or not from this service")]
    FormExpired,
    /// A request that would be recorded in the audit log came from another site's page.
    #[error("request from another site")]
    OtherSite,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    /// Writing a file or a download failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Csv(#[from] csv::Error),
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    #[error(transparent)]
    Toml(#[from] toml::ser::Error),
    /// The staff session could not be read or written.
    #[error("session: {0}")]
    Session(#[from] tower_sessions::session::Error),
    #[error("session store: {0}")]
    SessionStore(#[from] tower_sessions::session_store::Error),
    /// Work handed to another task or thread stopped before it finished.
    #[error(transparent)]
    Task(#[from] tokio::task::JoinError),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// What an error page says. Handlers return `AppError`; the page itself is drawn by
/// [`crate::ui::error_pages`], which knows the council's name and layout.
#[derive(Debug, Clone)]
pub struct ErrorPage {
    pub heading: &'static str,
    pub message: String,
    pub link: Option<(String, &'static str)>,
    /// The Fluent id stem of its words in other languages (`error-{words}-heading`, `-message`,
    /// `-link`), for the pages residents meet; `None` for staff pages and messages made on the fly.
    pub words: Option<&'static str>,
}

impl ErrorPage {
    /// The page for a status that no handler described (an unknown method, say).
    pub fn for_status(status: StatusCode) -> ErrorPage {
        match status {
            StatusCode::NOT_FOUND => AppError::NotFound.page(),
            s if s.is_server_error() => AppError::Internal(anyhow::anyhow!("{s}")).page(),
            _ => ErrorPage {
                heading: "Sorry, we could not use that",
                message: "The page could not handle that request. Go back and try again.".into(),
                link: Some(("/".into(), "Go to the start")),
                words: None,
            },
        }
    }
}

impl ErrorPage {
    /// Too large a post on the staff side: an upload, most likely, not a resident's answer.
    pub fn staff_too_large() -> ErrorPage {
        ErrorPage {
            heading: "That is too large for this form",
            message: "What you sent is larger than this form accepts, so nothing was saved or imported. Check you chose the right file. A large import of responses can be run on the server instead (inclusion-survey import responses), which has no size limit.".into(),
            link: Some((staff::HOME.into(), "Go to the staff home page")),
            words: None,
        }
    }

    /// A failure on the staff side: residents' reassurance about saved answers does not apply.
    pub fn staff_server_error() -> ErrorPage {
        ErrorPage {
            heading: "Sorry, there is a problem with the service",
            message: "Nothing was changed. Try again in a few minutes; if it keeps happening, tell your administrator what you were doing.".into(),
            link: Some((staff::HOME.into(), "Go to the staff home page")),
            words: None,
        }
    }

    /// A staff change that lost the database connection as it was being saved (see
    /// [`crate::db::retry`]): it may have been saved, so it is not sent again blindly.
    pub fn staff_lost_connection() -> ErrorPage {
        ErrorPage {
            heading: "Sorry, we cannot tell whether that was saved",
            message: "The service lost its connection to the database while it was saving this. Check what is stored now (open the page again) before you send it again.".into(),
            link: Some((staff::HOME.into(), "Go to the staff home page")),
            words: None,
        }
    }
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::NotApplicable { .. } => StatusCode::CONFLICT,
            AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::OtherSite | AppError::FormExpired => StatusCode::FORBIDDEN,
            AppError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            AppError::Database(_)
            | AppError::Io(_)
            | AppError::Csv(_)
            | AppError::Json(_)
            | AppError::Toml(_)
            | AppError::Session(_)
            | AppError::SessionStore(_)
            | AppError::Task(_)
            | AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn page(&self) -> ErrorPage {
        match self {
            AppError::NotFound => ErrorPage {
                heading: "Page not found",
                message: "If you typed the web address, check it is correct. If you pasted it, check you copied all of it.".into(),
                link: None,
                words: Some("not-found"),
            },
            AppError::BadRequest(message) => ErrorPage {
                heading: "Sorry, we could not use that",
                message: format!("{message} Nothing was saved. Go back and try again."),
                link: None,
                words: None,
            },
            AppError::NotApplicable { continue_to } => ErrorPage {
                heading: "This question is not needed",
                message: "Your earlier answers mean we do not need to ask this question, so your answer was not saved.".into(),
                link: Some((continue_to.clone(), "Continue the survey")),
                words: Some("not-applicable"),
            },
            AppError::TooLarge => ErrorPage {
                heading: "Your answer is too long",
                message: "We could not save it because it is too long. Go back, shorten your answer and try again.".into(),
                link: None,
                words: Some("too-large"),
            },
            AppError::Unauthorized => ErrorPage {
                heading: "Sign in to continue",
                message: "You need to sign in as a member of staff to do that. If you were signed in, your session may have ended.".into(),
                link: Some((staff::LOGIN.into(), "Sign in")),
                words: None,
            },
            AppError::Forbidden => ErrorPage {
                heading: "You do not have access to this page",
                message: "Your account does not have the role this page needs. Ask an administrator if you think it should.".into(),
                link: Some((staff::HOME.into(), "Go to the staff home page")),
                words: None,
            },
            AppError::FormExpired => ErrorPage {
                heading: "This form has expired",
                message: "It did not come from this service, or it was opened before you last signed in. Nothing was saved. Go back, reload the page and try again.".into(),
                link: None,
                words: None,
            },
            AppError::OtherSite => ErrorPage {
                heading: "Open this from the service's own pages",
                message: "A link on another website tried to open this page. For your safety it was not opened.".into(),
                link: Some((staff::HOME.into(), "Go to the staff home page")),
                words: None,
            },
            AppError::TooManyRequests => ErrorPage {
                heading: "Too many attempts",
                message: "Wait 15 minutes, then try again.".into(),
                link: None,
                words: Some("too-many"),
            },
            AppError::Database(_)
            | AppError::Io(_)
            | AppError::Csv(_)
            | AppError::Json(_)
            | AppError::Toml(_)
            | AppError::Session(_)
            | AppError::SessionStore(_)
            | AppError::Task(_)
            | AppError::Internal(_) => ErrorPage {
                heading: "Sorry, there is a problem with the service",
                message: "Try again later. Your answers so far have been saved.".into(),
                link: None,
                words: Some("server"),
            },
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if self.status().is_server_error() {
            tracing::error!(error = ?self, "request failed");
        }
        let mut response = self.status().into_response();
        response.extensions_mut().insert(self.page());
        if let AppError::Database(e) = &self
            && crate::db::retry::is_lost_connection(e)
        {
            response.extensions_mut().insert(crate::db::retry::LostConnection);
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn library_errors_convert_with_question_mark_to_an_opaque_server_error() {
        fn write() -> Result<(), AppError> {
            Err(std::io::Error::other("disk full at /var/lib/secret"))?
        }
        fn parse() -> Result<u8, AppError> {
            Ok(serde_json::from_str::<u8>("not json")?)
        }
        for error in [write().unwrap_err(), parse().unwrap_err()] {
            assert_eq!(error.status(), StatusCode::INTERNAL_SERVER_ERROR);
            let page = error.page();
            assert!(!page.message.contains("disk") && !page.message.contains("json"), "{}", page.message);
        }
    }
}
