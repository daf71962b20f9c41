//! The digital inclusion action plan: plans by council year, recommendations, the actions agreed
//! for each, findings from the survey that justify them, graded progress updates, and the
//! committee's progress report. Admins edit the plan; analysts read it, record findings and add
//! progress.

mod action;
mod finding;
mod pages;
mod report;
mod store;

pub use finding::Figure;

use crate::state::AppState;

use axum::Router;
use axum::routing::{get, post};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/action-plan", get(pages::plans).post(pages::create_plan))
        .route("/staff/action-plan/{id}", get(pages::plan))
        .route("/staff/action-plan/{id}/recommendations", post(pages::add_recommendation))
        .route("/staff/action-plan/{id}/actions/new", get(action::new_page).post(action::create))
        .route("/staff/action-plan/{id}/report", get(report::page))
        .route("/staff/action-plan/{id}/report.csv", get(report::csv))
        .route("/staff/actions/{id}", get(action::page))
        .route("/staff/actions/{id}/edit", get(action::edit_page).post(action::update))
        .route("/staff/actions/{id}/progress", post(action::add_progress))
        .route("/staff/findings", get(finding::list).post(finding::create))
}

/// The committee's assessment of an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Grade {
    FullyAchieved = 1,
    OnTrack = 2,
    Slipped = 3,
    NotAchieved = 4,
}

impl Grade {
    pub const ALL: [Grade; 4] = [Grade::FullyAchieved, Grade::OnTrack, Grade::Slipped, Grade::NotAchieved];

    pub fn from_number(n: i64) -> Option<Grade> {
        Grade::ALL.into_iter().find(|g| *g as i64 == n)
    }

    pub fn number(self) -> i64 {
        self as i64
    }

    pub fn name(self) -> &'static str {
        match self {
            Grade::FullyAchieved => "Fully Achieved",
            Grade::OnTrack => "On-Track",
            Grade::Slipped => "Slipped",
            Grade::NotAchieved => "Not Achieved",
        }
    }

    /// As the committee writes it: "2 On-Track".
    pub fn label(self) -> String {
        format!("{} {}", self.number(), self.name())
    }

    fn tag_class(self) -> &'static str {
        match self {
            Grade::FullyAchieved => "tag tag--green",
            Grade::OnTrack => "tag",
            Grade::Slipped => "tag tag--yellow",
            Grade::NotAchieved => "tag tag--red",
        }
    }
}

/// As stored (for reading rows with `#[sqlx(try_from = "i64")]`).
impl TryFrom<i64> for Grade {
    type Error = String;

    fn try_from(n: i64) -> Result<Grade, String> {
        Grade::from_number(n).ok_or_else(|| format!("no grade is numbered {n}"))
    }
}

/// A council year by the year it starts, as written in plans: 2026/27.
pub fn council_year(year: i64) -> String {
    format!("{year}/{:02}", (year + 1) % 100)
}

/// Today's date in the council's time zone, as `YYYY-MM-DD`, which orders the same as the dates
/// stored: an action due today is not overdue until the council's day ends.
pub fn today(clock: &crate::clock::CouncilTime) -> String {
    clock.today().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_read_as_the_committee_writes_them() {
        assert_eq!(Grade::from_number(2).map(Grade::label).as_deref(), Some("2 On-Track"));
        assert_eq!(Grade::from_number(0), None);
        assert_eq!(Grade::from_number(5), None);
        assert_eq!(council_year(2026), "2026/27");
        assert_eq!(council_year(2099), "2099/00");
    }
}
