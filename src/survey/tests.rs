use super::*;
use std::collections::BTreeMap;

/// The day these tests answer on.
const TODAY: jiff::civil::Date = jiff::civil::date(2026, 12, 6);

/// Answers read on [`TODAY`].
fn read_answer(q: &Question, fields: &[(String, String)]) -> Result<Option<Answer>, FieldError> {
    super::read_answer(q, fields, TODAY)
}

fn read_all(
    questions: &[Question],
    fields: &[(String, String)],
) -> Result<AllAnswers, (BTreeMap<String, Answer>, Vec<QuestionError>)> {
    super::read_all(questions, fields, TODAY)
}

fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn errors_of(doc: &str) -> Vec<String> {
    match Survey::from_document(doc) {
        Ok(_) => vec![],
        Err(e) => e.0.iter().map(|e| e.to_string()).collect(),
    }
}

const MINIMAL: &str = r#"
id = "s"
title = "T"
minutes = 1
[[questions]]
id = "a"
type = "single"
text = "A?"
options = [{ id = "yes", label = "Yes" }, { id = "no", label = "No" }]
"#;

#[test]
fn builtin_survey_is_valid_and_has_the_ids_reports_rely_on() {
    let survey = builtin();
    assert_eq!(survey.slug(), BUILTIN_SLUG);
    for id in [
        "used_online",
        "use_again",
        "why_not_again",
        "why_not_online",
        "go_online_how",
        "confidence_online",
        "help_wanted",
        "age_band",
        "ward",
        "disability",
    ] {
        assert!(survey.question(id).is_some(), "missing {id}");
    }
    for id in ["age_band", "ward", "disability"] {
        assert!(survey.question(id).unwrap().option(PREFER_NOT_TO_SAY).is_some(), "{id}");
    }
    let again = survey.question("why_not_again").unwrap();
    assert!(again.option("too_difficult").unwrap().barriers.contains(Barrier::Skills));
    let never = survey.question("why_not_online").unwrap();
    assert!(never.option("no_internet").unwrap().barriers.contains(Barrier::Access));
    assert!(never.option("family_friends").is_some());
}

#[test]
fn builtin_survey_asks_at_most_twelve_questions_on_any_path() {
    let survey = builtin();
    for used in ["yes", "no", "not_sure"] {
        for again in ["yes", "no", "not_sure"] {
            let mut answers = BTreeMap::new();
            answers.insert("used_online".to_string(), Answer::Choice(used.into()));
            answers.insert("use_again".to_string(), Answer::Choice(again.into()));
            let shown = visibility(survey.questions(), &answers).into_iter().filter(|s| *s).count();
            assert!(shown <= 12, "{used}/{again}: {shown} questions");
        }
    }
}

#[test]
fn json_and_toml_are_both_read() {
    let toml_survey = Survey::from_document(MINIMAL).unwrap();
    let json = serde_json::to_string(toml_survey.definition()).unwrap();
    let json_survey = Survey::from_document(&json).unwrap();
    assert_eq!(toml_survey, json_survey);
}

#[test]
fn refuses_unknown_fields() {
    let doc = MINIMAL.replace("minutes = 1", "minutes = 1\ncolour = \"red\"");
    let errors = errors_of(&doc);
    assert_eq!(errors.len(), 1);
    assert!(errors[0].contains("unknown field `colour`"), "{errors:?}");
}

#[test]
fn names_the_question_and_the_fault() {
    let cases = [
        (r#"type = "single""#, r#"type = "dropdown""#, "question `a`: unknown type `dropdown`"),
        (r#"id = "yes""#, r#"id = "Yes!""#, "question `a`: option id `Yes!`"),
        (r#"label = "No" }"#, r#"label = "No", barriers = ["money"] }"#, "unknown barrier `money`"),
        (r#"id = "a""#, r#"id = "1a""#, "question `1a`: the id must start"),
        (r#"{ id = "no", label = "No" }"#, r#"{ id = "yes", label = "No" }"#, "option `yes` appears more than once"),
        (r#"label = "No" }"#, r#"label = "No", exclusive = true }"#, "exclusive and other are for multiple"),
        (r#"id = "no""#, r#"id = "prefer_not_to_say""#, "is reserved"),
        (r#"text = "A?""#, r#"text = "  ""#, "question `a`: text cannot be empty"),
    ];
    for (from, to, expected) in cases {
        let doc = MINIMAL.replacen(from, to, 1);
        assert_ne!(doc, MINIMAL, "case did not apply: {from}");
        let errors = errors_of(&doc);
        assert!(errors.iter().any(|e| e.contains(expected)), "{expected}: got {errors:?}");
    }
}

#[test]
fn show_if_may_only_look_back_at_a_choice_question() {
    let doc = |rule: &str| {
        format!(
            r#"{MINIMAL}
[[questions]]
id = "b"
type = "short_text"
text = "B?"
{rule}
[[questions]]
id = "c"
type = "single"
text = "C?"
options = [{{ id = "x", label = "X" }}, {{ id = "y", label = "Y" }}]
"#
        )
    };
    assert!(errors_of(&doc(r#"show_if = { question = "a", any_of = ["yes"] }"#)).is_empty());
    let forward = errors_of(&doc(r#"show_if = { question = "c", any_of = ["x"] }"#));
    assert!(
        forward[0].contains("question `b`: show_if refers to `c`, which is not an earlier question"),
        "{forward:?}"
    );
    let itself = errors_of(&doc(r#"show_if = { question = "b", any_of = ["x"] }"#));
    assert!(itself[0].contains("cannot refer to the question itself"), "{itself:?}");
    let unknown = errors_of(&doc(r#"show_if = { question = "a", any_of = ["maybe"] }"#));
    assert!(unknown[0].contains("does not have: maybe"), "{unknown:?}");
    let empty = errors_of(&doc(r#"show_if = { question = "a", any_of = [] }"#));
    assert!(empty[0].contains("at least one option"), "{empty:?}");
}

#[test]
fn refuses_oversized_and_malformed_documents() {
    let big = format!("{MINIMAL}\n# {}", "x".repeat(MAX_DOCUMENT_BYTES));
    assert!(errors_of(&big)[0].contains("larger than"));
    assert!(errors_of("{ not json")[0].contains("not valid JSON"));
    assert!(errors_of("id = ")[0].contains("not valid TOML"));
}

#[test]
fn scale_options_must_count_up() {
    let doc = r#"
id = "s"
title = "T"
minutes = 1
[[questions]]
id = "a"
type = "scale"
text = "A?"
options = [{ id = "1", label = "Low" }, { id = "3", label = "High" }]
"#;
    assert!(errors_of(doc)[0].contains("going up by one"));
    assert!(errors_of(&doc.replace(r#"id = "3""#, r#"id = "2""#)).is_empty());
}

#[test]
fn show_if_hides_a_chain_when_its_root_changes() {
    let survey = builtin();
    let pos = |id| survey.position(id).unwrap();
    let mut answers = BTreeMap::new();
    answers.insert("used_online".to_string(), Answer::Choice("yes".into()));
    answers.insert("use_again".to_string(), Answer::Choice("no".into()));
    let shown = visibility(survey.questions(), &answers);
    assert!(shown[pos("use_again")] && shown[pos("why_not_again")]);
    assert!(!shown[pos("why_not_online")]);

    // Changing the first answer hides the follow-up and the follow-up's follow-up, even though
    // the stale `use_again` answer is still there.
    answers.insert("used_online".to_string(), Answer::Choice("no".into()));
    let shown = visibility(survey.questions(), &answers);
    assert!(!shown[pos("use_again")] && !shown[pos("why_not_again")]);
    assert!(shown[pos("why_not_online")]);

    let progress = Progress { answers, ..Default::default() };
    let route = Route::new(&survey, &progress);
    assert!(route.answers().all(|(q, _)| q.id != "use_again"));
    assert_eq!(route.next_after(pos("used_online")).unwrap().id, "why_not_online");
    assert_eq!(route.previous_before(pos("internet_use")).unwrap().id, "why_not_online");
}

#[test]
fn route_derives_barriers_from_tagged_answers() {
    let survey = builtin();
    let mut progress = Progress::default();
    progress.answers.insert("used_online".into(), Answer::Choice("no".into()));
    progress.answers.insert(
        "why_not_online".into(),
        Answer::Choices { selected: vec!["no_internet".into(), "scams".into()], other: None },
    );
    progress.answers.insert("confidence_online".into(), Answer::Choice("5".into()));
    let barriers: Vec<_> = Route::new(&survey, &progress).barriers().iter().collect();
    assert_eq!(barriers, vec![Barrier::Confidence, Barrier::Access]);
}

#[test]
fn reads_single_choice_answers() {
    let survey = builtin();
    let q = survey.question("used_online").unwrap();
    assert_eq!(read_answer(q, &fields(&[("answer", "no")])), Ok(Some(Answer::Choice("no".into()))));
    assert_eq!(read_answer(q, &[]).unwrap_err().0, q.error);
    assert!(read_answer(q, &fields(&[("answer", "maybe")])).is_err());
    assert!(read_answer(q, &fields(&[("answer", "yes"), ("answer", "no")])).is_err());
    let optional = survey.question("use_again").unwrap();
    assert_eq!(read_answer(optional, &[]), Ok(None));
}

#[test]
fn reads_multiple_choice_answers_in_survey_order() {
    let survey = builtin();
    let q = survey.question("why_not_online").unwrap();
    let got = read_answer(q, &fields(&[("answer", "scams"), ("answer", "no_internet"), ("answer", "scams")]));
    assert_eq!(got, Ok(Some(Answer::Choices { selected: vec!["no_internet".into(), "scams".into()], other: None })));
    let other = read_answer(q, &fields(&[("answer", "other"), ("other", "  bus \r\n times\u{0}  ")]));
    assert_eq!(other, Ok(Some(Answer::Choices { selected: vec!["other".into()], other: Some("bus \n times".into()) })));
    assert!(read_answer(q, &fields(&[("answer", "cost"), ("other", "text without ticking")])).is_err());
    assert!(read_answer(q, &fields(&[("answer", "nonsense")])).is_err());
}

#[test]
fn exclusive_option_stands_alone() {
    let survey = builtin();
    let q = survey.question("go_online_how").unwrap();
    let err = read_answer(q, &fields(&[("answer", "none"), ("answer", "tablet")])).unwrap_err();
    assert!(err.0.contains("I do not go online"), "{err:?}");
    assert!(read_answer(q, &fields(&[("answer", "none")])).is_ok());
    let age = survey.question("age_band").unwrap();
    assert!(read_answer(age, &fields(&[("answer", PREFER_NOT_TO_SAY)])).is_ok());
}

#[test]
fn text_answers_have_a_limit_counted_in_characters() {
    let survey = builtin();
    let q = survey.question("comments").unwrap();
    let welsh = "ŵ".repeat(MAX_ANSWER_LEN);
    assert!(read_answer(q, &fields(&[("answer", &welsh)])).is_ok());
    let err = read_answer(q, &fields(&[("answer", &format!("{welsh}x"))])).unwrap_err();
    assert_eq!(err.0, "Your answer must be 2,000 characters or fewer");
    assert_eq!(read_answer(q, &fields(&[("answer", "   ")])), Ok(None));
}

#[test]
fn numbers_are_grouped_in_thousands() {
    assert_eq!(thousands(5), "5");
    assert_eq!(thousands(2000), "2,000");
    assert_eq!(thousands(1234567), "1,234,567");
}

#[test]
fn deeply_nested_files_are_refused_before_parsing() {
    let deep = format!("id = {}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert_eq!(errors_of(&deep), ["survey: the file nests lists or tables more than 16 deep"]);
    let json = format!("{{\"id\": {}1{}}}", "[".repeat(50_000), "]".repeat(50_000));
    assert_eq!(errors_of(&json), ["survey: the file nests lists or tables more than 16 deep"]);
    // Brackets in strings and comments are text, not nesting.
    let quoted = format!("{MINIMAL}\n# {}\n", "[".repeat(40));
    assert!(errors_of(&quoted).is_empty());
    let labelled = MINIMAL.replace("label = \"Yes\"", &format!("label = \"Yes {}\"", "[".repeat(40)));
    assert!(errors_of(&labelled).is_empty(), "{:?}", errors_of(&labelled));
}

mod never_panics {
    //! The parser and validator take untrusted files: whatever arrives, they answer with a survey
    //! or with errors, and never panic.
    use super::*;
    use proptest::prelude::*;

    fn id() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("a".to_owned()),
            Just("b".to_owned()),
            Just("yes".to_owned()),
            Just(PREFER_NOT_TO_SAY.to_owned()),
            "[a-z_]{1,8}",
            ".{0,12}",
        ]
    }

    fn option() -> impl Strategy<Value = String> {
        (id(), ".{0,10}", prop::collection::vec(prop_oneof![Just("skills"), Just("access"), Just("wifi")], 0..3), any::<bool>(), any::<bool>())
            .prop_map(|(id, label, barriers, exclusive, other)| {
                format!("{{ id = {id:?}, label = {label:?}, barriers = {barriers:?}, exclusive = {exclusive}, other = {other} }}")
            })
    }

    fn question() -> impl Strategy<Value = String> {
        (
            id(),
            prop_oneof![Just("single"), Just("multiple"), Just("scale"), Just("short_text"), Just("long_text"), Just("essay")],
            ".{0,20}",
            prop::collection::vec(option(), 0..5),
            prop::option::of((id(), prop::collection::vec(id(), 0..3))),
            any::<bool>(),
        )
            .prop_map(|(id, kind, text, options, show_if, prefer)| {
                let rule = show_if.map(|(q, any)| format!("show_if = {{ question = {q:?}, any_of = {any:?} }}\n")).unwrap_or_default();
                format!("[[questions]]\nid = {id:?}\ntype = {kind:?}\ntext = {text:?}\nprefer_not_to_say = {prefer}\n{rule}options = [{}]\n", options.join(", "))
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        #[test]
        fn any_text(text in ".{0,400}") {
            let _ = Survey::from_document(&text);
        }

        #[test]
        fn any_json(text in "\\{[\"a-z:,\\[\\]{} 0-9]{0,200}\\}") {
            let _ = Survey::from_document(&text);
        }

        #[test]
        fn surveys_of_every_shape(slug in id(), questions in prop::collection::vec(question(), 0..6)) {
            let doc = format!("id = {slug:?}\ntitle = \"T\"\nminutes = 3\n{}", questions.join("\n"));
            if let Ok(survey) = Survey::from_document(&doc) {
                // Whatever passes keeps the rules the rest of the app relies on.
                for (i, q) in survey.questions().iter().enumerate() {
                    if let Some(rule) = &q.show_if {
                        prop_assert!(rule.question < i, "show-if rules only look back");
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Languages.

#[test]
fn the_builtin_survey_is_offered_complete_in_welsh_and_easy_read_with_the_same_ids() {
    let survey = std::sync::Arc::new(builtin());
    let tags: Vec<&str> = survey.languages().iter().map(|o| o.language.as_str()).collect();
    assert_eq!(tags, ["en", "cy", "en-x-easyread"]);
    assert_eq!(survey.languages()[1].name, "Cymraeg");
    assert_eq!(survey.missing_translations(), vec![], "every string is translated");
    let cy = survey.translated(survey.offered_language("CY"));
    assert_eq!(cy.language().as_str(), "cy");
    assert_eq!(cy.title(), "Defnyddio gwasanaethau ar-lein y cyngor");
    let used = cy.question("used_online").unwrap();
    assert!(used.text.starts_with("Ydych chi wedi defnyddio"), "{}", used.text);
    assert_eq!(used.option("no").unwrap().label, "Nac ydw");
    // The app's own words inside a question come in Welsh too.
    assert_eq!(
        cy.question("age_band").unwrap().option(PREFER_NOT_TO_SAY).unwrap().label,
        "Mae'n well gennyf beidio â dweud"
    );
    assert_eq!(cy.question("ward").unwrap().option("yarm").unwrap().label, "Yarm");
    // Same questions, options, order and rules: answers are ids whatever the language.
    let ids = |s: &Survey| {
        s.questions()
            .iter()
            .map(|q| (q.id.clone(), q.options.iter().map(|o| o.id.clone()).collect::<Vec<_>>(), q.show_if.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&cy), ids(&survey));
    // A language not offered, or nonsense, is the survey's own.
    assert_eq!(survey.offered_language("pl"), None);
    assert_eq!(survey.offered_language("<script>"), None);
    assert_eq!(survey.translated(None).title(), survey.title());
}

const IN_WELSH: &str = r#"
[translations.cy]
title = "Teitl"
[translations.cy.questions.a]
text = "A?"
options = { yes = "Ie", no = "Na" }
"#;

#[test]
fn an_english_only_definition_is_offered_in_english_alone() {
    let survey = Survey::from_document(MINIMAL).unwrap();
    assert_eq!(survey.languages().len(), 1);
    assert_eq!(survey.language().as_str(), "en");
    assert!(survey.missing_translations().is_empty());
    assert!(!toml::to_string(survey.definition()).unwrap().contains("translations"), "written back as it was");
}

#[test]
fn a_translation_of_something_the_survey_does_not_have_is_refused_naming_language_and_question() {
    let cases = [
        ("[translations.\"en_GB!\"]\ntitle = \"x\"", "translation `en_GB!`: not a language tag"),
        ("[translations.en]\ntitle = \"x\"", "this is the survey's own language"),
        ("[translations.cy.questions.b]\ntext = \"B?\"", "translation `cy`: there is no question `b`"),
        (
            "[translations.cy.questions.a]\noptions = { maybe = \"Efallai\" }",
            "question `a`: translation `cy`: there is no option `maybe`",
        ),
        ("[translations.cy.questions.a]\ntext = \"\"", "question `a`: translation `cy`: text cannot be empty"),
        ("[translations.cy]\ncolour = \"x\"", "unknown field `colour`"),
        (
            "[[questions]]\nid = \"b\"\ntype = \"single\"\ntext = \"B?\"\noptions = [{ id = \"y\", label = \"Y\", picture = \"../x\" }, { id = \"n\", label = \"N\" }]",
            "option `y`: there is no picture `../x`; the pictures are computer, cost",
        ),
    ];
    for (extra, expected) in cases {
        let errors = errors_of(&format!("{MINIMAL}\n{extra}"));
        assert!(errors.iter().any(|e| e.contains(expected)), "{extra}: {errors:?}");
    }
    assert!(
        errors_of(&format!("language = \"nonsense tag\"\n{MINIMAL}"))
            .iter()
            .any(|e| e.contains("language `nonsense tag`"))
    );
}

#[test]
fn what_a_translation_leaves_out_is_listed_and_shown_in_the_survey_language() {
    let survey = Survey::from_document(&format!("{MINIMAL}\n{IN_WELSH}")).unwrap();
    assert!(survey.missing_translations().is_empty(), "{:?}", survey.missing_translations());
    let partial = IN_WELSH.replace(", no = \"Na\"", "");
    let survey = std::sync::Arc::new(Survey::from_document(&format!("{MINIMAL}\n{partial}")).unwrap());
    let missing = survey.missing_translations();
    assert_eq!(missing.len(), 1);
    assert_eq!(missing[0].0.as_str(), "cy");
    assert_eq!(missing[0].1, vec!["question `a`: option `no`".to_owned()]);
    let cy = survey.translated(survey.offered_language("cy"));
    assert_eq!(cy.question("a").unwrap().option("yes").unwrap().label, "Ie");
    assert_eq!(cy.question("a").unwrap().option("no").unwrap().label, "No", "the survey's own words for the gap");
    assert_eq!(cy.question("a").unwrap().error, "Dewiswch ateb", "the app's words in Welsh");
}

#[test]
fn every_language_survives_a_round_trip_through_toml_and_json() {
    let survey = builtin();
    let toml_text = toml::to_string(survey.definition()).unwrap();
    let json_text = serde_json::to_string(survey.definition()).unwrap();
    for text in [toml_text, json_text] {
        let again = Survey::from_document(&text).unwrap();
        assert_eq!(again.definition(), survey.definition());
        assert_eq!(again.languages(), survey.languages());
    }
}

#[test]
fn answers_read_back_from_their_fields_unchanged() {
    // The outreach device keeps answers as the fields the server reads them from: every kind,
    // with "Something else" words, must come back the same.
    let survey = builtin();
    let mut answers = BTreeMap::new();
    answers.insert("used_online".to_string(), Answer::Choice("no".into()));
    answers.insert(
        "why_not_online".to_string(),
        Answer::Choices { selected: vec!["cost".into(), "other".into()], other: Some("Too old".into()) },
    );
    answers.insert("comments".to_string(), Answer::Text("Line one\nline two".into()));
    let fields: Vec<(String, String)> =
        survey.questions().iter().filter_map(|q| answers.get(&q.id).map(|a| fields_of(q, a))).flatten().collect();
    let read = read_all(survey.questions(), &fields).unwrap();
    assert_eq!(read.answers, answers);
    // And an answer the rules hide is refused, not dropped.
    let mut hidden = fields.clone();
    hidden.push(("use_again".into(), "yes".into()));
    let (_, problems) = read_all(survey.questions(), &hidden).unwrap_err();
    assert_eq!(problems[0].question_id, "use_again");
}

const TYPED: &str = r#"
id = "s"
title = "T"
minutes = 1
[[questions]]
id = "age"
type = "whole_number"
text = "How old are you?"
min = 16
max = 120
[[questions]]
id = "spend"
type = "decimal"
text = "How much do you spend on data a month?"
min = 0
[[questions]]
id = "moved"
type = "date"
text = "When did you move here?"
dates = "past"
[[questions]]
id = "about"
type = "note"
text = "The next questions are about the internet at home."
[[questions]]
id = "appointment"
type = "date"
text = "When is your appointment?"
dates = "future"
"#;

#[test]
fn numbers_are_read_as_people_write_them_and_kept_one_way() {
    let survey = Survey::from_document(TYPED).unwrap();
    let age = survey.question("age").unwrap();
    let read = |q: &Question, v: &str| read_answer(q, &fields(&[("answer", v)]));
    assert_eq!(read(age, " 42 "), Ok(Some(Answer::Text("42".into()))));
    assert_eq!(read(age, "42.0"), Ok(Some(Answer::Text("42".into()))));
    assert_eq!(read(age, ""), Ok(None));
    for bad in ["forty", "42.5", "4 2x", "1e2", "inf", "NaN", "-", ".", "1.2.3", "--4", "+4"] {
        assert_eq!(read(age, bad).unwrap_err().0, "Enter a whole number, like 12", "{bad}");
    }
    assert_eq!(read(age, "15").unwrap_err().0, "Enter a number from 16 to 120");
    assert_eq!(read(age, "121").unwrap_err().0, "Enter a number from 16 to 120");
    let spend = survey.question("spend").unwrap();
    assert_eq!(read(spend, "1,200.50"), Ok(Some(Answer::Text("1200.5".into()))));
    assert_eq!(read(spend, "-0"), Ok(Some(Answer::Text("0".into()))));
    assert_eq!(read(spend, "0.1"), Ok(Some(Answer::Text("0.1".into()))));
    assert_eq!(read(spend, "-1").unwrap_err().0, "Enter a number of 0 or more");
    assert_eq!(read(spend, "1234567890123456").unwrap_err().0, "Enter a number, like 12 or 2.5", "16 digits");
    assert!(read(spend, "123456789012345").is_ok(), "15 digits");
}

#[test]
fn dates_come_from_three_boxes_or_one_value_and_keep_their_limits() {
    let survey = Survey::from_document(TYPED).unwrap();
    let moved = survey.question("moved").unwrap();
    let boxes = |d: &str, m: &str, y: &str| read_answer(moved, &fields(&[("answer", d), ("answer", m), ("answer", y)]));
    assert_eq!(boxes("27", "3", "2007"), Ok(Some(Answer::Text("2007-03-27".into()))));
    assert_eq!(boxes(" 1 ", "Mar", "2020"), Ok(Some(Answer::Text("2020-03-01".into()))));
    assert_eq!(boxes("6", "december", "2026"), Ok(Some(Answer::Text("2026-12-06".into()))), "today is in the past");
    assert_eq!(boxes("", "", ""), Ok(None));
    assert_eq!(boxes("27", "", "2007").unwrap_err().0, "Enter the day, the month and the year");
    assert_eq!(boxes("29", "2", "2023").unwrap_err().0, "Enter a real date, like 27 3 2007");
    assert_eq!(boxes("29", "2", "2024"), Ok(Some(Answer::Text("2024-02-29".into()))));
    for (d, m, y) in
        [("32", "1", "2000"), ("1", "13", "2000"), ("1", "1", "99"), ("x", "1", "2000"), ("1", "ma", "2000")]
    {
        assert_eq!(boxes(d, m, y).unwrap_err().0, "Enter a real date, like 27 3 2007", "{d} {m} {y}");
    }
    assert_eq!(boxes("7", "12", "2026").unwrap_err().0, "Enter today's date or a date in the past");
    let one = |v: &str| read_answer(moved, &fields(&[("answer", v)]));
    assert_eq!(one("2007-03-27"), Ok(Some(Answer::Text("2007-03-27".into()))), "as the downloads write it");
    assert_eq!(one("27/3/2007"), Ok(Some(Answer::Text("2007-03-27".into()))), "as people write it");
    let appointment = survey.question("appointment").unwrap();
    let later = read_answer(appointment, &fields(&[("answer", "5"), ("answer", "12"), ("answer", "2026")]));
    assert_eq!(later.unwrap_err().0, "Enter today's date or a date in the future");
    // What was typed comes back to its boxes beside the error.
    let kept = keep_input(moved, &fields(&[("answer", "32"), ("answer", "1/"), ("answer", "2000")])).unwrap();
    assert_eq!(kept, Answer::Text("32/1/2000".into()));
    let Answer::Text(kept) = kept else { unreachable!() };
    assert_eq!(typed::date_parts(&kept), ["32".to_owned(), "1".into(), "2000".into()]);
    assert_eq!(typed::date_parts("2007-03-27"), ["27".to_owned(), "3".into(), "2007".into()]);
    assert_eq!(Answer::Text("2007-03-27".into()).describe(moved), vec!["27/03/2007".to_owned()]);
}

#[test]
fn a_note_asks_nothing_and_the_whole_survey_reads_back_what_it_wrote() {
    let survey = Survey::from_document(TYPED).unwrap();
    let note = survey.question("about").unwrap();
    assert_eq!(read_answer(note, &fields(&[("answer", "anything")])), Ok(None));
    let answers: BTreeMap<String, Answer> = [("age", "42"), ("spend", "12.5"), ("moved", "2007-03-27")]
        .into_iter()
        .map(|(q, v)| (q.to_owned(), Answer::Text(v.to_owned())))
        .collect();
    let written: Vec<(String, String)> =
        survey.questions().iter().filter_map(|q| answers.get(&q.id).map(|a| fields_of(q, a))).flatten().collect();
    assert_eq!(read_all(survey.questions(), &written).unwrap().answers, answers);
}

#[test]
fn number_and_date_questions_are_checked_when_the_survey_is_read() {
    let with = |extra: &str| errors_of(&format!("{MINIMAL}\n[[questions]]\nid = \"b\"\ntext = \"B?\"\n{extra}"));
    assert_eq!(with("type = \"whole_number\"\nmin = 5\nmax = 1"), vec!["question `b`: min must not be more than max"]);
    assert_eq!(
        with("type = \"whole_number\"\nmin = 1.5"),
        vec!["question `b`: a whole_number question's min and max must be whole numbers"]
    );
    assert_eq!(
        with("type = \"short_text\"\nmax = 3"),
        vec!["question `b`: only whole_number and decimal questions can set min and max"]
    );
    assert_eq!(
        with(
            "type = \"single\"\ndates = \"past\"\noptions = [{ id = \"x\", label = \"X\" }, { id = \"y\", label = \"Y\" }]"
        ),
        vec!["question `b`: only date questions can set dates"]
    );
    assert_eq!(
        with("type = \"note\"\nrequired = true"),
        vec!["question `b`: a note asks for nothing: it cannot be required or have an error message"]
    );
    assert!(with("type = \"date\"\ndates = \"sometime\"").iter().any(|e| e.contains("not valid TOML")));
    let note_first =
        "id = \"s\"\ntitle = \"T\"\nminutes = 1\n[[questions]]\nid = \"hello\"\ntype = \"note\"\ntext = \"Hello\"\n";
    assert_eq!(
        errors_of(&format!("{note_first}{}", MINIMAL.split_once("minutes = 1\n").unwrap().1)),
        vec!["question `hello`: a note cannot come first: put words for before the first question in the introduction"]
    );
    assert_eq!(with("type = \"decimal\"\nmin = -2.5\nmax = 2.5"), Vec::<String>::new());
}

#[test]
fn a_welsh_translation_gives_welsh_messages_for_numbers_and_dates() {
    let doc = format!("{TYPED}\n[translations.cy]\ntitle = \"T\"\n");
    let survey = Survey::from_document(&doc).unwrap();
    let welsh = survey.in_language(Some(&crate::i18n::Language::parse("cy").unwrap()));
    let age = welsh.question("age").unwrap();
    assert_eq!(read_answer(age, &fields(&[("answer", "200")])).unwrap_err().0, "Rhowch rif rhwng 16 a 120");
    let moved = welsh.question("moved").unwrap();
    let err = read_answer(moved, &fields(&[("answer", "1"), ("answer", ""), ("answer", "2000")])).unwrap_err();
    assert_eq!(err.0, "Rhowch y diwrnod, y mis a'r flwyddyn");
}

/// A postcode question that fills the ward question (the lookup's tests read it too).
pub(super) const POSTCODE: &str = r#"
id = "s"
title = "T"
minutes = 1
[[questions]]
id = "postcode"
type = "postcode"
text = "What is your postcode?"
fills = "ward"
[[questions]]
id = "ward"
type = "single"
text = "Ward?"
options = [{ id = "stockton_town_centre", label = "Stockton Town Centre" }, { id = "e05012345", label = "Norton North" }]
"#;

#[test]
fn a_postcode_keeps_its_sector_or_nothing_never_the_whole() {
    let survey = Survey::from_document(POSTCODE).unwrap();
    let q = survey.question("postcode").unwrap();
    assert_eq!(read_answer(q, &fields(&[("answer", "ts18 1au")])), Ok(Some(Answer::Text("TS18 1".into()))));
    assert_eq!(read_answer(q, &fields(&[("answer", "TS18")])).unwrap_err().0, "Enter a full postcode, like TS18 1AU");
    // Its sector, read back as kept (an entry checked again, a download imported).
    assert_eq!(read_answer(q, &fields(&[("answer", "TS18 1")])), Ok(Some(Answer::Text("TS18 1".into()))));
    assert_eq!(typed::sector("ts18 1"), Some("TS18 1".into()));
    assert_eq!(typed::sector("TS18 12"), None);
    let ward_only = Survey::from_document(&POSTCODE.replace("fills =", "keep = \"ward\"\nfills =")).unwrap();
    let q = ward_only.question("postcode").unwrap();
    assert_eq!(read_answer(q, &fields(&[("answer", "TS18 1AU")])), Ok(Some(Answer::Text(String::new()))));
    let errors = |from: &str, to: &str| errors_of(&POSTCODE.replace(from, to));
    assert_eq!(
        errors("fills = \"ward\"", "keep = \"ward\""),
        vec!["question `postcode`: keep = \"ward\" keeps nothing of the postcode: say which ward question it fills"]
    );
    assert_eq!(
        errors("fills = \"ward\"", "fills = \"ward\"\nkeep = \"ward\"\nrequired = true"),
        vec![
            "question `postcode`: a postcode that is not kept cannot be required: residents who would rather not give it choose their ward"
        ]
    );
    assert_eq!(
        errors("fills = \"ward\"", "fills = \"postcode\""),
        vec!["question `postcode`: fills names `postcode`, which is not a later question with one answer"]
    );
    assert_eq!(
        errors("text = \"Ward?\"", "text = \"Ward?\"\nkeep = \"sector\""),
        vec!["question `ward`: only postcode questions can set keep and fills"]
    );
}
