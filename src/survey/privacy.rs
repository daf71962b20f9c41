//! Each survey's privacy settings: how long drafts, responses and contact details are kept, how to
//! reach the data protection officer, and the privacy notice (the default, or the admin's own).
//! Admins change them on `privacy::settings`'s page.

use crate::db::Db;
use crate::error::AppError;
use serde::Serialize;
use std::ops::RangeInclusive;

pub const DRAFT_DAYS: RangeInclusive<i64> = 1..=90;
pub const RESPONSE_MONTHS: RangeInclusive<i64> = 1..=120;
pub const CONTACT_DAYS: RangeInclusive<i64> = 1..=365;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Privacy {
    /// The admin's own notice, paragraphs separated by blank lines; `None` for the default.
    pub notice: Option<String>,
    pub contact: String,
    pub draft_days: i64,
    pub response_months: i64,
    pub contact_days: i64,
}

impl Privacy {
    /// What a survey uses until an admin changes it.
    pub fn default_for(council: &str) -> Privacy {
        Privacy {
            notice: None,
            contact: format!("the data protection officer at {council}"),
            draft_days: 7,
            response_months: DEFAULT_RESPONSE_MONTHS,
            contact_days: 30,
        }
    }

    /// Responses sent before this moment (Unix seconds) are past their retention period.
    pub fn responses_due_before(&self, now: i64) -> i64 {
        now - self.response_months * MONTH_SECS
    }

    pub fn drafts_due_before(&self, now: i64) -> i64 {
        now - self.draft_days * 24 * 3600
    }

    pub fn contacts_due_before(&self, now: i64) -> i64 {
        now - self.contact_days * 24 * 3600
    }

    /// The default notice in `language` (the app's words: English where it has none of its own),
    /// paragraph by paragraph under its headings: who the controller is, the purpose and lawful
    /// basis, how long things are kept, and how to use your rights.
    pub fn default_notice(&self, council: &str, language: &crate::i18n::Language) -> Vec<(String, Vec<String>)> {
        use crate::i18n::text_with_in;
        let args = [
            ("council", council.to_owned().into()),
            ("months", self.response_months.into()),
            ("draft_days", self.draft_days.into()),
            ("contact_days", self.contact_days.into()),
            ("contact", self.contact.clone().into()),
        ];
        let say = |id: &str| text_with_in(language, &format!("notice-{id}"), &args);
        vec![
            (say("who-heading"), vec![say("who")]),
            (say("what-heading"), vec![say("what"), say("contact-details"), say("basis")]),
            (say("keep-heading"), vec![say("keep")]),
            (say("rights-heading"), vec![say("rights"), say("ask")]),
        ]
    }
}

/// A month is taken as 30 days: councils state retention in months, and a day either way does not
/// matter next to a period of years.
pub const MONTH_SECS: i64 = 30 * 24 * 3600;

/// How long answers are kept when an admin has not said.
pub const DEFAULT_RESPONSE_MONTHS: i64 = 24;

/// A survey's settings, or the defaults.
pub async fn load(db: &Db, survey_id: i64, council: &str) -> Result<Privacy, AppError> {
    let row: Option<(Option<String>, String, i64, i64, i64)> = sqlx::query_as(
        "SELECT notice, contact, draft_days, response_months, contact_days FROM survey_privacy WHERE survey_id = $1",
    )
    .bind(survey_id)
    .fetch_optional(&db.read)
    .await?;
    Ok(match row {
        Some((notice, contact, draft_days, response_months, contact_days)) => {
            Privacy { notice, contact, draft_days, response_months, contact_days }
        }
        None => Privacy::default_for(council),
    })
}
