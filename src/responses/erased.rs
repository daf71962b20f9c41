//! Erased stays erased. When a resident's response is removed at their request, a keyed hash of
//! its reference (and of the outreach device's entry id, if it came from one) is kept, never the
//! reference itself, so that re-importing an old export or a device sending its entry again is
//! refused with a reason instead of bringing the answers back. The hash is keyed with the server's
//! key ([`crate::keys`]): references are short, and a plain hash of one could be found by trying
//! them all.

use crate::db::now;
use crate::error::AppError;
use crate::keys::{Purpose, ServerKey};
use sqlx::AnyConnection;
use std::collections::HashSet;

const REFERENCE: &str = "reference";
const ENTRY: &str = "entry";

/// What the service says of a row or an entry whose response was erased.
pub const REFUSAL: &str = "its response was removed at the resident's request, so it cannot be added again";

/// Remembers that the response with this reference (and device entry id) was erased.
pub async fn remember(
    conn: &mut AnyConnection,
    key: &ServerKey,
    reference: &str,
    entry_id: Option<&str>,
) -> Result<(), AppError> {
    let mut rows = vec![(REFERENCE, key.digest(Purpose::ErasedReference, reference))];
    rows.extend(entry_id.map(|id| (ENTRY, key.digest(Purpose::ErasedEntry, id))));
    for (purpose, digest) in rows {
        sqlx::query("INSERT INTO erased (purpose, digest, erased_at) VALUES ($1, $2, $3) ON CONFLICT (purpose, digest) DO NOTHING")
            .bind(purpose)
            .bind(digest)
            .bind(now())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Which of these references belong to erased responses (erased at or after `since`).
pub async fn references(
    conn: &mut AnyConnection,
    key: &ServerKey,
    references: &[&str],
    since: i64,
) -> Result<HashSet<String>, AppError> {
    among(conn, REFERENCE, references.iter().map(|r| (key.digest(Purpose::ErasedReference, r), *r)).collect(), since)
        .await
}

/// Whether any response was erased at or after `since` (so that most checks need no hashing).
pub async fn any_since(conn: &mut AnyConnection, since: i64) -> Result<bool, AppError> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM erased WHERE purpose = $1 AND erased_at >= $2")
        .bind(REFERENCE)
        .bind(since)
        .fetch_one(&mut *conn)
        .await?;
    Ok(n > 0)
}

/// Whether the device entry with this id made a response that was erased.
pub async fn entry(conn: &mut AnyConnection, key: &ServerKey, entry_id: &str) -> Result<bool, AppError> {
    Ok(!among(conn, ENTRY, vec![(key.digest(Purpose::ErasedEntry, entry_id), entry_id)], 0).await?.is_empty())
}

/// The values whose digests are kept for `purpose`, looked up a few hundred at a time.
async fn among(
    conn: &mut AnyConnection,
    purpose: &str,
    digests: Vec<(String, &str)>,
    since: i64,
) -> Result<HashSet<String>, AppError> {
    let mut found = HashSet::new();
    for chunk in digests.chunks(500) {
        let placeholders: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 3)).collect();
        let sql = format!(
            "SELECT digest FROM erased WHERE purpose = $1 AND erased_at >= $2 AND digest IN ({})",
            placeholders.join(", ")
        );
        let mut query = sqlx::query_scalar::<_, String>(&sql).bind(purpose).bind(since);
        for (digest, _) in chunk {
            query = query.bind(digest.as_str());
        }
        let kept: HashSet<String> = query.fetch_all(&mut *conn).await?.into_iter().collect();
        found.extend(chunk.iter().filter(|(digest, _)| kept.contains(digest)).map(|(_, value)| (*value).to_owned()));
    }
    Ok(found)
}
