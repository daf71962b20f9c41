//! Residents save and come back on any device with a return code; a shared computer gives nothing
//! away; officers continue saved answers; officers' entries stay authorised until they are sent.
//! Throttled lookups are tested with real concurrent requests.

use crate::common;
use it_macros::both_backends;

use common::{PASSWORD, TestApp, reference_in};
use inclusion_survey::auth::account::Role;
use inclusion_survey::config::Config;
use reqwest::StatusCode;

const NOT_FOUND: &str = "We could not find saved answers for that code";

/// Answers the first three questions, then saves on the fourth; returns the return code.
async fn answer_three_and_save(resident: &TestApp) -> String {
    resident.start().await;
    resident
        .answer_all(&[
            ("used_online", &["no"]),
            ("why_not_online", &["cost"]),
            ("internet_use", &["longer_ago"]),
            ("go_online_how", &["none"]),
        ])
        .await;
    let saved = resident.answer("confidence_online", &[("answer", "3"), ("save", "later")]).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert!(saved.body.contains("Your answers are saved") && saved.body.contains("It works until"), "{}", saved.body);
    let code = reference_in(&saved.body);
    assert_eq!(code.len(), 9, "grouped like KDP7-4XRM: {code}");
    let address = format!("{}/s/digital-inclusion/return</a>", resident.address);
    assert!(saved.body.contains(&address), "the whole address to type on another device: {}", saved.body);
    code
}

#[both_backends]
async fn a_resident_saves_and_finishes_on_another_device(app: TestApp) {
    let library = app.another_browser();
    let code = answer_three_and_save(&library).await;

    // The library computer gives nothing away: a fresh start, and no way back into the draft.
    let start = library.get("/s/digital-inclusion").await;
    assert!(start.body.contains("Start now") && start.lacks("Continue where you left off"), "{}", start.body);
    library.get("/s/digital-inclusion/q/help_wanted").await.assert_redirect("/s/digital-inclusion");
    let code_hash: String =
        sqlx::query_scalar("SELECT return_code_hash FROM draft").fetch_one(&app.db.read).await.unwrap();
    assert!(!code_hash.contains(&code[..4]), "only a hash of the code is kept");

    // At home, typed in lower case with a space: straight to the first question not yet answered.
    let home = app.another_browser();
    assert!(home.get("/s/digital-inclusion").await.body.contains("href=\"/s/digital-inclusion/return\""));
    let typed = code.to_lowercase().replace('-', " ");
    home.post("/s/digital-inclusion/return", &[("code", &typed)])
        .await
        .assert_redirect("/s/digital-inclusion/q/eds_foundation_2022?resumed=1");
    let welcome = home.get("/s/digital-inclusion/q/eds_foundation_2022?resumed=1").await;
    assert!(welcome.body.contains("Welcome back") && welcome.body.contains("Not you? Start again"));
    for q in ["eds_foundation_2022", "help_wanted", "age_band", "ward", "disability", "comments"] {
        home.answer(q, &[]).await;
    }
    let check = home.get("/s/digital-inclusion/check").await;
    assert!(
        check.body.contains("The internet or mobile data costs too much"),
        "answers from the library are kept: {}",
        check.body
    );
    home.submit().await.assert_redirect("/s/digital-inclusion/done");
    let (confidence, channel): (String, String) =
        sqlx::query_as("SELECT a.option_id, r.channel FROM answer a JOIN response r ON r.id = a.response_id WHERE a.question_id = 'confidence_online'")
            .fetch_one(&app.db.read)
            .await
            .unwrap();
    assert_eq!(
        (confidence.as_str(), channel.as_str()),
        ("3", "web"),
        "the answer on the page where they saved was kept"
    );

    // A sent draft's code opens nothing, with the same answer as a code that never existed.
    let later = app.another_browser();
    let sent = later.post("/s/digital-inclusion/return", &[("code", &code)]).await;
    assert_eq!(sent.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(sent.body.contains(NOT_FOUND));
    let unknown = later.post("/s/digital-inclusion/return", &[("code", "ABCD-EFGH")]).await;
    assert_eq!(unknown.body.replace("ABCD-EFGH", &code), sent.body, "unknown and sent codes look alike");
}

#[both_backends]
async fn a_code_opens_the_draft_in_one_browser_at_a_time(app: TestApp) {
    let first = app.another_browser();
    let code = answer_three_and_save(&first).await;
    let a = app.another_browser();
    a.post("/s/digital-inclusion/return", &[("code", &code)]).await;
    assert_eq!(a.get("/s/digital-inclusion/q/help_wanted").await.status, StatusCode::OK);
    let b = app.another_browser();
    b.post("/s/digital-inclusion/return", &[("code", &code)]).await;
    assert_eq!(b.get("/s/digital-inclusion/q/help_wanted").await.status, StatusCode::OK);
    a.get("/s/digital-inclusion/q/help_wanted").await.assert_redirect("/s/digital-inclusion");

    // "Not you? Start again" throws the saved draft away, code and all.
    b.post("/s/digital-inclusion/start", &[]).await.assert_redirect("/s/digital-inclusion/q/used_online");
    assert_eq!(app.count("SELECT COUNT(*) FROM draft WHERE return_code_hash IS NOT NULL").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM draft").await, 1, "only b's new draft");
    assert!(
        app.another_browser().post("/s/digital-inclusion/return", &[("code", &code)]).await.body.contains(NOT_FOUND)
    );
}

#[both_backends]
async fn codes_are_checked_and_expire_with_the_draft(app: TestApp) {
    let r = app.another_browser();
    let code = answer_three_and_save(&r).await;
    for (typed, message) in [
        ("", "Enter your return code"),
        ("KDP7", "8 letters and numbers"),
        ("KDP0-4XRM", "do not use the letters I, L or O"),
    ] {
        let page = r.post("/s/digital-inclusion/return", &[("code", typed)]).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{typed:?}");
        assert!(page.body.contains(message) && page.body.contains("There is a problem"), "{typed:?}: {}", page.body);
    }
    let hidden = r.post("/s/digital-inclusion/return", &[("code", "KDP7\u{0}4XRM")]).await;
    assert_eq!(hidden.status, StatusCode::BAD_REQUEST);
    assert!(hidden.body.contains("hidden control character"));
    let stray = r.post("/s/digital-inclusion/return", &[("code", &code), ("extra", "x")]).await;
    // Saving on a question left blank is not skipping it: they come back to it.
    let blank = app.another_browser();
    blank.start().await;
    blank
        .answer_all(&[
            ("used_online", &["no"]),
            ("why_not_online", &["cost"]),
            ("internet_use", &["longer_ago"]),
            ("go_online_how", &["none"]),
        ])
        .await;
    let saved = blank.answer("confidence_online", &[("save", "later")]).await;
    let again = app.another_browser();
    let opened = again.post("/s/digital-inclusion/return", &[("code", &reference_in(&saved.body))]).await;
    opened.assert_redirect("/s/digital-inclusion/q/confidence_online?resumed=1");
    assert_eq!(stray.status, StatusCode::BAD_REQUEST);

    sqlx::query("UPDATE draft SET expires_at = 1").execute(&app.db.write).await.unwrap();
    assert!(
        r.post("/s/digital-inclusion/return", &[("code", &code)]).await.body.contains(NOT_FOUND),
        "expired with the draft"
    );
}

/// Return codes are stored as a keyed hash: a copy of the database on a server without the key
/// (a stolen backup) cannot open a live draft, however many codes it tries; with the key it can.
/// A draft saved before codes were keyed still opens until it expires.
#[both_backends]
async fn a_copy_of_the_database_without_the_key_opens_no_draft(app: TestApp) {
    use sha2::{Digest, Sha256};
    let r = app.another_browser();
    let code = answer_three_and_save(&r).await;
    let stored: String = sqlx::query_scalar("SELECT return_code_hash FROM draft WHERE return_code_hash IS NOT NULL")
        .fetch_one(&app.db.read)
        .await
        .unwrap();
    let plain: String = Sha256::digest(code.replace('-', "").as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    assert_ne!(stored, plain, "not a plain hash anyone can compute for every code");

    let elsewhere = |key: &str| {
        let mut config = Config::for_database(app.database_url.clone());
        config.server_key = Some(key.to_owned());
        common::spawn_app_on(config)
    };
    let thief = elsewhere(&"ab".repeat(32)).await;
    assert!(
        thief.post("/s/digital-inclusion/return", &[("code", &code)]).await.body.contains(NOT_FOUND),
        "another key opens nothing"
    );

    // The key this database was given at first start (beside the SQLite file, or in PostgreSQL).
    let same = common::spawn_app_on(Config::for_database(app.database_url.clone())).await;
    same.post("/s/digital-inclusion/return", &[("code", &code)])
        .await
        .assert_redirect("/s/digital-inclusion/q/eds_foundation_2022?resumed=1");

    // Saved before the upgrade: its plain hash still finds it, until it expires.
    let older = app.another_browser();
    let old_code = answer_three_and_save(&older).await;
    let old_plain: String =
        Sha256::digest(old_code.replace('-', "").as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    let keyed: String = sqlx::query_scalar(
        "SELECT return_code_hash FROM draft WHERE return_code_hash IS NOT NULL AND return_code_hash <> $1",
    )
    .bind(&stored)
    .fetch_one(&app.db.read)
    .await
    .unwrap();
    sqlx::query("UPDATE draft SET return_code_hash = $1 WHERE return_code_hash = $2")
        .bind(&old_plain)
        .bind(&keyed)
        .execute(&app.db.write)
        .await
        .unwrap();
    app.another_browser()
        .post("/s/digital-inclusion/return", &[("code", &old_code)])
        .await
        .assert_redirect("/s/digital-inclusion/q/eds_foundation_2022?resumed=1");
}

#[both_backends]
async fn code_lookups_are_throttled_per_address_even_at_once(app: TestApp) {
    let r = app.another_browser();
    let code = answer_three_and_save(&r).await;
    // Thirty wrong codes at once from one address: at most ten are looked up.
    let tries = (0..30).map(|_| {
        let r = app.another_browser();
        async move { r.post("/s/digital-inclusion/return", &[("code", "ABCD-EFGH")]).await.status }
    });
    let statuses = futures_join_all(tries).await;
    let looked_up = statuses.iter().filter(|s| **s == StatusCode::UNPROCESSABLE_ENTITY).count();
    let refused = statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
    assert_eq!(looked_up + refused, 30, "{statuses:?}");
    assert!(looked_up <= 10, "{looked_up} wrong codes were looked up");
    // The eleventh try is refused even with the right code, with a plain page.
    let right = r.post("/s/digital-inclusion/return", &[("code", &code)]).await;
    assert_eq!(right.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(right.body.contains("Too many attempts") && right.body.contains("<main"));
    // A right code does not count against the limit.
    sqlx::query("DELETE FROM attempt").execute(&app.db.write).await.unwrap();
    for _ in 0..12 {
        r.post("/s/digital-inclusion/return", &[("code", &code)])
            .await
            .assert_redirect("/s/digital-inclusion/q/eds_foundation_2022?resumed=1");
    }
}

async fn futures_join_all<F: std::future::Future<Output = StatusCode> + Send + 'static>(
    tries: impl Iterator<Item = F>,
) -> Vec<StatusCode> {
    let handles: Vec<_> = tries.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

#[both_backends]
async fn the_reference_is_shown_once_and_the_next_person_starts_afresh(app: TestApp) {
    let r = app.another_browser();
    r.start().await;
    r.answer_all(&[("used_online", &["no"]), ("why_not_online", &["no_internet"])]).await;
    r.skip_the_rest(true).await;
    r.submit().await.assert_redirect("/s/digital-inclusion/done");
    let first = r.get("/s/digital-inclusion/done").await;
    let reference = reference_in(&first.body);
    let life: i64 = sqlx::query_scalar("SELECT expires_at - updated_at FROM draft WHERE response_id IS NOT NULL")
        .fetch_one(&app.db.read)
        .await
        .unwrap();
    assert!((3599..=3600).contains(&life), "the sent draft is kept only as long as its receipt: {life}");
    assert!(first.body.contains("free computers and wifi"), "help for their barriers, once");

    // The next person at the same computer.
    let again = r.get("/s/digital-inclusion/done").await;
    assert_eq!(again.status, StatusCode::OK);
    assert!(again.lacks(&reference) && again.lacks("free computers and wifi"), "{}", again.body);
    assert!(again.lacks("/remove"), "no way to remove someone else's answers from here");
    let start = r.get("/s/digital-inclusion").await;
    assert!(start.body.contains("Start now"), "{}", start.body);
    r.start().await;
    assert_eq!(app.count("SELECT COUNT(*) FROM draft WHERE response_id IS NULL").await, 1, "a new draft");
    let cookie = r.get("/s/digital-inclusion/q/used_online").await;
    assert!(cookie.lacks("checked"), "nothing of the last person's answers");
}

async fn officer(app: &TestApp, email: &str) -> TestApp {
    app.signed_in_as(email, &[Role::Officer]).await
}

#[both_backends]
async fn an_officer_continues_a_saved_draft_for_a_resident_who_phones(app: TestApp) {
    let resident = app.another_browser();
    let code = answer_three_and_save(&resident).await;
    let officer = officer(&app, "officer@council.gov.uk").await;
    let page = officer.get("/staff/assist").await;
    assert!(page.body.contains("Continue a resident's saved answers"));
    let bad = officer.staff_post("/staff/assist/return", &[("code", "KDP7")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("8 letters and numbers") && bad.body.contains("href=\"#code\""));
    let unknown = officer.staff_post("/staff/assist/return", &[("code", "ABCD-EFGH")]).await;
    assert!(unknown.body.contains("No saved answers have that code"));

    officer
        .staff_post("/staff/assist/return", &[("code", &code)])
        .await
        .assert_redirect("/s/digital-inclusion/q/eds_foundation_2022");
    for q in ["eds_foundation_2022", "help_wanted", "age_band", "ward", "disability", "comments"] {
        officer.answer(q, &[]).await;
    }
    officer.submit().await.assert_redirect("/s/digital-inclusion/done");
    let (channel, who): (String, String) =
        sqlx::query_as("SELECT r.channel, s.email FROM response r JOIN staff s ON s.id = r.officer_id")
            .fetch_one(&app.db.read)
            .await
            .unwrap();
    assert_eq!((channel.as_str(), who.as_str()), ("phone", "officer@council.gov.uk"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM answer WHERE question_id = 'why_not_online'").await,
        1,
        "the resident's own answers kept"
    );
}

#[both_backends]
async fn signing_out_ends_the_officers_open_entries(app: TestApp) {
    let officer = officer(&app, "officer@council.gov.uk").await;
    let csrf = officer.csrf("/staff/assist").await;
    let location: i64 = sqlx::query_scalar("SELECT id FROM list_item WHERE list = 'location' ORDER BY id")
        .fetch_one(&app.db.read)
        .await
        .unwrap();
    let location = location.to_string();
    officer
        .post(
            "/staff/assist",
            &[
                ("csrf", &csrf),
                ("survey", "digital-inclusion"),
                ("channel", "in_person"),
                ("location", &location),
                ("mode", "guided"),
            ],
        )
        .await
        .assert_redirect("/s/digital-inclusion/q/used_online");
    officer.answer("used_online", &[("answer", "no")]).await;
    // A resident's saved draft the officer had continued stays for its code.
    let resident = app.another_browser();
    let code = answer_three_and_save(&resident).await;
    let continuing = app.another_browser();
    continuing.sign_in_with("officer@council.gov.uk", PASSWORD).await;
    continuing.staff_post("/staff/assist/return", &[("code", &code)]).await;

    let out = officer.staff_post("/staff/logout", &[]).await;
    out.assert_redirect("/staff/login?closed=1");
    assert!(officer.get("/staff/login?closed=1").await.body.contains("The survey you had not sent was closed"));
    officer.get("/s/digital-inclusion/q/why_not_online").await.assert_redirect("/s/digital-inclusion");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM draft WHERE officer_id IS NOT NULL").await,
        1,
        "only the draft in the other session"
    );

    continuing.staff_post("/staff/logout", &[]).await.assert_redirect("/staff/login");
    continuing.get("/s/digital-inclusion/q/help_wanted").await.assert_redirect("/s/digital-inclusion");
    assert!(
        app.another_browser()
            .post("/s/digital-inclusion/return", &[("code", &code)])
            .await
            .redirected_to("/s/digital-inclusion/q/eds_foundation_2022?resumed=1"),
        "the resident's code still works"
    );
}

#[both_backends]
async fn an_officers_entry_is_checked_again_when_sent(app: TestApp) {
    let officer = officer(&app, "officer@council.gov.uk").await;
    let csrf = officer.csrf("/staff/assist").await;
    let location: i64 = sqlx::query_scalar("SELECT id FROM list_item WHERE list = 'location' ORDER BY id")
        .fetch_one(&app.db.read)
        .await
        .unwrap();
    let location = location.to_string();
    let begin = [
        ("csrf", csrf.as_str()),
        ("survey", "digital-inclusion"),
        ("channel", "in_person"),
        ("location", &location),
        ("mode", "guided"),
    ];
    officer.post("/staff/assist", &begin).await;
    officer.answer("used_online", &[("answer", "yes")]).await;
    officer.skip(&["use_again"]).await;
    officer.skip_the_rest(true).await;
    officer.submit().await.assert_redirect("/s/digital-inclusion/done");
    let reference = officer.done_reference().await;

    // A correction whose window closes before it is sent is refused at sending, and changes nothing.
    officer
        .staff_post(&format!("/staff/assist/correct/{reference}"), &[])
        .await
        .assert_redirect("/s/digital-inclusion/check");
    officer.post("/s/digital-inclusion/q/used_online?change=1", &[("answer", "no")]).await;
    officer.post("/s/digital-inclusion/q/why_not_online?change=1", &[("answer", "cost")]).await;
    sqlx::query("UPDATE response SET submitted_at = submitted_at - 86400").execute(&app.db.write).await.unwrap();
    let late = officer.submit().await;
    assert_eq!(late.status, StatusCode::BAD_REQUEST);
    assert!(late.body.contains("too old to correct"), "{}", late.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM answer WHERE option_id = 'cost'").await, 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM answer WHERE question_id = 'used_online' AND option_id = 'yes'").await,
        1
    );

    // An entry whose officer's account was turned off meanwhile is refused too.
    let csrf = officer.csrf("/staff/assist").await;
    let begin = [
        ("csrf", csrf.as_str()),
        ("survey", "digital-inclusion"),
        ("channel", "in_person"),
        ("location", &location),
        ("mode", "guided"),
    ];
    officer.post("/staff/assist", &begin).await.assert_redirect("/s/digital-inclusion/q/used_online");
    officer.answer("used_online", &[("answer", "yes")]).await;
    officer.skip(&["use_again"]).await;
    officer.skip_the_rest(true).await;
    sqlx::query("UPDATE staff SET active = 0").execute(&app.db.write).await.unwrap();
    assert_eq!(officer.submit().await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.count("SELECT COUNT(*) FROM response").await, 1);
}

/// Sign-in guesses for one account at once: at most five passwords are checked.
#[both_backends]
async fn concurrent_wrong_passwords_get_five_guesses(app: TestApp) {
    app.create_staff("target@council.gov.uk", &[Role::Analyst]).await;
    let guesses = (0..50).map(|i| {
        let b = app.another_browser();
        async move {
            let csrf = b.csrf("/staff/login").await;
            let password = format!("guess {i}");
            let fields = [
                ("csrf", csrf.as_str()),
                ("email", "target@council.gov.uk"),
                ("password", &password),
                ("next", "/staff"),
            ];
            b.post("/staff/login", &fields).await.status
        }
    });
    let statuses = futures_join_all(guesses).await;
    let checked = statuses.iter().filter(|s| **s == StatusCode::UNPROCESSABLE_ENTITY).count();
    assert!(checked <= 5, "{checked} passwords were checked: {statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count(), 50 - checked);
}

/// Behind a proxy: with TRUSTED_PROXIES the client is the forwarded address, so one resident's
/// wrong codes do not lock out everyone behind the same proxy; without it the headers count for
/// nothing, so nobody can dodge the limit by writing their own.
async fn limits_follow_the_forwarded_address_only_from_trusted_proxies(trusted: bool) {
    let url = common::fresh_database(common::Backend::Sqlite).await;
    let mut config = Config::for_database(url);
    if trusted {
        config.trusted_proxies = "127.0.0.0/8".parse().unwrap();
    }
    let app = common::spawn_app_on(config).await;
    let try_code = |from: &'static str| {
        let client = app.client.clone();
        let url = app.url("/s/digital-inclusion/return");
        async move {
            client
                .post(url)
                .header("x-forwarded-for", from)
                .header("content-type", "application/x-www-form-urlencoded")
                .body("code=ABCD-EFGH")
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    for _ in 0..10 {
        assert_eq!(try_code("203.0.113.9").await, StatusCode::UNPROCESSABLE_ENTITY);
    }
    assert_eq!(try_code("203.0.113.9").await, StatusCode::TOO_MANY_REQUESTS);
    let someone_else = try_code("198.51.100.20").await;
    if trusted {
        assert_eq!(
            someone_else,
            StatusCode::UNPROCESSABLE_ENTITY,
            "another resident behind the proxy is not locked out"
        );
    } else {
        assert_eq!(someone_else, StatusCode::TOO_MANY_REQUESTS, "a written header does not dodge the limit");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trusted_proxies_forward_the_client_address() {
    limits_follow_the_forwarded_address_only_from_trusted_proxies(true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn untrusted_forwarded_headers_are_ignored() {
    limits_follow_the_forwarded_address_only_from_trusted_proxies(false).await;
}

/// A flood of new surveys from one address is answered with the "Too many attempts" page and
/// creates nothing more; another address behind the same trusted proxy carries on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_starts_from_one_address_is_refused() {
    let url = common::fresh_database(common::Backend::Sqlite).await;
    let mut config = Config::for_database(url);
    config.trusted_proxies = "127.0.0.0/8".parse().unwrap();
    config.resident_writes_per_minute = 5;
    let app = common::spawn_app_on(config).await;
    let start = |from: &'static str| {
        let (client, url) = (common::browser(), app.url("/s/digital-inclusion/start"));
        async move {
            let response = client
                .post(url)
                .header("x-forwarded-for", from)
                .header("content-type", "application/x-www-form-urlencoded")
                .send()
                .await
                .unwrap();
            (response.status(), response.text().await.unwrap())
        }
    };
    let mut statuses = Vec::new();
    for _ in 0..15 {
        statuses.push(start("203.0.113.9").await);
    }
    let started = statuses.iter().filter(|(s, _)| *s == StatusCode::SEE_OTHER).count();
    assert!((10..=11).contains(&started), "a burst of 10, then one every 12 seconds: {started}");
    let (status, page) = statuses.last().unwrap();
    assert_eq!(*status, StatusCode::TOO_MANY_REQUESTS);
    assert!(page.contains("Too many attempts") && page.contains("<main"), "a plain page in the site's style");
    assert_eq!(app.count("SELECT COUNT(*) FROM draft").await, started as i64, "a refused start creates nothing");
    assert_eq!(start("198.51.100.20").await.0, StatusCode::SEE_OTHER, "someone else is not held up");
}

/// A library where several residents share one address: with a limit of 5 starts a minute (a
/// burst of 10), four residents each answering every question and sending are never refused, as
/// answering changes only each resident's own draft.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn residents_sharing_an_address_answer_every_question_without_being_refused() {
    let url = common::fresh_database(common::Backend::Sqlite).await;
    let mut config = Config::for_database(url);
    config.resident_writes_per_minute = 5;
    let app = common::spawn_app_on(config).await;
    for _ in 0..4 {
        let r = app.another_browser();
        r.start().await;
        r.answer_all(&[("used_online", &["no"]), ("why_not_online", &["cost"])]).await;
        for q in common::THE_REST {
            let page = r.answer(q, &[]).await;
            assert_eq!(page.status, StatusCode::SEE_OTHER, "{q}: {}", page.body);
        }
        assert_eq!(r.submit().await.status, StatusCode::SEE_OTHER);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM response").await, 4);
}

/// The totals across every address (return-code lookups, removals by reference) cannot be used up
/// by a few addresses guessing to lock every resident out: addresses that have already failed
/// share one total, addresses not yet seen failing another. And an IPv6 client is one client for
/// its whole /64, so walking through its addresses gains nothing.
async fn the_totals_cannot_be_used_up_by_a_few_addresses(
    backend: common::Backend,
    path: &'static str,
    body: &'static str,
    refused: StatusCode,
) {
    let mut config = Config::for_database(common::fresh_database(backend).await);
    config.trusted_proxies = "127.0.0.0/8".parse().unwrap();
    let app = common::spawn_app_on(config).await;
    let from = |address: String| {
        let (client, url) = (app.client.clone(), app.url(path));
        async move {
            let response = client
                .post(url)
                .header("x-forwarded-for", address)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body)
                .send()
                .await
                .unwrap();
            response.status()
        }
    };
    // One IPv6 /64: ten tries between all its addresses, then none.
    for host in 1..=10 {
        assert_eq!(from(format!("2001:db8:5:6::{host:x}")).await, refused);
    }
    assert_eq!(
        from("2001:db8:5:6:ffff::1".into()).await,
        StatusCode::TOO_MANY_REQUESTS,
        "another address in the same /64"
    );
    // 34 guessers, 10 tries each: their first tries count in one total, the rest in the other,
    // which is used up at 300.
    let mut limited = 0;
    for guesser in 0..34 {
        for _ in 0..10 {
            let status = from(format!("203.0.113.{guesser}")).await;
            assert!(status == refused || status == StatusCode::TOO_MANY_REQUESTS, "{status}");
            limited += usize::from(status == StatusCode::TOO_MANY_REQUESTS);
        }
    }
    assert!(limited > 0, "the total for addresses seen failing is reached");
    assert_eq!(from("198.51.100.7".into()).await, refused, "a resident trying for the first time is not locked out");
    assert_eq!(
        from("198.51.100.7".into()).await,
        StatusCode::TOO_MANY_REQUESTS,
        "after a failure they share the guessers' total"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_return_code_total_holds_for_first_timers_on_sqlite() {
    the_totals_cannot_be_used_up_by_a_few_addresses(
        common::Backend::Sqlite,
        "/s/digital-inclusion/return",
        "code=ABCD-EFGH",
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_return_code_total_holds_for_first_timers_on_postgres() {
    if !common::postgres_is_set() {
        return;
    }
    the_totals_cannot_be_used_up_by_a_few_addresses(
        common::Backend::Postgres,
        "/s/digital-inclusion/return",
        "code=ABCD-EFGH",
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn removal_has_a_total_too_on_sqlite() {
    the_totals_cannot_be_used_up_by_a_few_addresses(
        common::Backend::Sqlite,
        "/s/digital-inclusion/remove",
        "reference=ABCD2345",
        StatusCode::OK,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn removal_has_a_total_too_on_postgres() {
    if !common::postgres_is_set() {
        return;
    }
    the_totals_cannot_be_used_up_by_a_few_addresses(
        common::Backend::Postgres,
        "/s/digital-inclusion/remove",
        "reference=ABCD2345",
        StatusCode::OK,
    )
    .await;
}
