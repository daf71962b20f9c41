//! inclusion-survey: digital inclusion surveys for UK councils.
//!
//! The server renders every page with Leptos. Only the offline outreach page ships code: its island
//! (in `outreach`, with the parts of `survey` it needs) is the build's client half, hydrated by
//! `hydrate` below and the page's loader. Resident pages ship no JavaScript.

#[cfg(feature = "ssr")]
pub mod app;
#[cfg(feature = "ssr")]
pub mod assist;
#[cfg(feature = "ssr")]
pub mod audit;
#[cfg(feature = "ssr")]
pub mod auth;
#[cfg(feature = "ssr")]
pub mod clock;
#[cfg(feature = "ssr")]
pub mod config;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod error;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod i18n;
#[cfg(feature = "ssr")]
pub mod insight;
#[cfg(feature = "ssr")]
pub mod keys;
pub mod outreach;
#[cfg(feature = "ssr")]
pub mod paper;
pub mod paths;
#[cfg(feature = "ssr")]
pub mod plan;
#[cfg(feature = "ssr")]
pub mod privacy;
#[cfg(feature = "ssr")]
pub mod respond;
#[cfg(feature = "ssr")]
pub mod responses;
#[cfg(feature = "ssr")]
pub mod staff;
#[cfg(feature = "ssr")]
pub mod state;
pub mod survey;
#[cfg(feature = "ssr")]
pub mod survey_admin;
#[cfg(feature = "ssr")]
pub mod throttle;
#[cfg(feature = "ssr")]
pub mod ui;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
