//! What the device keeps and sends: the same on both sides of the connection.

use serde::{Deserialize, Serialize};

/// Entries one send may carry; the device sends more in several.
pub const MAX_ENTRIES_PER_SEND: usize = 50;

/// One survey taken on the device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Made on the device when the entry is saved. Sending it again never makes a second response.
    pub id: String,
    /// The survey's slug, and the number of the version the device asked its questions from.
    pub survey: String,
    pub version: i64,
    pub location_id: i64,
    /// Who was signed in on the device when it was taken: only they may send it.
    pub officer_id: i64,
    /// When it was taken (Unix seconds, by the device's clock), stored as when it was answered.
    pub taken_at: i64,
    /// The language it was taken in, when not the survey's own.
    #[serde(default)]
    pub language: Option<String>,
    /// The answers, named as fast entry's form names them (see `survey::other_field`).
    pub answers: Vec<(String, String)>,
}

/// What became of one entry sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// Stored now or by an earlier send: the device may forget it.
    Stored { id: String, reference: String },
    /// Not stored, for these reasons: it stays on the device for the officer to correct or discard.
    Refused { id: String, reasons: Vec<String> },
    /// Taken while another officer was signed in: it waits on the device for them.
    NotYours { id: String },
}
