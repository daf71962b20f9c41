//! Small-number suppression for publishable tables, so that nothing held back can be worked out.
//!
//! Primary suppression holds back counts from 1 to `threshold - 1`. That alone is not enough: a
//! table whose rows add up to a published total gives away a lone held-back row by subtraction. So
//! everything published together is described as one set of figures and the groups of figures that
//! add up to a total (a breakdown and the number of people, a column and its base, a follow-up's
//! base and the answers that open it, a row across groups and its overall count); secondary
//! suppression then holds back more, until no group has exactly one figure held back. It holds the
//! smallest count it can, so as little as possible is lost, and a zero only as a last resort (a
//! held zero beside a held count would give the count away).
//!
//! That rule is not always enough when groups overlap (a held figure can be pinned by several
//! groups at once), so the table is then audited as tau-Argus audits a suppression pattern: for
//! each held figure, the smallest and largest value that every published figure allows, found by
//! linear programming. A figure whose range is a single value takes another figure of one of its
//! groups with it, until none is pinned.

use good_lp::{Expression, ProblemVariables, Solution, SolverModel, Variable, microlp, variable};

/// A table being made publishable.
#[derive(Debug, Clone, Default)]
pub struct Table {
    values: Vec<i64>,
    held: Vec<bool>,
    /// Published in another table: never held back here (it is held there if it must be).
    fixed: Vec<bool>,
    /// Never shown, but implied (see [`Table::unpublished`]).
    hidden: Vec<bool>,
    /// Known to be at least 1 (see [`Table::listed`]).
    listed: Vec<bool>,
    /// (figures that add up to the total, the total)
    groups: Vec<(Vec<usize>, usize)>,
    /// (figures that add up to at least the others, the others): a count of people with a barrier
    /// is at least the count of any answer that shows it, and at most all of those together.
    bounds: Vec<(Vec<usize>, Vec<usize>)>,
}

/// A figure of a [`Table`], by position.
pub type Figure = usize;

/// (figures added, figures taken away, whether the result is 0 rather than at least 0)
type Relation = (Vec<Figure>, Vec<Figure>, bool);

/// The relations of a table, and which each figure is in (so that following them from one figure
/// does not read them all).
struct Relations {
    list: Vec<Relation>,
    of: Vec<Vec<usize>>,
}

/// The smallest and largest value a held figure can take, given everything published.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Range {
    pub low: f64,
    /// None when nothing published bounds it from above.
    pub high: Option<f64>,
}

impl Range {
    /// Whether a reader can tell the figure exactly.
    pub fn is_single_value(self) -> bool {
        self.high.is_some_and(|high| high - self.low < 0.5)
    }
}

impl Table {
    /// A count in this table.
    pub fn figure(&mut self, value: i64) -> Figure {
        self.push(value, false, false)
    }

    /// A count published in another table, as it was published there (`held` if held back).
    pub fn published_elsewhere(&mut self, value: i64, held: bool) -> Figure {
        self.push(value, held, true)
    }

    /// A count a reader is never shown but that the table implies: those in no group of a
    /// breakdown, for example, so that groups which need not cover everyone add up exactly.
    pub fn unpublished(&mut self, value: i64) -> Figure {
        let figure = self.push(value, true, true);
        self.hidden[figure] = true;
        figure
    }

    fn push(&mut self, value: i64, held: bool, fixed: bool) -> Figure {
        self.values.push(value);
        self.held.push(held);
        self.fixed.push(fixed);
        self.hidden.push(false);
        self.listed.push(false);
        self.values.len() - 1
    }

    /// A row a reader sees only because someone is in it (a week, a channel, a month of a date's
    /// answers: rows nobody is in are left out), so held back it is still at least 1. Two such rows
    /// held beside a total 2 more than the rest are 1 each: the audit knows, and holds more.
    pub fn listed(&mut self, figure: Figure) {
        debug_assert!(self.values[figure] > 0, "a listed row has someone in it");
        self.listed[figure] = true;
    }

    pub fn is_listed(&self, figure: Figure) -> bool {
        self.listed[figure]
    }

    /// Whether a reader must not be able to tell this figure: every held count of the table, and
    /// an implied one when it is small (a large one tells nobody's answer). A zero tells nobody's
    /// answer either: one a reader can work out is shown instead (see [`Table::unpin`]).
    fn protected(&self, figure: Figure, threshold: i64) -> bool {
        let value = self.values[figure];
        self.held[figure] && value > 0 && (!self.hidden[figure] || value < threshold)
    }

    /// `parts` add up to `total`.
    pub fn adds_up(&mut self, parts: Vec<Figure>, total: Figure) {
        self.groups.push((parts, total));
    }

    /// `smaller` add up to at most what `larger` add up to.
    pub fn at_most(&mut self, smaller: Vec<Figure>, larger: Vec<Figure>) {
        self.bounds.push((larger, smaller));
    }

    /// Every relation, and which relations each figure is in.
    fn relations(&self) -> Relations {
        let list: Vec<Relation> = self
            .groups
            .iter()
            .map(|(p, t)| (p.clone(), vec![*t], true))
            .chain(self.bounds.iter().map(|(p, t)| (p.clone(), t.clone(), false)))
            .collect();
        let mut of = vec![Vec::new(); self.values.len()];
        for (r, (plus, minus, _)) in list.iter().enumerate() {
            for f in plus.iter().chain(minus) {
                if of[*f].last() != Some(&r) {
                    of[*f].push(r);
                }
            }
        }
        Relations { list, of }
    }

    /// Holds a figure back after [`Table::suppress`]: only ever safe for a figure no relation
    /// needs published (holding back takes information away, never adds it).
    pub fn hold(&mut self, figure: Figure) {
        self.held[figure] = true;
    }

    pub fn is_held(&self, figure: Figure) -> bool {
        self.held[figure]
    }

    pub fn value(&self, figure: Figure) -> i64 {
        self.values[figure]
    }

    /// Holds back small counts, then whatever would give one away.
    pub fn suppress(&mut self, threshold: i64) {
        for i in 0..self.values.len() {
            if !self.fixed[i] && self.values[i] > 0 && self.values[i] < threshold {
                self.held[i] = true;
            }
        }
        let relations = self.relations();
        self.no_lone_held(&relations, threshold);
        self.unpin(&relations, threshold);
    }

    /// Holds more until no group has exactly one figure held back that must not be told. (A
    /// group's only unshown figure may be one never shown but large, such as those who gave
    /// another answer than the ones quoted: it tells nobody's answer, and needs no companion.)
    /// Each pass holds at least one more or stops, so this ends.
    fn no_lone_held(&mut self, relations: &Relations, threshold: i64) {
        loop {
            let mut changed = false;
            for g in 0..self.groups.len() {
                let (parts, total) = &self.groups[g];
                let mut held = parts.iter().chain(std::iter::once(total)).filter(|f| self.held[**f]);
                match (held.next(), held.next()) {
                    (Some(lone), None) if self.protected(*lone, threshold) => {}
                    _ => continue,
                }
                if let Some(next) = self.complement(relations, parts, *total) {
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
    /// total, else a zero part (not one a reader knows: see [`Table::known_zero`]).
    fn complement(&self, relations: &Relations, parts: &[Figure], total: Figure) -> Option<Figure> {
        let open = |f: &&Figure| !self.held[**f] && !self.fixed[**f] && !self.known_zero(relations, **f);
        let smallest = parts.iter().filter(open).filter(|f| self.values[**f] > 0).min_by_key(|f| self.values[**f]);
        smallest.or_else(|| Some(&total).filter(open)).or_else(|| parts.iter().find(open)).copied()
    }

    /// Audits every held figure and, where one is pinned to a single value, holds another figure
    /// of one of its relations until it is not. Holding more only widens every other range, so
    /// one pass over the held figures is enough. A held zero a reader can work out anyway (in a
    /// group nobody is in, say) is shown: showing what is known already tells nothing, and
    /// guarding a zero would only hold back everything beside it.
    fn unpin(&mut self, relations: &Relations, threshold: i64) {
        // A figure found not pinned stays so (holding more only widens ranges); one held since,
        // as another's companion, is looked at in the next pass.
        let mut audited = vec![false; self.values.len()];
        // Another pass while one holds a figure never held before: counting those held would not
        // do, as zeros shown in a pass can balance the companions it held (and a figure held
        // before the sweep passed it would go unaudited). Each pass holds a new one or stops.
        let mut ever_held = self.held.clone();
        loop {
            let mut grew = false;
            let mut f = 0;
            while f < self.values.len() {
                let zero = self.values[f] == 0 && self.held[f] && !self.fixed[f];
                let pinned = !audited[f] && (zero || self.protected(f, threshold)) && {
                    let (range, free) = self.audit(relations, f);
                    // Found not pinned in passing: they stay so, as `f` does when it is not.
                    free.into_iter().for_each(|g| audited[g] = true);
                    range.is_single_value()
                };
                if !pinned {
                    audited[f] = audited[f] || self.held[f];
                    f += 1;
                    continue;
                }
                if zero {
                    self.held[f] = false;
                    f += 1;
                    continue;
                }
                match self.companion(relations, f) {
                    Some(next) => {
                        self.held[next] = true;
                        self.no_lone_held(relations, threshold);
                        for (ever, held) in ever_held.iter_mut().zip(&self.held) {
                            grew |= *held && !std::mem::replace(ever, true);
                        }
                    }
                    // Every figure of every relation linked to it through held figures is held or
                    // published elsewhere, so a reader works it out whatever is done here, and
                    // nothing held later can change that. A count at or over the threshold is then
                    // shown, and stays shown (held again beside another, it would protect
                    // nothing); a small one stays held, and is logged.
                    None => {
                        if self.values[f] >= threshold && !self.fixed[f] && !self.hidden[f] {
                            self.held[f] = false;
                            self.fixed[f] = true;
                        } else {
                            tracing::warn!(
                                figure = f,
                                "a small held-back count is given away by figures published elsewhere"
                            );
                        }
                        f += 1;
                    }
                }
            }
            if !grew {
                break;
            }
        }
        // Holding more may have taken a zero beside a held figure again (the last resort of
        // `no_lone_held`): one a reader can work out is shown after all. Showing what is known
        // changes no other range.
        for f in 0..self.values.len() {
            if self.values[f] == 0 && self.held[f] && !self.fixed[f] && !audited[f] {
                let (range, free) = self.audit(relations, f);
                free.into_iter().for_each(|g| audited[g] = true);
                if range.is_single_value() {
                    self.held[f] = false;
                }
            }
        }
    }

    /// The figure to hold beside pinned `f`: the smallest count open in the nearest of its
    /// relations that has one, a zero only as a last resort. What pins it may be a published
    /// figure some relations away (a follow-up's base pins the answers that open it, which pin the
    /// answer before; a barrier's count is pinned through each group's, which its answers in that
    /// group bound), so when its own relations have no count open, the relations linked to it
    /// through held figures are looked at, nearest first: holding a far-off figure only because it
    /// is small would hold back much and unpin nothing.
    fn companion(&self, relations: &Relations, f: Figure) -> Option<Figure> {
        let open = |list: &[usize]| {
            list.iter()
                .flat_map(|r| relations.list[*r].0.iter().chain(&relations.list[*r].1))
                .copied()
                .filter(|g| !self.held[*g] && !self.fixed[*g] && !self.known_zero(relations, *g))
                .min_by_key(|g| (self.values[*g] == 0, self.values[*g]))
        };
        let count = |g: &Figure| self.values[*g] > 0;
        open(&relations.of[f]).filter(count).or_else(|| {
            let (linked, _) = self.linked_to(relations, f);
            linked.iter().find_map(|r| open(std::slice::from_ref(r)).filter(count)).or_else(|| open(&linked))
        })
    }

    /// Whether `figure` is a zero that a relation pins to 0 by published figures alone (a part of
    /// a group whose published total is 0, such as an answer in a ward nobody answered from).
    /// Holding it back would hide nothing, and tells nothing about any other figure: never a
    /// companion. Without this, a figure pinned by figures published elsewhere would take every
    /// such zero of a large cross-tab with it, one audit at a time.
    fn known_zero(&self, relations: &Relations, figure: Figure) -> bool {
        self.values[figure] == 0
            && relations.of[figure].iter().any(|r| {
                let (plus, minus, exact) = &relations.list[*r];
                let other = if minus.contains(&figure) {
                    plus
                } else if *exact {
                    minus
                } else {
                    return false;
                };
                other.iter().all(|g| !self.held[*g] && self.values[*g] == 0)
            })
    }

    /// The relations that tie held figures together, connected to `figure`, with the held
    /// figures in them (`figure` first): a held figure is only bounded through these.
    fn linked_to(&self, relations: &Relations, figure: Figure) -> (Vec<usize>, Vec<Figure>) {
        let mut unknown = vec![figure];
        let mut known = vec![false; self.values.len()];
        known[figure] = true;
        let mut seen = vec![false; relations.list.len()];
        let mut linked = Vec::new();
        let mut i = 0;
        while i < unknown.len() {
            for r in &relations.of[unknown[i]] {
                if std::mem::replace(&mut seen[*r], true) {
                    continue;
                }
                linked.push(*r);
                let (plus, minus, _) = &relations.list[*r];
                for member in plus.iter().chain(minus) {
                    if self.held[*member] && !std::mem::replace(&mut known[*member], true) {
                        unknown.push(*member);
                    }
                }
            }
            i += 1;
        }
        (linked, unknown)
    }

    /// The smallest and largest value held `figure` can take, given every published figure, that
    /// no count is negative and that a listed row is at least 1. The smallest is only worked out when the largest is within a
    /// count of the true value; otherwise it is given as 0.
    pub fn range(&self, figure: Figure) -> Range {
        self.range_in(&self.relations(), figure)
    }

    fn range_in(&self, relations: &Relations, figure: Figure) -> Range {
        self.audit(relations, figure).0
    }

    /// [`Table::range_in`], and the other held figures its solutions show are not pinned: each
    /// solution is values every published figure allows, as the true values are, so a held figure
    /// whose value in it is half a count or more from its own can take both, and a reader cannot
    /// tell which. In a large linked set one solution frees most of the set, so most figures need
    /// no problem of their own.
    fn audit(&self, relations: &Relations, figure: Figure) -> (Range, Vec<Figure>) {
        let (linked, unknown) = self.linked_to(relations, figure);
        let mut position = std::collections::HashMap::with_capacity(unknown.len());
        for (i, f) in unknown.iter().enumerate() {
            position.insert(*f, i);
        }
        let solve = |maximise: bool| -> Option<Vec<f64>> {
            let mut problem = ProblemVariables::new();
            let least = |f: &Figure| if self.listed[*f] { 1 } else { 0 };
            let vars: Vec<Variable> = unknown.iter().map(|f| problem.add(variable().min(least(f)))).collect();
            let objective: Expression = vars[0].into();
            let mut model =
                if maximise { problem.maximise(objective) } else { problem.minimise(objective) }.using(microlp);
            for r in &linked {
                let (plus, minus, exact) = &relations.list[*r];
                // plus - minus = 0 (or >= 0), with published figures as constants.
                let mut sum = Expression::from(0.0);
                let mut constant = 0.0;
                for (f, sign) in plus.iter().map(|f| (*f, 1.0)).chain(minus.iter().map(|f| (*f, -1.0))) {
                    match position.get(&f) {
                        Some(i) => sum += sign * vars[*i],
                        None => constant += sign * self.values[f] as f64,
                    }
                }
                model = model.with(if *exact { sum.eq(-constant) } else { sum.geq(-constant) });
            }
            model.solve().ok().map(|s| vars.iter().map(|v| s.value(*v)).collect::<Vec<f64>>())
        };
        let mut free = Vec::new();
        let mut note_free = |values: &[f64]| {
            for (f, v) in unknown.iter().zip(values).skip(1) {
                if (v - self.values[*f] as f64).abs() >= 0.5 + 1e-6 {
                    free.push(*f);
                }
            }
        };
        // Infeasible cannot happen (the true values satisfy every relation); unbounded above can.
        // The true value lies in the range, so a maximum a whole count above it settles the
        // question without the minimum.
        let high = solve(true).inspect(|values| note_free(values)).map(|values| values[0]);
        let value = self.values[figure] as f64;
        let low = if high.is_some_and(|h| h - value < 0.5) {
            solve(false).inspect(|values| note_free(values)).map_or(0.0, |values| values[0])
        } else {
            0.0
        };
        (Range { low, high }, free)
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
            if held.len() == 1
                || (held.len() > 1 && held.iter().any(|f| self.values[**f] > 0 && self.values[**f] == difference))
            {
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

    #[test]
    fn zeros_a_reader_knows_are_never_held_as_companions() {
        // A count of 2 in a row published elsewhere as 2, beside 50 groups nobody is in (each a
        // column whose published total is 0): the row gives the 2 away whatever is held here, and
        // holding the zeros (once took a minute, one audit each) would hide nothing.
        let mut t = Table::default();
        let a = t.figure(2);
        let zeros: Vec<Figure> = (0..50).map(|_| t.figure(0)).collect();
        for z in &zeros {
            let column = t.figure(0);
            t.adds_up(vec![*z], column);
        }
        let row = t.published_elsewhere(2, false);
        t.adds_up(std::iter::once(a).chain(zeros.iter().copied()).collect(), row);
        t.suppress(5);
        assert!(t.is_held(a));
        assert!(zeros.iter().all(|z| !t.is_held(*z)), "no zero held");
    }

    #[test]
    fn a_figure_pinned_through_two_groups_takes_another_with_it() {
        // Held by hand so that both of a's groups hold two figures; but d is alone in a third group
        // beside published c and its total, so d is known, and a with it. The audit finds that.
        let mut t = Table::default();
        let (a, b, c, d) = (t.figure(2), t.figure(8), t.figure(30), t.figure(9));
        let (t1, t2, t3) = (t.figure(10), t.figure(11), t.figure(39));
        t.adds_up(vec![a, b], t1);
        t.adds_up(vec![a, d], t2);
        t.adds_up(vec![c, d], t3);
        t.held[b] = true;
        t.held[d] = true;
        t.held[a] = true;
        assert!(t.range(a).is_single_value());
        t.unpin(&t.relations(), 5);
        assert!(!t.range(a).is_single_value(), "{:?}", t.range(a));
        assert!(t.is_held(c) || t.is_held(t3));
    }

    #[test]
    fn rows_listed_only_when_someone_is_in_them_are_at_least_one() {
        // 12 people: 10 online, 1 by phone, 1 on paper, and channels nobody came through left out.
        // Phone and paper held together are 2 between them; listed, each is at least 1, so 1 each.
        let mut t = Table::default();
        let rows: Vec<Figure> = [10, 1, 1].iter().map(|n| t.figure(*n)).collect();
        let total = t.figure(12);
        t.adds_up(rows.clone(), total);
        let mut unlisted = t.clone();
        unlisted.suppress(5);
        assert!(!unlisted.is_held(rows[0]), "as if any row could be 0, the two held are enough");
        assert!(!unlisted.range(rows[1]).is_single_value());
        rows.iter().for_each(|r| t.listed(*r));
        let mut pinned = t.clone();
        pinned.held[rows[1]] = true;
        pinned.held[rows[2]] = true;
        assert!(pinned.range(rows[1]).is_single_value(), "{:?}", pinned.range(rows[1]));
        t.suppress(5);
        assert!(t.is_held(rows[0]) || t.is_held(total), "one more held");
        for r in &rows[1..] {
            assert!(!t.range(*r).is_single_value(), "{:?}", t.range(*r));
        }
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
            // Judged by the range each held figure can take (linear programming), not by whether a
            // held figure happens to equal a difference: a held 5 beside a held 0 under a total of
            // 5 could as well be 4 and 1.
            for f in (0..cells.len() * width).filter(|f| t.is_held(*f)) {
                prop_assert!(!t.range(f).is_single_value(), "{:?}: figure {} pinned to {:?}", cells, f, t.range(f));
            }
        }
    }
}
