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

/// Peak resident memory of finished child processes so far, in MB (Linux reports KB).
fn children_peak_rss_mb() -> f64 {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, usage.as_mut_ptr()) };
    unsafe { usage.assume_init() }.ru_maxrss as f64 / 1024.0
}

/// Runs a command to the end: whether it succeeded, and its own peak resident memory in MB (not
/// the largest of all children so far, which `sqlite3` may be).
// The child is reaped by wait4, which std's wait cannot do while also giving its usage.
#[allow(clippy::zombie_processes)]
fn run_measured(command: &mut Command) -> (bool, f64) {
    let child = command.spawn().unwrap();
    let mut status = 0;
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    let pid = child.id() as libc::pid_t;
    assert_eq!(unsafe { libc::wait4(pid, &mut status, 0, usage.as_mut_ptr()) }, pid);
    let usage = unsafe { usage.assume_init() };
    (libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0, usage.ru_maxrss as f64 / 1024.0)
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
    seed::export(&url, &out);
    let ours = started.elapsed().as_secs_f64();
    let peak = children_peak_rss_mb();
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
    let (succeeded, peak) = run_measured(
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
