//! Translating a draft, side by side: every string of the survey in its own language beside a box
//! for it in the other language, typed in that language's direction. Adding a language starts an
//! empty translation; what is left empty is listed as missing, and publishing waits for none.

use super::editor::{Saved, after, change};
use super::store;
use crate::auth::{AdminUser, CSRF_FIELD, SignedIn, StaffForm};
use crate::error::AppError;
use crate::i18n::Language;
use crate::paths::staff;
use crate::state::AppState;
use crate::survey::translation::{self, Translation};
use crate::ui::{Chrome, ErrorSummary, FormFields, Page, Problem, trimmed};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::*;
use serde::Deserialize;

/// Fields and bytes a translation's form may send: every string of a survey at its longest
/// (2,000 characters) in a script of three bytes a character, percent-encoded, for a few hundred
/// strings.
pub const MOST_FIELDS: usize = 5_000;
pub const MOST_BYTES: usize = 8 * 1024 * 1024;

fn page_path(slug: &str, tag: &str) -> String {
    staff::draft_language(&slug, &tag)
}

/// Adding a language to the draft: its tag, and its name in itself when the app does not know it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewLanguage {
    revision: Option<String>,
    #[serde(default, deserialize_with = "trimmed")]
    tag: String,
    #[serde(default, deserialize_with = "trimmed")]
    name: String,
}

pub async fn add(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(slug): Path<String>,
    StaffForm(form): StaffForm<NewLanguage>,
) -> Result<Response, AppError> {
    let problem = |message: String| vec![Problem { field: "new-language".into(), message }];
    let language = Language::parse(&form.tag);
    let tag = language.as_ref().map(Language::to_string).unwrap_or_default();
    let saved = change(&state, &admin, &slug, &form.revision, |d| {
        let Some(language) = &language else {
            return Err(problem(
                "Enter a language tag, such as cy for Welsh, pl for Polish or en-x-easyread for Easy Read English"
                    .into(),
            ));
        };
        let own = d.language.as_deref().and_then(Language::parse).unwrap_or_else(Language::english);
        if *language == own || d.translations.contains_key(language.as_str()) {
            return Err(problem(format!("The draft is already offered in {language}")));
        }
        if language.known_name().is_none() && form.name.is_empty() {
            return Err(problem(format!(
                "Enter the name of {language} in that language, as residents will see it in the list of languages"
            )));
        }
        let name = (!form.name.is_empty()).then(|| form.name.clone());
        d.translations.insert(language.to_string(), Translation { name, ..Translation::default() });
        Ok(())
    })
    .await?;
    after(&state, &admin, &slug, saved, page_path(&slug, &tag)).await
}

/// Which language one the draft has only a form's name for is: a tag or a name in English.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Naming {
    revision: Option<String>,
    #[serde(default, deserialize_with = "trimmed")]
    language: String,
}

/// The id of the box that names `tag`, for its error's link.
pub fn naming_field(tag: &str) -> String {
    format!("name-{tag}")
}

pub async fn name(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path((slug, tag)): Path<(String, String)>,
    StaffForm(form): StaffForm<Naming>,
) -> Result<Response, AppError> {
    let from = Language::parse(&tag).ok_or(AppError::NotFound)?;
    let problem = |message: String| vec![Problem { field: naming_field(from.as_str()), message }];
    let saved = change(&state, &admin, &slug, &form.revision, |d| {
        let Some(to) = Language::from_words(&form.language) else {
            return Err(problem(
                "Enter which language it is: its tag, like cy, or its name in English, like Welsh".into(),
            ));
        };
        translation::name_language(d, &from, &to).map_err(problem)
    })
    .await?;
    after(&state, &admin, &slug, saved, staff::draft(&slug)).await
}

pub async fn page(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path((slug, tag)): Path<(String, String)>,
) -> Result<Response, AppError> {
    translate_page(&state, &admin, &slug, &tag, StatusCode::OK, Vec::new(), None).await
}

/// The page; after a refusal, with what was typed in every box (nothing typed is lost), and the
/// draft's current revision so that saving again works.
async fn translate_page(
    state: &AppState,
    admin: &SignedIn,
    slug: &str,
    tag: &str,
    status: StatusCode,
    problems: Vec<Problem>,
    typed: Option<&FormFields>,
) -> Result<Response, AppError> {
    let survey = store::find(&state.db, slug).await?;
    let (definition, revision) = store::draft(&state.db, survey.id).await?.ok_or(AppError::NotFound)?;
    let translation = definition.translations.get(tag).ok_or(AppError::NotFound)?.clone();
    let language = Language::parse(tag).ok_or(AppError::NotFound)?;
    let name =
        translation.name.clone().or_else(|| language.known_name().map(str::to_owned)).unwrap_or_else(|| tag.to_owned());
    let mut fields = translation::fields(&definition, &translation);
    for f in &mut fields {
        if let Some(value) = typed.and_then(|typed| typed.get(&f.key)) {
            f.translated = value.to_owned();
        }
    }
    let left = fields.iter().filter(|f| f.translated.is_empty()).count();
    let own = definition.language.as_deref().and_then(Language::parse).unwrap_or_else(Language::english);
    let (csrf, slug, tag) = (admin.csrf.clone(), slug.to_owned(), tag.to_owned());
    let title =
        format!("{}Translate into {name}: {}", if problems.is_empty() { "" } else { "Error: " }, definition.title);
    Ok(crate::ui::render(Chrome::staff(&state.config, admin.nav()), status, move || {
        view! {
            <Page title back=staff::draft(&slug) wide=true>
                <ErrorSummary problems />
                <span class="caption-l">"Draft of the next version"</span>
                <h1 class="heading-l">
                    "Translate into "<span lang=tag.clone() dir=language.direction()>
                        {name.clone()}
                    </span>
                </h1>
                <p class="body">
                    {if left == 0 {
                        "Every string has its translation.".to_owned()
                    } else {
                        format!(
                            "{left} strings are still to translate. Leave a box empty for now if you need to: the draft is kept, and it is published once none is empty.",
                        )
                    }}
                </p>
                <TranslationForm
                    action=page_path(&slug, &tag)
                    csrf
                    revision
                    fields
                    tag=tag.clone()
                    name=name.clone()
                    language=language.clone()
                    own
                />
            </Page>
        }
    }))
}

/// Every string of the survey beside its box in `language` (called `name`, tagged `tag`), with the
/// draft's `revision` so that a stale save is caught.
#[component]
fn TranslationForm(
    action: String,
    csrf: String,
    revision: i64,
    fields: Vec<translation::Field>,
    tag: String,
    name: String,
    language: Language,
    own: Language,
) -> impl IntoView {
    let rows = fields
        .into_iter()
        .enumerate()
        .map(|(i, field)| {
            let (tag, name, language, own) = (tag.clone(), name.clone(), language.clone(), own.clone());
            view! { <TranslationRow i field tag name language own /> }
        })
        .collect_view();
    view! {
        <form method="post" action=action>
            <input type="hidden" name=CSRF_FIELD value=csrf />
            <input type="hidden" name="revision" value=revision.to_string() />
            {rows}
            <button type="submit" class="button">
                "Save the translation"
            </button>
        </form>
    }
}

#[component]
fn TranslationRow(
    i: usize,
    field: translation::Field,
    tag: String,
    name: String,
    language: Language,
    own: Language,
) -> impl IntoView {
    let f = field;
    let (own_id, input_id) = (format!("own-{i}"), format!("t-{i}"));
    let input = if f.long {
        view! {
            <textarea
                class="textarea"
                id=input_id.clone()
                name=f.key.clone()
                rows="4"
                lang=tag.clone()
                dir=language.direction()
                aria-describedby=own_id.clone()
            >
                {f.translated.clone()}
            </textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                class="input"
                id=input_id.clone()
                name=f.key.clone()
                type="text"
                value=f.translated.clone()
                lang=tag.clone()
                dir=language.direction()
                aria-describedby=own_id.clone()
            />
        }
        .into_any()
    };
    view! {
        <div class="translate__row">
            <div class="translate__own">
                <p class="translate__place">{f.place.clone()}</p>
                <p class="body translate__text" id=own_id lang=own.to_string() dir=own.direction()>
                    {f.own.clone()}
                </p>
            </div>
            <div class="form-group translate__theirs">
                // The language's name is in that language (WCAG 3.1.2, language of parts).
                <label class="label" for=input_id>
                    {f.place.clone()}
                    ", in "
                    <span lang=tag.clone() dir=language.direction()>
                        {name}
                    </span>
                </label>
                {input}
            </div>
        </div>
    }
}

pub async fn save(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path((slug, tag)): Path<(String, String)>,
    StaffForm(form): StaffForm<FormFields>,
) -> Result<Response, AppError> {
    let revision = form.get("revision").map(str::to_owned);
    let saved = change(&state, &admin, &slug, &revision, |d| {
        let mut translation = d.translations.get(&tag).cloned().ok_or_else(|| {
            vec![Problem { field: "revision".into(), message: format!("The draft is not offered in {tag}") }]
        })?;
        for (key, value) in form.0.iter().filter(|(k, _)| k != "revision") {
            if !translation::set(d, &mut translation, key, value) {
                return Err(vec![Problem {
                    field: "revision".into(),
                    message: format!("The survey has no string {key}: reload the page"),
                }]);
            }
        }
        d.translations.insert(tag.clone(), translation);
        Ok(())
    })
    .await?;
    match saved {
        Saved::Yes => Ok(Redirect::to(&staff::draft(&slug)).into_response()),
        Saved::Refused(problems) => {
            translate_page(&state, &admin, &slug, &tag, StatusCode::UNPROCESSABLE_ENTITY, problems, Some(&form)).await
        }
        Saved::Stale => {
            let problem = Problem {
                field: "revision".into(),
                message: "Someone else changed this draft while you were translating, so nothing has been saved yet. What you typed is still in the boxes below: check the draft, then save again".into(),
            };
            translate_page(&state, &admin, &slug, &tag, StatusCode::CONFLICT, vec![problem], Some(&form)).await
        }
    }
}
