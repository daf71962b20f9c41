//! The server function the outreach page sends its entries through.

use super::entry::{Entry, Outcome};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Stores each entry that passes every rule, once, and says what became of each. `csrf` is the
/// staff session's token, as every staff form carries: a send from a page made before the officer
/// last signed in is refused whole, and nothing changes.
#[server(prefix = "/staff/outreach/api", endpoint = "send", input = Json)]
pub async fn send_entries(csrf: String, entries: Vec<Entry>) -> Result<Vec<Outcome>, ServerFnError> {
    use crate::auth::SignedIn;
    use crate::error::AppError;
    use crate::state::AppState;

    let state = expect_context::<AppState>();
    let officer = expect_context::<SignedIn>();
    let refuse = |error: AppError| {
        let status = error.status();
        if status.is_server_error() {
            tracing::error!(error = ?error, "outreach send failed");
        }
        expect_context::<leptos_axum::ResponseOptions>().set_status(status);
        ServerFnError::ServerError(match error {
            AppError::FormExpired => "this page was opened before you last signed in. Reload it while there is a connection, and the entries are sent.".to_owned(),
            AppError::BadRequest(message) => message,
            _ => "there is a problem with the service. The entries wait on this device; try again later.".to_owned(),
        })
    };
    crate::auth::session::check_csrf(&officer.session, Some(&csrf)).await.map_err(refuse)?;
    if entries.len() > super::MAX_ENTRIES_PER_SEND {
        return Err(refuse(AppError::BadRequest(format!(
            "send at most {} entries at a time.",
            super::MAX_ENTRIES_PER_SEND
        ))));
    }
    let mut outcomes = Vec::with_capacity(entries.len());
    let mut lookups = super::store::Lookups::default();
    for entry in &entries {
        outcomes.push(super::store::send(&state, &officer, &mut lookups, entry).await.map_err(refuse)?);
    }
    Ok(outcomes)
}
