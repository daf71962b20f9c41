//! Backups that restore. `inclusion-survey backup --out FILE` takes a consistent copy while the app
//! keeps serving: SQLite's `VACUUM INTO` (a read transaction, so writers carry on) or PostgreSQL's
//! `pg_dump`. `inclusion-survey restore FILE` puts one back into an empty database, and refuses a
//! database that holds data unless forced.

use crate::db::{Backend, Db};
use anyhow::{Context, bail};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Tables whose rows mean a database is in use: restoring over them would lose data.
const DATA_TABLES: [&str; 6] = ["response", "staff", "plan", "finding", "contact_request", "audit_log"];

/// The PostgreSQL client tools: on PATH, or in Debian's versioned folder.
fn pg_tool(name: &str) -> anyhow::Result<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).map(|d| d.join(name)).find(|c| c.is_file()))
        .unwrap_or_default();
    let debian = || {
        let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .flatten()
            .map(|e| e.path().join("bin").join(name))
            .filter(|p| p.is_file())
            .collect();
        found.sort();
        found.pop()
    };
    on_path
        .or_else(debian)
        .with_context(|| format!("{name} is not installed (Debian: apt-get install postgresql-client)"))
}

/// The PostgreSQL tools take the URL without its password, which goes in their environment instead:
/// other users of the machine can read a command line, not another process's environment.
fn pg_command(tool: PathBuf, url: &str) -> Command {
    let mut command = Command::new(tool);
    let (scheme, rest) = url.split_once("://").unwrap_or(("postgres", url));
    match rest.split_once('@').map(|(user_info, host)| (user_info.split_once(':'), host)) {
        Some((Some((user, password)), host)) => {
            let password = percent_encoding::percent_decode_str(password).decode_utf8_lossy().into_owned();
            command.env("PGPASSWORD", password).arg("--dbname").arg(format!("{scheme}://{user}@{host}"));
        }
        _ => {
            command.arg("--dbname").arg(url);
        }
    }
    command
}

fn run(command: &mut Command) -> anyhow::Result<()> {
    let output = command.output().with_context(|| format!("could not run {:?}", command.get_program()))?;
    if !output.status.success() {
        bail!("{:?} failed: {}", command.get_program(), String::from_utf8_lossy(&output.stderr).trim());
    }
    Ok(())
}

/// Writes a consistent copy of the database to `out`, which must not exist yet.
pub async fn backup(db: &Db, database_url: &str, out: &Path) -> anyhow::Result<()> {
    // Made empty first, readable by its owner only, before any data goes in: a backup holds every
    // resident's answers. `create_new` also refuses an existing file, so none is overwritten.
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(out) {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            bail!("{} already exists: choose a new file name, so that no backup is overwritten", out.display())
        }
        Err(e) => return Err(e).with_context(|| format!("could not create {}", out.display())),
    }
    let written = write_backup(db, database_url, out).await;
    if written.is_err() {
        let _ = std::fs::remove_file(out);
    }
    written
}

async fn write_backup(db: &Db, database_url: &str, out: &Path) -> anyhow::Result<()> {
    match db.backend {
        Backend::Sqlite => {
            let target = out.to_str().context("the backup's path must be valid UTF-8")?;
            // VACUUM INTO takes a file name only as a literal; quotes are doubled.
            let sql = format!("VACUUM INTO '{}'", target.replace('\'', "''"));
            sqlx::query(&sql).execute(&db.read).await.context("SQLite could not write the backup")?;
        }
        Backend::Postgres => {
            let tool = pg_tool("pg_dump")?;
            let (url, out) = (database_url.to_owned(), out.to_owned());
            tokio::task::spawn_blocking(move || {
                run(pg_command(tool, &url).arg("--format=custom").arg("--no-owner").arg("--file").arg(&out))
            })
            .await??;
        }
    }
    Ok(())
}

/// How many rows the data tables hold. A table an older schema does not have yet holds none.
async fn rows_held(db: &Db) -> anyhow::Result<i64> {
    let mut total = 0;
    for table in DATA_TABLES {
        match sqlx::query_scalar::<_, i64>(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(&db.read).await {
            Ok(n) => total += n,
            Err(sqlx::Error::Database(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(total)
}

/// Restores `file` into the database at `database_url`. The app must not be running against it.
///
/// A backup can hold answers that are past their survey's retention period by now; the retention
/// job would delete them within the hour of the app starting. So they are counted in the backup
/// first, and the restore is refused unless `keep_until` (Unix seconds) says how long to keep them,
/// in which case they are marked to be kept until then. Returns how many were kept.
pub async fn restore(database_url: &str, file: &Path, force: bool, keep_until: Option<i64>) -> anyhow::Result<i64> {
    if !file.is_file() {
        bail!("{} is not a file", file.display());
    }
    let db = Db::connect(database_url, 1).await?;
    let rows = rows_held(&db).await?;
    if rows > 0 && !force {
        bail!(
            "the database already holds data ({rows} rows): restore into an empty database, or pass --force to replace everything in it"
        );
    }
    let now = crate::db::now();
    let past = match db.backend {
        Backend::Sqlite => {
            check_sqlite_backup(file)?;
            past_retention_in_sqlite(file, now)?
        }
        Backend::Postgres => past_retention_in_dump(file, now)?,
    };
    if past > 0 && keep_until.is_none() {
        bail!(
            "{past} responses in this backup are past their survey's retention period, so the retention job would delete them \
             within the hour: nothing was restored. Pass --keep-until YYYY-MM-DD to keep them until that day, or restore into a \
             database whose retention period is longer"
        );
    }
    match db.backend {
        Backend::Sqlite => {
            let target = db.sqlite_path.clone().context("no SQLite file")?;
            db.read.close().await;
            db.write.close().await;
            // Copy beside the target, then rename over it: the database is either the old one or
            // the whole backup, never half of each.
            let partial = target.with_extension("restoring");
            std::fs::copy(file, &partial).with_context(|| format!("could not copy {}", file.display()))?;
            std::fs::File::open(&partial)?.sync_all()?;
            for suffix in ["-wal", "-shm"] {
                let side = PathBuf::from(format!("{}{suffix}", target.display()));
                if side.exists() {
                    std::fs::remove_file(side)?;
                }
            }
            std::fs::rename(&partial, &target)?;
        }
        Backend::Postgres => {
            db.read.close().await;
            let tool = pg_tool("pg_restore")?;
            let (url, file) = (database_url.to_owned(), file.to_owned());
            tokio::task::spawn_blocking(move || {
                run(pg_command(tool, &url)
                    .args(["--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error"])
                    .arg(&file))
            })
            .await??;
        }
    }
    if past == 0 {
        return Ok(0);
    }
    let db = Db::connect(database_url, 1).await?;
    let kept = sqlx::query(&format!("UPDATE response SET keep_until = $1 WHERE {PAST_RETENTION}"))
        .bind(keep_until)
        .bind(now)
        .bind(crate::survey::privacy::DEFAULT_RESPONSE_MONTHS)
        .bind(crate::survey::privacy::MONTH_SECS)
        .execute(&db.write)
        .await?
        .rows_affected();
    Ok(kept as i64)
}

/// Responses past their survey's retention period and not kept longer, with `$2` now, `$3` the
/// default months, `$4` the seconds in a month. `keep_until` may be missing from an old backup.
const PAST_RETENTION: &str = "(keep_until IS NULL OR keep_until <= $2) AND submitted_at < $2 - \
     COALESCE((SELECT p.response_months FROM survey_privacy p WHERE p.survey_id = response.survey_id), $3) * $4";

fn past_retention_in_sqlite(file: &Path, now: i64) -> anyhow::Result<i64> {
    let conn = rusqlite::Connection::open_with_flags(file, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let has_keep_until: bool =
        conn.query_row("SELECT COUNT(*) FROM pragma_table_info('response') WHERE name = 'keep_until'", [], |r| {
            r.get::<_, i64>(0)
        })? > 0;
    let has_privacy: bool =
        conn.query_row("SELECT COUNT(*) FROM sqlite_master WHERE name = 'survey_privacy'", [], |r| r.get::<_, i64>(0))?
            > 0;
    let keep = if has_keep_until { "(keep_until IS NULL OR keep_until <= ?1)" } else { "1" };
    let months = if has_privacy {
        "COALESCE((SELECT p.response_months FROM survey_privacy p WHERE p.survey_id = response.survey_id), ?2)"
    } else {
        "?2"
    };
    let sql = format!("SELECT COUNT(*) FROM response WHERE {keep} AND submitted_at < ?1 - {months} * ?3");
    let months_default = crate::survey::privacy::DEFAULT_RESPONSE_MONTHS;
    Ok(conn.query_row(&sql, rusqlite::params![now, months_default, crate::survey::privacy::MONTH_SECS], |r| r.get(0))?)
}

/// Counts the same in a `pg_dump` file, by reading its `response` and `survey_privacy` rows as
/// `pg_restore` prints them (COPY text), without restoring anything.
fn past_retention_in_dump(file: &Path, now: i64) -> anyhow::Result<i64> {
    let tool = pg_tool("pg_restore")?;
    let output = Command::new(tool)
        .args(["--data-only", "--table=response", "--table=survey_privacy", "--file=-"])
        .arg(file)
        .output()
        .context("could not run pg_restore")?;
    if !output.status.success() {
        bail!(
            "{} is not a backup pg_restore can read: {}",
            file.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    let text = String::from_utf8_lossy(&output.stdout);
    // (survey id, submitted at, keep until) and survey id -> months.
    let (mut responses, mut months) = (Vec::new(), std::collections::HashMap::new());
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let Some(rest) = line.strip_prefix("COPY public.") else { continue };
        let Some((table, columns)) = rest.split_once(" (") else { continue };
        let columns: Vec<&str> = columns.split(')').next().unwrap_or_default().split(", ").collect();
        let at = |name: &str| columns.iter().position(|c| *c == name);
        for row in lines.by_ref().take_while(|l| *l != "\\.") {
            let cells: Vec<&str> = row.split('\t').collect();
            let number = |i: Option<usize>| i.and_then(|i| cells.get(i)).and_then(|c| c.parse::<i64>().ok());
            match table {
                "response" => {
                    responses.push((number(at("survey_id")), number(at("submitted_at")), number(at("keep_until"))))
                }
                "survey_privacy" => {
                    if let (Some(survey), Some(m)) = (number(at("survey_id")), number(at("response_months"))) {
                        months.insert(survey, m);
                    }
                }
                _ => {}
            }
        }
    }
    let default = crate::survey::privacy::DEFAULT_RESPONSE_MONTHS;
    Ok(responses
        .into_iter()
        .filter(|(survey, submitted, keep)| {
            let months = survey.and_then(|s| months.get(&s).copied()).unwrap_or(default);
            keep.is_none_or(|k| k <= now)
                && submitted.is_some_and(|at| at < now - months * crate::survey::privacy::MONTH_SECS)
        })
        .count() as i64)
}

/// A backup must be a whole SQLite database of this app before it replaces anything.
fn check_sqlite_backup(file: &Path) -> anyhow::Result<()> {
    let conn = rusqlite::Connection::open_with_flags(file, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .with_context(|| format!("{} is not a SQLite database", file.display()))?;
    let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).context("not a SQLite database")?;
    if check != "ok" {
        bail!("{} is damaged: {check}", file.display());
    }
    let ours: i64 = conn
        .query_row("SELECT COUNT(*) FROM sqlite_master WHERE name IN ('_sqlx_migrations', 'response')", [], |r| {
            r.get(0)
        })
        .context("not a backup of this app")?;
    if ours != 2 {
        bail!("{} is not a backup of inclusion-survey", file.display());
    }
    Ok(())
}
