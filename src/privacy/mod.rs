//! What a council's data protection officer asks for: a privacy notice per survey, contact details
//! only with consent and kept apart, redaction of free text, retention, erasure, subject access,
//! and backups that restore.

pub mod backup;
mod contact;
pub mod erasure;
mod notice;
pub mod retention;
pub mod settings;
pub mod store;

use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};

/// Pages residents use.
pub fn resident_router() -> Router<AppState> {
    Router::new()
        .route("/s/{slug}/privacy", get(notice::page))
        .route("/s/{slug}/remove", get(erasure::remove_page).post(erasure::remove))
        .route("/s/{slug}/contact", get(contact::consent_form).post(contact::consent))
        .route("/s/{slug}/contact/details", get(contact::details_form).post(contact::save_details))
        .route("/s/{slug}/contact/thanks", get(contact::thanks))
}

/// Staff pages; they sit behind the staff session layer.
pub fn staff_router() -> Router<AppState> {
    Router::new()
        .route("/staff/surveys/{slug}/privacy", get(settings::page).post(settings::update))
        .route("/staff/contacts", get(contact::list))
        .route("/staff/contacts/{id}/done", post(contact::done))
        .route("/staff/responses", get(erasure::lookup_page))
        .route("/staff/responses/{file}", get(erasure::download))
        .route("/staff/responses/{reference}/erase", post(erasure::erase_for_resident))
}
