//! Page weight: what each resident page costs to download, gzipped, with its stylesheet, and that
//! none carries a script. Prints a table; the target is at most 20 KB a page (HTML + CSS + JS).
//! Then the outreach page, the one page with an island: its HTML, stylesheet, loader, JavaScript and
//! WebAssembly, gzipped; the target is under 300 KB, kept by the service worker after the first
//! load. Build the release front end first for that figure:
//! `cargo leptos build --release --frontend-only && cargo bench --bench page_weight`.

use inclusion_survey::{app, config::Config};
use reqwest::header::{ACCEPT_ENCODING, CONTENT_TYPE, LOCATION};
use reqwest::{Client, redirect};

const LIMIT: usize = 20 * 1024;
const OUTREACH_LIMIT: usize = 300 * 1024;

#[tokio::main]
async fn main() {
    let dir = tempdir();
    let state = app::prepare(Config::for_database(format!("sqlite:{dir}/weight.sqlite3"))).await.unwrap();
    let db = state.db.clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app::router(state)).await.unwrap() });

    // Every language the built-in survey is offered in, each by a resident of its own.
    let mut worst = 0;
    let mut css_shown = false;
    let mut scripted = 0;
    for lang in ["en", "cy", "en-x-easyread"] {
        let (css_path, css, rows, with_script) = flow(&base, lang).await;
        scripted += with_script;
        if !css_shown {
            println!(
                "Page weight, gzip, bytes (stylesheet {css_path}: {css} B, cached after the first page; no JavaScript)"
            );
            css_shown = true;
        }
        println!("\nIn {lang}:");
        println!("{:<28} {:>8} {:>8} {:>10}  within 20 KB", "page", "HTML", "+CSS", "total");
        for (name, html) in rows {
            let total = html + css;
            worst = worst.max(total);
            println!("{name:<28} {html:>8} {css:>8} {total:>10}  {}", if total <= LIMIT { "yes" } else { "NO" });
        }
    }
    println!("\nheaviest page in any language: {worst} B of {LIMIT} B; resident pages with a script: {scripted}");
    outreach(&base, &db).await;
}

/// The outreach session page and everything it loads, as an officer's device first downloads it.
async fn outreach(base: &str, db: &inclusion_survey::db::Db) {
    use inclusion_survey::auth::account::{self, NewStaff, Role};
    let password = "correct horse battery staple";
    let new = NewStaff {
        email: "officer@council.gov.uk".into(),
        name: "Outreach Officer".into(),
        roles: [Role::Officer].into_iter().collect(),
        password_hash: account::hash_password(password.to_owned()).await.unwrap(),
    };
    account::create(db, None, new).await.unwrap();
    let client = Client::builder().cookie_store(true).redirect(redirect::Policy::none()).no_gzip().build().unwrap();
    let login = client.get(format!("{base}/staff/login")).send().await.unwrap().text().await.unwrap();
    let csrf = between(&login, "name=\"csrf\" value=\"", "\"");
    let form =
        [("csrf", csrf.as_str()), ("email", "officer@council.gov.uk"), ("password", password), ("next", "/staff")];
    client.post(format!("{base}/staff/login")).form(&form).send().await.unwrap();
    let location: i64 = sqlx::query_scalar("SELECT id FROM list_item WHERE list = 'location' ORDER BY id LIMIT 1")
        .fetch_one(&db.read)
        .await
        .unwrap();

    let fetch = |path: String| {
        let client = client.clone();
        let base = base.to_owned();
        async move {
            let r = client.get(format!("{base}{path}")).header(ACCEPT_ENCODING, "gzip").send().await.unwrap();
            let (status, gzip) = (r.status(), r.headers().get(reqwest::header::CONTENT_ENCODING).is_some());
            let bytes = r.bytes().await.unwrap().to_vec();
            assert!(status.is_success(), "{path}: {status}");
            let raw = if gzip { decompress(&bytes).len() } else { bytes.len() };
            (bytes.len(), raw)
        }
    };
    let page_path = format!("/staff/outreach?survey=digital-inclusion&location={location}");
    let html = String::from_utf8(decompress(
        &client
            .get(format!("{base}{page_path}"))
            .header(ACCEPT_ENCODING, "gzip")
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap(),
    ))
    .unwrap();
    let css = between(&html, "rel=\"stylesheet\" href=\"", "\"");
    let loader = between(&html, "<script type=\"module\" src=\"", "\"");
    let parts = [
        ("page (HTML, with the survey)".to_owned(), page_path),
        ("stylesheet".to_owned(), css),
        ("loader".to_owned(), loader),
        ("JavaScript (wasm-bindgen)".to_owned(), "/pkg/inclusion-survey.js".to_owned()),
        ("WebAssembly".to_owned(), "/pkg/inclusion-survey.wasm".to_owned()),
        ("service worker".to_owned(), "/outreach-sw.js".to_owned()),
    ];
    println!("\nOutreach page, first load, bytes ({OUTREACH_LIMIT} B target; kept by the service worker after)");
    println!("{:<30} {:>10} {:>10}", "part", "gzip", "raw");
    let mut total = 0;
    for (name, path) in parts {
        let (gzip, raw) = fetch(path).await;
        total += gzip;
        println!("{name:<30} {gzip:>10} {raw:>10}");
    }
    println!(
        "{:<30} {total:>10}             within {OUTREACH_LIMIT} B: {}",
        "total",
        if total <= OUTREACH_LIMIT { "yes" } else { "NO" }
    );
    println!(
        "(the WebAssembly's size is that of the last `cargo leptos build`: build with --release for the figure that matters)"
    );
}

/// One resident's way through the survey in `lang`: the stylesheet's path and size, and each
/// page's gzipped size.
async fn flow(base: &str, lang: &str) -> (String, usize, Vec<(String, usize)>, usize) {
    // gzip asked for by hand and not undone, so the byte counts are what travels.
    let client = Client::builder().cookie_store(true).redirect(redirect::Policy::none()).no_gzip().build().unwrap();
    let fetch = |path: String| {
        let client = client.clone();
        let base = base.to_owned();
        async move {
            let r = client.get(format!("{base}{path}")).header(ACCEPT_ENCODING, "gzip").send().await.unwrap();
            r.bytes().await.unwrap().to_vec()
        }
    };
    let post = |path: String, body: String| {
        let client = client.clone();
        let base = base.to_owned();
        async move {
            let r = client
                .post(format!("{base}{path}"))
                .header(ACCEPT_ENCODING, "gzip")
                .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(body)
                .send()
                .await
                .unwrap();
            let location = r.headers().get(LOCATION).map(|l| l.to_str().unwrap().to_owned());
            (location, r.bytes().await.unwrap().to_vec())
        }
    };

    let start_page = format!("/s/digital-inclusion?lang={lang}");
    let start = String::from_utf8(decompress(&fetch(start_page.clone()).await)).unwrap();
    let css_path = between(&start, "rel=\"stylesheet\" href=\"", "\"");
    let css = fetch(css_path.clone()).await.len();

    let mut rows: Vec<(String, usize)> = vec![("start page".into(), fetch(start_page).await.len())];
    let mut with_script = usize::from(start.contains("<script"));
    let (mut next, _) = post(format!("/s/digital-inclusion/start?lang={lang}"), String::new()).await;
    let (_, error_page) = post(next.clone().unwrap(), String::new()).await;
    rows.push(("question with an error".into(), error_page.len()));
    let answers = ["answer=no", "answer=no_internet&answer=cost&answer=other&other=bus", "answer=smartphone"];
    let mut i = 0;
    while let Some(path) = next.clone().filter(|p| p.contains("/q/")) {
        let html = fetch(path.clone()).await;
        with_script += usize::from(String::from_utf8_lossy(&decompress(&html)).contains("<script"));
        rows.push((path.rsplit('/').next().unwrap().to_owned(), html.len()));
        let body = answers.get(i).copied().unwrap_or("").to_owned();
        next = post(path, body).await.0;
        i += 1;
    }
    rows.push(("check answers".into(), fetch("/s/digital-inclusion/check".into()).await.len()));
    post("/s/digital-inclusion/submit".into(), String::new()).await;
    rows.push(("confirmation".into(), fetch("/s/digital-inclusion/done".into()).await.len()));
    rows.push(("privacy notice".into(), fetch("/s/digital-inclusion/privacy".into()).await.len()));
    rows.push(("page not found".into(), fetch("/s/nope".into()).await.len()));
    (css_path, css, rows, with_script)
}

fn decompress(bytes: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut out).unwrap();
    out
}

fn between(text: &str, start: &str, end: &str) -> String {
    let from = text.find(start).unwrap() + start.len();
    let to = text[from..].find(end).unwrap() + from;
    text[from..to].to_owned()
}

fn tempdir() -> String {
    let dir = std::env::temp_dir().join(format!("inclusion-survey-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.display().to_string()
}
