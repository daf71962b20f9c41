//! Admins publish and change surveys: definitions as data, immutable versions, a draft of the next
//! version with a form-based editor, previews that store nothing, and opening and closing.

mod editor;
mod pages;
mod postcodes;
mod preview;
pub mod store;
mod translate;

use crate::state::AppState;
use crate::survey::MAX_DOCUMENT_BYTES;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

pub fn router() -> Router<AppState> {
    // An upload carries a whole definition, and the form around it.
    let upload_limit =
        DefaultBodyLimit::max(MAX_DOCUMENT_BYTES.max(crate::survey::xlsform::MAX_FILE_BYTES) + 16 * 1024);
    Router::new()
        .route("/staff/surveys", get(pages::list))
        .route("/staff/survey-files", post(pages::upload).layer(upload_limit))
        .route("/staff/survey-copies", post(pages::copy))
        .route("/staff/surveys/{slug}/manage", get(pages::manage))
        .route("/staff/surveys/{slug}/status", post(pages::set_status))
        .route("/staff/surveys/{slug}/locations", post(pages::set_locations))
        .route("/staff/surveys/{slug}/publish", post(pages::publish))
        .route("/staff/surveys/{slug}/upload", post(pages::upload_draft).layer(upload_limit))
        .route("/staff/surveys/{slug}/versions/{file}", get(pages::download))
        .route("/staff/surveys/{slug}/qr.svg", get(pages::qr))
        .route(
            "/staff/surveys/{slug}/postcodes",
            get(postcodes::page)
                .post(postcodes::upload)
                .layer(DefaultBodyLimit::max(crate::survey::postcodes::MAX_FILE_BYTES + 16 * 1024)),
        )
        .route("/staff/surveys/{slug}/preview", get(preview::page).post(preview::next))
        .route("/staff/surveys/{slug}/draft", get(editor::page).post(editor::save))
        .route("/staff/surveys/{slug}/draft/new", post(pages::new_draft))
        .route("/staff/surveys/{slug}/draft/questions", post(editor::add_question))
        .route("/staff/surveys/{slug}/draft/modules", post(editor::add_module))
        .route("/staff/surveys/{slug}/draft/questions/{id}", get(editor::question_page).post(editor::save_question))
        .route("/staff/surveys/{slug}/draft/questions/{id}/{how}", post(editor::arrange))
        .route("/staff/surveys/{slug}/draft/languages", post(translate::add))
        // A whole survey's translation is one form: in Urdu or Arabic (several bytes a character,
        // each written as three) a long survey's is far over the app's limits for other forms.
        .route(
            "/staff/surveys/{slug}/draft/languages/{tag}",
            crate::ui::large_form(
                get(translate::page).post(translate::save),
                translate::MOST_FIELDS,
                translate::MOST_BYTES,
            ),
        )
        .route("/staff/surveys/{slug}/draft/languages/{tag}/remove", post(editor::remove_language))
        .route("/staff/surveys/{slug}/draft/languages/{tag}/name", post(translate::name))
}
