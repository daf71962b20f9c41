//! Residents completing the built-in survey over HTTP, for benchmarks: each client starts a survey,
//! answers every question it is shown (posting, then getting the page it is sent to), sends it,
//! and starts again, until told to stop. Every request is timed.

#![allow(dead_code)] // Each benchmark uses part of it.

use reqwest::header::{CONTENT_TYPE, LOCATION};
use reqwest::{Client, redirect};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// One request a resident made.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    /// When it was sent, from the `started` the drive was given.
    pub at: Duration,
    pub micros: u32,
    /// A POST of an answer page (not the start, the send or a GET).
    pub answer_post: bool,
    /// Answered as the flow expects (a redirect for a POST, 200 for a GET).
    pub ok: bool,
    /// Which resident made it.
    pub client: u16,
}

pub struct Flow {
    pub surveys: u64,
    pub samples: Vec<Sample>,
    pub elapsed: Duration,
}

impl Flow {
    /// Answer-page POST latencies, in microseconds, sorted.
    pub fn answer_posts(&self) -> Vec<u32> {
        sorted(self.samples.iter().filter(|s| s.answer_post).map(|s| s.micros))
    }

    /// Answer round trips: each answer-page POST's latency with the GET it redirected to (the
    /// next sample of the same resident), in microseconds, sorted.
    pub fn answer_round_trips(&self) -> Vec<u32> {
        sorted(
            self.samples
                .windows(2)
                .filter(|w| w[0].answer_post && w[0].client == w[1].client)
                .map(|w| w[0].micros + w[1].micros),
        )
    }
}

pub fn sorted(latencies: impl Iterator<Item = u32>) -> Vec<u32> {
    let mut v: Vec<u32> = latencies.collect();
    v.sort_unstable();
    v
}

/// The latency at `p` (0 to 1) of sorted microseconds, in milliseconds.
pub fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() as f64 - 1.0) * p) as usize] as f64 / 1000.0
}

/// Runs `clients` residents against `base` until `stop` is set, each waiting `pause` between
/// requests (none for a flood). Samples are timed from `started`.
pub async fn drive(base: &str, clients: usize, pause: Duration, stop: Arc<AtomicBool>, started: Instant) -> Flow {
    let surveys = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    for client_no in 0..clients {
        let (stop, surveys, base) = (stop.clone(), surveys.clone(), base.to_owned());
        tasks.push(tokio::spawn(async move {
            let mut samples = Vec::new();
            let mut round = client_no;
            let mut timed = |began: Instant, answer_post: bool, ok: bool| {
                samples.push(Sample {
                    at: began - started,
                    micros: began.elapsed().as_micros() as u32,
                    answer_post,
                    ok,
                    client: client_no as u16,
                });
            };
            while !stop.load(Ordering::Relaxed) {
                let client = client();
                let began = Instant::now();
                let (mut next, status) = post(&client, &format!("{base}/s/digital-inclusion/start"), "").await;
                timed(began, false, status == Some(303));
                while let Some(path) = next.take() {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    tokio::time::sleep(pause).await;
                    let began = Instant::now();
                    let ok = match client.get(format!("{base}{path}")).send().await {
                        Ok(r) => r.status() == 200 && r.bytes().await.is_ok(),
                        Err(_) => false,
                    };
                    timed(began, false, ok);
                    if path.ends_with("/done") {
                        surveys.fetch_add(1, Ordering::Relaxed);
                        break;
                    }
                    let (target, body) = if path.ends_with("/check") {
                        (format!("{base}/s/digital-inclusion/submit"), String::new())
                    } else {
                        (format!("{base}{path}"), answer_for(&path, round))
                    };
                    tokio::time::sleep(pause).await;
                    let began = Instant::now();
                    let (location, status) = post(&client, &target, &body).await;
                    timed(began, path.contains("/q/"), status == Some(303));
                    next = location.map(|l| l.trim_start_matches(&base).to_owned());
                }
                round += 1;
            }
            samples
        }));
    }
    let mut samples = Vec::new();
    for t in tasks {
        samples.extend(t.await.unwrap());
    }
    Flow { surveys: surveys.load(Ordering::Relaxed), samples, elapsed: started.elapsed() }
}

/// A client as a browser is: it keeps cookies, asks for pages gzipped and shows redirects to the
/// caller. `BENCH_NO_GZIP=1` leaves gzip out, to show what compressing pages costs on loopback.
pub fn client() -> Client {
    let gzip = std::env::var_os("BENCH_NO_GZIP").is_none();
    Client::builder().cookie_store(true).gzip(gzip).redirect(redirect::Policy::none()).build().unwrap()
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

/// Posts a form; the redirect's target and the status, or no status if the request failed.
pub async fn post(client: &Client, url: &str, body: &str) -> (Option<String>, Option<u16>) {
    let sent =
        client.post(url).header(CONTENT_TYPE, "application/x-www-form-urlencoded").body(body.to_owned()).send().await;
    match sent {
        Ok(r) => {
            let location = r.headers().get(LOCATION).map(|l| l.to_str().unwrap().to_owned());
            let status = r.status().as_u16();
            match r.bytes().await {
                Ok(_) => (location, Some(status)),
                Err(_) => (None, None),
            }
        }
        Err(_) => (None, None),
    }
}
