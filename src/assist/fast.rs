//! Fast entry: every question on one page, for typing up paper forms with the keyboard. The same
//! rules as the resident flow apply to each answer, and it ends on the same check page.

use super::Shift;
use crate::auth::{CSRF_FIELD, OfficerUser, SignedIn, StaffForm};
use crate::error::AppError;
use crate::paths::staff;
use crate::respond::{self, paths};
use crate::state::AppState;
use crate::survey::view::{FieldNames, Heading, QuestionField};
use crate::survey::{Answer, Progress, Question, Survey, SurveyVersion, all_field_names, read_all};
use crate::ui::question::words_in;
use crate::ui::{Chrome, ErrorSummary, FormFields, Page, Problem, render};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use leptos::prelude::*;
use std::collections::BTreeMap;

/// The shift's survey, or a redirect to choose one.
async fn shift_survey(
    state: &AppState,
    officer: &SignedIn,
    slug: &str,
) -> Result<Result<(Shift, SurveyVersion), Response>, AppError> {
    let shift = Shift::load(officer).await;
    let version = if shift.survey == slug { shift.survey_version(state).await? } else { None };
    Ok(match version {
        Some(version) if shift.survey == slug && !shift.channel.is_empty() => Ok((shift, version)),
        _ => Err(Redirect::to(staff::ASSIST).into_response()),
    })
}

pub async fn page(
    State(state): State<AppState>,
    OfficerUser(officer): OfficerUser,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let (_, version) = match shift_survey(&state, &officer, &slug).await? {
        Ok(found) => found,
        Err(elsewhere) => return Ok(elsewhere),
    };
    Ok(show(&state, &officer, &version, BTreeMap::new(), Vec::new()))
}

fn show(
    state: &AppState,
    officer: &SignedIn,
    version: &SurveyVersion,
    kept: BTreeMap<String, Answer>,
    problems: Vec<Problem>,
) -> Response {
    let status = if problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let title = format!("{}Type up a paper form", if problems.is_empty() { "" } else { "Error: " });
    let csrf = officer.csrf.clone();
    let survey = version.survey.clone();
    let action = staff::fast_entry(survey.slug());
    let paper = crate::paper::path(survey.slug(), version.version);
    let caption = format!("{} (version {})", survey.title(), version.version);
    render(Chrome::staff(&state.config, officer.nav()), status, move || {
        let questions = survey
            .questions()
            .iter()
            .enumerate()
            .map(|(i, q)| {
                let error = problems.iter().find(|p| p.field == q.id).map(|p| p.message.clone());
                question_block(&survey, i, q, kept.get(&q.id).cloned(), error)
            })
            .collect_view();
        view! {
            <Page title back=staff::ASSIST.to_owned()>
                <ErrorSummary problems=problems.clone() />
                <span class="caption-l">{caption}</span>
                <h1 class="heading-l">"Type up a paper form"</h1>
                <p class="body">
                    "Leave a question blank if the resident did not answer it. Questions that only some people are asked say so."
                </p>
                <p class="body">
                    "The questions have the numbers printed on the "<a class="link" href=paper>
                        "paper form of this version"
                    </a>"."
                </p>
                <form method="post" action=action>
                    <input type="hidden" name=CSRF_FIELD value=csrf />
                    {questions}
                    <button type="submit" class="button">
                        "Check answers"
                    </button>
                </form>
            </Page>
        }
    })
}

/// "Only if question 1 is No or I'm not sure": when a follow-up question applies.
fn rule_hint(survey: &Survey, question: &Question) -> Option<String> {
    let rule = question.show_if.as_ref()?;
    let target = &survey.questions()[rule.question];
    let labels: Vec<String> =
        rule.any_of.iter().filter_map(|id| target.option(id).map(|o| format!("\u{201c}{}\u{201d}", o.label))).collect();
    Some(format!("Only if the answer to question {} is {}.", survey.number(rule.question), labels.join(" or ")))
}

fn question_block(
    survey: &Survey,
    index: usize,
    q: &Question,
    answer: Option<Answer>,
    error: Option<String>,
) -> AnyView {
    // Where the paper form's numbering is checked against this page's.
    let (question_id, number) = (q.id.clone(), survey.number(index));
    view! {
        <div data-question=question_id data-number=number>
            <QuestionField
                hints=rule_hint(survey, q).into_iter().collect()
                words=words_in(&crate::i18n::current())
                names=FieldNames::for_question(&q.id)
                label=format!("{}. {}", survey.number(index), q.text)
                heading=Heading::Listed
                question=q.clone()
                answer
                error
            />
        </div>
    }
    .into_any()
}

pub async fn check(
    State(state): State<AppState>,
    OfficerUser(officer): OfficerUser,
    Path(slug): Path<String>,
    jar: CookieJar,
    StaffForm(form): StaffForm<FormFields>,
) -> Result<Response, AppError> {
    let (shift, version) = match shift_survey(&state, &officer, &slug).await? {
        Ok(found) => found,
        Err(elsewhere) => return Ok(elsewhere),
    };
    let survey = version.survey.clone();
    let allowed = all_field_names(survey.questions());
    form.expect_only(&allowed.iter().map(String::as_str).collect::<Vec<_>>())?;
    match read_all(survey.questions(), &form.0, state.config.clock.today()) {
        Ok(all) => {
            let progress = Progress::from(all);
            let attribution = shift.attribution(&officer);
            respond::hand_over(&state, jar, &version, &attribution, &progress, &paths::check(&slug)).await
        }
        Err((kept, problems)) => {
            let problems = problems.into_iter().map(|p| Problem { field: p.question_id, message: p.message }).collect();
            Ok(show(&state, &officer, &version, kept, problems))
        }
    }
}
