//! The privacy notice residents read, linked from every page of a survey: the admin's own wording,
//! or the default, which names the controller, the purpose, the lawful basis, the retention periods
//! and the contact from the survey's settings.

use crate::error::AppError;
use crate::i18n::Language;
use crate::paths::resident;
use crate::respond;
use crate::state::AppState;
use crate::survey::Keep;
use crate::survey::privacy as settings;
use crate::ui::{Page, render};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use leptos::prelude::*;

/// The admin's wording as blocks: a line starting `## ` is a heading, and blank lines separate
/// paragraphs. Everything is shown as text, never as HTML.
pub fn blocks(notice: &str) -> Vec<(bool, String)> {
    let mut blocks = Vec::new();
    for chunk in notice.split("\n\n").map(str::trim).filter(|c| !c.is_empty()) {
        for (i, line) in chunk.lines().enumerate() {
            match line.strip_prefix("## ") {
                Some(heading) => blocks.push((true, heading.trim().to_owned())),
                None if i == 0 || blocks.last().is_some_and(|(h, _)| *h) => {
                    blocks.push((false, line.trim().to_owned()))
                }
                None => {
                    if let Some((_, text)) = blocks.last_mut() {
                        text.push(' ');
                        text.push_str(line.trim());
                    }
                }
            }
        }
    }
    blocks
}

/// In the resident's language (`?lang=`, or their draft's): the admin's own notice in it when the
/// survey's translation has one, else the default notice in the app's words for it. An admin's
/// notice with no translation is shown as written, in the survey's own language.
pub async fn page(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let version = state.surveys.current(&state.db, &slug).await?.ok_or(AppError::NotFound)?;
    let council = state.config.council_name.clone();
    let privacy = settings::load(&state.db, version.survey_id, &council).await?;
    let chosen = respond::language_for(&state, &uri, &headers).await?.filter(|l| l != version.survey.language());
    let translated = chosen.as_ref().and_then(|l| version.survey.definition().translations.get(l.as_str()));
    let (blocks, language): (Vec<(bool, String)>, Language) =
        match (&privacy.notice, translated.and_then(|t| t.privacy_notice.as_deref())) {
            (Some(_), Some(theirs)) => (blocks(theirs), chosen.clone().expect("translated")),
            (Some(own), None) => (blocks(own), version.survey.language().clone()),
            (None, _) => {
                // The app's words: in the language chosen where the app has it.
                let language = chosen
                    .clone()
                    .filter(crate::i18n::has_own_words)
                    .unwrap_or_else(|| version.survey.language().clone());
                let mut notice = privacy.default_notice(&council, &language);
                // What a postcode question keeps, under what is collected.
                let postcode = version.survey.questions().iter().find_map(|q| q.postcode.as_ref().map(|p| p.keep));
                if let (Some(keep), Some((_, what))) = (postcode, notice.get_mut(1)) {
                    let id = if keep == Keep::Ward { "notice-postcode-ward" } else { "notice-postcode-sector" };
                    what.push(crate::i18n::text_in(&language, id));
                }
                let default = notice
                    .into_iter()
                    .flat_map(|(heading, paragraphs)| {
                        std::iter::once((true, heading)).chain(paragraphs.into_iter().map(|p| (false, p)))
                    })
                    .collect();
                (default, language)
            }
        };
    let survey = version.survey.translated(Some(&language));
    let title = format!("{} \u{2013} {}", crate::i18n::text_in(&language, "privacy-notice"), survey.title());
    let back = respond::keeping_language(resident::start_page(&slug), &version.survey, Some(&language));
    let remove = resident::remove(&slug);
    let chrome = crate::ui::Chrome { language: language.clone(), ..respond::chrome(&state, &slug) };
    Ok(render(chrome, StatusCode::OK, move || {
        view! {
            <Page title back>
                <h1 class="heading-l">{crate::i18n::t("notice-heading")}</h1>
                {blocks
                    .into_iter()
                    .map(|(heading, text)| {
                        if heading {
                            view! { <h2 class="heading-m">{text}</h2> }.into_any()
                        } else {
                            view! { <p class="body">{text}</p> }.into_any()
                        }
                    })
                    .collect_view()}
                <p class="body">
                    <a class="link" href=remove>
                        {crate::i18n::t("remove-answers")}
                    </a>
                </p>
            </Page>
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::blocks;

    #[test]
    fn headings_and_paragraphs_from_plain_text() {
        let text = "## Who we are\nThe council.\n\nWe keep answers\nfor two years.\n\n<script>x</script>";
        assert_eq!(
            blocks(text),
            vec![
                (true, "Who we are".to_owned()),
                (false, "The council.".to_owned()),
                (false, "We keep answers for two years.".to_owned()),
                (false, "<script>x</script>".to_owned()),
            ]
        );
    }
}
