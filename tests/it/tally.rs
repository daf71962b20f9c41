//! Operators can trust the running totals the results pages read: `tally check` compares them with
//! a fresh count and changes nothing, and `tally rebuild` replaces them, on SQLite and PostgreSQL.

use crate::common;
use it_macros::both_backends;

use common::TestApp;
use inclusion_survey::responses::tally;

const NEVER_USED: &[(&str, &[&str])] = &[
    ("used_online", &["no"]),
    ("why_not_online", &["no_internet"]),
    ("internet_use", &["never"]),
    ("go_online_how", &["none"]),
    ("confidence_online", &["1"]),
    ("eds_foundation_2022", &["turn_on", "wifi"]),
    ("help_wanted", &[]),
    ("age_band", &["75_plus"]),
    ("ward", &[]),
    ("disability", &[]),
    ("comments", &[]),
];

#[both_backends]
async fn check_finds_a_wrong_total_and_rebuild_mends_it(app: TestApp) {
    for _ in 0..3 {
        let resident = app.another_browser();
        resident.start().await;
        resident.answer_all(NEVER_USED).await;
        resident.submit().await.assert_redirect(&resident.survey_path("/done"));
    }
    let matching = app.cli(&["tally", "check"]);
    assert!(matching.status.success(), "{matching:?}");
    assert!(String::from_utf8_lossy(&matching.stdout).contains("match a fresh count of 3 responses"));

    // A total goes wrong, as a bug or a hand-edited database might leave it.
    let wrong = sqlx::query("UPDATE tally SET n = n + 2 WHERE question_id = 'used_online' AND option_id = 'no'")
        .execute(&app.db.write)
        .await
        .unwrap();
    assert_eq!(wrong.rows_affected(), 1);
    let found = app.cli(&["tally", "check"]);
    let said = String::from_utf8_lossy(&found.stdout);
    assert_eq!(found.status.code(), Some(1), "{found:?}");
    assert!(
        said.contains("1 row of the running totals differs")
            && said.contains("\"used_online\" \"no\": kept 5, counted 3"),
        "{said}"
    );
    assert_eq!(app.cli(&["tally", "check"]).status.code(), Some(1), "checking changed nothing");

    // A total kept by group goes wrong too.
    let wrong = sqlx::query("UPDATE tally_about SET n = n - 1 WHERE about_question = 'age_band' AND question_id = 'used_online' AND option_id = 'no'")
        .execute(&app.db.write)
        .await
        .unwrap();
    assert_eq!(wrong.rows_affected(), 1);
    let found = app.cli(&["tally", "check"]);
    let said = String::from_utf8_lossy(&found.stdout);
    assert!(
        said.contains("2 rows of the running totals differ")
            && said
                .contains("among those answering \"age_band\" \"75_plus\", \"used_online\" \"no\": kept 2, counted 3"),
        "{said}"
    );

    let rebuilt = app.cli(&["tally", "rebuild"]);
    assert!(
        rebuilt.status.success() && String::from_utf8_lossy(&rebuilt.stdout).contains("fresh count of 3 responses"),
        "{rebuilt:?}"
    );
    assert!(app.cli(&["tally", "check"]).status.success());
    app.assert_totals_match().await;
}

/// A recount runs while residents are sending answers: each response is counted once, whether it
/// was sent before, during or after the recount, and a check running alongside finds nothing wrong.
#[both_backends]
async fn a_recount_during_submissions_counts_each_response_once(app: TestApp) {
    let residents: Vec<TestApp> = (0..12).map(|_| app.another_browser()).collect();
    for resident in &residents {
        resident.start().await;
        resident.answer_all(NEVER_USED).await;
    }
    let catalogue = inclusion_survey::survey::Catalogue::default();
    // Each resident sends from a task of their own, so the requests really overlap the recounts.
    let sends: Vec<_> = residents.into_iter().map(|r| tokio::spawn(async move { r.submit().await })).collect();
    for _ in 0..3 {
        tally::rebuild(&app.db, &catalogue, |_| {}).await.unwrap();
        assert_eq!(tally::check(&app.db, &catalogue, |_| {}).await.unwrap(), Vec::new());
    }
    for send in sends {
        send.await.unwrap().assert_redirect(&app.survey_path("/done"));
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM response").await, 12);
    assert_eq!(tally::check(&app.db, &catalogue, |_| {}).await.unwrap(), Vec::new());
    app.assert_totals_match().await;
}

/// A cross-tab by one about-you answer filtered by others (ward by age band, and by disability
/// too) is read from the totals by cell; its every column, base and count equals the count from
/// the responses themselves, over random answers, with follow-ups, skipped questions and answers
/// nobody gave.
#[both_backends]
async fn a_crosstab_by_one_about_you_answer_filtered_by_others_matches_the_responses(app: TestApp) {
    use inclusion_survey::insight::crosstab::crosstab;
    use inclusion_survey::responses::filters::Filters;
    use rand::seq::IndexedRandom;
    let admin = app.signed_in_as("admin@council.gov.uk", &[inclusion_survey::auth::account::Role::Admin]).await;
    let mut rng = rand::rng();
    let mut pick = |options: &[&str]| options.choose(&mut rng).unwrap().to_string();
    let rows: Vec<Vec<(&str, String)>> = (0..60)
        .map(|_| {
            let used = pick(&["yes", "no", "not_sure"]);
            let again = if used == "yes" { pick(&["yes", "no", ""]) } else { String::new() };
            vec![
                ("used_online", used),
                ("use_again", again),
                ("ward", pick(&["newtown", "yarm", "hartburn", ""])),
                ("age_band", pick(&["65_74", "75_plus", "25_34", ""])),
                ("disability", pick(&["yes", "no", ""])),
            ]
        })
        .collect();
    admin.import_rows(&rows).await;

    let catalogue = inclusion_survey::survey::Catalogue::default();
    let version = catalogue.current(&app.db, "digital-inclusion").await.unwrap().unwrap();
    let answers = |pairs: &[(&str, &str)]| pairs.iter().map(|(q, o)| (q.to_string(), o.to_string())).collect();
    for (question, by, only) in [
        ("used_online", "ward", answers(&[("age_band", "65_74")])),
        ("use_again", "ward", answers(&[("age_band", "75_plus"), ("disability", "yes")])),
        ("disability", "age_band", answers(&[("ward", "yarm")])),
        ("used_online", "ward", answers(&[("ward", "newtown"), ("age_band", "25_34")])),
    ] {
        let by_cell = Filters { answers: only, ..Filters::default() };
        // A time filter that is not whole days keeps every response and reads them one by one.
        let from_responses = Filters { from: Some(0), ..by_cell.clone() };
        let count = |filters: Filters| {
            let (catalogue, version, db) = (&catalogue, &version, &app.db);
            async move {
                let columns = crosstab(db, catalogue, version, &filters, question, by).await.unwrap().unwrap();
                columns
                    .into_iter()
                    .map(|c| (c.id, format!("{:?} {:?}", c.summary.base, c.summary.rows)))
                    .collect::<Vec<_>>()
            }
        };
        let (cells, responses) = (count(by_cell.clone()).await, count(from_responses.clone()).await);
        assert_eq!(cells, responses, "{question} by {by}, {by_cell:?}");
        // And it is the totals by cell that answered: a wrong one shows.
        sqlx::query("UPDATE tally_cell SET n = n + 1000 WHERE question_id = ''").execute(&app.db.write).await.unwrap();
        let (wrong, responses) = (count(by_cell).await, count(from_responses).await);
        sqlx::query("UPDATE tally_cell SET n = n - 1000 WHERE question_id = ''").execute(&app.db.write).await.unwrap();
        if question != "use_again" {
            assert_ne!(wrong, responses, "{question} by {by}: read from the cells");
        }
    }
}
