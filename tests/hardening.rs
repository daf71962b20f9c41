//! What must hold in a real council's first week: odd text never becomes a database error, deleted
//! answers do not linger, HTTPS is insisted on, and another site's links cannot write to the audit
//! log. On SQLite and PostgreSQL.

mod common;

use common::{TestApp, SLUG};
use inclusion_survey::config::Config;
use inclusion_survey::staff::account::Role;
use reqwest::StatusCode;

const HIDDEN: &str = "hidden control character";

async fn signed_in(app: &TestApp, email: &str, roles: &[Role]) -> TestApp {
    app.create_staff(email, roles).await;
    let staff = app.another_browser();
    staff.sign_in(email).await;
    staff
}

async fn control_characters_get_a_message_not_a_database_error(app: TestApp) {
    // A resident's free text.
    let r = app.another_browser();
    r.start().await;
    r.answer_all(&[("used_online", &["no"]), ("why_not_online", &["cost"])]).await;
    for q in ["go_online_how", "confidence_online", "help_wanted", "age_band", "ward", "disability"] {
        r.answer(q, &[]).await;
    }
    let before = app.drafts().await;
    for text in ["null\u{0}byte", "bell\u{7}", "escape\u{1b}[2J"] {
        let page = r.answer("comments", &[("answer", text)]).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{text:?}");
        assert!(page.body.contains(HIDDEN), "{}", page.body);
    }
    assert_eq!(app.drafts().await, before, "nothing changed");
    // Line breaks and tabs are text, not control characters to refuse.
    r.answer("comments", &[("answer", "Line one\r\nline two\tand a tab")]).await.assert_redirect(&app.survey_path("/check"));

    // Staff forms: a list an admin keeps, contact details after sending.
    let admin = signed_in(&app, "admin@council.gov.uk", &[Role::Admin]).await;
    let lists = app.count("SELECT COUNT(*) FROM list_item").await;
    let refused = admin.staff_post("/staff/lists/location", &[("label", "Library\u{0}")]).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.body.contains(HIDDEN));
    assert_eq!(app.count("SELECT COUNT(*) FROM list_item").await, lists);

    r.submit().await.assert_redirect(&app.survey_path("/done"));
    r.post(&app.survey_path("/contact"), &[("consent", "yes")]).await;
    let details = r.post(&app.survey_path("/contact/details"), &[("name", "Jo\u{0}"), ("phone", "07700 900123")]).await;
    assert_eq!(details.status, StatusCode::BAD_REQUEST);
    assert_eq!(app.count("SELECT COUNT(*) FROM contact_request").await, 0);

    // A survey definition, with NUL written as TOML's own escape.
    let definition = r#"
id = "odd-text"
title = "Odd\u0000 text"
minutes = 1
[[questions]]
id = "q"
type = "single"
text = "Yes or no?"
options = [{ id = "yes", label = "Yes" }, { id = "no", label = "No" }]
"#;
    let upload = admin.upload("/staff/survey-files", "odd.toml", definition.as_bytes().to_vec()).await;
    assert_eq!(upload.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", upload.body);
    assert!(upload.body.contains("Title contains a control character"), "{}", upload.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM survey").await, 1);

    // A row of an imported file.
    let header = admin.get(&format!("/staff/surveys/{SLUG}/export/responses.csv?bom=0")).await.body;
    let header = header.lines().next().unwrap().to_owned();
    let row: Vec<&str> = header
        .split(',')
        .map(|column| match column {
            "reference" => "ABCD2345",
            "submitted_at" => "2026-11-20T10:00:00Z",
            "survey_version" => "1",
            "channel" => "paper",
            "used_online" => "no",
            "comments" => "typed up\u{0}",
            _ => "",
        })
        .collect();
    let csv = format!("{header}\n{}\n", row.join(","));
    let imported = admin.upload(&format!("/staff/surveys/{SLUG}/import"), "responses.csv", csv.into_bytes()).await;
    assert!(imported.body.contains("control character"), "{}", imported.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM response").await, 1, "only the resident's own");
}

async fn audited_downloads_cannot_be_started_by_another_site(app: TestApp) {
    let admin = signed_in(&app, "admin@council.gov.uk", &[Role::Admin]).await;
    let path = format!("/staff/surveys/{SLUG}/export/summary.csv");
    let audited = || app.count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'export.%' OR action = 'response.subject_access'");
    let before = audited().await;
    for target in [path.as_str(), "/staff/responses?reference=ABCD2345", "/staff/responses/ABCD2345.json"] {
        let from_elsewhere = admin.client.get(app.url(target)).header("sec-fetch-site", "cross-site").send().await.unwrap();
        assert_eq!(from_elsewhere.status(), StatusCode::FORBIDDEN, "{target}");
        assert!(from_elsewhere.text().await.unwrap().contains("Open this from the service"));
    }
    assert_eq!(audited().await, before, "nothing written to the audit log");
    let from_here = admin.client.get(app.url(&path)).header("sec-fetch-site", "same-origin").send().await.unwrap();
    assert_eq!(from_here.status(), StatusCode::OK);
    assert_eq!(audited().await, before + 1);
}

on_both_backends!(control_characters_get_a_message_not_a_database_error, audited_downloads_cannot_be_started_by_another_site);

/// Erased answers are overwritten in the SQLite file, not left in its free pages.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn erased_answers_do_not_linger_in_the_sqlite_file() {
    let app = common::spawn_app(common::Backend::Sqlite).await;
    let marker = "Marmalade-Sandwich-Witness-7731";
    let r = app.another_browser();
    r.start().await;
    r.answer_all(&[("used_online", &["no"]), ("why_not_online", &["cost"])]).await;
    for q in ["go_online_how", "confidence_online", "help_wanted", "age_band", "ward", "disability"] {
        r.answer(q, &[]).await;
    }
    r.answer("comments", &[("answer", marker)]).await;
    r.submit().await;
    let reference = r.done_reference().await;
    let path = app.database_url.trim_start_matches("sqlite:").to_owned();
    let on_disk = || {
        let mut bytes = std::fs::read(&path).unwrap();
        bytes.extend(std::fs::read(format!("{path}-wal")).unwrap_or_default());
        bytes.windows(marker.len()).any(|w| w == marker.as_bytes())
    };
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&app.db.write).await.unwrap();
    assert!(on_disk(), "the answer is in the file before it is erased");

    r.post(&app.survey_path("/remove"), &[("reference", &reference)]).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM response").await, 0);
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&app.db.write).await.unwrap();
    assert!(!on_disk(), "the erased answer is overwritten, not left in a free page");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_is_insisted_on_only_when_served_over_it() {
    let plain = common::spawn_app(common::Backend::Sqlite).await;
    assert!(plain.get("/s/digital-inclusion").await.headers.get("strict-transport-security").is_none());
    let mut config = Config::for_database(common::fresh_database(common::Backend::Sqlite).await);
    config.secure_cookies = true;
    let secure = common::spawn_app_on(config).await;
    let page = secure.get("/s/digital-inclusion").await;
    assert_eq!(page.headers.get("strict-transport-security").unwrap(), "max-age=31536000");
}
