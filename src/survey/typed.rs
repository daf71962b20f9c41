//! Answers residents type that the rules read as values: numbers, dates and postcodes. An answer is kept as
//! the value written one way (`1200`, `2.5`, `2007-03-27`), so that every path, the running totals
//! and the downloads read the same value whatever the resident typed ("1,200", " 2.50 ",
//! 27 / 3 / 2007). Compiled for the outreach device too. A problem is the message to show, in the
//! question's language.

use super::question::{Dates, Kind, Question};
use jiff::civil::Date;

/// At most this many digits: every such number is exact as the `f64` that summaries read.
const MAX_DIGITS: usize = 15;

/// Reads a number as people write them, spaces and thousands commas ignored ("1,200"), and checks
/// it against the question's kind and limits.
pub fn read_number(question: &Question, raw: &str) -> Result<String, String> {
    let invalid = || question.checks.invalid.clone();
    let cleaned: String = raw.chars().filter(|c| !c.is_whitespace() && *c != ',').collect();
    let digits = cleaned.chars().filter(char::is_ascii_digit).count();
    // Only digits, one leading minus and one point: `f64`'s parser would also take "inf" and "1e9".
    let shape_ok = cleaned.strip_prefix('-').unwrap_or(&cleaned).chars().all(|c| c.is_ascii_digit() || c == '.')
        && cleaned.matches('.').count() <= 1;
    if digits == 0 || digits > MAX_DIGITS || !shape_ok {
        return Err(invalid());
    }
    let value: f64 = cleaned.parse().map_err(|_| invalid())?;
    if question.kind == Kind::WholeNumber && value.fract() != 0.0 {
        return Err(invalid());
    }
    if question.min.is_some_and(|min| value < min) || question.max.is_some_and(|max| value > max) {
        return Err(question.checks.range.clone());
    }
    Ok(number_text(value))
}

/// A number as answers keep it and summaries print it: the shortest text that reads back as the
/// same number, with no exponent (`f64`'s `Display`), and 0 never negative.
pub fn number_text(value: f64) -> String {
    if value == 0.0 { "0".to_owned() } else { value.to_string() }
}

/// The English month names and their three-letter forms, which people type in the month box as
/// GOV.UK's date input allows.
const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn month(text: &str) -> Option<i8> {
    if let Ok(n) = text.parse::<i8>() {
        return Some(n);
    }
    let lower = text.to_lowercase();
    let position = MONTHS.iter().position(|m| lower.len() >= 3 && m.starts_with(&lower))?;
    Some(position as i8 + 1)
}

/// Reads a date from its three boxes (day, month, year, in that order) or from one value as the
/// downloads write it (`2007-03-27`) or people write it (`27/3/2007`). `Ok(None)`: left blank.
pub fn read_date(question: &Question, values: &[&str], today: Date) -> Result<Option<String>, String> {
    let parts: Vec<String> = match values {
        [one] if one.contains('-') && !one.trim_start().starts_with('-') => {
            let mut parts: Vec<String> = one.trim().splitn(3, '-').map(str::to_owned).collect();
            parts.reverse();
            parts
        }
        [one] => one.split('/').map(str::to_owned).collect(),
        many => many.iter().map(|v| (*v).to_owned()).collect(),
    };
    let parts: Vec<&str> = parts.iter().map(|p| p.trim()).collect();
    if parts.iter().all(|p| p.is_empty()) {
        return Ok(None);
    }
    let [day, month_text, year] = parts.as_slice() else {
        return Err(question.checks.invalid.clone());
    };
    if [day, month_text, year].iter().any(|p| p.is_empty()) {
        return Err(question.checks.incomplete.clone());
    }
    let invalid = || question.checks.invalid.clone();
    // A year of four digits: "24" could be 1924 or 2024.
    let year: i16 = year.parse().ok().filter(|y| (1000..=9999).contains(y)).ok_or_else(invalid)?;
    let month = month(month_text).ok_or_else(invalid)?;
    let day: i8 = day.parse().map_err(|_| invalid())?;
    let date = Date::new(year, month, day).map_err(|_| invalid())?;
    let outside = match question.dates {
        Some(Dates::Past) => date > today,
        Some(Dates::Future) => date < today,
        None => false,
    };
    if outside {
        return Err(question.checks.range.clone());
    }
    Ok(Some(date.to_string()))
}

/// A date answer's day, month and year for its three boxes: from a kept date (`2007-03-27` gives
/// 27, 3, 2007) or from what was typed and is shown again beside its error.
pub fn date_parts(text: &str) -> [String; 3] {
    if let Ok(date) = text.parse::<Date>() {
        return [date.day().to_string(), date.month().to_string(), date.year().to_string()];
    }
    let mut parts = text.split('/').map(str::to_owned);
    [parts.next().unwrap_or_default(), parts.next().unwrap_or_default(), parts.next().unwrap_or_default()]
}

/// What was typed in a date's boxes, kept to show again: the three parts joined by `/`, which
/// none of them may hold.
pub fn typed_date(values: &[&str]) -> String {
    values.iter().take(3).map(|v| v.replace('/', "").trim().to_owned()).collect::<Vec<_>>().join("/")
}

/// A UK postcode, written one way: `TS18 1AU`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Postcode {
    outward: String,
    inward: String,
}

impl Postcode {
    /// Reads a postcode as people type it (any case, any spaces): its shape only, the outward
    /// code (`A9`, `A99`, `AA9`, `AA99`, `A9A`, `AA9A`) and the inward (`9AA`). Whether it exists
    /// is the lookup's to say.
    pub fn parse(raw: &str) -> Option<Postcode> {
        let compact: String = raw.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
        if !(5..=7).contains(&compact.len()) || !compact.is_ascii() {
            return None;
        }
        let (outward, inward) = compact.split_at(compact.len() - 3);
        let shape: String = outward
            .chars()
            .map(|c| {
                if c.is_ascii_digit() {
                    '9'
                } else if c.is_ascii_alphabetic() {
                    'A'
                } else {
                    '?'
                }
            })
            .collect();
        let inward_ok =
            inward.chars().enumerate().all(|(i, c)| if i == 0 { c.is_ascii_digit() } else { c.is_ascii_alphabetic() });
        let outward_ok =
            matches!(shape.as_str(), "A9" | "A99" | "AA9" | "AA99" | "A9A" | "AA9A") || compact == "GIR0AA";
        (outward_ok && inward_ok).then(|| Postcode { outward: outward.to_owned(), inward: inward.to_owned() })
    }

    /// `TS18 1AU`.
    pub fn full(&self) -> String {
        format!("{} {}", self.outward, self.inward)
    }

    /// `TS18 1`: what a survey keeps at most (about 3,000 addresses; a postcode is about 15).
    pub fn sector(&self) -> String {
        format!("{} {}", self.outward, &self.inward[..1])
    }
}

/// A sector as answers keep it (`TS18 1`), read back from a download or an entry that was kept:
/// its outward code, a space and one digit.
pub fn sector(kept: &str) -> Option<String> {
    let (outward, digit) = kept.trim().split_once(' ')?;
    let digit = digit.trim();
    let whole = Postcode::parse(&format!("{outward} {digit}AA"))?;
    (digit.len() == 1).then(|| whole.sector())
}

/// Reads a postcode question's answer: the postcode, or the message to show.
pub fn read_postcode(question: &Question, raw: &str) -> Result<Postcode, String> {
    Postcode::parse(raw).ok_or_else(|| question.checks.invalid.clone())
}
