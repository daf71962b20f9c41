//! The page layout and the small set of shared components every page uses, in the spirit of the
//! GOV.UK Design System. Pages are rendered on the server with Leptos and ship no JavaScript.

mod field;
mod form;
pub mod question;
mod style;

pub use field::{Field, Fieldset, TextArea, TextField, described_by, message_for};
pub use form::{
    Form, FormFields, NoFields, Switch, check, flag, iso_date, large_form, problems, required, trimmed, trimmed_text,
};
pub use style::{STYLESHEET_PATH, serve_stylesheet, stylesheet};

use crate::config::Config;
use crate::db::retry::LostConnection;
use crate::error::ErrorPage;
use crate::i18n::{Language, t};
use crate::paths::staff;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use leptos::prelude::*;

/// What every page's frame needs to know, given to components through Leptos context.
#[derive(Debug, Clone)]
pub struct Chrome {
    pub council: String,
    /// Where the footer's privacy link goes, when the page belongs to a survey.
    pub privacy: Option<String>,
    /// On staff pages: who is signed in, for the header's sign-out form.
    pub signed_in: Option<SignedInNav>,
    /// A line above the page's content, such as "Preview: nothing is saved".
    pub banner: Option<String>,
    /// The language of the page; the app's own words come in it where the app has them.
    pub language: Language,
    /// On residents' pages of a survey offered in several languages: a link to this page in each.
    pub languages: Vec<LanguageLink>,
}

/// A link to the same page in another language, written in that language.
#[derive(Debug, Clone)]
pub struct LanguageLink {
    pub language: Language,
    pub name: String,
    pub href: String,
}

#[derive(Debug, Clone)]
pub struct SignedInNav {
    pub name: String,
    pub csrf: String,
}

impl Chrome {
    /// The council's frame, in English, with nobody signed in.
    pub fn council(config: &Config) -> Chrome {
        Chrome {
            council: config.council_name.clone(),
            privacy: None,
            signed_in: None,
            banner: None,
            language: Language::english(),
            languages: Vec::new(),
        }
    }

    /// A staff page's frame: who is signed in, for the header's sign-out form.
    pub fn staff(config: &Config, nav: SignedInNav) -> Chrome {
        Chrome { signed_in: Some(nav), ..Chrome::council(config) }
    }
}

/// Renders a view to a complete HTML response. The view is built inside a fresh reactive owner that
/// carries `chrome`, so components can read it from context.
pub fn render<V: IntoView + 'static>(chrome: Chrome, status: StatusCode, view: impl FnOnce() -> V) -> Response {
    respond(chrome, status, view, false)
}

/// [`render`] for a page with islands, which keeps the markers their hydration finds its way by,
/// written as the empty comments they parse to (`<!---->`), which a validator accepts.
pub fn render_with_islands<V: IntoView + 'static>(
    chrome: Chrome,
    status: StatusCode,
    view: impl FnOnce() -> V,
) -> Response {
    respond(chrome, status, view, true)
}

fn respond<V: IntoView + 'static>(
    chrome: Chrome,
    status: StatusCode,
    view: impl FnOnce() -> V,
    islands: bool,
) -> Response {
    let owner = Owner::new();
    let html = owner.with(|| {
        provide_context(chrome.language.clone());
        provide_context(chrome);
        view().into_view().to_html()
    });
    let html = if islands { html.replace("<!>", "<!---->") } else { without_hydration_markers(html) };
    let mut response = (status, format!("<!DOCTYPE html>{html}")).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    response
}

/// Leptos writes an empty comment, `<!>`, between adjacent pieces of text so that hydration can
/// find each one again. No page hydrates, so they are only noise, and each is an error to an HTML
/// validator ("bogus comment"). Removing every `<!>` is safe because Leptos escapes `<` in all text
/// and attribute values, and the only markup put in as it is (`inner_html`) is escaped text or a QR
/// code's SVG: a literal `<!>` can only be a marker. A page with islands keeps them.
fn without_hydration_markers(html: String) -> String {
    if html.contains("<!>") { html.replace("<!>", "") } else { html }
}

/// The document around every page: skip link, header, optional back link, main, footer.
#[component]
pub fn Page(
    /// The page's own title; the council's name is added after it.
    title: String,
    #[prop(optional, into)] back: Option<String>,
    /// For wide tables read on a desktop, such as the committee report: no line-length limit.
    #[prop(optional)]
    wide: bool,
    /// A module script the page loads: only pages with islands have one.
    #[prop(optional, into)]
    script: Option<String>,
    children: Children,
) -> impl IntoView {
    let chrome = expect_context::<Chrome>();
    let full_title = format!("{title} \u{2013} {}", chrome.council);
    let lang = if chrome.language == Language::english() { "en-GB".to_owned() } else { chrome.language.to_string() };
    let dir = chrome.language.direction();
    let languages = (!chrome.languages.is_empty()).then(|| {
        let links = chrome
            .languages
            .iter()
            .map(|link| {
                let tag = link.language.to_string();
                let current = (link.language == chrome.language).then_some("true");
                view! {
                    <li class="languages__item">
                        <a
                            class="link languages__link"
                            href=link.href.clone()
                            lang=tag.clone()
                            hreflang=tag
                            dir=link.language.direction()
                            aria-current=current
                        >
                            {link.name.clone()}
                        </a>
                    </li>
                }
            })
            .collect_view();
        view! {
            <nav class="languages" aria-label=t("languages")>
                <ul class="languages__list">{links}</ul>
            </nav>
        }
    });
    view! {
        <html lang=lang dir=dir>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                // Set as inner HTML: a text child would carry Leptos's hydration marker `<!>`, which
                // a title shows literally.
                <title inner_html=escape_text(&full_title)></title>
                <link rel="stylesheet" href=stylesheet().0 />
                <link rel="icon" href="data:," />
                {script.map(|src| view! { <script type="module" src=src></script> })}
            </head>
            <body>
                <a href="#main-content" class="skip-link">
                    {t("skip-link")}
                </a>
                <header class="header">
                    <div class="width-container">
                        <span class="header__council">{chrome.council.clone()}</span>
                        {chrome
                            .signed_in
                            .map(|nav| {
                                view! {
                                    <nav class="header__staff" aria-label="Staff">
                                        <a href=staff::HOME class="header__link">
                                            "Staff home"
                                        </a>
                                        <span class="header__name">{nav.name}</span>
                                        <form method="post" action=staff::LOGOUT class="header__form">
                                            <input type="hidden" name="csrf" value=nav.csrf />
                                            <button type="submit" class="header__button">
                                                "Sign out"
                                            </button>
                                        </form>
                                    </nav>
                                }
                            })}
                    </div>
                </header>
                <div class="width-container">
                    {languages}
                    {chrome
                        .banner
                        .map(|text| {
                            view! {
                                <p class="banner">
                                    <strong class="tag">"Preview"</strong>
                                    " "
                                    {text}
                                </p>
                            }
                        })}
                    {back
                        .map(|href| {
                            view! {
                                <a href=href class="back-link">
                                    {t("back")}
                                </a>
                            }
                        })} <main class=if wide { "main main--wide" } else { "main" } id="main-content">
                        {children()}
                    </main>
                </div>
                <footer class="footer">
                    <div class="width-container">
                        {chrome
                            .privacy
                            .map(|href| {
                                view! {
                                    <a href=href class="footer__link">
                                        {t("privacy-notice")}
                                    </a>
                                }
                            })} <p class="footer__text">{chrome.council}</p>
                    </div>
                </footer>
            </body>
        </html>
    }
}

/// The text with its first letter in capitals: "skills" to "Skills".
pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

/// A QR code for `link` as an SVG document, for posters and paper forms.
pub fn qr_code_svg(link: &str) -> Result<String, crate::error::AppError> {
    let code = qrcode::QrCode::new(link.as_bytes())
        .map_err(|e| crate::error::AppError::Internal(anyhow::anyhow!("QR code: {e}")))?;
    Ok(code.render::<qrcode::render::svg::Color>().min_dimensions(200, 200).quiet_zone(true).build())
}

/// The same QR code as an `<svg>` element to put in a page, where an XML declaration would be text.
pub fn qr_code_inline(link: &str) -> Result<String, crate::error::AppError> {
    let document = qr_code_svg(link)?;
    Ok(match document.find("<svg") {
        Some(start) => document[start..].to_owned(),
        None => document,
    })
}

/// Escapes text for use as HTML content.
fn escape_text(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// One problem in a form: the message and the id of the field it is about.
#[derive(Debug, Clone)]
pub struct Problem {
    pub field: String,
    pub message: String,
}

/// The error summary at the top of a page. It takes focus when the page loads so that screen
/// readers announce it, without JavaScript.
#[component]
pub fn ErrorSummary(problems: Vec<Problem>) -> impl IntoView {
    (!problems.is_empty()).then(|| {
        view! {
            <div class="error-summary" tabindex="-1" autofocus="">
                <div role="alert">
                    <h2 class="error-summary__title">{t("there-is-a-problem")}</h2>
                    <ul class="error-summary__list">
                        {problems
                            .into_iter()
                            .map(|p| {
                                view! {
                                    <li>
                                        <a href=format!("#{}", p.field)>{p.message}</a>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </div>
            </div>
        }
    })
}

/// A table that may scroll sideways on a phone. The scrolling box takes keyboard focus so that
/// keyboard users can scroll it too (WCAG 2.1.1), and is named for screen readers. `columns` are
/// the header cells; those from `numeric_from` on hold figures and are right-aligned. The
/// children are the table's body. A table with no rows is not drawn: a line says there is nothing
/// yet, where a bare header would leave people wondering whether the page failed.
#[component]
pub fn ScrollingTable(
    label: String,
    columns: Vec<&'static str>,
    /// Header cells worked out at run time, after `columns`.
    #[prop(optional)]
    more_columns: Vec<String>,
    #[prop(optional)] numeric_from: Option<usize>,
    children: Children,
) -> impl IntoView {
    let caption = label.clone();
    let numeric_from = numeric_from.unwrap_or(usize::MAX);
    let header = columns
        .into_iter()
        .map(str::to_owned)
        .chain(more_columns)
        .enumerate()
        .map(|(i, c)| {
            let class = (i >= numeric_from).then_some("numeric");
            view! {
                <th scope="col" class=class>
                    {c}
                </th>
            }
        })
        .collect_view();
    // Pages are only ever rendered on the server, so the body can be rendered first to see whether
    // it has any rows; it is Leptos's own escaped output, put back as it is.
    let body = children().into_view().to_html();
    if !body.contains("<tr") {
        let what = label.split(',').next().unwrap_or_default().to_owned();
        return view! { <p class="body empty">{format!("{what}: none yet.")}</p> }.into_any();
    }
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=label>
            <table class="table">
                <caption class="visually-hidden">{caption}</caption>
                <thead>
                    <tr>{header}</tr>
                </thead>
                <tbody inner_html=body></tbody>
            </table>
        </div>
    }
    .into_any()
}

/// A staff form that uploads one file (the field `file`, read by `staff::session::read_upload`).
#[component]
pub fn UploadForm(
    action: String,
    csrf: String,
    label: &'static str,
    /// The file types the browser offers first, as for `<input accept>`.
    accept: &'static str,
    button: &'static str,
    #[prop(optional)] secondary: bool,
    /// More fields, after the file.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let class = if secondary { "button button--secondary" } else { "button" };
    view! {
        <form method="post" action=action enctype="multipart/form-data">
            <input type="hidden" name="csrf" value=csrf />
            <Field id="file" label>
                <input class="file-upload" id="file" name="file" type="file" accept=accept />
            </Field>
            {children.map(|c| c())}
            <button type="submit" class=class>
                {button}
            </button>
        </form>
    }
}

/// The message beside a field that has a problem.
#[component]
pub fn ErrorMessage(id: String, message: String) -> impl IntoView {
    view! { <crate::survey::view::FieldError id message prefix=t("error-prefix") /> }
}

/// One row of a summary list (`<dl class="summary-list">`): what it is, then `children`; `prose`
/// for a value in sentences, which wraps as text does.
#[component]
pub fn SummaryRow(key: &'static str, #[prop(optional)] prose: bool, children: Children) -> impl IntoView {
    view! {
        <div class="summary-list__row">
            <dt class="summary-list__key">{key}</dt>
            <dd class=if prose { "summary-list__value prose" } else { "summary-list__value" }>{children()}</dd>
        </div>
    }
}

/// A line saying what was just done, which a screen reader announces; nothing when `text` is none.
#[component]
pub fn Notification(text: Option<String>) -> impl IntoView {
    text.map(|text| {
        view! {
            <div class="notification" role="status">
                <p class="body">{text}</p>
            </div>
        }
    })
}

/// One checkbox with its label. Its id is `{name}-{value}`, which an error summary can link to.
#[component]
pub fn Checkbox(
    #[prop(into)] name: String,
    #[prop(into)] value: String,
    #[prop(into)] label: String,
    #[prop(default = false)] checked: bool,
) -> impl IntoView {
    let id = format!("{name}-{value}");
    view! {
        <div class="checkboxes__item">
            <input class="checkboxes__input" id=id.clone() name=name type="checkbox" value=value checked=checked />
            <label class="label checkboxes__label" for=id>
                {label}
            </label>
        </div>
    }
}

/// A drop-down of `items` (value, label) with its label and error message, for a long list; first,
/// when `none` is given, an option for none of them ("All", "No comparison").
#[component]
pub fn Select(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    items: Vec<(String, String)>,
    chosen: String,
    #[prop(default = None)] error: Option<String>,
    #[prop(default = None)] none: Option<&'static str>,
) -> impl IntoView {
    let options = items
        .into_iter()
        .map(|(value, text)| {
            let selected = value == chosen;
            view! {
                <option value=value selected=selected>
                    {text}
                </option>
            }
        })
        .collect_view();
    view! {
        <Field id=name.clone() label error>
            <select class="select" id=name.clone() name=name>
                {none.map(|none| view! { <option value="">{none}</option> })}
                {options}
            </select>
        </Field>
    }
}

/// A question answered by choosing one of `items` (value, label): the fieldset and its legend, the
/// error message if there is one, and a radio each. The first radio's id is `name`, where an error
/// summary's link lands.
#[component]
pub fn Radios(
    name: &'static str,
    legend: &'static str,
    items: Vec<(String, String)>,
    chosen: String,
    error: Option<String>,
) -> impl IntoView {
    let radios = items
        .into_iter()
        .enumerate()
        .map(|(i, (value, label))| {
            let id = if i == 0 { name.to_owned() } else { format!("{name}-{}", i + 1) };
            let checked = value == chosen;
            view! {
                <div class="radios__item">
                    <input class="radios__input" id=id.clone() name=name type="radio" value=value checked=checked />
                    <label class="label radios__label" for=id>
                        {label}
                    </label>
                </div>
            }
        })
        .collect_view();
    view! {
        <Fieldset legend size="m" error_id=name error>
            <div class="radios">{radios}</div>
        </Fieldset>
    }
}

/// A page that explains something went wrong, with the status the error carries.
pub fn error_page(chrome: Chrome, status: StatusCode, page: ErrorPage) -> Response {
    // In the page's language, where the app has words for it; else as the error wrote it.
    let language = chrome.language.clone();
    let localised = page.words.filter(|_| crate::i18n::has_own_words(&language) && language.base() != "en");
    let say = |part: &str, own: String| {
        localised.map_or(own, |w| crate::i18n::text_in(&language, &format!("error-{w}-{part}")))
    };
    let heading = say("heading", page.heading.to_owned());
    let message = say("message", page.message);
    let link = page.link.map(|(href, text)| (href, say("link", text.to_owned())));
    render(chrome, status, move || {
        view! {
            <Page title=heading.clone()>
                <h1 class="heading-l">{heading}</h1>
                <p class="body">{message}</p>
                {link
                    .map(|(href, text)| {
                        view! {
                            <p class="body">
                                <a href=href class="link">
                                    {text}
                                </a>
                            </p>
                        }
                    })}
            </Page>
        }
    })
}

/// Middleware: any error response (from our handlers, or from axum itself such as 405) becomes a
/// page in the service's own layout with the same status.
pub async fn error_pages(
    axum::extract::State(chrome): axum::extract::State<Chrome>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    // Only a resident has "answers so far" to reassure them about.
    let staff_side = request.uri().path().starts_with(staff::HOME);
    let change = !request.method().is_safe();
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let already_html =
        response.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    // A server function's error is read by the page that called it, in the form it was written.
    let for_a_page = response.headers().contains_key(leptos::server_fn::error::SERVER_FN_ERROR_HEADER);
    if already_html || for_a_page {
        return response;
    }
    let page = response.extensions().get::<ErrorPage>().cloned().unwrap_or_else(|| ErrorPage::for_status(status));
    // A resident's page says in which language (see `app::resident_language`).
    // Only where the app has words in it: an error page in English says `lang="en-GB"`.
    let chrome = match response.extensions().get::<Language>() {
        Some(language) if crate::i18n::has_own_words(language) => Chrome { language: language.clone(), ..chrome },
        _ => chrome,
    };
    let page = match status {
        // A staff change is not run again when the database connection went (a resident's is).
        _ if staff_side && change && response.extensions().get::<LostConnection>().is_some() => {
            ErrorPage::staff_lost_connection()
        }
        s if staff_side && s.is_server_error() => ErrorPage::staff_server_error(),
        StatusCode::PAYLOAD_TOO_LARGE if staff_side => ErrorPage::staff_too_large(),
        _ => page,
    };
    let mut rendered = error_page(chrome, status, page);
    // Keep headers such as Allow (405) that tell a client what would work.
    for (name, value) in response.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            rendered.headers_mut().insert(name.clone(), value.clone());
        }
    }
    rendered
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_carry_no_hydration_markers_and_keep_text_that_looks_like_one() {
        let typed = "a <!> b".to_owned();
        let html = Owner::new().with(|| view! { <p>"Hello, "{typed}"!"</p> }.to_html());
        assert!(html.contains("<!>"), "Leptos marks adjacent text: {html}");
        assert_eq!(without_hydration_markers(html), "<p>Hello, a &lt;!&gt; b!</p>");
    }

    #[test]
    fn an_empty_table_says_there_is_nothing_yet() {
        let table = |rows: Vec<&'static str>| {
            Owner::new().with(|| {
                let rows = rows
                    .into_iter()
                    .map(|r| {
                        view! {
                            <tr>
                                <td>{r}</td>
                            </tr>
                        }
                    })
                    .collect_view();
                view! {
                    <ScrollingTable label="Audit log, newest first".to_owned() columns=vec!["What"]>
                        {rows}
                    </ScrollingTable>
                }
                .to_html()
            })
        };
        let empty = table(vec![]);
        assert!(empty.contains("Audit log: none yet.") && !empty.contains("<table"), "{empty}");
        let one = table(vec!["sign-in <x>"]);
        assert!(
            one.contains("<td>sign-in &lt;x&gt;</td>")
                && one.contains("<caption class=\"visually-hidden\">Audit log, newest first</caption>"),
            "{one}"
        );
    }

    #[tokio::test]
    async fn a_staff_change_that_lost_its_connection_says_it_may_have_been_saved() {
        use tower::ServiceExt;
        let lost = || async {
            let mut response = StatusCode::INTERNAL_SERVER_ERROR.into_response();
            response.extensions_mut().insert(LostConnection);
            response
        };
        let chrome = Chrome::council(&Config::for_database("sqlite:unused.db"));
        let router = axum::Router::new()
            .route("/staff/plan", axum::routing::get(lost).post(lost))
            .route("/s/x/q/y", axum::routing::post(lost))
            .layer(axum::middleware::from_fn_with_state(chrome, error_pages));
        let page = |method: &'static str, path: &'static str| {
            let router = router.clone();
            async move {
                let request =
                    axum::extract::Request::builder().method(method).uri(path).body(axum::body::Body::empty());
                let response = router.oneshot(request.unwrap()).await.unwrap();
                let body = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
                String::from_utf8(body.to_vec()).unwrap()
            }
        };
        assert!(page("POST", "/staff/plan").await.contains("we cannot tell whether that was saved"));
        assert!(page("GET", "/staff/plan").await.contains("Nothing was changed"), "a read changed nothing");
        assert!(page("POST", "/s/x/q/y").await.contains("Your answers so far have been saved"));
    }
}
