//! An import's run. Its rows are stored a part at a time, each part in a short transaction of its
//! own, so that on SQLite, where one connection writes at a time, residents' answers wait for one
//! part at most instead of the whole file. Until the run finishes, its responses carry its id and
//! every reader passes them over ([`crate::db::STORED_RESPONSES`]), and their counts wait in
//! `import_tally`. Finishing shows the responses and adds the counts in one short transaction, so
//! the import still goes in all at once or not at all.
//!
//! One import runs at a time. A run beats in every part; one that has not beaten for
//! [`ABANDONED_AFTER`] seconds died with its process (or its request), and the next import, or the
//! hourly retention sweep, clears its rows away. Clearing claims the run first, by changing the
//! very beat it found stale (so of two clearers one wins), and a claimed run can no longer beat:
//! a run that was only stalled, not dead, fails at its next part instead of finishing with half
//! its rows cleared and all its counts added. A claim is kept as minus the time it was made, so
//! that a clearer that died halfway is itself taken for dead after as long.

use crate::db::{Db, is_unique_violation, now};
use crate::error::AppError;
use crate::responses::tally;
use sqlx::{Any, Transaction};

/// Seconds without a beat after which a run has died.
pub const ABANDONED_AFTER: i64 = 600;
/// Responses deleted to a transaction when a run is cleared away.
const CLEAR_BATCH: i64 = 1_000;

#[derive(Debug)]
pub struct Run {
    pub id: i64,
}

impl Run {
    /// Starts a run, after clearing away any that died; `Err(started_at)` if another is under way.
    pub async fn begin(db: &Db, survey_id: i64, by: Option<i64>) -> Result<Result<Run, i64>, AppError> {
        clear_abandoned(db).await?;
        let at = now();
        let started = sqlx::query_scalar::<_, i64>(
            "INSERT INTO import_run (survey_id, started_by, started_at, heartbeat_at) VALUES ($1, $2, $3, $3) RETURNING id",
        )
        .bind(survey_id)
        .bind(by)
        .bind(at)
        .fetch_one(&db.write)
        .await;
        match started {
            Ok(id) => Ok(Ok(Run { id })),
            Err(e) if is_unique_violation(&e) => {
                let since: Option<i64> =
                    sqlx::query_scalar("SELECT started_at FROM import_run").fetch_optional(&db.read).await?;
                Ok(Err(since.unwrap_or(at)))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Marks the run alive, in a part's transaction. Fails if the run was claimed to be cleared
    /// away meanwhile (it had stopped beating for so long that another process took it for dead).
    pub async fn beat(&self, tx: &mut Transaction<'_, Any>) -> Result<(), AppError> {
        let alive = sqlx::query("UPDATE import_run SET heartbeat_at = $1 WHERE id = $2 AND heartbeat_at > 0")
            .bind(now())
            .bind(self.id)
            .execute(&mut **tx)
            .await?;
        if alive.rows_affected() == 1 {
            Ok(())
        } else {
            Err(AppError::Internal(anyhow::anyhow!("import {} was cleared away while it ran", self.id)))
        }
    }

    /// Shows the run's responses and adds their counts to the totals, in the caller's transaction.
    pub async fn finish(self, tx: &mut Transaction<'_, Any>) -> Result<(), AppError> {
        self.beat(tx).await?;
        sqlx::query("UPDATE response SET import_id = NULL WHERE import_id = $1")
            .bind(self.id)
            .execute(&mut **tx)
            .await?;
        tally::merge(tx, self.id).await?;
        sqlx::query("DELETE FROM import_run WHERE id = $1").bind(self.id).execute(&mut **tx).await?;
        Ok(())
    }

    /// Removes what the run stored so far: it will not finish.
    pub async fn discard(self, db: &Db) -> Result<(), AppError> {
        clear(db, self.id).await
    }
}

/// Clears away the runs that stopped beating, and those whose clearing stopped as long ago;
/// returns how many this call cleared.
pub async fn clear_abandoned(db: &Db) -> Result<usize, AppError> {
    let cutoff = now() - ABANDONED_AFTER;
    let stale: Vec<(i64, i64)> =
        sqlx::query_as("SELECT id, heartbeat_at FROM import_run WHERE heartbeat_at < $1 AND -heartbeat_at < $1")
            .bind(cutoff)
            .fetch_all(&db.read)
            .await?;
    let mut cleared = 0;
    for (id, seen) in stale {
        if !claim(db, id, seen).await? {
            continue;
        }
        tracing::warn!(import = id, "clearing away an import that stopped before it finished");
        clear(db, id).await?;
        cleared += 1;
    }
    Ok(cleared)
}

/// Claims a run to clear it, if its beat is still the stale one seen (it has not beaten since,
/// and nobody else has claimed it). From then on it cannot beat.
pub async fn claim(db: &Db, id: i64, seen: i64) -> Result<bool, AppError> {
    let claimed = sqlx::query("UPDATE import_run SET heartbeat_at = $1 WHERE id = $2 AND heartbeat_at = $3")
        .bind(-now())
        .bind(id)
        .bind(seen)
        .execute(&db.write)
        .await?;
    Ok(claimed.rows_affected() == 1)
}

/// Deletes a run's responses (their answers go with them), a batch to a transaction so that
/// residents are not held up, then the run and its counts.
async fn clear(db: &Db, id: i64) -> Result<(), AppError> {
    loop {
        let deleted =
            sqlx::query("DELETE FROM response WHERE id IN (SELECT id FROM response WHERE import_id = $1 LIMIT $2)")
                .bind(id)
                .bind(CLEAR_BATCH)
                .execute(&db.write)
                .await?
                .rows_affected();
        if (deleted as i64) < CLEAR_BATCH {
            break;
        }
    }
    sqlx::query("DELETE FROM import_run WHERE id = $1").bind(id).execute(&db.write).await?;
    Ok(())
}
