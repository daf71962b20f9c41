//! Response references: short enough to read over the phone, with no characters that look alike.

use rand::Rng;

/// Digits and capitals without 0/O, 1/I/L. Return codes use the same.
pub const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
pub const LENGTH: usize = 8;

pub fn generate() -> String {
    random(LENGTH)
}

/// `length` characters from the alphabet.
pub fn random(length: usize) -> String {
    let mut rng = rand::rng();
    (0..length).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect()
}

/// What a person typed with spaces and dashes taken out and letters in capitals.
pub fn clean(input: &str) -> String {
    input.chars().filter(|c| !c.is_whitespace() && *c != '-').map(|c| c.to_ascii_uppercase()).collect()
}

/// Reads a reference as a person might type it: any case, spaces or dashes between groups.
pub fn parse(input: &str) -> Option<String> {
    let cleaned = clean(input);
    (cleaned.len() == LENGTH && cleaned.bytes().all(|b| ALPHABET.contains(&b))).then_some(cleaned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn references_are_eight_unambiguous_characters() {
        for _ in 0..1000 {
            let r = generate();
            assert_eq!(r.len(), LENGTH);
            assert!(!r.contains(['0', 'O', '1', 'I', 'L']), "{r}");
            assert_eq!(parse(&r), Some(r.clone()));
        }
    }

    #[test]
    fn references_do_not_repeat_in_practice() {
        let set: HashSet<String> = (0..10_000).map(|_| generate()).collect();
        assert_eq!(set.len(), 10_000);
    }

    #[test]
    fn parse_accepts_what_people_type() {
        assert_eq!(parse("abcd-efgh"), Some("ABCDEFGH".into()));
        assert_eq!(parse(" ab cd ef gh "), Some("ABCDEFGH".into()));
        assert_eq!(parse("ABCDEFG0"), None);
        assert_eq!(parse("ABCDEFG"), None);
    }
}
