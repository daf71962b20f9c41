//! Staff accounts: roles, passwords (argon2id, checked off the async runtime) and their queries.

use crate::audit::Event;
use crate::db::{Db, now};
use crate::error::AppError;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use serde::Serialize;
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Manages staff accounts, locations and surveys.
    Admin,
    /// Takes surveys with residents; sees only their own recent entries.
    Officer,
    /// Reads summaries and exports; cannot enter or edit responses.
    Analyst,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Officer, Role::Analyst];

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Officer => "officer",
            Role::Analyst => "analyst",
        }
    }

    fn bit(self) -> i64 {
        match self {
            Role::Admin => 1,
            Role::Officer => 2,
            Role::Analyst => 4,
        }
    }
}

/// The roles one person holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Roles(i64);

impl Roles {
    pub fn has(self, role: Role) -> bool {
        self.0 & role.bit() != 0
    }

    pub fn bits(self) -> i64 {
        self.0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn names(self) -> Vec<&'static str> {
        Role::ALL.into_iter().filter(|r| self.has(*r)).map(Role::as_str).collect()
    }
}

impl FromIterator<Role> for Roles {
    fn from_iter<I: IntoIterator<Item = Role>>(iter: I) -> Self {
        Roles(iter.into_iter().fold(0, |bits, r| bits | r.bit()))
    }
}

#[derive(Debug, Clone)]
pub struct Staff {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub roles: Roles,
    pub active: bool,
    pub session_epoch: i64,
}

/// An email address as staff sign in with it: trimmed, lower case, one @, a dot in the domain.
pub fn parse_email(input: &str) -> Option<String> {
    let email = input.trim().to_lowercase();
    let (local, domain) = email.split_once('@')?;
    let ok = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && email.matches('@').count() == 1;
    ok.then_some(email)
}

pub const MIN_PASSWORD_CHARS: usize = 12;
const MAX_PASSWORD_CHARS: usize = 200;

/// NCSC advice: length matters, composition rules do not.
pub fn check_password(password: &str) -> Result<(), String> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        Err(format!("Password must be at least {MIN_PASSWORD_CHARS} characters"))
    } else if n > MAX_PASSWORD_CHARS {
        Err(format!("Password must be {MAX_PASSWORD_CHARS} characters or fewer"))
    } else {
        Ok(())
    }
}

/// Hashing costs tens of milliseconds of CPU on purpose, so it runs on the blocking pool.
pub async fn hash_password(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| AppError::Internal(anyhow::anyhow!("hashing failed: {e}")))
    })
    .await
    .map_err(AppError::from)?
}

/// A real hash of nothing anyone knows, checked against when the email is unknown so that the
/// answer takes as long as for a real account.
static DECOY_HASH: LazyLock<String> = LazyLock::new(|| {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default().hash_password(b"decoy password nobody has", &salt).expect("hash").to_string()
});

pub async fn verify_password(password: String, hash: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
        let known = hash.is_some();
        let hash = hash.unwrap_or_else(|| DECOY_HASH.clone());
        let Ok(parsed) = PasswordHash::new(&hash) else { return false };
        let matches = Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok();
        matches && known
    })
    .await
    .unwrap_or(false)
}

/// An account as stored: roles as bits, active as 0 or 1.
#[derive(sqlx::FromRow)]
struct StaffRow {
    id: i64,
    email: String,
    name: String,
    roles: i64,
    active: i64,
    session_epoch: i64,
}

impl From<StaffRow> for Staff {
    fn from(row: StaffRow) -> Staff {
        Staff {
            id: row.id,
            email: row.email,
            name: row.name,
            roles: Roles(row.roles),
            active: row.active == 1,
            session_epoch: row.session_epoch,
        }
    }
}

/// An account with its password hash.
#[derive(sqlx::FromRow)]
struct SignInRow {
    #[sqlx(flatten)]
    staff: StaffRow,
    password_hash: String,
}

const COLUMNS: &str = "id, email, name, roles, active, session_epoch";

pub async fn find(db: &Db, id: i64) -> Result<Option<Staff>, AppError> {
    let row: Option<StaffRow> =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM staff WHERE id = $1")).bind(id).fetch_optional(&db.read).await?;
    Ok(row.map(Staff::from))
}

/// The account and its password hash, for signing in.
pub async fn find_for_sign_in(db: &Db, email: &str) -> Result<Option<(Staff, String)>, AppError> {
    let row: Option<SignInRow> =
        sqlx::query_as(&format!("SELECT {COLUMNS}, password_hash FROM staff WHERE email = $1"))
            .bind(email)
            .fetch_optional(&db.read)
            .await?;
    Ok(row.map(|row| (Staff::from(row.staff), row.password_hash)))
}

pub async fn all(db: &Db) -> Result<Vec<Staff>, AppError> {
    let rows: Vec<StaffRow> =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM staff ORDER BY active DESC, name")).fetch_all(&db.read).await?;
    Ok(rows.into_iter().map(Staff::from).collect())
}

/// What a new account needs, already checked.
pub struct NewStaff {
    pub email: String,
    pub name: String,
    pub roles: Roles,
    pub password_hash: String,
}

pub enum Created {
    Id(i64),
    EmailTaken,
}

/// Creates an account and audits it in one transaction. `by` is the admin, or None from the
/// command line.
pub async fn create(db: &Db, by: Option<i64>, new: NewStaff) -> Result<Created, AppError> {
    let mut tx = db.write.begin().await?;
    let inserted: Result<i64, sqlx::Error> = sqlx::query_scalar(
        "INSERT INTO staff (email, name, password_hash, roles, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(&new.email)
    .bind(&new.name)
    .bind(&new.password_hash)
    .bind(new.roles.bits())
    .bind(now())
    .fetch_one(&mut *tx)
    .await;
    let id = match inserted {
        Ok(id) => id,
        Err(e) if crate::db::is_unique_violation(&e) => return Ok(Created::EmailTaken),
        Err(e) => return Err(e.into()),
    };
    let after = serde_json::json!({ "email": new.email, "name": new.name, "roles": new.roles.names() });
    crate::audit::record(&mut *tx, by, Event::StaffCreate, &format!("staff/{id}"), None, Some(after)).await?;
    tx.commit().await?;
    Ok(Created::Id(id))
}

/// Turns an account on or off. Turning it off ends its sessions (the epoch moves on).
pub async fn set_active(db: &Db, by: i64, id: i64, active: bool) -> Result<bool, AppError> {
    let mut tx = db.write.begin().await?;
    let done =
        sqlx::query("UPDATE staff SET active = $1, session_epoch = session_epoch + 1 WHERE id = $2 AND active <> $1")
            .bind(i64::from(active))
            .bind(id)
            .execute(&mut *tx)
            .await?;
    if done.rows_affected() == 1 {
        let action = if active { Event::StaffReactivate } else { Event::StaffDeactivate };
        let (before, after) = (serde_json::json!({ "active": !active }), serde_json::json!({ "active": active }));
        crate::audit::record(&mut *tx, Some(by), action, &format!("staff/{id}"), Some(before), Some(after)).await?;
    }
    tx.commit().await?;
    Ok(done.rows_affected() == 1)
}

/// Sets a new password and ends every session the account had.
pub async fn reset_password(db: &Db, by: Option<i64>, id: i64, password_hash: String) -> Result<bool, AppError> {
    let mut tx = db.write.begin().await?;
    let done = sqlx::query("UPDATE staff SET password_hash = $1, session_epoch = session_epoch + 1 WHERE id = $2")
        .bind(password_hash)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 1 {
        crate::audit::record(&mut *tx, by, Event::StaffResetPassword, &format!("staff/{id}"), None, None).await?;
    }
    tx.commit().await?;
    Ok(done.rows_affected() == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(parse_email("  Jo.Bloggs@Council.GOV.uk "), Some("jo.bloggs@council.gov.uk".into()));
        for bad in ["", "jo", "jo@", "@council.gov.uk", "jo@council", "jo@@council.gov.uk", "jo bloggs@council.gov.uk"]
        {
            assert_eq!(parse_email(bad), None, "{bad}");
        }
    }

    #[test]
    fn roles_combine() {
        let roles: Roles = [Role::Admin, Role::Analyst].into_iter().collect();
        assert!(roles.has(Role::Admin) && roles.has(Role::Analyst) && !roles.has(Role::Officer));
        assert_eq!(roles.names(), ["admin", "analyst"]);
        assert_eq!(Role::parse("officer"), Some(Role::Officer));
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn passwords_need_length_not_rules() {
        assert!(check_password("short").is_err());
        assert!(check_password("correct horse battery").is_ok());
    }

    #[tokio::test]
    async fn hashes_verify_only_the_right_password() {
        let hash = hash_password("correct horse battery".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery".into(), Some(hash.clone())).await);
        assert!(!verify_password("wrong horse battery".into(), Some(hash)).await);
        assert!(!verify_password("decoy password nobody has".into(), None).await);
    }
}
