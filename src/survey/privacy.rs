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

    /// The default notice, paragraph by paragraph under its headings: who the controller is, the
    /// purpose and lawful basis, how long things are kept, and how to use your rights.
    pub fn default_notice(&self, council: &str) -> Vec<(&'static str, Vec<String>)> {
        let months = plural(self.response_months, "month");
        vec![
            ("Who we are", vec![format!("{council} is responsible for your answers (the data controller).")]),
            (
                "What we collect and why",
                vec![
                    "We collect your answers to this survey to find out what stops people using the council's online services, and to plan help such as training, devices and easier websites. We do not ask for your name.".to_owned(),
                    "If you ask us to contact you about help, we ask for your name and a phone number or email address, and only with your agreement. We keep them apart from your answers, and only the staff who contact you can see them.".to_owned(),
                    "Our lawful basis is that this is part of our public task (UK GDPR Article 6(1)(e)). If you tell us about a disability or health condition, we use it to make our services easier to use, under Article 9(2)(g). We use contact details only with your consent (Article 6(1)(a)).".to_owned(),
                ],
            ),
            (
                "How long we keep it",
                vec![format!(
                    "We keep your answers for {months}, then delete them. Answers you have not sent are deleted after {}. Contact details are deleted once we have contacted you, or after {} at the most.",
                    plural(self.draft_days, "day"),
                    plural(self.contact_days, "day"),
                )],
            ),
            (
                "Your rights",
                vec![
                    "You can ask to see your answers, or have them removed. Quote the reference you get at the end of the survey. You can remove them yourself on the \u{201c}Remove your answers\u{201d} page.".to_owned(),
                    format!("To ask about your data, contact {}. You can also complain to the Information Commissioner's Office (ico.org.uk).", self.contact),
                ],
            ),
        ]
    }
}

fn plural(n: i64, unit: &str) -> String {
    if n == 1 { format!("1 {unit}") } else { format!("{n} {unit}s") }
}

/// A month is taken as 30 days: councils state retention in months, and a day either way does not
/// matter next to a period of years.
pub const MONTH_SECS: i64 = 30 * 24 * 3600;

/// How long answers are kept when an admin has not said.
pub const DEFAULT_RESPONSE_MONTHS: i64 = 24;

/// A survey's settings, or the defaults.
pub async fn load(db: &Db, survey_id: i64, council: &str) -> Result<Privacy, AppError> {
    let row: Option<(Option<String>, String, i64, i64, i64)> =
        sqlx::query_as("SELECT notice, contact, draft_days, response_months, contact_days FROM survey_privacy WHERE survey_id = $1")
            .bind(survey_id)
            .fetch_optional(&db.read)
            .await?;
    Ok(match row {
        Some((notice, contact, draft_days, response_months, contact_days)) => Privacy { notice, contact, draft_days, response_months, contact_days },
        None => Privacy::default_for(council),
    })
}

