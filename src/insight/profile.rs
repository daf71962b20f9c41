//! Who the responses come from (channel, location, week) and which barriers they show.

use super::summary::{bind_all, filter_sql, Cell};
use super::suppress::{Figure, Table};
use crate::db::Db;
use crate::error::AppError;
use super::tally;
use crate::insight::filters::{Filters, Param};
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
    /// The most common combinations of barriers, most common first (at most 8).
    pub combinations: Vec<(Vec<Barrier>, Cell)>,
    /// Whether `combinations` lists every combination anyone showed.
    pub every_combination: bool,
}

const MOST_COMBINATIONS: usize = 8;

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
    let Source { from, count, week, barriers, language, respondents, barrier_sets, languages, values } = Source::pick(survey_id, filters);
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
    let every_combination = combinations.len() <= MOST_COMBINATIONS;
    combinations.truncate(MOST_COMBINATIONS);
    Ok(Profile {
        respondents: Cell::Count(by_channel.iter().map(|(_, _, n)| n).sum()),
        by_channel: by_channel.into_iter().map(|(k, _, n)| (crate::survey::channel_label(&k), Cell::Count(n))).collect(),
        by_location: by_location.into_iter().map(|(k, _, n)| (k, Cell::Count(n))).collect(),
        by_language: by_language.into_iter().map(|(k, _, n)| (k, Cell::Count(n))).collect(),
        by_week: by_week.into_iter().map(|(k, _, n)| (week_start(&k), Cell::Count(n))).collect(),
        barriers: barriers.into_iter().map(|(b, n)| (b, Cell::Count(n))).collect(),
        two_or_more: Cell::Count(two_or_more),
        combinations: combinations.into_iter().map(|(set, n)| (set, Cell::Count(n))).collect(),
        every_combination,
    })
}

/// The Monday a week number (as the queries above number weeks) starts on. Weeks run Monday to
/// Sunday, as councils count them: day 0 (1 January 1970) was a Thursday, three days after one.
fn week_start(week: &str) -> String {
    let start = (week.parse::<i64>().unwrap_or(0) * 7 - 3) * 24 * 3600;
    time::OffsetDateTime::from_unix_timestamp(start).map(|t| t.date().to_string()).unwrap_or_default()
}

impl Profile {
    /// The publishable version (see [`super::suppress`]). Each breakdown adds up to everyone; each
    /// barrier's count, and the count with two or more, add up from the combinations when every
    /// combination is listed.
    pub fn suppress(mut self, threshold: i64) -> Profile {
        let mut table = Table::default();
        let mut figure = |cell: &Cell| table.figure(cell.value());
        let respondents = figure(&self.respondents);
        let breakdowns: Vec<Vec<Figure>> =
            [&self.by_channel, &self.by_location, &self.by_language, &self.by_week].iter().map(|rows| rows.iter().map(|(_, n)| figure(n)).collect()).collect();
        let barriers: Vec<Figure> = self.barriers.iter().map(|(_, n)| figure(n)).collect();
        let two_or_more = figure(&self.two_or_more);
        let combinations: Vec<Figure> = self.combinations.iter().map(|(_, n)| figure(n)).collect();
        for parts in &breakdowns {
            table.adds_up(parts.clone(), respondents);
        }
        if self.every_combination {
            for ((barrier, _), total) in self.barriers.iter().zip(&barriers) {
                let parts = self.combinations.iter().zip(&combinations).filter(|((set, _), _)| set.contains(barrier)).map(|(_, f)| *f).collect();
                table.adds_up(parts, *total);
            }
            let parts = self.combinations.iter().zip(&combinations).filter(|((set, _), _)| set.len() >= 2).map(|(_, f)| *f).collect();
            table.adds_up(parts, two_or_more);
        }
        table.suppress(threshold);
        let hold = |cell: &mut Cell, figure: Figure| {
            if table.is_held(figure) {
                *cell = Cell::Suppressed;
            }
        };
        hold(&mut self.respondents, respondents);
        for (rows, figures) in [&mut self.by_channel, &mut self.by_location, &mut self.by_language, &mut self.by_week].into_iter().zip(&breakdowns) {
            rows.iter_mut().zip(figures).for_each(|((_, n), f)| hold(n, *f));
        }
        self.barriers.iter_mut().zip(&barriers).for_each(|((_, n), f)| hold(n, *f));
        hold(&mut self.two_or_more, two_or_more);
        self.combinations.iter_mut().zip(&combinations).for_each(|((_, n), f)| hold(n, *f));
        self
    }
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
