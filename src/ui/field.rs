//! The form group every labelled control on a staff page sits in, written once: a label (or a
//! fieldset's legend), a hint and an error message when there are any, then the control. Ids
//! follow one rule, `{id}-hint` and `{id}-error`, and the control is described by both, so a
//! screen reader reads the hint and the problem with the field and an error summary's link lands on
//! it.

use super::{ErrorMessage, Problem};
use leptos::prelude::*;

/// The message for `field` among `problems`, if it has one.
pub fn message_for(problems: &[Problem], field: &str) -> Option<String> {
    problems.iter().find(|p| p.field == field).map(|p| p.message.clone())
}

/// What a control with `id` is described by: its hint and its error message, when shown.
pub fn described_by(id: &str, hint: bool, error: bool) -> Option<String> {
    let ids: Vec<String> = [(hint, "hint"), (error, "error")]
        .into_iter()
        .filter(|(shown, _)| *shown)
        .map(|(_, what)| format!("{id}-{what}"))
        .collect();
    (!ids.is_empty()).then(|| ids.join(" "))
}

/// A labelled control: its label, hint and error message, then `children` (the control, whose id
/// is `id`; see [`described_by`]).
#[component]
pub fn Field(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    #[prop(default = None)] hint: Option<String>,
    #[prop(default = None)] error: Option<String>,
    children: Children,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    view! {
        <div class="form-group">
            <label class="label" for=id>
                {label}
            </label>
            {hint
                .map(|hint| {
                    view! {
                        <div class="hint" id=hint_id>
                            {hint}
                        </div>
                    }
                })}
            {error.map(|message| view! { <ErrorMessage id=error_id message /> })}
            {children()}
        </div>
    }
}

/// A one-line text box in its form group. Its name is its id unless `name` is given.
#[component]
pub fn TextField(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(default = None)] error: Option<String>,
    #[prop(optional, into)] name: Option<String>,
    #[prop(optional, into)] value: String,
    /// The input's type: `text` unless given (`email`, `password`, `date`, `tel`).
    #[prop(default = "text")]
    kind: &'static str,
    /// A narrower box, for short values such as a language tag.
    #[prop(optional)]
    short: bool,
    /// For ids, tags, codes and addresses, which a spell checker would only mark wrong.
    #[prop(optional)]
    no_spellcheck: bool,
    #[prop(optional)] autocomplete: Option<&'static str>,
    /// `numeric` for a number, which brings up a phone's number pad.
    #[prop(optional)]
    inputmode: Option<&'static str>,
) -> impl IntoView {
    let described = described_by(&id, hint.is_some(), error.is_some());
    let class = match (kind, short) {
        ("date", _) => "input input--date",
        ("tel", _) => "input input--medium",
        (_, true) => "input input--short",
        _ => "input",
    };
    let name = name.unwrap_or_else(|| id.clone());
    let input_id = id.clone();
    view! {
        <Field id label hint error>
            <input
                class=class
                id=input_id
                name=name
                type=kind
                value=value
                autocomplete=autocomplete
                inputmode=inputmode
                spellcheck=no_spellcheck.then_some("false")
                aria-describedby=described
            />
        </Field>
    }
}

/// A box for a few lines of text in its form group. Its name is its id.
#[component]
pub fn TextArea(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(default = None)] error: Option<String>,
    #[prop(optional, into)] value: String,
    rows: u32,
    /// For text in a notation of its own (one answer a line, with ids): fixed width, no spell check.
    #[prop(optional)]
    code: bool,
) -> impl IntoView {
    let described = described_by(&id, hint.is_some(), error.is_some());
    let area_id = id.clone();
    view! {
        <Field id label hint error>
            <textarea
                class=if code { "textarea textarea--code" } else { "textarea" }
                id=area_id.clone()
                name=area_id
                rows=rows
                spellcheck=code.then_some("false")
                aria-describedby=described
            >
                {value}
            </textarea>
        </Field>
    }
}

/// Choices under one legend (checkboxes, radios), in their form group; the hint's and error
/// message's ids are `{name}-hint` and `{name}-error`, `name` being the choices' field.
#[component]
pub fn Fieldset(
    #[prop(into)] legend: String,
    /// The legend's size: `m` for the page's main question, else `s`.
    #[prop(default = "s")]
    size: &'static str,
    #[prop(optional, into)] error_id: String,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(default = None)] error: Option<String>,
    /// The fieldset's own id, where a link lands on the whole group.
    #[prop(optional)]
    id: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    let described = described_by(&error_id, hint.is_some(), error.is_some());
    view! {
        <div class="form-group">
            <fieldset class="fieldset" id=id aria-describedby=described>
                <legend class=format!("fieldset__legend fieldset__legend--{size}")>{legend}</legend>
                {hint
                    .map(|hint| {
                        view! {
                            <div class="hint" id=format!("{error_id}-hint")>
                                {hint}
                            </div>
                        }
                    })}
                {error.map(|message| view! { <ErrorMessage id=format!("{error_id}-error") message /> })}
                {children()}
            </fieldset>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_control_is_described_by_what_is_shown_beside_it() {
        assert_eq!(described_by("year", false, false), None);
        assert_eq!(described_by("year", true, false).as_deref(), Some("year-hint"));
        assert_eq!(described_by("year", true, true).as_deref(), Some("year-hint year-error"));
        assert_eq!(described_by("year", false, true).as_deref(), Some("year-error"));
    }
}
