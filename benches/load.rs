//! Load: 32 clients complete whole surveys over HTTP (post an answer, follow the redirect, repeat)
//! against 127.0.0.1, for a bounded time, on SQLite and on PostgreSQL (when `TEST_POSTGRES_URL` is
//! set). Prints answer-page POSTs per second, p50 and p99 latency, and the ratio to a bare sqlx
//! insert loop run on the same database in the same run. Run: `cargo bench --bench load`.
//! `BENCH_SECONDS` (default 10) sets how long each phase runs, `BENCH_ROUNDS` (default 3) how many
//! times the two phases take turns (the median round is reported); `DB_MAX_CONNECTIONS` as for the
//! server.

use inclusion_survey::db::Db;
use inclusion_survey::{app, config::Config};
use reqwest::header::{CONTENT_TYPE, LOCATION};
use reqwest::{redirect, Client};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const CLIENTS: usize = 32;

#[tokio::main]
async fn main() {
    let seconds: u64 = std::env::var("BENCH_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(10);
    let dir = std::env::temp_dir().join(format!("inclusion-survey-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut backends = vec![("SQLite", format!("sqlite:{}/load.sqlite3", dir.display()))];
    if let Ok(base) = std::env::var("TEST_POSTGRES_URL") {
        let name = format!("load{}", std::process::id());
        let admin = Db::connect(&base, 1).await.unwrap();
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&admin.write).await.unwrap();
        let (server, _) = base.rsplit_once('/').unwrap();
        backends.push(("PostgreSQL", format!("{server}/{name}")));
    } else {
        println!("(TEST_POSTGRES_URL not set: PostgreSQL skipped)");
    }
    println!("{CLIENTS} clients, {seconds} s per phase, 127.0.0.1, {} cores", std::thread::available_parallelism().unwrap());
    for (name, url) in backends {
        run(name, &url, Duration::from_secs(seconds)).await;
    }
}

async fn run(name: &str, url: &str, length: Duration) {
    let mut config = Config::for_database(url);
    // As the server's setting: read connections.
    if let Some(n) = std::env::var("DB_MAX_CONNECTIONS").ok().and_then(|n| n.parse().ok()) {
        config.db_max_connections = n;
    }
    println!("\n({} read connections)", config.db_max_connections);
    let state = app::prepare(config).await.unwrap();
    let db = state.db.clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app::router(state)).await.unwrap() });

    // Warm up, then measure: the flow and the bare insert loop take turns, so that both see the
    // same machine (its speed drifts by a quarter between runs), and the median round is the figure.
    drive(&base, Duration::from_secs(1)).await;
    let rounds: usize = std::env::var("BENCH_ROUNDS").ok().and_then(|s| s.parse().ok()).unwrap_or(3);
    println!("\n{name}");
    let mut ratios = Vec::new();
    let mut latencies = Vec::new();
    let mut posts = Vec::new();
    for round in 1..=rounds {
        let flow = drive(&base, length).await;
        let inserts = insert_loop(&db, length).await;
        let mut these = flow.post_latencies;
        these.sort_unstable();
        let per_sec = these.len() as f64 / flow.elapsed.as_secs_f64();
        println!(
            "  round {round}: {:>6} surveys, {per_sec:>6.0} answer-page POSTs/s ({:.0} requests/s with the GETs they redirect to), p99 {:>6.2} ms; \
             bare sqlx inserts/s {inserts:>6.0} ({CLIENTS} tasks, one row each, same pool); ratio {:.2}",
            flow.surveys,
            flow.requests as f64 / flow.elapsed.as_secs_f64(),
            percentile(&these, 0.99),
            per_sec / inserts
        );
        ratios.push(per_sec / inserts);
        posts.push(per_sec);
        latencies.extend(these);
    }
    latencies.sort_unstable();
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    println!("  answer-page POSTs/s      {:>10.0}  (median round)", median(&mut posts));
    println!("  POST latency p50         {:>10.2} ms", percentile(&latencies, 0.50));
    println!("  POST latency p99         {:>10.2} ms  (all rounds)", percentile(&latencies, 0.99));
    println!("  POSTs/s ÷ inserts/s      {:>10.2}  (median round; target 0.25 on SQLite)", median(&mut ratios));
}

/// The latency at `p` (0 to 1) of sorted microseconds, in milliseconds.
fn percentile(sorted: &[u32], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p) as usize] as f64 / 1000.0
}

struct Flow {
    surveys: u64,
    requests: u64,
    post_latencies: Vec<u32>,
    elapsed: Duration,
}

/// Each client starts a survey, answers every question it is shown (posting, then getting the
/// page it is sent to), sends it, and starts again, until time is up.
async fn drive(base: &str, length: Duration) -> Flow {
    let stop = Arc::new(AtomicBool::new(false));
    let surveys = Arc::new(AtomicU64::new(0));
    let requests = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for client_no in 0..CLIENTS {
        let (stop, surveys, requests, base) = (stop.clone(), surveys.clone(), requests.clone(), base.to_owned());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut round = client_no;
            while !stop.load(Ordering::Relaxed) {
                let client = Client::builder().cookie_store(true).redirect(redirect::Policy::none()).build().unwrap();
                let mut next = post(&client, &format!("{base}/s/digital-inclusion/start"), "").await.0;
                requests.fetch_add(1, Ordering::Relaxed);
                while let Some(path) = next.take() {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    client.get(format!("{base}{path}")).send().await.unwrap().bytes().await.unwrap();
                    requests.fetch_add(1, Ordering::Relaxed);
                    if path.ends_with("/done") {
                        surveys.fetch_add(1, Ordering::Relaxed);
                        break;
                    }
                    let (target, body) = if path.ends_with("/check") {
                        (format!("{base}/s/digital-inclusion/submit"), String::new())
                    } else {
                        (format!("{base}{path}"), answer_for(&path, round))
                    };
                    let began = Instant::now();
                    let (location, status) = post(&client, &target, &body).await;
                    requests.fetch_add(1, Ordering::Relaxed);
                    if path.contains("/q/") {
                        latencies.push(began.elapsed().as_micros() as u32);
                    }
                    assert_eq!(status, 303, "{path} {body}");
                    next = location.map(|l| l.trim_start_matches(&base).to_owned());
                }
                round += 1;
            }
            latencies
        }));
    }
    tokio::time::sleep(length).await;
    stop.store(true, Ordering::Relaxed);
    let mut post_latencies = Vec::new();
    for t in tasks {
        post_latencies.extend(t.await.unwrap());
    }
    Flow {
        surveys: surveys.load(Ordering::Relaxed),
        requests: requests.load(Ordering::Relaxed),
        post_latencies,
        elapsed: started.elapsed(),
    }
}

/// Realistic branching: a third never used online services, the rest did and some would not again.
fn answer_for(path: &str, round: usize) -> String {
    let question = path.rsplit('/').next().unwrap();
    match question {
        "used_online" => ["answer=yes", "answer=no", "answer=yes"][round % 3].into(),
        "use_again" => ["answer=yes", "answer=no"][round % 2].into(),
        "why_not_again" => "answer=too_difficult&answer=could_not_find".into(),
        "why_not_online" => "answer=no_internet&answer=family_friends".into(),
        "go_online_how" => "answer=smartphone&answer=mobile_data".into(),
        "confidence_online" => format!("answer={}", round % 5 + 1),
        "help_wanted" => "answer=learn_basics".into(),
        "age_band" => "answer=65_74".into(),
        "ward" => "answer=newtown".into(),
        "disability" => "answer=prefer_not_to_say".into(),
        _ => String::new(),
    }
}

async fn post(client: &Client, url: &str, body: &str) -> (Option<String>, u16) {
    let r = client
        .post(url)
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    let location = r.headers().get(LOCATION).map(|l| l.to_str().unwrap().to_owned());
    let status = r.status().as_u16();
    r.bytes().await.unwrap();
    (location, status)
}

/// The floor: the same number of tasks inserting one small row each through the app's write pool.
async fn insert_loop(db: &Db, length: Duration) -> f64 {
    sqlx::query("DROP TABLE IF EXISTS bench_insert").execute(&db.write).await.unwrap();
    sqlx::query("CREATE TABLE bench_insert (id BIGINT PRIMARY KEY, payload TEXT NOT NULL)")
        .execute(&db.write)
        .await
        .unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let count = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for task in 0..CLIENTS as i64 {
        let (db, stop, count) = (db.clone(), stop.clone(), count.clone());
        tasks.push(tokio::spawn(async move {
            let mut i = 0i64;
            while !stop.load(Ordering::Relaxed) {
                sqlx::query("INSERT INTO bench_insert (id, payload) VALUES ($1, $2)")
                    .bind(task * 1_000_000_000 + i)
                    .bind(r#"{"answers":{"used_online":{"choice":"yes"}},"seen":["used_online"]}"#)
                    .execute(&db.write)
                    .await
                    .unwrap();
                count.fetch_add(1, Ordering::Relaxed);
                i += 1;
            }
        }));
    }
    tokio::time::sleep(length).await;
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        t.await.unwrap();
    }
    count.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64()
}
