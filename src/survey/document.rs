//! A survey definition as councils write it (TOML, JSON, or an XLSForm read into the same shape),
//! with its translations: the document, before any check. [`super::Survey::parse`] is the only way
//! from one to a survey the program uses; reading and writing files ([`super::xlsform`]) and
//! translating ([`super::translation`]) work on this shape and need nothing above it.

use super::barrier::Barrier;
use super::question::{Dates, Keep};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Definition {
    pub id: String,
    pub title: String,
    /// Paragraphs for the start page.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub intro: Vec<String>,
    /// About how long it takes, for the start page.
    pub minutes: u32,
    /// The language the survey is written in (a BCP 47 tag): `en` unless it says otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    pub questions: Vec<QuestionDef>,
    #[serde(default)]
    pub signposting: Signposting,
    /// The survey in other languages, by tag (see [`super::translation`]).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, Translation>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionDef {
    pub id: String,
    /// `single`, `multiple`, `scale`, `short_text`, `long_text`, `whole_number`, `decimal`, `date`,
    /// `note` or `postcode`.
    #[serde(rename = "type")]
    pub kind: String,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// A caption above the question, such as "About you".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    /// The message shown when a required question is not answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub prefer_not_to_say: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_if: Option<ShowIfDef>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<OptionDef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    /// A number question's smallest answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// A number question's largest answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// A date question's limit: `past` (today or before) or `future` (today or after).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dates: Option<Dates>,
    /// A postcode question's: `sector` (the default) or `ward` (nothing of the postcode).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keep: Option<Keep>,
    /// A postcode question's: the id of the later single choice question (the ward) it fills
    /// from the survey's postcode lookup.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fills: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionDef {
    pub id: String,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub barriers: Vec<String>,
    /// Multiple choice only: choosing it clears the others ("None of these").
    #[serde(default, skip_serializing_if = "is_false")]
    pub exclusive: bool,
    /// Multiple choice only: choosing it invites a short free-text answer ("Something else").
    #[serde(default, skip_serializing_if = "is_false")]
    pub other: bool,
    /// A picture shown beside the label in Easy Read, by name (`smartphone`; see
    /// [`super::picture_names`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub picture: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShowIfDef {
    pub question: String,
    pub any_of: Vec<String>,
}

/// Where to get local help, shown on the confirmation page for each barrier in a resident's answers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signposting {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skills: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub motivation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access: Option<String>,
    /// Shown to everyone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub general: Option<String>,
}

impl Signposting {
    pub fn is_empty(&self) -> bool {
        self.texts().next().is_none()
    }

    /// Every text it holds.
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        [&self.skills, &self.confidence, &self.motivation, &self.access, &self.general]
            .into_iter()
            .filter_map(|t| t.as_deref())
    }

    /// These texts, with `other`'s where it has them: a translation over the survey's own.
    pub fn overlaid(&self, other: &Signposting) -> Signposting {
        let pick = |own: &Option<String>, theirs: &Option<String>| {
            if own.is_some() { theirs.clone().or_else(|| own.clone()) } else { None }
        };
        Signposting {
            skills: pick(&self.skills, &other.skills),
            confidence: pick(&self.confidence, &other.confidence),
            motivation: pick(&self.motivation, &other.motivation),
            access: pick(&self.access, &other.access),
            general: pick(&self.general, &other.general),
        }
    }

    pub fn for_barrier(&self, barrier: Barrier) -> Option<&str> {
        match barrier {
            Barrier::Skills => self.skills.as_deref(),
            Barrier::Confidence => self.confidence.as_deref(),
            Barrier::Motivation => self.motivation.as_deref(),
            Barrier::Access => self.access.as_deref(),
        }
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// The survey's text in one other language. Every field is optional: what is left out is listed by
/// [`missing`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Translation {
    /// The language's name in itself, for the link residents choose it by ("Cymraeg"); known
    /// languages have one already.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub intro: Vec<String>,
    #[serde(default, skip_serializing_if = "Signposting::is_empty")]
    pub signposting: Signposting,
    /// By question id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub questions: BTreeMap<String, QuestionText>,
    /// The admin's own privacy notice in this language (`## ` headings, blank lines between
    /// paragraphs), for a survey whose notice is the admin's; the default notice has the app's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub privacy_notice: Option<String>,
}

/// One question's text in another language.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionText {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Option labels by option id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub options: BTreeMap<String, String>,
    /// Option hints by option id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub option_hints: BTreeMap<String, String>,
}
