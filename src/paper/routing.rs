//! The survey's show-if rules written as a paper form's directions. Online, a question that does
//! not apply is never shown; on paper every question is printed, so the form has to say where to
//! go. It says it in two places, as printed questionnaires do:
//! - after a question whose answer skips what follows: "If you ticked “No”, go to question 4";
//! - at a question only some people answer: "Only answer this if you ticked “Yes” at question 1.
//!   If not, go to question 5."
//!
//! The second covers every path, including rules on multiple-choice questions and chains (a
//! question that depends on one that was itself skipped); the first saves residents reading the
//! questions they skip.

use crate::survey::{Kind, Question, Survey};

/// What the form says around one question, in plain words.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Directions {
    /// Above the options of a question only some people answer.
    pub only_if: Option<String>,
    /// After its options: where to go from a single-choice question, for each answer that skips.
    pub skips: Vec<String>,
}

/// Every question's directions, in the survey's order.
pub fn directions(survey: &Survey) -> Vec<Directions> {
    let questions = survey.questions();
    (0..questions.len()).map(|i| Directions { only_if: only_if(survey, i), skips: skips(survey, i) }).collect()
}

/// "question 4", or the end of the form when nothing follows.
fn go_to(survey: &Survey, next: Option<usize>) -> String {
    match next {
        Some(i) => format!("go to question {}", survey.number(i)),
        None => "go to the end of the form".to_owned(),
    }
}

/// “Yes” or “I'm not sure”.
fn labels(question: &Question, ids: &[&str]) -> String {
    let quoted: Vec<String> =
        ids.iter().filter_map(|id| question.option(id)).map(|o| format!("\u{201c}{}\u{201d}", o.label)).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// The question printed after `i`, where a resident goes unless told otherwise.
fn following(survey: &Survey, i: usize) -> Option<usize> {
    (i + 1 < survey.questions().len()).then_some(i + 1)
}

/// Whether `question` is shown only through a rule chain that passes through `through`.
fn depends_on(survey: &Survey, question: usize, through: usize) -> bool {
    let mut at = question;
    while let Some(rule) = &survey.questions()[at].show_if {
        if rule.question == through {
            return true;
        }
        at = rule.question;
    }
    false
}

fn only_if(survey: &Survey, i: usize) -> Option<String> {
    let questions = survey.questions();
    let rule = questions[i].show_if.as_ref()?;
    let ids: Vec<&str> = rule.any_of.iter().map(String::as_str).collect();
    let mut text = format!(
        "Only answer this if you ticked {} at question {}.",
        labels(&questions[rule.question], &ids),
        survey.number(rule.question)
    );
    // Skipping this question skips everything that depends on it too.
    let next = (i + 1..questions.len()).find(|&q| !depends_on(survey, q, i));
    if next != following(survey, i) {
        text.push_str(&format!(" If not, {}.", go_to(survey, next)));
    }
    Some(text)
}

/// For a single-choice question: the answers after which the next question to answer is not the
/// next one printed, grouped by where they lead, in the order of the options.
fn skips(survey: &Survey, i: usize) -> Vec<String> {
    let questions = survey.questions();
    let question = &questions[i];
    if !matches!(question.kind, Kind::Single | Kind::Scale) {
        return Vec::new();
    }
    let mut groups: Vec<(Option<usize>, Vec<&str>)> = Vec::new();
    for option in &question.options {
        // Which later questions this answer rules out: those whose rule is on this question and
        // does not include it, and those that depend on one of them.
        let mut ruled_out = vec![false; questions.len()];
        for q in i + 1..questions.len() {
            ruled_out[q] = match &questions[q].show_if {
                Some(rule) if rule.question == i => !rule.any_of.contains(&option.id),
                Some(rule) => ruled_out[rule.question],
                None => false,
            };
        }
        let next = (i + 1..questions.len()).find(|&q| !ruled_out[q]);
        if next == following(survey, i) {
            continue;
        }
        match groups.iter_mut().find(|(to, _)| *to == next) {
            Some((_, ids)) => ids.push(&option.id),
            None => groups.push((next, vec![&option.id])),
        }
    }
    groups
        .into_iter()
        .map(|(next, ids)| format!("If you ticked {}, {}.", labels(question, &ids), go_to(survey, next)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn survey(questions: &str) -> Survey {
        Survey::from_document(&format!("id = \"paper\"\ntitle = \"Paper\"\nminutes = 2\n{questions}")).unwrap()
    }

    const YES_NO: &str = r#"options = [{ id = "yes", label = "Yes" }, { id = "no", label = "No" }, { id = "not_sure", label = "I'm not sure" }]"#;

    #[test]
    fn a_single_rule_skips_from_the_answer_and_says_who_answers() {
        let s = survey(&format!(
            "[[questions]]\nid = \"used\"\ntype = \"single\"\ntext = \"Used?\"\n{YES_NO}\n\
             [[questions]]\nid = \"why\"\ntype = \"long_text\"\ntext = \"Why not?\"\nshow_if = {{ question = \"used\", any_of = [\"no\"] }}\n\
             [[questions]]\nid = \"age\"\ntype = \"short_text\"\ntext = \"Age?\"\n"
        ));
        let d = directions(&s);
        assert_eq!(
            d[0].skips,
            vec!["If you ticked \u{201c}Yes\u{201d} or \u{201c}I'm not sure\u{201d}, go to question 3.".to_owned()]
        );
        assert_eq!(d[1].only_if.as_deref(), Some("Only answer this if you ticked \u{201c}No\u{201d} at question 1."));
        assert!(d[1].skips.is_empty() && d[2] == Directions::default());
    }

    #[test]
    fn a_rule_on_a_multiple_choice_question_is_said_at_the_question_it_shows() {
        let s = survey(
            "[[questions]]\nid = \"how\"\ntype = \"multiple\"\ntext = \"How?\"\n\
             options = [{ id = \"phone\", label = \"Phone\" }, { id = \"pc\", label = \"Computer\" }, { id = \"none\", label = \"Not at all\", exclusive = true }]\n\
             [[questions]]\nid = \"which\"\ntype = \"short_text\"\ntext = \"Which?\"\nshow_if = { question = \"how\", any_of = [\"phone\", \"pc\"] }\n\
             [[questions]]\nid = \"end\"\ntype = \"short_text\"\ntext = \"Anything else?\"\n",
        );
        let d = directions(&s);
        // A multiple-choice answer has no single "go to": the question it shows says who answers.
        assert!(d[0].skips.is_empty());
        assert_eq!(
            d[1].only_if.as_deref(),
            Some("Only answer this if you ticked \u{201c}Phone\u{201d} or \u{201c}Computer\u{201d} at question 1.")
        );
    }

    #[test]
    fn chained_rules_skip_the_whole_chain() {
        // As the built-in survey: 2 follows Yes at 1, 3 follows No at 2, 4 follows No at 1.
        let s = survey(&format!(
            "[[questions]]\nid = \"used\"\ntype = \"single\"\ntext = \"Used?\"\n{YES_NO}\n\
             [[questions]]\nid = \"again\"\ntype = \"single\"\ntext = \"Again?\"\nshow_if = {{ question = \"used\", any_of = [\"yes\"] }}\n{YES_NO}\n\
             [[questions]]\nid = \"why_again\"\ntype = \"long_text\"\ntext = \"Why not again?\"\nshow_if = {{ question = \"again\", any_of = [\"no\", \"not_sure\"] }}\n\
             [[questions]]\nid = \"why_never\"\ntype = \"long_text\"\ntext = \"Why never?\"\nshow_if = {{ question = \"used\", any_of = [\"no\", \"not_sure\"] }}\n\
             [[questions]]\nid = \"last\"\ntype = \"short_text\"\ntext = \"Anything else?\"\n"
        ));
        let d = directions(&s);
        assert_eq!(
            d[0].skips,
            vec!["If you ticked \u{201c}No\u{201d} or \u{201c}I'm not sure\u{201d}, go to question 4.".to_owned()]
        );
        // Yes at 2 skips 3; 4 then says it is only for No at 1, and where to go instead.
        assert_eq!(d[1].skips, vec!["If you ticked \u{201c}Yes\u{201d}, go to question 4.".to_owned()]);
        assert_eq!(
            d[1].only_if.as_deref(),
            Some("Only answer this if you ticked \u{201c}Yes\u{201d} at question 1. If not, go to question 4.")
        );
        assert_eq!(
            d[2].only_if.as_deref(),
            Some("Only answer this if you ticked \u{201c}No\u{201d} or \u{201c}I'm not sure\u{201d} at question 2.")
        );
        assert_eq!(
            d[3].only_if.as_deref(),
            Some("Only answer this if you ticked \u{201c}No\u{201d} or \u{201c}I'm not sure\u{201d} at question 1.")
        );
        assert!(d[4] == Directions::default());
    }

    #[test]
    fn a_skip_past_the_last_question_goes_to_the_end() {
        let s = survey(&format!(
            "[[questions]]\nid = \"used\"\ntype = \"single\"\ntext = \"Used?\"\n{YES_NO}\n\
             [[questions]]\nid = \"why\"\ntype = \"long_text\"\ntext = \"Why?\"\nshow_if = {{ question = \"used\", any_of = [\"yes\"] }}\n"
        ));
        let d = directions(&s);
        assert_eq!(
            d[0].skips,
            vec![
                "If you ticked \u{201c}No\u{201d} or \u{201c}I'm not sure\u{201d}, go to the end of the form."
                    .to_owned()
            ]
        );
        assert_eq!(d[1].only_if.as_deref(), Some("Only answer this if you ticked \u{201c}Yes\u{201d} at question 1."));
    }
}
