//! The four barriers of the UK Government Digital Inclusion Strategy, as this product names them.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Barrier {
    Skills,
    Confidence,
    Motivation,
    Access,
}

impl Barrier {
    pub const ALL: [Barrier; 4] = [Barrier::Skills, Barrier::Confidence, Barrier::Motivation, Barrier::Access];

    pub fn parse(s: &str) -> Option<Barrier> {
        Barrier::ALL.into_iter().find(|b| b.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Barrier::Skills => "skills",
            Barrier::Confidence => "confidence",
            Barrier::Motivation => "motivation",
            Barrier::Access => "access",
        }
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

impl fmt::Display for Barrier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A set of barriers, stored as a small bitmask so that a response's barrier profile is one indexed
/// integer column that the database can group by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Barriers(u8);

impl Barriers {
    pub fn from_bits(bits: i64) -> Barriers {
        Barriers((bits & 0b1111) as u8)
    }

    pub fn bits(self) -> i64 {
        i64::from(self.0)
    }

    pub fn insert(&mut self, barrier: Barrier) {
        self.0 |= barrier.bit();
    }

    pub fn contains(self, barrier: Barrier) -> bool {
        self.0 & barrier.bit() != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn iter(self) -> impl Iterator<Item = Barrier> {
        Barrier::ALL.into_iter().filter(move |b| self.contains(*b))
    }
}

impl FromIterator<Barrier> for Barriers {
    fn from_iter<I: IntoIterator<Item = Barrier>>(iter: I) -> Self {
        let mut set = Barriers::default();
        for b in iter {
            set.insert(b);
        }
        set
    }
}

/// As stored: the bits of [`Barriers::bits`] (for reading rows with `#[sqlx(try_from = "i64")]`).
impl From<i64> for Barriers {
    fn from(bits: i64) -> Barriers {
        Barriers::from_bits(bits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_exactly_the_four_names() {
        for b in Barrier::ALL {
            assert_eq!(Barrier::parse(b.as_str()), Some(b));
        }
        assert_eq!(Barrier::parse("trust"), None);
        assert_eq!(Barrier::parse("Skills"), None);
    }

    #[test]
    fn set_round_trips_through_bits() {
        let set: Barriers = [Barrier::Access, Barrier::Skills].into_iter().collect();
        let back = Barriers::from_bits(set.bits());
        assert_eq!(back.iter().collect::<Vec<_>>(), vec![Barrier::Skills, Barrier::Access]);
        assert!(!back.contains(Barrier::Confidence));
    }
}
