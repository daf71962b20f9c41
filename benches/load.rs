//! Load: 32 clients complete whole surveys over HTTP (post an answer, follow the redirect, repeat)
//! against 127.0.0.1, for a bounded time, on SQLite and on PostgreSQL (when `TEST_POSTGRES_URL` is
//! set). Prints answer round trips (a POST and the GET it redirects to) per second, p50 and p99
//! latency, and the ratio to the write path's floor in the same run: a minimal axum app on the
//! same pool settings whose POST inserts one row and redirects with 303, and whose GET reads that
//! row and renders a small page, driven by as many clients. Also prints a bare sqlx insert loop on
//! the same pool, as before. Run: `cargo bench --bench load`.
//! `BENCH_SECONDS` (default 10) sets how long each phase runs, `BENCH_ROUNDS` (default 3) how many
//! times the phases take turns (the median round is reported); `DB_MAX_CONNECTIONS` as for the
//! server; `BENCH_NO_GZIP=1` has the clients not ask for gzip, to show what compressing pages costs.

#[path = "residents/mod.rs"]
mod residents;

use inclusion_survey::db::Db;
use inclusion_survey::{app, config::Config};
use residents::percentile;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect};

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
    println!(
        "{CLIENTS} clients, {seconds} s per phase, 127.0.0.1, {} cores",
        std::thread::available_parallelism().unwrap()
    );
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

    let floor_base = floor_server(&db).await;

    // Warm up, then measure: the flow, the floor and the bare insert loop take turns, so that all
    // see the same machine (its speed drifts by a quarter between runs), and the median round is
    // the figure.
    drive(&base, Duration::from_secs(1)).await;
    drive_floor(&floor_base, Duration::from_secs(1)).await;
    let rounds: usize = std::env::var("BENCH_ROUNDS").ok().and_then(|s| s.parse().ok()).unwrap_or(3);
    println!("\n{name}");
    let mut ratios = Vec::new();
    let mut latencies = Vec::new();
    let mut posts = Vec::new();
    let mut unsynced = Vec::new();
    let mut surveys = Vec::new();
    let mut floors = Vec::new();
    let mut floor_ratios = Vec::new();
    let mut floor_latencies = Vec::new();
    for round in 1..=rounds {
        // Sent responses commit with the log synced (on SQLite); the same flow with them
        // unsynced, as before, says what that costs.
        if db.backend == inclusion_survey::db::Backend::Sqlite {
            db.set_synced_acknowledgements(false);
            let flow = drive(&base, length).await;
            db.set_synced_acknowledgements(true);
            let per_sec = flow.surveys as f64 / flow.elapsed.as_secs_f64();
            println!("  round {round}: {per_sec:>6.0} surveys/s with sent responses' commits unsynced");
            unsynced.push(per_sec);
        }
        let flow = drive(&base, length).await;
        let (floor, floor_trips) = drive_floor(&floor_base, length).await;
        let inserts = insert_loop(&db, length).await;
        let these = flow.answer_posts();
        let per_sec = these.len() as f64 / flow.elapsed.as_secs_f64();
        let trips = flow.answer_round_trips();
        println!(
            "  round {round}: {per_sec:>6.0} answer round trips/s, p99 {:>6.2} ms; floor {floor:>6.0} round trips/s, p99 {:>6.2} ms; ratio {:.2}",
            percentile(&trips, 0.99),
            percentile(&floor_trips, 0.99),
            per_sec / floor
        );
        floors.push(floor);
        floor_ratios.push(per_sec / floor);
        floor_latencies.extend(floor_trips);
        println!(
            "  round {round}: {:>6} surveys, {per_sec:>6.0} answer-page POSTs/s ({:.0} requests/s with the GETs they redirect to), p99 {:>6.2} ms; \
             bare sqlx inserts/s {inserts:>6.0} ({CLIENTS} tasks, one row each, same pool); ratio {:.2}",
            flow.surveys,
            flow.samples.len() as f64 / flow.elapsed.as_secs_f64(),
            percentile(&these, 0.99),
            per_sec / inserts
        );
        ratios.push(per_sec / inserts);
        posts.push(per_sec);
        surveys.push(flow.surveys as f64 / flow.elapsed.as_secs_f64());
        latencies.extend(flow.answer_round_trips());
    }
    latencies.sort_unstable();
    floor_latencies.sort_unstable();
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    println!(
        "  answer round trips/s     {:>10.0}  (median round; a POST and the GET it redirects to)",
        median(&mut posts)
    );
    println!("  round trip p50           {:>10.2} ms", percentile(&latencies, 0.50));
    println!(
        "  round trip p99           {:>10.2} ms  (all rounds; target at most 50 ms)",
        percentile(&latencies, 0.99)
    );
    println!("  floor round trips/s      {:>10.0}  (median round)", median(&mut floors));
    println!(
        "  floor p50 / p99          {:>10.2} / {:.2} ms",
        percentile(&floor_latencies, 0.50),
        percentile(&floor_latencies, 0.99)
    );
    println!("  answers ÷ floor          {:>10.2}  (median round; target at least 0.5)", median(&mut floor_ratios));
    println!("  answers/s ÷ inserts/s    {:>10.2}  (median round; the old floor)", median(&mut ratios));
    if !unsynced.is_empty() {
        let (synced, unsynced) = (median(&mut surveys), median(&mut unsynced));
        println!(
            "  surveys/s, sent synced   {synced:>10.0}  beside {unsynced:.0} unsynced: {:.2} of it (median rounds)",
            synced / unsynced
        );
    }
}

/// The residents at full tilt for `length`; every request must have been answered as expected.
async fn drive(base: &str, length: Duration) -> residents::Flow {
    let stop = Arc::new(AtomicBool::new(false));
    let stopping = async {
        tokio::time::sleep(length).await;
        stop.store(true, Ordering::Relaxed);
    };
    let (flow, ()) =
        tokio::join!(residents::drive(base, CLIENTS, Duration::ZERO, stop.clone(), Instant::now()), stopping);
    assert!(flow.samples.iter().all(|s| s.ok), "a resident's request failed");
    flow
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

/// The write path's floor: a minimal axum app on the app's own pools (the same settings), whose
/// POST inserts one row and redirects with 303, and whose GET reads that row and renders a small
/// page. Returns its address.
async fn floor_server(db: &Db) -> String {
    sqlx::query("DROP TABLE IF EXISTS bench_floor").execute(&db.write).await.unwrap();
    let create = match db.backend {
        inclusion_survey::db::Backend::Sqlite => {
            "CREATE TABLE bench_floor (id INTEGER PRIMARY KEY AUTOINCREMENT, answer TEXT NOT NULL)"
        }
        inclusion_survey::db::Backend::Postgres => {
            "CREATE TABLE bench_floor (id BIGSERIAL PRIMARY KEY, answer TEXT NOT NULL)"
        }
    };
    sqlx::query(create).execute(&db.write).await.unwrap();
    #[derive(serde::Deserialize)]
    struct Answer {
        answer: String,
    }
    async fn post(State(db): State<Db>, axum::Form(form): axum::Form<Answer>) -> impl IntoResponse {
        let id: i64 = sqlx::query_scalar("INSERT INTO bench_floor (answer) VALUES ($1) RETURNING id")
            .bind(form.answer)
            .fetch_one(&db.write)
            .await
            .unwrap();
        Redirect::to(&format!("/floor/{id}"))
    }
    async fn get(State(db): State<Db>, Path(id): Path<i64>) -> impl IntoResponse {
        let answer: String = sqlx::query_scalar("SELECT answer FROM bench_floor WHERE id = $1")
            .bind(id)
            .fetch_one(&db.read)
            .await
            .unwrap();
        Html(format!(
            "<!DOCTYPE html><html lang=\"en-GB\"><head><title>Saved</title></head>\
             <body><main><h1>Saved</h1><p>You answered {answer}.</p></main></body></html>"
        ))
    }
    let router = axum::Router::new()
        .route("/floor", axum::routing::post(post))
        .route("/floor/{id}", axum::routing::get(get))
        .with_state(db.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    base
}

/// As many clients as the residents, each posting an answer to the floor and getting the page it
/// is sent to, for `length`: round trips a second and each round trip's latency (sorted µs).
async fn drive_floor(base: &str, length: Duration) -> (f64, Vec<u32>) {
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..CLIENTS {
        let (stop, base) = (stop.clone(), base.to_owned());
        tasks.push(tokio::spawn(async move {
            let client = residents::client();
            let mut trips = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                let began = Instant::now();
                let (location, status) = residents::post(&client, &format!("{base}/floor"), "answer=yes").await;
                assert_eq!(status, Some(303));
                let page = client.get(format!("{base}{}", location.unwrap())).send().await.unwrap();
                assert_eq!(page.status(), 200);
                page.bytes().await.unwrap();
                trips.push(began.elapsed().as_micros() as u32);
            }
            trips
        }));
    }
    tokio::time::sleep(length).await;
    stop.store(true, Ordering::Relaxed);
    let mut trips = Vec::new();
    for t in tasks {
        trips.extend(t.await.unwrap());
    }
    let per_sec = trips.len() as f64 / started.elapsed().as_secs_f64();
    trips.sort_unstable();
    (per_sec, trips)
}
