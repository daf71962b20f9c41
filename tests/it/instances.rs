//! Several instances on one PostgreSQL behind nginx, as a council runs them: round-robin, so a
//! resident's and an officer's consecutive requests land on different instances; one instance
//! killed with SIGKILL under residents' load and started again, losing nothing acknowledged; and
//! PostgreSQL itself restarted under that load, which no resident notices.

use crate::common::{self, Backend, Server, TestApp, free_port, reference_in, start_binary_on};
use inclusion_survey::auth::account::Role;
use reqwest::StatusCode;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

/// nginx (Debian's package) in front of the instances, in a folder of its own; stopped when dropped.
struct Nginx {
    child: std::process::Child,
    dir: PathBuf,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn nginx_binary() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|dir| dir.join("nginx"));
    on_path.chain([PathBuf::from("/usr/sbin/nginx")]).find(|p| p.is_file())
}

/// nginx on `port`, sending requests to the instances on `upstreams` in turn. The settings that
/// matter are the README's: the client's address passed on, for `TRUSTED_PROXIES`.
async fn start_nginx(port: u16, upstreams: &[u16]) -> Nginx {
    let binary = nginx_binary().expect("nginx is installed by scripts/setup.sh --tests");
    let dir = std::env::temp_dir().join(format!("inclusion-survey-nginx-{port}"));
    std::fs::create_dir_all(&dir).unwrap();
    // Its worker may run as another user: it writes its buffers here.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
    let d = dir.display();
    let servers: String =
        upstreams.iter().map(|p| format!("server 127.0.0.1:{p} max_fails=1 fail_timeout=1s; ")).collect();
    let conf = format!(
        // One process (no master and workers), so that stopping it leaves nothing behind.
        "master_process off; daemon off; pid {d}/nginx.pid; error_log {d}/error.log warn;
         events {{ worker_connections 1024; }}
         http {{
           access_log off;
           client_body_temp_path {d}/body; proxy_temp_path {d}/proxy; fastcgi_temp_path {d}/fastcgi;
           uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi;
           upstream app {{ {servers} }}
           server {{
             listen 127.0.0.1:{port};
             location / {{
               proxy_pass http://app;
               proxy_set_header Host $http_host;
               proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
             }}
           }}
         }}"
    );
    std::fs::write(dir.join("nginx.conf"), conf).unwrap();
    let child = std::process::Command::new(binary)
        .args(["-e", &format!("{d}/error.log"), "-p", &d.to_string(), "-c", &format!("{d}/nginx.conf")])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start nginx");
    let nginx = Nginx { child, dir };
    for _ in 0..200 {
        if reqwest::get(format!("http://127.0.0.1:{port}/health")).await.is_ok_and(|r| r.status().is_success()) {
            return nginx;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("nginx did not start: {}", std::fs::read_to_string(nginx.dir.join("error.log")).unwrap_or_default());
}

/// Three instances on one fresh PostgreSQL database behind nginx: the instances (with their
/// ports), nginx, and a browser on nginx. None when PostgreSQL is not set.
async fn three_behind_nginx(env: &[(&str, &str)]) -> Option<(Vec<(Server, u16)>, Nginx, TestApp, String)> {
    if !common::postgres_is_set() {
        return None;
    }
    let url = common::fresh_database(Backend::Postgres).await;
    let (instances, nginx, app) = three_behind_nginx_on(&url, env).await;
    Some((instances, nginx, app, url))
}

/// Three instances on the database at `url` behind nginx.
async fn three_behind_nginx_on(url: &str, env: &[(&str, &str)]) -> (Vec<(Server, u16)>, Nginx, TestApp) {
    let mut instances = Vec::new();
    for _ in 0..3 {
        let port = free_port();
        instances.push((start_binary_on(url, port, env).await, port));
    }
    let port = free_port();
    let nginx = start_nginx(port, &instances.iter().map(|(_, p)| *p).collect::<Vec<_>>()).await;
    (instances, nginx, on_nginx(port, url).await)
}

/// A browser on nginx at `port`, and the database at `url` for looking.
async fn on_nginx(port: u16, url: &str) -> TestApp {
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        db: inclusion_survey::db::Db::connect(url, 2).await.unwrap(),
        client: common::browser(),
        database_url: url.to_owned(),
    }
}

/// Each instance trusts nginx for the client's address.
const BEHIND_NGINX: &[(&str, &str)] = &[("TRUSTED_PROXIES", "127.0.0.1")];
/// And, for a load test whose residents all come from one address, without a limit per address.
const UNDER_LOAD: &[(&str, &str)] = &[("TRUSTED_PROXIES", "127.0.0.1"), ("RESIDENT_WRITES_PER_MINUTE", "0")];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_instances_behind_nginx_are_one_service() {
    let Some((_instances, _nginx, app, _)) = three_behind_nginx(BEHIND_NGINX).await else { return };
    // A resident's requests go round the three: the draft follows them, the answer is sent once.
    let resident = app.another_browser();
    resident.start().await;
    resident.answer("used_online", &[("answer", "no")]).await.assert_redirect("/s/digital-inclusion/q/why_not_online");
    for _ in 0..3 {
        let page = resident.get("/s/digital-inclusion/q/used_online").await;
        assert!(page.body.contains("value=\"no\" checked"), "every instance sees the draft");
    }
    resident.skip(&["why_not_online"]).await;
    resident.skip_the_rest(true).await;
    resident.submit().await.assert_redirect("/s/digital-inclusion/done");
    let reference = resident.done_reference().await;
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM response WHERE reference = '{reference}'")).await, 1);

    // Saved on one instance, opened on another with the code.
    let library = app.another_browser();
    library.start().await;
    let saved = library.answer("used_online", &[("answer", "yes"), ("save", "later")]).await;
    let code = reference_in(&saved.body);
    let home = app.another_browser();
    let opened = home.post("/s/digital-inclusion/return", &[("code", &code)]).await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);

    // Staff: signed in on one, signed in on all; a form's token from one is good on the next.
    app.create_staff("admin@council.gov.uk", &[Role::Admin]).await;
    let admin = app.another_browser();
    admin.sign_in("admin@council.gov.uk").await;
    for _ in 0..3 {
        assert!(admin.get("/staff").await.body.contains("Signed in as"));
    }
    let closed = admin.staff_post("/staff/surveys/digital-inclusion/status", &[("status", "closed")]).await;
    closed.assert_redirect("/staff/surveys/digital-inclusion/manage?done=status");
    let closed = app.count("SELECT COUNT(*) FROM survey WHERE slug = 'digital-inclusion' AND status = 'closed'").await;
    assert_eq!(closed, 1);

    // Wrong passwords are counted across the instances: the sixth is refused whichever answers it.
    app.create_staff("officer@council.gov.uk", &[Role::Officer]).await;
    let guesser = app.another_browser();
    for _ in 0..5 {
        let page = guesser.sign_in_with("officer@council.gov.uk", "wrong password here").await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    assert_eq!(
        guesser.sign_in_with("officer@council.gov.uk", common::PASSWORD).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
}

/// One step of a resident's survey, sent until an instance answers it (at most 20 tries, 100 ms
/// apart), as a person presses the button again after an error page. Returns the page and how many
/// tries failed first.
async fn until_answered(
    resident: &TestApp,
    method: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> (common::Page, usize) {
    for failed in 0..20 {
        let request = match method {
            "GET" => resident.client.get(resident.url(path)),
            _ => resident.client.post(resident.url(path)).form(fields),
        };
        match request.send().await {
            Ok(response) if !response.status().is_server_error() => {
                let page = common::Page {
                    status: response.status(),
                    location: response.headers().get("location").map(|v| v.to_str().unwrap().to_owned()),
                    headers: response.headers().clone(),
                    body: response.text().await.unwrap_or_default(),
                };
                return (page, failed);
            }
            failed_with => {
                eprintln!("{method} {path} failed ({:?}): sent again", failed_with.map(|r| r.status()));
                tokio::time::sleep(Duration::from_millis(100)).await
            }
        }
    }
    panic!("{method} {path}: no instance answered in 20 tries");
}

/// What residents saw while an instance was killed and started again.
#[derive(Default)]
struct Tally {
    acknowledged: std::sync::Mutex<Vec<String>>,
    retried: AtomicUsize,
}

/// A resident answering whole surveys until `stop`: each sent one's reference, as the page
/// acknowledging it shows it.
async fn resident_until(app: &TestApp, stop: &AtomicBool, tally: &Tally) {
    while !stop.load(Ordering::Relaxed) {
        let resident = app.another_browser();
        let mut steps: Vec<(&str, String, &[(&str, &str)])> = vec![
            ("POST", "/s/digital-inclusion/start".into(), &[]),
            ("POST", "/s/digital-inclusion/q/used_online".into(), &[("answer", "no")]),
            ("GET", "/s/digital-inclusion/q/why_not_online".into(), &[]),
            ("POST", "/s/digital-inclusion/q/why_not_online".into(), &[("answer", "cost")]),
        ];
        // The rest left unanswered, as most tests do, then sent from the check page.
        for question in common::THE_REST {
            steps.push(("POST", format!("/s/digital-inclusion/q/{question}"), &[]));
        }
        steps.push(("GET", "/s/digital-inclusion/check".into(), &[]));
        steps.push(("POST", "/s/digital-inclusion/submit".into(), &[]));
        for (method, path, fields) in steps {
            let path = path.as_str();
            let (page, failed) = until_answered(&resident, method, path, fields).await;
            tally.retried.fetch_add(failed.min(1), Ordering::Relaxed);
            let expected = if method == "GET" { StatusCode::OK } else { StatusCode::SEE_OTHER };
            assert_eq!(page.status, expected, "{method} {path}: {}", page.body);
        }
        let (done, failed) = until_answered(&resident, "GET", "/s/digital-inclusion/done", &[]).await;
        tally.retried.fetch_add(failed.min(1), Ordering::Relaxed);
        tally.acknowledged.lock().unwrap().push(common::reference_in(&done.body));
    }
}

/// What 8 residents saw when `event` happened 2 s into their load through nginx, 2 s before they
/// stopped: every acknowledged response is stored once, and the totals equal a recount. Returns
/// how many steps failed and were sent again by the resident.
async fn under_load(app: TestApp, what: &str, event: impl Future<Output = ()>) -> usize {
    let stop = Arc::new(AtomicBool::new(false));
    let tally = Arc::new(Tally::default());
    let app = Arc::new(app);
    let residents: Vec<_> = (0..8)
        .map(|_| {
            let (app, stop, tally) = (app.clone(), stop.clone(), tally.clone());
            tokio::spawn(async move { resident_until(&app, &stop, &tally).await })
        })
        .collect();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let before = tally.acknowledged.lock().unwrap().len();
    event.await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    stop.store(true, Ordering::Relaxed);
    for r in residents {
        r.await.unwrap();
    }
    let acknowledged = tally.acknowledged.lock().unwrap().clone();
    // Looked at afresh: the test's own connections may not have lived through the event.
    let app = on_nginx(0, &app.database_url).await;
    let stored: Vec<String> =
        sqlx::query_scalar("SELECT reference FROM response").fetch_all(&app.db.read).await.unwrap();
    let lost = acknowledged.iter().filter(|r| !stored.contains(r)).count();
    let retried = tally.retried.load(Ordering::Relaxed);
    println!(
        "three instances behind nginx, {what}: acknowledged {}, lost {lost}, failed then retried {retried} ({before} before)",
        acknowledged.len()
    );
    assert_eq!(lost, 0);
    assert!(acknowledged.len() > before, "residents carried on after it");
    assert_eq!(stored.len(), acknowledged.len(), "each acknowledged once, nothing unacknowledged stored");
    app.assert_totals_match().await;
    retried
}

/// Under residents' load through nginx, one instance is killed with SIGKILL and started again on
/// its port: a resident whose request was on the killed instance gets through by sending it again
/// (a sent draft is sent once, however often its button is pressed).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_instance_killed_under_load_loses_nothing() {
    let Some((mut instances, _nginx, app, url)) = three_behind_nginx(UNDER_LOAD).await else { return };
    let kill_and_start = async {
        let (killed, port) = &mut instances[1];
        killed.0.kill().unwrap();
        killed.0.wait().unwrap();
        tokio::time::sleep(Duration::from_secs(2)).await;
        let port = *port;
        instances[1] = (start_binary_on(&url, port, UNDER_LOAD).await, port);
    };
    under_load(app, "one killed and started again", kill_and_start).await;
}

/// A PostgreSQL server of the test's own (`scripts/postgres.sh`), which it can restart without
/// disturbing the tests on the shared one; stopped and removed when dropped.
struct OwnPostgres {
    dir: String,
    url: String,
}

impl OwnPostgres {
    fn script(args: &[&str]) -> String {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/postgres.sh");
        let out = std::process::Command::new("bash").arg(script).args(args).output().expect("run postgres.sh");
        assert!(out.status.success(), "postgres.sh {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }

    fn start() -> OwnPostgres {
        let out = Self::script(&[]);
        let field = |name: &str| out.lines().find_map(|l| l.strip_prefix(name)).unwrap().to_owned();
        OwnPostgres { dir: field("DIR="), url: field("URL=") }
    }

    /// A fast shutdown (every session ended) and a start on the same port, as for a patch.
    async fn restart(&self) {
        let dir = self.dir.clone();
        tokio::task::spawn_blocking(move || Self::script(&["restart", &dir])).await.unwrap();
    }
}

impl Drop for OwnPostgres {
    fn drop(&mut self) {
        Self::script(&["stop", &self.dir]);
    }
}

/// PostgreSQL restarted under residents' load through nginx: the instances run again the requests
/// that lost their connection, so no resident sees an error page and nothing acknowledged is lost.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_restart_under_load_shows_residents_no_error() {
    if !common::postgres_is_set() {
        return;
    }
    let postgres = OwnPostgres::start();
    let (_instances, _nginx, app) = three_behind_nginx_on(&postgres.url, UNDER_LOAD).await;
    let retried = under_load(app, "PostgreSQL restarted", postgres.restart()).await;
    assert_eq!(retried, 0, "no resident had to send anything again");
}

/// The flood limit on residents' posts counts across the instances: with 2 a minute (a first
/// burst of 4), the fifth start from one address is refused whichever instance it reaches.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_flood_limit_counts_across_instances() {
    let limited = [("TRUSTED_PROXIES", "127.0.0.1"), ("RESIDENT_WRITES_PER_MINUTE", "2")];
    let Some((_instances, _nginx, app, _)) = three_behind_nginx(&limited).await else { return };
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(app.another_browser().post("/s/digital-inclusion/start", &[]).await.status);
    }
    let allowed = statuses.iter().filter(|s| **s == StatusCode::SEE_OTHER).count();
    assert_eq!(allowed, 4, "{statuses:?}");
    assert_eq!(statuses[4..], [StatusCode::TOO_MANY_REQUESTS; 2]);
    // Reading is never limited.
    assert_eq!(app.get("/s/digital-inclusion").await.status, StatusCode::OK);
}
