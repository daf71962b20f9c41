//! The admins' survey pages: the list (with upload and copy), and one survey's page (status and
//! dates, versions and their downloads, the draft of the next version, publishing, the QR code).

use super::store::{self, Created, Listed, Published};
use crate::auth::session::read_upload_named;
use crate::auth::{AdminUser, CSRF_FIELD, SignedIn, StaffForm};
use crate::error::AppError;
use crate::paths::{Done, Notice, staff};
use crate::state::AppState;
use crate::survey::{DefinitionErrors, Status, Survey, Uploaded};
use crate::ui::{
    Checkbox, Chrome, ErrorSummary, Fieldset, NoFields, Notification, Page, Problem, ScrollingTable, Select, TextField,
    UploadForm, render, trimmed,
};
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::*;
use serde::Deserialize;

const DEFINITION_FILES: &str = ".xlsx,.toml,.json,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/json,application/toml,text/plain";

/// Problems from a definition, each pointing at its question.
pub fn problems_from(errors: &DefinitionErrors) -> Vec<Problem> {
    errors
        .0
        .iter()
        .map(|e| Problem {
            field: e.question.as_ref().map_or_else(|| "definition".to_owned(), |q| format!("question-{q}")),
            message: match &e.question {
                Some(q) => format!("Question {q}: {}", e.message),
                None => crate::ui::capitalise(&e.message),
            },
        })
        .collect()
}

fn status_tag(status: Status) -> (&'static str, &'static str) {
    match status {
        Status::Open => ("tag tag--green", "Open"),
        Status::Closed => ("tag tag--grey", "Closed"),
        Status::Draft => ("tag tag--yellow", "Draft"),
    }
}

pub use crate::respond::public_link;

pub async fn list(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    list_page(&state, &admin, &headers, StatusCode::OK, Vec::new()).await
}

async fn list_page(
    state: &AppState,
    admin: &SignedIn,
    headers: &HeaderMap,
    status: StatusCode,
    problems: Vec<Problem>,
) -> Result<Response, AppError> {
    let surveys: Vec<(Listed, String)> = store::list(&state.db)
        .await?
        .into_iter()
        .map(|s| {
            let link = public_link(state, headers, &s.slug);
            (s, link)
        })
        .collect();
    let csrf = admin.csrf.clone();
    let title = if problems.is_empty() { "Surveys" } else { "Error: Surveys" };
    let choices: Vec<(String, String)> = surveys.iter().map(|(s, _)| (s.slug.clone(), s.slug.clone())).collect();
    Ok(render(Chrome::staff(&state.config, admin.nav()), status, move || {
        let rows = surveys.into_iter().map(|(survey, link)| view! { <SurveyRow survey link /> }).collect_view();
        view! {
            <Page title=title.to_owned()>
                <ErrorSummary problems=problems.clone() />
                <h1 class="heading-l">"Surveys"</h1>
                <ScrollingTable
                    label="Surveys".to_owned()
                    columns=vec!["Survey", "Status", "Version", "Responses", "Address for residents"]
                >
                    {rows}
                </ScrollingTable>
                <h2 class="heading-m">"Add a survey from a definition file"</h2>
                <p class="body">
                    "An XLSForm spreadsheet (.xlsx, as KoboToolbox and ODK use), or a TOML or JSON file in the same format as the built-in survey (download any version from a survey's page to start from). It is checked in full; it becomes the draft of the new survey's first version."
                </p>
                <UploadForm
                    action=staff::SURVEY_FILES.to_owned()
                    csrf=csrf.clone()
                    label="Definition file"
                    accept=DEFINITION_FILES
                    button="Check and add"
                />
                <CopyForm csrf choices=choices.clone() />
            </Page>
        }
    }))
}

/// A survey in the list: its title (to its page), status, version, responses and public address.
#[component]
fn SurveyRow(survey: Listed, link: String) -> impl IntoView {
    let (class, label) = status_tag(survey.status);
    view! {
        <tr>
            <td>
                <a class="link" href=staff::manage(&survey.slug)>
                    {survey.title}
                </a>
            </td>
            <td>
                <strong class=class>{label}</strong>
            </td>
            <td class="numeric">{survey.version.map_or_else(|| "none yet".to_owned(), |v| v.to_string())}</td>
            <td class="numeric">{crate::survey::thousands(survey.responses as usize)}</td>
            <td class="prose">{link}</td>
        </tr>
    }
}

/// Adds a survey as a copy of one of `choices` (addresses).
#[component]
fn CopyForm(csrf: String, choices: Vec<(String, String)>) -> impl IntoView {
    let first = choices.first().map(|(slug, _)| slug.clone()).unwrap_or_default();
    view! {
        <h2 class="heading-m">"Add a survey as a copy of another"</h2>
        <form method="post" action=staff::SURVEY_COPIES>
            <input type="hidden" name=CSRF_FIELD value=csrf />
            <Select name="from" label="Copy" items=choices chosen=first />
            <TextField
                id="id"
                name="id"
                label="Address of the new survey"
                no_spellcheck=true
                hint="Lower-case letters, numbers and dashes, like library-exit-2027. Residents see it in the link."
            />
            <TextField id="title" name="title" label="Title" />
            <button type="submit" class="button button--secondary">
                "Copy survey"
            </button>
        </form>
    }
}

/// An uploaded definition, checked in full, with what its file had that it does not keep;
/// problems point at their questions.
fn read_definition((file, name): &(Vec<u8>, Option<String>)) -> Result<Uploaded, Vec<Problem>> {
    Survey::from_file(file, name.as_deref()).map_err(|errors| problems_from(&errors))
}

pub async fn upload(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    headers: HeaderMap,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let file = read_upload_named(&admin.session, multipart).await?;
    let problems = match read_definition(&file) {
        Ok(Uploaded { survey, notes, .. }) => {
            match store::create(&state.db, Some(admin.id()), &survey, &notes).await? {
                Created::Id(_) => {
                    return Ok(Redirect::to(&Done::Created.at(staff::manage(survey.slug()))).into_response());
                }
                Created::SlugTaken => vec![Problem {
                    field: "file".into(),
                    message: format!(
                        "There is already a survey called {}. To change it, upload the file from that survey's page.",
                        survey.slug()
                    ),
                }],
            }
        }
        Err(problems) => problems,
    };
    list_page(&state, &admin, &headers, StatusCode::UNPROCESSABLE_ENTITY, problems).await
}

/// Copying a survey: which one, and the new one's id and title (checked with the definition).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CopyForm {
    #[serde(default)]
    from: String,
    #[serde(default, deserialize_with = "trimmed")]
    id: String,
    #[serde(default, deserialize_with = "trimmed")]
    title: String,
}

pub async fn copy(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    headers: HeaderMap,
    StaffForm(form): StaffForm<CopyForm>,
) -> Result<Response, AppError> {
    let from = store::find(&state.db, &form.from).await?;
    let mut definition = match store::draft(&state.db, from.id).await? {
        Some((draft, _)) if from.version.is_none() => draft,
        _ => state.surveys.current(&state.db, &from.slug).await?.ok_or(AppError::NotFound)?.survey.definition().clone(),
    };
    definition.id = form.id;
    definition.title = form.title;
    let problems = match Survey::parse(definition) {
        Ok(survey) => match store::create(&state.db, Some(admin.id()), &survey, &[]).await? {
            Created::Id(_) => {
                return Ok(Redirect::to(&Done::Created.at(staff::manage(survey.slug()))).into_response());
            }
            Created::SlugTaken => vec![Problem {
                field: "id".into(),
                message: format!("There is already a survey called {}", survey.slug()),
            }],
        },
        Err(errors) => problems_from(&errors),
    };
    list_page(&state, &admin, &headers, StatusCode::UNPROCESSABLE_ENTITY, problems).await
}

pub async fn manage(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(slug): Path<String>,
    headers: HeaderMap,
    Query(notice): Query<Notice>,
) -> Result<Response, AppError> {
    manage_page(&state, &admin, &slug, &headers, StatusCode::OK, Vec::new(), notice.done).await
}

async fn manage_page(
    state: &AppState,
    admin: &SignedIn,
    slug: &str,
    headers: &HeaderMap,
    status: StatusCode,
    problems: Vec<Problem>,
    done: Option<Done>,
) -> Result<Response, AppError> {
    let manage = Manage::load(state, slug, headers).await?;
    let csrf = admin.csrf.clone();
    Ok(render(Chrome::staff(&state.config, admin.nav()), status, move || {
        view! { <ManagePage manage csrf problems done /> }
    }))
}

/// What the page for managing one survey shows.
struct Manage {
    survey: store::Listed,
    versions: Vec<store::VersionRow>,
    /// Whether there is a draft of the next version, and what to fix in it before publishing.
    draft: Option<Vec<Problem>>,
    /// What the file the draft was uploaded from had that the draft does not keep.
    not_kept: Vec<String>,
    /// The places officers may take it at (none: any), and every place there is.
    chosen: Vec<i64>,
    places: Vec<crate::survey::lists::ListItem>,
    /// The address residents take it at.
    link: String,
    clock: crate::clock::CouncilTime,
}

impl Manage {
    async fn load(state: &AppState, slug: &str, headers: &HeaderMap) -> Result<Manage, AppError> {
        let survey = store::find(&state.db, slug).await?;
        let draft = store::draft(&state.db, survey.id).await?;
        Ok(Manage {
            versions: store::versions(&state.db, survey.id).await?,
            // Problems in the draft, shown before anyone tries to publish it.
            draft: draft.map(|(d, _)| Survey::parse(d).err().map(|e| problems_from(&e)).unwrap_or_default()),
            not_kept: store::import_notes(&state.db, survey.id).await?,
            chosen: crate::survey::lists::locations(&state.db, survey.id).await?,
            places: crate::survey::lists::active_items(&state.db, crate::survey::lists::List::Location).await?,
            link: public_link(state, headers, slug),
            clock: state.config.clock.clone(),
            survey,
        })
    }

    /// The first and last days it is open, as the date fields show them. `closes_at` is the first
    /// moment after the last day: the last day is the day before the one it falls on (also for
    /// dates saved at UTC midnight, before days were the council's).
    fn days(&self) -> (String, String) {
        let clock = &self.clock;
        let opens = self.survey.opens_at.map(|t| clock.day_of(t).to_string()).unwrap_or_default();
        let closes = self
            .survey
            .closes_at
            .map(|t| clock.day_of(t).yesterday().map(|d| d.to_string()).unwrap_or_default())
            .unwrap_or_default();
        (opens, closes)
    }
}

/// What the file the draft came from had that the draft does not keep, row by row: to read
/// before publishing.
#[component]
fn NotKept(notes: Vec<String>) -> impl IntoView {
    (!notes.is_empty()).then(|| {
        view! {
            <div class="inset">
                <h3 class="heading-s">
                    {format!(
                        "What the uploaded form had that the draft does not keep ({})",
                        crate::survey::thousands(notes.len()),
                    )}
                </h3>
                <p class="body">
                    "The draft asks what the form asked as far as this service can. Read what was left out or changed before publishing: add anything that matters in the draft's editor."
                </p>
                <ul class="list list--bullet">
                    {notes.into_iter().map(|n| view! { <li>{with_code(&n)}</li> }).collect_view()}
                </ul>
            </div>
        }
    })
}

/// A note's words with the names it quotes (`age`) set as code.
fn with_code(note: &str) -> AnyView {
    note.split('`')
        .enumerate()
        .map(|(i, part)| match i % 2 {
            1 => view! { <code>{part.to_owned()}</code> }.into_any(),
            _ => part.to_owned().into_any(),
        })
        .collect_view()
        .into_any()
}

#[component]
fn ManagePage(manage: Manage, csrf: String, problems: Vec<Problem>, done: Option<Done>) -> impl IntoView {
    let notice = match done {
        Some(Done::Created) => Some("Survey added. Check its draft, publish it, then open it."),
        Some(Done::Published) => {
            Some("Published. New residents get this version; anyone part-way through finishes on the one they started.")
        }
        Some(Done::Status) => Some("Saved."),
        Some(Done::Uploaded) => Some("The file is now the draft of the next version."),
        _ => None,
    };
    let (opens, closes) = manage.days();
    let Manage { survey, versions, draft, not_kept, chosen, places, link, clock } = manage;
    let slug = survey.slug.clone();
    let title = if problems.is_empty() { survey.title.clone() } else { format!("Error: {}", survey.title) };
    let (class, label) = status_tag(survey.status);
    view! {
        <Page title back=staff::SURVEYS.to_owned()>
            <ErrorSummary problems=problems.clone() />
            <Notification text=notice.map(str::to_owned) />
            <span class="caption-l">{slug.clone()}</span>
            <h1 class="heading-l">{survey.title.clone()}</h1>
            <p class="body">
                <strong class=class>{label}</strong>
                " "
                {format!("{} responses.", survey.responses)}
            </p>
            <h2 class="heading-m">"Address for residents"</h2>
            <p class="body prose">
                <a class="link" href=link.clone()>
                    {link.clone()}
                </a>
            </p>
            <p class="body">
                <a class="link" href=staff::qr(&slug)>
                    "QR code for posters (SVG)"
                </a>
            </p>
            <img class="qr" src=staff::qr(&slug) alt=format!("QR code for {link}") width="160" height="160" />
            <h2 class="heading-m">"Open or close"</h2>
            <OpenOrClose slug=slug.clone() csrf=csrf.clone() status=survey.status opens closes />
            <h2 class="heading-m">"Where officers take it"</h2>
            <WhereTaken slug=slug.clone() csrf=csrf.clone() places chosen />
            <h2 class="heading-m">"Versions"</h2>
            <p class="body">"Published versions never change. Responses keep the version they were answered on."</p>
            <Versions slug=slug.clone() versions clock />
            <h2 class="heading-m">"Next version"</h2>
            <NextVersion slug=slug.clone() csrf=csrf.clone() draft not_kept />
            <UploadForm
                action=staff::upload(&slug)
                csrf=csrf.clone()
                label="Or upload a definition file as the draft"
                accept=DEFINITION_FILES
                button="Check and upload"
                secondary=true
            />
        </Page>
    }
}

/// Opening and closing the survey, with its optional first and last days.
#[component]
fn OpenOrClose(slug: String, csrf: String, status: Status, opens: String, closes: String) -> impl IntoView {
    view! {
        <form method="post" action=staff::status(&slug) id="status">
            <input type="hidden" name=CSRF_FIELD value=csrf.clone() />
            <Fieldset legend="Status">
                <div class="radios">
                    <div class="radios__item">
                        <input
                            class="radios__input"
                            id="status-open"
                            name="status"
                            type="radio"
                            value=Status::Open.as_str()
                            checked=status == Status::Open
                        />
                        <label class="label radios__label" for="status-open">
                            "Open: residents can take it"
                        </label>
                    </div>
                    <div class="radios__item">
                        <input
                            class="radios__input"
                            id="status-closed"
                            name="status"
                            type="radio"
                            value=Status::Closed.as_str()
                            checked=status != Status::Open
                        />
                        <label class="label radios__label" for="status-closed">
                            "Closed: residents see a page saying so"
                        </label>
                    </div>
                </div>
            </Fieldset>
            <TextField id="opens" label="Opens on (optional)" kind="date" value=opens />
            <TextField id="closes" label="Last day (optional)" kind="date" value=closes />
            <button type="submit" class="button button--secondary">
                "Save"
            </button>
        </form>
    }
}

/// The places officers take it at.
#[component]
fn WhereTaken(
    slug: String,
    csrf: String,
    places: Vec<crate::survey::lists::ListItem>,
    chosen: Vec<i64>,
) -> impl IntoView {
    view! {
        <form method="post" action=staff::locations(&slug)>
            <input type="hidden" name=CSRF_FIELD value=csrf.clone() />
            <Fieldset
                legend="Locations for assisted entry"
                error_id="locations"
                hint="Tick none to allow every location."
            >
                <div class="checkboxes">
                    {places
                        .iter()
                        .map(|l| {
                            view! {
                                <Checkbox
                                    name="location"
                                    value=l.id.to_string()
                                    label=l.label.clone()
                                    checked=chosen.contains(&l.id)
                                />
                            }
                        })
                        .collect_view()}
                </div>
            </Fieldset>
            <button type="submit" class="button button--secondary">
                "Save locations"
            </button>
        </form>
    }
}

/// The published versions, newest first, each with its files.
#[component]
fn Versions(slug: String, versions: Vec<store::VersionRow>, clock: crate::clock::CouncilTime) -> impl IntoView {
    let version_rows = versions
        .into_iter()
        .map(|store::VersionRow { version: v, created_at: at, responses }| {
            view! {
                <tr>
                    <td>{clock.format_time(at)}</td>
                    <td>
                        <a class="link" href=staff::preview(&slug, v)>
                            "Preview"
                            <span class="visually-hidden">{format!(" version {v}")}</span>
                        </a>
                        " "
                        <a class="link" href=staff::version_file(&slug, v, "toml")>
                            "TOML"
                            <span class="visually-hidden">{format!(" of version {v}")}</span>
                        </a>
                        " "
                        <a class="link" href=staff::version_file(&slug, v, "json")>
                            "JSON"
                            <span class="visually-hidden">{format!(" of version {v}")}</span>
                        </a>
                        " "
                        <a class="link" href=staff::version_file(&slug, v, "xlsx")>
                            "XLSForm"
                            <span class="visually-hidden">{format!(" of version {v}")}</span>
                        </a>
                        " "
                        <a class="link" href=crate::paper::path(&slug, v)>
                            "Paper form"
                            <span class="visually-hidden">{format!(" of version {v}")}</span>
                        </a>
                    </td>
                    <td class="numeric">{v}</td>
                    <td class="numeric">{responses}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <ScrollingTable
            label="Published versions, newest first".to_owned()
            columns=vec!["Published", "Files", "Version", "Responses"]
            numeric_from=2
        >
            {version_rows}
        </ScrollingTable>
    }
}

/// The draft of the next version and what to fix in it, or a way to start one.
#[component]
fn NextVersion(slug: String, csrf: String, draft: Option<Vec<Problem>>, not_kept: Vec<String>) -> impl IntoView {
    match draft {
        Some(draft_problems) => view! {
            <p class="body">"There is a draft of the next version."</p>
            <NotKept notes=not_kept />
            {(!draft_problems.is_empty())
                .then(|| {
                    view! {
                        <div class="inset">
                            <h3 class="heading-s">"To fix before it can be published"</h3>
                            <ul class="list">
                                {draft_problems.iter().map(|p| view! { <li>{p.message.clone()}</li> }).collect_view()}
                            </ul>
                        </div>
                    }
                })}
            <p class="body">
                <a class="link" href=staff::draft(&slug)>
                    "Edit the draft"
                </a>
                " \u{b7} "
                <a class="link" href=staff::preview(&slug, "draft")>
                    "Preview the draft"
                </a>
            </p>
            <form method="post" action=staff::publish(&slug)>
                <input type="hidden" name=CSRF_FIELD value=csrf.clone() />
                <button type="submit" class="button">
                    "Publish the draft as a new version"
                </button>
            </form>
        }
        .into_any(),
        None => view! {
            <form method="post" action=staff::new_draft(&slug)>
                <input type="hidden" name=CSRF_FIELD value=csrf.clone() />
                <button type="submit" class="button button--secondary">
                    "Start the next version from the current one"
                </button>
            </form>
        }
        .into_any(),
    }
}

/// Opening and closing: the status, and optional first and last days.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusForm {
    status: Option<String>,
    #[serde(default, deserialize_with = "trimmed")]
    opens: String,
    #[serde(default, deserialize_with = "trimmed")]
    closes: String,
}

pub async fn set_status(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(slug): Path<String>,
    headers: HeaderMap,
    StaffForm(form): StaffForm<StatusForm>,
) -> Result<Response, AppError> {
    let survey = store::find(&state.db, &slug).await?;
    let clock = &state.config.clock;
    let date = |field: &str, value: &str| (!value.is_empty()).then(|| clock.parse_day(field, value)).transpose();
    let mut problems = Vec::new();
    let status = form.status.as_deref().and_then(Status::parse).filter(|s| *s != Status::Draft);
    if status.is_none() {
        problems.push(Problem { field: "status-open".into(), message: "Select open or closed".into() });
    }
    if status == Some(Status::Open) && survey.version.is_none() {
        problems.push(Problem {
            field: "status-open".into(),
            message: "Publish a version before opening the survey".into(),
        });
    }
    // A survey opens at the start of its first day and closes at the end of its last, in the
    // council's time zone: the last Sunday of October has 25 hours.
    let (opens, closes) = match (date("opens", &form.opens), date("closes", &form.closes)) {
        (Ok(o), Ok(c)) => (o.map(|o| clock.start_of(o)), c.map(|c| clock.end_of(c))),
        _ => {
            problems.push(Problem { field: "opens".into(), message: "Enter dates like 2027-03-31".into() });
            (None, None)
        }
    };
    if let (Some(o), Some(c)) = (opens, closes)
        && c <= o
    {
        problems.push(Problem {
            field: "closes".into(),
            message: "The last day must be on or after the day it opens".into(),
        });
    }
    if !problems.is_empty() {
        return manage_page(&state, &admin, &slug, &headers, StatusCode::UNPROCESSABLE_ENTITY, problems, None).await;
    }
    store::set_status(&state.db, admin.id(), &survey, status.unwrap_or(Status::Closed), opens, closes).await?;
    Ok(Redirect::to(&Done::Status.at(staff::manage(&slug))).into_response())
}

pub async fn new_draft(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(slug): Path<String>,
    _: StaffForm<NoFields>,
) -> Result<Response, AppError> {
    let survey = store::find(&state.db, &slug).await?;
    let current = state.surveys.current(&state.db, &slug).await?.ok_or(AppError::NotFound)?;
    store::start_draft(&state.db, admin.id(), survey.id, current.survey.definition()).await?;
    Ok(Redirect::to(&staff::draft(&slug)).into_response())
}

pub async fn upload_draft(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(slug): Path<String>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let survey = store::find(&state.db, &slug).await?;
    let file = read_upload_named(&admin.session, multipart).await?;
    let problems = match read_definition(&file) {
        Ok(Uploaded { survey: parsed, notes, .. }) if parsed.slug() == slug => {
            store::replace_draft(&state.db, Some(admin.id()), survey.id, &parsed, &notes).await?;
            return Ok(Redirect::to(&Done::Uploaded.at(staff::manage(&slug))).into_response());
        }
        Ok(Uploaded { survey: parsed, .. }) => vec![Problem {
            field: "file".into(),
            message: format!("The file is for the survey {}, not {slug}", parsed.slug()),
        }],
        Err(problems) => problems,
    };
    manage_page(&state, &admin, &slug, &headers, StatusCode::UNPROCESSABLE_ENTITY, problems, None).await
}

pub async fn publish(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(slug): Path<String>,
    headers: HeaderMap,
    _: StaffForm<NoFields>,
) -> Result<Response, AppError> {
    let survey = store::find(&state.db, &slug).await?;
    let problems = match store::publish(&state.db, Some(admin.id()), survey.id).await? {
        Published::Version(_) => {
            return Ok(Redirect::to(&Done::Published.at(staff::manage(&slug))).into_response());
        }
        Published::Invalid(errors) => problems_from(&errors),
        Published::NoDraft => {
            vec![Problem { field: "definition".into(), message: "There is no draft to publish".into() }]
        }
    };
    manage_page(&state, &admin, &slug, &headers, StatusCode::UNPROCESSABLE_ENTITY, problems, None).await
}

pub async fn download(
    State(state): State<AppState>,
    AdminUser(_admin): AdminUser,
    Path((slug, file)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let survey = store::find(&state.db, &slug).await?;
    let (version, format) = file.rsplit_once('.').ok_or(AppError::NotFound)?;
    // `draft.toml`: the next version as it stands, to translate or change offline and upload again.
    let text = if version == "draft" {
        let (definition, _) = store::draft(&state.db, survey.id).await?.ok_or(AppError::NotFound)?;
        store::document(&definition, format)?
    } else {
        let version: i64 = version.parse().map_err(|_| AppError::NotFound)?;
        store::version_document(&state.db, survey.id, version, format).await?
    };
    let content_type = match format {
        "json" => "application/json",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "application/toml; charset=utf-8",
    };
    let disposition = format!("attachment; filename=\"{slug}-v{version}.{format}\"");
    Ok(([(header::CONTENT_TYPE, content_type.to_owned()), (header::CONTENT_DISPOSITION, disposition)], text)
        .into_response())
}

pub async fn qr(
    State(state): State<AppState>,
    AdminUser(_admin): AdminUser,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    store::find(&state.db, &slug).await?;
    let link = public_link(&state, &headers, &slug);
    Ok(([(header::CONTENT_TYPE, "image/svg+xml")], crate::ui::qr_code_svg(&link)?).into_response())
}

/// Where a survey is taken: locations ticked from the list (none ticked means everywhere).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocationsForm {
    #[serde(default)]
    location: Vec<String>,
}

pub async fn set_locations(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(slug): Path<String>,
    StaffForm(form): StaffForm<LocationsForm>,
) -> Result<Response, AppError> {
    let survey = store::find(&state.db, &slug).await?;
    let places = crate::survey::lists::active_items(&state.db, crate::survey::lists::List::Location).await?;
    let mut ids = Vec::new();
    for value in &form.location {
        let id = value
            .parse::<i64>()
            .ok()
            .filter(|id| places.iter().any(|l| l.id == *id))
            .ok_or_else(|| AppError::BadRequest("Choose locations from the list.".into()))?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    store::set_locations(&state.db, admin.id(), &survey, &ids).await?;
    Ok(Redirect::to(&Done::Status.at(staff::manage(&slug))).into_response())
}
