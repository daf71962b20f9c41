//! The languages a survey is offered in, named by BCP 47 tags: `en`, `cy` (Welsh), `pl`, `ur`, and
//! Easy Read as a private-use variant of a language, `en-x-easyread`. Tags are parsed and normalised
//! by ICU, so `CY` and `cy` are one language and `en_GB!` is refused.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A normalised BCP 47 language tag.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Language(String);

/// Languages written right to left that ICU's likely-script data does not list (Dari).
const UNLISTED_RIGHT_TO_LEFT: [&str; 1] = ["prs"];

/// The private-use subtag that marks Easy Read: `en-x-easyread` is Easy Read English.
const EASY_READ: &str = "easyread";

/// Each language's name in itself, for the links residents choose by. A definition may name a
/// language that is not here (`name` in its translation).
const NAMES: [(&str, &str); 16] = [
    ("en", "English"),
    ("en-x-easyread", "Easy Read"),
    ("cy", "Cymraeg"),
    ("cy-x-easyread", "Hawdd ei Ddeall"),
    ("pl", "Polski"),
    ("ro", "Română"),
    ("ur", "اردو"),
    ("pa", "ਪੰਜਾਬੀ"),
    ("bn", "বাংলা"),
    ("ar", "العربية"),
    ("gu", "ગુજરાતી"),
    ("so", "Soomaali"),
    ("lt", "Lietuvių"),
    ("pt", "Português"),
    ("uk", "Українська"),
    ("ti", "ትግርኛ"),
];

impl Language {
    /// English: the language of every definition that does not say otherwise.
    pub fn english() -> Language {
        Language("en".to_owned())
    }

    /// Parses and normalises a tag; `None` if it is not a well-formed BCP 47 tag.
    pub fn parse(tag: &str) -> Option<Language> {
        let tag = tag.trim();
        if tag.is_empty() || tag.len() > 35 {
            return None;
        }
        icu_locale_core::Locale::try_from_str(tag).ok().map(|locale| Language(locale.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The language without region, script or variant: `cy` for `cy-GB` and for `cy-x-easyread`.
    pub fn base(&self) -> &str {
        self.0.split('-').next().unwrap_or(&self.0)
    }

    pub fn is_easy_read(&self) -> bool {
        self.0.split("-x-").nth(1).is_some_and(|private| private.split('-').any(|s| s == EASY_READ))
    }

    pub fn is_right_to_left(&self) -> bool {
        // From its script: the one the tag names (`pa-Arab`), or the one its language is most
        // likely written in (Urdu, Dari and Yiddish right to left; Punjabi, in Gurmukhi unless
        // said otherwise, left to right), by ICU's data for every language (built in; making the
        // reader costs nothing).
        let directions = icu_locale::LocaleDirectionality::new_extended();
        let Ok(locale) = icu_locale_core::Locale::try_from_str(&self.0) else { return false };
        match directions.get(&locale.id) {
            Some(direction) => direction == icu_locale::Direction::RightToLeft,
            // Languages whose script ICU's data does not give: those councils meet.
            None => UNLISTED_RIGHT_TO_LEFT.contains(&self.base()),
        }
    }

    /// `rtl` or `ltr`, for the `dir` attribute.
    pub fn direction(&self) -> &'static str {
        if self.is_right_to_left() { "rtl" } else { "ltr" }
    }

    /// A variant we know by its name and base language: `Easy Read` in `en` is `en-x-easyread`.
    /// (Tools such as pyxform accept only a bare language code in `Name (code)`, so a variant is
    /// written by its name and its base language's code.)
    pub fn variant_named(name: &str, base: &str) -> Option<Language> {
        NAMES
            .iter()
            .find(|(tag, known)| {
                tag.contains("-x-") && known.eq_ignore_ascii_case(name.trim()) && tag.split('-').next() == Some(base)
            })
            .map(|(tag, _)| Language((*tag).to_owned()))
    }

    /// The language's name in itself, if it is one we know.
    /// A language by its name alone, as older XLSForms head their columns (`label::English`):
    /// one of ours by its own name ("Cymraeg", "Easy Read"), or any ISO 639 language by its
    /// English name ("Welsh", "French"), in any case.
    pub fn named(name: &str) -> Option<Language> {
        let name = name.trim();
        if let Some((tag, _)) = NAMES.iter().find(|(_, known)| known.eq_ignore_ascii_case(name)) {
            return Some(Language((*tag).to_owned()));
        }
        let found = isolang::Language::from_name_lowercase(&name.to_lowercase())?;
        Language::parse(found.to_639_1().unwrap_or_else(|| found.to_639_3()))
    }

    /// A language as someone types or heads a column with it: a tag (`cy`, `pt-BR`), or a name
    /// ("Welsh", "Cymraeg") where it is longer than a code and has no `-`.
    pub fn from_words(words: &str) -> Option<Language> {
        let words = words.trim();
        if words.chars().count() <= 3 || words.contains('-') { Language::parse(words) } else { Language::named(words) }
    }

    /// A language known only by the name a form gives it ("Martian"), until someone says which it
    /// is: BCP 47's undetermined language with the name as private use, `und-x-martian`. Kept
    /// rather than dropped, so its text waits for a person to name it (see [`Language::is_named`]).
    pub fn unnamed(name: &str) -> Option<Language> {
        if !name.chars().any(char::is_alphanumeric) {
            return None;
        }
        let letters: String = name.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_lowercase();
        // A name in another script: its bytes in hex (private-use subtags are ASCII letters and digits).
        let letters =
            if letters.is_empty() { name.trim().bytes().map(|b| format!("{b:02x}")).collect() } else { letters };
        // Private-use subtags are one to eight characters; three are plenty to tell names apart.
        let subtags: Vec<&str> =
            letters.as_bytes().chunks(8).take(3).map(|c| std::str::from_utf8(c).unwrap_or_default()).collect();
        if subtags.is_empty() {
            return None;
        }
        Language::parse(&format!("und-x-{}", subtags.join("-")))
    }

    /// Whether a person or a form has said which language this is (see [`Language::unnamed`]).
    pub fn is_named(&self) -> bool {
        self.base() != "und"
    }

    pub fn known_name(&self) -> Option<&'static str> {
        NAMES.iter().find(|(tag, _)| *tag == self.0).map(|(_, name)| *name)
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Language {
    type Error = String;
    fn try_from(tag: String) -> Result<Language, String> {
        Language::parse(&tag).ok_or_else(|| format!("`{tag}` is not a language tag such as en, cy or en-x-easyread"))
    }
}

impl From<Language> for String {
    fn from(language: Language) -> String {
        language.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_normalised_and_malformed_ones_refused() {
        assert_eq!(Language::parse("CY").unwrap().as_str(), "cy");
        assert_eq!(Language::parse("en-gb").unwrap().as_str(), "en-GB");
        assert_eq!(Language::parse("en-X-EasyRead").unwrap().as_str(), "en-x-easyread");
        for bad in ["", "e", "en_GB!", "english please", "cy-", "<script>"] {
            assert_eq!(Language::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn easy_read_direction_and_names() {
        let easy = Language::parse("en-x-easyread").unwrap();
        assert!(easy.is_easy_read() && !Language::english().is_easy_read());
        assert_eq!(easy.base(), "en");
        assert_eq!(easy.known_name(), Some("Easy Read"));
        assert_eq!(Language::parse("ur").unwrap().direction(), "rtl");
        assert_eq!(Language::parse("ar-EG").unwrap().direction(), "rtl");
        assert_eq!(Language::parse("cy").unwrap().direction(), "ltr");
        // From the script, not a list of languages: Dari, Yiddish and Punjabi in Shahmukhi are
        // written right to left; Punjabi is Gurmukhi unless the tag says otherwise.
        for rtl in ["prs", "yi", "pa-Arab", "ckb", "ur-x-easyread", "az-Arab"] {
            assert_eq!(Language::parse(rtl).unwrap().direction(), "rtl", "{rtl}");
        }
        for ltr in ["pa", "en-x-easyread", "pl", "ti", "uz", "sr-Cyrl"] {
            assert_eq!(Language::parse(ltr).unwrap().direction(), "ltr", "{ltr}");
        }
        assert_eq!(Language::parse("cy").unwrap().known_name(), Some("Cymraeg"));
    }

    #[test]
    fn a_language_by_tag_or_name_and_one_no_one_has_named() {
        for (words, tag) in [("cy", "cy"), ("Welsh", "cy"), ("cymraeg", "cy"), ("pt-br", "pt-BR"), ("Polish", "pl")] {
            assert_eq!(Language::from_words(words).map(String::from).as_deref(), Some(tag), "{words}");
        }
        assert_eq!(Language::from_words("Martian"), None);
        let martian = Language::unnamed("Martian").unwrap();
        assert_eq!((martian.as_str(), martian.is_named()), ("und-x-martian", false));
        assert!(Language::english().is_named());
        // Long names and other scripts still make a tag, the same one each time.
        assert_eq!(Language::unnamed("High Valyrian (dialect)").unwrap().as_str(), "und-x-highvaly-riandial-ect");
        let other = Language::unnamed("Кириллица").unwrap();
        assert_eq!(Some(other.clone()), Language::unnamed("Кириллица"));
        assert!(!other.is_named());
        assert_eq!(Language::unnamed(" - "), None);
    }
}
