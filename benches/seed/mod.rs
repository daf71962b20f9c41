//! Seeds the built-in survey's responses in bulk, for benchmarks.

/// Seeds in SQL so that a million responses take seconds: a third never used online services
/// (why not: no internet, half also family or friends), a fifth of the rest would not again.
pub async fn seed(db: &inclusion_survey::db::Db, n: i64) {
    let version: (i64, i64) =
        sqlx::query_as("SELECT survey_id, id FROM survey_version WHERE version = 1").fetch_one(&db.read).await.unwrap();
    // References in the unambiguous alphabet: the base-31 digits of i.
    let reference: Vec<String> = (0..8)
        .rev()
        .map(|k| {
            format!("substr('23456789ABCDEFGHJKMNPQRSTUVWXYZ', CAST((i / {}) % 31 + 1 AS INTEGER), 1)", 31i64.pow(k))
        })
        .collect();
    let reference = reference.join(" || ");
    let statements = [
        format!(
            "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < {n}) \
             INSERT INTO response (id, reference, survey_id, survey_version_id, channel, barriers, submitted_at, day) \
             SELECT i, {reference}, {}, {}, CASE i % 4 WHEN 0 THEN 'phone' ELSE 'web' END, i % 16, \
             1700000000 + i * 30, (1700000000 + i * 30) / 86400 FROM k",
            version.0, version.1
        ),
        "INSERT INTO answer SELECT id, 'used_online', CASE id % 3 WHEN 0 THEN 'no' ELSE 'yes' END, NULL FROM response".into(),
        "INSERT INTO answer SELECT id, 'use_again', CASE WHEN id % 5 = 0 THEN 'no' ELSE 'yes' END, NULL FROM response WHERE id % 3 <> 0".into(),
        "INSERT INTO answer SELECT id, 'why_not_again', 'too_difficult', NULL FROM response WHERE id % 3 <> 0 AND id % 5 = 0".into(),
        "INSERT INTO answer SELECT id, 'why_not_online', 'no_internet', NULL FROM response WHERE id % 3 = 0".into(),
        "INSERT INTO answer SELECT id, 'why_not_online', 'family_friends', NULL FROM response WHERE id % 6 = 0".into(),
        "INSERT INTO answer SELECT id, 'go_online_how', 'smartphone', NULL FROM response WHERE id % 3 <> 0".into(),
        "INSERT INTO answer SELECT id, 'confidence_online', CAST(id % 5 + 1 AS TEXT), NULL FROM response".into(),
        "INSERT INTO answer SELECT id, 'age_band', CASE id % 7 WHEN 0 THEN '16_24' WHEN 1 THEN '25_34' WHEN 2 THEN '35_44' \
         WHEN 3 THEN '45_54' WHEN 4 THEN '55_64' WHEN 5 THEN '65_74' ELSE '75_plus' END, NULL FROM response".into(),
        "INSERT INTO answer SELECT id, 'ward', CASE id % 3 WHEN 0 THEN 'newtown' WHEN 1 THEN 'yarm' ELSE 'prefer_not_to_say' END, NULL FROM response".into(),
        "INSERT INTO answer SELECT id, 'disability', CASE id % 4 WHEN 0 THEN 'yes' ELSE 'no' END, NULL FROM response".into(),
        "INSERT INTO answer SELECT id, 'comments', '', 'Resident number ' || id || ' said: \"the library helps\", thanks' FROM response WHERE id % 10 = 0".into(),
    ];
    let mut tx = db.write.begin().await.unwrap();
    for sql in &statements {
        sqlx::query(sql).execute(&mut *tx).await.unwrap();
    }
    tx.commit().await.unwrap();
}

/// The app's own responses export of the survey in the database at `database_url`, written to
/// `out` by the real binary, as a separate process so that its memory can be measured on its own.
#[allow(dead_code)] // Not every benchmark exports.
pub fn export(database_url: &str, out: &std::path::Path) {
    assert!(export_command(database_url, out).status().unwrap().success());
}

/// The real binary's command exporting every response of the built-in survey to `out`.
pub fn export_command(database_url: &str, out: &std::path::Path) -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_inclusion-survey"));
    command
        .args(["export", "responses", "--survey", "digital-inclusion", "--out"])
        .arg(out)
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .stderr(std::process::Stdio::null());
    command
}
