//! Admins publish and change surveys: uploads checked in full, publishing makes immutable versions,
//! drafts in flight finish on their own version, previews store nothing, opening and closing with
//! dates, the form-based editor, and definitions that round-trip, on SQLite and PostgreSQL.

use crate::common;
use it_macros::both_backends;

use common::{Page, SLUG, TestApp};
use inclusion_survey::auth::account::Role;
use reqwest::StatusCode;

const LIBRARY: &str = r#"
id = "library-exit"
title = "After your library session"
minutes = 1

[[questions]]
id = "helped"
type = "single"
text = "Did today's session help?"
required = true
options = [{ id = "yes", label = "Yes" }, { id = "no", label = "No", barriers = ["skills"] }]

[[questions]]
id = "why_not"
type = "long_text"
text = "What would have helped more?"
show_if = { question = "helped", any_of = ["no"] }

[signposting]
general = "Sessions run every Tuesday at Stockton Central Library."
"#;

async fn admin(app: &TestApp) -> TestApp {
    app.signed_in_as("admin@council.gov.uk", &[Role::Admin]).await
}

async fn counts(app: &TestApp) -> (i64, i64, i64) {
    (
        app.count("SELECT COUNT(*) FROM survey").await,
        app.count("SELECT COUNT(*) FROM response").await,
        app.count("SELECT COUNT(*) FROM draft").await,
    )
}

async fn upload_new(admin: &TestApp, text: &str) -> Page {
    admin.upload("/staff/survey-files", "survey.toml", text.as_bytes().to_vec()).await
}

async fn set_status(admin: &TestApp, slug: &str, fields: &[(&str, &str)]) -> Page {
    admin.staff_post(&format!("/staff/surveys/{slug}/status"), fields).await
}

#[both_backends]
async fn uploads_are_checked_and_published_versions_are_kept(app: TestApp) {
    let admin = admin(&app).await;
    let before = counts(&app).await;
    let bad = LIBRARY
        .replace("question = \"helped\"", "question = \"why_not\"")
        .replace("minutes = 1", "minutes = 1\ncolour = \"red\"");
    let refused = upload_new(&admin, &bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("unknown field") && refused.body.contains("colour"), "{}", refused.body);
    let forward = upload_new(&admin, &LIBRARY.replace("question = \"helped\"", "question = \"why_not\"")).await;
    assert!(forward.body.contains("Question why_not: show_if cannot refer to the question itself"), "{}", forward.body);
    let unsafe_id = upload_new(&admin, &LIBRARY.replace("id = \"helped\"", "id = \"<b>helped</b>\"")).await;
    assert!(unsafe_id.body.contains("&lt;b&gt;helped&lt;/b&gt;") && unsafe_id.lacks("<b>helped</b>"), "shown as text");
    let huge = upload_new(&admin, &format!("{LIBRARY}\n#{}", "x".repeat(300 * 1024))).await;
    assert_eq!(
        huge.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the body may be a 2 MB spreadsheet; a document is checked for size"
    );
    assert!(huge.body.contains("The file is larger than 256 KB"), "{}", huge.body);
    let huger = upload_new(&admin, &format!("{LIBRARY}\n#{}", "x".repeat(3 * 1024 * 1024))).await;
    assert_eq!(huger.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(huger.body.contains("That is too large for this form"), "a staff page, not a resident's: {}", huger.body);
    assert!(huger.lacks("Your answer is too long"));
    let binary = admin.upload("/staff/survey-files", "survey.toml", vec![0xff, 0xfe, 0x00]).await;
    assert!(
        binary.body.contains("The file is not an XLSForm spreadsheet (.xlsx), or text (TOML or JSON, in UTF-8)"),
        "{}",
        binary.body
    );
    assert_eq!(counts(&app).await, before, "nothing changed");

    upload_new(&admin, LIBRARY).await.assert_redirect("/staff/surveys/library-exit/manage?done=created");
    let list = admin.get("/staff/surveys").await.body;
    assert!(list.contains("After your library session") && list.contains("Draft") && list.contains("/s/library-exit"));
    assert_eq!(
        app.get("/s/library-exit").await.status,
        StatusCode::NOT_FOUND,
        "nothing to take before it is published"
    );
    assert_eq!(upload_new(&admin, LIBRARY).await.status, StatusCode::UNPROCESSABLE_ENTITY, "the address is taken");

    admin
        .staff_post("/staff/surveys/library-exit/publish", &[])
        .await
        .assert_redirect("/staff/surveys/library-exit/manage?done=published");
    assert!(app.get("/s/library-exit").await.body.contains("This survey is not open yet"), "published, not yet opened");
    set_status(&admin, "library-exit", &[("status", "open"), ("opens", ""), ("closes", "")])
        .await
        .assert_redirect("/staff/surveys/library-exit/manage?done=status");
    let resident = app.another_browser();
    resident.get("/s/library-exit").await;
    resident.post("/s/library-exit/start", &[]).await.assert_redirect("/s/library-exit/q/helped");
    resident.post("/s/library-exit/q/helped", &[("answer", "yes")]).await;
    resident.post("/s/library-exit/submit", &[]).await.assert_redirect("/s/library-exit/done");

    let qr = admin.get("/staff/surveys/library-exit/qr.svg").await;
    assert_eq!(qr.headers["content-type"], "image/svg+xml");
    assert!(qr.body.starts_with("<?xml") && qr.body.contains("<svg"));
    let manage = admin.get("/staff/surveys/library-exit/manage").await.body;
    assert!(manage.contains("1 responses") || manage.contains("1 response"));

    // A copy starts as a draft of a new survey.
    let copied = admin
        .staff_post("/staff/survey-copies", &[("from", SLUG), ("id", "outreach-2027"), ("title", "Outreach version")])
        .await;
    copied.assert_redirect("/staff/surveys/outreach-2027/manage?done=created");
    let bad_copy =
        admin.staff_post("/staff/survey-copies", &[("from", SLUG), ("id", "Not An Id"), ("title", "X")]).await;
    assert_eq!(bad_copy.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM audit_log WHERE action IN ('survey.create', 'survey.publish', 'survey.status')"
        )
        .await,
        4
    );
}

#[both_backends]
async fn definitions_round_trip_and_new_versions_leave_drafts_in_flight_alone(app: TestApp) {
    let admin = admin(&app).await;
    // A resident part-way through version 1.
    let resident = app.another_browser();
    resident.start().await;
    resident.answer("used_online", &[("answer", "yes")]).await;

    let v1 = admin.get("/staff/surveys/digital-inclusion/versions/1.toml").await;
    assert_eq!(v1.status, StatusCode::OK);
    let json = admin.get("/staff/surveys/digital-inclusion/versions/1.json").await;
    assert!(json.body.contains("\"id\": \"digital-inclusion\""));
    // Upload version 1's own file as the next draft, and publish it: version 2 is identical.
    let uploaded =
        admin.upload("/staff/surveys/digital-inclusion/upload", "v1.toml", v1.body.clone().into_bytes()).await;
    uploaded.assert_redirect("/staff/surveys/digital-inclusion/manage?done=uploaded");
    admin
        .staff_post("/staff/surveys/digital-inclusion/publish", &[])
        .await
        .assert_redirect("/staff/surveys/digital-inclusion/manage?done=published");
    assert_eq!(
        admin.get("/staff/surveys/digital-inclusion/versions/2.toml").await.body,
        v1.body,
        "export, import, export gives the same file"
    );

    // Version 3 adds a question, through the editor.
    admin
        .staff_post("/staff/surveys/digital-inclusion/draft/new", &[])
        .await
        .assert_redirect("/staff/surveys/digital-inclusion/draft");
    let revision =
        |body: &str| body.split("name=\"revision\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let r = revision(&admin.get("/staff/surveys/digital-inclusion/draft").await.body);
    admin
        .staff_post(
            "/staff/surveys/digital-inclusion/draft/questions",
            &[("revision", &r), ("id", "library"), ("type", "single")],
        )
        .await
        .assert_redirect("/staff/surveys/digital-inclusion/draft/questions/library");
    let r = revision(&admin.get("/staff/surveys/digital-inclusion/draft/questions/library").await.body);
    let question = [
        ("revision", r.as_str()),
        ("type", "single"),
        ("text", "Do you use the library?"),
        ("hint", ""),
        ("section", "About you"),
        ("error", ""),
        ("options", "yes | Yes\nno | No | motivation"),
        ("show_if_question", ""),
        ("show_if_any_of", ""),
        ("max_length", ""),
    ];
    admin
        .staff_post("/staff/surveys/digital-inclusion/draft/questions/library", &question)
        .await
        .assert_redirect("/staff/surveys/digital-inclusion/draft/questions/library");
    // The new question has no Welsh or Easy Read yet: not published until it has, or until the
    // draft stops offering those languages.
    let refused = admin.staff_post("/staff/surveys/digital-inclusion/publish", &[]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains("The translation `cy` is not complete: it has no text for question `library`: the question"),
        "{}",
        refused.body
    );
    let editor = admin.get("/staff/surveys/digital-inclusion/draft").await.body;
    assert!(
        editor.contains("Cymraeg (cy)") && editor.contains("4 missing: question `library`: the question"),
        "{editor}"
    );
    for tag in ["cy", "en-x-easyread"] {
        let revision = revision(&admin.get("/staff/surveys/digital-inclusion/draft").await.body);
        admin
            .staff_post(
                &format!("/staff/surveys/digital-inclusion/draft/languages/{tag}/remove"),
                &[("revision", &revision)],
            )
            .await
            .assert_redirect("/staff/surveys/digital-inclusion/draft");
    }
    admin
        .staff_post("/staff/surveys/digital-inclusion/publish", &[])
        .await
        .assert_redirect("/staff/surveys/digital-inclusion/manage?done=published");

    // The resident who started on version 1 finishes on it; newcomers get version 3.
    resident.skip(&["use_again"]).await;
    resident.skip_the_rest(true).await;
    resident.submit().await.assert_redirect("/s/digital-inclusion/done");
    let newcomer = app.another_browser();
    newcomer.start().await;
    newcomer.answer("used_online", &[("answer", "no")]).await;
    for q in std::iter::once("why_not_online").chain(common::THE_REST) {
        newcomer.answer(q, &[]).await;
    }
    newcomer.answer("library", &[("answer", "yes")]).await.assert_redirect("/s/digital-inclusion/check");
    newcomer.submit().await;
    let versions: Vec<i64> = sqlx::query_scalar(
        "SELECT v.version FROM response r JOIN survey_version v ON v.id = r.survey_version_id ORDER BY r.id",
    )
    .fetch_all(&app.db.read)
    .await
    .unwrap();
    assert_eq!(versions, [1, 3]);
    let v1_again = admin.get("/staff/surveys/digital-inclusion/versions/1.toml").await.body;
    assert_eq!(v1_again, v1.body, "published versions never change");

    // The command line: export, then import and publish, gives the same definition again.
    let cli = |args: &[&str]| app.cli(args);
    let exported = cli(&["survey", "export", SLUG]);
    assert!(exported.status.success());
    // Named by the app's port: the SQLite and PostgreSQL runs of this test run at once.
    let port = app.address.rsplit(':').next().unwrap();
    let file = std::env::temp_dir().join(format!("survey-{}-{port}.toml", std::process::id()));
    std::fs::write(&file, &exported.stdout).unwrap();
    let imported = cli(&["survey", "import", "--publish", file.to_str().unwrap()]);
    assert!(
        String::from_utf8_lossy(&imported.stdout).contains("published as version 4"),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    assert_eq!(cli(&["survey", "export", SLUG, "--version", "4"]).stdout, exported.stdout);
    let _ = std::fs::remove_file(file);
}

#[both_backends]
async fn previews_store_nothing(app: TestApp) {
    let admin = admin(&app).await;
    let before = counts(&app).await;
    let first = admin.get("/staff/surveys/digital-inclusion/preview?version=1").await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(first.body.contains("Preview of version 1, question 1 of 13: nothing is saved."));
    assert!(first.body.contains("Have you used any of the council"));
    let next = admin.post("/staff/surveys/digital-inclusion/preview?version=1&q=1", &[("answer", "yes")]).await;
    next.assert_redirect("/staff/surveys/digital-inclusion/preview?version=1&q=1");
    let second = admin.get("/staff/surveys/digital-inclusion/preview?version=1&q=1").await.body;
    assert!(second.contains("Only shown to people who answered Yes to"));
    assert!(
        admin.get("/staff/surveys/digital-inclusion/preview?version=1&q=13").await.body.contains("End of the preview")
    );
    assert_eq!(counts(&app).await, before, "no draft, no response");
    assert_eq!(admin.get("/staff/surveys/digital-inclusion/preview?version=9").await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get("/staff/surveys/digital-inclusion/preview?version=1").await.status,
        StatusCode::SEE_OTHER,
        "staff only"
    );
}

#[both_backends]
async fn closed_surveys_say_so_and_dates_open_and_close_them(app: TestApp) {
    let admin = admin(&app).await;
    let in_flight = app.another_browser();
    in_flight.start().await;
    in_flight.answer("used_online", &[("answer", "no")]).await;

    set_status(&admin, SLUG, &[("status", "closed"), ("opens", ""), ("closes", "")])
        .await
        .assert_redirect("/staff/surveys/digital-inclusion/manage?done=status");
    let closed = app.get("/s/digital-inclusion").await;
    assert_eq!(closed.status, StatusCode::OK, "a page, not an error");
    assert!(closed.body.contains("This survey has closed") && closed.body.contains("Help with getting online"));
    let drafts = app.count("SELECT COUNT(*) FROM draft").await;
    assert!(app.post("/s/digital-inclusion/start", &[]).await.body.contains("This survey has closed"));
    assert_eq!(app.count("SELECT COUNT(*) FROM draft").await, drafts, "nobody new starts");
    // Someone part-way through may finish.
    for q in std::iter::once("why_not_online").chain(common::THE_REST) {
        in_flight.answer(q, &[]).await;
    }
    in_flight.submit().await.assert_redirect("/s/digital-inclusion/done");

    let day = |offset: i64| {
        let t = time::OffsetDateTime::now_utc() + time::Duration::days(offset);
        t.date().to_string()
    };
    set_status(&admin, SLUG, &[("status", "open"), ("opens", &day(2)), ("closes", "")]).await;
    let soon = app.get("/s/digital-inclusion").await.body;
    let opens_on = inclusion_survey::clock::format_date(inclusion_survey::clock::parse_day("opens", &day(2)).unwrap());
    assert!(
        soon.contains("This survey is not open yet") && soon.contains(&format!("It opens on {opens_on}")),
        "{opens_on}"
    );
    set_status(&admin, SLUG, &[("status", "open"), ("opens", &day(-10)), ("closes", &day(-1))]).await;
    assert!(app.get("/s/digital-inclusion").await.body.contains("This survey has closed"), "past its last day");
    set_status(&admin, SLUG, &[("status", "open"), ("opens", &day(-1)), ("closes", &day(0))]).await;
    assert!(app.get("/s/digital-inclusion").await.body.contains("Start now"), "open through its last day");

    let backwards = set_status(&admin, SLUG, &[("status", "open"), ("opens", &day(5)), ("closes", &day(1))]).await;
    assert_eq!(backwards.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(backwards.body.contains("The last day must be on or after the day it opens"));
    let nonsense = set_status(&admin, SLUG, &[("status", "ajar"), ("opens", "soon"), ("closes", "")]).await;
    assert!(nonsense.body.contains("Select open or closed") && nonsense.body.contains("Enter dates like 2027-03-31"));
    assert!(app.get("/s/digital-inclusion").await.body.contains("Start now"), "refused changes change nothing");

    // Closed by date: officers cannot start it either, and staff still reach its results.
    set_status(&admin, SLUG, &[("status", "open"), ("opens", &day(-10)), ("closes", &day(-1))]).await;
    let officer = app.signed_in_as("officer@council.gov.uk", &[Role::Officer]).await;
    let location: i64 = sqlx::query_scalar("SELECT id FROM list_item WHERE list = 'location' ORDER BY id")
        .fetch_one(&app.db.read)
        .await
        .unwrap();
    let refused = officer
        .staff_post(
            "/staff/assist",
            &[("survey", SLUG), ("channel", "phone"), ("location", &location.to_string()), ("mode", "guided")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        admin.get("/staff").await.body.contains("href=\"/staff/surveys/digital-inclusion\""),
        "results of a closed survey"
    );
}

#[both_backends]
async fn the_editor_checks_like_an_upload_and_points_at_questions(app: TestApp) {
    let admin = admin(&app).await;
    admin.staff_post("/staff/surveys/digital-inclusion/draft/new", &[]).await;
    let page = admin.get("/staff/surveys/digital-inclusion/draft/questions/use_again").await.body;
    let r = page.split("name=\"revision\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let save = |revision: String, options: &'static str, rule: &'static str| {
        let admin = &admin;
        async move {
            admin
                .staff_post(
                    "/staff/surveys/digital-inclusion/draft/questions/use_again",
                    &[
                        ("revision", revision.as_str()),
                        ("type", "single"),
                        ("text", "Would you use them again?"),
                        ("hint", ""),
                        ("section", ""),
                        ("error", ""),
                        ("options", options),
                        ("show_if_question", rule),
                        ("show_if_any_of", "yes"),
                        ("max_length", ""),
                    ],
                )
                .await
        }
    };
    let bad_line = save(r.clone(), "yes | Yes | | sometimes", "used_online").await;
    assert_eq!(bad_line.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_line.body.contains("is not a flag"));
    // A rule that points at a later question is kept in the draft, and stops it being published.
    save(r.clone(), "yes | Yes\nno | No | wifi", "comments")
        .await
        .assert_redirect("/staff/surveys/digital-inclusion/draft/questions/use_again");
    let draft = admin.get("/staff/surveys/digital-inclusion/draft").await.body;
    assert!(draft.contains("To fix before it can be published"));
    assert!(draft.contains("Question use_again:") && draft.contains("href=\"#question-use_again\""), "{draft}");
    let refused = admin.staff_post("/staff/surveys/digital-inclusion/publish", &[]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Question use_again:") && refused.body.contains("wifi"));
    assert_eq!(app.count("SELECT COUNT(*) FROM survey_version").await, 1);
    // A save from an old copy of the form is refused.
    let stale = save(r, "yes | Yes\nno | No", "used_online").await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.body.contains("Someone else changed this draft"));

    let analyst = app.signed_in_as("analyst@council.gov.uk", &[Role::Analyst]).await;
    assert_eq!(analyst.get("/staff/surveys").await.status, StatusCode::FORBIDDEN);
    assert_eq!(analyst.get("/staff/surveys/digital-inclusion/draft").await.status, StatusCode::FORBIDDEN);
    assert_eq!(analyst.staff_post("/staff/surveys/digital-inclusion/publish", &[]).await.status, StatusCode::FORBIDDEN);
}

#[both_backends]
async fn locations_limit_where_officers_take_a_survey(app: TestApp) {
    let admin = admin(&app).await;
    let place = |label: &'static str| {
        let db = app.db.clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT id FROM list_item WHERE label = $1")
                .bind(label)
                .fetch_one(&db.read)
                .await
                .unwrap()
                .to_string()
        }
    };
    let (library, stockton) = (place("Library outreach").await, place("Stockton Customer Service Centre").await);
    admin
        .staff_post("/staff/surveys/digital-inclusion/locations", &[("location", &library)])
        .await
        .assert_redirect("/staff/surveys/digital-inclusion/manage?done=status");
    assert!(
        admin
            .get("/staff/surveys/digital-inclusion/manage")
            .await
            .body
            .contains(&format!("value=\"{library}\" checked"))
    );
    assert_eq!(
        admin.staff_post("/staff/surveys/digital-inclusion/locations", &[("location", "999999")]).await.status,
        StatusCode::BAD_REQUEST
    );

    let officer = app.signed_in_as("officer@council.gov.uk", &[Role::Officer]).await;
    let begin = |location: String| {
        let officer = &officer;
        async move {
            officer
                .staff_post(
                    "/staff/assist",
                    &[("survey", SLUG), ("channel", "in_person"), ("location", &location), ("mode", "guided")],
                )
                .await
        }
    };
    let elsewhere = begin(stockton).await;
    assert_eq!(elsewhere.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(elsewhere.body.contains("is not taken at Stockton Customer Service Centre"));
    begin(library).await.assert_redirect("/s/digital-inclusion/q/used_online");
}

/// Days are the council's (Europe/London): a survey whose last day is the last Sunday of October
/// closes at midnight that night in winter time, after a 25-hour day, and opens at midnight in
/// summer time on its first day.
#[both_backends]
async fn a_survey_closing_on_the_last_sunday_of_october_closes_at_local_midnight(app: TestApp) {
    let admin = admin(&app).await;
    set_status(&admin, SLUG, &[("status", "open"), ("opens", "2026-10-01"), ("closes", "2026-10-25")])
        .await
        .assert_redirect("/staff/surveys/digital-inclusion/manage?done=status");
    let opens = app.count("SELECT opens_at FROM survey WHERE slug = 'digital-inclusion'").await;
    let closes = app.count("SELECT closes_at FROM survey WHERE slug = 'digital-inclusion'").await;
    assert_eq!(opens, 1_790_809_200, "2026-09-30T23:00:00Z: midnight in summer time");
    assert_eq!(closes, 1_792_972_800, "2026-10-26T00:00:00Z: the end of the 25-hour Sunday");
    let manage = admin.get("/staff/surveys/digital-inclusion/manage").await.body;
    assert!(
        manage.contains("value=\"2026-10-01\"") && manage.contains("value=\"2026-10-25\""),
        "the days chosen are the days shown"
    );
}

/// A paper form answered at 00:30 on Monday 6 July 2026 in summer time (23:30 UTC on the Sunday)
/// counts on the Monday: in the week starting 6 July, and in a date filter for that day, whether
/// the running totals answer (no answer filter) or the responses themselves do (a ward filter).
#[both_backends]
async fn a_summer_night_counts_on_the_councils_day(app: TestApp) {
    let admin = admin(&app).await;
    let export = admin.get(&format!("/staff/surveys/{SLUG}/export/responses.csv?bom=0")).await.body;
    let header = export.lines().next().unwrap().to_owned();
    let row: Vec<&str> = header
        .split(',')
        .map(|column| match column {
            "reference" => "ABCD2345",
            "submitted_at" => "2026-07-05T23:30:00Z",
            "survey_version" => "1",
            "channel" => "paper",
            "used_online" => "yes",
            "ward" => "yarm",
            _ => "",
        })
        .collect();
    let imported = admin
        .upload(
            &format!("/staff/surveys/{SLUG}/import"),
            "r.csv",
            format!("{header}\n{}\n", row.join(",")).into_bytes(),
        )
        .await;
    assert_eq!(imported.status, StatusCode::OK, "{}", imported.body);
    assert_eq!(app.count("SELECT day FROM response").await, 20_640, "2026-07-06 is day 20,640");
    let weeks = admin.get(&format!("/staff/surveys/{SLUG}")).await.body;
    assert!(weeks.contains("2026-07-06") && !weeks.contains("2026-06-29"), "the week starting Monday 6 July");
    for ward in ["", "&ward=yarm"] {
        let respondents = |day: &str| {
            let admin = &admin;
            let path = format!("/staff/surveys/{SLUG}?from={day}&to={day}{ward}");
            async move { admin.get(&path).await.body }
        };
        let monday = respondents("2026-07-06").await;
        let sunday = respondents("2026-07-05").await;
        assert!(monday.contains("2026-07-06"), "Monday{ward}: counted");
        assert!(!sunday.contains("2026-07-06") && !sunday.contains("2026-06-29"), "Sunday{ward}: not counted");
    }
}

/// An admin adds the standard modules to their own survey: the questions come as the built-in
/// survey asks them (the national measures are scored from their fixed ids), a module already
/// asked is refused, and the draft publishes.
#[both_backends]
async fn standard_modules_are_added_to_a_draft(app: TestApp) {
    let admin = admin(&app).await;
    // Uploaded: a draft.
    assert_eq!(upload_new(&admin, LIBRARY).await.status, StatusCode::SEE_OTHER);
    const DRAFT: &str = "/staff/surveys/library-exit/draft";
    let revision =
        |body: &str| body.split("name=\"revision\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let page = admin.get(DRAFT).await.body;
    assert!(page.contains("Add a standard module") && page.contains("Essential Digital Skills framework, 2022 update"));
    let add = |module: &'static str, r: String| {
        let admin = &admin;
        async move { admin.staff_post(&format!("{DRAFT}/modules"), &[("revision", &r), ("module", module)]).await }
    };
    add("eds_foundation", revision(&page)).await.assert_redirect(&format!("{DRAFT}/questions/eds_foundation_2022"));
    let page = admin.get(DRAFT).await.body;
    assert!(page.contains("Which of these can you do by yourself?"));
    assert!(!page.contains("value=\"eds_foundation\""), "no longer offered");
    let again = add("eds_foundation", revision(&page)).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("The draft already asks"), "{}", again.body);
    assert_eq!(add("no_such_module", revision(&page)).await.status, StatusCode::BAD_REQUEST);
    // The reasons follow a question this survey does not ask: asked of everyone, barriers kept.
    add("reasons_offline", revision(&page)).await.assert_redirect(&format!("{DRAFT}/questions/why_not_online"));
    let document = admin.get("/staff/surveys/library-exit/versions/draft.toml").await.body;
    assert!(document.contains("id = \"why_not_online\"") && !document.contains("used_online"), "{document}");
    assert!(document.contains("barriers = [\"access\"]"));
    let analyst = app.signed_in_as("analyst@council.gov.uk", &[Role::Analyst]).await;
    let r = revision(&admin.get(DRAFT).await.body);
    let refused =
        analyst.staff_post(&format!("{DRAFT}/modules"), &[("revision", &r), ("module", "ons_internet_use")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(admin.staff_post("/staff/surveys/library-exit/publish", &[]).await.status, StatusCode::SEE_OTHER);
}
