//! Reading an uploaded survey file, whichever format it is in.

use super::definition::{DefinitionErrors, Survey};

/// An uploaded survey, and what its file had that it does not keep: an XLSForm's notes, each in
/// words with its sheet, row and column (none for a TOML or JSON document, which is ours).
#[derive(Debug)]
pub struct Uploaded {
    pub survey: Survey,
    pub notes: Vec<String>,
    /// Whether it came from an XLSForm: such a form is only ever a draft to review.
    pub from_xlsform: bool,
}

impl Survey {
    /// Reads an uploaded file: an XLSForm spreadsheet ([`super::xlsform`]), or a TOML or JSON
    /// document. A spreadsheet's refusal names its sheet, row and column; one without an id of its
    /// own is named after `file_name`, as XLSForm tools do.
    pub fn from_file(bytes: &[u8], file_name: Option<&str>) -> Result<Uploaded, DefinitionErrors> {
        if super::xlsform::is_spreadsheet(bytes) {
            let imported = super::xlsform::read(bytes, file_name)
                .map_err(|refusal| DefinitionErrors::one(None, refusal.to_string()))?;
            let notes = imported.notes.iter().map(ToString::to_string).collect();
            return Ok(Uploaded { survey: Survey::parse(imported.definition)?, notes, from_xlsform: true });
        }
        let text = std::str::from_utf8(bytes).map_err(|_| {
            DefinitionErrors::one(
                None,
                "The file is not an XLSForm spreadsheet (.xlsx), or text (TOML or JSON, in UTF-8)",
            )
        })?;
        Ok(Uploaded { survey: Survey::from_document(text)?, notes: Vec::new(), from_xlsform: false })
    }
}

/// An uploaded table (the population, a postcode lookup): a CSV file's reader, past its first line,
/// and that line's column names in lower case. UTF-8 with or without a byte order mark, as
/// spreadsheets save it; rows may have fewer or more cells than the first line.
pub fn csv_table(file: &[u8]) -> Result<(Vec<String>, csv::Reader<&[u8]>), Vec<String>> {
    let text = std::str::from_utf8(file.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(file))
        .map_err(|_| vec!["The file is not UTF-8 text: save it as \u{201c}CSV UTF-8\u{201d}.".to_owned()])?;
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| vec![format!("The file cannot be read as CSV ({e}).")])?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    Ok((header, reader))
}
