//! Reads published figures as an attacker would, to prove that nothing held back can be worked
//! out. The reader knows how every figure is made: each counts the respondents of some *types*
//! (a type is one combination of everything the figures break people down by, such as "by phone,
//! answered yes then no, ward A"). Unknown are how many respondents there are of each type. Every
//! published figure fixes a sum of them; for each held-back figure, linear programming finds the
//! smallest and largest value it can take (tau-Argus audits a suppression pattern the same way).
//! The suppression itself ([`super::suppress`]) only knows the sums it was told about; this knows
//! everything the figures' definitions imply, so it is the honest judge of a publishable output.

use super::suppress::Range;
use good_lp::{Expression, ProblemVariables, Solution, SolverModel, Variable, microlp, variable};

/// What a reader of a publishable output has.
#[derive(Debug, Default)]
pub struct Reader {
    types: usize,
    /// Each figure: the types it counts, and its value when published.
    figures: Vec<(Vec<usize>, Option<i64>)>,
    /// What each figure is, for messages.
    names: Vec<String>,
    /// Sums of types a reader knows someone is in: a row listed only when it has someone.
    someone: Vec<Vec<usize>>,
}

impl Reader {
    /// A reader of figures about respondents of `types` possible types.
    pub fn new(types: usize) -> Reader {
        Reader { types, figures: Vec::new(), names: Vec::new(), someone: Vec::new() }
    }

    /// Someone is among the respondents of `types`: a row is listed (a week, a channel, a month of
    /// a date's answers), and rows nobody is in are not.
    pub fn knows_someone_in(&mut self, types: Vec<usize>) {
        self.someone.push(types);
    }

    /// A figure counting the respondents of `types`, published as `value` or held back (None).
    pub fn read(&mut self, name: impl Into<String>, types: Vec<usize>, value: Option<i64>) {
        self.figures.push((types, value));
        self.names.push(name.into());
    }

    /// What the figure read `figure`th is.
    pub fn name(&self, figure: usize) -> &str {
        &self.names[figure]
    }

    /// Each held-back figure (by the order read) with the range a reader can narrow it to.
    pub fn held_ranges(&self) -> Vec<(usize, Range)> {
        self.figures
            .iter()
            .enumerate()
            .filter(|(_, (_, v))| v.is_none())
            .map(|(i, (types, _))| (i, self.range(types)))
            .collect()
    }

    fn range(&self, target: &[usize]) -> Range {
        let solve = |maximise: bool| -> Option<f64> {
            let mut problem = ProblemVariables::new();
            let x: Vec<Variable> = (0..self.types).map(|_| problem.add(variable().min(0))).collect();
            let sum = |types: &[usize]| types.iter().fold(Expression::from(0.0), |e, t| e + x[*t]);
            let objective = sum(target);
            let mut model =
                if maximise { problem.maximise(objective) } else { problem.minimise(objective) }.using(microlp);
            for (types, value) in &self.figures {
                if let Some(value) = value {
                    model = model.with(sum(types).eq(*value as f64));
                }
            }
            for types in &self.someone {
                model = model.with(sum(types).geq(1.0));
            }
            let solution = model.solve().ok()?;
            Some(target.iter().map(|t| solution.value(x[*t])).sum())
        };
        Range { low: solve(false).unwrap_or(0.0), high: solve(true) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_difference_of_two_published_figures_is_read() {
        // Types: Welsh, English. Everyone = 20 and English = 19 published; Welsh held: it is 1.
        let mut reader = Reader::new(2);
        reader.read("f", vec![0, 1], Some(20));
        reader.read("f", vec![1], Some(19));
        reader.read("f", vec![0], None);
        let ranges = reader.held_ranges();
        assert!(ranges[0].1.is_single_value(), "{ranges:?}");
        // With English held too, Welsh could be anything from 0 to 20.
        let mut reader = Reader::new(2);
        reader.read("f", vec![0, 1], Some(20));
        reader.read("f", vec![1], None);
        reader.read("f", vec![0], None);
        assert!(reader.held_ranges().iter().all(|(_, r)| !r.is_single_value() && r.high == Some(20.0)));
    }
}
