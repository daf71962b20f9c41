//! The responses export: one row per sent response, stable column names, streamed from a database
//! cursor so that memory stays flat however many rows there are.

use super::cells::{safe, BOM};
use crate::db::Db;
use crate::error::AppError;
use crate::survey::{Kind, Survey, SurveyVersion};
use futures_util::TryStreamExt;
use sqlx::Row;
use std::collections::HashMap;
use tokio::io::AsyncWriteExt;

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
}

#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Question text and option labels instead of ids, for people reading the sheet.
    pub labels: bool,
    pub bom: bool,
}

/// Where the bytes go: an HTTP body (through a bounded channel) or a file or terminal.
pub enum Sink {
    Channel(tokio::sync::mpsc::Sender<Result<Vec<u8>, std::io::Error>>),
    Writer(Box<dyn tokio::io::AsyncWrite + Unpin + Send>),
}

impl Sink {
    async fn send(&mut self, bytes: Vec<u8>) -> Result<(), AppError> {
        let closed = || AppError::Internal(anyhow::anyhow!("the export's reader went away"));
        match self {
            Sink::Channel(tx) => tx.send(Ok(bytes)).await.map_err(|_| closed()),
            Sink::Writer(w) => w.write_all(&bytes).await.map_err(|e| AppError::Internal(e.into())),
        }
    }

    async fn finish(&mut self) -> Result<(), AppError> {
        if let Sink::Writer(w) = self {
            w.flush().await.map_err(|e| AppError::Internal(e.into()))?;
        }
        Ok(())
    }
}

enum Column<'a> {
    Choice(&'a str),
    Option(&'a str, &'a str),
    OtherText(&'a str),
    Text(&'a str),
}

const FIXED: [&str; 6] = ["reference", "submitted_at", "survey_version", "channel", "location", "officer"];

fn columns(survey: &Survey) -> Vec<Column<'_>> {
    let mut columns = Vec::new();
    for q in survey.questions() {
        match q.kind {
            Kind::Single | Kind::Scale => columns.push(Column::Choice(&q.id)),
            Kind::Multiple => {
                columns.extend(q.options.iter().map(|o| Column::Option(&q.id, &o.id)));
                if q.options.iter().any(|o| o.other) {
                    columns.push(Column::OtherText(&q.id));
                }
            }
            Kind::ShortText | Kind::LongText => columns.push(Column::Text(&q.id)),
        }
    }
    columns
}

pub fn header(survey: &Survey, labels: bool) -> Vec<String> {
    let text = |qid: &str| survey.question(qid).map_or(qid.to_owned(), |q| q.text.clone());
    let option = |qid: &str, oid: &str| {
        survey.question(qid).and_then(|q| q.option(oid)).map_or(oid.to_owned(), |o| o.label.clone())
    };
    let mut header: Vec<String> = FIXED.iter().map(|s| (*s).to_owned()).collect();
    header.extend(columns(survey).iter().map(|c| match (c, labels) {
        (Column::Choice(q) | Column::Text(q), false) => (*q).to_owned(),
        (Column::Choice(q) | Column::Text(q), true) => text(q),
        (Column::Option(q, o), false) => format!("{q}:{o}"),
        (Column::Option(q, o), true) => format!("{}: {}", text(q), option(q, o)),
        (Column::OtherText(q), false) => format!("{q}:other_text"),
        (Column::OtherText(q), true) => format!("{}: other (in their words)", text(q)),
    }));
    header
}

/// One response as read from the database.
#[derive(Default)]
struct Gathered {
    fixed: Vec<String>,
    /// question id -> (option id, text) rows
    answers: HashMap<String, Vec<(String, Option<String>)>>,
}

fn row(survey: &Survey, columns: &[Column<'_>], labels: bool, r: &Gathered) -> Vec<String> {
    let label = |qid: &str, oid: &str| -> String {
        if !labels {
            return oid.to_owned();
        }
        survey.question(qid).and_then(|q| q.option(oid)).map_or(oid.to_owned(), |o| o.label.clone())
    };
    let mut cells = r.fixed.clone();
    for c in columns {
        let cell = match c {
            Column::Choice(q) => r.answers.get(*q).and_then(|a| a.first()).map(|(o, _)| label(q, o)).unwrap_or_default(),
            // 1 or 0 when the question was answered; empty when it was skipped or not shown.
            Column::Option(q, o) => match r.answers.get(*q) {
                None => String::new(),
                Some(rows) if rows.iter().any(|(id, _)| id == o) => "1".into(),
                Some(_) => "0".into(),
            },
            Column::OtherText(q) => r.answers.get(*q).and_then(|a| a.iter().find_map(|(_, t)| t.clone())).unwrap_or_default(),
            Column::Text(q) => r.answers.get(*q).and_then(|a| a.first()).and_then(|(_, t)| t.clone()).unwrap_or_default(),
        };
        cells.push(cell);
    }
    cells
}

fn iso8601(at: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(at)
        .ok()
        .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_default()
}

/// One CSV record, each cell made safe for spreadsheets; RFC 4180 quoting is the csv crate's.
fn write_row<'a>(csv: &mut csv::Writer<Vec<u8>>, cells: impl Iterator<Item = &'a String>) -> Result<(), AppError> {
    for cell in cells {
        csv.write_field(safe(cell).as_bytes()).map_err(|e| AppError::Internal(e.into()))?;
    }
    csv.write_record(None::<&[u8]>).map_err(|e| AppError::Internal(e.into()))
}

fn into_bytes(csv: csv::Writer<Vec<u8>>) -> Result<Vec<u8>, AppError> {
    csv.into_inner().map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))
}

/// Flushes to the sink each time this much CSV has built up.
const CHUNK: usize = 64 * 1024;

/// Writes the export; returns the number of responses written.
pub async fn write(db: &Db, version: &SurveyVersion, filters: &Filters, options: Options, sink: &mut Sink) -> Result<u64, AppError> {
    let survey = &version.survey;
    let columns = columns(survey);
    let start = if options.bom { BOM.to_vec() } else { Vec::new() };
    let mut csv = csv::Writer::from_writer(start);
    write_row(&mut csv, header(survey, options.labels).iter())?;

    let mut sql = String::from(
        "SELECT r.id, r.reference, r.submitted_at, v.version, r.channel, l.label AS location, s.email AS officer, \
         a.question_id, a.option_id, a.text FROM response r \
         JOIN survey_version v ON v.id = r.survey_version_id \
         LEFT JOIN list_item l ON l.id = r.location_id \
         LEFT JOIN staff s ON s.id = r.officer_id \
         LEFT JOIN answer a ON a.response_id = r.id \
         WHERE r.survey_id = $1",
    );
    let mut n = 1;
    let mut condition = |sql: &mut String, clause: &str| {
        n += 1;
        sql.push_str(&format!(" AND {clause} ${n}"));
    };
    if filters.from.is_some() {
        condition(&mut sql, "r.submitted_at >=");
    }
    if filters.to.is_some() {
        condition(&mut sql, "r.submitted_at <");
    }
    if filters.channel.is_some() {
        condition(&mut sql, "r.channel =");
    }
    if filters.location_id.is_some() {
        condition(&mut sql, "r.location_id =");
    }
    if filters.version.is_some() {
        condition(&mut sql, "v.version =");
    }
    sql.push_str(" ORDER BY r.id");
    let mut query = sqlx::query(&sql).bind(version.survey_id);
    if let Some(from) = filters.from {
        query = query.bind(from);
    }
    if let Some(to) = filters.to {
        query = query.bind(to);
    }
    if let Some(channel) = &filters.channel {
        query = query.bind(channel.clone());
    }
    if let Some(location) = filters.location_id {
        query = query.bind(location);
    }
    if let Some(v) = filters.version {
        query = query.bind(v);
    }

    let mut rows = query.fetch(&db.read);
    let mut current: Option<(i64, Gathered)> = None;
    let mut written = 0u64;
    loop {
        let next = rows.try_next().await?;
        let id: Option<i64> = next.as_ref().map(|r| r.try_get("id")).transpose()?;
        if current.as_ref().map(|(cid, _)| Some(*cid)) != Some(id) {
            if let Some((_, gathered)) = current.take() {
                write_row(&mut csv, row(survey, &columns, options.labels, &gathered).iter())?;
                written += 1;
                if csv.get_ref().len() >= CHUNK {
                    let full = std::mem::replace(&mut csv, csv::Writer::from_writer(Vec::with_capacity(CHUNK * 2)));
                    sink.send(into_bytes(full)?).await?;
                }
            }
            let Some(r) = &next else { break };
            let fixed = vec![
                r.try_get::<String, _>("reference")?,
                iso8601(r.try_get("submitted_at")?),
                r.try_get::<i64, _>("version")?.to_string(),
                r.try_get::<String, _>("channel")?,
                r.try_get::<Option<String>, _>("location")?.unwrap_or_default(),
                r.try_get::<Option<String>, _>("officer")?.unwrap_or_default(),
            ];
            current = Some((id.unwrap_or_default(), Gathered { fixed, answers: HashMap::new() }));
        }
        if let (Some(r), Some((_, gathered))) = (&next, current.as_mut()) {
            if let Some(question) = r.try_get::<Option<String>, _>("question_id")? {
                let option: String = r.try_get("option_id")?;
                let text: Option<String> = r.try_get("text")?;
                gathered.answers.entry(question).or_default().push((option, text));
            }
        }
    }
    sink.send(into_bytes(csv)?).await?;
    sink.finish().await?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_stable_ids_in_survey_order() {
        let survey = crate::survey::builtin();
        let header = header(&survey, false);
        assert_eq!(&header[..7], ["reference", "submitted_at", "survey_version", "channel", "location", "officer", "used_online"]);
        assert!(header.contains(&"why_not_online:no_internet".to_owned()));
        assert!(header.contains(&"why_not_online:other_text".to_owned()));
        assert!(header.contains(&"age_band".to_owned()));
        assert_eq!(header.last().unwrap(), "comments");
        let labelled = super::header(&survey, true);
        assert!(labelled.contains(&"Why have you not used the council's online services?: I do not have the internet".to_owned()));
    }
}
