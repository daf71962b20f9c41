//! Every page's address, written once. Links, form actions and redirects name a function or
//! constant here rather than spelling the address, so a page that moves moves everywhere, and
//! `tests/it/architecture.rs` checks that nothing outside this file and the routers spells a
//! staff address. The route patterns (`{slug}`) stay in each feature's `router()`, the one place
//! that says which handler answers.

use serde::{Deserialize, Serialize};
use std::fmt::Display;

/// What a staff page says was just done, carried in `?done=` by the redirect after a post (post,
/// redirect, get), so reloading the page does not post again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Done {
    Created,
    Uploaded,
    Published,
    Status,
    Saved,
    /// An action saved with a target date already past.
    SavedPast,
    Progress,
    Password,
    Reactivated,
    Deactivated,
    Erased,
    Contacted,
    Removed,
    /// A value this version does not know (an old bookmark): nothing is said.
    #[serde(other)]
    Unknown,
}

impl Done {
    fn as_str(self) -> &'static str {
        match self {
            Done::Created => "created",
            Done::Uploaded => "uploaded",
            Done::Published => "published",
            Done::Status => "status",
            Done::Saved => "saved",
            Done::SavedPast => "saved_past",
            Done::Progress => "progress",
            Done::Password => "password",
            Done::Reactivated => "reactivated",
            Done::Deactivated => "deactivated",
            Done::Erased => "erased",
            Done::Contacted => "contacted",
            Done::Removed => "removed",
            Done::Unknown => "",
        }
    }

    /// `path` saying this was done.
    pub fn at(self, path: impl Display) -> String {
        format!("{path}?done={}", self.as_str())
    }
}

/// The `?done=` a staff page reads.
#[derive(Debug, Default, Deserialize)]
pub struct Notice {
    pub done: Option<Done>,
}

/// The resident's pages of a survey.
pub mod resident {
    pub fn start_page(slug: &str) -> String {
        format!("/s/{slug}")
    }
    pub fn start(slug: &str) -> String {
        format!("/s/{slug}/start")
    }
    pub fn question(slug: &str, question: &str, changing: bool) -> String {
        if changing { format!("/s/{slug}/q/{question}?change=1") } else { format!("/s/{slug}/q/{question}") }
    }
    pub fn check(slug: &str) -> String {
        format!("/s/{slug}/check")
    }
    pub fn submit(slug: &str) -> String {
        format!("/s/{slug}/submit")
    }
    pub fn done(slug: &str) -> String {
        format!("/s/{slug}/done")
    }
    pub fn return_page(slug: &str) -> String {
        format!("/s/{slug}/return")
    }
    pub fn privacy(slug: &str) -> String {
        format!("/s/{slug}/privacy")
    }
    /// Asking to be contacted about help, after sending.
    pub fn contact(slug: &str) -> String {
        format!("/s/{slug}/contact")
    }
    pub fn contact_details(slug: &str) -> String {
        format!("/s/{slug}/contact/details")
    }
    pub fn contact_thanks(slug: &str) -> String {
        format!("/s/{slug}/contact/thanks")
    }
    /// Removing one's answers by reference.
    pub fn remove(slug: &str) -> String {
        format!("/s/{slug}/remove")
    }
}

/// The staff pages.
pub mod staff {
    use std::fmt::Display;

    pub const HOME: &str = "/staff";
    pub const LOGIN: &str = "/staff/login";
    pub const LOGOUT: &str = "/staff/logout";
    pub const ASSIST: &str = "/staff/assist";
    pub const ASSIST_RETURN: &str = "/staff/assist/return";
    pub const OUTREACH: &str = "/staff/outreach";
    /// Where the outreach device's server functions are answered.
    pub const OUTREACH_API: &str = "/staff/outreach/api";
    pub const CONTACTS: &str = "/staff/contacts";
    pub const RESPONSES: &str = "/staff/responses";
    pub const SURVEYS: &str = "/staff/surveys";
    pub const SURVEY_FILES: &str = "/staff/survey-files";
    pub const SURVEY_COPIES: &str = "/staff/survey-copies";
    pub const USERS: &str = "/staff/users";
    pub const LISTS: &str = "/staff/lists";
    pub const AUDIT: &str = "/staff/audit";
    pub const ACTION_PLAN: &str = "/staff/action-plan";
    pub const FINDINGS: &str = "/staff/findings";
    /// The national figures the results are compared with, and their versions.
    pub const NATIONAL: &str = "/staff/national-figures";

    /// One version of the national figures as a file (0: as they came with the service).
    pub fn national_version(id: i64) -> String {
        format!("{NATIONAL}/versions/{id}")
    }

    /// Sign-in, then on to `next` (already percent-encoded).
    pub fn login_then(next: &str) -> String {
        format!("{LOGIN}?next={next}")
    }
    /// Sign-in, saying how many of the officer's drafts signing out closed.
    pub fn login_closed(closed: u64) -> String {
        format!("{LOGIN}?closed={closed}")
    }
    pub fn audit_page(page: i64) -> String {
        format!("{AUDIT}?page={page}")
    }

    // A survey's results.
    pub fn results(slug: &str) -> String {
        format!("{SURVEYS}/{slug}")
    }
    /// The results with the dashboard's filters (`query`, a query string).
    pub fn results_filtered(slug: &str, query: &str) -> String {
        format!("{SURVEYS}/{slug}?{query}")
    }
    /// One question's answers in two periods or versions, and the change.
    pub fn change(slug: &str) -> String {
        format!("{SURVEYS}/{slug}/change")
    }
    pub fn text_answers(slug: &str, question: &str) -> String {
        format!("{SURVEYS}/{slug}/text/{question}")
    }
    pub fn export(slug: &str) -> String {
        format!("{SURVEYS}/{slug}/export")
    }
    /// A download on the export page, such as `responses.csv`.
    pub fn export_file(slug: &str, file: &str) -> String {
        format!("{SURVEYS}/{slug}/export/{file}")
    }
    pub fn import(slug: &str) -> String {
        format!("{SURVEYS}/{slug}/import")
    }
    pub fn privacy(slug: &str) -> String {
        format!("{SURVEYS}/{slug}/privacy")
    }
    /// The borough's population by about-you answers, that the results are set against.
    pub fn population(slug: &str) -> String {
        format!("{SURVEYS}/{slug}/population")
    }
    /// The survey's postcode-to-ward lookup.
    pub fn postcodes(slug: &str) -> String {
        format!("{SURVEYS}/{slug}/postcodes")
    }
    pub fn population_removal(slug: &str) -> String {
        format!("{SURVEYS}/{slug}/population/remove")
    }
    /// The results by ward on a map, and its boundaries.
    pub fn map(slug: &str) -> String {
        format!("{SURVEYS}/{slug}/map")
    }
    pub fn map_removal(slug: &str) -> String {
        format!("{SURVEYS}/{slug}/map/remove")
    }
    /// Whether the results are weighted to the population, and within which bounds.
    pub fn weighting(slug: &str) -> String {
        format!("{SURVEYS}/{slug}/population/weighting")
    }

    // Managing a survey.
    pub fn manage(slug: &str) -> String {
        format!("{SURVEYS}/{slug}/manage")
    }
    pub fn status(slug: &str) -> String {
        format!("{SURVEYS}/{slug}/status")
    }
    pub fn publish(slug: &str) -> String {
        format!("{SURVEYS}/{slug}/publish")
    }
    pub fn upload(slug: &str) -> String {
        format!("{SURVEYS}/{slug}/upload")
    }
    pub fn locations(slug: &str) -> String {
        format!("{SURVEYS}/{slug}/locations")
    }
    pub fn qr(slug: &str) -> String {
        format!("{SURVEYS}/{slug}/qr.svg")
    }
    /// A preview of `version` (a number, or `draft`).
    pub fn preview(slug: &str, version: impl Display) -> String {
        format!("{SURVEYS}/{slug}/preview?version={version}")
    }
    /// A preview of `version` at one question.
    pub fn preview_question(slug: &str, version: impl Display, question: impl Display) -> String {
        format!("{SURVEYS}/{slug}/preview?version={version}&q={question}")
    }
    /// A published version as a file (`extension`: toml, json or xlsx).
    pub fn version_file(slug: &str, version: i64, extension: &str) -> String {
        format!("{SURVEYS}/{slug}/versions/{version}.{extension}")
    }
    pub fn paper_form(slug: &str, version: i64) -> String {
        format!("{SURVEYS}/{slug}/versions/{version}/paper")
    }

    // The draft of a survey's next version.
    pub fn draft(slug: &str) -> String {
        format!("{SURVEYS}/{slug}/draft")
    }
    pub fn draft_file(slug: &str) -> String {
        format!("{SURVEYS}/{slug}/versions/draft.toml")
    }
    pub fn new_draft(slug: &str) -> String {
        format!("{SURVEYS}/{slug}/draft/new")
    }
    pub fn draft_questions(slug: &str) -> String {
        format!("{SURVEYS}/{slug}/draft/questions")
    }
    /// Adding a standard question module to a draft.
    pub fn draft_modules(slug: &str) -> String {
        format!("{SURVEYS}/{slug}/draft/modules")
    }
    pub fn draft_question(slug: &str, question: &str) -> String {
        format!("{SURVEYS}/{slug}/draft/questions/{question}")
    }
    /// The draft's page, at one question.
    pub fn draft_at_question(slug: &str, question: &str) -> String {
        format!("{SURVEYS}/{slug}/draft#question-{question}")
    }
    pub fn draft_languages(slug: &str) -> String {
        format!("{SURVEYS}/{slug}/draft/languages")
    }
    pub fn draft_language(slug: &str, tag: &str) -> String {
        format!("{SURVEYS}/{slug}/draft/languages/{tag}")
    }
    /// Saying which language one the draft has only a form's name for is.
    pub fn name_draft_language(slug: &str, tag: &str) -> String {
        format!("{SURVEYS}/{slug}/draft/languages/{tag}/name")
    }
    pub fn remove_draft_language(slug: &str, tag: &str) -> String {
        format!("{SURVEYS}/{slug}/draft/languages/{tag}/remove")
    }

    // Assisted entry.
    pub fn fast_entry(slug: &str) -> String {
        format!("{ASSIST}/{slug}/fast")
    }
    /// Assisted entry set up to type up a paper form of this version.
    pub fn type_up_paper(slug: &str, version: i64) -> String {
        format!("{ASSIST}?survey={slug}&channel=paper&version={version}")
    }
    pub fn correct(reference: &str) -> String {
        format!("{ASSIST}/correct/{reference}")
    }
    pub fn help_given(reference: &str) -> String {
        format!("{ASSIST}/help/{reference}")
    }

    // Residents' requests and responses.
    pub fn contact_done(id: i64) -> String {
        format!("{CONTACTS}/{id}/done")
    }
    /// One response as a file (`reference.csv` or `reference.json`).
    pub fn response_file(reference: &str, extension: &str) -> String {
        format!("{RESPONSES}/{reference}.{extension}")
    }
    pub fn erase_response(reference: &str) -> String {
        format!("{RESPONSES}/{reference}/erase")
    }

    // Staff accounts and lists.
    pub fn user_active(id: i64) -> String {
        format!("{USERS}/{id}/active")
    }
    pub fn user_password(id: i64) -> String {
        format!("{USERS}/{id}/password")
    }
    pub fn list(list: &str) -> String {
        format!("{LISTS}/{list}")
    }
    pub fn list_item_active(id: i64) -> String {
        format!("{LISTS}/item/{id}/active")
    }

    // The action plan.
    pub fn plan(id: i64) -> String {
        format!("{ACTION_PLAN}/{id}")
    }
    pub fn plan_report(id: i64) -> String {
        format!("{ACTION_PLAN}/{id}/report")
    }
    pub fn plan_report_csv(id: i64) -> String {
        format!("{ACTION_PLAN}/{id}/report.csv")
    }
    pub fn plan_recommendations(id: i64) -> String {
        format!("{ACTION_PLAN}/{id}/recommendations")
    }
    pub fn new_action(plan: i64) -> String {
        format!("{ACTION_PLAN}/{plan}/actions/new")
    }
    /// A new action, under this recommendation.
    pub fn new_action_for(plan: i64, recommendation: i64) -> String {
        format!("{ACTION_PLAN}/{plan}/actions/new?recommendation={recommendation}")
    }
    pub fn action(id: i64) -> String {
        format!("/staff/actions/{id}")
    }
    pub fn edit_action(id: i64) -> String {
        format!("/staff/actions/{id}/edit")
    }
    pub fn action_progress(id: i64) -> String {
        format!("/staff/actions/{id}/progress")
    }
    /// The findings, at one just saved.
    pub fn finding_saved(id: i64) -> String {
        format!("{FINDINGS}?saved={id}#finding-{id}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn done_reads_back_what_it_writes_and_ignores_what_it_does_not_know() {
        for done in [Done::Created, Done::SavedPast, Done::Erased] {
            let url = done.at(staff::USERS);
            let query = url.split_once('?').unwrap().1;
            let notice: Notice = serde_html_form::from_str(query).unwrap();
            assert_eq!(notice.done, Some(done), "{url}");
        }
        let old: Notice = serde_html_form::from_str("done=1").unwrap();
        assert_eq!(old.done, Some(Done::Unknown));
    }
}
