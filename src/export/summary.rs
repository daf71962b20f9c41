//! The summary export: one row per option, plus `no_answer`, with the count, the base it is a
//! share of, and the percentage. Held-back counts read `[c]`, as in ONS tables.

use super::cells::{BOM, safe};
use crate::insight::{Cell, Summary};

/// `versions` is empty when every version asked the question the same way, and otherwise says
/// which versions the figures come from.
const COLUMNS: [&str; 8] = ["question_id", "question", "option_id", "option", "count", "base", "percent", "versions"];
const HELD_BACK: &str = "[c]";

fn cell(c: Cell) -> String {
    match c {
        Cell::Count(n) => n.to_string(),
        Cell::Suppressed => HELD_BACK.to_owned(),
    }
}

pub fn to_csv(summary: &Summary, bom: bool) -> Result<Vec<u8>, csv::Error> {
    let mut out = csv::Writer::from_writer(if bom { BOM.to_vec() } else { Vec::new() });
    out.write_record(COLUMNS)?;
    for q in &summary.questions {
        for row in &q.rows {
            let percent = match row.count.percent_of(q.base) {
                Some(p) => format!("{p:.1}"),
                None if row.count == Cell::Suppressed || q.base == Cell::Suppressed => HELD_BACK.to_owned(),
                None => String::new(),
            };
            let fields = [
                q.id.clone(),
                q.text.clone(),
                row.id.clone(),
                row.label.clone(),
                cell(row.count),
                cell(q.base),
                percent,
                q.note.clone().unwrap_or_default(),
            ];
            out.write_record(fields.iter().map(|f| safe(f).into_owned()))?;
        }
    }
    out.into_inner().map_err(|e| e.into_error().into())
}
