//! The responses export: one row per sent response, stable column names, streamed from a database
//! cursor so that memory stays flat however many rows there are.

use super::cells::{safe, BOM};
use crate::privacy::redact;
use crate::db::{Backend, Db};
use crate::error::AppError;
use crate::survey::{Kind, Survey, SurveyVersion};
use futures_util::TryStreamExt;
use sqlx::Row;
use std::collections::HashMap;
use std::sync::Arc;
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
    /// Only people who gave these answers: (question id, option id), such as a ward or age band.
    pub answers: Vec<(String, String)>,
    /// Only the response with this reference (a resident's subject access request).
    pub reference: Option<String>,
}

/// A value bound to a filter's placeholder.
#[derive(Debug, Clone)]
pub enum Param {
    Int(i64),
    Text(String),
}

impl Filters {
    /// The WHERE clause for these filters, with `r` the response table and `$1` the survey id,
    /// and the values for `$2` onwards. Every query that selects responses uses this one.
    pub fn where_clause(&self) -> (String, Vec<Param>) {
        let mut sql = String::from("r.survey_id = $1");
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
        if let Some(reference) = &self.reference {
            sql += &format!(" AND r.reference = {}", next(&mut params, Param::Text(reference.clone())));
        }
        for (question, option) in &self.answers {
            let q = next(&mut params, Param::Text(question.clone()));
            let o = next(&mut params, Param::Text(option.clone()));
            sql += &format!(" AND r.id IN (SELECT response_id FROM answer WHERE question_id = {q} AND option_id = {o})");
        }
        (sql, params)
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Question text and option labels instead of ids, for people reading the sheet.
    pub labels: bool,
    pub bom: bool,
    /// Email addresses, phone numbers and postcodes in free text replaced by markers.
    pub redact: bool,
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

/// One response's answers, borrowed from the folded field: question id -> (option id, text).
type Gathered<'a> = HashMap<&'a str, Vec<(&'a str, Option<&'a str>)>>;

fn gather(folded: Option<&str>) -> Gathered<'_> {
    let mut answers: Gathered<'_> = HashMap::new();
    for answer in folded.into_iter().flat_map(|f| f.split('\u{1e}')) {
        let mut parts = answer.splitn(3, '\u{1f}');
        let (Some(question), Some(option), text) = (parts.next(), parts.next(), parts.next()) else { continue };
        answers.entry(question).or_default().push((option, text.filter(|t| !t.is_empty())));
    }
    answers
}

/// Writes one response's cells after its fixed ones.
fn write_answers(csv: &mut csv::Writer<Vec<u8>>, survey: &Survey, columns: &[Column<'_>], options: Options, answers: &Gathered<'_>) -> Result<(), AppError> {
    let labels = options.labels;
    let words = |text: &str| -> String { if options.redact { redact(text).into_owned() } else { text.to_owned() } };
    let label = |qid: &str, oid: &str| -> String {
        match labels {
            false => oid.to_owned(),
            true => survey.question(qid).and_then(|q| q.option(oid)).map_or(oid.to_owned(), |o| o.label.clone()),
        }
    };
    for c in columns {
        let cell: std::borrow::Cow<'_, str> = match c {
            Column::Choice(q) => answers.get(q).and_then(|a| a.first()).map(|(o, _)| label(q, o).into()).unwrap_or_default(),
            // 1 or 0 when the question was answered; empty when it was skipped or not shown.
            Column::Option(q, o) => match answers.get(q) {
                None => "".into(),
                Some(rows) if rows.iter().any(|(id, _)| id == o) => "1".into(),
                Some(_) => "0".into(),
            },
            Column::OtherText(q) => words(answers.get(q).and_then(|a| a.iter().find_map(|(_, t)| *t)).unwrap_or_default()).into(),
            Column::Text(q) => words(answers.get(q).and_then(|a| a.first()).and_then(|(_, t)| *t).unwrap_or_default()).into(),
        };
        csv.write_field(safe(&cell).as_bytes()).map_err(|e| AppError::Internal(e.into()))?;
    }
    csv.write_record(None::<&[u8]>).map_err(|e| AppError::Internal(e.into()))
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

/// Turns rows into CSV bytes, a chunk at a time.
struct Encoder {
    survey: Arc<Survey>,
    options: Options,
    csv: csv::Writer<Vec<u8>>,
    written: u64,
}

impl Encoder {
    fn new(survey: Arc<Survey>, options: Options) -> Result<Encoder, AppError> {
        let start = if options.bom { BOM.to_vec() } else { Vec::new() };
        let mut csv = csv::Writer::from_writer(start);
        write_row(&mut csv, header(&survey, options.labels).iter())?;
        Ok(Encoder { survey, options, csv, written: 0 })
    }

    /// Adds one response; hands back a chunk of CSV once enough has built up.
    fn push(&mut self, fixed: &[&str], folded: Option<&str>) -> Result<Option<Vec<u8>>, AppError> {
        for cell in fixed {
            self.csv.write_field(safe(cell).as_bytes()).map_err(|e| AppError::Internal(e.into()))?;
        }
        let columns = columns(&self.survey);
        write_answers(&mut self.csv, &self.survey, &columns, self.options, &gather(folded))?;
        self.written += 1;
        if self.csv.get_ref().len() < CHUNK {
            return Ok(None);
        }
        let full = std::mem::replace(&mut self.csv, csv::Writer::from_writer(Vec::with_capacity(CHUNK * 2)));
        into_bytes(full).map(Some)
    }

    fn finish(self) -> Result<(u64, Vec<u8>), AppError> {
        Ok((self.written, into_bytes(self.csv)?))
    }
}

/// The query: one row per response, its answers folded into one field, a seventh of the rows a
/// join would give. Stored text never holds control characters other than newline and tab (see
/// `clean_text`), so the unit and record separators cannot clash. Returns the SQL and its
/// parameters after the survey id.
fn query(backend: Backend, filters: &Filters) -> (String, Vec<Param>) {
    let fold = match backend {
        Backend::Sqlite => "group_concat(a.question_id || char(31) || a.option_id || char(31) || coalesce(a.text, ''), char(30))",
        Backend::Postgres => "string_agg(a.question_id || chr(31) || a.option_id || chr(31) || coalesce(a.text, ''), chr(30))",
    };
    let (filter, params) = filters.where_clause();
    let sql = format!(
        "SELECT r.reference, r.submitted_at, v.version, r.channel, l.label AS location, s.email AS officer, \
         (SELECT {fold} FROM answer a WHERE a.response_id = r.id) AS answers FROM response r \
         JOIN survey_version v ON v.id = r.survey_version_id \
         LEFT JOIN list_item l ON l.id = r.location_id \
         LEFT JOIN staff s ON s.id = r.officer_id \
         WHERE {filter} ORDER BY r.id"
    );
    (sql, params)
}


/// Writes the export; returns the number of responses written.
pub async fn write(db: &Db, version: &SurveyVersion, filters: &Filters, options: Options, sink: &mut Sink) -> Result<u64, AppError> {
    let (sql, params) = query(db.backend, filters);
    let mut encoder = Encoder::new(version.survey.clone(), options)?;
    let survey_id = version.survey_id;

    if let Some(path) = db.sqlite_path.clone() {
        // SQLite: read on a blocking thread with rusqlite, at sqlite3's own pace; chunks come back
        // through a small channel, so memory stays flat and a slow reader slows the query.
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<u8>>(4);
        let reader = tokio::task::spawn_blocking(move || -> Result<(u64, Vec<u8>), AppError> {
            let fail = |e: rusqlite::Error| AppError::Internal(e.into());
            let conn = rusqlite::Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(fail)?;
            let mut statement = conn.prepare(&sql).map_err(fail)?;
            let mut bound: Vec<Box<dyn rusqlite::ToSql>> = vec![Box::new(survey_id)];
            bound.extend(params.into_iter().map(|p| -> Box<dyn rusqlite::ToSql> {
                match p {
                    Param::Int(i) => Box::new(i),
                    Param::Text(t) => Box::new(t),
                }
            }));
            let mut rows = statement.query(rusqlite::params_from_iter(bound.iter())).map_err(fail)?;
            while let Some(r) = rows.next().map_err(fail)? {
                let text = |i: usize| r.get_ref(i).ok().and_then(|v| v.as_str_or_null().ok().flatten()).unwrap_or_default();
                let (submitted, version) = (iso8601(r.get(1).map_err(fail)?), r.get::<_, i64>(2).map_err(fail)?.to_string());
                let fixed = [text(0), submitted.as_str(), version.as_str(), text(3), text(4), text(5)];
                if let Some(chunk) = encoder.push(&fixed, r.get_ref(6).ok().and_then(|v| v.as_str_or_null().ok().flatten()))? {
                    tx.blocking_send(chunk).map_err(|_| AppError::Internal(anyhow::anyhow!("the export's reader went away")))?;
                }
            }
            encoder.finish()
        });
        while let Some(chunk) = rx.recv().await {
            sink.send(chunk).await?;
        }
        let (written, rest) = reader.await.map_err(|e| AppError::Internal(e.into()))??;
        sink.send(rest).await?;
        sink.finish().await?;
        return Ok(written);
    }

    let mut query = sqlx::query(&sql).bind(survey_id);
    for p in &params {
        query = match p {
            Param::Int(i) => query.bind(*i),
            Param::Text(t) => query.bind(t.as_str()),
        };
    }
    let mut rows = query.fetch(&db.read);
    while let Some(r) = rows.try_next().await? {
        let (reference, channel): (String, String) = (r.try_get("reference")?, r.try_get("channel")?);
        let location: Option<String> = r.try_get("location")?;
        let officer: Option<String> = r.try_get("officer")?;
        let (submitted, version) = (iso8601(r.try_get("submitted_at")?), r.try_get::<i64, _>("version")?.to_string());
        let fixed = [reference.as_str(), &submitted, &version, &channel, location.as_deref().unwrap_or_default(), officer.as_deref().unwrap_or_default()];
        let folded: Option<String> = r.try_get("answers")?;
        if let Some(chunk) = encoder.push(&fixed, folded.as_deref())? {
            sink.send(chunk).await?;
        }
    }
    let (written, rest) = encoder.finish()?;
    sink.send(rest).await?;
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
