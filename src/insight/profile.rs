//! Who the responses come from (channel, location, week) and which barriers they show.

use super::summary::{bind_all, filter_sql};
use crate::db::Db;
use crate::error::AppError;
use crate::export::Filters;
use crate::survey::{Barrier, Barriers};

/// A count by some key, largest first unless the key orders itself (weeks).
pub type Breakdown = Vec<(String, i64)>;

#[derive(Debug, Clone, Default)]
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

const WEEK: i64 = 7 * 24 * 3600;

pub async fn profile(db: &Db, survey_id: i64, filters: &Filters) -> Result<Profile, AppError> {
    let (filter, values) = filter_sql(survey_id, filters);
    let run = |sql: String| {
        let values = values.clone();
        async move {
            let rows = bind_all(sqlx::query_as(&sql), &values).fetch_all(&db.read).await?;
            Ok::<_, AppError>(rows)
        }
    };
    let by_channel = run(format!("SELECT r.channel, '', COUNT(*) FROM response r WHERE {filter} GROUP BY r.channel ORDER BY COUNT(*) DESC")).await?;
    let by_location = run(format!(
        "SELECT COALESCE(l.label, 'Online, no location'), '', COUNT(*) FROM response r LEFT JOIN list_item l ON l.id = r.location_id \
         WHERE {filter} GROUP BY l.label ORDER BY COUNT(*) DESC"
    ))
    .await?;
    let by_week = run(format!(
        "SELECT CAST(r.submitted_at / {WEEK} AS TEXT), '', COUNT(*) FROM response r WHERE {filter} GROUP BY r.submitted_at / {WEEK} ORDER BY r.submitted_at / {WEEK}"
    ))
    .await?;
    let by_barriers = run(format!("SELECT CAST(r.barriers AS TEXT), '', COUNT(*) FROM response r WHERE {filter} GROUP BY r.barriers")).await?;

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
        let start = w.parse::<i64>().unwrap_or(0) * WEEK;
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
