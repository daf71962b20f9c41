//! The outreach page's island: the survey taken on the device, one question a screen as the
//! resident flow reads aloud, with the same rules (the survey module, compiled for the device);
//! entries kept on the device ([`super::keep`]) and sent through [`super::send_entries`] when
//! there is a connection.

use super::entry::{Entry, MAX_ENTRIES_PER_SEND};
use super::keep::{self, Kept};
use crate::paths::staff;
use crate::survey::view::{FieldNames, QuestionField, Words};
use crate::survey::{ANSWER_FIELD, Answer, Question, fields_of, number, read_all, read_answer, visibility};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What the page gives the device for a session: the survey's questions as published, where, who,
/// and the session's CSRF token for sending.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Kit {
    pub survey: String,
    pub title: String,
    pub version: i64,
    pub location_id: i64,
    pub location: String,
    /// Where the survey is taken, for changing the place of an entry the service refused.
    pub places: Vec<Place>,
    pub officer_id: i64,
    pub officer: String,
    pub csrf: String,
    /// The questions in each language the survey is offered in, its own first.
    pub languages: Vec<Tongue>,
}

/// A place the survey is taken at.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Place {
    pub id: i64,
    pub label: String,
}

/// The survey's questions in one language, named in that language ("Cymraeg").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tongue {
    pub tag: String,
    pub name: String,
    pub questions: Vec<Question>,
    /// The app's words around the questions, in this language.
    pub words: Words,
    /// Each question's lines of hint, in this language.
    pub hints: Vec<Vec<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Screen {
    Home,
    Question(usize),
    Check,
}

/// The next question the rules show after `after` (from the start for `None`).
pub fn next_shown(questions: &[Question], answers: &BTreeMap<String, Answer>, after: Option<usize>) -> Option<usize> {
    let shown = visibility(questions, answers);
    let from = after.map_or(0, |i| i + 1);
    (from..questions.len()).find(|&i| shown[i])
}

/// The previous question the rules show before `before`.
pub fn previous_shown(questions: &[Question], answers: &BTreeMap<String, Answer>, before: usize) -> Option<usize> {
    let shown = visibility(questions, answers);
    (0..before).rev().find(|&i| shown[i])
}

/// The answers the rules still show, as the fields an entry keeps them in.
pub fn entry_fields(questions: &[Question], answers: &BTreeMap<String, Answer>) -> Vec<(String, String)> {
    let shown = visibility(questions, answers);
    questions
        .iter()
        .zip(shown)
        .filter(|(_, shown)| *shown)
        .filter_map(|(q, _)| answers.get(&q.id).map(|a| fields_of(q, a)))
        .flatten()
        .collect()
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 { format!("1 {one}") } else { format!("{n} {many}") }
}

/// The device's state, shared by its screens and its sender. Signals are `Copy`, so the screens
/// and event handlers take it by value.
#[derive(Clone, Copy)]
struct Device {
    kit: StoredValue<Kit>,
    /// The language of the entry being taken, by its place in the kit (0: the survey's own).
    language: RwSignal<usize>,
    screen: RwSignal<Screen>,
    answers: RwSignal<BTreeMap<String, Answer>>,
    /// The kept entry being changed after the server refused it, if any.
    editing: RwSignal<Option<Entry>>,
    back_to_check: RwSignal<bool>,
    error: RwSignal<Option<String>>,
    kept: RwSignal<Vec<Kept>>,
    loaded: RwSignal<bool>,
    notice: RwSignal<Option<String>>,
    online: RwSignal<bool>,
    last_sent: RwSignal<Option<String>>,
    sending: RwSignal<bool>,
    heading: NodeRef<leptos::html::H1>,
}

impl Device {
    fn new(kit: Kit) -> Device {
        Device {
            kit: StoredValue::new(kit),
            language: RwSignal::new(0),
            screen: RwSignal::new(Screen::Home),
            answers: RwSignal::new(BTreeMap::new()),
            editing: RwSignal::new(None),
            back_to_check: RwSignal::new(false),
            error: RwSignal::new(None),
            kept: RwSignal::new(Vec::new()),
            loaded: RwSignal::new(false),
            notice: RwSignal::new(None),
            online: RwSignal::new(true),
            last_sent: RwSignal::new(None),
            sending: RwSignal::new(false),
            heading: NodeRef::new(),
        }
    }

    /// The questions in the entry's language.
    fn questions(self) -> Vec<Question> {
        self.kit.with_value(|k| k.languages[self.language.get_untracked().min(k.languages.len() - 1)].questions.clone())
    }

    /// For screen readers: the questions' language, which the officer's own words around them are not.
    fn tag(self) -> String {
        self.kit.with_value(|k| k.languages[self.language.get_untracked().min(k.languages.len() - 1)].tag.clone())
    }

    fn go(self, to: Screen) {
        self.error.set(None);
        self.screen.set(to);
    }

    /// Reads what the device keeps.
    fn reload(self) {
        let device = self;
        let Device { kept, loaded, notice, last_sent, .. } = device;
        leptos::task::spawn_local(async move {
            match keep::all().await {
                Ok(all) => kept.set(all),
                Err(e) => notice.set(Some(format!("This device could not read its kept entries: {e}"))),
            }
            last_sent.set(keep::last_sent());
            loaded.set(true);
        })
    }

    /// Sends this officer's waiting entries, a few at a time, and keeps what the server said.
    fn send(self) {
        let device = self;
        let Device { kit, notice, sending, .. } = device;
        let reload = move || device.reload();
        if sending.get_untracked() {
            return;
        }
        sending.set(true);
        leptos::task::spawn_local(async move {
            let officer_id = kit.with_value(|k| k.officer_id);
            // Read from the device itself, not the page's copy: the connection may return before
            // the page has read what is kept.
            let waiting: Vec<Entry> = keep::all()
                .await
                .unwrap_or_default()
                .into_iter()
                .filter(|k| k.refused.is_empty() && k.entry.officer_id == officer_id)
                .map(|k| k.entry)
                .collect();
            let mut sent = 0;
            for batch in waiting.chunks(MAX_ENTRIES_PER_SEND) {
                match super::send_entries(kit.with_value(|k| k.csrf.clone()), batch.to_vec()).await {
                    Ok(outcomes) => {
                        if let Err(e) = keep::record(&outcomes).await {
                            notice.set(Some(format!("Sent, but this device could not note it: {e}")));
                        }
                        sent += outcomes.iter().filter(|o| matches!(o, super::Outcome::Stored { .. })).count();
                        keep::set_last_sent();
                    }
                    Err(e) => {
                        notice.set(Some(keep::why_not_sent(&e)));
                        break;
                    }
                }
            }
            if sent > 0 {
                notice.set(Some(format!("{} sent.", plural(sent, "entry", "entries"))));
            }
            sending.set(false);
            reload();
        });
    }

    /// On the device only: read what is kept, send it if there is a connection, and again whenever
    /// the connection returns or every half minute while entries wait.
    fn keep_sending(self) {
        let device = self;
        let Device { online, .. } = device;
        let reload = move || device.reload();
        let send = move || device.send();
        // On the device only: read what is kept, send it if there is a connection, and again
        // whenever the connection returns or every half minute while entries wait.
        Effect::new(move |_| {
            online.set(keep::is_online());
            reload();
            if keep::is_online() {
                send();
            }
        });
        #[cfg(feature = "hydrate")]
        {
            let _ = window_event_listener(leptos::ev::online, move |_| {
                online.set(true);
                send();
            });
            let _ = window_event_listener(leptos::ev::offline, move |_| online.set(false));
        }
        #[cfg(feature = "hydrate")]
        let _ = set_interval_with_handle(
            move || {
                if keep::is_online() && device.kept.with_untracked(|k| k.iter().any(|k| k.refused.is_empty())) {
                    send();
                }
            },
            std::time::Duration::from_secs(30),
        );
    }

    /// A new entry, from the first question.
    fn start(self) {
        let device = self;
        let Device { answers, editing, back_to_check, notice, .. } = device;
        let questions = move || device.questions();
        let go = move |to: Screen| device.go(to);
        answers.set(BTreeMap::new());
        editing.set(None);
        back_to_check.set(false);
        notice.set(None);
        let first = next_shown(&questions(), &BTreeMap::new(), None).unwrap_or(0);
        go(Screen::Question(first));
    }
}

#[island]
pub fn OutreachDevice(kit: Kit) -> impl IntoView {
    let device = Device::new(kit);
    device.keep_sending();
    let Device { screen, heading, .. } = device;
    // Each new screen's heading takes focus, so a screen reader reads it and Tab starts there.
    Effect::new(move |first: Option<()>| {
        screen.track();
        if first.is_some()
            && let Some(h) = heading.get()
        {
            let _ = h.focus();
            // Focus scrolls the heading to the top; the Back button and the caption are above it.
            keep::scroll_to_top();
        }
    });

    view! {
        <div class="outreach">
            // Keyed, so each screen is new markup: patching one question's inputs into the next
            // would carry over what the officer ticked.
            <For each=move || [screen.get()] key=|s| *s let:s>
                {move || match s {
                    Screen::Home => home_screen(device),
                    Screen::Question(i) => question_screen(device, i),
                    Screen::Check => check_screen(device),
                }}
            </For>
        </div>
    }
}

/// The device's home: what waits to be sent, what the service refused, and starting an entry.
fn home_screen(device: Device) -> AnyView {
    let Device { kit, language, kept, loaded, notice, online, last_sent, sending, heading, .. } = device;
    let reload = move || device.reload();
    let send = move || device.send();
    let start = move |_| device.start();
    if !loaded.get() {
        // What the server renders, and what stays with JavaScript off.
        return view! {
            <h1 class="heading-l" tabindex="-1" node_ref=heading>
                "Outreach entries"
            </h1>
            <div class="notification outreach__status" role="status">
                <p class="outreach__status-title">"Getting this device ready\u{2026}"</p>
                <p class="body">
                    "If this message stays, this browser has JavaScript turned off, and entries cannot be kept on it. Use "
                    <a class="link" href=staff::ASSIST>
                        "Take a survey with a resident"
                    </a>" or a paper form instead."
                </p>
            </div>
        }
        .into_any();
    }
    let officer_id = kit.with_value(|k| k.officer_id);
    let all = kept.get();
    let waiting = all.iter().filter(|k| k.refused.is_empty() && k.entry.officer_id == officer_id).count();
    let refused: Vec<Kept> =
        all.iter().filter(|k| !k.refused.is_empty() && k.entry.officer_id == officer_id).cloned().collect();
    let others = keep::others(&all, officer_id);
    let mine = keep::taken_by(&all, officer_id);
    let unsent = mine.len();
    let status = plural(waiting, "entry is waiting to be sent", "entries are waiting to be sent");
    let last = match last_sent.get() {
        Some(at) => format!("Last sent: {at}."),
        None => "Nothing has been sent from this device yet.".to_owned(),
    };
    let refused_list = (!refused.is_empty()).then(|| {
        let items = refused.into_iter().map(|k| refused_entry(device, k)).collect_view();
        view! {
            <h2 class="heading-m">"Entries the service could not accept"</h2>
            <p class="body">
                "They stay on this device until you change their answers or where they were taken, or discard them."
            </p>
            <ul class="outreach__list">{items}</ul>
        }
        .into_any()
    });
    // Only the signed-in officer's own: another's entries are theirs to send or remove.
    let remove_mine = move |_| {
        let message = format!(
            "Remove your {} from this device? They will not be sent, and they cannot be brought back.",
            plural(unsent, "unsent entry", "unsent entries")
        );
        if keep::confirm(&message) {
            let mine = mine.clone();
            leptos::task::spawn_local(async move {
                match keep::remove(&mine).await {
                    Ok(()) => notice.set(Some(format!(
                        "{} removed from this device.",
                        plural(unsent, "unsent entry", "unsent entries")
                    ))),
                    Err(e) => notice.set(Some(format!("This device could not remove them: {e}"))),
                }
                reload();
            });
        }
    };
    view! {
        <h1 class="heading-l" tabindex="-1" node_ref=heading>
            "Outreach entries"
        </h1>
        <div class="notification outreach__status" role="status">
            <p class="outreach__status-title">{status}</p>
            <p class="body">{last}</p>
            {move || {
                (!online.get())
                    .then(|| {
                        view! {
                            <p class="body">
                                "No connection: entries are kept on this device and sent when it returns."
                            </p>
                        }
                    })
            }}
        </div>
        {move || notice.get().map(|n| view! { <p class="body outreach__notice">{n}</p> })}
        {language_choice(kit.with_value(|k| k.languages.clone()), language)}
        <div class="button-group">
            <button type="button" class="button button--start" on:click=start>
                "Start a new entry"
            </button>
            <button
                type="button"
                class="button button--secondary"
                on:click=move |_| send()
                disabled=move || sending.get()
            >
                "Send now"
            </button>
        </div>
        {refused_list}
        {others
            .into_iter()
            .map(|(name, n)| {
                view! {
                    <p class="body">
                        {format!(
                            "{} taken by {name} {} on this device until they sign in here.",
                            plural(n, "entry", "entries"),
                            if n == 1 { "waits" } else { "wait" },
                        )}
                    </p>
                }
            })
            .collect_view()}
        {(unsent > 0)
            .then(|| {
                view! {
                    <h2 class="heading-m">"A lost or shared device"</h2>
                    <p class="body">
                        "Signing out leaves your entries waiting here, and keeps nothing else of yours on this device."
                    </p>
                    <button type="button" class="button button--warning" on:click=remove_mine>
                        "Remove your unsent entries from this device"
                    </button>
                }
            })}
    }
    .into_any()
}

/// An entry the service refused, with why, and what the officer can do about it: change its
/// answers or its place, or discard it.
fn refused_entry(device: Device, k: Kept) -> impl IntoView {
    let Device { kit, language, answers, editing, back_to_check, notice, .. } = device;
    let questions = move || device.questions();
    let go = move |to: Screen| device.go(to);
    let reload = move || device.reload();
    let send = move || device.send();
    let taken = keep::clock(k.entry.taken_at);
    let entry = k.entry.clone();
    let id = k.entry.id.clone();
    let change = move |_| {
        let tag = entry.language.clone();
        language.set(kit.with_value(|k| k.languages.iter().position(|t| Some(&t.tag) == tag.as_ref()).unwrap_or(0)));
        let qs = questions();
        let read = read_all(&qs, &entry.answers, keep::day_of(entry.taken_at))
            .map(|all| all.answers)
            .unwrap_or_else(|(kept, _)| kept);
        answers.set(read);
        editing.set(Some(entry.clone()));
        back_to_check.set(false);
        go(Screen::Check);
    };
    let place = change_place(kit.with_value(|k| k.places.clone()), k.clone(), notice, reload, send);
    let discard = move |_| {
        if keep::confirm("Discard this entry? It will not be sent, and it cannot be brought back.") {
            let id = id.clone();
            leptos::task::spawn_local(async move {
                if let Err(e) = keep::remove(&[id]).await {
                    notice.set(Some(format!("This device could not discard it: {e}")));
                }
                reload();
            });
        }
    };
    view! {
        <li class="outreach__refused">
            <h3 class="heading-s">{format!("Taken at {taken}")}</h3>
            <ul class="list">{k.refused.iter().map(|r| view! { <li>{r.clone()}</li> }).collect_view()}</ul>
            {place}
            <div class="button-group">
                <button type="button" class="button button--secondary" on:click=change>
                    "Change answers"
                </button>
                <button type="button" class="button button--warning" on:click=discard>
                    "Discard this entry"
                </button>
            </div>
        </li>
    }
}

/// One question, as the resident's page shows it.
fn question_screen(device: Device, index: usize) -> AnyView {
    let Device { kit, language, answers, back_to_check, error, heading, .. } = device;
    let questions = move || device.questions();
    let tag = move || device.tag();
    let go = move |to: Screen| device.go(to);
    let qs = questions();
    let q = qs[index].clone();
    let total = qs.len();
    let answer = answers.with(|a| a.get(&q.id).cloned());
    let on_submit = {
        let q = q.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let fields = keep::form_fields(&ev);
            match read_answer(&q, &fields, keep::day_of(keep::now())) {
                Err(e) => error.set(Some(e.0)),
                Ok(read) => {
                    answers.update(|a| match read {
                        Some(read) => {
                            a.insert(q.id.clone(), read);
                        }
                        None => {
                            a.remove(&q.id);
                        }
                    });
                    let next = if back_to_check.get_untracked() {
                        None
                    } else {
                        answers.with_untracked(|a| next_shown(&questions(), a, Some(index)))
                    };
                    go(next.map_or(Screen::Check, Screen::Question));
                }
            }
        }
    };
    let back = move |_| {
        let to = if back_to_check.get_untracked() {
            None
        } else {
            answers.with_untracked(|a| previous_shown(&questions(), a, index))
        };
        go(to.map_or(if back_to_check.get_untracked() { Screen::Check } else { Screen::Home }, Screen::Question));
    };
    let message = error.get();
    let summary = message.clone().map(|m| {
        view! {
            <div class="error-summary" role="alert">
                <h2 class="error-summary__title">"There is a problem"</h2>
                <ul class="error-summary__list">
                    <li>
                        <a href=format!("#{ANSWER_FIELD}")>{m}</a>
                    </li>
                </ul>
            </div>
        }
    });
    // The question as the resident's page shows it, with the words around it in the
    // entry's language; the caption says where it stands instead of its section.
    let (words, hints) = kit.with_value(|k| {
        let tongue = &k.languages[language.get_untracked().min(k.languages.len() - 1)];
        (tongue.words.clone(), tongue.hints.get(index).cloned().unwrap_or_default())
    });
    let control = view! {
        <QuestionField
            hints
            words
            names=FieldNames::single_question()
            caption=Some(format!("Question {} of {total}", number(index)))
            focus=heading
            question=q
            answer
            error=message
        />
    };
    view! {
        <button type="button" class="back-link link-button" on:click=back>
            "Back"
        </button>
        {summary}
        <form class="outreach__question" on:submit=on_submit novalidate>
            <div lang=tag()>{control}</div>
            <button type="submit" class="button">
                "Continue"
            </button>
        </form>
    }
    .into_any()
}

/// The answers to check before the entry is kept.
fn check_screen(device: Device) -> AnyView {
    let Device { kit, language, answers, editing, back_to_check, error, notice, heading, .. } = device;
    let questions = move || device.questions();
    let tag = move || device.tag();
    let go = move |to: Screen| device.go(to);
    let reload = move || device.reload();
    let send = move || device.send();
    let qs = questions();
    let current = answers.get();
    let shown = visibility(&qs, &current);
    let rows = qs
        .iter()
        .enumerate()
        .filter(|(i, q)| shown[*i] && q.kind.asks())
        .map(|(i, q)| {
            let said = current.get(&q.id).map(|a| a.describe(q)).unwrap_or_else(|| vec!["Not answered".to_owned()]);
            let change = move |_| {
                back_to_check.set(true);
                go(Screen::Question(i));
            };
            view! {
                <div class="summary-list__row">
                    <dt class="summary-list__key" lang=tag()>
                        {format!("{}. {}", number(i), q.text)}
                    </dt>
                    <dd class="summary-list__value" lang=tag()>
                        {said.into_iter().map(|line| view! { <p class="summary-list__line">{line}</p> }).collect_view()}
                    </dd>
                    <dd class="summary-list__actions">
                        <button type="button" class="link-button" on:click=change>
                            "Change"
                            <span class="visually-hidden">{format!(" {}", q.text)}</span>
                        </button>
                    </dd>
                </div>
            }
        })
        .collect_view();
    let save = move |_| {
        let qs = questions();
        let fields = answers.with_untracked(|a| entry_fields(&qs, a));
        // The same final check the server makes: an entry the device keeps is one it would take.
        let taken_at = editing.get_untracked().map_or_else(keep::now, |e| e.taken_at);
        if let Err((_, problems)) = read_all(&qs, &fields, keep::day_of(taken_at)) {
            error.set(problems.into_iter().next().map(|p| p.message));
            return;
        }
        let entry = match editing.get_untracked() {
            Some(before) => Entry { answers: fields, ..before },
            None => kit.with_value(|k| Entry {
                id: keep::new_id(),
                survey: k.survey.clone(),
                version: k.version,
                location_id: k.location_id,
                officer_id: k.officer_id,
                taken_at: keep::now(),
                language: (language.get_untracked() > 0).then(|| k.languages[language.get_untracked()].tag.clone()),
                answers: fields,
            }),
        };
        leptos::task::spawn_local(async move {
            let officer = kit.with_value(|k| k.officer.clone());
            match keep::put(&Kept { id: entry.id.clone(), entry, refused: Vec::new(), officer }).await {
                Ok(()) => {
                    answers.set(BTreeMap::new());
                    editing.set(None);
                    notice.set(Some("Entry saved on this device. It is sent when there is a connection.".to_owned()));
                    go(Screen::Home);
                    reload();
                    if keep::is_online() {
                        send();
                    }
                }
                Err(e) => error.set(Some(format!("This device could not keep the entry: {e}. Nothing was saved."))),
            }
        });
    };
    let back = move |_| {
        let last = answers.with_untracked(|a| previous_shown(&questions(), a, questions().len()));
        go(last.map_or(Screen::Home, Screen::Question));
    };
    view! {
        <button type="button" class="back-link link-button" on:click=back>
            "Back"
        </button>
        {move || {
            error
                .get()
                .map(|m| {
                    view! {
                        <div class="error-summary" role="alert">
                            <h2 class="error-summary__title">"There is a problem"</h2>
                            <p class="body">{m}</p>
                        </div>
                    }
                })
        }}
        <h1 class="heading-l" tabindex="-1" node_ref=heading>
            "Check the answers"
        </h1>
        <dl class="summary-list">{rows}</dl>
        <button type="button" class="button" on:click=save>
            "Save this entry"
        </button>
    }
    .into_any()
}

/// For an entry the service refused: where it was taken, which the officer can change (the
/// session's place was wrong, or the survey is no longer taken there); the entry is then sent again.
fn change_place(
    places: Vec<Place>,
    kept: Kept,
    notice: RwSignal<Option<String>>,
    reload: impl Fn() + Copy + 'static,
    send: impl Fn() + Copy + 'static,
) -> Option<AnyView> {
    if places.is_empty() {
        return None;
    }
    let field = format!("place-{}", kept.id);
    let listed = places.iter().any(|p| p.id == kept.entry.location_id);
    let chosen = RwSignal::new(listed.then_some(kept.entry.location_id));
    let options = places
        .iter()
        .map(|p| {
            let id = p.id;
            view! {
                <option value=id.to_string() selected=move || chosen.get() == Some(id)>
                    {p.label.clone()}
                </option>
            }
        })
        .collect_view();
    let save = move |_| {
        let Some(place) = chosen.get_untracked() else {
            notice.set(Some("Choose where the entry was taken.".to_owned()));
            return;
        };
        let mut kept = Kept { refused: Vec::new(), ..kept.clone() };
        kept.entry.location_id = place;
        leptos::task::spawn_local(async move {
            match keep::put(&kept).await {
                Ok(()) => {
                    notice.set(Some("The place is changed: the entry waits to be sent again.".to_owned()));
                    reload();
                    if keep::is_online() {
                        send();
                    }
                }
                Err(e) => notice.set(Some(format!("This device could not change the place: {e}"))),
            }
        });
    };
    Some(
        view! {
            <div class="form-group">
                <label class="label" for=field.clone()>
                    "Where it was taken"
                </label>
                <select
                    class="select"
                    id=field
                    on:change=move |ev| {
                        chosen.set(event_target_value(&ev).parse().ok());
                    }
                >
                    {(!listed)
                        .then(|| {
                            view! {
                                <option value="" selected=true>
                                    "Choose a place"
                                </option>
                            }
                        })}
                    {options}
                </select>
            </div>
            <button type="button" class="button button--secondary" on:click=save>
                "Send with this place"
            </button>
        }
        .into_any(),
    )
}

/// Which language the next entry is taken in, when the survey is offered in more than one. The
/// questions change; the officer's own words (Continue, Check the answers) stay in English.
fn language_choice(languages: Vec<Tongue>, language: RwSignal<usize>) -> Option<impl IntoView> {
    (languages.len() > 1).then(|| {
        let options = languages
            .into_iter()
            .enumerate()
            .map(|(i, t)| {
                view! {
                    <option value=i.to_string() selected=move || language.get() == i lang=t.tag>
                        {t.name}
                    </option>
                }
            })
            .collect_view();
        let chosen = move |ev: leptos::ev::Event| {
            if let Ok(i) = event_target_value(&ev).parse() {
                language.set(i);
            }
        };
        view! {
            <div class="form-group">
                <label class="label" for="language">
                    "Language of the next entry"
                </label>
                <select class="select" id="language" on:change=chosen>
                    {options}
                </select>
            </div>
        }
    })
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn the_device_walks_the_rules_as_the_server_reads_them() {
        let survey = crate::survey::builtin();
        let qs = survey.questions();
        let pos = |id| survey.position(id).unwrap();
        let mut answers = BTreeMap::new();
        assert_eq!(next_shown(qs, &answers, None), Some(0));
        answers.insert("used_online".to_owned(), Answer::Choice("no".into()));
        assert_eq!(next_shown(qs, &answers, Some(0)), Some(pos("why_not_online")), "the follow-up for No");
        // A stale answer to a question the rules now hide is never kept in the entry.
        answers.insert("use_again".to_owned(), Answer::Choice("yes".into()));
        let fields = entry_fields(qs, &answers);
        assert!(fields.iter().all(|(k, _)| k != "use_again"), "{fields:?}");
        assert!(read_all(qs, &fields, jiff::civil::date(2026, 12, 6)).is_ok());
        assert_eq!(previous_shown(qs, &answers, pos("why_not_online")), Some(0));
    }
}
