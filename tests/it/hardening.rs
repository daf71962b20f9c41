//! What must hold in a real council's first week: odd text never becomes a database error, deleted
//! answers do not linger, HTTPS is insisted on, and another site's links cannot write to the audit
//! log. On SQLite and PostgreSQL.

use crate::common;
use it_macros::both_backends;

use common::{SLUG, TestApp};
use inclusion_survey::auth::account::Role;
use inclusion_survey::config::Config;
use reqwest::StatusCode;

const HIDDEN: &str = "hidden control character";

#[both_backends]
async fn control_characters_get_a_message_not_a_database_error(app: TestApp) {
    // A resident's free text.
    let r = app.another_browser();
    r.start().await;
    r.answer_all(&[("used_online", &["no"]), ("why_not_online", &["cost"])]).await;
    r.skip_the_rest(false).await;
    let before = app.drafts().await;
    for text in ["null\u{0}byte", "bell\u{7}", "escape\u{1b}[2J"] {
        let page = r.answer("comments", &[("answer", text)]).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{text:?}");
        assert!(page.body.contains(HIDDEN), "{}", page.body);
    }
    assert_eq!(app.drafts().await, before, "nothing changed");
    // Line breaks and tabs are text, not control characters to refuse.
    r.answer("comments", &[("answer", "Line one\r\nline two\tand a tab")])
        .await
        .assert_redirect(&app.survey_path("/check"));

    // Staff forms: a list an admin keeps, contact details after sending.
    let admin = app.signed_in_as("admin@council.gov.uk", &[Role::Admin]).await;
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

#[both_backends]
async fn audited_downloads_cannot_be_started_by_another_site(app: TestApp) {
    let admin = app.signed_in_as("admin@council.gov.uk", &[Role::Admin]).await;
    let path = format!("/staff/surveys/{SLUG}/export/summary.csv");
    let audited = || {
        app.count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'export.%' OR action = 'response.subject_access'")
    };
    let before = audited().await;
    for target in [path.as_str(), "/staff/responses?reference=ABCD2345", "/staff/responses/ABCD2345.json"] {
        let from_elsewhere =
            admin.client.get(app.url(target)).header("sec-fetch-site", "cross-site").send().await.unwrap();
        assert_eq!(from_elsewhere.status(), StatusCode::FORBIDDEN, "{target}");
        assert!(from_elsewhere.text().await.unwrap().contains("Open this from the service"));
    }
    assert_eq!(audited().await, before, "nothing written to the audit log");
    let from_here = admin.client.get(app.url(&path)).header("sec-fetch-site", "same-origin").send().await.unwrap();
    assert_eq!(from_here.status(), StatusCode::OK);
    assert_eq!(audited().await, before + 1);
}

/// Erased answers are overwritten in the SQLite file, not left in its free pages.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn erased_answers_do_not_linger_in_the_sqlite_file() {
    let app = common::spawn_app(common::Backend::Sqlite).await;
    let marker = "Marmalade-Sandwich-Witness-7731";
    let r = app.another_browser();
    r.start().await;
    r.answer_all(&[("used_online", &["no"]), ("why_not_online", &["cost"])]).await;
    r.skip_the_rest(false).await;
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

/// The built-in survey's definition without its last question ("comments"), as the next version:
/// the question and its text in every language.
fn without_comments(toml: &str) -> String {
    let at = toml.find("id = \"comments\"").expect("the comments question");
    let start = toml[..at].rfind("[[questions]]").unwrap();
    let end = toml[at..].find("\n[").map_or(toml.len(), |i| at + i + 1);
    let mut toml = format!("{}{}", &toml[..start], &toml[end..]);
    while let Some(start) = toml.find(".questions.comments]") {
        let start = toml[..start].rfind('[').unwrap();
        let end = toml[start..].find("\n[").map_or(toml.len(), |i| start + i + 1);
        toml.replace_range(start..end, "");
    }
    toml
}

#[both_backends]
async fn every_answer_ever_given_is_exported_and_handed_back(app: TestApp) {
    let admin = app.signed_in_as("admin@council.gov.uk", &[Role::Admin]).await;
    let r = app.another_browser();
    r.start().await;
    r.answer_all(&[("used_online", &["no"]), ("why_not_online", &["cost"])]).await;
    r.skip_the_rest(false).await;
    r.answer("comments", &[("answer", "Said on version one")]).await;
    r.submit().await;
    let reference = r.done_reference().await;

    // Version 2 no longer asks for comments.
    let v1 = admin.get(&format!("/staff/surveys/{SLUG}/versions/1.toml")).await.body;
    admin
        .upload(&format!("/staff/surveys/{SLUG}/upload"), "v2.toml", without_comments(&v1).into_bytes())
        .await
        .assert_redirect(&format!("/staff/surveys/{SLUG}/manage?done=uploaded"));
    admin
        .staff_post(&format!("/staff/surveys/{SLUG}/publish"), &[])
        .await
        .assert_redirect(&format!("/staff/surveys/{SLUG}/manage?done=published"));
    let later = app.another_browser();
    later.start().await;
    later.answer_all(&[("used_online", &["yes"])]).await;
    later.skip(&["use_again"]).await;
    later.skip_the_rest(false).await;
    later.submit().await.assert_redirect(&app.survey_path("/done"));

    let export = admin.get(&format!("/staff/surveys/{SLUG}/export/responses.csv?bom=0")).await.body;
    let mut lines = export.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(header.last(), Some(&"comments"), "a question only version 1 asked keeps its column");
    assert!(export.contains("Said on version one"), "{export}");
    let labelled = admin.get(&format!("/staff/surveys/{SLUG}/export/responses.csv?bom=0&labels=1")).await.body;
    assert!(
        labelled.contains("Is there anything else you want to tell us?") && labelled.contains("Said on version one")
    );

    // The resident's own copy holds it too.
    let own = admin.get(&format!("/staff/responses/{reference}.csv")).await.body;
    assert!(own.contains("Said on version one"), "{own}");

    // What goes out comes back in: the export re-imports into an empty database with every answer.
    let empty = common::spawn_app(common::Backend::Sqlite).await;
    let admin2 = empty.signed_in_as("admin@council.gov.uk", &[Role::Admin]).await;
    admin2.upload(&format!("/staff/surveys/{SLUG}/upload"), "v2.toml", without_comments(&v1).into_bytes()).await;
    admin2.staff_post(&format!("/staff/surveys/{SLUG}/publish"), &[]).await;
    let imported = admin2.upload(&format!("/staff/surveys/{SLUG}/import"), "r.csv", export.clone().into_bytes()).await;
    assert!(imported.body.contains("Imported 2 responses"), "{}", imported.body);
    assert_eq!(admin2.get(&format!("/staff/surveys/{SLUG}/export/responses.csv?bom=0")).await.body, export);
    // An answer in a column the row's version never asked is refused.
    let last = export.lines().last().unwrap();
    assert!(last.ends_with(','), "version 2's row leaves comments empty: {last}");
    let wrong = export.replace(last, &format!("{last}Not asked"));
    let refused = admin2.upload(&format!("/staff/surveys/{SLUG}/import"), "r.csv", wrong.into_bytes()).await;
    assert!(refused.body.contains("version 2 did not ask this"), "{}", refused.body);
}

/// A responses file with one row from 2014 (older than the default 24 months) and one from now.
async fn old_and_new_rows(admin: &TestApp) -> String {
    let export = admin.get(&format!("/staff/surveys/{SLUG}/export/responses.csv?bom=0")).await.body;
    let header = export.lines().next().unwrap().to_owned();
    let row = |reference: &str, at: &str| -> String {
        header
            .split(',')
            .map(|column| match column {
                "reference" => reference,
                "submitted_at" => at,
                "survey_version" => "1",
                "channel" => "paper",
                "used_online" => "yes",
                _ => "",
            })
            .collect::<Vec<_>>()
            .join(",")
    };
    let today = time::OffsetDateTime::now_utc().format(&time::format_description::well_known::Rfc3339).unwrap();
    format!("{header}\n{}\n{}\n", row("ABCD2345", "2014-03-12T10:00:00Z"), row("ABCD2346", &today))
}

#[both_backends]
async fn old_paper_forms_are_not_imported_to_be_deleted_unseen(app: TestApp) {
    let admin = app.signed_in_as("admin@council.gov.uk", &[Role::Admin]).await;
    let csv = old_and_new_rows(&admin).await;
    let import = format!("/staff/surveys/{SLUG}/import");
    let refused = admin.upload(&import, "old.csv", csv.clone().into_bytes()).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("1 row was answered before") && refused.body.contains("more than 24 months ago"),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("name=\"keep_until\""), "the form asks how long to keep them");
    assert_eq!(app.count("SELECT COUNT(*) FROM response").await, 0, "nothing imported");

    // With a date to keep them until: imported, and retention leaves them until that day.
    let csrf = admin.csrf("/staff").await;
    let until = (time::OffsetDateTime::now_utc() + time::Duration::days(400)).date().to_string();
    let form = reqwest::multipart::Form::new()
        .text("csrf", csrf)
        .part("file", reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("old.csv"))
        .text("keep_until", until.clone());
    let kept = admin.client.post(admin.url(&import)).multipart(form).send().await.unwrap();
    let body = kept.text().await.unwrap();
    assert!(body.contains("Imported 2 responses") && body.contains("They are kept until"), "{body}");
    let catalogue = inclusion_survey::survey::Catalogue::default();
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    inclusion_survey::privacy::retention::run(&app.db, &catalogue, "Council", now, false).await.unwrap();
    assert_eq!(app.count("SELECT COUNT(*) FROM response").await, 2, "kept past retention until the chosen day");
    inclusion_survey::privacy::retention::run(&app.db, &catalogue, "Council", now + 402 * 24 * 3600, false)
        .await
        .unwrap();
    assert_eq!(app.count("SELECT COUNT(*) FROM response WHERE reference = 'ABCD2345'").await, 0, "then deleted");
}

/// A backup holding answers past retention is not restored for retention to delete them unseen.
#[both_backends]
async fn a_restore_does_not_bring_back_answers_only_to_delete_them(app: TestApp) {
    let r = app.another_browser();
    r.start().await;
    r.answer_all(&[("used_online", &["yes"])]).await;
    r.skip(&["use_again"]).await;
    r.skip_the_rest(true).await;
    r.submit().await;
    sqlx::query("UPDATE response SET submitted_at = 1394618400").execute(&app.db.write).await.unwrap();
    // Named by the app's port: the SQLite and PostgreSQL runs of this test run at once.
    let port = app.address.rsplit(':').next().unwrap();
    let file = std::env::temp_dir().join(format!("restore-old-{}-{port}", std::process::id()));
    let _ = std::fs::remove_file(&file);
    let binary = |args: &[&str], url: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_inclusion-survey"))
            .args(args)
            .env("DATABASE_URL", url)
            .env("RUST_LOG", "warn")
            .output()
            .unwrap()
    };
    let file_arg = file.to_str().unwrap();
    let backup = binary(&["backup", "--out", file_arg], &app.database_url);
    assert!(backup.status.success(), "{}", String::from_utf8_lossy(&backup.stderr));

    let backend =
        if app.database_url.starts_with("sqlite:") { common::Backend::Sqlite } else { common::Backend::Postgres };
    let target = common::fresh_database(backend).await;
    let refused = binary(&["restore", file_arg], &target);
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(
        said.contains("1 responses in this backup are past their survey's retention period")
            && said.contains("--keep-until"),
        "{said}"
    );
    let until = (time::OffsetDateTime::now_utc() + time::Duration::days(60)).date().to_string();
    let kept = binary(&["restore", file_arg, "--keep-until", &until], &target);
    assert!(kept.status.success(), "{}", String::from_utf8_lossy(&kept.stderr));
    assert!(String::from_utf8_lossy(&kept.stdout).contains("1 responses past their retention period are kept until"));
    let restored = inclusion_survey::db::Db::connect(&target, 1).await.unwrap();
    let keep: Option<i64> =
        sqlx::query_scalar("SELECT keep_until FROM response").fetch_one(&restored.read).await.unwrap();
    assert!(keep.is_some_and(|k| k > time::OffsetDateTime::now_utc().unix_timestamp()));
    let _ = std::fs::remove_file(&file);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_line_import_refuses_rows_past_retention_unless_kept() {
    let app = common::spawn_app(common::Backend::Sqlite).await;
    let admin = app.signed_in_as("admin@council.gov.uk", &[Role::Admin]).await;
    let file = std::env::temp_dir().join(format!("old-{}.csv", std::process::id()));
    std::fs::write(&file, old_and_new_rows(&admin).await).unwrap();
    let run = |extra: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_inclusion-survey"))
            .args(["import", "responses", "--survey", SLUG])
            .arg(&file)
            .args(extra)
            .env("DATABASE_URL", &app.database_url)
            .env("RUST_LOG", "warn")
            .output()
            .unwrap()
    };
    let refused = run(&[]);
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("--keep-until"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    assert!(!run(&["--keep-until", "2014-01-01"]).status.success(), "a day in the past is refused");
    assert_eq!(app.count("SELECT COUNT(*) FROM response").await, 0);
    let until = (time::OffsetDateTime::now_utc() + time::Duration::days(30)).date().to_string();
    let kept = run(&["--keep-until", &until]);
    assert!(kept.status.success(), "{}", String::from_utf8_lossy(&kept.stderr));
    assert!(String::from_utf8_lossy(&kept.stdout).contains("kept until"));
    assert_eq!(app.count("SELECT COUNT(*) FROM response WHERE keep_until IS NOT NULL").await, 1);
}

/// Every figure of a group whose total is published, exact and as published: no held-back figure
/// may equal the total less the published rest, and none may be held back alone.
#[track_caller]
fn assert_nothing_recoverable(table: &str, total: (i64, Cell), parts: &[(i64, Cell)]) {
    if total.1 == Cell::Suppressed {
        return;
    }
    let held: Vec<i64> = parts.iter().filter(|(_, shown)| *shown == Cell::Suppressed).map(|(n, _)| *n).collect();
    let published: i64 = parts
        .iter()
        .filter_map(|(_, shown)| match shown {
            Cell::Count(n) => Some(*n),
            Cell::Suppressed => None,
        })
        .sum();
    let difference = total.0 - published;
    assert!(held.len() != 1, "{table}: one figure held back alone ({difference}) is the total less the rest");
    assert!(
        !held.iter().any(|n| *n > 0 && *n == difference),
        "{table}: a held-back {difference} equals the total less the rest"
    );
}

use inclusion_survey::insight::Cell;

#[both_backends]
async fn publishable_tables_give_nothing_away(app: TestApp) {
    let admin = app.signed_in_as("admin@council.gov.uk", &[Role::Admin]).await;
    // 16 people: 12 in person, 3 by phone, 1 from paper; a small group in every breakdown.
    let export = admin.get(&format!("/staff/surveys/{SLUG}/export/responses.csv?bom=0")).await.body;
    let header = export.lines().next().unwrap().to_owned();
    let today = time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .unwrap()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let mut csv = format!("{header}\n");
    for i in 0..16usize {
        let channel = match i {
            0..12 => "in_person",
            12..15 => "phone",
            _ => "paper",
        };
        let used = if i % 4 == 3 || i >= 13 { "no" } else { "yes" };
        let ward = ["billingham_central", "billingham_east", "billingham_north"][if i < 10 {
            0
        } else if i < 13 {
            1
        } else {
            2
        }];
        let reference = format!(
            "ABCD{}",
            [
                "2345", "2346", "2347", "2348", "2349", "234A", "234B", "234C", "234D", "234E", "234F", "234G", "234H",
                "234J", "234K", "234M"
            ][i]
        );
        let row: Vec<&str> = header
            .split(',')
            .map(|c| match c {
                "reference" => reference.as_str(),
                "submitted_at" => today.as_str(),
                "survey_version" => "1",
                "channel" => channel,
                "used_online" => used,
                "ward" => ward,
                "why_not_online:no_device" if used == "no" => {
                    if i == 3 {
                        "1"
                    } else {
                        "0"
                    }
                }
                c if used == "no" && c.starts_with("why_not_online:") && !c.ends_with("other_text") => {
                    if c.ends_with(":cost") { "1" } else { "0" }
                }
                _ => "",
            })
            .collect();
        csv += &format!("{}\n", row.join(","));
    }
    let imported = admin.upload(&format!("/staff/surveys/{SLUG}/import"), "small.csv", csv.into_bytes()).await;
    assert!(imported.body.contains("Imported 16 responses"), "{}", imported.body);

    let catalogue = inclusion_survey::survey::Catalogue::default();
    let version = catalogue.current(&app.db, SLUG).await.unwrap().unwrap();
    let filters = inclusion_survey::responses::filters::Filters::default();
    let threshold = 5;
    let value = |c: Cell| match c {
        Cell::Count(n) => n,
        Cell::Suppressed => panic!("exact figures are never held"),
    };
    use inclusion_survey::insight::publish::publication;

    // Who answered: each breakdown adds up to everyone.
    let exact = inclusion_survey::insight::profile::profile(&app.db, version.survey_id, &filters).await.unwrap();
    let published = publication(&app.db, &catalogue, &version, None, threshold).await.unwrap();
    let shown = &published.profile;
    let everyone = (value(exact.respondents), shown.respondents);
    let by_label =
        |rows: &[(String, Cell)], label: &str| rows.iter().find(|(l, _)| l == label).map(|(_, c)| *c).unwrap();
    for (name, e, s) in [
        ("channel", &exact.by_channel, &shown.by_channel),
        ("location", &exact.by_location, &shown.by_location),
        ("week", &exact.by_week, &shown.by_week),
    ] {
        let parts: Vec<(i64, Cell)> = e.iter().map(|(label, n)| (value(*n), by_label(s, label))).collect();
        assert_nothing_recoverable(name, everyone, &parts);
    }
    assert_eq!(by_label(&shown.by_channel, "By phone"), Cell::Suppressed, "3 by phone");
    assert_eq!(by_label(&shown.by_channel, "From a paper form"), Cell::Suppressed, "1 from paper");
    // Held rows come after the published ones, by label: their place says nothing of their size.
    let labels: Vec<&str> = shown.by_channel.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(labels, ["In person", "By phone", "From a paper form"]);
    assert!(shown.combinations.is_empty(), "combinations of barriers are too fine to publish");

    // Each question's table, and a follow-up's base beside the answers that open it.
    let summary = inclusion_survey::insight::summarise(&app.db, &catalogue, &version, &filters).await.unwrap();
    let get =
        |s: &inclusion_survey::insight::Summary, id: &str| s.questions.iter().find(|q| q.id == id).unwrap().clone();
    for (e, s) in summary.questions.iter().zip(&published.summary.questions) {
        if matches!(e.kind, inclusion_survey::survey::Kind::Single | inclusion_survey::survey::Kind::Scale) {
            let parts: Vec<(i64, Cell)> = e.rows.iter().zip(&s.rows).map(|(e, s)| (value(e.count), s.count)).collect();
            assert_nothing_recoverable(&e.id, (value(e.base), s.base), &parts);
        }
    }
    let (used, why) = (get(&summary, "used_online"), get(&summary, "why_not_online"));
    let (used_shown, why_shown) = (get(&published.summary, "used_online"), get(&published.summary, "why_not_online"));
    let opening: Vec<(i64, Cell)> = ["no", "not_sure"]
        .iter()
        .map(|o| {
            let row =
                |q: &inclusion_survey::insight::QuestionSummary| q.rows.iter().find(|r| r.id == *o).unwrap().count;
            (value(row(&used)), row(&used_shown))
        })
        .collect();
    assert_nothing_recoverable("why_not_online's base", (value(why.base), why_shown.base), &opening);

    // A cross-tab by channel: its column bases are the channel counts, held as in the headline.
    for by in ["channel", "ward"] {
        let exact =
            inclusion_survey::insight::crosstab::crosstab(&app.db, &catalogue, &version, &filters, "used_online", by)
                .await
                .unwrap()
                .unwrap();
        let shown = publication(&app.db, &catalogue, &version, Some(("used_online", by)), threshold)
            .await
            .unwrap()
            .crosstab
            .unwrap();
        for (e, s) in exact.iter().zip(&shown) {
            let parts: Vec<(i64, Cell)> =
                e.summary.rows.iter().zip(&s.summary.rows).map(|(e, s)| (value(e.count), s.count)).collect();
            assert_nothing_recoverable(&format!("{by} {}", e.label), (value(e.summary.base), s.summary.base), &parts);
            if by == "channel" && value(e.summary.base) > 0 {
                assert_eq!(
                    s.summary.base,
                    by_label(&published.profile.by_channel, &e.label),
                    "{}: the column base is the channel's count",
                    e.label
                );
            }
        }
        for (row, (exact_row, published_row)) in used.rows.iter().zip(&used_shown.rows).enumerate() {
            let parts: Vec<(i64, Cell)> = exact
                .iter()
                .zip(&shown)
                .map(|(e, s)| (value(e.summary.rows[row].count), s.summary.rows[row].count))
                .collect();
            assert_nothing_recoverable(
                &format!("{by}: {}", exact_row.id),
                (value(exact_row.count), published_row.count),
                &parts,
            );
        }
    }

    // Filters are not for publishing: a download says so, the page leaves them off and says why.
    let refused = admin.get(&format!("/staff/surveys/{SLUG}/export/summary.csv?publishable=1&language=en")).await;
    assert_eq!(refused.status, reqwest::StatusCode::BAD_REQUEST);
    assert!(refused.body.contains("Figures for publishing are of every response"), "{}", refused.body);
    let page = admin.get(&format!("/staff/surveys/{SLUG}?publishable=1&channel=phone")).await;
    assert_eq!(page.status, reqwest::StatusCode::OK);
    assert!(page.body.contains("so the filters are not applied"), "{}", page.body);
    assert!(page.body.contains("16 people answered"), "every response, not the 3 by phone");
}
