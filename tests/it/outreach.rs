//! Offline outreach: entries a device kept while it had no connection are sent through a server
//! function, checked again by the server, stored once however often they come, and counted like
//! any other response, on SQLite and PostgreSQL.

use crate::common;
use it_macros::both_backends;

use common::{SLUG, TestApp};
use inclusion_survey::auth::account::Role;
use inclusion_survey::outreach::{Entry, MAX_ENTRIES_PER_SEND, Outcome};
use reqwest::StatusCode;

const OFFICER: &str = "outreach@council.gov.uk";
const SEND: &str = "/staff/outreach/api/send";

async fn officer(app: &TestApp, email: &str) -> (TestApp, i64) {
    let id = app.create_staff(email, &[Role::Officer]).await;
    (app.browser_signed_in(email).await, id)
}

async fn location(app: &TestApp, label: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM list_item WHERE label = $1").bind(label).fetch_one(&app.db.read).await.unwrap()
}

fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

/// An entry from someone who has not been online, taken `ago` seconds before now.
fn entry(id: &str, officer_id: i64, location_id: i64, ago: i64) -> Entry {
    Entry {
        id: id.to_owned(),
        survey: SLUG.to_owned(),
        version: 1,
        location_id,
        officer_id,
        taken_at: now() - ago,
        language: None,
        answers: vec![
            ("used_online".into(), "no".into()),
            ("why_not_online".into(), "cost".into()),
            ("why_not_online".into(), "other".into()),
            ("why_not_online.other".into(), "My phone is too old".into()),
            ("ward".into(), "billingham_central".into()),
        ],
    }
}

/// Sends entries as the outreach page does: JSON, with the session's CSRF token.
async fn send(client: &TestApp, csrf: &str, entries: &[Entry]) -> (StatusCode, String) {
    let body = serde_json::json!({ "csrf": csrf, "entries": entries }).to_string();
    let page = client.post_raw(SEND, "application/json", body.into_bytes()).await;
    (page.status, page.body)
}

async fn send_ok(client: &TestApp, entries: &[Entry]) -> Vec<Outcome> {
    let csrf = client.csrf("/staff").await;
    let (status, body) = send(client, &csrf, entries).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    serde_json::from_str(&body).unwrap()
}

fn reference(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Stored { reference, .. } => reference.clone(),
        other => panic!("not stored: {other:?}"),
    }
}

#[both_backends]
async fn entries_are_stored_once_with_their_officer_place_and_time(app: TestApp) {
    let (officer, officer_id) = officer(&app, OFFICER).await;
    let library = location(&app, "Library outreach").await;
    let sent = [
        entry("7f1c1d1e-0000-4000-8000-000000000001", officer_id, library, 200),
        entry("7f1c1d1e-0000-4000-8000-000000000002", officer_id, library, 60),
    ];
    let outcomes = send_ok(&officer, &sent).await;
    let references: Vec<String> = outcomes.iter().map(reference).collect();
    assert_ne!(references[0], references[1]);

    let (channel, place, who, at): (String, String, String, i64) = sqlx::query_as(
        "SELECT r.channel, l.label, s.email, r.submitted_at FROM response r JOIN list_item l ON l.id = r.location_id \
         JOIN staff s ON s.id = r.officer_id WHERE r.reference = $1",
    )
    .bind(&references[0])
    .fetch_one(&app.db.read)
    .await
    .unwrap();
    assert_eq!((channel.as_str(), place.as_str(), who.as_str()), ("outreach", "Library outreach", OFFICER));
    assert_eq!(at, sent[0].taken_at, "stored as when it was taken, not when it arrived");
    let other: String = sqlx::query_scalar("SELECT a.text FROM answer a JOIN response r ON r.id = a.response_id WHERE r.reference = $1 AND a.option_id = 'other'")
        .bind(&references[0])
        .fetch_one(&app.db.read)
        .await
        .unwrap();
    assert_eq!(other, "My phone is too old");

    // The reply was lost and the device sends both again, with a third: one more response.
    let third = entry("7f1c1d1e-0000-4000-8000-000000000003", officer_id, library, 30);
    let again = send_ok(&officer, &[sent[0].clone(), sent[1].clone(), third]).await;
    assert_eq!(
        again[..2].iter().map(reference).collect::<Vec<_>>(),
        references,
        "the same references as the first time"
    );
    reference(&again[2]);
    assert_eq!(app.count("SELECT COUNT(*) FROM response WHERE channel = 'outreach'").await, 3);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'response.create'").await, 3);

    // The dashboard counts them like any other channel.
    app.assert_totals_match().await;
    let analyst = app.signed_in_as("analyst@council.gov.uk", &[Role::Analyst]).await;
    let dashboard = analyst.get(&format!("/staff/surveys/{SLUG}?channel=outreach")).await;
    assert_eq!(dashboard.status, StatusCode::OK);
    assert!(dashboard.body.contains("3 people answered"), "{}", dashboard.body);
}

#[both_backends]
async fn the_same_entry_sent_from_two_tabs_at_once_makes_one_response(app: TestApp) {
    let (officer, officer_id) = officer(&app, OFFICER).await;
    let library = location(&app, "Library outreach").await;
    let csrf = officer.csrf("/staff").await;
    let batch: Vec<Entry> = (0..5).map(|i| entry(&format!("0d2b{i:04}-tab"), officer_id, library, 100)).collect();
    // Eight tabs (one session, as tabs share it) send the same five entries at the same moment.
    let sends = (0..8).map(|_| send(&officer, &csrf, &batch));
    let replies = futures_util::future::join_all(sends).await;
    let mut seen = std::collections::BTreeSet::new();
    for (status, body) in replies {
        assert_eq!(status, StatusCode::OK, "{body}");
        let outcomes: Vec<Outcome> = serde_json::from_str(&body).unwrap();
        seen.insert(outcomes.iter().map(reference).collect::<Vec<_>>());
    }
    assert_eq!(seen.len(), 1, "every tab was told the same references: {seen:?}");
    assert_eq!(app.count("SELECT COUNT(*) FROM response").await, 5);
    app.assert_totals_match().await;
}

#[both_backends]
async fn tampered_entries_are_refused_one_by_one_with_a_reason(app: TestApp) {
    let (officer, officer_id) = officer(&app, OFFICER).await;
    let library = location(&app, "Library outreach").await;
    let good = entry("aaaa0000-good", officer_id, library, 10);
    let with = |id: &str, change: &dyn Fn(&mut Entry)| {
        let mut e = entry(id, officer_id, library, 10);
        change(&mut e);
        e
    };
    let cases: Vec<(Entry, &str)> = vec![
        (
            with("unknown-option", &|e| e.answers[0].1 = "sometimes".into()),
            "Question 1: Select one of the answers shown",
        ),
        (
            with("hidden-question", &|e| e.answers.push(("use_again".into(), "yes".into()))),
            "Question 2: leave this blank, the earlier answers skip it",
        ),
        (with("too-long", &|e| e.answers.push(("comments".into(), "x".repeat(2_001)))), "characters or fewer"),
        (with("unknown-question", &|e| e.answers.push(("shoe_size".into(), "9".into()))), "not in version 1"),
        (with("no-such-survey", &|e| e.survey = "library-exit".into()), "There is no survey"),
        (with("no-such-version", &|e| e.version = 7), "has no version 7"),
        (with("unknown-place", &|e| e.location_id = 99_999), "not one of the council's locations"),
        (with("in-the-future", &|e| e.taken_at = now() + 86_400), "a time still to come"),
        (with("before-published", &|e| e.taken_at = now() - 400 * 86_400), "before version 1"),
        (with("unknown-language", &|e| e.language = Some("pl".into())), "not offered in the language"),
        (
            with("required-missing", &|e| {
                e.answers.remove(0);
            }),
            "Question 1:",
        ),
        (with("bad id!", &|_| {}), "not made by this service"),
    ];
    let mut sent = vec![good.clone()];
    sent.extend(cases.iter().map(|(e, _)| e.clone()));
    let outcomes = send_ok(&officer, &sent).await;
    reference(&outcomes[0]);
    for ((entry, want), outcome) in cases.iter().zip(&outcomes[1..]) {
        match outcome {
            Outcome::Refused { id, reasons } => {
                assert_eq!(id, &entry.id);
                assert!(reasons.iter().any(|r| r.contains(want)), "{}: {reasons:?}", entry.id);
            }
            other => panic!("{} was not refused: {other:?}", entry.id),
        }
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM response").await, 1, "only the good entry was stored");

    // Taken after the survey stopped being taken at the library, and after it closed: refused.
    let admin = app.signed_in_as("admin@council.gov.uk", &[Role::Admin]).await;
    let centre = location(&app, "Billingham Customer Service Centre").await;
    admin.staff_post(&format!("/staff/surveys/{SLUG}/locations"), &[("location", &centre.to_string())]).await;
    let outcomes = send_ok(&officer, &[entry("not-here", officer_id, library, 0)]).await;
    assert!(
        matches!(&outcomes[0], Outcome::Refused { reasons, .. } if reasons[0].contains("was not taken at Library outreach when it was taken")),
        "{outcomes:?}"
    );
    admin
        .staff_post(&format!("/staff/surveys/{SLUG}/status"), &[("status", "closed"), ("opens", ""), ("closes", "")])
        .await;
    let outcomes = send_ok(&officer, &[entry("closed", officer_id, centre, 0)]).await;
    assert!(
        matches!(&outcomes[0], Outcome::Refused { reasons, .. } if reasons[0].contains("was closed")),
        "{outcomes:?}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM response").await, 1);
}

/// An officer out of range: back at the office the survey was closed and the drop-in taken
/// off the list before the device got a connection. What was taken while the survey was open, at a
/// place it was taken at, is kept; what was taken after is not.
#[both_backends]
async fn interviews_taken_offline_are_kept_though_the_survey_closed_since(app: TestApp) {
    let (officer, officer_id) = officer(&app, OFFICER).await;
    let library = location(&app, "Library outreach").await;
    let morning = entry("7f1c1d1e-0000-4000-8000-0000000afe01", officer_id, library, 60);
    let admin = app.signed_in_as("admin@council.gov.uk", &[Role::Admin]).await;
    let centre = location(&app, "Billingham Customer Service Centre").await;
    admin
        .staff_post(&format!("/staff/surveys/{SLUG}/locations"), &[("location", &centre.to_string())])
        .await
        .assert_redirect(&format!("/staff/surveys/{SLUG}/manage?done=status"));
    admin.staff_post(&format!("/staff/lists/item/{library}/active"), &[("active", "0")]).await;
    admin
        .staff_post(&format!("/staff/surveys/{SLUG}/status"), &[("status", "closed"), ("opens", ""), ("closes", "")])
        .await;
    assert_eq!(app.count("SELECT COUNT(*) FROM list_item WHERE id = (SELECT id FROM list_item WHERE label = 'Library outreach') AND active = 0").await, 1);

    let outcomes =
        send_ok(&officer, &[morning.clone(), entry("7f1c1d1e-0000-4000-8000-0000000afe02", officer_id, library, 0)])
            .await;
    let kept = reference(&outcomes[0]);
    assert!(matches!(&outcomes[1], Outcome::Refused { .. }), "taken after: {outcomes:?}");
    let (location, channel): (i64, String) =
        sqlx::query_as("SELECT location_id, channel FROM response WHERE reference = $1")
            .bind(&kept)
            .fetch_one(&app.db.read)
            .await
            .unwrap();
    assert_eq!((location, channel.as_str()), (library, "outreach"), "at the place it was taken");
    app.assert_totals_match().await;
}

#[both_backends]
async fn entries_wait_for_the_officer_who_took_them(app: TestApp) {
    let (first, first_id) = officer(&app, OFFICER).await;
    let (second, _) = officer(&app, "second@council.gov.uk").await;
    let library = location(&app, "Library outreach").await;
    let theirs = entry("taken-by-first", first_id, library, 10);
    let outcomes = send_ok(&second, std::slice::from_ref(&theirs)).await;
    assert_eq!(outcomes, vec![Outcome::NotYours { id: theirs.id.clone() }]);
    assert_eq!(app.count("SELECT COUNT(*) FROM response").await, 0, "never stored under the wrong name");
    reference(&send_ok(&first, &[theirs]).await[0]);
}

/// A device that sends an entry again after its resident had the answers removed (a retry whose
/// first reply was lost, a restored tablet) is refused with the reason; the answers stay gone.
#[both_backends]
async fn an_erased_entry_sent_again_is_refused(app: TestApp) {
    let (officer, officer_id) = officer(&app, OFFICER).await;
    let library = location(&app, "Library outreach").await;
    let taken = entry("7f1c1d1e-0000-4000-8000-00000000e7a5", officer_id, library, 30);
    let gone = reference(&send_ok(&officer, std::slice::from_ref(&taken)).await[0]);
    app.another_browser().post("/s/digital-inclusion/remove", &[("reference", &gone)]).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM response").await, 0);
    match &send_ok(&officer, &[taken]).await[0] {
        Outcome::Refused { reasons, .. } => {
            assert!(reasons[0].contains("removed at the resident's request"), "{reasons:?}")
        }
        other => panic!("brought back: {other:?}"),
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM response").await, 0, "still gone");
}

#[both_backends]
async fn a_replaced_version_keeps_its_entries(app: TestApp) {
    let admin = app.signed_in_as("admin@council.gov.uk", &[Role::Admin]).await;
    let v1 = admin.get(&format!("/staff/surveys/{SLUG}/versions/1.toml")).await.body;
    admin.upload(&format!("/staff/surveys/{SLUG}/upload"), "v2.toml", v1.into_bytes()).await;
    admin
        .staff_post(&format!("/staff/surveys/{SLUG}/publish"), &[])
        .await
        .assert_redirect(&format!("/staff/surveys/{SLUG}/manage?done=published"));

    let (officer, officer_id) = officer(&app, OFFICER).await;
    let library = location(&app, "Library outreach").await;
    let outcomes = send_ok(&officer, &[entry("on-version-1", officer_id, library, 10)]).await;
    let version: i64 = sqlx::query_scalar(
        "SELECT v.version FROM response r JOIN survey_version v ON v.id = r.survey_version_id WHERE r.reference = $1",
    )
    .bind(reference(&outcomes[0]))
    .fetch_one(&app.db.read)
    .await
    .unwrap();
    assert_eq!(version, 1);
}

#[both_backends]
async fn only_officers_send_and_only_from_their_own_session(app: TestApp) {
    let (officer, officer_id) = officer(&app, OFFICER).await;
    let library = location(&app, "Library outreach").await;
    let one = [entry("guarded", officer_id, library, 10)];

    // Not signed in, or signed in without the officer role: refused before anything is read.
    let (status, body) = send(&app.another_browser(), "x", &one).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body.contains("you are signed out"), "the page can say why: {body}");
    let analyst = app.signed_in_as("analyst@council.gov.uk", &[Role::Analyst]).await;
    let csrf = analyst.csrf("/staff").await;
    assert_eq!(send(&analyst, &csrf, &one).await.0, StatusCode::FORBIDDEN);

    // An officer's send without their session's token (another site's page, or a page from
    // before they last signed in) changes nothing.
    let (status, body) = send(&officer, "0".repeat(64).as_str(), &one).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(body.contains("opened before you last signed in"), "{body}");

    // Malformed or oversized sends are refused whole with a reason, never a 500.
    let csrf = officer.csrf("/staff").await;
    for body in ["{", "{\"csrf\": 1}", "[]", "{\"csrf\": \"x\", \"entries\": [{\"id\": 5}]}"] {
        let page = officer.post_raw(SEND, "application/json", body.as_bytes().to_vec()).await;
        assert!(page.status.is_client_error(), "{body}: {} {}", page.status, page.body);
    }
    let many: Vec<Entry> =
        (0..=MAX_ENTRIES_PER_SEND).map(|i| entry(&format!("many-{i}"), officer_id, library, 10)).collect();
    let (status, body) = send(&officer, &csrf, &many).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains(&format!("send at most {MAX_ENTRIES_PER_SEND} entries at a time")), "{body}");
    let huge = [Entry { answers: vec![("comments".into(), "x".repeat(2 * 1024 * 1024))], ..one[0].clone() }];
    assert_eq!(send(&officer, &csrf, &huge).await.0, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(app.count("SELECT COUNT(*) FROM response").await, 0);
}

#[both_backends]
async fn an_entry_taken_in_welsh_is_stored_in_welsh(app: TestApp) {
    let (officer, officer_id) = officer(&app, OFFICER).await;
    let library = location(&app, "Library outreach").await;
    let welsh = Entry { language: Some("cy".into()), ..entry("in-welsh", officer_id, library, 10) };
    let outcomes = send_ok(&officer, std::slice::from_ref(&welsh)).await;
    let language: String = sqlx::query_scalar("SELECT language FROM response WHERE reference = $1")
        .bind(reference(&outcomes[0]))
        .fetch_one(&app.db.read)
        .await
        .unwrap();
    assert_eq!(language, "cy");
    // Its answers are read by the Welsh questions' rules, in their words.
    let missing = Entry { id: "in-welsh-2".into(), answers: Vec::new(), ..welsh };
    let outcomes = send_ok(&officer, &[missing]).await;
    assert!(
        matches!(&outcomes[0], Outcome::Refused { reasons, .. } if reasons[0].contains("Dewiswch ydw")),
        "{outcomes:?}"
    );
}
