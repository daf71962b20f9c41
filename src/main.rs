//! `inclusion-survey`: with no subcommand, serves the app; subcommands run admin and data tasks,
//! each applying migrations first.

use clap::{Parser, Subcommand};
use inclusion_survey::audit::Event;
use inclusion_survey::auth::account;
use inclusion_survey::config::Config;
use inclusion_survey::{app, privacy};

#[derive(Parser)]
#[command(name = "inclusion-survey", version, about = "Digital inclusion surveys for councils")]
struct Cli {
    #[command(flatten)]
    config: Config,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the app (the default).
    Serve,
    /// Apply database migrations and add the built-in survey if it is missing, then exit.
    Migrate,
    /// Staff accounts.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Export data as CSV.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Import data from CSV.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Survey definitions.
    #[command(subcommand)]
    Survey(SurveyCommand),
    /// Delete what each survey's retention settings say is due.
    #[command(subcommand)]
    Retention(RetentionCommand),
    /// The running totals the results pages read.
    #[command(subcommand)]
    Tally(TallyCommand),
    /// Take a consistent copy of the database while the app keeps serving (SQLite: VACUUM INTO;
    /// PostgreSQL: pg_dump's custom format).
    Backup {
        /// The file to write; it must not exist yet.
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Restore a backup into the database in DATABASE_URL, which must hold no data. Stop the app
    /// first.
    Restore {
        file: std::path::PathBuf,
        /// Replace a database that already holds data.
        #[arg(long)]
        force: bool,
        /// Keep answers in the backup that are past their survey's retention period until this day
        /// (YYYY-MM-DD); without it, a backup holding such answers is refused.
        #[arg(long)]
        keep_until: Option<String>,
    },
}

#[derive(Subcommand)]
enum SurveyCommand {
    /// Check a definition file (XLSForm .xlsx, TOML or JSON) and make it the draft of its survey's next version,
    /// adding the survey if it is new.
    Import {
        file: std::path::PathBuf,
        /// Publish it straight away as a new version (a TOML or JSON definition only: an XLSForm
        /// comes in as a draft to review).
        #[arg(long)]
        publish: bool,
    },
    /// Publish a survey's draft as its next version, after checking it as an upload is checked.
    Publish { slug: String },
    /// Write a published version's definition (the current one unless --version is given).
    Export {
        slug: String,
        #[arg(long)]
        version: Option<i64>,
        /// toml, json or xlsform (an .xlsx spreadsheet, written to standard output).
        #[arg(long, default_value = "toml")]
        format: String,
    },
}

#[derive(Subcommand)]
enum TallyCommand {
    /// Count every response again and compare with the running totals, changing nothing. Lists
    /// any difference and exits with status 1 if there is one.
    Check,
    /// Count every response again and replace the running totals with the count.
    Rebuild,
}

#[derive(Subcommand)]
enum RetentionCommand {
    /// Delete drafts, responses and contact details that are due, and record the counts in the
    /// audit log.
    Run {
        /// Only print what would be deleted.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Responses in the responses export's format (ids). All rows are checked first; if any row
    /// fails, nothing is imported. Rows whose reference exists already are skipped.
    Responses {
        #[arg(long)]
        survey: String,
        file: std::path::PathBuf,
        /// Keep rows older than the survey's retention period until this day (YYYY-MM-DD); without
        /// it, a file with such rows is refused, since retention would delete them.
        #[arg(long)]
        keep_until: Option<String>,
    },
}

#[derive(Subcommand)]
enum ExportCommand {
    /// Counts, bases and percentages per option, as on the dashboard.
    Summary {
        #[arg(long)]
        survey: String,
        #[arg(long)]
        out: Option<std::path::PathBuf>,
        /// Hold back small counts (SUPPRESSION_THRESHOLD) for publishing.
        #[arg(long)]
        publishable: bool,
        #[arg(long)]
        bom: bool,
    },
    /// One row per sent response, in the same format as the staff download.
    Responses {
        #[arg(long)]
        survey: String,
        /// Write here instead of standard output.
        #[arg(long)]
        out: Option<std::path::PathBuf>,
        /// Question text and option labels instead of ids.
        #[arg(long)]
        labels: bool,
        /// Start with a UTF-8 byte order mark, for Excel.
        #[arg(long)]
        bom: bool,
        /// Replace email addresses, phone numbers and postcodes in free text with markers.
        #[arg(long)]
        redact: bool,
        /// First day, YYYY-MM-DD.
        #[arg(long)]
        from: Option<String>,
        /// Last day, YYYY-MM-DD.
        #[arg(long)]
        to: Option<String>,
        #[arg(long)]
        channel: Option<String>,
        /// Location id.
        #[arg(long)]
        location: Option<i64>,
        /// Survey version.
        #[arg(long)]
        version: Option<i64>,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create a staff account. The password is read from standard input (or the environment
    /// variable INCLUSION_SURVEY_PASSWORD), never from the command line, where others could see it.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "Administrator")]
        name: String,
        /// admin, officer or analyst; repeat for several.
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
    },
    /// Set a new password for an account (read like `create`'s) and end its sessions.
    ResetPassword {
        #[arg(long)]
        email: String,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,tower_http=warn".into()),
        )
        .init();
    let cli = Cli::parse();
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => app::serve(cli.config).await,
        Command::Migrate => {
            app::prepare(cli.config).await?;
            println!("database is up to date");
            Ok(())
        }
        Command::Admin(command) => admin(cli.config, command).await,
        Command::Export(command) => export(cli.config, command).await,
        Command::Import(ImportCommand::Responses { survey, file, keep_until }) => {
            import(cli.config, &survey, &file, keep_until.as_deref()).await
        }
        Command::Retention(RetentionCommand::Run { dry_run }) => retention(cli.config, dry_run).await,
        Command::Survey(command) => survey(cli.config, command).await,
        Command::Tally(command) => tally(cli.config, command).await,
        Command::Backup { out } => {
            let url = cli.config.database_url.clone();
            let state = app::prepare(cli.config).await?;
            let progress = spinner("taking a backup");
            privacy::backup::backup(&state.db, &url, &out).await?;
            progress.finish_and_clear();
            println!("backup written to {}", out.display());
            Ok(())
        }
        Command::Restore { file, force, keep_until } => {
            let keep_until = match inclusion_survey::export::import::keep_until(
                keep_until.as_deref().unwrap_or_default(),
                &cli.config.clock,
            ) {
                Ok(keep_until) => keep_until,
                Err(report) => anyhow::bail!("--keep-until {}", report.errors[0].reason),
            };
            let progress = spinner("restoring");
            let kept = privacy::backup::restore(&cli.config.database_url, &file, force, keep_until).await;
            progress.finish_and_clear();
            let kept = kept?;
            println!("restored {}", file.display());
            if let Some(until) = keep_until.filter(|_| kept > 0) {
                println!(
                    "{kept} responses past their retention period are kept until {}",
                    cli.config.clock.format_day(until - 1)
                );
            }
            Ok(())
        }
    }
}

async fn tally(config: Config, command: TallyCommand) -> anyhow::Result<()> {
    use inclusion_survey::responses::tally;
    let state = app::prepare(config).await?;
    let responses = inclusion_survey::responses::store::count(&state.db).await?;
    // Hidden when standard error is not a terminal.
    let progress = indicatif::ProgressBar::new(responses.max(0) as u64).with_style(
        indicatif::ProgressStyle::with_template("{msg} {wide_bar} {human_pos}/{human_len} responses, {eta} left")
            .expect("progress template"),
    );
    let counted = |n: i64| progress.set_position(n.max(0) as u64);
    match command {
        TallyCommand::Rebuild => {
            progress.set_message("Counting");
            tally::rebuild(&state.db, &state.surveys, counted).await?;
            progress.finish_and_clear();
            println!(
                "The running totals are now a fresh count of {} responses.",
                inclusion_survey::survey::thousands(responses.max(0) as usize)
            );
            Ok(())
        }
        TallyCommand::Check => {
            progress.set_message("Checking");
            let differences = tally::check(&state.db, &state.surveys, counted).await?;
            progress.finish_and_clear();
            if differences.is_empty() {
                println!(
                    "The running totals match a fresh count of {} responses.",
                    inclusion_survey::survey::thousands(responses.max(0) as usize)
                );
                return Ok(());
            }
            match differences.len() {
                1 => println!("1 row of the running totals differs from a fresh count:"),
                n => println!("{n} rows of the running totals differ from a fresh count:"),
            }
            for d in differences.iter().take(100) {
                let tally::Key { version_id, about, day, channel, location_id, question, option } = &d.key;
                let date = inclusion_survey::clock::format_date(inclusion_survey::clock::day_from_number(*day));
                let group =
                    about.as_ref().map(|(q, o)| format!(", among those answering {q:?} {o:?}")).unwrap_or_default();
                println!(
                    "  version id {version_id}, {date}, {channel}, location {location_id}{group}, {question:?} {option:?}: kept {}, counted {}",
                    d.kept, d.counted
                );
            }
            if differences.len() > 100 {
                println!("  and {} more", differences.len() - 100);
            }
            anyhow::bail!(
                "the running totals are wrong: `inclusion-survey tally rebuild` replaces them with a fresh count"
            )
        }
    }
}

/// A spinner on the terminal while a long job runs.
fn spinner(message: &'static str) -> indicatif::ProgressBar {
    let progress = indicatif::ProgressBar::new_spinner().with_message(message);
    progress.enable_steady_tick(std::time::Duration::from_millis(200));
    progress
}

/// Publishes a survey's draft, saying which version it became.
async fn publish_draft(state: &inclusion_survey::state::AppState, survey_id: i64) -> anyhow::Result<()> {
    use inclusion_survey::survey_admin::store::{self, Published};
    match store::publish(&state.db, None, survey_id).await? {
        Published::Version(v) => println!("published as version {v}"),
        Published::Invalid(errors) => anyhow::bail!("{errors}"),
        Published::NoDraft => anyhow::bail!("there is no draft to publish"),
    }
    Ok(())
}

async fn survey(config: Config, command: SurveyCommand) -> anyhow::Result<()> {
    use inclusion_survey::survey_admin::store::{self, Created};
    let state = app::prepare(config).await?;
    match command {
        SurveyCommand::Import { file, publish } => {
            let bytes = std::fs::read(&file)?;
            let name = file.file_name().map(|n| n.to_string_lossy().into_owned());
            let uploaded = inclusion_survey::survey::Survey::from_file(&bytes, name.as_deref())
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            // An XLSForm is only ever a draft: what it had that the draft does not keep is for an
            // admin to review before it goes live.
            if publish && uploaded.from_xlsform {
                anyhow::bail!(
                    "an XLSForm comes in as a draft to review, not published: import it without --publish, read what it did not keep on the survey's page, then publish there"
                );
            }
            let (survey, notes) = (uploaded.survey, uploaded.notes);
            let id = match store::create(&state.db, None, &survey, &notes).await? {
                Created::Id(id) => id,
                Created::SlugTaken => {
                    let id = store::find(&state.db, survey.slug()).await?.id;
                    store::replace_draft(&state.db, None, id, &survey, &notes).await?;
                    id
                }
            };
            println!("{} is the draft of the next version of {}", file.display(), survey.slug());
            if !notes.is_empty() {
                println!("Not kept in the draft ({}):", notes.len());
                notes.iter().for_each(|note| println!("- {note}"));
            }
            if publish {
                publish_draft(&state, id).await?;
            }
        }
        SurveyCommand::Publish { slug } => publish_draft(&state, store::find(&state.db, &slug).await?.id).await?,
        SurveyCommand::Export { slug, version, format } => {
            let listed = store::find(&state.db, &slug).await?;
            let version =
                version.or(listed.version).ok_or_else(|| anyhow::anyhow!("{slug} has no published version"))?;
            let document = store::version_document(&state.db, listed.id, version, &format).await?;
            std::io::Write::write_all(&mut std::io::stdout(), &document)?;
        }
    }
    Ok(())
}

async fn retention(config: Config, dry_run: bool) -> anyhow::Result<()> {
    let council = config.council_name.clone();
    let state = app::prepare(config).await?;
    let progress = spinner("working out what is due");
    let report =
        privacy::retention::run(&state.db, &state.surveys, &council, inclusion_survey::db::now(), dry_run).await?;
    progress.finish_and_clear();
    let verb = if dry_run { "would be deleted" } else { "deleted" };
    for (slug, c) in report {
        println!("{slug}: {} drafts, {} responses, {} contact requests {verb}", c.drafts, c.responses, c.contacts);
    }
    Ok(())
}

fn read_password() -> anyhow::Result<String> {
    let password = match std::env::var("INCLUSION_SURVEY_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
                eprint!("Password (at least {} characters, shown as you type): ", account::MIN_PASSWORD_CHARS);
            }
            let mut line = String::new();
            std::io::stdin().read_line(&mut line)?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    account::check_password(&password).map_err(|e| anyhow::anyhow!(e))?;
    Ok(password)
}

async fn export(config: inclusion_survey::config::Config, command: ExportCommand) -> anyhow::Result<()> {
    use inclusion_survey::export::{self, Options, Sink};
    use inclusion_survey::responses::filters::Filters;
    let threshold = config.suppression_threshold;
    let state = app::prepare(config).await?;
    let (survey, out, options, from, to, channel, location, version) = match command {
        ExportCommand::Responses { survey, out, labels, bom, redact, from, to, channel, location, version } => {
            (survey, out, Options { labels, bom, redact, one_line: false }, from, to, channel, location, version)
        }
        ExportCommand::Summary { survey, out, publishable, bom } => {
            let current = state
                .surveys
                .current(&state.db, &survey)
                .await?
                .ok_or_else(|| anyhow::anyhow!("no survey {survey}"))?;
            let summary = match publishable {
                true => {
                    inclusion_survey::insight::publish::publication(
                        &state.db,
                        &state.surveys,
                        &current,
                        None,
                        threshold,
                    )
                    .await?
                    .summary
                }
                false => {
                    inclusion_survey::insight::summarise(&state.db, &state.surveys, &current, &Filters::default())
                        .await?
                }
            };
            let weighted = match inclusion_survey::insight::weighting::results::weighted(
                &state.db,
                &state.surveys,
                &current,
                &Filters::default(),
            )
            .await?
            {
                inclusion_survey::insight::weighting::results::Weighting::On(w) => Some(*w),
                _ => None,
            };
            let bytes = export::summary::to_csv(&summary, weighted.as_ref(), bom)?;
            let details = serde_json::json!({ "publishable": publishable, "out": out });
            inclusion_survey::audit::record(
                &state.db.write,
                None,
                Event::ExportSummary,
                &format!("survey/{survey}"),
                None,
                Some(details),
            )
            .await?;
            match out {
                Some(path) => tokio::fs::write(path, bytes).await?,
                None => tokio::io::AsyncWriteExt::write_all(&mut tokio::io::stdout(), &bytes).await?,
            }
            return Ok(());
        }
    };
    let current =
        state.surveys.current(&state.db, &survey).await?.ok_or_else(|| anyhow::anyhow!("no survey {survey}"))?;
    let clock = &state.config.clock;
    let first = from.as_deref().map(|d| clock.parse_day("from", d)).transpose()?;
    let last = to.as_deref().map(|d| clock.parse_day("to", d)).transpose()?;
    let filters = Filters { channel, location_id: location, version, answers: Vec::new(), ..Filters::default() }
        .days(clock, first, last);
    let writer: Box<dyn tokio::io::AsyncWrite + Unpin + Send> = match &out {
        Some(path) => Box::new(tokio::io::BufWriter::new(tokio::fs::File::create(path).await?)),
        None => Box::new(tokio::io::BufWriter::new(tokio::io::stdout())),
    };
    let progress = spinner("exporting responses");
    let details =
        serde_json::json!({ "filters": filters, "labels": options.labels, "redact": options.redact, "out": out });
    inclusion_survey::audit::record(
        &state.db.write,
        None,
        Event::ExportResponses,
        &format!("survey/{survey}"),
        None,
        Some(details),
    )
    .await?;
    let rows = export::responses::write(
        &state.db,
        &state.surveys,
        &current,
        &filters,
        options,
        None,
        &mut Sink::Writer(writer),
    )
    .await?;
    progress.finish_and_clear();
    eprintln!("exported {rows} responses");
    Ok(())
}

async fn import(
    config: inclusion_survey::config::Config,
    survey: &str,
    file: &std::path::Path,
    keep_until: Option<&str>,
) -> anyhow::Result<()> {
    let state = app::prepare(config).await?;
    let current =
        state.surveys.current(&state.db, survey).await?.ok_or_else(|| anyhow::anyhow!("no survey {survey}"))?;
    // Read from disk by each pass, never held whole: a file of a million rows is 130 MB.
    let source = inclusion_survey::export::import::Source::File(file.to_path_buf());
    let progress = spinner("checking and importing responses");
    let keep_until =
        match inclusion_survey::export::import::keep_until(keep_until.unwrap_or_default(), &state.config.clock) {
            Ok(keep_until) => keep_until,
            Err(report) => anyhow::bail!("--keep-until {}", report.errors[0].reason),
        };
    let report = inclusion_survey::export::import::import(
        &state.db,
        &state.config.clock,
        &state.surveys,
        &current,
        source,
        &state.key,
        None,
        keep_until,
    )
    .await?;
    progress.finish_and_clear();
    if report.error_count > 0 {
        for e in &report.errors {
            eprintln!("line {}, {}: {}", e.line, if e.column.is_empty() { "file" } else { &e.column }, e.reason);
        }
        if let Some(past) = &report.past_retention {
            eprintln!("{} (--keep-until YYYY-MM-DD)", past.describe(&state.config.clock));
        }
        if let Some(busy) = report.describe_busy(&state.config.clock) {
            eprintln!("{busy}");
        }
        anyhow::bail!("nothing was imported");
    }
    println!("imported {} responses; {} already there, skipped", report.imported, report.skipped_existing);
    if let Some(past) = &report.past_retention {
        println!("{}", past.describe(&state.config.clock));
    }
    Ok(())
}

async fn admin(config: inclusion_survey::config::Config, command: AdminCommand) -> anyhow::Result<()> {
    let state = app::prepare(config).await?;
    match command {
        AdminCommand::Create { email, name, roles } => {
            let email = account::parse_email(&email).ok_or_else(|| anyhow::anyhow!("that is not an email address"))?;
            let roles: Vec<account::Role> = roles
                .iter()
                .map(|r| {
                    account::Role::parse(r)
                        .ok_or_else(|| anyhow::anyhow!("unknown role {r}: use admin, officer or analyst"))
                })
                .collect::<anyhow::Result<_>>()?;
            let password_hash = account::hash_password(read_password()?).await?;
            let new =
                account::NewStaff { email: email.clone(), name, roles: roles.into_iter().collect(), password_hash };
            match account::create(&state.db, None, new).await? {
                account::Created::Id(id) => println!("created staff account {id} for {email}"),
                account::Created::EmailTaken => anyhow::bail!("there is already an account for {email}"),
            }
        }
        AdminCommand::ResetPassword { email } => {
            let email = account::parse_email(&email).ok_or_else(|| anyhow::anyhow!("that is not an email address"))?;
            let (staff, _) = account::find_for_sign_in(&state.db, &email)
                .await?
                .ok_or_else(|| anyhow::anyhow!("no account for {email}"))?;
            let hash = account::hash_password(read_password()?).await?;
            account::reset_password(&state.db, None, staff.id, hash).await?;
            println!("password changed for {email}; their sessions have ended");
        }
    }
    Ok(())
}
