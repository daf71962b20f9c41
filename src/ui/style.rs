//! The stylesheet is compiled into the binary and served under a name that changes with its content,
//! so browsers can cache it for a year and residents on pay-as-you-go data download it once.

use axum::http::header;
use axum::response::IntoResponse;
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

const CSS: &str = include_str!("../../style/main.css");

static VERSIONED: LazyLock<String> = LazyLock::new(|| {
    let digest = Sha256::digest(CSS.as_bytes());
    let short: String = digest.iter().take(5).map(|b| format!("{b:02x}")).collect();
    format!("/assets/main-{short}.css")
});

/// The route pattern the stylesheet is served on; any name under it gets the current stylesheet.
pub const STYLESHEET_PATH: &str = "/assets/{name}";

/// (versioned URL, contents)
pub fn stylesheet() -> (&'static str, &'static str) {
    (VERSIONED.as_str(), CSS)
}

pub async fn serve_stylesheet(axum::extract::Path(name): axum::extract::Path<String>) -> axum::response::Response {
    if format!("/assets/{name}") != *VERSIONED {
        return crate::error::AppError::NotFound.into_response();
    }
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        CSS,
    )
        .into_response()
}
