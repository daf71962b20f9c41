//! XLSForm (xlsform.org), the spreadsheet format KoboToolbox and ODK surveys are designed in, read
//! into a [`Definition`] and written from one. The core of the spec maps onto our questions:
//!
//! | XLSForm | here |
//! | --- | --- |
//! | `select_one L` (`appearance` `likert`: a scale) | single choice (scale) |
//! | `select_multiple L` | multiple choice |
//! | `text` (`appearance` `multiline`: long) | short (long) text |
//! | `note` before the first question | a paragraph of the introduction |
//! | `begin group` … `end group` | the group's label as the section of each question in it |
//! | `required`, `required_message`, `hint` | the same |
//! | `relevant`: `${q} = 'x'` or `selected(${q}, 'x')`, joined by `or` | show-if |
//! | `constraint`: `string-length(.) <= N` | longest answer |
//! | choices `barriers`, `exclusive`, `other`, `hint`; survey `prefer_not_to_say` | ours (XLSForm allows extra columns) |
//! | settings `form_title`, `form_id`, `minutes`, `signpost_*` | title, id, minutes, signposting |
//! | `label::Cymraeg (cy)`, `hint::…`, `required_message::…` (and on choices and settings) | the survey in that language |
//! | settings `default_language` (`English (en)`) | the survey's own language |
//!
//! Anything else that carries a value (another type, an expression we cannot follow) is refused
//! with its sheet, row and column, never dropped. The file is untrusted: it is unzipped with a
//! limit before it is read (the sizes a zip declares can be false), the shared strings it
//! declares are counted before the reader makes room for them, every cell's text counts towards a
//! limit as it is read (one long shared string repeated in thousands of cells would otherwise be
//! copied thousands of times), and cells are read as the values the spreadsheet saved, so a
//! formula is never evaluated.

use super::document::{Definition, OptionDef, QuestionDef, QuestionText, ShowIfDef, Signposting, Translation};
use crate::i18n::Language;
use calamine::{Data, Reader};
use std::collections::BTreeMap;
use std::io::Cursor;

/// Largest spreadsheet accepted, zipped and unzipped.
pub const MAX_FILE_BYTES: usize = 2 * 1024 * 1024;
const MAX_UNZIPPED_BYTES: u64 = 20 * 1024 * 1024;
const MAX_ROWS: usize = 1_000;
const MAX_COLUMNS: usize = 100;
/// Longest text in one cell: far more than any label, hint or message.
const MAX_CELL_CHARS: usize = 10_000;
/// All the text of a sheet's cells together.
const MAX_SHEET_TEXT_BYTES: usize = 8 * 1024 * 1024;
/// Shared strings a form may declare: one for every cell it may have.
const MAX_SHARED_STRINGS: usize = MAX_ROWS * MAX_COLUMNS;

/// Whether `bytes` look like a spreadsheet (a zip) rather than a TOML or JSON document.
pub fn is_spreadsheet(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// Why a spreadsheet was refused: where, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub sheet: String,
    /// 1-based, as the spreadsheet numbers rows; 0 for the sheet as a whole.
    pub row: usize,
    pub column: String,
    pub message: String,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.row, self.column.is_empty()) {
            (0, _) => write!(f, "The {} sheet: {}", self.sheet, self.message),
            (row, true) => write!(f, "The {} sheet, row {row}: {}", self.sheet, self.message),
            (row, false) => write!(f, "The {} sheet, row {row}, column {}: {}", self.sheet, self.column, self.message),
        }
    }
}

fn refuse(sheet: &str, row: usize, column: &str, message: impl Into<String>) -> Refusal {
    Refusal { sheet: sheet.into(), row, column: column.into(), message: message.into() }
}

/// One sheet as text: its header names (lower case) and its non-empty rows with their numbers.
struct Sheet {
    name: &'static str,
    header: Vec<String>,
    rows: Vec<(usize, Vec<String>)>,
}

impl Sheet {
    fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    fn cell<'a>(&self, row: &'a [String], name: &str) -> &'a str {
        self.column(name).and_then(|i| row.get(i)).map_or("", |s| s.trim())
    }

    /// Refuses any column not in `known` (or a `label::…`-style translation of one) that has a value.
    fn only(&self, known: &[&str]) -> Result<(), Refusal> {
        for (i, name) in self.header.iter().enumerate() {
            let base = name.split("::").next().unwrap_or_default();
            if known.contains(&name.as_str()) || (name.contains("::") && known.contains(&base)) {
                continue;
            }
            if let Some((row, _)) =
                self.rows.iter().find(|(_, cells)| cells.get(i).is_some_and(|c| !c.trim().is_empty()))
            {
                return Err(refuse(
                    self.name,
                    *row,
                    name,
                    "this column is not one this service can keep, so the form would change; take it out",
                ));
            }
        }
        Ok(())
    }

    /// The column holding `base` in `language`: the plain column for the survey's own language
    /// when there is one, else `base::Name (tag)` for the language.
    fn text_column(&self, base: &str, language: &Language, own: bool) -> Option<String> {
        if own && self.column(base).is_some() {
            return Some(base.to_owned());
        }
        let prefix = format!("{base}::");
        self.header.iter().find(|h| h.strip_prefix(&prefix).and_then(tag_of).is_some_and(|l| l == *language)).cloned()
    }

    /// The cell of `base` in `language`, empty when the sheet has no such column.
    fn text_in<'a>(&self, row: &'a [String], base: &str, language: &Language, own: bool) -> &'a str {
        self.text_column(base, language, own).map_or("", |column| self.cell(row, &column))
    }
}

fn text(cell: &Data) -> Result<String, String> {
    Ok(match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(true) => "yes".into(),
        Data::Bool(false) => "no".into(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::DateTime(_) => return Err("a date is not something a form holds here".into()),
        Data::Error(e) => return Err(format!("the cell holds an error ({e:?})")),
    })
}

fn read_sheet<R: std::io::Read + std::io::Seek>(
    book: &mut calamine::Xlsx<R>,
    name: &'static str,
    required: bool,
) -> Result<Option<Sheet>, Refusal> {
    let Some(found) = book.sheet_names().into_iter().find(|s| s.trim().eq_ignore_ascii_case(name)) else {
        return if required { Err(refuse(name, 0, "", "there is no sheet with this name")) } else { Ok(None) };
    };
    // Cells are read one by one and only those with a value kept: a grid from A1 to a far corner
    // would take gigabytes for a file of a few bytes.
    let unreadable = |e: calamine::XlsxError| refuse(name, 0, "", format!("it could not be read ({e})"));
    let mut reader = book.worksheet_cells_reader(&found).map_err(unreadable)?;
    let mut cells: std::collections::BTreeMap<usize, Vec<(usize, Data)>> = std::collections::BTreeMap::new();
    let mut text_bytes = 0;
    while let Some(cell) = reader.next_cell().map_err(unreadable)? {
        let (row, column) = cell.get_position();
        let (row, column) = (row as usize + 1, column as usize);
        if row > MAX_ROWS + 1 || column >= MAX_COLUMNS {
            return Err(refuse(name, row, "", format!("a form has at most {MAX_ROWS} rows and {MAX_COLUMNS} columns")));
        }
        // Measured before it is copied: a shared string is only borrowed until then.
        let length = match cell.get_value() {
            calamine::DataRef::SharedString(s) => s.len(),
            calamine::DataRef::String(s) | calamine::DataRef::DateTimeIso(s) | calamine::DataRef::DurationIso(s) => {
                s.len()
            }
            _ => 0,
        };
        if length > MAX_CELL_CHARS * 4 || (length > MAX_CELL_CHARS && cell_chars(cell.get_value()) > MAX_CELL_CHARS) {
            return Err(refuse(
                name,
                row,
                &column_letter(column),
                format!("a cell holds at most {MAX_CELL_CHARS} characters"),
            ));
        }
        text_bytes += length;
        if text_bytes > MAX_SHEET_TEXT_BYTES {
            return Err(refuse(
                name,
                row,
                "",
                format!(
                    "its cells hold more than {} MB of text, far more than a form needs",
                    MAX_SHEET_TEXT_BYTES / 1024 / 1024
                ),
            ));
        }
        let value = Data::from(cell.get_value().clone());
        if matches!(value, Data::Empty) {
            continue;
        }
        cells.entry(row).or_default().push((column, value));
    }
    let mut rows = cells.into_iter().map(|(number, cells)| {
        let width = cells.iter().map(|(c, _)| c + 1).max().unwrap_or(0);
        let mut row = vec![Data::Empty; width];
        for (c, value) in cells {
            row[c] = value;
        }
        (number, row)
    });
    let Some((header_row, header)) = rows.next() else {
        return Ok(Some(Sheet { name, header: Vec::new(), rows: Vec::new() }));
    };
    if matches!(header.first(), None | Some(Data::Empty)) {
        return Err(refuse(name, header_row, "A", "the header row starts in column A"));
    }
    let header: Vec<String> = header
        .iter()
        .map(|c| text(c).unwrap_or_default().trim().to_lowercase().replace("list name", "list_name"))
        .collect();
    let mut sheet = Sheet { name, header, rows: Vec::new() };
    for (number, cells) in rows {
        let mut row = Vec::with_capacity(cells.len());
        for (i, cell) in cells.iter().enumerate() {
            let column = sheet.header.get(i).cloned().unwrap_or_default();
            row.push(text(cell).map_err(|message| refuse(name, number, &column, message))?);
        }
        if row.iter().any(|c| !c.trim().is_empty()) {
            sheet.rows.push((number, row));
        }
    }
    Ok(Some(sheet))
}

/// The characters in a cell's text.
fn cell_chars(value: &calamine::DataRef<'_>) -> usize {
    match value {
        calamine::DataRef::SharedString(s) => s.chars().count(),
        calamine::DataRef::String(s) => s.chars().count(),
        _ => 0,
    }
}

/// A column's letters, as a spreadsheet shows them (0 is A).
fn column_letter(column: usize) -> String {
    let mut letters = Vec::new();
    let mut n = column + 1;
    while n > 0 {
        letters.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// Unzips every entry with a limit before the spreadsheet is read, so that a small file that
/// unpacks to gigabytes is refused here, whatever sizes it declares; and refuses more shared
/// strings declared than a form can use (the reader makes room for as many as are declared).
fn check_size(bytes: &[u8]) -> Result<(), Refusal> {
    let whole = || refuse("file", 0, "", "it is not an .xlsx spreadsheet");
    let too_big = || refuse("file", 0, "", "it unpacks to far more than a form needs");
    if bytes.len() > MAX_FILE_BYTES {
        return Err(refuse("file", 0, "", format!("it is larger than {} MB", MAX_FILE_BYTES / 1024 / 1024)));
    }
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| whole())?;
    if archive.len() > 200 {
        return Err(too_big());
    }
    let mut total = 0u64;
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(|_| whole())?;
        let shared = entry.name().ends_with("sharedStrings.xml");
        let mut limited = std::io::Read::take(&mut entry, MAX_UNZIPPED_BYTES - total + 1);
        let mut texts = LongestText::default();
        if shared {
            let mut start = Vec::new();
            std::io::Read::read_to_end(&mut std::io::Read::take(&mut limited, 4096), &mut start)
                .map_err(|_| whole())?;
            if declared_strings(&start).is_none_or(|n| n > MAX_SHARED_STRINGS) {
                return Err(refuse(
                    "file",
                    0,
                    "",
                    format!("it declares more than {MAX_SHARED_STRINGS} different texts, more than a form can hold"),
                ));
            }
            texts.feed(&start);
            total += start.len() as u64;
        }
        let mut buffer = vec![0u8; 64 * 1024];
        loop {
            let read = std::io::Read::read(&mut limited, &mut buffer).map_err(|_| whole())?;
            if read == 0 {
                break;
            }
            if shared {
                texts.feed(&buffer[..read]);
                // A text longer than any cell may hold is refused before the reader loads it.
                if texts.longest > MAX_CELL_CHARS * 4 + 1024 {
                    return Err(refuse("file", 0, "", format!("a cell holds at most {MAX_CELL_CHARS} characters")));
                }
            }
            total += read as u64;
            if total > MAX_UNZIPPED_BYTES {
                return Err(too_big());
            }
        }
    }
    Ok(())
}

/// The longest shared text (`<si>` … `</si>`, in bytes) in a shared strings part read in pieces.
#[derive(Default)]
struct LongestText {
    inside: bool,
    length: usize,
    longest: usize,
    /// The end of the last piece, where a tag may be cut in two.
    carry: Vec<u8>,
}

impl LongestText {
    fn feed(&mut self, piece: &[u8]) {
        let mut data = std::mem::take(&mut self.carry);
        data.extend_from_slice(piece);
        let mut i = 0;
        while i < data.len() {
            if data[i] == b'<' {
                if data.len() - i < 5 {
                    break;
                }
                if data[i..].starts_with(b"</si>") {
                    self.inside = false;
                    self.length = 0;
                    i += 5;
                    continue;
                }
                if data[i..].starts_with(b"<si>") || data[i..].starts_with(b"<si ") {
                    self.inside = true;
                    self.length = 0;
                    i += 3;
                    continue;
                }
            }
            if self.inside {
                self.length += 1;
                self.longest = self.longest.max(self.length);
            }
            i += 1;
        }
        self.carry = data[i..].to_vec();
    }
}

/// The `uniqueCount` (or `count`) the shared strings table declares in its opening tag, which
/// must be within the part's first bytes read (`None` otherwise: no spreadsheet writes it later).
fn declared_strings(start: &[u8]) -> Option<usize> {
    let text = String::from_utf8_lossy(start);
    let tag = &text[text.find("<sst")?..];
    let tag = &tag[..tag.find('>')?];
    let declared = ["uniqueCount=\"", "count=\""].iter().filter_map(|attribute| {
        let at = tag.find(attribute)? + attribute.len();
        tag[at..].split('"').next()?.trim().parse::<u128>().ok()
    });
    Some(declared.max().map_or(0, |n| usize::try_from(n).unwrap_or(usize::MAX)))
}

fn yes(sheet: &Sheet, number: usize, column: &str, value: &str) -> Result<bool, Refusal> {
    match value.to_lowercase().as_str() {
        "" | "no" | "false" | "false()" | "0" => Ok(false),
        "yes" | "true" | "true()" | "1" => Ok(true),
        _ => Err(refuse(sheet.name, number, column, format!("{value:?} must be yes or no"))),
    }
}

/// Refuses a row (a group, a note) that has something in a column other than `allowed`: a rule
/// or a hint there could not be kept.
fn only_cells(sheet: &Sheet, number: usize, row: &[String], allowed: &[&str], what: &str) -> Result<(), Refusal> {
    for (i, _) in row.iter().enumerate().filter(|(_, v)| !v.trim().is_empty()) {
        let column = sheet.header.get(i).map_or("", String::as_str);
        if !allowed.contains(&column) {
            return Err(refuse(
                sheet.name,
                number,
                column,
                format!("{what}'s {column} cannot be kept here: put it on each question instead"),
            ));
        }
    }
    Ok(())
}

/// The language of a column suffix: `cymraeg (cy)` (the code in brackets, as XLSForm writes it),
/// or a bare code such as `cy`.
fn tag_of(suffix: &str) -> Option<Language> {
    match suffix.trim().rsplit_once('(') {
        Some((name, code)) => {
            let code = code.strip_suffix(')')?;
            Language::variant_named(name, code).or_else(|| Language::parse(code))
        }
        None if suffix.len() <= 3 || suffix.contains('-') => Language::parse(suffix),
        None => None,
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
}

impl Languages {
    fn read(survey: &Sheet, settings: Option<&Sheet>) -> Result<Languages, Refusal> {
        let mut tagged: Vec<(Language, String)> = Vec::new();
        for header in &survey.header {
            let Some(suffix) = header.strip_prefix("label::") else { continue };
            let language = tag_of(suffix).ok_or_else(|| {
                refuse("survey", 1, header, "name the language with its code in brackets, like label::Cymraeg (cy)")
            })?;
            if tagged.iter().any(|(l, _)| *l == language) {
                return Err(refuse("survey", 1, header, format!("a second label column in {language}")));
            }
            let name = suffix.rsplit_once('(').map_or(suffix, |(name, _)| name).trim().to_owned();
            tagged.push((language, name));
        }
        let plain = survey.column("label").is_some();
        if !plain && tagged.is_empty() {
            return Err(refuse("survey", 1, "label", "there is no label column"));
        }
        let named = settings
            .and_then(|s| s.rows.first().map(|(_, row)| s.cell(row, "default_language").to_owned()))
            .filter(|d| !d.is_empty());
        let named = match named {
            None => None,
            Some(d) => Some(tag_of(&d.to_lowercase()).ok_or_else(|| {
                refuse(
                    "settings",
                    2,
                    "default_language",
                    "name the language with its code in brackets, like English (en)",
                )
            })?),
        };
        let own = match (plain, named) {
            (true, named) => named.unwrap_or_else(Language::english),
            (false, Some(named)) if tagged.iter().any(|(l, _)| *l == named) => named,
            (false, Some(named)) => {
                return Err(refuse("settings", 2, "default_language", format!("there is no label column in {named}")));
            }
            (false, None) => tagged[0].0.clone(),
        };
        if plain && tagged.iter().any(|(l, _)| *l == own) {
            return Err(refuse(
                "survey",
                1,
                "label",
                format!("both label and a label::… column are in {own}: keep one"),
            ));
        }
        let others = tagged.into_iter().filter(|(l, _)| *l != own).collect();
        Ok(Languages { own, others })
    }

    /// Refuses a translated column in a language the form has no labels in: its text would be lost.
    fn check(&self, sheet: &Sheet) -> Result<(), Refusal> {
        for header in sheet.header.iter().filter(|h| h.contains("::")) {
            let suffix = header.split_once("::").map_or("", |(_, s)| s);
            let language = tag_of(suffix).ok_or_else(|| {
                refuse(sheet.name, 1, header, "name the language with its code in brackets, like hint::Cymraeg (cy)")
            })?;
            if language != self.own && !self.others.iter().any(|(l, _)| *l == language) {
                return Err(refuse(
                    sheet.name,
                    1,
                    header,
                    format!("there is no label column in {language} on the survey sheet"),
                ));
            }
        }
        Ok(())
    }
}

fn optional(value: &str) -> Option<String> {
    (!value.is_empty()).then(|| value.to_owned())
}

/// `${q} = 'x'` and `selected(${q}, 'x')` terms joined by `or`, all about one question.
fn parse_relevant(expression: &str) -> Result<ShowIfDef, String> {
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

fn parse_constraint(expression: &str) -> Option<u32> {
    let normal: String = expression.chars().filter(|c| !c.is_whitespace()).collect();
    normal.strip_prefix("string-length(.)<=")?.parse().ok()
}

const SURVEY_COLUMNS: [&str; 11] = [
    "type",
    "name",
    "label",
    "hint",
    "required",
    "required_message",
    "relevant",
    "appearance",
    "constraint",
    "constraint_message",
    "prefer_not_to_say",
];
const CHOICE_COLUMNS: [&str; 8] = ["list_name", "name", "label", "hint", "image", "barriers", "exclusive", "other"];
const SETTINGS_COLUMNS: [&str; 11] = [
    "form_title",
    "translated_title",
    "form_id",
    "version",
    "default_language",
    "minutes",
    "signpost_skills",
    "signpost_confidence",
    "signpost_motivation",
    "signpost_access",
    "signpost_general",
];

/// Reads an XLSForm into a definition. The definition's own checks ([`super::Survey::parse`])
/// come after, as for any upload.
pub fn read(bytes: &[u8]) -> Result<Definition, Refusal> {
    check_size(bytes)?;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|_| refuse("file", 0, "", "it is not an .xlsx spreadsheet"))?;
    let survey = read_sheet(&mut book, "survey", true)?.expect("required");
    let choices = read_sheet(&mut book, "choices", false)?;
    let settings = read_sheet(&mut book, "settings", false)?;
    survey.only(&SURVEY_COLUMNS)?;
    let languages = Languages::read(&survey, settings.as_ref())?;
    for sheet in [Some(&survey), choices.as_ref(), settings.as_ref()].into_iter().flatten() {
        languages.check(sheet)?;
    }
    let own = languages.own.clone();
    let mut reading = Reading { translations: languages.empty_translations(), languages };
    let (lists, option_texts) = match &choices {
        Some(choices) => reading.choices(choices)?,
        None => (Vec::new(), Vec::new()),
    };
    let (intro, questions) = reading.questions(&survey, &lists, &option_texts)?;
    let (id, title, minutes, signposting) = match &settings {
        Some(settings) => reading.settings(settings)?,
        None => (String::new(), String::new(), None, Signposting::default()),
    };
    if id.is_empty() {
        return Err(refuse(
            "settings",
            2,
            "form_id",
            "the form needs an id, the address residents see (like library-exit-2027)",
        ));
    }
    // About three questions a minute when the form does not say.
    let minutes = minutes.unwrap_or_else(|| (questions.len() as u32).div_ceil(3).max(2));
    let language = (own != Language::english()).then(|| own.to_string());
    Ok(Definition { id, title, intro, minutes, language, questions, signposting, translations: reading.translations })
}

/// What a survey sheet row is, from its `type` and `appearance` cells; `intro_allowed` while no
/// question or group has begun (a note is read only as the introduction).
fn row_type<'a>(
    kind_cell: &[&'a str],
    appearance: &str,
    number: usize,
    intro_allowed: bool,
    written: &str,
) -> Result<RowType<'a>, Refusal> {
    let appearance_refused = |kind: &str| {
        refuse("survey", number, "appearance", format!("{appearance:?} is not an appearance a {kind} can have here"))
    };
    Ok(match kind_cell {
        ["begin", "group"] | ["begin_group"] => RowType::BeginGroup,
        ["end", "group"] | ["end_group"] => RowType::EndGroup,
        ["note"] if intro_allowed => RowType::Note,
        ["note"] => {
            return Err(refuse(
                "survey",
                number,
                "type",
                "a note is read here only as the introduction, before the first question",
            ));
        }
        ["select_one", list] => match appearance {
            "" | "minimal" => RowType::Question("single", Some(*list)),
            "likert" => RowType::Question("scale", Some(*list)),
            _ => return Err(appearance_refused("choice")),
        },
        ["select_multiple", list] => match appearance {
            "" | "minimal" => RowType::Question("multiple", Some(*list)),
            _ => return Err(appearance_refused("choice")),
        },
        ["text"] => match appearance {
            "" => RowType::Question("short_text", None),
            "multiline" => RowType::Question("long_text", None),
            _ => return Err(appearance_refused("text")),
        },
        [] => return Err(refuse("survey", number, "type", "every row needs a type")),
        _ => {
            return Err(refuse(
                "survey",
                number,
                "type",
                format!(
                    "{written:?} is not a question this service can ask (select_one, select_multiple, text, note, begin group and end group are)",
                ),
            ));
        }
    })
}

/// The choice lists by name, in the order they first appear.
type Lists = Vec<(String, Vec<OptionDef>)>;

/// What a row of the survey sheet is.
enum RowType<'a> {
    BeginGroup,
    EndGroup,
    Note,
    /// A question: its kind, and its choice list if it has one.
    Question(&'static str, Option<&'a str>),
}

/// Reading one workbook: its languages, and the translations filled in sheet by sheet.
struct Reading {
    languages: Languages,
    translations: BTreeMap<String, Translation>,
}

impl Reading {
    /// Every other language's text of one row's `base` column: (language, its text).
    fn others(&self, sheet: &Sheet, row: &[String], base: &str) -> InLanguages {
        self.languages.others.iter().map(|(l, _)| (l.clone(), optional(sheet.text_in(row, base, l, false)))).collect()
    }

    fn translation(&mut self, language: &Language) -> &mut Translation {
        self.translations.get_mut(language.as_str()).expect("every other language")
    }

    /// The choices sheet: the lists, and each choice's text in the other languages.
    fn choices(&self, choices: &Sheet) -> Result<(Lists, Vec<OptionText>), Refusal> {
        let own = &self.languages.own;
        let others = |sheet: &Sheet, row: &[String], base: &str| self.others(sheet, row, base);
        let mut lists: Lists = Vec::new();
        let mut option_texts: Vec<OptionText> = Vec::new();
        choices.only(&CHOICE_COLUMNS)?;
        for (number, row) in &choices.rows {
            let list = choices.cell(row, "list_name");
            if list.is_empty() {
                return Err(refuse("choices", *number, "list_name", "every choice needs its list's name"));
            }
            let option = OptionDef {
                id: choices.cell(row, "name").to_owned(),
                label: choices.text_in(row, "label", own, true).to_owned(),
                hint: optional(choices.text_in(row, "hint", own, true)),
                barriers: choices
                    .cell(row, "barriers")
                    .split([' ', ','])
                    .filter(|b| !b.is_empty())
                    .map(str::to_owned)
                    .collect(),
                exclusive: yes(choices, *number, "exclusive", choices.cell(row, "exclusive"))?,
                other: yes(choices, *number, "other", choices.cell(row, "other"))?,
                // XLSForm's `image` names a media file: ours are `NAME.svg`.
                picture: optional(choices.text_in(row, "image", own, true))
                    .map(|file| file.strip_suffix(".svg").map(str::to_owned).unwrap_or(file)),
            };
            let hints = others(choices, row, "hint");
            for ((language, label), (_, hint)) in others(choices, row, "label").into_iter().zip(hints) {
                option_texts.push(OptionText {
                    list: list.to_owned(),
                    option: option.id.clone(),
                    language,
                    label,
                    hint,
                });
            }
            match lists.iter_mut().find(|(name, _)| name == list) {
                Some((_, options)) => options.push(option),
                None => lists.push((list.to_owned(), vec![option])),
            }
        }
        Ok((lists, option_texts))
    }

    /// The survey sheet: the introduction (notes before the first question) and the questions,
    /// each with its text in the other languages.
    fn questions(
        &mut self,
        survey: &Sheet,
        lists: &Lists,
        option_texts: &[OptionText],
    ) -> Result<(Vec<String>, Vec<QuestionDef>), Refusal> {
        let own = self.languages.own.clone();
        let label_columns: Vec<String> =
            survey.header.iter().filter(|h| *h == "label" || h.starts_with("label::")).cloned().collect();
        let note_allowed: Vec<&str> = label_columns.iter().map(String::as_str).chain(["type", "name"]).collect();
        let group_allowed: Vec<&str> = note_allowed.iter().copied().chain(["appearance"]).collect();
        let mut intro = Vec::new();
        let mut questions: Vec<QuestionDef> = Vec::new();
        // The open group: its row, its label, and its label in each other language.
        let mut section: Option<(usize, String, InLanguages)> = None;
        for (number, row) in &survey.rows {
            let number = *number;
            let cell = |name: &str| survey.cell(row, name);
            let kind_cell = cell("type").split_whitespace().collect::<Vec<_>>();
            let appearance = cell("appearance").to_lowercase();
            let intro_allowed = questions.is_empty() && section.is_none();
            let (kind, list) = match row_type(&kind_cell, &appearance, number, intro_allowed, cell("type"))? {
                RowType::BeginGroup => {
                    only_cells(survey, number, row, &group_allowed, "a group")?;
                    if let Some((opened, _, _)) = &section {
                        return Err(refuse(
                            "survey",
                            number,
                            "type",
                            format!("a group inside the group begun on row {opened}: groups here are not nested"),
                        ));
                    }
                    section = Some((
                        number,
                        survey.text_in(row, "label", &own, true).to_owned(),
                        self.others(survey, row, "label"),
                    ));
                    continue;
                }
                RowType::EndGroup => {
                    if section.take().is_none() {
                        return Err(refuse("survey", number, "type", "end group without begin group"));
                    }
                    continue;
                }
                RowType::Note => {
                    only_cells(survey, number, row, &note_allowed, "an introduction note")?;
                    // A language may say in more paragraphs what another says in fewer: a note can
                    // have text in some languages only.
                    intro.extend(optional(survey.text_in(row, "label", &own, true)));
                    for (language, text) in self.others(survey, row, "label") {
                        self.translation(&language).intro.extend(text);
                    }
                    continue;
                }
                RowType::Question(kind, list) => (kind, list),
            };
            let options = match list {
                None => Vec::new(),
                Some(list) => lists.iter().find(|(name, _)| name == list).map(|(_, o)| o.clone()).ok_or_else(|| {
                    refuse("survey", number, "type", format!("there is no choice list {list:?} on the choices sheet"))
                })?,
            };
            let show_if = match cell("relevant") {
                "" => None,
                expression => {
                    Some(parse_relevant(expression).map_err(|message| refuse("survey", number, "relevant", message))?)
                }
            };
            let max_length = match cell("constraint") {
                "" => None,
                expression => Some(parse_constraint(expression).ok_or_else(|| {
                    refuse(
                        "survey",
                        number,
                        "constraint",
                        "only string-length(.) <= N, the longest answer, can be followed here",
                    )
                })?),
            };
            let id = cell("name").to_owned();
            let (texts, hints, errors) = (
                self.others(survey, row, "label"),
                self.others(survey, row, "hint"),
                self.others(survey, row, "required_message"),
            );
            for (((language, text), (_, hint)), (_, error)) in texts.into_iter().zip(hints).zip(errors) {
                let mut words = QuestionText { text, hint, error, ..QuestionText::default() };
                if let Some((_, _, sections)) = &section {
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
            questions.push(QuestionDef {
                id,
                kind: kind.to_owned(),
                text: survey.text_in(row, "label", &own, true).to_owned(),
                hint: optional(survey.text_in(row, "hint", &own, true)),
                section: section.as_ref().map(|(_, label, _)| label.clone()).filter(|l| !l.is_empty()),
                required: yes(survey, number, "required", cell("required"))?,
                error: optional(survey.text_in(row, "required_message", &own, true)),
                prefer_not_to_say: yes(survey, number, "prefer_not_to_say", cell("prefer_not_to_say"))?,
                show_if,
                options,
                max_length,
            });
        }
        if let Some((opened, _, _)) = section {
            return Err(refuse("survey", opened, "type", "this group has no end group"));
        }
        Ok((intro, questions))
    }

    /// The settings sheet's first row: the form's id, title, minutes and signposting, in every
    /// language.
    fn settings(&mut self, settings: &Sheet) -> Result<(String, String, Option<u32>, Signposting), Refusal> {
        let own = self.languages.own.clone();
        let (mut id, mut title, mut minutes, mut signposting) =
            (String::new(), String::new(), None, Signposting::default());
        settings.only(&SETTINGS_COLUMNS)?;
        if let Some((number, row)) = settings.rows.first() {
            id = settings.cell(row, "form_id").to_owned();
            title = settings.text_in(row, "form_title", &own, true).to_owned();
            minutes = match settings.cell(row, "minutes") {
                "" => None,
                m => Some(
                    m.parse::<u32>()
                        .map_err(|_| refuse("settings", *number, "minutes", "must be a whole number of minutes"))?,
                ),
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
            signposting = signposts(&own, true);
            for (language, _) in self.languages.others.clone() {
                let t = self.translation(&language);
                t.title = optional(settings.text_in(row, "translated_title", &language, false))
                    .or_else(|| optional(settings.text_in(row, "form_title", &language, false)));
                t.signposting = signposts(&language, false);
            }
        }
        Ok((id, title, minutes, signposting))
    }
}

/// Writes a definition as an XLSForm that reads back to the same definition. A survey in one
/// language has plain `label` columns; one in several has `label::English (en)` and a column for
/// each other language, and names its own in settings' `default_language`.
pub fn write(definition: &Definition) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let own = definition.language.as_deref().and_then(Language::parse).unwrap_or_else(Language::english);
    // The translated columns' suffixes: none for a survey in one language.
    let others: Vec<(String, &Translation)> = definition
        .translations
        .iter()
        .map(|(tag, t)| (column_language(&Language::parse(tag).unwrap_or_else(Language::english), Some(t)), t))
        .collect();
    let writing = Writing { definition, own, others };
    let mut book = rust_xlsxwriter::Workbook::new();
    writing.survey_sheet(&mut book)?;
    writing.choices_sheet(&mut book)?;
    writing.settings_sheet(&mut book)?;
    book.save_to_buffer()
}

/// A language as a column names it, `Name (code)`; a variant we know by name (Easy Read) with its
/// base language's code, as pyxform takes only a language code there (see
/// [`Language::variant_named`]).
fn column_language(language: &Language, t: Option<&Translation>) -> String {
    let known = language.known_name();
    let name =
        t.and_then(|t| t.name.clone()).or_else(|| known.map(str::to_owned)).unwrap_or_else(|| language.to_string());
    let code = if known.is_some() && language.is_easy_read() { language.base() } else { language.as_str() };
    format!("{name} ({code})")
}

// A sheet's header (each base column, translated ones once per language) and a writer of rows
// given as (base column, own text, each other language's text).
struct Grid {
    header: Vec<String>,
}
impl Grid {
    fn new(columns: &[&str], translatable: &[&str], translated: &dyn Fn(&str) -> Vec<String>) -> Grid {
        let header = columns
            .iter()
            .flat_map(|c| if translatable.contains(c) { translated(c) } else { vec![(*c).to_owned()] })
            .collect();
        Grid { header }
    }
    fn put(
        &self,
        sheet: &mut rust_xlsxwriter::Worksheet,
        row: u32,
        cells: &[(&str, Vec<String>)],
    ) -> Result<(), rust_xlsxwriter::XlsxError> {
        for (base, values) in cells.iter().filter(|(_, values)| values.iter().any(|v| !v.is_empty())) {
            let at = self
                .header
                .iter()
                .position(|h| h == base || h.starts_with(&format!("{base}::")))
                .expect("a column of the sheet");
            for (i, value) in values.iter().enumerate().filter(|(_, v)| !v.is_empty()) {
                sheet.write_string(row, (at + i) as u16, value)?;
            }
        }
        Ok(())
    }
}

/// One cell's value in one language.
fn one(value: &str) -> Vec<String> {
    vec![value.to_owned()]
}

/// Writing one definition as a workbook, sheet by sheet.
struct Writing<'a> {
    definition: &'a Definition,
    own: Language,
    /// Each translation, with the language its columns are suffixed with.
    others: Vec<(String, &'a Translation)>,
}

impl Writing<'_> {
    /// A translatable column's names: the own language's, then each other's.
    fn translated(&self, base: &str) -> Vec<String> {
        let own_suffix =
            if self.others.is_empty() { String::new() } else { format!("::{}", column_language(&self.own, None)) };
        std::iter::once(format!("{base}{own_suffix}"))
            .chain(self.others.iter().map(|(n, _)| format!("{base}::{n}")))
            .collect()
    }

    /// The text in every language: the own, then each translation's (empty where it has none).
    fn all(&self, own_text: &str, pick: &dyn Fn(&Translation) -> Option<String>) -> Vec<String> {
        std::iter::once(own_text.to_owned())
            .chain(self.others.iter().map(|(_, t)| pick(t).unwrap_or_default()))
            .collect()
    }

    fn survey_sheet(&self, book: &mut rust_xlsxwriter::Workbook) -> Result<(), rust_xlsxwriter::XlsxError> {
        let (definition, others) = (self.definition, &self.others);
        let all = |own_text: &str, pick: &dyn Fn(&Translation) -> Option<String>| self.all(own_text, pick);
        let translated = |base: &str| self.translated(base);
        let grid =
            Grid::new(&SURVEY_COLUMNS, &["label", "hint", "required_message", "constraint_message"], &translated);
        let languages: Vec<Language> = std::iter::once(self.own.clone())
            .chain(definition.translations.keys().map(|tag| Language::parse(tag).unwrap_or_else(Language::english)))
            .collect();
        let bold = rust_xlsxwriter::Format::new().set_bold();
        let survey = book.add_worksheet().set_name("survey")?;
        survey.write_row_with_format(0, 0, &grid.header, &bold)?;
        let mut row = 1;
        let paragraphs = others.iter().map(|(_, t)| t.intro.len()).chain([definition.intro.len()]).max().unwrap_or(0);
        for i in 0..paragraphs {
            let label = all(definition.intro.get(i).map_or("", String::as_str), &|t| t.intro.get(i).cloned());
            grid.put(
                survey,
                row,
                &[("type", one("note")), ("name", one(&format!("intro_{}", i + 1))), ("label", label)],
            )?;
            row += 1;
        }
        let mut open: Option<&str> = None;
        let mut groups = 0;
        for q in &definition.questions {
            let words = |t: &Translation| t.questions.get(&q.id).cloned().unwrap_or_default();
            if open != q.section.as_deref() {
                if open.is_some() {
                    grid.put(survey, row, &[("type", one("end group"))])?;
                    row += 1;
                }
                if let Some(section) = &q.section {
                    groups += 1;
                    let label = all(section, &|t| words(t).section);
                    grid.put(
                        survey,
                        row,
                        &[("type", one("begin group")), ("name", one(&format!("section_{groups}"))), ("label", label)],
                    )?;
                    row += 1;
                }
                open = q.section.as_deref();
            }
            let cells = self.question_cells(q, &languages);
            grid.put(survey, row, &cells)?;
            row += 1;
        }
        if open.is_some() {
            grid.put(survey, row, &[("type", one("end group"))])?;
        }
        Ok(())
    }

    /// A question's row on the survey sheet.
    fn question_cells(&self, q: &QuestionDef, languages: &[Language]) -> Vec<(&'static str, Vec<String>)> {
        let definition = self.definition;
        let all = |own_text: &str, pick: &dyn Fn(&Translation) -> Option<String>| self.all(own_text, pick);
        let words = |t: &Translation| t.questions.get(&q.id).cloned().unwrap_or_default();
        let (kind, appearance) = match q.kind.as_str() {
            "single" => (format!("select_one {}", q.id), ""),
            "scale" => (format!("select_one {}", q.id), "likert"),
            "multiple" => (format!("select_multiple {}", q.id), ""),
            "long_text" => ("text".to_owned(), "multiline"),
            _ => ("text".to_owned(), ""),
        };
        let relevant = q.show_if.as_ref().map(|rule| {
            let multiple = definition.questions.iter().any(|t| t.id == rule.question && t.kind == "multiple");
            let terms: Vec<String> = rule
                .any_of
                .iter()
                .map(|a| {
                    if multiple {
                        format!("selected(${{{}}}, '{a}')", rule.question)
                    } else {
                        format!("${{{}}} = '{a}'", rule.question)
                    }
                })
                .collect();
            terms.join(" or ")
        });
        // The message is ours, in each language the app has words in; it is not read back.
        let constraint = q.max_length.map(|n| {
            let message = |l: &Language| crate::i18n::text_with_in(l, "constraint-message", &[("count", n.into())]);
            (format!("string-length(.) <= {n}"), languages.iter().map(message).collect::<Vec<_>>())
        });
        let hint = q.hint.as_deref().map(|h| all(h, &|t| words(t).hint)).unwrap_or_default();
        let error = q.error.as_deref().map(|e| all(e, &|t| words(t).error)).unwrap_or_default();
        vec![
            ("type", one(&kind)),
            ("name", one(&q.id)),
            ("label", all(&q.text, &|t| words(t).text)),
            ("hint", hint),
            ("required", one(if q.required { "yes" } else { "" })),
            ("required_message", error),
            ("relevant", one(relevant.as_deref().unwrap_or_default())),
            ("appearance", one(appearance)),
            ("constraint", one(constraint.as_ref().map_or("", |c| c.0.as_str()))),
            ("constraint_message", constraint.as_ref().map(|c| c.1.clone()).unwrap_or_default()),
            ("prefer_not_to_say", one(if q.prefer_not_to_say { "yes" } else { "" })),
        ]
    }

    /// The choices sheet: every question's options, as a list named after the question.
    fn choices_sheet(&self, book: &mut rust_xlsxwriter::Workbook) -> Result<(), rust_xlsxwriter::XlsxError> {
        let (definition, others) = (self.definition, &self.others);
        let all = |own_text: &str, pick: &dyn Fn(&Translation) -> Option<String>| self.all(own_text, pick);
        let translated = |base: &str| self.translated(base);
        // pyxform takes `image` as media in each language: the same picture in every one.
        let grid = Grid::new(&CHOICE_COLUMNS, &["label", "hint", "image"], &translated);
        let bold = rust_xlsxwriter::Format::new().set_bold();
        let choices = book.add_worksheet().set_name("choices")?;
        choices.write_row_with_format(0, 0, &grid.header, &bold)?;
        let mut row = 1;
        for q in definition.questions.iter().filter(|q| !q.options.is_empty()) {
            for o in &q.options {
                let words = |t: &Translation| t.questions.get(&q.id).cloned().unwrap_or_default();
                let hint = o
                    .hint
                    .as_deref()
                    .map(|h| all(h, &|t| words(t).option_hints.get(&o.id).cloned()))
                    .unwrap_or_default();
                let cells = [
                    ("list_name", one(&q.id)),
                    ("name", one(&o.id)),
                    ("label", all(&o.label, &|t| words(t).options.get(&o.id).cloned())),
                    ("hint", hint),
                    (
                        "image",
                        o.picture.as_deref().map(|p| vec![format!("{p}.svg"); 1 + others.len()]).unwrap_or_default(),
                    ),
                    ("barriers", one(&o.barriers.join(" "))),
                    ("exclusive", one(if o.exclusive { "yes" } else { "" })),
                    ("other", one(if o.other { "yes" } else { "" })),
                ];
                grid.put(choices, row, &cells)?;
                row += 1;
            }
        }
        Ok(())
    }

    /// The settings sheet: the form's id, titles, minutes and signposting.
    fn settings_sheet(&self, book: &mut rust_xlsxwriter::Workbook) -> Result<(), rust_xlsxwriter::XlsxError> {
        let (definition, others, own) = (self.definition, &self.others, &self.own);
        let all = |own_text: &str, pick: &dyn Fn(&Translation) -> Option<String>| self.all(own_text, pick);
        let bold = rust_xlsxwriter::Format::new().set_bold();
        let signposts =
            ["signpost_skills", "signpost_confidence", "signpost_motivation", "signpost_access", "signpost_general"];
        // pyxform needs `form_title` plain (a translated one stops it): the others' titles go in a
        // column of our own.
        let mut translatable = vec!["translated_title"];
        translatable.extend(signposts);
        let translated = |base: &str| -> Vec<String> {
            let all = self.translated(base);
            if base == "translated_title" { all.into_iter().skip(1).collect() } else { all }
        };
        let grid = Grid::new(&SETTINGS_COLUMNS, &translatable, &translated);
        let settings = book.add_worksheet().set_name("settings")?;
        settings.write_row_with_format(0, 0, &grid.header, &bold)?;
        let sign = |s: &Signposting, barrier: &str| -> Option<String> {
            match barrier {
                "signpost_skills" => s.skills.clone(),
                "signpost_confidence" => s.confidence.clone(),
                "signpost_motivation" => s.motivation.clone(),
                "signpost_access" => s.access.clone(),
                _ => s.general.clone(),
            }
        };
        let default_language = if others.is_empty() { String::new() } else { column_language(own, None) };
        let mut cells = vec![
            ("form_title", one(&definition.title)),
            ("translated_title", others.iter().map(|(_, t)| t.title.clone().unwrap_or_default()).collect()),
            ("form_id", one(&definition.id)),
            ("default_language", one(&default_language)),
            ("minutes", one(&definition.minutes.to_string())),
        ];
        for column in signposts {
            cells.push((
                column,
                sign(&definition.signposting, column)
                    .map(|text| all(&text, &|t| sign(&t.signposting, column)))
                    .unwrap_or_default(),
            ));
        }
        grid.put(settings, 1, &cells)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relevant_reads_the_rules_we_can_follow() {
        let rule = parse_relevant("${used_online} = 'no' or ${used_online}='not_sure'").unwrap();
        assert_eq!(
            (rule.question.as_str(), rule.any_of),
            ("used_online", vec!["no".to_owned(), "not_sure".to_owned()])
        );
        let rule = parse_relevant("selected(${why}, 'other')").unwrap();
        assert_eq!((rule.question.as_str(), rule.any_of), ("why", vec!["other".to_owned()]));
        for refused in [
            "${a} != 'x'",
            "${a} = 'x' and ${b} = 'y'",
            "${a} = 'x' or ${b} = 'y'",
            "${a} > 3",
            "count-selected(${a}) > 1",
            "${a} = x",
        ] {
            assert!(parse_relevant(refused).is_err(), "{refused}");
        }
        assert_eq!(parse_constraint("string-length(.) <= 200"), Some(200));
        assert_eq!(parse_constraint(". > 3"), None);
    }

    #[test]
    fn the_built_in_survey_goes_round_unchanged() {
        let definition = super::super::builtin().definition().clone();
        let bytes = write(&definition).unwrap();
        assert!(is_spreadsheet(&bytes));
        let again = read(&bytes).unwrap();
        for (tag, t) in &definition.translations {
            let back = &again.translations[tag];
            for (id, q) in &t.questions {
                assert_eq!(back.questions.get(id), Some(q), "{tag} {id}");
            }
            assert_eq!(back, t, "{tag}");
        }
        assert_eq!(again, definition);
    }

    #[test]
    fn a_cell_far_out_is_refused_without_building_the_grid() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet().set_name("survey").unwrap();
        sheet.write_string(0, 0, "type").unwrap();
        sheet.write_string(1_048_575, 16_383, "far").unwrap();
        let refusal = read(&book.save_to_buffer().unwrap()).unwrap_err();
        assert_eq!((refusal.row, refusal.message.contains("at most 1000 rows")), (1_048_576, true), "{refusal}");
    }

    #[test]
    fn shared_strings_declared_beyond_a_forms_cells_are_refused_before_room_is_made() {
        assert_eq!(declared_strings(br#"<?xml version="1.0"?><sst xmlns="x" count="3" uniqueCount="2"><si>"#), Some(3));
        assert_eq!(declared_strings(b"<sst/>"), Some(0));
        assert_eq!(declared_strings(br#"<sst uniqueCount="99999999999999999999999999">"#), Some(usize::MAX));
        assert_eq!(declared_strings(b"<?xml?><notsst>"), None, "no table where one must be");
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        out.start_file("xl/sharedStrings.xml", zip::write::SimpleFileOptions::default()).unwrap();
        std::io::Write::write_all(&mut out, br#"<sst uniqueCount="1000000000000"></sst>"#).unwrap();
        let refusal = check_size(&out.finish().unwrap().into_inner()).unwrap_err();
        assert!(refusal.message.contains("declares more than 100000 different texts"), "{refusal}");
    }

    #[test]
    fn a_zip_that_unpacks_to_too_much_is_refused_before_it_is_read() {
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        out.start_file("xl/worksheets/sheet1.xml", options).unwrap();
        std::io::Write::write_all(&mut out, &vec![b' '; 30 * 1024 * 1024]).unwrap();
        let bomb = out.finish().unwrap().into_inner();
        assert!(bomb.len() < 1024 * 1024, "{} bytes zipped", bomb.len());
        let refusal = read(&bomb).unwrap_err();
        assert!(refusal.message.contains("unpacks to far more"), "{refusal}");
        // The same, declaring that it unpacks to 100 bytes: the sizes a zip declares are not
        // trusted, it is unpacked with a limit.
        let mut lying = bomb.clone();
        for (signature, at) in [(b"PK\x03\x04", 22), (b"PK\x01\x02", 24)] {
            let header = lying.windows(4).position(|w| w == signature).unwrap();
            lying[header + at..header + at + 4].copy_from_slice(&100u32.to_le_bytes());
        }
        let refusal = read(&lying).unwrap_err();
        assert!(
            refusal.message.contains("unpacks to far more") || refusal.message.contains("not an .xlsx"),
            "{refusal}"
        );
    }
}
