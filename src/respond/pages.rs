//! The resident's pages. One question per page, plain HTML forms, no JavaScript.

use super::paths;
use crate::survey::{thousands, Answer, Barrier, Kind, Question, Survey};
use crate::ui::{ErrorMessage, ErrorSummary, Page, Problem};
use leptos::prelude::*;
use std::sync::Arc;

/// Whether the resident has a draft on the go, and where to pick it up.
pub struct InProgress {
    pub continue_to: String,
}

#[component]
pub fn StartPage(survey: Arc<Survey>, in_progress: Option<InProgress>) -> impl IntoView {
    let def = survey.definition();
    let slug = survey.slug().to_owned();
    let intro = def.intro.iter().map(|p| view! { <p class="body">{p.clone()}</p> }).collect_view();
    let minutes = def.minutes;
    let start_action = paths::start(&slug);
    let actions = match in_progress {
        Some(InProgress { continue_to }) => view! {
            <div class="inset">
                <p class="body">"Someone has already started this survey on this device. Their answers so far are saved."</p>
            </div>
            <div class="button-group">
                <a href=continue_to class="button" role="button" draggable="false">
                    "Continue where you left off"
                </a>
                <form method="post" action=start_action>
                    <button type="submit" class="button button--secondary">
                        "Not you? Start again"
                    </button>
                </form>
            </div>
            <p class="body">"Starting again throws the saved answers away."</p>
        }
        .into_any(),
        None => view! {
            <form method="post" action=start_action>
                <button type="submit" class="button button--start">
                    "Start now"
                    <svg class="button__arrow" xmlns="http://www.w3.org/2000/svg" width="17.5" height="19" viewBox="0 0 33 40" aria-hidden="true" focusable="false">
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
            <p class="body">{format!("It takes about {minutes} minutes.")}</p>
            {actions}
            <p class="body">
                "Saved your answers to finish later? "
                <a href=paths::return_page(&slug) class="link">"Continue with your return code"</a>
            </p>
            <h2 class="heading-m">"Your privacy"</h2>
            <p class="body">
                "We will not ask for your name. At the end you get a reference number. "
                <a href=paths::privacy(&slug) class="link">
                    "Read how we use your answers"
                </a>
                "."
            </p>
        </Page>
    }
}

/// Ids of the inputs for one question; the first input's id is the field name itself so that the
/// error summary's link (`#field`) lands on it.
fn input_id(field: &str, index: usize) -> String {
    if index == 0 { field.to_owned() } else { format!("{field}-{}", index + 1) }
}

/// The names and ids a question's inputs use. One question a page (the resident's) uses `answer`
/// and `other`; fast entry, with every question on one page, names them after the question.
#[derive(Debug, Clone)]
pub struct FieldNames {
    pub answer: String,
    pub other: String,
    pub other_id: String,
}

impl FieldNames {
    pub fn single_question() -> FieldNames {
        FieldNames { answer: "answer".into(), other: "other".into(), other_id: "other".into() }
    }

    pub fn for_question(question_id: &str) -> FieldNames {
        FieldNames {
            answer: question_id.to_owned(),
            other: format!("{question_id}.other"),
            other_id: format!("{question_id}-other"),
        }
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
) -> impl IntoView {
    let title = match &error {
        Some(_) => format!("Error: {} \u{2013} {survey_title}", question.text),
        None => format!("{} \u{2013} {survey_title}", question.text),
    };
    let problems: Vec<Problem> = error
        .iter()
        .map(|message| Problem { field: "answer".into(), message: message.clone() })
        .collect();

    let mut hints: Vec<String> = question.hint.iter().cloned().collect();
    if question.kind.is_text() {
        hints.push(format!("You can write up to {} characters.", thousands(question.max_length)));
    }
    if !question.required {
        hints.push("You can skip this question.".into());
    }
    let hint_id = (!hints.is_empty()).then(|| "answer-hint".to_owned());
    let error_id = error.as_ref().map(|_| "answer-error".to_owned());
    let described_by = [hint_id.clone(), error_id.clone()].into_iter().flatten().collect::<Vec<_>>().join(" ");
    let described_by = (!described_by.is_empty()).then_some(described_by);

    let hint = hint_id.map(|id| {
        view! {
            <div id=id class="hint">
                {hints.into_iter().map(|h| view! { <p class="hint__line">{h}</p> }).collect_view()}
            </div>
        }
    });
    let error_message = error.clone().zip(error_id).map(|(message, id)| view! { <ErrorMessage id message /> });
    let caption = question.section.clone().map(|s| view! { <span class="caption-l">{s}</span> });
    let group_class = if error.is_some() { "form-group form-group--error" } else { "form-group" };

    let field = if question.kind.is_choice() {
        view! {
            <fieldset class="fieldset" aria-describedby=described_by>
                <legend class="fieldset__legend">
                    {caption}
                    <h1 class="fieldset__heading">{question.text.clone()}</h1>
                </legend>
                {hint}
                {error_message}
                <Choices question=question.clone() answer=answer.clone() names=FieldNames::single_question() />
            </fieldset>
        }
        .into_any()
    } else {
        let value = match &answer {
            Some(Answer::Text(t)) => t.clone(),
            _ => String::new(),
        };
        let input_class = if error.is_some() { "input input--error" } else { "input" };
        let input = if question.kind == Kind::LongText {
            view! {
                <textarea
                    class=format!("textarea {input_class}")
                    id="answer"
                    name="answer"
                    rows="6"
                    spellcheck="true"
                    aria-describedby=described_by
                >
                    {value}
                </textarea>
            }
            .into_any()
        } else {
            view! {
                <input
                    class=input_class
                    id="answer"
                    name="answer"
                    type="text"
                    value=value
                    spellcheck="true"
                    aria-describedby=described_by
                />
            }
            .into_any()
        };
        view! {
            {caption}
            <h1 class="label-wrapper">
                <label class="label label--l" for="answer">
                    {question.text.clone()}
                </label>
            </h1>
            {hint}
            {error_message}
            {input}
        }
        .into_any()
    };

    let welcome_back = welcome_back.map(|start_again| {
        view! {
            <div class="inset">
                <p class="body">"Welcome back. Your answers so far are saved, and you can carry on from here."</p>
                <form method="post" action=start_again class="inline-form">
                    <button type="submit" class="link-button">"Not you? Start again"</button>
                </form>
            </div>
        }
    });
    // The first button is the one Enter presses: Continue.
    let save = save.then(|| {
        view! {
            <button type="submit" class="button button--secondary" name="save" value="later">
                "Save and come back later"
            </button>
        }
    });
    view! {
        <Page title back>
            <ErrorSummary problems />
            {welcome_back}
            <form method="post" action=action>
                <div class=group_class>{field}</div>
                <div class="button-group">
                    <button type="submit" class="button">
                        "Continue"
                    </button>
                    {save}
                </div>
            </form>
        </Page>
    }
}

/// Radios for single choice and scales, checkboxes for multiple choice. Exclusive answers ("None of
/// these", "Prefer not to say") stand after an "or".
#[component]
pub fn Choices(question: Question, answer: Option<Answer>, names: FieldNames) -> impl IntoView {
    let multiple = question.kind == Kind::Multiple;
    let (group, item_class, input_class, label_class, input_type) = if multiple {
        ("checkboxes", "checkboxes__item", "checkboxes__input", "label checkboxes__label", "checkbox")
    } else {
        ("radios", "radios__item", "radios__input", "label radios__label", "radio")
    };
    let other_text = match &answer {
        Some(Answer::Choices { other, .. }) => other.clone().unwrap_or_default(),
        _ => String::new(),
    };
    let items = question
        .options
        .iter()
        .enumerate()
        .map(|(i, option)| {
            let id = input_id(&names.answer, i);
            let checked = answer.as_ref().is_some_and(|a| a.includes(&option.id));
            let divider = (option.exclusive || option.id == crate::survey::PREFER_NOT_TO_SAY)
                .then(|| view! { <div class=format!("{group}__divider")>"or"</div> });
            let hint_id = format!("{id}-hint");
            let hint = option.hint.clone().map(|h| {
                view! { <div id=hint_id.clone() class=format!("hint {group}__hint")>{h}</div> }
            });
            let described = option.hint.as_ref().map(|_| hint_id.clone());
            let other = option.other.then(|| {
                view! {
                    <div class=format!("{group}__conditional")>
                        <label class="label" for=names.other_id.clone()>
                            "If something else, tell us what (optional)"
                        </label>
                        <input class="input" id=names.other_id.clone() name=names.other.clone() type="text" value=other_text.clone() spellcheck="true" />
                    </div>
                }
            });
            view! {
                {divider}
                <div class=item_class>
                    <input
                        class=input_class
                        id=id.clone()
                        name=names.answer.clone()
                        type=input_type
                        value=option.id.clone()
                        checked=checked
                        aria-describedby=described
                    />
                    <label class=label_class for=id>
                        {option.label.clone()}
                    </label>
                    {hint}
                </div>
                {other}
            }
        })
        .collect_view();
    view! { <div class=group>{items}</div> }
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
                view! { <span class="secondary-text">"Not answered"</span> }.into_any()
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
                            "Change"
                            <span class="visually-hidden">{format!(" your answer to: {}", row.question)}</span>
                        </a>
                    </dd>
                </div>
            }
        })
        .collect_view();
    view! {
        <Page title=format!("Check your answers \u{2013} {survey_title}") back>
            <h1 class="heading-l">"Check your answers before sending them"</h1>
            <dl class="summary-list">{rows}</dl>
            <h2 class="heading-m">"Now send your answers"</h2>
            <p class="body">"When you send your answers you cannot change them online."</p>
            <form method="post" action=submit>
                <button type="submit" class="button">
                    "Send answers"
                </button>
            </form>
        </Page>
    }
}

#[component]
pub fn DonePage(survey: Arc<Survey>, reference: String, barriers: Vec<Barrier>, assisted: bool) -> impl IntoView {
    let officer_links = assisted.then(|| {
        view! {
            <h2 class="heading-m">"For the officer"</h2>
            <ul class="staff-links">
                <li class="staff-links__item">
                    <a class="link" href=format!("/staff/assist/help/{reference}")>"Record the help you gave"</a>
                </li>
                <li class="staff-links__item">
                    <a class="link" href="/staff/assist">"Take another survey"</a>
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
    let help = (!help.is_empty()).then(|| {
        view! {
            <h2 class="heading-m">"Help near you"</h2>
            {help.into_iter().map(|text| view! { <p class="body">{text}</p> }).collect_view()}
        }
    });
    view! {
        <Page title=format!("Your answers have been sent \u{2013} {}", survey.title())>
            <div class="panel">
                <h1 class="panel__title">"Thank you, your answers have been sent"</h1>
                <div class="panel__body">
                    "Your reference is"
                    <br />
                    <strong class="reference">{reference}</strong>
                </div>
            </div>
            <p class="body">
                "You do not need to do anything else. Keep your reference if you want to ask us about your answers, or have them removed."
            </p>
            {help}
            <h2 class="heading-m">"Would you like someone to contact you?"</h2>
            <p class="body">
                <a class="link" href=format!("/s/{}/contact", survey.slug())>"Ask someone from the council to contact you about help"</a>
            </p>
            <p class="body">
                "Changed your mind about taking part? "
                <a class="link" href=format!("/s/{}/remove", survey.slug())>"Remove your answers"</a>
            </p>
            {officer_links}
        </Page>
    }
}

/// A survey that is not taking answers: closed, or not open yet. Not an error: say so plainly, and
/// where to get help meanwhile.
#[component]
pub fn ClosedPage(survey: Arc<Survey>, availability: crate::survey::Availability, clock: crate::clock::CouncilTime) -> impl IntoView {
    let (heading, text) = match availability {
        crate::survey::Availability::NotYet(opens) => (
            "This survey is not open yet".to_owned(),
            match opens {
                Some(opens) => format!("It opens on {}. Please come back then.", clock.format_day(opens)),
                None => "Please come back later.".to_owned(),
            },
        ),
        _ => ("This survey has closed".to_owned(), "Thank you for your interest. We are no longer taking answers.".to_owned()),
    };
    let help = survey.definition().signposting.general.clone();
    view! {
        <Page title=format!("{heading} \u{2013} {}", survey.title())>
            <span class="caption-l">{survey.title().to_owned()}</span>
            <h1 class="heading-l">{heading}</h1>
            <p class="body">{text}</p>
            {help.map(|help| view! {
                <h2 class="heading-m">"Help with getting online"</h2>
                <p class="body">{help}</p>
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
    let until = clock.format_day(expires_at);
    let return_link = paths::return_page(survey.slug());
    view! {
        <Page title=format!("Your answers are saved \u{2013} {}", survey.title())>
            <div class="panel">
                <h1 class="panel__title">"Your answers are saved"</h1>
                <div class="panel__body">
                    "Your return code is"
                    <br />
                    <strong class="reference">{code}</strong>
                </div>
            </div>
            <p class="body">"Write the code down, or print this page. It works until " <strong>{until}</strong> "."</p>
            <h2 class="heading-m">"To carry on"</h2>
            <p class="body">
                "On any phone or computer, go to the survey and choose \u{201c}Continue with your return code\u{201d}, or go to "
                <a class="link" href=return_link>{address}</a>
                ". Enter the code and you will carry on where you stopped."
            </p>
            <p class="body">"You can also phone the council and give the code: someone can finish the survey with you."</p>
            <h2 class="heading-m">"Keep the code to yourself"</h2>
            <p class="body">"Anyone with the code can see and change your answers until you send them."</p>
            <p class="body">"We have closed the survey on this device, so the next person to use it cannot see your answers."</p>
        </Page>
    }
}

/// Enter a return code to carry on.
#[component]
pub fn ReturnPage(survey: Arc<Survey>, typed: String, problem: Option<String>) -> impl IntoView {
    let slug = survey.slug().to_owned();
    let title = if problem.is_some() { "Error: Continue with your return code" } else { "Continue with your return code" };
    let problems: Vec<Problem> = problem.iter().map(|m| Problem { field: "code".into(), message: m.clone() }).collect();
    view! {
        <Page title=format!("{title} \u{2013} {}", survey.title()) back=paths::start_page(&slug)>
            <ErrorSummary problems />
            <span class="caption-l">{survey.title().to_owned()}</span>
            <h1 class="heading-l">"Continue with your return code"</h1>
            <p class="body">"If you saved your answers to finish later, you were given a return code."</p>
            <form method="post" action=paths::return_page(&slug) novalidate>
                <ReturnCodeField label="Your return code" hint="" typed problem />
                <button type="submit" class="button">"Continue"</button>
            </form>
            <p class="body">
                "Lost your code? "
                <a class="link" href=paths::start_page(&slug)>"Start the survey again"</a>
                "."
            </p>
        </Page>
    }
}

/// A later visit to the confirmation page: the answers were sent, but the reference and the help
/// chosen from them are not shown again, in case this is someone else at the same computer.
#[component]
pub fn AlreadySentPage(survey: Arc<Survey>) -> impl IntoView {
    view! {
        <Page title=format!("Answers sent \u{2013} {}", survey.title())>
            <span class="caption-l">{survey.title().to_owned()}</span>
            <h1 class="heading-l">"These answers have been sent"</h1>
            <p class="body">"For privacy, the reference is shown only once, straight after sending."</p>
            <p class="body">
                <a class="link" href=paths::start_page(survey.slug())>"Take the survey"</a>
                " if you have not answered it yet."
            </p>
        </Page>
    }
}

/// The field a return code is typed into, for residents and for officers taking a call.
#[component]
pub fn ReturnCodeField(label: &'static str, hint: &'static str, typed: String, problem: Option<String>) -> impl IntoView {
    let described = if problem.is_some() { "code-hint code-error" } else { "code-hint" };
    let group_class = if problem.is_some() { "form-group form-group--error" } else { "form-group" };
    view! {
        <div class=group_class>
            <label class="label" for="code">{label}</label>
            <div class="hint" id="code-hint">"8 letters and numbers, like KDP7 4XRM. "{hint}</div>
            {problem.map(|m| view! { <ErrorMessage id="code-error".to_owned() message=m /> })}
            <input class="input input--reference" id="code" name="code" type="text" autocomplete="off" spellcheck="false" autocapitalize="characters" aria-describedby=described value=typed />
        </div>
    }
}
