//! A big import from the web while residents answer. Seeds 100,000 responses of the built-in survey
//! (`BENCH_ROWS`), exports them with the app, then uploads the file through the import form to the
//! real server on SQLite, twice, each time into an empty database: alone, and while residents
//! complete the survey over HTTP (`BENCH_RESIDENTS` clients, default 8, each pausing 20 ms between
//! requests). Prints rows/s both times; the residents' latencies before and during the import, and
//! how many of their requests failed; and the server's peak RSS.
//! Run: `cargo bench --bench import`.

#[path = "residents/mod.rs"]
mod residents;
#[path = "seed/mod.rs"]
mod seed;

use inclusion_survey::{app, config::Config};
use reqwest::{Client, multipart, redirect};
use residents::{Sample, percentile, sorted};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

const ADMIN: &str = "bench-admin@council.gov.uk";
const PASSWORD: &str = "correct horse battery staple";

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_inclusion-survey")
}

/// The real server on a database of its own, with an admin account.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    async fn start(database_url: &str) -> Server {
        let created = Command::new(bin())
            .args(["admin", "create", "--email", ADMIN, "--name", "Bench Admin", "--role", "admin"])
            .env("DATABASE_URL", database_url)
            .env("INCLUSION_SURVEY_PASSWORD", PASSWORD)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert!(created.success());
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(bin())
            .env("DATABASE_URL", database_url)
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            // Every resident here comes from 127.0.0.1.
            .env("RESIDENT_WRITES_PER_MINUTE", "0")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        // Made at once, so that the server is stopped if it never answers.
        let server = Server { child, base: format!("http://127.0.0.1:{port}") };
        for _ in 0..200 {
            if reqwest::get(format!("{}/staff/login", server.base)).await.is_ok() {
                return server;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the server did not start");
    }

    /// The server's peak resident memory so far, in MB.
    fn peak_rss_mb(&self) -> f64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let kb: f64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .unwrap()
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .unwrap();
        kb / 1024.0
    }

    /// Signs in as the admin and uploads the file through the import form, as a browser would;
    /// the time the upload took and the page that came back.
    async fn import(&self, file: &[u8]) -> (Duration, String) {
        let base = &self.base;
        let client = Client::builder().cookie_store(true).redirect(redirect::Policy::none()).build().unwrap();
        let csrf = csrf_from(&client, &format!("{base}/staff/login")).await;
        let signed_in = client
            .post(format!("{base}/staff/login"))
            .form(&[("csrf", csrf.as_str()), ("email", ADMIN), ("password", PASSWORD), ("next", "/staff")])
            .send()
            .await
            .unwrap();
        assert_eq!(signed_in.status(), 303);
        let csrf = csrf_from(&client, &format!("{base}/staff")).await;
        let form = multipart::Form::new()
            .text("csrf", csrf)
            // The seeded answers are from 2023, past the default retention period: keep them.
            .text("keep_until", "2099-12-31")
            .part("file", multipart::Part::bytes(file.to_vec()).file_name("responses.csv"));
        let began = Instant::now();
        let page =
            client.post(format!("{base}/staff/surveys/digital-inclusion/import")).multipart(form).send().await.unwrap();
        let body = page.text().await.unwrap();
        (began.elapsed(), body)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn csrf_from(client: &Client, url: &str) -> String {
    let body = client.get(url).send().await.unwrap().text().await.unwrap();
    let marker = "name=\"csrf\" value=\"";
    let start = body.find(marker).expect("a form with a CSRF token") + marker.len();
    body[start..start + 64].to_owned()
}

fn describe(samples: &[&Sample]) -> String {
    let latencies = sorted(samples.iter().map(|s| s.micros));
    let failed = samples.iter().filter(|s| !s.ok).count();
    format!(
        "{:>6} requests, {failed} failed, p50 {:>7.1} ms, p99 {:>7.1} ms, max {:>7.1} ms",
        samples.len(),
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        percentile(&latencies, 1.0)
    )
}

#[tokio::main]
async fn main() {
    let rows: i64 = std::env::var("BENCH_ROWS").ok().and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let clients: usize = std::env::var("BENCH_RESIDENTS").ok().and_then(|s| s.parse().ok()).unwrap_or(8);
    let dir = std::env::temp_dir().join(format!("inclusion-survey-import-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = |name: &str| format!("sqlite:{}", dir.join(name).display());

    // The file: seeded responses, exported by the app.
    let source = url("source.sqlite3");
    let state = app::prepare(Config::for_database(source.clone())).await.unwrap();
    seed::seed(&state.db, rows).await;
    state.db.write.close().await;
    state.db.read.close().await;
    let csv = dir.join("responses.csv");
    seed::export(&source, &csv);
    let file = std::fs::read(&csv).unwrap();
    println!(
        "{rows} responses, {:.1} MB of CSV, uploaded through the import form into an empty SQLite database",
        file.len() as f64 / 1e6
    );
    let imported = format!("Imported {rows} responses");

    // Alone.
    let server = Server::start(&url("alone.sqlite3")).await;
    let (took, page) = server.import(&file).await;
    assert!(page.contains(&imported), "{page}");
    println!(
        "\nalone:           {:>6.2} s  {:>7.0} rows/s (target 20,000)  server peak RSS {:.0} MB (target 100)",
        took.as_secs_f64(),
        rows as f64 / took.as_secs_f64(),
        server.peak_rss_mb()
    );
    drop(server);

    // While residents answer: a few seconds of them alone first, for comparison.
    let server = Server::start(&url("busy.sqlite3")).await;
    let stop = Arc::new(AtomicBool::new(false));
    let epoch = Instant::now();
    let driving = tokio::spawn({
        let (base, stop) = (server.base.clone(), stop.clone());
        async move { residents::drive(&base, clients, Duration::from_millis(20), stop, epoch).await }
    });
    tokio::time::sleep(Duration::from_secs(3)).await;
    let began = epoch.elapsed();
    let (took, page) = server.import(&file).await;
    let ended = epoch.elapsed();
    tokio::time::sleep(Duration::from_secs(1)).await;
    stop.store(true, Ordering::Relaxed);
    let flow = driving.await.unwrap();
    assert!(page.contains(&imported), "{page}");
    let before: Vec<&Sample> = flow.samples.iter().filter(|s| s.at < began).collect();
    let during: Vec<&Sample> = flow.samples.iter().filter(|s| s.at >= began && s.at < ended).collect();
    println!(
        "with residents:  {:>6.2} s  {:>7.0} rows/s                    server peak RSS {:.0} MB",
        took.as_secs_f64(),
        rows as f64 / took.as_secs_f64(),
        server.peak_rss_mb()
    );
    println!("\nresidents ({clients} clients, 20 ms between requests; {} surveys sent in all)", flow.surveys);
    println!("  before the import  {}", describe(&before));
    println!("  during the import  {}  (target: none failed, p99 under 1,000 ms)", describe(&during));
    let _ = std::fs::remove_dir_all(&dir);
}
