//! The paper version of a survey: printed from the same definition as the online survey, so its
//! wording, numbering and routing cannot drift from it, and typed up in fast entry under the same
//! numbers. It is an HTML page with a print stylesheet for A4; a PDF comes from the browser's print
//! dialog, so nothing needs installing on the server.

pub mod routing;

use crate::auth::OfficerOrAdminUser;
use crate::auth::account::Role;
use crate::error::AppError;
use crate::paths::staff;
use crate::respond::{self, paths};
use crate::state::AppState;
use crate::survey::privacy;
use crate::survey::{Choice, Kind, Question, Survey};
use crate::ui::{self, Chrome, Page, render};
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use leptos::prelude::*;
use routing::Directions;
use serde::Deserialize;
use std::sync::Arc;

pub fn router() -> Router<AppState> {
    Router::new().route("/staff/surveys/{slug}/versions/{version}/paper", get(page))
}

/// Where a version's paper form is printed from.
pub fn path(slug: &str, version: i64) -> String {
    staff::paper_form(&slug, version)
}

/// `?edition=large`: the large-print edition.
#[derive(Debug, Default, Deserialize)]
pub struct Edition {
    edition: Option<String>,
}

impl Edition {
    fn large(&self) -> bool {
        self.edition.as_deref() == Some("large")
    }
}

/// What the form says about the survey's privacy notice, from the survey's own settings.
struct Notice {
    council: String,
    months: i64,
    contact: String,
    online: String,
}

async fn page(
    State(state): State<AppState>,
    OfficerOrAdminUser(staff): OfficerOrAdminUser,
    Path((slug, number)): Path<(String, i64)>,
    Query(edition): Query<Edition>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let survey_id = state.surveys.current(&state.db, &slug).await?.ok_or(AppError::NotFound)?.survey_id;
    let version = state.surveys.numbered(&state.db, survey_id, number).await?.ok_or(AppError::NotFound)?;
    let council = state.config.council_name.clone();
    let privacy = privacy::load(&state.db, survey_id, &council).await?;
    let base = respond::public_base(&state, &headers);
    let link = format!("{base}{}", paths::start_page(&slug));
    let notice = Notice {
        council,
        months: privacy.response_months,
        contact: privacy.contact,
        online: format!("{base}{}", paths::privacy(&slug)),
    };
    let qr = ui::qr_code_inline(&link)?;
    let large = edition.large();
    let officer = staff.staff.roles.has(Role::Officer);
    let title =
        format!("{}Paper form: {} (version {number})", if large { "Large print " } else { "" }, version.survey.title());
    Ok(render(Chrome::staff(&state.config, staff.nav()), StatusCode::OK, move || {
        view! {
            <Page title back=staff::HOME.to_owned() wide=true>
                <PrintTools slug=slug.clone() number large officer />
                <Form survey=version.survey.clone() number notice link qr large />
            </Page>
        }
    }))
}

/// What is on screen and not printed: how to print, the other edition, and (for officers) typing
/// up a form that came back.
#[component]
fn PrintTools(slug: String, number: i64, large: bool, officer: bool) -> impl IntoView {
    let here = path(&slug, number);
    let (other, other_href) = if large {
        ("Standard print edition", here)
    } else {
        ("Large print edition (18 point)", format!("{here}?edition=large"))
    };
    view! {
        <div class="paper-tools">
            <h1 class="heading-l">"Print the paper form"</h1>
            <p class="body">
                "Print this page on A4, or choose \u{201c}Save as PDF\u{201d} in your browser\u{2019}s print dialog. The form has the same questions, numbers and routing as version "
                {number}" online."
            </p>
            <p class="body">
                <a class="link" href=other_href>
                    {other}
                </a>
                {officer
                    .then(|| {
                        view! {
                            " \u{b7} "
                            <a class="link" href=staff::type_up_paper(&slug, number)>
                                "Type up a paper form"
                            </a>
                        }
                    })}
            </p>
        </div>
    }
}

/// The form itself: everything that is printed.
#[component]
fn Form(survey: Arc<Survey>, number: i64, notice: Notice, link: String, qr: String, large: bool) -> impl IntoView {
    let directions = routing::directions(&survey);
    let mut section: Option<String> = None;
    let questions = survey
        .questions()
        .iter()
        .zip(directions)
        .enumerate()
        .map(|(i, (q, directions))| {
            // A section's caption is printed where it starts, as the online survey shows it.
            let caption = q.section.clone().filter(|s| section.as_ref() != Some(s));
            section.clone_from(&q.section);
            view! {
                {caption.map(|c| view! { <h2 class="paper__section">{c}</h2> })}
                <PaperQuestion number=survey.number(i) question=q.clone() directions />
            }
        })
        .collect_view();
    let class = if large { "paper paper--large" } else { "paper" };
    view! {
        <article class=class aria-label="The paper form">
            <p class="paper__council">{notice.council.clone()}</p>
            <p class="paper__title">{survey.title().to_owned()}</p>
            {survey.definition().intro.iter().map(|p| view! { <p>{p.clone()}</p> }).collect_view()}
            <p>
                "Use a pen. Tick a box like this \u{2713} for your answer. You can leave out any question you do not want to answer."
            </p>
            <div class="paper__online">
                <div class="paper__qr" role="img" aria-label=format!("QR code for {link}") inner_html=qr></div>
                <p>
                    "You can answer online instead. Scan the code with your phone\u{2019}s camera, or go to:"<br />
                    <strong class="paper__link">{link.clone()}</strong>
                </p>
            </div>
            <div class="paper__questions">{questions}</div>
            <p class="paper__end">
                "This is the end of the form. Thank you. Please give it back to the person who gave it to you, or hand it in at a council office."
            </p>
            <section class="paper__block" aria-labelledby="paper-privacy">
                <h2 class="paper__section" id="paper-privacy">
                    "Your answers and your privacy"
                </h2>
                <p>
                    {format!(
                        "{} keeps your answers to improve its online services and the help it gives. We keep them for {} months, then delete them. You do not need to give your name.",
                        notice.council,
                        notice.months,
                    )}
                </p>
                <p>
                    {format!(
                        "To have your answers removed, or to ask anything about them, contact {}. The full privacy notice is at ",
                        notice.contact,
                    )}<strong class="paper__link">{notice.online}</strong>"."
                </p>
            </section>
            <section class="paper__block paper__office" aria-labelledby="paper-office">
                <h2 class="paper__section" id="paper-office">
                    {format!("For office use (survey version {number})")}
                </h2>
                <p>"Date received "<span class="paper__fill"></span></p>
                <p>"Location "<span class="paper__fill"></span></p>
                <p>
                    "Typed up by "<span class="paper__fill"></span>" on "
                    <span class="paper__fill paper__fill--short"></span>
                </p>
            </section>
        </article>
    }
}

/// What to tick: said on paper, where the online survey's "Select" does not apply.
fn instruction(q: &Question) -> &'static str {
    match q.kind {
        Kind::Multiple => "Tick all that apply.",
        Kind::Single | Kind::Scale => "Tick one.",
        Kind::ShortText | Kind::LongText => "Write your answer in the space.",
        Kind::WholeNumber => "Write a whole number in the boxes, one digit a box.",
        Kind::Decimal => "Write a number in the boxes, one digit a box.",
        Kind::Date => "Write the day, month and year in the boxes.",
        Kind::Postcode => "Write your postcode in the boxes, a letter or number a box.",
        Kind::Note => "",
    }
}

#[component]
fn PaperQuestion(number: usize, question: Question, directions: Directions) -> impl IntoView {
    // The online hint that tells people to "select all that apply" is said by the instruction.
    let hint = question.hint.clone().filter(|h| !h.to_lowercase().starts_with("select all"));
    let answer = if question.kind.is_choice() {
        let boxes = question.options.iter().map(|o| view! { <PaperOption option=o.clone() /> }).collect_view();
        view! { <ul class="paper__options">{boxes}</ul> }.into_any()
    } else if question.kind.is_number() {
        view! { <PaperDigits question=question.clone() /> }.into_any()
    } else if question.kind == Kind::Date {
        // Labelled boxes as online: day and month two digits, the year four.
        let part = |label: &'static str, n: usize| {
            view! {
                <span class="paper__part">
                    <span class="paper__part-label">{label}</span>
                    {digit_boxes(n)}
                </span>
            }
        };
        view! { <div class="paper__digits">{part("Day", 2)} {part("Month", 2)} {part("Year", 4)}</div> }.into_any()
    } else if question.kind == Kind::Postcode {
        // The outward code's up to four, a gap, the inward code's three.
        view! { <div class="paper__digits">{digit_boxes(4)}<span class="paper__part-label"></span>{digit_boxes(3)}</div> }
            .into_any()
    } else if question.kind == Kind::Note {
        ().into_any()
    } else {
        let lines = if question.kind == Kind::LongText { 5 } else { 1 };
        view! { <div class="paper__lines">{(0..lines).map(|_| view! { <div class="paper__line"></div> }).collect_view()}</div> }.into_any()
    };
    let instruction = Some(instruction(&question)).filter(|i| !i.is_empty());
    view! {
        <div class="paper__question" data-question=question.id.clone() data-number=number>
            <p class="paper__text">
                <span class="paper__number">{format!("{number}.")}</span>
                " "
                {question.text.clone()}
            </p>
            {directions.only_if.map(|text| view! { <p class="paper__direction">{text}</p> })}
            {hint.map(|h| view! { <p class="paper__hint">{h}</p> })}
            {instruction.map(|i| view! { <p class="paper__hint">{i}</p> })}
            {answer}
            {directions
                .skips
                .into_iter()
                .map(|text| view! { <p class="paper__direction">{"\u{2192} "}{text}</p> })
                .collect_view()}
        </div>
    }
}

/// `n` boxes to write one digit each in.
fn digit_boxes(n: usize) -> impl IntoView {
    (0..n).map(|_| view! { <span class="paper__digit"></span> }).collect_view()
}

/// A number's boxes: as many as its largest answer has digits (3 when it has no limit, enough for
/// most counts and ages), two after a point for a decimal, and a box for a minus sign when its
/// smallest answer is below zero.
#[component]
fn PaperDigits(question: Question) -> impl IntoView {
    use crate::survey::typed::number_text;
    let widest = [question.min, question.max]
        .into_iter()
        .flatten()
        .map(|n| number_text(n.abs().trunc()).len())
        .max()
        .unwrap_or(3);
    let negative = question.min.is_some_and(|min| min < 0.0);
    let decimal = question.kind == Kind::Decimal;
    view! {
        <div class="paper__digits">
            {negative
                .then(|| {
                    view! {
                        <span class="paper__part-label">"Minus sign, if below zero:"</span>
                        <span class="paper__digit"></span>
                    }
                })} {digit_boxes(widest)}
            {decimal
                .then(|| {
                    view! {
                        <span class="paper__point">"."</span>
                        {digit_boxes(2)}
                    }
                })}
        </div>
    }
}

#[component]
fn PaperOption(option: Choice) -> impl IntoView {
    view! {
        <li class="paper__option">
            <span class="paper__box" aria-hidden="true"></span>
            <span>
                {option.label.clone()}
                {option.hint.clone().map(|h| view! { <span class="paper__hint">" \u{2013} "{h}</span> })}
                {option
                    .other
                    .then(|| {
                        view! {
                            <span>" (please write it here)"</span>
                            <span class="paper__fill"></span>
                        }
                    })}
            </span>
        </li>
    }
}
