//! The borough's population by the answers to a survey's about-you questions (ward, age band,
//! sex…), uploaded by an admin from the Census tables, so that the results can show who is still
//! missing from the answers: each answer's share of responses against its share of residents,
//! and how many people short it is.

pub mod pages;
pub mod store;

use super::{Cell, QuestionSummary};
use crate::survey::{Kind, PREFER_NOT_TO_SAY, Survey};
use std::collections::HashMap;

/// The most rows a population file may have: far more than any borough's wards by age by sex.
pub const MAX_ROWS: usize = 5_000;
/// The largest population file taken, with room for the form around it.
pub const MAX_FILE_BYTES: usize = 1024 * 1024;

/// One question's population: each answer's number of residents, in the question's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Margin {
    pub question_id: String,
    pub people: Vec<(String, i64)>,
}

/// A population file, read: CSV with the columns `question`, `option` and `population` (others
/// are ignored), one row for each answer of each question it covers, "Prefer not to say" left out.
/// Every problem is found and said by its line, so that the admin can fix the file in one go.
pub fn parse(survey: &Survey, file: &[u8]) -> Result<Vec<Margin>, Vec<String>> {
    let (header, mut reader) = crate::survey::csv_table(file)?;
    let column = |name: &str| header.iter().position(|h| h == name);
    let (Some(q_at), Some(o_at), Some(n_at)) = (column("question"), column("option"), column("population")) else {
        return Err(vec!["The first line must name the columns question, option and population.".to_owned()]);
    };
    let mut problems = Vec::new();
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    let mut people: HashMap<String, HashMap<String, i64>> = HashMap::new();
    for (line, record) in (2..).zip(reader.records()) {
        if line > MAX_ROWS + 1 {
            problems.push(format!("The file has more than {MAX_ROWS} rows: a population file needs far fewer."));
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
        let (q, o, n) = (cell(q_at), cell(o_at), cell(n_at));
        if q.is_empty() && o.is_empty() && n.is_empty() {
            continue;
        }
        match row(survey, q, o, n) {
            Ok(count) => {
                if let Some(first) = seen.insert((q.to_owned(), o.to_owned()), line) {
                    problems.push(format!("Line {line}: {q} {o} is also on line {first}."));
                }
                people.entry(q.to_owned()).or_default().insert(o.to_owned(), count);
            }
            Err(message) => problems.push(format!("Line {line}: {message}")),
        }
    }
    if seen.is_empty() && problems.is_empty() {
        problems.push("The file has no rows after the first line.".to_owned());
    }
    // Every answer of each question covered, so that shares of residents are shares of everyone.
    let mut margins = Vec::new();
    for question in survey.questions().iter().filter(|q| people.contains_key(&q.id)) {
        let given = &people[&question.id];
        let answers = question.options.iter().filter(|o| o.id != PREFER_NOT_TO_SAY);
        let missing: Vec<&str> =
            answers.clone().filter(|o| !given.contains_key(&o.id)).map(|o| o.id.as_str()).collect();
        if !missing.is_empty() {
            problems.push(format!(
                "{}: no population for {}. Give 0 for an answer nobody in the borough would give.",
                question.id,
                missing.join(", ")
            ));
        } else if given.values().sum::<i64>() == 0 {
            problems.push(format!("{}: the population adds up to 0.", question.id));
        }
        margins.push(Margin {
            question_id: question.id.clone(),
            people: answers.map(|o| (o.id.clone(), given.get(&o.id).copied().unwrap_or(0))).collect(),
        });
    }
    if problems.is_empty() { Ok(margins) } else { Err(problems) }
}

/// One row's count, or what is wrong with it.
fn row(survey: &Survey, question: &str, option: &str, population: &str) -> Result<i64, String> {
    let q = survey.question(question).ok_or_else(|| format!("this survey has no question {question}."))?;
    if q.kind != Kind::Single {
        return Err(format!(
            "{question} is not a question with one answer, so residents cannot be counted once in it."
        ));
    }
    if !survey.about_you().any(|about| about.id == q.id) {
        return Err(format!(
            "{question} is not about the resident (the \u{201c}About you\u{201d} section), so the Census does not count it."
        ));
    }
    if option == PREFER_NOT_TO_SAY {
        return Err(format!("leave out {PREFER_NOT_TO_SAY}: nobody is counted under it in the Census."));
    }
    if q.option(option).is_none() {
        return Err(format!("{question} has no answer {option}."));
    }
    // Census tables write thousands with commas or spaces.
    let digits: String = population.chars().filter(|c| !matches!(c, ',' | ' ' | '_')).collect();
    digits
        .parse::<u32>()
        .map(i64::from)
        .map_err(|_| format!("the population of {question} {option} must be a whole number of people, like 12345."))
}

/// An answer's place among who answered, against its place among residents.
#[derive(Debug, Clone, PartialEq)]
pub struct Shortfall {
    pub option_id: String,
    pub label: String,
    pub responses: i64,
    /// Of those who gave one of the question's answers (not "No answer", not "Prefer not to say").
    pub response_share: f64,
    pub population_share: f64,
    /// How many more people gave this answer would make the responses like the borough, at the
    /// same number of responses: negative where there are more than that.
    pub people: f64,
}

/// Who is missing, by one question: its answers, most short first. None when a count is held
/// back or nobody gave an answer the population covers.
pub fn shortfalls(margin: &Margin, q: &QuestionSummary) -> Option<Vec<Shortfall>> {
    let counts: Vec<(&str, &str, i64)> = margin
        .people
        .iter()
        .map(|(id, _)| {
            let row = q.rows.iter().find(|r| r.id == *id)?;
            match row.count {
                Cell::Count(n) => Some((id.as_str(), row.label.as_str(), n)),
                Cell::Suppressed => None,
            }
        })
        .collect::<Option<_>>()?;
    let answered: i64 = counts.iter().map(|(_, _, n)| n).sum();
    let residents: i64 = margin.people.iter().map(|(_, n)| n).sum();
    if answered == 0 || residents == 0 {
        return None;
    }
    let mut rows: Vec<Shortfall> = counts
        .into_iter()
        .zip(&margin.people)
        .map(|((id, label, n), (_, people))| {
            let population_share = *people as f64 / residents as f64;
            Shortfall {
                option_id: id.to_owned(),
                label: label.to_owned(),
                responses: n,
                response_share: n as f64 / answered as f64,
                population_share,
                people: population_share * answered as f64 - n as f64,
            }
        })
        .collect();
    rows.sort_by(|a, b| b.people.total_cmp(&a.people).then_with(|| a.label.cmp(&b.label)));
    Some(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::insight::OptionRow;

    fn survey() -> Survey {
        crate::survey::builtin()
    }

    #[test]
    fn a_census_table_reads_as_margins() {
        let file = "\u{feff}Question,Option,Population,Source\nage_band,16_24,\"21,340\",TS007\nage_band,25_34,30100,\nage_band,35_44,28000,\nage_band,45_54,27000,\nage_band,55_64,25000,\nage_band,65_74,19000,\nage_band,75_plus,15 200,\n";
        let margins = parse(&survey(), file.as_bytes());
        let margins = margins.unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(margins.len(), 1);
        assert_eq!(margins[0].people[0], ("16_24".to_owned(), 21_340));
        assert_eq!(margins[0].people.last().unwrap().1, 15_200);
    }

    #[test]
    fn every_problem_is_said_by_its_line() {
        let file = "question,option,population\nage_band,16_24,-3\nage_band,16_24,10\nage_band,16_24,10\nward_x,a,1\nage_band,prefer_not_to_say,4\nused_online,yes,5\nage_band,99,5\n";
        let problems = parse(&survey(), file.as_bytes()).unwrap_err();
        let said = problems.join("\n");
        for expected in [
            "Line 2: the population of age_band 16_24 must be a whole number",
            "Line 4: age_band 16_24 is also on line 3.",
            "Line 5: this survey has no question ward_x.",
            "Line 6: leave out prefer_not_to_say",
            "Line 7: used_online is not about the resident",
            "Line 8: age_band has no answer 99.",
            "age_band: no population for 25_34",
        ] {
            assert!(said.contains(expected), "{expected}\nin\n{said}");
        }
        assert!(parse(&survey(), b"q,o,p\n").unwrap_err()[0].contains("must name the columns"));
        assert!(parse(&survey(), b"question,option,population\n").unwrap_err()[0].contains("no rows"));
        assert!(parse(&survey(), b"\xff\xfe").unwrap_err()[0].contains("UTF-8"));
    }

    fn summary(counts: &[(&str, Cell)]) -> QuestionSummary {
        QuestionSummary {
            id: "ward".into(),
            text: "Ward".into(),
            kind: Kind::Single,
            base: Cell::Count(counts.iter().map(|(_, c)| c.value()).sum()),
            rows: counts
                .iter()
                .map(|(id, count)| OptionRow { id: (*id).to_owned(), label: id.to_uppercase(), count: *count })
                .collect(),
            note: None,
            middle: None,
        }
    }

    #[test]
    fn the_most_missing_come_first() {
        let margin = Margin {
            question_id: "ward".into(),
            people: vec![("a".into(), 5000), ("b".into(), 3000), ("c".into(), 2000)],
        };
        // 100 answered: 70 in a, 10 in b, 20 in c; the borough would give 50, 30, 20.
        let q = summary(&[
            ("a", Cell::Count(70)),
            ("b", Cell::Count(10)),
            ("c", Cell::Count(20)),
            ("no_answer", Cell::Count(9)),
        ]);
        let rows = shortfalls(&margin, &q).unwrap();
        let order: Vec<(&str, i64)> = rows.iter().map(|r| (r.option_id.as_str(), r.people.round() as i64)).collect();
        assert_eq!(order, [("b", 20), ("c", 0), ("a", -20)]);
        assert!((rows[0].response_share - 0.1).abs() < 1e-12 && (rows[0].population_share - 0.3).abs() < 1e-12);
        let held = summary(&[("a", Cell::Count(70)), ("b", Cell::Suppressed), ("c", Cell::Count(20))]);
        assert_eq!(shortfalls(&margin, &held), None, "a held count would be given away");
        let nobody = summary(&[("a", Cell::Count(0)), ("b", Cell::Count(0)), ("c", Cell::Count(0))]);
        assert_eq!(shortfalls(&margin, &nobody), None);
    }
}
