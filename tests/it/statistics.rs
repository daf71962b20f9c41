//! Our statistics against R's: Wilson intervals against `prop.test`, raking and Kish's design
//! effect against the `survey` package's `rake` (tests/r/golden.R). `scripts/test.sh` installs R
//! and the package (Debian's r-base-core and r-cran-survey).

use inclusion_survey::insight::interval::{Change, Interval, WeightedShare};
use inclusion_survey::insight::weighting::{Margin, Trim, rake};
use std::path::Path;
use std::process::Command;

/// What the golden script prints for `args`, a number a line.
fn r(args: &[&str]) -> Vec<f64> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/r/golden.R");
    let out = Command::new("Rscript")
        .arg(script)
        .args(args)
        .output()
        .expect("Rscript runs (scripts/test.sh installs r-base-core and r-cran-survey)");
    assert!(out.status.success(), "R failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().lines().map(|l| l.trim().parse().unwrap()).collect()
}

#[test]
fn wilson_intervals_are_rs() {
    for (count, base) in [(51, 110), (0, 7), (7, 7), (1, 29), (3, 7), (900, 1000)] {
        let ours = Interval::wilson(count, base).unwrap();
        let theirs = r(&["wilson", &count.to_string(), &base.to_string()]);
        assert!((ours.low - theirs[0]).abs() < 1e-4 && (ours.high - theirs[1]).abs() < 1e-4, "{count} of {base}");
    }
}

#[test]
fn raked_weights_and_design_effects_are_rs() {
    // Even, lopsided, a small cell, and an extreme one (weights far from 1).
    for (counts, a1, b1) in [
        ([10, 20, 30, 40], 0.5, 0.5),
        ([50, 5, 30, 15], 0.3, 0.6),
        ([2, 60, 3, 35], 0.5, 0.5),
        ([200, 3, 4, 1], 0.2, 0.25),
    ] {
        let cells: Vec<f64> = counts.iter().map(|n| f64::from(*n)).collect();
        let margins = [
            Margin { categories: vec![(vec![0, 1], a1), (vec![2, 3], 1.0 - a1)] },
            Margin { categories: vec![(vec![0, 2], b1), (vec![1, 3], 1.0 - b1)] },
        ];
        let ours = rake(&cells, &margins, Trim { low: 1e-6, high: 1e6 });
        assert!(ours.converged, "{counts:?}");
        let list = counts.map(|n| n.to_string()).join(",");
        let theirs = r(&["rake", &list, &a1.to_string(), &b1.to_string()]);
        for (cell, (w, expected)) in ours.weights.iter().zip(&theirs[..4]).enumerate() {
            assert!((w - expected).abs() < 1e-6, "{counts:?} cell {cell}: {w} against R's {expected}");
        }
        assert!(
            (ours.design_effect - theirs[4]).abs() < 1e-4,
            "{counts:?}: {} against {}",
            ours.design_effect,
            theirs[4]
        );
    }
}

#[test]
fn weighted_shares_and_their_intervals_are_rs() {
    // Even weights; ordinary raking weights; a small base; an extreme weight; a share near 1.
    let cases: [&[(f64, i64, i64)]; 5] = [
        &[(1.0, 51, 110)],
        &[(0.8, 20, 60), (1.3, 15, 30), (1.1, 9, 20)],
        &[(0.5, 1, 4), (2.0, 2, 3)],
        &[(0.3, 40, 100), (6.0, 1, 2), (1.0, 10, 30)],
        &[(1.2, 49, 50), (0.7, 30, 30)],
    ];
    for cells in cases {
        let ours = WeightedShare::of(cells.iter().copied()).unwrap();
        let list = |f: &dyn Fn(&(f64, i64, i64)) -> String| cells.iter().map(f).collect::<Vec<_>>().join(",");
        let theirs =
            r(&["ciprop", &list(&|c| c.0.to_string()), &list(&|c| c.1.to_string()), &list(&|c| c.2.to_string())]);
        let interval = ours.interval();
        for (what, ours, theirs) in [
            ("share", ours.share, theirs[0]),
            ("standard error", ours.standard_error, theirs[1]),
            ("low", interval.low, theirs[2]),
            ("high", interval.high, theirs[3]),
        ] {
            assert!((ours - theirs).abs() < 1e-4, "{cells:?} {what}: {ours} against R's {theirs}");
        }
    }
}

#[test]
fn a_weighted_change_between_waves_is_rs_design_based_t_test() {
    // Equal weights; raking weights both sides; a small later wave; an extreme weight.
    type Cells = &'static [(f64, i64, i64)];
    let cases: [(Cells, Cells); 4] = [
        (&[(1.0, 15, 51)], &[(1.0, 20, 49)]),
        (&[(0.8, 20, 60), (1.3, 15, 30)], &[(0.9, 30, 50), (1.2, 25, 40)]),
        (&[(1.1, 40, 100)], &[(0.5, 1, 4), (2.0, 2, 3)]),
        (&[(0.3, 40, 100), (6.0, 1, 2)], &[(1.0, 30, 70)]),
    ];
    let list = |cells: Cells, f: &dyn Fn(&(f64, i64, i64)) -> String| cells.iter().map(f).collect::<Vec<_>>().join(",");
    for (earlier, later) in cases {
        let ours = Change::weighted(
            WeightedShare::of(earlier.iter().copied()).unwrap(),
            WeightedShare::of(later.iter().copied()).unwrap(),
        );
        let mut args = vec!["ttest".to_owned()];
        for side in [earlier, later] {
            args.extend([
                list(side, &|c| c.0.to_string()),
                list(side, &|c| c.1.to_string()),
                list(side, &|c| c.2.to_string()),
            ]);
        }
        let theirs = r(&args.iter().map(String::as_str).collect::<Vec<_>>());
        let se = (ours.high - ours.low) / 2.0 / statrs_t(earlier, later);
        for (what, ours, theirs) in [
            ("difference", ours.difference, theirs[0]),
            ("standard error", se, theirs[1]),
            ("low", ours.low, theirs[2]),
            ("high", ours.high, theirs[3]),
        ] {
            assert!((ours - theirs).abs() < 1e-4, "{earlier:?} then {later:?} {what}: {ours} against R's {theirs}");
        }
    }
}

/// Student's t for 95% on the two sides' respondents less 2, as the change uses.
fn statrs_t(earlier: &[(f64, i64, i64)], later: &[(f64, i64, i64)]) -> f64 {
    use statrs::distribution::{ContinuousCDF, StudentsT};
    let n: i64 = earlier.iter().chain(later).map(|c| c.2).sum();
    StudentsT::new(0.0, 1.0, (n - 2) as f64).unwrap().inverse_cdf(0.975)
}
