//! Personal data as a data protection officer requires: the privacy notice and its settings,
//! contact details only with consent and kept apart, redaction, retention with a clock that can be
//! moved, erasure by reference, subject access, and a backup taken under load that restores, on
//! SQLite and PostgreSQL.

use crate::common;
use it_macros::both_backends;

use common::{SLUG, TestApp};
use inclusion_survey::auth::account::Role;
use inclusion_survey::db::{Db, now};
use inclusion_survey::insight::summarise;
use inclusion_survey::privacy::retention;
use inclusion_survey::responses::filters::Filters;
use inclusion_survey::survey::Catalogue;
use reqwest::StatusCode;
use std::process::Command;
use std::sync::{Arc, Mutex};

const COUNCIL: &str = "Example Borough Council";
const DAY: i64 = 24 * 3600;

/// A resident who has never used online services sends their answers, with `comment`; returns
/// their browser (holding the receipt of what they sent) and reference.
async fn resident(app: &TestApp, comment: &str) -> (TestApp, String) {
    let r = app.another_browser();
    r.start().await;
    r.answer("used_online", &[("answer", "no")]).await;
    r.answer("why_not_online", &[("answer", "no_internet")]).await;
    r.skip_the_rest(false).await;
    r.answer("comments", &[("answer", comment)]).await;
    r.submit().await.assert_redirect("/s/digital-inclusion/done");
    let done = r.get("/s/digital-inclusion/done").await;
    assert!(done.body.contains("href=\"/s/digital-inclusion/contact\""), "the confirmation offers contact");
    (r, common::reference_in(&done.body))
}

async fn staff(app: &TestApp, email: &str, roles: &[Role]) -> TestApp {
    app.create_staff(email, roles).await;
    let browser = app.browser_signed_in(email).await;
    browser
}

async fn respondents(app: &TestApp) -> i64 {
    let catalogue = Catalogue::default();
    let version = catalogue.current(&app.db, SLUG).await.unwrap().unwrap();
    summarise(&app.db, &catalogue, &version, &Filters::default()).await.unwrap().respondents
}

#[both_backends]
async fn the_notice_is_the_surveys_own_and_admins_set_it(app: TestApp) {
    let notice = app.get("/s/digital-inclusion/privacy").await;
    assert_eq!(notice.status, StatusCode::OK);
    // The default notice in Welsh, with the survey's own periods.
    let welsh = app.get("/s/digital-inclusion/privacy?lang=cy").await.body;
    assert!(
        welsh.contains(r#"<html lang="cy""#)
            && welsh.contains("Sut rydym yn defnyddio eich atebion")
            && welsh.contains("Rydym yn cadw eich atebion am 24 mis"),
        "{welsh}"
    );
    assert!(welsh.contains(r#"href="/s/digital-inclusion?lang=cy""#), "back into the survey in Welsh: {welsh}");
    for words in [
        "Example Borough Council is responsible for your answers (the data controller)",
        "public task (UK GDPR Article 6(1)(e))",
        "We keep your answers for 24 months",
        "deleted after 7 days",
        "after 30 days at the most",
        "contact the data protection officer at Example Borough Council",
        "href=\"/s/digital-inclusion/remove\"",
    ] {
        assert!(notice.body.contains(words), "{words}");
    }
    app.start().await;
    let question = app.get("/s/digital-inclusion/q/used_online").await.body;
    assert!(question.contains("href=\"/s/digital-inclusion/privacy\""), "every resident page links to it");

    let admin = staff(&app, "admin@council.gov.uk", &[Role::Admin]).await;
    let path = "/staff/surveys/digital-inclusion/privacy";
    assert!(admin.get(path).await.body.contains("value=\"24\""));
    let bad = admin
        .staff_post(
            path,
            &[
                ("notice", ""),
                ("contact", ""),
                ("draft_days", "0"),
                ("response_months", "121"),
                ("contact_days", "a month"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for message in [
        "Enter a number of days from 1 to 90",
        "Enter a number of months from 1 to 120",
        "Enter a number of days from 1 to 365",
        "Enter how to contact",
    ] {
        assert!(bad.body.contains(message), "{message}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM survey_privacy").await, 0, "nothing saved");

    let own = "## Who we are\nThe Borough, Town Hall.\n\nWe keep <b>answers</b> for a year.";
    admin
        .staff_post(
            path,
            &[
                ("notice", own),
                ("contact", "dpo@example.gov.uk"),
                ("draft_days", "3"),
                ("response_months", "12"),
                ("contact_days", "14"),
            ],
        )
        .await
        .assert_redirect("/staff/surveys/digital-inclusion/privacy?done=saved");
    let notice = app.get("/s/digital-inclusion/privacy").await.body;
    assert!(notice.contains("<h2 class=\"heading-m\">Who we are</h2>") && notice.contains("The Borough, Town Hall."));
    assert!(notice.contains("We keep &lt;b&gt;answers&lt;/b&gt; for a year."), "shown as text");
    // The admin's own notice, not translated: shown in Welsh pages as written, and marked English.
    let welsh = app.get("/s/digital-inclusion/privacy?lang=cy").await.body;
    assert!(welsh.contains(r#"<html lang="en-GB""#) && welsh.contains("The Borough, Town Hall."), "{welsh}");
    // Translated in the survey's next version, it is shown in Welsh.
    let v1 = admin.get("/staff/surveys/digital-inclusion/versions/1.toml").await.body;
    let v2 = v1.replacen(
        "[translations.cy]\n",
        "[translations.cy]\nprivacy_notice = \"## Pwy ydym ni\\nY Fwrdeistref, Neuadd y Dref.\"\n",
        1,
    );
    admin
        .upload("/staff/surveys/digital-inclusion/upload", "v2.toml", v2.into_bytes())
        .await
        .assert_redirect("/staff/surveys/digital-inclusion/manage?done=uploaded");
    admin
        .staff_post("/staff/surveys/digital-inclusion/publish", &[])
        .await
        .assert_redirect("/staff/surveys/digital-inclusion/manage?done=published");
    let welsh = app.get("/s/digital-inclusion/privacy?lang=cy").await.body;
    assert!(
        welsh.contains(r#"<html lang="cy""#)
            && welsh.contains("<h2 class=\"heading-m\">Pwy ydym ni</h2>")
            && welsh.contains("Y Fwrdeistref, Neuadd y Dref."),
        "{welsh}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'privacy.update'").await, 1);
    let analyst = staff(&app, "analyst@council.gov.uk", &[Role::Analyst]).await;
    assert_eq!(analyst.get(path).await.status, StatusCode::FORBIDDEN);
}

#[both_backends]
async fn contact_details_need_consent_and_are_kept_apart(app: TestApp) {
    assert!(
        app.get("/s/digital-inclusion/contact").await.redirected_to("/s/digital-inclusion"),
        "only after sending answers"
    );
    let (r, reference) = resident(&app, "").await;
    // The reference was shown once (in `resident`); the contact pages still work for the hour after.
    assert!(r.get("/s/digital-inclusion/done").await.lacks(&reference), "shown once");
    let consent = r.get("/s/digital-inclusion/contact").await;
    assert!(consent.body.contains("I agree that Example Borough Council can use my name"));
    assert!(consent.lacks("name=\"phone\""), "nothing is asked before consent");
    let unanswered = r.post("/s/digital-inclusion/contact", &[]).await;
    assert_eq!(unanswered.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unanswered.body.contains("Select yes if you agree to be contacted"));
    r.post("/s/digital-inclusion/contact", &[("consent", "no")]).await.assert_redirect("/s/digital-inclusion/done");
    assert!(r.get("/s/digital-inclusion/contact/details").await.redirected_to("/s/digital-inclusion/contact"));
    assert!(
        r.get("/s/digital-inclusion/contact/details?consent=yes").await.redirected_to("/s/digital-inclusion/contact"),
        "the address alone is not consent"
    );
    let without =
        r.post("/s/digital-inclusion/contact/details", &[("name", "Jo Resident"), ("phone", "07700 900123")]).await;
    assert!(without.redirected_to("/s/digital-inclusion/contact"), "no consent, nothing kept");
    assert_eq!(app.count("SELECT COUNT(*) FROM contact_request").await, 0);

    r.post("/s/digital-inclusion/contact", &[("consent", "yes")])
        .await
        .assert_redirect("/s/digital-inclusion/contact/details");
    let details = "/s/digital-inclusion/contact/details";
    let bad = r.post(details, &[("name", ""), ("phone", "12"), ("email", "")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Enter your name") && bad.body.contains("Enter a phone number, like"));
    let neither = r.post(details, &[("name", "Jo Resident"), ("phone", ""), ("email", "")]).await;
    assert!(neither.body.contains("Enter a phone number or an email address"));
    let fields = [("name", "Jo Resident"), ("phone", "07700 900123"), ("email", "jo@example.com")];
    r.post(details, &fields).await.assert_redirect("/s/digital-inclusion/contact/thanks");
    r.post(details, &fields).await.assert_redirect("/s/digital-inclusion/contact/thanks");
    assert_eq!(app.count("SELECT COUNT(*) FROM contact_request").await, 1, "a second tap makes no second request");
    assert!(r.get("/s/digital-inclusion/contact/thanks").await.body.contains("after 30 days at the most"));

    // Apart from the answers: not in any export, and only officers and admins see them.
    let admin = staff(&app, "admin@council.gov.uk", &[Role::Admin]).await;
    let export = admin.get("/staff/surveys/digital-inclusion/export/responses.csv").await.body;
    assert!(export.contains(&reference) && !export.contains("Jo Resident") && !export.contains("900123"));
    let analyst = staff(&app, "analyst@council.gov.uk", &[Role::Analyst]).await;
    assert_eq!(analyst.get("/staff/contacts").await.status, StatusCode::FORBIDDEN);
    let officer = staff(&app, "officer@council.gov.uk", &[Role::Officer]).await;
    let list = officer.get("/staff/contacts").await.body;
    assert!(list.contains("Jo Resident") && list.contains("07700 900123") && list.contains("jo@example.com"));
    let id: i64 = sqlx::query_scalar("SELECT id FROM contact_request").fetch_one(&app.db.read).await.unwrap();
    officer
        .staff_post(&format!("/staff/contacts/{id}/done"), &[])
        .await
        .assert_redirect("/staff/contacts?done=contacted");
    assert_eq!(app.count("SELECT COUNT(*) FROM contact_request").await, 0, "deleted once done");
    let audit: Option<String> = sqlx::query_scalar("SELECT after FROM audit_log WHERE action = 'contact.done'")
        .fetch_one(&app.db.read)
        .await
        .unwrap();
    assert_eq!(audit, None, "the audit says it was done, not who it was");
    assert_eq!(officer.staff_post(&format!("/staff/contacts/{id}/done"), &[]).await.status, StatusCode::NOT_FOUND);
}

#[both_backends]
async fn exports_and_staff_pages_redact_free_text(app: TestApp) {
    resident(&app, "Ring me on 07700 900123 or jo@example.com, TS18 1AU").await;
    let admin = staff(&app, "admin@council.gov.uk", &[Role::Admin]).await;
    let export = "/staff/surveys/digital-inclusion/export/responses.csv";
    assert!(admin.get(export).await.body.contains("Ring me on 07700 900123 or jo@example.com, TS18 1AU"));
    let redacted = admin.get(&format!("{export}?redact=1")).await.body;
    assert!(redacted.contains("Ring me on [phone] or [email], [postcode]"), "{redacted}");
    let text = "/staff/surveys/digital-inclusion/text/comments";
    assert!(admin.get(text).await.body.contains("Ring me on [phone] or [email], [postcode]"), "redacted unless asked");
    assert!(admin.get(&format!("{text}?full=1")).await.body.contains("07700 900123"));
    let output = Command::new(env!("CARGO_BIN_EXE_inclusion-survey"))
        .args(["export", "responses", "--survey", SLUG, "--redact"])
        .env("DATABASE_URL", &app.database_url)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&output.stdout).contains("Ring me on [phone] or [email], [postcode]"));
}

#[both_backends]
async fn retention_deletes_what_is_due_and_keeps_the_plans_figures(app: TestApp) {
    let (r, _) = resident(&app, "").await;
    resident(&app, "").await;
    r.post("/s/digital-inclusion/contact", &[("consent", "yes")]).await;
    r.post("/s/digital-inclusion/contact/details", &[("name", "Jo"), ("phone", "07700 900123"), ("email", "")]).await;
    let unsent = app.another_browser();
    unsent.start().await;
    unsent.answer("used_online", &[("answer", "yes")]).await;
    let analyst = staff(&app, "analyst@council.gov.uk", &[Role::Analyst]).await;
    analyst
        .staff_post(
            "/staff/findings",
            &[("survey", SLUG), ("question", "used_online"), ("option", "no"), ("filters", ""), ("wording", "")],
        )
        .await;
    let catalogue = Catalogue::default();
    let drafts = app.count("SELECT COUNT(*) FROM draft").await;
    assert_eq!(drafts, 3);

    let later = |days: i64| now() + days * DAY;
    let dry = retention::run(&app.db, &catalogue, COUNCIL, later(800), true).await.unwrap();
    assert_eq!((dry[0].1.drafts, dry[0].1.responses, dry[0].1.contacts), (3, 2, 1));
    assert_eq!(app.count("SELECT COUNT(*) FROM response").await, 2, "a dry run deletes nothing");

    // 8 days on: drafts (7 days) go; contact details (30) and answers (24 months) stay.
    let week = retention::run(&app.db, &catalogue, COUNCIL, later(8), false).await.unwrap();
    assert_eq!((week[0].1.drafts, week[0].1.responses, week[0].1.contacts), (3, 0, 0));
    assert_eq!(app.count("SELECT COUNT(*) FROM contact_request").await, 1);
    let month = retention::run(&app.db, &catalogue, COUNCIL, later(31), false).await.unwrap();
    assert_eq!(month[0].1.contacts, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM response").await, 2);
    assert_eq!(respondents(&app).await, 2);

    let years = retention::run(&app.db, &catalogue, COUNCIL, later(24 * 30 + 1), false).await.unwrap();
    assert_eq!(years[0].1.responses, 2);
    assert_eq!(app.count("SELECT COUNT(*) FROM response").await + app.count("SELECT COUNT(*) FROM answer").await, 0);
    assert_eq!(respondents(&app).await, 0, "the dashboard's totals follow");
    let then: (i64, i64) =
        sqlx::query_as("SELECT count_then, base_then FROM finding").fetch_one(&app.db.read).await.unwrap();
    assert_eq!(then, (2, 2), "findings keep the figures they were saved with");
    let counts: Vec<Option<String>> =
        sqlx::query_scalar("SELECT after FROM audit_log WHERE action = 'retention.delete' ORDER BY id")
            .fetch_all(&app.db.read)
            .await
            .unwrap();
    assert_eq!(counts.len(), 3);
    assert!(counts[2].as_deref().unwrap().contains("\"responses\":2"));

    // Shorter periods take effect on the next run; the command line reports the same.
    resident(&app, "").await;
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_inclusion-survey"))
            .args(args)
            .env("DATABASE_URL", &app.database_url)
            .env("RUST_LOG", "warn")
            .output()
            .unwrap()
    };
    let dry = run(&["retention", "run", "--dry-run"]);
    assert!(
        String::from_utf8_lossy(&dry.stdout)
            .contains("digital-inclusion: 0 drafts, 0 responses, 0 contact requests would be deleted")
    );
    let admin = staff(&app, "admin@council.gov.uk", &[Role::Admin]).await;
    admin
        .staff_post(
            "/staff/surveys/digital-inclusion/privacy",
            &[
                ("notice", ""),
                ("contact", "dpo@example.gov.uk"),
                ("draft_days", "7"),
                ("response_months", "1"),
                ("contact_days", "30"),
            ],
        )
        .await;
    assert_eq!(retention::run(&app.db, &catalogue, COUNCIL, later(31), true).await.unwrap()[0].1.responses, 1);
}

#[both_backends]
async fn residents_remove_their_answers_by_reference(app: TestApp) {
    let (mine, reference) = resident(&app, "mine").await;
    let (_, other) = resident(&app, "theirs").await;
    let stranger = app.another_browser();
    let page = stranger.get("/s/digital-inclusion/remove").await;
    assert!(page.body.contains("Your reference"));
    let bad = stranger.post("/s/digital-inclusion/remove", &[("reference", "not one")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Enter your reference"));

    let known = stranger.post("/s/digital-inclusion/remove", &[("reference", &reference.to_lowercase())]).await;
    let unknown = stranger.post("/s/digital-inclusion/remove", &[("reference", "ZZZZ2222")]).await;
    assert_eq!((known.status, &known.body), (unknown.status, &unknown.body), "nobody can tell which references exist");
    assert!(known.body.contains("If the reference matched answers you sent, they have now been removed"));
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM response WHERE reference = '{reference}'")).await, 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM draft WHERE progress LIKE '%mine%'").await,
        0,
        "nor the draft it was sent from"
    );
    assert!(
        mine.get("/s/digital-inclusion").await.body.contains("Start now")
            && mine.get("/s/digital-inclusion").await.lacks("Continue where you left off"),
        "nothing to resume"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM response").await, 1, "only theirs");
    assert_eq!(respondents(&app).await, 1);
    let (before, after): (Option<String>, Option<String>) =
        sqlx::query_as("SELECT before, after FROM audit_log WHERE action = 'response.erase'")
            .fetch_one(&app.db.read)
            .await
            .unwrap();
    assert_eq!(before, None);
    assert!(!after.unwrap().contains("mine"), "audited without the answers");

    // Attempts are limited per address: 10 in 15 minutes.
    for _ in 0..8 {
        stranger.post("/s/digital-inclusion/remove", &[("reference", "ZZZZ2222")]).await;
    }
    let limited = stranger.post("/s/digital-inclusion/remove", &[("reference", &other)]).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(app.count("SELECT COUNT(*) FROM response").await, 1);
}

#[both_backends]
async fn staff_find_show_and_remove_a_response(app: TestApp) {
    // An officer's entry: its audit entries hold the answers until the response is removed.
    let officer = staff(&app, "officer@council.gov.uk", &[Role::Officer]).await;
    let location: i64 = sqlx::query_scalar("SELECT id FROM list_item WHERE list = 'location' ORDER BY id")
        .fetch_one(&app.db.read)
        .await
        .unwrap();
    officer
        .staff_post(
            "/staff/assist",
            &[("survey", SLUG), ("channel", "phone"), ("location", &location.to_string()), ("mode", "guided")],
        )
        .await;
    officer.answer("used_online", &[("answer", "no")]).await;
    officer.skip(&["why_not_online"]).await;
    officer.skip_the_rest(false).await;
    officer.answer("comments", &[("answer", "Said by phone")]).await;
    officer.submit().await;
    let reference = officer.done_reference().await;

    let admin = staff(&app, "admin@council.gov.uk", &[Role::Admin]).await;
    let found = admin.get(&format!("/staff/responses?reference={reference}")).await.body;
    assert!(found.contains("Said by phone") && found.contains("Download this response (JSON)"));
    let csv = admin.get(&format!("/staff/responses/{reference}.csv")).await;
    assert_eq!(csv.status, StatusCode::OK);
    let rows = csv::Reader::from_reader(csv.body.trim_start_matches('\u{feff}').as_bytes()).records().count();
    assert_eq!(rows, 1, "one response");
    assert!(csv.body.contains(&reference) && csv.body.contains("Said by phone"));
    let json: serde_json::Value =
        serde_json::from_str(&admin.get(&format!("/staff/responses/{reference}.json")).await.body).unwrap();
    assert_eq!(json["reference"], reference.as_str());
    assert!(
        json["answers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["question_id"] == "comments" && a["text"] == "Said by phone")
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'response.subject_access'").await, 3);
    assert!(
        admin
            .get("/staff/responses?reference=ZZZZ2222")
            .await
            .body
            .contains("There is no response with the reference ZZZZ2222")
    );

    let seen_by_officer = officer.get(&format!("/staff/responses?reference={reference}")).await.body;
    assert!(
        seen_by_officer.contains(&format!("Remove response {reference}")) && !seen_by_officer.contains("Said by phone"),
        "officers remove, admins see"
    );
    assert_eq!(officer.get(&format!("/staff/responses/{reference}.json")).await.status, StatusCode::FORBIDDEN);
    officer
        .staff_post(&format!("/staff/responses/{reference}/erase"), &[])
        .await
        .assert_redirect("/staff/responses?done=erased");
    assert_eq!(app.count("SELECT COUNT(*) FROM response").await, 0);
    let leftovers = app.count(&format!("SELECT COUNT(*) FROM audit_log WHERE subject = 'response/{reference}' AND (after LIKE '%Said by phone%' OR before LIKE '%Said by phone%')")).await;
    assert_eq!(leftovers, 0, "the audit log no longer holds the answers");
    assert_eq!(
        officer.staff_post(&format!("/staff/responses/{reference}/erase"), &[]).await.status,
        StatusCode::NOT_FOUND
    );
}

/// Residents keep sending answers while a backup is taken; every response acknowledged before the
/// backup started is in the restored database, with the same answers.
#[both_backends]
async fn a_backup_taken_under_load_restores_every_acknowledged_response(app: TestApp) {
    let acknowledged: Arc<Mutex<Vec<String>>> = Arc::default();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut load = Vec::new();
    for i in 0..4 {
        let (app, acknowledged, stop) = (app.another_browser(), acknowledged.clone(), stop.clone());
        load.push(tokio::spawn(async move {
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let (_, reference) = resident(&app, &format!("from client {i}")).await;
                acknowledged.lock().unwrap().push(reference);
            }
        }));
    }
    while acknowledged.lock().unwrap().len() < 12 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let before: Vec<String> = acknowledged.lock().unwrap().clone();
    let file = std::env::temp_dir().join(format!("inclusion-survey-backup-{}", rand_suffix()));
    let (url, out) = (app.database_url.clone(), file.clone());
    let backup = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_inclusion-survey"))
            .args(["backup", "--out"])
            .arg(&out)
            .env("DATABASE_URL", url)
            .env("RUST_LOG", "warn")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert!(backup.status.success(), "{}", String::from_utf8_lossy(&backup.stderr));
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600,
        "a backup is readable by its owner only"
    );
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for task in load {
        task.await.unwrap();
    }
    let sent_in_all = app.count("SELECT COUNT(*) FROM response").await;
    assert!(sent_in_all > before.len() as i64, "submissions carried on during the backup");

    let restore = |url: &str, force: bool| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_inclusion-survey"));
        command.arg("restore").arg(&file).env("DATABASE_URL", url).env("RUST_LOG", "warn");
        if force {
            command.arg("--force");
        }
        command.output().unwrap()
    };
    let refused = restore(&app.database_url, false);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("already holds data"));

    let backend =
        if app.database_url.starts_with("sqlite:") { common::Backend::Sqlite } else { common::Backend::Postgres };
    let target = common::fresh_database(backend).await;
    let restored = restore(&target, false);
    assert!(restored.status.success(), "{}", String::from_utf8_lossy(&restored.stderr));
    let copy = Db::connect(&target, 1).await.unwrap();
    let answers = |db: Db, reference: String| async move {
        let rows: Vec<(String, String, Option<String>)> = sqlx::query_as(
            "SELECT a.question_id, a.option_id, a.text FROM answer a JOIN response r ON r.id = a.response_id WHERE r.reference = $1 ORDER BY 1, 2",
        )
        .bind(reference)
        .fetch_all(&db.read)
        .await
        .unwrap();
        rows
    };
    for reference in &before {
        let (original, copied) =
            (answers(app.db.clone(), reference.clone()).await, answers(copy.clone(), reference.clone()).await);
        assert!(!copied.is_empty(), "{reference} was acknowledged before the backup and is missing");
        assert_eq!(original, copied, "{reference}");
    }
    let in_copy: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM response").fetch_one(&copy.read).await.unwrap();
    assert!(in_copy >= before.len() as i64 && in_copy <= sent_in_all);
    let _ = std::fs::remove_file(&file);
}

/// A name no other test in this run uses (the SQLite and PostgreSQL runs of a test run at once).
fn rand_suffix() -> String {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    format!("{}-{}", std::process::id(), NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
}

/// Erased stays erased: re-importing an export taken before a resident removed their answers is
/// refused at that row, with the reason, and imports nothing; nothing keeps the reference itself.
#[both_backends]
async fn an_erased_response_does_not_come_back_in_an_old_export(app: TestApp) {
    let (_, gone) = resident(&app, "please remove me later").await;
    let (_, kept) = resident(&app, "keep me").await;
    let admin = staff(&app, "admin@council.gov.uk", &[Role::Admin]).await;
    let export = admin.get("/staff/surveys/digital-inclusion/export/responses.csv?bom=0").await.body;
    app.another_browser().post("/s/digital-inclusion/remove", &[("reference", &gone)]).await;
    assert_eq!(respondents(&app).await, 1);
    let kept_digests: Vec<String> =
        sqlx::query_scalar("SELECT digest FROM erased").fetch_all(&app.db.read).await.unwrap();
    assert_eq!(kept_digests.len(), 1, "the reference, as a keyed hash");
    assert!(!kept_digests[0].contains(&gone), "never the reference itself");

    let page = admin.upload("/staff/surveys/digital-inclusion/import", "old.csv", export.into_bytes()).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
    assert!(page.body.contains(&format!("{gone}: its response was removed at the resident")), "{}", page.body);
    assert!(page.lacks(&format!("{kept}: its response")));
    assert_eq!(respondents(&app).await, 1, "nothing imported");
    assert_eq!(app.count("SELECT COUNT(*) FROM response").await, 1);
    app.assert_totals_match().await;
}

/// A resident who removes their answers while an import holding them is still under way (their
/// row hidden until it finishes) is not dropped silently: the import stops, saying which row.
#[both_backends]
async fn an_erasure_during_an_import_stops_it(app: TestApp) {
    use inclusion_survey::export::import::finish;
    let checked_at = now();
    let reference = "ABCD2345";
    let run = app.import_under_way(reference).await;
    let removed = app.another_browser().post("/s/digital-inclusion/remove", &[("reference", reference)]).await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM erased").await, 1, "remembered, though not yet shown");

    let key = inclusion_survey::keys::ServerKey::load(None, &app.db).await.unwrap();
    let outcome = finish(&app.db, &key, run, checked_at, None).await.unwrap();
    assert_eq!(outcome, Err([reference.to_owned()].into_iter().collect()), "the import stops and says which row");
    assert_eq!(app.count("SELECT COUNT(*) FROM response").await, 0, "and shows nothing");
    assert_eq!(app.count("SELECT COUNT(*) FROM import_run").await, 0);
    assert_eq!(app.count("SELECT COALESCE(CAST(SUM(n) AS BIGINT), 0) FROM tally").await, 0);
}
