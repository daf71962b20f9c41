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
