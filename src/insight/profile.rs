//! Who the responses come from (channel, location, week) and which barriers they show.

use super::summary::{Cell, bind_all, filter_sql};
use crate::db::Db;
use crate::error::AppError;
use crate::responses::filters::{Filters, Param};
use crate::responses::tally;
use crate::survey::{Barrier, Barriers};

/// A count by some key, largest first unless the key orders itself (weeks).
pub type Breakdown = Vec<(String, Cell)>;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Profile {
    /// Everyone the filters select.
    pub respondents: Cell,
    pub by_channel: Breakdown,
    pub by_location: Breakdown,
    /// By the language answered in (its tag), most first.
    pub by_language: Breakdown,
    /// Week starting (YYYY-MM-DD, the Monday; UTC days), oldest first.
    pub by_week: Breakdown,
    /// Respondents showing each barrier, in the strategy's order.
    pub barriers: Vec<(Barrier, Cell)>,
    pub two_or_more: Cell,
    /// Every combination of barriers anyone showed, most common first.
    pub combinations: Vec<(Vec<Barrier>, Cell)>,
}

/// How many combinations the results page lists for staff; the publishable view lists them all,
/// in a fixed order, since a list cut off by its counts says the rest are smaller.
pub const MOST_COMBINATIONS: usize = 8;

/// Where the counts come from: the running totals when they cover the filters, or the responses.
struct Source {
    from: String,
    count: &'static str,
    week: &'static str,
    barriers: &'static str,
    language: &'static str,
    /// WHERE clauses for rows that count respondents, barrier sets and languages.
    respondents: String,
    barrier_sets: String,
    languages: String,
    values: Vec<Param>,
}

impl Source {
    fn pick(survey_id: i64, filters: &Filters) -> Source {
        if let Some(table) = tally::table_for(filters) {
            let (filter, values) = tally::where_clause(survey_id, filters);
            Source {
                from: format!("{table} r"),
                count: "CAST(SUM(r.n) AS BIGINT)",
                week: "(r.day + 3) / 7",
                barriers: "r.option_id",
                language: "r.option_id",
                respondents: format!("{filter} AND r.question_id = '{}'", tally::key::RESPONDENTS),
                barrier_sets: format!("{filter} AND r.question_id = '{}'", tally::key::BARRIERS),
                languages: format!("{filter} AND r.question_id = '{}'", tally::key::LANGUAGES),
                values,
            }
        } else {
            let (filter, values) = filter_sql(survey_id, filters);
            Source {
                from: "response r".to_owned(),
                count: "COUNT(*)",
                week: "(r.day + 3) / 7",
                barriers: "CAST(r.barriers AS TEXT)",
                language: "r.language",
                respondents: filter.clone(),
                barrier_sets: filter.clone(),
                languages: filter,
                values,
            }
        }
    }
}

pub async fn profile(db: &Db, survey_id: i64, filters: &Filters) -> Result<Profile, AppError> {
    // Totals taken back to 0 by corrections leave rows behind: HAVING keeps them out.
    let Source { from, count, week, barriers, language, respondents, barrier_sets, languages, values } =
        Source::pick(survey_id, filters);
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
        "SELECT COALESCE(l.label, 'No location recorded'), '', {count} FROM {from} LEFT JOIN list_item l ON l.id = r.location_id \
         WHERE {respondents} GROUP BY l.label HAVING {count} > 0 ORDER BY {count} DESC, l.label"
    ))
    .await?;
    let by_week = run(format!(
        "SELECT CAST({week} AS TEXT), '', {count} FROM {from} WHERE {respondents} GROUP BY {week} HAVING {count} > 0 ORDER BY {week}"
    ))
    .await?;
    let by_language = run(format!("SELECT {language}, '', {count} FROM {from} WHERE {languages} GROUP BY {language} HAVING {count} > 0 ORDER BY {count} DESC, {language}")).await?;
    let by_barriers = run(format!(
        "SELECT {barriers}, '', {count} FROM {from} WHERE {barrier_sets} GROUP BY {barriers} HAVING {count} > 0"
    ))
    .await?;

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
    Ok(Profile {
        respondents: Cell::Count(by_channel.iter().map(|(_, _, n)| n).sum()),
        by_channel: by_channel
            .into_iter()
            .map(|(k, _, n)| (crate::survey::channel_label(&k), Cell::Count(n)))
            .collect(),
        by_location: by_location.into_iter().map(|(k, _, n)| (k, Cell::Count(n))).collect(),
        by_language: by_language.into_iter().map(|(k, _, n)| (k, Cell::Count(n))).collect(),
        by_week: by_week.into_iter().map(|(k, _, n)| (week_start(&k), Cell::Count(n))).collect(),
        barriers: barriers.into_iter().map(|(b, n)| (b, Cell::Count(n))).collect(),
        two_or_more: Cell::Count(two_or_more),
        combinations: combinations.into_iter().map(|(set, n)| (set, Cell::Count(n))).collect(),
    })
}

/// The Monday a week number (as the queries above number weeks) starts on. Weeks run Monday to
/// Sunday, as councils count them: day 0 (1 January 1970) was a Thursday, three days after one.
fn week_start(week: &str) -> String {
    let start = (week.parse::<i64>().unwrap_or(0) * 7 - 3) * 24 * 3600;
    time::OffsetDateTime::from_unix_timestamp(start).map(|t| t.date().to_string()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    /// The week SQL above numbers a day as, for Unix day `day`.
    fn week_of(day: i64) -> i64 {
        (day + 3) / 7
    }

    #[test]
    fn weeks_run_monday_to_sunday_and_show_their_monday() {
        let monday = 20_780; // 23 November 2026
        assert!((monday..monday + 7).all(|d| week_of(d) == week_of(monday)), "Monday to Sunday");
        assert_ne!(week_of(monday - 1), week_of(monday), "Sunday before is the week before");
        assert_eq!(super::week_start(&week_of(monday).to_string()), "2026-11-23");
        assert_eq!(super::week_start(&week_of(monday + 6).to_string()), "2026-11-23");
    }
}
