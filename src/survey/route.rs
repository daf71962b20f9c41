//! Where a resident is: their answers so far, and which questions the rules show them.

use super::answers::{AllAnswers, Answer, visibility};
use super::barrier::Barriers;
use super::definition::{Question, Survey};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Everything a draft holds: answers so far, and which questions the resident has been past (so an
/// optional question they skipped is not asked again, and counts as shown but not answered).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    #[serde(default)]
    pub answers: BTreeMap<String, Answer>,
    #[serde(default)]
    pub seen: BTreeSet<String>,
    /// The language the resident chose, when not the survey's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<crate::i18n::Language>,
}

impl From<AllAnswers> for Progress {
    fn from(all: AllAnswers) -> Progress {
        Progress { answers: all.answers, seen: all.seen, language: None }
    }
}

/// Where a resident is in the survey, worked out from the rules and their answers.
pub struct Route<'a> {
    survey: &'a Survey,
    progress: &'a Progress,
    shown: Vec<bool>,
}

impl<'a> Route<'a> {
    pub fn new(survey: &'a Survey, progress: &'a Progress) -> Self {
        let shown = visibility(survey.questions(), &progress.answers);
        Route { survey, progress, shown }
    }

    pub fn is_shown(&self, position: usize) -> bool {
        self.shown[position]
    }

    pub fn next_after(&self, position: usize) -> Option<&'a Question> {
        (position + 1..self.shown.len()).find(|&i| self.shown[i]).map(|i| &self.survey.questions()[i])
    }

    pub fn previous_before(&self, position: usize) -> Option<&'a Question> {
        (0..position).rev().find(|&i| self.shown[i]).map(|i| &self.survey.questions()[i])
    }

    /// The first shown question the resident has not yet been past: where to continue.
    pub fn first_unseen(&self) -> Option<&'a Question> {
        self.shown_questions().find(|q| !self.progress.seen.contains(&q.id))
    }

    pub fn shown_questions(&self) -> impl Iterator<Item = &'a Question> + '_ {
        self.survey.questions().iter().zip(&self.shown).filter(|(_, shown)| **shown).map(|(q, _)| q)
    }

    /// The answers that count: those to questions the rules still show. An answer to a question
    /// that a later change hid is dropped, never stored.
    pub fn answers(&self) -> impl Iterator<Item = (&'a Question, &'a Answer)> + '_ {
        self.shown_questions().filter_map(|q| self.progress.answers.get(&q.id).map(|a| (q, a)))
    }

    pub fn barriers(&self) -> Barriers {
        let mut set = Barriers::default();
        for (q, a) in self.answers() {
            for b in a.barriers(q).iter() {
                set.insert(b);
            }
        }
        set
    }
}
