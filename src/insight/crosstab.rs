//! Cross-tabulation: one question's answers, in columns by an about-you answer, channel or
//! location. Each column has its own base, worked out by the same rule as the whole survey's (the
//! people in that group who were shown the question). Three grouped queries, whatever the number
//! of columns.

use super::summary::{Cell, OptionRow, QuestionSummary, bind_all, comparable_versions, filter_sql, question_summary};
use crate::db::Db;
use crate::error::AppError;
use crate::responses::filters::{Filters, Param};
use crate::responses::tally;
use crate::survey::CHANNELS;
use crate::survey::lists::{List, active_items};
use crate::survey::measures::Measure;
use crate::survey::{Catalogue, Kind, Question, SurveyVersion};
use std::collections::HashMap;

/// What to break a question down by.
pub fn breakdowns(survey: &crate::survey::Survey) -> Vec<(String, String)> {
    let mut by = vec![("channel".to_owned(), "Channel".to_owned()), ("location".to_owned(), "Location".to_owned())];
    by.extend(survey.about_you().map(|q| (q.id.clone(), q.text.clone())));
    by
}

/// One column of a cross-tab: the group's name and its summary of the question.
pub struct Column {
    /// The group's id: the channel, the location's id or the answer's id.
    pub id: String,
    pub label: String,
    pub summary: QuestionSummary,
}

/// `question` broken down by `by`, with exact counts; None when either is not something this
/// survey can do. See [`publishable`] for the version to publish.
pub async fn crosstab(
    db: &Db,
    catalogue: &Catalogue,
    version: &SurveyVersion,
    filters: &Filters,
    question: &str,
    by: &str,
) -> Result<Option<Vec<Column>>, AppError> {
    let survey = &version.survey;
    let Some(q) = survey.question(question) else { return Ok(None) };
    if !breakdowns(&version.survey).iter().any(|(id, _)| id == by) {
        return Ok(None);
    }
    // The groups, in the order they are shown: (key as the query returns it, label).
    let groups: Vec<(String, String)> = match by {
        "channel" => CHANNELS
            .iter()
            .map(|(id, label)| (*id, *label))
            .chain([("web", "Online, on their own")])
            .map(|(id, label)| (id.to_owned(), label.to_owned()))
            .collect(),
        "location" => {
            active_items(db, List::Location).await?.into_iter().map(|l| (l.id.to_string(), l.label)).collect()
        }
        about => survey
            .question(about)
            .map(|g| g.options.iter().map(|o| (o.id.clone(), o.label.clone())).collect())
            .unwrap_or_default(),
    };

    // Only the versions that asked the question this way; the note says so when some did not.
    let versions = catalogue.versions(db, version.survey_id).await?;
    let (same, note) = comparable_versions(version, q, &versions.iter().collect::<Vec<_>>());
    // The totals by channel, location or about-you answer when they cover the filters and every
    // version added in counted this breakdown; otherwise the responses themselves.
    let counted_by = |v: &SurveyVersion| v.survey.question(by).is_none() || v.survey.about_you().any(|g| g.id == by);
    let table = match by {
        "channel" | "location" => tally::table_for(filters),
        _ => (tally::covers(filters) && versions.iter().filter(|v| same.contains(&v.version_id)).all(counted_by))
            .then_some("tally_about"),
    };
    // By one about-you answer and filtered by others (ward by age band): the totals by cell, when
    // every version in `same` counted each of them in its cells.
    let in_cells = |v: &SurveyVersion| {
        let asked_once =
            |id: &str| v.survey.question(id).is_none() || tally::cell_questions(&v.survey).any(|g| g.id == id);
        asked_once(by) && filters.answers.iter().all(|(question, _)| asked_once(question))
    };
    let by_cell = tally::cells_cover(filters) && versions.iter().filter(|v| same.contains(&v.version_id)).all(in_cells);
    let Groups { counts, answered, bases } = match table {
        Some(table) => from_totals(db, table, version.survey_id, filters, &same, q, by).await?,
        None if by_cell => from_cells(db, version.survey_id, filters, &same, q, by).await?,
        None => from_responses(db, version, filters, &same, q, by).await?,
    };

    let columns = groups
        .into_iter()
        .map(|(key, label)| {
            let base = bases.get(&key).copied().unwrap_or(0);
            let done = answered.get(&key).copied().unwrap_or(0);
            let mut summary = question_summary(
                q,
                base,
                done,
                |o| counts.get(&(key.clone(), o.to_owned())).copied().unwrap_or(0),
                &[],
            );
            summary.note = note.clone();
            Column { id: key, label, summary }
        })
        .collect();
    Ok(Some(columns))
}

/// Each group's counts of the question's options, how many answered it, and its base.
#[derive(Default)]
struct Groups {
    counts: HashMap<(String, String), i64>,
    answered: HashMap<String, i64>,
    bases: HashMap<String, i64>,
}

/// The groups' counts from the running totals (`table`, as [`tally::table_for`] chose): the
/// question's rows and the respondents' row, by group, over the versions in `same`.
async fn from_totals(
    db: &Db,
    table: &str,
    survey_id: i64,
    filters: &Filters,
    same: &[i64],
    q: &Question,
    by: &str,
) -> Result<Groups, AppError> {
    let (filter, mut values) = tally::where_clause(survey_id, filters);
    let mut bind = |value: &str| {
        values.push(Param::Text(value.to_owned()));
        format!("${}", values.len())
    };
    let (group, about) = match by {
        "channel" => ("r.channel", String::new()),
        "location" => ("CAST(r.location_id AS TEXT)", String::new()),
        about => ("r.about_option", format!(" AND r.about_question = {}", bind(about))),
    };
    let (question, respondents) = (bind(&q.id), bind(tally::key::RESPONDENTS));
    let sql = format!(
        "SELECT {group}, r.question_id, r.option_id, CAST(SUM(r.n) AS BIGINT) FROM {table} r \
         WHERE {filter}{about} AND r.survey_version_id IN ({}) AND r.question_id IN ({question}, {respondents}) \
         GROUP BY {group}, r.question_id, r.option_id",
        in_list(same)
    );
    let rows: Vec<(String, String, String, i64)> = bind_all(sqlx::query_as(&sql), &values).fetch_all(&db.read).await?;
    Ok(Groups::from_rows(rows, q))
}

/// The groups' counts from the running totals by cell: the question's rows and the respondents'
/// row of the cells whose answers include every filter's, summed by the cell's answer to `by`
/// (a cell without one is nobody's column). A borough's cells number in the hundreds, however
/// many responses there are.
async fn from_cells(
    db: &Db,
    survey_id: i64,
    filters: &Filters,
    same: &[i64],
    q: &Question,
    by: &str,
) -> Result<Groups, AppError> {
    let sql = format!(
        "SELECT t.cell, t.question_id, t.option_id, CAST(SUM(t.n) AS BIGINT) FROM tally_cell t \
         JOIN survey_version v ON v.id = t.survey_version_id WHERE v.survey_id = $1 AND ($2 = 0 OR v.version = $2) \
         AND t.survey_version_id IN ({}) AND t.question_id IN ($3, $4) GROUP BY t.cell, t.question_id, t.option_id",
        in_list(same)
    );
    let rows: Vec<(String, String, String, i64)> = sqlx::query_as(&sql)
        .bind(survey_id)
        .bind(filters.version.unwrap_or(0))
        .bind(&q.id)
        .bind(tally::key::RESPONDENTS)
        .fetch_all(&db.read)
        .await?;
    let grouped = rows.into_iter().filter_map(|(cell, question, option, n)| {
        let answers = tally::cell_answers(&cell);
        let chosen = |id: &str| answers.iter().find(|(question, _)| *question == id).map(|(_, option)| *option);
        let in_filters = filters.answers.iter().all(|(question, option)| chosen(question) == Some(option.as_str()));
        let group = chosen(by)?.to_owned();
        in_filters.then_some((group, question, option, n))
    });
    let mut summed: HashMap<(String, String, String), i64> = HashMap::new();
    for (group, question, option, n) in grouped {
        *summed.entry((group, question, option)).or_default() += n;
    }
    Ok(Groups::from_rows(summed.into_iter().map(|((g, question, option), n)| (g, question, option, n)), q))
}

impl Groups {
    /// From counted rows of (group, question id, option id, count): the question's options, its
    /// answered row, and the base (the respondents, or for a follow-up those shown it).
    fn from_rows(rows: impl IntoIterator<Item = (String, String, String, i64)>, q: &Question) -> Groups {
        let base_row =
            if q.show_if.is_some() { (q.id.as_str(), tally::key::SHOWN) } else { (tally::key::RESPONDENTS, "") };
        let mut groups = Groups::default();
        for (group, question, option, n) in rows {
            if (question.as_str(), option.as_str()) == base_row {
                groups.bases.insert(group.clone(), n);
            }
            if question == q.id {
                match option.as_str() {
                    tally::key::ANSWERED => {
                        groups.answered.insert(group, n);
                    }
                    tally::key::SHOWN => {}
                    _ => {
                        groups.counts.insert((group, option), n);
                    }
                }
            }
        }
        groups
    }
}

/// The groups' counts from the responses themselves: three grouped queries, whatever the number
/// of groups.
async fn from_responses(
    db: &Db,
    version: &SurveyVersion,
    filters: &Filters,
    same: &[i64],
    q: &Question,
    by: &str,
) -> Result<Groups, AppError> {
    let survey = &version.survey;
    let (filter, mut values) = filter_sql(version.survey_id, filters);
    let filter = format!("{filter} AND r.survey_version_id IN ({})", in_list(same));
    let (group, join) = match by {
        "channel" => ("r.channel".to_owned(), String::new()),
        "location" => ("COALESCE(CAST(r.location_id AS TEXT), '')".to_owned(), String::new()),
        about => {
            values.push(Param::Text(about.to_owned()));
            (
                "g.option_id".to_owned(),
                format!("JOIN answer g ON g.response_id = r.id AND g.question_id = ${}", values.len()),
            )
        }
    };
    values.push(Param::Text(q.id.clone()));
    let question_param = format!("${}", values.len());
    let from = format!(
        "FROM response r {join} JOIN answer a ON a.response_id = r.id AND a.question_id = {question_param} WHERE {filter}"
    );

    let counts_sql = format!("SELECT {group}, a.option_id, COUNT(*) {from} GROUP BY {group}, a.option_id");
    let counts: HashMap<(String, String), i64> =
        grouped(db, &counts_sql, &values).await?.into_iter().map(|(g, o, n)| ((g, o), n)).collect();
    let answered_sql = format!("SELECT {group}, '', COUNT(DISTINCT r.id) {from} GROUP BY {group}");
    let answered: HashMap<String, i64> =
        grouped(db, &answered_sql, &values).await?.into_iter().map(|(g, _, n)| (g, n)).collect();

    // Base: everyone in the group, or for a follow-up, those whose earlier answer opened it.
    let mut base_values = values[..values.len() - 1].to_vec();
    let base_sql = match &q.show_if {
        None => format!("SELECT {group}, '', COUNT(*) FROM response r {join} WHERE {filter} GROUP BY {group}"),
        Some(rule) => {
            base_values.push(Param::Text(survey.questions()[rule.question].id.clone()));
            let target = format!("${}", base_values.len());
            let options: Vec<String> = rule
                .any_of
                .iter()
                .map(|o| {
                    base_values.push(Param::Text(o.clone()));
                    format!("${}", base_values.len())
                })
                .collect();
            format!(
                "SELECT {group}, '', COUNT(DISTINCT r.id) FROM response r {join} \
                 JOIN answer t ON t.response_id = r.id AND t.question_id = {target} AND t.option_id IN ({}) \
                 WHERE {filter} GROUP BY {group}",
                options.join(", ")
            )
        }
    };
    let bases: HashMap<String, i64> =
        grouped(db, &base_sql, &base_values).await?.into_iter().map(|(g, _, n)| (g, n)).collect();
    Ok(Groups { counts, answered, bases })
}

/// The versions in `same` as an SQL list (`NULL` when there are none, which matches nothing).
fn in_list(same: &[i64]) -> String {
    if same.is_empty() { "NULL".to_owned() } else { same.iter().map(i64::to_string).collect::<Vec<_>>().join(", ") }
}

async fn grouped(db: &Db, sql: &str, values: &[Param]) -> Result<Vec<(String, String, i64)>, AppError> {
    Ok(bind_all(sqlx::query_as(sql), values).fetch_all(&db.read).await?)
}

/// Who met a national measure among each group of `by` (an about-you question): a column per
/// answer whose summary has the measure's key, those scored as its base, and rows `1` (met) and
/// `0` (not). From the totals by about-you answer when every version counted `by` so; otherwise
/// from the scores themselves. None when `by` is no about-you question of the survey.
pub async fn measure_by(
    db: &Db,
    catalogue: &Catalogue,
    version: &SurveyVersion,
    measure: &'static Measure,
    by: &str,
) -> Result<Option<Vec<Column>>, AppError> {
    let Some(groups) = version.survey.about_you().find(|g| g.id == by) else { return Ok(None) };
    let versions = catalogue.versions(db, version.survey_id).await?;
    let counted = versions.iter().all(|v| v.survey.question(by).is_none() || v.survey.about_you().any(|g| g.id == by));
    let everyone = Filters::default();
    let (sql, mut values) = if counted {
        let (filter, values) = tally::where_clause(version.survey_id, &everyone);
        let sql = format!(
            "SELECT r.about_option, r.option_id, CAST(SUM(r.n) AS BIGINT) FROM tally_about r WHERE {filter} \
             AND r.about_question = $A AND r.question_id = $M GROUP BY r.about_option, r.option_id"
        );
        (sql, values)
    } else {
        let (filter, values) = filter_sql(version.survey_id, &everyone);
        let sql = format!(
            "SELECT g.option_id, CAST(s.met AS TEXT), COUNT(*) FROM response_score s JOIN response r ON r.id = s.response_id \
             JOIN answer g ON g.response_id = r.id AND g.question_id = $A WHERE {filter} AND s.measure = $M \
             GROUP BY g.option_id, s.met"
        );
        (sql, values)
    };
    values.push(Param::Text(by.to_owned()));
    let sql = sql.replace("$A", &format!("${}", values.len()));
    values.push(Param::Text(measure.key.to_owned()));
    let sql = sql.replace("$M", &format!("${}", values.len()));
    let counts: HashMap<(String, String), i64> =
        grouped(db, &sql, &values).await?.into_iter().map(|(g, met, n)| ((g, met), n)).collect();
    let count = |g: &str, met: &str| counts.get(&(g.to_owned(), met.to_owned())).copied().unwrap_or(0);
    let column = |g: &crate::survey::Choice| {
        let (met, not) = (count(&g.id, "1"), count(&g.id, "0"));
        let row =
            |id: &str, label: &str, n: i64| OptionRow { id: id.into(), label: label.into(), count: Cell::Count(n) };
        let summary = QuestionSummary {
            id: measure.key.to_owned(),
            text: measure.name.to_owned(),
            kind: Kind::Single,
            base: Cell::Count(met + not),
            rows: vec![row("1", "Met", met), row("0", "Not met", not)],
            note: None,
            middle: None,
        };
        Column { id: g.id.clone(), label: g.label.clone(), summary }
    };
    Ok(Some(groups.options.iter().map(column).collect()))
}
