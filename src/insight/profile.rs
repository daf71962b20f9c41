//! Who the responses come from (channel, location, week) and which barriers they show.

use super::summary::{bind_all, filter_sql};
use crate::db::Db;
use crate::error::AppError;
use super::tally;
use crate::export::{Filters, Param};
use crate::survey::{Barrier, Barriers};

/// A count by some key, largest first unless the key orders itself (weeks).
pub type Breakdown = Vec<(String, i64)>;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Profile {
    pub by_channel: Breakdown,
    pub by_location: Breakdown,
    /// Week starting (YYYY-MM-DD, UTC Thursday-based Unix weeks shown by their first day), oldest first.
    pub by_week: Breakdown,
    /// Respondents showing each barrier, in the strategy's order.
    pub barriers: Vec<(Barrier, i64)>,
    pub two_or_more: i64,
    /// The most common combinations of barriers, most common first (at most 8).
    pub combinations: Vec<(Vec<Barrier>, i64)>,
}

/// Where the counts come from: the running totals when they cover the filters, or the responses.
struct Source {
    from: &'static str,
    count: &'static str,
    week: &'static str,
    barriers: &'static str,
    /// WHERE clauses for rows that count respondents, and rows that count barrier sets.
    respondents: String,
    barrier_sets: String,
    values: Vec<Param>,
}

impl Source {
    fn pick(survey_id: i64, filters: &Filters) -> Source {
        if tally::covers(filters) {
            let (filter, values) = tally::where_clause(survey_id, filters);
            Source {
                from: "tally r",
                count: "CAST(SUM(r.n) AS BIGINT)",
                week: "r.day / 7",
                barriers: "r.option_id",
                respondents: format!("{filter} AND r.question_id = ''"),
                barrier_sets: format!("{filter} AND r.question_id = '#barriers'"),
                values,
            }
        } else {
            let (filter, values) = filter_sql(survey_id, filters);
            Source {
                from: "response r",
                count: "COUNT(*)",
                week: "r.submitted_at / 604800",
                barriers: "CAST(r.barriers AS TEXT)",
                respondents: filter.clone(),
                barrier_sets: filter,
                values,
            }
        }
    }
}

pub async fn profile(db: &Db, survey_id: i64, filters: &Filters) -> Result<Profile, AppError> {
    // Totals taken back to 0 by corrections leave rows behind: HAVING keeps them out.
    let Source { from, count, week, barriers, respondents, barrier_sets, values } = Source::pick(survey_id, filters);
    let run = |sql: String| {
        let values = values.clone();
        async move {
            let rows: Vec<(String, String, i64)> = bind_all(sqlx::query_as(&sql), &values).fetch_all(&db.read).await?;
            Ok::<_, AppError>(rows)
        }
    };
    let by_channel =
        run(format!("SELECT r.channel, '', {count} FROM {from} WHERE {respondents} GROUP BY r.channel HAVING {count} > 0 ORDER BY {count} DESC, r.channel")).await?;
    let by_location = run(format!(
        "SELECT COALESCE(l.label, 'Online, no location'), '', {count} FROM {from} LEFT JOIN list_item l ON l.id = r.location_id \
         WHERE {respondents} GROUP BY l.label HAVING {count} > 0 ORDER BY {count} DESC, l.label"
    ))
    .await?;
    let by_week = run(format!(
        "SELECT CAST({week} AS TEXT), '', {count} FROM {from} WHERE {respondents} GROUP BY {week} HAVING {count} > 0 ORDER BY {week}"
    ))
    .await?;
    let by_barriers = run(format!("SELECT {barriers}, '', {count} FROM {from} WHERE {barrier_sets} GROUP BY {barriers} HAVING {count} > 0")).await?;

    let mut barriers: Vec<(Barrier, i64)> = Barrier::ALL.iter().map(|b| (*b, 0)).collect();
    let mut two_or_more = 0;
    let mut combinations = Vec::new();
    for (bits, _, n) in &by_barriers {
        let set = Barriers::from_bits(bits.parse().unwrap_or(0));
        for (b, count) in barriers.iter_mut() {
            if set.contains(*b) {
                *count += n;
            }
        }
        let members: Vec<Barrier> = set.iter().collect();
        if members.len() >= 2 {
            two_or_more += n;
        }
        if !members.is_empty() {
            combinations.push((members, *n));
        }
    }
    combinations.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    combinations.truncate(8);
    let week_start = |w: &str| {
        let start = w.parse::<i64>().unwrap_or(0) * 7 * 24 * 3600;
        time::OffsetDateTime::from_unix_timestamp(start).map(|t| t.date().to_string()).unwrap_or_default()
    };
    Ok(Profile {
        by_channel: by_channel.into_iter().map(|(k, _, n)| (k, n)).collect(),
        by_location: by_location.into_iter().map(|(k, _, n)| (k, n)).collect(),
        by_week: by_week.into_iter().map(|(k, _, n)| (week_start(&k), n)).collect(),
        barriers,
        two_or_more,
        combinations,
    })
}
