//! What the answers say: counts with the right bases, and small-number suppression for anything
//! published. Aggregation runs in the database; only the totals come back.

pub mod audit;
pub mod change;
pub mod crosstab;
pub mod interval;
pub mod map;
pub mod national;
pub(crate) mod page;
pub mod population;
pub mod profile;
pub mod publish;
pub mod redact;
pub mod summary;
pub mod suppress;
mod text;
pub mod values;
pub mod weighting;

pub use text::text_answers;

pub use page::dashboard;

/// The results pages.
pub fn router() -> axum::Router<crate::state::AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/staff/surveys/{slug}", get(dashboard))
        .route("/staff/surveys/{slug}/text/{question}", get(text_answers))
        .route("/staff/surveys/{slug}/change", get(change::page))
        .route(
            "/staff/surveys/{slug}/population",
            get(population::pages::page)
                .post(population::pages::upload)
                .layer(axum::extract::DefaultBodyLimit::max(population::MAX_FILE_BYTES)),
        )
        .route("/staff/surveys/{slug}/population/remove", axum::routing::post(population::pages::remove))
        .route("/staff/surveys/{slug}/population/weighting", axum::routing::post(weighting::pages::save))
        .route(
            "/staff/surveys/{slug}/map",
            get(map::pages::page)
                .post(map::pages::upload)
                .layer(axum::extract::DefaultBodyLimit::max(map::MAX_FILE_BYTES)),
        )
        .route("/staff/surveys/{slug}/map/remove", axum::routing::post(map::pages::remove))
        .route(
            "/staff/national-figures",
            get(national::pages::page)
                .post(national::pages::upload)
                .layer(axum::extract::DefaultBodyLimit::max(national::pages::MAX_FILE_BYTES)),
        )
        .route("/staff/national-figures/versions/{id}", get(national::pages::download))
}
pub use summary::{Cell, DEFAULT_THRESHOLD, OptionRow, QuestionSummary, Summary, summarise};
