//! Page weight: what each resident page costs to download, gzipped, with its stylesheet. Prints a
//! table; the target is at most 20 KB a page (HTML + CSS + JS). Run: `cargo bench --bench page_weight`.

use inclusion_survey::{app, config::Config};
use reqwest::header::{ACCEPT_ENCODING, CONTENT_TYPE, LOCATION};
use reqwest::{redirect, Client};

const LIMIT: usize = 20 * 1024;

#[tokio::main]
async fn main() {
    let dir = tempdir();
    let state = app::prepare(Config::for_database(format!("sqlite:{dir}/weight.sqlite3"))).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app::router(state)).await.unwrap() });

    // Every language the built-in survey is offered in, each by a resident of its own.
    let mut worst = 0;
    let mut css_shown = false;
    for lang in ["en", "cy", "en-x-easyread"] {
        let (css_path, css, rows) = flow(&base, lang).await;
        if !css_shown {
            println!("Page weight, gzip, bytes (stylesheet {css_path}: {css} B, cached after the first page; no JavaScript)");
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
    println!("\nheaviest page in any language: {worst} B of {LIMIT} B");
}

/// One resident's way through the survey in `lang`: the stylesheet's path and size, and each
/// page's gzipped size.
async fn flow(base: &str, lang: &str) -> (String, usize, Vec<(String, usize)>) {
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
    let (mut next, _) = post(format!("/s/digital-inclusion/start?lang={lang}"), String::new()).await;
    let (_, error_page) = post(next.clone().unwrap(), String::new()).await;
    rows.push(("question with an error".into(), error_page.len()));
    let answers = ["answer=no", "answer=no_internet&answer=cost&answer=other&other=bus", "answer=smartphone"];
    let mut i = 0;
    while let Some(path) = next.clone().filter(|p| p.contains("/q/")) {
        let html = fetch(path.clone()).await;
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
    (css_path, css, rows)
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
