//! Residents take the survey in Welsh, in Easy Read, or in a community language a council adds; the
//! answers are the same option ids, so the figures add up whatever the language.

use crate::common;
use it_macros::both_backends;

use common::{TestApp, revision_in};
use inclusion_survey::auth::account::Role;
use reqwest::StatusCode;

/// Every answer the same whatever the language: the route through the survey is by id.
async fn answer_the_rest(r: &TestApp) {
    r.answer_all(&[("used_online", &["no"]), ("why_not_online", &["cost", "scams"])]).await;
    r.skip_the_rest(true).await;
}

#[both_backends]
async fn a_resident_answers_in_welsh_and_the_figures_add_up_with_english(app: TestApp) {
    let welsh = app.another_browser();
    let start = welsh.get("/s/digital-inclusion?lang=cy").await;
    assert_eq!(start.status, StatusCode::OK);
    assert!(start.body.contains(r#"<html lang="cy" dir="ltr">"#), "{}", start.body);
    assert!(
        start.body.contains("Dechrau nawr") && start.body.contains("Defnyddio gwasanaethau ar-lein y cyngor"),
        "{}",
        start.body
    );
    // Each language is offered by a link in its own language, with JavaScript off.
    assert!(start.body.contains(r#"href="/s/digital-inclusion?lang=en" lang="en" hreflang="en""#), "{}", start.body);
    assert!(
        start.body.contains(
            r#"lang="cy" hreflang="cy" dir="ltr" aria-current="true" class="link languages__link">Cymraeg</a>"#
        ),
        "{}",
        start.body
    );
    assert!(start.body.contains(r#"action="/s/digital-inclusion/start?lang=cy""#), "Start now keeps the language");

    welsh.post("/s/digital-inclusion/start?lang=cy", &[]).await.assert_redirect("/s/digital-inclusion/q/used_online");
    let question = welsh.get("/s/digital-inclusion/q/used_online").await;
    assert!(
        question.body.contains("Ydych chi wedi defnyddio") && question.body.contains(">Parhau<"),
        "the draft keeps Welsh: {}",
        question.body
    );
    let refused = welsh.answer("used_online", &[]).await;
    assert!(
        refused.body.contains("Mae problem wedi codi") && refused.body.contains("Dewiswch ydw"),
        "{}",
        refused.body
    );
    answer_the_rest(&welsh).await;
    let check = welsh.get("/s/digital-inclusion/check").await;
    assert!(
        check.body.contains("Gwiriwch eich atebion")
            && check.body.contains("Mae'r rhyngrwyd neu ddata symudol yn costio gormod"),
        "{}",
        check.body
    );
    welsh.submit().await.assert_redirect("/s/digital-inclusion/done");
    let done = welsh.get("/s/digital-inclusion/done").await;
    assert!(
        done.body.contains("Diolch, mae eich atebion wedi'u hanfon") && done.body.contains("Help yn agos atoch chi"),
        "{}",
        done.body
    );
    assert!(
        done.body.contains("Gallwch ddefnyddio cyfrifiaduron a wifi am ddim"),
        "signposting in Welsh: {}",
        done.body
    );
    assert!(
        done.body
            .contains(r#"hreflang="en" class="link">Gofyn i rywun o'r cyngor gysylltu â chi am help</a> (yn Saesneg)"#),
        "the contact page is in English, and says so: {}",
        done.body
    );

    let english = app.another_browser();
    english.start().await;
    answer_the_rest(&english).await;
    english.submit().await;
    let done = english.get("/s/digital-inclusion/done").await;
    assert!(
        done.body.contains(r#"<html lang="en-GB" dir="ltr">"#)
            && done.body.contains("Thank you, your answers have been sent")
    );

    assert_eq!(app.count("SELECT COUNT(*) FROM response WHERE language = 'cy'").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM response WHERE language = 'en'").await, 1);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM answer WHERE question_id = 'why_not_online' AND option_id = 'scams'").await,
        2
    );
    app.assert_totals_match().await;
    let analyst = app.signed_in_as("analyst@council.gov.uk", &[Role::Analyst]).await;
    let summary = analyst.get("/staff/surveys/digital-inclusion/export/summary.csv").await;
    assert!(summary.body.contains("why_not_online,Why have you not used the council's online services?,scams,I am worried about scams or my details being stolen,2,2,"), "one figure in the survey's own words: {}", summary.body);

    // The results say how many answered in each language, and can show one language's.
    let results = analyst.get("/staff/surveys/digital-inclusion").await.body;
    assert!(
        results.contains("Responses by language")
            && results.contains("<td>Cymraeg (cy)</td><td class=\"numeric\">1</td>"),
        "{results}"
    );
    let welsh_only = analyst.get("/staff/surveys/digital-inclusion/export/summary.csv?language=cy").await.body;
    assert!(welsh_only.contains("scams,I am worried about scams or my details being stolen,1,1,"), "{welsh_only}");
    let filtered = analyst.get("/staff/surveys/digital-inclusion?language=cy").await.body;
    assert!(filtered.contains(r#"<option value="cy" selected>Cymraeg</option>"#), "{filtered}");
    assert_eq!(
        analyst.get("/staff/surveys/digital-inclusion?language=%3Cscript%3E").await.status,
        StatusCode::BAD_REQUEST
    );

    // The export says which language each response was given in, and reads back the same.
    let export = analyst.get("/staff/surveys/digital-inclusion/export/responses.csv?bom=0").await.body;
    let languages: Vec<String> =
        export.lines().skip(1).map(|line| line.split(',').nth(6).unwrap().to_owned()).collect();
    assert_eq!(languages, ["cy", "en"], "{export}");
    let in_welsh =
        analyst.get("/staff/surveys/digital-inclusion/export/responses.csv?bom=0&labels=1&labels_in=cy").await.body;
    assert!(
        in_welsh.contains("Pam nad ydych chi wedi defnyddio gwasanaethau ar-lein y cyngor?: Rwy'n poeni am sgamiau"),
        "headings in Welsh: {in_welsh}"
    );
    assert!(in_welsh.contains(",Nac ydw,"), "labels in Welsh, for both responses: {in_welsh}");
    assert_eq!(
        analyst.get("/staff/surveys/digital-inclusion/export/responses.csv?labels=1&labels_in=%3Cb%3E").await.status,
        StatusCode::BAD_REQUEST
    );
    let elsewhere = common::spawn_app(common::Backend::Sqlite).await;
    let admin = elsewhere.signed_in_as("admin@council.gov.uk", &[Role::Admin]).await;
    let imported = admin.upload("/staff/surveys/digital-inclusion/import", "r.csv", export.clone().into_bytes()).await;
    assert!(imported.body.contains("Imported 2 responses"), "{}", imported.body);
    assert_eq!(elsewhere.count("SELECT COUNT(*) FROM response WHERE language = 'cy'").await, 1);
    assert_eq!(admin.get("/staff/surveys/digital-inclusion/export/responses.csv?bom=0").await.body, export);
    // A file exported before responses kept their language still imports, in the survey's own.
    let old: String = export
        .lines()
        .map(|line| {
            let mut cells: Vec<&str> = line.split(',').collect();
            cells.remove(6);
            cells.join(",") + "\n"
        })
        .collect();
    let fresh = common::spawn_app(common::Backend::Sqlite).await;
    let admin = fresh.signed_in_as("admin@council.gov.uk", &[Role::Admin]).await;
    let imported = admin.upload("/staff/surveys/digital-inclusion/import", "r.csv", old.into_bytes()).await;
    assert!(imported.body.contains("Imported 2 responses"), "{}", imported.body);
    assert_eq!(fresh.count("SELECT COUNT(*) FROM response WHERE language = 'en'").await, 2);
}

#[both_backends]
async fn residents_switch_language_part_way_and_unknown_languages_fall_back(app: TestApp) {
    let r = app.another_browser();
    let unknown = r.get("/s/digital-inclusion?lang=xx-nonsense").await;
    assert_eq!(unknown.status, StatusCode::OK, "no error for a language we do not have");
    assert!(unknown.body.contains(r#"<html lang="en-GB""#) && unknown.body.contains("Start now"));
    r.start().await;
    r.answer_all(&[("used_online", &["no"])]).await;
    // The Easy Read link on a question page: this page and the rest of the survey in Easy Read.
    let easy = r.get("/s/digital-inclusion/q/why_not_online?lang=en-x-easyread").await;
    assert!(
        easy.body.contains(r#"<html lang="en-x-easyread""#)
            && easy.body.contains("Why have you not used the council's website?"),
        "{}",
        easy.body
    );
    r.answer_all(&[("why_not_online", &["cost"])]).await;
    let next = r.get("/s/digital-inclusion/q/go_online_how").await;
    assert!(next.body.contains("How do you use the internet?"), "{}", next.body);
    // Easy Read shows each option's picture beside its words; the picture says nothing itself.
    assert!(next.body.contains(r#"<img src="/pictures/smartphone.svg" alt="" width="48" height="48" class="choice__picture">On a smartphone"#), "{}", next.body);
    let picture = r.get("/pictures/smartphone.svg").await;
    assert_eq!((picture.status, picture.headers["content-type"].to_str().unwrap()), (StatusCode::OK, "image/svg+xml"));
    assert_eq!(r.get("/pictures/../../etc/passwd").await.status, StatusCode::NOT_FOUND);
    assert_eq!(r.get("/pictures/nothing.svg").await.status, StatusCode::NOT_FOUND);
    // Changing answers from the check page keeps `change=1` when switching language.
    let change = r.get("/s/digital-inclusion/q/go_online_how?change=1").await;
    assert!(
        change.body.contains(r#"href="/s/digital-inclusion/q/go_online_how?change=1&amp;lang=cy""#),
        "{}",
        change.body
    );
    let welsh = r.get("/s/digital-inclusion/q/go_online_how?lang=cy").await;
    assert!(welsh.body.contains("Sut ydych chi'n mynd ar-lein?"), "{}", welsh.body);
    assert!(welsh.lacks("<img"), "pictures are for Easy Read");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM draft WHERE progress LIKE '%\"language\":\"cy\"%'").await,
        1,
        "kept in the draft"
    );
    // Back to English from the start page: the draft follows, so "Continue" goes on in English.
    let start = r.get("/s/digital-inclusion?lang=en").await;
    assert!(start.body.contains("Continue where you left off"), "{}", start.body);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM draft WHERE progress LIKE '%language%'").await,
        0,
        "nothing stored for the survey's own language"
    );
    assert!(r.get("/s/digital-inclusion/q/go_online_how").await.body.contains("How do you go online?"));

    // A resident's error page in their language: too long an answer, in Welsh.
    let welsh = app.another_browser();
    welsh.post("/s/digital-inclusion/start?lang=cy", &[]).await;
    let long = "x".repeat(70 * 1024);
    let refused = welsh.answer("used_online", &[("answer", long.as_str())]).await;
    assert_eq!(refused.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        refused.body.contains(r#"<html lang="cy""#) && refused.body.contains("Mae eich ateb yn rhy hir"),
        "{}",
        refused.body
    );
    let missing = welsh.get("/s/digital-inclusion/q/nowhere").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(
        missing.body.contains("Heb ddod o hyd i&#x27;r dudalen") || missing.body.contains("Heb ddod o hyd i'r dudalen"),
        "{}",
        missing.body
    );
}

const PARTLY_WELSH: &str = r#"
id = "library-exit"
title = "Library exit survey"
minutes = 1
[[questions]]
id = "helped"
type = "single"
text = "Did we help you today?"
options = [{ id = "yes", label = "Yes" }, { id = "no", label = "No" }]

[translations.cy]
title = "Arolwg gadael y llyfrgell"
[translations.cy.questions.helped]
text = "Wnaethon ni eich helpu chi heddiw?"
options = { yes = "Do" }
"#;

#[both_backends]
async fn an_incomplete_translation_cannot_be_published(app: TestApp) {
    let admin = app.signed_in_as("admin@council.gov.uk", &[Role::Admin]).await;
    let uploaded = admin.upload("/staff/survey-files", "survey.toml", PARTLY_WELSH.as_bytes().to_vec()).await;
    assert!(uploaded.status.is_redirection(), "a draft may be translated bit by bit: {}", uploaded.body);
    let refused = admin.staff_post("/staff/surveys/library-exit/publish", &[]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains("The translation `cy` is not complete: it has no text for question `helped`: option `no`"),
        "{}",
        refused.body
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM survey_version WHERE survey_id = (SELECT id FROM survey WHERE slug = 'library-exit')"
        )
        .await,
        0
    );
    let whole = PARTLY_WELSH.replace("options = { yes = \"Do\" }", "options = { yes = \"Do\", no = \"Naddo\" }");
    admin.upload("/staff/surveys/library-exit/upload", "survey.toml", whole.into_bytes()).await;
    admin
        .staff_post("/staff/surveys/library-exit/publish", &[])
        .await
        .assert_redirect("/staff/surveys/library-exit/manage?done=published");
    // The file downloaded from the version has every language.
    let toml = admin.get("/staff/surveys/library-exit/versions/1.toml").await;
    assert!(toml.body.contains("[translations.cy.questions.helped]") && toml.body.contains("Naddo"), "{}", toml.body);
    // As an XLSForm too: a label column in each language, read back the same.
    let xlsx = admin.get_bytes("/staff/surveys/library-exit/versions/1.xlsx").await;
    admin
        .upload("/staff/surveys/library-exit/upload", "again.xlsx", xlsx)
        .await
        .assert_redirect("/staff/surveys/library-exit/manage?done=uploaded");
    let draft = admin.get("/staff/surveys/library-exit/versions/draft.toml").await.body;
    assert_eq!(draft, toml.body, "every language intact");
}

#[both_backends]
async fn an_admin_translates_side_by_side_and_adds_languages(app: TestApp) {
    let admin = app.signed_in_as("admin@council.gov.uk", &[Role::Admin]).await;
    admin.upload("/staff/survey-files", "survey.toml", PARTLY_WELSH.as_bytes().to_vec()).await;
    let draft = admin.get("/staff/surveys/library-exit/draft").await.body;
    assert!(
        draft.contains(r#"href="/staff/surveys/library-exit/draft/languages/cy""#)
            && draft.contains("1 missing: question `helped`: option `no`"),
        "{draft}"
    );

    let page = admin.get("/staff/surveys/library-exit/draft/languages/cy").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains(r#"Question 1 (helped): option no, in <span lang="cy" dir="ltr">Cymraeg</span>"#)
            && page.body.contains(r#"name="q.helped.option.no" type="text" value="" lang="cy" dir="ltr""#),
        "{}",
        page.body
    );
    assert!(
        page.body.contains(r#"value="Wnaethon ni eich helpu chi heddiw?""#),
        "what is there already: {}",
        page.body
    );
    assert!(page.body.contains("1 strings are still to translate"), "{}", page.body);
    let r = revision_in(&page.body);
    let unknown = admin
        .staff_post("/staff/surveys/library-exit/draft/languages/cy", &[("revision", &r), ("q.nope.text", "x")])
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.body.contains("The survey has no string q.nope.text"), "{}", unknown.body);
    admin
        .staff_post(
            "/staff/surveys/library-exit/draft/languages/cy",
            &[("revision", &r), ("q.helped.option.no", "Naddo")],
        )
        .await
        .assert_redirect("/staff/surveys/library-exit/draft");
    admin
        .staff_post("/staff/surveys/library-exit/publish", &[])
        .await
        .assert_redirect("/staff/surveys/library-exit/manage?done=published");
    assert!(app.get("/s/library-exit?lang=cy").await.body.contains("Arolwg gadael y llyfrgell"));

    // Adding a language: a known one by its tag; another needs its own name; nonsense is refused.
    let add = |tag: &'static str, name: &'static str| {
        let admin = &admin;
        async move {
            let r = revision_in(&admin.get("/staff/surveys/library-exit/draft").await.body);
            admin
                .staff_post(
                    "/staff/surveys/library-exit/draft/languages",
                    &[("revision", &r), ("tag", tag), ("name", name)],
                )
                .await
        }
    };
    admin.staff_post("/staff/surveys/library-exit/draft/new", &[]).await;
    let bad = add("not a tag!", "").await;
    assert!(
        bad.status == StatusCode::UNPROCESSABLE_ENTITY && bad.body.contains("Enter a language tag"),
        "{}",
        bad.body
    );
    assert!(add("cy", "").await.body.contains("The draft is already offered in cy"));
    assert!(add("tlh", "").await.body.contains("Enter the name of tlh in that language"));
    add("so", "").await.assert_redirect("/staff/surveys/library-exit/draft/languages/so");
    add("ur", "").await.assert_redirect("/staff/surveys/library-exit/draft/languages/ur");
    let urdu = admin.get("/staff/surveys/library-exit/draft/languages/ur").await.body;
    assert!(urdu.contains(r#"lang="ur" dir="rtl""#), "typed right to left: {urdu}");
    let refused = admin.staff_post("/staff/surveys/library-exit/publish", &[]).await;
    assert!(refused.body.contains("The translation `so` is not complete"), "{}", refused.body);
}

/// A long survey translated into Urdu in one go: over 450 boxes and far more than the 64 KiB
/// other forms may send (each character three bytes, each byte written as three). It saves; and
/// when saving is refused (someone else changed the draft), every box keeps what was typed.
#[both_backends]
async fn a_long_survey_is_translated_into_urdu_in_one_go(app: TestApp) {
    let admin = app.signed_in_as("admin@council.gov.uk", &[Role::Admin]).await;
    let mut toml = "id = \"long\"\ntitle = \"A long survey\"\nminutes = 20\n".to_owned();
    for q in 0..100 {
        toml += &format!(
            "[[questions]]\nid = \"q{q}\"\ntype = \"single\"\ntext = \"Question {q}?\"\noptions = [{{ id = \"a\", label = \"A\" }}, {{ id = \"b\", label = \"B\" }}, {{ id = \"c\", label = \"C\" }}, {{ id = \"d\", label = \"D\" }}]\n"
        );
    }
    let uploaded = admin.upload("/staff/survey-files", "long.toml", toml.into_bytes()).await;
    assert!(uploaded.status.is_redirection(), "{}", uploaded.body);
    let draft = admin.get("/staff/surveys/long/draft").await;
    assert_eq!(draft.status, StatusCode::OK, "{}", draft.body);
    let r = revision_in(&draft.body);
    admin
        .staff_post("/staff/surveys/long/draft/languages", &[("revision", &r), ("tag", "ur"), ("name", "")])
        .await
        .assert_redirect("/staff/surveys/long/draft/languages/ur");
    let page = admin.get("/staff/surveys/long/draft/languages/ur").await.body;
    let keys: Vec<String> = page
        .split(" name=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_owned())
        .filter(|k| k.starts_with("q.") || k == "title" || k.starts_with("intro"))
        .collect();
    assert!(keys.len() > 450, "{} boxes", keys.len());
    let words = "یہ سوال ہمیں بتاتا ہے کہ آپ کونسل کی آن لائن خدمات کیسے استعمال کرتے ہیں۔ ".repeat(3);
    let values: Vec<String> = keys.iter().enumerate().map(|(i, _)| format!("{i}: {words}")).collect();
    let fields = |revision: &str| {
        let mut f: Vec<(&str, &str)> = vec![("revision", revision)];
        f.extend(keys.iter().map(String::as_str).zip(values.iter().map(String::as_str)));
        f.into_iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect::<Vec<_>>()
    };
    let old = revision_in(&page);
    // Someone else saves first: refused, with every box as typed.
    admin
        .staff_post("/staff/surveys/long/draft/languages/ur", &[("revision", &old), ("title", "ایک لمبا سروے")])
        .await
        .assert_redirect("/staff/surveys/long/draft");
    let sent = fields(&old);
    let body_bytes: usize = sent.iter().map(|(k, v)| k.len() + v.len() * 3).sum();
    assert!(body_bytes > 64 * 1024, "{body_bytes} bytes");
    let borrowed: Vec<(&str, &str)> = sent.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let refused = admin.staff_post("/staff/surveys/long/draft/languages/ur", &borrowed).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", &refused.body[..refused.body.len().min(2000)]);
    assert!(refused.body.contains("What you typed is still in the boxes below"));
    assert!(values.iter().all(|v| refused.body.contains(v.as_str())), "nothing typed is lost");
    // Saved again from that page: all of it goes in.
    let now = fields(&revision_in(&refused.body));
    let borrowed: Vec<(&str, &str)> = now.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    admin
        .staff_post("/staff/surveys/long/draft/languages/ur", &borrowed)
        .await
        .assert_redirect("/staff/surveys/long/draft");
    let draft = admin.get("/staff/surveys/long/versions/draft.toml").await.body;
    assert!(values.iter().all(|v| draft.contains(v.trim())), "every string saved");
}
