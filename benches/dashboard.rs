//! The dashboard at scale: seeds 1,000,000 responses of the built-in survey (realistic branching)
//! and prints the time to compute the full dashboard (per-question summary and the who-answered
//! and barrier profile, from the running totals), the dashboard filtered by one about-you answer
//! (ward, age band, disability: from the totals kept by group) and cross-tabs by ward, each as a
//! multiple of the unfiltered dashboard in the same round, cold and warm, on SQLite and on
//! PostgreSQL (when `TEST_POSTGRES_URL` is set), with the process's peak memory. The target is
//! 10x at most, also for a cross-tab by one about-you answer filtered by others (ward by age band:
//! from the totals by cell); a channel and an answer at once are counted from the responses and
//! printed for comparison. Then the dashboard weighted to a population by ward and age band (raked from the
//! running totals by cell), whose target is 3x the unweighted dashboard at most, and the raking
//! alone.
//! Run: `cargo bench --bench dashboard` (`BENCH_RESPONSES` to change the million).

#[path = "seed/mod.rs"]
mod seed;

use inclusion_survey::insight::weighting::results::{Weighting, weighted};
use inclusion_survey::insight::{crosstab::crosstab, profile::profile, summarise};
use inclusion_survey::responses::filters::Filters;
use inclusion_survey::responses::tally;
use inclusion_survey::{app, config::Config};
use std::time::Instant;

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

async fn drop_database(admin: &inclusion_survey::db::Db, database: &str) -> Result<(), sqlx::Error> {
    sqlx::query(&format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)")).execute(&admin.write).await.map(|_| ())
}

/// A borough's population by ward and age band, unlike the seeded answers, and weighting on.
async fn weight_to_a_borough(db: &inclusion_survey::db::Db, survey_id: i64, survey: &inclusion_survey::survey::Survey) {
    let mut rows = Vec::new();
    for question in ["ward", "age_band"] {
        let q = survey.question(question).unwrap();
        for (i, o) in q.options.iter().filter(|o| o.id != "prefer_not_to_say").enumerate() {
            let people = if o.id == "dont_know" { 0 } else { 2_000 + 700 * i as i64 };
            rows.push((question, o.id.clone(), i as i64, people));
        }
    }
    for (question, option, position, people) in rows {
        sqlx::query(
            "INSERT INTO population (survey_id, question_id, option_id, position, people) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(survey_id)
        .bind(question)
        .bind(option)
        .bind(position)
        .bind(people)
        .execute(&db.write)
        .await
        .unwrap();
    }
    sqlx::query("INSERT INTO weighting (survey_id, trim_low, trim_high) VALUES ($1, 0.3, 3)")
        .bind(survey_id)
        .execute(&db.write)
        .await
        .unwrap();
}

#[tokio::main]
async fn main() {
    let n: i64 = std::env::var("BENCH_RESPONSES").ok().and_then(|s| s.parse().ok()).unwrap_or(1_000_000);
    let dir = std::env::temp_dir().join(format!("inclusion-survey-dashboard-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut backends = vec![("SQLite", format!("sqlite:{}/dash.sqlite3", dir.display()))];
    let database = format!("dash{}", std::process::id());
    let admin = match std::env::var("TEST_POSTGRES_URL") {
        Ok(base) => {
            let admin = inclusion_survey::db::Db::connect(&base, 1).await.unwrap();
            sqlx::query(&format!("CREATE DATABASE {database}")).execute(&admin.write).await.unwrap();
            backends.push(("PostgreSQL", format!("{}/{database}", base.rsplit_once('/').unwrap().0)));
            Some(admin)
        }
        Err(_) => None,
    };
    for (name, url) in backends {
        let state = app::prepare(Config::for_database(url)).await.unwrap();
        let started = Instant::now();
        seed::seed(&state.db, n).await;
        if name == "PostgreSQL" {
            sqlx::query("ANALYZE").execute(&state.db.write).await.unwrap();
        }
        println!("\n{name}: seeded {n} responses in {:.1} s", started.elapsed().as_secs_f64());
        let started = Instant::now();
        tally::rebuild(&state.db, &state.surveys, |_| {}).await.unwrap();
        println!("  counted them into the dashboard's running totals in {:.1} s", started.elapsed().as_secs_f64());
        let version = state.surveys.current(&state.db, "digital-inclusion").await.unwrap().unwrap();
        weight_to_a_borough(&state.db, version.survey_id, &version.survey).await;
        let answer = |q: &str, o: &str| Filters { answers: vec![(q.into(), o.into())], ..Filters::default() };
        let phone = Filters { channel: Some("phone".into()), ..Filters::default() };
        // Each case: what it is, the filters, and the question to cross-tabulate by ward (none
        // for the whole dashboard: summary and who answered).
        let cases: Vec<(&str, Filters, Option<&str>)> = vec![
            ("dashboard, weighted by ward and age band (target 3 x)", Filters::default(), Some("")),
            ("dashboard, unfiltered (baseline)", Filters::default(), None),
            ("dashboard, ward = yarm", answer("ward", "yarm"), None),
            ("dashboard, age band = 65 to 74", answer("age_band", "65_74"), None),
            ("dashboard, disability = yes", answer("disability", "yes"), None),
            ("cross-tab use_again by ward", Filters::default(), Some("use_again")),
            ("cross-tab by ward, phone only", phone.clone(), Some("use_again")),
            (
                "cross-tab by ward, age band 65 to 74 (by one about-you answer, filtered by another)",
                answer("age_band", "65_74"),
                Some("use_again"),
            ),
            (
                "cross-tab by ward, 65 to 74 and disabled (two about-you filters)",
                Filters {
                    answers: [answer("age_band", "65_74").answers, answer("disability", "yes").answers].concat(),
                    ..Filters::default()
                },
                Some("use_again"),
            ),
            (
                "cross-tab by ward, phone and 65 to 74 (a channel and an answer: from the responses)",
                Filters { answers: answer("age_band", "65_74").answers, ..phone },
                Some("use_again"),
            ),
        ];
        // The weighted case runs after the baseline it is measured against.
        let cases = {
            let mut cases = cases;
            let weighted = cases.remove(0);
            cases.insert(1, weighted);
            cases
        };
        for round in ["cold", "warm"] {
            println!("  {round}:");
            let mut baseline = None;
            for (what, filters, question) in &cases {
                let t = Instant::now();
                let shown = match question {
                    // The whole dashboard unweighted, and its weighted figures beside.
                    Some("") => {
                        let summary = summarise(&state.db, &state.surveys, &version, filters).await.unwrap();
                        profile(&state.db, version.survey_id, filters).await.unwrap();
                        let raked = t.elapsed();
                        match weighted(&state.db, &state.surveys, &version, filters).await.unwrap() {
                            Weighting::On(w) => format!(
                                "{} respondents; weighting {:.1} ms, {} cells, {} rounds, design effect {:.2}",
                                summary.respondents,
                                (t.elapsed() - raked).as_secs_f64() * 1000.0,
                                w.scheme.weights.len(),
                                w.scheme.raked.rounds,
                                w.scheme.raked.design_effect
                            ),
                            other => panic!("not weighted: {other:?}"),
                        }
                    }
                    None => {
                        let summary = summarise(&state.db, &state.surveys, &version, filters).await.unwrap();
                        let who = profile(&state.db, version.survey_id, filters).await.unwrap();
                        format!("{} respondents, {} weeks", summary.respondents, who.by_week.len())
                    }
                    Some(q) => {
                        let columns =
                            crosstab(&state.db, &state.surveys, &version, filters, q, "ward").await.unwrap().unwrap();
                        format!("{} columns", columns.len())
                    }
                };
                let ms = t.elapsed().as_secs_f64() * 1000.0;
                let base = *baseline.get_or_insert(ms);
                println!("    {what:<86} {ms:>8.1} ms  {:>6.1} x baseline  ({shown})", ms / base);
            }
        }
        state.db.read.close().await;
        state.db.write.close().await;
    }
    // A million responses take gigabytes: leave nothing behind.
    if let Some(admin) = admin {
        let _ = drop_database(&admin, &database).await;
    }
    println!("\npeak RSS of this process (seeding included): {:.0} MB", peak_rss_mb());
    let _ = std::fs::remove_dir_all(&dir);
}
