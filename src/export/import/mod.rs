//! Import of responses typed up elsewhere, in exactly the responses export's format (ids, not
//! labels), so that an export re-imports to the same data. Every row is checked against its
//! survey version's definition and rules; if any row fails, nothing is imported. The rows are
//! then stored a part at a time and shown all at once ([`run`]), so that residents answering
//! meanwhile are not held up behind the whole file.

use super::cells::BOM;
use super::responses::{Layout, WEIGHT};
use crate::audit::Event;
use crate::clock::CouncilTime;
use crate::db::{Backend, Db, now};
use crate::error::AppError;
use crate::keys::ServerKey;
use crate::responses::erased;
use crate::responses::reference;
use crate::responses::store::{AnswerRow, NewResponse, insert_all, insert_answers, rows};
use crate::responses::tally::{Counted, Counter};
use crate::survey::{
    ANSWER_FIELD, Catalogue, Kind, OTHER_FIELD, Progress, Route, Survey, SurveyVersion, read_answer, visibility,
};
use sqlx::Connection as _;
use std::collections::HashMap;
use std::sync::Arc;

pub mod run;
use run::Run;

/// Channels a response can have come in by.
/// Used when a row leaves the channel empty.
pub const DEFAULT_CHANNEL: &str = "paper";
/// Problems listed in a report, at most; the count says how many there were in all.
const MAX_LISTED: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// Line in the file (the header is line 1).
    pub line: usize,
    pub column: String,
    pub reason: String,
}

#[derive(Debug, Default)]
pub struct Report {
    pub imported: u64,
    pub skipped_existing: u64,
    pub errors: Vec<RowError>,
    pub error_count: usize,
    /// Rows answered before the survey's retention period began, if any.
    pub past_retention: Option<PastRetention>,
    /// When the import already under way began, if another was (one runs at a time).
    pub busy_since: Option<i64>,
}

/// Rows older than the survey's retention period. Imported as they are, retention would delete
/// them within the hour without anyone being told, so they are refused unless the admin chooses a
/// date to keep them until.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastRetention {
    pub rows: usize,
    /// The retention period's start: rows answered before it are past it (Unix seconds).
    pub before: i64,
    pub months: i64,
    /// When the admin chose to keep them until (Unix seconds), if they did.
    pub kept_until: Option<i64>,
}

impl PastRetention {
    /// What the admin is told, on the page and on the command line.
    pub fn describe(&self, clock: &CouncilTime) -> String {
        let rows = if self.rows == 1 { "1 row was".to_owned() } else { format!("{} rows were", self.rows) };
        let head = format!(
            "{rows} answered before {}, more than {} months ago: the survey's retention period",
            clock.format_day(self.before),
            self.months
        );
        match self.kept_until {
            Some(until) => format!("{head}. They are kept until {}, then deleted.", clock.format_day(until - 1)),
            None => format!(
                "{head}. Retention would delete them within the hour, so nothing was imported. To import them, choose a date to keep them until, or change the survey's retention period first."
            ),
        }
    }
}

/// One row, checked and ready to store.
struct Parsed {
    reference: String,
    submitted_at: i64,
    version: SurveyVersion,
    channel: String,
    location_id: Option<i64>,
    officer_id: Option<i64>,
    progress: Progress,
}

/// Undoes the export's spreadsheet safety: `'=x` was `=x`.
fn unneutralise(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

struct Lookups {
    versions: HashMap<i64, SurveyVersion>,
    locations: HashMap<String, i64>,
    officers: HashMap<String, i64>,
    /// A date answer's limits are judged on the day the row says it was answered.
    clock: CouncilTime,
}

impl Lookups {
    async fn load(db: &Db, catalogue: &Catalogue, survey_id: i64, clock: CouncilTime) -> Result<Lookups, AppError> {
        let ids: Vec<(i64, i64)> = sqlx::query_as("SELECT version, id FROM survey_version WHERE survey_id = $1")
            .bind(survey_id)
            .fetch_all(&db.read)
            .await?;
        let mut versions = HashMap::new();
        for (number, id) in ids {
            versions.insert(number, catalogue.version(db, id).await?);
        }
        let locations: Vec<(String, i64)> =
            sqlx::query_as("SELECT label, id FROM list_item WHERE list = 'location'").fetch_all(&db.read).await?;
        let officers: Vec<(String, i64)> = sqlx::query_as("SELECT email, id FROM staff").fetch_all(&db.read).await?;
        let (locations, officers) = (locations.into_iter().collect(), officers.into_iter().collect());
        Ok(Lookups { versions, locations, officers, clock })
    }
}

/// Where the file to import is: in memory (an upload through the form, which has it already), or
/// on disk (the command line, which has no size limit), read from there by each pass and never
/// held whole.
pub enum Source {
    Bytes(Vec<u8>),
    File(std::path::PathBuf),
}

impl Source {
    /// The file from its start, after a byte order mark if it has one.
    fn reader(&self) -> std::io::Result<Box<dyn std::io::BufRead + '_>> {
        use std::io::BufRead;
        let mut reader: Box<dyn BufRead + '_> = match self {
            Source::Bytes(bytes) => Box::new(bytes.as_slice()),
            Source::File(path) => Box::new(std::io::BufReader::with_capacity(1 << 16, std::fs::File::open(path)?)),
        };
        if reader.fill_buf()?.starts_with(BOM) {
            reader.consume(BOM.len());
        }
        Ok(reader)
    }
}

/// The file and what checking its lines needs, worked out once. Both passes read the file with it
/// on a thread of their own: checking is work for the processor, which would otherwise hold up the
/// server's other requests.
struct Checker {
    source: Source,
    columns: Vec<String>,
    index: HashMap<String, usize>,
    layout: Layout,
    lookups: Lookups,
}

impl Checker {
    /// Reads the header; a report of why not if it is not this survey's export.
    async fn new(
        db: &Db,
        catalogue: &Catalogue,
        survey_id: i64,
        source: Source,
        clock: CouncilTime,
    ) -> Result<Result<Checker, Report>, AppError> {
        let mut report = Report::default();
        let lookups = Lookups::load(db, catalogue, survey_id, clock).await?;
        let mut versions: Vec<(i64, Arc<Survey>)> =
            lookups.versions.iter().map(|(n, v)| (*n, v.survey.clone())).collect();
        versions.sort_by_key(|(number, _)| std::cmp::Reverse(*number));
        let layout = Layout::new(&versions);
        let expected = layout.header(false);
        let reader = match source.reader() {
            Ok(reader) => reader,
            Err(e) => {
                report.push(1, "", format!("the file cannot be read ({e})"));
                return Ok(Err(report));
            }
        };
        let found: Vec<String> = match csv::ReaderBuilder::new().from_reader(reader).headers() {
            // A download of weighted results ends with each response's weight: worked out again
            // from the answers, never read.
            Ok(h) => h
                .iter()
                .map(str::to_owned)
                .enumerate()
                .filter(|(i, c)| *i + 1 < h.len() || c != WEIGHT)
                .map(|(_, c)| c)
                .collect(),
            Err(e) => {
                report.push(1, "", format!("the file is not CSV this service can read ({e})"));
                return Ok(Err(report));
            }
        };
        // A file exported before responses kept their language has no `language` column: its
        // rows are in the survey's own language.
        let without_language: Vec<String> = expected.iter().filter(|c| *c != "language").cloned().collect();
        if found != expected && found != without_language {
            let missing: Vec<&String> = expected.iter().filter(|c| !found.contains(c)).collect();
            let unknown: Vec<&String> = found.iter().filter(|c| !expected.contains(c)).collect();
            let reason = match (missing.first(), unknown.first()) {
                (_, Some(u)) => format!("column `{u}` is not in this survey's export"),
                (Some(m), None) => format!("column `{m}` is missing"),
                (None, None) => "the columns are not in the export's order".to_owned(),
            };
            report.push(1, "", format!("{reason}; start from a responses export of this survey (ids, not labels)"));
            return Ok(Err(report));
        }
        let index = found.iter().enumerate().map(|(i, c)| (c.clone(), i)).collect();
        Ok(Ok(Checker { source, columns: found, index, layout, lookups }))
    }

    /// Every line after the header with its number in the file (the header is line 1).
    fn lines(&self) -> impl Iterator<Item = (usize, Result<csv::StringRecord, csv::Error>)> + '_ {
        let records: Box<dyn Iterator<Item = Result<csv::StringRecord, csv::Error>> + '_> = match self.source.reader() {
            Ok(reader) => Box::new(csv::ReaderBuilder::new().flexible(false).from_reader(reader).into_records()),
            // Gone since the header was read: the first line's problem, and nothing is imported.
            Err(e) => Box::new(std::iter::once(Err(csv::Error::from(e)))),
        };
        (2..).zip(records)
    }

    /// One line of the file, read and checked; None (with the reasons in the report) if it fails.
    fn check(&self, line: usize, record: Result<csv::StringRecord, csv::Error>, report: &mut Report) -> Option<Parsed> {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                report.push(line, "", format!("this line cannot be read as CSV ({e})"));
                return None;
            }
        };
        if let Some(i) = record.iter().position(|cell| !crate::db::is_storable_text(cell)) {
            report.push(
                line,
                self.columns.get(i).map_or(WEIGHT, String::as_str),
                "contains a control character (such as NUL) that cannot be stored; remove it".into(),
            );
            return None;
        }
        parse_row(line, &Cells { record: &record, index: &self.index }, &self.layout, &self.lookups, report)
    }

    /// The first pass: every row checked, keeping only what the checks need (each reference's
    /// line), so that memory stays small however long the file is. Also how many rows were sent
    /// before `before` (old enough for retention to delete).
    fn check_all(&self, before: i64) -> (Report, usize, HashMap<String, usize>) {
        let mut report = Report::default();
        let mut past = 0;
        let mut seen_references = HashMap::new();
        for (line, record) in self.lines() {
            let Some(row) = self.check(line, record, &mut report) else { continue };
            if let Some(first) = seen_references.insert(row.reference.clone(), line) {
                report.push(line, "reference", format!("{} is also on line {first}", row.reference));
            }
            past += usize::from(row.submitted_at < before);
        }
        (report, past, seen_references)
    }
}

/// Checks the whole file, then imports it, or reports why not. The rows are stored a part at a
/// time and shown all at once at the end ([`run`]): nothing is imported unless all is.
/// `keep_until` (Unix seconds): keep rows past the retention period until then.
pub async fn import(
    db: &Db,
    clock: &CouncilTime,
    catalogue: &Catalogue,
    current: &SurveyVersion,
    file: Source,
    key: &ServerKey,
    by: Option<i64>,
    keep_until: Option<i64>,
) -> Result<Report, AppError> {
    let checker = match Checker::new(db, catalogue, current.survey_id, file, clock.clone()).await? {
        Ok(checker) => Arc::new(checker),
        Err(report) => return Ok(report),
    };

    // First pass: check every row ([`Checker::check_all`]). Nothing is written unless all is well.
    let privacy = crate::survey::privacy::load(db, current.survey_id, "").await?;
    let before = privacy.responses_due_before(now());
    let (mut report, past, lines) = tokio::task::spawn_blocking({
        let checker = checker.clone();
        move || checker.check_all(before)
    })
    .await?;
    // Rows of responses their residents had erased stay out, each said by its line.
    let checked_at = now();
    refuse_erased(
        &mut report,
        &lines,
        erased::references(
            &mut *db.read.acquire().await?,
            key,
            &lines.keys().map(String::as_str).collect::<Vec<_>>(),
            0,
        )
        .await?,
    );
    if report.error_count > 0 {
        return Ok(report);
    }
    // Nothing old enough for retention to delete goes in unless the admin said how long to keep it.
    if past > 0 {
        report.past_retention =
            Some(PastRetention { rows: past, before, months: privacy.response_months, kept_until: keep_until });
        if keep_until.is_none() {
            report.error_count += 1;
            return Ok(report);
        }
    }

    let run = match Run::begin(db, current.survey_id, by).await? {
        Ok(run) => run,
        Err(since) => {
            report.busy_since = Some(since);
            report.error_count += 1;
            return Ok(report);
        }
    };
    match store_all(db, clock, &checker, &run, before, keep_until, &mut report).await {
        Ok(()) if report.error_count == 0 => {}
        outcome => {
            // The database failed, or a file on disk changed between the passes so that a row is
            // wrong now: nothing half-stored or half-checked is ever shown.
            run.discard(db).await?;
            return outcome.map(|()| report);
        }
    }
    let kept = report.past_retention.as_ref().map(|p| serde_json::json!({ "rows": p.rows, "until": p.kept_until }));
    let details = serde_json::json!({ "imported": report.imported, "skipped_existing": report.skipped_existing, "at": now(), "kept_past_retention": kept });
    let audit = (by, format!("survey/{}", current.survey.slug()), details);
    if let Err(meanwhile) = finish(db, key, run, checked_at, Some(audit)).await? {
        refuse_erased(&mut report, &lines, meanwhile);
        report.imported = 0;
    }
    Ok(report)
}

/// Shows a run's rows and adds their counts, with its audit entry (who, subject, details) in the
/// same transaction; or, when a resident asked to erase one of its rows while it ran (erasures
/// since `checked_at`), stores nothing and says which. Beating first takes the run's row: an
/// erasure of one of its rows still hidden waits for this transaction, or this for it, and is then
/// seen here.
pub async fn finish(
    db: &Db,
    key: &ServerKey,
    run: Run,
    checked_at: i64,
    audit: Option<(Option<i64>, String, serde_json::Value)>,
) -> Result<Result<(), std::collections::HashSet<String>>, AppError> {
    // The import is reported done when this commits: on disk first, with every part before it
    // (syncing the log syncs all that was written to it).
    let mut writer = db.durable().await?;
    let mut tx = writer.begin().await?;
    run.beat(&mut tx).await?;
    let meanwhile = erased_meanwhile(&mut tx, key, &run, checked_at).await?;
    if !meanwhile.is_empty() {
        tx.rollback().await?;
        drop(writer);
        run.discard(db).await?;
        return Ok(Err(meanwhile));
    }
    run.finish(&mut tx).await?;
    if let Some((by, subject, details)) = audit {
        crate::audit::record(&mut *tx, by, Event::ImportResponses, &subject, None, Some(details)).await?;
    }
    tx.commit().await?;
    Ok(Ok(()))
}

/// Each row whose reference is in `erased`, refused at its line.
fn refuse_erased(report: &mut Report, lines: &HashMap<String, usize>, erased: std::collections::HashSet<String>) {
    let mut found: Vec<(usize, String)> = erased.into_iter().filter_map(|r| Some((*lines.get(&r)?, r))).collect();
    found.sort();
    for (line, reference) in found {
        report.push(line, "reference", format!("{reference}: {}", erased::REFUSAL));
    }
}

/// The references of the run's rows whose residents asked to erase them while it ran.
async fn erased_meanwhile(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    key: &ServerKey,
    run: &Run,
    since: i64,
) -> Result<std::collections::HashSet<String>, AppError> {
    if !erased::any_since(&mut **tx, since).await? {
        return Ok(Default::default());
    }
    let references: Vec<String> = sqlx::query_scalar("SELECT reference FROM response WHERE import_id = $1")
        .bind(run.id)
        .fetch_all(&mut **tx)
        .await?;
    erased::references(&mut **tx, key, &references.iter().map(String::as_str).collect::<Vec<_>>(), since).await
}

/// Rows stored to a transaction: few enough that a resident's answer waiting behind one part is
/// not kept long, enough that counting them into the totals is not mostly overhead.
const PART: usize = 1_000;

/// Second pass: the same rows again, read and checked on a thread of their own while the part
/// before is stored, each part in a transaction of its own.
async fn store_all(
    db: &Db,
    clock: &CouncilTime,
    checker: &Arc<Checker>,
    run: &Run,
    before: i64,
    keep_until: Option<i64>,
    report: &mut Report,
) -> Result<(), AppError> {
    let (parts, mut next) = tokio::sync::mpsc::channel::<Vec<Parsed>>(2);
    let reading = tokio::task::spawn_blocking({
        let checker = checker.clone();
        move || {
            let mut report = Report::default();
            let mut part = Vec::with_capacity(PART);
            for (line, record) in checker.lines() {
                part.extend(checker.check(line, record, &mut report));
                // A closed channel means storing failed: stop reading.
                if part.len() == PART
                    && parts.blocking_send(std::mem::replace(&mut part, Vec::with_capacity(PART))).is_err()
                {
                    return report;
                }
            }
            let _ = parts.blocking_send(part);
            report
        }
    });
    while let Some(part) = next.recv().await {
        let mut tx = db.write.begin().await?;
        run.beat(&mut tx).await?;
        store(&mut tx, clock, &part, run, before, keep_until, report).await?;
        tx.commit().await?;
    }
    let read = reading.await?;
    report.error_count += read.error_count;
    report.errors.extend(read.errors);
    Ok(())
}

/// Stores a part of the checked rows: those whose reference is already stored are skipped (an
/// export imported twice adds nothing), the rest go in with their answers, hidden until the run
/// finishes, and are counted into the run's own totals. Rows past retention are kept until
/// `keep_until`.
async fn store(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    clock: &CouncilTime,
    part: &[Parsed],
    run: &Run,
    before: i64,
    keep_until: Option<i64>,
    report: &mut Report,
) -> Result<(), AppError> {
    if part.is_empty() {
        return Ok(());
    }
    let references: Vec<[&str; 1]> = part.iter().map(|row| [row.reference.as_str()]).collect();
    let select = Backend::of(tx).json_rows(1, &[false]);
    let stored: std::collections::HashSet<String> =
        sqlx::query_scalar(&format!("SELECT reference FROM response WHERE reference IN ({select})"))
            .bind(serde_json::to_string(&references)?)
            .fetch_all(&mut **tx)
            .await?
            .into_iter()
            .collect();
    let new: Vec<&Parsed> = part.iter().filter(|row| !stored.contains(&row.reference)).collect();
    report.skipped_existing += (part.len() - new.len()) as u64;
    if new.is_empty() {
        return Ok(());
    }

    let routes: Vec<Route> = new.iter().map(|row| Route::new(&row.version.survey, &row.progress)).collect();
    let responses: Vec<NewResponse> = new
        .iter()
        .zip(&routes)
        .map(|(row, route)| NewResponse {
            reference: &row.reference,
            survey_id: row.version.survey_id,
            version_id: row.version.version_id,
            channel: &row.channel,
            barriers: route.barriers(),
            submitted_at: row.submitted_at,
            day: clock.day_number(row.submitted_at),
            officer_id: row.officer_id,
            location_id: row.location_id,
            language: row.progress.language.as_ref().unwrap_or(row.version.survey.language()).as_str(),
            entry_id: None,
        })
        .collect();
    let ids = insert_all(tx, &responses, keep_until.map(|until| (until, before)), Some(run.id)).await?;
    let answer_rows: Vec<Vec<AnswerRow>> = routes.iter().map(rows).collect();
    let answers: Vec<(i64, AnswerRow)> =
        ids.iter().zip(&answer_rows).flat_map(|(id, rows)| rows.iter().map(|a| (*id, *a))).collect();
    insert_answers(tx, &answers).await?;

    let mut counter = Counter::default();
    for ((row, response), rows) in new.iter().zip(&responses).zip(&answer_rows) {
        counter.count(&Counted {
            survey: &row.version.survey,
            version_id: response.version_id,
            day: response.day,
            channel: response.channel,
            location_id: response.location_id,
            barriers: response.barriers,
            language: response.language,
            answers: rows.iter().map(|a| (a.question_id, a.option_id)).collect(),
        });
    }
    counter.write(tx, run.id).await?;
    report.imported += new.len() as u64;
    Ok(())
}

/// Reads the date to keep rows past the retention period until (`YYYY-MM-DD`, empty for none), as
/// the end of that day in the council's time zone. A date that is not after today is refused.
pub fn keep_until(typed: &str, clock: &CouncilTime) -> Result<Option<i64>, Report> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(None);
    }
    let refuse = |reason: &str| {
        let mut report = Report::default();
        report.push(0, "keep_until", reason.to_owned());
        report
    };
    let day = clock.parse_day("keep until", typed).map_err(|_| refuse("must be a date like 2027-03-31"))?;
    if day <= clock.today() {
        return Err(refuse("must be a date after today"));
    }
    Ok(Some(clock.end_of(day)))
}

impl Report {
    /// Why nothing was imported when another import was under way.
    pub fn describe_busy(&self, clock: &CouncilTime) -> Option<String> {
        self.busy_since.map(|since| {
            format!(
                "Another import has been under way since {}. The file was checked and nothing in it was imported: upload it again when that one has finished.",
                clock.format_time(since)
            )
        })
    }

    fn push(&mut self, line: usize, column: &str, reason: String) {
        self.error_count += 1;
        if self.errors.len() < MAX_LISTED {
            self.errors.push(RowError { line, column: column.to_owned(), reason });
        }
    }
}

/// One line's cells, by column name.
struct Cells<'a> {
    record: &'a csv::StringRecord,
    index: &'a HashMap<String, usize>,
}

impl<'a> Cells<'a> {
    fn get(&self, column: &str) -> &'a str {
        let raw = self.index.get(column).and_then(|i| self.record.get(*i)).unwrap_or_default();
        unneutralise(raw)
    }
}

fn parse_row(
    line: usize,
    cells: &Cells<'_>,
    layout: &Layout,
    lookups: &Lookups,
    report: &mut Report,
) -> Option<Parsed> {
    let cell = |column: &str| cells.get(column);
    let before = report.error_count;
    // Paper forms never had a reference: such a row gets a new one, as a web response would.
    let reference = match cell("reference") {
        "" => Some(reference::generate()),
        typed => reference::parse(typed),
    };
    if reference.is_none() {
        report.push(line, "reference", "must be 8 letters and digits, as on the confirmation page".into());
    }
    let submitted_at =
        time::OffsetDateTime::parse(cell("submitted_at"), &time::format_description::well_known::Rfc3339)
            .map(|t| t.unix_timestamp());
    if submitted_at.is_err() {
        report.push(line, "submitted_at", "must be a date and time like 2026-03-31T14:05:00Z".into());
    }
    let version = cell("survey_version").parse::<i64>().ok().and_then(|n| lookups.versions.get(&n));
    if version.is_none() {
        report.push(line, "survey_version", "is not a version of this survey".into());
    }
    let channel = match cell("channel") {
        "" => DEFAULT_CHANNEL,
        c => c,
    };
    if !crate::survey::is_channel(channel) {
        let known: Vec<&str> = std::iter::once(crate::survey::CHANNEL_WEB)
            .chain(crate::survey::CHANNELS.iter().map(|(id, _)| *id))
            .collect();
        report.push(line, "channel", format!("must be one of {}", known.join(", ")));
    }
    let location_id = match cell("location") {
        "" => None,
        label => {
            let id = lookups.locations.get(label).copied();
            if id.is_none() {
                report.push(line, "location", "is not on the list of locations".into());
            }
            id
        }
    };
    let officer_id = match cell("officer") {
        "" => None,
        email => {
            let id = lookups.officers.get(&email.to_lowercase()).copied();
            if id.is_none() {
                report.push(line, "officer", "is not a member of staff".into());
            }
            id
        }
    };
    let version = version?;
    let answered_on = lookups.clock.day_of(*submitted_at.as_ref().unwrap_or(&0));
    let language = match cell("language") {
        "" => None,
        tag => match version.survey.offered_language(tag) {
            Some(language) => (language != version.survey.language()).then(|| language.clone()),
            None => {
                let offered: Vec<&str> = version.survey.languages().iter().map(|o| o.language.as_str()).collect();
                report.push(
                    line,
                    "language",
                    format!(
                        "must be one of the languages version {} is offered in: {}",
                        version.version,
                        offered.join(", ")
                    ),
                );
                None
            }
        },
    };
    // The columns are every version's; each row's answers are checked against its own.
    for column in layout.not_asked_by(version.version) {
        if !cell(column).is_empty() {
            report.push(line, column, format!("has an answer, but version {} did not ask this", version.version));
        }
    }
    let survey = &version.survey;
    let mut progress = Progress { language, ..Progress::default() };
    for (i, q) in survey.questions().iter().enumerate() {
        let (fields, column) = match q.kind {
            Kind::Multiple => match multiple_fields(q, cells) {
                Ok(fields) => (fields, q.id.clone()),
                Err((column, reason)) => {
                    report.push(line, &column, reason);
                    continue;
                }
            },
            _ => {
                let value = cell(&q.id);
                let fields =
                    if value.is_empty() { Vec::new() } else { vec![(ANSWER_FIELD.to_owned(), value.to_owned())] };
                (fields, q.id.clone())
            }
        };
        let shown = visibility(survey.questions(), &progress.answers)[i];
        if !shown {
            if !fields.is_empty() {
                report.push(line, &column, "has an answer, but the earlier answers skip this question".into());
            }
            continue;
        }
        match read_answer(q, &fields, answered_on) {
            Ok(Some(answer)) => {
                progress.answers.insert(q.id.clone(), answer);
            }
            Ok(None) => {}
            Err(e) => report.push(line, &column, e.0),
        }
        progress.seen.insert(q.id.clone());
    }
    (report.error_count == before).then(|| Parsed {
        reference: reference.unwrap_or_default(),
        submitted_at: submitted_at.unwrap_or_default(),
        version: version.clone(),
        channel: channel.to_owned(),
        location_id,
        officer_id,
        progress,
    })
}

/// A multiple choice question's `question:option` columns back into form fields: every column 1
/// or 0 when it was answered, every one empty when it was not.
fn multiple_fields(q: &crate::survey::Question, cells: &Cells<'_>) -> Result<Vec<(String, String)>, (String, String)> {
    let mut fields = Vec::new();
    let mut filled = 0;
    for o in &q.options {
        let column = format!("{}:{}", q.id, o.id);
        match cells.get(&column) {
            "1" => {
                filled += 1;
                fields.push((ANSWER_FIELD.to_owned(), o.id.clone()));
            }
            "0" => filled += 1,
            "" => {}
            _ => return Err((column, "must be 1, 0 or empty".into())),
        }
    }
    if filled != 0 && filled != q.options.len() {
        return Err((q.id.clone(), "fill every option column with 1 or 0, or leave them all empty".into()));
    }
    if q.options.iter().any(|o| o.other) {
        let other = cells.get(&format!("{}:other_text", q.id));
        if !other.is_empty() {
            fields.push((OTHER_FIELD.to_owned(), other.to_owned()));
        }
    }
    Ok(fields)
}
