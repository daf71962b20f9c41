//! The results by ward on a map: an admin uploads the borough's ward boundaries (GeoJSON), the
//! map page shades each ward by an answer's share or by who is missing, with the same figures in
//! a table, and the publishable map holds back what the publishable cross-tab holds back.

use crate::common::{TestApp, resident, row};
use inclusion_survey::auth::account::Role;
use it_macros::both_backends;
use reqwest::StatusCode;

const MAP: &str = "/staff/surveys/digital-inclusion/map";
const POPULATION: &str = "/staff/surveys/digital-inclusion/population";
/// The built-in survey's 27 wards as hexagons, with ONS's property names.
const WARDS: &str = include_str!("../fixtures/wards.geojson");

/// `n` people in `ward` who have used the council's online services (`used`).
fn people(ward: &str, used: &str, n: usize) -> impl Iterator<Item = Vec<(&'static str, String)>> {
    std::iter::repeat_n(vec![("ward", ward.to_owned()), ("used_online", used.to_owned())], n)
}

#[both_backends]
async fn an_answer_is_mapped_by_ward_with_its_table(app: TestApp) {
    let admin = app.signed_in_as("admin@council.gov.uk", &[Role::Admin]).await;
    let analyst = app.signed_in_as("analyst@council.gov.uk", &[Role::Analyst]).await;
    assert!(admin.get(MAP).await.body.contains("No ward boundaries yet."));
    assert_eq!(analyst.upload(MAP, "wards.geojson", WARDS.into()).await.status, StatusCode::FORBIDDEN);

    let saved = admin.upload(MAP, "wards.geojson", WARDS.into()).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let rows: Vec<_> = people("newtown", "yes", 9)
        .chain(people("newtown", "no", 6))
        .chain(people("roseworth", "yes", 2))
        .chain(people("roseworth", "no", 10))
        .chain(people("hartburn", "yes", 2))
        .collect();
    admin.import_rows(&rows).await;

    let page = analyst.get(&format!("{MAP}?show=used_online.yes")).await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    assert_eq!(body.matches("<path d=\"M").count(), 27, "every ward drawn");
    assert!(body.contains("27 of the 28 answers are drawn"));
    // Each ward's figures by its key number; the colour is the band's, and the band is in words.
    let newtown = row(body, "Figures:", "Newtown");
    assert_eq!(newtown[1..], ["60%", "9 of 15", "36% to 80%, treat with caution"], "{newtown:?}");
    let roseworth = row(body, "Figures:", "Roseworth");
    assert_eq!(roseworth[1..3], ["17%", "2 of 12"]);
    assert_eq!(newtown[0], "55% to 75%");
    assert_eq!(roseworth[0], "15% to 35%", "the bottom band");
    assert_eq!(row(body, "Figures:", "Hartburn")[0], "95% to 100%", "2 of 2, in the top band");
    // A ward nobody answered from: dotted, and said.
    assert_eq!(row(body, "Figures:", "Fairfield")[0], "No answers");
    assert!(body.contains("fill=\"url(#map-no-answers)\""));

    // Published: 2 in Hartburn, and 2 who have used them in Roseworth, are held back, hatched.
    let published = analyst.get(&format!("{MAP}?show=used_online.yes&publishable=1")).await.body;

    let hartburn = row(&published, "Figures:", "Hartburn");
    assert_eq!(hartburn[0], "Held back", "{hartburn:?}");
    assert!(hartburn[2].contains("[c]"), "{hartburn:?}");
    assert!(row(&published, "Figures:", "Roseworth")[2].contains("[c]"));
    assert!(published.contains("fill=\"url(#map-held-back)\""));
    nothing_small(&published);

    // Something the map cannot show.
    assert_eq!(analyst.get(&format!("{MAP}?show=nothing.here")).await.status, StatusCode::BAD_REQUEST);
    assert_eq!(analyst.get(&format!("{MAP}?publishable=maybe")).await.status, StatusCode::BAD_REQUEST);
}

/// Every count the publishable map shows is at least the threshold (or none at all).
fn nothing_small(published: &str) {
    let table = &published[published.find("Figures:").unwrap()..];
    for cell in table.split("<td class=\"numeric\">").skip(1).map(|c| &c[..c.find("</td>").unwrap()]) {
        if let Some((count, base)) = cell.split_once(" of ") {
            for n in [count, base].into_iter().filter_map(|n| n.parse::<i64>().ok()) {
                assert!(n == 0 || n >= 5, "{cell} in {table}");
            }
        }
    }
}

/// The national measures by ward: who can do all 8 Foundation tasks, and who has never used the
/// internet, among those in each ward who answered. Published, the first is a figure of its own and
/// held back in every ward; the second is an answer's count, published as its cross-tab is.
#[both_backends]
async fn a_national_measure_is_mapped_by_ward(app: TestApp) {
    let admin = app.signed_in_as("admin@council.gov.uk", &[Role::Admin]).await;
    assert_eq!(admin.upload(MAP, "wards.geojson", WARDS.into()).await.status, StatusCode::SEE_OTHER);
    let in_ward = |ward: &str, tasks: Option<usize>, internet: &str, n: usize| {
        let mut row = resident(tasks, internet);
        row.push(("ward", ward.to_owned()));
        std::iter::repeat_n(row, n)
    };
    let rows: Vec<_> = in_ward("newtown", Some(8), "last_3_months", 6)
        .chain(in_ward("newtown", None, "never", 4))
        .chain(in_ward("newtown", Some(3), "last_3_months", 5))
        .chain(in_ward("roseworth", Some(8), "last_3_months", 2))
        .chain(in_ward("roseworth", None, "never", 8))
        .chain(in_ward("hartburn", Some(8), "last_3_months", 1))
        .collect();
    admin.import_rows(&rows).await;

    let page = admin.get(MAP).await.body;
    assert!(page.contains("National measure: Can do all 8 Foundation digital tasks by themselves"), "offered");
    let page = admin.get(&format!("{MAP}?show=measure.eds_foundation")).await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    assert!(body.contains("Essential Digital Skills framework, Foundation level, 2022"), "its framework and version");
    let newtown = row(body, "Figures:", "Newtown");
    assert_eq!(newtown[1..3], ["40%", "6 of 15"], "{newtown:?}");
    assert_eq!(row(body, "Figures:", "Roseworth")[1..3], ["20%", "2 of 10"]);
    assert_eq!(row(body, "Figures:", "Hartburn")[1..3], ["100%", "1 of 1"]);
    assert_eq!(row(body, "Figures:", "Fairfield")[0], "No answers");

    // Published: every ward held back, and said why.
    let published = admin.get(&format!("{MAP}?show=measure.eds_foundation&publishable=1")).await.body;
    assert!(published.contains("for the whole borough only"), "{published}");
    for ward in ["Newtown", "Roseworth", "Hartburn"] {
        assert_eq!(row(&published, "Figures:", ward)[0], "Held back", "{ward}");
    }
    assert!(!published.contains(" of 15<"), "no ward's count");

    // Never used the internet: Newtown 4 of 15 (held back), Roseworth 8 of 10.
    let never = admin.get(&format!("{MAP}?show=measure.ons_internet_never")).await.body;
    assert_eq!(row(&never, "Figures:", "Newtown")[1..3], ["27%", "4 of 15"]);
    let published = admin.get(&format!("{MAP}?show=measure.ons_internet_never&publishable=1")).await.body;
    assert_eq!(row(&published, "Figures:", "Newtown")[0], "Held back");
    nothing_small(&published);
    assert_eq!(admin.get(&format!("{MAP}?show=measure.nothing")).await.status, StatusCode::BAD_REQUEST);
}

/// With the weighting on, the map is shaded by each ward's weighted share and gives the
/// unweighted one beside it. Newtown's 5 young people (4 have used the council's online services)
/// weigh a half each and its 5 aged 75 or over (1 has) one and a half: 3.5 of 10, 35%, against 50%
/// as they came.
#[both_backends]
async fn the_map_is_weighted_when_the_results_are(app: TestApp) {
    let admin = app.signed_in_as("admin@council.gov.uk", &[Role::Admin]).await;
    assert_eq!(admin.upload(MAP, "wards.geojson", WARDS.into()).await.status, StatusCode::SEE_OTHER);
    let person = |ward: &str, age: &str, used: &str, n: usize| {
        std::iter::repeat_n(
            vec![("ward", ward.to_owned()), ("age_band", age.to_owned()), ("used_online", used.to_owned())],
            n,
        )
    };
    let rows: Vec<_> = person("newtown", "16_24", "yes", 4)
        .chain(person("newtown", "16_24", "no", 1))
        .chain(person("newtown", "75_plus", "yes", 1))
        .chain(person("newtown", "75_plus", "no", 4))
        .chain(person("roseworth", "16_24", "no", 5))
        .chain(person("roseworth", "75_plus", "no", 5))
        .collect();
    admin.import_rows(&rows).await;
    let bands =
        [("16_24", 5000), ("25_34", 0), ("35_44", 0), ("45_54", 0), ("55_64", 0), ("65_74", 0), ("75_plus", 15000)];
    let lines: String = bands.iter().map(|(band, n)| format!("age_band,{band},{n}\n")).collect();
    let file = format!("question,option,population\n{lines}");
    assert_eq!(admin.upload(POPULATION, "ages.csv", file.into_bytes()).await.status, StatusCode::SEE_OTHER);
    let unweighted = admin.get(&format!("{MAP}?show=used_online.yes")).await.body;
    assert_eq!(row(&unweighted, "Figures:", "Newtown")[1..3], ["50%", "5 of 10"]);

    let on = [("weight", "on"), ("trim_low", "0.2"), ("trim_high", "5")];
    assert_eq!(admin.staff_post(&format!("{POPULATION}/weighting"), &on).await.status, StatusCode::SEE_OTHER);
    let page = admin.get(&format!("{MAP}?show=used_online.yes")).await.body;
    assert!(page.contains("weighted to the borough's population"), "{page}");
    let newtown = row(&page, "Figures:", "Newtown");
    assert_eq!(newtown[1], "35%", "{newtown:?}");
    assert!(newtown[2].contains("% to "), "its weighted interval: {newtown:?}");
    assert_eq!(newtown[3..], ["50%", "5 of 10"]);
    assert_eq!(newtown[0], "30% to 40%", "shaded by the weighted share (50% as they came)");
    // Published: a weighted share only beside a count and base that are shown.
    let published = admin.get(&format!("{MAP}?show=used_online.yes&publishable=1")).await.body;
    for cells in ["Newtown", "Roseworth"].map(|ward| row(&published, "Figures:", ward)) {
        if cells[4].contains("[c]") {
            assert_eq!(cells[1..3], ["\u{2013}", "\u{2013}"], "{cells:?}");
        }
    }
    nothing_small(&published);
}

#[both_backends]
async fn who_is_missing_is_mapped_against_the_population(app: TestApp) {
    let admin = app.signed_in_as("admin@council.gov.uk", &[Role::Admin]).await;
    assert_eq!(admin.upload(MAP, "wards.geojson", WARDS.into()).await.status, StatusCode::SEE_OTHER);
    let rows: Vec<_> = people("newtown", "yes", 30).chain(people("roseworth", "no", 10)).collect();
    admin.import_rows(&rows).await;
    // Without the population: the responses by ward.
    let counts = admin.get(MAP).await.body;
    assert_eq!(row(&counts, "Figures:", "Newtown")[1], "30");

    // The borough: as many in Roseworth as in Newtown, nobody elsewhere.
    let survey = inclusion_survey::survey::builtin();
    let wards = survey.question("ward").unwrap();
    let lines: String = wards
        .options
        .iter()
        .filter(|o| o.id != "prefer_not_to_say")
        .map(|o| {
            format!("ward,{},{}\n", o.id, if ["newtown", "roseworth"].contains(&o.id.as_str()) { 5000 } else { 0 })
        })
        .collect();
    let file = format!("question,option,population\n{lines}");
    let saved = admin.upload(POPULATION, "wards.csv", file.into_bytes()).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = admin.get(MAP).await.body;
    assert!(page.contains("Responses against residents"));
    // Roseworth has 25% of the responses and 50% of the residents: half its share, 10 short.
    let roseworth = row(&page, "Figures:", "Roseworth");
    assert_eq!(roseworth[1..], ["50%", "10", "25.0%", "50.0%", "10 people"], "{roseworth:?}");
    assert_eq!(row(&page, "Figures:", "Newtown")[1], "150%");
    // The results page leads here.
    assert!(admin.get("/staff/surveys/digital-inclusion").await.body.contains(&format!("href=\"{MAP}\"")));
}

#[both_backends]
async fn boundaries_that_do_not_fit_are_refused_and_removal_is_audited(app: TestApp) {
    let admin = app.signed_in_as("admin@council.gov.uk", &[Role::Admin]).await;
    let refused = admin.upload(MAP, "wards.json", b"{\"type\":\"Feature\"".to_vec()).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("The file is not GeoJSON"), "{}", refused.body);
    let elsewhere = WARDS.replace("\"WD23NM\": \"", "\"WD23NM\": \"Elsewhere ").replace("\"WD23CD\"", "\"CODE\"");
    let refused = admin.upload(MAP, "wards.json", elsewhere.into_bytes()).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("None of the areas in the file has the name of an answer"), "{}", refused.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM area_map").await, 0);

    // Two wards left out of the file, and one from next door: drawn as far as they go, and said.
    let mut file: serde_json::Value = serde_json::from_str(WARDS).unwrap();
    let features = file["features"].as_array_mut().unwrap();
    features.retain(|f| !["Newtown", "Roseworth"].contains(&f["properties"]["WD23NM"].as_str().unwrap()));
    let mut neighbour = features[0].clone();
    neighbour["properties"]["WD23NM"] = "Hartlepool Central".into();
    neighbour["properties"]["WD23CD"] = "E05008942".into();
    features.push(neighbour);
    assert_eq!(admin.upload(MAP, "wards.json", file.to_string().into_bytes()).await.status, StatusCode::SEE_OTHER);
    let page = admin.get(MAP).await.body;
    assert!(page.contains("25 of the 28 answers are drawn"), "{page}");
    assert!(page.contains("No area in the file for: Newtown, Roseworth, I do not know."));
    assert!(page.contains("left out: E05008942"));

    assert_eq!(admin.staff_post(&format!("{MAP}/remove"), &[]).await.status, StatusCode::SEE_OTHER);
    assert!(admin.get(MAP).await.body.contains("No ward boundaries yet."));
    let actions = app.count("SELECT COUNT(*) FROM audit_log WHERE action IN ('map.upload', 'map.remove')").await;
    assert_eq!(actions, 2);
}

/// Admins uploading at once: every upload succeeds, one map stands and each is audited. (The
/// uploads take turns on the survey's row; this test passed with that lock taken out too, as the
/// reading of each file spaces them apart, so it shows the outcome, not the lock.)
#[both_backends]
async fn boundaries_uploaded_at_once_end_as_one_map(app: TestApp) {
    let admin = app.signed_in_as("admin@council.gov.uk", &[Role::Admin]).await;
    let uploads = (0..4).map(|_| admin.upload(MAP, "wards.geojson", WARDS.into()));
    for page in futures_util::future::join_all(uploads).await {
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM area_map").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'map.upload'").await, 4);
}
