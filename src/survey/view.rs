//! A question as every path shows it: the resident flow, assisted and fast entry, the editor's
//! preview and the outreach device all render [`QuestionField`], so their markup cannot drift
//! apart. Compiled for both targets. The words around the survey's own (the "or" before an answer
//! that excludes the others, "tell us what") come in as [`Words`], in the question's language,
//! from the app's translations on the server: the device carries them with the questions.

use super::{Answer, Kind, PREFER_NOT_TO_SAY, Question, typed};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The app's words around a question, in the question's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Words {
    /// Before an answer that excludes the others: "or".
    pub or: String,
    /// The label of an "other" answer's text box.
    pub tell_us_what: String,
    /// Before an error message, for screen readers: "Error:".
    pub error: String,
    /// Easy Read: answers show their pictures.
    pub easy_read: bool,
    /// The labels of a date's three boxes: "Day", "Month", "Year".
    pub date_parts: [String; 3],
}

/// The names and ids a question's inputs use. One question a page uses `answer` and `other`; fast
/// entry, with every question on one page, names them after the question.
#[derive(Debug, Clone)]
pub struct FieldNames {
    pub answer: String,
    pub other: String,
    pub other_id: String,
}

impl FieldNames {
    pub fn single_question() -> FieldNames {
        FieldNames {
            answer: super::ANSWER_FIELD.into(),
            other: super::OTHER_FIELD.into(),
            other_id: super::OTHER_FIELD.into(),
        }
    }

    pub fn for_question(question_id: &str) -> FieldNames {
        FieldNames {
            answer: question_id.to_owned(),
            other: super::other_field(question_id),
            other_id: format!("{question_id}-other"),
        }
    }

    /// The id of the first input: the field name itself, so that an error summary's link
    /// (`#field`) lands on it.
    fn input(&self, index: usize) -> String {
        if index == 0 { self.answer.clone() } else { format!("{}-{}", self.answer, index + 1) }
    }
}

/// How a question heads its field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Heading {
    /// One question a page: the page's `h1`.
    #[default]
    Page,
    /// One of several on a page (fast entry).
    Listed,
}

/// A question's form group: heading, hints, error and its inputs.
#[component]
pub fn QuestionField(
    question: Question,
    answer: Option<Answer>,
    error: Option<String>,
    /// Lines of hint under the heading.
    hints: Vec<String>,
    words: Words,
    names: FieldNames,
    /// Above the heading: the section, or where the question stands ("Question 3 of 12").
    #[prop(optional_no_strip)]
    caption: Option<String>,
    /// The heading's words, when not the question's own (fast entry numbers them).
    #[prop(optional)]
    label: Option<String>,
    #[prop(optional)] heading: Heading,
    /// The heading a page moves focus to on each new screen (the outreach device).
    #[prop(optional)]
    focus: Option<NodeRef<leptos::html::H1>>,
) -> impl IntoView {
    let hint_id = (!hints.is_empty()).then(|| format!("{}-hint", names.answer));
    let error_id = error.as_ref().map(|_| format!("{}-error", names.answer));
    let described = [hint_id.clone(), error_id.clone()].into_iter().flatten().collect::<Vec<_>>().join(" ");
    let described = (!described.is_empty()).then_some(described);
    let hint = hint_id.map(|id| {
        view! {
            <div id=id class="hint">
                {hints.into_iter().map(|h| view! { <p class="hint__line">{h}</p> }).collect_view()}
            </div>
        }
    });
    let error_message =
        error.clone().zip(error_id).map(|(message, id)| view! { <FieldError id message prefix=words.error.clone() /> });
    let caption = caption.map(|c| view! { <span class="caption-l">{c}</span> });
    let text = label.unwrap_or_else(|| question.text.clone());
    let tabindex = focus.is_some().then_some("-1");
    let focus = focus.unwrap_or_default();
    let group = if error.is_some() { "form-group form-group--error" } else { "form-group" };

    let field = if question.kind == Kind::Note {
        // Words between questions: a heading and its hints, nothing to answer.
        let heading = match heading {
            Heading::Page => view! {
                {caption}
                <h1 class="heading-l" tabindex=tabindex node_ref=focus>
                    {text}
                </h1>
            }
            .into_any(),
            Heading::Listed => view! { <p class="fieldset__legend--m">{text}</p> }.into_any(),
        };
        view! {
            {heading}
            {hint}
        }
        .into_any()
    } else if question.kind.is_choice() || question.kind == Kind::Date {
        let legend = match heading {
            Heading::Page => view! {
                <legend class="fieldset__legend">
                    {caption} <h1 class="fieldset__heading" tabindex=tabindex node_ref=focus>
                        {text}
                    </h1>
                </legend>
            }
            .into_any(),
            Heading::Listed => {
                view! { <legend class="fieldset__legend fieldset__legend--m">{text}</legend> }.into_any()
            }
        };
        let inputs = if question.kind == Kind::Date {
            let value = match &answer {
                Some(Answer::Text(t)) => t.clone(),
                _ => String::new(),
            };
            view! { <DateParts value names=names.clone() labels=words.date_parts.clone() error=error.is_some() /> }
                .into_any()
        } else {
            view! { <Choices question=question.clone() answer=answer.clone() names=names.clone() words=words.clone() /> }
                .into_any()
        };
        // A date's boxes are one answer: a group, as GOV.UK's date input marks it.
        let role = (question.kind == Kind::Date).then_some("group");
        view! {
            <fieldset class="fieldset" role=role aria-describedby=described>
                {legend}
                {hint}
                {error_message}
                {inputs}
            </fieldset>
        }
        .into_any()
    } else {
        let value = match &answer {
            Some(Answer::Text(t)) => t.clone(),
            _ => String::new(),
        };
        let class = if error.is_some() { "input input--error" } else { "input" };
        let id = names.answer.clone();
        let input = if question.kind == Kind::LongText {
            let rows = if heading == Heading::Page { "6" } else { "4" };
            view! {
                <textarea
                    class=format!("textarea {class}")
                    id=id.clone()
                    name=id.clone()
                    rows=rows
                    spellcheck="true"
                    aria-describedby=described
                >
                    {value}
                </textarea>
            }
            .into_any()
        } else {
            // One text box for words, numbers and postcodes. A number's brings up the number keys:
            // `type=number` would round, scroll and refuse "1,200" silently (GOV.UK's advice). A
            // sector kept from before is not a postcode to send again: that box starts empty.
            let (width, mode, autocomplete, spellcheck) = match question.kind {
                Kind::WholeNumber => (" input--short", Some("numeric"), Some("off"), "false"),
                Kind::Decimal => (" input--short", Some("decimal"), Some("off"), "false"),
                Kind::Postcode => (" input--postcode", None, Some("postal-code"), "false"),
                _ => ("", None, None, "true"),
            };
            let kept_sector = question.kind == Kind::Postcode && typed::Postcode::parse(&value).is_none();
            let value = if kept_sector && error.is_none() { String::new() } else { value };
            view! {
                <input
                    class=format!("{class}{width}")
                    id=id.clone()
                    name=id.clone()
                    type="text"
                    inputmode=mode
                    value=value
                    spellcheck=spellcheck
                    autocomplete=autocomplete
                    aria-describedby=described
                />
            }
            .into_any()
        };
        let heading = match heading {
            Heading::Page => view! {
                {caption}
                <h1 class="label-wrapper" tabindex=tabindex node_ref=focus>
                    <label class="label label--l" for=id.clone()>
                        {text}
                    </label>
                </h1>
            }
            .into_any(),
            Heading::Listed => view! {
                <label class="label fieldset__legend--m" for=id.clone()>
                    {text}
                </label>
            }
            .into_any(),
        };
        view! {
            {heading}
            {hint}
            {error_message}
            {input}
        }
        .into_any()
    };
    view! { <div class=group>{field}</div> }
}

/// A date's three boxes, day, month and year, each labelled; all three send under the question's
/// one name, in that order ([`super::read_answer`] reads them so).
#[component]
fn DateParts(value: String, names: FieldNames, labels: [String; 3], error: bool) -> impl IntoView {
    let values = typed::date_parts(&value);
    let class = if error { "input input--error date-input__input" } else { "input date-input__input" };
    let items = labels
        .into_iter()
        .zip(values)
        .zip(["day", "month", "year"])
        .enumerate()
        .map(|(i, ((label, value), part))| {
            let id = names.input(i);
            let width = if part == "year" { "date-input__input--year" } else { "" };
            view! {
                <div class="date-input__item">
                    <label class="label date-input__label" for=id.clone()>
                        {label}
                    </label>
                    <input
                        class=format!("{class} {width}")
                        id=id
                        name=names.answer.clone()
                        type="text"
                        inputmode="numeric"
                        value=value
                        autocomplete="off"
                        spellcheck="false"
                    />
                </div>
            }
        })
        .collect_view();
    view! { <div class="date-input">{items}</div> }
}

/// Radios for single choice and scales, checkboxes for multiple choice. Exclusive answers ("None of
/// these", "Prefer not to say") stand after an "or".
#[component]
pub fn Choices(question: Question, answer: Option<Answer>, names: FieldNames, words: Words) -> impl IntoView {
    let multiple = question.kind == Kind::Multiple;
    let (group, input_type) = if multiple { ("checkboxes", "checkbox") } else { ("radios", "radio") };
    let other_text = match &answer {
        Some(Answer::Choices { other, .. }) => other.clone().unwrap_or_default(),
        _ => String::new(),
    };
    let items = question
        .options
        .iter()
        .enumerate()
        .map(|(i, option)| {
            let id = names.input(i);
            let checked = answer.as_ref().is_some_and(|a| a.includes(&option.id));
            let divider = (option.exclusive || option.id == PREFER_NOT_TO_SAY).then(|| view! { <div class=format!("{group}__divider")>{words.or.clone()}</div> });
            let hint_id = format!("{id}-hint");
            let hint = option.hint.clone().map(|h| view! {
                <div id=hint_id.clone() class=format!("hint {group}__hint")>
                    {h}
                </div>
            });
            let described = option.hint.as_ref().map(|_| hint_id.clone());
            let other = option.other.then(|| {
                view! {
                    <div class=format!("{group}__conditional")>
                        <label class="label" for=names.other_id.clone()>
                            {words.tell_us_what.clone()}
                        </label>
                        <input
                            class="input"
                            id=names.other_id.clone()
                            name=names.other.clone()
                            type="text"
                            value=other_text.clone()
                            spellcheck="true"
                        />
                    </div>
                }
            });
            // Easy Read: the answer's picture beside its words (which say it all: the picture
            // has no text of its own).
            let picture = option
                .picture
                .clone()
                .filter(|_| words.easy_read)
                .map(|name| view! { <img class="choice__picture" src=format!("/pictures/{name}.svg") alt="" width="48" height="48" /> });
            view! {
                {divider}
                <div class=format!("{group}__item")>
                    <input
                        class=format!("{group}__input")
                        id=id.clone()
                        name=names.answer.clone()
                        type=input_type
                        value=option.id.clone()
                        checked=checked
                        aria-describedby=described
                    />
                    <label class=format!("label {group}__label") for=id>
                        {picture}
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

/// The message beside a field that has a problem, after a prefix a screen reader says first ("Error:"
/// in the page's language). Every form's field errors are this markup, on the server and the device.
#[component]
pub fn FieldError(id: String, message: String, prefix: String) -> impl IntoView {
    view! {
        <p id=id class="error-message">
            <span class="visually-hidden">{prefix}" "</span>
            {message}
        </p>
    }
}
