//! Cells that are safe to open in a spreadsheet.

/// Excel and others run a cell that starts with one of these as a formula (OWASP, CSV injection).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Neutralises a would-be formula with a leading apostrophe, which spreadsheets hide.
pub fn safe(value: &str) -> std::borrow::Cow<'_, str> {
    if value.starts_with(FORMULA_STARTS) { format!("'{value}").into() } else { value.into() }
}

/// The UTF-8 byte order mark, so that Excel reads non-ASCII names correctly.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

#[cfg(test)]
mod tests {
    use super::safe;

    #[test]
    fn formulas_are_neutralised_and_other_text_is_not() {
        for hostile in ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx", "=HYPERLINK(\"http://x\")"] {
            assert_eq!(safe(hostile), format!("'{hostile}"));
        }
        for plain in ["", "Yes", "a=b", "Llanfair – ŵ", "😀", "100"] {
            assert_eq!(safe(plain), plain);
        }
    }
}
