//! The command line: the first admin is created with the password on standard input.

use crate::common;

use common::{Backend, PASSWORD};
use inclusion_survey::config::Config;
use std::io::Write;
use std::process::{Command, Stdio};

fn admin_create(database_url: &str, email: &str, stdin: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_inclusion-survey"))
        .args(["admin", "create", "--email", email, "--name", "First Admin", "--role", "admin", "--role", "analyst"])
        .env("DATABASE_URL", database_url)
        .env_remove("INCLUSION_SURVEY_PASSWORD")
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

#[tokio::test]
async fn first_admin_from_the_command_line_can_sign_in() {
    let url = common::fresh_database(Backend::Sqlite).await;
    let short = admin_create(&url, "first@council.gov.uk", "short\n");
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 12 characters"));

    let made = admin_create(&url, "First@Council.gov.uk", &format!("{PASSWORD}\n"));
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    assert!(String::from_utf8_lossy(&made.stdout).contains("first@council.gov.uk"));
    let twice = admin_create(&url, "first@council.gov.uk", &format!("{PASSWORD}\n"));
    assert!(!twice.status.success());

    let app = common::spawn_app_on(Config::for_database(url)).await;
    app.sign_in("first@council.gov.uk").await;
    let home = app.get("/staff").await;
    assert!(home.body.contains("admin, analyst"));
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'staff.create' AND staff_id IS NULL").await, 1);
}
