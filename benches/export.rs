//! Export and import at scale. Seeds 1,000,000 responses of the built-in survey (realistic
//! branching, about 8.5 answer rows each) into SQLite, then prints, for the real binary:
//! responses exported per second, total time and peak RSS, beside `sqlite3 -csv` dumping the same
//! rows in the same run; and the time to import 100,000 rows into an empty database.
//! Run: `cargo bench --bench export` (`BENCH_RESPONSES` to change the million).

#[path = "seed/mod.rs"]
mod seed;

use inclusion_survey::{app, config::Config};
use std::process::{Command, Stdio};
use std::time::Instant;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_inclusion-survey")
}

/// Runs a command to the end: whether it succeeded, and its own peak resident memory in MB, read
/// from its `VmHWM` every 10 ms while it runs. Not `getrusage`'s `ru_maxrss`: Linux carries the
/// memory the process had before `exec` into that figure, which for a child spawned from this
/// benchmark is the benchmark's own (a million seeded responses and a CSV read back), so it
/// reported 127–151 MB for an import whose own peak was 66 MB.
fn run_sampled(command: &mut Command) -> (bool, f64) {
    let mut child = command.spawn().unwrap();
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0u64;
    loop {
        if let Ok(status) = std::fs::read_to_string(&status_file)
            && let Some(kb) = status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        {
            peak_kb = peak_kb.max(kb);
        }
        if let Some(status) = child.try_wait().unwrap() {
            return (status.success(), peak_kb as f64 / 1024.0);
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

#[tokio::main]
async fn main() {
    let n: i64 = std::env::var("BENCH_RESPONSES").ok().and_then(|s| s.parse().ok()).unwrap_or(1_000_000);
    let dir = std::env::temp_dir().join(format!("inclusion-survey-export-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db_path = dir.join("big.sqlite3");
    let url = format!("sqlite:{}", db_path.display());

    let state = app::prepare(Config::for_database(url.clone())).await.unwrap();
    let started = Instant::now();
    seed::seed(&state.db, n).await;
    let answers: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM answer").fetch_one(&state.db.read).await.unwrap();
    println!("seeded {n} responses ({answers} answer rows) in {:.1} s", started.elapsed().as_secs_f64());
    state.db.write.close().await;
    state.db.read.close().await;

    let out = dir.join("responses.csv");
    let started = Instant::now();
    let (succeeded, peak) = run_sampled(&mut seed::export_command(&url, &out));
    assert!(succeeded);
    let ours = started.elapsed().as_secs_f64();
    let bytes = std::fs::metadata(&out).unwrap().len();

    let started = Instant::now();
    let sqlite3 = Command::new("sqlite3")
        .arg("-csv")
        .arg(&db_path)
        .arg(
            "SELECT r.reference, r.submitted_at, v.version, r.channel, a.question_id, a.option_id, a.text \
             FROM response r JOIN survey_version v ON v.id = r.survey_version_id \
             LEFT JOIN answer a ON a.response_id = r.id ORDER BY r.id",
        )
        .stdout(Stdio::null())
        .status();
    let theirs = started.elapsed().as_secs_f64();

    println!("\nexport of {n} responses ({:.0} MB of CSV)", bytes as f64 / 1e6);
    println!(
        "  inclusion-survey export    {:>8.2} s  {:>10.0} responses/s  peak RSS {:.0} MB",
        ours,
        n as f64 / ours,
        peak
    );
    match sqlite3 {
        Ok(s) if s.success() => {
            println!("  sqlite3 -csv, same rows    {:>8.2} s  {:>10.0} responses/s", theirs, n as f64 / theirs);
            println!("  speed relative to sqlite3  {:>8.2}", theirs / ours);
        }
        _ => println!("  sqlite3 not installed: no comparison"),
    }

    // Import: the first 100,000 responses of that file into an empty database.
    let sample = dir.join("sample.csv");
    let text = std::fs::read_to_string(&out).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut writer = csv::Writer::from_path(&sample).unwrap();
    writer.write_record(reader.headers().unwrap()).unwrap();
    let rows = reader.records().take(100_000).map(|r| writer.write_record(&r.unwrap()).unwrap()).count();
    writer.flush().unwrap();
    drop(text);
    let empty = format!("sqlite:{}", dir.join("empty.sqlite3").display());
    let started = Instant::now();
    let (succeeded, peak) = run_sampled(
        Command::new(bin())
            .args(["import", "responses", "--survey", "digital-inclusion"])
            .arg(&sample)
            // The seeded answers are from 2023, past the default retention period: keep them.
            .args(["--keep-until", "2099-12-31"])
            .env("DATABASE_URL", &empty)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null()),
    );
    assert!(succeeded);
    let took = started.elapsed().as_secs_f64();
    println!(
        "\nimport of {rows} responses     {:>8.2} s  {:>10.0} responses/s  peak RSS {peak:.0} MB",
        took,
        rows as f64 / took
    );
    let _ = std::fs::remove_dir_all(&dir);
}
