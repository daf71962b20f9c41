//! Numbers, dates and notes between questions, in every path that stores or writes answers: the
//! resident flow (with its messages), what is stored and counted, and each download judged by the
//! field's own tool (pyxform, GNU PSPP, Frictionless), on SQLite and PostgreSQL.

use crate::common;
use it_macros::both_backends;

use common::{Page, TestApp};
use inclusion_survey::auth::account::Role;
use reqwest::StatusCode;

const KINDS: &str = r#"
id = "library-visit"
title = "Your library visit"
minutes = 2

[[questions]]
id = "age"
type = "whole_number"
text = "How old are you?"
required = true
min = 16
max = 120

[[questions]]
id = "at_home"
type = "note"
text = "The next questions are about the internet at home."

[[questions]]
id = "spend"
type = "decimal"
text = "How much do you spend on mobile data a month, in pounds?"
min = -1

[[questions]]
id = "moved"
type = "date"
text = "When did you move to the borough?"
dates = "past"
"#;

const SLUG: &str = "library-visit";

/// The survey above, published and open, and its admin.
async fn published(app: &TestApp) -> TestApp {
    let admin = app.signed_in_as("admin@council.gov.uk", &[Role::Admin]).await;
    admin.upload("/staff/survey-files", "survey.toml", KINDS.as_bytes().to_vec()).await;
    admin.staff_post(&format!("/staff/surveys/{SLUG}/publish"), &[]).await;
    admin
        .staff_post(&format!("/staff/surveys/{SLUG}/status"), &[("status", "open"), ("opens", ""), ("closes", "")])
        .await
        .assert_redirect(&format!("/staff/surveys/{SLUG}/manage?done=status"));
    admin
}

async fn answer(resident: &TestApp, question: &str, fields: &[(&str, &str)]) -> Page {
    resident.post(&format!("/s/{SLUG}/q/{question}"), fields).await
}

/// One resident through the survey: `age`, `spend` and the date's three boxes.
async fn respond(app: &TestApp, age: &str, spend: &str, moved: [&str; 3]) {
    let resident = app.another_browser();
    resident.get(&format!("/s/{SLUG}")).await;
    resident.post(&format!("/s/{SLUG}/start"), &[]).await.assert_redirect(&format!("/s/{SLUG}/q/age"));
    answer(&resident, "age", &[("answer", age)]).await.assert_redirect(&format!("/s/{SLUG}/q/at_home"));
    answer(&resident, "at_home", &[]).await.assert_redirect(&format!("/s/{SLUG}/q/spend"));
    answer(&resident, "spend", &[("answer", spend)]).await;
    let [d, m, y] = moved;
    answer(&resident, "moved", &[("answer", d), ("answer", m), ("answer", y)]).await;
    resident.post(&format!("/s/{SLUG}/submit"), &[]).await.assert_redirect(&format!("/s/{SLUG}/done"));
}

#[both_backends]
async fn a_resident_answers_a_number_a_note_and_a_date_and_is_told_what_to_fix(app: TestApp) {
    published(&app).await;
    let resident = app.another_browser();
    resident.get(&format!("/s/{SLUG}")).await;
    resident.post(&format!("/s/{SLUG}/start"), &[]).await;
    for (typed, message) in
        [("forty", "Enter a whole number, like 12"), ("200", "Enter a number from 16 to 120"), ("", "Enter a number")]
    {
        let page = answer(&resident, "age", &[("answer", typed)]).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{typed}");
        assert!(page.body.contains(message), "{typed}: {}", page.body);
        assert!(page.body.contains(&format!("value=\"{typed}\"")), "what was typed is shown again");
        assert!(page.body.contains("inputmode=\"numeric\""));
    }
    answer(&resident, "age", &[("answer", " 42 ")]).await.assert_redirect(&format!("/s/{SLUG}/q/at_home"));
    let note = resident.get(&format!("/s/{SLUG}/q/at_home")).await.body;
    assert!(note.contains("The next questions are about the internet at home.") && !note.contains("<input class"));
    answer(&resident, "at_home", &[]).await.assert_redirect(&format!("/s/{SLUG}/q/spend"));
    answer(&resident, "spend", &[("answer", "1,200.50")]).await.assert_redirect(&format!("/s/{SLUG}/q/moved"));
    let date = resident.get(&format!("/s/{SLUG}/q/moved")).await.body;
    assert!(date.contains("For example, 27 3 2007") && date.contains(">Month</label>"), "{date}");
    let wrong = answer(&resident, "moved", &[("answer", "31"), ("answer", "2"), ("answer", "2020")]).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("Enter a real date, like 27 3 2007") && wrong.body.contains("value=\"31\""));
    let part = answer(&resident, "moved", &[("answer", "27"), ("answer", ""), ("answer", "2007")]).await;
    assert!(part.body.contains("Enter the day, the month and the year"));
    answer(&resident, "moved", &[("answer", "27"), ("answer", "Mar"), ("answer", "2007")])
        .await
        .assert_redirect(&format!("/s/{SLUG}/check"));
    let check = resident.get(&format!("/s/{SLUG}/check")).await.body;
    for said in ["42", "1200.5", "27/03/2007"] {
        assert!(check.contains(said), "{said}: {check}");
    }
    assert!(!check.contains("The next questions are about"), "a note is not an answer to check");
    resident.post(&format!("/s/{SLUG}/submit"), &[]).await.assert_redirect(&format!("/s/{SLUG}/done"));

    // Kept as the value, where a choice keeps its id: the running totals count each value.
    let stored: Vec<(String, String)> =
        sqlx::query_as("SELECT question_id, option_id FROM answer ORDER BY question_id")
            .fetch_all(&app.db.read)
            .await
            .unwrap();
    let stored: Vec<(&str, &str)> = stored.iter().map(|(q, o)| (q.as_str(), o.as_str())).collect();
    assert_eq!(stored, [("age", "42"), ("moved", "2007-03-27"), ("spend", "1200.5")]);
    assert_eq!(app.count("SELECT COUNT(*) FROM tally WHERE question_id = 'age' AND option_id = '42'").await, 1);
    app.assert_totals_match_for(SLUG).await;
}

#[both_backends]
async fn downloads_type_numbers_and_dates_and_the_fields_tools_read_them(app: TestApp) {
    let admin = published(&app).await;
    respond(&app, "42", "12.5", ["27", "3", "2007"]).await;
    respond(&app, "70", "-0.5", ["1", "12", "2019"]).await;
    let export = |file: &str| format!("/staff/surveys/{SLUG}/export/{file}");

    // The results: a number in bands from its own limits with its median, a date by month.
    let results = admin.get(&format!("/staff/surveys/{SLUG}")).await.body;
    for shown in ["40 to 59", "60 to 79", "Median: 56 (too few answers for an interval)", "March 2007", "December 2019"]
    {
        assert!(results.contains(shown), "{shown}: {results}");
    }

    let csv = admin.get(&format!("{}?bom=0", export("responses.csv"))).await.body;
    let header = csv.lines().next().unwrap();
    assert!(header.ends_with(",age,spend,moved"), "no column for the note: {header}");
    assert!(csv.contains(",42,12.5,2007-03-27") && csv.contains(",70,-0.5,2019-12-01"), "{csv}");

    let dir =
        std::env::temp_dir().join(format!("kinds-{}-{}", std::process::id(), app.address.rsplit(':').next().unwrap()));
    std::fs::create_dir_all(&dir).unwrap();
    let run = |program: &str, args: &[&str]| {
        let out = std::process::Command::new(program)
            .current_dir(&dir)
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("{program} is installed (scripts/setup.sh --tests installs it): {e}"));
        let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        (out.status.success(), said)
    };

    // Frictionless: integer, number and date fields, each cell checked against its type.
    let package = admin.get_bytes(&export("responses.zip")).await;
    zip::ZipArchive::new(std::io::Cursor::new(package)).unwrap().extract(dir.join("package")).unwrap();
    let descriptor: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("package/datapackage.json")).unwrap()).unwrap();
    let fields = descriptor["resources"][0]["schema"]["fields"].as_array().unwrap();
    let typed = |name: &str| fields.iter().find(|f| f["name"] == name).map(|f| f["type"].clone());
    assert_eq!(
        [typed("age"), typed("spend"), typed("moved")],
        [Some("integer".into()), Some("number".into()), Some("date".into())]
    );
    let (valid, said) = run("frictionless", &["validate", "--json", "package/datapackage.json"]);
    assert!(valid && said.contains("\"valid\": true"), "{said}");

    // GNU PSPP reads the numbers as numbers and the dates as dates.
    let syntax = admin.get(&export("responses.sps")).await.body;
    let file = syntax.split("/FILE='").nth(1).and_then(|rest| rest.split('\'').next()).unwrap().to_owned();
    std::fs::write(dir.join(&file), admin.get(&format!("{}?one_line=1", export("responses.csv"))).await.body).unwrap();
    let script = format!(
        "{syntax}\nCOMPUTE year = XDATE.YEAR(moved).\nDESCRIPTIVES /VARIABLES=age spend year /STATISTICS=MEAN SUM.\n"
    );
    std::fs::write(dir.join("run.sps"), script).unwrap();
    let (ran, said) = run("pspp", &["-O", "format=csv", "-o", "out.csv", "run.sps"]);
    let out = std::fs::read_to_string(dir.join("out.csv")).unwrap_or_default();
    assert!(ran && !out.contains("error") && !out.contains("warning"), "{said}\n{out}");
    for (variable, mean) in [("How old are you?", "56.00"), ("How much do you spend", "6.00"), ("year", "2013.00")] {
        assert!(out.lines().any(|l| l.contains(variable) && l.contains(mean)), "{variable} {mean}: {out}");
    }

    // pyxform converts the XLSForm with no warnings, and it comes back as the same survey.
    let form = admin.get_bytes(&format!("/staff/surveys/{SLUG}/versions/1.xlsx")).await;
    std::fs::write(dir.join("form.xlsx"), &form).unwrap();
    let (_, said) = run("xls2xform", &["--json", "form.xlsx", "form.xml"]);
    let verdict: serde_json::Value = serde_json::from_str(said.trim()).unwrap_or_else(|e| panic!("{e}: {said}"));
    assert_eq!(
        (verdict["code"].as_i64(), verdict["warnings"].as_array().map(Vec::len)),
        (Some(100), Some(0)),
        "{verdict}"
    );
    let xform = std::fs::read_to_string(dir.join("form.xml")).unwrap();
    for bind in ["type=\"int\"", "type=\"decimal\"", "type=\"date\"", ". &lt;= today()", ". &gt;= 16 and . &lt;= 120"] {
        assert!(xform.contains(bind), "{bind}: {xform}");
    }
    admin.upload(&format!("/staff/surveys/{SLUG}/upload"), "again.xlsx", form).await;
    let sql = |table: &str| {
        format!("SELECT d.definition FROM {table} d JOIN survey s ON s.id = d.survey_id WHERE s.slug = $1")
    };
    let draft: String = sqlx::query_scalar(&sql("survey_draft")).bind(SLUG).fetch_one(&app.db.read).await.unwrap();
    let version: String = sqlx::query_scalar(&sql("survey_version")).bind(SLUG).fetch_one(&app.db.read).await.unwrap();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&draft).unwrap(),
        serde_json::from_str::<serde_json::Value>(&version).unwrap()
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

const POSTCODES: &str = r#"
id = "where-you-live"
title = "Where you live"
minutes = 1

[[questions]]
id = "postcode"
type = "postcode"
text = "What is your postcode?"
keep = "ward"
fills = "ward"

[[questions]]
id = "ward"
type = "single"
text = "Which ward do you live in?"
options = [
  { id = "town_centre", label = "Stockton Town Centre" },
  { id = "norton_north", label = "Norton North" },
]
"#;

/// A resident gives a postcode; returns where they were sent next and the answers they sent.
async fn give_postcode(app: &TestApp, typed: &str) -> (String, TestApp) {
    let resident = app.another_browser();
    resident.get("/s/where-you-live").await;
    resident.post("/s/where-you-live/start", &[]).await;
    let page = resident.post("/s/where-you-live/q/postcode", &[("answer", typed)]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{typed}: {}", page.body);
    (page.headers["location"].to_str().unwrap().to_owned(), resident)
}

#[both_backends]
async fn a_postcode_fills_the_ward_from_the_lookup_and_is_never_kept(app: TestApp) {
    let admin = app.signed_in_as("admin@council.gov.uk", &[Role::Admin]).await;
    admin.upload("/staff/survey-files", "survey.toml", POSTCODES.as_bytes().to_vec()).await;
    admin.staff_post("/staff/surveys/where-you-live/publish", &[]).await;
    admin
        .staff_post("/staff/surveys/where-you-live/status", &[("status", "open"), ("opens", ""), ("closes", "")])
        .await;
    const LOOKUP: &str = "/staff/surveys/where-you-live/postcodes";

    // A file with a ward the question does not have changes nothing and says which.
    let wrong = admin.upload(LOOKUP, "wards.csv", b"pcds,osward\nTS18 1AU,Hartlepool Central\n".to_vec()).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("Hartlepool Central"), "{}", wrong.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM postcode_ward").await, 0);
    // The directory's columns, names matched to the answers in any case.
    let directory = "pcd7,pcds,osward,oslaua\nTS181AU,TS18 1AU,stockton town centre,E06000004\nTS201AA,TS20 1AA,Norton North,E06000004\n";
    admin
        .upload(LOOKUP, "onspd.csv", directory.as_bytes().to_vec())
        .await
        .assert_redirect(&format!("{LOOKUP}?done=uploaded"));
    assert!(admin.get(LOOKUP).await.body.contains("2 postcodes, each with its ward."));

    // Found: the ward chosen, to check and change.
    let (next, resident) = give_postcode(&app, "ts18 1au").await;
    assert_eq!(next, "/s/where-you-live/q/ward?postcode=found");
    let ward = resident.get(&next).await.body;
    assert!(ward.contains("We chose your ward from your postcode"), "{ward}");
    assert!(ward.contains("value=\"town_centre\" checked") || ward.contains("checked value=\"town_centre\""), "{ward}");
    resident.post("/s/where-you-live/q/ward", &[("answer", "town_centre")]).await;
    resident.post("/s/where-you-live/submit", &[]).await.assert_redirect("/s/where-you-live/done");
    // Unknown: told so, and the list to choose from.
    let (next, resident) = give_postcode(&app, "TS99 9ZZ").await;
    assert_eq!(next, "/s/where-you-live/q/ward?postcode=unknown");
    let ward = resident.get(&next).await.body;
    assert!(ward.contains("We could not find your postcode in our list") && !ward.contains("checked"), "{ward}");
    // Not a postcode: told how to write one, and nothing moves on.
    let resident = app.another_browser();
    resident.get("/s/where-you-live").await;
    resident.post("/s/where-you-live/start", &[]).await;
    let bad = resident.post("/s/where-you-live/q/postcode", &[("answer", "TS18")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Enter a full postcode, like TS18 1AU"));

    // The boundary changes: the new lookup chooses the new ward; the answer given keeps its own.
    let moved = "postcode,ward\nTS18 1AU,Norton North\n";
    admin
        .upload(LOOKUP, "2026.csv", moved.as_bytes().to_vec())
        .await
        .assert_redirect(&format!("{LOOKUP}?done=uploaded"));
    let (next, resident) = give_postcode(&app, "TS18 1AU").await;
    assert_eq!(next, "/s/where-you-live/q/ward?postcode=found");
    assert!(resident.get(&next).await.body.contains("checked"), "chosen again");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM answer WHERE question_id = 'ward' AND option_id = 'town_centre'").await,
        1
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM postcode_ward").await, 1, "replaced whole");
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'postcodes.upload'").await, 2);

    // Nothing of any postcode is stored, in answers, drafts or the audit log.
    for (table, column) in [
        ("answer", "option_id"),
        ("answer", "text"),
        ("draft", "progress"),
        ("audit_log", "before"),
        ("audit_log", "after"),
    ] {
        let sql = format!("SELECT COUNT(*) FROM {table} WHERE {column} LIKE '%TS18%' OR {column} LIKE '%ts18%'");
        assert_eq!(app.count(&sql).await, 0, "{table}.{column}");
    }
    let notice = app.get("/s/where-you-live/privacy").await.body;
    assert!(notice.contains("we use it only to find your ward, and do not keep it"), "{notice}");
}

#[both_backends]
async fn a_postcode_question_that_keeps_the_sector_keeps_no_more(app: TestApp) {
    let admin = app.signed_in_as("admin@council.gov.uk", &[Role::Admin]).await;
    let sector = POSTCODES.replace("keep = \"ward\"\n", "").replace("where-you-live", "sectors");
    admin.upload("/staff/survey-files", "survey.toml", sector.into_bytes()).await;
    admin.staff_post("/staff/surveys/sectors/publish", &[]).await;
    admin.staff_post("/staff/surveys/sectors/status", &[("status", "open"), ("opens", ""), ("closes", "")]).await;
    let resident = app.another_browser();
    resident.get("/s/sectors").await;
    resident.post("/s/sectors/start", &[]).await;
    let page = resident.post("/s/sectors/q/postcode", &[("answer", "ts181au")]).await;
    assert_eq!(page.headers["location"], "/s/sectors/q/ward?postcode=unknown", "no lookup yet");
    resident.post("/s/sectors/q/ward", &[("answer", "norton_north")]).await;
    assert!(resident.get("/s/sectors/check").await.body.contains("TS18 1<"), "the sector, as kept");
    resident.post("/s/sectors/submit", &[]).await.assert_redirect("/s/sectors/done");
    let kept: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT option_id, text FROM answer WHERE question_id = 'postcode'")
            .fetch_all(&app.db.read)
            .await
            .unwrap();
    assert_eq!(kept, vec![(String::new(), Some("TS18 1".to_owned()))]);
    assert!(app.get("/s/sectors/privacy").await.body.contains("we keep only its first part and the next number"));
    let csv = admin.get("/staff/surveys/sectors/export/responses.csv?bom=0").await.body;
    assert!(csv.contains(",TS18 1,norton_north"), "{csv}");
}

/// Two admins upload lookups at once: the last one saved stands whole, never a mix of both.
#[both_backends]
async fn lookups_uploaded_at_once_end_as_one_of_them(app: TestApp) {
    let admin = app.signed_in_as("admin@council.gov.uk", &[Role::Admin]).await;
    admin.upload("/staff/survey-files", "survey.toml", POSTCODES.as_bytes().to_vec()).await;
    admin.staff_post("/staff/surveys/where-you-live/publish", &[]).await;
    let other = app.browser_signed_in("admin@council.gov.uk").await;
    const LOOKUP: &str = "/staff/surveys/where-you-live/postcodes";
    let first: String = std::iter::once("postcode,ward".to_owned())
        .chain((0..300).map(|i| format!("TS{} {}AA,Norton North", 10 + i / 10, i % 10)))
        .collect::<Vec<_>>()
        .join("\n");
    let second = "postcode,ward\nTS18 1AU,Stockton Town Centre\n";
    let (a, b) = tokio::join!(
        admin.upload(LOOKUP, "first.csv", first.into_bytes()),
        other.upload(LOOKUP, "second.csv", second.as_bytes().to_vec())
    );
    a.assert_redirect(&format!("{LOOKUP}?done=uploaded"));
    b.assert_redirect(&format!("{LOOKUP}?done=uploaded"));
    let stored = app.count("SELECT COUNT(*) FROM postcode_ward").await;
    let norton = app.count("SELECT COUNT(*) FROM postcode_ward WHERE ward = 'norton_north'").await;
    assert!(
        (stored, norton) == (300, 300) || (stored, norton) == (1, 0),
        "{stored} postcodes, {norton} in Norton North"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'postcodes.upload'").await, 2);
}
