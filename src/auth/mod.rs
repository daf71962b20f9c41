//! Who is calling: staff accounts and roles, sessions, the extractors that let a handler's
//! signature say which role may call it, CSRF tokens, and throttled sign-in.

pub mod account;
pub mod session;
mod sign_in;

pub use account::Role;
pub use session::{
    AdminUser, AnalystUser, AssistedEntry, CSRF_FIELD, FromOwnPages, OfficerOrAdminUser, OfficerUser, SignedIn,
    StaffForm, TOO_OLD_TO_CORRECT, check_assisted, read_upload, read_upload_named, read_upload_with,
};
pub use sign_in::authenticate;
