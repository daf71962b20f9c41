//! Return codes for "Save and come back later": short enough to read aloud and write down, with no
//! characters that look alike, shown in two groups (`KDP7-4XRM`). Only a hash is stored.
//!
//! Eight characters from 31 give 31^8 (about 8.5 × 10^11) codes. Lookups are limited per address
//! and in total (see [`crate::throttle`]), so guessing one of the few codes that are live at a time
//! would take lifetimes. The hash is keyed with the server's key ([`crate::keys`]): with a plain
//! hash, a copy of the database would open any live draft in minutes by hashing every code.

use crate::keys::{Purpose, ServerKey};
use crate::responses::reference::{ALPHABET, clean, random};
use sha2::{Digest, Sha256};
use std::fmt;

const LENGTH: usize = 8;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnCode(String);

/// Why what was typed cannot be a return code; the message is shown to the resident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotACode(pub &'static str);

impl ReturnCode {
    pub fn generate() -> ReturnCode {
        ReturnCode(random(LENGTH))
    }

    /// Reads a code as a person might type it: any case, with or without spaces and dashes.
    pub fn parse(input: &str) -> Result<ReturnCode, NotACode> {
        let cleaned = clean(input);
        if cleaned.is_empty() {
            return Err(NotACode("Enter your return code"));
        }
        if cleaned.chars().any(|c| matches!(c, '0' | '1' | 'O' | 'I' | 'L')) {
            return Err(NotACode(
                "Return codes do not use the letters I, L or O, or the numbers 0 or 1: check the code you wrote down",
            ));
        }
        if cleaned.len() != LENGTH || !cleaned.bytes().all(|b| ALPHABET.contains(&b)) {
            return Err(NotACode("Enter your return code: 8 letters and numbers, like KDP7 4XRM"));
        }
        Ok(ReturnCode(cleaned))
    }

    /// The keyed hash stored in place of the code.
    pub fn hash(&self, key: &ServerKey) -> String {
        key.digest(Purpose::ReturnCode, &self.0)
    }

    /// The plain SHA-256 that codes were stored as before they were keyed: a draft saved then
    /// still opens until it expires (`DRAFT_TTL_HOURS`).
    pub fn unkeyed_hash(&self) -> String {
        Sha256::digest(self.0.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
    }
}

impl fmt::Display for ReturnCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", &self.0[..4], &self.0[4..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_aloud_in_two_groups() {
        for _ in 0..500 {
            let code = ReturnCode::generate();
            let shown = code.to_string();
            assert_eq!(shown.len(), 9);
            assert_eq!(&shown[4..5], "-");
            assert!(!shown.contains(['0', 'O', '1', 'I', 'L']), "{shown}");
            assert_eq!(ReturnCode::parse(&shown), Ok(code.clone()));
        }
    }

    #[test]
    fn what_people_type_is_normalised_where_harmless() {
        let code = ReturnCode::parse("KDP74XRM").unwrap();
        for typed in ["kdp7-4xrm", " KDP7 4XRM ", "kdp7 - 4xrm", "K D P 7 4 X R M"] {
            assert_eq!(ReturnCode::parse(typed), Ok(code.clone()), "{typed}");
        }
        assert_eq!(code.to_string(), "KDP7-4XRM");
    }

    #[test]
    fn anything_else_is_refused_with_a_reason() {
        assert_eq!(ReturnCode::parse("  ").unwrap_err().0, "Enter your return code");
        assert!(ReturnCode::parse("KDP0-4XRM").unwrap_err().0.contains("do not use"));
        assert!(ReturnCode::parse("KDPL4XRM").unwrap_err().0.contains("do not use"));
        for wrong in ["KDP7-4XR", "KDP7-4XRMM", "KDP7_4XRM", "KDP7-4XR\u{0}", "ΚDP7-4XRM"] {
            assert!(ReturnCode::parse(wrong).unwrap_err().0.contains("8 letters"), "{wrong}");
        }
    }

    #[test]
    fn the_hash_is_not_the_code_and_needs_the_key() {
        let (key, other) = (ServerKey::generate(), ServerKey::generate());
        let code = ReturnCode::parse("KDP7-4XRM").unwrap();
        assert_eq!(code.hash(&key).len(), 64);
        assert!(!code.hash(&key).contains("KDP7"));
        assert_ne!(code.hash(&key), ReturnCode::parse("KDP7-4XRN").unwrap().hash(&key));
        assert_ne!(code.hash(&key), code.hash(&other), "without the key, a copy of the database cannot test codes");
        assert_ne!(code.hash(&key), code.unkeyed_hash());
    }
}
