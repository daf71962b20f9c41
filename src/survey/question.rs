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
}

impl Kind {
    /// The type a definition names (`single`, `short_text`, ...).
    #[cfg(feature = "ssr")]
    pub(crate) fn parse(s: &str) -> Option<Kind> {
        Some(match s {
            "single" => Kind::Single,
            "multiple" => Kind::Multiple,
            "scale" => Kind::Scale,
            "short_text" => Kind::ShortText,
            "long_text" => Kind::LongText,
            _ => return None,
        })
    }

    pub fn is_choice(self) -> bool {
        matches!(self, Kind::Single | Kind::Multiple | Kind::Scale)
    }

    pub fn is_text(self) -> bool {
        !self.is_choice()
    }
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
}

impl Question {
    pub fn option(&self, id: &str) -> Option<&Choice> {
        self.options.iter().find(|o| o.id == id)
    }
}
