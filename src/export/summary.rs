//! The summary export: one row per option, plus `no_answer`, with the count, the base it is a
//! share of, the percentage, its 95% interval and quality mark ([`crate::insight::interval`]).
//! Held-back counts read `[c]`, as in ONS tables.

use super::cells::{BOM, safe};
use crate::insight::interval::Sureness;
use crate::insight::weighting::results::Weighted;
use crate::insight::{Cell, Summary};

/// `versions` is empty when every version asked the question the same way, and otherwise says
/// which versions the figures come from.
const COLUMNS: [&str; 11] = [
    "question_id",
    "question",
    "option_id",
    "option",
    "count",
    "base",
    "percent",
    "percent_low",
    "percent_high",
    "quality",
    "versions",
];
/// After those, when the results are weighted: the weighted share, its interval and its mark.
pub const WEIGHTED_COLUMNS: [&str; 4] = ["weighted_percent", "weighted_low", "weighted_high", "weighted_quality"];
const HELD_BACK: &str = "[c]";

fn cell(c: Cell) -> String {
    match c {
        Cell::Count(n) => n.to_string(),
        Cell::Suppressed => HELD_BACK.to_owned(),
    }
}

pub fn to_csv(summary: &Summary, weighted: Option<&Weighted>, bom: bool) -> Result<Vec<u8>, csv::Error> {
    let mut out = csv::Writer::from_writer(if bom { BOM.to_vec() } else { Vec::new() });
    out.write_record(COLUMNS.iter().chain(weighted.map_or(&[][..], |_| &WEIGHTED_COLUMNS[..])))?;
    for q in &summary.questions {
        for row in &q.rows {
            let percent = match row.count.percent_of(q.base) {
                Some(p) => format!("{p:.1}"),
                None if row.count == Cell::Suppressed || q.base == Cell::Suppressed => HELD_BACK.to_owned(),
                None => String::new(),
            };
            // The interval and its grade come from the count and base, so they are held back
            // with either, as the percentage is.
            let sure = Sureness::of(row.count, q.base);
            let (low, high) = sure.map(|s| s.interval.percent()).unwrap_or_else(|| (percent.clone(), percent.clone()));
            let quality = sure.and_then(|s| s.quality).map_or_else(String::new, |q| q.words().to_owned());
            // A weighted share only beside a count and base that are shown, as on the page.
            let weighted = weighted.map(|w| match (sure, w.share(&q.id, &row.id)) {
                (Some(_), Some(share)) => {
                    let (low, high) = share.interval().percent();
                    let quality = share.quality().map_or_else(String::new, |q| q.words().to_owned());
                    [format!("{:.1}", share.share * 100.0), low, high, quality]
                }
                (None, _) if percent == HELD_BACK => std::array::from_fn(|_| HELD_BACK.to_owned()),
                _ => Default::default(),
            });
            let fields = [
                q.id.clone(),
                q.text.clone(),
                row.id.clone(),
                row.label.clone(),
                cell(row.count),
                cell(q.base),
                percent,
                low,
                high,
                quality,
                q.note.clone().unwrap_or_default(),
            ];
            out.write_record(fields.iter().chain(weighted.iter().flatten()).map(|f| safe(f).into_owned()))?;
        }
    }
    out.into_inner().map_err(|e| e.into_error().into())
}
