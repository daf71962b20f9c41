//! The form-based editor for a survey's draft: the survey's own fields (title, introduction,
//! signposting by barrier), and each question (type, wording, options with their barrier tags,
//! show-if rule). A draft may be unfinished while it is edited, so every save is kept, and the
//! problems that would stop it being published are listed beside it, each pointing at its
//! question; publishing runs the same checks as an upload.

use super::pages::problems_from;
use super::store;
use crate::auth::{AdminUser, CSRF_FIELD, SignedIn, StaffForm};
use crate::error::AppError;
use crate::fields;
use crate::paths::staff;
use crate::state::AppState;
use crate::survey::definition::{OptionDef, QuestionDef, ShowIfDef};
use crate::survey::modules::{self, MODULES, Module};
use crate::survey::typed::number_text;
use crate::survey::{Dates, Definition, Keep, Survey};
use crate::ui::{
    Chrome, ErrorSummary, Field, Page, Problem, ScrollingTable, TextArea, TextField, check, described_by, message_for,
    render, trimmed,
};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::*;
use serde::Deserialize;
use validator::{Validate, ValidationError};

const KINDS: [(&str, &str); 10] = [
    ("single", "One answer"),
    ("multiple", "Several answers"),
    ("scale", "A scale (options are its points)"),
    ("short_text", "A short answer in their own words"),
    ("long_text", "A long answer in their own words"),
    ("whole_number", "A whole number, like an age"),
    ("decimal", "A number that can have a decimal part"),
    ("date", "A date (day, month and year)"),
    ("note", "Words between questions (nothing to answer)"),
    ("postcode", "A UK postcode (only its sector is kept)"),
];

/// A date question's limits as the editor offers them.
const DATE_LIMITS: [(&str, &str); 3] =
    [("", "Any date"), ("past", "Today or in the past"), ("future", "Today or in the future")];

/// What a save did: saved, or refused with problems, or lost a race with another save.
pub(super) enum Saved {
    Yes,
    Refused(Vec<Problem>),
    Stale,
}

/// Applies `change` to the draft saved at `revision` and saves it.
pub(super) async fn change(
    state: &AppState,
    admin: &SignedIn,
    slug: &str,
    revision: &Option<String>,
    change: impl FnOnce(&mut Definition) -> Result<(), Vec<Problem>>,
) -> Result<Saved, AppError> {
    let survey = store::find(&state.db, slug).await?;
    let (mut definition, current) = store::draft(&state.db, survey.id).await?.ok_or(AppError::NotFound)?;
    let revision: i64 = revision
        .as_deref()
        .and_then(|r| r.parse().ok())
        .ok_or_else(|| AppError::BadRequest("The form is missing its revision: reload the page.".into()))?;
    if revision != current {
        return Ok(Saved::Stale);
    }
    if let Err(problems) = change(&mut definition) {
        return Ok(Saved::Refused(problems));
    }
    crate::survey::translation::prune(&mut definition);
    Ok(if store::save_draft(&state.db, Some(admin.id()), survey.id, revision, &definition).await? {
        Saved::Yes
    } else {
        Saved::Stale
    })
}

pub(super) fn stale() -> Vec<Problem> {
    vec![Problem {
        field: "revision".into(),
        message: "Someone else changed this draft while you were editing it, so your change has not been saved. Reload the page to see theirs, then make yours again".into(),
    }]
}

fn optional(text: &str) -> Option<String> {
    let text = text.trim().replace("\r\n", "\n");
    (!text.is_empty()).then_some(text)
}

// ---- The survey's own fields, and the list of questions ------------------------------------------

pub async fn page(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    survey_page(&state, &admin, &slug, StatusCode::OK, Vec::new()).await
}

async fn survey_page(
    state: &AppState,
    admin: &SignedIn,
    slug: &str,
    status: StatusCode,
    problems: Vec<Problem>,
) -> Result<Response, AppError> {
    let survey = store::find(&state.db, slug).await?;
    let (definition, revision) = store::draft(&state.db, survey.id).await?.ok_or(AppError::NotFound)?;
    let draft = DraftForm { slug: slug.to_owned(), csrf: admin.csrf.clone(), revision };
    Ok(render(Chrome::staff(&state.config, admin.nav()), status, move || {
        view! { <DraftPage draft definition problems /> }
    }))
}

/// What every form on the draft's page posts with: which survey, the session's token, and the
/// revision of the draft it was shown (a save from an older page is refused, not lost).
#[derive(Clone)]
struct DraftForm {
    slug: String,
    csrf: String,
    revision: i64,
}

#[component]
fn DraftPage(draft: DraftForm, definition: Definition, problems: Vec<Problem>) -> impl IntoView {
    let parsed = Survey::parse(definition.clone());
    let to_fix = parsed.as_ref().err().map(problems_from).unwrap_or_default();
    let languages = parsed.as_ref().map(languages_offered).unwrap_or_default();
    let title = if problems.is_empty() {
        format!("Edit the draft: {}", definition.title)
    } else {
        format!("Error: Edit the draft: {}", definition.title)
    };
    view! {
        <Page title back=staff::manage(&draft.slug)>
            <ErrorSummary problems=problems.clone() />
            <span class="caption-l">"Draft of the next version"</span>
            <h1 class="heading-l">{definition.title.clone()}</h1>
            {(!to_fix.is_empty())
                .then(|| {
                    view! {
                        <div class="inset">
                            <h2 class="heading-s">"To fix before it can be published"</h2>
                            <ul class="list">
                                {to_fix
                                    .iter()
                                    .map(|p| {
                                        view! {
                                            <li>
                                                <a class="link" href=format!("#{}", p.field)>
                                                    {p.message.clone()}
                                                </a>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        </div>
                    }
                })}
            <UnnamedLanguages
                draft=draft.clone()
                unnamed=crate::survey::translation::unnamed(&definition)
                problems=problems.clone()
            />
            <DraftLanguages draft=draft.clone() languages />
            <DraftQuestions draft=draft.clone() definition=definition.clone() />
            <AboutTheSurvey draft definition />
        </Page>
    }
}

/// Each language the draft is offered in besides its own, with what it still lacks (publishing
/// waits for none): (tag, name, what is missing).
fn languages_offered(survey: &Survey) -> Vec<(String, String, Vec<String>)> {
    let missing = survey.missing_translations();
    survey
        .languages()
        .iter()
        .skip(1)
        .map(|o| {
            let gaps = missing.iter().find(|(l, _)| *l == o.language).map(|(_, gaps)| gaps.clone()).unwrap_or_default();
            (o.language.to_string(), o.name.clone(), gaps)
        })
        .collect()
}

/// A box for each language the draft has only a form's name for ("Martian"), to say which it is.
#[component]
fn UnnamedLanguages(
    draft: DraftForm,
    unnamed: Vec<(crate::i18n::Language, String)>,
    problems: Vec<Problem>,
) -> impl IntoView {
    let DraftForm { slug, csrf, revision } = draft;
    let any = !unnamed.is_empty();
    let forms = unnamed
        .into_iter()
        .map(|(language, name)| {
            let tag = language.to_string();
            let id = super::translate::naming_field(&tag);
            let error = problems.iter().find(|p| p.field == id).map(|p| p.message.clone());
            view! {
                <form method="post" action=staff::name_draft_language(&slug, &tag)>
                    <input type="hidden" name=CSRF_FIELD value=csrf.clone() />
                    <input type="hidden" name="revision" value=revision.to_string() />
                    <TextField
                        id
                        name="language"
                        label=format!("Which language is \u{201c}{name}\u{201d}?")
                        error
                        no_spellcheck=true
                        hint="Its language tag, like cy, or its name in English, like Welsh or Polish."
                    />
                    <button type="submit" class="button button--secondary">
                        "Name the language"
                        <span class="visually-hidden">{format!(" {name}")}</span>
                    </button>
                </form>
            }
        })
        .collect_view();
    any.then(|| {
        view! {
            <div class="inset">
                <h2 class="heading-s">"Languages to name"</h2>
                <p class="body">
                    "The uploaded form has text in languages this service cannot tell by their names. Say which each is: its text is kept, and the draft cannot be published until each is named."
                </p>
                {forms}
            </div>
        }
    })
}

/// The draft's other languages: what each lacks, and adding or removing one.
#[component]
fn DraftLanguages(draft: DraftForm, languages: Vec<(String, String, Vec<String>)>) -> impl IntoView {
    let DraftForm { slug, csrf, revision } = draft;
    let rows = languages
        .iter()
        .map(|(tag, name, gaps)| {
            let state = if gaps.is_empty() {
                "Complete".to_owned()
            } else {
                let shown: Vec<&str> = gaps.iter().take(10).map(String::as_str).collect();
                let more = if gaps.len() > shown.len() {
                    format!(" and {} more", gaps.len() - shown.len())
                } else {
                    String::new()
                };
                format!("{} missing: {}{more}", gaps.len(), shown.join("; "))
            };
            let state = match crate::i18n::Language::parse(tag) {
                Some(l) if !crate::i18n::has_own_words(&l) => {
                    format!(
                        "{state}. The service's own words (Start now, Continue, Check your answers, the error messages) show in English in this language.",
                    )
                }
                _ => state,
            };
            // Taking a language out of the draft leaves every published version as it is.
            view! {
                <tr>
                    <td>{format!("{name} ({tag})")}</td>
                    <td>{state}</td>
                    <td class="cell-actions">
                        <a class="link" href=staff::draft_language(&slug, &tag)>
                            "Translate"
                            <span class="visually-hidden">{format!(" into {name}")}</span>
                        </a>
                        " "
                        <form method="post" action=staff::remove_draft_language(&slug, &tag) class="inline-form">
                            <input type="hidden" name=CSRF_FIELD value=csrf.clone() />
                            <input type="hidden" name="revision" value=revision.to_string() />
                            <button type="submit" class="link-button">
                                "Stop offering"
                                <span class="visually-hidden">{format!(" {name}")}</span>
                                " in the next version"
                            </button>
                        </form>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let offered = (!languages.is_empty()).then(|| {
        view! {
            <ScrollingTable
                label="Languages and what is missing".to_owned()
                columns=vec!["Language", "Translation", "Change"]
            >
                {rows}
            </ScrollingTable>
        }
    });
    view! {
        <h2 class="heading-m">"Other languages"</h2>
        <p class="body">
            "Translate each language here, side by side with the survey's own words, or in the definition file under "
            <code>"[translations.cy]"</code> " and so on: " <a class="link" href=staff::draft_file(&slug)>
                "download the draft"
            </a>
            ", add the text and upload it on the survey's page. A language with anything missing stops the draft being published."
        </p>
        {offered}
        <form method="post" action=staff::draft_languages(&slug)>
            <input type="hidden" name=CSRF_FIELD value=csrf.clone() />
            <input type="hidden" name="revision" value=revision.to_string() />
            <TextField
                id="new-language"
                name="tag"
                label="Add a language"
                short=true
                no_spellcheck=true
                hint="Its language tag, such as cy for Welsh, pl for Polish, ur for Urdu, or en-x-easyread for Easy Read English."
            />
            <TextField
                id="new-language-name"
                name="name"
                label="Its name in that language (optional)"
                hint="Residents choose it by this name. Needed only for a language the service does not already know."
            />
            <button type="submit" class="button button--secondary">
                "Add the language"
            </button>
        </form>
    }
}

/// The draft's questions in order, each with a way to change, move or remove it, and adding one.
#[component]
fn DraftQuestions(draft: DraftForm, definition: Definition) -> impl IntoView {
    let DraftForm { slug, csrf, revision } = draft;
    let count = definition.questions.len();
    let asked: Vec<String> = definition.questions.iter().map(|q| q.id.clone()).collect();
    let rows = definition
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let base = staff::draft_question(&slug, &q.id);
            let button = |action: &'static str, label: &'static str| {
                view! {
                    <form method="post" action=format!("{base}/{action}") class="inline-form">
                        <input type="hidden" name=CSRF_FIELD value=csrf.clone() />
                        <input type="hidden" name="revision" value=revision.to_string() />
                        <button type="submit" class="link-button">
                            {label}
                            <span class="visually-hidden">{format!(" question {}", q.id)}</span>
                        </button>
                    </form>
                }
            };
            view! {
                <tr id=format!("question-{}", q.id)>
                    <td class="numeric">{i + 1}</td>
                    <td>
                        <a class="link" href=base.clone()>
                            {q.text.clone()}
                        </a>
                        <br />
                        <span class="secondary-text">{format!("{} \u{b7} {}", q.id, q.kind)}</span>
                    </td>
                    <td>
                        {(i > 0).then(|| button("up", "Move up"))}" "
                        {(i + 1 < count).then(|| button("down", "Move down"))}" " {button("remove", "Remove")}
                    </td>
                </tr>
            }
        })
        .collect_view();
    let kinds = KINDS.iter().map(|(id, label)| view! { <option value=*id>{*label}</option> }).collect_view();
    view! {
        <h2 class="heading-m">"Questions"</h2>
        <ScrollingTable
            label="Questions, in the order residents see them".to_owned()
            columns=vec!["", "Question", "Change"]
        >
            {rows}
        </ScrollingTable>
        <h3 class="heading-s">"Add a question"</h3>
        <form method="post" action=staff::draft_questions(&slug)>
            <input type="hidden" name=CSRF_FIELD value=csrf.clone() />
            <input type="hidden" name="revision" value=revision.to_string() />
            <TextField
                id="new-id"
                name="id"
                label="Id"
                no_spellcheck=true
                hint="Lower-case letters, numbers and underscores, like library_use. It names the column in exports."
            />
            <Field id="new-type" label="Type">
                <select class="select" id="new-type" name="type">
                    {kinds}
                </select>
            </Field>
            <button type="submit" class="button button--secondary">
                "Add question"
            </button>
        </form>
        <StandardModules slug=slug.clone() csrf=csrf.clone() revision asked />
    }
}

/// The standard modules the draft does not ask yet, each with where it comes from and a button.
#[component]
fn StandardModules(slug: String, csrf: String, revision: i64, asked: Vec<String>) -> impl IntoView {
    let open: Vec<&Module> =
        MODULES.iter().filter(|m| !m.questions.iter().any(|q| asked.iter().any(|a| a == q))).collect();
    if open.is_empty() {
        return ().into_any();
    }
    let forms = open
        .into_iter()
        .map(|m| {
            view! {
                <form method="post" action=staff::draft_modules(&slug) class="module">
                    <input type="hidden" name=CSRF_FIELD value=csrf.clone() />
                    <input type="hidden" name="revision" value=revision.to_string() />
                    <input type="hidden" name="module" value=m.id />
                    <h4 class="heading-s">{m.name}</h4>
                    <p class="body">{m.source} ". " {m.note}</p>
                    <button type="submit" class="button button--secondary">
                        {format!("Add \u{201c}{}\u{201d}", m.name)}
                    </button>
                </form>
            }
        })
        .collect_view();
    view! {
        <h3 class="heading-s" id="modules">
            "Add a standard module"
        </h3>
        <p class="body">
            "Questions asked and scored as national statistics ask them, or with their barriers set, in every language the built-in survey has. They are added at the end, to move where they read best."
        </p>
        {forms}
    }
    .into_any()
}

/// The survey's title, introduction, length and signposting.
#[component]
fn AboutTheSurvey(draft: DraftForm, definition: Definition) -> impl IntoView {
    let DraftForm { slug, csrf, revision } = draft;
    let s = &definition.signposting;
    let signposts = [
        ("skills", &s.skills),
        ("confidence", &s.confidence),
        ("motivation", &s.motivation),
        ("access", &s.access),
        ("general", &s.general),
    ]
    .map(|(id, text)| {
        let label =
            if id == "general" { "Help for everyone".to_owned() } else { format!("Help for people facing {id}") };
        view! { <TextArea id=format!("signpost-{id}") label rows=3 value=text.clone().unwrap_or_default() /> }
    })
    .into_iter()
    .collect_view();
    view! {
        <h2 class="heading-m">"About the survey"</h2>
        <form method="post" action=staff::draft(&slug)>
            <input type="hidden" name=CSRF_FIELD value=csrf.clone() />
            <input type="hidden" name="revision" value=revision.to_string() />
            <TextField id="title" label="Title" value=definition.title.clone() />
            <TextArea
                id="intro"
                label="Introduction on the start page"
                hint="Separate paragraphs with a blank line."
                rows=5
                value=definition.intro.join("\n\n")
            />
            <TextField
                id="minutes"
                label="About how many minutes it takes"
                short=true
                inputmode="numeric"
                value=definition.minutes.to_string()
            />
            <h3 class="heading-s">"Where to get help, shown after sending"</h3>
            {signposts}
            <button type="submit" class="button">
                "Save"
            </button>
        </form>
    }
}

/// Saves the survey's own fields.
/// The survey's own fields. (The definition as a whole is checked when it is saved.)
#[derive(Debug, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
pub struct SurveyFields {
    revision: Option<String>,
    #[serde(default, deserialize_with = "trimmed")]
    title: String,
    #[serde(default)]
    intro: String,
    #[serde(default, deserialize_with = "trimmed")]
    #[validate(custom(function = "minutes", message = "Enter the minutes as a whole number from 1 to 120"))]
    minutes: String,
    #[serde(default, rename = "signpost-skills")]
    signpost_skills: String,
    #[serde(default, rename = "signpost-confidence")]
    signpost_confidence: String,
    #[serde(default, rename = "signpost-motivation")]
    signpost_motivation: String,
    #[serde(default, rename = "signpost-access")]
    signpost_access: String,
    #[serde(default, rename = "signpost-general")]
    signpost_general: String,
}

fn minutes(value: &str) -> Result<(), ValidationError> {
    value.parse::<u32>().ok().filter(|m| (1..=120).contains(m)).map(drop).ok_or_else(|| ValidationError::new("minutes"))
}

pub async fn save(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(slug): Path<String>,
    StaffForm(form): StaffForm<SurveyFields>,
) -> Result<Response, AppError> {
    let saved = change(&state, &admin, &slug, &form.revision, |d| {
        let problems = check(&form, fields!(form; minutes));
        if !problems.is_empty() {
            return Err(problems);
        }
        d.title = form.title.clone();
        d.intro = form.intro.replace("\r\n", "\n").split("\n\n").filter_map(optional).collect();
        d.minutes = form.minutes.parse().unwrap_or_default();
        d.signposting.skills = optional(&form.signpost_skills);
        d.signposting.confidence = optional(&form.signpost_confidence);
        d.signposting.motivation = optional(&form.signpost_motivation);
        d.signposting.access = optional(&form.signpost_access);
        d.signposting.general = optional(&form.signpost_general);
        Ok(())
    })
    .await?;
    after(&state, &admin, &slug, saved, staff::draft(&slug)).await
}

pub(super) async fn after(
    state: &AppState,
    admin: &SignedIn,
    slug: &str,
    saved: Saved,
    to: String,
) -> Result<Response, AppError> {
    match saved {
        Saved::Yes => Ok(Redirect::to(&to).into_response()),
        Saved::Refused(problems) => survey_page(state, admin, slug, StatusCode::UNPROCESSABLE_ENTITY, problems).await,
        Saved::Stale => survey_page(state, admin, slug, StatusCode::CONFLICT, stale()).await,
    }
}

/// Adds a standard module's questions to the draft; then shows the first of them.
pub async fn add_module(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(slug): Path<String>,
    StaffForm(form): StaffForm<NewModule>,
) -> Result<Response, AppError> {
    let module =
        modules::find(&form.module).ok_or_else(|| AppError::BadRequest("Choose a module from the list.".into()))?;
    let saved = change(&state, &admin, &slug, &form.revision, |d| {
        modules::add(d, module).map_err(|message| vec![Problem { field: "modules".into(), message }])
    })
    .await?;
    after(&state, &admin, &slug, saved, staff::draft_question(&slug, module.questions[0])).await
}

/// Adding a standard module: which one.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewModule {
    revision: Option<String>,
    #[serde(default)]
    module: String,
}

/// Adding a question: its id and type.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewQuestion {
    revision: Option<String>,
    #[serde(default, deserialize_with = "trimmed")]
    id: String,
    #[serde(default, rename = "type")]
    kind: String,
}

/// A form that only says which revision of the draft it was made from.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevisionOnly {
    revision: Option<String>,
}

pub async fn add_question(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(slug): Path<String>,
    StaffForm(form): StaffForm<NewQuestion>,
) -> Result<Response, AppError> {
    let NewQuestion { revision, id, kind } = form;
    let saved = change(&state, &admin, &slug, &revision, |d| {
        let safe = !id.is_empty()
            && id.len() <= 63
            && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            && id.starts_with(|c: char| c.is_ascii_lowercase());
        if !safe {
            return Err(vec![Problem {
                field: "new-id".into(),
                message: "Enter an id of lower-case letters, numbers and underscores, starting with a letter".into(),
            }]);
        }
        if d.questions.iter().any(|q| q.id == id) {
            return Err(vec![Problem { field: "new-id".into(), message: format!("There is already a question {id}") }]);
        }
        if !KINDS.iter().any(|(k, _)| *k == kind) {
            return Err(vec![Problem { field: "new-type".into(), message: "Select a type".into() }]);
        }
        d.questions.push(QuestionDef {
            id: id.clone(),
            kind: kind.clone(),
            text: "New question".into(),
            hint: None,
            section: None,
            required: false,
            error: None,
            prefer_not_to_say: false,
            show_if: None,
            options: Vec::new(),
            max_length: None,
            min: None,
            max: None,
            dates: None,
            keep: None,
            fills: None,
        });
        Ok(())
    })
    .await?;
    after(&state, &admin, &slug, saved, staff::draft_question(&slug, &id)).await
}

/// Moves a question up or down, or removes it.
pub async fn arrange(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path((slug, id, how)): Path<(String, String, String)>,
    StaffForm(form): StaffForm<RevisionOnly>,
) -> Result<Response, AppError> {
    let saved = change(&state, &admin, &slug, &form.revision, |d| {
        let at = d.questions.iter().position(|q| q.id == id).ok_or_else(|| {
            vec![Problem { field: "revision".into(), message: format!("There is no question {id} in the draft") }]
        })?;
        match how.as_str() {
            "up" if at > 0 => d.questions.swap(at, at - 1),
            "down" if at + 1 < d.questions.len() => d.questions.swap(at, at + 1),
            "remove" => {
                d.questions.remove(at);
            }
            _ => {}
        }
        Ok(())
    })
    .await?;
    after(&state, &admin, &slug, saved, staff::draft_at_question(&slug, &id)).await
}

/// Stops offering a language in the draft (its text goes from the draft only: the versions
/// published with it keep it, and the draft's file downloaded before still has it).
pub async fn remove_language(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path((slug, tag)): Path<(String, String)>,
    StaffForm(form): StaffForm<RevisionOnly>,
) -> Result<Response, AppError> {
    let saved = change(&state, &admin, &slug, &form.revision, |d| {
        let before = d.translations.len();
        d.translations.retain(|t, _| *t != tag);
        if d.translations.len() == before {
            return Err(vec![Problem {
                field: "revision".into(),
                message: format!("The draft is not offered in {tag}"),
            }]);
        }
        Ok(())
    })
    .await?;
    after(&state, &admin, &slug, saved, staff::draft(&slug)).await
}

// ---- One question --------------------------------------------------------------------------------

/// Options as written in the form, one a line: `id | label | barriers | flags`, where barriers are
/// comma-separated and flags are `exclusive` or `other`.
pub fn options_text(options: &[OptionDef]) -> String {
    options
        .iter()
        .map(|o| {
            let flags: Vec<&str> = [(o.exclusive, "exclusive"), (o.other, "other")]
                .into_iter()
                .filter(|(on, _)| *on)
                .map(|(_, f)| f)
                .collect();
            format!("{} | {} | {} | {}", o.id, o.label, o.barriers.join(", "), flags.join(", "))
                .trim_end_matches([' ', '|'])
                .to_owned()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn parse_options(text: &str) -> Result<Vec<OptionDef>, String> {
    let mut options = Vec::new();
    for (n, line) in text.lines().map(str::trim).filter(|l| !l.is_empty()).enumerate() {
        let parts: Vec<&str> = line.split('|').map(str::trim).collect();
        let (Some(id), Some(label)) = (parts.first().filter(|s| !s.is_empty()), parts.get(1).filter(|s| !s.is_empty()))
        else {
            return Err(format!(
                "Option line {} needs an id and a label, like: no_internet | I do not have the internet",
                n + 1
            ));
        };
        let list = |i: usize| {
            parts
                .get(i)
                .map(|s| s.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect::<Vec<_>>())
                .unwrap_or_default()
        };
        let flags = list(3);
        if let Some(unknown) = flags.iter().find(|f| !["exclusive", "other"].contains(&f.as_str())) {
            return Err(format!(
                "Option line {}: \u{201c}{unknown}\u{201d} is not a flag; use exclusive or other",
                n + 1
            ));
        }
        options.push(OptionDef {
            id: (*id).to_owned(),
            label: (*label).to_owned(),
            hint: None,
            barriers: list(2),
            exclusive: flags.iter().any(|f| f == "exclusive"),
            other: flags.iter().any(|f| f == "other"),
            picture: None,
        });
    }
    Ok(options)
}

pub async fn question_page(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    question_form(&state, &admin, &slug, &id, StatusCode::OK, Vec::new()).await
}

async fn question_form(
    state: &AppState,
    admin: &SignedIn,
    slug: &str,
    id: &str,
    status: StatusCode,
    problems: Vec<Problem>,
) -> Result<Response, AppError> {
    let survey = store::find(&state.db, slug).await?;
    let (definition, revision) = store::draft(&state.db, survey.id).await?.ok_or(AppError::NotFound)?;
    let position = definition.questions.iter().position(|q| q.id == id).ok_or(AppError::NotFound)?;
    let q = definition.questions[position].clone();
    // What the whole draft's checks say about this question.
    let here: Vec<String> = Survey::parse(definition.clone())
        .err()
        .map(|e| e.0.into_iter().filter(|e| e.question.as_deref() == Some(id)).map(|e| e.message).collect())
        .unwrap_or_default();
    let earlier: Vec<(String, String)> =
        definition.questions[..position].iter().map(|e| (e.id.clone(), e.text.clone())).collect();
    let csrf = admin.csrf.clone();
    let id = id.to_owned();
    let action = staff::draft_question(&slug, &id);
    let back = staff::draft_at_question(&slug, &id);
    let title = if problems.is_empty() { format!("Question {id}") } else { format!("Error: Question {id}") };
    Ok(render(Chrome::staff(&state.config, admin.nav()), status, move || {
        view! {
            <Page title back>
                <ErrorSummary problems=problems.clone() />
                <span class="caption-l">"Draft of the next version"</span>
                <h1 class="heading-l">{format!("Question {id}")}</h1>
                {(!here.is_empty())
                    .then(|| {
                        view! {
                            <div class="inset">
                                <h2 class="heading-s">"To fix before the draft can be published"</h2>
                                <ul class="list">
                                    {here.iter().map(|m| view! { <li>{m.clone()}</li> }).collect_view()}
                                </ul>
                            </div>
                        }
                    })}
                <form method="post" action=action>
                    <input type="hidden" name=CSRF_FIELD value=csrf />
                    <input type="hidden" name="revision" value=revision.to_string() />
                    <QuestionEditor q earlier problems />
                    <button type="submit" class="button">
                        "Save question"
                    </button>
                </form>
            </Page>
        }
    }))
}

/// A question's fields as they stand in the draft, with the problems found in what was sent.
#[component]
fn QuestionEditor(q: QuestionDef, earlier: Vec<(String, String)>, problems: Vec<Problem>) -> impl IntoView {
    let error = |field: &str| message_for(&problems, field);
    let kinds = KINDS
        .iter()
        .map(|(k, label)| {
            view! {
                <option value=*k selected=q.kind == *k>
                    {*label}
                </option>
            }
        })
        .collect_view();
    let check = |name: &'static str, label: &'static str, on: bool| {
        view! {
            <div class="checkboxes__item">
                <input class="checkboxes__input" id=name name=name type="checkbox" value="1" checked=on />
                <label class="label checkboxes__label" for=name>
                    {label}
                </label>
            </div>
        }
    };
    view! {
        <Field id="type" label="Type">
            <select class="select" id="type" name="type">
                {kinds}
            </select>
        </Field>
        <TextArea id="text" label="Question" rows=2 value=q.text.clone() />
        <TextField id="hint" label="Hint (optional)" value=q.hint.clone().unwrap_or_default() />
        <TextField
            id="section"
            label="Section caption (optional), like About you"
            value=q.section.clone().unwrap_or_default()
        />
        <div class="form-group">
            <div class="checkboxes">
                {check("required", "Residents must answer it", q.required)}
                {check("prefer_not_to_say", "Offer \u{201c}Prefer not to say\u{201d}", q.prefer_not_to_say)}
            </div>
        </div>
        <TextField
            id="error"
            label="Message when a required answer is missing (optional)"
            value=q.error.clone().unwrap_or_default()
        />
        <OptionsField options=q.options.clone() error=error("options") />
        <ShowIf earlier rule=q.show_if.clone() error=error("show_if_question") />
        <TextField
            id="max_length"
            label="Longest answer in characters, for answers in their own words (optional)"
            error=error("max_length")
            short=true
            inputmode="numeric"
            value=q.max_length.map(|m| m.to_string()).unwrap_or_default()
        />
        <TextField
            id="min"
            label="Smallest answer, for numbers (optional)"
            error=error("min")
            short=true
            inputmode="decimal"
            value=q.min.map(number_text).unwrap_or_default()
        />
        <TextField
            id="max"
            label="Largest answer, for numbers (optional)"
            error=error("max")
            short=true
            inputmode="decimal"
            value=q.max.map(number_text).unwrap_or_default()
        />
        <Field id="keep" label="What a postcode keeps, for postcodes">
            <select class="select" id="keep" name="keep">
                <option value="sector" selected=q.keep != Some(Keep::Ward)>
                    "Its sector (like TS18 1)"
                </option>
                <option value="ward" selected=q.keep == Some(Keep::Ward)>
                    "Nothing: it only chooses the ward"
                </option>
            </select>
        </Field>
        <TextField
            id="fills"
            label="The id of the later ward question a postcode fills (optional)"
            short=true
            value=q.fills.clone().unwrap_or_default()
        />
        <Field id="dates" label="Which dates, for dates">
            <select class="select" id="dates" name="dates">
                {DATE_LIMITS
                    .iter()
                    .map(|(id, label)| {
                        let on = q.dates.map_or("", |d| if d == Dates::Past { "past" } else { "future" }) == *id;
                        view! {
                            <option value=*id selected=on>
                                {*label}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </Field>
    }
}

/// A question's answers to choose from, one a line.
#[component]
fn OptionsField(options: Vec<OptionDef>, error: Option<String>) -> impl IntoView {
    view! {
        <TextArea
            id="options"
            label="Answers to choose from"
            hint="One a line: id | label | barriers | flags. Barriers are skills, confidence, motivation or access, separated by commas. Flags: exclusive (clears the others), other (asks them to say what)."
            error
            rows=8
            code=true
            value=options_text(&options)
        />
    }
}

/// Which earlier answers a question is shown after: the question, and its answer ids.
#[component]
fn ShowIf(earlier: Vec<(String, String)>, rule: Option<ShowIfDef>, error: Option<String>) -> impl IntoView {
    let described = described_by("show_if_question", false, error.is_some());
    let (rule_question, rule_answers) =
        rule.as_ref().map(|r| (r.question.clone(), r.any_of.join(", "))).unwrap_or_default();
    let earlier_options = earlier
        .into_iter()
        .map(|(eid, text)| {
            view! {
                <option value=eid.clone() selected=rule_question == eid>
                    {format!("{eid}: {text}")}
                </option>
            }
        })
        .collect_view();
    view! {
        <Field id="show_if_question" label="Only show it to people who answered an earlier question" error>
            <select class="select" id="show_if_question" name="show_if_question" aria-describedby=described>
                <option value="">"Everyone sees it"</option>
                {earlier_options}
            </select>
        </Field>
        <TextField id="show_if_any_of" label="with one of these answer ids (separated by commas)" value=rule_answers />
    }
}

/// A question's fields. Options are one per line as `id = label`; the definition as a whole is
/// checked when it is saved.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionFields {
    revision: Option<String>,
    #[serde(default, rename = "type")]
    kind: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    hint: String,
    #[serde(default)]
    section: String,
    required: Option<String>,
    prefer_not_to_say: Option<String>,
    #[serde(default)]
    error: String,
    #[serde(default)]
    options: String,
    #[serde(default)]
    show_if_question: String,
    #[serde(default)]
    show_if_any_of: String,
    #[serde(default)]
    max_length: String,
    #[serde(default)]
    min: String,
    #[serde(default)]
    max: String,
    #[serde(default)]
    dates: String,
    #[serde(default)]
    keep: String,
    #[serde(default)]
    fills: String,
}

/// What a question's form says that is more than text: its answers, the rule that shows it, its
/// longest answer, a number's limits and a date's.
struct QuestionChange {
    options: Vec<OptionDef>,
    show_if: Option<ShowIfDef>,
    max_length: Option<u32>,
    min: Option<f64>,
    max: Option<f64>,
    dates: Option<Dates>,
}

impl QuestionFields {
    /// Every problem with what was typed, or the parts that needed reading.
    fn parse(&self) -> Result<QuestionChange, Vec<Problem>> {
        let mut problems = Vec::new();
        let options = parse_options(&self.options).unwrap_or_else(|message| {
            problems.push(Problem { field: "options".into(), message });
            Vec::new()
        });
        let show_if = optional(&self.show_if_question).map(|question| {
            let any_of: Vec<String> =
                self.show_if_any_of.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect();
            if any_of.is_empty() {
                problems.push(Problem {
                    field: "show_if_question".into(),
                    message: "Enter the answer ids that show this question".into(),
                });
            }
            ShowIfDef { question, any_of }
        });
        let max_length = optional(&self.max_length).and_then(|m| {
            m.parse::<u32>().ok().or_else(|| {
                problems.push(Problem {
                    field: "max_length".into(),
                    message: "Enter the longest answer as a whole number".into(),
                });
                None
            })
        });
        let mut limit = |typed: &str, field: &str, words: &str| {
            let text: String = typed.chars().filter(|c| !c.is_whitespace() && *c != ',').collect();
            optional(&text).and_then(|n| {
                let number = n.parse::<f64>().ok().filter(|n| n.is_finite());
                if number.is_none() {
                    problems.push(Problem {
                        field: field.into(),
                        message: format!("Enter the {words} answer as a number"),
                    });
                }
                number
            })
        };
        let (min, max) = (limit(&self.min, "min", "smallest"), limit(&self.max, "max", "largest"));
        let dates = match self.dates.as_str() {
            "past" => Some(Dates::Past),
            "future" => Some(Dates::Future),
            _ => None,
        };
        if problems.is_empty() {
            Ok(QuestionChange { options, show_if, max_length, min, max, dates })
        } else {
            Err(problems)
        }
    }
}

impl QuestionChange {
    /// Question `q` as the form says. The option lines hold id, label, barriers and flags: an
    /// option's hint and picture, set in the file, stay as they were.
    fn apply(self, form: &QuestionFields, q: &mut QuestionDef) {
        q.kind = form.kind.clone();
        q.text = form.text.trim().to_owned();
        q.hint = optional(&form.hint);
        q.section = optional(&form.section);
        q.required = form.required.as_deref() == Some("1");
        q.prefer_not_to_say = form.prefer_not_to_say.as_deref() == Some("1");
        q.error = optional(&form.error);
        q.options = self
            .options
            .into_iter()
            .map(|mut o| {
                if let Some(old) = q.options.iter().find(|p| p.id == o.id) {
                    (o.hint, o.picture) = (old.hint.clone(), old.picture.clone());
                }
                o
            })
            .collect();
        q.show_if = self.show_if;
        q.max_length = self.max_length;
        (q.min, q.max, q.dates) = (self.min, self.max, self.dates);
        // A postcode's settings, only on a postcode question.
        (q.keep, q.fills) = if q.kind == "postcode" {
            (
                Some(if form.keep == "ward" { Keep::Ward } else { Keep::Sector }).filter(|k| *k == Keep::Ward),
                optional(&form.fills),
            )
        } else {
            (None, None)
        };
    }
}

pub async fn save_question(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path((slug, id)): Path<(String, String)>,
    StaffForm(form): StaffForm<QuestionFields>,
) -> Result<Response, AppError> {
    let saved = change(&state, &admin, &slug, &form.revision, |d| {
        let change = form.parse()?;
        let q = d.questions.iter_mut().find(|q| q.id == id).ok_or_else(|| {
            vec![Problem { field: "revision".into(), message: format!("There is no question {id} in the draft") }]
        })?;
        change.apply(&form, q);
        Ok(())
    })
    .await?;
    match saved {
        Saved::Yes => Ok(Redirect::to(&staff::draft_question(&slug, &id)).into_response()),
        Saved::Refused(problems) => {
            question_form(&state, &admin, &slug, &id, StatusCode::UNPROCESSABLE_ENTITY, problems).await
        }
        Saved::Stale => question_form(&state, &admin, &slug, &id, StatusCode::CONFLICT, stale()).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_read_back_as_written() {
        let text = "no_internet | I do not have the internet | access\nnone | None of these | | exclusive\nother | Something else | | other";
        let options = parse_options(text).unwrap();
        assert_eq!(options.len(), 3);
        assert_eq!(options[0].barriers, ["access"]);
        assert!(options[1].exclusive && options[2].other);
        assert_eq!(parse_options(&options_text(&options)).unwrap(), options);
        assert!(parse_options("just_an_id").unwrap_err().contains("needs an id and a label"));
        assert!(parse_options("a | A | | sometimes").unwrap_err().contains("is not a flag"));
    }
}
