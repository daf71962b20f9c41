//! Acknowledged answers are never lost: a response whose confirmation was shown survives the server
//! being killed straight after, and a draft started on one instance continues on another.

use crate::common;

use common::{Backend, TestApp, start_binary};
use inclusion_survey::config::Config;
use std::time::Duration;

async fn sent_response_survives_a_kill(backend: Backend) {
    let url = common::fresh_database(backend).await;
    let (mut server, address) = start_binary(&url).await;
    let db = inclusion_survey::db::Db::connect(&url, 1).await.unwrap();
    let app = TestApp { address, db, client: common::browser(), database_url: url.clone() };
    app.start().await;
    app.answer("used_online", &[("answer", "yes")]).await;
    app.skip(&["use_again"]).await;
    app.skip_the_rest(true).await;
    app.submit().await.assert_redirect(&app.survey_path("/done"));
    let done = app.get(&app.survey_path("/done")).await;
    assert!(done.body.contains("your answers have been sent"));

    // SIGKILL: no graceful shutdown, no chance to flush anything.
    server.0.kill().unwrap();
    server.0.wait().unwrap();
    app.db.read.close().await;
    app.db.write.close().await;

    let reopened = inclusion_survey::db::Db::connect(&url, 1).await.unwrap();
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT a.question_id, a.option_id FROM answer a JOIN response r ON r.id = a.response_id")
            .fetch_all(&reopened.read)
            .await
            .unwrap();
    assert_eq!(rows, vec![("used_online".to_owned(), "yes".to_owned())]);
}

#[tokio::test]
async fn sqlite_sent_response_survives_a_kill() {
    sent_response_survives_a_kill(Backend::Sqlite).await;
}

#[tokio::test]
async fn postgres_sent_response_survives_a_kill() {
    if !common::postgres_is_set() {
        return;
    }
    sent_response_survives_a_kill(Backend::Postgres).await;
}

/// Two instances on one PostgreSQL database: nothing that matters lives in one process.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_instances_share_drafts() {
    if !common::postgres_is_set() {
        return;
    }
    let url = common::fresh_database(Backend::Postgres).await;
    let one = common::spawn_app_on(Config::for_database(url.clone())).await;
    let two = common::spawn_app_on(Config::for_database(url)).await;
    let browser = common::browser();
    let on = |app: &TestApp| TestApp { client: browser.clone(), ..app.another_browser() };

    on(&one).start().await;
    on(&two).answer("used_online", &[("answer", "no")]).await.assert_redirect("/s/digital-inclusion/q/why_not_online");
    let page = on(&one).get("/s/digital-inclusion/q/used_online").await;
    assert!(page.body.contains("value=\"no\" checked"), "instance one sees what instance two saved");
    assert_eq!(one.count("SELECT COUNT(*) FROM survey").await, 1, "the built-in survey is seeded once");

    // A member of staff signed in on one instance is signed in on the other.
    one.create_staff("admin@council.gov.uk", &[inclusion_survey::auth::account::Role::Admin]).await;
    on(&one).sign_in("admin@council.gov.uk").await;
    let home = on(&two).get("/staff").await;
    assert!(home.body.contains("Signed in as"), "{}", home.body);
}

/// Background jobs run on one instance at a time: two instances' turns at once on one PostgreSQL,
/// and one of them skips; a job run after the first finished runs again. On SQLite, one instance.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn background_jobs_run_on_one_instance_at_a_time() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let sqlite = common::fresh_database(Backend::Sqlite).await;
    let db = inclusion_survey::db::Db::connect(&sqlite, 1).await.unwrap();
    assert_eq!(db.alone("test job", async { 7 }).await.unwrap(), Some(7));
    if !common::postgres_is_set() {
        return;
    }
    let url = common::fresh_database(Backend::Postgres).await;
    let (one, two) = (
        inclusion_survey::db::Db::connect(&url, 2).await.unwrap(),
        inclusion_survey::db::Db::connect(&url, 2).await.unwrap(),
    );
    let running = AtomicUsize::new(0);
    let most = AtomicUsize::new(0);
    let job = || async {
        let now = running.fetch_add(1, Ordering::SeqCst) + 1;
        most.fetch_max(now, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(300)).await;
        running.fetch_sub(1, Ordering::SeqCst);
    };
    let (a, b) = tokio::join!(one.alone("test job", job()), two.alone("test job", job()));
    let ran = [a.unwrap(), b.unwrap()].iter().filter(|r| r.is_some()).count();
    assert_eq!((ran, most.load(Ordering::SeqCst)), (1, 1), "one ran, the other skipped its turn");
    // The lock is let go: the next turn runs, on either; another job is not held up by this one.
    assert!(two.alone("test job", async {}).await.unwrap().is_some());
    let (a, b) = tokio::join!(one.alone("test job", job()), two.alone("another job", async { 1 }));
    assert!(a.unwrap().is_some() && b.unwrap() == Some(1));
}
