//! How sure a share is: its 95% interval and a quality mark in words.
//!
//! The interval is Wilson's score interval (Wilson 1927; method 3 of Newcombe 1998). The simple
//! "p ± 1.96 standard errors" leaves 0–100% and says nothing at 0 or at all of a small base (0 of
//! 7 would be "0% give or take 0"); Wilson's stays within 0–100%, is never a single point, and
//! holds its 95% cover at the bases councils have (7 at a drop-in, 110 in a borough review). R
//! gives the same interval as `prop.test(x, n, correct = FALSE)`.
//!
//! The quality mark follows the ONS reliability key for survey estimates, by the coefficient of
//! variation (the standard error as a share of the estimate): 5% or less precise, over 5% to 10%
//! reasonably precise, over 10% to 20% acceptable, over 20% treat with caution. The standard error
//! of a share is √(p(1 − p)/n); at 0 or at all of the base that is 0, which would call 3 of 3
//! "precise", so there the standard error is read off the Wilson interval (its half-width over
//! z). A share of 0 has no coefficient of variation (it is a share of nothing): it carries no
//! mark, and its interval says how large it could be.

use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

/// The standard normal quantile for a two-sided 95% interval (1.959964…).
pub fn z95() -> f64 {
    Normal::standard().inverse_cdf(0.975)
}

/// A 95% interval for a share, as fractions from 0 to 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    pub low: f64,
    pub high: f64,
}

impl Interval {
    /// Wilson's score interval for `count` of `base`; none when the base is 0 (or the count is
    /// not within it).
    pub fn wilson(count: i64, base: i64) -> Option<Interval> {
        if base <= 0 || count < 0 || count > base {
            return None;
        }
        let interval = Interval::wilson_of(count as f64 / base as f64, base as f64);
        // At 0 and at all, the bound is exactly 0 or 1; rounding must not put it a hair outside.
        let low = if count == 0 { 0.0 } else { interval.low };
        let high = if count == base { 1.0 } else { interval.high };
        Some(Interval { low, high })
    }

    /// Wilson's interval for a share `p` of `n` people (not always a whole number: a weighted
    /// share's effective sample size).
    fn wilson_of(p: f64, n: f64) -> Interval {
        let z = z95();
        let z2 = z * z;
        let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
        let half = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / (1.0 + z2 / n);
        Interval { low: (centre - half).max(0.0), high: (centre + half).min(1.0) }
    }

    /// As a reader sees it, in percent to the nearest whole: "37% to 56%".
    pub fn words(self) -> String {
        format!("{:.0}% to {:.0}%", self.low * 100.0, self.high * 100.0)
    }

    /// As a download holds it: percent to one decimal place, (low, high).
    pub fn percent(self) -> (String, String) {
        (format!("{:.1}", self.low * 100.0), format!("{:.1}", self.high * 100.0))
    }
}

/// The ONS reliability key for a survey estimate, by its coefficient of variation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quality {
    /// 5% or less.
    Precise,
    /// Over 5%, to 10%.
    ReasonablyPrecise,
    /// Over 10%, to 20%.
    Acceptable,
    /// Over 20%.
    TreatWithCaution,
}

impl Quality {
    /// The mark for `count` of `base`: none for a share of 0 (see the module's note) or no base.
    pub fn of(count: i64, base: i64) -> Option<Quality> {
        let interval = Interval::wilson(count, base)?;
        if count == 0 {
            return None;
        }
        let (n, p) = (base as f64, count as f64 / base as f64);
        let standard_error =
            if count == base { (interval.high - interval.low) / (2.0 * z95()) } else { (p * (1.0 - p) / n).sqrt() };
        Some(Quality::from_cv(standard_error / p))
    }

    fn from_cv(cv: f64) -> Quality {
        match cv {
            cv if cv <= 0.05 => Quality::Precise,
            cv if cv <= 0.10 => Quality::ReasonablyPrecise,
            cv if cv <= 0.20 => Quality::Acceptable,
            _ => Quality::TreatWithCaution,
        }
    }

    /// In words, as the page and the downloads say it.
    pub fn words(self) -> &'static str {
        match self {
            Quality::Precise => "precise",
            Quality::ReasonablyPrecise => "reasonably precise",
            Quality::Acceptable => "acceptable",
            Quality::TreatWithCaution => "treat with caution",
        }
    }
}

/// A weighted share: the weighted part of a question's base who gave an answer, with its standard
/// error from the weights as they are (linearisation, treating them as fixed: what R's `survey`
/// package gives for `svydesign(ids = ~1, weights = ~weight)`, and what the downloads' R script
/// builds, so an analyst re-running it sees the same figures).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WeightedShare {
    pub share: f64,
    pub standard_error: f64,
    /// Respondents in the base, unweighted.
    pub respondents: i64,
    /// Kish's effective sample size of the base: (Σw)² / Σw².
    pub effective_n: f64,
}

impl WeightedShare {
    /// From each cell of respondents with the same weight: (weight, how many gave the answer, how
    /// many were in the base). None when the base is empty or weighs nothing.
    pub fn of(cells: impl IntoIterator<Item = (f64, i64, i64)>) -> Option<WeightedShare> {
        let cells: Vec<(f64, f64, f64)> = cells.into_iter().map(|(w, a, b)| (w, a as f64, b as f64)).collect();
        let respondents: f64 = cells.iter().map(|(_, _, b)| b).sum();
        let total: f64 = cells.iter().map(|(w, _, b)| w * b).sum();
        if respondents < 1.0 || total <= 0.0 {
            return None;
        }
        let share = cells.iter().map(|(w, a, _)| w * a).sum::<f64>() / total;
        // Each respondent's part of the estimate's error, w (y − p) / Σw, squared and added up,
        // with the n / (n − 1) of sampling with replacement.
        let squares: f64 =
            cells.iter().map(|(w, a, b)| w * w * (a * (1.0 - share).powi(2) + (b - a) * share * share)).sum();
        let n = respondents;
        let variance = if n > 1.0 { n / (n - 1.0) * squares / (total * total) } else { 0.0 };
        let weight_squares: f64 = cells.iter().map(|(w, _, b)| w * w * b).sum();
        Some(WeightedShare {
            share,
            standard_error: variance.sqrt(),
            respondents: respondents as i64,
            effective_n: total * total / weight_squares,
        })
    }

    /// The 95% interval on the log-odds scale, from the standard error and Student's t on n − 1
    /// degrees of freedom (R's `svyciprop(method = "xlogit")`): within 0–100% and lopsided near
    /// the ends, as a share's should be. At 0 or all of the base the log odds have no standard
    /// error, so there it is Wilson's interval at the effective sample size.
    pub fn interval(self) -> Interval {
        let p = self.share;
        if p <= 0.0 || p >= 1.0 || self.standard_error == 0.0 || self.respondents < 2 {
            let i = Interval::wilson_of(p.clamp(0.0, 1.0), self.effective_n.max(1.0));
            return Interval { low: if p <= 0.0 { 0.0 } else { i.low }, high: if p >= 1.0 { 1.0 } else { i.high } };
        }
        let t = StudentsT::new(0.0, 1.0, (self.respondents - 1) as f64)
            .map(|t| t.inverse_cdf(0.975))
            .unwrap_or_else(|_| z95());
        let logit = (p / (1.0 - p)).ln();
        let half = t * self.standard_error / (p * (1.0 - p));
        let expit = |x: f64| 1.0 / (1.0 + (-x).exp());
        Interval { low: expit(logit - half), high: expit(logit + half) }
    }

    /// The ONS mark by the coefficient of variation; none for a share of 0, as unweighted.
    pub fn quality(self) -> Option<Quality> {
        if self.share <= 0.0 {
            return None;
        }
        let standard_error = if self.share >= 1.0 || self.standard_error == 0.0 {
            let i = self.interval();
            (i.high - i.low) / (2.0 * z95())
        } else {
            self.standard_error
        };
        Some(Quality::from_cv(standard_error / self.share))
    }

    /// Σ w² (y − p)² / (Σw)²: its variance before the n / (n − 1), which a change between two
    /// weighted shares adds up over both.
    fn squares(self) -> f64 {
        let n = self.respondents as f64;
        if n > 1.0 { self.standard_error.powi(2) * (n - 1.0) / n } else { 0.0 }
    }

    /// How sure it is, as an unweighted share's is said.
    pub fn sureness(self) -> Sureness {
        Sureness { interval: self.interval(), quality: self.quality() }
    }
}

/// How sure one share is: its interval and its mark, when both its count and its base are shown
/// (a held-back count or base has neither, as it has no percentage).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sureness {
    pub interval: Interval,
    pub quality: Option<Quality>,
}

impl Sureness {
    pub fn of(count: super::Cell, base: super::Cell) -> Option<Sureness> {
        match (count, base) {
            (super::Cell::Count(count), super::Cell::Count(base)) => {
                Some(Sureness { interval: Interval::wilson(count, base)?, quality: Quality::of(count, base) })
            }
            _ => None,
        }
    }

    /// "37% to 56%, acceptable".
    pub fn words(self) -> String {
        match self.quality {
            Some(quality) => format!("{}, {}", self.interval.words(), quality.words()),
            None => self.interval.words(),
        }
    }
}

/// The change in a share between two groups of different people (earlier and later answers):
/// the difference in percentage points and its 95% interval, by Newcombe's hybrid score method
/// (method 10 of Newcombe 1998, built from each share's Wilson interval, so it behaves at small
/// bases and at 0 as they do). Where the interval includes 0 there is no clear change.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Change {
    /// Later less earlier, as a fraction.
    pub difference: f64,
    pub low: f64,
    pub high: f64,
}

impl Change {
    /// `later` of `later_base` against `earlier` of `earlier_base`; none when either base is 0.
    pub fn between(earlier: i64, earlier_base: i64, later: i64, later_base: i64) -> Option<Change> {
        let (one, two) = (Interval::wilson(earlier, earlier_base)?, Interval::wilson(later, later_base)?);
        let (p1, p2) = (earlier as f64 / earlier_base as f64, later as f64 / later_base as f64);
        Some(Change::of((p1, one), (p2, two)))
    }

    /// `later` less `earlier`, each a share with its own 95% interval, by the same square-and-add
    /// of each share's distances to its bounds (Newcombe's method 10 when both are Wilson's;
    /// Zou and Donner's MOVER for any pair, so a weighted share or a national figure with its
    /// base can stand on either side).
    pub fn of((p1, one): (f64, Interval), (p2, two): (f64, Interval)) -> Change {
        let difference = p2 - p1;
        let low = difference - ((p2 - two.low).powi(2) + (one.high - p1).powi(2)).sqrt();
        let high = difference + ((two.high - p2).powi(2) + (p1 - one.low).powi(2)).sqrt();
        Change { difference, low, high }
    }

    /// "13.0 points lower (95% interval −18.1 to −7.9): a clear difference", of a figure against
    /// another taken as the reference (the country's).
    pub fn compared_words(self) -> String {
        let points = |f: f64| format!("{:+.1}", f * 100.0).replace('-', "\u{2212}");
        let direction = match self.difference {
            d if d > 0.0 => format!("{:.1} points higher", d * 100.0),
            d if d < 0.0 => format!("{:.1} points lower", -d * 100.0),
            _ => "the same".to_owned(),
        };
        let verdict = if self.is_clear() { "a clear difference" } else { "no clear difference" };
        format!("{direction} (95% interval {} to {}): {verdict}", points(self.low), points(self.high))
    }

    /// The change between two weighted shares of different people (two periods, or two waves),
    /// as R's design-based t-test gives it (`svyttest(y ~ wave)` on the two together, weights as
    /// given): the difference, its linearised standard error over all n respondents, and
    /// Student's t on n − 2 degrees of freedom.
    pub fn weighted(earlier: WeightedShare, later: WeightedShare) -> Change {
        let difference = later.share - earlier.share;
        let n = (earlier.respondents + later.respondents) as f64;
        let variance = if n > 1.0 { n / (n - 1.0) * (earlier.squares() + later.squares()) } else { 0.0 };
        let t = StudentsT::new(0.0, 1.0, (n - 2.0).max(1.0)).map(|t| t.inverse_cdf(0.975)).unwrap_or_else(|_| z95());
        let half = t * variance.sqrt();
        Change { difference, low: difference - half, high: difference + half }
    }

    /// Whether the interval leaves out 0: a change chance alone would rarely give.
    pub fn is_clear(self) -> bool {
        self.low > 0.0 || self.high < 0.0
    }

    /// "up 4.1 points (95% interval −8.0 to +16.3): no clear change". A clear change is called
    /// a rise or a fall, never better or worse: whether more is good depends on the answer.
    pub fn words(self) -> String {
        let points = |f: f64| format!("{:+.1}", f * 100.0).replace('-', "\u{2212}");
        let direction = match self.difference {
            d if d > 0.0 => format!("up {:.1} points", d * 100.0),
            d if d < 0.0 => format!("down {:.1} points", -d * 100.0),
            _ => "no different".to_owned(),
        };
        let verdict = match (self.is_clear(), self.difference > 0.0) {
            (false, _) => "no clear change",
            (true, true) => "a clear rise",
            (true, false) => "a clear fall",
        };
        format!("{direction} (95% interval {} to {}): {verdict}", points(self.low), points(self.high))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Equal to the four decimal places a published table gives.
    fn close(a: f64, b: f64) -> bool {
        format!("{a:.4}") == format!("{b:.4}")
    }

    /// Newcombe (1998), "Two-sided confidence intervals for the single proportion", table I,
    /// method 3 (Wilson's score interval without continuity correction).
    #[test]
    fn wilson_matches_newcombes_worked_examples() {
        for (count, base, low, high) in
            [(81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611), (1, 29, 0.0061, 0.1718)]
        {
            let i = Interval::wilson(count, base).unwrap();
            assert!(close(i.low, low) && close(i.high, high), "{count} of {base}: {i:?}");
        }
    }

    /// The seed borough's review: 51 of 110 had used the council's online services.
    #[test]
    fn the_seed_boroughs_51_of_110() {
        let i = Interval::wilson(51, 110).unwrap();
        assert_eq!(i.words(), "37% to 56%");
        assert_eq!(Quality::of(51, 110), Some(Quality::Acceptable), "cv 10.3%");
        assert_eq!(Quality::of(3, 7), Some(Quality::TreatWithCaution));
        assert_eq!(Quality::of(900, 1000), Some(Quality::Precise));
    }

    #[test]
    fn the_ends_of_the_scale() {
        assert_eq!(Interval::wilson(0, 7).unwrap().low, 0.0);
        assert_eq!(Interval::wilson(7, 7).unwrap().high, 1.0);
        assert_eq!(Quality::of(0, 500), None, "a share of nothing has no cv");
        assert_eq!(Quality::of(3, 3), Some(Quality::Acceptable), "not precise: 44% to 100%");
        assert_eq!(Interval::wilson(1, 0), None);
        assert_eq!(Interval::wilson(5, 4), None);
    }

    #[test]
    fn the_key_is_ons() {
        assert_eq!(Quality::from_cv(0.05), Quality::Precise);
        assert_eq!(Quality::from_cv(0.0501), Quality::ReasonablyPrecise);
        assert_eq!(Quality::from_cv(0.10), Quality::ReasonablyPrecise);
        assert_eq!(Quality::from_cv(0.20), Quality::Acceptable);
        assert_eq!(Quality::from_cv(0.2001), Quality::TreatWithCaution);
    }

    /// Newcombe (1998), "Interval estimation for the difference between independent
    /// proportions", examples (a) and (e), method 10.
    #[test]
    fn change_matches_newcombes_worked_examples() {
        let c = Change::between(48, 80, 56, 70).unwrap();
        assert!(close(c.difference, 0.2) && close(c.low, 0.0524) && close(c.high, 0.3339), "{c:?}");
        assert!(c.is_clear());
        let c = Change::between(0, 20, 0, 10).unwrap();
        assert!(close(c.low, -0.1611) && close(c.high, 0.2775), "{c:?}");
        assert!(!c.is_clear());
    }

    #[test]
    fn a_change_says_whether_it_is_clear_in_words() {
        // 15 of 51, then 20 of 49 more people: up 11.4 points, but within chance.
        let c = Change::between(15, 51, 20, 49).unwrap();
        assert!(c.words().starts_with("up 11.4 points (95% interval \u{2212}"), "{}", c.words());
        assert!(c.words().ends_with(": no clear change"));
        let c = Change::between(60, 100, 30, 100).unwrap();
        assert!(c.words().starts_with("down 30.0 points") && c.words().ends_with(": a clear fall"), "{}", c.words());
        assert_eq!(Change::between(1, 0, 1, 2), None);
    }

    /// With every weight 1 the weighted share is the plain share, its standard error the plain
    /// one (with n − 1), and its effective sample size the base.
    #[test]
    fn equal_weights_give_the_plain_share() {
        let w = WeightedShare::of([(1.0, 30, 60), (1.0, 21, 50)]).unwrap();
        assert!((w.share - 51.0 / 110.0).abs() < 1e-12);
        assert!((w.effective_n - 110.0).abs() < 1e-9);
        let p: f64 = 51.0 / 110.0;
        assert!((w.standard_error - (p * (1.0 - p) / 109.0).sqrt()).abs() < 1e-12);
        assert_eq!(w.quality(), Some(Quality::Acceptable));
        assert_eq!(WeightedShare::of([(1.0, 0, 0)]), None);
        let none = WeightedShare::of([(2.0, 0, 10), (0.5, 0, 10)]).unwrap();
        assert_eq!((none.interval().low, none.quality()), (0.0, None));
        assert!(none.interval().high > 0.1, "0 of an effective 14.7 could be 20%");
    }

    proptest! {
        /// Any count of any base: the interval lies within 0–100%, holds the share, is more than a
        /// point, and narrows as the base grows with the share held.
        #[test]
        fn intervals_hold_the_share(base in 1i64..5000, numerator in 0i64..5000) {
            let count = numerator % (base + 1);
            let i = Interval::wilson(count, base).unwrap();
            let p = count as f64 / base as f64;
            prop_assert!(0.0 <= i.low && i.low <= p && p <= i.high && i.high <= 1.0, "{i:?}");
            prop_assert!(i.high - i.low > 0.0);
            let wider = Interval::wilson(count * 4, base * 4).unwrap();
            prop_assert!(wider.high - wider.low < i.high - i.low);
        }
    }
}
