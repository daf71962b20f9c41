//! The two migration sets build the same schema: the same tables and columns, the same columns that
//! may be empty, and the same primary, foreign and unique keys, so SQLite and PostgreSQL cannot
//! drift apart. (Column types are each backend's own: INTEGER against BIGINT, and so on.)

use crate::common;

use common::{Backend, fresh_database};
use inclusion_survey::db::Db;
use std::collections::BTreeSet;

/// One line per fact, such as `answer.response_id not null` or `answer.response_id -> response.id
/// on delete CASCADE`, so a difference reads as a list of facts.
type Schema = BTreeSet<String>;

/// A row of SQLite's `PRAGMA foreign_key_list`: id, seq, table, from, to, on update, on delete, match.
type ForeignKeyRow = (i64, i64, String, String, String, String, String, String);

/// Tables that are the migration tool's own.
fn ours(table: &str) -> bool {
    !table.starts_with("_sqlx") && !table.starts_with("sqlite_")
}

async fn sqlite_schema(db: &Db) -> Schema {
    let mut schema = Schema::new();
    let tables: Vec<String> = sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .fetch_all(&db.read)
        .await
        .unwrap();
    for table in tables.into_iter().filter(|t| ours(t)) {
        let columns: Vec<(i64, String, String, i64, Option<String>, i64)> =
            sqlx::query_as(&format!("PRAGMA table_info('{table}')")).fetch_all(&db.read).await.unwrap();
        let mut key: Vec<(i64, String)> = Vec::new();
        for (_, name, _, not_null, _, pk) in columns {
            // A primary key column can never be empty, though SQLite reports it as nullable.
            let nullable = if not_null == 1 || pk > 0 { "not null" } else { "nullable" };
            schema.insert(format!("{table}.{name} {nullable}"));
            if pk > 0 {
                key.push((pk, name));
            }
        }
        key.sort();
        if !key.is_empty() {
            schema.insert(format!(
                "{table} primary key ({})",
                key.into_iter().map(|(_, c)| c).collect::<Vec<_>>().join(", ")
            ));
        }
        let foreign: Vec<ForeignKeyRow> =
            sqlx::query_as(&format!("PRAGMA foreign_key_list('{table}')")).fetch_all(&db.read).await.unwrap();
        for (_, _, to_table, from, to, _, on_delete, _) in foreign {
            schema.insert(format!("{table}.{from} -> {to_table}.{to} on delete {on_delete}"));
        }
        let indexes: Vec<(i64, String, i64, String, i64)> =
            sqlx::query_as(&format!("PRAGMA index_list('{table}')")).fetch_all(&db.read).await.unwrap();
        for (_, index, unique, origin, partial) in indexes {
            if unique == 0 || origin == "pk" {
                continue;
            }
            let columns: Vec<(i64, i64, String)> =
                sqlx::query_as(&format!("PRAGMA index_info('{index}')")).fetch_all(&db.read).await.unwrap();
            let names: Vec<String> = columns.into_iter().map(|(_, _, c)| c).collect();
            schema.insert(format!(
                "{table} unique ({}){}",
                names.join(", "),
                if partial == 1 { " where …" } else { "" }
            ));
        }
    }
    schema
}

async fn postgres_schema(db: &Db) -> Schema {
    let mut schema = Schema::new();
    let columns: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, is_nullable::text FROM information_schema.columns WHERE table_schema = 'public'",
    )
    .fetch_all(&db.read)
    .await
    .unwrap();
    for (table, column, nullable) in columns.into_iter().filter(|(t, _, _)| ours(t)) {
        schema.insert(format!("{table}.{column} {}", if nullable == "YES" { "nullable" } else { "not null" }));
    }
    let keys: Vec<(String, String)> = sqlx::query_as(
        "SELECT tc.table_name::text, string_agg(k.column_name::text, ', ' ORDER BY k.ordinal_position) \
         FROM information_schema.table_constraints tc \
         JOIN information_schema.key_column_usage k ON k.constraint_name = tc.constraint_name AND k.table_schema = tc.table_schema \
         WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = 'public' GROUP BY tc.table_name, tc.constraint_name",
    )
    .fetch_all(&db.read)
    .await
    .unwrap();
    for (table, columns) in keys.into_iter().filter(|(t, _)| ours(t)) {
        schema.insert(format!("{table} primary key ({columns})"));
    }
    let foreign: Vec<(String, String, String, String, String)> = sqlx::query_as(
        "SELECT tc.table_name::text, k.column_name::text, c.table_name::text, c.column_name::text, r.delete_rule::text \
         FROM information_schema.table_constraints tc \
         JOIN information_schema.key_column_usage k ON k.constraint_name = tc.constraint_name AND k.table_schema = tc.table_schema \
         JOIN information_schema.constraint_column_usage c ON c.constraint_name = tc.constraint_name AND c.table_schema = tc.table_schema \
         JOIN information_schema.referential_constraints r ON r.constraint_name = tc.constraint_name AND r.constraint_schema = tc.table_schema \
         WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = 'public'",
    )
    .fetch_all(&db.read)
    .await
    .unwrap();
    for (table, from, to_table, to, on_delete) in foreign {
        schema.insert(format!("{table}.{from} -> {to_table}.{to} on delete {on_delete}"));
    }
    let unique: Vec<(String, String, bool)> = sqlx::query_as(
        "SELECT t.relname::text, string_agg(a.attname::text, ', ' ORDER BY k.ord), ix.indpred IS NOT NULL \
         FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace \
         CROSS JOIN LATERAL unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord) \
         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum \
         WHERE n.nspname = 'public' AND ix.indisunique AND NOT ix.indisprimary GROUP BY t.relname, ix.indexrelid, ix.indpred",
    )
    .fetch_all(&db.read)
    .await
    .unwrap();
    for (table, columns, partial) in unique.into_iter().filter(|(t, _, _)| ours(t)) {
        schema.insert(format!("{table} unique ({columns}){}", if partial { " where …" } else { "" }));
    }
    schema
}

async fn migrated(backend: Backend) -> Db {
    let db = Db::connect(&fresh_database(backend).await, 2).await.unwrap();
    db.migrate().await.unwrap();
    db
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_migration_sets_build_the_same_schema() {
    if !common::postgres_is_set() {
        return;
    }
    let sqlite = sqlite_schema(&migrated(Backend::Sqlite).await).await;
    let postgres = postgres_schema(&migrated(Backend::Postgres).await).await;
    assert!(
        sqlite.iter().any(|f| f == "answer.response_id -> response.id on delete CASCADE"),
        "the comparison sees foreign keys: {sqlite:#?}"
    );
    let only_sqlite: Vec<&String> = sqlite.difference(&postgres).collect();
    let only_postgres: Vec<&String> = postgres.difference(&sqlite).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "only in SQLite: {only_sqlite:#?}\nonly in PostgreSQL: {only_postgres:#?}"
    );
}
