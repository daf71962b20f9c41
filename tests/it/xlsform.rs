//! XLSForm in and out, judged by the field's own tool: pyxform (`xls2xform`) converts what we
//! write, what it writes in its own examples' style comes in with the right questions, options and
//! rules, real forms written by others come in as drafts, and what a draft cannot keep is said
//! with its sheet, row and column.

use crate::common;
use it_macros::both_backends;

use common::{TestApp, revision_in};
use inclusion_survey::auth::account::Role;
use reqwest::StatusCode;
use rust_xlsxwriter::{Formula, Workbook};
use serde_json::Value;

async fn admin(app: &TestApp) -> TestApp {
    app.signed_in_as("admin@council.gov.uk", &[Role::Admin]).await
}

/// A spreadsheet from rows of cells, sheet by sheet. A cell written `=FORMULA|result` is a formula
/// with that cached result.
fn xlsx(sheets: &[(&str, &[&[&str]])]) -> Vec<u8> {
    let mut book = Workbook::new();
    for (name, rows) in sheets {
        let sheet = book.add_worksheet().set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate().filter(|(_, c)| !c.is_empty()) {
                match cell.strip_prefix('=').and_then(|f| f.split_once('|')) {
                    Some((formula, result)) => sheet
                        .write_formula(r as u32, c as u16, Formula::new(formula).set_result(result))
                        .map(drop)
                        .unwrap(),
                    None => sheet.write_string(r as u32, c as u16, *cell).map(drop).unwrap(),
                }
            }
        }
    }
    book.save_to_buffer().unwrap()
}

/// `xls2xform --json` on `bytes`: pyxform's verdict.
fn pyxform(bytes: &[u8], name: &str) -> Value {
    // Each call its own directory: the same test runs on both backends at once.
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("xlsform-{}-{call}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("form.xlsx"), bytes).unwrap();
    let out = std::process::Command::new("xls2xform")
        .current_dir(&dir)
        .args(["--json", "form.xlsx", "form.xml"])
        .output()
        .expect("pyxform is installed (scripts/setup.sh --tests installs it)");
    std::fs::remove_dir_all(&dir).unwrap();
    // pyxform writes its JSON report to standard error.
    serde_json::from_slice(&out.stderr).unwrap_or_else(|e| {
        panic!(
            "xls2xform said ({e}): {:?} {:?}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

async fn definition(app: &TestApp, sql: &str, slug: &str) -> Value {
    let text: String = sqlx::query_scalar(sql).bind(slug).fetch_one(&app.db.read).await.unwrap();
    serde_json::from_str(&text).unwrap()
}

const DRAFT: &str = "SELECT d.definition FROM survey_draft d JOIN survey s ON s.id = d.survey_id WHERE s.slug = $1";
const VERSION_1: &str =
    "SELECT v.definition FROM survey_version v JOIN survey s ON s.id = v.survey_id WHERE s.slug = $1 AND v.version = 1";

#[both_backends]
async fn the_built_in_survey_leaves_as_an_xlsform_pyxform_converts_and_comes_back_the_same(app: TestApp) {
    let admin = admin(&app).await;
    let form = admin.get_bytes("/staff/surveys/digital-inclusion/versions/1.xlsx").await;
    let verdict = pyxform(&form, "builtin");
    assert_eq!(
        (verdict["code"].as_i64(), verdict["warnings"].as_array().map(Vec::len)),
        (Some(100), Some(0)),
        "{verdict}"
    );
    let page = admin.upload("/staff/surveys/digital-inclusion/upload", "digital-inclusion.xlsx", form).await;
    page.assert_redirect("/staff/surveys/digital-inclusion/manage?done=uploaded");
    assert_eq!(
        definition(&app, DRAFT, "digital-inclusion").await,
        definition(&app, VERSION_1, "digital-inclusion").await,
        "the same definition"
    );
}

/// In the style of pyxform's own examples: an introduction, a yes/no question, a "specify other"
/// (a choice and a text question shown when it is chosen), a group, a Likert scale, labels in
/// one named language, and a label that is a formula with its saved value.
#[both_backends]
async fn a_form_written_for_kobo_comes_in_with_its_questions_and_rules(app: TestApp) {
    let admin = admin(&app).await;
    let survey: &[&[&str]] = &[
        &[
            "type",
            "name",
            "label::English (en)",
            "hint::English (en)",
            "required",
            "required_message::English (en)",
            "relevant",
            "appearance",
            "constraint",
        ],
        &["note", "welcome", "=CONCATENATE(\"Welcome\",\"!\")|Welcome!"],
        &["select_one yes_no", "visited", "Have you visited the library this year?", "", "yes", "Select yes or no"],
        &["select_multiple reasons", "why_not", "Why not?", "Select all that apply.", "", "", "${visited} = 'no'"],
        &[
            "text",
            "why_not_other",
            "What else stops you?",
            "",
            "",
            "",
            "selected(${why_not}, 'other')",
            "",
            "string-length(.) <= 200",
        ],
        &["begin group", "about", "About you"],
        &["select_one agree", "confident", "I feel confident online", "", "", "", "", "likert"],
        &["text", "comments", "Anything else?", "", "", "", "", "multiline"],
        &["end group"],
    ];
    let choices: &[&[&str]] = &[
        &["list_name", "name", "label::English (en)", "barriers"],
        &["yes_no", "yes", "Yes"],
        &["yes_no", "no", "No"],
        &["reasons", "no_device", "I do not have a device", "access"],
        &["reasons", "no_skills", "I do not know how", "skills"],
        &["reasons", "other", "Something else"],
        &["agree", "1", "Strongly disagree"],
        &["agree", "2", "Disagree"],
        &["agree", "3", "Agree"],
    ];
    let settings: &[&[&str]] =
        &[&["form_title", "form_id", "version"], &["Library visits", "library-visits", "2026120201"]];
    let form = xlsx(&[("survey", survey), ("choices", choices), ("settings", settings)]);
    let verdict = pyxform(&form, "kobo");
    assert_eq!(verdict["code"].as_i64(), Some(100), "pyxform takes the form itself: {verdict}");
    let page = admin.upload("/staff/survey-files", "library.xlsx", form).await;
    page.assert_redirect("/staff/surveys/library-visits/manage?done=created");
    let d = definition(&app, DRAFT, "library-visits").await;
    assert_eq!(d["title"], "Library visits");
    assert_eq!(d["intro"], serde_json::json!(["Welcome!"]), "a formula is read as its saved value");
    let q = |id: &str| {
        d["questions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("{id} in {d}"))
    };
    assert_eq!(
        (q("visited")["type"].as_str(), q("visited")["required"].as_bool(), q("visited")["error"].as_str()),
        (Some("single"), Some(true), Some("Select yes or no"))
    );
    assert_eq!(q("why_not")["show_if"], serde_json::json!({ "question": "visited", "any_of": ["no"] }));
    assert_eq!(q("why_not")["options"][0]["barriers"], serde_json::json!(["access"]));
    assert_eq!(q("why_not_other")["show_if"], serde_json::json!({ "question": "why_not", "any_of": ["other"] }));
    assert_eq!(q("why_not_other")["max_length"], 200);
    assert_eq!(
        (q("confident")["type"].as_str(), q("confident")["section"].as_str()),
        (Some("scale"), Some("About you"))
    );
    assert_eq!(
        (q("comments")["type"].as_str(), q("comments")["section"].as_str()),
        (Some("long_text"), Some("About you"))
    );

    // Published, it leaves as an XLSForm that pyxform converts and that comes back the same.
    admin.staff_post("/staff/surveys/library-visits/publish", &[]).await;
    let ours = admin.get_bytes("/staff/surveys/library-visits/versions/1.xlsx").await;
    let verdict = pyxform(&ours, "ours");
    assert_eq!(
        (verdict["code"].as_i64(), verdict["warnings"].as_array().map(Vec::len)),
        (Some(100), Some(0)),
        "{verdict}"
    );
    admin
        .upload("/staff/surveys/library-visits/upload", "again.xlsx", ours)
        .await
        .assert_redirect("/staff/surveys/library-visits/manage?done=uploaded");
    assert_eq!(definition(&app, DRAFT, "library-visits").await, definition(&app, VERSION_1, "library-visits").await);
}

/// A bilingual form as ODK and Kobo write one: `label::English (en)` and `label::Cymraeg (cy)`,
/// English named the default. It comes in as an English survey with its Welsh translation.
#[both_backends]
async fn a_bilingual_form_comes_in_with_both_languages(app: TestApp) {
    let admin = admin(&app).await;
    let survey: &[&[&str]] = &[
        &["type", "name", "label::English (en)", "label::Cymraeg (cy)", "hint::English (en)", "hint::Cymraeg (cy)"],
        &[
            "select_one yn",
            "visited",
            "Have you visited the library?",
            "Ydych chi wedi ymweld â'r llyfrgell?",
            "This year",
            "Eleni",
        ],
    ];
    let choices: &[&[&str]] = &[
        &["list_name", "name", "label::English (en)", "label::Cymraeg (cy)"],
        &["yn", "yes", "Yes", "Ydw"],
        &["yn", "no", "No", "Nac ydw"],
    ];
    let settings: &[&[&str]] =
        &[&["form_title", "form_id", "default_language"], &["Library visits", "library-visits", "English (en)"]];
    let form = xlsx(&[("survey", survey), ("choices", choices), ("settings", settings)]);
    assert_eq!(pyxform(&form, "bilingual")["code"].as_i64(), Some(100));
    admin
        .upload("/staff/survey-files", "library.xlsx", form)
        .await
        .assert_redirect("/staff/surveys/library-visits/manage?done=created");
    let d = definition(&app, DRAFT, "library-visits").await;
    assert_eq!(d["questions"][0]["text"], "Have you visited the library?");
    assert_eq!(d["translations"]["cy"]["questions"]["visited"]["text"], "Ydych chi wedi ymweld â'r llyfrgell?");
    assert_eq!(d["translations"]["cy"]["questions"]["visited"]["hint"], "Eleni");
    assert_eq!(
        d["translations"]["cy"]["questions"]["visited"]["options"],
        serde_json::json!({ "yes": "Ydw", "no": "Nac ydw" })
    );
    let page = admin.staff_post("/staff/surveys/library-visits/publish", &[]).await;
    assert!(
        page.body.contains("The translation `cy` is not complete: it has no text for the title"),
        "the form had no Welsh title: {}",
        page.body
    );
}

/// A language a form names in a way the service cannot place (`label::Martian`) keeps its text;
/// the draft's page asks which language it is, and the draft cannot be published until it is said.
#[both_backends]
async fn a_language_the_service_cannot_name_is_asked_for_on_the_draft_page(app: TestApp) {
    let admin = admin(&app).await;
    let survey: &[&[&str]] = &[
        &["type", "name", "label::English (en)", "label::Martian", "hint::Martian"],
        &["select_one yn", "visited", "Have you visited the library?", "Czy byłeś w bibliotece?", "W tym roku"],
    ];
    let choices: &[&[&str]] = &[
        &["list_name", "name", "label::English (en)", "label::Martian"],
        &["yn", "yes", "Yes", "Tak"],
        &["yn", "no", "No", "Nie"],
    ];
    let settings: &[&[&str]] = &[&["form_title", "form_id"], &["Library visits", "library-martian"]];
    let form = xlsx(&[("survey", survey), ("choices", choices), ("settings", settings)]);
    admin
        .upload("/staff/survey-files", "library.xlsx", form)
        .await
        .assert_redirect("/staff/surveys/library-martian/manage?done=created");
    let d = definition(&app, DRAFT, "library-martian").await;
    let kept = &d["translations"]["und-x-martian"];
    assert_eq!(kept["name"], "Martian");
    assert_eq!(kept["questions"]["visited"]["text"], "Czy byłeś w bibliotece?");
    assert_eq!(kept["questions"]["visited"]["hint"], "W tym roku", "the hint in the same language is kept with it");
    assert_eq!(kept["questions"]["visited"]["options"], serde_json::json!({ "yes": "Tak", "no": "Nie" }));
    let publish = admin.staff_post("/staff/surveys/library-martian/publish", &[]).await;
    assert_eq!(publish.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(publish.body.contains("Say which language Martian (`und-x-martian`) is"), "{}", publish.body);
    let versions =
        "SELECT COUNT(*) FROM survey_version v JOIN survey s ON s.id = v.survey_id WHERE s.slug = 'library-martian'";
    assert_eq!(app.count(versions).await, 0, "not published");

    let page = admin.get("/staff/surveys/library-martian/draft").await.body;
    assert!(page.contains("Which language is \u{201c}Martian\u{201d}?"), "{page}");
    let name = "/staff/surveys/library-martian/draft/languages/und-x-martian/name";
    let revision = revision_in(&page);
    for (typed, message) in [
        ("Klingonish", "Enter which language it is: its tag, like cy, or its name in English, like Welsh"),
        ("English", "The draft already has English: remove one of them first"),
        ("und", "Enter which language it is, like cy or Welsh"),
    ] {
        let refused = admin.staff_post(name, &[("revision", &revision), ("language", typed)]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{typed}");
        assert!(refused.body.contains(message), "{typed}: {}", refused.body);
    }
    assert_eq!(definition(&app, DRAFT, "library-martian").await, d, "a refusal changes nothing");
    admin
        .staff_post(name, &[("revision", &revision), ("language", "Polish")])
        .await
        .assert_redirect("/staff/surveys/library-martian/draft");
    let named = definition(&app, DRAFT, "library-martian").await;
    assert_eq!(named["translations"]["pl"]["questions"], kept["questions"], "its text, now Polish");
    assert!(named["translations"]["pl"].get("name").is_none(), "Polish goes by the service's name for it, Polski");
    assert!(named["translations"].get("und-x-martian").is_none());
    let page = admin.get("/staff/surveys/library-martian/draft").await.body;
    assert!(!page.contains("Languages to name") && page.contains("Polski (pl)"), "{page}");
    let publish = admin.staff_post("/staff/surveys/library-martian/publish", &[]).await;
    assert!(!publish.body.contains("Say which language"), "{}", publish.body);
    assert!(publish.body.contains("The translation `pl` is not complete: it has no text for the title"));
}

/// What a form has that the draft cannot keep is left out and said on the survey's page, row by
/// row in words; a form with nothing left to ask, or not a spreadsheet, is refused and adds nothing.
#[both_backends]
async fn what_a_draft_cannot_keep_is_said_row_by_row(app: TestApp) {
    let admin = admin(&app).await;
    let choices: &[&[&str]] = &[&["list_name", "name", "label"], &["yn", "yes", "Yes"], &["yn", "no", "No"]];
    let settings: &[&[&str]] = &[&["form_title", "form_id"], &["Odd", "odd-form"]];
    let cases: [(&[&[&str]], &str); 7] = [
        (
            &[&["type", "name", "label"], &["select_one yn", "a", "A?"], &["range", "age", "How old are you?"]],
            "The survey sheet, row 3, column type: a range is not asked here: a whole number with its smallest and largest is: the question `age` was left out",
        ),
        (
            &[
                &["type", "name", "label", "relevant"],
                &["select_one yn", "a", "A?"],
                &["select_one yn", "b", "B?", "${a} = 'yes' and ${a} != 'no'"],
            ],
            "The survey sheet, row 3, column relevant: the condition \"${a} = 'yes' and ${a} != 'no'\" is not kept (only",
        ),
        (
            &[&["type", "name", "label"], &["select_one colours", "a", "A?"], &["select_one yn", "b", "B?"]],
            "The survey sheet, row 2, column type: there is no choice list \"colours\" on the choices sheet: the question `a` was left out",
        ),
        (
            &[&["type", "name", "label::English (en)", "label::Martian"], &["select_one yn", "a", "A?", "A? (mars)"]],
            "column label::martian: this service cannot tell which language this is: its text is kept, and the draft's page asks",
        ),
        (
            &[
                &["type", "name", "label", "calculation"],
                &["select_one yn", "a", "A?"],
                &["calculate", "c", "", "1 + 1"],
            ],
            "The survey sheet, column calculation: calculations are not kept (row 3)",
        ),
        (
            &[&["type", "name", "label"], &["begin group", "g", "G"], &["select_one yn", "a", "A?"]],
            "The survey sheet, row 2, column type: this group has no end group",
        ),
        (
            &[
                &["type", "name", "label", "relevant"],
                &["select_one yn", "a", "A?"],
                &["begin group", "g", "G", "${a} = 'yes'"],
                &["select_one yn", "b", "B?"],
                &["end group"],
            ],
            "The survey sheet, row 3, column relevant: the group's condition is not kept: its questions are asked of everyone",
        ),
    ];
    for (i, (survey, expected)) in cases.into_iter().enumerate() {
        // Each case its own survey: a second upload of one address would be refused as taken.
        let id = format!("odd-form-{i}");
        let settings: Vec<Vec<&str>> = vec![settings[0].to_vec(), vec!["Odd", &id]];
        let settings: Vec<&[&str]> = settings.iter().map(Vec::as_slice).collect();
        let form = xlsx(&[("survey", survey), ("choices", choices), ("settings", &settings)]);
        let page = admin.upload("/staff/survey-files", "odd.xlsx", form).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{expected}: {}", page.body);
        let manage = admin.get(&format!("/staff/surveys/{id}/manage")).await.body;
        let body = manage.replace("&quot;", "\"").replace("&#x27;", "'").replace("&#39;", "'");
        let body = body.replace("<code>", "`").replace("</code>", "`");
        assert!(body.contains("What the uploaded form had that the draft does not keep"), "{body}");
        assert!(body.contains(expected), "expected {expected:?} in {body}");
    }
    let added = app.count("SELECT COUNT(*) FROM survey").await;
    // Nothing left to ask: refused, with the reason.
    let nothing: &[&[&str]] = &[&["type", "name", "label"], &["geopoint", "where", "Where?"], &["start", "start", ""]];
    let page =
        admin.upload("/staff/survey-files", "none.xlsx", xlsx(&[("survey", nothing), ("settings", settings)])).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("no question in it is one this service can ask"), "{}", page.body);
    let page = admin.upload("/staff/survey-files", "bad.xlsx", b"PK\x03\x04 not really a zip".to_vec()).await;
    assert!(page.body.contains("it is not an .xlsx spreadsheet"), "{}", page.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM survey").await, added, "nothing added");
}

/// Real forms, written by others for KoboToolbox, ODK and Ona (tests/fixtures/xlsforms, with their
/// sources and licences): each comes in as a draft with what it did not keep, or is refused with
/// its reason; none crashes, and each draft is one the service can check and preview.
#[both_backends]
async fn real_forms_come_in_as_drafts_with_what_they_did_not_keep(app: TestApp) {
    let admin = admin(&app).await;
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/xlsforms");
    let mut files: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "xlsx"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 15);
    let (mut drafts, mut refused) = (Vec::new(), Vec::new());
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let before = app.count("SELECT COUNT(*) FROM survey").await;
        let page = admin.upload("/staff/survey-files", &name, std::fs::read(file).unwrap()).await;
        match page.status {
            StatusCode::SEE_OTHER => {
                let location = page.location.clone().unwrap();
                let manage = admin.get(&location).await;
                assert_eq!(manage.status, StatusCode::OK, "{name}");
                // The draft is one the service can show a resident: its preview opens.
                let preview = location.split('?').next().unwrap().replace("/manage", "/preview?version=draft");
                let preview = admin.get(&preview).await;
                assert_eq!(preview.status, StatusCode::OK, "{name}: {}", preview.body);
                drafts.push((name, manage.body));
            }
            StatusCode::UNPROCESSABLE_ENTITY => {
                assert!(page.body.contains("There is a problem"), "{name}: {}", page.body);
                assert_eq!(app.count("SELECT COUNT(*) FROM survey").await, before, "{name}: nothing added");
                let reason = page.body.split("<li>").nth(1).and_then(|r| r.split("</li>").next()).unwrap_or_default();
                eprintln!("refused {name}: {reason}");
                refused.push((name, page.body));
            }
            other => panic!("{name}: {other}: {}", page.body),
        }
    }
    let summary: Vec<String> = drafts
        .iter()
        .map(|(n, _)| format!("draft {n}"))
        .chain(refused.iter().map(|(n, _)| format!("refused {n}")))
        .collect();
    eprintln!("{} of {} real forms came in as drafts: {summary:?}", drafts.len(), files.len());
    assert!(drafts.len() >= 12, "{summary:?}");
    let draft = |name: &str| {
        drafts
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, b)| b.replace("&quot;", "\"").replace("&#x27;", "'"))
            .unwrap_or_else(|| panic!("{name} is not a draft: {summary:?}"))
    };
    // The ODK pizza tutorial: its photo and location left out, and its age's rule (strictly more
    // than 0), said row by row; its number and date kept.
    let pizza = draft("pizza_tutorial.xlsx");
    assert!(pizza.contains("files, pictures and recordings are not taken here: the question"), "{pizza}");
    assert!(pizza.contains("row 3, column constraint: the rule"), "{pizza}");
    assert!(pizza.contains("details a device records"), "{pizza}");
    // Single-colon languages (`label:English`) and the older `bind:relevant`: kept.
    let eats = draft("good_eats_multilang.xlsx");
    assert!(!eats.contains("label::french: this service cannot tell"), "{eats}");
    let kept = "SELECT COUNT(*) FROM survey_draft d JOIN survey s ON s.id = d.survey_id \
                WHERE s.slug = 'good-eats-multilang' AND d.definition LIKE '%\"fr\"%'";
    assert_eq!(app.count(kept).await, 1, "its French kept");
    assert!(eats.contains("<h1 class=\"heading-l\">Good eats multilang</h1>"), "titled after its file: {eats}");
}

/// The same on the command line: `survey export SLUG --format xlsform` writes the spreadsheet,
/// `survey import FILE.xlsx` reads it back as the next version's draft, and it publishes unchanged.
#[both_backends]
async fn the_command_line_reads_and_writes_xlsforms(app: TestApp) {
    let exported = app.cli(&["survey", "export", "digital-inclusion", "--format", "xlsform"]);
    assert!(exported.status.success(), "{}", String::from_utf8_lossy(&exported.stderr));
    assert!(exported.stdout.starts_with(b"PK\x03\x04"), "an .xlsx on standard output");
    let file = std::env::temp_dir().join(format!(
        "cli-{}-{}.xlsx",
        std::process::id(),
        app.address.rsplit(':').next().unwrap_or_default()
    ));
    std::fs::write(&file, &exported.stdout).unwrap();
    // An XLSForm is only ever a draft: --publish is refused, and nothing changes.
    let refused = app.cli(&["survey", "import", "--publish", file.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("an XLSForm comes in as a draft to review"));
    let imported = app.cli(&["survey", "import", file.to_str().unwrap()]);
    std::fs::remove_file(&file).unwrap();
    assert!(imported.status.success(), "{}", String::from_utf8_lossy(&imported.stderr));
    assert!(!String::from_utf8_lossy(&imported.stdout).contains("Not kept"), "our own form keeps everything");
    // A real form's notes are printed, and its draft's page lists them.
    let pizza = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/xlsforms/pizza_tutorial.xlsx");
    let imported = app.cli(&["survey", "import", pizza.to_str().unwrap()]);
    let said = String::from_utf8_lossy(&imported.stdout);
    assert!(said.contains("Not kept in the draft (6):"), "{said}");
    assert!(said.contains("locations are not asked here: the question `location` was left out"), "{said}");
    // Uploaded again from the survey's page as our own TOML: the notes go with the old draft.
    let admin = admin(&app).await;
    assert!(admin.get("/staff/surveys/pizza-tutorial/manage").await.body.contains("does not keep (6)"));
    let toml = "id = \"pizza-tutorial\"\ntitle = \"Pizza\"\nminutes = 1\n[[questions]]\nid = \"name\"\ntype = \"short_text\"\ntext = \"Your name?\"\n";
    let replaced = admin.upload("/staff/surveys/pizza-tutorial/upload", "pizza.toml", toml.as_bytes().to_vec()).await;
    assert_eq!(replaced.status, StatusCode::SEE_OTHER, "{}", replaced.body);
    assert!(!admin.get("/staff/surveys/pizza-tutorial/manage").await.body.contains("does not keep"));
    let published = app.cli(&["survey", "publish", "digital-inclusion"]);
    assert!(
        String::from_utf8_lossy(&published.stdout).contains("published as version 2"),
        "{}",
        String::from_utf8_lossy(&published.stderr)
    );
    let version_2 = VERSION_1.replace("v.version = 1", "v.version = 2");
    assert_eq!(
        definition(&app, &version_2, "digital-inclusion").await,
        definition(&app, VERSION_1, "digital-inclusion").await
    );
}
