//! Free text is where people write their email address, phone number or postcode, however often
//! they are asked not to. Redaction replaces those with a marker. Names cannot be found reliably
//! this way, so free text is still for staff only and never in publishable output.

use regex::Regex;
use std::borrow::Cow;
use std::sync::LazyLock;

static PATTERNS: LazyLock<[(Regex, &'static str); 3]> = LazyLock::new(|| {
    [
        (Regex::new(r"[\w.+'-]+@[\w-]+(\.[\w-]+)+").expect("email pattern"), "[email]"),
        // UK and international numbers: 10 or more digits, with spaces, dashes, dots or brackets
        // between them, and perhaps a leading +.
        (Regex::new(r"\+?\(?\d(?:[\s().-]*\d){9,}").expect("phone pattern"), "[phone]"),
        (Regex::new(r"(?i)\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b").expect("postcode pattern"), "[postcode]"),
    ]
});

/// The text with email addresses, phone numbers and postcodes replaced by markers.
pub fn redact(text: &str) -> Cow<'_, str> {
    let mut out = Cow::Borrowed(text);
    for (pattern, marker) in PATTERNS.iter() {
        if let Cow::Owned(changed) = pattern.replace_all(&out, *marker) {
            out = Cow::Owned(changed);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn contact_details_are_replaced() {
        assert_eq!(redact("Call me on 07700 900123 please"), "Call me on [phone] please");
        assert_eq!(redact("ring +44 (0)1642 526 000 or 01642-526000"), "ring [phone] or [phone]");
        assert_eq!(redact("email jo.bloggs+council@example.co.uk"), "email [email]");
        assert_eq!(redact("I live in TS18 1AU, near the library"), "I live in [postcode], near the library");
        assert_eq!(redact("ts181au"), "[postcode]");
    }

    #[test]
    fn ordinary_words_and_numbers_are_left_alone() {
        let text = "I am 75 and paid £120 on 3 March 2026; the library helps";
        assert!(matches!(redact(text), std::borrow::Cow::Borrowed(_)));
        assert_eq!(redact("Ward 12, flat 4B"), "Ward 12, flat 4B");
    }
}
