//! The dashboard: who answered, which barriers they face, and every question's answers, as SVG
//! bar charts with the same figures in a table beside each. Plain HTML; filters are a GET form.

use super::crosstab::Column;
use super::interval::{Sureness, WeightedShare};
use super::national::{AgainstTheCountry, Line, lines};
use super::population::pages::WhoIsMissing;
use super::population::{Shortfall, shortfalls};
use super::profile::{Profile, profile};
use super::summary::{Cell, QuestionSummary, summarise};
use super::weighting::pages::WeightingReport;
use super::weighting::results::{Of, Weighting, weighted};
use crate::auth::AnalystUser;
use crate::auth::account::Role;
use crate::error::AppError;
use crate::paths::staff;
use crate::responses::filters::FilterQuery;
use crate::state::AppState;
use crate::survey::CHANNELS;
use crate::survey::lists::{List, ListItem, active_items};
use crate::survey::{Kind, Survey, thousands};
use crate::ui::{Chrome, Field, Notification, Page, ScrollingTable, Select, TextField, capitalise, render};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use leptos::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

pub async fn dashboard(
    State(state): State<AppState>,
    AnalystUser(user): AnalystUser,
    Path(slug): Path<String>,
    Query(query): Query<FilterQuery>,
) -> Result<Response, AppError> {
    let dashboard = Dashboard::load(&state, &slug, query).await?;
    let csrf = user.csrf.clone();
    let admin = user.staff.roles.has(Role::Admin);
    Ok(render(Chrome::staff(&state.config, user.nav()), StatusCode::OK, move || {
        view! { <DashboardPage dashboard csrf admin /> }
    }))
}

/// Everything the results page shows, counted before any markup is written.
struct Dashboard {
    slug: String,
    survey: Arc<Survey>,
    /// The filters in force (none when publishable).
    query: FilterQuery,
    publishable: bool,
    /// Filters were asked for on the publishable view, and not applied.
    filters_dropped: bool,
    threshold: i64,
    questions: Vec<QuestionSummary>,
    profile: Profile,
    crosstab: Option<Vec<Column>>,
    /// The cross-tab's weighted shares by group and answer, when weighted.
    crosstab_weighted: Option<HashMap<String, HashMap<String, WeightedShare>>>,
    locations: Vec<ListItem>,
    /// Who is still missing, by each question with population figures (question, answers); none
    /// on the publishable view, as it is for planning outreach.
    missing: Option<(Vec<(String, Vec<Shortfall>)>, bool)>,
    weighting: Weighting,
    /// The national measures, against the country.
    national: Vec<Line>,
    /// Which version of the national figures they are set against, in words.
    national_figures: String,
}

impl Dashboard {
    async fn load(state: &AppState, slug: &str, query: FilterQuery) -> Result<Dashboard, AppError> {
        let version = state.surveys.current(&state.db, slug).await?.ok_or(AppError::NotFound)?;
        let publishable = query.publishable()?;
        let threshold = state.config.suppression_threshold;
        let (compare, by) = (query.compare.clone().unwrap_or_default(), query.by.clone().unwrap_or_default());
        let pair = (!compare.is_empty() && !by.is_empty()).then_some((compare.as_str(), by.as_str()));
        // Figures for publishing are of every response: a filtered view could be taken from the whole.
        let filters_dropped = publishable && !query.filter_string().is_empty();
        // Publishable figures are of every response, and so are their weighted shares.
        let weighting_filters = if publishable {
            crate::responses::filters::Filters::default()
        } else {
            query.filters(&state.config.clock)?
        };
        let weighting = weighted(&state.db, &state.surveys, &version, &weighting_filters).await?;
        let crosstab_weighted = match (pair, &weighting) {
            (Some((compare, by)), Weighting::On(w)) => w.groups(&version, Of::Question(compare), by),
            _ => None,
        };
        let (summary, profile, crosstab) = if publishable {
            let p = super::publish::publication(&state.db, &state.surveys, &version, pair, threshold).await?;
            (p.summary, p.profile, p.crosstab)
        } else {
            let filters = query.filters(&state.config.clock)?;
            let summary = summarise(&state.db, &state.surveys, &version, &filters).await?;
            let mut profile = profile(&state.db, version.survey_id, &filters).await?;
            profile.combinations.truncate(super::profile::MOST_COMBINATIONS);
            let crosstab = match pair {
                Some((compare, by)) => {
                    super::crosstab::crosstab(&state.db, &state.surveys, &version, &filters, compare, by).await?
                }
                None => None,
            };
            (summary, profile, crosstab)
        };
        let missing = if publishable {
            None
        } else {
            // The weighting has read the population already, when it is on.
            let margins = match &weighting {
                Weighting::On(w) => w.population.clone(),
                _ => super::population::store::margins(&state.db, version.survey_id).await?,
            };
            let tables = margins
                .iter()
                .filter_map(|margin| {
                    let q = summary.questions.iter().find(|q| q.id == margin.question_id)?;
                    Some((q.text.clone(), shortfalls(margin, q)?))
                })
                .collect();
            Some((tables, !margins.is_empty()))
        };
        let weighted_scores = match &weighting {
            Weighting::On(w) => Some(&w.scores),
            _ => None,
        };
        let (upload, comparators) = super::national::store::current(&state.db).await?;
        let national = lines(&summary.scores, weighted_scores, &comparators);
        let national_figures = super::national::pages::in_use(&state.config.clock, upload.as_ref());
        Ok(Dashboard {
            missing,
            national,
            national_figures,
            weighting,
            slug: slug.to_owned(),
            survey: version.survey.clone(),
            query: if publishable { query.for_publishing() } else { query },
            publishable,
            filters_dropped,
            threshold,
            questions: summary.questions,
            profile,
            crosstab,
            crosstab_weighted,
            locations: active_items(&state.db, List::Location).await?,
        })
    }

    /// The survey's key figure: its first question, when every respondent must answer it with one
    /// choice, and the share who gave its first answer (in the built-in survey, who has used the
    /// council's online services).
    fn key_figure(&self) -> Option<KeyFigure> {
        let first = self.survey.questions().first().filter(|q| q.required && q.kind == Kind::Single)?;
        let answer = first.options.first()?;
        let summary = self.questions.iter().find(|q| q.id == first.id)?;
        let count = summary.rows.iter().find(|r| r.id == answer.id)?.count;
        Some(KeyFigure { count, base: summary.base, answer: answer.label.clone(), question: first.text.clone() })
    }

    /// The languages the survey is offered in, by tag, each named in itself.
    fn languages(&self) -> Vec<(String, String)> {
        self.survey.languages().iter().map(|o| (o.language.to_string(), o.name.clone())).collect()
    }
}

/// A count out of a base for the survey's key question.
#[derive(Debug, Clone)]
struct KeyFigure {
    count: Cell,
    base: Cell,
    answer: String,
    question: String,
}

/// Its parts are boxed (`AnyView`): as one type, the page is deeper than the compiler's query limit
/// in a release build.
#[component]
fn DashboardPage(dashboard: Dashboard, csrf: String, admin: bool) -> impl IntoView {
    let title = dashboard.survey.title().to_owned();
    let keep = dashboard.query.filter_string();
    let filtered = !keep.is_empty();
    let key_figure = dashboard.key_figure();
    let languages = dashboard.languages();
    let Dashboard {
        slug,
        survey,
        query,
        publishable,
        filters_dropped,
        threshold,
        questions,
        profile,
        crosstab,
        crosstab_weighted,
        locations,
        missing,
        weighting,
        national,
        national_figures,
    } = dashboard;
    let weighted = match &weighting {
        Weighting::On(w) => Some(w.as_ref().clone()),
        _ => None,
    };
    view! {
        <Page title=format!("Results: {title}")>
            <span class="caption-l">"Survey results"</span>
            <h1 class="heading-l">{title.clone()}</h1>
            <Notification text=filters_dropped
                .then(|| {
                    "Figures for publishing are of every response, so the filters are not applied: a filtered view could be taken away from the whole to show a small group. To show groups side by side, use \u{201c}Compare the answers to\u{201d}."
                        .to_owned()
                }) />
            <KeyFigures respondents=profile.respondents key_figure barriers=profile.barriers.clone() filtered />
            <FilterForm survey=survey.clone() query publishable threshold locations languages=languages.clone() />
            <Downloads slug=slug.clone() keep=keep.clone() publishable />
            <HowSure />
            <WeightingReport weighting survey=survey.clone() />
            <AgainstTheCountry lines=national figures=national_figures />
            {crosstab.map(|columns| view! { <CrossTab columns weighted=crosstab_weighted.clone() /> })}
            <h2 class="heading-m">"Who answered"</h2>
            <Headline profile=profile.clone() languages />
            {missing
                .map(|(tables, uploaded)| {
                    view! { <WhoIsMissing tables uploaded slug=slug.clone() admin /> }.into_any()
                })}
            <Barriers profile weighted=weighted.as_ref().map(|w| w.barriers.clone()) />
            <h2 class="heading-m">"Answers to each question"</h2>
            {questions
                .into_iter()
                .map(|q| {
                    let words = (!publishable)
                        .then(|| survey.question(&q.id).and_then(|full| super::text::path(&slug, full)))
                        .flatten()
                        .map(|p| format!("{p}?{keep}"));
                    let save = q
                        .kind
                        .is_choice()
                        .then(|| SaveFinding {
                            csrf: csrf.clone(),
                            slug: slug.clone(),
                            filters: keep.clone(),
                        });
                    let weighted = weighted.as_ref().and_then(|w| w.questions.get(&q.id).cloned());
                    // Residents' own words are for staff, never for publishing.
                    view! { <QuestionResult question=q words save weighted /> }
                })
                .collect_view()}
        </Page>
    }
}

/// What the interval and the quality word beside each percentage mean, said once.
#[component]
fn HowSure() -> impl IntoView {
    view! {
        <h2 class="heading-m">"How sure these figures are"</h2>
        <p class="body">
            "Each percentage is of the people who answered, not of everyone it is about, so it comes with a 95% interval: the range the true figure most likely lies in. For example, 51 of 110 is 46%, with an interval of 37% to 56%."
        </p>
        <p class="body">
            "The word after it grades how precise the figure is, as the Office for National Statistics grades survey estimates by their coefficient of variation: "
            <strong>"precise"</strong>" (5% or less), "<strong>"reasonably precise"</strong>" (up to 10%), "
            <strong>"acceptable"</strong>" (up to 20%) or "<strong>"treat with caution"</strong>
            " (over 20%): too uncertain to act on alone. A figure of 0 has no grade; its interval says how large it could be."
        </p>
        <p class="body">
            "The interval allows for chance only: it cannot tell whether the people who answered are like those who did not."
        </p>
    }
}

/// The filters and the comparison, as a GET form folded away until a filter is in force.
#[component]
fn FilterForm(
    survey: Arc<Survey>,
    query: FilterQuery,
    publishable: bool,
    threshold: i64,
    locations: Vec<ListItem>,
    languages: Vec<(String, String)>,
) -> AnyView {
    let chosen = |name: &str| query.chosen(name).to_owned();
    let filtered = !query.filter_string().is_empty();
    let (compare, by) = (query.compare.clone().unwrap_or_default(), query.by.clone().unwrap_or_default());
    let channels: Vec<(String, String)> = CHANNELS
        .iter()
        .map(|(id, label)| (*id, *label))
        .chain([("web", "Online, on their own")])
        .map(|(id, label)| (id.to_owned(), label.to_owned()))
        .collect();
    let locations: Vec<(String, String)> = locations.iter().map(|l| (l.id.to_string(), l.label.clone())).collect();
    // The about-you questions the results can be filtered by, each with its answers.
    let about_you = survey
        .about_you()
        .filter(|q| query.named().iter().any(|(name, _)| *name == q.id))
        .map(|q| {
            let answers = q.options.iter().map(|o| (o.id.clone(), o.label.clone())).collect();
            view! { <Select name=q.id.clone() label=q.text.clone() items=answers chosen=chosen(&q.id) none=Some("All") /> }
        })
        .collect_view();
    let choice_questions: Vec<(String, String)> =
        survey.questions().iter().filter(|q| q.kind.is_choice()).map(|q| (q.id.clone(), q.text.clone())).collect();
    let language = (languages.len() > 1).then(|| {
        view! {
            <Select
                name="language"
                label="Language answered in"
                items=languages
                chosen=chosen("language")
                none=Some("All")
            />
        }
    });
    view! {
        <details class="details" open=filtered>
            <summary class="details__summary">"Filter and compare"</summary>
            <form method="get" class="filters details__text">
                <div class="filters__row">
                    <TextField id="from" label="From" kind="date" value=chosen("from") />
                    <TextField id="to" label="To" kind="date" value=chosen("to") />
                    <Select name="channel" label="Channel" items=channels chosen=chosen("channel") none=Some("All") />
                    {language}
                    <Select
                        name="location"
                        label="Location"
                        items=locations
                        chosen=chosen("location")
                        none=Some("All")
                    />
                    {about_you}
                    <TextField id="version" label="Version" short=true inputmode="numeric" value=chosen("version") />
                </div>
                <div class="filters__row">
                    <Select
                        name="compare"
                        label="Compare the answers to"
                        items=choice_questions
                        chosen=compare
                        none=Some("No comparison")
                    />
                    <Select name="by" label="Across" items=super::crosstab::breakdowns(&survey) chosen=by />
                </div>
                <PublishableCheckbox checked=publishable threshold />
                <button type="submit" class="button button--secondary">
                    "Show results"
                </button>
            </form>
        </details>
    }
    .into_any()
}

/// The downloads of what is shown, and the way to a version fit for printing.
#[component]
fn Downloads(slug: String, keep: String, publishable: bool) -> AnyView {
    let responses = staff::export_file(&slug, "responses.csv");
    let summary = staff::export_file(&slug, "summary.csv");
    view! {
        <p class="body">
            <a class="link" href=format!("{responses}?{keep}")>
                "Download these responses (CSV)"
            </a>
            " \u{b7} "
            <a class="link" href=format!("{summary}?{keep}{}", if publishable { "&publishable=1" } else { "" })>
                "Download this summary (CSV)"
            </a>
        </p>
        // Anything printed may leave the building: point to the publishable view, and mark
        // a printout of exact counts as such.
        {(!publishable)
            .then(|| {
                view! {
                    <p class="body no-print">
                        <a class="link" href=staff::change(&slug)>
                            "Compare two periods or versions: change over time"
                        </a>
                    </p>
                    <p class="body no-print">
                        <a
                            class="link"
                            href=if keep.is_empty() {
                                "?publishable=1".to_owned()
                            } else {
                                format!("?{keep}&publishable=1")
                            }
                        >
                            "Printable version, small numbers held back"
                        </a>
                    </p>
                    <p class="print-only body">
                        <strong>
                            "Exact counts, for council staff only. Not for publication: print the version with small numbers held back instead."
                        </strong>
                    </p>
                }
            })}
    }
    .into_any()
}

/// "X of Y people (Z%, 95% interval L% to H%, quality)", or the count alone when a figure is
/// held back.
fn share(count: Cell, base: Cell) -> String {
    match (count.percent_of(base), Sureness::of(count, base)) {
        (Some(percent), Some(sure)) => {
            format!("{} of {} people ({percent}%, 95% interval {})", count.shown(), base.shown(), sure.words())
        }
        _ => format!("{} of {} people", count.shown(), base.shown()),
    }
}

/// The first screen: how many answered, the survey's key figure, and the most common barriers,
/// each with its base.
#[component]
fn KeyFigures(
    respondents: Cell,
    key_figure: Option<KeyFigure>,
    barriers: Vec<(crate::survey::Barrier, Cell)>,
    filtered: bool,
) -> AnyView {
    let mut common: Vec<(crate::survey::Barrier, Cell)> = barriers.into_iter().filter(|(_, n)| n.value() > 0).collect();
    common.sort_by_key(|(_, n)| std::cmp::Reverse(n.value()));
    let answered = if respondents == Cell::Count(1) {
        "1 person answered".to_owned()
    } else {
        format!("{} people answered", respondents.shown())
    };
    let nobody = respondents == Cell::Count(0);
    view! {
        <div class="figures">
            <p class="figures__title">{answered}{filtered.then_some(", in this selection")}</p>
            {(!nobody)
                .then(|| {
                    view! {
                        <ul class="list">
                            {key_figure
                                .map(|k| {
                                    view! {
                                        <li>
                                            {format!(
                                                "{} answered \u{201c}{}\u{201d} to \u{201c}{}\u{201d}",
                                                share(k.count, k.base),
                                                k.answer,
                                                k.question,
                                            )}
                                        </li>
                                    }
                                })}
                            {common
                                .into_iter()
                                .take(3)
                                .map(|(b, n)| {
                                    view! {
                                        <li>
                                            {format!(
                                                "{}: {} face this barrier.",
                                                capitalise(b.as_str()),
                                                share(n, respondents),
                                            )}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                })}
            {nobody
                .then(|| {
                    view! { <p class="body">"Nobody has answered yet. The figures appear here as answers come in."</p> }
                })}
        </div>
    }
    .into_any()
}

#[component]
fn Headline(profile: Profile, languages: Vec<(String, String)>) -> AnyView {
    let table = move |label: &'static str, key: &'static str, rows: Vec<(String, Cell)>| {
        let rows = rows
            .into_iter()
            .map(|(k, n)| {
                view! {
                    <tr>
                        <td>{k}</td>
                        <td class="numeric">{n.shown()}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <ScrollingTable label=label.to_owned() columns=vec![key, "People"] numeric_from=1>
                {rows}
            </ScrollingTable>
        }
    };
    let channels = table("Responses by channel", "Channel", profile.by_channel);
    let locations = table("Responses by location", "Location", profile.by_location);
    let weeks = table("Responses by week", "Week starting", profile.by_week);
    // Shown when the survey is offered in more than one language, or was answered in more.
    let by_language = (languages.len() > 1 || profile.by_language.len() > 1).then(|| {
        let named = profile
            .by_language
            .into_iter()
            .map(|(tag, n)| {
                (
                    languages
                        .iter()
                        .find(|(t, _)| *t == tag)
                        .map_or_else(|| tag.clone(), |(_, name)| format!("{name} ({tag})")),
                    n,
                )
            })
            .collect();
        table("Responses by language", "Language", named)
    });
    view! {
        {channels}
        {locations}
        {by_language}
        {weeks}
    }
    .into_any()
}

#[component]
fn Barriers(profile: Profile, weighted: Option<Vec<(crate::survey::Barrier, WeightedShare)>>) -> AnyView {
    let respondents = profile.respondents;
    let bars: Vec<Bar> = profile
        .barriers
        .iter()
        .map(|(b, n)| {
            let share = weighted.as_ref().and_then(|w| w.iter().find(|(wb, _)| wb == b)).map(|(_, s)| *s);
            Bar::of(capitalise(b.as_str()), *n, respondents).weighted(share, weighted.is_some())
        })
        .collect();
    // Not in the publishable view: too fine to publish (see `publish::headline`).
    let profile_has_no_combinations = profile.combinations.is_empty();
    let combos = profile
        .combinations
        .into_iter()
        .map(|(set, n)| {
            let names: Vec<&str> = set.iter().map(|b| b.as_str()).collect();
            view! {
                <tr>
                    <td>{names.join(" + ")}</td>
                    <td class="numeric">{n.shown()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h2 class="heading-m">"Barriers"</h2>
        <p class="body">
            "Worked out from the answers each person gave. "
            {(profile.two_or_more != Cell::Suppressed)
                .then(|| format!("{} people show two or more barriers. ", profile.two_or_more.shown()))}
            {format!(
                "Base: all {} people who answered; people can show several, so the percentages can add up to more than 100%.",
                respondents.shown(),
            )}
        </p>
        <BarChart id="barriers".to_owned() title="Barriers residents face".to_owned() bars />
        {(!profile_has_no_combinations)
            .then(|| {
                view! {
                    <ScrollingTable
                        label="Most common combinations of barriers".to_owned()
                        columns=vec!["Barriers", "People"]
                        numeric_from=1
                    >
                        {combos}
                    </ScrollingTable>
                }
            })}
    }
    .into_any()
}

#[derive(Debug, Clone)]
struct Bar {
    label: String,
    count: String,
    percent: Option<f64>,
    /// Its 95% interval and quality mark, when its count and base are both shown.
    sure: Option<Sureness>,
    /// When the results are weighted: the weighted percentage and how sure it is, when the
    /// unweighted count and base are shown (a weighted share is never published for a count held
    /// back). Then the chart draws this, and the table gives both.
    weighted: Option<Option<(f64, Sureness)>>,
}

impl Bar {
    /// `count` of `base`, labelled.
    fn of(label: String, count: Cell, base: Cell) -> Bar {
        Bar {
            label,
            count: count.shown(),
            percent: count.percent_of(base),
            sure: Sureness::of(count, base),
            weighted: None,
        }
    }

    /// With its weighted share, when the results are weighted (`on`).
    fn weighted(self, share: Option<WeightedShare>, on: bool) -> Bar {
        let shown = self.sure.is_some();
        let weighted = on.then(|| share.filter(|_| shown).map(|s| ((s.share * 1000.0).round() / 10.0, s.sureness())));
        Bar { weighted, ..self }
    }

    /// What the chart draws: the weighted figure when the results are weighted.
    fn drawn(&self) -> (Option<f64>, Option<Sureness>) {
        match self.weighted {
            Some(w) => (w.map(|(p, _)| p), w.map(|(_, s)| s)),
            None => (self.percent, self.sure),
        }
    }
}

#[component]
fn QuestionResult(
    question: QuestionSummary,
    words: Option<String>,
    save: Option<SaveFinding>,
    #[prop(default = None)] weighted: Option<std::collections::HashMap<String, WeightedShare>>,
) -> AnyView {
    let base = question.base;
    let base_text = match base {
        Cell::Count(1) => "Base: 1 person was shown this question.".to_owned(),
        Cell::Count(n) => format!("Base: {} people were shown this question.", thousands(n as usize)),
        Cell::Suppressed => "Base held back: fewer people than the publishing threshold.".to_owned(),
    };
    let note = (question.kind == Kind::Multiple)
        .then_some(" People could choose more than one answer, so the percentages can add up to more than 100%.");
    let on = weighted.is_some();
    let bars: Vec<Bar> = question
        .rows
        .iter()
        .map(|r| {
            let share = weighted.as_ref().and_then(|w| w.get(&r.id)).copied();
            Bar::of(r.label.clone(), r.count, base).weighted(share, on)
        })
        .collect();
    // A number's middle answer, only where none of its bands is held back (as a scale's).
    let held = question.rows.iter().any(|r| r.count == Cell::Suppressed);
    let middle = question.middle.filter(|_| !held).map(|m| m.words());
    view! {
        <section class="result">
            <h3 class="heading-s">{question.text.clone()}</h3>
            <p class="body">{base_text}{note}</p>
            {question.note.clone().map(|versions| view! { <p class="body">{versions}</p> })}
            {question.median().map(|m| view! { <p class="body">{format!("Median: {m}")}</p> })}
            {middle.map(|m| view! { <p class="body">{m}</p> })}
            <BarChart id=question.id.clone() title=question.text.clone() bars />
            {words
                .map(|href| {
                    view! {
                        <p class="body">
                            <a class="link" href=href>
                                {format!("Read what people wrote: {}", question.text)}
                            </a>
                        </p>
                    }
                })}
            {save.map(|save| view! { <SaveFindingForm save question=question.clone() /> })}
        </section>
    }
    .into_any()
}

/// What the form that saves a figure as a finding needs to know.
#[derive(Debug, Clone)]
struct SaveFinding {
    csrf: String,
    slug: String,
    /// The dashboard's filters as a query string, kept with the finding.
    filters: String,
}

/// Saves one answer's figure, with the filters in force, as a finding for the action plan. Folded
/// away in a details element, so it works without JavaScript and stays out of the way.
#[component]
fn SaveFindingForm(save: SaveFinding, question: QuestionSummary) -> impl IntoView {
    let (option_id, wording_id) =
        (format!("{}-finding-option", question.id), format!("{}-finding-wording", question.id));
    let options = question
        .rows
        .iter()
        .filter(|r| r.id != "no_answer")
        .map(|r| view! { <option value=r.id.clone()>{r.label.clone()}</option> })
        .collect_view();
    view! {
        <details class="details no-print">
            <summary class="details__summary">"Save a figure from this question as a finding"</summary>
            <form method="post" action=staff::FINDINGS class="details__text">
                <input type="hidden" name=crate::auth::CSRF_FIELD value=save.csrf />
                <input type="hidden" name="survey" value=save.slug />
                <input type="hidden" name="question" value=question.id.clone() />
                <input type="hidden" name="filters" value=save.filters />
                <Field id=option_id.clone() label="Answer">
                    <select class="select" id=option_id name="option">
                        {options}
                    </select>
                </Field>
                <TextField
                    id=wording_id
                    name="wording"
                    label="Wording (optional)"
                    hint="Leave blank to use the figure as it stands, with the filters shown now."
                />
                <TextField
                    id=format!("{}-finding-target", question.id)
                    name="target"
                    label="The plan's target for this figure, in percent (optional)"
                    hint="For example 10, for \u{201c}10% by March 2028\u{201d}. The plan and the committee report set the latest figure against it."
                    short=true
                    inputmode="decimal"
                />
                <TextField
                    id=format!("{}-finding-target-by", question.id)
                    name="target_by"
                    label="By when (optional)"
                    hint="For example March 2028."
                />
                <button type="submit" class="button button--secondary">
                    "Save as a finding"
                </button>
            </form>
        </details>
    }
}

/// One question's answers side by side for each group, with each group's own base.
#[component]
fn CrossTab(
    columns: Vec<super::crosstab::Column>,
    /// Each group's weighted shares by answer, when the results are weighted.
    weighted: Option<HashMap<String, HashMap<String, WeightedShare>>>,
) -> impl IntoView {
    let Some(first) = columns.first() else { return ().into_any() };
    let title = first.summary.text.clone();
    let labels: Vec<(String, String)> = first.summary.rows.iter().map(|r| (r.id.clone(), r.label.clone())).collect();
    let show = |c: Cell| match c {
        Cell::Count(n) => thousands(n as usize),
        Cell::Suppressed => "[c]".to_owned(),
    };
    let header: Vec<String> = columns.iter().map(|c| format!("{}, base {}", c.label, show(c.summary.base))).collect();
    let rows = labels
        .into_iter()
        .map(|(id, label)| {
            let cells = columns
                .iter()
                .map(|c| {
                    let row = c.summary.rows.iter().find(|r| r.id == id);
                    let text = row.map_or_else(String::new, |r| match r.count.percent_of(c.summary.base) {
                        Some(p) => format!("{} ({p:.1}%)", show(r.count)),
                        None => show(r.count),
                    });
                    let sure = row.and_then(|r| Sureness::of(r.count, c.summary.base));
                    // Beside a count and base that are shown, never beside a held one.
                    let weighted = row
                        .filter(|r| matches!((r.count, c.summary.base), (Cell::Count(_), Cell::Count(b)) if b > 0))
                        .and_then(|r| weighted.as_ref()?.get(&c.id)?.get(&r.id))
                        .map(|w| {
                            view! { <span class="interval">{format!("weighted {:.1}% ({})", w.share * 100.0, w.sureness().words())}</span> }
                        });
                    view! {
                        <td class="numeric">
                            {text} {sure.map(|sure| view! { <span class="interval">{sure.words()}</span> })} {weighted}
                        </td>
                    }
                })
                .collect_view();
            view! {
                <tr>
                    <th scope="row">{label}</th>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    view! {
        <h2 class="heading-m">{format!("Compared: {title}")}</h2>
        <p class="body">
            "Each column is a share of its own base: the people in that group who were shown the question."
        </p>
        {first.summary.note.clone().map(|versions| view! { <p class="body">{versions}</p> })}
        <ScrollingTable label=format!("{title}, by group") columns=vec!["Answer"] more_columns=header numeric_from=1>
            {rows}
        </ScrollingTable>
    }
    .into_any()
}

/// Asks for the figures as they would be published (`publishable=1`), held back under `threshold`.
#[component]
pub(crate) fn PublishableCheckbox(checked: bool, threshold: i64) -> impl IntoView {
    view! {
        <div class="checkboxes__item">
            <input
                class="checkboxes__input"
                id="publishable"
                name="publishable"
                type="checkbox"
                value="1"
                checked=checked
            />
            <label class="label checkboxes__label" for="publishable">
                {format!("For publishing: hold back counts under {threshold}")}
            </label>
        </div>
    }
}

/// A horizontal bar chart drawn on the server, with the same figures in a table beside it. The
/// SVG is named and described for screen readers, who can also read the table.
#[component]
fn BarChart(id: String, title: String, bars: Vec<Bar>) -> impl IntoView {
    const WIDTH: f64 = 600.0;
    const ROW: f64 = 44.0;
    let height = ROW * bars.len() as f64 + 4.0;
    let weighted = bars.iter().any(|b| b.weighted.is_some());
    let description = bars
        .iter()
        .map(|b| {
            let percent = b.percent.map(|p| format!(" ({p:.1}%)")).unwrap_or_default();
            let (drawn, sure) = b.drawn();
            let weighted = match (weighted, drawn) {
                (true, Some(p)) => format!(", weighted {p:.1}%"),
                _ => String::new(),
            };
            let sure = sure.map(|s| format!(", 95% interval {}", s.words())).unwrap_or_default();
            format!("{}: {}{percent}{weighted}{sure}", b.label, b.count)
        })
        .collect::<Vec<_>>()
        .join("; ");
    let (title_id, desc_id) = (format!("{id}-chart-title"), format!("{id}-chart-desc"));
    let labelled_by = format!("{title_id} {desc_id}");
    let shapes = bars
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let y = i as f64 * ROW;
            let scale = WIDTH - 120.0;
            let (percent, sure) = b.drawn();
            let width = percent.unwrap_or(0.0) / 100.0 * scale;
            let which = if weighted { " weighted" } else { "" };
            let value = format!("{}{}", b.count, percent.map(|p| format!(" ({p:.0}%{which})")).unwrap_or_default());
            // The interval as a line across the bar's end, with a tick at each bound; the value
            // is written after whichever reaches further.
            let (low, high) = sure.map_or((width, width), |s| (s.interval.low * scale, s.interval.high * scale));
            let middle = y + 28.0;
            let whisker = sure.map(|_| {
                view! {
                    <path
                        class="chart__interval"
                        d=format!(
                            "M{low:.1} {:.1}V{:.1}M{low:.1} {middle:.1}H{high:.1}M{high:.1} {:.1}V{:.1}",
                            middle - 6.0,
                            middle + 6.0,
                            middle - 6.0,
                            middle + 6.0,
                        )
                    ></path>
                }
            });
            view! {
                <text x="0" y=format!("{}", y + 14.0) class="chart__label">
                    {b.label.clone()}
                </text>
                <rect x="0" y=format!("{}", y + 20.0) width=format!("{width:.1}") height="16" class="chart__bar"></rect>
                {whisker}
                <text x=format!("{:.1}", width.max(high) + 6.0) y=format!("{}", y + 33.0) class="chart__value">
                    {value}
                </text>
            }
        })
        .collect_view();
    let dash = || "\u{2013}".to_owned();
    let rows = bars
        .into_iter()
        .map(|b| {
            let (drawn, sure) = b.drawn();
            let weighted = weighted.then(|| {
                view! { <td class="numeric">{drawn.map_or_else(dash, |p| format!("{p:.1}%"))}</td> }
            });
            view! {
                <tr>
                    <td>{b.label}</td>
                    <td class="numeric">{b.count}</td>
                    <td class="numeric">{b.percent.map_or_else(dash, |p| format!("{p:.1}%"))}</td>
                    {weighted}
                    <td class="numeric">{sure.map_or_else(dash, Sureness::words)}</td>
                </tr>
            }
        })
        .collect_view();
    let columns = if weighted {
        vec!["Answer", "People", "Percent, unweighted", "Percent, weighted", "95% interval, quality (weighted)"]
    } else {
        vec!["Answer", "People", "Percent", "95% interval, quality"]
    };
    view! {
        <div class="chart">
            <svg
                class="chart__svg"
                viewBox=format!("0 0 {WIDTH} {height}")
                role="img"
                aria-labelledby=labelled_by
                xmlns="http://www.w3.org/2000/svg"
            >
                <title id=title_id>{title.clone()}</title>
                <desc id=desc_id>{description}</desc>
                {shapes}
            </svg>
            <ScrollingTable label=format!("Figures: {title}") columns numeric_from=1>
                {rows}
            </ScrollingTable>
        </div>
    }
}
