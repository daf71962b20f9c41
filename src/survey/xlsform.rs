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
//!
//! Anything else that carries a value (another type, an expression we cannot follow, a second
//! language) is refused with its sheet, row and column, never dropped. The file is untrusted: its
//! size unzipped is limited before it is read, and cells are read as the values the spreadsheet
//! saved, so a formula is never evaluated.

use super::definition::{Definition, OptionDef, QuestionDef, ShowIfDef, Signposting};
use calamine::{Data, Reader};
use std::io::Cursor;

/// Largest spreadsheet accepted, zipped and unzipped.
pub const MAX_FILE_BYTES: usize = 2 * 1024 * 1024;
const MAX_UNZIPPED_BYTES: u64 = 20 * 1024 * 1024;
const MAX_ROWS: usize = 1_000;
const MAX_COLUMNS: usize = 100;

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
            if let Some((row, _)) = self.rows.iter().find(|(_, cells)| cells.get(i).is_some_and(|c| !c.trim().is_empty())) {
                return Err(refuse(self.name, *row, name, "this column is not one this service can keep, so the form would change; take it out"));
            }
        }
        Ok(())
    }

    /// The column to read `name` from: `name` itself, or its one translation (`label::English (en)`).
    /// Two languages are refused: surveys hold one language for now.
    fn text_column(&self, name: &str) -> Result<Option<String>, Refusal> {
        if self.column(name).is_some() {
            if let Some(other) = self.header.iter().find(|h| h.starts_with(&format!("{name}::"))) {
                return Err(refuse(self.name, 1, other, "surveys here hold one language for now: keep one label column"));
            }
            return Ok(Some(name.to_owned()));
        }
        let translations: Vec<&String> = self.header.iter().filter(|h| h.starts_with(&format!("{name}::"))).collect();
        match translations.as_slice() {
            [] => Ok(None),
            [one] => Ok(Some((*one).clone())),
            [_, second, ..] => Err(refuse(self.name, 1, second, "surveys here hold one language for now: keep one label column")),
        }
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

fn read_sheet<R: std::io::Read + std::io::Seek>(book: &mut calamine::Xlsx<R>, name: &'static str, required: bool) -> Result<Option<Sheet>, Refusal> {
    let Some(found) = book.sheet_names().into_iter().find(|s| s.trim().eq_ignore_ascii_case(name)) else {
        return if required { Err(refuse(name, 0, "", "there is no sheet with this name")) } else { Ok(None) };
    };
    // Cells are read one by one and only those with a value kept: a grid from A1 to a far corner
    // would take gigabytes for a file of a few bytes.
    let unreadable = |e: calamine::XlsxError| refuse(name, 0, "", format!("it could not be read ({e})"));
    let mut reader = book.worksheet_cells_reader(&found).map_err(unreadable)?;
    let mut cells: std::collections::BTreeMap<usize, Vec<(usize, Data)>> = std::collections::BTreeMap::new();
    while let Some(cell) = reader.next_cell().map_err(unreadable)? {
        let value = Data::from(cell.get_value().clone());
        if matches!(value, Data::Empty) {
            continue;
        }
        let (row, column) = cell.get_position();
        let (row, column) = (row as usize + 1, column as usize);
        if row > MAX_ROWS + 1 || column >= MAX_COLUMNS {
            return Err(refuse(name, row, "", format!("a form has at most {MAX_ROWS} rows and {MAX_COLUMNS} columns")));
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
    let Some((header_row, header)) = rows.next() else { return Ok(Some(Sheet { name, header: Vec::new(), rows: Vec::new() })) };
    if matches!(header.first(), None | Some(Data::Empty)) {
        return Err(refuse(name, header_row, "A", "the header row starts in column A"));
    }
    let header: Vec<String> = header.iter().map(|c| text(c).unwrap_or_default().trim().to_lowercase().replace("list name", "list_name")).collect();
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

/// Checks the zip's entries before anything is unpacked: a small file that unzips to gigabytes is
/// refused here.
fn check_size(bytes: &[u8]) -> Result<(), Refusal> {
    let whole = || refuse("file", 0, "", "it is not an .xlsx spreadsheet");
    if bytes.len() > MAX_FILE_BYTES {
        return Err(refuse("file", 0, "", format!("it is larger than {} MB", MAX_FILE_BYTES / 1024 / 1024)));
    }
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| whole())?;
    let mut total = 0u64;
    for i in 0..archive.len() {
        total += archive.by_index_raw(i).map_err(|_| whole())?.size();
    }
    if archive.len() > 200 || total > MAX_UNZIPPED_BYTES {
        return Err(refuse("file", 0, "", "it unpacks to far more than a form needs"));
    }
    Ok(())
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
            return Err(refuse(sheet.name, number, column, format!("{what}'s {column} cannot be kept here: put it on each question instead")));
        }
    }
    Ok(())
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

const SURVEY_COLUMNS: [&str; 11] =
    ["type", "name", "label", "hint", "required", "required_message", "relevant", "appearance", "constraint", "constraint_message", "prefer_not_to_say"];
const CHOICE_COLUMNS: [&str; 7] = ["list_name", "name", "label", "hint", "barriers", "exclusive", "other"];
const SETTINGS_COLUMNS: [&str; 10] = [
    "form_title",
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
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|_| refuse("file", 0, "", "it is not an .xlsx spreadsheet"))?;
    let survey = read_sheet(&mut book, "survey", true)?.expect("required");
    let choices = read_sheet(&mut book, "choices", false)?;
    let settings = read_sheet(&mut book, "settings", false)?;
    survey.only(&SURVEY_COLUMNS)?;
    let label_column = survey.text_column("label")?.ok_or_else(|| refuse("survey", 1, "label", "there is no label column"))?;
    let hint_column = survey.text_column("hint")?.unwrap_or_else(|| "hint".into());
    let message_column = survey.text_column("required_message")?.unwrap_or_else(|| "required_message".into());

    // Choices by list.
    let mut lists: Vec<(String, Vec<OptionDef>)> = Vec::new();
    if let Some(choices) = &choices {
        choices.only(&CHOICE_COLUMNS)?;
        let label = choices.text_column("label")?.unwrap_or_else(|| "label".into());
        let hint = choices.text_column("hint")?.unwrap_or_else(|| "hint".into());
        for (number, row) in &choices.rows {
            let list = choices.cell(row, "list_name");
            if list.is_empty() {
                return Err(refuse("choices", *number, "list_name", "every choice needs its list's name"));
            }
            let option = OptionDef {
                id: choices.cell(row, "name").to_owned(),
                label: choices.cell(row, &label).to_owned(),
                hint: optional(choices.cell(row, &hint)),
                barriers: choices.cell(row, "barriers").split([' ', ',']).filter(|b| !b.is_empty()).map(str::to_owned).collect(),
                exclusive: yes(choices, *number, "exclusive", choices.cell(row, "exclusive"))?,
                other: yes(choices, *number, "other", choices.cell(row, "other"))?,
            };
            match lists.iter_mut().find(|(name, _)| name == list) {
                Some((_, options)) => options.push(option),
                None => lists.push((list.to_owned(), vec![option])),
            }
        }
    }

    let mut intro = Vec::new();
    let mut questions: Vec<QuestionDef> = Vec::new();
    let mut section: Option<(usize, String)> = None;
    for (number, row) in &survey.rows {
        let number = *number;
        let cell = |name: &str| survey.cell(row, name);
        let kind_cell = cell("type").split_whitespace().collect::<Vec<_>>();
        let appearance = cell("appearance").to_lowercase();
        let appearance_refused = |kind: &str| refuse("survey", number, "appearance", format!("{appearance:?} is not an appearance a {kind} can have here"));
        let (kind, list) = match kind_cell.as_slice() {
            ["begin", "group"] | ["begin_group"] => {
                only_cells(&survey, number, row, &["type", "name", "label", "appearance", &label_column], "a group")?;
                if let Some((opened, _)) = &section {
                    return Err(refuse("survey", number, "type", format!("a group inside the group begun on row {opened}: groups here are not nested")));
                }
                section = Some((number, cell(&label_column).to_owned()));
                continue;
            }
            ["end", "group"] | ["end_group"] => {
                if section.take().is_none() {
                    return Err(refuse("survey", number, "type", "end group without begin group"));
                }
                continue;
            }
            ["note"] if questions.is_empty() && section.is_none() => {
                only_cells(&survey, number, row, &["type", "name", &label_column], "an introduction note")?;
                intro.push(cell(&label_column).to_owned());
                continue;
            }
            ["note"] => return Err(refuse("survey", number, "type", "a note is read here only as the introduction, before the first question")),
            ["select_one", list] => match appearance.as_str() {
                "" | "minimal" => ("single", Some(*list)),
                "likert" => ("scale", Some(*list)),
                _ => return Err(appearance_refused("choice")),
            },
            ["select_multiple", list] => match appearance.as_str() {
                "" | "minimal" => ("multiple", Some(*list)),
                _ => return Err(appearance_refused("choice")),
            },
            ["text"] => match appearance.as_str() {
                "" => ("short_text", None),
                "multiline" => ("long_text", None),
                _ => return Err(appearance_refused("text")),
            },
            [] => return Err(refuse("survey", number, "type", "every row needs a type")),
            _ => {
                return Err(refuse(
                    "survey",
                    number,
                    "type",
                    format!("{:?} is not a question this service can ask (select_one, select_multiple, text, note, begin group and end group are)", cell("type")),
                ))
            }
        };
        let options = match list {
            None => Vec::new(),
            Some(list) => lists.iter().find(|(name, _)| name == list).map(|(_, o)| o.clone()).ok_or_else(|| refuse("survey", number, "type", format!("there is no choice list {list:?} on the choices sheet")))?,
        };
        let show_if = match cell("relevant") {
            "" => None,
            expression => Some(parse_relevant(expression).map_err(|message| refuse("survey", number, "relevant", message))?),
        };
        let max_length = match cell("constraint") {
            "" => None,
            expression => Some(parse_constraint(expression).ok_or_else(|| refuse("survey", number, "constraint", "only string-length(.) <= N, the longest answer, can be followed here"))?),
        };
        questions.push(QuestionDef {
            id: cell("name").to_owned(),
            kind: kind.to_owned(),
            text: cell(&label_column).to_owned(),
            hint: optional(cell(&hint_column)),
            section: section.as_ref().map(|(_, label)| label.clone()).filter(|l| !l.is_empty()),
            required: yes(&survey, number, "required", cell("required"))?,
            error: optional(cell(&message_column)),
            prefer_not_to_say: yes(&survey, number, "prefer_not_to_say", cell("prefer_not_to_say"))?,
            show_if,
            options,
            max_length,
        });
    }
    if let Some((opened, _)) = section {
        return Err(refuse("survey", opened, "type", "this group has no end group"));
    }

    let (mut id, mut title, mut minutes, mut signposting) = (String::new(), String::new(), None, Signposting::default());
    if let Some(settings) = &settings {
        settings.only(&SETTINGS_COLUMNS)?;
        let title_column = settings.text_column("form_title")?.unwrap_or_else(|| "form_title".into());
        if let Some((number, row)) = settings.rows.first() {
            id = settings.cell(row, "form_id").to_owned();
            title = settings.cell(row, &title_column).to_owned();
            minutes = match settings.cell(row, "minutes") {
                "" => None,
                m => Some(m.parse::<u32>().map_err(|_| refuse("settings", *number, "minutes", "must be a whole number of minutes"))?),
            };
            let sign = |b: &str| optional(settings.cell(row, &format!("signpost_{b}")));
            signposting = Signposting { skills: sign("skills"), confidence: sign("confidence"), motivation: sign("motivation"), access: sign("access"), general: sign("general") };
        }
    }
    if id.is_empty() {
        return Err(refuse("settings", 2, "form_id", "the form needs an id, the address residents see (like library-exit-2027)"));
    }
    // About three questions a minute when the form does not say.
    let minutes = minutes.unwrap_or_else(|| (questions.len() as u32).div_ceil(3).max(2));
    Ok(Definition { id, title, intro, minutes, language: None, questions, signposting, translations: Default::default() })
}

/// Writes a definition as an XLSForm that reads back to the same definition.
pub fn write(definition: &Definition) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let put = |sheet: &mut rust_xlsxwriter::Worksheet, row: u32, cells: &[&str]| -> Result<(), rust_xlsxwriter::XlsxError> {
        for (col, value) in cells.iter().enumerate().filter(|(_, v)| !v.is_empty()) {
            sheet.write_string(row, col as u16, *value)?;
        }
        Ok(())
    };

    let survey = book.add_worksheet().set_name("survey")?;
    survey.write_row_with_format(0, 0, SURVEY_COLUMNS, &bold)?;
    let mut row = 1;
    for (i, paragraph) in definition.intro.iter().enumerate() {
        put(survey, row, &["note", &format!("intro_{}", i + 1), paragraph])?;
        row += 1;
    }
    let mut open: Option<&str> = None;
    let mut groups = 0;
    for q in &definition.questions {
        if open != q.section.as_deref() {
            if open.is_some() {
                put(survey, row, &["end group"])?;
                row += 1;
            }
            if let Some(section) = &q.section {
                groups += 1;
                put(survey, row, &["begin group", &format!("section_{groups}"), section])?;
                row += 1;
            }
            open = q.section.as_deref();
        }
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
                .map(|a| if multiple { format!("selected(${{{}}}, '{a}')", rule.question) } else { format!("${{{}}} = '{a}'", rule.question) })
                .collect();
            terms.join(" or ")
        });
        let constraint = q.max_length.map(|n| (format!("string-length(.) <= {n}"), format!("Enter up to {n} characters")));
        let cells = [
            kind.as_str(),
            &q.id,
            &q.text,
            q.hint.as_deref().unwrap_or_default(),
            if q.required { "yes" } else { "" },
            q.error.as_deref().unwrap_or_default(),
            relevant.as_deref().unwrap_or_default(),
            appearance,
            constraint.as_ref().map_or("", |c| c.0.as_str()),
            constraint.as_ref().map_or("", |c| c.1.as_str()),
            if q.prefer_not_to_say { "yes" } else { "" },
        ];
        put(survey, row, &cells)?;
        row += 1;
    }
    if open.is_some() {
        put(survey, row, &["end group"])?;
    }

    let choices = book.add_worksheet().set_name("choices")?;
    choices.write_row_with_format(0, 0, CHOICE_COLUMNS, &bold)?;
    let mut row = 1;
    for q in definition.questions.iter().filter(|q| !q.options.is_empty()) {
        for o in &q.options {
            let barriers = o.barriers.join(" ");
            put(choices, row, &[&q.id, &o.id, &o.label, o.hint.as_deref().unwrap_or_default(), &barriers, if o.exclusive { "yes" } else { "" }, if o.other { "yes" } else { "" }])?;
            row += 1;
        }
    }

    let settings = book.add_worksheet().set_name("settings")?;
    let s = &definition.signposting;
    let minutes = definition.minutes.to_string();
    let values = [
        definition.title.as_str(),
        &definition.id,
        "",
        "",
        &minutes,
        s.skills.as_deref().unwrap_or_default(),
        s.confidence.as_deref().unwrap_or_default(),
        s.motivation.as_deref().unwrap_or_default(),
        s.access.as_deref().unwrap_or_default(),
        s.general.as_deref().unwrap_or_default(),
    ];
    settings.write_row_with_format(0, 0, SETTINGS_COLUMNS, &bold)?;
    put(settings, 1, &values)?;
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relevant_reads_the_rules_we_can_follow() {
        let rule = parse_relevant("${used_online} = 'no' or ${used_online}='not_sure'").unwrap();
        assert_eq!((rule.question.as_str(), rule.any_of), ("used_online", vec!["no".to_owned(), "not_sure".to_owned()]));
        let rule = parse_relevant("selected(${why}, 'other')").unwrap();
        assert_eq!((rule.question.as_str(), rule.any_of), ("why", vec!["other".to_owned()]));
        for refused in ["${a} != 'x'", "${a} = 'x' and ${b} = 'y'", "${a} = 'x' or ${b} = 'y'", "${a} > 3", "count-selected(${a}) > 1", "${a} = x"] {
            assert!(parse_relevant(refused).is_err(), "{refused}");
        }
        assert_eq!(parse_constraint("string-length(.) <= 200"), Some(200));
        assert_eq!(parse_constraint(". > 3"), None);
    }

    #[test]
    fn the_built_in_survey_goes_round_unchanged() {
        // In its own language: the XLSForm here holds one (the download refuses a survey with more).
        let definition = Definition { translations: Default::default(), ..super::super::builtin().definition().clone() };
        let bytes = write(&definition).unwrap();
        assert!(is_spreadsheet(&bytes));
        assert_eq!(read(&bytes).unwrap(), definition);
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
    fn a_zip_that_unpacks_to_too_much_is_refused_before_it_is_read() {
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        out.start_file("xl/worksheets/sheet1.xml", options).unwrap();
        std::io::Write::write_all(&mut out, &vec![b' '; 30 * 1024 * 1024]).unwrap();
        let bomb = out.finish().unwrap().into_inner();
        assert!(bomb.len() < 1024 * 1024, "{} bytes zipped", bomb.len());
        let refusal = read(&bomb).unwrap_err();
        assert!(refusal.message.contains("unpacks to far more"), "{refusal}");
    }
}
