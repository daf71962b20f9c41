//! The resident flow: start page, one question per page, check answers, send, confirmation.
//!
//! Every page is a plain GET, and every form a plain POST answered with a redirect (post, redirect,
//! get). The server decides what comes next from the survey's rules and the saved draft.
//!
//! Many residents answer on a library's or a relative's computer, so nothing stays behind for the
//! next person: saving to come back later and sending both end the draft in the browser, and the
//! confirmation shows the reference once.

mod draft;
pub mod pages;
pub mod response;
pub mod return_code;

use crate::error::AppError;
use crate::i18n::Language;
use crate::state::AppState;
use crate::survey::{
    ANSWER_FIELD, Availability, OTHER_FIELD, Progress, Route, Survey, SurveyVersion, keep_input, read_answer,
};
use crate::throttle::{self, ClientAddress, Guarded};
use crate::ui::{Chrome, Form, FormFields, LanguageLink, NoFields, render};
use axum::Router;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::cookie::CookieJar;
use draft::{Draft, Kept};
use leptos::prelude::*;
use pages::{
    AlreadySentPage, CheckPage, CheckRow, ClosedPage, DonePage, InProgress, QuestionPage, ReturnPage, SavedPage,
    StartPage,
};
use return_code::ReturnCode;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Arc;

pub use draft::{Attribution, delete_expired as delete_expired_drafts, end_for_session as end_officer_drafts};

/// The pages of the flow and the answers given on them.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/s/{slug}", get(start_page))
        .route("/s/{slug}/q/{question}", get(question_page).post(answer))
        .route("/s/{slug}/check", get(check_page))
        .route("/s/{slug}/done", get(done_page))
        .route("/pictures/{file}", get(picture))
}

/// An option's picture (`/pictures/smartphone.svg`), built in and the same in every version: kept
/// by browsers for a day.
async fn picture(Path(file): Path<String>) -> Result<Response, AppError> {
    let svg = file.strip_suffix(".svg").and_then(crate::survey::picture).ok_or(AppError::NotFound)?;
    let headers = [
        (axum::http::header::CONTENT_TYPE, "image/svg+xml"),
        (axum::http::header::CACHE_CONTROL, "public, max-age=86400"),
    ];
    Ok((headers, svg).into_response())
}

/// The posts that create something (a draft, a response, a return code lookup): the app limits
/// these per address. Answering changes only the resident's own draft (one per start, and one
/// return code per draft), so it is bounded by the limit on starting and is never refused: a
/// library where a dozen residents share one address must not be told "Too many attempts" halfway.
pub fn creating_router() -> Router<AppState> {
    Router::new()
        .route("/s/{slug}/start", post(start))
        .route("/s/{slug}/submit", post(submit))
        .route("/s/{slug}/return", get(return_page).post(return_with_code))
}

/// The question form's second button: save the answers so far and come back later.
const SAVE_FIELD: &str = "save";

/// Wrong return codes allowed from one address, and from everyone together, in the throttle's
/// window. The total keeps a crowd of addresses from guessing at scale; reaching it shuts lookups
/// for everyone for a while, which is the lesser harm.
const CODE_TRIES_PER_ADDRESS: i64 = 10;
const CODE_TRIES_IN_TOTAL: i64 = 300;

/// Every URL of the flow, in one place.
pub use crate::paths::resident as paths;

/// `?change=1`: the resident came from the check-your-answers page and goes back there.
/// `?resumed=1`: they have just come back with a return code.
/// `?lang=cy`: the language they chose from the links at the top of the page, or a poster's link.
#[derive(Debug, Default, Deserialize)]
struct Mode {
    change: Option<String>,
    resumed: Option<String>,
    lang: Option<String>,
    /// `?postcode=found` or `unknown`: the ward question after a postcode looked up.
    postcode: Option<String>,
}

impl Mode {
    fn changing(&self) -> bool {
        self.change.is_some()
    }
}

/// The resident's draft for this survey, with the version it was started on (which may be older
/// than the one new residents get: a draft always finishes on its own version).
struct Resumed {
    draft: Draft,
    version: SurveyVersion,
    /// The version's survey in the language the resident chose.
    survey: Arc<Survey>,
}

impl Resumed {
    fn new(draft: Draft, version: SurveyVersion) -> Resumed {
        let survey = version.survey.translated(draft.progress.language.as_ref());
        Resumed { draft, version, survey }
    }

    fn slug(&self) -> &str {
        self.survey.slug()
    }

    fn route(&self) -> Route<'_> {
        Route::new(&self.survey, &self.draft.progress)
    }

    /// Switches to the language in `?lang=`, if the survey offers it; whether it changed.
    fn choose_language(&mut self, mode: &Mode) -> bool {
        let Some(language) = mode.lang.as_deref().and_then(|tag| self.version.survey.offered_language(tag)) else {
            return false;
        };
        let chosen = (language != self.version.survey.language()).then(|| language.clone());
        if chosen == self.draft.progress.language {
            return false;
        }
        self.draft.progress.language = chosen;
        self.survey = self.version.survey.translated(self.draft.progress.language.as_ref());
        true
    }

    /// Where the resident should be: the first question they have not been past, else the check page.
    fn next_stop(&self, changing: bool) -> String {
        match self.route().first_unseen() {
            Some(q) => paths::question(self.slug(), &q.id, changing),
            None => paths::check(self.slug()),
        }
    }
}

async fn resume(state: &AppState, slug: &str, jar: &CookieJar, kept: Kept) -> Result<Option<Resumed>, AppError> {
    let Some(token) = draft::token(jar, kept) else { return Ok(None) };
    let Some(draft) = draft::find(&state.db, &token).await? else { return Ok(None) };
    let version = state.surveys.answering(&state.db, draft.version_id).await?;
    Ok((version.survey.slug() == slug).then(|| Resumed::new(draft, version)))
}

/// The survey in the path, and this browser's draft (or receipt) of it if there is one.
async fn resume_from(parts: &mut Parts, state: &AppState, kept: Kept) -> Result<(String, Option<Resumed>), Response> {
    let Path(params) = Path::<HashMap<String, String>>::from_request_parts(parts, state)
        .await
        .map_err(|_| AppError::NotFound.into_response())?;
    let slug = params.get("slug").ok_or_else(|| AppError::NotFound.into_response())?.clone();
    let jar = CookieJar::from_headers(&parts.headers);
    let resumed = resume(state, &slug, &jar, kept).await.map_err(IntoResponse::into_response)?;
    Ok((slug, resumed))
}

/// An unsent draft for the survey in the path. As an extractor it sends the resident to the right
/// page instead when there is nothing to resume (the start page) or the draft was sent (the
/// confirmation), so the handlers that take it only ever see a draft in progress.
struct Unsent(Resumed);

impl FromRequestParts<AppState> for Unsent {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let (slug, resumed) = resume_from(parts, state, Kept::Draft).await?;
        match resumed {
            None => Err(Redirect::to(&paths::start_page(&slug)).into_response()),
            // Sent already: from another tab, or by this very request's first run, whose commit
            // went through before its database connection did (see `db::retry`). The browser
            // still holds the draft: it becomes the receipt, as sending makes it.
            Some(r) if r.draft.response_id.is_some() => {
                let jar = CookieJar::from_headers(&parts.headers);
                Err((sent(jar, &slug, state), Redirect::to(&paths::done(&slug))).into_response())
            }
            Some(r) => Ok(Unsent(r)),
        }
    }
}

/// A resident who has just sent their answers to the survey in the path (the receipt cookie), for
/// what follows (asking to be contacted). Anyone else is sent to the start page.
pub struct Sent {
    pub survey_id: i64,
    pub slug: String,
    /// The draft's key, for what the resident agrees to after sending.
    pub token_hash: String,
}

impl FromRequestParts<AppState> for Sent {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let (slug, resumed) = resume_from(parts, state, Kept::Receipt).await?;
        match resumed {
            Some(r) if r.draft.response_id.is_some() => {
                Ok(Sent { survey_id: r.version.survey_id, slug, token_hash: r.draft.token_hash().to_owned() })
            }
            _ => Err(Redirect::to(&paths::start_page(&slug)).into_response()),
        }
    }
}

async fn current_version(state: &AppState, slug: &str) -> Result<SurveyVersion, AppError> {
    state.surveys.current(&state.db, slug).await?.ok_or(AppError::NotFound)
}

/// The address residents use, for links and posters: `PUBLIC_URL` if set, else this request's host.
pub fn public_link(state: &AppState, headers: &axum::http::HeaderMap, slug: &str) -> String {
    format!("{}{}", public_base(state, headers), paths::start_page(slug))
}

/// The site's address for residents, without a trailing slash: `PUBLIC_URL`, or the request's.
pub fn public_base(state: &AppState, headers: &axum::http::HeaderMap) -> String {
    let base = state.config.public_url.clone().unwrap_or_else(|| {
        let host = headers.get(axum::http::header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
        let scheme = if state.config.secure_cookies { "https" } else { "http" };
        format!("{scheme}://{host}")
    });
    base.trim_end_matches('/').to_owned()
}

pub fn chrome(state: &AppState, slug: &str) -> Chrome {
    Chrome { privacy: Some(paths::privacy(slug)), ..Chrome::council(&state.config) }
}

/// The frame of a page of `survey` (in the resident's language), with a link to the same page
/// (`uri`) in each language the survey is offered in.
fn chrome_in(state: &AppState, survey: &Survey, uri: &Uri) -> Chrome {
    let offered = survey.languages();
    let languages = if offered.len() < 2 {
        Vec::new()
    } else {
        let kept: Vec<(String, String)> = form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes())
            .filter(|(k, _)| k != "lang")
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        offered
            .iter()
            .map(|o| {
                let query = form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(&kept)
                    .append_pair("lang", o.language.as_str())
                    .finish();
                LanguageLink {
                    language: o.language.clone(),
                    name: o.name.clone(),
                    href: format!("{}?{query}", uri.path()),
                }
            })
            .collect()
    };
    // The privacy notice in the same language.
    let own = offered.first().map(|o| &o.language);
    let privacy = if own == Some(survey.language()) {
        paths::privacy(survey.slug())
    } else {
        format!("{}?lang={}", paths::privacy(survey.slug()), survey.language())
    };
    Chrome { language: survey.language().clone(), languages, privacy: Some(privacy), ..chrome(state, survey.slug()) }
}

/// The language a resident's page at `uri` is in: the one in `?lang=` if the survey offers it,
/// else the resident's draft's, else the survey's own. `None` outside a survey that exists.
pub async fn language_for(
    state: &AppState,
    uri: &Uri,
    headers: &axum::http::HeaderMap,
) -> Result<Option<Language>, AppError> {
    let Some(slug) = uri.path().strip_prefix("/s/").and_then(|rest| rest.split('/').next()) else { return Ok(None) };
    let Some(version) = state.surveys.current(&state.db, slug).await? else { return Ok(None) };
    let mode: Mode = form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes())
        .find(|(k, _)| k == "lang")
        .map(|(_, v)| Mode { lang: Some(v.into_owned()), ..Mode::default() })
        .unwrap_or_default();
    if let Some(language) = chosen(&version.survey, &mode) {
        return Ok(Some(language.clone()));
    }
    let jar = CookieJar::from_headers(headers);
    let resumed = resume(state, slug, &jar, Kept::Draft).await?;
    Ok(Some(resumed.map_or_else(|| version.survey.language().clone(), |r| r.survey.language().clone())))
}

/// The language in `?lang=`, if the survey offers it (an unknown one is ignored: the survey's own).
fn chosen<'a>(survey: &'a Survey, mode: &Mode) -> Option<&'a Language> {
    mode.lang.as_deref().and_then(|tag| survey.offered_language(tag))
}

/// Adds `?lang=` to a path when the page is not in the survey's own language, for forms whose
/// page has no draft to remember it (the start and return-code pages) and links back into the
/// survey.
pub fn keeping_language(path: String, survey: &Survey, language: Option<&Language>) -> String {
    match language {
        Some(language) if language != survey.language() => format!("{path}?lang={language}"),
        _ => path,
    }
}

async fn start_page(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(mode): Query<Mode>,
    uri: Uri,
    jar: CookieJar,
) -> Result<Response, AppError> {
    let version = current_version(&state, &slug).await?;
    let mut resumed = resume(&state, &slug, &jar, Kept::Draft)
        .await?
        .filter(|r| r.draft.response_id.is_none() && !r.draft.progress.seen.is_empty());
    // A language chosen here is the draft's too, so "Continue where you left off" goes on in it.
    if let Some(r) = resumed.as_mut()
        && r.choose_language(&mode)
    {
        draft::save(&state.db, &r.draft, state.config.draft_ttl_secs()).await?;
    }
    let in_progress = resumed.as_ref().map(|r| InProgress { continue_to: r.next_stop(false) });
    let language =
        chosen(&version.survey, &mode).or_else(|| resumed.as_ref().and_then(|r| r.draft.progress.language.as_ref()));
    // Someone part-way through may finish; nobody new starts a survey that is not open.
    if in_progress.is_none()
        && let Some(closed) = not_open(&state, &version, language, &uri)
    {
        return Ok(closed);
    }
    let survey = version.survey.translated(language);
    let start_action = keeping_language(paths::start(&slug), &version.survey, language);
    Ok(render(chrome_in(&state, &survey, &uri), StatusCode::OK, move || {
        view! { <StartPage survey in_progress start_action /> }
    }))
}

/// Starts a new draft. A draft this browser had open is thrown away ("Not you? Start again"), so
/// the next person at a shared computer cannot go back to it.
async fn start(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(mode): Query<Mode>,
    uri: Uri,
    jar: CookieJar,
    _: Form<NoFields>,
) -> Result<Response, AppError> {
    let version = current_version(&state, &slug).await?;
    let language = chosen(&version.survey, &mode);
    if let Some(closed) = not_open(&state, &version, language, &uri) {
        return Ok(closed);
    }
    if let Some(token) = draft::token(&jar, Kept::Draft) {
        draft::discard(&state.db, &draft::hash(&token)).await?;
    }
    let first = paths::question(&slug, &version.survey.questions()[0].id, false);
    let progress =
        Progress { language: language.filter(|l| *l != version.survey.language()).cloned(), ..Progress::default() };
    hand_over(&state, jar, &version, &Attribution::web(), &progress, &first).await
}

/// The page for a survey that is not taking answers now, if it is not: a plain page saying so and
/// where to get help, not an error.
fn not_open(state: &AppState, version: &SurveyVersion, language: Option<&Language>, uri: &Uri) -> Option<Response> {
    let availability = version.availability(crate::db::now());
    if availability == Availability::Open {
        return None;
    }
    let (survey, clock) = (version.survey.translated(language), state.config.clock.clone());
    Some(render(
        chrome_in(state, &survey, uri),
        StatusCode::OK,
        move || view! { <ClosedPage survey availability clock /> },
    ))
}

/// Starts a draft with these answers and attribution, gives the browser its cookie, and sends it
/// to `to`. Officers' assisted entries start here too, so they end on the same pages and rules.
pub async fn hand_over(
    state: &AppState,
    jar: CookieJar,
    version: &SurveyVersion,
    attribution: &Attribution,
    progress: &Progress,
    to: &str,
) -> Result<Response, AppError> {
    let ttl = state.config.draft_ttl_secs();
    let token = draft::create(&state.db, version.version_id, ttl, attribution, progress).await?;
    let jar = jar.add(draft::cookie(Kept::Draft, version.survey.slug(), token, ttl, state.config.secure_cookies));
    Ok((jar, Redirect::to(to)).into_response())
}

async fn question_page(
    State(state): State<AppState>,
    Path((_, question_id)): Path<(String, String)>,
    Query(mode): Query<Mode>,
    Unsent(mut resumed): Unsent,
) -> Result<Response, AppError> {
    if resumed.choose_language(&mode) {
        draft::save(&state.db, &resumed.draft, state.config.draft_ttl_secs()).await?;
    }
    let survey = &resumed.survey;
    let position = survey.position(&question_id).ok_or(AppError::NotFound)?;
    if !resumed.route().is_shown(position) {
        return Ok(Redirect::to(&resumed.next_stop(mode.changing())).into_response());
    }
    let answer = resumed.draft.progress.answers.get(&question_id).cloned();
    Ok(question_response(&state, &resumed, position, &mode, answer, None))
}

/// A postcode that fills the ward question: the ward the survey's lookup has for it is chosen for
/// the resident to check (`found`), or they choose it from the list (`unknown`). The postcode
/// itself goes no further than this request. `None` when the question fills nothing.
async fn fill_from_postcode(
    state: &AppState,
    resumed: &mut Resumed,
    question: &crate::survey::Question,
    typed: Option<&str>,
) -> Result<Option<(String, &'static str)>, AppError> {
    let Some(ward) = question.postcode.as_ref().and_then(|p| p.fills.clone()) else { return Ok(None) };
    let Some(postcode) = typed.and_then(crate::survey::typed::Postcode::parse) else { return Ok(None) };
    let found = crate::survey::postcodes::ward_for(&state.db, resumed.version.survey_id, &postcode).await?;
    let found = found.filter(|id| resumed.survey.question(&ward).is_some_and(|q| q.option(id).is_some()));
    Ok(Some(match found {
        Some(id) => {
            resumed.draft.progress.answers.insert(ward.clone(), crate::survey::Answer::Choice(id));
            (ward, "found")
        }
        None => {
            // A new postcode replaces what an earlier one chose: no ward is chosen for them now.
            resumed.draft.progress.answers.remove(&ward);
            (ward, "unknown")
        }
    }))
}

/// Saves the draft for the resident to come back to, shows the return code, and ends the draft in
/// this browser.
async fn save_for_later(
    state: &AppState,
    jar: CookieJar,
    headers: &axum::http::HeaderMap,
    resumed: &Resumed,
) -> Result<Response, AppError> {
    let slug = resumed.slug().to_owned();
    // The whole address, to write down and type on another device.
    let address = format!("{}/return", public_link(state, headers, &slug));
    let Some((code, expires_at)) =
        draft::save_for_return(&state.db, &state.key, &resumed.draft, state.config.draft_ttl_secs()).await?
    else {
        return Ok(Redirect::to(&paths::done(&slug)).into_response());
    };
    let survey = resumed.survey.clone();
    let chrome = Chrome { languages: Vec::new(), ..chrome_in(state, &survey, &Uri::from_static("/")) };
    let (code, clock) = (code.to_string(), state.config.clock.clone());
    let page = render(chrome, StatusCode::OK, move || view! { <SavedPage survey code expires_at address clock /> });
    Ok((jar.add(draft::removal(Kept::Draft, &slug)), page).into_response())
}

fn question_response(
    state: &AppState,
    resumed: &Resumed,
    position: usize,
    mode: &Mode,
    answer: Option<crate::survey::Answer>,
    error: Option<String>,
) -> Response {
    let slug = resumed.slug();
    let survey = &resumed.survey;
    let question = survey.questions()[position].clone();
    let back = if mode.changing() {
        paths::check(slug)
    } else {
        match resumed.route().previous_before(position) {
            Some(previous) => paths::question(slug, &previous.id, false),
            None => paths::start_page(slug),
        }
    };
    let action = paths::question(slug, &question.id, mode.changing());
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let survey_title = survey.title().to_owned();
    let welcome_back = mode.resumed.is_some().then(|| paths::start(slug));
    // The page's own address (the form posts back to it), for the links to it in other languages.
    let page = action.parse::<Uri>().unwrap_or_else(|_| Uri::from_static("/"));
    // After a postcode: the ward it chose, to check, or a list to choose from.
    let filled =
        survey.questions().iter().any(|q| q.postcode.as_ref().and_then(|p| p.fills.as_ref()) == Some(&question.id));
    let looked_up = match mode.postcode.as_deref() {
        Some("found") if filled => Some(crate::i18n::text_in(survey.language(), "postcode-found")),
        Some("unknown") if filled => Some(crate::i18n::text_in(survey.language(), "postcode-unknown")),
        _ => None,
    };
    render(chrome_in(state, survey, &page), status, move || {
        view! { <QuestionPage survey_title question answer error action back save=true welcome_back looked_up /> }
    })
}

async fn answer(
    State(state): State<AppState>,
    Path((slug, question_id)): Path<(String, String)>,
    Query(mode): Query<Mode>,
    jar: CookieJar,
    headers: axum::http::HeaderMap,
    Unsent(mut resumed): Unsent,
    form: FormFields,
) -> Result<Response, AppError> {
    let survey = resumed.survey.clone();
    let position = survey.position(&question_id).ok_or(AppError::NotFound)?;
    if !resumed.route().is_shown(position) {
        return Err(AppError::NotApplicable { continue_to: resumed.next_stop(mode.changing()) });
    }
    form.expect_only(&[ANSWER_FIELD, OTHER_FIELD, SAVE_FIELD])?;
    let saving = form.get(SAVE_FIELD).is_some();
    let question = &survey.questions()[position];
    let answer = match read_answer(question, &form.0, state.config.clock.today()) {
        // Saving with nothing chosen is not skipping the question: they come back to it.
        Ok(None) if saving => None,
        Ok(answer) => Some(answer),
        // Saving to come back later keeps what can be kept; this question is asked again then.
        Err(_) if saving => None,
        Err(problem) => {
            let kept = keep_input(question, &form.0);
            return Ok(question_response(&state, &resumed, position, &mode, kept, Some(problem.0)));
        }
    };

    if let Some(answer) = answer {
        let progress = &mut resumed.draft.progress;
        match answer {
            Some(answer) => progress.answers.insert(question_id.clone(), answer),
            None => progress.answers.remove(&question_id),
        };
        progress.seen.insert(question_id);
    }
    if saving {
        return save_for_later(&state, jar, &headers, &resumed).await;
    }
    let looked_up = fill_from_postcode(&state, &mut resumed, question, form.get(ANSWER_FIELD)).await?;
    let ttl = state.config.draft_ttl_secs();
    if !draft::save(&state.db, &resumed.draft, ttl).await? {
        // Sent from another tab in the meantime.
        return Ok(Redirect::to(&paths::done(&slug)).into_response());
    }

    let next = match looked_up {
        // On to the ward the postcode chose (or did not), to check it.
        Some((ward, how)) => format!(
            "{}{}postcode={how}",
            paths::question(&slug, &ward, mode.changing()),
            if mode.changing() { "&" } else { "?" }
        ),
        None if mode.changing() => {
            // Back to the check page, unless the change opened questions they have not seen yet.
            resumed.next_stop(true)
        }
        None => match resumed.route().next_after(position) {
            Some(q) => paths::question(&slug, &q.id, false),
            None => paths::check(&slug),
        },
    };
    let token = draft::token(&jar, Kept::Draft).unwrap_or_default();
    let jar = jar.add(draft::cookie(Kept::Draft, &slug, token, ttl, state.config.secure_cookies));
    Ok((jar, Redirect::to(&next)).into_response())
}

async fn check_page(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(mode): Query<Mode>,
    uri: Uri,
    Unsent(mut resumed): Unsent,
) -> Result<Response, AppError> {
    if resumed.choose_language(&mode) {
        draft::save(&state.db, &resumed.draft, state.config.draft_ttl_secs()).await?;
    }
    let route = resumed.route();
    if let Some(q) = route.first_unseen() {
        return Ok(Redirect::to(&paths::question(&slug, &q.id, false)).into_response());
    }
    let answers = &resumed.draft.progress.answers;
    let rows: Vec<CheckRow> = route
        .shown_questions()
        .filter(|q| q.kind.asks())
        .map(|q| CheckRow {
            question: q.text.clone(),
            answer: match answers.get(&q.id) {
                // A postcode that only chose the ward: given, and not kept.
                Some(crate::survey::Answer::Text(kept))
                    if kept.is_empty() && q.kind == crate::survey::Kind::Postcode =>
                {
                    vec![crate::i18n::text_in(resumed.survey.language(), "postcode-not-kept")]
                }
                Some(a) => a.describe(q),
                None => Vec::new(),
            },
            change: paths::question(&slug, &q.id, true),
        })
        .collect();
    let back = route
        .shown_questions()
        .last()
        .map(|q| paths::question(&slug, &q.id, false))
        .unwrap_or_else(|| paths::start_page(&slug));
    let survey_title = resumed.survey.title().to_owned();
    let submit = paths::submit(&slug);
    Ok(render(chrome_in(&state, &resumed.survey, &uri), StatusCode::OK, move || {
        view! { <CheckPage survey_title rows submit back /> }
    }))
}

/// Sends the answers. The draft cookie ends here; a receipt cookie takes its place for an hour, for
/// the confirmation page and asking to be contacted.
async fn submit(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    jar: CookieJar,
    Unsent(resumed): Unsent,
    _: Form<NoFields>,
) -> Result<Response, AppError> {
    let route = resumed.route();
    if route.first_unseen().is_some() {
        return Ok(Redirect::to(&resumed.next_stop(false)).into_response());
    }
    if resumed.draft.attribution.officer_id.is_some() {
        crate::auth::check_assisted(&state, resumed.draft.attribution.entry()).await?;
    }
    response::submit(&state.db, &state.config.clock, &resumed.draft, &resumed.version, &route).await?;
    Ok((sent(jar, &slug, &state), Redirect::to(&paths::done(&slug))).into_response())
}

/// The cookies once a draft is sent: the draft's ends, and a receipt with the same token takes its
/// place for an hour.
fn sent(jar: CookieJar, slug: &str, state: &AppState) -> CookieJar {
    let token = draft::token(&jar, Kept::Draft).unwrap_or_default();
    jar.add(draft::removal(Kept::Draft, slug)).add(draft::cookie(
        Kept::Receipt,
        slug,
        token,
        draft::RECEIPT_SECS,
        state.config.secure_cookies,
    ))
}

/// The confirmation. The reference and the help for the resident's barriers are shown on the
/// first visit only: a later visit from the same browser (the next person at a library computer)
/// learns nothing about the answers.
async fn done_page(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    uri: Uri,
    jar: CookieJar,
) -> Result<Response, AppError> {
    let resumed = resume(&state, &slug, &jar, Kept::Receipt).await?;
    let Some((resumed, response_id)) = resumed.and_then(|r| r.draft.response_id.map(|id| (r, id))) else {
        return Ok(Redirect::to(&paths::start_page(&slug)).into_response());
    };
    if !draft::claim_receipt(&state.db, resumed.draft.token_hash()).await? {
        let survey = resumed.survey.clone();
        return Ok(render(
            chrome_in(&state, &survey, &uri),
            StatusCode::OK,
            move || view! { <AlreadySentPage survey /> },
        ));
    }
    let receipt = response::receipt(&state.db, response_id).await?.ok_or(AppError::NotFound)?;
    let survey = resumed.survey.clone();
    // The reference is shown once: no links to this page in other languages, which would lose it.
    let chrome = Chrome { languages: Vec::new(), ..chrome_in(&state, &survey, &uri) };
    let barriers = receipt.barriers.iter().collect();
    let reference = receipt.reference;
    let assisted = resumed.draft.attribution.officer_id.is_some();
    Ok(render(chrome, StatusCode::OK, move || {
        view! { <DonePage survey reference barriers assisted /> }
    }))
}

async fn return_page(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(mode): Query<Mode>,
    uri: Uri,
) -> Result<Response, AppError> {
    let version = current_version(&state, &slug).await?;
    Ok(return_form(&state, &version, &mode, &uri, String::new(), None))
}

fn return_form(
    state: &AppState,
    version: &SurveyVersion,
    mode: &Mode,
    uri: &Uri,
    typed: String,
    problem: Option<String>,
) -> Response {
    let language = chosen(&version.survey, mode);
    let survey = version.survey.translated(language);
    let action = keeping_language(paths::return_page(survey.slug()), &version.survey, language);
    let status = if problem.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    render(chrome_in(state, &survey, uri), status, move || view! { <ReturnPage survey action typed problem /> })
}

/// The form a return code is typed into (here, and by an officer at `/staff/assist`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeForm {
    #[serde(default)]
    pub code: String,
}

/// Looks up a return code and opens its draft in this browser, at the first question not yet
/// answered. Unknown, expired and sent codes get the same answer; every lookup is limited per
/// address and in total, and a right code does not count against the limits.
async fn return_with_code(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(mode): Query<Mode>,
    uri: Uri,
    address: ClientAddress,
    jar: CookieJar,
    Form(CodeForm { code: typed }): Form<CodeForm>,
) -> Result<Response, AppError> {
    let version = current_version(&state, &slug).await?;
    let code = match ReturnCode::parse(&typed) {
        Ok(code) => code,
        Err(problem) => return Ok(return_form(&state, &version, &mode, &uri, typed, Some(problem.0.to_owned()))),
    };
    let attempt =
        throttle::guess(&state.db, Guarded::ReturnCode, &address, CODE_TRIES_PER_ADDRESS, CODE_TRIES_IN_TOTAL).await?;
    let opened = match open_by_code(&state, &code, Some(&slug), None).await? {
        Some(opened) => opened,
        None => {
            attempt.fail();
            let message =
                "We could not find saved answers for that code. Check the code, or start the survey again".to_owned();
            return Ok(return_form(&state, &version, &mode, &uri, typed, Some(message)));
        }
    };
    attempt.forgive(&state.db).await?;
    let to = format!("{}?resumed=1", opened.next);
    Ok((opened.into_cookie(&state, jar), Redirect::to(&to)).into_response())
}

/// A saved draft opened with its return code.
pub struct Opened {
    slug: String,
    token: String,
    /// The first question not yet answered, or the check page.
    pub next: String,
}

impl Opened {
    /// The browser's cookie for the draft.
    pub fn into_cookie(self, state: &AppState, jar: CookieJar) -> CookieJar {
        jar.add(draft::cookie(
            Kept::Draft,
            &self.slug,
            self.token,
            state.config.draft_ttl_secs(),
            state.config.secure_cookies,
        ))
    }
}

/// Opens the saved draft with this code in a new browser, if it is a draft of the survey `slug`
/// (any survey when `None`). Officers continuing a resident's draft pass their attribution.
pub async fn open_by_code(
    state: &AppState,
    code: &ReturnCode,
    slug: Option<&str>,
    officer: Option<&Attribution>,
) -> Result<Option<Opened>, AppError> {
    let Some((token_hash, version_id)) = draft::find_by_code(&state.db, &state.key, code).await? else {
        return Ok(None);
    };
    let version = state.surveys.version(&state.db, version_id).await?;
    if slug.is_some_and(|slug| slug != version.survey.slug()) {
        return Ok(None);
    }
    let Some(token) = draft::reopen(&state.db, &token_hash, officer).await? else { return Ok(None) };
    let Some(draft) = draft::find(&state.db, &token).await? else { return Ok(None) };
    let resumed = Resumed::new(draft, version);
    Ok(Some(Opened { slug: resumed.slug().to_owned(), token, next: resumed.next_stop(false) }))
}

/// Clears expired drafts now and then, on one instance at a time.
pub async fn sweep_expired_drafts(db: crate::db::Db) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(15 * 60));
    loop {
        every.tick().await;
        match db.alone("draft sweep", delete_expired_drafts(&db)).await {
            Ok(None | Some(Ok(0))) => {}
            Ok(Some(Ok(n))) => tracing::info!(removed = n, "expired drafts removed"),
            Ok(Some(Err(e))) => tracing::warn!(error = ?e, "could not remove expired drafts"),
            Err(e) => tracing::warn!(error = ?e, "could not remove expired drafts"),
        }
    }
}
