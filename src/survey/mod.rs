//! Surveys as data: the definition format, the four barriers, answers and the show-if rules, the
//! channels responses arrive by, the lists officers' entries draw on, and each survey's privacy
//! settings. Features build on this; it knows none of them.
//!
//! The questions, the barriers and the reading of answers (`question`, `barrier`, `answers`) are
//! compiled for the outreach page's device too, so that it and the server never disagree about
//! what a valid answer is; the rest is the server's.

mod answers;
mod barrier;
#[cfg(feature = "ssr")]
mod channel;
#[cfg(feature = "ssr")]
pub mod definition;
#[cfg(feature = "ssr")]
pub mod document;
#[cfg(feature = "ssr")]
pub mod lists;
pub mod measures;
#[cfg(feature = "ssr")]
pub mod modules;
#[cfg(feature = "ssr")]
mod pictures;
#[cfg(feature = "ssr")]
pub mod postcodes;
#[cfg(feature = "ssr")]
pub mod privacy;
mod question;
#[cfg(feature = "ssr")]
mod route;
#[cfg(feature = "ssr")]
mod store;
#[cfg(test)]
mod tests;
#[cfg(feature = "ssr")]
pub mod translation;
pub mod typed;
#[cfg(feature = "ssr")]
mod upload;
#[cfg(feature = "ssr")]
pub use upload::{Uploaded, csv_table};
pub mod view;
#[cfg(feature = "ssr")]
pub mod xlsform;

pub use answers::{
    ANSWER_FIELD, AllAnswers, Answer, FieldError, OTHER_FIELD, QuestionError, all_field_names, clean_text, fields_of,
    keep_input, other_field, read_all, read_answer, thousands, visibility,
};
pub use barrier::{Barrier, Barriers};
pub use question::{Checks, Choice, Dates, Keep, Kind, PREFER_NOT_TO_SAY, PostcodeUse, Question, Rule, number};
#[cfg(feature = "ssr")]
pub use ssr::*;

#[cfg(feature = "ssr")]
mod ssr {
    pub use super::channel::{CHANNEL_OUTREACH, CHANNEL_WEB, CHANNELS, channel_label, is_channel};
    pub use super::definition::{
        ABOUT_YOU_FILTERS, Definition, DefinitionError, DefinitionErrors, MAX_ANSWER_LEN, MAX_DOCUMENT_BYTES,
        MAX_OPTIONS, MAX_QUESTIONS, RESERVED_OPTION_IDS, Survey, about_you,
    };
    pub use super::pictures::{picture, picture_names};
    pub use super::route::{Progress, Route};
    pub use super::store::{Availability, Catalogue, Status, SurveyVersion, ensure_survey};

    /// The survey every installation starts with.
    pub const BUILTIN_SLUG: &str = "digital-inclusion";
    pub const BUILTIN_DEFINITION: &str = include_str!("builtin.toml");

    pub fn builtin() -> Survey {
        Survey::from_document(BUILTIN_DEFINITION).expect("the built-in survey is valid (see its unit test)")
    }
}
