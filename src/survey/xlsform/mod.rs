//! XLSForm (xlsform.org), the spreadsheet format KoboToolbox and ODK surveys are designed in, read
//! into a [`Definition`] and written from one. The core of the spec maps onto our questions:
//!
//! | XLSForm | here |
//! | --- | --- |
//! | `select_one L` (`appearance` `likert`: a scale) | single choice (scale) |
//! | `select_multiple L` | multiple choice |
//! | `text` (`appearance` `multiline`: long) | short (long) text |
//! | `note` before the first question | a paragraph of the introduction |
//! | `begin group` … `end group` | the group's label as the section of each question in it |
//! | `required`, `required_message`, `hint` | the same |
//! | `relevant`: `${q} = 'x'` or `selected(${q}, 'x')`, joined by `or` | show-if |
//! | `constraint`: `string-length(.) <= N` | longest answer |
//! | choices `barriers`, `exclusive`, `other`, `hint`; survey `prefer_not_to_say` | ours (XLSForm allows extra columns) |
//! | settings `form_title`, `form_id`, `minutes`, `signpost_*` | title, id, minutes, signposting |
//! | `label::Cymraeg (cy)`, `hint::…`, `required_message::…` (and on choices and settings) | the survey in that language |
//! | settings `default_language` (`English (en)`) | the survey's own language |
//!
//! A language named in a way the service cannot place (`label::Martian`) keeps its text under
//! an unnamed tag (`und-x-martian`), and the draft's page asks which language it is before it can
//! be published.
//! Older spellings are read too: `label:English` and `label::English` (a language by its name),
//! `select one from L`, `bind:relevant`, settings' `id_string` and `title`; `or_other` adds an
//! "Other" answer; a form with no `form_id` takes its address from its title.
//!
//! An XLSForm only ever becomes a draft. Anything else that carries a value (another type, an
//! expression we cannot follow, a column we have no place for) is left out of the draft and said
//! with its sheet, row and column in a [`Note`], which the survey's page lists for the admin to read
//! before publishing; only a file with nothing left to ask, or an unsafe one, is refused. The file
//! is untrusted: it is unzipped with a
//! limit before it is read (the sizes a zip declares can be false), the shared strings it
//! declares are counted before the reader makes room for them, every cell's text counts towards a
//! limit as it is read (one long shared string repeated in thousands of cells would otherwise be
//! copied thousands of times), and cells are read as the values the spreadsheet saved, so a

mod read;
mod sheet;
mod write;

/// The columns of each sheet this service keeps, as it writes them.
const SURVEY_COLUMNS: [&str; 13] = [
    "type",
    "name",
    "label",
    "hint",
    "required",
    "required_message",
    "relevant",
    "appearance",
    "constraint",
    "constraint_message",
    "prefer_not_to_say",
    // Our own, for a postcode question (a `text` elsewhere): what it keeps, and the ward it fills.
    "postcode",
    "fills",
];
const CHOICE_COLUMNS: [&str; 8] = ["list_name", "name", "label", "hint", "image", "barriers", "exclusive", "other"];
const SETTINGS_COLUMNS: [&str; 11] = [
    "form_title",
    "translated_title",
    "form_id",
    "version",
    "default_language",
    "minutes",
    "signpost_skills",
    "signpost_confidence",
    "signpost_motivation",
    "signpost_access",
    "signpost_general",
];

pub use read::{Imported, Note, read};
pub use sheet::{MAX_FILE_BYTES, Refusal, is_spreadsheet};
pub use write::write;

#[cfg(test)]
mod tests {
    use super::read::{parse_constraint, parse_relevant};
    use super::sheet::{check_size, declared_strings};
    use super::*;
    use crate::survey::document::ShowIfDef;
    use std::io::Cursor;

    #[test]
    fn relevant_reads_the_rules_we_can_follow() {
        let rule = parse_relevant("${used_online} = 'no' or ${used_online}='not_sure'").unwrap();
        assert_eq!(
            (rule.question.as_str(), rule.any_of),
            ("used_online", vec!["no".to_owned(), "not_sure".to_owned()])
        );
        let rule = parse_relevant("selected(${why}, 'other')").unwrap();
        assert_eq!((rule.question.as_str(), rule.any_of), ("why", vec!["other".to_owned()]));
        for refused in [
            "${a} != 'x'",
            "${a} = 'x' and ${b} = 'y'",
            "${a} = 'x' or ${b} = 'y'",
            "${a} > 3",
            "count-selected(${a}) > 1",
            "${a} = x",
        ] {
            assert!(parse_relevant(refused).is_err(), "{refused}");
        }
        use super::read::Constraint::{Dates as Limit, Length, Range};
        assert_eq!(parse_constraint("string-length(.) <= 200"), Some(Length(200)));
        assert_eq!(parse_constraint(". > 3"), None);
        assert_eq!(parse_constraint(". >= 16 and . <= 120"), Some(Range { min: Some(16.0), max: Some(120.0) }));
        assert_eq!(parse_constraint(".>=-2.5"), Some(Range { min: Some(-2.5), max: None }));
        assert_eq!(parse_constraint(". <= today()"), Some(Limit(crate::survey::Dates::Past)));
        assert_eq!(parse_constraint(". >= today()"), Some(Limit(crate::survey::Dates::Future)));
        for refused in [". >= 1 or . <= 3", ". >= inf", ". >= 1 and", ". != 3", ". <= today() and . >= 1"] {
            assert_eq!(parse_constraint(refused), None, "{refused}");
        }
    }

    #[test]
    fn the_built_in_survey_goes_round_unchanged() {
        let definition = super::super::builtin().definition().clone();
        let bytes = write(&definition).unwrap();
        assert!(is_spreadsheet(&bytes));
        let Imported { definition: again, notes } = read(&bytes, None).unwrap();
        assert_eq!(notes, Vec::new(), "our own form keeps everything");
        for (tag, t) in &definition.translations {
            let back = &again.translations[tag];
            for (id, q) in &t.questions {
                assert_eq!(back.questions.get(id), Some(q), "{tag} {id}");
            }
            assert_eq!(back, t, "{tag}");
        }
        assert_eq!(again, definition);
    }

    #[test]
    fn numbers_dates_notes_and_postcodes_go_round_unchanged_with_their_limits() {
        let survey = crate::survey::Survey::from_document(
            r#"
id = "kinds"
title = "Kinds"
minutes = 2
[[questions]]
id = "used"
type = "single"
text = "Used?"
options = [{ id = "yes", label = "Yes" }, { id = "no", label = "No" }]
[[questions]]
id = "between"
type = "note"
text = "Now about your home."
hint = "Take your time."
[[questions]]
id = "age"
type = "whole_number"
text = "Age?"
required = true
min = 16
max = 120
[[questions]]
id = "spend"
type = "decimal"
text = "Spend?"
min = -2.5
[[questions]]
id = "moved"
type = "date"
text = "Moved?"
dates = "past"
[[questions]]
id = "visit"
type = "date"
text = "Visit?"
[[questions]]
id = "postcode"
type = "postcode"
text = "Postcode?"
keep = "ward"
fills = "ward"
[[questions]]
id = "sector"
type = "postcode"
text = "Work postcode?"
[[questions]]
id = "ward"
type = "single"
text = "Ward?"
options = [{ id = "north", label = "North" }, { id = "south", label = "South" }]
"#,
        )
        .unwrap();
        let definition = survey.definition().clone();
        let Imported { definition: again, notes } = read(&write(&definition).unwrap(), None).unwrap();
        assert_eq!(notes, Vec::new());
        assert_eq!(again, definition);
    }

    /// A workbook from sheets of rows of text cells.
    fn book(sheets: &[(&str, &[&[&str]])]) -> Vec<u8> {
        let mut book = rust_xlsxwriter::Workbook::new();
        for (name, rows) in sheets {
            let sheet = book.add_worksheet().set_name(*name).unwrap();
            for (r, row) in rows.iter().enumerate() {
                for (c, cell) in row.iter().enumerate().filter(|(_, c)| !c.is_empty()) {
                    sheet.write_string(r as u32, c as u16, *cell).unwrap();
                }
            }
        }
        book.save_to_buffer().unwrap()
    }

    #[test]
    fn older_spellings_come_in_and_names_become_ids_that_conditions_follow() {
        let survey: &[&[&str]] = &[
            &["type", "name", "label:English", "label:Welsh", "bind:relevant"],
            &["select one from yn", "Q1", "Used?", "Wedi?", ""],
            &["select all that apply from why or_other", "Why-Not", "Why not?", "Pam?", "${Q1} = 'No'"],
            &["integer", "age", "Age?", "Oed?", ""],
            &["time", "when", "When?", "Pryd?", ""],
        ];
        let choices: &[&[&str]] = &[
            &["list name", "name", "label:English", "label:Welsh"],
            &["yn", "Yes", "Yes", "Ie"],
            &["yn", "No", "No", "Na"],
            &["why", "cost", "Cost", "Cost"],
        ];
        let settings: &[&[&str]] = &[&["title", "id_string", "version"], &["Library exit", "Library_Exit", "2024"]];
        let Imported { definition, notes } =
            read(&book(&[("survey", survey), ("choices", choices), ("settings", settings)]), None).unwrap();
        let ids: Vec<&str> = definition.questions.iter().map(|q| q.id.as_str()).collect();
        assert_eq!(ids, ["q1", "why_not", "age"]);
        assert_eq!(definition.questions[2].kind, "whole_number");
        let why = &definition.questions[1];
        assert_eq!(why.kind, "multiple");
        assert_eq!(why.show_if, Some(ShowIfDef { question: "q1".into(), any_of: vec!["no".into()] }));
        assert!(why.options.iter().any(|o| o.id == "other" && o.other), "or_other: a write-in");
        assert_eq!((definition.id.as_str(), definition.title.as_str()), ("library-exit", "Library exit"));
        assert!(definition.translations.contains_key("cy"), "Welsh, by its name");
        let said: Vec<String> = notes.iter().map(ToString::to_string).collect();
        assert!(
            said.iter().any(|n| n
                .contains("row 5, column type: times are not asked here: dates are: the question `when` was left out")),
            "{said:?}"
        );
        assert!(said.iter().any(|n| n.contains("\"Library_Exit\" is kept as the address `library-exit`")), "{said:?}");
        assert!(said.iter().any(|n| n.contains("the names of 2 questions were made into ids here (lower case letters, digits and _): \"Q1\" is `q1`, \"Why-Not\" is `why_not`")), "{said:?}");
    }

    #[test]
    fn names_that_make_one_id_stay_apart_and_conditions_keep_only_what_can_be_followed() {
        let survey: &[&[&str]] = &[
            &["type", "name", "label", "relevant", "appearance"],
            &["select_one yn", "a", "A?", "", ""],
            &["text", "t", "T?", "", ""],
            &["select_one yn", "b", "B?", "${a} = 'yes'", ""],
            &["select_one yn", "c", "C?", "${t} = 'x'", ""],
            &["select_one yn", "d", "D?", "${a} = 'maybe'", "likert"],
        ];
        let choices: &[&[&str]] =
            &[&["list_name", "name", "label"], &["yn", "Yes", "Yes (capital)"], &["yn", "yes", "yes (small)"]];
        let settings: &[&[&str]] = &[&["form_title", "form_id"], &["T", "t"]];
        let Imported { definition, notes } =
            read(&book(&[("survey", survey), ("choices", choices), ("settings", settings)]), None).unwrap();
        let said: Vec<String> = notes.iter().map(ToString::to_string).collect();
        let q = |id: &str| definition.questions.iter().find(|q| q.id == id).unwrap();
        let ids: Vec<&str> = q("a").options.iter().map(|o| o.id.as_str()).collect();
        assert_eq!(ids, ["yes", "yes_2"], "two choices, not one");
        assert_eq!(q("b").show_if.as_ref().unwrap().any_of, ["yes_2"], "the small one, as the form named it");
        assert_eq!(q("c").show_if, None, "a condition on a text answer is not followed");
        assert!(said.iter().any(|n| n.contains("`t` is not an earlier choice question that was kept")), "{said:?}");
        assert_eq!((q("d").kind.as_str(), q("d").show_if.is_none()), ("single", true), "{said:?}");
        assert!(said.iter().any(|n| n.contains("`a` has no answer \"maybe\"")), "{said:?}");
        assert!(said.iter().any(|n| n.contains("kept as a plain choice")), "{said:?}");
        crate::survey::Survey::parse(definition).unwrap();
    }

    #[test]
    fn a_date_far_out_is_refused_not_a_crash() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet().set_name("survey").unwrap();
        sheet.write_string(0, 0, "type").unwrap();
        let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
        sheet.write_number_with_format(1, 0, 1e300, &date).unwrap();
        let refusal = read(&book.save_to_buffer().unwrap(), None).unwrap_err();
        assert!(refusal.message.contains("a date out of range"), "{refusal}");
    }

    #[test]
    fn a_cell_far_out_is_refused_without_building_the_grid() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet().set_name("survey").unwrap();
        sheet.write_string(0, 0, "type").unwrap();
        sheet.write_string(1_048_575, 16_383, "far").unwrap();
        let refusal = read(&book.save_to_buffer().unwrap(), None).unwrap_err();
        assert_eq!((refusal.row, refusal.message.contains("at most 1000 rows")), (1_048_576, true), "{refusal}");
    }

    #[test]
    fn shared_strings_declared_beyond_a_forms_cells_are_refused_before_room_is_made() {
        assert_eq!(declared_strings(br#"<?xml version="1.0"?><sst xmlns="x" count="3" uniqueCount="2"><si>"#), Some(3));
        assert_eq!(declared_strings(b"<sst/>"), Some(0));
        assert_eq!(declared_strings(br#"<sst uniqueCount="99999999999999999999999999">"#), Some(usize::MAX));
        assert_eq!(declared_strings(b"<?xml?><notsst>"), None, "no table where one must be");
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        out.start_file("xl/sharedStrings.xml", zip::write::SimpleFileOptions::default()).unwrap();
        std::io::Write::write_all(&mut out, br#"<sst uniqueCount="1000000000000"></sst>"#).unwrap();
        let refusal = check_size(&out.finish().unwrap().into_inner()).unwrap_err();
        assert!(refusal.message.contains("declares more than 100000 different texts"), "{refusal}");
    }

    #[test]
    fn a_zip_that_unpacks_to_too_much_is_refused_before_it_is_read() {
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        out.start_file("xl/worksheets/sheet1.xml", options).unwrap();
        std::io::Write::write_all(&mut out, &vec![b' '; 30 * 1024 * 1024]).unwrap();
        let bomb = out.finish().unwrap().into_inner();
        assert!(bomb.len() < 1024 * 1024, "{} bytes zipped", bomb.len());
        let refusal = read(&bomb, None).unwrap_err();
        assert!(refusal.message.contains("unpacks to far more"), "{refusal}");
        // The same, declaring that it unpacks to 100 bytes: the sizes a zip declares are not
        // trusted, it is unpacked with a limit.
        let mut lying = bomb.clone();
        for (signature, at) in [(b"PK\x03\x04", 22), (b"PK\x01\x02", 24)] {
            let header = lying.windows(4).position(|w| w == signature).unwrap();
            lying[header + at..header + at + 4].copy_from_slice(&100u32.to_le_bytes());
        }
        let refusal = read(&lying, None).unwrap_err();
        assert!(
            refusal.message.contains("unpacks to far more") || refusal.message.contains("not an .xlsx"),
            "{refusal}"
        );
    }
}
