//! The privacy notice residents read, linked from every page of a survey: the admin's own wording,
//! or the default, which names the controller, the purpose, the lawful basis, the retention periods
//! and the contact from the survey's settings.

use crate::survey::privacy as settings;
use crate::state::AppState;
use crate::error::AppError;
use crate::respond;
use crate::ui::{render, Page};
use axum::extract::{Path, State};
use axum::http::StatusCode;
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
                None if i == 0 || blocks.last().is_some_and(|(h, _)| *h) => blocks.push((false, line.trim().to_owned())),
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

pub async fn page(State(state): State<AppState>, Path(slug): Path<String>) -> Result<Response, AppError> {
    let version = state.surveys.current(&state.db, &slug).await?.ok_or(AppError::NotFound)?;
    let council = state.config.council_name.clone();
    let privacy = settings::load(&state.db, version.survey_id, &council).await?;
    let blocks: Vec<(bool, String)> = match &privacy.notice {
        Some(own) => blocks(own),
        None => privacy
            .default_notice(&council)
            .into_iter()
            .flat_map(|(heading, paragraphs)| std::iter::once((true, heading.to_owned())).chain(paragraphs.into_iter().map(|p| (false, p))))
            .collect(),
    };
    let title = format!("Privacy notice \u{2013} {}", version.survey.title());
    let back = format!("/s/{slug}");
    let remove = format!("/s/{slug}/remove");
    Ok(render(respond::chrome(&state, &slug), StatusCode::OK, move || {
        view! {
            <Page title back>
                <h1 class="heading-l">"How we use your answers"</h1>
                {blocks
                    .into_iter()
                    .map(|(heading, text)| if heading {
                        view! { <h2 class="heading-m">{text}</h2> }.into_any()
                    } else {
                        view! { <p class="body">{text}</p> }.into_any()
                    })
                    .collect_view()}
                <p class="body"><a class="link" href=remove>"Remove your answers"</a></p>
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
