//! `inclusion-survey`: with no subcommand, serves the app; subcommands run admin and data tasks,
//! each applying migrations first.

use clap::{Parser, Subcommand};
use inclusion_survey::app;
use inclusion_survey::config::Config;

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
    }
}
