//! Checking a sign-in. Attempts are limited per account and per address (see [`crate::throttle`]),
//! counted before the password is checked so the limits hold across every instance and cannot be
//! raced; unknown emails get the same answer, in about the same time, as wrong passwords.

use super::account::{self, Staff};
use crate::db::Db;
use crate::error::AppError;
use crate::throttle::{self, ClientAddress, Guarded, Key, Limit};

const ACCOUNT_LIMIT: i64 = 5;
const ADDRESS_LIMIT: i64 = 20;

fn limits(email: &str, address: &ClientAddress) -> Vec<Limit> {
    let mut limits = vec![Limit::new(Key::Account(email.to_owned()), ACCOUNT_LIMIT)];
    limits.extend(address.key(Guarded::SignIn).map(|key| Limit::new(key, ADDRESS_LIMIT)));
    limits
}

/// The active account these credentials belong to, or `None` (counted as a failure). Too many
/// recent failures for the account or the address is [`AppError::TooManyRequests`].
pub async fn authenticate(
    db: &Db,
    typed_email: &str,
    password: String,
    address: &ClientAddress,
) -> Result<Option<Staff>, AppError> {
    let email = account::parse_email(typed_email).unwrap_or_default();
    let attempt = throttle::attempt(db, &limits(&email, address)).await?;
    let (staff, hash) = match account::find_for_sign_in(db, &email).await? {
        Some((staff, hash)) if staff.active => (Some(staff), Some(hash)),
        _ => (None, None),
    };
    let verified = account::verify_password(password, hash).await;
    let Some(staff) = staff.filter(|_| verified) else {
        attempt.fail();
        return Ok(None);
    };
    attempt.forgive(db).await?;
    throttle::clear(db, Key::Account(email)).await?;
    Ok(Some(staff))
}
