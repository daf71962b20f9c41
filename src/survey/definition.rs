//! A survey definition is a document (TOML or JSON) that councils write and upload. It is untrusted
//! input: [`Survey::parse`] is the only way to turn one into a [`Survey`], so a survey that exists in
//! the program has already passed every check below.

use super::barrier::{Barrier, Barriers};
use super::document::Translation;
pub use super::document::{Definition, OptionDef, QuestionDef, ShowIfDef, Signposting};
use super::question::Keep;
use super::question::PREFER_NOT_TO_SAY;
pub use super::question::{Choice, Kind, PostcodeUse, Question, Rule};
use super::translation;
use crate::i18n::Language;
use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::sync::Arc;

/// Largest definition document accepted, in bytes.
pub const MAX_DOCUMENT_BYTES: usize = 256 * 1024;
pub const MAX_QUESTIONS: usize = 100;
pub const MAX_OPTIONS: usize = 60;
const MAX_ID_LEN: usize = 63;
const MAX_LABEL_LEN: usize = 300;
const MAX_TEXT_LEN: usize = 2_000;
/// Longest free-text answer, unless a question sets a smaller `max_length`.
pub const MAX_ANSWER_LEN: usize = 2_000;
const DEFAULT_SHORT_TEXT_LEN: usize = 200;
/// Deepest nesting of lists and tables a document may have. A definition needs 4; the limit stops
/// a hostile file from exhausting the parser's stack before the format is even checked.
const MAX_NESTING: usize = 16;

/// How deeply `[` and `{` nest, outside quoted strings and comments (TOML and JSON quote the same
/// way, and a backslash escapes in double quotes only).
fn nesting(text: &str) -> usize {
    let (mut depth, mut deepest, mut quote, mut escaped, mut comment) = (0usize, 0usize, None, false, false);
    for c in text.chars() {
        if comment {
            comment = c != '\n';
            continue;
        }
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' && q == '"' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
            }
            None => match c {
                '"' | '\'' => quote = Some(c),
                '#' => comment = true,
                '[' | '{' => {
                    depth += 1;
                    deepest = deepest.max(depth);
                }
                ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            },
        }
    }
    deepest
}

/// Option ids that exports and summaries use for their own columns and rows.
pub const RESERVED_OPTION_IDS: [&str; 3] = [PREFER_NOT_TO_SAY, "no_answer", "other_text"];

// ---------------------------------------------------------------------------------------------
// The parsed survey.

/// The ids of the about-you questions the results page and every download can be filtered by
/// (the built-in survey's; a council's own survey that asks them under these ids gets the same).
pub mod about_you {
    pub const WARD: &str = "ward";
    pub const AGE_BAND: &str = "age_band";
    pub const DISABILITY: &str = "disability";
}

/// The about-you questions the results page and every download can be filtered by, by id.
pub const ABOUT_YOU_FILTERS: [&str; 3] = [about_you::WARD, about_you::AGE_BAND, about_you::DISABILITY];

#[derive(Debug, Clone, PartialEq)]
pub struct Survey {
    definition: Definition,
    questions: Vec<Question>,
    /// The language this survey's text is in.
    language: Language,
    /// The languages it is offered in, its own first.
    offered: Vec<Offered>,
    /// The survey in each other language it is offered in (empty in a translation itself).
    translated: ByLanguage,
}

impl Survey {
    /// The language this survey's text is in.
    pub fn language(&self) -> &Language {
        &self.language
    }

    /// The languages residents can choose, the survey's own first, each named in itself.
    pub fn languages(&self) -> &[Offered] {
        &self.offered
    }

    /// One of the languages offered, from a tag as written in a link (`?lang=CY`); `None` for a
    /// tag that is malformed or not offered.
    pub fn offered_language(&self, tag: &str) -> Option<&Language> {
        let language = Language::parse(tag)?;
        self.offered.iter().map(|o| &o.language).find(|l| **l == language)
    }

    /// The survey in `language`; in its own language when it is not offered in that one.
    pub fn in_language(&self, language: Option<&Language>) -> &Survey {
        language.and_then(|l| self.translated.get(l)).map_or(self, |t| t.as_ref())
    }

    /// The same, shared: the survey in `language` if it is offered in it, else this one.
    pub fn translated(self: &Arc<Survey>, language: Option<&Language>) -> Arc<Survey> {
        language.and_then(|l| self.translated.get(l)).map_or_else(|| Arc::clone(self), Arc::clone)
    }

    /// For each language offered with strings left untranslated, what they are. A survey cannot
    /// be published until this is empty.
    pub fn missing_translations(&self) -> Vec<(Language, Vec<String>)> {
        self.definition
            .translations
            .iter()
            .filter_map(|(tag, t)| {
                let gaps = translation::missing(&self.definition, t);
                (!gaps.is_empty()).then(|| (Language::parse(tag).expect("checked when parsed"), gaps))
            })
            .collect()
    }

    pub(super) fn definition_mut(&mut self) -> &mut Definition {
        &mut self.definition
    }

    pub(super) fn questions_mut(&mut self) -> &mut [Question] {
        &mut self.questions
    }

    pub fn slug(&self) -> &str {
        &self.definition.id
    }

    pub fn title(&self) -> &str {
        &self.definition.title
    }

    pub fn definition(&self) -> &Definition {
        &self.definition
    }

    pub fn questions(&self) -> &[Question] {
        &self.questions
    }

    /// The number a question is printed under on the paper form and shown under in fast entry, so
    /// that an officer typing up a form reads the same numbers on paper and on screen.
    pub fn number(&self, index: usize) -> usize {
        super::question::number(index)
    }

    pub fn position(&self, question_id: &str) -> Option<usize> {
        self.questions.iter().position(|q| q.id == question_id)
    }

    pub fn question(&self, question_id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == question_id)
    }

    /// The questions about the respondent that results can be filtered and broken down by: the
    /// choice questions of the "About you" section, and the dashboard's own filters
    /// ([`ABOUT_YOU_FILTERS`]) wherever they are. The running totals are also kept by each answer
    /// to these.
    pub fn about_you(&self) -> impl Iterator<Item = &Question> {
        self.questions.iter().filter(|q| {
            q.kind.is_choice()
                && (q.section.as_deref() == Some("About you") || ABOUT_YOU_FILTERS.contains(&q.id.as_str()))
        })
    }

    /// Parses a TOML or JSON document; a document that starts with `{` is JSON.
    pub fn from_document(text: &str) -> Result<Survey, DefinitionErrors> {
        if text.len() > MAX_DOCUMENT_BYTES {
            return Err(DefinitionErrors::one(
                None,
                format!("the file is larger than {} KB", MAX_DOCUMENT_BYTES / 1024),
            ));
        }
        if nesting(text) > MAX_NESTING {
            return Err(DefinitionErrors::one(
                None,
                format!("the file nests lists or tables more than {MAX_NESTING} deep"),
            ));
        }
        let definition: Definition = if text.trim_start().starts_with('{') {
            serde_json::from_str(text).map_err(|e| DefinitionErrors::one(None, format!("not valid JSON: {e}")))?
        } else {
            toml::from_str(text).map_err(|e| DefinitionErrors::one(None, format!("not valid TOML: {e}")))?
        };
        Survey::parse(definition)
    }

    /// Checks everything a survey must satisfy and resolves show-if rules to question positions.
    pub fn parse(definition: Definition) -> Result<Survey, DefinitionErrors> {
        let mut errors = DefinitionErrors::default();
        check_slug(&definition.id, &mut errors);
        check_text(None, "title", &definition.title, MAX_LABEL_LEN, true, &mut errors);
        for p in &definition.intro {
            check_text(None, "intro", p, MAX_TEXT_LEN, true, &mut errors);
        }
        for barrier in Barrier::ALL {
            if let Some(text) = definition.signposting.for_barrier(barrier) {
                check_text(None, "signposting", text, MAX_TEXT_LEN, true, &mut errors);
            }
        }
        if let Some(text) = &definition.signposting.general {
            check_text(None, "signposting", text, MAX_TEXT_LEN, true, &mut errors);
        }
        if definition.questions.is_empty() {
            errors.push(None, "a survey needs at least one question");
        }
        if definition.questions.len() > MAX_QUESTIONS {
            errors.push(None, format!("a survey can have at most {MAX_QUESTIONS} questions"));
        }

        let mut questions: Vec<Question> = Vec::with_capacity(definition.questions.len());
        let mut seen_ids = HashSet::new();
        for def in &definition.questions {
            let qid = Some(def.id.as_str());
            if !is_safe_id(&def.id, IdKind::Question) {
                errors.push(
                    qid,
                    "the id must start with a lowercase letter and use only lowercase letters, digits and _ (at most 63)",
                );
            }
            if !seen_ids.insert(def.id.as_str()) {
                errors.push(qid, "this id is used by more than one question");
            }
            if let Some(q) = parse_question(def, &questions, &mut errors) {
                let options: Vec<&str> = q.options.iter().map(|o| o.id.as_str()).collect();
                if let Some(problem) = super::measures::module_problem(&q.id, &options) {
                    errors.push(qid, problem);
                }
                questions.push(q);
            }
        }
        check_fills(&questions, &mut errors);
        // Words before the first question are the introduction, on the start page; a note there
        // would read back from an XLSForm as the introduction, not as itself.
        if let Some(first) = questions.first().filter(|q| q.kind == Kind::Note) {
            errors.push(
                Some(first.id.as_str()),
                "a note cannot come first: put words for before the first question in the introduction",
            );
        }
        let mut faults = Vec::new();
        let (language, translations) = translation::check(&definition, &mut faults);
        for fault in faults {
            errors.push(fault.question.as_deref(), fault.message);
        }
        for (tag, t) in &definition.translations {
            for (question, field, text) in translation::texts(t) {
                let max = match field {
                    "privacy notice" => MAX_TEXT_LEN * 5,
                    "intro" | "signposting" | "hint" | "option hint" => MAX_TEXT_LEN,
                    _ => MAX_LABEL_LEN,
                };
                check_text(question, &format!("translation `{tag}`: {field}"), text, max, true, &mut errors);
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        for (question, def) in questions.iter_mut().zip(&definition.questions) {
            translation::localise_words(question, &language, def.error.is_none());
        }
        let offered = std::iter::once(offered(&language, None))
            .chain(translations.iter().map(|(l, t)| offered(l, Some(t))))
            .collect();
        let mut survey = Survey { definition, questions, language, offered, translated: ByLanguage::new() };
        let translated = translations
            .iter()
            .map(|(l, t)| {
                let mut in_language = translate(&survey, l, t);
                in_language.language = l.clone();
                (l.clone(), Arc::new(in_language))
            })
            .collect();
        survey.translated = translated;
        Ok(survey)
    }
}

fn parse_question(def: &QuestionDef, earlier: &[Question], errors: &mut DefinitionErrors) -> Option<Question> {
    let qid = Some(def.id.as_str());
    let Some(kind) = Kind::parse(&def.kind) else {
        let names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
        errors.push(qid, format!("unknown type `{}`: use {}", truncate(&def.kind), names.join(", ")));
        return None;
    };
    check_text(qid, "text", &def.text, MAX_LABEL_LEN, true, errors);
    if let Some(hint) = &def.hint {
        check_text(qid, "hint", hint, MAX_TEXT_LEN, true, errors);
    }
    if let Some(section) = &def.section {
        check_text(qid, "section", section, MAX_LABEL_LEN, true, errors);
    }
    if let Some(error) = &def.error {
        check_text(qid, "error", error, MAX_LABEL_LEN, true, errors);
    }

    let mut options = Vec::with_capacity(def.options.len() + 1);
    if kind.is_choice() {
        if def.options.len() < 2 {
            errors.push(qid, "a choice question needs at least two options");
        }
        if def.options.len() > MAX_OPTIONS {
            errors.push(qid, format!("a question can have at most {MAX_OPTIONS} options"));
        }
        let mut seen = HashSet::new();
        for o in &def.options {
            if let Some(choice) = parse_option(def, kind, o, errors) {
                if !seen.insert(choice.id.clone()) {
                    errors.push(qid, format!("option `{}` appears more than once", o.id));
                }
                options.push(choice);
            }
        }
        if options.iter().filter(|o| o.exclusive).count() > 1 {
            errors.push(qid, "only one option can be exclusive");
        }
        if kind == Kind::Scale {
            let numbers: Vec<Option<i64>> = def.options.iter().map(|o| o.id.parse().ok()).collect();
            let ascending = numbers.windows(2).all(|w| matches!(w, [Some(a), Some(b)] if b - a == 1));
            if numbers.iter().any(Option::is_none) || !ascending {
                errors.push(qid, "scale options must be whole numbers going up by one, such as 1 to 5");
            }
        }
        if def.prefer_not_to_say {
            options.push(Choice {
                id: PREFER_NOT_TO_SAY.to_owned(),
                label: "Prefer not to say".to_owned(),
                hint: None,
                barriers: Barriers::default(),
                exclusive: kind == Kind::Multiple,
                other: false,
                picture: None,
            });
        }
    } else {
        if !def.options.is_empty() {
            errors.push(qid, format!("a {} question cannot have options", kind.name()));
        }
        if def.prefer_not_to_say {
            errors.push(
                qid,
                format!("a {} question cannot offer \"Prefer not to say\": it can be left blank", kind.name()),
            );
        }
    }
    check_limits(def, kind, errors);

    let default_len = if kind == Kind::ShortText { DEFAULT_SHORT_TEXT_LEN } else { MAX_ANSWER_LEN };
    let max_length = match def.max_length {
        None => default_len,
        Some(n) if kind.is_text() && (1..=MAX_ANSWER_LEN as u32).contains(&n) => n as usize,
        Some(_) if kind.is_text() => {
            errors.push(qid, format!("max_length must be between 1 and {MAX_ANSWER_LEN}"));
            default_len
        }
        Some(_) => {
            errors.push(qid, "only text questions can set max_length");
            default_len
        }
    };

    let show_if = def.show_if.as_ref().and_then(|rule| parse_rule(def, rule, earlier, errors));

    // The app's words, in the survey's language, come in with `translation::localise_words`.
    let error = def.error.clone().unwrap_or_default();

    Some(Question {
        id: def.id.clone(),
        kind,
        text: def.text.clone(),
        hint: def.hint.clone(),
        section: def.section.clone(),
        required: def.required,
        error,
        show_if,
        options,
        max_length,
        min: def.min,
        max: def.max,
        dates: def.dates,
        postcode: (kind == Kind::Postcode)
            .then(|| PostcodeUse { keep: def.keep.unwrap_or_default(), fills: def.fills.clone() }),
        checks: Default::default(),
    })
}

/// A number's range, a date's limit, and a note asking for nothing.
fn check_limits(def: &QuestionDef, kind: Kind, errors: &mut DefinitionErrors) {
    let qid = Some(def.id.as_str());
    let limits = [def.min, def.max];
    if !kind.is_number() && limits.iter().any(Option::is_some) {
        errors.push(qid, "only whole_number and decimal questions can set min and max");
    }
    if limits.iter().flatten().any(|n| !n.is_finite() || n.abs() >= 1e15) {
        errors.push(qid, "min and max must be numbers of at most 15 digits");
    }
    if kind == Kind::WholeNumber && limits.iter().flatten().any(|n| n.fract() != 0.0) {
        errors.push(qid, "a whole_number question's min and max must be whole numbers");
    }
    if let (Some(min), Some(max)) = (def.min, def.max)
        && min > max
    {
        errors.push(qid, "min must not be more than max");
    }
    if kind != Kind::Date && def.dates.is_some() {
        errors.push(qid, "only date questions can set dates");
    }
    if kind == Kind::Note && (def.required || def.error.is_some()) {
        errors.push(qid, "a note asks for nothing: it cannot be required or have an error message");
    }
    if kind != Kind::Postcode && (def.keep.is_some() || def.fills.is_some()) {
        errors.push(qid, "only postcode questions can set keep and fills");
    }
    if def.keep == Some(Keep::Ward) && def.required {
        errors.push(
            qid,
            "a postcode that is not kept cannot be required: residents who would rather not give it choose their ward",
        );
    }
    if def.keep == Some(Keep::Ward) && def.fills.is_none() {
        errors.push(qid, "keep = \"ward\" keeps nothing of the postcode: say which ward question it fills");
    }
}

/// A postcode question fills a later single choice question: its answers are what the lookup's
/// wards are matched to.
fn check_fills(questions: &[Question], errors: &mut DefinitionErrors) {
    for (at, q) in questions.iter().enumerate() {
        let Some(fills) = q.postcode.as_ref().and_then(|p| p.fills.as_deref()) else { continue };
        let later = questions[at + 1..].iter().find(|t| t.id == fills);
        if !later.is_some_and(|t| t.kind == Kind::Single) {
            errors.push(
                Some(q.id.as_str()),
                format!("fills names `{}`, which is not a later question with one answer", truncate(fills)),
            );
        }
    }
}

fn parse_option(q: &QuestionDef, kind: Kind, o: &OptionDef, errors: &mut DefinitionErrors) -> Option<Choice> {
    let qid = Some(q.id.as_str());
    let mut ok = true;
    if !is_safe_id(&o.id, IdKind::Option) {
        errors.push(
            qid,
            format!("option id `{}` must use only lowercase letters, digits and _ (at most 63)", truncate(&o.id)),
        );
        ok = false;
    }
    if RESERVED_OPTION_IDS.contains(&o.id.as_str()) {
        errors.push(qid, format!("option id `{}` is reserved: set prefer_not_to_say = true instead", o.id));
        ok = false;
    }
    check_text(qid, "option label", &o.label, MAX_LABEL_LEN, true, errors);
    if let Some(hint) = &o.hint {
        check_text(qid, "option hint", hint, MAX_TEXT_LEN, true, errors);
    }
    if (o.exclusive || o.other) && kind != Kind::Multiple {
        errors.push(qid, format!("option `{}`: exclusive and other are for multiple choice questions", o.id));
    }
    if let Some(name) = o.picture.as_deref().filter(|name| super::picture(name).is_none()) {
        let known: Vec<&str> = super::picture_names().collect();
        errors.push(
            qid,
            format!(
                "option `{}`: there is no picture `{}`; the pictures are {}",
                o.id,
                truncate(name),
                known.join(", ")
            ),
        );
    }
    if o.exclusive && o.other {
        errors.push(qid, format!("option `{}` cannot be both exclusive and other", o.id));
    }
    let mut barriers = Barriers::default();
    for name in &o.barriers {
        match Barrier::parse(name) {
            Some(b) => barriers.insert(b),
            None => {
                errors.push(
                    qid,
                    format!(
                        "option `{}` has unknown barrier `{}`: use skills, confidence, motivation or access",
                        o.id,
                        truncate(name)
                    ),
                );
            }
        }
    }
    ok.then(|| Choice {
        id: o.id.clone(),
        label: o.label.clone(),
        hint: o.hint.clone(),
        barriers,
        exclusive: o.exclusive,
        other: o.other,
        picture: o.picture.clone(),
    })
}

fn parse_rule(q: &QuestionDef, rule: &ShowIfDef, earlier: &[Question], errors: &mut DefinitionErrors) -> Option<Rule> {
    let qid = Some(q.id.as_str());
    let Some(position) = earlier.iter().position(|e| e.id == rule.question) else {
        let msg = if rule.question == q.id {
            "show_if cannot refer to the question itself".to_owned()
        } else {
            format!("show_if refers to `{}`, which is not an earlier question", truncate(&rule.question))
        };
        errors.push(qid, msg);
        return None;
    };
    let target = &earlier[position];
    if !target.kind.is_choice() {
        errors.push(qid, format!("show_if can only refer to a choice question, not `{}`", target.id));
        return None;
    }
    if rule.any_of.is_empty() {
        errors.push(qid, "show_if needs at least one option in any_of");
        return None;
    }
    let unknown: Vec<&str> = rule.any_of.iter().filter(|id| target.option(id).is_none()).map(|s| truncate(s)).collect();
    if !unknown.is_empty() {
        errors.push(qid, format!("show_if names options that `{}` does not have: {}", target.id, unknown.join(", ")));
        return None;
    }
    Some(Rule { question: position, any_of: rule.any_of.clone() })
}

#[derive(Clone, Copy)]
enum IdKind {
    Question,
    Option,
}

/// Ids end up in URLs, HTML ids, CSV headers and SQL values, so they are kept to a small safe alphabet.
fn is_safe_id(id: &str, kind: IdKind) -> bool {
    let mut chars = id.chars();
    let first_ok = match (chars.next(), kind) {
        (Some(c), IdKind::Question) => c.is_ascii_lowercase(),
        (Some(c), IdKind::Option) => c.is_ascii_lowercase() || c.is_ascii_digit(),
        (None, _) => false,
    };
    first_ok && id.len() <= MAX_ID_LEN && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn check_slug(slug: &str, errors: &mut DefinitionErrors) {
    let ok = slug.len() <= MAX_ID_LEN
        && slug.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !ok {
        errors.push(
            None,
            "the survey id must use only lowercase letters, digits and - (at most 63), as it appears in the web address",
        );
    }
}

fn check_text(
    question: Option<&str>,
    field: &str,
    text: &str,
    max: usize,
    required: bool,
    errors: &mut DefinitionErrors,
) {
    if required && text.trim().is_empty() {
        errors.push(question, format!("{field} cannot be empty"));
    }
    if text.chars().count() > max {
        errors.push(question, format!("{field} is longer than {max} characters"));
    }
    if !crate::db::is_storable_text(text) {
        errors.push(question, format!("{field} contains a control character (such as NUL); remove it"));
    }
}

/// Keeps a hostile id from flooding an error message.
fn truncate(s: &str) -> &str {
    match s.char_indices().nth(40) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

// ---------------------------------------------------------------------------------------------
// The survey in other languages.

/// The survey in `language`: the same questions, options and rules, with the translation's text
/// where it has some and the survey's own where it does not. The app's words inside a survey
/// ("Prefer not to say", "Select an answer") come in the language too, where the app has them.
fn translate(survey: &Survey, language: &Language, translation: &Translation) -> Survey {
    let mut translated = survey.clone();
    let definition = translated.definition_mut();
    if let Some(title) = &translation.title {
        definition.title = title.clone();
    }
    if !translation.intro.is_empty() {
        definition.intro = translation.intro.clone();
    }
    definition.signposting = definition.signposting.overlaid(&translation.signposting);
    let generated_errors: Vec<bool> = definition.questions.iter().map(|q| q.error.is_none()).collect();
    for (question, generated_error) in translated.questions_mut().iter_mut().zip(generated_errors) {
        translation::localise_words(question, language, generated_error);
        let Some(text) = translation.questions.get(&question.id) else { continue };
        translation::overlay(&mut question.text, &text.text);
        if question.hint.is_some() {
            translation::overlay_option(&mut question.hint, &text.hint);
        }
        if question.section.is_some() {
            translation::overlay_option(&mut question.section, &text.section);
        }
        translation::overlay(&mut question.error, &text.error);
        for option in &mut question.options {
            translation::overlay(&mut option.label, &text.options.get(&option.id).cloned());
            if option.hint.is_some() {
                translation::overlay_option(&mut option.hint, &text.option_hints.get(&option.id).cloned());
            }
        }
    }
    translated
}

/// How residents choose a language: its tag and its name in itself.
#[derive(Debug, Clone, PartialEq)]
pub struct Offered {
    pub language: Language,
    pub name: String,
}

fn offered(language: &Language, translation: Option<&Translation>) -> Offered {
    let name = translation
        .and_then(|t| t.name.clone())
        .or_else(|| language.known_name().map(str::to_owned))
        .unwrap_or_else(|| language.to_string());
    Offered { language: language.clone(), name }
}

/// Translations by language, for the survey's own table of them.
pub type ByLanguage = BTreeMap<Language, Arc<Survey>>;

// ---------------------------------------------------------------------------------------------
// Errors that name the question and the fault.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefinitionError {
    pub question: Option<String>,
    pub message: String,
}

impl fmt::Display for DefinitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.question {
            Some(q) => write!(f, "question `{}`: {}", truncate(q), self.message),
            None => write!(f, "survey: {}", self.message),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DefinitionErrors(pub Vec<DefinitionError>);

impl DefinitionErrors {
    pub(super) fn one(question: Option<&str>, message: impl Into<String>) -> Self {
        let mut errors = DefinitionErrors::default();
        errors.push(question, message);
        errors
    }

    fn push(&mut self, question: Option<&str>, message: impl Into<String>) {
        self.0.push(DefinitionError { question: question.map(str::to_owned), message: message.into() });
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for DefinitionErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for DefinitionErrors {}
