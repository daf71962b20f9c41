//! Writing a definition as an XLSForm that reads back to the same definition.

use super::{CHOICE_COLUMNS, SETTINGS_COLUMNS, SURVEY_COLUMNS};
use crate::i18n::Language;
use crate::survey::document::{Definition, QuestionDef, Signposting, Translation};
use crate::survey::typed::number_text;
use crate::survey::{Dates, Keep};

/// each other language, and names its own in settings' `default_language`.
pub fn write(definition: &Definition) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let own = definition.language.as_deref().and_then(Language::parse).unwrap_or_else(Language::english);
    // The translated columns' suffixes: none for a survey in one language.
    let others: Vec<(String, &Translation)> = definition
        .translations
        .iter()
        .map(|(tag, t)| (column_language(&Language::parse(tag).unwrap_or_else(Language::english), Some(t)), t))
        .collect();
    let writing = Writing { definition, own, others };
    let mut book = rust_xlsxwriter::Workbook::new();
    writing.survey_sheet(&mut book)?;
    writing.choices_sheet(&mut book)?;
    writing.settings_sheet(&mut book)?;
    book.save_to_buffer()
}

/// A language as a column names it, `Name (code)`; a variant we know by name (Easy Read) with its
/// base language's code, as pyxform takes only a language code there (see
/// [`Language::variant_named`]).
fn column_language(language: &Language, t: Option<&Translation>) -> String {
    let known = language.known_name();
    let name =
        t.and_then(|t| t.name.clone()).or_else(|| known.map(str::to_owned)).unwrap_or_else(|| language.to_string());
    let code = if known.is_some() && language.is_easy_read() { language.base() } else { language.as_str() };
    format!("{name} ({code})")
}

// A sheet's header (each base column, translated ones once per language) and a writer of rows
// given as (base column, own text, each other language's text).
struct Grid {
    header: Vec<String>,
}
impl Grid {
    fn new(columns: &[&str], translatable: &[&str], translated: &dyn Fn(&str) -> Vec<String>) -> Grid {
        let header = columns
            .iter()
            .flat_map(|c| if translatable.contains(c) { translated(c) } else { vec![(*c).to_owned()] })
            .collect();
        Grid { header }
    }
    fn put(
        &self,
        sheet: &mut rust_xlsxwriter::Worksheet,
        row: u32,
        cells: &[(&str, Vec<String>)],
    ) -> Result<(), rust_xlsxwriter::XlsxError> {
        for (base, values) in cells.iter().filter(|(_, values)| values.iter().any(|v| !v.is_empty())) {
            let at = self
                .header
                .iter()
                .position(|h| h == base || h.starts_with(&format!("{base}::")))
                .expect("a column of the sheet");
            for (i, value) in values.iter().enumerate().filter(|(_, v)| !v.is_empty()) {
                sheet.write_string(row, (at + i) as u16, value)?;
            }
        }
        Ok(())
    }
}

/// One cell's value in one language.
fn one(value: &str) -> Vec<String> {
    vec![value.to_owned()]
}

/// Writing one definition as a workbook, sheet by sheet.
struct Writing<'a> {
    definition: &'a Definition,
    own: Language,
    /// Each translation, with the language its columns are suffixed with.
    others: Vec<(String, &'a Translation)>,
}

impl Writing<'_> {
    /// A translatable column's names: the own language's, then each other's.
    fn translated(&self, base: &str) -> Vec<String> {
        let own_suffix =
            if self.others.is_empty() { String::new() } else { format!("::{}", column_language(&self.own, None)) };
        std::iter::once(format!("{base}{own_suffix}"))
            .chain(self.others.iter().map(|(n, _)| format!("{base}::{n}")))
            .collect()
    }

    /// The text in every language: the own, then each translation's (empty where it has none).
    fn all(&self, own_text: &str, pick: &dyn Fn(&Translation) -> Option<String>) -> Vec<String> {
        std::iter::once(own_text.to_owned())
            .chain(self.others.iter().map(|(_, t)| pick(t).unwrap_or_default()))
            .collect()
    }

    fn survey_sheet(&self, book: &mut rust_xlsxwriter::Workbook) -> Result<(), rust_xlsxwriter::XlsxError> {
        let (definition, others) = (self.definition, &self.others);
        let all = |own_text: &str, pick: &dyn Fn(&Translation) -> Option<String>| self.all(own_text, pick);
        let translated = |base: &str| self.translated(base);
        let grid =
            Grid::new(&SURVEY_COLUMNS, &["label", "hint", "required_message", "constraint_message"], &translated);
        let languages: Vec<Language> = std::iter::once(self.own.clone())
            .chain(definition.translations.keys().map(|tag| Language::parse(tag).unwrap_or_else(Language::english)))
            .collect();
        let bold = rust_xlsxwriter::Format::new().set_bold();
        let survey = book.add_worksheet().set_name("survey")?;
        survey.write_row_with_format(0, 0, &grid.header, &bold)?;
        let mut row = 1;
        let paragraphs = others.iter().map(|(_, t)| t.intro.len()).chain([definition.intro.len()]).max().unwrap_or(0);
        for i in 0..paragraphs {
            let label = all(definition.intro.get(i).map_or("", String::as_str), &|t| t.intro.get(i).cloned());
            grid.put(
                survey,
                row,
                &[("type", one("note")), ("name", one(&format!("intro_{}", i + 1))), ("label", label)],
            )?;
            row += 1;
        }
        let mut open: Option<&str> = None;
        let mut groups = 0;
        for q in &definition.questions {
            let words = |t: &Translation| t.questions.get(&q.id).cloned().unwrap_or_default();
            if open != q.section.as_deref() {
                if open.is_some() {
                    grid.put(survey, row, &[("type", one("end group"))])?;
                    row += 1;
                }
                if let Some(section) = &q.section {
                    groups += 1;
                    let label = all(section, &|t| words(t).section);
                    grid.put(
                        survey,
                        row,
                        &[("type", one("begin group")), ("name", one(&format!("section_{groups}"))), ("label", label)],
                    )?;
                    row += 1;
                }
                open = q.section.as_deref();
            }
            let cells = self.question_cells(q, &languages);
            grid.put(survey, row, &cells)?;
            row += 1;
        }
        if open.is_some() {
            grid.put(survey, row, &[("type", one("end group"))])?;
        }
        Ok(())
    }

    /// A question's row on the survey sheet.
    fn question_cells(&self, q: &QuestionDef, languages: &[Language]) -> Vec<(&'static str, Vec<String>)> {
        let definition = self.definition;
        let all = |own_text: &str, pick: &dyn Fn(&Translation) -> Option<String>| self.all(own_text, pick);
        let words = |t: &Translation| t.questions.get(&q.id).cloned().unwrap_or_default();
        let (kind, appearance) = match q.kind.as_str() {
            "single" => (format!("select_one {}", q.id), ""),
            "scale" => (format!("select_one {}", q.id), "likert"),
            "multiple" => (format!("select_multiple {}", q.id), ""),
            "long_text" => ("text".to_owned(), "multiline"),
            "whole_number" => ("integer".to_owned(), ""),
            "decimal" | "date" | "note" => (q.kind.clone(), ""),
            // Elsewhere a text; here our own column says it is a postcode.
            "postcode" => ("text".to_owned(), ""),
            _ => ("text".to_owned(), ""),
        };
        let relevant = q.show_if.as_ref().map(|rule| {
            let multiple = definition.questions.iter().any(|t| t.id == rule.question && t.kind == "multiple");
            let terms: Vec<String> = rule
                .any_of
                .iter()
                .map(|a| {
                    if multiple {
                        format!("selected(${{{}}}, '{a}')", rule.question)
                    } else {
                        format!("${{{}}} = '{a}'", rule.question)
                    }
                })
                .collect();
            terms.join(" or ")
        });
        // The message is ours, in each language the app has words in; it is not read back.
        let constraint = q.max_length.map(|n| {
            let message = |l: &Language| crate::i18n::text_with_in(l, "constraint-message", &[("count", n.into())]);
            (format!("string-length(.) <= {n}"), languages.iter().map(message).collect::<Vec<_>>())
        });
        // A number's range and a date's limit, as rules pyxform and ODK read (their messages are
        // the survey's own, given when the survey is read here).
        let limits =
            [q.min.map(|n| format!(". >= {}", number_text(n))), q.max.map(|n| format!(". <= {}", number_text(n)))];
        let limits: Vec<String> = limits.into_iter().flatten().collect();
        let limit = match q.dates {
            Some(Dates::Past) => Some(". <= today()".to_owned()),
            Some(Dates::Future) => Some(". >= today()".to_owned()),
            None => (!limits.is_empty()).then(|| limits.join(" and ")),
        };
        let constraint = constraint.or(limit.map(|rule| (rule, Vec::new())));
        let postcode = match (q.kind.as_str(), q.keep) {
            ("postcode", Some(Keep::Ward)) => "ward",
            ("postcode", _) => "sector",
            _ => "",
        };
        let hint = q.hint.as_deref().map(|h| all(h, &|t| words(t).hint)).unwrap_or_default();
        let error = q.error.as_deref().map(|e| all(e, &|t| words(t).error)).unwrap_or_default();
        vec![
            ("type", one(&kind)),
            ("name", one(&q.id)),
            ("label", all(&q.text, &|t| words(t).text)),
            ("hint", hint),
            ("required", one(if q.required { "yes" } else { "" })),
            ("required_message", error),
            ("relevant", one(relevant.as_deref().unwrap_or_default())),
            ("appearance", one(appearance)),
            ("constraint", one(constraint.as_ref().map_or("", |c| c.0.as_str()))),
            ("constraint_message", constraint.as_ref().map(|c| c.1.clone()).unwrap_or_default()),
            ("prefer_not_to_say", one(if q.prefer_not_to_say { "yes" } else { "" })),
            ("postcode", one(postcode)),
            ("fills", one(q.fills.as_deref().unwrap_or_default())),
        ]
    }

    /// The choices sheet: every question's options, as a list named after the question.
    fn choices_sheet(&self, book: &mut rust_xlsxwriter::Workbook) -> Result<(), rust_xlsxwriter::XlsxError> {
        let (definition, others) = (self.definition, &self.others);
        let all = |own_text: &str, pick: &dyn Fn(&Translation) -> Option<String>| self.all(own_text, pick);
        let translated = |base: &str| self.translated(base);
        // pyxform takes `image` as media in each language: the same picture in every one.
        let grid = Grid::new(&CHOICE_COLUMNS, &["label", "hint", "image"], &translated);
        let bold = rust_xlsxwriter::Format::new().set_bold();
        let choices = book.add_worksheet().set_name("choices")?;
        choices.write_row_with_format(0, 0, &grid.header, &bold)?;
        let mut row = 1;
        for q in definition.questions.iter().filter(|q| !q.options.is_empty()) {
            for o in &q.options {
                let words = |t: &Translation| t.questions.get(&q.id).cloned().unwrap_or_default();
                let hint = o
                    .hint
                    .as_deref()
                    .map(|h| all(h, &|t| words(t).option_hints.get(&o.id).cloned()))
                    .unwrap_or_default();
                let cells = [
                    ("list_name", one(&q.id)),
                    ("name", one(&o.id)),
                    ("label", all(&o.label, &|t| words(t).options.get(&o.id).cloned())),
                    ("hint", hint),
                    (
                        "image",
                        o.picture.as_deref().map(|p| vec![format!("{p}.svg"); 1 + others.len()]).unwrap_or_default(),
                    ),
                    ("barriers", one(&o.barriers.join(" "))),
                    ("exclusive", one(if o.exclusive { "yes" } else { "" })),
                    ("other", one(if o.other { "yes" } else { "" })),
                ];
                grid.put(choices, row, &cells)?;
                row += 1;
            }
        }
        Ok(())
    }

    /// The settings sheet: the form's id, titles, minutes and signposting.
    fn settings_sheet(&self, book: &mut rust_xlsxwriter::Workbook) -> Result<(), rust_xlsxwriter::XlsxError> {
        let (definition, others, own) = (self.definition, &self.others, &self.own);
        let all = |own_text: &str, pick: &dyn Fn(&Translation) -> Option<String>| self.all(own_text, pick);
        let bold = rust_xlsxwriter::Format::new().set_bold();
        let signposts =
            ["signpost_skills", "signpost_confidence", "signpost_motivation", "signpost_access", "signpost_general"];
        // pyxform needs `form_title` plain (a translated one stops it): the others' titles go in a
        // column of our own.
        let mut translatable = vec!["translated_title"];
        translatable.extend(signposts);
        let translated = |base: &str| -> Vec<String> {
            let all = self.translated(base);
            if base == "translated_title" { all.into_iter().skip(1).collect() } else { all }
        };
        let grid = Grid::new(&SETTINGS_COLUMNS, &translatable, &translated);
        let settings = book.add_worksheet().set_name("settings")?;
        settings.write_row_with_format(0, 0, &grid.header, &bold)?;
        let sign = |s: &Signposting, barrier: &str| -> Option<String> {
            match barrier {
                "signpost_skills" => s.skills.clone(),
                "signpost_confidence" => s.confidence.clone(),
                "signpost_motivation" => s.motivation.clone(),
                "signpost_access" => s.access.clone(),
                _ => s.general.clone(),
            }
        };
        let default_language = if others.is_empty() { String::new() } else { column_language(own, None) };
        let mut cells = vec![
            ("form_title", one(&definition.title)),
            ("translated_title", others.iter().map(|(_, t)| t.title.clone().unwrap_or_default()).collect()),
            ("form_id", one(&definition.id)),
            ("default_language", one(&default_language)),
            ("minutes", one(&definition.minutes.to_string())),
        ];
        for column in signposts {
            cells.push((
                column,
                sign(&definition.signposting, column)
                    .map(|text| all(&text, &|t| sign(&t.signposting, column)))
                    .unwrap_or_default(),
            ));
        }
        grid.put(settings, 1, &cells)?;
        Ok(())
    }
}
