//! Per-question counts. A question's base is the number of respondents who were shown it: everyone
//! for an unconditional question, and for a follow-up those whose earlier answer opened it (answers
//! to hidden questions are never stored, so an answer implies it was shown). "No answer" is the
//! shown-but-skipped count, reported, never dropped. Multiple choice counts are of respondents, so
//! their percentages can add up to more than 100.

use crate::db::Db;
use crate::error::AppError;
use crate::responses::filters::{Filters, Param};
use crate::responses::tally;
use crate::survey::measures::{MEASURES, Measure};
use crate::survey::{Catalogue, Kind, Question, Survey, SurveyVersion};
use crate::ui::capitalise;
use std::collections::HashMap;

/// Counts under this are suppressed in publishable output (a common rule for ward-level tables).
pub const DEFAULT_THRESHOLD: i64 = 5;

/// A count as shown: exact, or held back so nobody can be identified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    Count(i64),
    Suppressed,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OptionRow {
    /// Option id, or `no_answer`, or `answered` for a text question.
    pub id: String,
    pub label: String,
    pub count: Cell,
}

#[derive(Debug, Clone, PartialEq)]
pub struct QuestionSummary {
    pub id: String,
    pub text: String,
    pub kind: Kind,
    pub base: Cell,
    pub rows: Vec<OptionRow>,
    /// Which survey versions the figures come from, when not every version asked it the same way.
    pub note: Option<String>,
    /// A number question's middle answer, with its interval.
    pub middle: Option<super::values::Median>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Summary {
    pub respondents: i64,
    pub questions: Vec<QuestionSummary>,
    /// Each national measure some respondent was scored on, over every version.
    pub scores: Vec<Score>,
}

/// How many of those scored on a national measure met it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Score {
    pub measure: &'static Measure,
    pub met: Cell,
    /// Those who answered the measure's question.
    pub base: Cell,
}

impl QuestionSummary {
    /// The middle answer of a scale, over those who chose a point on it (not "Prefer not to
    /// say", not "No answer"). None when nobody did, or when a count is held back.
    pub fn median(&self) -> Option<f64> {
        if self.kind != Kind::Scale {
            return None;
        }
        let mut points = Vec::new();
        for row in &self.rows {
            if let Ok(value) = row.id.parse::<i64>() {
                match row.count {
                    Cell::Count(n) => points.push((value as f64, n)),
                    Cell::Suppressed => return None,
                }
            }
        }
        super::values::median(&points).map(|m| m.median)
    }
}

impl Default for Cell {
    fn default() -> Cell {
        Cell::Count(0)
    }
}

impl Cell {
    /// The count, or 0 when held back (for working out what else to hold back).
    pub fn value(self) -> i64 {
        match self {
            Cell::Count(n) => n,
            Cell::Suppressed => 0,
        }
    }

    /// As printed: the count, or `[c]` when held back.
    pub fn shown(self) -> String {
        match self {
            Cell::Count(n) => crate::survey::thousands(n.max(0) as usize),
            Cell::Suppressed => "[c]".to_owned(),
        }
    }

    /// Percentage of `base`, to one decimal place; none when either is held back or the base is 0.
    pub fn percent_of(self, base: Cell) -> Option<f64> {
        match (self, base) {
            (Cell::Count(n), Cell::Count(b)) if b > 0 => Some((n as f64 * 1000.0 / b as f64).round() / 10.0),
            _ => None,
        }
    }
}

/// The filters' WHERE clause, and every value to bind: the survey id first.
pub(super) fn filter_sql(survey_id: i64, filters: &Filters) -> (String, Vec<Param>) {
    let (sql, params) = filters.where_clause();
    (sql, std::iter::once(Param::Int(survey_id)).chain(params).collect())
}

pub(super) fn bind_all<'q, O>(
    mut query: sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>>,
    values: &'q [Param],
) -> sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>> {
    for v in values {
        query = match v {
            Param::Int(i) => query.bind(*i),
            Param::Text(t) => query.bind(t.as_str()),
        };
    }
    query
}

/// Counts kept apart by survey version until the versions are combined: (version id, question
/// id, option id) to a count, with the special keys of [`tally::key`] for respondents, those who
/// answered a question and those who were shown it.
#[derive(Debug, Default)]
struct Counts(HashMap<(i64, String, String), i64>);

type CountRow = (i64, String, String, i64);

impl Counts {
    fn get(&self, version_id: i64, question: &str, option: &str) -> i64 {
        self.0.get(&(version_id, question.to_owned(), option.to_owned())).copied().unwrap_or(0)
    }

    fn extend(&mut self, rows: Vec<CountRow>) {
        self.0.extend(rows.into_iter().map(|(v, q, o, n)| ((v, q, o), n)));
    }
}

/// Counts every question of `version`'s survey over the responses the filters select, combining
/// the versions that asked each question the same way.
pub async fn summarise(
    db: &Db,
    catalogue: &Catalogue,
    version: &SurveyVersion,
    filters: &Filters,
) -> Result<Summary, AppError> {
    let versions = catalogue.versions(db, version.survey_id).await?;
    let counts = match tally::table_for(filters) {
        Some(table) => from_tallies(db, table, version.survey_id, filters).await?,
        None => from_responses(db, version, filters).await?,
    };
    let answered_in: Vec<&SurveyVersion> = versions.iter().filter(|v| counts.get(v.version_id, "", "") > 0).collect();
    let respondents = answered_in.iter().map(|v| counts.get(v.version_id, "", "")).sum();
    let questions = version
        .survey
        .questions()
        .iter()
        .map(|q| {
            let (same, note) = comparable_versions(version, q, &answered_in);
            let sum = |option: &str| same.iter().map(|v| counts.get(*v, &q.id, option)).sum::<i64>();
            let base = if q.show_if.is_some() {
                sum(tally::key::SHOWN)
            } else {
                same.iter().map(|v| counts.get(*v, tally::key::RESPONDENTS, "")).sum()
            };
            // A number's or date's answers: each value kept with its count.
            let mut values: HashMap<&str, i64> = HashMap::new();
            if q.kind.is_value() {
                for ((version, question, value), n) in &counts.0 {
                    if *question == q.id && same.contains(version) && !value.starts_with('#') {
                        *values.entry(value.as_str()).or_default() += n;
                    }
                }
            }
            let values: Vec<(String, i64)> = values.into_iter().map(|(v, n)| (v.to_owned(), n)).collect();
            let mut summary = question_summary(q, base, sum(tally::key::ANSWERED), sum, &values);
            summary.note = note;
            summary
        })
        .collect();
    let ids: Vec<i64> = answered_in.iter().map(|v| v.version_id).collect();
    let scores = MEASURES
        .iter()
        .filter_map(|measure| {
            let count = |met: &str| ids.iter().map(|v| counts.get(*v, measure.key, met)).sum::<i64>();
            let (met, base) = (count("1"), count("1") + count("0"));
            (base > 0).then_some(Score { measure, met: Cell::Count(met), base: Cell::Count(base) })
        })
        .collect();
    Ok(Summary { respondents, questions, scores })
}

/// The versions (ids) that asked `q` exactly as `current` does (same kind, answer options and
/// rule for showing it), so that their figures can be added together; and when some did not, a
/// note saying which versions the figures come from.
pub fn comparable_versions(
    current: &SurveyVersion,
    q: &Question,
    versions: &[&SurveyVersion],
) -> (Vec<i64>, Option<String>) {
    let rule = |survey: &Survey, q: &Question| {
        q.show_if.as_ref().map(|r| (survey.questions()[r.question].id.clone(), r.any_of.clone()))
    };
    let options = |q: &Question| q.options.iter().map(|o| o.id.clone()).collect::<Vec<_>>();
    let (mut same, mut different, mut missing) = (Vec::new(), Vec::new(), Vec::new());
    for v in versions {
        match v.survey.question(&q.id) {
            None => missing.push(v.version),
            Some(other)
                if other.kind == q.kind
                    && options(other) == options(q)
                    && rule(&v.survey, other) == rule(&current.survey, q) =>
            {
                same.push((v.version_id, v.version))
            }
            Some(_) => different.push(v.version),
        }
    }
    let ids = same.iter().map(|(id, _)| *id).collect();
    if missing.is_empty() && different.is_empty() {
        return (ids, None);
    }
    let list = |numbers: &[i64]| {
        let words: Vec<String> = numbers.iter().map(i64::to_string).collect();
        let s = if numbers.len() == 1 { "" } else { "s" };
        match words.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("version{s} {} and {last}", rest.join(", ")),
            _ => format!("version{s} {}", words.join("")),
        }
    };
    let numbers: Vec<i64> = same.iter().map(|(_, n)| *n).collect();
    let mut note = if numbers.is_empty() {
        "No figures: no version in this selection asked this question this way.".to_owned()
    } else {
        format!("Figures from {} only.", list(&numbers))
    };
    if !missing.is_empty() {
        note += &format!(" {} did not ask it.", capitalise(&list(&missing)));
    }
    if !different.is_empty() {
        note += &format!(
            " {} asked it differently, so {} not added in.",
            capitalise(&list(&different)),
            if different.len() == 1 { "is" } else { "are" }
        );
    }
    (ids, Some(note))
}

async fn from_tallies(db: &Db, table: &str, survey_id: i64, filters: &Filters) -> Result<Counts, AppError> {
    let (filter, values) = tally::where_clause(survey_id, filters);
    let sql = format!(
        "SELECT r.survey_version_id, r.question_id, r.option_id, CAST(SUM(r.n) AS BIGINT) FROM {table} r WHERE {filter} \
         GROUP BY r.survey_version_id, r.question_id, r.option_id"
    );
    let mut counts = Counts::default();
    counts.extend(bind_all(sqlx::query_as(&sql), &values).fetch_all(&db.read).await?);
    Ok(counts)
}

/// The same counts from the responses themselves, for filters the totals do not cover (an answer,
/// or part of a day). Who was shown a conditional question is worked out with `version`'s rule:
/// the other versions' figures for it are only used where their rule is the same.
async fn from_responses(db: &Db, version: &SurveyVersion, filters: &Filters) -> Result<Counts, AppError> {
    let (filter, values) = filter_sql(version.survey_id, filters);
    let answers = format!("FROM answer a JOIN response r ON r.id = a.response_id WHERE {filter}");
    let mut queries = vec![
        (
            format!(
                "SELECT r.survey_version_id, '{}', '', COUNT(*) FROM response r WHERE {filter} GROUP BY r.survey_version_id",
                tally::key::RESPONDENTS
            ),
            values.clone(),
        ),
        (
            format!(
                "SELECT r.survey_version_id, a.question_id, a.option_id, COUNT(*) {answers} GROUP BY r.survey_version_id, a.question_id, a.option_id"
            ),
            values.clone(),
        ),
        (
            format!(
                "SELECT r.survey_version_id, a.question_id, '{}', COUNT(DISTINCT a.response_id) {answers} GROUP BY r.survey_version_id, a.question_id",
                tally::key::ANSWERED
            ),
            values.clone(),
        ),
    ];
    queries.push((
        format!(
            "SELECT r.survey_version_id, s.measure, CAST(s.met AS TEXT), COUNT(*) FROM response_score s \
             JOIN response r ON r.id = s.response_id WHERE {filter} GROUP BY r.survey_version_id, s.measure, s.met"
        ),
        values.clone(),
    ));
    let survey = &version.survey;
    for q in survey.questions() {
        let Some(rule) = &q.show_if else { continue };
        let mut values = values.clone();
        let mut bind = |value: &str| {
            values.push(Param::Text(value.to_owned()));
            format!("${}", values.len())
        };
        let (shown, target) = (bind(&q.id), bind(&survey.questions()[rule.question].id));
        let options: Vec<String> = rule.any_of.iter().map(|o| bind(o)).collect();
        queries.push((
            format!(
                "SELECT r.survey_version_id, {shown}, '{}', COUNT(DISTINCT a.response_id) {answers} \
                 AND a.question_id = {target} AND a.option_id IN ({}) GROUP BY r.survey_version_id",
                tally::key::SHOWN,
                options.join(", ")
            ),
            values,
        ));
    }
    let mut counts = Counts::default();
    for (sql, values) in &queries {
        counts.extend(bind_all(sqlx::query_as(sql), values).fetch_all(&db.read).await?);
    }
    Ok(counts)
}

/// One question's rows from its counts: each option (a number's bands, a date's months, or, for
/// text, how many answered), then "No answer": those shown it who did not answer. `values` are a
/// number's or date's answers with their counts.
pub(super) fn question_summary(
    q: &Question,
    base: i64,
    answered: i64,
    count: impl Fn(&str) -> i64,
    values: &[(String, i64)],
) -> QuestionSummary {
    let numbers: Vec<(f64, i64)> = values.iter().filter_map(|(v, n)| v.parse::<f64>().ok().map(|v| (v, *n))).collect();
    let row = |g: super::values::Group| OptionRow { id: g.id, label: g.label, count: Cell::Count(g.count) };
    let mut rows: Vec<OptionRow> = if q.kind.is_choice() {
        q.options
            .iter()
            .map(|o| OptionRow { id: o.id.clone(), label: o.label.clone(), count: Cell::Count(count(&o.id)) })
            .collect()
    } else if q.kind.is_number() {
        super::values::bands(q.min, q.max, q.kind == Kind::WholeNumber, &numbers).into_iter().map(row).collect()
    } else if q.kind == Kind::Date {
        super::values::months(values).into_iter().map(row).collect()
    } else {
        let label = if q.kind == Kind::Postcode { "Gave a postcode" } else { "Answered (in their own words)" };
        vec![OptionRow { id: "answered".into(), label: label.into(), count: Cell::Count(answered) }]
    };
    rows.push(OptionRow {
        id: "no_answer".into(),
        label: "No answer".into(),
        count: Cell::Count((base - answered).max(0)),
    });
    let middle = q.kind.is_number().then(|| super::values::median(&numbers)).flatten();
    QuestionSummary {
        id: q.id.clone(),
        text: q.text.clone(),
        kind: q.kind,
        base: Cell::Count(base),
        rows,
        note: None,
        middle,
    }
}

/// Answers in words on a page of [`super::text`].
pub(super) const PER_PAGE: i64 = 50;

/// One answer in words, for the page.
#[derive(sqlx::FromRow)]
pub struct Written {
    pub text: String,
    pub reference: String,
    pub submitted_at: i64,
}

/// How many answers in words a question has under `filters`, and page `page` of them, newest
/// first.
pub(super) async fn written(
    db: &Db,
    survey_id: i64,
    filters: &Filters,
    question_id: &str,
    page: i64,
) -> Result<(i64, Vec<Written>), AppError> {
    let (filter, mut values) = filter_sql(survey_id, filters);
    values.push(Param::Text(question_id.to_owned()));
    let from = format!(
        "FROM answer a JOIN response r ON r.id = a.response_id WHERE {filter} AND a.question_id = ${} \
         AND a.text IS NOT NULL AND a.text <> ''",
        values.len()
    );
    let count_sql = format!("SELECT '', '', COUNT(*) {from}");
    let total = bind_all::<(String, String, i64)>(sqlx::query_as(&count_sql), &values).fetch_one(&db.read).await?.2;
    let list_sql = format!(
        "SELECT a.text, r.reference, r.submitted_at {from} ORDER BY r.submitted_at DESC, r.id DESC \
         LIMIT {PER_PAGE} OFFSET {}",
        (page - 1) * PER_PAGE
    );
    let rows = bind_all(sqlx::query_as(&list_sql), &values).fetch_all(&db.read).await?;
    Ok((total, rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn question(kind: Kind, base: i64, counts: &[i64]) -> QuestionSummary {
        QuestionSummary {
            id: "q".into(),
            text: "Q".into(),
            kind,
            base: Cell::Count(base),
            rows: counts
                .iter()
                .enumerate()
                .map(|(i, n)| OptionRow { id: format!("o{i}"), label: format!("O{i}"), count: Cell::Count(*n) })
                .collect(),
            note: None,
            middle: None,
        }
    }

    #[test]
    fn a_scale_has_a_median_over_the_points_chosen() {
        let mut q = question(Kind::Scale, 10, &[1, 1, 2, 0, 4]);
        for (i, r) in q.rows.iter_mut().enumerate() {
            r.id = (i + 1).to_string();
        }
        q.rows.push(OptionRow { id: "prefer_not_to_say".into(), label: "P".into(), count: Cell::Count(9) });
        // 1, 2, 3, 3, 5, 5, 5, 5: the middle pair is 3 and 5.
        assert_eq!(q.median(), Some(4.0));
        q.rows[4].count = Cell::Count(3);
        // 1, 2, 3, 3, 5, 5, 5: the middle one is 3.
        assert_eq!(q.median(), Some(3.0));
        assert_eq!(question(Kind::Single, 3, &[1, 2]).median(), None);
    }

    #[test]
    fn percentages_are_of_the_base() {
        assert_eq!(Cell::Count(35).percent_of(Cell::Count(51)), Some(68.6));
        assert_eq!(Cell::Count(1).percent_of(Cell::Count(0)), None);
        assert_eq!(Cell::Suppressed.percent_of(Cell::Count(10)), None);
    }
}
