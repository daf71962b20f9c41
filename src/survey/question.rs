//! A survey's questions as the rules read them: what is asked, the choices, and when a question is
//! shown. Compiled for the server and for the outreach page's device alike, so that both read
//! answers by the same rules.

use super::barrier::Barriers;
use serde::{Deserialize, Serialize};

/// The answer every about-you question offers, added when a survey leaves it out; it excludes the
/// others, and stands after an "or".
pub const PREFER_NOT_TO_SAY: &str = "prefer_not_to_say";

/// The number a question is printed under on the paper form and shown under in fast entry and
/// outreach, so that officers read the same numbers everywhere.
pub fn number(index: usize) -> usize {
    index + 1
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    Single,
    Multiple,
    Scale,
    ShortText,
    LongText,
    /// A whole number, such as an age in years or how many devices.
    WholeNumber,
    /// A number that may have a decimal part.
    Decimal,
    /// A day, entered as day, month and year.
    Date,
    /// Words between questions: nothing to answer.
    Note,
    /// A UK postcode, of which only the sector or nothing is kept (see [`PostcodeUse`]).
    Postcode,
}

impl Kind {
    pub const ALL: [Kind; 10] = [
        Kind::Single,
        Kind::Multiple,
        Kind::Scale,
        Kind::ShortText,
        Kind::LongText,
        Kind::WholeNumber,
        Kind::Decimal,
        Kind::Date,
        Kind::Note,
        Kind::Postcode,
    ];

    /// The type a definition names (`single`, `short_text`, ...).
    #[cfg(feature = "ssr")]
    pub(crate) fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == s)
    }

    pub fn is_choice(self) -> bool {
        matches!(self, Kind::Single | Kind::Multiple | Kind::Scale)
    }

    /// Words the resident writes in their own way (not a number, a date or a choice).
    pub fn is_text(self) -> bool {
        matches!(self, Kind::ShortText | Kind::LongText)
    }

    pub fn is_number(self) -> bool {
        matches!(self, Kind::WholeNumber | Kind::Decimal)
    }

    /// Answers that are a value the rules read (a number or a day): stored as the value itself,
    /// so the running totals count each value as they count each choice.
    pub fn is_value(self) -> bool {
        self.is_number() || self == Kind::Date
    }

    /// Whether there is anything to answer.
    pub fn asks(self) -> bool {
        self != Kind::Note
    }

    /// The type a definition names it by.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Single => "single",
            Kind::Multiple => "multiple",
            Kind::Scale => "scale",
            Kind::ShortText => "short_text",
            Kind::LongText => "long_text",
            Kind::WholeNumber => "whole_number",
            Kind::Decimal => "decimal",
            Kind::Date => "date",
            Kind::Note => "note",
            Kind::Postcode => "postcode",
        }
    }
}

/// What a postcode question keeps: never the full postcode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Keep {
    /// The postcode sector (`TS18 1`): the outward code and the inward code's first digit.
    #[default]
    Sector,
    /// Nothing of the postcode: it only fills the ward question.
    Ward,
}

/// A postcode question's settings.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PostcodeUse {
    pub keep: Keep,
    /// The id of the later question whose answer the postcode fills from the survey's lookup.
    pub fills: Option<String>,
}

/// Which days a date question takes; today is both in the past and in the future.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dates {
    Past,
    Future,
}

/// The messages a number or date question gives, in the question's language, with its limits
/// written in: the app's words, filled in when the survey is read, so that the device gives the
/// same ones without the app's translations.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Checks {
    /// The answer is not a number, or not a real date.
    pub invalid: String,
    /// A date with a part missing.
    pub incomplete: String,
    /// Outside the question's limits.
    pub range: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub id: String,
    pub label: String,
    pub hint: Option<String>,
    pub barriers: Barriers,
    pub exclusive: bool,
    pub other: bool,
    /// The name of its picture, for Easy Read.
    pub picture: Option<String>,
}

/// Show a question only when an earlier question's answer is one of `any_of`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    /// Position of the earlier question in the survey.
    pub question: usize,
    pub any_of: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    pub id: String,
    pub kind: Kind,
    pub text: String,
    pub hint: Option<String>,
    pub section: Option<String>,
    pub required: bool,
    pub error: String,
    pub show_if: Option<Rule>,
    /// The choices in order, "Prefer not to say" last when the question offers it.
    pub options: Vec<Choice>,
    pub max_length: usize,
    /// A number question's smallest and largest answers.
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// A date question's limit.
    pub dates: Option<Dates>,
    /// A postcode question's settings.
    pub postcode: Option<PostcodeUse>,
    pub checks: Checks,
}

impl Question {
    pub fn option(&self, id: &str) -> Option<&Choice> {
        self.options.iter().find(|o| o.id == id)
    }
}
