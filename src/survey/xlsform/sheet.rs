//! The workbook as text, read safely: unzipped with a limit, cells counted as they are read,
//! values as saved (never a formula evaluated).

use super::read::tag_of;
use crate::i18n::Language;
use calamine::{Data, Reader};
use std::io::Cursor;

/// Largest spreadsheet accepted, zipped and unzipped.
pub const MAX_FILE_BYTES: usize = 2 * 1024 * 1024;
const MAX_UNZIPPED_BYTES: u64 = 20 * 1024 * 1024;
pub(super) const MAX_ROWS: usize = 1_000;
const MAX_COLUMNS: usize = 100;
/// Longest text in one cell: far more than any label, hint or message.
const MAX_CELL_CHARS: usize = 10_000;
/// All the text of a sheet's cells together.
const MAX_SHEET_TEXT_BYTES: usize = 8 * 1024 * 1024;
/// Shared strings a form may declare: one for every cell it may have.
const MAX_SHARED_STRINGS: usize = MAX_ROWS * MAX_COLUMNS;

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
            (0, true) => write!(f, "The {} sheet: {}", self.sheet, self.message),
            (0, false) => write!(f, "The {} sheet, column {}: {}", self.sheet, self.column, self.message),
            (row, true) => write!(f, "The {} sheet, row {row}: {}", self.sheet, self.message),
            (row, false) => write!(f, "The {} sheet, row {row}, column {}: {}", self.sheet, self.column, self.message),
        }
    }
}

pub(super) fn refuse(sheet: &str, row: usize, column: &str, message: impl Into<String>) -> Refusal {
    Refusal { sheet: sheet.into(), row, column: column.into(), message: message.into() }
}

/// One sheet as text: its header names (lower case) and its non-empty rows with their numbers.
pub(super) struct Sheet {
    pub(super) name: &'static str,
    pub(super) header: Vec<String>,
    /// Each header's language, when it is `base::Language`: worked out once, as naming a
    /// language by its name searches the whole ISO 639 table.
    languages: Vec<Option<Language>>,
    pub(super) rows: Vec<(usize, Vec<String>)>,
}

impl Sheet {
    pub(super) fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    pub(super) fn cell<'a>(&self, row: &'a [String], name: &str) -> &'a str {
        self.column(name).and_then(|i| row.get(i)).map_or("", |s| s.trim())
    }

    /// Each column not in `known` (nor a `label::…`-style translation of one) that has a value:
    /// its name and the rows it has one in.
    pub(super) fn unknown(&self, known: &[&str]) -> Vec<(String, Vec<usize>)> {
        self.header
            .iter()
            .enumerate()
            .filter(|(_, name)| {
                let base = name.split("::").next().unwrap_or_default();
                !(known.contains(&name.as_str()) || (name.contains("::") && known.contains(&base)))
            })
            .map(|(i, name)| {
                let rows = self.rows.iter().filter(|(_, cells)| cells.get(i).is_some_and(|c| !c.trim().is_empty()));
                (name.clone(), rows.map(|(n, _)| *n).collect::<Vec<_>>())
            })
            .filter(|(_, rows)| !rows.is_empty())
            .collect()
    }

    /// The column holding `base` in `language`: the plain column for the survey's own language
    /// when there is one, else `base::Name (tag)` for the language.
    pub(super) fn text_column(&self, base: &str, language: &Language, own: bool) -> Option<String> {
        if own && self.column(base).is_some() {
            return Some(base.to_owned());
        }
        let prefix = format!("{base}::");
        self.header
            .iter()
            .zip(&self.languages)
            .find(|(h, l)| h.starts_with(&prefix) && l.as_ref() == Some(language))
            .map(|(h, _)| h.clone())
    }

    /// The cell of `base` in `language`, empty when the sheet has no such column.
    pub(super) fn text_in<'a>(&self, row: &'a [String], base: &str, language: &Language, own: bool) -> &'a str {
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
        // A date (a form's version is often one): as the day it is, 1900 date system.
        Data::DateTime(d) => {
            // Up to 9999-12-31, the last day a spreadsheet has.
            let days = Some(d.as_f64().floor()).filter(|n| (0.0..=2_958_465.0).contains(n));
            let span = days.and_then(|n| jiff::Span::new().try_days(n as i64).ok());
            let day = span.and_then(|span| jiff::civil::date(1899, 12, 30).checked_add(span).ok());
            day.ok_or_else(|| "the cell holds a date out of range".to_owned())?.to_string()
        }
        Data::Error(e) => return Err(format!("the cell holds an error ({e:?})")),
    })
}

pub(super) fn read_sheet<R: std::io::Read + std::io::Seek>(
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
        // A cell with nothing in it (a sheet may format a whole block) takes no room.
        if matches!(cell.get_value(), calamine::DataRef::Empty) {
            continue;
        }
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
        return Ok(Some(Sheet { name, header: Vec::new(), languages: Vec::new(), rows: Vec::new() }));
    };
    // A header may start past column A (a sheet some tools write so): its empty cells name no column.
    let _ = header_row;
    let header: Vec<String> = header.iter().map(|c| column_name(&text(c).unwrap_or_default())).collect();
    let languages = header.iter().map(|h| h.split_once("::").and_then(|(_, suffix)| tag_of(suffix))).collect();
    let mut sheet = Sheet { name, header, languages, rows: Vec::new() };
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

/// A header as the reader looks it up: lower case, `list name` as `list_name`, and a translated
/// column written with one colon (`label:English`, as older forms do and pyxform reads) with two.
fn column_name(header: &str) -> String {
    let name = header.trim().to_lowercase().replace("list name", "list_name");
    let name = match name.split_once(':') {
        Some((base, rest)) if !rest.starts_with(':') && !base.is_empty() => format!("{base}::{}", rest.trim()),
        _ => name,
    };
    // The older names some forms still use.
    match name.as_str() {
        "bind::relevant" => "relevant".into(),
        "bind::constraint" => "constraint".into(),
        "bind::required" => "required".into(),
        "requiredmsg" | "bind::jr:requiredmsg" => "required_message".into(),
        "bind::jr:constraintmsg" => "constraint_message".into(),
        "id_string" => "form_id".into(),
        "title" => "form_title".into(),
        _ => name,
    }
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
pub(super) fn check_size(bytes: &[u8]) -> Result<(), Refusal> {
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
pub(super) fn declared_strings(start: &[u8]) -> Option<usize> {
    let text = String::from_utf8_lossy(start);
    let tag = &text[text.find("<sst")?..];
    let tag = &tag[..tag.find('>')?];
    let declared = ["uniqueCount=\"", "count=\""].iter().filter_map(|attribute| {
        let at = tag.find(attribute)? + attribute.len();
        tag[at..].split('"').next()?.trim().parse::<u128>().ok()
    });
    Some(declared.max().map_or(0, |n| usize::try_from(n).unwrap_or(usize::MAX)))
}
