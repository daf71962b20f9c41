//! The standard question modules an admin can add to a draft: the national measures' questions,
//! asked exactly as the built-in survey asks them (the measures are scored from their fixed ids,
//! see [`super::measures`]), and the reasons for not going online with each answer's barriers.
//! A module's questions and their words in every language are taken from the built-in survey,
//! the one place they are written.

use super::document::{Definition, QuestionDef};
use super::{BUILTIN_DEFINITION, Survey};

/// A module: its questions in the built-in survey, and where they come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Module {
    pub id: &'static str,
    pub name: &'static str,
    /// The framework or survey it follows, and its version.
    pub source: &'static str,
    pub questions: &'static [&'static str],
    /// What an admin should know before adding it.
    pub note: &'static str,
}

pub const MODULES: &[Module] = &[
    Module {
        id: "eds_foundation",
        name: "Essential Digital Skills: the 8 Foundation tasks",
        source: "Essential Digital Skills framework, 2022 update (scored as the Lloyds Consumer Digital Index scores Foundation level)",
        questions: &["eds_foundation_2022"],
        note: "One page: \u{201c}Which of these can you do by yourself?\u{201d}, the 8 tasks and \u{201c}None of these\u{201d}. The results set it against the UK figure.",
    },
    Module {
        id: "ons_internet_use",
        name: "When they last used the internet",
        source: "ONS internet users question (3 answers), as published for 2020",
        questions: &["internet_use"],
        note: "In the last 3 months, longer ago, or never. The results set it against the UK figures.",
    },
    Module {
        id: "reasons_offline",
        name: "Why they have not used the council's online services, each reason with its barriers",
        source: "This service's barriers: skills, confidence, motivation and access",
        questions: &["why_not_online"],
        note: "Asked after \u{201c}No\u{201d} or \u{201c}I'm not sure\u{201d} to used_online when the draft asks it; otherwise asked of everyone.",
    },
];

pub fn find(id: &str) -> Option<&'static Module> {
    MODULES.iter().find(|m| m.id == id)
}

/// Adds `module`'s questions to the end of `draft`, with their words in each of the draft's
/// languages the built-in survey has (the draft's page lists the words a language still lacks).
/// A condition on a question the draft does not have is left off, as the module's note says.
/// Refused, in words, when the draft already has one of its questions.
pub fn add(draft: &mut Definition, module: &Module) -> Result<(), String> {
    if let Some(q) = draft.questions.iter().find(|q| module.questions.contains(&q.id.as_str())) {
        return Err(format!("The draft already asks \u{201c}{}\u{201d} (the question {}).", q.text, q.id));
    }
    let builtin = Survey::from_document(BUILTIN_DEFINITION)
        .map(|s| s.definition().clone())
        .map_err(|_| "The built-in survey cannot be read, so its modules cannot be added.".to_owned())?;
    for id in module.questions {
        let Some(question) = builtin.questions.iter().find(|q| q.id == *id) else { continue };
        let mut question: QuestionDef = question.clone();
        if question.show_if.as_ref().is_some_and(|c| !draft.questions.iter().any(|q| q.id == c.question)) {
            question.show_if = None;
        }
        for (tag, translation) in &mut draft.translations {
            if let Some(words) = builtin.translations.get(tag).and_then(|t| t.questions.get(*id)) {
                translation.questions.insert((*id).to_owned(), words.clone());
            }
        }
        draft.questions.push(question);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> Definition {
        let mut d = crate::survey::builtin().definition().clone();
        d.questions.retain(|q| {
            !["eds_foundation_2022", "internet_use", "why_not_online", "used_online"].contains(&q.id.as_str())
        });
        d.questions.retain(|q| q.show_if.is_none());
        crate::survey::translation::prune(&mut d);
        d
    }

    #[test]
    fn a_module_comes_with_its_words_in_every_language() {
        let mut d = draft();
        assert!(d.translations.contains_key("cy"));
        add(&mut d, find("eds_foundation").unwrap()).unwrap();
        assert_eq!(d.questions.last().unwrap().id, "eds_foundation_2022");
        assert!(d.translations["cy"].questions.contains_key("eds_foundation_2022"));
        assert!(d.translations["en-x-easyread"].questions.contains_key("eds_foundation_2022"));
        // The survey reads, and scores the measure.
        let survey = Survey::parse(d.clone()).unwrap();
        assert!(survey.missing_translations().iter().all(|(_, gaps)| gaps.is_empty()));
        // Twice: refused.
        assert!(add(&mut d, find("eds_foundation").unwrap()).unwrap_err().contains("already asks"));
    }

    #[test]
    fn a_condition_on_a_question_the_draft_lacks_is_left_off() {
        let mut d = draft();
        d.translations.clear();
        add(&mut d, find("reasons_offline").unwrap()).unwrap();
        let reasons = d.questions.iter().find(|q| q.id == "why_not_online").unwrap();
        assert!(reasons.show_if.is_none());
        assert!(reasons.options.iter().any(|o| o.barriers == ["access"]), "each reason keeps its barriers");
        Survey::parse(d).unwrap();
    }
}
