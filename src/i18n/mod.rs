//! Languages: the tags surveys are offered in ([`Language`]), and the app's own words (Start now,
//! Continue, Check your answers…) in the languages the app ships: English and Welsh, from the
//! Fluent files in `locales/`, built into the binary. A survey in any other language uses its own
//! translated questions with the app's words in English; [`has_own_words`] says which.
//!
//! Pages read the language from Leptos context (the page frame provides it), so a component says
//! `t("start-now")` and gets the resident's language.

mod language;

pub use language::Language;

pub use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};
use std::borrow::Cow;
use std::collections::HashMap;

fluent_templates::static_loader! {
    static WORDS = {
        locales: "./locales",
        fallback_language: "en",
        // No Unicode isolation marks around arguments: they would end up in plain-text pages and
        // CSV, and every argument here is a number, a date or the resident's own text.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// The languages the app's own words are written in.
pub const OWN_WORDS: [&str; 2] = ["en", "cy"];

/// Whether the app's own words exist in this language (Easy Read uses its base language's).
pub fn has_own_words(language: &Language) -> bool {
    OWN_WORDS.contains(&language.base())
}

/// The Fluent locale of the app's words for a language: built once, as every page asks for it
/// a few dozen times.
fn identifier(language: &Language) -> &'static LanguageIdentifier {
    static ENGLISH: LanguageIdentifier = langid!("en");
    static WELSH: LanguageIdentifier = langid!("cy");
    match language.base() {
        "cy" => &WELSH,
        _ => &ENGLISH,
    }
}

/// The app's words `id` in `language` (English when the language has none of its own).
pub fn text_in(language: &Language, id: &str) -> String {
    WORDS.lookup(identifier(language), id)
}

/// The same, with Fluent arguments such as `("minutes", 5.into())`.
pub fn text_with_in(language: &Language, id: &str, args: &[(&'static str, FluentValue<'static>)]) -> String {
    let args: HashMap<Cow<'static, str>, FluentValue<'static>> =
        args.iter().map(|(k, v)| (Cow::Borrowed(*k), v.clone())).collect();
    WORDS.lookup_with_args(identifier(language), id, &args)
}

/// The language of the page being rendered, from Leptos context; English outside a page.
pub fn current() -> Language {
    leptos::prelude::use_context::<Language>().unwrap_or_else(Language::english)
}

/// The app's words `id` in the language of the page being rendered.
pub fn t(id: &str) -> String {
    text_in(&current(), id)
}

/// The same, with arguments.
pub fn t_with(id: &str, args: &[(&'static str, FluentValue<'static>)]) -> String {
    text_with_in(&current(), id, args)
}

/// A day as residents read it, in the page's language: `9 December 2026`, `9 Rhagfyr 2026`.
pub fn date(day: jiff::civil::Date) -> String {
    let month = t(&format!("month-{}", day.month()));
    t_with(
        "date",
        &[("day", i64::from(day.day()).into()), ("month", month.into()), ("year", i64::from(day.year()).into())],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn ids(language: &str) -> BTreeSet<String> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("locales/{language}/app.ftl"));
        std::fs::read_to_string(path)
            .unwrap()
            .lines()
            .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
            .filter_map(|l| l.split_once(" =").map(|(id, _)| id.trim().to_owned()))
            .collect()
    }

    #[test]
    fn welsh_has_every_word_english_has() {
        let (en, cy) = (ids("en"), ids("cy"));
        assert!(en.len() > 40, "{en:?}");
        assert_eq!(en.difference(&cy).collect::<Vec<_>>(), Vec::<&String>::new(), "missing in Welsh");
        assert_eq!(cy.difference(&en).collect::<Vec<_>>(), Vec::<&String>::new(), "not in English");
    }

    #[test]
    fn words_come_in_the_language_asked_for_with_arguments() {
        let cy = Language::parse("cy").unwrap();
        for tag in OWN_WORDS {
            assert_eq!(
                identifier(&Language::parse(tag).unwrap()).to_string(),
                tag,
                "each language with words of its own has its locale"
            );
        }
        assert_eq!(text_in(&cy, "start-now"), "Dechrau nawr");
        assert_eq!(text_in(&Language::english(), "start-now"), "Start now");
        assert_eq!(text_in(&Language::parse("cy-x-easyread").unwrap(), "start-now"), "Dechrau nawr");
        // Polish has no words of its own yet: English.
        assert_eq!(text_in(&Language::parse("pl").unwrap(), "start-now"), "Start now");
        assert_eq!(text_with_in(&cy, "takes-minutes", &[("minutes", 5.into())]), "Mae'n cymryd tua 5 munud.");
        let day = jiff::civil::date(2026, 12, 9);
        let owner = leptos::prelude::Owner::new();
        owner.with(|| {
            assert_eq!(date(day), crate::clock::format_date(day), "English as the staff pages write it");
            leptos::prelude::provide_context(cy.clone());
            assert_eq!(date(day), "9 Rhagfyr 2026");
        });
    }
}
