//! The borough against the country: each national measure the survey scored (see
//! `survey::measures`) beside the national figure for it, from the comparators file shipped with
//! the app (`comparators.csv`: measure, population, year, figure in percent, base when the source
//! gives one, source address).
//!
//! The difference is the borough's share less the country's, with a 95% interval that allows for
//! the borough's interval (Wilson's, or the weighted one) and, where the source gives its base, the
//! country's (Wilson's at that base: national surveys are weighted too, so this is the least it
//! could be); without a base the national figure is taken as known. "A clear difference" only
//! when the interval leaves out 0.

use super::interval::{Change, Interval, Sureness, WeightedShare};
use super::summary::{Cell, Score};
use crate::survey::measures::{MEASURES, Measure};

pub mod pages;
pub mod store;
use crate::ui::ScrollingTable;
use leptos::prelude::*;
use std::collections::HashMap;

/// The national figures that ship with the app.
pub const SHIPPED: &str = include_str!("comparators.csv");

/// One national figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparator {
    /// The measure's id (`eds_foundation`).
    pub measure: String,
    pub population: String,
    pub year: i32,
    /// As a fraction.
    pub share: f64,
    pub base: Option<i64>,
    pub source: String,
}

impl Comparator {
    fn interval(&self) -> Interval {
        match self.base {
            Some(base) => {
                let count = (self.share * base as f64).round() as i64;
                Interval::wilson(count.clamp(0, base), base).unwrap_or(Interval { low: self.share, high: self.share })
            }
            None => Interval { low: self.share, high: self.share },
        }
    }
}

/// A comparators file, read; every problem said by its line.
pub fn parse(text: &str) -> Result<Vec<Comparator>, Vec<String>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_lowercase()).collect(),
        Err(e) => return Err(vec![format!("The file cannot be read as CSV ({e}).")]),
    };
    let at = |name: &str| header.iter().position(|h| h == name);
    let (Some(m), Some(p), Some(y), Some(f), Some(b), Some(s)) =
        (at("measure"), at("population"), at("year"), at("figure"), at("base"), at("source"))
    else {
        return Err(vec![
            "The first line must name the columns measure, population, year, figure, base and source.".into(),
        ]);
    };
    let (mut found, mut problems) = (Vec::new(), Vec::new());
    for (line, record) in (2..).zip(reader.records()) {
        let Ok(record) = record else {
            problems.push(format!("Line {line} cannot be read as CSV."));
            continue;
        };
        let cell = |i: usize| record.get(i).unwrap_or_default().trim();
        let year = cell(y).parse::<i32>().ok().filter(|y| (1990..=2100).contains(y));
        let figure = cell(f).parse::<f64>().ok().filter(|f| (0.0..=100.0).contains(f));
        let base =
            if cell(b).is_empty() { Some(None) } else { cell(b).parse::<i64>().ok().filter(|b| *b > 0).map(Some) };
        let known = MEASURES.iter().any(|measure| measure.id == cell(m));
        let repeat = found
            .iter()
            .position(|c: &Comparator| c.measure == cell(m) && c.population == cell(p) && year == Some(c.year));
        match (year, figure, base) {
            _ if !known => problems.push(format!(
                "Line {line}: there is no measure \u{201c}{}\u{201d}. The measures are {}.",
                cell(m),
                MEASURES.iter().map(|m| m.id).collect::<Vec<_>>().join(", ")
            )),
            _ if repeat.is_some() => problems.push(format!(
                "Line {line} gives the same measure, population and year as an earlier line: keep one of them."
            )),
            (Some(year), Some(figure), Some(base)) => found.push(Comparator {
                measure: cell(m).to_owned(),
                population: cell(p).to_owned(),
                year,
                share: figure / 100.0,
                base,
                source: cell(s).to_owned(),
            }),
            _ => problems.push(format!(
                "Line {line}: give a measure, a year, a figure from 0 to 100 (a percentage) and a base that is a whole number or empty."
            )),
        }
    }
    if problems.is_empty() { Ok(found) } else { Err(problems) }
}

/// The figures that ship with the app (checked by a test).
pub fn shipped() -> Vec<Comparator> {
    parse(SHIPPED).unwrap_or_default()
}

/// One measure: the borough's figure and the country's.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub measure: &'static Measure,
    pub met: Cell,
    pub base: Cell,
    /// The borough's share and how sure it is (weighted when the results are), when shown.
    pub here: Option<(f64, Sureness)>,
    pub weighted: bool,
    /// The newest national figure for the measure, and the borough's difference from it.
    pub national: Option<(Comparator, Option<Change>)>,
}

/// A line for each measure scored, against the newest comparator for it.
pub fn lines(
    scores: &[Score],
    weighted: Option<&HashMap<&'static str, WeightedShare>>,
    comparators: &[Comparator],
) -> Vec<Line> {
    scores
        .iter()
        .map(|score| {
            let shown = matches!((score.met, score.base), (Cell::Count(_), Cell::Count(b)) if b > 0);
            let here = match weighted {
                Some(shares) => shares.get(score.measure.key).filter(|_| shown).map(|w| (w.share, w.sureness())),
                None => Sureness::of(score.met, score.base)
                    .map(|sure| (score.met.value() as f64 / score.base.value() as f64, sure)),
            };
            let national =
                comparators.iter().filter(|c| c.measure == score.measure.id).max_by_key(|c| c.year).map(|c| {
                    (c.clone(), here.map(|(p, sure)| Change::of((c.share, c.interval()), (p, sure.interval))))
                });
            Line {
                measure: score.measure,
                met: score.met,
                base: score.base,
                here,
                weighted: weighted.is_some(),
                national,
            }
        })
        .collect()
}

/// The measures, each with its framework and version, the borough's figure, the country's and
/// the difference in words.
#[component]
pub fn AgainstTheCountry(
    lines: Vec<Line>,
    /// Which version of the national figures these are, in words.
    figures: String,
) -> AnyView {
    if lines.is_empty() {
        return ().into_any();
    }
    let rows = lines
        .into_iter()
        .map(|line| {
            let here = match line.here {
                Some((p, sure)) => format!(
                    "{:.0}% of {} ({}){}",
                    p * 100.0,
                    line.base.shown(),
                    sure.words(),
                    if line.weighted { ", weighted" } else { "" },
                ),
                None => format!("{} of {}", line.met.shown(), line.base.shown()),
            };
            let (country, difference) = match &line.national {
                Some((c, change)) => (
                    view! {
                        {format!(
                            "{:.0}%, {} ({}{}) ",
                            c.share * 100.0,
                            c.population,
                            c.year,
                            c
                                .base
                                .map(|b| format!(", {} asked", crate::survey::thousands(b as usize)))
                                .unwrap_or_default(),
                        )}
                        <a class="link" href=c.source.clone()>
                            "source"
                        </a>
                    }
                    .into_any(),
                    change.map_or_else(|| "\u{2013}".to_owned(), Change::compared_words),
                ),
                None => (view! { "No national figure" }.into_any(), "\u{2013}".to_owned()),
            };
            view! {
                <tr>
                    <td>
                        {line.measure.name}
                        <span class="interval">{format!("{} ({})", line.measure.framework, line.measure.version)}</span>
                    </td>
                    <td>{here}</td>
                    <td>{country}</td>
                    <td>{difference}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h2 class="heading-m">"Compared with the country"</h2>
        <p class="body">
            "These questions are asked and scored as the national statistics ask and score them, with the framework and its version beside each: a later framework is counted apart, never mixed in. The difference allows for how sure both figures are; \u{201c}no clear difference\u{201d} means chance alone could explain it."
        </p>
        <ScrollingTable
            label="Compared with the country".to_owned()
            columns=vec!["Measure", "Here", "Country", "Difference"]
        >
            {rows}
        </ScrollingTable>
        <p class="body">
            "National figures: " {figures} ". " <a class="link" href=crate::paths::staff::NATIONAL>
                "Where they come from"
            </a>
        </p>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_figures_are_read_and_cover_every_measure() {
        let shipped = parse(SHIPPED).unwrap();
        for m in MEASURES {
            assert!(shipped.iter().any(|c| c.measure == m.id), "{}", m.id);
        }
        let eds = shipped.iter().find(|c| c.measure == "eds_foundation").unwrap();
        assert_eq!((eds.year, eds.share, eds.base), (2023, 0.84, Some(4172)));
    }

    #[test]
    fn a_bad_line_is_said() {
        let header = "measure,population,year,figure,base,source\n";
        let problems = parse(&format!("{header}eds_foundation,UK,2023,184,,u\n")).unwrap_err();
        assert!(problems[0].starts_with("Line 2:"), "{problems:?}");
        let problems = parse(&format!("{header}eds_foundaton,UK,2023,84,,u\n")).unwrap_err();
        assert!(problems[0].contains("no measure \u{201c}eds_foundaton\u{201d}"), "{problems:?}");
        let twice = format!(
            "{header}eds_foundation,UK,2023,84,,u\neds_foundation,UK,2023,85,,u\neds_foundation,UK,2024,85,,u\n"
        );
        assert_eq!(
            parse(&twice).unwrap_err(),
            vec!["Line 3 gives the same measure, population and year as an earlier line: keep one of them."]
        );
    }

    #[test]
    fn a_borough_is_compared_allowing_for_both_intervals() {
        let national = parse(SHIPPED).unwrap();
        let score = |met, base| Score { measure: &MEASURES[0], met: Cell::Count(met), base: Cell::Count(base) };
        // 71 of 100 against 84% of 4,172: clearly lower.
        let line = &lines(&[score(71, 100)], None, &national)[0];
        let change = line.national.as_ref().unwrap().1.unwrap();
        assert!(change.is_clear() && change.difference < 0.0, "{change:?}");
        assert!(change.compared_words().starts_with("13.0 points lower"), "{}", change.compared_words());
        // 8 of 10: within chance of 84%.
        let line = &lines(&[score(8, 10)], None, &national)[0];
        assert!(!line.national.as_ref().unwrap().1.unwrap().is_clear());
        // Held back: no share, no difference.
        let held = Score { measure: &MEASURES[0], met: Cell::Suppressed, base: Cell::Count(30) };
        let line = &lines(&[held], None, &national)[0];
        assert_eq!((line.here, line.national.as_ref().unwrap().1), (None, None));
    }
}
