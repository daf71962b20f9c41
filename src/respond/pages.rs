//! The resident's pages. One question per page, plain HTML forms, no JavaScript.

use super::paths;
use crate::i18n::{t, t_with};
use crate::paths::{resident, staff};
use crate::survey::view::{FieldNames, QuestionField};
use crate::survey::{Answer, Barrier, Question, Survey};
use crate::ui::question::{hints_in, words_in};
use crate::ui::{ErrorMessage, ErrorSummary, Page, Problem};
use leptos::prelude::*;
use std::sync::Arc;

/// Whether the resident has a draft on the go, and where to pick it up.
pub struct InProgress {
    pub continue_to: String,
}

#[component]
pub fn StartPage(
    survey: Arc<Survey>,
    in_progress: Option<InProgress>,
    /// Where "Start now" posts, keeping the language chosen.
    start_action: String,
) -> impl IntoView {
    let def = survey.definition();
    let slug = survey.slug().to_owned();
    let intro = def.intro.iter().map(|p| view! { <p class="body">{p.clone()}</p> }).collect_view();
    let minutes = def.minutes;
    // The return-code page in the same language (the links at its top can change it).
    let (return_link, privacy_link) = match start_action.split_once('?') {
        Some((_, query)) => {
            (format!("{}?{query}", paths::return_page(&slug)), format!("{}?{query}", paths::privacy(&slug)))
        }
        None => (paths::return_page(&slug), paths::privacy(&slug)),
    };
    let actions = match in_progress {
        Some(InProgress { continue_to }) => view! {
            <div class="inset">
                <p class="body">{t("someone-started")}</p>
            </div>
            <div class="button-group">
                <a href=continue_to class="button" role="button" draggable="false">
                    {t("continue-where-left")}
                </a>
                <form method="post" action=start_action>
                    <button type="submit" class="button button--secondary">
                        {t("not-you-start-again")}
                    </button>
                </form>
            </div>
            <p class="body">{t("start-again-throws")}</p>
        }
        .into_any(),
        None => view! {
            <form method="post" action=start_action>
                <button type="submit" class="button button--start">
                    {t("start-now")}
                    <svg
                        class="button__arrow"
                        xmlns="http://www.w3.org/2000/svg"
                        width="17.5"
                        height="19"
                        viewBox="0 0 33 40"
                        aria-hidden="true"
                        focusable="false"
                    >
                        <path fill="currentColor" d="M0 0h13l20 20-20 20H0l20-20z" />
                    </svg>
                </button>
            </form>
        }
        .into_any(),
    };
    view! {
        <Page title=survey.title().to_owned()>
            <h1 class="heading-xl">{survey.title().to_owned()}</h1>
            {intro}
            <p class="body">{t_with("takes-minutes", &[("minutes", minutes.into())])}</p>
            {actions}
            <p class="body">
                {t("saved-to-finish")}" " <a href=return_link class="link">
                    {t("continue-with-code")}
                </a>
            </p>
            <h2 class="heading-m">{t("your-privacy")}</h2>
            <p class="body">
                {t("no-name")}" " <a href=privacy_link class="link">
                    {t("read-how-we-use")}
                </a> "."
            </p>
        </Page>
    }
}

#[component]
pub fn QuestionPage(
    survey_title: String,
    question: Question,
    answer: Option<Answer>,
    error: Option<String>,
    action: String,
    back: String,
    /// Offer "Save and come back later".
    #[prop(optional)]
    save: bool,
    /// Just back with a return code: welcome them, and let someone else start again (the form's
    /// action).
    #[prop(optional_no_strip)]
    welcome_back: Option<String>,
    /// After a postcode: what its lookup did, said first under the question.
    #[prop(optional_no_strip)]
    looked_up: Option<String>,
) -> impl IntoView {
    let title = match &error {
        Some(_) => t_with("error-title", &[("title", format!("{} \u{2013} {survey_title}", question.text).into())]),
        None => format!("{} \u{2013} {survey_title}", question.text),
    };
    let problems: Vec<Problem> =
        error.iter().map(|message| Problem { field: "answer".into(), message: message.clone() }).collect();

    let language = crate::i18n::current();
    let hints: Vec<String> = looked_up.into_iter().chain(hints_in(&language, &question)).collect();
    let field = view! {
        <QuestionField
            hints
            words=words_in(&language)
            names=FieldNames::single_question()
            caption=question.section.clone()
            question
            answer
            error
        />
    };

    let welcome_back = welcome_back.map(|start_again| {
        view! {
            <div class="inset">
                <p class="body">{t("welcome-back")}</p>
                <form method="post" action=start_again class="inline-form">
                    <button type="submit" class="link-button">
                        {t("not-you-start-again")}
                    </button>
                </form>
            </div>
        }
    });
    // The first button is the one Enter presses: Continue.
    let save = save.then(|| {
        view! {
            <button type="submit" class="button button--secondary" name="save" value="later">
                {t("save-and-come-back")}
            </button>
        }
    });
    view! {
        <Page title back>
            <ErrorSummary problems />
            {welcome_back}
            <form method="post" action=action>
                {field}
                <div class="button-group">
                    <button type="submit" class="button">
                        {t("continue")}
                    </button>
                    {save}
                </div>
            </form>
        </Page>
    }
}

/// One row of the check-your-answers list.
pub struct CheckRow {
    pub question: String,
    pub answer: Vec<String>,
    pub change: String,
}

#[component]
pub fn CheckPage(survey_title: String, rows: Vec<CheckRow>, submit: String, back: String) -> impl IntoView {
    let rows = rows
        .into_iter()
        .map(|row| {
            let value = if row.answer.is_empty() {
                view! { <span class="secondary-text">{t("not-answered")}</span> }.into_any()
            } else {
                row.answer
                    .into_iter()
                    .map(|a| view! { <p class="summary-list__line">{a}</p> })
                    .collect_view()
                    .into_any()
            };
            view! {
                <div class="summary-list__row">
                    <dt class="summary-list__key">{row.question.clone()}</dt>
                    <dd class="summary-list__value">{value}</dd>
                    <dd class="summary-list__actions">
                        <a class="link" href=row.change>
                            {t("change")}
                            <span class="visually-hidden">
                                " "{t_with("change-answer-to", &[("question", row.question.clone().into())])}
                            </span>
                        </a>
                    </dd>
                </div>
            }
        })
        .collect_view();
    view! {
        <Page title=format!("{} \u{2013} {survey_title}", t("check-title")) back>
            <h1 class="heading-l">{t("check-heading")}</h1>
            <dl class="summary-list">{rows}</dl>
            <h2 class="heading-m">{t("now-send")}</h2>
            <p class="body">{t("cannot-change")}</p>
            <form method="post" action=submit>
                <button type="submit" class="button">
                    {t("send-answers")}
                </button>
            </form>
        </Page>
    }
}

#[component]
pub fn DonePage(survey: Arc<Survey>, reference: String, barriers: Vec<Barrier>, assisted: bool) -> impl IntoView {
    let officer_links = assisted.then(|| {
        // For the officer, in the staff's English whatever the resident's language.
        view! {
            <h2 class="heading-m" lang="en-GB" dir="ltr">
                "For the officer"
            </h2>
            <ul class="staff-links" lang="en-GB" dir="ltr">
                <li class="staff-links__item">
                    <a class="link" href=staff::help_given(&reference)>
                        "Record the help you gave"
                    </a>
                </li>
                <li class="staff-links__item">
                    <a class="link" href=staff::ASSIST>
                        "Take another survey"
                    </a>
                </li>
            </ul>
        }
    });
    let signposting = &survey.definition().signposting;
    let help: Vec<String> = barriers
        .iter()
        .filter_map(|b| signposting.for_barrier(*b).map(str::to_owned))
        .chain(signposting.general.clone())
        .collect();
    // The contact and removal pages are in English only for now: their links say so in other languages.
    let in_english = crate::i18n::current().base() != "en";
    let english_pages = in_english.then(|| "en".to_owned());
    let english_note = in_english.then(|| format!(" {}", t("in-english")));
    let help = (!help.is_empty()).then(|| {
        view! {
            <h2 class="heading-m">{t("help-near-you")}</h2>
            {help.into_iter().map(|text| view! { <p class="body">{text}</p> }).collect_view()}
        }
    });
    view! {
        <Page title=format!("{} \u{2013} {}", t("done-title"), survey.title())>
            <div class="panel">
                <h1 class="panel__title">{t("done-heading")}</h1>
                <div class="panel__body">
                    {t("your-reference-is")} <br /> <strong class="reference">{reference}</strong>
                </div>
            </div>
            <p class="body">{t("nothing-else")}</p>
            {help}
            <h2 class="heading-m">{t("contact-you-question")}</h2>
            <p class="body">
                <a class="link" href=resident::contact(survey.slug()) hreflang=english_pages.clone()>
                    {t("ask-contact")}
                </a>
                {english_note.clone()}
            </p>
            <p class="body">
                {t("changed-mind")}" " <a class="link" href=resident::remove(survey.slug()) hreflang=english_pages>
                    {t("remove-answers")}
                </a>{english_note}
            </p>
            {officer_links}
        </Page>
    }
}

/// A survey that is not taking answers: closed, or not open yet. Not an error: say so plainly, and
/// where to get help meanwhile.
#[component]
pub fn ClosedPage(
    survey: Arc<Survey>,
    availability: crate::survey::Availability,
    clock: crate::clock::CouncilTime,
) -> impl IntoView {
    let (heading, text) = match availability {
        crate::survey::Availability::NotYet(opens) => (
            t("not-open-yet"),
            match opens {
                Some(opens) => t_with("opens-on", &[("day", crate::i18n::date(clock.day_of(opens)).into())]),
                None => t("come-back-later"),
            },
        ),
        _ => (t("survey-closed"), t("closed-text")),
    };
    let help = survey.definition().signposting.general.clone();
    view! {
        <Page title=format!("{heading} \u{2013} {}", survey.title())>
            <span class="caption-l">{survey.title().to_owned()}</span>
            <h1 class="heading-l">{heading}</h1>
            <p class="body">{text}</p>
            {help
                .map(|help| {
                    view! {
                        <h2 class="heading-m">{t("help-getting-online")}</h2>
                        <p class="body">{help}</p>
                    }
                })}
        </Page>
    }
}

/// After "Save and come back later": the return code, large, with when it stops working. The page
/// prints on its own, for residents who would rather keep it on paper.
#[component]
pub fn SavedPage(
    survey: Arc<Survey>,
    code: String,
    expires_at: i64,
    clock: crate::clock::CouncilTime,
    /// The whole address of the page to come back to.
    address: String,
) -> impl IntoView {
    let until = crate::i18n::date(clock.day_of(expires_at));
    let return_link = paths::return_page(survey.slug());
    view! {
        <Page title=format!("{} \u{2013} {}", t("saved-title"), survey.title())>
            <div class="panel">
                <h1 class="panel__title">{t("saved-title")}</h1>
                <div class="panel__body">
                    {t("your-return-code-is")} <br /> <strong class="reference">{code}</strong>
                </div>
            </div>
            <p class="body">{t("works-until")}" "<strong>{until}</strong>"."</p>
            <h2 class="heading-m">{t("to-carry-on")}</h2>
            <p class="body">
                {t("carry-on-how")}" " <a class="link" href=return_link>
                    {address}
                </a> {t("carry-on-after")}
            </p>
            <p class="body">{t("phone-with-code")}</p>
            <h2 class="heading-m">{t("keep-code")}</h2>
            <p class="body">{t("anyone-with-code")}</p>
            <p class="body">{t("closed-on-device")}</p>
        </Page>
    }
}

/// Enter a return code to carry on.
#[component]
pub fn ReturnPage(
    survey: Arc<Survey>,
    /// Where the form posts, keeping the language chosen.
    action: String,
    typed: String,
    problem: Option<String>,
) -> impl IntoView {
    let slug = survey.slug().to_owned();
    let title = if problem.is_some() {
        t_with("error-title", &[("title", t("continue-with-code").into())])
    } else {
        t("continue-with-code")
    };
    let problems: Vec<Problem> = problem.iter().map(|m| Problem { field: "code".into(), message: m.clone() }).collect();
    view! {
        <Page title=format!("{title} \u{2013} {}", survey.title()) back=paths::start_page(&slug)>
            <ErrorSummary problems />
            <span class="caption-l">{survey.title().to_owned()}</span>
            <h1 class="heading-l">{t("continue-with-code")}</h1>
            <p class="body">{t("return-intro")}</p>
            <form method="post" action=action novalidate>
                <ReturnCodeField label=t("your-return-code") hint="" typed problem />
                <button type="submit" class="button">
                    {t("continue")}
                </button>
            </form>
            <p class="body">
                {t("lost-code")}" " <a class="link" href=paths::start_page(&slug)>
                    {t("start-survey-again")}
                </a> "."
            </p>
        </Page>
    }
}

/// A later visit to the confirmation page: the answers were sent, but the reference and the help
/// chosen from them are not shown again, in case this is someone else at the same computer.
#[component]
pub fn AlreadySentPage(survey: Arc<Survey>) -> impl IntoView {
    view! {
        <Page title=format!("{} \u{2013} {}", t("already-sent-title"), survey.title())>
            <span class="caption-l">{survey.title().to_owned()}</span>
            <h1 class="heading-l">{t("already-sent-heading")}</h1>
            <p class="body">{t("reference-once")}</p>
            <p class="body">
                <a class="link" href=paths::start_page(survey.slug())>
                    {t("take-survey")}
                </a>
                " "
                {t("if-not-answered")}
            </p>
        </Page>
    }
}

/// The field a return code is typed into, for residents and for officers taking a call.
#[component]
pub fn ReturnCodeField(
    #[prop(into)] label: String,
    hint: &'static str,
    typed: String,
    problem: Option<String>,
) -> impl IntoView {
    let described = if problem.is_some() { "code-hint code-error" } else { "code-hint" };
    let group_class = if problem.is_some() { "form-group form-group--error" } else { "form-group" };
    view! {
        <div class=group_class>
            <label class="label" for="code">
                {label}
            </label>
            <div class="hint" id="code-hint">
                {t("code-hint")}
                " "
                {hint}
            </div>
            {problem.map(|m| view! { <ErrorMessage id="code-error".to_owned() message=m /> })}
            <input
                class="input input--reference"
                id="code"
                name="code"
                type="text"
                autocomplete="off"
                spellcheck="false"
                autocapitalize="characters"
                aria-describedby=described
                value=typed
            />
        </div>
    }
}
