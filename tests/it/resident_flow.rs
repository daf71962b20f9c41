//! A resident takes the survey over HTTP with no JavaScript, on SQLite and on PostgreSQL.

use crate::common;
use it_macros::both_backends;

use common::{SLUG, TestApp};
use reqwest::StatusCode;

/// The answers of someone who has never used the council's online services.
const NEVER_USED: &[(&str, &[&str])] = &[
    ("used_online", &["no"]),
    ("why_not_online", &["no_internet", "family_friends"]),
    ("internet_use", &["never"]),
    ("go_online_how", &["none"]),
    ("confidence_online", &["2"]),
    ("eds_foundation_2022", &["wifi"]),
    ("help_wanted", &["learn_basics"]),
    ("age_band", &["75_plus"]),
    ("ward", &["prefer_not_to_say"]),
    ("disability", &["yes"]),
    ("comments", &["Please keep the phone line"]),
];

#[both_backends]
async fn walks_the_whole_survey_and_keeps_every_answer(app: TestApp) {
    let start = app.get(&app.survey_path("")).await;
    assert_eq!(start.status, StatusCode::OK);
    assert!(start.body.contains("Start now"));
    assert!(start.body.contains(&format!("/s/{SLUG}/privacy")), "start page links to the privacy notice");

    app.start().await;
    let first = app.get(&app.survey_path("/q/used_online")).await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(first.body.contains("<legend"), "choices are in a fieldset with a legend");
    assert_eq!(first.body.matches("<h1").count(), 1);

    app.answer_all(NEVER_USED).await;
    let check = app.get(&app.survey_path("/check")).await;
    assert_eq!(check.status, StatusCode::OK, "{}", check.body);
    assert!(check.body.contains("I do not have the internet"));
    assert!(check.body.contains("Please keep the phone line"));
    assert!(check.lacks("Would you be happy to use"), "hidden questions are not listed");

    let sent = app.submit().await;
    sent.assert_redirect(&app.survey_path("/done"));
    let done = app.get(&app.survey_path("/done")).await;
    let reference = common::reference_in(&done.body);
    assert_eq!(reference.len(), 8);
    assert!(done.body.contains("free computers and wifi"), "access signposting shown: {}", done.body);

    assert_eq!(app.count("SELECT COUNT(*) FROM response").await, 1);
    let (version, channel): (i64, String) = sqlx::query_as(
        "SELECT v.version, r.channel FROM response r JOIN survey_version v ON v.id = r.survey_version_id WHERE r.reference = $1",
    )
    .bind(&reference)
    .fetch_one(&app.db.read)
    .await
    .unwrap();
    assert_eq!((version, channel.as_str()), (1, "web"));
    let stored: Vec<(String, String, Option<String>)> =
        sqlx::query_as("SELECT question_id, option_id, text FROM answer ORDER BY question_id, option_id")
            .fetch_all(&app.db.read)
            .await
            .unwrap();
    let expected = [
        ("age_band", "75_plus", None),
        ("comments", "", Some("Please keep the phone line")),
        ("confidence_online", "2", None),
        ("disability", "yes", None),
        ("eds_foundation_2022", "wifi", None),
        ("go_online_how", "none", None),
        ("help_wanted", "learn_basics", None),
        ("internet_use", "never", None),
        ("used_online", "no", None),
        ("ward", "prefer_not_to_say", None),
        ("why_not_online", "family_friends", None),
        ("why_not_online", "no_internet", None),
    ];
    let stored: Vec<(&str, &str, Option<&str>)> =
        stored.iter().map(|(q, o, t)| (q.as_str(), o.as_str(), t.as_deref())).collect();
    assert_eq!(stored, expected);
    // Scored as the national statistics score it: not at Foundation level (1 task of 8), never online.
    let scores: Vec<(String, i64)> = sqlx::query_as("SELECT measure, met FROM response_score ORDER BY measure")
        .fetch_all(&app.db.read)
        .await
        .unwrap();
    let scores: Vec<(&str, i64)> = scores.iter().map(|(m, met)| (m.as_str(), *met)).collect();
    assert_eq!(
        scores,
        [
            ("#score:eds_foundation:2022", 0),
            ("#score:ons_internet_never:2020", 1),
            ("#score:ons_internet_recent:2020", 0)
        ]
    );
}

#[both_backends]
async fn changing_an_answer_drops_the_branch_it_closes(app: TestApp) {
    app.start().await;
    app.answer("used_online", &[("answer", "yes")]).await.assert_redirect(&app.survey_path("/q/use_again"));
    app.answer("use_again", &[("answer", "no")]).await.assert_redirect(&app.survey_path("/q/why_not_again"));
    app.answer_all(&[
        ("why_not_again", &["too_difficult"]),
        ("internet_use", &[]),
        ("go_online_how", &["smartphone"]),
        ("confidence_online", &[]),
        ("eds_foundation_2022", &[]),
        ("help_wanted", &[]),
        ("age_band", &[]),
        ("ward", &[]),
        ("disability", &[]),
        ("comments", &[]),
    ])
    .await;
    assert!(app.get(&app.survey_path("/check")).await.body.contains("It was too difficult"));

    // From the check page, change the first answer: the new branch's question is asked, then back
    // to the check page.
    let changed = app.post(&app.survey_path("/q/used_online?change=1"), &[("answer", "no")]).await;
    changed.assert_redirect(&app.survey_path("/q/why_not_online?change=1"));
    let next = app.post(&app.survey_path("/q/why_not_online?change=1"), &[("answer", "cost")]).await;
    next.assert_redirect(&app.survey_path("/check"));

    let check = app.get(&app.survey_path("/check")).await;
    assert!(check.lacks("It was too difficult"));
    assert!(check.body.contains("costs too much"));
    assert!(check.body.contains("Not answered"), "skipped questions show as not answered");
    app.submit().await.assert_redirect(&app.survey_path("/done"));
    let questions: Vec<String> = sqlx::query_scalar("SELECT DISTINCT question_id FROM answer ORDER BY question_id")
        .fetch_all(&app.db.read)
        .await
        .unwrap();
    assert_eq!(questions, ["go_online_how", "used_online", "why_not_online"]);
    let barriers: i64 = sqlx::query_scalar("SELECT barriers FROM response").fetch_one(&app.db.read).await.unwrap();
    assert_eq!(barriers, 0b1000, "only access: the skills answer was on the closed branch");
}

#[both_backends]
async fn a_missing_answer_is_explained_beside_the_question(app: TestApp) {
    app.start().await;
    let page = app.answer("used_online", &[]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("<title>Error: Have you used"));
    assert!(page.body.contains("There is a problem"));
    assert!(page.body.contains("href=\"#answer\""), "summary links to the field");
    assert!(page.body.contains("id=\"answer-error\""));
    assert!(page.body.contains("Select yes if you have used"));
}

#[both_backends]
async fn a_rejected_answer_is_kept_on_the_page_and_not_saved(app: TestApp) {
    app.start().await;
    app.answer_all(&[("used_online", &["no"]), ("why_not_online", &["cost"])]).await;
    app.skip_the_rest(false).await;
    let before = app.drafts().await;
    let long = "é".repeat(2001);
    let page = app.answer("comments", &[("answer", &long)]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("2,000 characters or fewer"));
    assert!(page.body.contains(&long), "the resident's text is kept");
    assert_eq!(app.drafts().await, before);

    let exclusive = app.answer("go_online_how", &[("answer", "none"), ("answer", "tablet")]).await;
    assert_eq!(exclusive.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(exclusive.body.contains("on its own"));
    assert!(exclusive.body.contains("value=\"tablet\" checked"), "choices kept: {}", exclusive.body);

    let unknown = app.answer("age_band", &[("answer", "17")]).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.body.contains("Select one of the answers shown"));
    assert_eq!(app.drafts().await, before);
}

#[both_backends]
async fn hostile_and_malformed_posts_change_nothing(app: TestApp) {
    app.start().await;
    app.answer("used_online", &[("answer", "yes")]).await;
    let before = app.drafts().await;
    let path = app.survey_path("/q/use_again");

    let hidden = app.answer("why_not_online", &[("answer", "cost")]).await;
    assert_eq!(hidden.status, StatusCode::CONFLICT);
    assert!(hidden.body.contains("This question is not needed"));
    assert!(hidden.body.contains(&app.survey_path("/q/use_again")), "offers the way on");

    let cases: Vec<(&str, Vec<u8>, StatusCode, &str)> = vec![
        ("application/x-www-form-urlencoded", b"answer=%FF%FE".to_vec(), StatusCode::BAD_REQUEST, "could read"),
        ("application/x-www-form-urlencoded", "a=1&".repeat(500).into_bytes(), StatusCode::BAD_REQUEST, "too many"),
        (
            "application/x-www-form-urlencoded",
            b"answer=yes&role=admin".to_vec(),
            StatusCode::BAD_REQUEST,
            "did not expect",
        ),
        ("application/json", br#"{"answer":"yes"}"#.to_vec(), StatusCode::BAD_REQUEST, "could read"),
        (
            "application/x-www-form-urlencoded",
            format!("answer={}", "x".repeat(100_000)).into_bytes(),
            StatusCode::PAYLOAD_TOO_LARGE,
            "too long",
        ),
    ];
    for (content_type, body, status, says) in cases {
        let page = app.post_raw(&path, content_type, body).await;
        assert_eq!(page.status, status, "{content_type}: {}", page.body);
        assert!(page.body.contains(says), "{says}: {}", page.body);
        assert!(page.body.contains("<main"), "a page in the service's layout");
    }
    assert_eq!(app.drafts().await, before);
    assert_eq!(app.count("SELECT COUNT(*) FROM response").await, 0);
}

#[both_backends]
async fn unknown_pages_get_a_styled_not_found(app: TestApp) {
    for path in ["/s/no-such-survey", "/s/digital-inclusion/q/no_such_question", "/nothing-here"] {
        app.start().await;
        let page = app.get(path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert!(page.body.contains("Page not found"), "{path}");
    }
    let wrong_method = app.client.delete(app.url(&app.survey_path(""))).send().await.unwrap();
    assert_eq!(wrong_method.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert!(wrong_method.text().await.unwrap().contains("<main"));
}

#[both_backends]
async fn sending_twice_makes_one_response(app: TestApp) {
    app.start().await;
    app.answer_all(NEVER_USED).await;
    // Two taps at once, then the back button and a third.
    let (a, b) = tokio::join!(app.submit(), app.submit());
    a.assert_redirect(&app.survey_path("/done"));
    b.assert_redirect(&app.survey_path("/done"));
    // Sending ended the draft in this browser: going back finds nothing to send or change.
    app.submit().await.assert_redirect(&app.survey_path(""));
    app.answer("comments", &[("answer", "changed my mind")]).await.assert_redirect(&app.survey_path(""));
    assert_eq!(app.count("SELECT COUNT(*) FROM response").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM answer WHERE text = 'changed my mind'").await, 0);
    // Counted once in the dashboard's totals too.
    app.assert_totals_match().await;
    assert_eq!(app.count("SELECT CAST(SUM(n) AS BIGINT) FROM tally WHERE question_id = ''").await, 1);
}

/// A send whose commit went through just as its database connection went is run again by the app
/// (see `db::retry`), with the browser's cookies as they were: the second run finds the draft sent
/// and ends as the first would have, with the confirmation and its reference, and one response.
#[both_backends]
async fn a_send_run_again_after_its_commit_shows_the_confirmation(app: TestApp) {
    use reqwest::cookie::CookieStore;
    let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
    let client = reqwest::Client::builder()
        .cookie_provider(jar.clone())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let resident = TestApp { client, ..app.another_browser() };
    resident.start().await;
    resident.answer_all(NEVER_USED).await;
    let as_sent = jar.cookies(&resident.url(&app.survey_path("/submit")).parse().unwrap()).unwrap();
    resident.submit().await.assert_redirect(&app.survey_path("/done"));

    let again = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let run_again = again.post(app.url(&app.survey_path("/submit"))).header("cookie", as_sent).send().await.unwrap();
    assert_eq!(run_again.status(), StatusCode::SEE_OTHER);
    assert_eq!(run_again.headers()["location"], app.survey_path("/done").as_str());
    let receipt: Vec<&str> = run_again
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|c| c.to_str().unwrap().split(';').next().unwrap())
        .collect();
    let receipt =
        receipt.iter().find(|c| c.starts_with("receipt") && c.len() > "receipt=".len() + 20).expect("a receipt");
    let done = again.get(app.url(&app.survey_path("/done"))).header("cookie", *receipt).send().await.unwrap();
    let reference = common::reference_in(&done.text().await.unwrap());
    let stored = app.count(&format!("SELECT COUNT(*) FROM response WHERE reference = '{reference}'")).await;
    assert_eq!((stored, app.count("SELECT COUNT(*) FROM response").await), (1, 1));
}

#[both_backends]
async fn a_resident_who_comes_back_continues_where_they_left_off(app: TestApp) {
    app.start().await;
    app.answer_all(&[("used_online", &["yes"]), ("use_again", &["yes"])]).await;
    let start = app.get(&app.survey_path("")).await;
    assert!(start.body.contains("Continue where you left off"));
    assert!(start.body.contains(&app.survey_path("/q/internet_use")));
    let resumed = app.get(&app.survey_path("/q/use_again")).await;
    assert!(resumed.body.contains("value=\"yes\" checked"), "saved answer shown");

    // Another browser has no draft: it is sent to the start page.
    let stranger = app.another_browser();
    stranger.get(&app.survey_path("/q/use_again")).await.assert_redirect(&app.survey_path(""));
    stranger.get(&app.survey_path("/check")).await.assert_redirect(&app.survey_path(""));
    stranger.submit().await.assert_redirect(&app.survey_path(""));
}

#[both_backends]
async fn the_check_page_waits_for_every_question(app: TestApp) {
    app.start().await;
    app.answer("used_online", &[("answer", "no")]).await;
    app.get(&app.survey_path("/check")).await.assert_redirect(&app.survey_path("/q/why_not_online"));
    app.submit().await.assert_redirect(&app.survey_path("/q/why_not_online"));
    assert_eq!(app.count("SELECT COUNT(*) FROM response").await, 0);
}

#[both_backends]
async fn pages_are_safe_and_ship_no_script(app: TestApp) {
    app.start().await;
    let page = app.get(&app.survey_path("/q/used_online")).await;
    let csp = page.headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"));
    assert_eq!(page.headers["x-content-type-options"], "nosniff");
    assert_eq!(page.headers["cache-control"], "no-store");
    assert!(page.lacks("<script"));
    let cookie = app
        .client
        .post(app.url(&app.survey_path("/start")))
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .await
        .unwrap();
    let set_cookie = cookie.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"), "{set_cookie}");
    assert!(set_cookie.contains(&format!("Path=/s/{SLUG}")), "{set_cookie}");

    // Text is escaped wherever it is shown again.
    app.answer_all(&[("used_online", &["no"]), ("why_not_online", &["cost"])]).await;
    app.skip_the_rest(false).await;
    app.answer("comments", &[("answer", "<script>alert(1)</script>")]).await;
    let check = app.get(&app.survey_path("/check")).await;
    assert!(check.lacks("<script>alert"));
    assert!(check.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

mod expiry {
    use super::common::{self, Backend};

    /// A draft past its expiry is gone: the resident starts again, and the sweep removes it.
    #[tokio::test]
    async fn expired_drafts_are_not_resumed_and_are_swept() {
        let app = common::spawn_app(Backend::Sqlite).await;
        app.start().await;
        app.answer("used_online", &[("answer", "yes")]).await;
        sqlx::query("UPDATE draft SET expires_at = 0").execute(&app.db.write).await.unwrap();
        app.get(&app.survey_path("/q/use_again")).await.assert_redirect(&app.survey_path(""));
        let start = app.get(&app.survey_path("")).await;
        assert!(start.body.contains("Start now") && start.lacks("Continue where you left off"));
        let swept = inclusion_survey::respond::delete_expired_drafts(&app.db).await.unwrap();
        assert_eq!(swept, 1);
        assert_eq!(app.count("SELECT COUNT(*) FROM draft").await, 0);
    }
}
