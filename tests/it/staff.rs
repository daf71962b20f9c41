//! Staff accounts: signing in and out, throttling, sessions ending, CSRF, and which role may do
//! what, on SQLite and PostgreSQL.

use crate::common;
use it_macros::both_backends;

use common::{PASSWORD, TestApp};
use inclusion_survey::auth::account::Role;
use reqwest::StatusCode;

const ADMIN: &str = "admin@council.gov.uk";
const OFFICER: &str = "officer@council.gov.uk";
const ANALYST: &str = "analyst@council.gov.uk";

#[both_backends]
async fn staff_sign_in_and_out(app: TestApp) {
    app.create_staff(ADMIN, &[Role::Admin]).await;
    app.get("/staff").await.assert_redirect("/staff/login?next=%2Fstaff");

    let wrong = app.sign_in_with(ADMIN, "not the password at all").await;
    let unknown = app.sign_in_with("nobody@council.gov.uk", PASSWORD).await;
    for page in [&wrong, &unknown] {
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.body.contains("Enter a correct email address and password"));
    }
    assert!(wrong.body.contains(ADMIN), "the email is kept in the form");

    app.sign_in("  Admin@Council.gov.uk ").await;
    let home = app.get("/staff").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("Signed in as Test admin"));
    assert!(home.body.contains("/staff/users"));
    let cookie = app.client.get(app.url("/staff/login")).send().await.unwrap();
    drop(cookie);

    let csrf = app.csrf("/staff").await;
    app.post("/staff/logout", &[("csrf", &csrf)]).await.assert_redirect("/staff/login");
    app.get("/staff").await.assert_redirect("/staff/login?next=%2Fstaff");
    assert!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'staff.sign_in'").await == 1);
}

#[both_backends]
async fn session_cookies_are_locked_down(app: TestApp) {
    app.create_staff(ADMIN, &[Role::Admin]).await;
    let page = app.client.get(app.url("/staff/login")).send().await.unwrap();
    let cookie = page.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/staff"),
        "{cookie}"
    );
    // A session id planted before sign-in is replaced at sign-in.
    let before = cookie.split(';').next().unwrap().to_owned();
    let csrf = {
        let body = page.text().await.unwrap();
        let i = body.find("name=\"csrf\" value=\"").unwrap() + 19;
        body[i..i + 64].to_owned()
    };
    let signed = app
        .client
        .post(app.url("/staff/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("csrf={csrf}&email=admin%40council.gov.uk&password=correct+horse+battery+staple&next=%2Fstaff"))
        .send()
        .await
        .unwrap();
    let after = signed.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
    assert_ne!(before, after);
}

#[both_backends]
async fn failed_sign_ins_are_throttled(app: TestApp) {
    app.create_staff(OFFICER, &[Role::Officer]).await;
    for _ in 0..5 {
        assert_eq!(app.sign_in_with(OFFICER, "wrong password here").await.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    // Now even the right password is refused for a while, and so is an unknown account after as many tries.
    let blocked = app.sign_in_with(OFFICER, PASSWORD).await;
    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(blocked.body.contains("Wait 15 minutes"));
    for _ in 0..5 {
        app.sign_in_with("ghost@council.gov.uk", PASSWORD).await;
    }
    assert_eq!(app.sign_in_with("ghost@council.gov.uk", PASSWORD).await.status, StatusCode::TOO_MANY_REQUESTS);
    // Per address: 20 failures from one address block every account from it.
    app.create_staff(ANALYST, &[Role::Analyst]).await;
    for i in 0..10 {
        app.sign_in_with(&format!("spray{i}@council.gov.uk"), "guess guess guess").await;
    }
    assert_eq!(app.sign_in_with(ANALYST, PASSWORD).await.status, StatusCode::TOO_MANY_REQUESTS);
}

#[both_backends]
async fn forms_without_the_csrf_token_are_refused(app: TestApp) {
    app.create_staff(ADMIN, &[Role::Admin]).await;
    app.sign_in(ADMIN).await;
    let fields = [("name", "Eve"), ("email", "eve@council.gov.uk"), ("role", "admin"), ("password", PASSWORD)];
    let missing = app.post("/staff/users", &fields).await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    assert!(missing.body.contains("This form has expired"));
    let mut forged = vec![("csrf", "0".repeat(64))];
    forged.extend(fields.iter().map(|(k, v)| (*k, v.to_string())));
    let forged: Vec<(&str, &str)> = forged.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(app.post("/staff/users", &forged).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("SELECT COUNT(*) FROM staff").await, 1);
}

#[both_backends]
async fn admins_manage_staff_and_deactivation_ends_sessions(app: TestApp) {
    app.create_staff(ADMIN, &[Role::Admin]).await;
    app.sign_in(ADMIN).await;
    let invalid = app.staff_post("/staff/users", &[("name", ""), ("email", "nope"), ("password", "short")]).await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    for message in ["Enter a name", "correct format", "Select at least one role", "at least 12 characters"] {
        assert!(invalid.body.contains(message), "{message}");
    }
    let created = app
        .staff_post(
            "/staff/users",
            &[("name", "Olu Officer"), ("email", OFFICER), ("role", "officer"), ("password", PASSWORD)],
        )
        .await;
    created.assert_redirect("/staff/users?done=created");
    let again = app
        .staff_post(
            "/staff/users",
            &[("name", "Olu Again"), ("email", OFFICER), ("role", "officer"), ("password", PASSWORD)],
        )
        .await;
    assert!(again.body.contains("already an account"));

    let officer = app.browser_signed_in(OFFICER).await;
    assert_eq!(officer.get("/staff/assist").await.status, StatusCode::OK);

    let id: i64 = sqlx::query_scalar("SELECT id FROM staff WHERE email = $1")
        .bind(OFFICER)
        .fetch_one(&app.db.read)
        .await
        .unwrap();
    app.staff_post(&format!("/staff/users/{id}/active"), &[("active", "0")])
        .await
        .assert_redirect("/staff/users?done=deactivated");
    officer.get("/staff/assist").await.assert_redirect("/staff/login?next=%2Fstaff%2Fassist");
    assert_eq!(officer.sign_in_with(OFFICER, PASSWORD).await.status, StatusCode::UNPROCESSABLE_ENTITY);

    app.staff_post(&format!("/staff/users/{id}/active"), &[("active", "1")]).await;
    officer.sign_in(OFFICER).await;
    let new_password = "a brand new passphrase";
    app.staff_post(&format!("/staff/users/{id}/password"), &[("password", new_password)])
        .await
        .assert_redirect("/staff/users?done=password");
    officer.get("/staff").await.assert_redirect("/staff/login?next=%2Fstaff");
    officer.sign_in_with(OFFICER, new_password).await.assert_redirect("/staff");

    let own_id: i64 =
        sqlx::query_scalar("SELECT id FROM staff WHERE email = $1").bind(ADMIN).fetch_one(&app.db.read).await.unwrap();
    assert_eq!(
        app.staff_post(&format!("/staff/users/{own_id}/active"), &[("active", "0")]).await.status,
        StatusCode::BAD_REQUEST
    );

    let audit = app.get("/staff/audit").await;
    for action in ["staff.create", "staff.deactivate", "staff.reactivate", "staff.reset_password"] {
        assert!(audit.body.contains(action), "{action} in the audit log");
    }
}

#[both_backends]
async fn idle_sessions_expire(app: TestApp) {
    app.create_staff(ADMIN, &[Role::Admin]).await;
    app.sign_in(ADMIN).await;
    assert_eq!(app.get("/staff").await.status, StatusCode::OK);
    let expire = match app.db.backend {
        inclusion_survey::db::Backend::Sqlite => "UPDATE tower_sessions SET expiry_date = 0",
        inclusion_survey::db::Backend::Postgres => {
            "UPDATE tower_sessions.session SET expiry_date = now() - interval '1 minute'"
        }
    };
    let store_pool_url = app.db.clone();
    sqlx::query(expire).execute(&store_pool_url.write).await.unwrap();
    app.get("/staff").await.assert_redirect("/staff/login?next=%2Fstaff");
}

/// Every staff route, for every kind of visitor: exactly the access each should have.
#[both_backends]
async fn role_matrix(app: TestApp) {
    app.create_staff(ADMIN, &[Role::Admin]).await;
    app.create_staff(OFFICER, &[Role::Officer]).await;
    app.create_staff(ANALYST, &[Role::Analyst]).await;
    let resident = app.another_browser();
    let officer = app.browser_signed_in(OFFICER).await;
    let analyst = app.browser_signed_in(ANALYST).await;
    let admin = app.browser_signed_in(ADMIN).await;

    use StatusCode as S;
    const LOGIN: S = S::SEE_OTHER;
    // (method, path, resident, officer, analyst, admin)
    let matrix: &[(&str, &str, S, S, S, S)] = &[
        ("GET", "/staff", LOGIN, S::OK, S::OK, S::OK),
        ("GET", "/staff/users", LOGIN, S::FORBIDDEN, S::FORBIDDEN, S::OK),
        ("POST", "/staff/users", S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::UNPROCESSABLE_ENTITY),
        ("GET", "/staff/users/1/password", LOGIN, S::FORBIDDEN, S::FORBIDDEN, S::OK),
        ("POST", "/staff/users/2/active", S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::BAD_REQUEST),
        ("GET", "/staff/lists", LOGIN, S::FORBIDDEN, S::FORBIDDEN, S::OK),
        ("POST", "/staff/lists/location", S::UNAUTHORIZED, S::FORBIDDEN, S::FORBIDDEN, S::UNPROCESSABLE_ENTITY),
        ("GET", "/staff/audit", LOGIN, S::FORBIDDEN, S::FORBIDDEN, S::OK),
        ("GET", "/staff/assist", LOGIN, S::OK, S::FORBIDDEN, S::FORBIDDEN),
        ("POST", "/staff/assist", S::UNAUTHORIZED, S::UNPROCESSABLE_ENTITY, S::FORBIDDEN, S::FORBIDDEN),
        ("GET", "/staff/assist/digital-inclusion/fast", LOGIN, S::SEE_OTHER, S::FORBIDDEN, S::FORBIDDEN),
        ("GET", "/staff/assist/help/ABCDEFGH", LOGIN, S::NOT_FOUND, S::FORBIDDEN, S::FORBIDDEN),
        ("POST", "/staff/assist/correct/ABCDEFGH", S::UNAUTHORIZED, S::NOT_FOUND, S::FORBIDDEN, S::FORBIDDEN),
        ("POST", "/staff/assist/return", S::UNAUTHORIZED, S::UNPROCESSABLE_ENTITY, S::FORBIDDEN, S::FORBIDDEN),
        // Outreach's server function reads JSON: a form post from an officer is not what it takes.
        ("POST", "/staff/outreach/api/send", S::UNAUTHORIZED, S::BAD_REQUEST, S::FORBIDDEN, S::FORBIDDEN),
    ];
    for (method, path, want_resident, want_officer, want_analyst, want_admin) in matrix {
        for (who, client, want) in [
            ("resident", &resident, want_resident),
            ("officer", &officer, want_officer),
            ("analyst", &analyst, want_analyst),
            ("admin", &admin, want_admin),
        ] {
            let got = match *method {
                "GET" => client.get(path).await,
                _ if who == "resident" => client.post(path, &[]).await,
                _ => client.staff_post(path, &[]).await,
            };
            assert_eq!(got.status, *want, "{who} {method} {path}: {}", got.body.chars().take(300).collect::<String>());
            if got.status == S::SEE_OTHER && who == "resident" {
                assert!(got.location.as_deref().unwrap().starts_with("/staff/login?next="), "{path}");
            }
        }
    }
}
