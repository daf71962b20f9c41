//! The responses export: safe in spreadsheets, stable columns, filters, roles, and the command line
//! giving the same file, on SQLite and PostgreSQL.

use crate::common;
use it_macros::both_backends;

use common::{TestApp, reference_for};
use inclusion_survey::auth::account::Role;
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
    resident.skip_the_rest(false).await;
    resident.answer("comments", &[("answer", comment)]).await;
    resident.submit().await.assert_redirect("/s/digital-inclusion/done");
    resident.done_reference().await
}

async fn used_and_happy(app: &TestApp) -> String {
    let resident = app.another_browser();
    resident.start().await;
    resident.answer("used_online", &[("answer", "yes")]).await;
    resident.answer("use_again", &[("answer", "yes")]).await;
    resident.skip_the_rest(true).await;
    resident.submit().await;
    resident.done_reference().await
}

fn parse(body: &str) -> (Vec<String>, Vec<HashMap<String, String>>) {
    let mut reader = csv::Reader::from_reader(body.trim_start_matches(BOM).as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    let rows =
        reader.records().map(|r| header.iter().cloned().zip(r.unwrap().iter().map(str::to_owned)).collect()).collect();
    (header, rows)
}

async fn analyst(app: &TestApp) -> TestApp {
    app.signed_in_as(ANALYST, &[Role::Analyst]).await
}

const EXPORT: &str = "/staff/surveys/digital-inclusion/export/responses.csv";

#[both_backends]
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
    assert_eq!(
        &header[..7],
        ["reference", "submitted_at", "survey_version", "channel", "location", "officer", "language"]
    );
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
    assert!(
        rows.iter()
            .any(|r| r["Have you used any of the council's online services in the last 12 months?"] == "I'm not sure"
                || r["Have you used any of the council's online services in the last 12 months?"] == "No")
    );

    assert_eq!(parse(&analyst.get(&format!("{EXPORT}?channel=phone")).await.body).1.len(), 0);
    assert_eq!(parse(&analyst.get(&format!("{EXPORT}?channel=web&from=2000-01-01")).await.body).1.len(), 4);
    assert_eq!(parse(&analyst.get(&format!("{EXPORT}?to=2000-01-01")).await.body).1.len(), 0);
    let bad = analyst.get(&format!("{EXPORT}?from=yesterday")).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("must look like 2026-03-31"));
    assert!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'export.responses'").await >= 4);
}

#[both_backends]
async fn only_analysts_and_admins_export(app: TestApp) {
    app.create_staff("officer@council.gov.uk", &[Role::Officer]).await;
    app.create_staff("admin@council.gov.uk", &[Role::Admin]).await;
    let officer = app.browser_signed_in("officer@council.gov.uk").await;
    assert_eq!(officer.get(EXPORT).await.status, StatusCode::FORBIDDEN);
    let admin = app.browser_signed_in("admin@council.gov.uk").await;
    assert_eq!(admin.get(EXPORT).await.status, StatusCode::OK);
    let resident = app.another_browser();
    assert!(resident.get(EXPORT).await.location.unwrap().starts_with("/staff/login"));
    assert_eq!(admin.get("/staff/surveys/nope/export/responses.csv").await.status, StatusCode::NOT_FOUND);
}

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

// ---- Import ----------------------------------------------------------------------------------

const ADMIN: &str = "admin@council.gov.uk";

async fn admin(app: &TestApp) -> TestApp {
    app.signed_in_as(ADMIN, &[Role::Admin]).await
}

/// Uploads a file through the import form, as a browser would.
async fn upload(admin: &TestApp, csv: &str) -> common::Page {
    let page = admin.get("/staff/surveys/digital-inclusion/import").await;
    assert_eq!(page.status, StatusCode::OK);
    admin.upload("/staff/surveys/digital-inclusion/import", "responses.csv", csv.as_bytes().to_vec()).await
}

#[both_backends]
async fn export_then_import_gives_the_same_bytes(app: TestApp) {
    never_used(&app, FORMULA, "+44 7700 900000").await;
    never_used(&app, LINES, "-1").await;
    never_used(&app, WORLD, "@home").await;
    used_and_happy(&app).await;
    let first = analyst(&app).await.get(&format!("{EXPORT}?bom=0")).await.body;

    let backend = match app.db.backend {
        inclusion_survey::db::Backend::Sqlite => common::Backend::Sqlite,
        inclusion_survey::db::Backend::Postgres => common::Backend::Postgres,
    };
    let fresh = common::spawn_app(backend).await;
    let admin = admin(&fresh).await;
    let imported = upload(&admin, &first).await;
    assert_eq!(imported.status, StatusCode::OK, "{}", imported.body);
    assert!(imported.body.contains("Imported 4 responses. 0 were already here"));
    let second = admin.get(&format!("{EXPORT}?bom=0")).await.body;
    assert_eq!(second, first, "export, import, export: the same bytes");

    let again = upload(&admin, &format!("\u{feff}{first}")).await;
    assert!(again.body.contains("Imported 0 responses. 4 were already here"), "{}", again.body);
    assert_eq!(fresh.count("SELECT COUNT(*) FROM response").await, 4);
    assert_eq!(fresh.count("SELECT COUNT(*) FROM audit_log WHERE action = 'import.responses'").await, 2);
}

#[both_backends]
async fn a_bad_row_stops_the_whole_import(app: TestApp) {
    never_used(&app, "fine", "bus").await;
    used_and_happy(&app).await;
    let reader = analyst(&app).await;
    let good = reader.get(&format!("{EXPORT}?bom=0")).await.body;
    let (header, rows) = parse(&good);
    let admin = admin(&app).await;
    let write = |rows: &[HashMap<String, String>]| {
        let mut out = csv::Writer::from_writer(Vec::new());
        out.write_record(&header).unwrap();
        for r in rows {
            out.write_record(header.iter().map(|h| r[h].as_str())).unwrap();
        }
        String::from_utf8(out.into_inner().unwrap()).unwrap()
    };
    let never = rows.iter().find(|r| r["used_online"] == "no").unwrap().clone();
    let change = |edits: &[(&str, &str)]| {
        let mut row = never.clone();
        row.insert("reference".into(), "ABCD2345".into());
        for (k, v) in edits {
            row.insert((*k).into(), (*v).into());
        }
        row
    };
    let long = "x".repeat(2001);
    // (cells to change, the column named in the message, the message)
    type Case<'a> = (Vec<(&'a str, &'a str)>, &'a str, &'a str);
    let cases: Vec<Case> = vec![
        (vec![("reference", "O0O0O0O0")], "reference", "must be 8 letters and digits"),
        (vec![("submitted_at", "31/03/2026")], "submitted_at", "must be a date and time"),
        (vec![("survey_version", "9")], "survey_version", "is not a version"),
        (vec![("channel", "pigeon")], "channel", "must be one of"),
        (vec![("location", "Atlantis")], "location", "is not on the list"),
        (vec![("officer", "nobody@council.gov.uk")], "officer", "is not a member of staff"),
        (
            vec![("language", "tlh")],
            "language",
            "must be one of the languages version 1 is offered in: en, cy, en-x-easyread",
        ),
        (vec![("used_online", "maybe")], "used_online", "Select one of the answers shown"),
        (vec![("used_online", "")], "used_online", "Select yes if you have used"),
        (vec![("use_again", "yes")], "use_again", "the earlier answers skip this question"),
        (vec![("why_not_online:cost", "2")], "why_not_online:cost", "must be 1, 0 or empty"),
        (vec![("why_not_online:cost", "")], "why_not_online", "fill every option column"),
        (vec![("comments", long.as_str())], "comments", "2,000 characters or fewer"),
    ];
    for (edits, column, reason) in cases {
        let mut bad = rows.clone();
        bad.push(change(&edits));
        let page = upload(&admin, &write(&bad)).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{column}");
        assert!(page.body.contains("Nothing was imported"), "{column}");
        assert!(page.body.contains(&format!("<td>4</td><td>{column}</td>")), "{column}: {}", page.body);
        assert!(page.body.contains(reason), "{reason}");
    }
    let twice = upload(&admin, &write(&[change(&[]), change(&[])])).await;
    assert!(twice.body.contains("is also on line 2"));
    let labelled = reader.get(&format!("{EXPORT}?labels=1")).await.body;
    let wrong = upload(&admin, &labelled).await;
    assert!(
        wrong.body.contains("is not in this survey&#x27;s export")
            || wrong.body.contains("is not in this survey's export"),
        "{}",
        wrong.body
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM response").await, 2, "nothing imported");

    // Paper forms typed up elsewhere have no reference: each gets a new one.
    let paper = upload(&admin, &write(&[change(&[("reference", "")]), change(&[("reference", "")])])).await;
    assert!(paper.body.contains("Imported 2 responses"), "{}", paper.body);
    assert_eq!(app.count("SELECT COUNT(DISTINCT reference) FROM response").await, 4);
}

/// A file of `numbers.len()` responses: two residents' exported answers again and again, under
/// references from the unambiguous alphabet, none of them theirs. Returns the file maker and the
/// reference of row `i`.
async fn long_file(
    app: &TestApp,
) -> (impl Fn(std::ops::Range<usize>) -> String, fn(usize) -> String, Vec<csv::StringRecord>, usize) {
    used_and_happy(app).await;
    never_used(app, WORLD, "bus").await;
    let export = analyst(app).await.get(&format!("{EXPORT}?bom=0")).await.body;
    let mut reader = csv::Reader::from_reader(export.as_bytes());
    let header = reader.headers().unwrap().clone();
    let column = header.iter().position(|c| c == "reference").unwrap();
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    fn reference(i: usize) -> String {
        reference_for(1_000 + i)
    }
    let file = {
        let records = records.clone();
        move |numbers: std::ops::Range<usize>| {
            let mut out = csv::Writer::from_writer(Vec::new());
            out.write_record(&header).unwrap();
            for i in numbers {
                let mut record: Vec<String> = records[i % 2].iter().map(str::to_owned).collect();
                record[column] = reference(i);
                out.write_record(&record).unwrap();
            }
            String::from_utf8(out.into_inner().unwrap()).unwrap()
        }
    };
    (file, reference, records, column)
}

/// An import longer than what is stored in one statement (25 responses to an insert, 62 answer
/// rows, 250 references looked up) and in one part (1,000 rows to a transaction) stores every row
/// once; imported again with new rows among the old, it adds only the new; the totals match a
/// recount.
#[both_backends]
async fn a_long_import_stores_every_row_once(app: TestApp) {
    let (file, reference, records, column) = long_file(&app).await;
    let admin = admin(&app).await;
    let first = upload(&admin, &file(0..1_203)).await;
    assert!(first.body.contains("Imported 1203 responses. 0 were already here"), "{}", first.body);
    let again = upload(&admin, &file(700..1_900)).await;
    assert!(again.body.contains("Imported 697 responses. 503 were already here"), "{}", again.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM response").await, 2 + 1_900);
    assert_eq!(app.count("SELECT COUNT(DISTINCT reference) FROM response").await, 2 + 1_900);
    let answers = |reference: String| {
        let db = app.db.clone();
        async move {
            sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM answer a JOIN response r ON r.id = a.response_id WHERE r.reference = $1",
            )
            .bind(reference)
            .fetch_one(&db.read)
            .await
            .unwrap()
        }
    };
    for i in [0, 1, 24, 25, 499, 500, 999, 1_000, 1_202, 1_203, 1_899] {
        assert_eq!(
            answers(reference(i)).await,
            answers(records[i % 2][column].to_owned()).await,
            "row {i} has all its answers"
        );
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM import_run").await + app.count("SELECT COUNT(*) FROM import_tally").await,
        0,
        "nothing left over"
    );
    app.assert_totals_match().await;
}

/// A long import is stored a part at a time, so that residents are not held up behind it (on
/// SQLite one connection writes at a time), yet readers see all of it or none: while it runs,
/// residents finish the survey, and the export never shows part of it.
#[both_backends]
async fn residents_answer_while_a_long_import_runs_and_see_it_whole(app: TestApp) {
    const ROWS: usize = 8_000;
    let (file, _, _, _) = long_file(&app).await;
    let admin = admin(&app).await;
    let reader = app.browser_signed_in(ADMIN).await;
    let body = file(0..ROWS);
    let importing = tokio::spawn(async move { upload(&admin, &body).await });
    let (mut finished_meanwhile, mut seen) = (0, std::collections::BTreeSet::new());
    let mut residents = 0;
    while !importing.is_finished() {
        used_and_happy(&app).await;
        residents += 1;
        finished_meanwhile += usize::from(!importing.is_finished());
        let exported = parse(&reader.get(EXPORT).await.body).1.len();
        seen.insert(exported - 2 - residents);
    }
    let page = importing.await.unwrap();
    assert!(page.body.contains(&format!("Imported {ROWS} responses. 0 were already here")), "{}", page.body);
    assert!(finished_meanwhile >= 2, "residents finished the survey while the import ran: {finished_meanwhile}");
    assert!(seen.iter().all(|n| *n == 0 || *n == ROWS), "the export showed part of the import: {seen:?}");
    assert_eq!(app.count("SELECT COUNT(*) FROM response").await as usize, 2 + residents + ROWS);
    app.assert_totals_match().await;
}

/// One import runs at a time: another is refused and changes nothing. An import whose process
/// died leaves its rows hidden; once it has stopped beating, the next import clears them away.
#[both_backends]
async fn a_stopped_import_is_cleared_away_and_one_runs_at_a_time(app: TestApp) {
    let (file, reference, _, _) = long_file(&app).await;
    let admin = admin(&app).await;
    let now = inclusion_survey::db::now();
    // What a process that died part way through leaves: a run, one of its responses with an
    // answer, and the response's counts.
    let run: i64 = sqlx::query_scalar(
        "INSERT INTO import_run (survey_id, started_at, heartbeat_at) SELECT id, $1, $1 FROM survey WHERE slug = 'digital-inclusion' RETURNING id",
    )
    .bind(now)
    .fetch_one(&app.db.write)
    .await
    .unwrap();
    let response: i64 = sqlx::query_scalar(
        "INSERT INTO response (reference, survey_id, survey_version_id, channel, submitted_at, day, import_id) \
         SELECT $1, s.id, s.current_version_id, 'paper', $2, 0, $3 FROM survey s WHERE s.slug = 'digital-inclusion' RETURNING id",
    )
    .bind(reference(1))
    .bind(now)
    .bind(run)
    .fetch_one(&app.db.write)
    .await
    .unwrap();
    for sql in [
        "INSERT INTO answer (response_id, question_id, option_id) VALUES ($1, 'used_online', 'yes')",
        "INSERT INTO import_tally (import_id, about_question, about_option, survey_version_id, day, channel, location_id, question_id, option_id, n) \
         SELECT $2, '', '', survey_version_id, 0, 'paper', 0, '', '', 1 FROM response WHERE id = $1",
    ] {
        sqlx::query(sql).bind(response).bind(run).execute(&app.db.write).await.unwrap();
    }
    let exported = || async { parse(&admin.get(EXPORT).await.body).1.len() };
    assert_eq!(exported().await, 2, "a run's rows are hidden until it finishes");
    app.assert_totals_match().await;

    let busy = upload(&admin, &file(0..3)).await;
    assert_eq!(busy.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(busy.body.contains("Another import has been under way since"), "{}", busy.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM response").await, 3, "nothing imported");

    let stopped = now - inclusion_survey::export::import::run::ABANDONED_AFTER - 1;
    sqlx::query("UPDATE import_run SET heartbeat_at = $1").bind(stopped).execute(&app.db.write).await.unwrap();
    let page = upload(&admin, &file(0..3)).await;
    assert!(
        page.body.contains("Imported 3 responses. 0 were already here"),
        "the stopped run's row was cleared, not taken as imported: {}",
        page.body
    );
    assert_eq!(exported().await, 5);
    assert_eq!(app.count("SELECT COUNT(*) FROM response").await, 5);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM import_run").await + app.count("SELECT COUNT(*) FROM import_tally").await,
        0
    );
    app.assert_totals_match().await;
}

/// An import that only stalled (a slow disk, a paused process) past the time after which it is
/// taken for dead: once a clearer has claimed it, it can no longer finish, so it cannot add the
/// counts of rows being cleared; of two clearers only one claims it; and a clearer that died
/// halfway is itself cleared up after as long.
#[both_backends]
async fn a_claimed_import_cannot_finish_and_is_cleared_once(app: TestApp) {
    use inclusion_survey::export::import::run::{ABANDONED_AFTER, claim, clear_abandoned};
    let run = app.import_under_way("ABCD2345").await;
    let now = inclusion_survey::db::now();
    let stale = now - ABANDONED_AFTER - 1;
    sqlx::query("UPDATE import_run SET heartbeat_at = $1").bind(stale).execute(&app.db.write).await.unwrap();

    // A clearer claims it; the stalled import wakes and tries to finish.
    assert!(claim(&app.db, run.id, stale).await.unwrap());
    assert!(!claim(&app.db, run.id, stale).await.unwrap(), "a second clearer does not claim it again");
    let mut tx = app.db.write.begin().await.unwrap();
    assert!(run.finish(&mut tx).await.is_err(), "a claimed run cannot finish");
    tx.rollback().await.unwrap();
    assert_eq!(app.count("SELECT COUNT(*) FROM response WHERE import_id IS NULL").await, 0, "nothing shown");
    assert_eq!(clear_abandoned(&app.db).await.unwrap(), 0, "claimed just now: the clearer is still at work");

    // The clearer died halfway: after as long, the next one clears it, once.
    sqlx::query("UPDATE import_run SET heartbeat_at = $1").bind(-stale).execute(&app.db.write).await.unwrap();
    let (a, b) = tokio::join!(clear_abandoned(&app.db), clear_abandoned(&app.db));
    assert_eq!(a.unwrap() + b.unwrap(), 1, "two clearers at once clear it once");
    assert_eq!(app.count("SELECT COUNT(*) FROM response").await, 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM import_run").await + app.count("SELECT COUNT(*) FROM import_tally").await,
        0
    );
    let counted = app.count("SELECT COALESCE(CAST(SUM(n) AS BIGINT), 0) FROM tally").await;
    assert_eq!(counted, 0, "no counts added for rows cleared away");
}

#[both_backends]
async fn only_admins_import(app: TestApp) {
    let analyst = analyst(&app).await;
    assert_eq!(analyst.get("/staff/surveys/digital-inclusion/import").await.status, StatusCode::FORBIDDEN);
    let officer = app.signed_in_as("officer@council.gov.uk", &[Role::Officer]).await;
    assert_eq!(officer.get("/staff/surveys/digital-inclusion/import").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_command_line_imports_an_export() {
    let source = common::spawn_app(common::Backend::Sqlite).await;
    never_used(&source, WORLD, "boat").await;
    let file = std::env::temp_dir().join(format!("import-{}.csv", std::process::id()));
    std::fs::write(&file, analyst(&source).await.get(EXPORT).await.body).unwrap();

    let url = common::fresh_database(common::Backend::Sqlite).await;
    let run = |path: &std::path::Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_inclusion-survey"))
            .args(["import", "responses", "--survey", "digital-inclusion"])
            .arg(path)
            .env("DATABASE_URL", &url)
            .env("RUST_LOG", "warn")
            .output()
            .unwrap()
    };
    let first = run(&file);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    assert!(String::from_utf8_lossy(&first.stdout).contains("imported 1 responses; 0 already there"));
    let again = run(&file);
    assert!(String::from_utf8_lossy(&again.stdout).contains("imported 0 responses; 1 already there"));

    std::fs::write(&file, "reference,nonsense\nABCD2345,1\n").unwrap();
    let bad = run(&file);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("nothing was imported"));

    // The file is read from disk by each pass (never held whole): one that is not there is said.
    let missing = run(&file.with_extension("gone"));
    assert!(!missing.status.success());
    let said = String::from_utf8_lossy(&missing.stderr);
    assert!(said.contains("line 1, file: the file cannot be read"), "{said}");
    std::fs::remove_file(&file).ok();
}

// ---- Summary -------------------------------------------------------------------------------

/// A reference for row `i`, from the unambiguous alphabet.

/// The Stockton survey's own figures: 110 residents; 51 had used the council's online services and
/// 59 had not; of the 51, 35 would use them again, 15 would not and 1 did not answer.
async fn seed_stockton(admin: &TestApp, header: &[String]) {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(header).unwrap();
    // Typed up a month ago: within the retention period, which refuses older rows unless kept.
    let month_ago = (time::OffsetDateTime::now_utc() - time::Duration::days(30)).replace_nanosecond(0).unwrap();
    let typed_up = month_ago.format(&time::format_description::well_known::Rfc3339).unwrap();
    for i in 0..110 {
        let mut row: HashMap<&str, String> = HashMap::new();
        row.insert("reference", reference_for(i));
        row.insert("submitted_at", typed_up.clone());
        row.insert("survey_version", "1".into());
        row.insert("channel", if i % 2 == 0 { "phone" } else { "in_person" }.into());
        let used = i < 51;
        row.insert("used_online", if used { "yes" } else { "no" }.into());
        if used {
            match i {
                0..35 => {
                    row.insert("use_again", "yes".into());
                }
                35..50 => {
                    row.insert("use_again", "no".into());
                    for h in header.iter().filter(|h| h.starts_with("why_not_again:") && !h.ends_with("other_text")) {
                        let on = h.ends_with(":too_difficult") || (h.ends_with(":could_not_find") && i < 42);
                        row.insert(h.as_str(), if on { "1" } else { "0" }.into());
                    }
                }
                _ => {} // one who did not answer
            }
        } else {
            for h in header.iter().filter(|h| h.starts_with("why_not_online:") && !h.ends_with("other_text")) {
                let on = (h.ends_with(":no_internet") && i < 95) || (h.ends_with(":family_friends") && i >= 80);
                row.insert(h.as_str(), if on { "1" } else { "0" }.into());
            }
        }
        row.insert("age_band", if i < 3 { "prefer_not_to_say" } else { "65_74" }.into());
        out.write_record(header.iter().map(|h| row.get(h.as_str()).cloned().unwrap_or_default())).unwrap();
    }
    let csv = String::from_utf8(out.into_inner().unwrap()).unwrap();
    let page = upload(admin, &csv).await;
    assert!(page.body.contains("Imported 110 responses"), "{}", page.body);
}

/// (count, base, percent) for each question and option id.
fn summary_rows(body: &str) -> HashMap<(String, String), (String, String, String)> {
    parse(body)
        .1
        .into_iter()
        .map(|r| {
            (
                (r["question_id"].clone(), r["option_id"].clone()),
                (r["count"].clone(), r["base"].clone(), r["percent"].clone()),
            )
        })
        .collect()
}

#[both_backends]
async fn summary_has_the_right_bases(app: TestApp) {
    let admin = admin(&app).await;
    let header = parse(&admin.get(&format!("{EXPORT}?bom=0")).await.body).0;
    seed_stockton(&admin, &header).await;
    let page = admin.get("/staff/surveys/digital-inclusion/export/summary.csv").await;
    assert_eq!(page.status, StatusCode::OK);
    let (columns, _) = parse(&page.body);
    assert_eq!(
        columns,
        [
            "question_id",
            "question",
            "option_id",
            "option",
            "count",
            "base",
            "percent",
            "percent_low",
            "percent_high",
            "quality",
            "versions"
        ]
    );
    let rows = summary_rows(&page.body);
    let get = |q: &str, o: &str| rows[&(q.to_owned(), o.to_owned())].clone();
    let t = |c: &str, b: &str, p: &str| (c.to_owned(), b.to_owned(), p.to_owned());
    // The seed borough's 51 of 110, with its 95% interval (Wilson) and ONS quality mark (cv 10.3%).
    let sure = |body: &str, q: &str, o: &str| {
        parse(body)
            .1
            .into_iter()
            .find(|r| r["question_id"] == q && r["option_id"] == o)
            .map(|r| (r["percent_low"].clone(), r["percent_high"].clone(), r["quality"].clone()))
            .unwrap()
    };
    assert_eq!(sure(&page.body, "used_online", "yes"), t("37.3", "55.6", "acceptable"));
    assert_eq!(sure(&page.body, "used_online", "no_answer"), t("0.0", "3.4", ""), "0 has no grade");
    assert_eq!(get("used_online", "yes"), t("51", "110", "46.4"));
    assert_eq!(get("used_online", "no"), t("59", "110", "53.6"));
    assert_eq!(get("used_online", "no_answer"), t("0", "110", "0.0"));
    // Of the 51 shown the follow-up: 35 yes, 15 no, 1 no answer. The other 59 are not in its base.
    assert_eq!(get("use_again", "yes"), t("35", "51", "68.6"));
    assert_eq!(get("use_again", "no"), t("15", "51", "29.4"));
    assert_eq!(get("use_again", "no_answer"), t("1", "51", "2.0"));
    // Multiple choice: percentages of respondents shown it, adding up to more than 100.
    assert_eq!(get("why_not_again", "too_difficult"), t("15", "15", "100.0"));
    assert_eq!(get("why_not_again", "could_not_find"), t("7", "15", "46.7"));
    assert_eq!(get("why_not_online", "no_internet"), t("44", "59", "74.6"));
    assert_eq!(get("why_not_online", "family_friends"), t("30", "59", "50.8"));
    assert_eq!(get("why_not_online", "no_answer"), t("0", "59", "0.0"));
    assert_eq!(get("age_band", "prefer_not_to_say"), t("3", "110", "2.7"));
    assert_eq!(get("comments", "no_answer"), t("110", "110", "100.0"));

    let phone =
        summary_rows(&admin.get("/staff/surveys/digital-inclusion/export/summary.csv?channel=phone").await.body);
    assert_eq!(phone[&("used_online".to_owned(), "yes".to_owned())].1, "55");

    let published =
        summary_rows(&admin.get("/staff/surveys/digital-inclusion/export/summary.csv?publishable=1").await.body);
    let get = |q: &str, o: &str| published[&(q.to_owned(), o.to_owned())].clone();
    assert_eq!(get("use_again", "yes"), t("35", "51", "68.6"));
    assert_eq!(get("use_again", "no_answer"), t("[c]", "51", "[c]"), "1 is under 5");
    let published_body = admin.get("/staff/surveys/digital-inclusion/export/summary.csv?publishable=1").await.body;
    assert_eq!(sure(&published_body, "use_again", "no_answer"), t("[c]", "[c]", ""), "held with its count");
    assert_eq!(get("use_again", "no"), t("[c]", "51", "[c]"), "else 51 - 35 - 0 would give the 1 away");
    assert_eq!(get("age_band", "prefer_not_to_say").0, "[c]");
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'export.summary'").await, 4);
    app.assert_totals_match().await;
}

/// GNU PSPP, the field's own tool, reads the responses download with our syntax and counts what
/// the summary counts; the R script names every column the file has.
#[both_backends]
async fn pspp_reads_the_responses_with_their_labels(app: TestApp) {
    let admin = admin(&app).await;
    let header = parse(&admin.get(&format!("{EXPORT}?bom=0")).await.body).0;
    seed_stockton(&admin, &header).await;
    // And one resident who wrote a comment over two lines, in their own words.
    never_used(&app, LINES, WORLD).await;
    let syntax = admin.get("/staff/surveys/digital-inclusion/export/responses.sps").await;
    assert_eq!(syntax.status, StatusCode::OK);
    let file = syntax
        .body
        .split("/FILE='")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("the syntax names its file")
        .to_owned();
    assert!(file.starts_with("digital-inclusion-responses-") && file.ends_with(".csv"), "{file}");
    assert!(syntax.body.contains("  /used_online 'yes' 'Yes' 'no' 'No'"), "value labels: {}", syntax.body);

    let dir = std::env::temp_dir().join(format!(
        "pspp-{}-{}",
        std::process::id(),
        app.address.rsplit(':').next().unwrap_or_default()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    // The download made for it, as it comes, byte-order mark and all.
    std::fs::write(dir.join(&file), admin.get(&format!("{EXPORT}?one_line=1")).await.body).unwrap();
    let run = format!("{}\nFREQUENCIES /VARIABLES=used_online use_again.\n", syntax.body);
    std::fs::write(dir.join("run.sps"), run).unwrap();
    let pspp = std::process::Command::new("pspp")
        .current_dir(&dir)
        .args(["-O", "format=csv", "-o", "out.csv", "run.sps"])
        .output()
        .expect("GNU PSPP is installed (scripts/setup.sh --tests installs it)");
    let out = std::fs::read_to_string(dir.join("out.csv")).unwrap_or_default();
    assert!(pspp.status.success(), "pspp failed: {}\n{out}", String::from_utf8_lossy(&pspp.stderr));
    assert!(!out.contains("error") && !out.contains("warning"), "{out}");
    // Frequencies by value label, as in the summary: 51 and 60 of 111; 35 and 15 of the 51 asked.
    let summary = summary_rows(&admin.get("/staff/surveys/digital-inclusion/export/summary.csv").await.body);
    let count = |q: &str, o: &str| summary[&(q.to_owned(), o.to_owned())].0.clone();
    // One table per variable, in order, titled with the question.
    let tables: Vec<&str> = out.split("Table: ").filter(|t| t.contains("Frequency")).collect();
    assert!(tables.len() == 2 && tables[0].starts_with("Have you used any of the council"), "{out}");
    for (table, label, q, o) in [
        (0, "Yes", "used_online", "yes"),
        (0, "No", "used_online", "no"),
        (1, "Yes", "use_again", "yes"),
        (1, "No", "use_again", "no"),
    ] {
        let row = tables[table]
            .lines()
            .find(|l| l.starts_with(&format!("Valid,{label},")) || l.starts_with(&format!(",{label},")))
            .unwrap_or_else(|| panic!("no {label} row: {out}"));
        assert_eq!(row.split(',').nth(2), Some(count(q, o).as_str()), "{q} {label}: {row}");
    }
    // Not asked (the 60 who never used them) or not answered (1): missing, not a valid answer.
    assert!(tables[1].lines().any(|l| l.starts_with("Missing,") && l.split(',').nth(2) == Some("61")), "{}", tables[1]);
    std::fs::remove_dir_all(&dir).unwrap();

    let r = admin.get("/staff/surveys/digital-inclusion/export/responses.R").await.body;
    assert!(r.contains(&format!("read.csv(\"{file}\"")), "{r}");
    for column in &header {
        assert!(r.contains(&format!("attr(responses[[\"{column}\"]], \"label\")")), "{column} is labelled in R");
    }
}

/// The Frictionless tools (`frictionless validate`) find our data packages valid: the publishable
/// summary and every response, each CSV checked against its Table Schema row by row.
#[both_backends]
async fn data_packages_are_valid_frictionless_packages(app: TestApp) {
    let admin = admin(&app).await;
    let header = parse(&admin.get(&format!("{EXPORT}?bom=0")).await.body).0;
    seed_stockton(&admin, &header).await;
    for (what, path) in [("summary", "summary.zip?publishable=1"), ("responses", "responses.zip")] {
        let page = admin.get_bytes(&format!("/staff/surveys/digital-inclusion/export/{path}")).await;
        let dir = std::env::temp_dir().join(format!(
            "package-{what}-{}-{}",
            std::process::id(),
            app.address.rsplit(':').next().unwrap_or_default()
        ));
        zip::ZipArchive::new(std::io::Cursor::new(page)).expect("a zip").extract(&dir).unwrap();
        let descriptor: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("datapackage.json")).unwrap()).unwrap();
        let schema = &descriptor["resources"][0]["schema"];
        if what == "summary" {
            assert_eq!(schema["missingValues"], serde_json::json!(["", "[c]"]));
            assert!(
                descriptor["description"].as_str().unwrap().contains("Counts under 5 are held back"),
                "{descriptor}"
            );
        } else {
            let used = schema["fields"].as_array().unwrap().iter().find(|f| f["name"] == "used_online").unwrap();
            assert_eq!(used["constraints"]["enum"], serde_json::json!(["yes", "no", "not_sure"]));
        }
        let checked = std::process::Command::new("frictionless")
            .current_dir(&dir)
            .args(["validate", "--json", "datapackage.json"])
            .output()
            .expect("frictionless is installed (scripts/setup.sh --tests installs it)");
        let report = String::from_utf8_lossy(&checked.stdout);
        assert!(
            checked.status.success() && report.contains("\"valid\": true"),
            "{what}: {report}{}",
            String::from_utf8_lossy(&checked.stderr)
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

// ---- Dashboard ---------------------------------------------------------------------------------

#[both_backends]
async fn dashboard_shows_the_figures_with_their_bases(app: TestApp) {
    let admin = admin(&app).await;
    let header = parse(&admin.get(&format!("{EXPORT}?bom=0")).await.body).0;
    assert!(admin.get("/staff/surveys/digital-inclusion").await.body.contains("Nobody has answered yet"));
    seed_stockton(&admin, &header).await;
    let page = admin.get("/staff/surveys/digital-inclusion").await;
    assert_eq!(page.status, StatusCode::OK);
    let body = page.body;
    assert!(body.contains("110 people answered"));
    // The first screen is the headline figures, each with its base; the filters come after.
    let used = body
        .find("51 of 110 people (46.4%, 95% interval 37% to 56%, acceptable) answered \u{201c}Yes\u{201d} to \u{201c}Have you used any of the council")
        .expect("the key figure: the share who have used them");
    assert!(used < body.find("<form method=\"get\"").unwrap());
    assert!(body.contains("face this barrier."));
    assert!(body.contains("Base: 51 people were shown this question."), "use_again's base is those who had used them");
    assert!(body.contains("Base: 59 people were shown this question."), "why_not_online's base is those who had not");
    assert!(body.contains("can add up to more than 100%"));
    assert!(
        body.contains("<td class=\"numeric\">35</td><td class=\"numeric\">68.6%</td>"),
        "35 of 51 would use them again"
    );
    assert!(
        body.contains("role=\"img\" aria-labelledby=\"use_again-chart-title use_again-chart-desc\""),
        "charts are server-rendered SVG"
    );
    assert!(!body.contains("<script"), "no JavaScript");
    // The seeded rows carry no barrier bits of their own: barriers come from the answers.
    assert!(body.contains("Barriers residents face"));

    let phone = admin.get("/staff/surveys/digital-inclusion?channel=phone").await.body;
    assert!(phone.contains("55 people answered, in this selection"));
    let older = admin.get("/staff/surveys/digital-inclusion?age_band=65_74&channel=in_person").await.body;
    assert!(older.contains("54 people answered"), "107 aged 65 to 74, 54 of them in person");
    let export = parse(&admin.get(&format!("{EXPORT}?age_band=prefer_not_to_say")).await.body).1;
    assert_eq!(export.len(), 3, "exports take the same filters");
    // use_again across channels: each column is a share of its own group's base.
    let compared = admin.get("/staff/surveys/digital-inclusion?compare=use_again&by=channel").await.body;
    assert!(
        compared.contains("Compared: Would you be happy to use the council&#x27;s online services again?")
            || compared.contains("Compared: Would you be happy to use the council's online services again?")
    );
    assert!(compared.contains("base 26") && compared.contains("18 (69.2%)"), "phone: 18 of the 26 shown it");
    assert!(compared.contains("base 25") && compared.contains("17 (68.0%)"), "in person: 17 of 25");
    let by_age = admin.get("/staff/surveys/digital-inclusion?compare=use_again&by=age_band").await.body;
    assert!(by_age.contains("base 48"), "65 to 74s who had used online services");
    let nonsense = admin.get("/staff/surveys/digital-inclusion?compare=use_again&by=shoe_size").await;
    assert_eq!(nonsense.status, StatusCode::OK);
    assert!(nonsense.lacks("Compared:"));

    let published = admin.get("/staff/surveys/digital-inclusion?publishable=1").await.body;
    assert!(published.contains("<td class=\"numeric\">[c]</td>"), "small counts held back");
    assert!(!published.contains("Exact counts, for council staff only"));
    assert!(body.contains("Exact counts, for council staff only"), "a printout of the exact view says so");
    assert!(
        body.contains("<a href=\"?publishable=1\" class=\"link\">Printable version, small numbers held back"),
        "and points to the one to print"
    );
    assert_eq!(admin.get("/staff/surveys/digital-inclusion?from=soon").await.status, StatusCode::BAD_REQUEST);

    let officer = app.signed_in_as("officer@council.gov.uk", &[Role::Officer]).await;
    assert_eq!(officer.get("/staff/surveys/digital-inclusion").await.status, StatusCode::FORBIDDEN);
}

#[both_backends]
async fn staff_read_what_people_wrote_but_never_in_the_publishable_view(app: TestApp) {
    never_used(&app, "<script>alert(1)</script> Please keep the phone line", "My carer helps").await;
    never_used(&app, "", "").await;
    let analyst = analyst(&app).await;
    let dashboard = analyst.get("/staff/surveys/digital-inclusion").await.body;
    assert!(dashboard.contains("href=\"/staff/surveys/digital-inclusion/text/comments?\""), "{dashboard}");
    assert!(analyst.get("/staff/surveys/digital-inclusion?publishable=1").await.lacks("/text/"));

    let comments = analyst.get("/staff/surveys/digital-inclusion/text/comments").await;
    assert_eq!(comments.status, StatusCode::OK);
    assert!(comments.body.contains("1 answer, newest first"), "{}", comments.body);
    assert!(comments.body.contains("&lt;script&gt;alert(1)&lt;/script&gt; Please keep the phone line"), "escaped");
    assert!(comments.lacks("<script>"));
    let other = analyst.get("/staff/surveys/digital-inclusion/text/why_not_online").await.body;
    assert!(other.contains("My carer helps"), "the words beside Something else");
    let none = analyst.get("/staff/surveys/digital-inclusion/text/comments?channel=phone").await.body;
    assert!(none.contains("Nobody wrote anything here"), "filters apply");

    assert_eq!(analyst.get("/staff/surveys/digital-inclusion/text/used_online").await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        analyst.get("/staff/surveys/digital-inclusion/text/comments?page=zero").await.status,
        StatusCode::BAD_REQUEST
    );
    let officer = app.signed_in_as("officer@council.gov.uk", &[Role::Officer]).await;
    assert_eq!(officer.get("/staff/surveys/digital-inclusion/text/comments").await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.get("/staff/surveys/digital-inclusion/text/comments").await.status,
        StatusCode::SEE_OTHER,
        "residents are sent to sign in"
    );
}

// ---- Versions ----------------------------------------------------------------------------------

/// Publishes version 2 of the built-in survey: `disability` gains an answer (so it is asked
/// differently) and `library` is new.
async fn publish_version_2(app: &TestApp) {
    let (survey_id, definition): (i64, String) =
        sqlx::query_as("SELECT survey_id, definition FROM survey_version WHERE version = 1")
            .fetch_one(&app.db.read)
            .await
            .unwrap();
    let mut definition: serde_json::Value = serde_json::from_str(&definition).unwrap();
    let questions = definition["questions"].as_array_mut().unwrap();
    let disability = questions.iter_mut().find(|q| q["id"] == "disability").unwrap();
    disability["options"].as_array_mut().unwrap().push(serde_json::json!({ "id": "not_sure", "label": "Not sure" }));
    let mut library = disability.clone();
    library["id"] = "library".into();
    library["text"] = "Do you use the library?".into();
    library["options"] = serde_json::json!([{ "id": "yes", "label": "Yes" }, { "id": "no", "label": "No" }]);
    questions.push(library);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO survey_version (survey_id, version, definition, created_at) VALUES ($1, 2, $2, 0) RETURNING id",
    )
    .bind(survey_id)
    .bind(definition.to_string())
    .fetch_one(&app.db.write)
    .await
    .unwrap();
    sqlx::query("UPDATE survey SET current_version_id = $1").bind(id).execute(&app.db.write).await.unwrap();
}

#[both_backends]
async fn versions_combine_only_where_asked_the_same_way(app: TestApp) {
    // Version 1: three residents who used online services and would again, one who had not.
    for _ in 0..3 {
        used_and_happy(&app).await;
    }
    never_used(&app, "", "").await;
    sqlx::query(
        "INSERT INTO answer (response_id, question_id, option_id) SELECT id, 'disability', 'yes' FROM response",
    )
    .execute(&app.db.write)
    .await
    .unwrap();
    inclusion_survey::responses::tally::rebuild(&app.db, &inclusion_survey::survey::Catalogue::default(), |_| {})
        .await
        .unwrap();
    publish_version_2(&app).await;
    // Version 2: two who used them and would not again, with the new answers.
    for _ in 0..2 {
        let resident = app.another_browser();
        resident.start().await;
        resident.answer("used_online", &[("answer", "yes")]).await;
        resident.answer("use_again", &[("answer", "no")]).await;
        for q in [
            "why_not_again",
            "internet_use",
            "go_online_how",
            "confidence_online",
            "eds_foundation_2022",
            "help_wanted",
            "age_band",
            "ward",
        ] {
            resident.answer(q, &[]).await;
        }
        resident.answer("disability", &[("answer", "not_sure")]).await;
        resident.answer("comments", &[]).await;
        resident.answer("library", &[("answer", "yes")]).await.assert_redirect("/s/digital-inclusion/check");
        resident.submit().await.assert_redirect("/s/digital-inclusion/done");
    }

    let admin = admin(&app).await;
    let rows = summary_rows(&admin.get("/staff/surveys/digital-inclusion/export/summary.csv").await.body);
    let get = |q: &str, o: &str| rows[&(q.to_owned(), o.to_owned())].clone();
    let t = |c: &str, b: &str, p: &str| (c.to_owned(), b.to_owned(), p.to_owned());
    // Asked the same way in both versions: added together.
    assert_eq!(get("used_online", "yes"), t("5", "6", "83.3"));
    assert_eq!(get("use_again", "yes"), t("3", "5", "60.0"));
    assert_eq!(get("use_again", "no"), t("2", "5", "40.0"));
    // Asked differently, or not at all, in version 1: version 2's figures only.
    assert_eq!(get("disability", "not_sure"), t("2", "2", "100.0"));
    assert_eq!(get("disability", "yes"), t("0", "2", "0.0"), "version 1's four yeses are not mixed in");
    assert_eq!(get("library", "yes"), t("2", "2", "100.0"));
    let (_, csv) = parse(&admin.get("/staff/surveys/digital-inclusion/export/summary.csv").await.body);
    let note = |q: &str| csv.iter().find(|r| r["question_id"] == q).unwrap()["versions"].clone();
    assert_eq!(note("used_online"), "");
    assert_eq!(note("disability"), "Figures from version 2 only. Version 1 asked it differently, so is not added in.");
    assert_eq!(note("library"), "Figures from version 2 only. Version 1 did not ask it.");

    let page = admin.get("/staff/surveys/digital-inclusion").await.body;
    assert!(page.contains("6 people answered"));
    assert!(page.contains("Version 1 did not ask it."));
    let compared = admin.get("/staff/surveys/digital-inclusion?compare=disability&by=channel").await.body;
    assert!(compared.contains("Version 1 asked it differently"), "cross-tabs say so too");
    let only_1 = summary_rows(&admin.get("/staff/surveys/digital-inclusion/export/summary.csv?version=1").await.body);
    assert_eq!(only_1[&("used_online".to_owned(), "yes".to_owned())].1, "4", "filtered to version 1");
    app.assert_totals_match().await;
}

// ---- Population: who is still missing ---------------------------------------------------------

const POPULATION: &str = "/staff/surveys/digital-inclusion/population";
const RESULTS: &str = "/staff/surveys/digital-inclusion";

/// The same number of residents in each age band.
fn even_ages(people: &str) -> String {
    let bands = ["16_24", "25_34", "35_44", "45_54", "55_64", "65_74", "75_plus"];
    let rows: String = bands.iter().map(|b| format!("age_band,{b},\"{people}\"\n")).collect();
    format!("question,option,population\n{rows}")
}

#[both_backends]
async fn who_is_missing_comes_from_the_population_an_admin_uploads(app: TestApp) {
    let admin = admin(&app).await;
    let header = parse(&admin.get(&format!("{EXPORT}?bom=0")).await.body).0;
    seed_stockton(&admin, &header).await;
    let before = admin.get(RESULTS).await.body;
    assert!(before.contains("Who is still missing") && !before.contains("Who is missing: "), "{before}");
    assert!(before.contains(&format!("href=\"{POPULATION}\"")), "admins are pointed to the upload");

    assert_eq!(admin.get(POPULATION).await.status, StatusCode::OK);
    let saved = admin.upload(POPULATION, "ages.csv", even_ages("1,000").into_bytes()).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let saved = admin.get(&format!("{POPULATION}?done=uploaded")).await.body;
    assert!(saved.contains("The population figures are saved") && saved.contains("14.3%"), "{saved}");

    // 107 gave an age (3 preferred not to say), every one of them 65 to 74: a borough like its
    // residents would give 107 / 7 = 15.3 in each band.
    let results = admin.get(RESULTS).await.body;
    let table = &results[results.find("Who is missing: How old are you?").expect("the table")..];
    let table = &table[..table.find("</table>").unwrap()];
    assert!(table.contains("<td>16 to 24</td>"), "{table}");
    assert!(table.contains(">15 people</td>"), "the young are short: {table}");
    assert!(table.contains(">None (92 over)</td>"), "{table}");
    assert!(table.find("16 to 24").unwrap() < table.find("65 to 74").unwrap(), "most short first");
    assert!(table.contains(">100.0%</td>") && table.contains(">14.3%</td>"));

    // Not for publishing, and not for analysts to change.
    assert!(!admin.get(&format!("{RESULTS}?publishable=1")).await.body.contains("Who is missing: "));
    let analyst = app.signed_in_as(ANALYST, &[Role::Analyst]).await;
    assert_ne!(analyst.get(POPULATION).await.status, StatusCode::OK);
    let results = analyst.get(RESULTS).await.body;
    assert!(
        results.contains("Who is missing: How old are you?") && !results.contains(&format!("href=\"{POPULATION}\""))
    );
}

#[both_backends]
async fn a_bad_population_file_says_what_is_wrong_and_changes_nothing(app: TestApp) {
    let admin = admin(&app).await;
    let saved = admin.upload(POPULATION, "ages.csv", even_ages("1000").into_bytes()).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let bad = "question,option,population\nage_band,16_24,lots\nward,nowhere,3\nused_online,yes,4\n";
    let page = admin.upload(POPULATION, "ages.csv", bad.as_bytes().to_vec()).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    for said in [
        "Line 2: the population of age_band 16_24 must be a whole number of people",
        "Line 3: ward has no answer nowhere.",
        "Line 4: used_online is not about the resident",
    ] {
        assert!(page.body.contains(said), "{said}: {}", page.body);
    }
    assert!(page.body.contains("1,000"), "the figures there were are kept: {}", page.body);
    let huge = vec![b'a'; 2 * 1024 * 1024];
    assert_eq!(admin.upload(POPULATION, "ages.csv", huge).await.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(admin.get(POPULATION).await.body.contains("1,000"));

    // Removed when asked, and the audit log says who did what.
    assert_eq!(admin.staff_post(&format!("{POPULATION}/remove"), &[]).await.status, StatusCode::SEE_OTHER);
    let removed = admin.get(&format!("{POPULATION}?done=removed")).await.body;
    assert!(removed.contains("The population figures are removed") && removed.contains("No population figures yet"));
    let log = admin.get("/staff/audit").await.body;
    assert!(log.contains("population.upload") && log.contains("population.remove"), "{log}");
}

/// Admins saving population figures at the same moment: every save is answered, and the figures
/// are exactly one of the files, never a mix or a failure.
#[both_backends]
async fn population_saved_at_once_ends_as_one_file(app: TestApp) {
    let admin = admin(&app).await;
    let saves = (0..4).map(|i| admin.upload(POPULATION, "ages.csv", even_ages(&format!("{}", 1000 + i)).into_bytes()));
    for page in futures_util::future::join_all(saves).await {
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM population").await, 7);
    assert_eq!(app.count("SELECT COUNT(DISTINCT people) FROM population").await, 1, "one file, not a mix");
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'population.upload'").await, 4);
}
