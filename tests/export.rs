//! The responses export: safe in spreadsheets, stable columns, filters, roles, and the command line
//! giving the same file, on SQLite and PostgreSQL.

mod common;

use common::TestApp;
use inclusion_survey::staff::account::Role;
use reqwest::StatusCode;
use std::collections::HashMap;

const ANALYST: &str = "analyst@council.gov.uk";
const BOM: &str = "\u{feff}";

const FORMULA: &str = "=HYPERLINK(\"http://evil.example\",\"click\")";
const LINES: &str = "Line one\nLine two, with \"quotes\", commas; and more";
const WORLD: &str = "Diolch yn fawr \u{2014} \u{175}\u{177}; Za\u{17c}\u{f3}\u{142}\u{107} g\u{119}\u{15b}l\u{105} ja\u{17a}\u{144} \u{1f600}";

/// A resident who never used online services, with a comment.
async fn never_used(app: &TestApp, comment: &str, other: &str) -> String {
    let resident = app.another_browser();
    resident.start().await;
    resident.answer("used_online", &[("answer", "no")]).await;
    resident.answer("why_not_online", &[("answer", "no_internet"), ("answer", "other"), ("other", other)]).await;
    for q in ["go_online_how", "confidence_online", "help_wanted", "age_band", "ward", "disability"] {
        resident.answer(q, &[]).await;
    }
    resident.answer("comments", &[("answer", comment)]).await;
    resident.submit().await.assert_redirect("/s/digital-inclusion/done");
    resident.done_reference().await
}

async fn used_and_happy(app: &TestApp) -> String {
    let resident = app.another_browser();
    resident.start().await;
    resident.answer("used_online", &[("answer", "yes")]).await;
    resident.answer("use_again", &[("answer", "yes")]).await;
    for q in ["go_online_how", "confidence_online", "help_wanted", "age_band", "ward", "disability", "comments"] {
        resident.answer(q, &[]).await;
    }
    resident.submit().await;
    resident.done_reference().await
}

fn parse(body: &str) -> (Vec<String>, Vec<HashMap<String, String>>) {
    let mut reader = csv::Reader::from_reader(body.trim_start_matches(BOM).as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    let rows = reader
        .records()
        .map(|r| header.iter().cloned().zip(r.unwrap().iter().map(str::to_owned)).collect())
        .collect();
    (header, rows)
}

async fn analyst(app: &TestApp) -> TestApp {
    app.create_staff(ANALYST, &[Role::Analyst]).await;
    let analyst = app.another_browser();
    analyst.sign_in(ANALYST).await;
    analyst
}

const EXPORT: &str = "/staff/surveys/digital-inclusion/export/responses.csv";

async fn responses_export_is_safe_for_spreadsheets(app: TestApp) {
    let formula = never_used(&app, FORMULA, "+44 7700 900000").await;
    let lines = never_used(&app, LINES, "-1").await;
    let world = never_used(&app, WORLD, "@home").await;
    let happy = used_and_happy(&app).await;
    let analyst = analyst(&app).await;

    let page = analyst.get(EXPORT).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.headers["content-type"], "text/csv; charset=utf-8");
    let disposition = page.headers["content-disposition"].to_str().unwrap();
    assert!(disposition.starts_with("attachment; filename=\"digital-inclusion-responses-20"), "{disposition}");
    assert!(page.body.starts_with(BOM), "downloads start with a byte order mark");

    let (header, rows) = parse(&page.body);
    assert_eq!(&header[..6], ["reference", "submitted_at", "survey_version", "channel", "location", "officer"]);
    assert_eq!(rows.len(), 4);
    let by_ref: HashMap<&str, &HashMap<String, String>> = rows.iter().map(|r| (r["reference"].as_str(), r)).collect();
    assert_eq!(by_ref[formula.as_str()]["comments"], format!("'{FORMULA}"));
    assert_eq!(by_ref[formula.as_str()]["why_not_online:other_text"], "'+44 7700 900000");
    assert_eq!(by_ref[lines.as_str()]["comments"], LINES, "newlines, quotes and commas survive");
    assert_eq!(by_ref[lines.as_str()]["why_not_online:other_text"], "'-1");
    assert_eq!(by_ref[world.as_str()]["comments"], WORLD);
    assert_eq!(by_ref[world.as_str()]["why_not_online:other_text"], "'@home");

    let never = by_ref[formula.as_str()];
    assert_eq!(never["used_online"], "no");
    assert_eq!(never["why_not_online:no_internet"], "1");
    assert_eq!(never["why_not_online:cost"], "0");
    assert_eq!(never["use_again"], "", "not shown: empty");
    assert_eq!(never["go_online_how:smartphone"], "", "skipped: all empty");
    assert_eq!(never["channel"], "web");
    assert_eq!(never["survey_version"], "1");
    assert!(never["submitted_at"].ends_with('Z') && never["submitted_at"].contains('T'));
    assert_eq!(by_ref[happy.as_str()]["why_not_online:no_internet"], "");
    assert_eq!(by_ref[happy.as_str()]["use_again"], "yes");

    let labelled = analyst.get(&format!("{EXPORT}?labels=1&bom=0")).await;
    assert!(!labelled.body.starts_with(BOM));
    let (header, rows) = parse(&labelled.body);
    assert!(header.contains(&"Have you used any of the council's online services in the last 12 months?".to_owned()));
    assert!(rows.iter().any(|r| r["Have you used any of the council's online services in the last 12 months?"] == "I'm not sure" || r["Have you used any of the council's online services in the last 12 months?"] == "No"));

    assert_eq!(parse(&analyst.get(&format!("{EXPORT}?channel=phone")).await.body).1.len(), 0);
    assert_eq!(parse(&analyst.get(&format!("{EXPORT}?channel=web&from=2000-01-01")).await.body).1.len(), 4);
    assert_eq!(parse(&analyst.get(&format!("{EXPORT}?to=2000-01-01")).await.body).1.len(), 0);
    let bad = analyst.get(&format!("{EXPORT}?from=yesterday")).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("must look like 2026-03-31"));
    assert!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'export.responses'").await >= 4);
}

async fn only_analysts_and_admins_export(app: TestApp) {
    app.create_staff("officer@council.gov.uk", &[Role::Officer]).await;
    app.create_staff("admin@council.gov.uk", &[Role::Admin]).await;
    let officer = app.another_browser();
    officer.sign_in("officer@council.gov.uk").await;
    assert_eq!(officer.get(EXPORT).await.status, StatusCode::FORBIDDEN);
    let admin = app.another_browser();
    admin.sign_in("admin@council.gov.uk").await;
    assert_eq!(admin.get(EXPORT).await.status, StatusCode::OK);
    let resident = app.another_browser();
    assert!(resident.get(EXPORT).await.location.unwrap().starts_with("/staff/login"));
    assert_eq!(admin.get("/staff/surveys/nope/export/responses.csv").await.status, StatusCode::NOT_FOUND);
}

on_both_backends!(responses_export_is_safe_for_spreadsheets, only_analysts_and_admins_export);

#[tokio::test]
async fn the_command_line_writes_the_same_file() {
    let url = common::fresh_database(common::Backend::Sqlite).await;
    let app = common::spawn_app_on(inclusion_survey::config::Config::for_database(url.clone())).await;
    never_used(&app, FORMULA, "bus").await;
    never_used(&app, WORLD, "boat").await;
    let analyst = analyst(&app).await;
    let download = analyst.get(&format!("{EXPORT}?bom=0")).await.body;

    let out = std::env::temp_dir().join(format!("export-{}.csv", std::process::id()));
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_inclusion-survey"))
        .args(["export", "responses", "--survey", "digital-inclusion", "--out"])
        .arg(&out)
        .env("DATABASE_URL", &url)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    assert!(String::from_utf8_lossy(&status.stderr).contains("exported 2 responses"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), download);
}
