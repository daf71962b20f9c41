//! A survey's postcode-to-ward lookup: the borough's postcodes, each with the answer of the ward
//! question it falls in, from the file an admin uploads (an extract of the ONS Postcode Directory,
//! or two columns of postcode and ward). A postcode question that `fills` the ward question looks
//! a resident's postcode up here; the resident sees the ward chosen and can change it.

use super::typed::Postcode;
use super::{Kind, Question, Survey};
use crate::db::Db;
use crate::error::AppError;
use std::collections::{BTreeMap, BTreeSet};

/// The largest lookup file taken: a big city's extract of the directory, with room to spare.
pub const MAX_FILE_BYTES: usize = 30 * 1024 * 1024;
/// The most rows: far more postcodes than any council area has (Birmingham has under 50,000).
pub const MAX_ROWS: usize = 300_000;

/// The columns a postcode may be in: the directory's (`pcds` with its space, `pcd`, `pcd7`,
/// `pcd8`) or a plain `postcode`.
const POSTCODE_COLUMNS: [&str; 5] = ["pcds", "pcd", "pcd7", "pcd8", "postcode"];

/// The question a survey's lookup fills: the ward question its postcode question names.
pub fn filled(survey: &Survey) -> Option<&Question> {
    let fills = survey.questions().iter().find_map(|q| q.postcode.as_ref()?.fills.as_deref())?;
    survey.question(fills).filter(|q| q.kind == Kind::Single)
}

/// A lookup file, read: each postcode (written one way) with its ward's answer id. The ward is
/// matched to the question's answers by id or by name (any case), and may be in `ward`,
/// `ward_name`, `ward_code`, the directory's `osward`, or a ward names file's `wdYYnm`/`wdYYcd`.
/// Every problem is found and said, so the admin can fix the file in one go.
pub fn parse(ward: &Question, file: &[u8]) -> Result<BTreeMap<String, String>, Vec<String>> {
    let (header, mut reader) = crate::survey::csv_table(file)?;
    let postcode_at = header.iter().position(|h| POSTCODE_COLUMNS.contains(&h.as_str()));
    let is_ward = |h: &str| {
        matches!(h, "ward" | "ward_name" | "ward_code" | "osward")
            || h.len() == 6
                && h.starts_with("wd")
                && h[2..4].chars().all(|c| c.is_ascii_digit())
                && matches!(&h[4..], "nm" | "cd")
    };
    let ward_at = header.iter().position(|h| is_ward(h));
    let (Some(postcode_at), Some(ward_at)) = (postcode_at, ward_at) else {
        return Err(vec![
            "The first line must name a postcode column (postcode, or pcds as the ONS Postcode Directory has it) and a ward column (ward, or osward)."
                .to_owned(),
        ]);
    };
    // Each ward answer by its id and its name, in lower case.
    let answers: BTreeMap<String, &str> = ward
        .options
        .iter()
        .flat_map(|o| [(o.id.to_lowercase(), o.id.as_str()), (o.label.trim().to_lowercase(), o.id.as_str())])
        .collect();
    let mut problems = Vec::new();
    let mut unknown: BTreeSet<String> = BTreeSet::new();
    let mut wards: BTreeMap<String, String> = BTreeMap::new();
    for (line, record) in (2..).zip(reader.records()) {
        if line > MAX_ROWS + 1 {
            problems.push(format!("The file has more than {} rows.", crate::survey::thousands(MAX_ROWS)));
            break;
        }
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                problems.push(format!("Line {line} cannot be read as CSV ({e})."));
                continue;
            }
        };
        let cell = |at: usize| record.get(at).unwrap_or_default().trim();
        let (raw, named) = (cell(postcode_at), cell(ward_at));
        if raw.is_empty() && named.is_empty() {
            continue;
        }
        let Some(postcode) = Postcode::parse(raw) else {
            if problems.len() < 20 {
                problems.push(format!("Line {line}: \u{201c}{raw}\u{201d} is not a postcode."));
            }
            continue;
        };
        match answers.get(&named.to_lowercase()) {
            Some(id) => {
                if let Some(before) = wards.insert(postcode.full(), (*id).to_owned())
                    && before != *id
                    && problems.len() < 20
                {
                    problems.push(format!("Line {line}: {} is also in ward {before}.", postcode.full()));
                }
            }
            None => {
                unknown.insert(named.to_owned());
            }
        }
    }
    if !unknown.is_empty() {
        let some: Vec<&str> = unknown.iter().take(10).map(String::as_str).collect();
        problems.push(format!(
            "{} wards in the file are not answers of the question \u{201c}{}\u{201d}: {}{}. Name each ward as the question does, by its id or its words.",
            unknown.len(),
            ward.text,
            some.join(", "),
            if unknown.len() > some.len() { " …" } else { "" }
        ));
    }
    if wards.is_empty() && problems.is_empty() {
        problems.push("The file has no rows after the first line.".to_owned());
    }
    if problems.is_empty() { Ok(wards) } else { Err(problems) }
}

/// The ward answer `postcode` falls in, if the survey's lookup has it.
pub async fn ward_for(db: &Db, survey_id: i64, postcode: &Postcode) -> Result<Option<String>, AppError> {
    Ok(sqlx::query_scalar("SELECT ward FROM postcode_ward WHERE survey_id = $1 AND postcode = $2")
        .bind(survey_id)
        .bind(postcode.full())
        .fetch_optional(&db.read)
        .await?)
}

/// How many postcodes the survey's lookup has.
pub async fn count(db: &Db, survey_id: i64) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM postcode_ward WHERE survey_id = $1")
        .bind(survey_id)
        .fetch_one(&db.read)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postcodes_are_read_in_any_case_and_spacing_and_kept_one_way() {
        for (typed, full, sector) in [
            ("ts181au", "TS18 1AU", "TS18 1"),
            (" TS18  1AU ", "TS18 1AU", "TS18 1"),
            ("m1 1aa", "M1 1AA", "M1 1"),
            ("EC1A1BB", "EC1A 1BB", "EC1A 1"),
        ] {
            let postcode = Postcode::parse(typed).unwrap();
            assert_eq!((postcode.full().as_str(), postcode.sector().as_str()), (full, sector), "{typed}");
        }
        for wrong in ["", "TS18", "TS18 1A", "1S18 1AU", "TS18 AAU", "TS181AUX", "TS18-1AU", "ŤS18 1AU", "TS18 1A1"] {
            assert_eq!(Postcode::parse(wrong), None, "{wrong}");
        }
    }

    #[test]
    fn a_lookup_matches_wards_by_id_or_name_and_says_what_it_cannot() {
        let survey = Survey::from_document(crate::survey::tests::POSTCODE).unwrap();
        let ward = filled(&survey).unwrap();
        let file = "pcds,osward,oslaua\nTS18 1AU,Stockton Town Centre,E06000004\nts201aa,E05012345,E06000004\n";
        let wards = parse(ward, file.as_bytes()).unwrap();
        assert_eq!(wards["TS18 1AU"], "stockton_town_centre");
        assert_eq!(wards["TS20 1AA"], "e05012345", "a directory's ward code, as the answer's id");
        let two = parse(ward, b"postcode,ward\nTS18 1AU,stockton_town_centre\n").unwrap();
        assert_eq!(two.len(), 1);
        let wrong = parse(ward, b"postcode,ward\nnot one,x\nTS18 1AU,Hartlepool\nTS18 2AU,Hartlepool\n").unwrap_err();
        assert_eq!(wrong[0], "Line 2: \u{201c}not one\u{201d} is not a postcode.");
        assert!(wrong[1].starts_with("1 wards in the file are not answers of the question"), "{wrong:?}");
        let clash = parse(ward, b"postcode,ward\nTS18 1AU,stockton_town_centre\nts181au,e05012345\n").unwrap_err();
        assert_eq!(clash, vec!["Line 3: TS18 1AU is also in ward stockton_town_centre."]);
        assert!(parse(ward, b"code,area\nTS18 1AU,x\n").unwrap_err()[0].starts_with("The first line must name"));
    }
}
