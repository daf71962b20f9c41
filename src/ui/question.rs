//! The app's words around a question ([`crate::survey::view`]), in a given language: the page's,
//! or each language the outreach device takes entries in.

use crate::i18n::{Language, text_in, text_with_in};
use crate::survey::view::Words;
use crate::survey::{Keep, Kind, Question, thousands};

pub fn words_in(language: &Language) -> Words {
    Words {
        or: text_in(language, "or"),
        tell_us_what: text_in(language, "other-tell-us"),
        error: text_in(language, "error-prefix"),
        easy_read: language.is_easy_read(),
        date_parts: ["date-day", "date-month", "date-year"].map(|id| text_in(language, id)),
    }
}

/// The lines of hint under a question: its own, then how much may be written, then that it may
/// be skipped.
pub fn hints_in(language: &Language, question: &Question) -> Vec<String> {
    let mut hints: Vec<String> = question.hint.iter().cloned().collect();
    if question.kind.is_text() {
        hints.push(text_with_in(language, "write-up-to", &[("count", thousands(question.max_length).into())]));
    }
    if question.kind == Kind::Date {
        hints.push(text_in(language, "date-hint"));
    }
    if let Some(postcode) = &question.postcode {
        let keeps = if postcode.keep == Keep::Ward { "postcode-keeps-ward" } else { "postcode-keeps-sector" };
        hints.push(text_in(language, keeps));
    }
    if !question.required && question.kind.asks() {
        hints.push(text_in(language, "can-skip"));
    }
    hints
}
