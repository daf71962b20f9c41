//! Requests that lost their database connection part-way (PostgreSQL restarted or failed over, a
//! connection cut) are run again, so that a database restart in working hours shows nobody an
//! error page.
//!
//! Running a request again is safe where it did not commit, and where the pages check what is
//! stored before they change it. A request can lose its connection just as it commits, and then
//! nobody knows whether the commit happened: residents' pages are run again all the same, because
//! each of their writes checks first (a draft is saved as the answers given, whatever it held; it
//! is sent only while it is unsent, and a second send finds it sent and shows the confirmation; a
//! request to be contacted is not stored twice). Staff changes are not written that way, so only
//! their reads are run again; a change that lost its connection says so, and asks the person to
//! check what is stored before sending it again.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::time::Duration;
use tokio::time::Instant;

/// Marks a response whose request failed because its database connection was lost (see
/// [`is_lost_connection`]); set by the error type, read here and by the error pages.
#[derive(Clone, Copy, Debug)]
pub struct LostConnection;

/// Which requests a router's pages can run again.
#[derive(Clone, Copy, Debug)]
pub enum Replay {
    /// Every request: the pages check what is stored before they change it.
    Any,
    /// Reads only (GET and HEAD).
    ReadsOnly,
}

/// How long a request keeps being run again, from its first try: long enough for PostgreSQL to
/// restart (a second or two) or fail over; after that the person sees the error page.
const GIVE_UP_AFTER: Duration = Duration::from_secs(15);
/// The first wait before running it again; it doubles each time, up to a second.
const FIRST_WAIT: Duration = Duration::from_millis(50);

/// The largest body kept to send again: residents' forms are under the app's limit. A larger body,
/// or one sent in chunks of unknown length, goes through once.
const MAX_KEPT_BODY: u64 = 64 * 1024;

/// The middleware: runs the request, and again while it fails with a lost connection and may be
/// run again. Use with `axum::middleware::from_fn_with_state(Replay::…, replay)`.
pub async fn replay(State(policy): State<Replay>, request: Request, next: Next) -> Response {
    let runs_again = match policy {
        Replay::Any => true,
        Replay::ReadsOnly => request.method().is_safe(),
    };
    // Its length as given (a request with no Content-Length and no chunks has none).
    let kept = axum::body::HttpBody::size_hint(request.body()).upper().is_some_and(|n| n <= MAX_KEPT_BODY);
    if !runs_again || !kept {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let Ok(body) = axum::body::to_bytes(body, MAX_KEPT_BODY as usize).await else {
        // Shorter or longer than it said, or the client went away.
        return StatusCode::BAD_REQUEST.into_response();
    };
    let started = Instant::now();
    let mut wait = FIRST_WAIT;
    loop {
        let response = next.clone().run(Request::from_parts(parts.clone(), Body::from(body.clone()))).await;
        if response.extensions().get::<LostConnection>().is_none() || started.elapsed() + wait > GIVE_UP_AFTER {
            return response;
        }
        tracing::warn!(method = %parts.method, path = parts.uri.path(), "lost the database connection: running the request again");
        tokio::time::sleep(wait).await;
        wait = (wait * 2).min(Duration::from_secs(1));
    }
}

/// Whether an error says the connection to the database went, rather than anything about the
/// query: a socket closed or reset, PostgreSQL shutting down or restarting (SQLSTATE 57P01–57P03),
/// or any connection exception (class 08). A query that failed so may not have run; one that was
/// committing may have committed.
pub fn is_lost_connection(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Io(_) => true,
        sqlx::Error::Database(e) => {
            e.code().is_some_and(|code| code.starts_with("08") || matches!(&*code, "57P01" | "57P02" | "57P03"))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Router;
    use axum::http::header;
    use axum::routing::get;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tower::ServiceExt;

    /// A page that loses its connection the first `failures` times, counting its runs and
    /// answering with the body it was sent.
    fn flaky(failures: usize, policy: Replay) -> (Router, Arc<AtomicUsize>) {
        let runs = Arc::new(AtomicUsize::new(0));
        let counted = runs.clone();
        let page = move |body: String| {
            let runs = counted.clone();
            async move {
                if runs.fetch_add(1, Ordering::SeqCst) < failures {
                    let mut lost = StatusCode::INTERNAL_SERVER_ERROR.into_response();
                    lost.extensions_mut().insert(LostConnection);
                    return lost;
                }
                body.into_response()
            }
        };
        let router = Router::new()
            .route("/", get(page.clone()).post(page))
            .layer(axum::middleware::from_fn_with_state(policy, replay));
        (router, runs)
    }

    fn request(method: &str, body: &'static str) -> Request {
        Request::builder()
            .method(method)
            .uri("/")
            .header(header::CONTENT_LENGTH, body.len())
            .body(Body::from(body))
            .unwrap()
    }

    async fn text(response: Response) -> String {
        String::from_utf8(axum::body::to_bytes(response.into_body(), 1024).await.unwrap().to_vec()).unwrap()
    }

    #[tokio::test(start_paused = true)]
    async fn a_residents_post_that_lost_its_connection_is_run_again_with_the_same_body() {
        let (router, runs) = flaky(3, Replay::Any);
        let response = router.oneshot(request("POST", "answer=no")).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(text(response).await, "answer=no");
        assert_eq!(runs.load(Ordering::SeqCst), 4);
    }

    #[tokio::test(start_paused = true)]
    async fn a_staff_change_is_not_run_again_but_a_staff_read_is() {
        let (router, runs) = flaky(1, Replay::ReadsOnly);
        let response = router.clone().oneshot(request("POST", "status=closed")).await.unwrap();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(response.extensions().get::<LostConnection>().is_some(), "its page says so");
        assert_eq!(runs.load(Ordering::SeqCst), 1);
        assert_eq!(router.oneshot(request("GET", "")).await.unwrap().status(), StatusCode::OK);
        assert_eq!(runs.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn it_gives_up_when_the_database_stays_away() {
        let (router, runs) = flaky(usize::MAX, Replay::Any);
        let started = tokio::time::Instant::now();
        let response = router.oneshot(request("GET", "")).await.unwrap();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(started.elapsed() <= GIVE_UP_AFTER, "{:?}", started.elapsed());
        // 50, 100, 200, 400, 800 ms, then a second at a time.
        assert!((15..=20).contains(&runs.load(Ordering::SeqCst)), "{}", runs.load(Ordering::SeqCst));
    }

    #[tokio::test(start_paused = true)]
    async fn an_empty_post_without_a_length_is_run_again() {
        let (router, runs) = flaky(1, Replay::Any);
        let start = Request::builder().method("POST").uri("/").body(Body::empty()).unwrap();
        assert_eq!(router.oneshot(start).await.unwrap().status(), StatusCode::OK);
        assert_eq!(runs.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn any_other_failure_goes_through_once() {
        let runs = Arc::new(AtomicUsize::new(0));
        let counted = runs.clone();
        let router = Router::new()
            .route(
                "/",
                get(move || {
                    counted.fetch_add(1, Ordering::SeqCst);
                    async { StatusCode::INTERNAL_SERVER_ERROR }
                }),
            )
            .layer(axum::middleware::from_fn_with_state(Replay::Any, replay));
        assert_eq!(router.oneshot(request("GET", "")).await.unwrap().status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(runs.load(Ordering::SeqCst), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn a_body_too_large_to_keep_goes_through_once() {
        let (router, runs) = flaky(1, Replay::Any);
        let large: &'static str = Box::leak("x".repeat(MAX_KEPT_BODY as usize + 1).into_boxed_str());
        let response = router.oneshot(request("POST", large)).await.unwrap();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(runs.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn only_a_lost_connection_counts() {
        assert!(is_lost_connection(&sqlx::Error::Io(std::io::ErrorKind::ConnectionReset.into())));
        assert!(!is_lost_connection(&sqlx::Error::RowNotFound));
        assert!(!is_lost_connection(&sqlx::Error::PoolTimedOut), "already waited 10 s for a connection");
    }
}
