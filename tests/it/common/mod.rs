//! Spawns the real app on a random port with a fresh database, and drives it over HTTP the way a
//! browser with JavaScript off would: form posts, cookies, redirects not followed automatically so
//! tests can see them.
#![allow(dead_code)]

use inclusion_survey::app;
use inclusion_survey::auth::account::{self, Role};
use inclusion_survey::config::Config;
use inclusion_survey::db::Db;
use inclusion_survey::insight::crosstab::{breakdowns, crosstab};
use inclusion_survey::insight::{profile::profile, summarise};
use inclusion_survey::responses::filters::Filters;
use inclusion_survey::responses::tally;
use inclusion_survey::survey::{ABOUT_YOU_FILTERS, Catalogue};
use reqwest::header::{CONTENT_TYPE, LOCATION};
use reqwest::{Client, StatusCode, redirect};
use sqlx::Connection;

pub const SLUG: &str = "digital-inclusion";
/// The built-in survey's questions after the first ones, in order, ending with the comments.
pub const THE_REST: [&str; 9] = [
    "internet_use",
    "go_online_how",
    "confidence_online",
    "eds_foundation_2022",
    "help_wanted",
    "age_band",
    "ward",
    "disability",
    "comments",
];
pub const PASSWORD: &str = "correct horse battery staple";

#[derive(Debug, Clone, Copy)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub address: String,
    pub db: Db,
    pub client: Client,
    /// For running the real binary against the same database.
    pub database_url: String,
}

/// The real binary running as a server; killed (SIGKILL) when dropped if still running.
pub struct Server(pub std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Starts the real binary on a free port and waits until it answers: (it, its address).
pub async fn start_binary(database_url: &str) -> (Server, String) {
    let port = free_port();
    (start_binary_on(database_url, port, &[]).await, format!("http://127.0.0.1:{port}"))
}

/// Starts the real binary on `port`, with `env` besides the database, and waits until it answers.
pub async fn start_binary_on(database_url: &str, port: u16, env: &[(&str, &str)]) -> Server {
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_inclusion-survey"))
        .env("DATABASE_URL", database_url)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "warn")
        .envs(env.iter().copied())
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("start the binary");
    let server = Server(child);
    for _ in 0..400 {
        if reqwest::get(format!("http://127.0.0.1:{port}/health")).await.is_ok() {
            return server;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the server did not start");
}

/// A database nobody else uses: a new SQLite file, or a new PostgreSQL database on the server named
/// by `TEST_POSTGRES_URL` (the test command starts a throwaway one).
pub async fn fresh_database(backend: Backend) -> String {
    let name = format!("t{}", uuid_like());
    match backend {
        Backend::Sqlite => {
            let dir = std::env::temp_dir().join("inclusion-survey-tests");
            std::fs::create_dir_all(&dir).unwrap();
            format!("sqlite:{}", dir.join(format!("{name}.sqlite3")).display())
        }
        Backend::Postgres => {
            let base = std::env::var("TEST_POSTGRES_URL")
                .expect("TEST_POSTGRES_URL is not set: run the tests with scripts/test.sh, which starts PostgreSQL");
            let mut conn = sqlx::PgConnection::connect(&base).await.expect("connect to TEST_POSTGRES_URL");
            sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.unwrap();
            let (server, _) = base.rsplit_once('/').expect("TEST_POSTGRES_URL ends with /DATABASE");
            format!("{server}/{name}")
        }
    }
}

fn uuid_like() -> String {
    use rand::Rng;
    let mut rng = rand::rng();
    (0..16).map(|_| format!("{:x}", rng.random_range(0..16u8))).collect()
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    let url = fresh_database(backend).await;
    spawn_app_on(Config::for_database(url)).await
}

pub async fn spawn_app_on(config: Config) -> TestApp {
    let url = config.database_url.clone();
    let state = app::prepare(config).await.expect("app starts");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { app::run(listener, state, std::future::pending()).await.unwrap() });
    TestApp { address, db: Db::connect(&url, 2).await.unwrap(), client: browser(), database_url: url }
}

/// A client that keeps cookies like a browser but shows redirects to the test.
pub fn browser() -> Client {
    Client::builder().cookie_store(true).redirect(redirect::Policy::none()).build().unwrap()
}

pub struct Page {
    pub status: StatusCode,
    pub location: Option<String>,
    pub body: String,
    pub headers: reqwest::header::HeaderMap,
}

impl Page {
    /// Whether the page does not hold `needle`. A page that is missing or broke lacks everything,
    /// so this fails on a 404 or a server error rather than pass: check the status of an error page
    /// you mean to read.
    pub fn lacks(&self, needle: &str) -> bool {
        assert!(
            self.status != StatusCode::NOT_FOUND && !self.status.is_server_error(),
            "a {} page lacks everything: {}",
            self.status,
            self.body
        );
        !self.body.contains(needle)
    }

    pub fn redirected_to(&self, path: &str) -> bool {
        self.status == StatusCode::SEE_OTHER && self.location.as_deref() == Some(path)
    }

    #[track_caller]
    pub fn assert_redirect(&self, path: &str) {
        assert!(self.redirected_to(path), "expected 303 to {path}, got {} {:?}", self.status, self.location);
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub fn survey_path(&self, rest: &str) -> String {
        format!("/s/{SLUG}{rest}")
    }

    async fn page(response: reqwest::Response) -> Page {
        Page {
            status: response.status(),
            location: response.headers().get(LOCATION).map(|v| v.to_str().unwrap().to_owned()),
            headers: response.headers().clone(),
            body: response.text().await.unwrap(),
        }
    }

    /// A GET, tried once more if the kept-alive connection it went on turns out closed (the server
    /// closes one after refusing an oversized body unread), as browsers do for a GET.
    pub async fn get(&self, path: &str) -> Page {
        let response = match self.client.get(self.url(path)).send().await {
            Ok(response) => response,
            Err(e) if e.is_request() => self.client.get(self.url(path)).send().await.unwrap(),
            Err(e) => panic!("GET {path}: {e}"),
        };
        Self::page(response).await
    }

    /// A download's bytes (a zip, say), after checking it came.
    pub async fn get_bytes(&self, path: &str) -> Vec<u8> {
        let response = self.client.get(self.url(path)).send().await.unwrap();
        assert_eq!(response.status(), reqwest::StatusCode::OK, "{path}");
        response.bytes().await.unwrap().to_vec()
    }

    /// Posts form fields as a browser does.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let body = serde_urlencoded(fields);
        self.post_raw(path, "application/x-www-form-urlencoded", body.into_bytes()).await
    }

    pub async fn post_raw(&self, path: &str, content_type: &str, body: Vec<u8>) -> Page {
        let response =
            self.client.post(self.url(path)).header(CONTENT_TYPE, content_type).body(body).send().await.unwrap();
        Self::page(response).await
    }

    pub async fn start(&self) -> Page {
        let page = self.post(&self.survey_path("/start"), &[]).await;
        page.assert_redirect(&self.survey_path("/q/used_online"));
        page
    }

    pub async fn answer(&self, question: &str, fields: &[(&str, &str)]) -> Page {
        self.post(&self.survey_path(&format!("/q/{question}")), fields).await
    }

    /// Answers with one value per question, following the redirects; stops at the check page.
    pub async fn answer_all(&self, answers: &[(&str, &[&str])]) {
        for (question, values) in answers {
            let fields: Vec<(&str, &str)> = values.iter().map(|v| ("answer", *v)).collect();
            let page = self.answer(question, &fields).await;
            assert_eq!(page.status, StatusCode::SEE_OTHER, "{question}: {}", page.body);
        }
    }

    /// Leaves each of `questions` unanswered (none of them is required).
    pub async fn skip(&self, questions: &[&str]) {
        for question in questions {
            self.answer(question, &[]).await;
        }
    }

    /// Leaves the built-in survey's questions after the first ones unanswered, through to the
    /// check page when `comments` too: how most tests get past the questions they are not about.
    pub async fn skip_the_rest(&self, comments: bool) {
        let (questions, last) = THE_REST.split_at(THE_REST.len() - 1);
        self.skip(questions).await;
        if comments {
            self.skip(last).await;
        }
    }

    pub async fn submit(&self) -> Page {
        self.post(&self.survey_path("/submit"), &[]).await
    }

    /// Another browser on the same app: its own cookies.
    pub fn another_browser(&self) -> TestApp {
        TestApp {
            address: self.address.clone(),
            db: self.db.clone(),
            client: browser(),
            database_url: self.database_url.clone(),
        }
    }

    /// Creates a staff account directly, as `inclusion-survey admin create` does.
    pub async fn create_staff(&self, email: &str, roles: &[Role]) -> i64 {
        let new = account::NewStaff {
            email: email.to_owned(),
            name: format!("Test {}", email.split('@').next().unwrap()),
            roles: roles.iter().copied().collect(),
            password_hash: account::hash_password(PASSWORD.to_owned()).await.unwrap(),
        };
        match account::create(&self.db, None, new).await.unwrap() {
            account::Created::Id(id) => id,
            account::Created::EmailTaken => panic!("{email} exists"),
        }
    }

    /// The CSRF token from a staff page's forms.
    pub async fn csrf(&self, path: &str) -> String {
        let page = self.get(path).await;
        let marker = "name=\"csrf\" value=\"";
        let start = page.body.find(marker).unwrap_or_else(|| panic!("no csrf on {path}: {}", page.body)) + marker.len();
        page.body[start..start + 64].to_owned()
    }

    pub async fn sign_in_with(&self, email: &str, password: &str) -> Page {
        let csrf = self.csrf("/staff/login").await;
        self.post("/staff/login", &[("csrf", &csrf), ("email", email), ("password", password), ("next", "/staff")])
            .await
    }

    pub async fn sign_in(&self, email: &str) {
        self.sign_in_with(email, PASSWORD).await.assert_redirect("/staff");
    }

    /// Another browser, signed in as a new member of staff with these roles.
    pub async fn signed_in_as(&self, email: &str, roles: &[Role]) -> TestApp {
        self.create_staff(email, roles).await;
        self.browser_signed_in(email).await
    }

    /// Another browser, signed in to an account that exists.
    pub async fn browser_signed_in(&self, email: &str) -> TestApp {
        let browser = self.another_browser();
        browser.sign_in(email).await;
        browser
    }

    /// Posts a staff form with this session's CSRF token added.
    pub async fn staff_post(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let csrf = self.csrf("/staff").await;
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post(path, &all).await
    }

    /// Uploads a file through a staff form (field `file`), as a browser would.
    pub async fn upload(&self, path: &str, name: &str, bytes: Vec<u8>) -> Page {
        let csrf = self.csrf("/staff").await;
        let form = reqwest::multipart::Form::new()
            .text("csrf", csrf)
            .part("file", reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()));
        Self::page(self.client.post(self.url(path)).multipart(form).send().await.unwrap()).await
    }

    /// The reference on the confirmation page (shown on its first visit only).
    pub async fn done_reference(&self) -> String {
        let done = self.get(&self.survey_path("/done")).await;
        reference_in(&done.body)
    }

    /// Runs the real binary's command line against this app's database.
    pub fn cli(&self, args: &[&str]) -> std::process::Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_inclusion-survey"))
            .args(args)
            .env("DATABASE_URL", &self.database_url)
            .env("RUST_LOG", "warn")
            .output()
            .unwrap()
    }

    pub async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sql).fetch_one(&self.db.read).await.unwrap()
    }

    /// The dashboard's running totals agree with counting the responses themselves, and counting
    /// everything again from scratch changes nothing.
    pub async fn assert_totals_match(&self) {
        self.assert_totals_match_for(SLUG).await
    }

    /// The same for the survey `slug`.
    pub async fn assert_totals_match_for(&self, slug: &str) {
        let catalogue = Catalogue::default();
        // Every table of totals (by cell too) as a recount makes it.
        assert_eq!(tally::check(&self.db, &catalogue, |_| {}).await.unwrap(), Vec::new());
        let version = catalogue.current(&self.db, slug).await.unwrap().unwrap();
        let counted = |filters: Filters| {
            let (version, catalogue) = (&version, &catalogue);
            async move {
                let summary = summarise(&self.db, catalogue, version, &filters).await.unwrap();
                (summary, profile(&self.db, version.survey_id, &filters).await.unwrap())
            }
        };
        // Not a whole day, so counted from the responses rather than the totals.
        let from_responses = |filters: Filters| Filters { from: Some(1), ..filters };
        let everyone = counted(from_responses(Filters::default())).await;
        assert!(everyone.0.respondents > 0, "nothing to compare");
        assert_eq!(counted(Filters::default()).await, everyone);
        // Each about-you answer, from the totals kept by group, and cross-tabs by each group.
        let groups: Vec<Filters> = version
            .survey
            .about_you()
            .filter(|q| ABOUT_YOU_FILTERS.contains(&q.id.as_str()))
            .flat_map(|q| {
                q.options.iter().map(|o| Filters { answers: vec![(q.id.clone(), o.id.clone())], ..Filters::default() })
            })
            .collect();
        for filters in &groups {
            assert_eq!(counted(filters.clone()).await, counted(from_responses(filters.clone())).await, "{filters:?}");
        }
        let crosstabs = |filters: Filters| {
            let (version, catalogue) = (&version, &catalogue);
            async move {
                let mut all = Vec::new();
                for q in version.survey.questions().iter().filter(|q| q.kind.is_choice()) {
                    for (by, _) in breakdowns(&version.survey) {
                        let columns =
                            crosstab(&self.db, catalogue, version, &filters, &q.id, &by).await.unwrap().unwrap();
                        all.push((
                            q.id.clone(),
                            by,
                            columns.into_iter().map(|c| (c.label, c.summary)).collect::<Vec<_>>(),
                        ));
                    }
                }
                all
            }
        };
        let by_group = crosstabs(Filters::default()).await;
        assert_eq!(by_group, crosstabs(from_responses(Filters::default())).await);
        tally::rebuild(&self.db, &catalogue, |_| {}).await.unwrap();
        assert_eq!(counted(Filters::default()).await, everyone);
        assert_eq!(crosstabs(Filters::default()).await, by_group);
    }

    /// Starts an import run of the built-in survey and stores one of its rows, hidden as a run's
    /// rows are until it finishes, with its count waiting beside it: what an import under way
    /// (or one whose process died) leaves. Returns the run.
    pub async fn import_under_way(&self, reference: &str) -> inclusion_survey::export::import::run::Run {
        let survey: i64 = self.count(&format!("SELECT id FROM survey WHERE slug = '{SLUG}'")).await;
        let run = inclusion_survey::export::import::run::Run::begin(&self.db, survey, None).await.unwrap().unwrap();
        let response: i64 = sqlx::query_scalar(
            "INSERT INTO response (reference, survey_id, survey_version_id, channel, submitted_at, day, import_id) \
             SELECT $1, s.id, s.current_version_id, 'paper', $2, 0, $3 FROM survey s WHERE s.id = $4 RETURNING id",
        )
        .bind(reference)
        .bind(inclusion_survey::db::now())
        .bind(run.id)
        .bind(survey)
        .fetch_one(&self.db.write)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO import_tally (import_id, about_question, about_option, survey_version_id, day, channel, location_id, question_id, option_id, n) \
             SELECT $2, '', '', survey_version_id, 0, 'paper', 0, '', '', 1 FROM response WHERE id = $1",
        )
        .bind(response)
        .bind(run.id)
        .execute(&self.db.write)
        .await
        .unwrap();
        run
    }

    /// Every draft's saved progress, to show that a refused post changed nothing.
    pub async fn drafts(&self) -> Vec<String> {
        sqlx::query_scalar("SELECT progress FROM draft ORDER BY token_hash").fetch_all(&self.db.read).await.unwrap()
    }
}

impl TestApp {
    /// Imports responses typed up from paper through the import form (as an admin), each row a
    /// column name to its value; the rest of each row empty, the reference, version, channel
    /// (phone) and time (three days ago) filled in where not given.
    pub async fn import_rows(&self, rows: &[Vec<(&str, String)>]) {
        let header = self.get("/staff/surveys/digital-inclusion/export/responses.csv?bom=0").await.body;
        let header: Vec<String> =
            csv::Reader::from_reader(header.as_bytes()).headers().unwrap().iter().map(str::to_owned).collect();
        let typed_up = (time::OffsetDateTime::now_utc() - time::Duration::days(3)).replace_nanosecond(0).unwrap();
        let typed_up = typed_up.format(&time::format_description::well_known::Rfc3339).unwrap();
        let mut out = csv::Writer::from_writer(Vec::new());
        out.write_record(&header).unwrap();
        for (i, row) in rows.iter().enumerate() {
            let value = |h: &str| match row.iter().find(|(column, _)| *column == h) {
                Some((_, v)) => v.clone(),
                None => match h {
                    "reference" => reference_for(10_000 + i),
                    "submitted_at" => typed_up.clone(),
                    "survey_version" => "1".into(),
                    "channel" => "phone".into(),
                    _ => String::new(),
                },
            };
            out.write_record(header.iter().map(|h| value(h))).unwrap();
        }
        let csv = String::from_utf8(out.into_inner().unwrap()).unwrap();
        let page = self.upload("/staff/surveys/digital-inclusion/import", "responses.csv", csv.into_bytes()).await;
        assert!(page.body.contains(&format!("Imported {} responses", rows.len())), "{}", page.body);
    }
}

/// The `i`th of a run of distinct, well-formed references, for rows typed up and imported.
pub fn reference_for(i: usize) -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    (0..8).map(|d| ALPHABET[(i / 31usize.pow(d)) % 31] as char).rev().collect()
}

/// The draft revision a staff page's forms post with.
pub fn revision_in(body: &str) -> String {
    body.split("name=\"revision\" value=\"").nth(1).expect("a revision field").split('"').next().unwrap().to_owned()
}

/// The reference (or return code) a page shows large.
pub fn reference_in(body: &str) -> String {
    let marker = "class=\"reference\">";
    let start = body.find(marker).unwrap_or_else(|| panic!("no reference: {body}")) + marker.len();
    let end = body[start..].find('<').unwrap() + start;
    body[start..end].to_owned()
}

fn serde_urlencoded(fields: &[(&str, &str)]) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (k, v) in fields {
        out.append_pair(k, v);
    }
    out.finish()
}

/// The app on a fresh PostgreSQL database; None, said once, when `TEST_POSTGRES_URL` is not set
/// (plain `cargo test`; `scripts/test.sh` always sets it, so CI runs every test on both).
pub async fn postgres_app() -> Option<TestApp> {
    if !postgres_is_set() {
        return None;
    }
    Some(spawn_app(Backend::Postgres).await)
}

/// Whether the PostgreSQL tests can run; says once when they cannot.
pub fn postgres_is_set() -> bool {
    static SAID: std::sync::Once = std::sync::Once::new();
    let set = std::env::var_os("TEST_POSTGRES_URL").is_some();
    if !set {
        SAID.call_once(|| {
            eprintln!(
                "TEST_POSTGRES_URL is not set: the PostgreSQL half of the tests is skipped (scripts/test.sh runs both)"
            )
        });
    }
    set
}

/// The figures (after the label) of the row labelled `label` in the table that follows `after` on `page`.
pub fn row<'a>(page: &'a str, after: &str, label: &str) -> Vec<&'a str> {
    let table = &page[page.find(after).unwrap_or_else(|| panic!("no {after}: {page}"))..];
    let start = table.find(&format!("<td>{label}</td>")).unwrap_or_else(|| panic!("no {label}"));
    let row = &table[start..table[start..].find("</tr>").unwrap() + start];
    row.split("<td").skip(2).map(|cell| &cell[cell.find('>').unwrap() + 1..cell.find("</td>").unwrap()]).collect()
}

/// One imported row: the Foundation tasks ticked (of the 8, in order; None for "None of these")
/// and when they last used the internet.
pub fn resident(tasks: Option<usize>, internet: &str) -> Vec<(&'static str, String)> {
    let mut row = vec![("used_online", "no".to_owned()), ("internet_use", internet.to_owned())];
    for (i, task) in inclusion_survey::survey::measures::EDS_FOUNDATION_TASKS.iter().enumerate() {
        let column: &'static str = Box::leak(format!("eds_foundation_2022:{task}").into_boxed_str());
        row.push((column, if tasks.is_some_and(|n| i < n) { "1" } else { "0" }.to_owned()));
    }
    row.push(("eds_foundation_2022:none", if tasks.is_none() { "1" } else { "0" }.to_owned()));
    row
}
