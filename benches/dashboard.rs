//! The dashboard at scale: seeds 1,000,000 responses of the built-in survey (realistic branching)
//! and prints the time to compute the full dashboard (per-question summary and the who-answered
//! and barrier profile, from the running totals) and a filtered cross-tab (from the responses, as
//! the totals are not kept by answer), cold and warm, on SQLite and on PostgreSQL (when
//! `TEST_POSTGRES_URL` is set), with the process's peak memory.
//! Run: `cargo bench --bench dashboard` (`BENCH_RESPONSES` to change the million).

#[path = "seed/mod.rs"]
mod seed;

use inclusion_survey::insight::filters::Filters;
use inclusion_survey::insight::{crosstab::crosstab, profile::profile, summarise, tally};
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
        let all = Filters::default();
        let filtered = Filters { channel: Some("phone".into()), answers: vec![("age_band".into(), "65_74".into())], ..Filters::default() };
        for round in ["cold", "warm", "warm"] {
            let t = Instant::now();
            let summary = summarise(&state.db, &state.surveys, &version, &all).await.unwrap();
            let who = profile(&state.db, version.survey_id, &all).await.unwrap();
            let full = t.elapsed().as_secs_f64() * 1000.0;
            let t = Instant::now();
            let columns = crosstab(&state.db, &state.surveys, &version, &filtered, "use_again", "ward").await.unwrap().unwrap();
            let cross = t.elapsed().as_secs_f64() * 1000.0;
            println!(
                "  {round}: full dashboard {full:>8.0} ms ({} respondents, {} weeks)   filtered cross-tab {cross:>8.0} ms ({} columns)",
                summary.respondents,
                who.by_week.len(),
                columns.len()
            );
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
