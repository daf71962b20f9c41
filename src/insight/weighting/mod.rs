//! Weighting the responses to the borough: raking (iterative proportional fitting) over cells.
//!
//! Respondents are grouped into cells, one for each combination of their answers to the weighting
//! questions, and everyone in a cell gets the same weight, so raking runs over the cells' counts
//! (a few hundred numbers) rather than over every response: milliseconds at any size. Each pass
//! scales the cells of every category of one question so that their weighted total meets the
//! category's share of the borough, question after question, until every total is met.
//!
//! The rules where the data and the population disagree, stated so that nothing is silent:
//! - A respondent who gave no answer to a weighting question (or preferred not to say) is in a
//!   category of their own for it, whose target is their share of the responses: raking leaves
//!   that share as it was, and shares out the rest as the borough is.
//! - A category of the population with no respondents cannot be met: it is reported, and the
//!   others are scaled to make up the whole (its residents are represented by nobody).
//! - Trimming: after each round the weights are kept within the bounds the admin set (as
//!   multiples of the average weight), and raking goes on; when bounds and margins cannot both be
//!   met, it stops at the most rounds and says it did not converge.

pub mod pages;
pub mod results;
pub mod scheme;
pub mod store;

/// One weighting question: for each category, the cells in it and its share of the borough.
#[derive(Debug, Clone, PartialEq)]
pub struct Margin {
    /// (cells in the category, target share of all responses).
    pub categories: Vec<(Vec<usize>, f64)>,
}

/// Bounds for each weight, as multiples of the average weight (1.0).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Trim {
    pub low: f64,
    pub high: f64,
}

impl Default for Trim {
    /// Wide enough to be rarely met; councils commonly choose 0.3 to 3.
    fn default() -> Trim {
        Trim { low: 0.2, high: 5.0 }
    }
}

/// Weights for each cell, and how the raking went.
#[derive(Debug, Clone, PartialEq)]
pub struct Raked {
    /// The weight of each respondent in each cell: averages 1 over all respondents.
    pub weights: Vec<f64>,
    pub converged: bool,
    pub rounds: usize,
    /// The smallest and largest weight of any respondent.
    pub range: (f64, f64),
    /// Kish's design effect from unequal weights: n Σw² / (Σw)².
    pub design_effect: f64,
    /// The number of respondents the weighted figures are as sure as: n / design effect.
    pub effective_n: f64,
}

/// The most rounds raking takes before it gives up. Near the edge of what can be met (two nearly
/// empty cells carrying a small difference) it needs a thousand or more, its error shrinking by a
/// nearly constant factor a round; weights the trim stops short stall instead (see [`STALL`]).
pub const MAX_ROUNDS: usize = 100_000;
/// Raking stops as not converging when this many rounds have not taken a hundredth off the
/// largest miss.
const STALL: usize = 100;
/// Met when every category's weighted share is within this of its target.
pub const TOLERANCE: f64 = 1e-10;

/// Rakes `counts` (respondents in each cell) to `margins`, within `trim`. The targets of each
/// margin are shares of all respondents and add up to 1.
pub fn rake(counts: &[f64], margins: &[Margin], trim: Trim) -> Raked {
    let n: f64 = counts.iter().sum();
    // Categories nobody is in are left out, and the others' shares scaled to make up the whole.
    let margins: Vec<Margin> = margins
        .iter()
        .map(|margin| {
            let occupied: Vec<(Vec<usize>, f64)> =
                margin.categories.iter().filter(|(cells, _)| cells.iter().any(|c| counts[*c] > 0.0)).cloned().collect();
            let whole: f64 = occupied.iter().map(|(_, share)| share).sum();
            Margin {
                categories: occupied
                    .into_iter()
                    .map(|(cells, share)| (cells, if whole > 0.0 { share / whole } else { share }))
                    .collect(),
            }
        })
        .collect();
    let mut weights = vec![1.0; counts.len()];
    let mut rounds = 0;
    let mut converged = n == 0.0;
    let mut misses: Vec<f64> = Vec::new();
    let stalled =
        |misses: &[f64]| misses.len() > STALL && misses[misses.len() - 1] > 0.99 * misses[misses.len() - 1 - STALL];
    while !converged && rounds < MAX_ROUNDS && !stalled(&misses) {
        rounds += 1;
        for margin in &margins {
            for (cells, share) in &margin.categories {
                let total: f64 = cells.iter().map(|c| counts[*c] * weights[*c]).sum();
                if total > 0.0 {
                    let factor = share * n / total;
                    cells.iter().for_each(|c| weights[*c] *= factor);
                }
            }
        }
        // Trimmed to the bounds, then back to an average of 1.
        for _ in 0..2 {
            weights.iter_mut().for_each(|w| *w = w.clamp(trim.low, trim.high));
            let mean = counts.iter().zip(&weights).map(|(c, w)| c * w).sum::<f64>() / n;
            weights.iter_mut().for_each(|w| *w /= mean);
        }
        let miss = margins
            .iter()
            .flat_map(|margin| &margin.categories)
            .map(|(cells, share)| (cells.iter().map(|c| counts[*c] * weights[*c]).sum::<f64>() / n - share).abs())
            .fold(0.0, f64::max);
        converged = miss <= TOLERANCE;
        misses.push(miss);
    }
    let occupied = || counts.iter().zip(&weights).filter(|(c, _)| **c > 0.0).map(|(_, w)| *w);
    let range = (occupied().fold(f64::INFINITY, f64::min), occupied().fold(0.0, f64::max));
    let sum: f64 = counts.iter().zip(&weights).map(|(c, w)| c * w).sum();
    let squares: f64 = counts.iter().zip(&weights).map(|(c, w)| c * w * w).sum();
    let design_effect = if sum > 0.0 { n * squares / (sum * sum) } else { 1.0 };
    Raked { weights, converged, rounds, range, design_effect, effective_n: n / design_effect }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Two questions of two answers each: cells (a1 b1, a1 b2, a2 b1, a2 b2).
    fn two_by_two(a1: f64, b1: f64) -> Vec<Margin> {
        vec![
            Margin { categories: vec![(vec![0, 1], a1), (vec![2, 3], 1.0 - a1)] },
            Margin { categories: vec![(vec![0, 2], b1), (vec![1, 3], 1.0 - b1)] },
        ]
    }

    fn shares(counts: &[f64], raked: &Raked, cells: &[usize]) -> f64 {
        let n: f64 = counts.iter().sum();
        cells.iter().map(|c| counts[*c] * raked.weights[*c]).sum::<f64>() / n
    }

    #[test]
    fn one_question_is_post_stratification() {
        // 70 of 100 answered in ward a, where 50% of residents live: each weighs 50/70.
        let counts = [70.0, 30.0];
        let margins = [Margin { categories: vec![(vec![0], 0.5), (vec![1], 0.5)] }];
        let raked = rake(&counts, &margins, Trim { low: 0.01, high: 100.0 });
        assert!(raked.converged);
        assert!((raked.weights[0] - 50.0 / 70.0).abs() < 1e-12 && (raked.weights[1] - 50.0 / 30.0).abs() < 1e-12);
        // Kish: 100 (70 (5/7)² + 30 (5/3)²) / 100² = 1.190…
        assert!(
            (raked.design_effect - (70.0 * (5.0f64 / 7.0).powi(2) + 30.0 * (5.0f64 / 3.0).powi(2)) / 100.0).abs()
                < 1e-12
        );
        assert!((raked.effective_n - 100.0 / raked.design_effect).abs() < 1e-9);
    }

    #[test]
    fn two_questions_meet_both_margins() {
        let counts = [10.0, 20.0, 30.0, 40.0];
        let raked = rake(&counts, &two_by_two(0.5, 0.5), Trim { low: 0.01, high: 100.0 });
        assert!(raked.converged, "{raked:?}");
        for cells in [[0, 1], [2, 3], [0, 2], [1, 3]] {
            assert!((shares(&counts, &raked, &cells) - 0.5).abs() < 1e-9);
        }
    }

    #[test]
    fn raking_near_the_edge_still_meets_the_margins() {
        // Found by the property test below: two nearly empty cells that must carry the
        // difference between two shares summing to just over 1 (0.682 + 0.321). Raking gets
        // there, slowly: its error shrinks by a nearly constant factor a round.
        let counts = [1.0, 483.18, 497.36, 1.0];
        let raked = rake(&counts, &two_by_two(0.682, 0.321), Trim { low: 1e-6, high: 1e6 });
        assert!(raked.converged, "{raked:?}");
        assert!((shares(&counts, &raked, &[0, 1]) - 0.682).abs() < 1e-8);
    }

    #[test]
    fn trimming_that_cannot_meet_the_margins_says_so() {
        // 99 of 100 in one ward that is half the borough: its weight cannot stay above 0.9.
        let counts = [99.0, 1.0];
        let margins = [Margin { categories: vec![(vec![0], 0.5), (vec![1], 0.5)] }];
        let raked = rake(&counts, &margins, Trim { low: 0.9, high: 1.1 });
        assert!(!raked.converged && raked.rounds < 1_000, "stopped when it stalled: {raked:?}");
        assert!(raked.range.0 >= 0.9 * 0.99 && raked.range.1 <= 1.1 / 0.99, "{raked:?}");
    }

    #[test]
    fn a_category_with_nobody_in_it_is_left_and_the_rest_made_whole() {
        // Three wards, nobody answered in the third: the others are scaled to the whole.
        let counts = [60.0, 40.0, 0.0];
        let margins = [Margin { categories: vec![(vec![0], 0.25), (vec![1], 0.25), (vec![2], 0.5)] }];
        let raked = rake(&counts, &margins, Trim { low: 0.01, high: 100.0 });
        assert!(raked.converged);
        assert!((shares(&counts, &raked, &[0]) - 0.5).abs() < 1e-12, "{raked:?}");
        assert!(raked.weights.iter().all(|w| w.is_finite()));
    }

    proptest! {
        /// Any counts and any margins a cell table can meet: raking converges, meets them, and
        /// keeps every weight positive, finite and averaging 1.
        #[test]
        fn raking_meets_what_can_be_met(counts in proptest::collection::vec(1.0f64..500.0, 4), a1 in 0.05f64..0.95, b1 in 0.05f64..0.95) {
            let raked = rake(&counts, &two_by_two(a1, b1), Trim { low: 1e-6, high: 1e6 });
            prop_assert!(raked.converged, "{raked:?}");
            prop_assert!((shares(&counts, &raked, &[0, 1]) - a1).abs() < 1e-8);
            prop_assert!((shares(&counts, &raked, &[0, 2]) - b1).abs() < 1e-8);
            prop_assert!(raked.weights.iter().all(|w| w.is_finite() && *w > 0.0));
            let n: f64 = counts.iter().sum();
            prop_assert!((shares(&counts, &raked, &[0, 1, 2, 3]) - 1.0).abs() < 1e-9, "average {}", n);
            prop_assert!(raked.design_effect >= 1.0 - 1e-12);
        }
    }
}
