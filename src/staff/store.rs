//! The staff pages' own queries: the council's lists of places and kinds of help.

use crate::audit;
use crate::audit::Event;
use crate::db::{Db, is_unique_violation, now};
use crate::error::AppError;
use crate::survey::lists::List;

/// Adds an item to a list, audited; `None` if the list has one of that name already.
pub async fn add_list_item(db: &Db, by: i64, list: List, label: &str) -> Result<Option<i64>, AppError> {
    let mut tx = db.write.begin().await?;
    let inserted: Result<i64, sqlx::Error> =
        sqlx::query_scalar("INSERT INTO list_item (list, label, created_at) VALUES ($1, $2, $3) RETURNING id")
            .bind(list.as_str())
            .bind(label)
            .bind(now())
            .fetch_one(&mut *tx)
            .await;
    let id = match inserted {
        Ok(id) => id,
        Err(e) if is_unique_violation(&e) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let after = serde_json::json!({ "list": list.as_str(), "label": label });
    audit::record(&mut *tx, Some(by), Event::ListAdd, &format!("list_item/{id}"), None, Some(after)).await?;
    tx.commit().await?;
    Ok(Some(id))
}

/// Turns a list's item on or off; audited when it changes.
pub async fn set_list_item_active(db: &Db, by: i64, id: i64, active: bool) -> Result<(), AppError> {
    let mut tx = db.write.begin().await?;
    let done = sqlx::query("UPDATE list_item SET active = $1 WHERE id = $2 AND active <> $1")
        .bind(i64::from(active))
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 1 {
        let after = serde_json::json!({ "active": active });
        audit::record(&mut *tx, Some(by), Event::ListSetActive, &format!("list_item/{id}"), None, Some(after)).await?;
    }
    tx.commit().await?;
    Ok(())
}
