//! Small-number suppression for publishable tables, so that nothing held back can be worked out.
//!
//! Primary suppression holds back counts from 1 to `threshold - 1`. That alone is not enough: a
//! table whose rows add up to a published total gives away a lone held-back row by subtraction. So
//! a table is described as figures and the groups of figures that add up to a total (a breakdown
//! and the number of people, a column and its base, a row across groups and its overall count);
//! secondary suppression then holds back more, until no group has exactly one figure held back.
//! It holds the smallest count it can, so as little as possible is lost, and a zero only as a last
//! resort (a held zero beside a held count would give the count away).

/// A table being made publishable.
#[derive(Debug, Clone, Default)]
pub struct Table {
    values: Vec<i64>,
    held: Vec<bool>,
    /// Published in another table: never held back here (it is held there if it must be).
    fixed: Vec<bool>,
    /// (figures that add up to the total, the total)
    groups: Vec<(Vec<usize>, usize)>,
}

/// A figure of a [`Table`], by position.
pub type Figure = usize;

impl Table {
    /// A count in this table.
    pub fn figure(&mut self, value: i64) -> Figure {
        self.push(value, false, false)
    }

    /// A count published in another table, as it was published there (`held` if held back).
    pub fn published_elsewhere(&mut self, value: i64, held: bool) -> Figure {
        self.push(value, held, true)
    }

    fn push(&mut self, value: i64, held: bool, fixed: bool) -> Figure {
        self.values.push(value);
        self.held.push(held);
        self.fixed.push(fixed);
        self.values.len() - 1
    }

    /// `parts` add up to `total`.
    pub fn adds_up(&mut self, parts: Vec<Figure>, total: Figure) {
        self.groups.push((parts, total));
    }

    pub fn is_held(&self, figure: Figure) -> bool {
        self.held[figure]
    }

    /// Holds back small counts, then whatever would give one away.
    pub fn suppress(&mut self, threshold: i64) {
        for i in 0..self.values.len() {
            if !self.fixed[i] && self.values[i] > 0 && self.values[i] < threshold {
                self.held[i] = true;
            }
        }
        // Each pass holds at least one more figure or stops, so this ends.
        loop {
            let mut changed = false;
            for g in 0..self.groups.len() {
                let (parts, total) = &self.groups[g];
                let members = parts.iter().chain(std::iter::once(total));
                if members.filter(|f| self.held[**f]).count() != 1 {
                    continue;
                }
                if let Some(next) = self.complement(parts, *total) {
                    self.held[next] = true;
                    changed = true;
                }
            }
            if !changed {
                return;
            }
        }
    }

    /// The figure to hold beside a lone held one: the smallest count among the parts, else the
    /// total, else a zero part.
    fn complement(&self, parts: &[Figure], total: Figure) -> Option<Figure> {
        let open = |f: &&Figure| !self.held[**f] && !self.fixed[**f];
        let smallest = parts.iter().filter(open).filter(|f| self.values[**f] > 0).min_by_key(|f| self.values[**f]);
        smallest
            .or_else(|| Some(&total).filter(open))
            .or_else(|| parts.iter().find(open))
            .copied()
    }

    /// For tests: a held figure that equals a total less the published parts of its group.
    pub fn recoverable(&self) -> Vec<(Figure, i64)> {
        let mut found = Vec::new();
        for (parts, total) in &self.groups {
            if self.held[*total] {
                continue;
            }
            let published: i64 = parts.iter().filter(|f| !self.held[**f]).map(|f| self.values[*f]).sum();
            let difference = self.values[*total] - published;
            let held: Vec<&Figure> = parts.iter().filter(|f| self.held[**f]).collect();
            if held.len() == 1 || (held.len() > 1 && held.iter().any(|f| self.values[**f] > 0 && self.values[**f] == difference)) {
                found.extend(held.iter().map(|f| (**f, self.values[**f])));
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn breakdown(counts: &[i64], threshold: i64) -> Table {
        let mut table = Table::default();
        let parts: Vec<Figure> = counts.iter().map(|n| table.figure(*n)).collect();
        let total = table.figure(counts.iter().sum());
        table.adds_up(parts, total);
        table.suppress(threshold);
        table
    }

    #[test]
    fn a_lone_small_count_takes_the_next_smallest_with_it() {
        let t = breakdown(&[40, 3, 12, 9], 5);
        assert_eq!((0..5).map(|f| t.is_held(f)).collect::<Vec<_>>(), [false, true, false, true, false]);
        assert!(t.recoverable().is_empty());
    }

    #[test]
    fn a_small_total_is_held_and_so_is_what_reveals_it() {
        // Total 4: held, and so are its parts (all small); nothing else needed.
        let t = breakdown(&[1, 3, 0], 5);
        assert!(t.is_held(0) && t.is_held(1) && t.is_held(3));
        assert!(t.recoverable().is_empty());
    }

    #[test]
    fn rows_and_columns_are_both_protected() {
        // A 2 × 3 table with column totals and row totals, as a cross-tab beside its summary.
        let cells = [[20, 2, 30], [25, 18, 40]];
        let mut t = Table::default();
        let f: Vec<Vec<Figure>> = cells.iter().map(|row| row.iter().map(|n| t.figure(*n)).collect()).collect();
        for c in 0..3 {
            let total = t.figure(cells[0][c] + cells[1][c]);
            t.adds_up(vec![f[0][c], f[1][c]], total);
        }
        for (r, row) in cells.iter().enumerate() {
            let total = t.published_elsewhere(row.iter().sum(), false);
            t.adds_up(f[r].clone(), total);
        }
        t.suppress(5);
        assert!(t.is_held(f[0][1]));
        assert!(t.recoverable().is_empty(), "{:?}", t.recoverable());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        /// Any cross-tab of small counts: nothing held back equals a difference of published figures.
        #[test]
        fn no_held_count_can_be_worked_out(cells in proptest::collection::vec(proptest::collection::vec(0i64..30, 2..5), 2..5)) {
            let width = cells[0].len();
            let cells: Vec<Vec<i64>> = cells.into_iter().map(|mut r| { r.resize(width, 7); r }).collect();
            let mut t = Table::default();
            let f: Vec<Vec<Figure>> = cells.iter().map(|row| row.iter().map(|n| t.figure(*n)).collect()).collect();
            for c in 0..width {
                let total = t.figure(cells.iter().map(|r| r[c]).sum());
                t.adds_up(f.iter().map(|r| r[c]).collect(), total);
            }
            for (r, row) in cells.iter().enumerate() {
                let total = t.figure(row.iter().sum());
                t.adds_up(f[r].clone(), total);
            }
            t.suppress(5);
            for (r, row) in cells.iter().enumerate() {
                for (c, n) in row.iter().enumerate() {
                    prop_assert!(!(*n > 0 && *n < 5) || t.is_held(f[r][c]), "every small count is held");
                }
            }
            prop_assert!(t.recoverable().is_empty(), "{:?} {:?}", cells, t.recoverable());
        }
    }
}
