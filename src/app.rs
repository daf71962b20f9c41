//! The application: starting it, and the route table where every page can be found.

use crate::config::Config;
use crate::db::Db;
use crate::db::retry::{self, Replay};
use crate::error::AppError;
use crate::responses::tally;
use crate::state::{AppState, SessionStore};
use crate::survey::{self, Catalogue};
use crate::ui::{self, Chrome};
use crate::{assist, export, insight, outreach, paper, plan, privacy, respond, staff};
use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderValue, header};
use axum::middleware::from_fn_with_state;
use axum::response::{Redirect, Response};
use axum::routing::get;
use std::sync::Arc;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

/// Largest form body accepted: a 2,000-character answer in any script, percent-encoded, fits.
const MAX_BODY_BYTES: usize = 64 * 1024;

// No inline script or style anywhere, so the policy can forbid both.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; \
     form-action 'self'; frame-ancestors 'none'";

/// Connects to the database, applies migrations and makes sure the built-in survey exists.
pub async fn prepare(config: Config) -> anyhow::Result<AppState> {
    let db = Db::connect(&config.database_url, config.db_max_connections).await?;
    db.migrate().await?;
    survey::ensure_survey(&db, &survey::builtin()).await?;
    let surveys = Arc::new(Catalogue::default());
    tally::build_if_missing(&db, &surveys).await?;
    let sessions = SessionStore::open(&config.database_url).await?;
    let key = crate::keys::ServerKey::load(config.server_key.as_deref(), &db).await?;
    Ok(AppState { db, sessions, surveys, config: Arc::new(config), key })
}

/// On a resident's error (a refused post, too many attempts, a question not needed), the language
/// to say it in: the one chosen in `?lang=`, or the resident's draft's. Looked up only when there is
/// an error, so the pages that work pay nothing for it.
async fn resident_language(
    State(state): State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    // Only the cookies are kept for after (the draft's), not every header of every request.
    let uri = request.uri().clone();
    let mut headers = axum::http::HeaderMap::new();
    for cookie in request.headers().get_all(header::COOKIE) {
        headers.append(header::COOKIE, cookie.clone());
    }
    let mut response = next.run(request).await;
    let status = response.status();
    // A page the handler wrote itself (a question with an error) is in the language already.
    let written = response.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if (status.is_client_error() || status.is_server_error())
        && !written
        && let Ok(Some(language)) = respond::language_for(&state, &uri, &headers).await
    {
        response.extensions_mut().insert(language);
    }
    response
}

/// Every page, by feature. Residents' pages are plain; their posts that create something are
/// rate-limited per address. Staff pages all sit behind the staff session layer. A request that
/// lost its database connection is run again: any of a resident's, only a member of staff's reads.
pub fn router(state: AppState) -> Router {
    let config = &state.config;
    let staff_pages = Router::new()
        .merge(staff::router())
        .merge(assist::router())
        .merge(outreach::router())
        .merge(insight::router())
        .merge(export::router())
        .merge(paper::router())
        .merge(plan::router())
        .merge(privacy::staff_router())
        .merge(crate::survey_admin::router())
        .layer(state.sessions.clone().layer(i64::from(config.staff_idle_minutes), config.secure_cookies))
        .layer(from_fn_with_state(Replay::ReadsOnly, retry::replay));
    // The outreach page's WebAssembly is most of what any page loads: it is compressed harder than
    // pages are (a release built with `--precompress` is served from its own .br/.gz files).
    let static_files = tower::ServiceBuilder::new().layer(CompressionLayer::new()).service(
        ServeDir::new(&state.config.site_root)
            .precompressed_br()
            .precompressed_gzip()
            .not_found_service(get(|| async { AppError::NotFound }).with_state(())),
    );
    // Served over HTTPS (as SECURE_COOKIES says): browsers are told never to use plain HTTP.
    let https_only =
        state.config.secure_cookies.then(|| header_default(header::STRICT_TRANSPORT_SECURITY, "max-age=31536000"));
    Router::new()
        .route("/", get(|| async { Redirect::to(&format!("/s/{}", survey::BUILTIN_SLUG)) }))
        .route("/health", get(|| async { "ok" }))
        .route(ui::STYLESHEET_PATH, get(ui::serve_stylesheet))
        .merge(
            Router::new()
                .merge(respond::router().layer(from_fn_with_state(Replay::Any, retry::replay)))
                .merge(crate::throttle::resident_writes(
                    config.resident_writes_per_minute,
                    config.trusted_proxies.clone(),
                    config.forwarded_header,
                    &state.db,
                    // Inside the limit: a request run again is counted once.
                    respond::creating_router()
                        .merge(privacy::resident_router())
                        .layer(from_fn_with_state(Replay::Any, retry::replay)),
                ))
                .layer(from_fn_with_state(state.clone(), resident_language)),
        )
        .merge(staff_pages)
        .fallback_service(static_files)
        .layer(from_fn_with_state(Chrome::council(&state.config), ui::error_pages))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(header_default(header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
        .layer(header_default(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header_default(header::REFERRER_POLICY, "same-origin"))
        // Pages hold a resident's answers: never keep them in a shared computer's cache.
        .layer(header_default(header::CACHE_CONTROL, "no-store"))
        .layer(tower::util::option_layer(https_only))
        // Pages are a few kilobytes: the fastest level shrinks them almost as much for a fraction
        // of the time every request spends on it.
        .layer(CompressionLayer::new().quality(tower_http::CompressionLevel::Fastest))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

fn header_default(name: header::HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}

/// Serves until Ctrl-C or SIGTERM.
pub async fn serve(config: Config) -> anyhow::Result<()> {
    let addr = config.site_addr;
    let state = prepare(config).await?;
    tokio::spawn(respond::sweep_expired_drafts(state.db.clone()));
    tokio::spawn(crate::throttle::sweep_buckets(state.db.clone()));
    tokio::spawn(state.sessions.clone().sweep_expired(state.db.clone()));
    tokio::spawn(crate::privacy::retention::every_hour(
        state.db.clone(),
        state.surveys.clone(),
        state.config.council_name.clone(),
    ));
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!("listening on http://{}", listener.local_addr()?);
    run(listener, state, shutdown_signal()).await
}

/// Serves on `listener` until `shutdown` completes, with each request's peer address available
/// (sign-in throttling counts failures per address).
pub async fn run(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let service = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, service).with_graceful_shutdown(shutdown).await?;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
}
