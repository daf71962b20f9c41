//! Officers take surveys with residents: guided and fast entry, attribution, corrections, help
//! given and the audit trail, on SQLite and PostgreSQL.

use crate::common;
use it_macros::both_backends;

use common::TestApp;
use inclusion_survey::auth::account::Role;
use reqwest::StatusCode;

const OFFICER: &str = "officer@council.gov.uk";

async fn location_id(app: &TestApp, label: &str) -> String {
    let id: i64 = sqlx::query_scalar("SELECT id FROM list_item WHERE label = $1")
        .bind(label)
        .fetch_one(&app.db.read)
        .await
        .unwrap();
    id.to_string()
}

async fn officer(app: &TestApp) -> TestApp {
    app.signed_in_as(OFFICER, &[Role::Officer]).await
}

async fn begin(officer: &TestApp, channel: &str, location: &str, mode: &str) -> common::Page {
    let location = location_id(officer, location).await;
    officer
        .staff_post(
            "/staff/assist",
            &[("survey", "digital-inclusion"), ("channel", channel), ("location", &location), ("mode", mode)],
        )
        .await
}

/// (question, values) pairs for a fast-entry form: each field is named after its question.
fn fast_form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[both_backends]
async fn guided_entry_is_attributed_to_the_officer(app: TestApp) {
    let officer = officer(&app).await;
    let setup = officer.get("/staff/assist").await;
    assert!(setup.body.contains("Billingham Customer Service Centre") && setup.body.contains("Library outreach"));

    let missing = officer.staff_post("/staff/assist", &[("survey", "digital-inclusion"), ("mode", "guided")]).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        missing.body.contains("Select how you are taking the survey") && missing.body.contains("Select where you are")
    );

    begin(&officer, "phone", "Billingham Customer Service Centre", "guided")
        .await
        .assert_redirect("/s/digital-inclusion/q/used_online");
    officer.answer("used_online", &[("answer", "no")]).await;
    officer.skip(&["why_not_online"]).await;
    officer.skip_the_rest(true).await;
    officer.submit().await.assert_redirect("/s/digital-inclusion/done");
    let done = officer.get("/s/digital-inclusion/done").await;
    assert!(done.body.contains("Record the help you gave"));

    let (channel, location, who): (String, String, String) = sqlx::query_as(
        "SELECT r.channel, l.label, s.email FROM response r JOIN list_item l ON l.id = r.location_id JOIN staff s ON s.id = r.officer_id",
    )
    .fetch_one(&app.db.read)
    .await
    .unwrap();
    assert_eq!(
        (channel.as_str(), location.as_str(), who.as_str()),
        ("phone", "Billingham Customer Service Centre", OFFICER)
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'response.create'").await, 1);

    // The shift's choices are remembered.
    let again = officer.get("/staff/assist").await;
    assert!(again.body.contains("value=\"phone\" checked"), "channel remembered");
}

#[both_backends]
async fn fast_entry_checks_every_answer_with_the_same_rules(app: TestApp) {
    let officer = officer(&app).await;
    begin(&officer, "paper", "Library outreach", "fast").await.assert_redirect("/staff/assist/digital-inclusion/fast");
    let page = officer.get("/staff/assist/digital-inclusion/fast").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Only if the answer to question 1 is"));
    assert_eq!(page.body.matches("<fieldset").count(), 12, "every choice question on one page");

    let csrf = officer.csrf("/staff").await;
    let mut bad = fast_form(&[
        ("used_online", "no"),
        ("use_again", "yes"),
        ("go_online_how", "none"),
        ("go_online_how", "tablet"),
    ]);
    bad.push(("csrf".into(), csrf.clone()));
    let refused = officer
        .post(
            "/staff/assist/digital-inclusion/fast",
            &bad.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect::<Vec<_>>(),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Question 2: leave this blank"));
    assert!(refused.body.contains("Question 6: Select"));
    assert!(refused.body.contains("href=\"#use_again\""), "summary links to the question");
    assert!(refused.body.contains("value=\"tablet\" checked"), "answers kept");
    assert_eq!(app.count("SELECT COUNT(*) FROM draft").await, 0, "nothing saved");

    let mut good = fast_form(&[
        ("used_online", "no"),
        ("why_not_online", "no_internet"),
        ("why_not_online", "other"),
        ("why_not_online.other", "Lives on a boat"),
        ("go_online_how", "none"),
        ("confidence_online", "1"),
        ("age_band", "75_plus"),
        ("comments", "Typed from paper"),
    ]);
    good.push(("csrf".into(), csrf));
    let accepted = officer
        .post(
            "/staff/assist/digital-inclusion/fast",
            &good.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect::<Vec<_>>(),
        )
        .await;
    accepted.assert_redirect("/s/digital-inclusion/check");
    let check = officer.get("/s/digital-inclusion/check").await;
    assert!(check.body.contains("Something else: Lives on a boat"));
    officer.submit().await.assert_redirect("/s/digital-inclusion/done");
    let (channel, answers): (String, i64) =
        sqlx::query_as("SELECT r.channel, (SELECT COUNT(*) FROM answer a WHERE a.response_id = r.id) FROM response r")
            .fetch_one(&app.db.read)
            .await
            .unwrap();
    assert_eq!((channel.as_str(), answers), ("paper", 7));
}

#[both_backends]
async fn officers_correct_their_own_entries_within_the_window(app: TestApp) {
    let officer = officer(&app).await;
    begin(&officer, "in_person", "Stockton Customer Service Centre", "guided").await;
    officer.answer("used_online", &[("answer", "yes")]).await;
    officer.skip(&["use_again"]).await;
    officer.skip_the_rest(true).await;
    officer.submit().await;
    let reference = officer.done_reference().await;
    assert!(officer.get("/staff/assist").await.body.contains(&reference), "listed in their recent entries");

    let other = app.another_browser();
    app.create_staff("other@council.gov.uk", &[Role::Officer]).await;
    other.sign_in("other@council.gov.uk").await;
    assert!(other.get("/staff/assist").await.lacks(&reference), "officers see only their own entries");
    assert_eq!(
        other.staff_post(&format!("/staff/assist/correct/{reference}"), &[]).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(other.get(&format!("/staff/assist/help/{reference}")).await.status, StatusCode::NOT_FOUND);

    officer
        .staff_post(&format!("/staff/assist/correct/{reference}"), &[])
        .await
        .assert_redirect("/s/digital-inclusion/check");
    officer.post("/s/digital-inclusion/q/used_online?change=1", &[("answer", "no")]).await;
    officer.post("/s/digital-inclusion/q/why_not_online?change=1", &[("answer", "cost")]).await;
    officer.submit().await.assert_redirect("/s/digital-inclusion/done");
    assert_eq!(officer.done_reference().await, reference, "same response, same reference");
    assert_eq!(app.count("SELECT COUNT(*) FROM response").await, 1);
    let answers: Vec<(String, String)> =
        sqlx::query_as("SELECT question_id, option_id FROM answer ORDER BY question_id")
            .fetch_all(&app.db.read)
            .await
            .unwrap();
    assert_eq!(answers, vec![("used_online".into(), "no".into()), ("why_not_online".into(), "cost".into())]);
    let (before, after): (String, String) =
        sqlx::query_as("SELECT before, after FROM audit_log WHERE action = 'response.correct'")
            .fetch_one(&app.db.read)
            .await
            .unwrap();
    assert!(before.contains("\"yes\"") && after.contains("\"cost\""), "{before} / {after}");
    app.assert_totals_match().await;

    sqlx::query("UPDATE response SET submitted_at = 0").execute(&app.db.write).await.unwrap();
    let late = officer.staff_post(&format!("/staff/assist/correct/{reference}"), &[]).await;
    assert_eq!(late.status, StatusCode::BAD_REQUEST);
    assert!(late.body.contains("too old to correct"));
}

#[both_backends]
async fn officers_record_the_help_they_gave(app: TestApp) {
    let officer = officer(&app).await;
    begin(&officer, "outreach", "Library outreach", "guided").await;
    officer.answer("used_online", &[("answer", "not_sure")]).await;
    officer.skip(&["why_not_online"]).await;
    officer.skip_the_rest(true).await;
    officer.submit().await;
    let reference = officer.done_reference().await;
    let path = format!("/staff/assist/help/{reference}");
    let page = officer.get(&path).await;
    assert!(page.body.contains("Booked a digital skills session"));
    assert_eq!(officer.staff_post(&path, &[]).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(officer.staff_post(&path, &[("help", "99999")]).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    let booked = location_id(&app, "Booked a digital skills session").await;
    officer
        .staff_post(&path, &[("help", &booked), ("other", "Showed the bus app")])
        .await
        .assert_redirect("/staff/assist");
    assert_eq!(app.count("SELECT COUNT(*) FROM response_help").await, 2);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'response.help'").await, 1);
}

/// An officer at an outreach session reads the questions aloud in Welsh: the guided pages switch
/// language like a resident's, the officer's own links stay in English, and the response is
/// recorded as answered in Welsh and attributed to the officer.
#[both_backends]
async fn an_officer_reads_the_questions_in_the_residents_language(app: TestApp) {
    let officer = officer(&app).await;
    begin(&officer, "outreach", "Library outreach", "guided")
        .await
        .assert_redirect("/s/digital-inclusion/q/used_online");
    let welsh = officer.get("/s/digital-inclusion/q/used_online?lang=cy").await;
    assert!(
        welsh.body.contains(r#"<html lang="cy""#) && welsh.body.contains("Ydych chi wedi defnyddio"),
        "{}",
        welsh.body
    );
    officer.answer("used_online", &[("answer", "no")]).await;
    officer.skip(&["why_not_online"]).await;
    officer.skip_the_rest(true).await;
    officer.submit().await.assert_redirect("/s/digital-inclusion/done");
    let done = officer.get("/s/digital-inclusion/done").await.body;
    assert!(done.contains("Diolch, mae eich atebion wedi'u hanfon"), "{done}");
    assert!(
        done.contains(r#"<h2 lang="en-GB" dir="ltr" class="heading-m">For the officer</h2>"#),
        "the officer's part in English: {done}"
    );
    let (language, channel): (String, String) =
        sqlx::query_as("SELECT language, channel FROM response WHERE officer_id IS NOT NULL")
            .fetch_one(&app.db.read)
            .await
            .unwrap();
    assert_eq!((language.as_str(), channel.as_str()), ("cy", "outreach"));
}
