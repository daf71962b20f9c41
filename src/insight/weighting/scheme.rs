//! A survey's weighting scheme: its respondents' cells raked to the borough's population, and the
//! weighted share of any answer from the cells' counts.
//!
//! The targets, and the rules where the answers and the population disagree:
//! - An answer the population counts (more than 0 people) is a category whose target is its share
//!   of the borough, of those who gave such an answer.
//! - "Prefer not to say", no answer, and an answer the population gives no people (such as
//!   "I do not know" for a ward) are one category, "not known", kept at its share of responses.
//! - An answer the population counts but nobody gave cannot be met: it is reported, and the other
//!   answers' shares are made up to the whole without it.

use super::{Raked, Trim, rake};
use crate::insight::interval::WeightedShare;
use crate::insight::population::Margin;
use crate::responses::tally::key;
use crate::survey::measures::Measure;
use crate::survey::{Barrier, Barriers, Question};
use std::collections::HashMap;

/// The running totals by cell (`tally_cell`) of some versions of a survey.
#[derive(Debug, Default, Clone)]
pub struct CellCounts {
    /// Each cell's answers, as `tally::cell` writes them: (question, option).
    pub cells: Vec<Vec<(String, String)>>,
    counts: HashMap<(i64, usize, String, String), i64>,
}

impl CellCounts {
    /// From rows of (version id, cell, question id, option id, count).
    pub fn from_rows(rows: Vec<(i64, String, String, String, i64)>) -> CellCounts {
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut counts = CellCounts::default();
        for (version, cell, question, option, n) in rows {
            let next = index.len();
            let at = *index.entry(cell.clone()).or_insert_with(|| {
                let answers = crate::responses::tally::cell_answers(&cell)
                    .into_iter()
                    .map(|(q, o)| (q.to_owned(), o.to_owned()))
                    .collect();
                counts.cells.push(answers);
                next
            });
            *counts.counts.entry((version, at, question, option)).or_default() += n;
        }
        counts
    }

    fn get(&self, versions: &[i64], cell: usize, question: &str, option: &str) -> i64 {
        versions
            .iter()
            .map(|v| self.counts.get(&(*v, cell, question.to_owned(), option.to_owned())).copied().unwrap_or(0))
            .sum()
    }

    /// The respondents of each cell in `versions`.
    pub fn respondents(&self, versions: &[i64]) -> Vec<i64> {
        (0..self.cells.len()).map(|c| self.get(versions, c, key::RESPONDENTS, "")).collect()
    }

    /// A cell's answer to a question, if it gave one.
    pub fn answer(&self, cell: usize, question: &str) -> Option<&str> {
        self.cells[cell].iter().find(|(q, _)| q == question).map(|(_, o)| o.as_str())
    }
}

/// An answer the population counts that nobody gave.
#[derive(Debug, Clone, PartialEq)]
pub struct Unmet {
    pub question_id: String,
    pub option_id: String,
    pub people: i64,
}

/// The weights, and what a reader needs to judge them.
#[derive(Debug, Clone, PartialEq)]
pub struct Scheme {
    /// Each cell's weight, by the index of [`CellCounts::cells`]: averages 1 over respondents.
    pub weights: Vec<f64>,
    pub raked: Raked,
    pub respondents: i64,
    pub trim: Trim,
    pub unmet: Vec<Unmet>,
    /// For each weighting question, the respondents "not known" in it.
    pub not_known: Vec<(String, i64)>,
}

impl Scheme {
    /// Rakes the respondents of `versions` to `population`; none when there is nobody or no
    /// population to weight to.
    pub fn rake(counts: &CellCounts, versions: &[i64], population: &[Margin], trim: Trim) -> Option<Scheme> {
        let respondents = counts.respondents(versions);
        let n: i64 = respondents.iter().sum();
        if n == 0 || population.is_empty() {
            return None;
        }
        // Cells as the weighting sees them: their answers to the population's questions only,
        // None where "not known".
        let known = |cell: usize, margin: &Margin| {
            counts
                .answer(cell, &margin.question_id)
                .filter(|o| margin.people.iter().any(|(option, people)| option == o && *people > 0))
        };
        let mut projected: HashMap<Vec<Option<&str>>, usize> = HashMap::new();
        let mut of_cell = Vec::with_capacity(respondents.len());
        let mut projected_counts: Vec<f64> = Vec::new();
        for (cell, people) in respondents.iter().enumerate() {
            let key: Vec<Option<&str>> = population.iter().map(|m| known(cell, m)).collect();
            let next = projected.len();
            let at = *projected.entry(key).or_insert(next);
            if at == projected_counts.len() {
                projected_counts.push(0.0);
            }
            projected_counts[at] += *people as f64;
            of_cell.push(at);
        }
        let mut keys: Vec<(&Vec<Option<&str>>, usize)> = projected.iter().map(|(k, i)| (k, *i)).collect();
        keys.sort_by_key(|(_, i)| *i);
        let (mut unmet, mut not_known, mut targets) = (Vec::new(), Vec::new(), Vec::new());
        for (i, margin) in population.iter().enumerate() {
            let in_category = |answer: Option<&str>| -> Vec<usize> {
                keys.iter().filter(|(k, at)| k[i] == answer && projected_counts[*at] > 0.0).map(|(_, at)| *at).collect()
            };
            let unknown = in_category(None);
            let unknown_people: f64 = unknown.iter().map(|c| projected_counts[*c]).sum();
            not_known.push((margin.question_id.clone(), unknown_people as i64));
            let mut categories = Vec::new();
            for (option, people) in margin.people.iter().filter(|(_, people)| *people > 0) {
                let cells = in_category(Some(option));
                if cells.is_empty() {
                    unmet.push(Unmet {
                        question_id: margin.question_id.clone(),
                        option_id: option.clone(),
                        people: *people,
                    });
                } else {
                    categories.push((cells, *people as f64));
                }
            }
            let met: f64 = categories.iter().map(|(_, people)| people).sum();
            let known_share = 1.0 - unknown_people / n as f64;
            let mut categories: Vec<(Vec<usize>, f64)> =
                categories.into_iter().map(|(cells, people)| (cells, people / met * known_share)).collect();
            if !unknown.is_empty() {
                categories.push((unknown, unknown_people / n as f64));
            }
            targets.push(super::Margin { categories });
        }
        let raked = rake(&projected_counts, &targets, trim);
        let weights = of_cell.iter().map(|at| raked.weights[*at]).collect();
        Some(Scheme { weights, raked, respondents: n, trim, unmet, not_known })
    }

    /// The weighted share of those shown `question` (in `versions`) who gave `option` (or
    /// `no_answer`), among the cells `within` lets in.
    pub fn share(
        &self,
        counts: &CellCounts,
        versions: &[i64],
        question: &Question,
        option: &str,
        within: &dyn Fn(usize) -> bool,
    ) -> Option<WeightedShare> {
        let base = |cell: usize| {
            if question.show_if.is_some() {
                counts.get(versions, cell, &question.id, key::SHOWN)
            } else {
                counts.get(versions, cell, key::RESPONDENTS, "")
            }
        };
        let count = |cell: usize| {
            if option == "no_answer" {
                (base(cell) - counts.get(versions, cell, &question.id, key::ANSWERED)).max(0)
            } else {
                counts.get(versions, cell, &question.id, option)
            }
        };
        self.share_of(counts, within, &count, &base)
    }

    /// The weighted share `count` is of `base`, each given cell by cell, among the cells `within`
    /// lets in.
    pub fn share_of(
        &self,
        counts: &CellCounts,
        within: &dyn Fn(usize) -> bool,
        count: &dyn Fn(usize) -> i64,
        base: &dyn Fn(usize) -> i64,
    ) -> Option<WeightedShare> {
        WeightedShare::of((0..counts.cells.len()).filter(|c| within(*c)).map(|c| (self.weights[c], count(c), base(c))))
    }

    /// The weighted share of those scored on `measure` (in `versions`) who met it.
    pub fn score_share(
        &self,
        counts: &CellCounts,
        versions: &[i64],
        measure: &Measure,
        within: &dyn Fn(usize) -> bool,
    ) -> Option<WeightedShare> {
        let met = |cell: usize| counts.get(versions, cell, measure.key, "1");
        let base = |cell: usize| met(cell) + counts.get(versions, cell, measure.key, "0");
        self.share_of(counts, within, &met, &base)
    }

    /// The weighted share of respondents (in `versions`, among the cells `within` lets in) who
    /// face `barrier`.
    pub fn barrier_share(
        &self,
        counts: &CellCounts,
        versions: &[i64],
        barrier: Barrier,
        within: &dyn Fn(usize) -> bool,
    ) -> Option<WeightedShare> {
        let facing = |cell: usize| {
            (0..16)
                .filter(|bits| Barriers::from_bits(*bits).contains(barrier))
                .map(|bits| counts.get(versions, cell, key::BARRIERS, &bits.to_string()))
                .sum::<i64>()
        };
        let respondents = |cell: usize| counts.get(versions, cell, key::RESPONDENTS, "");
        self.share_of(counts, within, &facing, &respondents)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cells of ward (a, b) by age (young, old) with their respondents, in one version.
    fn counts(cells: &[(&str, i64)]) -> CellCounts {
        CellCounts::from_rows(
            cells
                .iter()
                .map(|(cell, n)| (1, (*cell).to_owned(), key::RESPONDENTS.to_owned(), String::new(), *n))
                .collect(),
        )
    }

    fn margin(question: &str, people: &[(&str, i64)]) -> Margin {
        Margin { question_id: question.into(), people: people.iter().map(|(o, n)| ((*o).into(), *n)).collect() }
    }

    fn weighted_total(counts: &CellCounts, scheme: &Scheme, question: &str, option: Option<&str>) -> f64 {
        let respondents = counts.respondents(&[1]);
        (0..counts.cells.len())
            .filter(|c| counts.answer(*c, question) == option)
            .map(|c| respondents[c] as f64 * scheme.weights[c])
            .sum::<f64>()
            / scheme.respondents as f64
    }

    #[test]
    fn the_weighted_answers_are_like_the_borough() {
        let counts = counts(&[
            ("age=old ward=a", 30),
            ("age=young ward=a", 10),
            ("age=old ward=b", 40),
            ("age=young ward=b", 20),
        ]);
        let population = [margin("ward", &[("a", 500), ("b", 500)]), margin("age", &[("young", 600), ("old", 400)])];
        let scheme = Scheme::rake(&counts, &[1], &population, Trim { low: 0.01, high: 100.0 }).unwrap();
        assert!(scheme.raked.converged);
        assert!((weighted_total(&counts, &scheme, "ward", Some("a")) - 0.5).abs() < 1e-9);
        assert!((weighted_total(&counts, &scheme, "age", Some("young")) - 0.6).abs() < 1e-9);
        assert!(scheme.unmet.is_empty());
    }

    #[test]
    fn not_known_keeps_its_share_and_an_answer_nobody_gave_is_reported() {
        // 20 of 100 gave no ward or "I do not know" (population 0); nobody lives in c.
        let counts = counts(&[("ward=a", 60), ("ward=b", 20), ("", 10), ("ward=dont_know", 10)]);
        let population = [margin("ward", &[("a", 300), ("b", 300), ("c", 400), ("dont_know", 0)])];
        let scheme = Scheme::rake(&counts, &[1], &population, Trim::default()).unwrap();
        assert!(scheme.raked.converged);
        assert!((weighted_total(&counts, &scheme, "ward", None) - 0.1).abs() < 1e-9);
        assert!((weighted_total(&counts, &scheme, "ward", Some("dont_know")) - 0.1).abs() < 1e-9);
        // a and b share the other 80% equally, c being met by nobody.
        assert!((weighted_total(&counts, &scheme, "ward", Some("a")) - 0.4).abs() < 1e-9);
        assert_eq!(scheme.unmet, vec![Unmet { question_id: "ward".into(), option_id: "c".into(), people: 400 }]);
        assert_eq!(scheme.not_known, vec![("ward".to_owned(), 20)]);
    }

    #[test]
    fn nobody_or_no_population_is_no_scheme() {
        assert_eq!(Scheme::rake(&counts(&[]), &[1], &[margin("ward", &[("a", 1)])], Trim::default()), None);
        assert_eq!(Scheme::rake(&counts(&[("ward=a", 3)]), &[1], &[], Trim::default()), None);
    }
}
