//! Syntax that loads the responses export into the analysts' own tools with its meaning attached:
//! an SPSS `.sps` (runs in SPSS and GNU PSPP) and an R script, each giving every column the
//! question as its variable label and every answer id its option's label.
//!
//! The syntax reads the file the responses download writes (ids, not labels), under the name the
//! download gives it that day; both say so at the top.

use super::responses::{Described, Values};

/// SPSS's words that cannot name a variable.
const SPSS_RESERVED: [&str; 13] = ["ALL", "AND", "BY", "EQ", "GE", "GT", "LE", "LT", "NE", "NOT", "OR", "TO", "WITH"];
/// Longest variable name SPSS takes, in bytes.
const SPSS_NAME_BYTES: usize = 64;
/// Longest variable label and value label SPSS keeps, in bytes.
const SPSS_LABEL_BYTES: usize = 255;
const SPSS_VALUE_LABEL_BYTES: usize = 120;

/// Variable names SPSS accepts, one per column, in order: letters, digits and `_` (others become
/// `_`), starting with a letter, at most 64 bytes, not a reserved word, and unique ignoring case
/// (a clash gets `_2`, `_3`… within the length).
pub fn spss_names(columns: &[Described]) -> Vec<String> {
    let mut taken: Vec<String> = Vec::new();
    columns
        .iter()
        .map(|c| {
            let mut base: String = c.name.chars().map(|ch| if ch.is_ascii_alphanumeric() { ch } else { '_' }).collect();
            if !base.starts_with(|ch: char| ch.is_ascii_alphabetic()) {
                base.insert_str(0, "v_");
            }
            if SPSS_RESERVED.contains(&base.to_ascii_uppercase().as_str()) {
                base.push('_');
            }
            base.truncate(SPSS_NAME_BYTES);
            let mut name = base.clone();
            let mut n = 1;
            while taken.contains(&name.to_ascii_lowercase()) {
                n += 1;
                let suffix = format!("_{n}");
                name = format!("{}{suffix}", &base[..base.len().min(SPSS_NAME_BYTES - suffix.len())]);
            }
            taken.push(name.to_ascii_lowercase());
            name
        })
        .collect()
}

/// `text` cut to at most `bytes` bytes, on a character boundary.
fn within(text: &str, bytes: usize) -> &str {
    let mut end = text.len().min(bytes);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

fn spss_string(text: &str, bytes: usize) -> String {
    let one_line = text.replace(['\r', '\n'], " ");
    format!("'{}'", within(&one_line, bytes).replace('\'', "''"))
}

/// The width in bytes SPSS reads a column with.
fn spss_format(column: &Described) -> String {
    match &column.values {
        // Up to 15 digits and a minus sign.
        Values::Number => "F16.0".into(),
        Values::Decimal => "F12.6".into(),
        // `2007-03-27`: PSPP's date formats take any of - / . as the separator.
        Values::Date => "SDATE10".into(),
        Values::Ticked => "F1.0".into(),
        Values::Labelled(values) => format!("A{}", values.iter().map(|(id, _)| id.len()).max().unwrap_or(1).max(1)),
        // Up to 2,000 characters of up to 4 bytes each.
        Values::Text => "A8000".into(),
    }
}

/// SPSS syntax reading `file` (the responses download, ids not labels).
pub fn spss(columns: &[Described], file: &str, council: &str) -> String {
    let names = spss_names(columns);
    let mut out = format!(
        "* Reads {file} (the responses download from {council}'s inclusion survey) into SPSS or GNU PSPP,\n\
         * with each question as its variable's label and each answer's words as its value label.\n\
         * Download the responses for it with written answers on one line each (SPSS reads a case per\n\
         * line): the link beside this one, or .../export/responses.csv?one_line=1.\n\
         * Keep this file beside it, or change the name below to where it is.\n\n\
         GET DATA\n  /TYPE=TXT\n  /FILE={}\n  /ENCODING='UTF-8'\n  /ARRANGEMENT=DELIMITED\n  /DELCASE=LINE\n  /FIRSTCASE=2\n  /DELIMITERS=\",\"\n  /QUALIFIER='\"'\n  /VARIABLES=\n",
        spss_string(file, usize::MAX)
    );
    for (column, name) in columns.iter().zip(&names) {
        out += &format!("    {name} {}\n", spss_format(column));
    }
    out += ".\n\nVARIABLE LABELS\n";
    for (column, name) in columns.iter().zip(&names) {
        out += &format!("  {name} {}\n", spss_string(&column.label, SPSS_LABEL_BYTES));
    }
    out += ".\n\nVALUE LABELS\n";
    for (column, name) in columns.iter().zip(&names) {
        let labels: Vec<String> = match &column.values {
            Values::Labelled(values) => values
                .iter()
                .map(|(id, label)| {
                    format!("{} {}", spss_string(id, usize::MAX), spss_string(label, SPSS_VALUE_LABEL_BYTES))
                })
                .collect(),
            Values::Ticked => vec!["1 'Ticked'".into(), "0 'Not ticked'".into()],
            Values::Text | Values::Number | Values::Decimal | Values::Date => continue,
        };
        out += &format!("  /{name} {}\n", labels.join(" "));
    }
    // A blank answer (not asked, or not answered) is missing, not an answer.
    let blank: Vec<&String> =
        columns.iter().zip(&names).filter(|(c, _)| matches!(c.values, Values::Labelled(_))).map(|(_, n)| n).collect();
    if !blank.is_empty() {
        out += ".\n\nMISSING VALUES\n";
        for name in blank {
            out += &format!("  {name} (' ')\n");
        }
    }
    if let Some((_, name)) = columns.iter().zip(&names).find(|(c, _)| c.name == super::responses::WEIGHT) {
        out += ".\n\n* The results are weighted to the borough's population: this gives the weighted\n\
                * percentages the results page shows. SPSS takes the weights as counts in its tests, so\n\
                * for intervals use Complex Samples (or the R script, which uses the survey package).\n\
                WEIGHT BY ";
        out += name;
    }
    out += ".\n\nEXECUTE.\n";
    out
}

fn r_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n").replace('\r', "\\r"))
}

/// An R script reading `file`: answers become factors with the options' words as their labels,
/// and each column carries the question as its `label` attribute (as `haven` and `labelled` read).
pub fn r(columns: &[Described], file: &str, council: &str) -> String {
    let mut out = format!(
        "# Reads {file} (the responses download from {council}'s inclusion survey) into R, with each\n\
         # answer's words as factor labels and each question as the column's \"label\" attribute.\n\
         # Keep this file beside it, or change the name below to where it is.\n\n\
         responses <- read.csv({}, fileEncoding = \"UTF-8-BOM\", colClasses = \"character\",\n\
         \x20                     check.names = FALSE, na.strings = \"\")\n",
        r_string(file)
    );
    for column in columns {
        let col = format!("responses[[{}]]", r_string(&column.name));
        match &column.values {
            // R's integers stop at 2^31; answers may have up to 15 digits, exact as R's numbers.
            Values::Number | Values::Decimal => out += &format!("{col} <- as.numeric({col})\n"),
            Values::Date => out += &format!("{col} <- as.Date({col})\n"),
            Values::Ticked => {
                out += &format!(
                    "{col} <- factor({col}, levels = c(\"1\", \"0\"), labels = c(\"Ticked\", \"Not ticked\"))\n"
                )
            }
            Values::Labelled(values) => {
                let ids: Vec<String> = values.iter().map(|(id, _)| r_string(id)).collect();
                let labels: Vec<String> = values.iter().map(|(_, label)| r_string(label)).collect();
                out += &format!(
                    "{col} <- factor({col}, levels = c({}), labels = c({}))\n",
                    ids.join(", "),
                    labels.join(", ")
                );
            }
            Values::Text => {}
        }
        out += &format!("attr({col}, \"label\") <- {}\n", r_string(&column.label));
    }
    if columns.iter().any(|c| c.name == super::responses::WEIGHT) {
        out += "\n# The results are weighted to the borough's population. With the survey package, this\n\
                # design gives the weighted figures and intervals the results page shows, for example\n\
                # svyciprop(~I(used_online == \"Yes\"), design, method = \"xlogit\").\n\
                if (requireNamespace(\"survey\", quietly = TRUE)) {\n\
                \x20 design <- survey::svydesign(ids = ~1, weights = ~weight, data = responses)\n\
                }\n";
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(name: &str, values: Values) -> Described {
        Described { name: name.into(), label: format!("{name}'s label"), values }
    }

    #[test]
    fn names_are_valid_and_unique_in_spss() {
        let long = "x".repeat(70);
        let columns = ["why_not:no_internet", "1st", "and", "Why_not_no_internet", &long, &long, "ward"]
            .map(|n| column(n, Values::Text));
        let names = spss_names(&columns);
        assert_eq!(names[..4], ["why_not_no_internet", "v_1st", "and_", "Why_not_no_internet_2"]);
        assert_eq!(names[4].len(), 64);
        assert_eq!((names[5].len(), names[5].ends_with("_2")), (64, true));
        assert_eq!(names[6], "ward");
    }

    #[test]
    fn labels_are_quoted_and_cut_on_a_character() {
        assert_eq!(spss_string("It's Ŵ", 6), "'It''s '", "Ŵ is two bytes: not cut in half");
        assert_eq!(spss_string("It's Ŵ", 7), "'It''s Ŵ'");
        assert_eq!(r_string("say \"hi\"\\"), r#""say \"hi\"\\""#);
        let sps = spss(
            &[
                column("used_online", Values::Labelled(vec![("yes".into(), "Yes".into())])),
                column("t:x", Values::Ticked),
            ],
            "r.csv",
            "Council",
        );
        assert!(sps.contains("    used_online A3\n") && sps.contains("    t_x F1.0\n"), "{sps}");
        assert!(
            sps.contains("  /used_online 'yes' 'Yes'\n") && sps.contains("  /t_x 1 'Ticked' 0 'Not ticked'\n"),
            "{sps}"
        );
        assert!(sps.contains("/FILE='r.csv'"), "{sps}");
    }
}
