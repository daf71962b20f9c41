//! Council time. Staff see and choose days in the council's time zone (Europe/London unless
//! `COUNCIL_TIME_ZONE` says otherwise), clock changes included; storage stays in UTC seconds.
//! A day chosen on a form runs from that day's local midnight to the next one, so the day the
//! clocks go back has 25 hours and the day they go forward 23.

use crate::error::AppError;
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use std::str::FromStr;

/// The time zone a council works in.
#[derive(Debug, Clone)]
pub struct CouncilTime {
    zone: TimeZone,
}

impl FromStr for CouncilTime {
    type Err = String;

    fn from_str(name: &str) -> Result<Self, String> {
        let name = name.trim();
        TimeZone::get(name)
            .map(|zone| CouncilTime { zone })
            .map_err(|_| format!("{name:?} is not a time zone name such as Europe/London"))
    }
}

impl Default for CouncilTime {
    fn default() -> Self {
        DEFAULT_ZONE.parse().expect("the default time zone is in the bundled database")
    }
}

pub const DEFAULT_ZONE: &str = "Europe/London";

/// `YYYY-MM-DD`, as date inputs send it; the message names the field.
pub fn parse_day(field: &str, value: &str) -> Result<Date, AppError> {
    value
        .trim()
        .parse::<Date>()
        .map_err(|_| AppError::BadRequest(format!("The {field} date must look like 2026-03-31.")))
}

impl CouncilTime {
    /// The moment `day` starts here (its first instant, even on a day that skips midnight).
    pub fn start_of(&self, day: Date) -> i64 {
        day.to_zoned(self.zone.clone()).map(|z| z.timestamp().as_second()).unwrap_or_else(|_| utc_midnight(day))
    }

    /// The moment after `day` ends here: the start of the next day.
    pub fn end_of(&self, day: Date) -> i64 {
        self.start_of(day.tomorrow().unwrap_or(day))
    }

    /// `value` (`YYYY-MM-DD`) read as a day here.
    pub fn parse_day(&self, field: &str, value: &str) -> Result<Date, AppError> {
        parse_day(field, value)
    }

    /// The day it is here at `at` (Unix seconds).
    pub fn day_of(&self, at: i64) -> Date {
        Timestamp::from_second(at).map(|t| t.to_zoned(self.zone.clone()).date()).unwrap_or_default()
    }

    pub fn today(&self) -> Date {
        self.day_of(crate::db::now())
    }

    /// The number of the day it is here at `at`, counted from 1 January 1970: the running totals
    /// and the weekly figures group by it, so a response sent at 00:30 in summer counts on the day
    /// the resident sent it, not the day before.
    pub fn day_number(&self, at: i64) -> i64 {
        utc_midnight(self.day_of(at)).div_euclid(DAY_SECS)
    }

    /// A stored time as people read it: `2026-11-23 14:05`.
    pub fn format_time(&self, at: i64) -> String {
        Timestamp::from_second(at)
            .map(|t| t.to_zoned(self.zone.clone()).strftime("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default()
    }

    /// A stored time's day as people write it: `30 November 2026`.
    pub fn format_day(&self, at: i64) -> String {
        format_date(self.day_of(at))
    }
}

pub const DAY_SECS: i64 = 24 * 3600;

/// A stored time as RFC 3339 in UTC, to the second: `2026-11-20T10:00:00Z`.
pub fn rfc3339(at: i64) -> String {
    Timestamp::from_second(at).map(|t| t.to_string()).unwrap_or_default()
}

/// A day as people write it: `30 November 2026`.
pub fn format_date(day: Date) -> String {
    day.strftime("%-d %B %Y").to_string()
}

/// The day numbered `number` (as [`CouncilTime::day_number`] counts).
pub fn day_from_number(number: i64) -> Date {
    Timestamp::from_second(number * DAY_SECS).map(|t| t.to_zoned(TimeZone::UTC).date()).unwrap_or_default()
}

fn utc_midnight(day: Date) -> i64 {
    day.to_zoned(TimeZone::UTC).map(|z| z.timestamp().as_second()).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn london() -> CouncilTime {
        CouncilTime::default()
    }

    #[test]
    fn the_last_sunday_of_october_has_25_hours_in_london() {
        let day: Date = "2026-10-25".parse().unwrap();
        let t = london();
        assert_eq!(t.end_of(day) - t.start_of(day), 25 * 3600);
        // Midnight in summer time is 23:00 UTC the day before.
        assert_eq!(t.format_time(t.start_of(day)), "2026-10-25 00:00");
        assert_eq!(Timestamp::from_second(t.start_of(day)).unwrap().to_string(), "2026-10-24T23:00:00Z");
        // The last second of the day is in winter time, at 23:59:59 UTC.
        assert_eq!(t.day_of(t.end_of(day) - 1), day);
        assert_eq!(Timestamp::from_second(t.end_of(day)).unwrap().to_string(), "2026-10-26T00:00:00Z");
        let spring: Date = "2026-03-29".parse().unwrap();
        assert_eq!(t.end_of(spring) - t.start_of(spring), 23 * 3600);
    }

    #[test]
    fn a_summer_night_counts_on_the_local_day() {
        let t = london();
        let half_past_midnight_bst = Timestamp::from_str("2026-07-01T23:30:00Z").unwrap().as_second();
        assert_eq!(t.day_of(half_past_midnight_bst).to_string(), "2026-07-02");
        assert_eq!(day_from_number(t.day_number(half_past_midnight_bst)).to_string(), "2026-07-02");
        assert_eq!(t.format_time(half_past_midnight_bst), "2026-07-02 00:30");
        let utc: CouncilTime = "UTC".parse().unwrap();
        assert_eq!(utc.day_of(half_past_midnight_bst).to_string(), "2026-07-01");
    }

    #[test]
    fn names_and_days_are_checked() {
        assert!("Europe/Cardiff".parse::<CouncilTime>().is_err());
        assert!("Europe/Dublin".parse::<CouncilTime>().is_ok());
        assert!(parse_day("from", "31/03/2026").is_err());
        assert_eq!(format_date(parse_day("from", " 2026-03-01 ").unwrap()), "1 March 2026");
    }
}
