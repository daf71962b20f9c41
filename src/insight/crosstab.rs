//! Cross-tabulation: one question's answers, in columns by an about-you answer, channel or
//! location. Each column is a summary of its own group, so each has its own base, worked out by
//! the same rules as the whole survey's.

use super::summary::{summarise, QuestionSummary};
use crate::assist::CHANNELS;
use crate::db::Db;
use crate::error::AppError;
use crate::export::Filters;
use crate::staff::{active_items, List};
use crate::survey::SurveyVersion;

/// What to break a question down by.
pub fn breakdowns(version: &SurveyVersion) -> Vec<(String, String)> {
    let mut by = vec![("channel".to_owned(), "Channel".to_owned()), ("location".to_owned(), "Location".to_owned())];
    by.extend(
        version
            .survey
            .questions()
            .iter()
            .filter(|q| q.section.as_deref() == Some("About you") && q.kind.is_choice())
            .map(|q| (q.id.clone(), q.text.clone())),
    );
    by
}

/// One column of a cross-tab: the group's name and its summary of the question.
pub struct Column {
    pub label: String,
    pub summary: QuestionSummary,
}

/// `question` broken down by `by`; None when either is not something this survey can do.
pub async fn crosstab(
    db: &Db,
    version: &SurveyVersion,
    filters: &Filters,
    question: &str,
    by: &str,
    suppress: Option<i64>,
) -> Result<Option<Vec<Column>>, AppError> {
    if version.survey.question(question).is_none() || !breakdowns(version).iter().any(|(id, _)| id == by) {
        return Ok(None);
    }
    let groups: Vec<(String, Filters)> = match by {
        "channel" => CHANNELS
            .iter()
            .map(|(id, label)| (*id, *label))
            .chain([("web", "Online, on their own")])
            .map(|(id, label)| (label.to_owned(), Filters { channel: Some(id.to_owned()), ..filters.clone() }))
            .collect(),
        "location" => active_items(db, List::Location)
            .await?
            .into_iter()
            .map(|l| (l.label, Filters { location_id: Some(l.id), ..filters.clone() }))
            .collect(),
        about => {
            let q = version.survey.question(about).expect("checked above");
            q.options
                .iter()
                .map(|o| {
                    let mut f = filters.clone();
                    f.answers.push((about.to_owned(), o.id.clone()));
                    (o.label.clone(), f)
                })
                .collect()
        }
    };
    let mut columns = Vec::with_capacity(groups.len());
    for (label, group) in groups {
        let mut summary = summarise(db, version, &group).await?;
        if let Some(threshold) = suppress {
            summary = summary.suppress(threshold);
        }
        if let Some(q) = summary.questions.into_iter().find(|q| q.id == question) {
            columns.push(Column { label, summary: q });
        }
    }
    Ok(Some(columns))
}
