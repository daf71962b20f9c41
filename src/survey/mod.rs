//! Surveys as data: the definition format, the four barriers, answers and the show-if rules, the
//! channels responses arrive by, the lists officers' entries draw on, and each survey's privacy
//! settings. Features build on this; it knows none of them.

mod answers;
mod barrier;
mod channel;
pub mod definition;
pub mod lists;
mod pictures;
pub mod privacy;
mod store;
pub mod translation;
pub mod xlsform;
#[cfg(test)]
mod tests;

pub use answers::{
    all_field_names, clean_text, keep_input, other_field, read_all, read_answer, thousands, visibility, Answer, FieldError,
    Progress, QuestionError, Route, ANSWER_FIELD, OTHER_FIELD,
};
pub use barrier::{Barrier, Barriers};
pub use pictures::{picture, picture_names};
pub use channel::{channel_label, is_channel, CHANNELS, CHANNEL_OUTREACH, CHANNEL_WEB};
pub use store::{ensure_survey, Availability, Catalogue, SurveyVersion};
pub use definition::{
    Choice, Definition, ABOUT_YOU_FILTERS, DefinitionError, DefinitionErrors, Kind, Question, Rule, Survey, MAX_ANSWER_LEN,
    MAX_DOCUMENT_BYTES, PREFER_NOT_TO_SAY,
};

/// The survey every installation starts with.
pub const BUILTIN_SLUG: &str = "digital-inclusion";
pub const BUILTIN_DEFINITION: &str = include_str!("builtin.toml");

pub fn builtin() -> Survey {
    Survey::from_document(BUILTIN_DEFINITION).expect("the built-in survey is valid (see its unit test)")
}
