//! The responses export: one row per sent response, stable column names, streamed from a database
//! cursor so that memory stays flat however many rows there are.

use super::cells::{BOM, safe};
use crate::db::{Backend, Db};
use crate::error::AppError;
use crate::insight::redact::redact;
use crate::responses::filters::{Filters, Param};
use crate::survey::{Catalogue, Kind, Survey, SurveyVersion};
use futures_util::TryStreamExt;
use std::collections::HashMap;
use std::sync::Arc;
use tokio::io::AsyncWriteExt;

#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Question text and option labels instead of ids, for people reading the sheet.
    pub labels: bool,
    pub bom: bool,
    /// Email addresses, phone numbers and postcodes in free text replaced by markers.
    pub redact: bool,
    /// Line breaks in written answers made spaces: SPSS and PSPP read one case per line.
    pub one_line: bool,
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
            Sink::Writer(w) => w.write_all(&bytes).await.map_err(AppError::from),
        }
    }

    async fn finish(&mut self) -> Result<(), AppError> {
        if let Sink::Writer(w) = self {
            w.flush().await.map_err(AppError::from)?;
        }
        Ok(())
    }
}

const FIXED: [&str; 7] = ["reference", "submitted_at", "survey_version", "channel", "location", "officer", "language"];

/// One column of the export, described for statistics packages ([`Layout::described`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Described {
    /// As in the file's header row.
    pub name: String,
    /// The question (and option) in words.
    pub label: String,
    pub values: Values,
}

/// What a column's cells can be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Values {
    /// Words (or nothing).
    Text,
    /// A whole number.
    Number,
    /// One of these ids, each with its label (or nothing: not asked, or not answered).
    Labelled(Vec<(String, String)>),
    /// 1 if ticked, 0 if not, nothing if the question was not answered.
    Ticked,
    /// A number with a fractional part: a weight, or a decimal question's answer.
    Decimal,
    /// A day, written `2007-03-27`.
    Date,
}

/// What one column holds of a question.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    /// A single choice or scale's option, or a text answer.
    Answer,
    /// 1 or 0 for one option of a multiple choice question.
    Option(String),
    /// The words written beside "Something else".
    OtherText,
}

/// The export's columns: every question any published version of the survey asked, so that
/// nothing a resident told us is left out of the export or of their own copy. Questions come in
/// the current version's order, then those only older versions asked, newest first; an option only
/// an older version offered follows its question's other options. Each response's cells are read
/// with its own version's questions and labels.
pub struct Layout {
    /// (question id, part, heading with labels), in order.
    columns: Vec<(String, Part, String)>,
    /// Every version by its number.
    versions: HashMap<i64, Arc<Survey>>,
    /// By version: the columns it has no place for (worked out once; an import asks for every row).
    not_asked: HashMap<i64, Vec<String>>,
    /// When the survey's results are weighted: each respondent's weight by their cell, written in
    /// a last column, `weight`.
    weights: Option<HashMap<String, f64>>,
}

/// The last column's name, when the results are weighted. An import takes a file with it and
/// leaves it: weights are worked out, not stored.
pub const WEIGHT: &str = "weight";

impl Layout {
    /// `versions` newest first.
    pub fn new(versions: &[(i64, Arc<Survey>)]) -> Layout {
        // (question id, its newest wording, its columns with their headings)
        type Group = (String, String, Vec<(Part, String)>);
        let mut groups: Vec<Group> = Vec::new();
        for (_, survey) in versions {
            for q in survey.questions() {
                let text =
                    groups.iter().find(|(id, ..)| *id == q.id).map_or(q.text.as_str(), |(_, text, _)| text.as_str());
                let parts: Vec<(Part, String)> = match q.kind {
                    Kind::Single
                    | Kind::Scale
                    | Kind::ShortText
                    | Kind::LongText
                    | Kind::WholeNumber
                    | Kind::Decimal
                    | Kind::Date
                    | Kind::Postcode => {
                        vec![(Part::Answer, text.to_owned())]
                    }
                    Kind::Note => vec![],
                    Kind::Multiple => q
                        .options
                        .iter()
                        .map(|o| (Part::Option(o.id.clone()), format!("{text}: {}", o.label)))
                        .chain(
                            q.options
                                .iter()
                                .any(|o| o.other)
                                .then(|| (Part::OtherText, format!("{text}: other (in their words)"))),
                        )
                        .collect(),
                };
                match groups.iter_mut().find(|(id, ..)| *id == q.id) {
                    Some((_, _, known)) => {
                        for (part, heading) in parts {
                            if !known.iter().any(|(p, _)| *p == part) {
                                known.push((part, heading));
                            }
                        }
                    }
                    None => groups.push((q.id.clone(), q.text.clone(), parts)),
                }
            }
        }
        let columns = groups
            .into_iter()
            .flat_map(|(q, _, parts)| parts.into_iter().map(move |(p, h)| (q.clone(), p, h)))
            .collect();
        let mut layout =
            Layout { columns, versions: versions.iter().cloned().collect(), not_asked: HashMap::new(), weights: None };
        layout.not_asked =
            versions.iter().map(|(number, survey)| (*number, layout.columns_not_asked_by(survey))).collect();
        layout
    }

    /// Every published version of the survey.
    pub async fn load(db: &Db, catalogue: &Catalogue, survey_id: i64) -> Result<Layout, AppError> {
        Layout::load_in(db, catalogue, survey_id, None).await
    }

    /// The same, with the headings and labels in `language` where a version has it.
    pub async fn load_in(
        db: &Db,
        catalogue: &Catalogue,
        survey_id: i64,
        language: Option<&crate::i18n::Language>,
    ) -> Result<Layout, AppError> {
        let versions = catalogue.versions(db, survey_id).await?;
        let mut layout = Layout::new(
            &versions.into_iter().rev().map(|v| (v.version, v.survey.translated(language))).collect::<Vec<_>>(),
        );
        layout.weights = crate::insight::weighting::results::cell_weights(db, catalogue, survey_id).await?;
        Ok(layout)
    }

    pub fn header(&self, labels: bool) -> Vec<String> {
        let mut header: Vec<String> = FIXED.iter().map(|s| (*s).to_owned()).collect();
        header.extend(self.columns.iter().map(|(q, part, heading)| match (part, labels) {
            (_, true) => heading.clone(),
            (Part::Answer, false) => q.clone(),
            (Part::Option(o), false) => format!("{q}:{o}"),
            (Part::OtherText, false) => format!("{q}:other_text"),
        }));
        if self.weights.is_some() {
            header.push(WEIGHT.to_owned());
        }
        header
    }

    /// Every column of the export as statistics packages describe it: its name in the file, what it
    /// holds in words, and the labels of the values it can take.
    pub fn described(&self) -> Vec<Described> {
        let fixed = [
            ("reference", "Reference given to the resident", Values::Text),
            ("submitted_at", "When the answers were sent (UTC, ISO 8601)", Values::Text),
            ("survey_version", "Version of the survey answered", Values::Number),
            (
                "channel",
                "How the answers reached us",
                Values::Labelled(
                    std::iter::once(crate::survey::CHANNEL_WEB)
                        .chain(crate::survey::CHANNELS.iter().map(|(id, _)| *id))
                        .map(|id| (id.to_owned(), crate::survey::channel_label(id)))
                        .collect(),
                ),
            ),
            ("location", "Where an officer took the answers", Values::Text),
            ("officer", "The officer who took the answers", Values::Text),
            (
                "language",
                "The language the answers were given in (en English, cy Welsh, en-x-easyread Easy Read English)",
                Values::Text,
            ),
        ];
        let mut newest_first: Vec<(&i64, &Arc<Survey>)> = self.versions.iter().collect();
        newest_first.sort_by(|a, b| b.0.cmp(a.0));
        let names = self.header(false);
        let weight = self.weights.as_ref().map(|_| Described {
            name: WEIGHT.into(),
            label: "Weight to the borough's population (the average is 1)".into(),
            values: Values::Decimal,
        });
        let columns = self.columns.iter().zip(&names[FIXED.len()..]).map(|((qid, part, heading), name)| {
            let question = newest_first.iter().find_map(|(_, s)| s.question(qid));
            // Every option any version offered, newest wording first: an answer to an option a
            // later version dropped still has its label.
            let mut offered: Vec<(String, String)> = Vec::new();
            for q in newest_first
                .iter()
                .filter_map(|(_, s)| s.question(qid))
                .filter(|q| !q.kind.is_text() && q.kind != Kind::Multiple)
            {
                for o in &q.options {
                    if !offered.iter().any(|(id, _)| *id == o.id) {
                        offered.push((o.id.clone(), o.label.clone()));
                    }
                }
            }
            let values = match (question, part) {
                (Some(q), Part::Answer) if q.kind == Kind::WholeNumber => Values::Number,
                (Some(q), Part::Answer) if q.kind == Kind::Decimal => Values::Decimal,
                (Some(q), Part::Answer) if q.kind == Kind::Date => Values::Date,
                (Some(q), Part::Answer) if q.kind == Kind::Postcode => Values::Text,
                (Some(q), Part::Answer) if !q.kind.is_text() => Values::Labelled(offered),
                (_, Part::Option(_)) => Values::Ticked,
                _ => Values::Text,
            };
            Described { name: name.clone(), label: heading.clone(), values }
        });
        fixed
            .into_iter()
            .map(|(name, label, values)| Described { name: name.into(), label: label.into(), values })
            .chain(columns)
            .chain(weight)
            .collect()
    }

    /// The survey version `number` of this survey, if there is one.
    pub fn version(&self, number: i64) -> Option<&Arc<Survey>> {
        self.versions.get(&number)
    }

    /// The columns (by name) that version `number` has no place for: a cell there must be empty.
    pub fn not_asked_by(&self, number: i64) -> &[String] {
        self.not_asked.get(&number).map_or(&[], Vec::as_slice)
    }

    fn columns_not_asked_by(&self, survey: &Survey) -> Vec<String> {
        let header = self.header(false);
        self.columns
            .iter()
            .zip(&header[FIXED.len()..])
            .filter(|((q, part, _), _)| {
                let Some(question) = survey.question(q) else { return true };
                match part {
                    Part::Answer => question.kind == Kind::Multiple,
                    Part::Option(o) => question.kind != Kind::Multiple || question.option(o).is_none(),
                    Part::OtherText => question.kind != Kind::Multiple || !question.options.iter().any(|o| o.other),
                }
            })
            .map(|(_, name)| name.clone())
            .collect()
    }
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

/// Writes one response's cells after its fixed ones, read with its own version's questions.
fn write_answers(
    csv: &mut csv::Writer<Vec<u8>>,
    layout: &Layout,
    version: i64,
    options: Options,
    answers: &Gathered<'_>,
) -> Result<(), AppError> {
    let survey = layout.version(version);
    let words = |text: &str| -> String {
        let text = if options.redact { redact(text) } else { text.into() };
        if options.one_line {
            text.split(['\r', '\n']).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ")
        } else {
            text.into_owned()
        }
    };
    for (qid, part, _) in &layout.columns {
        let question = survey.and_then(|s| s.question(qid));
        let given = answers.get(qid.as_str());
        let cell: std::borrow::Cow<'_, str> = match (question, part) {
            (None, _) => "".into(),
            (Some(q), Part::Answer) if q.kind.is_text() => {
                words(given.and_then(|a| a.first()).and_then(|(_, t)| *t).unwrap_or_default()).into()
            }
            // The sector kept (empty when nothing of it was): no free text to redact.
            (Some(q), Part::Answer) if q.kind == Kind::Postcode => {
                given.and_then(|a| a.first()).and_then(|(_, t)| *t).unwrap_or_default().into()
            }
            (Some(q), Part::Answer) if q.kind != Kind::Multiple => match given.and_then(|a| a.first()) {
                Some((o, _)) if options.labels => q.option(o).map_or((*o).to_owned(), |o| o.label.clone()).into(),
                Some((o, _)) => (*o).into(),
                None => "".into(),
            },
            // 1 or 0 when the question was answered; empty when it was skipped or not shown, or
            // the response's version did not offer the option.
            (Some(q), Part::Option(o)) if q.kind == Kind::Multiple && q.option(o).is_some() => match given {
                None => "".into(),
                Some(rows) if rows.iter().any(|(id, _)| id == o) => "1".into(),
                Some(_) => "0".into(),
            },
            (Some(q), Part::OtherText) if q.kind == Kind::Multiple => {
                words(given.and_then(|a| a.iter().find_map(|(_, t)| *t)).unwrap_or_default()).into()
            }
            _ => "".into(),
        };
        // A number or date we wrote ourselves is no formula, and "-2.5" must stay a number.
        let cell = if question.is_some_and(|q| q.kind.is_value()) { cell } else { safe(&cell).into_owned().into() };
        csv.write_field(cell.as_bytes()).map_err(AppError::from)?;
    }
    if let Some(weights) = &layout.weights {
        // By the response's cell: its answers to its own version's cell questions.
        let answers = survey
            .into_iter()
            .flat_map(|s| crate::responses::tally::cell_questions(s))
            .filter_map(|q| answers.get(q.id.as_str()).and_then(|a| a.first()).map(|(o, _)| (q.id.as_str(), *o)));
        let weight = weights.get(&crate::responses::tally::cell(answers)).map(|w| format!("{w:.6}"));
        csv.write_field(weight.unwrap_or_default().as_bytes()).map_err(AppError::from)?;
    }
    csv.write_record(None::<&[u8]>).map_err(AppError::from)
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
        csv.write_field(safe(cell).as_bytes()).map_err(AppError::from)?;
    }
    csv.write_record(None::<&[u8]>).map_err(AppError::from)
}

fn into_bytes(csv: csv::Writer<Vec<u8>>) -> Result<Vec<u8>, AppError> {
    csv.into_inner().map_err(|e| AppError::from(e.into_error()))
}

/// Flushes to the sink each time this much CSV has built up.
const CHUNK: usize = 64 * 1024;

/// Turns rows into CSV bytes, a chunk at a time.
struct Encoder {
    layout: Layout,
    options: Options,
    csv: csv::Writer<Vec<u8>>,
    written: u64,
}

impl Encoder {
    fn new(layout: Layout, options: Options) -> Result<Encoder, AppError> {
        let start = if options.bom { BOM.to_vec() } else { Vec::new() };
        let mut csv = csv::Writer::from_writer(start);
        write_row(&mut csv, layout.header(options.labels).iter())?;
        Ok(Encoder { layout, options, csv, written: 0 })
    }

    /// Adds one response; hands back a chunk of CSV once enough has built up.
    fn push(&mut self, fixed: &[&str], version: i64, folded: Option<&str>) -> Result<Option<Vec<u8>>, AppError> {
        for cell in fixed {
            self.csv.write_field(safe(cell).as_bytes()).map_err(AppError::from)?;
        }
        write_answers(&mut self.csv, &self.layout, version, self.options, &gather(folded))?;
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
        Backend::Sqlite => {
            "group_concat(a.question_id || char(31) || a.option_id || char(31) || coalesce(a.text, ''), char(30))"
        }
        Backend::Postgres => {
            "string_agg(a.question_id || chr(31) || a.option_id || chr(31) || coalesce(a.text, ''), chr(30))"
        }
    };
    let (filter, params) = filters.where_clause();
    let sql = format!(
        "SELECT r.reference, r.submitted_at, v.version, r.channel, l.label AS location, s.email AS officer, r.language, \
         (SELECT {fold} FROM answer a WHERE a.response_id = r.id) AS answers FROM response r \
         JOIN survey_version v ON v.id = r.survey_version_id \
         LEFT JOIN list_item l ON l.id = r.location_id \
         LEFT JOIN staff s ON s.id = r.officer_id \
         WHERE {filter} ORDER BY r.id"
    );
    (sql, params)
}

/// One response as [`query`] gives it, borrowed from either backend's row, in the query's column
/// order.
struct ResponseFields<'r> {
    reference: &'r str,
    submitted_at: i64,
    version: i64,
    channel: &'r str,
    location: Option<&'r str>,
    officer: Option<&'r str>,
    language: &'r str,
    /// Its answers, folded (see [`query`]).
    answers: Option<&'r str>,
}

impl<'r> ResponseFields<'r> {
    /// From rusqlite, borrowed: the export reads a million rows, and copying each would cost.
    fn read(row: &'r rusqlite::Row) -> rusqlite::Result<ResponseFields<'r>> {
        let text = |i: usize| -> rusqlite::Result<Option<&'r str>> { Ok(row.get_ref(i)?.as_str_or_null()?) };
        Ok(ResponseFields {
            reference: text(0)?.unwrap_or_default(),
            submitted_at: row.get(1)?,
            version: row.get(2)?,
            channel: text(3)?.unwrap_or_default(),
            location: text(4)?,
            officer: text(5)?,
            language: text(6)?.unwrap_or_default(),
            answers: text(7)?,
        })
    }
}

/// The same, owned, as sqlx decodes it.
#[derive(sqlx::FromRow)]
struct ResponseRow {
    reference: String,
    submitted_at: i64,
    version: i64,
    channel: String,
    location: Option<String>,
    officer: Option<String>,
    language: String,
    answers: Option<String>,
}

impl ResponseRow {
    fn fields(&self) -> ResponseFields<'_> {
        ResponseFields {
            reference: &self.reference,
            submitted_at: self.submitted_at,
            version: self.version,
            channel: &self.channel,
            location: self.location.as_deref(),
            officer: self.officer.as_deref(),
            language: &self.language,
            answers: self.answers.as_deref(),
        }
    }
}

impl Encoder {
    /// Adds a response; gives a chunk of output when one is ready.
    fn push_row(&mut self, row: ResponseFields<'_>) -> Result<Option<Vec<u8>>, AppError> {
        let (submitted, version) = (iso8601(row.submitted_at), row.version.to_string());
        let fixed = [
            row.reference,
            &submitted,
            &version,
            row.channel,
            row.location.unwrap_or_default(),
            row.officer.unwrap_or_default(),
            row.language,
        ];
        self.push(&fixed, row.version, row.answers)
    }
}

/// Writes the export; returns the number of responses written. With labels, they are in
/// `labels_in` where the survey has that language, else in the survey's own.
pub async fn write(
    db: &Db,
    catalogue: &Catalogue,
    version: &SurveyVersion,
    filters: &Filters,
    options: Options,
    labels_in: Option<&crate::i18n::Language>,
    sink: &mut Sink,
) -> Result<u64, AppError> {
    let (sql, params) = query(db.backend, filters);
    let mut encoder = Encoder::new(Layout::load_in(db, catalogue, version.survey_id, labels_in).await?, options)?;
    let survey_id = version.survey_id;

    if let Some(path) = db.sqlite_path.clone() {
        // SQLite: read on a blocking thread with rusqlite, at sqlite3's own pace; chunks come back
        // through a small channel, so memory stays flat and a slow reader slows the query.
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<u8>>(4);
        let reader = tokio::task::spawn_blocking(move || -> Result<(u64, Vec<u8>), AppError> {
            let fail = |e: rusqlite::Error| AppError::Internal(e.into());
            let conn = rusqlite::Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
                .map_err(fail)?;
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
                if let Some(chunk) = encoder.push_row(ResponseFields::read(r).map_err(fail)?)? {
                    tx.blocking_send(chunk)
                        .map_err(|_| AppError::Internal(anyhow::anyhow!("the export's reader went away")))?;
                }
            }
            encoder.finish()
        });
        while let Some(chunk) = rx.recv().await {
            sink.send(chunk).await?;
        }
        let (written, rest) = reader.await.map_err(AppError::from)??;
        sink.send(rest).await?;
        sink.finish().await?;
        return Ok(written);
    }

    let mut query = sqlx::query_as::<_, ResponseRow>(&sql).bind(survey_id);
    for p in &params {
        query = match p {
            Param::Int(i) => query.bind(*i),
            Param::Text(t) => query.bind(t.as_str()),
        };
    }
    let mut rows = query.fetch(&db.read);
    while let Some(row) = rows.try_next().await? {
        if let Some(chunk) = encoder.push_row(row.fields())? {
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

    fn header(survey: &Survey, labels: bool) -> Vec<String> {
        Layout::new(&[(1, Arc::new(survey.clone()))]).header(labels)
    }

    fn survey(toml: &str) -> Arc<Survey> {
        Arc::new(Survey::from_document(toml).unwrap())
    }

    const V1: &str = r#"
id = "s"
title = "S"
minutes = 1
[[questions]]
id = "why"
type = "multiple"
text = "Why?"
options = [{ id = "cost", label = "Cost" }, { id = "scams", label = "Scams" }, { id = "other", label = "Other", other = true }]
[[questions]]
id = "dropped"
type = "single"
text = "Asked once"
options = [{ id = "yes", label = "Yes" }, { id = "no", label = "No" }]
"#;

    const V2: &str = r#"
id = "s"
title = "S"
minutes = 1
[[questions]]
id = "new"
type = "short_text"
text = "New question"
[[questions]]
id = "why"
type = "multiple"
text = "Why not?"
options = [{ id = "cost", label = "Cost" }, { id = "time", label = "Time" }]
"#;

    #[test]
    fn every_version_has_its_columns_in_a_stable_order() {
        let layout = Layout::new(&[(2, survey(V2)), (1, survey(V1))]);
        assert_eq!(
            layout.header(false)[FIXED.len()..],
            ["new", "why:cost", "why:time", "why:scams", "why:other", "why:other_text", "dropped"]
        );
        // Headings come from the newest version that asked.
        assert!(layout.header(true).contains(&"Why not?: Scams".to_owned()));
        assert_eq!(layout.not_asked_by(2), ["why:scams", "why:other", "why:other_text", "dropped"]);
        assert_eq!(layout.not_asked_by(1), ["new", "why:time"]);
    }

    #[test]
    fn each_response_is_written_with_its_own_versions_labels() {
        let layout = Layout::new(&[(2, survey(V2)), (1, survey(V1))]);
        let row = |version: i64, folded: &str| {
            let mut csv = csv::Writer::from_writer(Vec::new());
            let options = Options { labels: true, ..Options::default() };
            write_answers(&mut csv, &layout, version, options, &gather(Some(folded))).unwrap();
            String::from_utf8(csv.into_inner().unwrap()).unwrap()
        };
        let old = row(1, "why\u{1f}scams\u{1f}\u{1e}why\u{1f}other\u{1f}buses\u{1e}dropped\u{1f}no\u{1f}");
        assert_eq!(old.trim_end(), ",0,,1,1,buses,No");
        let new = row(2, "new\u{1f}\u{1f}hello\u{1e}why\u{1f}time\u{1f}");
        assert_eq!(new.trim_end(), "hello,0,1,,,,");
    }

    #[test]
    fn columns_are_stable_ids_in_survey_order() {
        let survey = crate::survey::builtin();
        let header = header(&survey, false);
        assert_eq!(
            &header[..8],
            [
                "reference",
                "submitted_at",
                "survey_version",
                "channel",
                "location",
                "officer",
                "language",
                "used_online"
            ]
        );
        assert!(header.contains(&"why_not_online:no_internet".to_owned()));
        assert!(header.contains(&"why_not_online:other_text".to_owned()));
        assert!(header.contains(&"age_band".to_owned()));
        assert_eq!(header.last().unwrap(), "comments");
        let labelled = self::tests::header(&survey, true);
        assert!(
            labelled.contains(
                &"Why have you not used the council's online services?: I do not have the internet".to_owned()
            )
        );
    }
}
