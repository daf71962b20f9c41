//! Number and date answers in the results: numbers counted in bands, dates by month, and a
//! number's median with its interval. The running totals keep each value's count (a value is kept
//! where a choice keeps its id), so these come from the totals like any other figure.
//!
//! A number's bands come from the question's own limits, never from the answers: bands that moved
//! with what people answered would say where the smallest and largest answers lie, and two views
//! with different bands could be set against each other.

use statrs::distribution::{Binomial, DiscreteCDF};

/// Bands a number's answers are counted in, at most this many between its limits.
const MOST_BANDS: f64 = 8.0;

/// A band of a number question's answers, or a month of a date question's.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Stable across views: the band's lower bound (`from_16`) or the month (`2007-03`).
    pub id: String,
    pub label: String,
    pub count: i64,
}

/// The bands of a number question with limits `min` to `max` (both set: equal bands of a round
/// width; otherwise by size: below 0, 0, 1 to 9, 10 to 99 …), each with how many answers fall in
/// it. Every band between the limits is listed, empty or not.
pub fn bands(min: Option<f64>, max: Option<f64>, whole: bool, values: &[(f64, i64)]) -> Vec<Group> {
    let fixed = fixed_bands(min, max);
    let edges: Vec<f64> = match (min, max) {
        (Some(min), Some(max)) if fixed => {
            let width = round_width((max - min) / MOST_BANDS, whole);
            let start = (min / width).floor() * width;
            let count = ((max - start) / width).ceil().max(1.0) as usize;
            // Each edge rounded to the width's decimals: 3 × 0.2 is 0.6, not 0.6000000000000001.
            let scale = 10f64.powi((-width.log10().floor()).max(0.0) as i32);
            (0..=count).map(|i| ((start + i as f64 * width) * scale).round() / scale).collect()
        }
        _ => {
            // By size, from the largest answer's: 1, 10, 100 … (answers have at most 15 digits).
            let largest = values.iter().map(|(v, _)| v.abs()).fold(1.0_f64, f64::max);
            let mut edges = vec![f64::MIN, 0.0];
            if whole {
                edges.push(1.0);
            }
            let mut edge = if whole { 10.0 } else { 1.0 };
            while edge <= largest {
                edges.push(edge);
                edge *= 10.0;
            }
            edges.push(edge);
            edges
        }
    };
    edges
        .windows(2)
        .map(|w| {
            let (low, high) = (w[0], w[1]);
            let count = values.iter().filter(|(v, _)| *v >= low && *v < high).map(|(_, n)| n).sum::<i64>()
                // The last band takes its upper limit too.
                + if high == *edges.last().expect("two edges") { values.iter().filter(|(v, _)| *v == high).map(|(_, n)| n).sum::<i64>() } else { 0 };
            Group { id: band_id(low), label: band_label(low, high, whole, high == *edges.last().unwrap()), count }
        })
        .filter(|g| g.count > 0 || fixed)
        .collect()
}

/// Whether a number's bands are set by its limits (every band listed, empty or not) rather than
/// by the answers' sizes (only bands someone is in).
fn fixed_bands(min: Option<f64>, max: Option<f64>) -> bool {
    matches!((min, max), (Some(min), Some(max)) if max > min)
}

/// Whether a question's rows are only those someone gave (a date's months, a number's bands by
/// size): a row listed then says someone is in it, which a publishable output must allow for.
pub fn rows_only_when_given(q: &crate::survey::Question) -> bool {
    q.kind == crate::survey::Kind::Date || q.kind.is_number() && !fixed_bands(q.min, q.max)
}

/// 1, 2 or 5 times a power of ten, at least `rough`; a whole number's at least 1.
fn round_width(rough: f64, whole: bool) -> f64 {
    let power = 10f64.powf(rough.log10().floor());
    let width = [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * power).find(|w| *w >= rough).unwrap_or(10.0 * power);
    if whole { width.max(1.0).round() } else { width }
}

fn band_id(low: f64) -> String {
    if low == f64::MIN { "below_0".to_owned() } else { format!("from_{}", crate::survey::typed::number_text(low)) }
}

fn band_label(low: f64, high: f64, whole: bool, last: bool) -> String {
    use crate::survey::typed::number_text as n;
    match (low == f64::MIN, whole) {
        (true, _) => "Below 0".to_owned(),
        (false, true) if high - low == 1.0 && !last => n(low),
        (false, true) => format!("{} to {}", n(low), n(if last { high } else { high - 1.0 })),
        (false, false) if last => format!("{} to {}", n(low), n(high)),
        (false, false) => format!("{} to under {}", n(low), n(high)),
    }
}

/// A date question's answers by month (`2007-03`, "March 2007"), earliest first, from each day's
/// count.
pub fn months(days: &[(String, i64)]) -> Vec<Group> {
    let mut by_month: std::collections::BTreeMap<String, i64> = Default::default();
    for (day, n) in days {
        if let Ok(date) = day.parse::<jiff::civil::Date>() {
            *by_month.entry(date.strftime("%Y-%m").to_string()).or_default() += n;
        }
    }
    by_month
        .into_iter()
        .map(|(month, count)| {
            let label = format!("{month}-01").parse::<jiff::civil::Date>().map(|d| d.strftime("%B %Y").to_string());
            Group { label: label.unwrap_or_else(|_| month.clone()), id: month, count }
        })
        .collect()
}

/// The middle answer and a 95% interval for it, from each value's count: the order statistics
/// whose ranks a Binomial(n, ½) puts the population median between, at least 95% of the time
/// (distribution-free, as for any median of a sample).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Median {
    pub median: f64,
    /// None with fewer than 6 answers: no pair of ranks covers 95%.
    pub interval: Option<(f64, f64)>,
}

impl Median {
    /// "Median: 42 (95% interval 35 to 50)".
    pub fn words(self) -> String {
        use crate::survey::typed::number_text as n;
        match self.interval {
            Some((low, high)) => format!("Median: {} (95% interval {} to {})", n(self.median), n(low), n(high)),
            None => format!("Median: {} (too few answers for an interval)", n(self.median)),
        }
    }
}

pub fn median(values: &[(f64, i64)]) -> Option<Median> {
    let mut sorted: Vec<(f64, i64)> = values.iter().copied().filter(|(_, n)| *n > 0).collect();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let n: i64 = sorted.iter().map(|(_, c)| c).sum();
    if n == 0 {
        return None;
    }
    // The value at rank `r` (1 to n).
    let at = |rank: i64| {
        let mut seen = 0;
        sorted
            .iter()
            .find(|(_, c)| {
                seen += c;
                seen >= rank
            })
            .map(|(v, _)| *v)
    };
    let median = (at((n + 1) / 2)? + at((n + 2) / 2)?) / 2.0;
    // The largest j with P(X < j) <= 2.5%, X ~ Binomial(n, ½): ranks j and n + 1 - j.
    let binomial = Binomial::new(0.5, n as u64).ok()?;
    let lower = (1..=n / 2).take_while(|j| binomial.cdf((*j - 1) as u64) <= 0.025).last();
    let interval = lower.and_then(|j| Some((at(j)?, at(n + 1 - j)?)));
    Some(Median { median, interval })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_come_from_the_limits_and_count_every_answer_once() {
        let values = [(16.0, 2), (24.0, 1), (25.0, 3), (119.0, 1), (120.0, 1)];
        let groups = bands(Some(16.0), Some(120.0), true, &values);
        let total: i64 = groups.iter().map(|g| g.count).sum();
        assert_eq!(total, 8, "{groups:?}");
        let labels: Vec<&str> = groups.iter().map(|g| g.label.as_str()).collect();
        assert_eq!(labels, ["0 to 19", "20 to 39", "40 to 59", "60 to 79", "80 to 99", "100 to 120"]);
        assert_eq!(groups[0].count, 2);
        assert_eq!(groups[1].count, 4);
        assert_eq!(groups.last().unwrap().count, 2);
        // Not moved by the answers.
        let again = bands(Some(16.0), Some(120.0), true, &[(50.0, 1)]);
        assert_eq!(groups.iter().map(|g| &g.id).collect::<Vec<_>>(), again.iter().map(|g| &g.id).collect::<Vec<_>>());
        let decimal = bands(Some(0.0), Some(1.0), false, &[(0.05, 1), (0.95, 1), (1.0, 1)]);
        assert_eq!(decimal[0].label, "0 to under 0.2");
        assert_eq!(decimal[3].label, "0.6 to under 0.8");
        assert_eq!(decimal.last().unwrap().count, 2, "{decimal:?}");
        let by_size = bands(None, None, true, &[(-3.0, 1), (0.0, 2), (7.0, 1), (1500.0, 1)]);
        let labels: Vec<&str> = by_size.iter().map(|g| g.label.as_str()).collect();
        assert_eq!(labels, ["Below 0", "0", "1 to 9", "1000 to 10000"]);
    }

    #[test]
    fn dates_are_counted_by_month() {
        let days = [("2007-03-27".to_owned(), 2), ("2007-03-01".into(), 1), ("2006-12-31".into(), 4)];
        let groups = months(&days);
        assert_eq!(
            groups,
            vec![
                Group { id: "2006-12".into(), label: "December 2006".into(), count: 4 },
                Group { id: "2007-03".into(), label: "March 2007".into(), count: 3 },
            ]
        );
    }

    #[test]
    fn a_median_has_the_interval_of_its_order_statistics() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[(3.0, 1), (1.0, 1)]).unwrap(), Median { median: 2.0, interval: None });
        // 1 to 10: P(X <= 1) = 11/1024 <= 2.5% < P(X <= 2) = 56/1024, so ranks 2 and 9.
        let ten: Vec<(f64, i64)> = (1..=10).map(|v| (v as f64, 1)).collect();
        assert_eq!(median(&ten).unwrap(), Median { median: 5.5, interval: Some((2.0, 9.0)) });
        // 100 answers: the textbook ranks are 40 and 61.
        let hundred: Vec<(f64, i64)> = (1..=100).map(|v| (v as f64, 1)).collect();
        assert_eq!(median(&hundred).unwrap().interval, Some((40.0, 61.0)));
    }
}
