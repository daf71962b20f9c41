//! How a response reached us: online on the resident's own, or through an officer.

/// A resident answering on their own device.
pub const CHANNEL_WEB: &str = "web";

/// An officer at an outreach session, including entries taken on a device with no connection.
pub const CHANNEL_OUTREACH: &str = "outreach";

/// How an officer is in touch with the resident.
pub const CHANNELS: [(&str, &str); 4] = [
    ("in_person", "In person"),
    ("phone", "By phone"),
    ("paper", "From a paper form"),
    (CHANNEL_OUTREACH, "At an outreach event"),
];

/// Whether `channel` is one we record.
pub fn is_channel(channel: &str) -> bool {
    channel == CHANNEL_WEB || CHANNELS.iter().any(|(id, _)| *id == channel)
}

/// A channel as people say it: "By phone", not `phone`.
pub fn channel_label(channel: &str) -> String {
    match channel {
        CHANNEL_WEB => "Online, on their own".to_owned(),
        _ => CHANNELS
            .iter()
            .find(|(id, _)| *id == channel)
            .map_or_else(|| channel.to_owned(), |(_, label)| (*label).to_owned()),
    }
}
