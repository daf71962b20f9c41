//! Frictionless Data Packages (datapackage.org, v1): a zip of the CSV files with a
//! `datapackage.json` holding a Table Schema for each, so that open-data portals and the
//! `frictionless` tools know what every column means, its type, the values it may take and the
//! markers used for missing and held-back figures.

use super::responses::{Described, Values};
use crate::error::AppError;
use crate::insight::Summary;
use serde_json::{Value, json};
use std::io::{Read, Seek, Write};

/// The marker a held-back count is written as (see `summary.rs`).
const HELD_BACK: &str = "[c]";

/// The package's own description: its name, title and where it came from.
pub struct About<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub council: &'a str,
    /// When it was made (RFC 3339, UTC).
    pub created: String,
}

fn package(about: &About<'_>, description: String, resource: Value) -> Value {
    json!({
        "profile": "tabular-data-package",
        "name": about.slug,
        "title": about.title,
        "description": description,
        "created": about.created,
        "contributors": [{ "title": about.council, "role": "publisher" }],
        "resources": [resource],
    })
}

/// The summary's package. `threshold` is the small-number rule when the figures are publishable.
pub fn summary(about: &About<'_>, summary: &Summary, threshold: Option<i64>, weighted: bool) -> Value {
    let questions: Vec<&str> = summary.questions.iter().map(|q| q.id.as_str()).collect();
    let mut options: Vec<&str> = summary.questions.iter().flat_map(|q| q.rows.iter().map(|r| r.id.as_str())).collect();
    options.sort_unstable();
    options.dedup();
    let rule = match threshold {
        Some(n) => format!(
            " Counts under {n} are held back and written {HELD_BACK}, with as many others as it takes (secondary suppression) so that none can be worked out from the totals."
        ),
        None => " Not for publishing: small counts are shown.".to_owned(),
    };
    let description =
        format!("{}: how many of the {} respondents gave each answer.{rule}", about.title, summary.respondents);
    let field =
        |name: &str, kind: &str, description: &str| json!({ "name": name, "type": kind, "description": description });
    let mut fields = vec![
        field("question_id", "string", "The question's id"),
        field("question", "string", "The question as residents read it"),
        field(
            "option_id",
            "string",
            "The answer's id; no_answer for those who were asked and did not answer; answered for a written answer",
        ),
        field("option", "string", "The answer as residents read it"),
        field("count", "integer", "How many gave this answer"),
        field("base", "integer", "How many were asked the question: the count's share is of this"),
        field("percent", "number", "count as a percentage of base, to one decimal place"),
        field("percent_low", "number", "The lower end of percent's 95% interval (Wilson's score interval)"),
        field("percent_high", "number", "The upper end of percent's 95% interval (Wilson's score interval)"),
        field(
            "quality",
            "string",
            "How precise percent is, by its coefficient of variation on the ONS key: precise (5% or less), reasonably precise (to 10%), acceptable (to 20%), treat with caution (over 20%); empty for 0",
        ),
        field(
            "versions",
            "string",
            "Which versions of the survey the figures come from, when not every version asked the question the same way",
        ),
    ];
    fields[0]["constraints"] = json!({ "required": true, "enum": questions });
    fields[2]["constraints"] = json!({ "required": true, "enum": options });
    fields[4]["constraints"] = json!({ "minimum": 0 });
    fields[5]["constraints"] = json!({ "minimum": 0 });
    for bound in [7, 8] {
        fields[bound]["constraints"] = json!({ "minimum": 0, "maximum": 100 });
    }
    fields[9]["constraints"] = json!({ "enum": ["precise", "reasonably precise", "acceptable", "treat with caution"] });
    if weighted {
        let weighted_fields = [
            ("weighted_percent", "number", "The answer's share weighted to the borough's population, in percent"),
            (
                "weighted_low",
                "number",
                "The lower end of weighted_percent's 95% interval (from its standard error with the weights, on the log-odds scale)",
            ),
            ("weighted_high", "number", "The upper end of weighted_percent's 95% interval"),
            ("weighted_quality", "string", "How precise weighted_percent is, on the same ONS key as quality"),
        ];
        for (name, kind, description) in weighted_fields {
            let mut f = field(name, kind, description);
            f["constraints"] = match kind {
                "number" => json!({ "minimum": 0, "maximum": 100 }),
                _ => json!({ "enum": ["precise", "reasonably precise", "acceptable", "treat with caution"] }),
            };
            fields.push(f);
        }
    }
    let resource = json!({
        "name": "summary",
        "path": "summary.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "description": description,
        "schema": { "fields": fields, "missingValues": ["", HELD_BACK] },
    });
    package(about, description, resource)
}

/// The responses' package: one row per response, a column per question (per option for those
/// with several answers), each described by the question, with its answers' ids as an `enum`.
pub fn responses(about: &About<'_>, columns: &[Described]) -> Value {
    let fields: Vec<Value> = columns
        .iter()
        .map(|c| {
            let mut field = json!({ "name": c.name, "description": c.label });
            match &c.values {
                Values::Text if c.name == "submitted_at" => field["type"] = json!("datetime"),
                Values::Text => field["type"] = json!("string"),
                Values::Number => field["type"] = json!("integer"),
                Values::Decimal => field["type"] = json!("number"),
                Values::Date => field["type"] = json!("date"),
                Values::Ticked => {
                    field["type"] = json!("integer");
                    field["constraints"] = json!({ "enum": [0, 1] });
                }
                Values::Labelled(values) => {
                    field["type"] = json!("string");
                    field["constraints"] = json!({ "enum": values.iter().map(|(id, _)| id).collect::<Vec<_>>() });
                    field["description"] = json!(format!(
                        "{} ({})",
                        c.label,
                        values.iter().map(|(id, label)| format!("{id}: {label}")).collect::<Vec<_>>().join("; ")
                    ));
                }
            }
            if c.name == "reference" {
                field["constraints"] = json!({ "required": true, "unique": true });
            }
            field
        })
        .collect();
    let description = format!(
        "{}: every response, one row each, for the council's own use. A blank cell is a question not asked, or not answered. Contains what residents wrote: not for publishing.",
        about.title
    );
    let resource = json!({
        "name": "responses",
        "path": "responses.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "description": description,
        "schema": { "fields": fields, "missingValues": [""], "primaryKey": "reference" },
    });
    package(about, description, resource)
}

/// A zip of `datapackage.json` and the CSV file (read from `csv`, so that a large file streams
/// through without being held in memory), written to `out`.
pub fn zip<W: Write + Seek>(out: W, descriptor: &Value, csv_name: &str, csv: &mut impl Read) -> Result<W, AppError> {
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut archive = zip::ZipWriter::new(out);
    let broken = |e: zip::result::ZipError| AppError::Internal(anyhow::anyhow!("zip: {e}"));
    archive.start_file("datapackage.json", options).map_err(broken)?;
    archive.write_all(serde_json::to_string_pretty(descriptor)?.as_bytes())?;
    archive.start_file(csv_name, options).map_err(broken)?;
    std::io::copy(csv, &mut archive)?;
    archive.finish().map_err(broken)
}
