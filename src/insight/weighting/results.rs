//! The weighted figures the results show beside the unweighted ones.

use super::scheme::{CellCounts, Scheme};
use crate::db::Db;
use crate::error::AppError;
use crate::insight::interval::WeightedShare;
use crate::insight::population::Margin;
use crate::insight::summary::comparable_versions;
use crate::responses::filters::Filters;
use crate::responses::tally::{cell, cell_questions};
use crate::survey::measures::{MEASURES, Measure};
use crate::survey::{Barrier, Catalogue, SurveyVersion};
use std::collections::HashMap;

/// Whether, and how, the results are weighted.
#[derive(Debug, Clone)]
pub enum Weighting {
    /// Not turned on, or no population to weight to, or nobody to weight.
    Off,
    /// On, but not for these filters: the totals by cell are not kept by day, channel, place or
    /// language, nor for two answers at once.
    NotForSelection,
    On(Box<Weighted>),
}

/// The weights, and each figure weighted.
#[derive(Debug, Clone)]
pub struct Weighted {
    pub scheme: Scheme,
    /// For each question by id, each answer's (and `no_answer`'s) weighted share.
    pub questions: HashMap<String, Shares>,
    pub barriers: Vec<(Barrier, WeightedShare)>,
    /// Each national measure's weighted share, by its key.
    pub scores: HashMap<&'static str, WeightedShare>,
    /// The population the weights meet, as its margins were read.
    pub population: Vec<Margin>,
    /// What the weights were raked from, for figures by group (see [`Weighted::groups`]).
    raked: Raked,
    /// The one answer the figures are among, when the filters chose one.
    only: Option<(String, String)>,
}

/// Each answer's (or `1`, a measure met) weighted share.
pub type Shares = HashMap<String, WeightedShare>;

/// What a weighted cross-tab counts: a question's answers, or who met a national measure.
#[derive(Debug, Clone, Copy)]
pub enum Of<'a> {
    Question(&'a str),
    Measure(&'static Measure),
}

impl Weighted {
    /// One answer's weighted share.
    pub fn share(&self, question: &str, option: &str) -> Option<WeightedShare> {
        self.questions.get(question)?.get(option).copied()
    }

    /// A cross-tab's weighted figures: for each answer of `by` (a question the cells are made
    /// of, such as ward or age band), the weighted shares of `of` among the people who gave it,
    /// with the whole survey's weights. None when `by` is not such a question (a channel, a
    /// place), or `of` is no question of the survey.
    pub fn groups(&self, version: &SurveyVersion, of: Of<'_>, by: &str) -> Option<HashMap<String, Shares>> {
        let groups = version.survey.question(by).filter(|_| cell_questions(&version.survey).any(|c| c.id == by))?;
        let (scheme, counts) = (&self.raked.scheme, &self.raked.counts);
        let answered_in: Vec<&SurveyVersion> = self.raked.versions.iter().collect();
        let ids: Vec<i64> = answered_in.iter().map(|v| v.version_id).collect();
        let question = match of {
            Of::Question(id) => Some(version.survey.question(id)?),
            Of::Measure(_) => None,
        };
        let group = |g: &str| {
            let within = |cell: usize| counts.answer(cell, by) == Some(g) && self.within(cell);
            match (question, of) {
                (Some(q), _) => shares(scheme, counts, version, &answered_in, q, &within),
                (None, Of::Measure(m)) => {
                    scheme.score_share(counts, &ids, m, &within).map(|s| ("1".to_owned(), s)).into_iter().collect()
                }
                (None, Of::Question(_)) => Shares::new(),
            }
        };
        Some(groups.options.iter().map(|g| (g.id.clone(), group(&g.id))).collect())
    }

    /// Whether a cell is among the selection the figures are of.
    fn within(&self, cell: usize) -> bool {
        selected(&self.raked.counts, self.only.as_ref(), cell)
    }
}

/// Whether a cell gave the one answer the filters chose, if they chose one.
fn selected(counts: &CellCounts, only: Option<&(String, String)>, cell: usize) -> bool {
    only.is_none_or(|(q, o)| counts.answer(cell, q) == Some(o.as_str()))
}

/// Whether the totals by cell can answer for `filters`: a version, and at most one answer to a
/// question that makes up the cells.
fn covers(version: &SurveyVersion, filters: &Filters) -> bool {
    let Filters { from, to, channel, location_id, language, reference, answers, .. } = filters;
    let plain = from.is_none()
        && to.is_none()
        && channel.is_none()
        && location_id.is_none()
        && language.is_none()
        && reference.is_none();
    plain
        && match answers.as_slice() {
            [] => true,
            [(question, _)] => cell_questions(&version.survey).any(|q| q.id == *question),
            _ => false,
        }
}

/// The weighted figures of every question of `version`'s survey for `filters`, when the survey
/// is weighted.
pub async fn weighted(
    db: &Db,
    catalogue: &Catalogue,
    version: &SurveyVersion,
    filters: &Filters,
) -> Result<Weighting, AppError> {
    if !covers(version, filters) {
        return Ok(match super::store::settings(db, version.survey_id).await? {
            Some(_) if !crate::insight::population::store::margins(db, version.survey_id).await?.is_empty() => {
                Weighting::NotForSelection
            }
            _ => Weighting::Off,
        });
    }
    let Some(raked) = Raked::load(db, catalogue, version.survey_id, filters.version).await? else {
        return Ok(Weighting::Off);
    };
    Ok(Weighting::On(Box::new(figures(raked, version, filters))))
}

/// A survey's responses (of one version, when given) raked to its population.
#[derive(Debug, Clone)]
struct Raked {
    scheme: Scheme,
    counts: CellCounts,
    /// The versions with responses.
    versions: Vec<SurveyVersion>,
    population: Vec<Margin>,
}

impl Raked {
    /// None when the survey is not weighted, has no population, or nobody answered.
    async fn load(
        db: &Db,
        catalogue: &Catalogue,
        survey_id: i64,
        version: Option<i64>,
    ) -> Result<Option<Raked>, AppError> {
        let Some(trim) = super::store::settings(db, survey_id).await? else { return Ok(None) };
        let population = crate::insight::population::store::margins(db, survey_id).await?;
        if population.is_empty() {
            return Ok(None);
        }
        let counts = super::store::cell_counts(db, survey_id, version).await?;
        let versions: Vec<SurveyVersion> = catalogue
            .versions(db, survey_id)
            .await?
            .into_iter()
            .filter(|v| counts.respondents(&[v.version_id]).iter().sum::<i64>() > 0)
            .collect();
        let ids: Vec<i64> = versions.iter().map(|v| v.version_id).collect();
        Ok(Scheme::rake(&counts, &ids, &population, trim).map(|scheme| Raked { scheme, counts, versions, population }))
    }
}

/// Each respondent's weight by their cell (as [`crate::responses::tally::cell`] writes it), for
/// the responses download: the whole survey's weights, whatever the download's filters.
pub async fn cell_weights(
    db: &Db,
    catalogue: &Catalogue,
    survey_id: i64,
) -> Result<Option<HashMap<String, f64>>, AppError> {
    let Some(raked) = Raked::load(db, catalogue, survey_id, None).await? else { return Ok(None) };
    Ok(Some(
        raked
            .counts
            .cells
            .iter()
            .zip(&raked.scheme.weights)
            .map(|(answers, w)| (cell(answers.iter().map(|(q, o)| (q.as_str(), o.as_str()))), *w))
            .collect(),
    ))
}

fn figures(raked: Raked, version: &SurveyVersion, filters: &Filters) -> Weighted {
    let only = filters.answers.first().cloned();
    let (scheme, counts) = (&raked.scheme, &raked.counts);
    let answered_in: Vec<&SurveyVersion> = raked.versions.iter().collect();
    let within = |cell: usize| selected(counts, only.as_ref(), cell);
    let questions = version
        .survey
        .questions()
        .iter()
        .filter(|q| q.kind.is_choice())
        .map(|q| (q.id.clone(), shares(scheme, counts, version, &answered_in, q, &within)))
        .collect();
    let ids: Vec<i64> = answered_in.iter().map(|v| v.version_id).collect();
    let barriers =
        Barrier::ALL.into_iter().filter_map(|b| Some((b, scheme.barrier_share(counts, &ids, b, &within)?))).collect();
    let scores = MEASURES.iter().filter_map(|m| Some((m.key, scheme.score_share(counts, &ids, m, &within)?))).collect();
    Weighted {
        scheme: raked.scheme.clone(),
        questions,
        barriers,
        scores,
        population: raked.population.clone(),
        raked,
        only,
    }
}

/// Each answer's (and `no_answer`'s) weighted share of `q`, over the versions that asked it as
/// `version` does, among the cells `within` lets in.
fn shares(
    scheme: &Scheme,
    counts: &CellCounts,
    version: &SurveyVersion,
    answered_in: &[&SurveyVersion],
    q: &crate::survey::Question,
    within: &dyn Fn(usize) -> bool,
) -> HashMap<String, WeightedShare> {
    let (same, _) = comparable_versions(version, q, answered_in);
    q.options
        .iter()
        .map(|o| o.id.as_str())
        .chain(["no_answer"])
        .filter_map(|option| Some((option.to_owned(), scheme.share(counts, &same, q, option, within)?)))
        .collect()
}
