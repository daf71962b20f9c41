//! Backups that restore. `inclusion-survey backup --out FILE` takes a consistent copy while the app
//! keeps serving: SQLite's `VACUUM INTO` (a read transaction, so writers carry on) or PostgreSQL's
//! `pg_dump`. `inclusion-survey restore FILE` puts one back into an empty database, and refuses a
//! database that holds data unless forced.

use crate::db::{Backend, Db};
use anyhow::{bail, Context};
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
        let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql").ok()?.flatten().map(|e| e.path().join("bin").join(name)).filter(|p| p.is_file()).collect();
        found.sort();
        found.pop()
    };
    on_path.or_else(debian).with_context(|| format!("{name} is not installed (Debian: apt-get install postgresql-client)"))
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
            tokio::task::spawn_blocking(move || run(pg_command(tool, &url).arg("--format=custom").arg("--no-owner").arg("--file").arg(&out))).await??;
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
pub async fn restore(database_url: &str, file: &Path, force: bool) -> anyhow::Result<()> {
    if !file.is_file() {
        bail!("{} is not a file", file.display());
    }
    let db = Db::connect(database_url, 1).await?;
    let rows = rows_held(&db).await?;
    if rows > 0 && !force {
        bail!("the database already holds data ({rows} rows): restore into an empty database, or pass --force to replace everything in it");
    }
    match db.backend {
        Backend::Sqlite => {
            let target = db.sqlite_path.clone().context("no SQLite file")?;
            db.read.close().await;
            db.write.close().await;
            check_sqlite_backup(file)?;
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
                run(pg_command(tool, &url).args(["--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error"]).arg(&file))
            })
            .await??;
        }
    }
    Ok(())
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
        .query_row("SELECT COUNT(*) FROM sqlite_master WHERE name IN ('_sqlx_migrations', 'response')", [], |r| r.get(0))
        .context("not a backup of this app")?;
    if ours != 2 {
        bail!("{} is not a backup of inclusion-survey", file.display());
    }
    Ok(())
}
