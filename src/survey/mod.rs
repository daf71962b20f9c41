//! Surveys as data: the definition format, the four barriers, answers and the show-if rules.

pub mod admin;
mod answers;
mod barrier;
pub mod definition;
mod store;
#[cfg(test)]
mod tests;

pub use answers::{
    clean_text, keep_input, read_answer, thousands, visibility, Answer, FieldError, Progress, Route, ANSWER_FIELD,
    OTHER_FIELD,
};
pub use barrier::{Barrier, Barriers};
pub use store::{ensure_survey, Availability, Catalogue, SurveyVersion};
pub use definition::{
    Choice, Definition, DefinitionError, DefinitionErrors, Kind, Question, Rule, Survey, MAX_ANSWER_LEN,
    MAX_DOCUMENT_BYTES, PREFER_NOT_TO_SAY,
};

/// The survey every installation starts with.
pub const BUILTIN_SLUG: &str = "digital-inclusion";
pub const BUILTIN_DEFINITION: &str = include_str!("builtin.toml");

pub fn builtin() -> Survey {
    Survey::from_document(BUILTIN_DEFINITION).expect("the built-in survey is valid (see its unit test)")
}
