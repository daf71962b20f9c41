//! Everything publishable about random small surveys, read by [`crate::insight::audit`]: no
//! held-back figure can be narrowed to one value from all the rest, whichever cross-tabs a reader
//! collects beside the headline figures.

use super::*;
use crate::insight::audit::Reader;
use crate::survey::measures::{Measure, Rule};
use crate::survey::{Barriers, CHANNELS, channel_label};
use proptest::prelude::*;

const SURVEY: &str = r#"
id = "s"
title = "T"
minutes = 1
[[questions]]
id = "used"
type = "single"
text = "Used?"
options = [{ id = "yes", label = "Yes" }, { id = "no", label = "No", barriers = ["access"] }, { id = "unsure", label = "Unsure", barriers = ["skills"] }]
[[questions]]
id = "again"
type = "single"
text = "Again?"
show_if = { question = "used", any_of = ["yes"] }
options = [{ id = "yes", label = "Yes" }, { id = "no", label = "No", barriers = ["confidence"] }, { id = "unsure", label = "Unsure" }]
[[questions]]
id = "why"
type = "multiple"
text = "Why?"
show_if = { question = "again", any_of = ["no", "unsure"] }
options = [{ id = "hard", label = "Hard", barriers = ["skills"] }, { id = "safe", label = "Safe", barriers = ["confidence"] }]
[[questions]]
id = "ward"
type = "single"
section = "About you"
text = "Ward?"
options = [{ id = "a", label = "A" }, { id = "b", label = "B" }]
"#;

/// Two measures scored from the survey's questions as the national ones are from theirs: by one
/// answer, and by ticking every one of several.
const MEASURES: [Measure; 2] = [
    Measure {
        key: "#score:not_used:1",
        id: "not_used",
        name: "Has not used",
        framework: "Test",
        version: "1",
        question_id: "used",
        rule: Rule::Gave("no"),
    },
    Measure {
        key: "#score:both:1",
        id: "both",
        name: "Finds it hard and unsafe",
        framework: "Test",
        version: "1",
        question_id: "why",
        rule: Rule::AllOf(&["hard", "safe"]),
    },
];

/// One kind of respondent: how they answered, and what every figure could break them down by.
#[derive(Debug, Clone)]
struct Type {
    channel: &'static str,
    /// (question, options chosen); a question not shown or not answered is not listed.
    answers: Vec<(&'static str, Vec<&'static str>)>,
    shown: Vec<&'static str>,
}

impl Type {
    fn chose(&self, question: &str, option: &str) -> bool {
        self.answers.iter().any(|(q, o)| *q == question && o.contains(&option))
    }

    fn answered(&self, question: &str) -> bool {
        self.answers.iter().any(|(q, _)| *q == question)
    }

    fn met(&self, measure: &Measure) -> bool {
        match measure.rule {
            Rule::Gave(option) => self.chose(measure.question_id, option),
            Rule::AllOf(options) => options.iter().all(|o| self.chose(measure.question_id, o)),
        }
    }

    /// Whether this type is counted in `question`'s row `row`: an option it chose, or the band or
    /// month its number or date falls in.
    fn gives(&self, survey: &Survey, question: &str, row: &str) -> bool {
        let q = survey.question(question).unwrap();
        if !q.kind.is_value() {
            return self.chose(question, row);
        }
        self.answers.iter().any(|(id, value)| *id == question && row_of(q, value[0]) == row)
    }

    fn barriers(&self, survey: &Survey) -> Barriers {
        let mut set = Barriers::from_bits(0);
        for (q, options) in &self.answers {
            // A number or a date shows no barrier.
            for o in options.iter().filter_map(|o| survey.question(q).unwrap().option(o)) {
                o.barriers.iter().for_each(|b| set.insert(b));
            }
        }
        set
    }
}

/// The row a number or date answer is counted in, as the results count it.
fn row_of(q: &crate::survey::Question, value: &str) -> String {
    let one = question_summary(q, 1, 1, |_| 0, &[(value.to_owned(), 1)]);
    one.rows.into_iter().find(|r| r.count == Cell::Count(1) && r.id != "no_answer").expect("a row").id
}

/// Every kind of respondent the survey can have.
fn types() -> Vec<Type> {
    let channels = ["web", "phone", "paper"];
    let mut all = Vec::new();
    for channel in channels {
        for ward in [None, Some("a"), Some("b")] {
            for used in [None, Some("yes"), Some("no"), Some("unsure")] {
                let mut paths: Vec<(Vec<(&str, Vec<&str>)>, Vec<&str>)> = Vec::new();
                if used == Some("yes") {
                    for again in [None, Some("yes"), Some("no"), Some("unsure")] {
                        let whys: Vec<Option<Vec<&str>>> = if matches!(again, Some("no" | "unsure")) {
                            vec![None, Some(vec!["hard"]), Some(vec!["safe"]), Some(vec!["hard", "safe"])]
                        } else {
                            vec![None]
                        };
                        for why in whys {
                            let mut answers = vec![("used", vec!["yes"])];
                            let mut shown = vec!["used", "ward", "again"];
                            if let Some(a) = again {
                                answers.push(("again", vec![a]));
                            }
                            if matches!(again, Some("no" | "unsure")) {
                                shown.push("why");
                            }
                            if let Some(w) = why {
                                answers.push(("why", w));
                            }
                            paths.push((answers, shown));
                        }
                    }
                } else {
                    paths.push((used.map(|u| vec![("used", vec![u])]).unwrap_or_default(), vec!["used", "ward"]));
                }
                for (mut answers, shown) in paths {
                    if let Some(w) = ward {
                        answers.push(("ward", vec![w]));
                    }
                    all.push(Type { channel, answers, shown });
                }
            }
        }
    }
    all
}

/// What the database would count for the respondents `counts` (by type), restricted to the
/// types `within` selects: each question's summary, as `summarise` and `crosstab` give it.
fn summaries(survey: &Survey, types: &[Type], counts: &[i64], within: impl Fn(&Type) -> bool) -> Vec<QuestionSummary> {
    let sum = |f: &dyn Fn(&Type) -> bool| {
        types.iter().zip(counts).filter(|(t, _)| within(t) && f(t)).map(|(_, n)| n).sum::<i64>()
    };
    survey
        .questions()
        .iter()
        .map(|q| {
            let id = q.id.as_str();
            let base = sum(&|t| t.shown.contains(&id));
            let answered = sum(&|t| t.answered(id));
            if q.kind.is_value() {
                let mut values: Vec<(String, i64)> = Vec::new();
                for (t, n) in types.iter().zip(counts).filter(|(t, n)| **n > 0 && within(t)) {
                    let Some((_, value)) = t.answers.iter().find(|(q, _)| *q == id) else { continue };
                    values.push((value[0].to_owned(), *n));
                }
                return question_summary(q, base, answered, |_| 0, &values);
            }
            let mut rows: Vec<OptionRow> = q
                .options
                .iter()
                .map(|o| OptionRow {
                    id: o.id.clone(),
                    label: o.label.clone(),
                    count: Cell::Count(sum(&|t| t.chose(id, &o.id))),
                })
                .collect();
            rows.push(OptionRow {
                id: "no_answer".into(),
                label: "No answer".into(),
                count: Cell::Count(base - answered),
            });
            QuestionSummary {
                id: q.id.clone(),
                text: q.text.clone(),
                kind: q.kind,
                base: Cell::Count(base),
                rows,
                note: None,
                middle: None,
            }
        })
        .collect()
}

fn profile_of(survey: &Survey, types: &[Type], counts: &[i64]) -> Profile {
    let everyone: i64 = counts.iter().sum();
    let mut by_channel: Vec<(String, i64)> = ["web", "phone", "paper"]
        .iter()
        .map(|c| (c.to_string(), types.iter().zip(counts).filter(|(t, _)| t.channel == *c).map(|(_, n)| n).sum()))
        .filter(|(_, n)| *n > 0)
        .collect();
    by_channel.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut sets: Vec<(Vec<Barrier>, i64)> = Vec::new();
    for (t, n) in types.iter().zip(counts).filter(|(_, n)| **n > 0) {
        let members: Vec<Barrier> = t.barriers(survey).iter().collect();
        if members.is_empty() {
            continue;
        }
        match sets.iter_mut().find(|(s, _)| *s == members) {
            Some((_, total)) => *total += n,
            None => sets.push((members, *n)),
        }
    }
    sets.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let one = |label: &str| if everyone > 0 { vec![(label.to_owned(), Cell::Count(everyone))] } else { vec![] };
    Profile {
        respondents: Cell::Count(everyone),
        by_channel: by_channel.into_iter().map(|(c, n)| (channel_label(&c), Cell::Count(n))).collect(),
        by_location: one("No location recorded"),
        by_language: one("en"),
        by_week: one("2026-11-23"),
        barriers: Barrier::ALL
            .iter()
            .map(|b| (*b, Cell::Count(sets.iter().filter(|(s, _)| s.contains(b)).map(|(_, n)| n).sum())))
            .collect(),
        two_or_more: Cell::Count(sets.iter().filter(|(s, _)| s.len() >= 2).map(|(_, n)| n).sum()),
        combinations: sets.into_iter().map(|(s, n)| (s, Cell::Count(n))).collect(),
    }
}

fn cube_of(survey: &Survey, types: &[Type], counts: &[i64], by: &str) -> Vec<(String, Vec<Column>)> {
    let groups: Vec<(String, String)> = match by {
        "channel" => CHANNELS
            .iter()
            .map(|(id, label)| (*id, *label))
            .chain([("web", "Online, on their own")])
            .map(|(i, l)| (i.to_owned(), l.to_owned()))
            .collect(),
        _ => survey.question(by).unwrap().options.iter().map(|o| (o.id.clone(), o.label.clone())).collect(),
    };
    let columns: Vec<Vec<QuestionSummary>> = groups
        .iter()
        .map(|(id, _)| {
            summaries(survey, types, counts, |t| if by == "channel" { t.channel == id } else { t.chose(by, id) })
        })
        .collect();
    survey
        .questions()
        .iter()
        .enumerate()
        .map(|(q, question)| {
            let cols = groups
                .iter()
                .zip(&columns)
                .map(|((id, label), s)| Column { id: id.clone(), label: label.clone(), summary: s[q].clone() })
                .collect();
            (question.id.clone(), cols)
        })
        .collect()
}

/// Which types a figure counts, from what it is: `question`'s `row` (or base) among `within`.
fn counted(
    survey: &Survey,
    types: &[Type],
    within: &dyn Fn(&Type) -> bool,
    question: &str,
    row: Option<&str>,
) -> Vec<usize> {
    types
        .iter()
        .enumerate()
        .filter(|(_, t)| within(t))
        .filter(|(_, t)| match row {
            None => t.shown.contains(&question),
            Some("no_answer") => t.shown.contains(&question) && !t.answered(question),
            Some(row) => t.gives(survey, question, row),
        })
        .map(|(i, _)| i)
        .collect()
}

/// Everything publishable, as a reader has it: the headline figures and every cross-tab.
fn read_all(
    survey: &Survey,
    types: &[Type],
    summary: &Summary,
    profile: &Profile,
    cubes: &[(&str, Vec<(String, Vec<Column>)>)],
) -> Reader {
    let mut reader = Reader::new(types.len());
    let value = |c: Cell| match c {
        Cell::Count(n) => Some(n),
        Cell::Suppressed => None,
    };
    let all: Vec<usize> = (0..types.len()).collect();
    reader.read("respondents", all.clone(), value(profile.respondents));
    // Channels nobody came through are not listed, so someone came through each one that is.
    for (label, n) in &profile.by_channel {
        let channel = ["web", "phone", "paper"].into_iter().find(|c| channel_label(c) == *label).unwrap();
        let of: Vec<usize> = (0..types.len()).filter(|i| types[*i].channel == channel).collect();
        reader.knows_someone_in(of.clone());
        reader.read(format!("channel {channel}"), of, value(*n));
    }
    for rows in [&profile.by_location, &profile.by_language, &profile.by_week] {
        for (label, n) in rows {
            reader.knows_someone_in(all.clone());
            reader.read(label.clone(), all.clone(), value(*n));
        }
    }
    let sets: Vec<Vec<Barrier>> = types.iter().map(|t| t.barriers(survey).iter().collect()).collect();
    for (b, n) in &profile.barriers {
        reader.read(format!("barrier {b}"), (0..types.len()).filter(|i| sets[*i].contains(b)).collect(), value(*n));
    }
    // Not published at all (see `headline`): nothing to read.
    if !profile.combinations.is_empty() {
        reader.read(
            "two or more",
            (0..types.len()).filter(|i| sets[*i].len() >= 2).collect(),
            value(profile.two_or_more),
        );
    }
    for (set, n) in &profile.combinations {
        reader.read(format!("combination {set:?}"), (0..types.len()).filter(|i| sets[*i] == *set).collect(), value(*n));
    }
    let everyone = |_: &Type| true;
    let questions = |reader: &mut Reader, group: &str, within: &dyn Fn(&Type) -> bool, q: &QuestionSummary| {
        reader.read(format!("{group}{} base", q.id), counted(survey, types, within, &q.id, None), value(q.base));
        // A date's months and a number's bands by size are listed only when someone gave one.
        let listed = group.is_empty() && survey.question(&q.id).is_some_and(values::rows_only_when_given);
        for r in &q.rows {
            let of = counted(survey, types, within, &q.id, Some(&r.id));
            if listed && r.id != "no_answer" {
                reader.knows_someone_in(of.clone());
            }
            reader.read(format!("{group}{} {}", q.id, r.id), of, value(r.count));
        }
    };
    for q in &summary.questions {
        questions(&mut reader, "", &everyone, q);
    }
    for s in &summary.scores {
        let (m, of) = (s.measure, |f: &dyn Fn(&Type) -> bool| (0..types.len()).filter(|i| f(&types[*i])).collect());
        reader.read(format!("{} met", m.id), of(&|t| t.met(m)), value(s.met));
        reader.read(format!("{} base", m.id), of(&|t| t.answered(m.question_id)), value(s.base));
    }
    for (by, cube) in cubes {
        for (_, columns) in cube {
            for c in columns {
                let within = |t: &Type| if *by == "channel" { t.channel == c.id } else { t.chose(by, &c.id) };
                questions(&mut reader, &format!("{by}={}: ", c.id), &within, &c.summary);
            }
        }
    }
    reader
}

/// The measures scored among the types `within` selects, as `summarise` counts them.
fn scores_of(within: &dyn Fn(&Type) -> bool, types: &[Type], counts: &[i64]) -> Vec<Score> {
    let sum = |f: &dyn Fn(&Type) -> bool| {
        types.iter().zip(counts).filter(|(t, _)| within(t) && f(t)).map(|(_, n)| n).sum::<i64>()
    };
    MEASURES
        .iter()
        .map(|measure| Score {
            measure,
            met: Cell::Count(sum(&|t| t.met(measure))),
            base: Cell::Count(sum(&|t| t.answered(measure.question_id))),
        })
        .filter(|s| s.base.value() > 0)
        .collect()
}

fn publish_all(
    survey: &Survey,
    types: &[Type],
    counts: &[i64],
    by: &[&'static str],
) -> (Summary, Profile, Vec<(&'static str, Vec<(String, Vec<Column>)>)>) {
    let mut summary = Summary {
        respondents: counts.iter().sum(),
        questions: summaries(survey, types, counts, |_| true),
        scores: scores_of(&|_| true, types, counts),
    };
    let mut profile = profile_of(survey, types, counts);
    let head = headline(survey, &mut summary, &mut profile, 5);
    let cubes = by
        .iter()
        .copied()
        .map(|by| {
            let mut cube = cube_of(survey, types, counts, by);
            let how = if by == "channel" {
                Across::Profile { name: "channel", covers_all: true }
            } else {
                Across::Answer("ward")
            };
            let mut groups = GroupFigures::default();
            for c in &cube[0].1 {
                let within = |t: &Type| if by == "channel" { t.channel == c.id } else { t.chose(by, &c.id) };
                let sum = |f: &dyn Fn(&Type) -> bool| {
                    types.iter().zip(counts).filter(|(t, _)| within(t) && f(t)).map(|(_, n)| n).sum::<i64>()
                };
                groups
                    .barriers
                    .push(Barrier::ALL.iter().map(|b| (*b, sum(&|t| t.barriers(survey).contains(*b)))).collect());
                groups.scores.push(scores_of(&within, types, counts));
            }
            across(survey, &head, how, &mut cube, &groups, 5);
            (by, cube)
        })
        .collect();
    (summary, profile, cubes)
}

use super::super::summary::{OptionRow, question_summary};
use super::super::values;

proptest! {
    // It found, and led to fixing: held zeros a reader could work out, channels left out of the
    // headline, the group who gave no answer, barrier counts beside held answers, each group's
    // barrier counts (never shown, but a reader bounds them by the survey's flow, and a barrier
    // shown by two answers someone can give together says how many gave both), a barrier's count
    // held in the headline that a reader works out anyway (a cube tried to unpin it by holding
    // thousands of figures), a figure pinned by a published one some relations away, figures held
    // as companions never audited, a count over the threshold shown and then held again, and an
    // audit that stopped when the zeros it showed matched the companions it held (a ward's "yes",
    // held as the base of its follow-up after the sweep had passed it, was never audited).
    // 128 cases here; 1,000 passed once (174 s in a debug build).
    #![proptest_config(ProptestConfig { cases: 128, max_shrink_iters: 64, ..ProptestConfig::default() })]
    /// Random small surveys (most types nobody, the rest 1 to 12 people): every small count is
    /// held back, and no held-back figure can be worked out from everything published.
    #[test]
    fn nothing_held_back_can_be_worked_out(seed in proptest::collection::vec((0u8..10, 1i64..13), 117)) {
        let counts = seed.iter().map(|(p, n)| if *p < 8 { 0 } else { *n }).collect();
        check(SURVEY, &types(), counts, &["channel", "ward"])?;
    }

    /// The same with numbers and dates, whose bands by size and months are listed only when
    /// someone gave one (so a listed row held back is at least 1), beside channels, listed so too.
    #[test]
    fn nothing_held_back_of_numbers_and_dates_can_be_worked_out(seed in proptest::collection::vec((0u8..100, 1i64..4), 75)) {
        // Sparser and smaller: most rows 1 to 3, so that held rows add up to as many as there are.
        let counts = seed.iter().map(|(p, n)| if *p < 92 { 0 } else { *n }).collect();
        check(VALUES, &value_types(), counts, &[])?;
    }
}

/// Publishes the survey `document` for `counts` respondents of each type, with cubes by each of
/// `by`: every small count is held back, and no held-back figure can be worked out from the
/// headline figures with each cube.
fn check(document: &str, types: &[Type], counts: Vec<i64>, by: &[&'static str]) -> Result<(), TestCaseError> {
    let survey = Survey::from_document(document).unwrap();
    prop_assert_eq!(types.len(), counts.len());
    let (summary, profile, cubes) = publish_all(&survey, types, &counts, by);
    let views: Vec<&[(&str, Vec<(String, Vec<Column>)>)]> =
        if cubes.is_empty() { vec![&[]] } else { cubes.iter().map(std::slice::from_ref).collect() };
    for view in views {
        let reader = read_all(&survey, types, &summary, &profile, view);
        for (figure, range) in reader.held_ranges() {
            prop_assert!(!range.is_single_value(), "held figure {} is pinned: {:?}", reader.name(figure), range);
        }
    }
    // And nothing small is published.
    let columns = cubes.iter().flat_map(|(_, c)| c.iter().flat_map(|(_, cols)| cols.iter().map(|c| &c.summary)));
    for q in summary.questions.iter().chain(columns) {
        for cell in std::iter::once(q.base).chain(q.rows.iter().map(|r| r.count)) {
            prop_assert!(!matches!(cell, Cell::Count(n) if n > 0 && n < 5), "{} shows a small count: {:?}", q.id, q);
        }
    }
    for s in &summary.scores {
        if let (Cell::Count(met), Cell::Count(base)) = (s.met, s.base) {
            prop_assert!(
                !(1..5).contains(&met) && !(1..5).contains(&(base - met)),
                "{} shows a small group: {:?}",
                s.measure.id,
                s
            );
        }
    }
    Ok(())
}

/// A number without limits (shown in bands by size) and a date (by month).
const VALUES: &str = r#"
id = "v"
title = "T"
minutes = 1
[[questions]]
id = "age"
type = "whole_number"
text = "Age?"
[[questions]]
id = "moved"
type = "date"
text = "When did you move here?"
"#;

/// Every kind of respondent of [`VALUES`]: a channel, perhaps an age (in four bands by size) and
/// perhaps a day (in three months).
fn value_types() -> Vec<Type> {
    let mut all = Vec::new();
    for channel in ["web", "phone", "paper"] {
        for age in [None, Some("0"), Some("7"), Some("42"), Some("420")] {
            for moved in [None, Some("2026-01-15"), Some("2026-02-03"), Some("2026-02-20"), Some("2026-03-15")] {
                let answers =
                    [("age", age), ("moved", moved)].into_iter().filter_map(|(q, v)| Some((q, vec![v?]))).collect();
                all.push(Type { channel, answers, shown: vec!["age", "moved"] });
            }
        }
    }
    all
}

/// The seed borough's follow-up: 35 happy to use the services again, 15 not, 1 no answer. Held
/// back alone, the 1 and the 15 would be given away by the follow-up's base (15 shown "why not").
#[test]
fn a_follow_up_base_is_held_with_the_answers_that_open_it() {
    let survey = Survey::from_document(SURVEY).unwrap();
    let types = types();
    let mut counts = vec![0; types.len()];
    let of = |f: &dyn Fn(&Type) -> bool| {
        types.iter().position(|t| t.channel == "phone" && !t.answered("ward") && f(t)).unwrap()
    };
    counts[of(&|t| t.chose("again", "yes"))] = 35;
    counts[of(&|t| t.chose("again", "no") && t.chose("why", "hard") && !t.chose("why", "safe"))] = 15;
    counts[of(&|t| t.chose("used", "yes") && !t.answered("again"))] = 1;
    counts[of(&|t| t.chose("used", "no"))] = 59;
    let (summary, _, cubes) = publish_all(&survey, &types, &counts, &["channel", "ward"]);
    let why = summary.questions.iter().find(|q| q.id == "why").unwrap();
    let again = summary.questions.iter().find(|q| q.id == "again").unwrap();
    assert_eq!(again.rows[1].count, Cell::Suppressed, "15 not happy");
    assert_eq!(again.rows[3].count, Cell::Suppressed, "1 no answer");
    assert_eq!(why.base, Cell::Suppressed, "15 shown the follow-up = no + unsure");
    // And in every cross-tab by channel (all 110 came by phone): the same, column by column.
    for (by, cube) in &cubes {
        let (_, columns) = cube.iter().find(|(id, _)| id == "why").unwrap();
        for c in columns.iter().filter(|c| c.summary.base.value() > 0 || c.summary.base == Cell::Suppressed) {
            assert_eq!(c.summary.base, Cell::Suppressed, "{by} {}", c.id);
        }
    }
}

/// Rows listed only when someone is in them: 10 online, 1 by phone and 1 on paper, aged 42, 7 and
/// 420, who moved in three months. Phone and paper held alone would be 1 each (so would the bands
/// 1 to 9 and 100 to 999, and the months): one more is held with them.
#[test]
fn held_rows_listed_only_when_someone_is_in_them_are_not_given_away() {
    let survey = Survey::from_document(VALUES).unwrap();
    let types = value_types();
    let mut counts = vec![0; types.len()];
    for (channel, age, moved, n) in
        [("web", "42", "2026-02-03", 10), ("phone", "7", "2026-01-15", 1), ("paper", "420", "2026-03-15", 1)]
    {
        let t = types.iter().position(|t| {
            t.channel == channel
                && t.gives(&survey, "age", &row_of(survey.question("age").unwrap(), age))
                && t.chose("moved", moved)
        });
        counts[t.unwrap()] = n;
    }
    let (summary, profile, _) = publish_all(&survey, &types, &counts, &[]);
    assert_eq!(
        profile.by_channel.iter().filter(|(_, n)| *n == Cell::Suppressed).count(),
        3,
        "{:?}",
        profile.by_channel
    );
    let reader = read_all(&survey, &types, &summary, &profile, &[]);
    let held = reader.held_ranges();
    assert!(held.len() >= 9, "channels, bands and months: {}", held.len());
    for (figure, range) in held {
        assert!(!range.is_single_value(), "held figure {} is pinned: {:?}", reader.name(figure), range);
    }
}
