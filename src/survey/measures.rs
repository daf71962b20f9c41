//! Measures scored as the national statistics score them, so that a borough's figure can stand
//! beside the country's. Each belongs to a question module with fixed ids (a survey that asks a
//! module's question must ask it as the module does), and each is scored by its framework's rule
//! and kept with the framework's version: a response scored under one version keeps that score
//! when a later framework comes, and the later one is counted apart.

/// How a response meets a measure, from its answer to the module's question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Ticked every one of these options (of a multiple choice).
    AllOf(&'static [&'static str]),
    /// Gave this option.
    Gave(&'static str),
}

/// A nationally scored measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Measure {
    /// The measure with its framework version, as the running totals key its scores: the
    /// `question_id` of its rows (option `1` met, `0` not).
    pub key: &'static str,
    /// Its id in the comparators file.
    pub id: &'static str,
    /// What it is, in words a councillor reads: "Can do all 8 Foundation tasks".
    pub name: &'static str,
    pub framework: &'static str,
    pub version: &'static str,
    /// The module question it is scored from.
    pub question_id: &'static str,
    pub rule: Rule,
}

/// The Essential Digital Skills framework (2022 update) Foundation level: all 8 Foundation tasks
/// done by oneself, as the Lloyds Consumer Digital Index measures it.
pub const EDS_FOUNDATION_QUESTION: &str = "eds_foundation_2022";
/// The 8 Foundation tasks, in the framework's order.
pub const EDS_FOUNDATION_TASKS: [&str; 8] =
    ["turn_on", "controls", "settings", "open_apps", "wifi", "browser", "keep_secure", "change_password"];
/// ONS internet use: when the person last used the internet (Labour Force Survey / Opinions and
/// Lifestyle Survey question, three answers).
pub const ONS_INTERNET_QUESTION: &str = "internet_use";
pub const ONS_INTERNET_OPTIONS: [&str; 3] = ["last_3_months", "longer_ago", "never"];

pub const MEASURES: [Measure; 3] = [
    Measure {
        key: "#score:eds_foundation:2022",
        id: "eds_foundation",
        name: "Can do all 8 Foundation digital tasks by themselves",
        framework: "Essential Digital Skills framework, Foundation level",
        version: "2022",
        question_id: EDS_FOUNDATION_QUESTION,
        rule: Rule::AllOf(&EDS_FOUNDATION_TASKS),
    },
    Measure {
        key: "#score:ons_internet_recent:2020",
        id: "ons_internet_recent",
        name: "Used the internet in the last 3 months",
        framework: "ONS internet users",
        version: "2020",
        question_id: ONS_INTERNET_QUESTION,
        rule: Rule::Gave("last_3_months"),
    },
    Measure {
        key: "#score:ons_internet_never:2020",
        id: "ons_internet_never",
        name: "Has never used the internet",
        framework: "ONS internet users",
        version: "2020",
        question_id: ONS_INTERNET_QUESTION,
        rule: Rule::Gave("never"),
    },
];

/// Each measure's score for one response from its answers (question id, option id): met ("1")
/// or not ("0") for each measure whose question it answered, nothing for the rest (skipped, or not
/// asked: they are not in the measure's base).
pub fn scores<'a>(answers: impl IntoIterator<Item = (&'a str, &'a str)> + Clone) -> Vec<(&'static str, &'static str)> {
    MEASURES
        .iter()
        .filter_map(|m| {
            let given: Vec<&str> =
                answers.clone().into_iter().filter(|(q, _)| *q == m.question_id).map(|(_, o)| o).collect();
            if given.is_empty() {
                return None;
            }
            let met = match m.rule {
                Rule::AllOf(all) => all.iter().all(|task| given.contains(task)),
                Rule::Gave(option) => given.contains(&option),
            };
            Some((m.key, if met { "1" } else { "0" }))
        })
        .collect()
}

/// What is wrong with a question that has a module's id but not its answers, if anything: a
/// module's question must be asked as the module asks it, or its scores would mean something else.
pub fn module_problem(question_id: &str, option_ids: &[&str]) -> Option<String> {
    let expected: Vec<&str> = match question_id {
        EDS_FOUNDATION_QUESTION => EDS_FOUNDATION_TASKS.iter().copied().chain(["none"]).collect(),
        ONS_INTERNET_QUESTION => ONS_INTERNET_OPTIONS.to_vec(),
        _ => return None,
    };
    (option_ids != expected.as_slice()).then(|| {
        format!(
            "the id {question_id} is kept for a national measure's question, whose answers are {} in that order: use another id for a question of your own",
            expected.join(", ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn foundation_level_is_all_8_tasks() {
        let all: Vec<(&str, &str)> = EDS_FOUNDATION_TASKS.iter().map(|t| (EDS_FOUNDATION_QUESTION, *t)).collect();
        assert_eq!(scores(all.iter().copied()), vec![("#score:eds_foundation:2022", "1")]);
        assert_eq!(scores(all[..7].iter().copied()), vec![("#score:eds_foundation:2022", "0")]);
        assert_eq!(scores([(EDS_FOUNDATION_QUESTION, "none")]), vec![("#score:eds_foundation:2022", "0")]);
        assert_eq!(scores([("used_online", "yes")]), vec![], "not asked: not in the base");
    }

    #[test]
    fn internet_use_scores_both_ons_measures() {
        assert_eq!(
            scores([(ONS_INTERNET_QUESTION, "never")]),
            vec![("#score:ons_internet_recent:2020", "0"), ("#score:ons_internet_never:2020", "1")]
        );
    }

    #[test]
    fn a_modules_id_is_kept_for_it() {
        assert!(module_problem(ONS_INTERNET_QUESTION, &["yes", "no"]).is_some());
        assert_eq!(module_problem(ONS_INTERNET_QUESTION, &ONS_INTERNET_OPTIONS), None);
        assert_eq!(module_problem("ward", &["a"]), None);
    }
}
