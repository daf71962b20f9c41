//! Running totals for the dashboard (the `tally` table). Every change to a response adds its counts
//! or takes them away in the same transaction, so the totals always match the responses and the
//! full dashboard reads a few thousand rows instead of every answer ever given.
//!
//! The counting is one SQL statement over the stored rows, whatever the scope (one response or a
//! whole version), so that a response counts the same whether it was added one at a time or
//! recounted in bulk.
//!
//! The same rows are kept twice: in `tally`, and in `tally_about` once more for each about-you
//! answer the respondent gave ([`Survey::about_you`]), so that results filtered by one of them (a
//! ward, say) and cross-tabs by one are read from totals too, not from every answer ever given.
//!
//! And once more in `tally_cell`, by the respondent's cell (their one-choice about-you answers
//! together, [`cell`]), for the results weighted to the borough's population: weights belong to
//! cells, so weighted figures are the cells' counts times their weights.

use crate::db::{Backend, Db, now};
use crate::error::AppError;
use crate::responses::filters::{Filters, Param};
use crate::survey::{ABOUT_YOU_FILTERS, Barriers, Catalogue, Survey};
use sqlx::{Any, Transaction};
use std::collections::HashMap;

/// The `tally` rows that are not a question's option but a count about the respondent, by the
/// key they are stored under. The writer ([`add`]) and the readers (the profile and the summary)
/// name them only through these.
pub mod key {
    /// `question_id` of the row counting respondents (its `option_id` is empty too).
    pub const RESPONDENTS: &str = "";
    /// `question_id` of the rows counting respondents by their set of barriers (the bits, as
    /// text, in `option_id`).
    pub const BARRIERS: &str = "#barriers";
    /// `question_id` of the rows counting respondents by the language they answered in (its tag
    /// in `option_id`).
    pub const LANGUAGES: &str = "#language";
    /// `option_id` of a question's row counting those who answered it.
    pub const ANSWERED: &str = "#answered";
    /// `option_id` of a conditional question's row counting those who were shown it.
    pub const SHOWN: &str = "#shown";
    /// `about_question` of an import's own counts (`import_tally`) that are by cell, for
    /// `tally_cell`: the cell in `about_option`, and day, channel and place left at nothing.
    pub const CELL: &str = "#cell";
}

/// Which responses to count.
#[derive(Debug, Clone, Copy)]
pub enum Scope {
    Response(i64),
    /// The responses of one version with ids in `from..to`, a slice of a recount (not those of an
    /// import under way: see [`Counter`]).
    Between {
        version_id: i64,
        from: i64,
        to: i64,
    },
}

/// Adds the counts of the responses in `scope` to the totals (`sign` 1), or takes them away (-1,
/// before a response's answers change or it is deleted). `survey` is the responses' version: its
/// rules say who was shown each conditional question.
pub async fn add(tx: &mut Transaction<'_, Any>, survey: &Survey, scope: Scope, sign: i64) -> Result<(), sqlx::Error> {
    let (scope_sql, scope_id) = match scope {
        Scope::Response(id) => ("r.id = $2".to_owned(), id),
        // The ids are the database's own integers, so they can be written into the statement.
        Scope::Between { version_id, from, to } => (
            format!("r.survey_version_id = $2 AND r.id >= {from} AND r.id < {to} AND {}", crate::db::STORED_RESPONSES),
            version_id,
        ),
    };
    let keys = "r.survey_version_id, r.day, r.channel, COALESCE(r.location_id, 0)";
    let answers = format!("FROM answer a JOIN response r ON r.id = a.response_id WHERE {scope_sql}");
    let mut branches = vec![
        format!(
            "SELECT r.id AS rid, r.survey_version_id AS v, r.day AS d, r.channel AS c, \
             COALESCE(r.location_id, 0) AS l, '{respondents}' AS q, '' AS o FROM response r WHERE {scope_sql}",
            respondents = key::RESPONDENTS
        ),
        format!("SELECT r.id, {keys}, '{}', CAST(r.barriers AS TEXT) FROM response r WHERE {scope_sql}", key::BARRIERS),
        format!("SELECT r.id, {keys}, '{}', r.language FROM response r WHERE {scope_sql}", key::LANGUAGES),
        format!("SELECT r.id, {keys}, a.question_id, a.option_id {answers}"),
        format!("SELECT DISTINCT r.id, {keys}, a.question_id, '{}' {answers}", key::ANSWERED),
        // Each national measure's score, under the measure's key (see `survey::measures`).
        format!(
            "SELECT r.id, {keys}, s.measure, CAST(s.met AS TEXT) FROM response_score s JOIN response r ON r.id = s.response_id WHERE {scope_sql}"
        ),
    ];
    let mut values: Vec<String> = Vec::new();
    for q in survey.questions() {
        let Some(rule) = &q.show_if else { continue };
        let mut bind = |value: &str| {
            values.push(value.to_owned());
            format!("${}", values.len() + 2)
        };
        let shown = bind(&q.id);
        let target = bind(&survey.questions()[rule.question].id);
        let options: Vec<String> = rule.any_of.iter().map(|o| bind(o)).collect();
        branches.push(format!(
            "SELECT DISTINCT r.id, {keys}, {shown}, '{}' {answers} AND a.question_id = {target} AND a.option_id IN ({})",
            key::SHOWN,
            options.join(", ")
        ));
    }
    let counted = branches.join(" UNION ALL ");
    // Rows are written in key order so that two transactions counting into the same rows take
    // their locks in the same order and cannot deadlock.
    let sql = format!(
        "INSERT INTO tally (survey_version_id, day, channel, location_id, question_id, option_id, n) \
         SELECT v, d, c, l, q, o, $1 * COUNT(*) FROM ({counted}) k WHERE true GROUP BY v, d, c, l, q, o ORDER BY v, d, c, l, q, o \
         ON CONFLICT (survey_version_id, day, channel, location_id, question_id, option_id) DO UPDATE SET n = tally.n + excluded.n"
    );
    let mut query = sqlx::query(&sql).bind(sign).bind(scope_id);
    for value in &values {
        query = query.bind(value.as_str());
    }
    query.execute(&mut **tx).await?;
    add_cells(tx, survey, &counted, &scope_sql, &values, sign, scope_id).await?;

    // The same rows once for each about-you answer of the same respondent. Counting them row by
    // row would be every counted row times every about-you answer; instead respondents with the
    // same about-you answers (their "profile") are counted together first, and each profile's
    // counts are then added to each of its answers.
    let about: Vec<&str> = survey.about_you().map(|q| q.id.as_str()).collect();
    if about.is_empty() {
        return Ok(());
    }
    let list: Vec<String> = (0..about.len()).map(|i| format!("${}", values.len() + 3 + i)).collect();
    // Ids are letters, digits and underscores, so "question=option" joined by spaces is unambiguous.
    let profile = match Backend::of(tx) {
        Backend::Postgres => "string_agg(aq || '=' || ao, ' ' ORDER BY aq, ao)",
        Backend::Sqlite => "group_concat(aq || '=' || ao, ' ')",
    };
    let sql = format!(
        "WITH k AS ({counted}), \
         about AS (SELECT a.response_id AS rid, a.question_id AS aq, a.option_id AS ao {answers} AND a.question_id IN ({list})), \
         profile AS (SELECT rid, {profile} AS p FROM about GROUP BY rid), \
         grouped AS (SELECT k.v, k.d, k.c, k.l, profile.p, k.q, k.o, COUNT(*) AS n FROM k JOIN profile ON profile.rid = k.rid \
                     GROUP BY k.v, k.d, k.c, k.l, profile.p, k.q, k.o), \
         parts AS (SELECT DISTINCT profile.p, about.aq, about.ao FROM profile JOIN about ON about.rid = profile.rid) \
         INSERT INTO tally_about (survey_version_id, about_question, about_option, day, channel, location_id, question_id, option_id, n) \
         SELECT g.v, parts.aq, parts.ao, g.d, g.c, g.l, g.q, g.o, $1 * SUM(g.n) FROM grouped g JOIN parts ON parts.p = g.p \
         WHERE true GROUP BY g.v, parts.aq, parts.ao, g.d, g.c, g.l, g.q, g.o ORDER BY 1, 2, 3, 4, 5, 6, 7, 8 \
         ON CONFLICT (survey_version_id, about_question, about_option, day, channel, location_id, question_id, option_id) \
         DO UPDATE SET n = tally_about.n + excluded.n",
        list = list.join(", ")
    );
    let mut query = sqlx::query(&sql).bind(sign).bind(scope_id);
    for value in values.iter().map(String::as_str).chain(about) {
        query = query.bind(value);
    }
    query.execute(&mut **tx).await?;
    Ok(())
}

/// The about-you questions that make up a respondent's cell: those asked as one choice, so that
/// everyone is in one category of each (or none, having skipped it).
pub fn cell_questions(survey: &Survey) -> impl Iterator<Item = &crate::survey::Question> {
    survey.about_you().filter(|q| q.kind == crate::survey::Kind::Single)
}

/// A respondent's cell as `tally_cell` keys it: their answers to [`cell_questions`], "question=option"
/// in the byte order of question ids, joined by spaces ('' when they gave none).
pub fn cell<'a>(answers: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut answers: Vec<(&str, &str)> = answers.into_iter().collect();
    answers.sort_unstable();
    answers.iter().map(|(q, o)| format!("{q}={o}")).collect::<Vec<_>>().join(" ")
}

/// A cell's answers, as [`cell`] wrote them: (question, option).
pub fn cell_answers(cell: &str) -> Vec<(&str, &str)> {
    cell.split(' ').filter_map(|pair| pair.split_once('=')).collect()
}

/// The counted rows of [`add`] once more by each respondent's [`cell`], into `tally_cell`.
async fn add_cells(
    tx: &mut Transaction<'_, Any>,
    survey: &Survey,
    counted: &str,
    scope_sql: &str,
    values: &[String],
    sign: i64,
    scope_id: i64,
) -> Result<(), sqlx::Error> {
    let questions: Vec<&str> = cell_questions(survey).map(|q| q.id.as_str()).collect();
    // The cell's answers in the byte order of their question ids on both backends, as [`cell`]
    // writes them; no list of questions, no cell.
    let agg = match Backend::of(tx) {
        Backend::Postgres => {
            "string_agg(a.question_id || '=' || a.option_id, ' ' ORDER BY a.question_id COLLATE \"C\")"
        }
        Backend::Sqlite => "group_concat(a.question_id || '=' || a.option_id, ' ' ORDER BY a.question_id)",
    };
    let cell = if questions.is_empty() {
        "''".to_owned()
    } else {
        let list: Vec<String> = (0..questions.len()).map(|i| format!("${}", values.len() + 3 + i)).collect();
        format!(
            "COALESCE((SELECT {agg} FROM answer a WHERE a.response_id = r.id AND a.question_id IN ({})), '')",
            list.join(", ")
        )
    };
    let sql = format!(
        "WITH k AS ({counted}), cells AS (SELECT r.id AS rid, {cell} AS cell FROM response r WHERE {scope_sql}) \
         INSERT INTO tally_cell (survey_version_id, cell, question_id, option_id, n) \
         SELECT k.v, cells.cell, k.q, k.o, $1 * COUNT(*) FROM k JOIN cells ON cells.rid = k.rid \
         WHERE true GROUP BY k.v, cells.cell, k.q, k.o ORDER BY 1, 2, 3, 4 \
         ON CONFLICT (survey_version_id, cell, question_id, option_id) DO UPDATE SET n = tally_cell.n + excluded.n"
    );
    let mut query = sqlx::query(&sql).bind(sign).bind(scope_id);
    for value in values.iter().map(String::as_str).chain(questions) {
        query = query.bind(value);
    }
    query.execute(&mut **tx).await?;
    Ok(())
}

/// Adds the counts of an import's responses, kept apart while it ran ([`Counter::write`]), to the
/// running totals: as it finishes, in the transaction that shows its responses.
pub async fn merge(tx: &mut Transaction<'_, Any>, import_id: i64) -> Result<(), sqlx::Error> {
    let about = "survey_version_id, about_question, about_option, day, channel, location_id, question_id, option_id";
    let plain = "survey_version_id, day, channel, location_id, question_id, option_id";
    let cell = "survey_version_id, cell, question_id, option_id";
    for (table, columns, read, rows) in [
        ("tally", plain, plain, "about_question = ''".to_owned()),
        ("tally_about", about, about, format!("about_question NOT IN ('', '{}')", key::CELL)),
        (
            "tally_cell",
            cell,
            "survey_version_id, about_option, question_id, option_id",
            format!("about_question = '{}'", key::CELL),
        ),
    ] {
        // In key order, as in [`add`], so that concurrent writers take row locks in one order.
        sqlx::query(&format!(
            "INSERT INTO {table} ({columns}, n) SELECT {read}, SUM(n) FROM import_tally WHERE import_id = $1 AND {rows} \
             GROUP BY {read} ORDER BY {read} ON CONFLICT ({columns}) DO UPDATE SET n = {table}.n + excluded.n"
        ))
        .bind(import_id)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// One response as [`Counter`] counts it: what [`add`] reads of it from the database.
pub struct Counted<'a> {
    pub survey: &'a Survey,
    pub version_id: i64,
    pub day: i64,
    pub channel: &'a str,
    pub location_id: Option<i64>,
    pub barriers: Barriers,
    pub language: &'a str,
    /// Its answer rows' question and option ids (option '' for a written answer).
    pub answers: Vec<(&'a str, &'a str)>,
}

/// Counts of many responses, made from their answers in hand rather than read back from the
/// stored rows: an import counts its responses this way, into rows of its own until it finishes.
/// It counts what [`add`] counts, at a small part of the cost (that statement, run over each part
/// of an import, was most of its time); `add` stays the definition, and the import tests compare
/// the two by counting everything again with it. As in `add`, respondents with the same about-you
/// answers (a "profile") are counted together, and the counts copied to each of those answers
/// once, when written.
#[derive(Default)]
pub struct Counter<'a> {
    /// Each profile met so far: ("", "") for the plain totals, then the about-you answers.
    profiles: HashMap<Vec<(&'a str, &'a str)>, usize>,
    counts: HashMap<(usize, Row<'a>), i64>,
    /// Each cell met so far (its answers in [`cell`]'s order), and the counts by cell.
    cells: HashMap<Vec<(&'a str, &'a str)>, usize>,
    cell_counts: HashMap<(usize, i64, &'a str, &'a str), i64>,
}

/// A row of the totals but for the about-you answer.
#[derive(Debug, Clone, Copy, Hash, PartialEq, Eq)]
struct Row<'a> {
    version_id: i64,
    day: i64,
    channel: &'a str,
    location_id: i64,
    question: &'a str,
    option: &'a str,
}

/// Each of the 16 sets of barriers as [`add`] writes it: its bits as text.
const BARRIER_SETS: [&str; 16] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15"];

impl<'a> Counter<'a> {
    pub fn count(&mut self, r: &Counted<'a>) {
        let about_you: Vec<&str> = r.survey.about_you().map(|q| q.id.as_str()).collect();
        let profile: Vec<(&'a str, &'a str)> = std::iter::once(("", ""))
            .chain(r.answers.iter().copied().filter(|(question, _)| about_you.contains(question)))
            .collect();
        let next = self.profiles.len();
        let profile = *self.profiles.entry(profile).or_insert(next);
        let in_cell: Vec<&str> = cell_questions(r.survey).map(|q| q.id.as_str()).collect();
        let mut cell: Vec<(&'a str, &'a str)> =
            r.answers.iter().copied().filter(|(question, _)| in_cell.contains(question)).collect();
        cell.sort_unstable();
        let next = self.cells.len();
        let cell = *self.cells.entry(cell).or_insert(next);

        let mut keys: Vec<(&'a str, &'a str)> = vec![
            (key::RESPONDENTS, ""),
            (key::BARRIERS, BARRIER_SETS[r.barriers.bits() as usize]),
            (key::LANGUAGES, r.language),
        ];
        keys.extend(r.answers.iter().copied());
        keys.extend(crate::survey::measures::scores(r.answers.iter().copied()));
        for (i, (question, _)) in r.answers.iter().enumerate() {
            if !r.answers[..i].iter().any(|(earlier, _)| earlier == question) {
                keys.push((question, key::ANSWERED));
            }
        }
        let questions: &'a [crate::survey::Question] = r.survey.questions();
        for q in questions {
            let Some(rule) = &q.show_if else { continue };
            let target = questions[rule.question].id.as_str();
            if r.answers.iter().any(|(question, option)| *question == target && rule.any_of.iter().any(|o| o == option))
            {
                keys.push((q.id.as_str(), key::SHOWN));
            }
        }
        for (question, option) in keys {
            let row = Row {
                version_id: r.version_id,
                day: r.day,
                channel: r.channel,
                location_id: r.location_id.unwrap_or(0),
                question,
                option,
            };
            *self.counts.entry((profile, row)).or_default() += 1;
            *self.cell_counts.entry((cell, r.version_id, question, option)).or_default() += 1;
        }
    }

    /// Adds the counts to an import's own, in one statement.
    pub async fn write(self, tx: &mut Transaction<'_, Any>, import_id: i64) -> Result<(), sqlx::Error> {
        let mut profiles: Vec<&[(&str, &str)]> = vec![&[]; self.profiles.len()];
        for (profile, &i) in &self.profiles {
            profiles[i] = profile;
        }
        let mut counts: HashMap<((&str, &str), Row), i64> = HashMap::new();
        for ((profile, row), n) in &self.counts {
            for &about in profiles[*profile] {
                *counts.entry((about, *row)).or_default() += n;
            }
        }
        let mut cells: Vec<String> = vec![String::new(); self.cells.len()];
        for (answers, &i) in &self.cells {
            cells[i] = cell(answers.iter().copied());
        }
        if counts.is_empty() && self.cell_counts.is_empty() {
            return Ok(());
        }
        // Tuples are written as JSON arrays.
        let rows: Vec<_> = counts
            .iter()
            .map(|((about, r), n)| {
                (import_id, about.0, about.1, r.version_id, r.day, r.channel, r.location_id, r.question, r.option, *n)
            })
            .chain(self.cell_counts.iter().map(|((c, version_id, question, option), n)| {
                (import_id, key::CELL, cells[*c].as_str(), *version_id, 0, "", 0, *question, *option, *n)
            }))
            .collect();
        let select = Backend::of(tx).json_rows(1, &[true, false, false, true, true, false, true, false, false, true]);
        let key = "import_id, about_question, about_option, survey_version_id, day, channel, location_id, question_id, option_id";
        sqlx::query(&format!("INSERT INTO import_tally ({key}, n) {select} WHERE true ON CONFLICT ({key}) DO UPDATE SET n = import_tally.n + excluded.n"))
            .bind(serde_json::to_string(&rows).map_err(|e| sqlx::Error::Encode(e.into()))?)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }
}

/// Counts every stored response again from scratch and keeps the new totals. `progress` hears how
/// many responses have been counted so far.
pub async fn rebuild(db: &Db, catalogue: &Catalogue, progress: impl FnMut(i64)) -> Result<(), AppError> {
    let mut tx = db.write.begin().await?;
    recount(db, catalogue, &mut tx, progress).await?;
    tx.commit().await?;
    Ok(())
}

/// One row of the totals: version id, about-you question and option (for `tally_about`; for
/// `tally_cell`, [`key::CELL`] and the cell, with day, channel and place at nothing), day,
/// channel, location id, question id and option id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub version_id: i64,
    pub about: Option<(String, String)>,
    pub day: i64,
    pub channel: String,
    pub location_id: i64,
    pub question: String,
    pub option: String,
}

/// A row where the running total and a recount disagree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub key: Key,
    pub kept: i64,
    pub counted: i64,
}

/// Counts every stored response again and compares the result with the running totals, changing
/// nothing: the recount is rolled back. Totals of 0 and missing rows are the same.
pub async fn check(db: &Db, catalogue: &Catalogue, progress: impl FnMut(i64)) -> Result<Vec<Difference>, AppError> {
    let mut tx = db.write.begin().await?;
    lock(db, &mut tx).await?;
    let kept = rows(&mut tx).await?;
    recount(db, catalogue, &mut tx, progress).await?;
    let counted = rows(&mut tx).await?;
    tx.rollback().await?;
    let keys: std::collections::BTreeSet<&Key> = kept.keys().chain(counted.keys()).collect();
    Ok(keys
        .into_iter()
        .filter_map(|key| {
            let (kept, counted) = (kept.get(key).copied().unwrap_or(0), counted.get(key).copied().unwrap_or(0));
            (kept != counted).then(|| Difference { key: key.clone(), kept, counted })
        })
        .collect())
}

/// Every row of both tables of totals.
async fn rows(tx: &mut Transaction<'_, Any>) -> Result<std::collections::HashMap<Key, i64>, sqlx::Error> {
    type Row = (i64, String, String, i64, String, i64, String, String, i64);
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT survey_version_id, '', '', day, channel, location_id, question_id, option_id, n FROM tally UNION ALL \
         SELECT survey_version_id, about_question, about_option, day, channel, location_id, question_id, option_id, n FROM tally_about UNION ALL \
         SELECT survey_version_id, '{}', cell, 0, '', 0, question_id, option_id, n FROM tally_cell",
        key::CELL
    ))
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(version_id, about_question, about_option, day, channel, location_id, question, option, n)| {
            let about = (!about_question.is_empty()).then_some((about_question, about_option));
            (Key { version_id, about, day, channel, location_id, question, option }, n)
        })
        .collect())
}

/// Counts the responses stored before the tallies existed, once: the first instance to start
/// claims the job, and any other waits for it and then finds it done.
pub async fn build_if_missing(db: &Db, catalogue: &Catalogue) -> Result<(), AppError> {
    let mut tx = db.write.begin().await?;
    let claimed =
        sqlx::query("INSERT INTO maintenance (task, done_at) VALUES ('tally', $1) ON CONFLICT (task) DO NOTHING")
            .bind(now())
            .execute(&mut *tx)
            .await?
            .rows_affected();
    if claimed == 1 {
        recount(db, catalogue, &mut tx, |_| {}).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Takes the totals for this transaction alone before anything reads them, so that submissions
/// wait until it ends and none is counted twice or missed. On PostgreSQL that is a table lock. On
/// SQLite it is the database's one write lock, taken by a write that changes nothing: a transaction
/// that reads first and writes later fails ("database is locked") if another connection, such as
/// the running server's, wrote in between.
async fn lock(db: &Db, tx: &mut Transaction<'_, Any>) -> Result<(), sqlx::Error> {
    let sql = match db.backend {
        Backend::Postgres => "LOCK TABLE tally, tally_about, tally_cell IN EXCLUSIVE MODE",
        Backend::Sqlite => "DELETE FROM tally WHERE 1 = 0",
    };
    sqlx::query(sql).execute(&mut **tx).await?;
    Ok(())
}

/// Responses counted in one statement of a recount: small enough to report progress often.
const RECOUNT_SLICE: i64 = 20_000;

async fn recount(
    db: &Db,
    catalogue: &Catalogue,
    tx: &mut Transaction<'_, Any>,
    mut progress: impl FnMut(i64),
) -> Result<(), AppError> {
    lock(db, tx).await?;
    sqlx::query("DELETE FROM tally").execute(&mut **tx).await?;
    sqlx::query("DELETE FROM tally_about").execute(&mut **tx).await?;
    sqlx::query("DELETE FROM tally_cell").execute(&mut **tx).await?;
    let versions: Vec<(i64, Option<i64>, Option<i64>)> =
        sqlx::query_as("SELECT v.id, MIN(r.id), MAX(r.id) FROM survey_version v LEFT JOIN response r ON r.survey_version_id = v.id AND r.import_id IS NULL GROUP BY v.id ORDER BY v.id")
            .fetch_all(&mut **tx)
            .await?;
    let mut counted = 0;
    for (id, first, last) in versions {
        let (Some(first), Some(last)) = (first, last) else { continue };
        let version = catalogue.version(db, id).await?;
        for from in (first..=last).step_by(RECOUNT_SLICE as usize) {
            let to = from + RECOUNT_SLICE;
            add(tx, &version.survey, Scope::Between { version_id: id, from, to }, 1).await?;
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM response WHERE survey_version_id = $1 AND id >= $2 AND id < $3 AND import_id IS NULL")
                .bind(id)
                .bind(from)
                .bind(to)
                .fetch_one(&mut **tx)
                .await?;
            counted += n;
            progress(counted);
        }
    }
    Ok(())
}

/// Which table of running totals can answer for these filters, if any: `tally` when no answer is
/// filtered on, `tally_about` when one about-you answer is ([`ABOUT_YOU_FILTERS`], counted by
/// group in every version that asks it as a choice); None when the responses themselves must be
/// counted (two answers at once, one person's reference, or part of a day: the totals are kept by
/// whole council days).
pub fn table_for(filters: &Filters) -> Option<&'static str> {
    let whole_days =
        (filters.from.is_none() || filters.from_day.is_some()) && (filters.to.is_none() || filters.to_day.is_some());
    // Totals are not kept by language (only of it): a language filter reads the responses.
    if filters.reference.is_some() || filters.language.is_some() || !whole_days {
        return None;
    }
    match filters.answers.as_slice() {
        [] => Some("tally"),
        [(question, _)] if ABOUT_YOU_FILTERS.contains(&question.as_str()) => Some("tally_about"),
        _ => None,
    }
}

/// Whether the totals by cell (`tally_cell`, kept by no day, channel, place or language) could
/// answer for these filters: about-you answers and a version only. Whether the answers' questions
/// are in the cells is for the caller to check ([`cell_questions`]).
pub fn cells_cover(filters: &Filters) -> bool {
    let Filters { from, to, channel, location_id, version: _, language, answers: _, reference, from_day, to_day } =
        filters;
    from.is_none()
        && to.is_none()
        && channel.is_none()
        && location_id.is_none()
        && language.is_none()
        && reference.is_none()
        && from_day.is_none()
        && to_day.is_none()
}

/// Whether the plain totals (`tally`) answer for these filters: see [`table_for`].
pub fn covers(filters: &Filters) -> bool {
    table_for(filters) == Some("tally")
}

/// The WHERE clause selecting the totals for these filters, with `r` the table [`table_for`]
/// chose and `$1` the survey id, and every value to bind.
pub fn where_clause(survey_id: i64, filters: &Filters) -> (String, Vec<Param>) {
    let mut values = vec![Param::Int(survey_id)];
    let mut next = |value: Param| {
        values.push(value);
        format!("${}", values.len())
    };
    let mut sql = String::new();
    if let Some(version) = filters.version {
        sql += &format!(
            "r.survey_version_id IN (SELECT id FROM survey_version WHERE survey_id = $1 AND version = {})",
            next(Param::Int(version))
        );
    } else {
        sql += "r.survey_version_id IN (SELECT id FROM survey_version WHERE survey_id = $1)";
    }
    if let [(question, option)] = filters.answers.as_slice() {
        sql += &format!(" AND r.about_question = {}", next(Param::Text(question.clone())));
        sql += &format!(" AND r.about_option = {}", next(Param::Text(option.clone())));
    }
    if let Some(from) = filters.from_day {
        sql += &format!(" AND r.day >= {}", next(Param::Int(from)));
    }
    if let Some(to) = filters.to_day {
        sql += &format!(" AND r.day < {}", next(Param::Int(to)));
    }
    if let Some(channel) = &filters.channel {
        sql += &format!(" AND r.channel = {}", next(Param::Text(channel.clone())));
    }
    if let Some(location) = filters.location_id {
        sql += &format!(" AND r.location_id = {}", next(Param::Int(location)));
    }
    (sql, values)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::DAY_SECS as DAY;

    #[test]
    fn totals_answer_for_whole_days_and_no_answer_filters() {
        assert!(covers(&Filters::default()));
        let london = crate::clock::CouncilTime::default();
        let (first, last) = ("2026-07-06".parse().ok(), "2026-07-12".parse().ok());
        let week = Filters { channel: Some("phone".into()), ..Filters::default() }.days(&london, first, last);
        assert!(covers(&week));
        assert_eq!(week.from, Some(1_783_292_400), "2026-07-05T23:00:00Z, midnight in summer time");
        let (sql, _) = where_clause(1, &week);
        assert!(sql.contains("r.day >= $2 AND r.day < $3"), "{sql}");
        assert!(
            !covers(&Filters { from: Some(20_000 * DAY + 3600), ..Filters::default() }),
            "a time that is not a whole day"
        );
        let ward = Filters { answers: vec![("ward".into(), "yarm".into())], ..Filters::default() };
        assert!(!covers(&ward));
        assert_eq!(table_for(&ward), Some("tally_about"), "one about-you answer: the totals by group");
        let (sql, _) = where_clause(1, &ward);
        assert!(sql.contains("r.about_question = $2 AND r.about_option = $3"), "{sql}");
        let two = Filters {
            answers: vec![("ward".into(), "yarm".into()), ("age_band".into(), "65_74".into())],
            ..Filters::default()
        };
        assert_eq!(table_for(&two), None, "two answers at once: from the responses");
        assert_eq!(table_for(&Filters { answers: vec![("comments".into(), "".into())], ..Filters::default() }), None);
        assert_eq!(table_for(&Filters { reference: Some("ABCD2345".into()), ..Filters::default() }), None);
    }
}
