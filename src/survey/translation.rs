//! A survey in other languages. A definition is written in one language (its `language`, English
//! unless it says otherwise) and may carry a translation for each other language it is offered in,
//! keyed by language tag and then by question and option id:
//!
//! ```toml
//! [translations.cy]
//! title = "Defnyddio gwasanaethau ar-lein y cyngor"
//! [translations.cy.questions.used_online]
//! text = "Ydych chi wedi defnyddio …?"
//! options = { yes = "Ydw", no = "Nac ydw" }
//! ```
//!
//! Answers are option ids whatever the language, so figures add up across languages. A string a
//! translation leaves out is shown in the survey's own language; [`missing`] lists them, and a survey
//! cannot be published while any offered language has one.

use super::Barrier;
use super::document::Definition;
pub use super::document::{QuestionText, Translation};
use super::question::Question;
use crate::i18n::{self, Language};

/// A fault in a translation, for [`super::DefinitionErrors`]: the question it is about, if any.
pub struct Fault {
    pub question: Option<String>,
    pub message: String,
}

/// The survey's own language and each translation's, checked: malformed tags, a translation of the
/// survey's own language, and text for questions or options the survey does not have are refused,
/// naming the language and the question.
pub fn check(definition: &Definition, faults: &mut Vec<Fault>) -> (Language, Vec<(Language, Translation)>) {
    let mut fault =
        |question: Option<&str>, message: String| faults.push(Fault { question: question.map(str::to_owned), message });
    let own = match &definition.language {
        None => Language::english(),
        Some(tag) => Language::parse(tag).unwrap_or_else(|| {
            fault(None, format!("language `{}` is not a language tag such as en, cy or en-x-easyread", short(tag)));
            Language::english()
        }),
    };
    let mut translations: Vec<(Language, Translation)> = Vec::new();
    for (tag, translation) in &definition.translations {
        let Some(language) = Language::parse(tag) else {
            fault(None, format!("translation `{}`: not a language tag such as cy, pl or en-x-easyread", short(tag)));
            continue;
        };
        if language == own {
            fault(
                None,
                format!("translation `{tag}`: this is the survey's own language; write the text in the questions"),
            );
            continue;
        }
        if translations.iter().any(|(l, _)| *l == language) {
            fault(None, format!("translation `{tag}`: the same language appears twice"));
            continue;
        }
        for (id, text) in &translation.questions {
            let Some(question) = definition.questions.iter().find(|q| q.id == *id) else {
                fault(None, format!("translation `{tag}`: there is no question `{}`", short(id)));
                continue;
            };
            for option in text.options.keys().chain(text.option_hints.keys()) {
                if !question.options.iter().any(|o| o.id == *option) {
                    fault(Some(id), format!("translation `{tag}`: there is no option `{}`", short(option)));
                }
            }
        }
        translations.push((language, translation.clone()));
    }
    (own, translations)
}

/// Every piece of the survey's text, as (where it is, the question it belongs to, the text), for
/// checking lengths and characters once whatever the language.
pub fn texts(translation: &Translation) -> Vec<(Option<&str>, &'static str, &str)> {
    let mut all: Vec<(Option<&str>, &'static str, &str)> = Vec::new();
    all.extend(translation.name.as_deref().map(|t| (None, "name", t)));
    all.extend(translation.title.as_deref().map(|t| (None, "title", t)));
    all.extend(translation.intro.iter().map(|t| (None, "intro", t.as_str())));
    all.extend(translation.signposting.texts().map(|t| (None, "signposting", t)));
    all.extend(translation.privacy_notice.as_deref().map(|t| (None, "privacy notice", t)));
    for (id, q) in &translation.questions {
        let id = Some(id.as_str());
        all.extend(q.text.as_deref().map(|t| (id, "text", t)));
        all.extend(q.hint.as_deref().map(|t| (id, "hint", t)));
        all.extend(q.section.as_deref().map(|t| (id, "section", t)));
        all.extend(q.error.as_deref().map(|t| (id, "error", t)));
        all.extend(q.options.values().map(|t| (id, "option label", t.as_str())));
        all.extend(q.option_hints.values().map(|t| (id, "option hint", t.as_str())));
    }
    all
}

/// The app's words in a question: the label of "Prefer not to say", and the error message when the
/// definition leaves it to the app.
pub fn localise_words(question: &mut Question, language: &Language, generated_error: bool) {
    if let Some(option) = question.options.iter_mut().find(|o| o.id == super::PREFER_NOT_TO_SAY) {
        option.label = i18n::text_in(language, "prefer-not-to-say");
    }
    if generated_error {
        question.error = i18n::text_in(language, default_error_id(question.kind));
    }
    question.checks = checks_in(language, question);
}

/// The app's message for a required question left unanswered, by kind.
pub fn default_error_id(kind: super::Kind) -> &'static str {
    use super::Kind;
    match kind {
        Kind::Single | Kind::Scale => "select-an-answer",
        Kind::Multiple => "select-at-least-one",
        Kind::ShortText | Kind::LongText | Kind::Note => "enter-an-answer",
        Kind::WholeNumber | Kind::Decimal => "enter-a-number",
        Kind::Date => "enter-a-date",
        Kind::Postcode => "enter-a-postcode",
    }
}

/// A number or date question's messages, with its limits written in.
fn checks_in(language: &Language, question: &Question) -> super::Checks {
    use super::{Dates, Kind, typed::number_text};
    let number = |n: f64| -> i18n::FluentValue<'static> { number_text(n).into() };
    match question.kind {
        Kind::WholeNumber | Kind::Decimal => {
            let invalid = if question.kind == Kind::WholeNumber { "number-whole" } else { "number-invalid" };
            let range = match (question.min, question.max) {
                (Some(min), Some(max)) => {
                    i18n::text_with_in(language, "number-between", &[("min", number(min)), ("max", number(max))])
                }
                (Some(min), None) => i18n::text_with_in(language, "number-at-least", &[("min", number(min))]),
                (None, Some(max)) => i18n::text_with_in(language, "number-at-most", &[("max", number(max))]),
                (None, None) => String::new(),
            };
            super::Checks { invalid: i18n::text_in(language, invalid), incomplete: String::new(), range }
        }
        Kind::Date => super::Checks {
            invalid: i18n::text_in(language, "date-invalid"),
            incomplete: i18n::text_in(language, "date-incomplete"),
            range: match question.dates {
                Some(Dates::Past) => i18n::text_in(language, "date-past"),
                Some(Dates::Future) => i18n::text_in(language, "date-future"),
                None => String::new(),
            },
        },
        Kind::Postcode => super::Checks { invalid: i18n::text_in(language, "postcode-invalid"), ..Default::default() },
        _ => super::Checks::default(),
    }
}

pub(super) fn overlay(target: &mut String, text: &Option<String>) {
    if let Some(text) = text {
        target.clone_from(text);
    }
}

pub(super) fn overlay_option(target: &mut Option<String>, text: &Option<String>) {
    if text.is_some() {
        target.clone_from(text);
    }
}

/// The draft's languages no one has said which they are ([`Language::unnamed`], from a form's
/// `label::Martian`), its own first, each with the name it was given: a survey is published only
/// when there are none.
pub fn unnamed(definition: &Definition) -> Vec<(Language, String)> {
    let own = definition.language.as_deref().and_then(Language::parse).filter(|l| !l.is_named());
    let own = own.map(|l| {
        let name = l.as_str().split("-x-").nth(1).unwrap_or_default().replace('-', "");
        (l, name)
    });
    let translations = definition.translations.iter().filter_map(|(tag, t)| {
        let language = Language::parse(tag).filter(|l| !l.is_named())?;
        Some((language, t.name.clone().unwrap_or_else(|| tag.clone())))
    });
    own.into_iter().chain(translations).collect()
}

/// Says which language an unnamed one is: its text, the survey's own or a translation's, becomes
/// that language's. Refused, in words for the admin, when `to` is not named either or the draft
/// has it already.
pub fn name_language(definition: &mut Definition, from: &Language, to: &Language) -> Result<(), String> {
    if !to.is_named() {
        return Err("Enter which language it is, like cy or Welsh".into());
    }
    let own = definition.language.as_deref().and_then(Language::parse).unwrap_or_else(Language::english);
    if *to == own || definition.translations.contains_key(to.as_str()) {
        return Err(format!(
            "The draft already has {}: remove one of them first",
            to.known_name().unwrap_or(to.as_str())
        ));
    }
    if from.is_named() {
        return Err(format!("{from} is named already"));
    }
    if *from == own {
        definition.language = (*to != Language::english()).then(|| to.to_string());
        return Ok(());
    }
    let Some(mut translation) = definition.translations.remove(from.as_str()) else {
        return Err(format!("The draft has no unnamed language {from}"));
    };
    // A language the service knows is shown by its own name; another keeps the form's name for it.
    if to.known_name().is_some() {
        translation.name = None;
    }
    definition.translations.insert(to.to_string(), translation);
    Ok(())
}

/// The strings of the survey a translation does not give, as "question `ward`: option `north`".
pub fn missing(definition: &Definition, translation: &Translation) -> Vec<String> {
    let mut gaps = Vec::new();
    if translation.title.is_none() {
        gaps.push("the title".to_owned());
    }
    if !definition.intro.is_empty() && translation.intro.is_empty() {
        gaps.push("the introduction".to_owned());
    }
    for barrier in Barrier::ALL {
        if definition.signposting.for_barrier(barrier).is_some()
            && translation.signposting.for_barrier(barrier).is_none()
        {
            gaps.push(format!("the help for {} barriers", barrier.as_str()));
        }
    }
    if definition.signposting.general.is_some() && translation.signposting.general.is_none() {
        gaps.push("the help shown to everyone".to_owned());
    }
    let empty = QuestionText::default();
    for q in &definition.questions {
        let text = translation.questions.get(&q.id).unwrap_or(&empty);
        let mut gap = |what: String| gaps.push(format!("question `{}`: {what}", q.id));
        if text.text.is_none() {
            gap("the question".to_owned());
        }
        if q.hint.is_some() && text.hint.is_none() {
            gap("the hint".to_owned());
        }
        if q.section.is_some() && text.section.is_none() {
            gap("the section".to_owned());
        }
        if q.error.is_some() && text.error.is_none() {
            gap("the error message".to_owned());
        }
        for o in &q.options {
            if !text.options.contains_key(&o.id) {
                gap(format!("option `{}`", o.id));
            }
            if o.hint.is_some() && !text.option_hints.contains_key(&o.id) {
                gap(format!("the hint of option `{}`", o.id));
            }
        }
    }
    gaps
}

/// One string of the survey to translate: its key in a form, where it is (in words), the survey's
/// own text, and the translation's so far (empty when there is none).
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub key: String,
    pub place: String,
    pub own: String,
    pub translated: String,
    /// Several lines (the introduction, help, hints) rather than one.
    pub long: bool,
}

/// Every string of the survey a translation can give, in the order residents meet them. The
/// introduction is one field, its paragraphs separated by blank lines.
pub fn fields(definition: &Definition, t: &Translation) -> Vec<Field> {
    let mut all = Vec::new();
    let mut add = |key: String, place: String, own: Option<&str>, translated: Option<&str>, long: bool| {
        if let Some(own) = own {
            all.push(Field {
                key,
                place,
                own: own.to_owned(),
                translated: translated.unwrap_or_default().to_owned(),
                long,
            });
        }
    };
    add("title".into(), "Title".into(), Some(&definition.title), t.title.as_deref(), false);
    let intro = definition.intro.join("\n\n");
    let intro_t = t.intro.join("\n\n");
    add(
        "intro".into(),
        "Introduction".into(),
        (!intro.is_empty()).then_some(intro.as_str()),
        (!intro_t.is_empty()).then_some(intro_t.as_str()),
        true,
    );
    for (i, q) in definition.questions.iter().enumerate() {
        let words = t.questions.get(&q.id).cloned().unwrap_or_default();
        let at = format!("Question {} ({})", i + 1, q.id);
        add(
            format!("q.{}.section", q.id),
            format!("{at}: section"),
            q.section.as_deref(),
            words.section.as_deref(),
            false,
        );
        add(format!("q.{}.text", q.id), format!("{at}: question"), Some(&q.text), words.text.as_deref(), false);
        add(format!("q.{}.hint", q.id), format!("{at}: hint"), q.hint.as_deref(), words.hint.as_deref(), true);
        add(
            format!("q.{}.error", q.id),
            format!("{at}: error message"),
            q.error.as_deref(),
            words.error.as_deref(),
            false,
        );
        for o in &q.options {
            add(
                format!("q.{}.option.{}", q.id, o.id),
                format!("{at}: option {}", o.id),
                Some(&o.label),
                words.options.get(&o.id).map(String::as_str),
                false,
            );
            add(
                format!("q.{}.option_hint.{}", q.id, o.id),
                format!("{at}: hint of option {}", o.id),
                o.hint.as_deref(),
                words.option_hints.get(&o.id).map(String::as_str),
                true,
            );
        }
    }
    for (name, own, theirs) in [
        ("skills", &definition.signposting.skills, &t.signposting.skills),
        ("confidence", &definition.signposting.confidence, &t.signposting.confidence),
        ("motivation", &definition.signposting.motivation, &t.signposting.motivation),
        ("access", &definition.signposting.access, &t.signposting.access),
        ("general", &definition.signposting.general, &t.signposting.general),
    ] {
        let place = if name == "general" {
            "Help for everyone".to_owned()
        } else {
            format!("Help for people facing {name} barriers")
        };
        add(format!("signposting.{name}"), place, own.as_deref(), theirs.as_deref(), true);
    }
    all
}

/// Sets the string `key` (as [`fields`] names it) of a translation; empty clears it. `false` for
/// a key the survey has no string for.
pub fn set(definition: &Definition, t: &mut Translation, key: &str, value: &str) -> bool {
    let value = value.trim().replace("\r\n", "\n");
    let text = (!value.is_empty()).then(|| value.clone());
    if !fields(definition, t).iter().any(|f| f.key == key) {
        return false;
    }
    let parts: Vec<&str> = key.splitn(4, '.').collect();
    match parts.as_slice() {
        ["title"] => t.title = text,
        ["intro"] => {
            t.intro = value.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).map(str::to_owned).collect()
        }
        ["signposting", name] => {
            let slot = match *name {
                "skills" => &mut t.signposting.skills,
                "confidence" => &mut t.signposting.confidence,
                "motivation" => &mut t.signposting.motivation,
                "access" => &mut t.signposting.access,
                _ => &mut t.signposting.general,
            };
            *slot = text;
        }
        ["q", question, part, rest @ ..] => {
            let words = t.questions.entry((*question).to_owned()).or_default();
            match (*part, rest) {
                ("text", []) => words.text = text,
                ("hint", []) => words.hint = text,
                ("section", []) => words.section = text,
                ("error", []) => words.error = text,
                ("option", [option]) | ("option_hint", [option]) => {
                    let map = if *part == "option" { &mut words.options } else { &mut words.option_hints };
                    match text {
                        Some(text) => map.insert((*option).to_owned(), text),
                        None => map.remove(*option),
                    };
                }
                _ => return false,
            }
            if *words == QuestionText::default() {
                t.questions.remove(*question);
            }
        }
        _ => return false,
    }
    true
}

/// Forgets the text of questions and options the definition no longer has: the editor calls this
/// after removing one, so a translation does not block the draft over something already gone.
/// (An uploaded file is checked strictly instead: there, such text is a mistake to point out.)
pub fn prune(definition: &mut Definition) {
    let questions = &definition.questions;
    for translation in definition.translations.values_mut() {
        translation.questions.retain(|id, _| questions.iter().any(|q| q.id == *id));
        for (id, text) in &mut translation.questions {
            let Some(question) = questions.iter().find(|q| q.id == *id) else { continue };
            let has = |option: &String| question.options.iter().any(|o| o.id == *option);
            text.options.retain(|o, _| has(o));
            text.option_hints.retain(|o, _| has(o));
        }
    }
}

/// Keeps a hostile tag or id from flooding a message.
fn short(s: &str) -> &str {
    match s.char_indices().nth(40) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn an_unnamed_language_is_named_once_and_only_as_one_the_draft_lacks() {
        let mut d = crate::survey::builtin().definition().clone();
        let martian = Language::unnamed("Martian").unwrap();
        let text = Translation { name: Some("Martian".into()), title: Some("Arolwg".into()), ..Translation::default() };
        d.translations.insert(martian.to_string(), text);
        assert_eq!(unnamed(&d), vec![(martian.clone(), "Martian".to_owned())]);
        let welsh = Language::parse("cy").unwrap();
        assert!(name_language(&mut d, &martian, &welsh).unwrap_err().contains("already has Cymraeg"), "cy is there");
        let before = d.clone();
        for bad in [Language::parse("und").unwrap(), Language::english()] {
            assert!(name_language(&mut d, &martian, &bad).is_err(), "{bad}");
        }
        assert!(name_language(&mut d, &welsh, &Language::parse("ga").unwrap()).is_err(), "cy is named");
        assert_eq!(d, before, "a refusal changes nothing");
        let polish = Language::parse("pl").unwrap();
        name_language(&mut d, &martian, &polish).unwrap();
        assert_eq!(d.translations["pl"].title.as_deref(), Some("Arolwg"));
        assert_eq!(d.translations["pl"].name, None, "Polish is shown by the service's own name for it");
        assert!(unnamed(&d).is_empty() && !d.translations.contains_key(martian.as_str()));
        // The survey's own language.
        d.language = Some(martian.to_string());
        assert_eq!(unnamed(&d), vec![(martian.clone(), "martian".to_owned())]);
        name_language(&mut d, &martian, &Language::english()).unwrap();
        assert_eq!(d.language, None);
    }

    #[test]
    fn every_field_set_reads_back_and_an_empty_one_is_missing_again() {
        let survey = crate::survey::builtin();
        let definition = Definition { translations: BTreeMap::new(), ..survey.definition().clone() };
        let mut t = Translation::default();
        let keys: Vec<String> = fields(&definition, &t).into_iter().map(|f| f.key).collect();
        for key in &keys {
            assert!(set(&definition, &mut t, key, &format!("cy {key}")), "{key}");
        }
        assert!(missing(&definition, &t).is_empty(), "{:?}", missing(&definition, &t));
        assert!(fields(&definition, &t).iter().all(|f| f.translated == format!("cy {}", f.key)));
        assert!(set(&definition, &mut t, "q.ward.option.yarm", "  "));
        assert_eq!(missing(&definition, &t), vec!["question `ward`: option `yarm`".to_owned()]);
        assert!(
            !set(&definition, &mut t, "q.nope.text", "x") && !set(&definition, &mut t, "q.ward.option.nope", "x"),
            "no such string"
        );
        assert!(!set(&definition, &mut t, "q.comments.error", "x"), "the survey has no error message of its own there");
    }
}
