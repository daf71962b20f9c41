//! Settings, from the environment (or the same names as command-line flags). Every one has a
//! default that works on a laptop with no set-up.

use crate::clock::CouncilTime;
mod proxies;

pub use proxies::{ProxyHeader, TrustedProxies};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(clap::Args, Debug, Clone)]
pub struct Config {
    /// `sqlite:PATH` (created if missing) or `postgres://USER@HOST/DB`.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite:data/inclusion-survey.sqlite3", global = true)]
    pub database_url: String,

    /// Address to listen on (cargo-leptos sets this).
    #[arg(long, env = "LEPTOS_SITE_ADDR", default_value = "127.0.0.1:3000", global = true)]
    pub site_addr: SocketAddr,

    /// Folder of built static files, served under `/` (cargo-leptos sets this).
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site", global = true)]
    pub site_root: PathBuf,

    /// Shown in every page's header and in the privacy notice.
    #[arg(long, env = "COUNCIL_NAME", default_value = "Example Borough Council", global = true)]
    pub council_name: String,

    /// The council's time zone: the days staff choose and see (survey opening and closing,
    /// date filters, weeks, due dates) are its days.
    #[arg(long = "council-time-zone", env = "COUNCIL_TIME_ZONE", default_value = crate::clock::DEFAULT_ZONE, global = true)]
    pub clock: CouncilTime,

    /// How long an unfinished survey is kept after the resident's last answer.
    #[arg(long, env = "DRAFT_TTL_HOURS", default_value_t = 168, value_parser = clap::value_parser!(u32).range(1..=8760), global = true)]
    pub draft_ttl_hours: u32,

    /// The address residents reach the service at, such as https://survey.council.gov.uk, for links
    /// and QR codes on posters. Unset: taken from each request.
    #[arg(long, env = "PUBLIC_URL", global = true)]
    pub public_url: Option<String>,

    /// Mark cookies Secure; turn on when the service is reached over HTTPS.
    #[arg(long, env = "SECURE_COOKIES", default_value_t = false, global = true)]
    pub secure_cookies: bool,

    /// Staff are signed out after this long without using the service.
    #[arg(long, env = "STAFF_IDLE_MINUTES", default_value_t = 60, value_parser = clap::value_parser!(u32).range(5..=1440), global = true)]
    pub staff_idle_minutes: u32,

    /// How long officers can correct an entry they made.
    #[arg(long, env = "CORRECTION_WINDOW_MINUTES", default_value_t = 120, value_parser = clap::value_parser!(u32).range(1..=10080), global = true)]
    pub correction_window_minutes: u32,

    /// Publishable tables hold back counts under this (and any count that would reveal one).
    #[arg(long, env = "SUPPRESSION_THRESHOLD", default_value_t = 5, value_parser = clap::value_parser!(i64).range(2..=100), global = true)]
    pub suppression_threshold: i64,

    /// Reverse proxies or load balancers in front of the app, as addresses or ranges
    /// (`10.0.0.0/8,192.0.2.7`). Only requests from these have their client address taken from
    /// `Forwarded` / `X-Forwarded-For`; unset, the connecting address is the client's.
    #[arg(long, env = "TRUSTED_PROXIES", default_value = "", global = true)]
    pub trusted_proxies: TrustedProxies,

    /// The header the trusted proxies write the client's address in: `x-forwarded-for`, or
    /// `forwarded` (RFC 7239). Only that one is read; the other is the client's own and can say
    /// anything.
    #[arg(long, env = "FORWARDED_HEADER", value_enum, default_value = "x-forwarded-for", global = true)]
    pub forwarded_header: ProxyHeader,

    /// Residents' requests that create something (starting, sending, contact details, removal,
    /// return codes) allowed from one address a minute, after a first burst of twice as many. A
    /// library's computers share one address, so this is generous. 0 turns the limit off.
    #[arg(long, env = "RESIDENT_WRITES_PER_MINUTE", default_value_t = 30, value_parser = clap::value_parser!(u32).range(0..=6000), global = true)]
    pub resident_writes_per_minute: u32,

    /// The server's key for keyed hashes of return codes and erased references: 64 hexadecimal
    /// digits, the same for every instance. Unset: made at first start and kept beside a SQLite
    /// database (`DATABASE.key`), or in a PostgreSQL database.
    #[arg(long, env = "SERVER_KEY", hide_env_values = true, global = true)]
    pub server_key: Option<String>,

    /// Most database connections for reads (SQLite writes always use one).
    #[arg(long, env = "DB_MAX_CONNECTIONS", default_value_t = 8, global = true)]
    pub db_max_connections: u32,
}

impl Config {
    pub fn draft_ttl_secs(&self) -> i64 {
        i64::from(self.draft_ttl_hours) * 3600
    }

    pub fn correction_window_secs(&self) -> i64 {
        i64::from(self.correction_window_minutes) * 60
    }

    /// Defaults for everything but the database: for tests and benchmarks.
    pub fn for_database(database_url: impl Into<String>) -> Config {
        Config {
            database_url: database_url.into(),
            site_addr: ([127, 0, 0, 1], 0).into(),
            site_root: PathBuf::from("target/site"),
            council_name: "Example Borough Council".into(),
            draft_ttl_hours: 168,
            secure_cookies: false,
            public_url: None,
            staff_idle_minutes: 60,
            correction_window_minutes: 120,
            suppression_threshold: 5,
            db_max_connections: 8,
            trusted_proxies: TrustedProxies::default(),
            server_key: None,
            forwarded_header: ProxyHeader::default(),
            clock: CouncilTime::default(),
            // Off: tests and benchmarks send far more from 127.0.0.1 than any one address should.
            // The limit has its own test.
            resident_writes_per_minute: 0,
        }
    }
}
