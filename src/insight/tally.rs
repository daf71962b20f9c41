//! Running totals for the dashboard (the `tally` table). Every change to a response adds its counts
//! or takes them away in the same transaction, so the totals always match the responses and the
//! full dashboard reads a few thousand rows instead of every answer ever given.
//!
//! The counting is one SQL statement over the stored rows, whatever the scope (one response or a
//! whole version), so that a response counts the same whether it was added one at a time or
//! recounted in bulk.

use crate::db::{now, Backend, Db};
use crate::error::AppError;
use crate::export::{Filters, Param};
use crate::survey::{Catalogue, Survey};
use sqlx::{Any, Transaction};

const DAY: i64 = 24 * 3600;

/// The `tally` rows that are not a question's option but a count about the respondent, by the
/// key they are stored under. The writer ([`add`]) and the readers (the profile and the summary)
/// name them only through these.
pub mod key {
    /// `question_id` of the row counting respondents (its `option_id` is empty too).
    pub const RESPONDENTS: &str = "";
    /// `question_id` of the rows counting respondents by their set of barriers (the bits, as
    /// text, in `option_id`).
    pub const BARRIERS: &str = "#barriers";
    /// `option_id` of a question's row counting those who answered it.
    pub const ANSWERED: &str = "#answered";
    /// `option_id` of a conditional question's row counting those who were shown it.
    pub const SHOWN: &str = "#shown";
}

/// Which responses to count.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    Response(i64),
    Version(i64),
    /// Many responses of one version at once, as an import adds them.
    Responses { version_id: i64, ids: &'a [i64] },
}

/// Adds the counts of the responses in `scope` to the totals (`sign` 1), or takes them away (-1,
/// before a response's answers change or it is deleted). `survey` is the responses' version: its
/// rules say who was shown each conditional question.
pub async fn add(tx: &mut Transaction<'_, Any>, survey: &Survey, scope: Scope<'_>, sign: i64) -> Result<(), sqlx::Error> {
    let (scope_sql, scope_id) = match scope {
        Scope::Response(id) => ("r.id = $2".to_owned(), id),
        Scope::Version(id) => ("r.survey_version_id = $2".to_owned(), id),
        // The ids are the database's own integers, so they can be written into the statement.
        Scope::Responses { version_id, ids } => {
            let list: Vec<String> = ids.iter().map(i64::to_string).collect();
            (format!("r.survey_version_id = $2 AND r.id IN ({})", if list.is_empty() { "NULL".to_owned() } else { list.join(", ") }), version_id)
        }
    };
    let keys = "r.survey_version_id, r.submitted_at / 86400, r.channel, COALESCE(r.location_id, 0)";
    let answers = format!("FROM answer a JOIN response r ON r.id = a.response_id WHERE {scope_sql}");
    let mut branches = vec![
        format!(
            "SELECT r.id AS rid, r.survey_version_id AS v, r.submitted_at / 86400 AS d, r.channel AS c, \
             COALESCE(r.location_id, 0) AS l, '{respondents}' AS q, '' AS o FROM response r WHERE {scope_sql}",
            respondents = key::RESPONDENTS
        ),
        format!("SELECT r.id, {keys}, '{}', CAST(r.barriers AS TEXT) FROM response r WHERE {scope_sql}", key::BARRIERS),
        format!("SELECT r.id, {keys}, a.question_id, a.option_id {answers}"),
        format!("SELECT DISTINCT r.id, {keys}, a.question_id, '{}' {answers}", key::ANSWERED),
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
    // Rows are written in key order so that two transactions counting into the same rows take
    // their locks in the same order and cannot deadlock.
    let sql = format!(
        "INSERT INTO tally (survey_version_id, day, channel, location_id, question_id, option_id, n) \
         SELECT v, d, c, l, q, o, $1 * COUNT(*) FROM ({}) k WHERE true GROUP BY v, d, c, l, q, o ORDER BY v, d, c, l, q, o \
         ON CONFLICT (survey_version_id, day, channel, location_id, question_id, option_id) DO UPDATE SET n = tally.n + excluded.n",
        branches.join(" UNION ALL ")
    );
    let mut query = sqlx::query(&sql).bind(sign).bind(scope_id);
    for value in values {
        query = query.bind(value);
    }
    query.execute(&mut **tx).await?;
    Ok(())
}

/// Counts every stored response again from scratch.
pub async fn rebuild(db: &Db, catalogue: &Catalogue) -> Result<(), AppError> {
    let mut tx = db.write.begin().await?;
    recount(db, catalogue, &mut tx).await?;
    tx.commit().await?;
    Ok(())
}

/// Counts the responses stored before the tallies existed, once: the first instance to start
/// claims the job, and any other waits for it and then finds it done.
pub async fn build_if_missing(db: &Db, catalogue: &Catalogue) -> Result<(), AppError> {
    let mut tx = db.write.begin().await?;
    let claimed = sqlx::query("INSERT INTO maintenance (task, done_at) VALUES ('tally', $1) ON CONFLICT (task) DO NOTHING")
        .bind(now())
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if claimed == 1 {
        recount(db, catalogue, &mut tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn recount(db: &Db, catalogue: &Catalogue, tx: &mut Transaction<'_, Any>) -> Result<(), AppError> {
    if db.backend == Backend::Postgres {
        // Submissions wait while the totals are rebuilt, so that none is counted twice or missed.
        sqlx::query("LOCK TABLE tally IN EXCLUSIVE MODE").execute(&mut **tx).await?;
    }
    sqlx::query("DELETE FROM tally").execute(&mut **tx).await?;
    let versions: Vec<i64> = sqlx::query_scalar("SELECT id FROM survey_version ORDER BY id").fetch_all(&mut **tx).await?;
    for id in versions {
        let version = catalogue.version(db, id).await?;
        add(tx, &version.survey, Scope::Version(id), 1).await?;
    }
    Ok(())
}

/// Whether the totals can answer for these filters: they are kept by day, channel, location and
/// version, not by answer, so filtering on an answer (a ward, say) needs the responses themselves.
pub fn covers(filters: &Filters) -> bool {
    filters.answers.is_empty() && filters.reference.is_none() && [filters.from, filters.to].iter().flatten().all(|t| t % DAY == 0)
}

/// The WHERE clause selecting the totals for these filters, with `r` the tally table and `$1` the
/// survey id, and every value to bind. Only for filters the totals cover.
pub fn where_clause(survey_id: i64, filters: &Filters) -> (String, Vec<Param>) {
    let mut values = vec![Param::Int(survey_id)];
    let mut next = |value: Param| {
        values.push(value);
        format!("${}", values.len())
    };
    let mut sql = String::new();
    if let Some(version) = filters.version {
        sql += &format!("r.survey_version_id IN (SELECT id FROM survey_version WHERE survey_id = $1 AND version = {})", next(Param::Int(version)));
    } else {
        sql += "r.survey_version_id IN (SELECT id FROM survey_version WHERE survey_id = $1)";
    }
    if let Some(from) = filters.from {
        sql += &format!(" AND r.day >= {}", next(Param::Int(from / DAY)));
    }
    if let Some(to) = filters.to {
        sql += &format!(" AND r.day < {}", next(Param::Int(to / DAY)));
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

    #[test]
    fn totals_answer_for_whole_days_and_no_answer_filters() {
        assert!(covers(&Filters::default()));
        assert!(covers(&Filters { from: Some(20_000 * DAY), to: Some(20_007 * DAY), channel: Some("phone".into()), ..Filters::default() }));
        assert!(!covers(&Filters { from: Some(20_000 * DAY + 3600), ..Filters::default() }));
        assert!(!covers(&Filters { answers: vec![("ward".into(), "yarm".into())], ..Filters::default() }));
    }
}
