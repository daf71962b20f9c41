//! The paper form: printed from each version's definition with directions from its rules, and
//! typed up in fast entry on that version under the same numbers, on SQLite and PostgreSQL.

use crate::common;
use it_macros::both_backends;

use common::TestApp;
use inclusion_survey::auth::account::Role;
use reqwest::StatusCode;

const STAFF: &str = "paper@council.gov.uk";
const SLUG: &str = "library-exit";

/// Version 1 of a survey with sections and a chain of rules through a multiple-choice question.
const V1: &str = r#"
id = "library-exit"
title = "Library exit survey"
minutes = 2

[[questions]]
id = "visited"
type = "single"
text = "Did you use a library computer today?"
options = [{ id = "yes", label = "Yes" }, { id = "no", label = "No" }]

[[questions]]
id = "what_for"
type = "multiple"
text = "What did you use it for?"
show_if = { question = "visited", any_of = ["yes"] }
options = [{ id = "email", label = "Email" }, { id = "forms", label = "Council forms" }, { id = "other", label = "Something else", other = true }]

[[questions]]
id = "help"
type = "single"
section = "Help"
text = "Would you like help with council forms?"
show_if = { question = "what_for", any_of = ["forms"] }
options = [{ id = "yes", label = "Yes" }, { id = "no", label = "No" }]

[[questions]]
id = "age"
type = "short_text"
section = "About you"
text = "How old are you?"
"#;

/// Version 2 asks a new question first, so every number moves on by one.
fn v2() -> String {
    V1.replacen(
        "[[questions]]",
        "[[questions]]\nid = \"first_time\"\ntype = \"single\"\ntext = \"Is this your first visit?\"\noptions = [{ id = \"yes\", label = \"Yes\" }, { id = \"no\", label = \"No\" }]\n\n[[questions]]",
        1,
    )
}

/// (question id, number) from a page's `data-question` and `data-number` attributes, in order.
fn numbers(body: &str) -> Vec<(String, String)> {
    let value = |from: &str, name: &str| -> Option<String> {
        let start = from.find(&format!("{name}=\""))? + name.len() + 2;
        Some(from[start..start + from[start..].find('"')?].to_owned())
    };
    body.split("data-question=\"")
        .skip(1)
        .map(|rest| {
            let id = rest[..rest.find('"').unwrap()].to_owned();
            (id, value(rest, "data-number").unwrap())
        })
        .collect()
}

async fn staff(app: &TestApp) -> TestApp {
    let staff = app.signed_in_as(STAFF, &[Role::Admin, Role::Officer]).await;
    staff
}

async fn location(app: &TestApp) -> String {
    let id: i64 = sqlx::query_scalar("SELECT id FROM list_item WHERE label = 'Library outreach'")
        .fetch_one(&app.db.read)
        .await
        .unwrap();
    id.to_string()
}

/// Publishes the test survey's two versions and opens it.
async fn publish_both(staff: &TestApp) {
    let created = staff.upload("/staff/survey-files", "v1.toml", V1.as_bytes().to_vec()).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    staff
        .staff_post(&format!("/staff/surveys/{SLUG}/publish"), &[])
        .await
        .assert_redirect(&format!("/staff/surveys/{SLUG}/manage?done=published"));
    let uploaded = staff.upload(&format!("/staff/surveys/{SLUG}/upload"), "v2.toml", v2().into_bytes()).await;
    assert_eq!(uploaded.status, StatusCode::SEE_OTHER, "{}", uploaded.body);
    staff
        .staff_post(&format!("/staff/surveys/{SLUG}/publish"), &[])
        .await
        .assert_redirect(&format!("/staff/surveys/{SLUG}/manage?done=published"));
    staff
        .staff_post(&format!("/staff/surveys/{SLUG}/status"), &[("status", "open")])
        .await
        .assert_redirect(&format!("/staff/surveys/{SLUG}/manage?done=status"));
}

#[both_backends]
async fn every_version_prints_with_its_directions_and_fast_entry_uses_its_numbers(app: TestApp) {
    let staff = staff(&app).await;
    publish_both(&staff).await;
    let place = location(&app).await;
    let manage = staff.get(&format!("/staff/surveys/{SLUG}/manage")).await;
    assert!(
        manage.body.contains(&format!("href=\"/staff/surveys/{SLUG}/versions/1/paper\"")),
        "linked from the survey's page"
    );

    for (slug, version, first) in
        [("digital-inclusion", 1, "used_online"), (SLUG, 2, "first_time"), (SLUG, 1, "visited")]
    {
        let paper = staff.get(&format!("/staff/surveys/{slug}/versions/{version}/paper")).await;
        assert_eq!(paper.status, StatusCode::OK);
        assert!(paper.body.contains("<svg") && paper.lacks("<?xml"), "the QR code is in the page, as an element");
        let on_paper = numbers(&paper.body);
        assert_eq!(on_paper.first().map(|(id, n)| (id.as_str(), n.as_str())), Some((first, "1")));

        // "Type up a paper form" preselects paper and the version; fast entry follows it.
        let type_up = staff.get(&format!("/staff/assist?survey={slug}&channel=paper&version={version}")).await;
        assert!(
            type_up.body.contains("value=\"paper\" checked")
                && type_up.body.contains(&format!("name=\"version\" value=\"{version}\""))
        );
        let v = version.to_string();
        staff
            .staff_post(
                "/staff/assist",
                &[("survey", slug), ("channel", "paper"), ("location", &place), ("version", &v), ("mode", "fast")],
            )
            .await
            .assert_redirect(&format!("/staff/assist/{slug}/fast"));
        let fast = staff.get(&format!("/staff/assist/{slug}/fast")).await;
        assert!(fast.body.contains(&format!("(version {version})")));
        assert_eq!(numbers(&fast.body), on_paper, "{slug} version {version}: the same numbers on paper and on screen");
    }

    // The directions, from the rules: a chain through a multiple-choice question.
    let v1 = staff.get(&format!("/staff/surveys/{SLUG}/versions/1/paper")).await.body;
    for direction in [
        "If you ticked \u{201c}No\u{201d}, go to question 4.",
        "Only answer this if you ticked \u{201c}Yes\u{201d} at question 1. If not, go to question 4.",
        "Only answer this if you ticked \u{201c}Council forms\u{201d} at question 2.",
    ] {
        assert!(v1.contains(direction), "{direction}");
    }
    let v2 = staff.get(&format!("/staff/surveys/{SLUG}/versions/2/paper?edition=large")).await.body;
    assert!(v2.contains("paper paper--large") && v2.contains("If you ticked \u{201c}No\u{201d}, go to question 5."));

    // The last shift above was version 1's: a form typed up from it is stored on version 1, though
    // version 2 is current.
    let csrf = staff.csrf("/staff").await;
    staff
        .post(&format!("/staff/assist/{SLUG}/fast"), &[("csrf", &csrf), ("visited", "no"), ("age", "70")])
        .await
        .assert_redirect(&format!("/s/{SLUG}/check"));
    staff.post(&format!("/s/{SLUG}/submit"), &[]).await.assert_redirect(&format!("/s/{SLUG}/done"));
    let (version, channel): (i64, String) = sqlx::query_as(
        "SELECT v.version, r.channel FROM response r JOIN survey_version v ON v.id = r.survey_version_id",
    )
    .fetch_one(&app.db.read)
    .await
    .unwrap();
    assert_eq!((version, channel.as_str()), (1, "paper"));

    // A version the survey does not have is refused with a message, not taken as the current one.
    let wrong = staff
        .staff_post(
            "/staff/assist",
            &[("survey", SLUG), ("channel", "paper"), ("location", &place), ("version", "9"), ("mode", "fast")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("This survey has no version 9"));
    let garbled = staff
        .staff_post(
            "/staff/assist",
            &[("survey", SLUG), ("channel", "paper"), ("location", &place), ("version", "one"), ("mode", "fast")],
        )
        .await;
    assert_eq!(garbled.status, StatusCode::BAD_REQUEST, "not taken as the current version");
}

#[both_backends]
async fn paper_forms_are_for_officers_and_admins(app: TestApp) {
    assert_eq!(
        app.get("/staff/surveys/digital-inclusion/versions/1/paper")
            .await
            .location
            .as_deref()
            .map(|l| l.starts_with("/staff/login")),
        Some(true)
    );
    let analyst = app.signed_in_as("analyst@council.gov.uk", &[Role::Analyst]).await;
    assert_eq!(analyst.get("/staff/surveys/digital-inclusion/versions/1/paper").await.status, StatusCode::FORBIDDEN);
    let officer = app.signed_in_as("officer@council.gov.uk", &[Role::Officer]).await;
    assert_eq!(officer.get("/staff/surveys/digital-inclusion/versions/1/paper").await.status, StatusCode::OK);
    assert_eq!(officer.get("/staff/surveys/digital-inclusion/versions/2/paper").await.status, StatusCode::NOT_FOUND);
    assert_eq!(officer.get("/staff/surveys/nothing-here/versions/1/paper").await.status, StatusCode::NOT_FOUND);
}
