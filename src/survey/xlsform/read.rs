//! Reading an XLSForm's sheets into a definition. What the service can hold is kept; what it
//! cannot is left out and said, row by row, in [`Note`]s that the draft's page lists, so that an
//! admin reviews the draft before it goes live. A file is refused only when it is unsafe (see
//! [`super::sheet`]) or nothing usable is left.

use super::sheet::{Refusal, Sheet, check_size, read_sheet, refuse};
use super::{CHOICE_COLUMNS, SETTINGS_COLUMNS, SURVEY_COLUMNS};
use crate::i18n::Language;
use crate::survey::document::{Definition, OptionDef, QuestionDef, QuestionText, ShowIfDef, Signposting, Translation};
use crate::survey::{Dates, Keep, MAX_OPTIONS, MAX_QUESTIONS, RESERVED_OPTION_IDS};
use std::collections::{BTreeMap, HashMap};
use std::io::Cursor;

/// Something the form has that the draft does not keep: where, and what became of it, in words
/// ("the question `total` was left out"). The same shape as a refusal.
pub type Note = Refusal;

/// A form read as a draft, and what it had that the draft does not keep.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub definition: Definition,
    pub notes: Vec<Note>,
}

/// The language of a column suffix: `cymraeg (cy)` (the code in brackets, as XLSForm writes it),
/// a bare code such as `cy`, or a language's name alone (`english`, `welsh`, `cymraeg`).
pub(super) fn tag_of(suffix: &str) -> Option<Language> {
    match suffix.trim().rsplit_once('(') {
        Some((name, code)) => {
            let code = code.strip_suffix(')')?;
            Language::variant_named(name, code).or_else(|| Language::parse(code))
        }
        // A name this service cannot place is kept as unnamed, for the admin to name on the draft's page.
        None => Language::from_words(suffix).or_else(|| Language::unnamed(suffix)),
    }
}

/// A cell's text in each of the form's other languages (`None` where it is empty).
type InLanguages = Vec<(Language, Option<String>)>;

/// A choice's label and hint in one of the other languages.
struct OptionText {
    list: String,
    option: String,
    language: Language,
    label: Option<String>,
    hint: Option<String>,
}

/// The languages of a form: its own (the plain `label` column's, or the one settings'
/// `default_language` names) and the others its `label::…` columns are in, with their names.
struct Languages {
    own: Language,
    others: Vec<(Language, String)>,
}

impl Languages {
    /// A translation for each other language, with only its name (where the service does not know
    /// the language's name in itself).
    fn empty_translations(&self) -> BTreeMap<String, Translation> {
        self.others
            .iter()
            .map(|(l, name)| {
                let mut name = name.clone();
                if let Some(first) = name.get(..1) {
                    name = first.to_uppercase() + &name[1..];
                }
                let name = l.known_name().is_none().then_some(name).filter(|n| !n.is_empty());
                (l.to_string(), Translation { name, ..Translation::default() })
            })
            .collect()
    }

    /// The form's languages from its label columns. A language this service cannot name is kept
    /// unnamed and noted (the draft's page asks which it is); a second column in one language is
    /// left out and noted; no label column at all leaves nothing to ask.
    fn read(survey: &Sheet, settings: Option<&Sheet>, notes: &mut Vec<Note>) -> Result<Languages, Refusal> {
        let mut tagged: Vec<(Language, String)> = Vec::new();
        for header in &survey.header {
            let Some(suffix) = header.strip_prefix("label::") else { continue };
            let Some(language) = tag_of(suffix) else {
                notes.push(refuse("survey", 1, header, "this column names no language, so its labels were left out"));
                continue;
            };
            if !language.is_named() {
                notes.push(refuse(
                    "survey",
                    1,
                    header,
                    "this service cannot tell which language this is: its text is kept, and the draft's page asks which language it is before the draft can be published",
                ));
            }
            if tagged.iter().any(|(l, _)| *l == language) {
                notes.push(refuse("survey", 1, header, format!("a second label column in {language}: left out")));
                continue;
            }
            let name = suffix.rsplit_once('(').map_or(suffix, |(name, _)| name).trim().to_owned();
            tagged.push((language, name));
        }
        let plain = survey.column("label").is_some();
        if !plain && tagged.is_empty() {
            return Err(refuse("survey", 1, "label", "there is no label column, so there is nothing to ask"));
        }
        let named = settings
            .and_then(|s| s.rows.first().map(|(_, row)| s.cell(row, "default_language").to_owned()))
            .filter(|d| !d.is_empty());
        // pyxform calls the plain columns' language "default": it says nothing.
        let named = named.filter(|d| !d.eq_ignore_ascii_case("default")).and_then(|d| {
            let language = tag_of(&d.to_lowercase());
            match &language {
                None => notes.push(refuse(
                    "settings",
                    2,
                    "default_language",
                    format!("{d:?} names no language: the form's own language is taken from its label columns"),
                )),
                Some(l) if !l.is_named() && plain => notes.push(refuse(
                    "settings",
                    2,
                    "default_language",
                    "this service cannot tell which language this is: the draft's page asks which language it is before the draft can be published",
                )),
                Some(_) => {}
            }
            language
        });
        let own = match (plain, named) {
            (true, named) => named.unwrap_or_else(Language::english),
            (false, Some(named)) if tagged.iter().any(|(l, _)| *l == named) => named,
            (false, named) => {
                if let Some(named) = named {
                    notes.push(refuse(
                        "settings",
                        2,
                        "default_language",
                        format!("there is no label column in {named}: the form's own language is {}", tagged[0].0),
                    ));
                }
                tagged[0].0.clone()
            }
        };
        if plain && tagged.iter().any(|(l, _)| *l == own) {
            notes.push(refuse(
                "survey",
                1,
                "label",
                format!("both label and a label::… column are in {own}: the plain label column is kept"),
            ));
        }
        let others = tagged.into_iter().filter(|(l, _)| *l != own).collect();
        Ok(Languages { own, others })
    }

    /// Notes each translated column in a language the form has no labels in: its text is left out.
    fn check(&self, sheet: &Sheet, notes: &mut Vec<Note>) {
        // The columns a language can be given for (on the survey sheet, the label columns are the
        // languages themselves); `bind::…`, `media::…` and the like are something else.
        const TRANSLATABLE: [&str; 12] = [
            "label",
            "hint",
            "required_message",
            "constraint_message",
            "image",
            "form_title",
            "translated_title",
            "signpost_skills",
            "signpost_confidence",
            "signpost_motivation",
            "signpost_access",
            "signpost_general",
        ];
        for header in sheet.header.iter().filter(|h| h.contains("::")) {
            let (base, suffix) = header.split_once("::").unwrap_or_default();
            if !TRANSLATABLE.contains(&base) || (sheet.name == "survey" && base == "label") {
                continue;
            }
            match tag_of(suffix) {
                Some(l) if l == self.own || self.others.iter().any(|(o, _)| *o == l) => {}
                _ if sheet.rows.is_empty() => {}
                _ => notes.push(refuse(
                    sheet.name,
                    1,
                    header,
                    "there is no label column in this language on the survey sheet, so this column was left out",
                )),
            }
        }
    }
}

fn optional(value: &str) -> Option<String> {
    (!value.is_empty()).then(|| value.to_owned())
}

/// `${q} = 'x'` and `selected(${q}, 'x')` terms joined by `or`, all about one question.
pub(super) fn parse_relevant(expression: &str) -> Result<ShowIfDef, String> {
    let unsupported = || {
        "only ${question} = 'answer' or selected(${question}, 'answer'), joined by or, about one earlier question, can be followed here".to_owned()
    };
    let unquote = |s: &str| -> Option<String> {
        let s = s.trim();
        let quote = s.chars().next().filter(|c| *c == '\'' || *c == '"')?;
        s.strip_prefix(quote)?.strip_suffix(quote).filter(|inner| !inner.contains(quote)).map(str::to_owned)
    };
    let reference = |s: &str| -> Option<String> { s.trim().strip_prefix("${")?.strip_suffix('}').map(str::to_owned) };
    let mut question: Option<String> = None;
    let mut any_of = Vec::new();
    // Typographic quotes, as a word processor puts them in, read as plain ones.
    let expression = expression.replace(['\u{2018}', '\u{2019}'], "'").replace(['\u{201c}', '\u{201d}'], "\"");
    let normal = expression.split_whitespace().collect::<Vec<_>>().join(" ");
    for term in normal.split(" or ") {
        let term = term.trim();
        let (q, answer) = if let Some(args) = term.strip_prefix("selected(").and_then(|t| t.strip_suffix(')')) {
            let (q, a) = args.split_once(',').ok_or_else(unsupported)?;
            (reference(q).ok_or_else(unsupported)?, unquote(a).ok_or_else(unsupported)?)
        } else {
            let (q, a) = term.split_once('=').ok_or_else(unsupported)?;
            if q.ends_with(['!', '<', '>']) {
                return Err(unsupported());
            }
            (reference(q).ok_or_else(unsupported)?, unquote(a).ok_or_else(unsupported)?)
        };
        if question.get_or_insert_with(|| q.clone()) != &q {
            return Err(unsupported());
        }
        any_of.push(answer);
    }
    Ok(ShowIfDef { question: question.ok_or_else(unsupported)?, any_of })
}

pub(super) fn parse_constraint(expression: &str) -> Option<Constraint> {
    let normal: String = expression.chars().filter(|c| !c.is_whitespace()).collect();
    if let Some(n) = normal.strip_prefix("string-length(.)<=") {
        return n.parse().ok().map(Constraint::Length);
    }
    match normal.as_str() {
        ".<=today()" => return Some(Constraint::Dates(Dates::Past)),
        ".>=today()" => return Some(Constraint::Dates(Dates::Future)),
        _ => {}
    }
    let (mut min, mut max) = (None, None);
    for term in normal.split("and") {
        let number = |n: &str| n.parse::<f64>().ok().filter(|n| n.is_finite());
        if let Some(n) = term.strip_prefix(".>=") {
            min = Some(number(n)?);
        } else if let Some(n) = term.strip_prefix(".<=") {
            max = Some(number(n)?);
        } else {
            return None;
        }
    }
    Some(Constraint::Range { min, max })
}

/// What a form's `constraint` says that a question here keeps.
#[derive(Debug, PartialEq)]
pub(super) enum Constraint {
    /// `string-length(.) <= N`: a text's longest answer.
    Length(u32),
    /// `. >= A and . <= B`: a number's range.
    Range { min: Option<f64>, max: Option<f64> },
    /// `. <= today()` or `. >= today()`: a date's limit.
    Dates(Dates),
}

/// What becomes of a column this service does not keep, in words.
fn column_words(column: &str) -> &'static str {
    match column.split("::").next().unwrap_or(column) {
        "calculation" => "calculations are not kept",
        "default" => "default answers are not kept: every question starts unanswered",
        "choice_filter" => "choice filters are not kept: every choice is offered",
        "media" | "image" | "audio" | "video" => "pictures and recordings on questions are not kept",
        "read_only" => "read-only questions are not kept: every question can be answered",
        "repeat_count" => "repeats are not kept",
        "parameters" => "question parameters are not kept",
        "trigger" => "triggers are not kept",
        "instance_name" => "names for each set of answers are not kept",
        "submission_url" | "public_key" => "answers stay with this service: sending them elsewhere is not kept",
        "style" => "themes are not kept: the service has its own look",
        "filter" => "choice filters are not kept: every choice is offered",
        _ => "this column is not one this service keeps",
    }
}

/// A question's or a choice's name as an id here: lower case letters, digits and `_`, a question's
/// starting with a letter (`Q1` is `q1`, `Age-Group` is `age_group`, `1st` is `q_1st`).
fn id_of(name: &str, question: bool) -> String {
    let mut id: String = name
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_lowercase() || c.is_ascii_digit() { c } else { '_' })
        .collect();
    if question && !id.starts_with(|c: char| c.is_ascii_lowercase()) {
        id = format!("q_{id}");
    }
    // A choice's id starts with a letter or digit (`_150` is `150`).
    if !question {
        id = id.trim_start_matches('_').to_owned();
        if id.is_empty() {
            id = "option".to_owned();
        }
    }
    id.truncate(63);
    id
}

/// A form's id from its title or settings: lower case letters, digits and dashes.
fn slug_of(text: &str) -> String {
    // An id that is a web address already stays as it is.
    let valid = |s: &str| {
        s.len() <= 63
            && s.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
            && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    };
    if valid(text) {
        return text.to_owned();
    }
    let mut slug = String::new();
    for c in text.trim().to_lowercase().chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let mut slug = slug.trim_end_matches('-').to_owned();
    slug.truncate(63);
    slug.trim_end_matches('-').to_owned()
}

/// Reads an XLSForm into a draft's definition, with a note for each thing it has that the draft
/// does not keep. The definition's own checks ([`crate::survey::Survey::parse`]) come after, as
/// for any upload.
pub fn read(bytes: &[u8], file_name: Option<&str>) -> Result<Imported, Refusal> {
    check_size(bytes)?;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|_| refuse("file", 0, "", "it is not an .xlsx spreadsheet"))?;
    let survey = read_sheet(&mut book, "survey", true)?.expect("required");
    let choices = read_sheet(&mut book, "choices", false)?;
    let settings = read_sheet(&mut book, "settings", false)?;
    let mut notes = Vec::new();
    let languages = Languages::read(&survey, settings.as_ref(), &mut notes)?;
    for sheet in [Some(&survey), choices.as_ref(), settings.as_ref()].into_iter().flatten() {
        languages.check(sheet, &mut notes);
    }
    let own = languages.own.clone();
    let mut reading =
        Reading { translations: languages.empty_translations(), languages, notes, renamed: Vec::new(), more: 0 };
    for (sheet, known) in [
        (Some(&survey), &SURVEY_COLUMNS[..]),
        (choices.as_ref(), &CHOICE_COLUMNS[..]),
        (settings.as_ref(), &SETTINGS_COLUMNS[..]),
    ] {
        let Some(sheet) = sheet else { continue };
        for (column, rows) in sheet.unknown(known) {
            let message = format!("{} ({})", column_words(&column), rows_words(&rows));
            reading.note(sheet.name, 0, &column, message);
        }
    }
    let (lists, option_texts) = match &choices {
        Some(choices) => reading.choices(choices),
        None => (Vec::new(), Vec::new()),
    };
    let (intro, questions) = reading.questions(&survey, &lists, &option_texts);
    if questions.is_empty() {
        return Err(refuse(
            "survey",
            0,
            "",
            "no question in it is one this service can ask, so nothing is left to keep",
        ));
    }
    reading.say_renamed();
    let (id, title, minutes, signposting) = match &settings {
        Some(settings) => reading.settings(settings),
        None => (String::new(), String::new(), None, Signposting::default()),
    };
    // A title from the form's id, or a plain one, when it has none (the draft's editor changes it).
    let file = file_name.map(|n| n.rsplit_once('.').map_or(n, |(stem, _)| stem)).unwrap_or_default();
    let named = file.replace(['_', '-'], " ").trim().to_owned();
    let mut letters = named.chars();
    let named = letters.next().map(|first| first.to_uppercase().chain(letters).collect()).unwrap_or_default();
    let title =
        [title, id.clone(), named].into_iter().find(|t| !t.is_empty()).unwrap_or_else(|| "Imported form".into());
    let id = reading.address(&id, file, &title);
    // About three questions a minute when the form does not say.
    let minutes = minutes.unwrap_or_else(|| (questions.len() as u32).div_ceil(3).max(2));
    let language = (own != Language::english()).then(|| own.to_string());
    let definition =
        Definition { id, title, intro, minutes, language, questions, signposting, translations: reading.translations };
    // In the order a reader goes through the file: sheet by sheet, row by row.
    let rank = |sheet: &str| ["file", "survey", "choices", "settings"].iter().position(|s| *s == sheet).unwrap_or(4);
    reading.notes.sort_by_key(|n| (rank(&n.sheet), n.row));
    if reading.more > 0 {
        let message = format!("and {} more like these, not listed", reading.more);
        reading.notes.push(refuse("file", 0, "", message));
    }
    Ok(Imported { definition, notes: reading.notes })
}

/// What a survey sheet row is, from its `type` and `appearance` cells.
enum RowType<'a> {
    BeginGroup,
    EndGroup,
    BeginRepeat,
    EndRepeat,
    Note,
    /// A question: its kind, its choice list if it has one, and whether it adds an "Other" answer
    /// (`or_other`).
    Question(&'static str, Option<&'a str>, bool),
    /// Details a device records (when the form was started, its id): never asked, not collected.
    Metadata,
    /// A question this service cannot ask, and why, in words.
    LeftOut(String),
}

/// Device and time details a form records without asking.
const METADATA: [&str; 12] = [
    "start",
    "end",
    "today",
    "deviceid",
    "subscriberid",
    "simserial",
    "phonenumber",
    "username",
    "email",
    "audit",
    "start-geopoint",
    "caseid",
];

fn row_type<'a>(kind_cell: &[&'a str], written: &str) -> RowType<'a> {
    let left_out = |words: &str| RowType::LeftOut(words.to_owned());
    match kind_cell {
        ["begin", "group"] | ["begin_group"] => RowType::BeginGroup,
        ["end", "group"] | ["end_group"] => RowType::EndGroup,
        ["begin", "repeat"] | ["begin_repeat"] => RowType::BeginRepeat,
        ["end", "repeat"] | ["end_repeat"] => RowType::EndRepeat,
        ["note"] => RowType::Note,
        // Also as older forms write them: `select one from L`, `select all that apply from L`.
        ["select_one" | "select one from", list] => RowType::Question("single", Some(*list), false),
        ["select_one" | "select one from", list, "or_other"] => RowType::Question("single", Some(*list), true),
        ["select_multiple" | "select all that apply from", list] => RowType::Question("multiple", Some(*list), false),
        ["select_multiple" | "select all that apply from", list, "or_other"] => {
            RowType::Question("multiple", Some(*list), true)
        }
        ["text"] => RowType::Question("short_text", None, false),
        [kind] if METADATA.contains(kind) => RowType::Metadata,
        ["phone number" | "imei" | "uri:deviceid" | "uri:username" | "uri:email" | "uri:phonenumber"] => {
            RowType::Metadata
        }
        ["gps"] => left_out("locations are not asked here"),
        ["photo"] => left_out("files, pictures and recordings are not taken here"),
        ["osm"] => left_out("maps are not asked here"),
        ["select_one_external" | "select_multiple_external", ..] => {
            left_out("choices from another sheet are not kept: put them on the choices sheet to keep the question")
        }
        ["integer"] => RowType::Question("whole_number", None, false),
        ["decimal"] => RowType::Question("decimal", None, false),
        ["date"] => RowType::Question("date", None, false),
        ["range"] => left_out("a range is not asked here: a whole number with its smallest and largest is"),
        ["datetime" | "time"] => left_out("times are not asked here: dates are"),
        ["calculate"] => left_out("calculations are not kept"),
        ["geopoint" | "geotrace" | "geoshape"] => left_out("locations are not asked here"),
        ["image" | "audio" | "video" | "file" | "background-audio"] => {
            left_out("files, pictures and recordings are not taken here")
        }
        ["barcode"] => left_out("barcodes are not read here"),
        ["acknowledge"] => left_out("acknowledgements are not asked here"),
        ["rank", ..] => left_out("ranking is not asked here"),
        ["select_one_from_file" | "select_multiple_from_file", ..] => {
            left_out("choices from a file are not kept: put the choices on the choices sheet to keep the question")
        }
        ["hidden"] => left_out("hidden values are not kept"),
        [] => left_out("the row has no type"),
        _ => RowType::LeftOut(format!("{written:?} is not a question this service can ask")),
    }
}

/// A type cell's words, with the older multi-word forms (`select one from`, `select all that
/// apply from`, `phone number`) as one.
fn type_words(written: &str) -> Vec<&str> {
    for phrase in ["select one from", "select all that apply from", "phone number"] {
        if let Some(rest) = written.strip_prefix(phrase) {
            return std::iter::once(&written[..phrase.len()]).chain(rest.split_whitespace()).collect();
        }
    }
    written.split_whitespace().collect()
}

/// A choice list: its name, its choices, and each choice's id by the name the form gave it (for
/// conditions on its answers).
struct ChoiceList {
    name: String,
    options: Vec<OptionDef>,
    ids: HashMap<String, String>,
}

/// The choice lists, in the order they first appear.
type Lists = Vec<ChoiceList>;

/// The most notes a draft keeps: a form that would need more says how many more there were.
const MAX_NOTES: usize = 300;
/// The longest note, in characters (a name quoted in one may be long).
const MAX_NOTE_CHARS: usize = 400;

/// Reading one workbook: its languages, the translations filled in sheet by sheet, and the notes.
struct Reading {
    languages: Languages,
    translations: BTreeMap<String, Translation>,
    notes: Vec<Note>,
    /// Names made into ids here: (sheet, name, id).
    renamed: Vec<(&'static str, String, String)>,
    /// Notes past the most a draft keeps.
    more: usize,
}

impl Reading {
    fn note(&mut self, sheet: &str, row: usize, column: &str, message: impl Into<String>) {
        if self.notes.len() == MAX_NOTES {
            self.more += 1;
            return;
        }
        let cut = |text: String| match text.char_indices().nth(MAX_NOTE_CHARS) {
            Some((at, _)) => format!("{}\u{2026}", &text[..at]),
            None => text,
        };
        self.notes.push(refuse(sheet, row, &cut(column.to_owned()), cut(message.into())));
    }

    /// One note for each sheet's names made into ids (`Q1` is `q1`): conditions follow them, and
    /// the responses download heads its columns with them.
    fn say_renamed(&mut self) {
        for (sheet, what) in [("survey", "questions"), ("choices", "choices")] {
            let renamed: Vec<String> = self
                .renamed
                .iter()
                .filter(|(s, _, _)| *s == sheet)
                .map(|(_, name, id)| format!("{name:?} is `{id}`"))
                .collect();
            if renamed.is_empty() {
                continue;
            }
            let message = format!(
                "the names of {} {what} were made into ids here (lower case letters, digits and _): {}",
                renamed.len(),
                renamed.join(", ")
            );
            self.note(sheet, 0, "name", message);
        }
    }

    /// A yes-or-no cell; anything else is noted and read as no.
    fn yes(&mut self, sheet: &Sheet, number: usize, column: &str) -> bool {
        let row = sheet.rows.iter().find(|(n, _)| *n == number).map(|(_, r)| r.as_slice()).unwrap_or_default();
        let value = sheet.cell(row, column);
        match value.to_lowercase().as_str() {
            "" | "no" | "false" | "false()" | "0" => false,
            "yes" | "true" | "true()" | "1" => true,
            _ => {
                self.note(sheet.name, number, column, format!("{value:?} is not yes or no, so it is read as no"));
                false
            }
        }
    }

    /// Every other language's text of one row's `base` column: (language, its text).
    fn others(&self, sheet: &Sheet, row: &[String], base: &str) -> InLanguages {
        self.languages.others.iter().map(|(l, _)| (l.clone(), optional(sheet.text_in(row, base, l, false)))).collect()
    }

    fn translation(&mut self, language: &Language) -> &mut Translation {
        self.translations.get_mut(language.as_str()).expect("every other language")
    }

    /// Notes each cell of a row (a group, a note) in a column other than `allowed`: `what`'s
    /// `column` is not kept, and why.
    fn extra_cells(&mut self, sheet: &Sheet, number: usize, row: &[String], allowed: &[&str], what: &str) {
        for (i, _) in row.iter().enumerate().filter(|(_, v)| !v.trim().is_empty()) {
            let column = sheet.header.get(i).map_or("", String::as_str);
            if allowed.contains(&column) {
                continue;
            }
            let message = match (what, column) {
                ("a group", "relevant") => {
                    "the group's condition is not kept: its questions are asked of everyone".into()
                }
                ("a group", "appearance") => {
                    "the group's appearance is not kept: each question has a page of its own".into()
                }
                _ => format!("{what}'s {column} is not kept"),
            };
            self.note(sheet.name, number, column, message);
        }
    }

    /// The choices sheet: the lists, and each choice's text in the other languages. A choice
    /// without a list or a name is left out.
    fn choices(&mut self, choices: &Sheet) -> (Lists, Vec<OptionText>) {
        let own = self.languages.own.clone();
        let mut lists: Lists = Vec::new();
        let mut option_texts: Vec<OptionText> = Vec::new();
        // Each list naming a choice a second time: the row of the first, and how many.
        let mut twice: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        for (number, row) in &choices.rows {
            let number = *number;
            let (list, name) = (choices.cell(row, "list_name"), choices.cell(row, "name"));
            if list.is_empty() || name.is_empty() {
                let missing = if list.is_empty() { "list_name" } else { "name" };
                self.note("choices", number, missing, format!("a choice without its {missing} was left out"));
                continue;
            }
            let at = match lists.iter().position(|l| l.name == list) {
                Some(at) => at,
                None => {
                    lists.push(ChoiceList { name: list.to_owned(), options: Vec::new(), ids: HashMap::new() });
                    lists.len() - 1
                }
            };
            // A list with a choice filter may name a choice twice (one county in two states): with
            // the filter left out, the first is kept. Two names that make one id (`Yes`, `yes`)
            // are two choices: the second is numbered.
            if lists[at].ids.contains_key(name) {
                twice.entry(list.to_owned()).or_insert((number, 0)).1 += 1;
                continue;
            }
            let mut id = id_of(name, false);
            let taken = |id: &str| lists[at].options.iter().any(|o| o.id == id) || RESERVED_OPTION_IDS.contains(&id);
            if taken(&id) {
                id = (2..).map(|n| format!("{id}_{n}")).find(|candidate| !taken(candidate)).expect("a free number");
            }
            if id != name {
                self.renamed.push(("choices", name.to_owned(), id.clone()));
            }
            let picture = optional(choices.text_in(row, "image", &own, true))
                .map(|file| file.strip_suffix(".svg").map(str::to_owned).unwrap_or(file));
            let picture = picture.filter(|p| {
                let ours = crate::survey::picture_names().any(|n| n == p);
                if !ours {
                    self.note("choices", number, "image", "pictures are this service's own: this one is not kept");
                }
                ours
            });
            let option = OptionDef {
                id,
                label: choices.text_in(row, "label", &own, true).to_owned(),
                hint: optional(choices.text_in(row, "hint", &own, true)),
                barriers: choices
                    .cell(row, "barriers")
                    .split([' ', ','])
                    .filter(|b| !b.is_empty())
                    .map(str::to_owned)
                    .collect(),
                exclusive: self.yes(choices, number, "exclusive"),
                other: self.yes(choices, number, "other"),
                // XLSForm's `image` names a media file: ours are `NAME.svg`.
                picture,
            };
            let hints = self.others(choices, row, "hint");
            for ((language, label), (_, hint)) in self.others(choices, row, "label").into_iter().zip(hints) {
                option_texts.push(OptionText {
                    list: list.to_owned(),
                    option: option.id.clone(),
                    language,
                    label,
                    hint,
                });
            }
            lists[at].ids.insert(name.to_owned(), option.id.clone());
            lists[at].options.push(option);
        }
        for (list, (first, n)) in twice {
            let message = format!(
                "the list `{list}` names {n} choices a second time (a filtered list): the first of each is kept"
            );
            self.note("choices", first, "name", message);
        }
        (lists, option_texts)
    }

    /// The survey sheet: the introduction (notes before the first question) and the questions,
    /// each with its text in the other languages. What cannot be asked is left out and noted, and
    /// so is a condition on a question left out.
    fn questions(
        &mut self,
        survey: &Sheet,
        lists: &Lists,
        option_texts: &[OptionText],
    ) -> (Vec<String>, Vec<QuestionDef>) {
        let own = self.languages.own.clone();
        let label_columns: Vec<String> =
            survey.header.iter().filter(|h| *h == "label" || h.starts_with("label::")).cloned().collect();
        let allowed: Vec<&str> = label_columns.iter().map(String::as_str).chain(["type", "name"]).collect();
        let mut intro = Vec::new();
        let mut questions: Vec<QuestionDef> = Vec::new();
        // Each kept question by the name the form gave it: its id here, and its choice list.
        let mut names: HashMap<String, (String, Option<usize>)> = HashMap::new();
        // The open groups: each one's row, label, and label in each other language.
        let mut groups: Vec<(usize, String, InLanguages)> = Vec::new();
        // An open repeat: its row, how many repeats are open inside it, and the questions in it.
        let mut repeat: Option<(usize, usize, Vec<String>)> = None;
        let mut metadata = Vec::new();
        for (number, row) in &survey.rows {
            let number = *number;
            let cell = |name: &str| survey.cell(row, name);
            let written = cell("type").split_whitespace().collect::<Vec<_>>().join(" ");
            let kind_cell = type_words(&written);
            let kind = row_type(&kind_cell, cell("type"));
            if let Some((opened, depth, inside)) = &mut repeat {
                match kind {
                    RowType::BeginRepeat => *depth += 1,
                    RowType::EndRepeat if *depth > 0 => *depth -= 1,
                    RowType::EndRepeat => {
                        let (opened, inside) = (*opened, std::mem::take(inside));
                        repeat = None;
                        self.note("survey", opened, "type", repeat_words(&inside));
                    }
                    RowType::Question(..) | RowType::LeftOut(_) if !cell("name").is_empty() => {
                        inside.push(cell("name").to_owned())
                    }
                    _ => {}
                }
                continue;
            }
            let (kind, list, or_other) = match kind {
                RowType::BeginRepeat => {
                    repeat = Some((number, 0, Vec::new()));
                    continue;
                }
                RowType::EndRepeat => {
                    self.note("survey", number, "type", "end repeat without begin repeat: passed over");
                    continue;
                }
                RowType::BeginGroup => {
                    self.extra_cells(survey, number, row, &allowed, "a group");
                    if let Some((outer, _, _)) = groups.first() {
                        let message = format!(
                            "a group inside the group begun on row {outer}: its questions keep the outer group's heading"
                        );
                        self.note("survey", number, "type", message);
                    }
                    groups.push((
                        number,
                        survey.text_in(row, "label", &own, true).to_owned(),
                        self.others(survey, row, "label"),
                    ));
                    continue;
                }
                RowType::EndGroup => {
                    if groups.pop().is_none() {
                        self.note("survey", number, "type", "end group without begin group: passed over");
                    }
                    continue;
                }
                RowType::Note if questions.is_empty() && groups.is_empty() => {
                    self.extra_cells(survey, number, row, &allowed, "an introduction note");
                    // A language may say in more paragraphs what another says in fewer: a note can
                    // have text in some languages only.
                    intro.extend(optional(survey.text_in(row, "label", &own, true)));
                    for (language, text) in self.others(survey, row, "label") {
                        self.translation(&language).intro.extend(text);
                    }
                    continue;
                }
                RowType::Note => ("note", None, false),
                RowType::Metadata => {
                    metadata.push(number);
                    continue;
                }
                RowType::LeftOut(words) => {
                    let message = match cell("name") {
                        "" => words,
                        name => format!("{words}: the question `{name}` was left out"),
                    };
                    self.note("survey", number, "type", message);
                    continue;
                }
                RowType::Question(kind, list, or_other) => (kind, list, or_other),
            };
            let name = cell("name");
            if name.is_empty() || names.contains_key(name) {
                let message = if name.is_empty() {
                    "a question without a name was left out".to_owned()
                } else {
                    format!("a second question named `{name}` was left out")
                };
                self.note("survey", number, "name", message);
                continue;
            }
            // Two names that make one id (`Q1`, `q1`) are two questions: the second is numbered.
            let mut id = id_of(name, true);
            if questions.iter().any(|q| q.id == id) {
                id = (2..).map(|n| format!("{id}_{n}")).find(|c| !questions.iter().any(|q| q.id == *c)).expect("free");
            }
            // Our own column makes a text a postcode question.
            let (kind, keep) = match (kind, cell("postcode")) {
                // The sector is what a postcode keeps unless it says otherwise.
                ("short_text", "sector") => ("postcode", None),
                ("short_text", "ward") => ("postcode", Some(Keep::Ward)),
                (kind, _) => (kind, None),
            };
            let fills = optional(cell("fills")).filter(|_| kind == "postcode").map(|name| id_of(&name, true));
            let kind = match (kind, cell("appearance").to_lowercase().as_str()) {
                ("single", "likert") => "scale",
                ("short_text", "multiline") => "long_text",
                (kind, "" | "minimal") => kind,
                (kind, other) => {
                    self.note("survey", number, "appearance", format!("the appearance {other:?} is not kept"));
                    kind
                }
            };
            let list_at = list.and_then(|list| lists.iter().position(|l| l.name == list));
            let mut options = match list {
                None => Vec::new(),
                Some(list) => match list_at {
                    Some(at) => lists[at].options.clone(),
                    None => {
                        let message = format!(
                            "there is no choice list {list:?} on the choices sheet: the question `{name}` was left out"
                        );
                        self.note("survey", number, "type", message);
                        continue;
                    }
                },
            };
            if or_other && !options.iter().any(|o| o.id == "other") {
                let multiple = kind == "multiple";
                options.push(OptionDef {
                    id: "other".into(),
                    label: "Other".into(),
                    hint: None,
                    barriers: Vec::new(),
                    exclusive: false,
                    other: multiple,
                    picture: None,
                });
                if !multiple {
                    self.note("survey", number, "type", "“Other” is kept as an answer; the box to write in is kept on questions with several answers only");
                }
            }
            if list.is_some() && !(2..=MAX_OPTIONS).contains(&options.len()) {
                let message = format!(
                    "a question here offers from 2 to {MAX_OPTIONS} answers, and this one has {}: the question `{name}` was left out",
                    options.len()
                );
                self.note("survey", number, "type", message);
                continue;
            }
            // A scale here is numbered answers going up by one.
            let numbered = options.iter().map(|o| o.id.parse::<i64>().ok()).collect::<Option<Vec<_>>>();
            let kind = match (kind, numbered) {
                ("scale", Some(n)) if n.windows(2).all(|w| w[1] == w[0] + 1) => "scale",
                ("scale", _) => {
                    let message = "the appearance \"likert\" is kept as a plain choice: a scale here is numbered answers going up by one";
                    self.note("survey", number, "appearance", message);
                    "single"
                }
                (kind, _) => kind,
            };
            let show_if = self.condition(number, cell("relevant"), &names, lists, &questions);
            let (mut max_length, mut min, mut max, mut dates) = (None, None, None, None);
            // A rule may name its own question (`${age} >= 16`) where others write `.`.
            let own_rule = cell("constraint").replace(&format!("${{{name}}}"), ".");
            match (cell("constraint"), parse_constraint(&own_rule)) {
                ("", _) => {}
                (_, Some(Constraint::Length(n))) if kind.ends_with("_text") => max_length = Some(n),
                (_, Some(Constraint::Range { min: low, max: high })) if matches!(kind, "whole_number" | "decimal") => {
                    (min, max) = (low, high)
                }
                (_, Some(Constraint::Dates(limit))) if kind == "date" => dates = Some(limit),
                (expression, _) => {
                    let message = format!(
                        "the rule {expression:?} is not kept, nor its message: only string-length(.) <= N on text, . >= A and . <= B on numbers and . <= today() or . >= today() on dates are"
                    );
                    self.note("survey", number, "constraint", message);
                }
            }
            let (texts, hints, errors) = (
                self.others(survey, row, "label"),
                self.others(survey, row, "hint"),
                self.others(survey, row, "required_message"),
            );
            for (((language, text), (_, hint)), (_, error)) in texts.into_iter().zip(hints).zip(errors) {
                let mut words = QuestionText { text, hint, error, ..QuestionText::default() };
                if let Some((_, _, sections)) = groups.first() {
                    words.section = sections.iter().find(|(l, _)| *l == language).and_then(|(_, t)| t.clone());
                }
                for text in option_texts.iter().filter(|t| Some(t.list.as_str()) == list && t.language == language) {
                    words.options.extend(text.label.clone().map(|label| (text.option.clone(), label)));
                    words.option_hints.extend(text.hint.clone().map(|hint| (text.option.clone(), hint)));
                }
                if words != QuestionText::default() {
                    self.translation(&language).questions.insert(id.clone(), words);
                }
            }
            names.insert(name.to_owned(), (id.clone(), list_at));
            if id != name {
                self.renamed.push(("survey", name.to_owned(), id.clone()));
            }
            questions.push(QuestionDef {
                id,
                kind: kind.to_owned(),
                text: survey.text_in(row, "label", &own, true).to_owned(),
                hint: optional(survey.text_in(row, "hint", &own, true)),
                section: groups.first().map(|(_, label, _)| label.clone()).filter(|l| !l.is_empty()),
                // A note asks for nothing, whatever its row says.
                required: kind != "note" && self.yes(survey, number, "required"),
                error: optional(survey.text_in(row, "required_message", &own, true)).filter(|_| kind != "note"),
                prefer_not_to_say: self.yes(survey, number, "prefer_not_to_say"),
                show_if,
                options,
                max_length,
                min,
                max,
                dates,
                keep,
                fills,
            });
        }
        if let Some((opened, _, inside)) = repeat {
            self.note("survey", opened, "type", format!("{} (it has no end repeat)", repeat_words(&inside)));
        }
        if let Some((opened, _, _)) = groups.first() {
            self.note("survey", *opened, "type", "this group has no end group: it is read as going on to the last row");
        }
        if !metadata.is_empty() {
            let message = format!(
                "details a device records (start, end, device id and the like) are not collected ({})",
                rows_words(&metadata)
            );
            self.note("survey", 0, "type", message);
        }
        if questions.len() > MAX_QUESTIONS {
            let left_out = questions.split_off(MAX_QUESTIONS);
            for t in self.translations.values_mut() {
                t.questions.retain(|id, _| !left_out.iter().any(|q| q.id == *id));
            }
            let message = format!(
                "a survey here asks at most {MAX_QUESTIONS} questions: the last {} were left out",
                left_out.len()
            );
            self.note("survey", 0, "type", message);
        }
        (intro, questions)
    }

    /// A question's condition, as far as it can be kept: about an earlier question kept, with
    /// its answers' ids. Otherwise noted, and the question asked of everyone.
    fn condition(
        &mut self,
        number: usize,
        expression: &str,
        names: &HashMap<String, (String, Option<usize>)>,
        lists: &Lists,
        questions: &[QuestionDef],
    ) -> Option<ShowIfDef> {
        if expression.is_empty() {
            return None;
        }
        let lost = |why: String| {
            format!("the condition {expression:?} is not kept ({why}): the question is asked of everyone")
        };
        let rule = match parse_relevant(expression) {
            Ok(rule) => rule,
            Err(why) => {
                self.note("survey", number, "relevant", lost(why));
                return None;
            }
        };
        let Some((question, Some(list))) = names.get(&rule.question) else {
            let why = format!("`{}` is not an earlier choice question that was kept", rule.question);
            self.note("survey", number, "relevant", lost(why));
            return None;
        };
        // Its answers by the names the form gave them; an answer the question does not offer is
        // no condition (a scale kept as a plain choice offers the same answers).
        let offered =
            |id: &String| questions.iter().any(|q| q.id == *question && q.options.iter().any(|o| o.id == *id));
        let (any_of, unknown): (Vec<_>, Vec<_>) = rule
            .any_of
            .iter()
            .map(|o| (o, lists[*list].ids.get(o).filter(|id| offered(id))))
            .partition(|(_, id)| id.is_some());
        if !unknown.is_empty() {
            let names: Vec<String> = unknown.iter().map(|(o, _)| format!("{o:?}")).collect();
            let why = format!("`{}` has no answer {}", rule.question, names.join(" or "));
            if any_of.is_empty() {
                self.note("survey", number, "relevant", lost(why));
                return None;
            }
            self.note(
                "survey",
                number,
                "relevant",
                format!("the condition {expression:?} keeps only the answers its question has ({why})"),
            );
        }
        Some(ShowIfDef {
            question: question.clone(),
            any_of: any_of.into_iter().filter_map(|(_, id)| id.cloned()).collect(),
        })
    }

    /// The settings sheet's first row: the form's id, title, minutes and signposting, in every
    /// language.
    fn settings(&mut self, settings: &Sheet) -> (String, String, Option<u32>, Signposting) {
        let own = self.languages.own.clone();
        let Some((number, row)) = settings.rows.first() else {
            return (String::new(), String::new(), None, Signposting::default());
        };
        let id = settings.cell(row, "form_id").to_owned();
        let title = settings.text_in(row, "form_title", &own, true).to_owned();
        let minutes = match settings.cell(row, "minutes") {
            "" => None,
            m => m.parse::<u32>().ok().or_else(|| {
                self.note(
                    "settings",
                    *number,
                    "minutes",
                    format!("{m:?} is not a whole number of minutes: the draft works it out"),
                );
                None
            }),
        };
        let signposts = |language: &Language, is_own: bool| {
            let sign = |b: &str| optional(settings.text_in(row, &format!("signpost_{b}"), language, is_own));
            Signposting {
                skills: sign("skills"),
                confidence: sign("confidence"),
                motivation: sign("motivation"),
                access: sign("access"),
                general: sign("general"),
            }
        };
        for (language, _) in self.languages.others.clone() {
            let t = self.translation(&language);
            t.title = optional(settings.text_in(row, "translated_title", &language, false))
                .or_else(|| optional(settings.text_in(row, "form_title", &language, false)));
            t.signposting = signposts(&language, false);
        }
        (id, title, minutes, signposts(&own, true))
    }

    /// The draft's address: the form's id as a web address or, without one, its file's name (as
    /// XLSForm tools name a form) or its title's.
    fn address(&mut self, id: &str, file: &str, title: &str) -> String {
        let (from, whose) = [(id, "form_id"), (file, "file's name"), (title, "title")]
            .into_iter()
            .find(|(text, _)| !slug_of(text).is_empty())
            .unwrap_or(("imported form", "nothing"));
        let slug = slug_of(from);
        if id.is_empty() {
            let message = format!("the form has no form_id: its address here is `{slug}`, made from its {whose}");
            self.note("settings", 0, "form_id", message);
        } else if slug != id {
            self.note("settings", 2, "form_id", format!("{id:?} is kept as the address `{slug}`"));
        }
        slug
    }
}

/// Rows in words, runs joined: "rows 3, 5 to 9 and 12".
fn rows_words(rows: &[usize]) -> String {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for row in rows {
        match runs.last_mut() {
            Some((_, last)) if *last + 1 == *row => *last = *row,
            _ => runs.push((*row, *row)),
        }
    }
    let words: Vec<String> =
        runs.iter().map(|(a, b)| if a == b { a.to_string() } else { format!("{a} to {b}") }).collect();
    let s = if rows.len() == 1 { "" } else { "s" };
    match words.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("row{s} {} and {last}", rest.join(", ")),
        _ => format!("row{s} {}", words.join("")),
    }
}

/// What became of a repeat's questions.
fn repeat_words(inside: &[String]) -> String {
    let names: Vec<String> = inside.iter().map(|n| format!("`{n}`")).collect();
    format!(
        "a repeat (questions asked again for each person or thing) is not kept: {} left out",
        if names.is_empty() {
            "nothing in it was".to_owned()
        } else {
            format!("{} {}", names.join(", "), if names.len() == 1 { "was" } else { "were" })
        }
    )
}
