//! Surveys as data: the definition format, the four barriers, answers and the show-if rules, the
//! channels responses arrive by, the lists officers' entries draw on, and each survey's privacy
//! settings. Features build on this; it knows none of them.
//!
//! The questions, the barriers and the reading of answers (`question`, `barrier`, `answers`) are
//! compiled for the outreach page's device too, so that it and the server never disagree about
//! what a valid answer is; the rest is the server's.

mod answers;
mod barrier;
mod question;
pub mod view;
#[cfg(feature = "ssr")]
mod channel;
#[cfg(feature = "ssr")]
pub mod definition;
#[cfg(feature = "ssr")]
pub mod lists;
#[cfg(feature = "ssr")]
mod pictures;
#[cfg(feature = "ssr")]
pub mod privacy;
#[cfg(feature = "ssr")]
mod route;
#[cfg(feature = "ssr")]
mod store;
#[cfg(feature = "ssr")]
pub mod translation;
#[cfg(feature = "ssr")]
pub mod xlsform;
#[cfg(test)]
mod tests;

pub use answers::{
    all_field_names, clean_text, fields_of, keep_input, other_field, read_all, read_answer, thousands, visibility, AllAnswers, Answer,
    FieldError, QuestionError, ANSWER_FIELD, OTHER_FIELD,
};
pub use barrier::{Barrier, Barriers};
pub use question::{number, Choice, Kind, Question, Rule, PREFER_NOT_TO_SAY};
#[cfg(feature = "ssr")]
pub use ssr::*;

#[cfg(feature = "ssr")]
mod ssr {
    pub use super::channel::{channel_label, is_channel, CHANNELS, CHANNEL_OUTREACH, CHANNEL_WEB};
    pub use super::definition::{
        Definition, DefinitionError, DefinitionErrors, Survey, ABOUT_YOU_FILTERS, MAX_ANSWER_LEN, MAX_DOCUMENT_BYTES,
    };
    pub use super::pictures::{picture, picture_names};
    pub use super::route::{Progress, Route};
    pub use super::store::{ensure_survey, Availability, Catalogue, SurveyVersion};

    /// The survey every installation starts with.
    pub const BUILTIN_SLUG: &str = "digital-inclusion";
    pub const BUILTIN_DEFINITION: &str = include_str!("builtin.toml");

    pub fn builtin() -> Survey {
        Survey::from_document(BUILTIN_DEFINITION).expect("the built-in survey is valid (see its unit test)")
    }
}
