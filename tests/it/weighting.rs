//! Weighting the results to the borough: an admin turns it on over the population figures, the
//! results show weighted figures beside the unweighted ones and say how the weights came out, and
//! the publishable view never gives a weighted share beside a count it holds back.

use crate::common::{TestApp, row};
use inclusion_survey::auth::account::Role;
use it_macros::both_backends;
use reqwest::StatusCode;

const RESULTS: &str = "/staff/surveys/digital-inclusion";
const POPULATION: &str = "/staff/surveys/digital-inclusion/population";
const WEIGHTING: &str = "/staff/surveys/digital-inclusion/population/weighting";
const EXPORT: &str = "/staff/surveys/digital-inclusion/export/responses.csv";

/// Imports responses typed up from paper: (age band, whether they have used the council's online
/// services, how many people).
async fn seed(admin: &TestApp, people: &[(&str, &str, usize)]) {
    let rows: Vec<Vec<(&str, String)>> = people
        .iter()
        .flat_map(|(age, used, n)| {
            std::iter::repeat_n(vec![("age_band", (*age).to_owned()), ("used_online", (*used).to_owned())], *n)
        })
        .collect();
    admin.import_rows(&rows).await;
}

/// 10 young people, 8 of whom have used the services; 30 aged 75 or over, 6 of whom have; 3 aged
/// 35 to 44, all of whom have. The borough has as many young as old, and nobody counted 35 to 44.
async fn weighted_borough(app: &TestApp) -> TestApp {
    let admin = app.signed_in_as("admin@council.gov.uk", &[Role::Admin]).await;
    seed(
        &admin,
        &[("16_24", "yes", 8), ("16_24", "no", 2), ("75_plus", "yes", 6), ("75_plus", "no", 24), ("35_44", "yes", 3)],
    )
    .await;
    let bands =
        [("16_24", 5000), ("25_34", 0), ("35_44", 0), ("45_54", 0), ("55_64", 0), ("65_74", 0), ("75_plus", 5000)];
    let rows: String = bands.iter().map(|(band, n)| format!("age_band,{band},{n}\n")).collect();
    let file = format!("question,option,population\n{rows}");
    assert_eq!(admin.upload(POPULATION, "ages.csv", file.into_bytes()).await.status, StatusCode::SEE_OTHER);
    admin
}

#[both_backends]
async fn weighted_results_are_shown_beside_the_unweighted(app: TestApp) {
    let admin = weighted_borough(&app).await;
    let before = admin.get(RESULTS).await.body;
    assert!(!before.contains("Weighted to the borough") && !before.contains("Percent, weighted"), "off until asked");

    let on = [("weight", "on"), ("trim_low", "0.2"), ("trim_high", "5")];
    assert_eq!(admin.staff_post(WEIGHTING, &on).await.status, StatusCode::SEE_OTHER);
    assert!(admin.get(&format!("{POPULATION}?done=saved")).await.body.contains("The weighting is saved"));

    // Young and old weigh half each among the 40 whose age the borough counts (weights 2 and 2/3);
    // the 3 aged 35 to 44 keep their share (3 of 43) at weight 1. Used the services: 17 of 43
    // (39.5%) as they came; weighted 40/43 × (0.8 + 0.2) / 2 + 3/43 = 53.5%.
    let page = admin.get(RESULTS).await.body;
    assert!(page.contains("Weighted to the borough"), "{page}");
    let yes = row(&page, "Figures: Have you used any", "Yes");
    assert_eq!(&yes[..3], ["17", "39.5%", "53.5%"], "{yes:?}");
    assert!(yes[3].contains(" to ") && yes[3].contains(", "), "the weighted interval and its quality: {yes:?}");
    assert!(page.contains("from 0.67 to 2.00 times the average"), "{page}");
    // n Σw² / (Σw)² = 43 × (10 × 4 + 30 × 4/9 + 3) / 43² = 1.31; 43 / 1.31 = 33 people.
    assert!(page.contains("Design effect 1.31") && page.contains("as sure as 33 people"), "{page}");
    assert!(page.contains("3 of the 43 people did not answer"), "not known, kept at its share: {page}");
    assert!(page.contains("meet the population"), "{page}");

    // The summary download carries the same weighted figures.
    let summary = admin.get("/staff/surveys/digital-inclusion/export/summary.csv?bom=0").await.body;
    let mut reader = csv::Reader::from_reader(summary.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(&header[header.len() - 4..], ["weighted_percent", "weighted_low", "weighted_high", "weighted_quality"]);
    let yes = reader.records().map(Result::unwrap).find(|r| &r[0] == "used_online" && &r[2] == "yes").unwrap();
    assert_eq!((&yes[6], &yes[11]), ("39.5", "53.5"), "{yes:?}");

    // Bounds that cannot be met are said, not hidden.
    let tight = [("weight", "on"), ("trim_low", "0.8"), ("trim_high", "1.5")];
    assert_eq!(admin.staff_post(WEIGHTING, &tight).await.status, StatusCode::SEE_OTHER);
    let page = admin.get(RESULTS).await.body;
    assert!(page.contains("could not meet the population") && page.contains("0.8 to 1.5"), "{page}");

    // Not for a selection the totals by cell do not keep; for one about-you answer they do.
    let by_channel = admin.get(&format!("{RESULTS}?channel=phone")).await.body;
    assert!(by_channel.contains("not for this selection") && !by_channel.contains("Percent, weighted"));
    let old = admin.get(&format!("{RESULTS}?age_band=75_plus")).await.body;
    assert_eq!(&row(&old, "Figures: Have you used any", "Yes")[..3], ["6", "20.0%", "20.0%"]);

    // Cross-tabs by an about-you question carry each group's weighted share (the same as its
    // unweighted one here, where everyone in an age band has the same weight) with the
    // design-based interval; by channel there is none (the cells do not keep it); on the
    // publishable view none beside a held count (3 of 3 aged 35 to 44).
    let crosstab = |page: &str| {
        let table = &page[page.find("Compared: ").expect("a cross-tab")..];
        table[..table.find("</table>").unwrap()].to_owned()
    };
    let by_age = crosstab(&admin.get(&format!("{RESULTS}?compare=used_online&by=age_band")).await.body);
    assert!(by_age.contains("8 (80.0%)") && by_age.contains("weighted 80.0% ("), "{by_age}");
    assert!(by_age.contains("6 (20.0%)") && by_age.contains("weighted 20.0% ("));
    assert!(by_age.contains("weighted 100.0% ("), "3 of 3, unpublished");
    let by_channel = crosstab(&admin.get(&format!("{RESULTS}?compare=used_online&by=channel")).await.body);
    assert!(!by_channel.contains("weighted"), "{by_channel}");
    let published =
        crosstab(&admin.get(&format!("{RESULTS}?compare=used_online&by=age_band&publishable=1")).await.body);
    assert!(published.contains("0 (0.0%)") && published.contains("weighted 0.0% ("), "{published}");
    for cell in published.split("<td").skip(1) {
        assert!(!(cell.contains("[c]") && cell.contains("weighted")), "{cell}");
    }
    assert!(!published.contains("weighted 100.0%") && !published.contains("weighted 80.0%"), "{published}");
}

#[both_backends]
async fn weighting_is_checked_changed_and_audited(app: TestApp) {
    let admin = weighted_borough(&app).await;
    assert_eq!(
        admin.staff_post(WEIGHTING, &[("weight", "on"), ("trim_low", "0.3"), ("trim_high", "3")]).await.status,
        StatusCode::SEE_OTHER
    );
    for (fields, said) in [
        ([("weight", "on"), ("trim_low", "0"), ("trim_high", "3")], "The smallest weight must be a number above 0"),
        (
            [("weight", "on"), ("trim_low", "0.3"), ("trim_high", "lots")],
            "The largest weight must be a number from 1 to 100",
        ),
        ([("weight", "maybe"), ("trim_low", "0.3"), ("trim_high", "3")], "Choose whether to weight the results"),
    ] {
        let page = admin.staff_post(WEIGHTING, &fields).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.body.contains(said), "{said}: {}", page.body);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM weighting WHERE trim_high = 3").await, 1, "nothing changed");
    let analyst = app.signed_in_as("analyst@council.gov.uk", &[Role::Analyst]).await;
    assert_ne!(analyst.staff_post(WEIGHTING, &[("weight", "off")]).await.status, StatusCode::SEE_OTHER, "admins only");

    assert_eq!(admin.staff_post(WEIGHTING, &[("weight", "off")]).await.status, StatusCode::SEE_OTHER);
    assert!(!admin.get(RESULTS).await.body.contains("Percent, weighted"));
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'weighting.change'").await, 2);
    // Removing the population leaves nothing to weight to.
    assert_eq!(
        admin.staff_post(WEIGHTING, &[("weight", "on"), ("trim_low", "0.3"), ("trim_high", "3")]).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(admin.staff_post(&format!("{POPULATION}/remove"), &[]).await.status, StatusCode::SEE_OTHER);
    assert!(!admin.get(RESULTS).await.body.contains("Percent, weighted"));
}

#[both_backends]
async fn publishable_weighted_shares_only_beside_counts_shown(app: TestApp) {
    let admin = weighted_borough(&app).await;
    assert_eq!(
        admin.staff_post(WEIGHTING, &[("weight", "on"), ("trim_low", "0.2"), ("trim_high", "5")]).await.status,
        StatusCode::SEE_OTHER
    );
    let page = admin.get(&format!("{RESULTS}?publishable=1")).await.body;
    assert!(page.contains("Percent, weighted"), "{page}");
    // 3 aged 35 to 44: held back, and so is their weighted share.
    let held = row(&page, "Figures: How old are you?", "35 to 44");
    assert_eq!(&held[..3], ["[c]", "\u{2013}", "\u{2013}"], "{held:?}");
    let summary = admin.get("/staff/surveys/digital-inclusion/export/summary.csv?bom=0&publishable=1").await.body;
    let held = summary.lines().find(|l| l.starts_with("age_band,") && l.contains(",35_44,")).unwrap();
    assert!(held.ends_with(",[c],[c],[c],[c]"), "held back in the download too: {held}");
    let shown = row(&page, "Figures: How old are you?", "75 or over");
    assert_eq!(&shown[..2], ["30", "69.8%"]);
    assert!(shown[2].ends_with('%') && shown[2] != "\u{2013}", "{shown:?}");
}

/// An analyst who opens the weighted download in GNU PSPP or R sees the figures the page shows:
/// PSPP's weighted percentage with the syntax's `WEIGHT BY`, and R's `survey` package's weighted
/// share and interval with the script's design.
#[both_backends]
async fn pspp_and_r_give_the_pages_weighted_figures_from_the_download(app: TestApp) {
    let admin = weighted_borough(&app).await;
    let on = [("weight", "on"), ("trim_low", "0.2"), ("trim_high", "5")];
    assert_eq!(admin.staff_post(WEIGHTING, &on).await.status, StatusCode::SEE_OTHER);
    let page = admin.get(RESULTS).await.body;
    let yes = row(&page, "Figures: Have you used any", "Yes");
    let interval = yes[3].split(',').next().unwrap().to_owned();

    let download = admin.get(&format!("{EXPORT}?one_line=1")).await.body;
    let mut reader = csv::Reader::from_reader(download.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(header.last().map(String::as_str), Some("weight"));
    let (age, weight) = (header.iter().position(|h| h == "age_band").unwrap(), header.len() - 1);
    for record in reader.records().map(Result::unwrap) {
        let expected = match &record[age] {
            "16_24" => "2.000000",
            "75_plus" => "0.666667",
            _ => "1.000000",
        };
        assert_eq!(&record[weight], expected, "{record:?}");
    }

    let syntax = admin.get("/staff/surveys/digital-inclusion/export/responses.sps").await.body;
    assert!(syntax.contains("WEIGHT BY weight."), "{syntax}");
    let file = syntax.split("/FILE='").nth(1).and_then(|rest| rest.split('\'').next()).unwrap().to_owned();
    let dir = std::env::temp_dir().join(format!(
        "weighted-{}-{}",
        std::process::id(),
        app.address.rsplit(':').next().unwrap()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(&file), &download).unwrap();
    std::fs::write(dir.join("run.sps"), format!("{syntax}\nFREQUENCIES /VARIABLES=used_online.\n")).unwrap();
    let pspp = std::process::Command::new("pspp")
        .current_dir(&dir)
        .args(["-O", "format=csv", "-o", "out.csv", "run.sps"])
        .output()
        .expect("GNU PSPP is installed (scripts/setup.sh --tests installs it)");
    let out = std::fs::read_to_string(dir.join("out.csv")).unwrap_or_default();
    assert!(pspp.status.success() && !out.contains("error"), "{out}");
    let line = out.lines().find(|l| l.split(',').nth(1) == Some("Yes")).unwrap_or_else(|| panic!("{out}"));
    // ,Yes,frequency,percent,…: 8 × 2 + 6 × 2/3 + 3 = 23 of 43, to the weights' six places.
    let fields: Vec<&str> = line.split(',').collect();
    assert!(fields[2].starts_with("23.0000") && fields[3] == "53.5%", "PSPP's weighted figures: {line}");

    let script = admin.get("/staff/surveys/digital-inclusion/export/responses.R").await.body;
    assert!(script.contains("svydesign(ids = ~1, weights = ~weight, data = responses)"), "{script}");
    let ask = "ci <- survey::svyciprop(~I(used_online == \"Yes\"), design, method = \"xlogit\")\n\
               cat(sprintf(\"%.0f%% to %.0f%%\", 100 * attr(ci, \"ci\")[1], 100 * attr(ci, \"ci\")[2]), sprintf(\"%.1f%%\", 100 * coef(ci)), sep = \"\\n\")\n";
    std::fs::write(dir.join("run.R"), format!("{script}\n{ask}")).unwrap();
    let r = std::process::Command::new("Rscript").current_dir(&dir).arg("run.R").output().expect("R is installed");
    let said = String::from_utf8_lossy(&r.stdout).to_string();
    assert!(r.status.success(), "R failed: {}", String::from_utf8_lossy(&r.stderr));
    assert_eq!(said.lines().collect::<Vec<_>>(), [interval.as_str(), yes[2]], "R's figures against the page's");
    std::fs::remove_dir_all(&dir).unwrap();

    // The weighted download goes back in as any other: the weights are worked out, not read.
    let fresh = crate::common::spawn_app(match app.db.backend {
        inclusion_survey::db::Backend::Sqlite => crate::common::Backend::Sqlite,
        inclusion_survey::db::Backend::Postgres => crate::common::Backend::Postgres,
    })
    .await;
    let fresh_admin = fresh.signed_in_as("admin@council.gov.uk", &[Role::Admin]).await;
    let page =
        fresh_admin.upload("/staff/surveys/digital-inclusion/import", "responses.csv", download.into_bytes()).await;
    assert!(page.body.contains("Imported 43 responses"), "{}", page.body);
}

/// Admins saving the weighting at the same moment: every save is answered, one setting stands,
/// and each is in the audit log.
#[both_backends]
async fn weighting_saved_at_once_ends_as_one_setting(app: TestApp) {
    let admin = weighted_borough(&app).await;
    let forms: Vec<[(&str, &str); 3]> =
        ["2", "3", "4", "5"].iter().map(|high| [("weight", "on"), ("trim_low", "0.3"), ("trim_high", *high)]).collect();
    let saves = forms.iter().map(|form| admin.staff_post(WEIGHTING, form));
    for page in futures_util::future::join_all(saves).await {
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM weighting").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'weighting.change'").await, 4);
}

/// A finding's latest figure, and a success measure tied to it, are weighted when the results are:
/// on the findings page and in the committee report (beside the published count and base only).
#[both_backends]
async fn a_finding_is_weighted_through_the_committee_report(app: TestApp) {
    let admin = weighted_borough(&app).await;
    let on = [("weight", "on"), ("trim_low", "0.2"), ("trim_high", "5")];
    assert_eq!(admin.staff_post(WEIGHTING, &on).await.status, StatusCode::SEE_OTHER);
    let finding = [
        ("survey", "digital-inclusion"),
        ("question", "used_online"),
        ("option", "yes"),
        ("filters", ""),
        ("wording", "Have used the council's online services"),
        ("target", "60"),
        ("target_by", "March 2028"),
    ];
    assert_eq!(admin.staff_post("/staff/findings", &finding).await.status, StatusCode::SEE_OTHER);
    let findings = admin.get("/staff/findings").await.body;
    // 17 of 43 as they came; 53.5% weighted (see `weighted_results_are_shown_beside_the_unweighted`).
    assert!(findings.contains("17 of 43 (39.5%; 95% interval 26% to 54%, acceptable); weighted to the borough 53.5% (95% interval 36% to 70%, acceptable)"), "{findings}");

    let plan = admin.staff_post("/staff/action-plan", &[("title", "Plan"), ("year", "2026")]).await;
    let plan = plan.location.unwrap().trim_start_matches("/staff/action-plan/").to_owned();
    let plan: String = plan.chars().take_while(char::is_ascii_digit).collect();
    admin.staff_post(&format!("/staff/action-plan/{plan}/recommendations"), &[("text", "Reach older residents")]).await;
    let recommendation = app.count("SELECT id FROM recommendation").await.to_string();
    let finding_id = app.count("SELECT id FROM finding").await.to_string();
    let action = [
        ("recommendation", recommendation.as_str()),
        ("agreed_action", "Sessions in sheltered housing"),
        ("responsibility", "Digital Inclusion Officer"),
        ("target_date", "2028-03-31"),
        ("success_measure", "More residents use the online services"),
        ("barrier", "skills"),
        ("finding", finding_id.as_str()),
    ];
    let saved = admin.staff_post(&format!("/staff/action-plan/{plan}/actions/new"), &action).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let report = admin.get(&format!("/staff/action-plan/{plan}/report")).await.body;
    assert!(report.contains("17 of 43 (39.5%; 95% interval 26% to 54%, acceptable); weighted to the borough 53.5% (95% interval 36% to 70%, acceptable)"), "{report}");
    assert!(report.contains("60% by March 2028: not yet reached"), "{report}");
}
