//! A resident's answers, how they are read from a submitted form, and how they are checked against
//! the survey. The same rules apply to every way an answer arrives, and on the outreach page's
//! device, which reads answers with this same code before it keeps them.

use super::barrier::Barriers;
use super::question::{Keep, Kind, Question, number};
use super::typed;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// Single choice or scale: the option id.
    Choice(String),
    /// Multiple choice: option ids in survey order, and the free text for an "other" option.
    Choices {
        selected: Vec<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        other: Option<String>,
    },
    Text(String),
}

impl Answer {
    pub fn includes(&self, option_id: &str) -> bool {
        match self {
            Answer::Choice(id) => id == option_id,
            Answer::Choices { selected, .. } => selected.iter().any(|s| s == option_id),
            Answer::Text(_) => false,
        }
    }

    /// What the resident chose or wrote, in words, for the check-your-answers page.
    pub fn describe(&self, question: &Question) -> Vec<String> {
        let label = |id: &str| question.option(id).map_or_else(|| id.to_owned(), |o| o.label.clone());
        match self {
            Answer::Choice(id) => vec![label(id)],
            Answer::Choices { selected, other } => selected
                .iter()
                .map(|id| match (question.option(id), other) {
                    (Some(o), Some(text)) if o.other => format!("{}: {}", o.label, text),
                    _ => label(id),
                })
                .collect(),
            // A day as UK readers write it, in any language: 27/03/2007.
            Answer::Text(text) if question.kind == Kind::Date => match text.parse::<Date>() {
                Ok(day) => vec![day.strftime("%d/%m/%Y").to_string()],
                Err(_) => vec![text.clone()],
            },
            Answer::Text(text) => vec![text.clone()],
        }
    }

    pub fn barriers(&self, question: &Question) -> Barriers {
        let mut set = Barriers::default();
        for option in question.options.iter().filter(|o| self.includes(&o.id)) {
            for b in option.barriers.iter() {
                set.insert(b);
            }
        }
        set
    }
}

/// A problem with one answer, worded for the resident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError(pub String);

/// The form field names a question page sends.
pub const ANSWER_FIELD: &str = "answer";
pub const OTHER_FIELD: &str = "other";

/// Reads and checks one question's answer from form fields. `Ok(None)` means left blank. A date
/// question's limits are judged against `today`, the day the answer was given.
pub fn read_answer(
    question: &Question,
    fields: &[(String, String)],
    today: Date,
) -> Result<Option<Answer>, FieldError> {
    let values: Vec<&str> =
        fields.iter().filter(|(k, _)| k == ANSWER_FIELD).map(|(_, v)| v.as_str()).filter(|v| !v.is_empty()).collect();
    let other_text =
        fields.iter().find(|(k, _)| k == OTHER_FIELD).map(|(_, v)| clean_text(v)).filter(|v| !v.is_empty());

    let keep = question.postcode.as_ref().map(|p| p.keep).unwrap_or_default();
    let answer = match question.kind {
        Kind::Single | Kind::Scale => match values.as_slice() {
            [] => None,
            [one] if question.option(one).is_some() => Some(Answer::Choice((*one).to_owned())),
            [_] => return Err(FieldError("Select one of the answers shown".into())),
            _ => return Err(FieldError("Select only one answer".into())),
        },
        Kind::Multiple => {
            if values.iter().any(|v| question.option(v).is_none()) {
                return Err(FieldError("Select from the answers shown".into()));
            }
            // Survey order, each once, whatever order or repetition the form sent.
            let selected: Vec<String> =
                question.options.iter().filter(|o| values.contains(&o.id.as_str())).map(|o| o.id.clone()).collect();
            if let Some(exclusive) = question.options.iter().find(|o| o.exclusive && selected.contains(&o.id))
                && selected.len() > 1
            {
                return Err(FieldError(format!(
                    "Select \u{201c}{}\u{201d} on its own, or choose other answers",
                    exclusive.label
                )));
            }
            let other_option = question.options.iter().find(|o| o.other && selected.contains(&o.id));
            let other = match (other_option, other_text) {
                (Some(_), Some(text)) => {
                    check_length(&text, OTHER_TEXT_LEN)?;
                    Some(text)
                }
                (None, Some(_)) => {
                    return Err(FieldError(
                        "You wrote something in the box: also tick \u{201c}Something else\u{201d}, or clear the box"
                            .into(),
                    ));
                }
                (_, None) => None,
            };
            (!selected.is_empty()).then_some(Answer::Choices { selected, other })
        }
        Kind::ShortText | Kind::LongText => match values.as_slice() {
            [] => None,
            [one] => {
                let text = clean_text(one);
                check_length(&text, question.max_length)?;
                (!text.is_empty()).then_some(Answer::Text(text))
            }
            _ => return Err(FieldError("Enter one answer".into())),
        },
        Kind::WholeNumber | Kind::Decimal => match values.as_slice() {
            [] => None,
            [one] => Some(Answer::Text(typed::read_number(question, one).map_err(FieldError)?)),
            _ => return Err(FieldError("Enter one answer".into())),
        },
        // A date's three boxes send three values under its one name, blank ones too.
        Kind::Date => {
            let parts: Vec<&str> = fields.iter().filter(|(k, _)| k == ANSWER_FIELD).map(|(_, v)| v.as_str()).collect();
            typed::read_date(question, &parts, today).map_err(FieldError)?.map(Answer::Text)
        }
        Kind::Note => None,
        // Never the full postcode: its sector, or nothing of it when it only fills the ward.
        Kind::Postcode => match values.as_slice() {
            [] => None,
            // A sector kept before (an entry read again, a download imported) stays as it is.
            [one] if typed::sector(one).is_some() && keep == Keep::Sector => typed::sector(one).map(Answer::Text),
            [one] => {
                let postcode = typed::read_postcode(question, one).map_err(FieldError)?;
                match keep {
                    Keep::Sector => Some(Answer::Text(postcode.sector())),
                    // Given, and nothing of it kept: counted as answered, and no more.
                    Keep::Ward => Some(Answer::Text(String::new())),
                }
            }
            _ => return Err(FieldError("Enter one answer".into())),
        },
    };
    if answer.is_none() && question.required {
        return Err(FieldError(question.error.clone()));
    }
    Ok(answer)
}

/// What the resident sent, kept as far as it makes sense, to show again beside an error message.
pub fn keep_input(question: &Question, fields: &[(String, String)]) -> Option<Answer> {
    let mut values = fields.iter().filter(|(k, _)| k == ANSWER_FIELD).map(|(_, v)| v.as_str());
    match question.kind {
        Kind::Single | Kind::Scale => {
            values.find(|v| question.option(v).is_some()).map(|v| Answer::Choice(v.to_owned()))
        }
        Kind::Multiple => {
            let values: Vec<&str> = values.collect();
            let selected =
                question.options.iter().filter(|o| values.contains(&o.id.as_str())).map(|o| o.id.clone()).collect();
            let other = fields.iter().find(|(k, _)| k == OTHER_FIELD).map(|(_, v)| clean_text(v));
            Some(Answer::Choices { selected, other })
        }
        Kind::ShortText | Kind::LongText | Kind::WholeNumber | Kind::Decimal | Kind::Postcode => {
            values.next().map(|v| Answer::Text(clean_text(v)))
        }
        Kind::Date => {
            let parts: Vec<&str> = values.collect();
            (!parts.is_empty()).then(|| Answer::Text(typed::typed_date(&parts)))
        }
        Kind::Note => None,
    }
}

const OTHER_TEXT_LEN: usize = 500;

fn check_length(text: &str, max: usize) -> Result<(), FieldError> {
    if text.chars().count() > max {
        Err(FieldError(format!("Your answer must be {} characters or fewer", thousands(max))))
    } else {
        Ok(())
    }
}

/// Line endings made consistent and control characters dropped (PostgreSQL refuses NUL, and none of
/// them belongs in an answer), then trimmed.
pub fn clean_text(raw: &str) -> String {
    let unified = raw.replace("\r\n", "\n").replace('\r', "\n");
    unified.chars().filter(|c| !c.is_control() || *c == '\n' || *c == '\t').collect::<String>().trim().to_owned()
}

pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Which questions the rules show for these answers, by position. A question whose rule refers to
/// a hidden question is hidden too; rules only look back, so one pass suffices.
pub fn visibility(questions: &[Question], answers: &BTreeMap<String, Answer>) -> Vec<bool> {
    let mut shown = Vec::with_capacity(questions.len());
    for q in questions {
        let visible = match &q.show_if {
            None => true,
            Some(rule) => {
                shown[rule.question]
                    && answers
                        .get(&questions[rule.question].id)
                        .is_some_and(|a| rule.any_of.iter().any(|id| a.includes(id)))
            }
        };
        shown.push(visible);
    }
    shown
}

/// When a whole survey's answers travel together (fast entry's one form, an outreach entry), each
/// question's answer is named by the question's id, and the words for "Something else" by this.
pub fn other_field(question_id: &str) -> String {
    format!("{question_id}.other")
}

/// The fields [`read_all`] reads this answer back from: the inverse of reading it.
pub fn fields_of(question: &Question, answer: &Answer) -> Vec<(String, String)> {
    match answer {
        Answer::Choice(id) | Answer::Text(id) => vec![(question.id.clone(), id.clone())],
        Answer::Choices { selected, other } => {
            let mut fields: Vec<(String, String)> =
                selected.iter().map(|id| (question.id.clone(), id.clone())).collect();
            fields.extend(other.iter().map(|text| (other_field(&question.id), text.clone())));
            fields
        }
    }
}

/// Every name [`read_all`] reads for these questions: a field with any other name was not made by us.
pub fn all_field_names(questions: &[Question]) -> Vec<String> {
    questions.iter().flat_map(|q| [q.id.clone(), other_field(&q.id)]).collect()
}

/// A whole survey's answers, read: the answers, and the questions shown (answered or left blank).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AllAnswers {
    pub answers: BTreeMap<String, Answer>,
    pub seen: BTreeSet<String>,
}

/// A problem with one question of a whole survey's answers: its id, and the message with its number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionError {
    pub question_id: String,
    pub message: String,
}

/// Reads a whole survey's answers (named as [`other_field`] says) in order, with the resident
/// flow's rules for each. An answer to a question that the earlier answers skip is refused, not
/// quietly dropped, so whoever typed it can check. On error, what was sent is kept as far as it
/// makes sense, to show again.
pub fn read_all(
    questions: &[Question],
    fields: &[(String, String)],
    today: Date,
) -> Result<AllAnswers, (BTreeMap<String, Answer>, Vec<QuestionError>)> {
    let mut progress = AllAnswers::default();
    let mut kept = BTreeMap::new();
    let mut problems = Vec::new();
    for (i, q) in questions.iter().enumerate() {
        let other = other_field(&q.id);
        let fields: Vec<(String, String)> = fields
            .iter()
            .filter_map(|(k, v)| {
                if *k == q.id {
                    Some((ANSWER_FIELD.to_owned(), v.clone()))
                } else if *k == other {
                    Some((OTHER_FIELD.to_owned(), v.clone()))
                } else {
                    None
                }
            })
            .collect();
        if let Some(answer) = keep_input(q, &fields) {
            kept.insert(q.id.clone(), answer);
        }
        let shown = visibility(questions, &progress.answers)[i];
        let filled = fields.iter().any(|(_, v)| !v.trim().is_empty());
        let number = number(i);
        if !shown {
            if filled {
                let message = format!("Question {number}: leave this blank, the earlier answers skip it");
                problems.push(QuestionError { question_id: q.id.clone(), message });
            }
            continue;
        }
        match read_answer(q, &fields, today) {
            Ok(Some(answer)) => {
                progress.answers.insert(q.id.clone(), answer);
            }
            Ok(None) => {}
            Err(e) => problems
                .push(QuestionError { question_id: q.id.clone(), message: format!("Question {number}: {}", e.0) }),
        }
        progress.seen.insert(q.id.clone());
    }
    if problems.is_empty() { Ok(progress) } else { Err((kept, problems)) }
}
