//! Reading an uploaded survey file, whichever format it is in.

use super::definition::{DefinitionErrors, Survey};

impl Survey {
    /// Reads an uploaded file: an XLSForm spreadsheet ([`super::xlsform`]), or a TOML or JSON
    /// document. A spreadsheet's refusal names its sheet, row and column.
    pub fn from_file(bytes: &[u8]) -> Result<Survey, DefinitionErrors> {
        if super::xlsform::is_spreadsheet(bytes) {
            let definition =
                super::xlsform::read(bytes).map_err(|refusal| DefinitionErrors::one(None, refusal.to_string()))?;
            return Survey::parse(definition);
        }
        let text = std::str::from_utf8(bytes).map_err(|_| {
            DefinitionErrors::one(
                None,
                "The file is not an XLSForm spreadsheet (.xlsx), or text (TOML or JSON, in UTF-8)",
            )
        })?;
        Survey::from_document(text)
    }
}
