//! Which responses a page or a download is about: the query string staff choose filters with, and
//! the WHERE clause every query that selects responses is built from.

use crate::clock::CouncilTime;
use crate::error::AppError;
use crate::survey::{ABOUT_YOU_FILTERS, about_you};
use jiff::civil::Date;
use serde::Deserialize;

/// Which responses to export, as on the dashboard.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Filters {
    /// Unix seconds, inclusive.
    pub from: Option<i64>,
    /// Unix seconds, exclusive.
    pub to: Option<i64>,
    pub channel: Option<String>,
    pub location_id: Option<i64>,
    pub version: Option<i64>,
    /// Only responses given in this language (a tag such as `cy`).
    pub language: Option<String>,
    /// Only people who gave these answers: (question id, option id), such as a ward or age band.
    pub answers: Vec<(String, String)>,
    /// Only the response with this reference (a resident's subject access request).
    pub reference: Option<String>,
    /// `from` and `to` as council day numbers, when they are whole days (see [`Filters::days`]):
    /// then the running totals, kept by day, can answer.
    pub from_day: Option<i64>,
    pub to_day: Option<i64>,
}

/// A value bound to a filter's placeholder.
#[derive(Debug, Clone)]
pub enum Param {
    Int(i64),
    Text(String),
}

impl Filters {
    /// Only responses sent from the start of `first` to the end of `last`, days in the council's
    /// time zone (either may be open).
    pub fn days(mut self, clock: &CouncilTime, first: Option<Date>, last: Option<Date>) -> Filters {
        self.from = first.map(|d| clock.start_of(d));
        self.to = last.map(|d| clock.end_of(d));
        self.from_day = self.from.map(|t| clock.day_number(t));
        self.to_day = self.to.map(|t| clock.day_number(t));
        self
    }

    /// The WHERE clause for these filters, with `r` the response table and `$1` the survey id,
    /// and the values for `$2` onwards. Every query that selects responses uses this one.
    pub fn where_clause(&self) -> (String, Vec<Param>) {
        let mut sql = format!("r.survey_id = $1 AND {}", crate::db::STORED_RESPONSES);
        let mut params = Vec::new();
        let next = |params: &mut Vec<Param>, value: Param| {
            params.push(value);
            format!("${}", params.len() + 1)
        };
        if let Some(from) = self.from {
            sql += &format!(" AND r.submitted_at >= {}", next(&mut params, Param::Int(from)));
        }
        if let Some(to) = self.to {
            sql += &format!(" AND r.submitted_at < {}", next(&mut params, Param::Int(to)));
        }
        if let Some(channel) = &self.channel {
            sql += &format!(" AND r.channel = {}", next(&mut params, Param::Text(channel.clone())));
        }
        if let Some(location) = self.location_id {
            sql += &format!(" AND r.location_id = {}", next(&mut params, Param::Int(location)));
        }
        if let Some(version) = self.version {
            let p = next(&mut params, Param::Int(version));
            sql += &format!(" AND r.survey_version_id IN (SELECT id FROM survey_version WHERE version = {p})");
        }
        if let Some(language) = &self.language {
            sql += &format!(" AND r.language = {}", next(&mut params, Param::Text(language.clone())));
        }
        if let Some(reference) = &self.reference {
            sql += &format!(" AND r.reference = {}", next(&mut params, Param::Text(reference.clone())));
        }
        for (question, option) in &self.answers {
            let q = next(&mut params, Param::Text(question.clone()));
            let o = next(&mut params, Param::Text(option.clone()));
            sql +=
                &format!(" AND r.id IN (SELECT response_id FROM answer WHERE question_id = {q} AND option_id = {o})");
        }
        (sql, params)
    }
}

/// The query string of the results page and of every download: the filters, and a file's options.
#[derive(Debug, Default, Deserialize)]
pub struct FilterQuery {
    pub from: Option<String>,
    pub to: Option<String>,
    pub channel: Option<String>,
    pub location: Option<String>,
    pub version: Option<String>,
    pub language: Option<String>,
    pub ward: Option<String>,
    pub age_band: Option<String>,
    pub disability: Option<String>,
    /// On the results page: a question to compare across groups, and the groups.
    pub compare: Option<String>,
    pub by: Option<String>,
    pub labels: Option<String>,
    /// With `labels`: the language to write them in.
    labels_in: Option<String>,
    pub bom: Option<String>,
    pub redact: Option<String>,
    pub one_line: Option<String>,
    publishable: Option<String>,
}

pub fn flag(value: Option<&str>, default: bool) -> Result<bool, AppError> {
    match value {
        None | Some("") => Ok(default),
        Some("1" | "true" | "yes") => Ok(true),
        Some("0" | "false" | "no") => Ok(false),
        Some(_) => Err(AppError::BadRequest("An option must be 1 or 0.".into())),
    }
}

fn number(field: &str, value: Option<&str>) -> Result<Option<i64>, AppError> {
    value
        .filter(|v| !v.is_empty())
        .map(|v| v.parse().map_err(|_| AppError::BadRequest(format!("The {field} must be a whole number."))))
        .transpose()
}

impl FilterQuery {
    /// The language labels are asked for in, if any; a malformed tag is refused.
    pub fn labels_in(&self) -> Result<Option<crate::i18n::Language>, String> {
        self.labels_in
            .as_deref()
            .filter(|tag| !tag.is_empty())
            .map(|tag| {
                crate::i18n::Language::parse(tag)
                    .ok_or_else(|| "The language for labels must be a language tag such as en or cy.".to_owned())
            })
            .transpose()
    }

    /// A period or a version of the survey, and nothing else.
    pub fn period(from: Option<String>, to: Option<String>, version: Option<String>) -> FilterQuery {
        FilterQuery { from, to, version, ..FilterQuery::default() }
    }

    pub fn publishable(&self) -> Result<bool, AppError> {
        flag(self.publishable.as_deref(), false)
    }

    /// The query of a publishable view: its cross-tab, none of its filters (figures for publishing
    /// are of every response; see [`crate::insight::publish`]).
    pub fn for_publishing(&self) -> FilterQuery {
        FilterQuery {
            compare: self.compare.clone(),
            by: self.by.clone(),
            publishable: self.publishable.clone(),
            ..FilterQuery::default()
        }
    }

    /// Refuses filters on a publishable download, in words.
    pub fn no_filters_when_publishable(&self) -> Result<(), AppError> {
        if self.publishable()? && !self.filter_string().is_empty() {
            return Err(AppError::BadRequest(
                "Figures for publishing are of every response: a filtered selection could be taken away from the whole to show a small group. Download it without filters, or compare groups side by side on the results page.".into(),
            ));
        }
        Ok(())
    }

    /// Each filter by its name in the query string.
    pub fn named(&self) -> [(&'static str, &Option<String>); 9] {
        [
            ("from", &self.from),
            ("to", &self.to),
            ("channel", &self.channel),
            ("location", &self.location),
            ("version", &self.version),
            ("language", &self.language),
            (about_you::WARD, &self.ward),
            (about_you::AGE_BAND, &self.age_band),
            (about_you::DISABILITY, &self.disability),
        ]
    }

    /// The value chosen for the filter named `name` in the query string, or "" when none is.
    pub fn chosen(&self, name: &str) -> &str {
        self.named().into_iter().find(|(n, _)| *n == name).and_then(|(_, v)| v.as_deref()).unwrap_or_default()
    }

    /// The same filters as a query string, for links that keep them.
    pub fn filter_string(&self) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        for (name, value) in self.named() {
            if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
                out.append_pair(name, v);
            }
        }
        out.finish()
    }

    /// The filters, with "from" and "to" as whole days in the council's time zone ("to" included).
    pub fn filters(&self, clock: &CouncilTime) -> Result<Filters, AppError> {
        let day = |field: &str, value: &Option<String>| {
            value.as_deref().filter(|v| !v.is_empty()).map(|v| clock.parse_day(field, v)).transpose()
        };
        let (first, last) = (day("from", &self.from)?, day("to", &self.to)?);
        let filters = Filters {
            channel: self.channel.clone().filter(|c| !c.is_empty()),
            location_id: number("location", self.location.as_deref())?,
            version: number("version", self.version.as_deref())?,
            language: self
                .language
                .as_deref()
                .filter(|l| !l.is_empty())
                .map(|tag| {
                    crate::i18n::Language::parse(tag).map(String::from).ok_or_else(|| {
                        AppError::BadRequest("The language must be a language tag such as en or cy.".into())
                    })
                })
                .transpose()?,
            answers: ABOUT_YOU_FILTERS
                .into_iter()
                .zip([&self.ward, &self.age_band, &self.disability])
                .filter_map(|(q, v)| v.as_deref().filter(|v| !v.is_empty()).map(|v| (q.to_owned(), v.to_owned())))
                .collect(),
            ..Filters::default()
        };
        Ok(filters.days(clock, first, last))
    }
}
