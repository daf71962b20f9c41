//! The national measures: scored when answers are stored, kept with their framework's version,
//! counted into the running totals, set against the country's figures on the results; and any
//! question compared between two periods.

use crate::common::{TestApp, resident};
use inclusion_survey::auth::account::Role;
use it_macros::both_backends;
use reqwest::StatusCode;

const RESULTS: &str = "/staff/surveys/digital-inclusion";
const EDS: &str = "#score:eds_foundation:2022";

#[both_backends]
async fn the_borough_is_set_against_the_country(app: TestApp) {
    let admin = app.signed_in_as("admin@council.gov.uk", &[Role::Admin]).await;
    // 12 of 20 do all 8 Foundation tasks (60%, against 84% of UK adults); 18 of 20 used the
    // internet in the last 3 months (90%, against 92.1%), 2 never.
    let mut rows = Vec::new();
    rows.extend(std::iter::repeat_n(resident(Some(8), "last_3_months"), 12));
    rows.extend(std::iter::repeat_n(resident(Some(5), "last_3_months"), 6));
    rows.extend(std::iter::repeat_n(resident(None, "never"), 2));
    admin.import_rows(&rows).await;
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM response_score WHERE measure = '{EDS}' AND met = 1")).await,
        12
    );

    let page = admin.get(RESULTS).await.body;
    let section = &page[page.find("Compared with the country").expect("the section")..];
    let eds = &section[section.find("Can do all 8 Foundation").unwrap()..];
    let eds = &eds[..eds.find("</tr>").unwrap()];
    assert!(eds.contains("Essential Digital Skills framework, Foundation level (2022)"), "{eds}");
    assert!(eds.contains("60% of 20 (39% to 78%, acceptable)"), "{eds}");
    assert!(eds.contains("84%, UK adults (2023, 4,172 asked)") && eds.contains("points lower"), "{eds}");
    assert!(eds.contains(": a clear difference"), "{eds}");
    let recent = &section[section.find("Used the internet in the last 3 months").unwrap()..];
    let recent = &recent[..recent.find("</tr>").unwrap()];
    assert!(recent.contains("90% of 20 (") && recent.contains("no clear difference"), "{recent}");

    // Publishing: the 2 who never used it are held back, and so is the share who did lately
    // (20 less 18 would show them).
    let published = admin.get(&format!("{RESULTS}?publishable=1")).await.body;
    let section = &published[published.find("Compared with the country").unwrap()..];
    let never = &section[section.find("Has never used the internet").unwrap()..];
    assert!(never[..never.find("</tr>").unwrap()].contains("[c] of 20"), "{never}");
    let recent = &section[section.find("Used the internet in the last 3 months").unwrap()..];
    assert!(recent[..recent.find("</tr>").unwrap()].contains("[c] of 20"));
    assert!(section.contains("60% of 20 ("), "12 and 8 are both shown");
    app.assert_totals_match().await;
}

/// A score is kept with the framework version it was made under: a score from another version
/// of the framework is counted apart, and today's figure does not move.
#[both_backends]
async fn a_framework_version_is_counted_apart(app: TestApp) {
    let admin = app.signed_in_as("admin@council.gov.uk", &[Role::Admin]).await;
    admin.import_rows(&[resident(Some(8), "last_3_months"), resident(Some(3), "longer_ago")]).await;
    let before = admin.get(RESULTS).await.body;
    assert!(before.contains("50% of 2 ("), "1 of 2 at Foundation level");
    // As a response scored under an earlier framework would be stored.
    sqlx::query(
        "INSERT INTO response_score (response_id, measure, met) SELECT id, '#score:eds_foundation:2018', 1 FROM response",
    )
    .execute(&app.db.write)
    .await
    .unwrap();
    let catalogue = inclusion_survey::survey::Catalogue::default();
    inclusion_survey::responses::tally::rebuild(&app.db, &catalogue, |_| {}).await.unwrap();
    let after = admin.get(RESULTS).await.body;
    let section = |page: &str| page[page.find("Compared with the country").unwrap()..].to_owned();
    assert_eq!(section(&after), section(&before), "the 2022 figure is the 2022 figure");
    let old: i64 = app
        .count("SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM tally WHERE question_id = '#score:eds_foundation:2018'")
        .await;
    assert_eq!(old, 2, "counted, under its own version");
}

#[both_backends]
async fn any_question_is_compared_between_two_periods(app: TestApp) {
    let admin = app.signed_in_as("admin@council.gov.uk", &[Role::Admin]).await;
    let when = |days: i64| {
        (time::OffsetDateTime::now_utc() - time::Duration::days(days))
            .replace_nanosecond(0)
            .unwrap()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap()
    };
    let row = |used: &str, days: i64| vec![("used_online", used.to_owned()), ("submitted_at", when(days))];
    // Then (40 days ago): 15 of 51 had used the services; now (3 days ago): 20 of 49.
    let mut rows = Vec::new();
    rows.extend(std::iter::repeat_n(row("yes", 40), 15));
    rows.extend(std::iter::repeat_n(row("no", 40), 36));
    rows.extend(std::iter::repeat_n(row("yes", 3), 20));
    rows.extend(std::iter::repeat_n(row("no", 3), 29));
    admin.import_rows(&rows).await;
    let day = |days: i64| when(days)[..10].to_owned();
    let asked = format!(
        "{RESULTS}/change?question=used_online&then_from={}&then_to={}&now_from={}&now_to={}",
        day(45),
        day(30),
        day(10),
        day(0)
    );
    let page = admin.get(&asked).await.body;
    let yes = &page[page.find("<td>Yes</td>").expect("a row for Yes")..];
    let yes = &yes[..yes.find("</tr>").unwrap()];
    assert!(yes.contains("29.4% (15 of 51;") && yes.contains("40.8% (20 of 49;"), "{yes}");
    assert!(yes.contains("up 11.4 points") && yes.contains("no clear change"), "{yes}");
    assert!(admin.get(&format!("{RESULTS}/change")).await.body.contains("Choose a question and two different periods"));
    let analyst = app.signed_in_as("analyst@council.gov.uk", &[Role::Analyst]).await;
    assert!(analyst.get(&asked).await.body.contains("up 11.4 points"), "analysts read it too");
}

/// Admins keep the national figures up to date: a new file is checked line by line, kept as a
/// version of its own, and the results say which version they are set against; the old versions
/// can still be downloaded. Analysts read them but cannot change them.
#[both_backends]
async fn the_national_figures_are_versioned_uploads(app: TestApp) {
    const NATIONAL: &str = "/staff/national-figures";
    let admin = app.signed_in_as("admin@council.gov.uk", &[Role::Admin]).await;
    let analyst = app.signed_in_as("analyst@council.gov.uk", &[Role::Analyst]).await;
    admin.import_rows(&[resident(Some(8), "last_3_months"), resident(Some(3), "longer_ago")]).await;
    let before = admin.get(RESULTS).await.body;
    assert!(before.contains("84%, UK adults (2023, 4,172 asked)"));
    assert!(before.contains("National figures: The figures that came with the service."), "{before}");
    // The figures page names each measure as the results do, with the id its file uses.
    let figures = analyst.get(NATIONAL).await.body;
    assert!(figures.contains("Can do all 8 Foundation digital tasks by themselves"), "{figures}");
    assert!(figures.contains("In the file: eds_foundation"));

    // A typo in a measure and a figure over 100: refused with both lines said, nothing kept.
    let header = "measure,population,year,figure,base,source\n";
    let bad = format!("{header}eds_foundaton,UK adults,2024,80,,u\neds_foundation,UK adults,2024,180,,u\n");
    let refused = admin.upload(NATIONAL, "national.csv", bad.into_bytes()).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("Line 2: there is no measure") && refused.body.contains("Line 3:"),
        "{}",
        refused.body
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM comparator_file").await, 0);
    let not_text = admin.upload(NATIONAL, "national.csv", vec![0xff, 0xfe, 0x00]).await;
    assert_eq!(not_text.status, StatusCode::UNPROCESSABLE_ENTITY);

    // An analyst cannot upload.
    let good = format!(
        "{header}eds_foundation,UK adults,2023,84,4172,https://example.org/2023\neds_foundation,UK adults,2024,83,4010,https://example.org/2024\n"
    );
    assert_eq!(analyst.upload(NATIONAL, "national.csv", good.clone().into_bytes()).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("SELECT COUNT(*) FROM comparator_file").await, 0);

    let saved = admin.upload(NATIONAL, "national.csv", good.clone().into_bytes()).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let after = admin.get(RESULTS).await.body;
    assert!(after.contains("83%, UK adults (2024, 4,010 asked)"), "the newest year is used");
    assert!(after.contains("National figures: Version 1, uploaded on"), "{after}");
    // Left out of the new file: no national figure, said so.
    let recent = &after[after.find("Used the internet in the last 3 months").unwrap()..];
    assert!(recent[..recent.find("</tr>").unwrap()].contains("No national figure"));

    let page = analyst.get(NATIONAL).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Version 1, uploaded on") && page.body.contains("by "));
    assert!(!page.body.contains("Upload new figures"), "analysts read, admins change");
    assert_eq!(analyst.get(&format!("{NATIONAL}/versions/1")).await.body, good);
    let shipped = analyst.get(&format!("{NATIONAL}/versions/0")).await.body;
    assert!(shipped.starts_with("measure,population,year,figure,base,source"));
    assert_eq!(analyst.get(&format!("{NATIONAL}/versions/9")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'comparators.upload'").await, 1);
}

/// Four admins uploading national figures at once: four versions, none lost, each audited.
#[both_backends]
async fn national_figures_uploaded_at_once_are_each_kept(app: TestApp) {
    let admin = app.signed_in_as("admin@council.gov.uk", &[Role::Admin]).await;
    let files: Vec<String> = (80..84)
        .map(|f| format!("measure,population,year,figure,base,source\neds_foundation,UK adults,2024,{f},,u\n"))
        .collect();
    let uploads = files.iter().map(|f| admin.upload("/staff/national-figures", "national.csv", f.clone().into_bytes()));
    for page in futures_util::future::join_all(uploads).await {
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    }
    assert_eq!(app.count("SELECT COUNT(DISTINCT body) FROM comparator_file").await, 4);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'comparators.upload'").await, 4);
}
