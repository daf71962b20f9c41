//! Everything published is held back as one linked set. A reader of a committee paper has the
//! whole summary, the breakdowns of who answered, and any cross-tab the council publishes beside
//! it; the same count often stands in several of them (a channel's count in the headline table and
//! as a cross-tab's column base; a follow-up's base and the answers that open it). So each figure is
//! named by what it counts ([`Key`]), a count shown twice is one figure, and [`super::suppress`]
//! holds back the whole set at once.
//!
//! Cross-tabs are published as one cube per breakdown: every choice question across the groups,
//! held back together, with the headline figures as they are published. So whichever cross-tabs a
//! reader collects, they come from one suppression pattern, and their column bases and rows add up
//! only to figures that pattern allows for. The headline figures never depend on which cross-tab
//! is asked for.
//!
//! What a publishable output leaves out: filters (a filtered view could be taken from the whole to
//! show a small group; comparing groups side by side is the publishable way), and rows in an order
//! that a held count could be placed by (held rows go in a fixed order).

use super::crosstab::{Column, crosstab};
use super::profile::{Profile, profile};
use super::summary::{Cell, QuestionSummary, Score, Summary, summarise};
use super::suppress::{Figure, Table};
use crate::db::Db;
use crate::error::AppError;
use crate::responses::filters::Filters;
use crate::survey::measures::Rule;
use crate::survey::{Barrier, Catalogue, Kind, Survey, SurveyVersion};
use std::collections::HashMap;

/// What a figure counts, so that the same count shown in two places is one figure.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    /// Everyone who answered.
    Respondents,
    /// A row of a breakdown of who answered: (`channel`, `location`, `language` or `week`, its
    /// label).
    Group(&'static str, String),
    Barrier(Barrier),
    /// The people shown a question.
    Base(String),
    /// An answer's count: (question, option, `no_answer` or `answered`).
    Row(String, String),
    /// A figure among one group of a cross-tab: the group (the key of its size) and the figure.
    Within(Box<Key>, Box<Key>),
    /// A national measure's figure, by the measure's key: those scored on it (`base`), or those
    /// who met it (`1`) or did not (`0`).
    Score(&'static str, &'static str),
}

/// The figures of one publishable output, by key.
#[derive(Default)]
struct Linked {
    table: Table,
    keys: HashMap<Key, Figure>,
    /// New figures are ones a reader is never shown (see [`Table::unpublished`]).
    hiding: bool,
}

impl Linked {
    /// The figure for `key`: the one already there, or a new one with this count.
    fn figure(&mut self, key: Key, cell: Cell) -> Figure {
        let (table, hiding) = (&mut self.table, self.hiding);
        let figure = *self
            .keys
            .entry(key)
            .or_insert_with(|| if hiding { table.unpublished(cell.value()) } else { table.figure(cell.value()) });
        debug_assert_eq!(self.table.value(figure), cell.value(), "one figure, two counts");
        figure
    }

    /// A figure published in an earlier part of the output, as it was published there.
    fn published(&mut self, key: Key, value: i64, held: bool) -> Figure {
        let table = &mut self.table;
        *self.keys.entry(key).or_insert_with(|| table.published_elsewhere(value, held))
    }

    /// `parts` add up to `total`, perhaps with people in none of them (`covers_all` false): those
    /// are a figure nobody is shown.
    fn adds_up(&mut self, mut parts: Vec<Figure>, total: Figure, covers_all: bool) {
        if !covers_all {
            let rest = self.table.value(total) - parts.iter().map(|f| self.table.value(*f)).sum::<i64>();
            parts.push(self.table.unpublished(rest.max(0)));
        }
        self.table.adds_up(parts, total);
    }

    fn hold(&self, key: &Key, cell: &mut Cell) {
        if self.keys.get(key).is_some_and(|f| self.table.is_held(*f)) {
            *cell = Cell::Suppressed;
        }
    }
}

/// `key` among the group whose size is `group` (the group's size is itself).
fn within(group: &Key, key: Key) -> Key {
    if key == *group { key } else { Key::Within(Box::new(group.clone()), Box::new(key)) }
}

/// The key of a question's base: everyone, when everyone was asked it the same way.
fn base_key(q: &QuestionSummary, unconditional: bool, everyone: Key) -> Key {
    if unconditional && q.note.is_none() { everyone } else { Key::Base(q.id.clone()) }
}

/// One question's figures: its base, its rows, and the rows adding up to the base where they
/// must (one answer each, or "answered" for text; "No answer" is always among them). A follow-up's
/// base adds up from the answers that opened it, where both were asked the same way throughout.
fn question(
    linked: &mut Linked,
    survey: &Survey,
    q: &QuestionSummary,
    within: impl Fn(Key) -> Key,
    everyone: Key,
    siblings: &[&QuestionSummary],
) {
    let Some(definition) = survey.question(&q.id) else { return };
    let base = linked.figure(within(base_key(q, definition.show_if.is_none(), everyone)), q.base);
    let rows: Vec<Figure> =
        q.rows.iter().map(|r| linked.figure(within(Key::Row(q.id.clone(), r.id.clone())), r.count)).collect();
    // A date's months and a number's bands by size are listed only when someone gave one; a
    // group's share of such a row may be 0.
    if super::values::rows_only_when_given(definition) {
        for (r, figure) in q.rows.iter().zip(&rows) {
            let key = within(Key::Row(q.id.clone(), r.id.clone()));
            if r.id != "no_answer" && matches!(key, Key::Row(..)) && r.count.value() > 0 {
                linked.table.listed(*figure);
            }
        }
    }
    // One answer each: a choice, "answered" for words, a number's band or a date's month.
    if matches!(q.kind, Kind::Single | Kind::Scale) || q.kind.is_text() || q.kind.is_value() {
        linked.adds_up(rows, base, true);
    } else if let Some((no_answer, answers)) = rows.split_last() {
        // Several answers each: those who answered (the base less "No answer") are at least as
        // many as chose any one answer (or an exclusive one and any other), at most all together.
        linked.table.at_most(vec![base], rows.clone());
        let exclusive: Vec<Figure> =
            definition.options.iter().zip(answers).filter(|(o, _)| o.exclusive).map(|(_, f)| *f).collect();
        for (option, answer) in definition.options.iter().zip(answers) {
            let with: Vec<Figure> = if option.exclusive { vec![] } else { exclusive.clone() };
            linked.table.at_most([vec![*answer, *no_answer], with].concat(), vec![base]);
        }
    }
    let Some(rule) = &definition.show_if else { return };
    let parent = &survey.questions()[rule.question].id;
    let Some(opened_by) = siblings.iter().find(|s| s.id == *parent) else { return };
    if q.note.is_some() || opened_by.note.is_some() {
        return;
    }
    let opening: Vec<Figure> = opened_by
        .rows
        .iter()
        .filter(|r| rule.any_of.contains(&r.id))
        .map(|r| linked.figure(within(Key::Row(parent.clone(), r.id.clone())), r.count))
        .collect();
    linked.adds_up(opening, base, true);
}

/// A barrier's count beside the answers that show it: at least any one of them, at most all of
/// them together; and where some are a follow-up's answers, at most the others with the answers
/// that open the follow-up (whoever gave a follow-up's answer gave one that opens it). A reader
/// who knows how the survey flows knows as much, and would narrow a held answer with it: so does
/// the audit. Returns the answers' figures.
fn barrier_bounds(
    linked: &mut Linked,
    survey: &Survey,
    questions: &[&QuestionSummary],
    barrier: Barrier,
    total: Figure,
    within: &dyn Fn(Key) -> Key,
) -> Vec<Figure> {
    let rows: Vec<(&QuestionSummary, &super::summary::OptionRow)> = questions
        .iter()
        .filter_map(|q| Some((*q, survey.question(&q.id)?)))
        .flat_map(|(q, d)| {
            d.options
                .iter()
                .filter(|o| o.barriers.contains(barrier))
                .filter_map(move |o| q.rows.iter().find(|r| r.id == o.id).map(|r| (q, r)))
        })
        .collect();
    let carriers: Vec<Figure> =
        rows.iter().map(|(q, r)| linked.figure(within(Key::Row(q.id.clone(), r.id.clone())), r.count)).collect();
    for carrier in &carriers {
        linked.table.at_most(vec![*carrier], vec![total]);
    }
    linked.table.at_most(vec![total], carriers.clone());
    let mut follow_ups: Vec<&QuestionSummary> = rows.iter().map(|(q, _)| *q).collect();
    follow_ups.dedup_by_key(|q| q.id.clone());
    for follow_up in follow_ups {
        let Some(rule) = survey.question(&follow_up.id).and_then(|d| d.show_if.as_ref()) else { continue };
        let parent_id = &survey.questions()[rule.question].id;
        let Some(parent) = questions.iter().find(|q| q.id == *parent_id) else { continue };
        if follow_up.note.is_some() || parent.note.is_some() {
            continue;
        }
        let opening: Vec<Figure> = parent
            .rows
            .iter()
            .filter(|r| rule.any_of.contains(&r.id))
            .map(|r| linked.figure(within(Key::Row(parent.id.clone(), r.id.clone())), r.count))
            .collect();
        let others = rows
            .iter()
            .zip(&carriers)
            .filter(|((q, r), _)| q.id != follow_up.id && !(q.id == parent.id && rule.any_of.contains(&r.id)))
            .map(|(_, f)| *f);
        linked.table.at_most(vec![total], others.chain(opening).collect());
    }
    carriers
}

/// A national measure's figures: those scored on it and who met it, among `everyone` (the
/// headline's respondents, or a group of a cross-tab, with `within` naming its figures). Who met
/// it and who did not add up to those scored, who are those who answered the measure's question
/// (its base less "No answer"). Met by giving one answer, it is that answer's count; met by
/// ticking several, see [`all_of`]. A reader who knows the question knows all this, so the
/// figures are held back with the question's (where every version asked it the same way, as the
/// score counts every version).
fn score(
    linked: &mut Linked,
    survey: &Survey,
    score: &Score,
    questions: &[&QuestionSummary],
    within: &dyn Fn(Key) -> Key,
    everyone: Key,
) -> [Figure; 2] {
    let m = score.measure;
    let asked = questions.iter().find(|q| q.id == m.question_id && q.note.is_none());
    let base = linked.figure(within(Key::Score(m.key, "base")), score.base);
    let met = linked.figure(within(met_key(m, asked.is_some())), score.met);
    let not_met = linked.figure(within(Key::Score(m.key, "0")), Cell::Count(score.base.value() - score.met.value()));
    linked.adds_up(vec![met, not_met], base, true);
    let (Some(q), Some(definition)) = (asked, survey.question(m.question_id)) else { return [base, met] };
    let rows: HashMap<&str, Figure> = q
        .rows
        .iter()
        .map(|r| (r.id.as_str(), linked.figure(within(Key::Row(q.id.clone(), r.id.clone())), r.count)))
        .collect();
    let asked = linked.figure(within(base_key(q, definition.show_if.is_none(), everyone)), q.base);
    linked.adds_up(vec![base, rows["no_answer"]], asked, true);
    if let Rule::AllOf(tasks) = m.rule {
        all_of(&mut linked.table, definition, tasks, &rows, [base, met, not_met]);
    }
    [base, met]
}

/// The key of who met a measure: the answer's count when it is met by one answer of a question
/// asked the same way throughout.
fn met_key(m: &'static crate::survey::measures::Measure, asked: bool) -> Key {
    match m.rule {
        Rule::Gave(option) if asked => Key::Row(m.question_id.to_owned(), option.to_owned()),
        _ => Key::Score(m.key, "1"),
    }
}

/// Who ticked every one of `tasks` (`met`) among those who answered (`base`), beside each task's
/// count: at most any one task's; those who missed a task at most those who did not meet it; and
/// at least the tasks' counts less what the rest could add (each who did not meet it missed at
/// least one task). With two tasks and nothing else to tick but answers ticked alone, that last
/// is exact: who ticked both is the two counts less those who ticked either.
fn all_of(
    table: &mut Table,
    question: &crate::survey::Question,
    tasks: &[&str],
    rows: &HashMap<&str, Figure>,
    [base, met, not_met]: [Figure; 3],
) {
    let ticked: Vec<Figure> = tasks.iter().filter_map(|t| rows.get(t).copied()).collect();
    let others: Vec<&crate::survey::Choice> =
        question.options.iter().filter(|o| !tasks.contains(&o.id.as_str())).collect();
    for t in &ticked {
        table.at_most(vec![met], vec![*t]);
        table.at_most(vec![base], vec![*t, not_met]);
    }
    // Those who ticked any task: exactly those who answered less those who ticked an answer
    // ticked alone, when every other answer is one; otherwise at most those who answered.
    let alone: Option<Vec<Figure>> =
        others.iter().map(|o| o.exclusive.then(|| rows.get(o.id.as_str()).copied()).flatten()).collect();
    let times = ticked.len().saturating_sub(1);
    let many = |f: &[Figure]| f.iter().flat_map(|f| std::iter::repeat_n(*f, times)).collect::<Vec<_>>();
    let alone = alone.unwrap_or_default();
    table.at_most([ticked.clone(), many(&alone)].concat(), [vec![met], many(&[base])].concat());
    if ticked.len() == 2 && alone.len() == others.len() {
        table.at_most(vec![met, base], [ticked, alone].concat());
    }
}

/// The headline figures as published: who answered and every question's answers, held back as
/// one set. What a cross-tab needs of them comes back too.
pub struct Headline {
    linked: Linked,
    /// Each question's base, by question id.
    bases: HashMap<String, Key>,
    /// The national measures as counted, before holding back.
    scores: Vec<Score>,
}

/// The publishable summary and profile, held back together.
pub fn headline(survey: &Survey, summary: &mut Summary, profile: &mut Profile, threshold: i64) -> Headline {
    let mut linked = Linked::default();
    let everyone = linked.figure(Key::Respondents, profile.respondents);
    for (name, rows) in breakdowns(profile) {
        let parts: Vec<Figure> =
            rows.iter().map(|(label, n)| linked.figure(Key::Group(name, label.clone()), *n)).collect();
        // Only channels, places, languages and weeks someone is in are listed.
        for (part, (_, n)) in parts.iter().zip(rows) {
            if n.value() > 0 {
                linked.table.listed(*part);
            }
        }
        linked.adds_up(parts, everyone, true);
    }
    // Combinations of barriers, and how many show two or more, cross four figures made from many
    // answers: too fine to publish, so they are left out.
    let questions: Vec<&QuestionSummary> = summary.questions.iter().collect();
    let mut shown_by: Vec<(Figure, Vec<Figure>)> = Vec::new();
    for (barrier, n) in &profile.barriers {
        let total = linked.figure(Key::Barrier(*barrier), *n);
        let carriers = barrier_bounds(&mut linked, survey, &questions, *barrier, total, &|k| k);
        linked.table.at_most(vec![total], vec![everyone]);
        shown_by.push((total, carriers));
    }
    profile.combinations.clear();
    profile.two_or_more = Cell::Suppressed;
    let mut bases = HashMap::new();
    for q in &questions {
        question(&mut linked, survey, q, |k| k, Key::Respondents, &questions);
        let unconditional = survey.question(&q.id).is_some_and(|d| d.show_if.is_none());
        bases.insert(q.id.clone(), base_key(q, unconditional, Key::Respondents));
    }
    let scores: Vec<[Figure; 2]> =
        summary.scores.iter().map(|s| score(&mut linked, survey, s, &questions, &|k| k, Key::Respondents)).collect();
    let counted = summary.scores.clone();
    linked.table.suppress(threshold);
    // A barrier's count is people who gave any of several answers, on paths through the survey a
    // reader can follow (two answers on paths that exclude each other add up exactly; others
    // overlap by amounts the rest of the tables bound). Beside a held answer it is held too, so
    // it never closes the gap around one; held, it only takes information away.
    for (total, carriers) in shown_by {
        if carriers.iter().any(|c| linked.table.is_held(*c)) {
            linked.table.hold(total);
        }
    }

    linked.hold(&Key::Respondents, &mut profile.respondents);
    for (name, rows) in breakdowns_mut(profile) {
        rows.iter_mut().for_each(|(label, n)| linked.hold(&Key::Group(name, label.clone()), n));
        sort_held_last(rows, name == "week");
    }
    profile.barriers.iter_mut().for_each(|(b, n)| linked.hold(&Key::Barrier(*b), n));
    for q in &mut summary.questions {
        linked.hold(&bases[&q.id], &mut q.base);
        for r in &mut q.rows {
            linked.hold(&Key::Row(q.id.clone(), r.id.clone()), &mut r.count);
        }
    }
    // Who did not meet a measure is never shown: beside a shown base, it is held with who met it.
    for (s, [base, met]) in summary.scores.iter_mut().zip(scores) {
        linked.table.is_held(met).then(|| s.met = Cell::Suppressed);
        linked.table.is_held(base).then(|| s.base = Cell::Suppressed);
    }
    Headline { linked, bases, scores: counted }
}

fn breakdowns(profile: &Profile) -> [(&'static str, &Vec<(String, Cell)>); 4] {
    [
        ("channel", &profile.by_channel),
        ("location", &profile.by_location),
        ("language", &profile.by_language),
        ("week", &profile.by_week),
    ]
}

fn breakdowns_mut(profile: &mut Profile) -> [(&'static str, &mut Vec<(String, Cell)>); 4] {
    [
        ("channel", &mut profile.by_channel),
        ("location", &mut profile.by_location),
        ("language", &mut profile.by_language),
        ("week", &mut profile.by_week),
    ]
}

/// Rows sorted by their count tell where a held one lies (9, 6, [c], 5 means the held one is 5 or
/// 6). Published rows keep their order; held rows go after them by label, so their place says
/// nothing. Weeks stay in date order, which says nothing either.
fn sort_held_last(rows: &mut [(String, Cell)], dated: bool) {
    if dated {
        return;
    }
    rows.sort_by(|a, b| match (a.1, b.1) {
        (Cell::Suppressed, Cell::Suppressed) => a.0.cmp(&b.0),
        (Cell::Suppressed, _) => std::cmp::Ordering::Greater,
        (_, Cell::Suppressed) => std::cmp::Ordering::Less,
        _ => std::cmp::Ordering::Equal,
    });
}

/// What each group of a breakdown has that is never shown but bounds its answers, in the cube's
/// group order: its count of people showing each barrier, and its national measures.
#[derive(Default)]
pub struct GroupFigures {
    pub barriers: Vec<Vec<(Barrier, i64)>>,
    pub scores: Vec<Vec<Score>>,
}

/// How a breakdown's groups relate to the headline figures.
pub enum Across<'a> {
    /// Channel or location: a group's size is its row in the headline breakdown (by label);
    /// `covers_all` when everyone is in one of the groups.
    Profile { name: &'static str, covers_all: bool },
    /// An about-you question: a group's size is that answer's count.
    Answer(&'a str),
}

/// Every choice question across the groups of one breakdown, held back as one set beside the
/// headline figures as published. `cube` has each question's id and its columns, every question
/// with the same groups in the same order; `barriers` has each group's count of people showing
/// each barrier, in the same order (empty when not known).
pub fn across(
    survey: &Survey,
    headline: &Headline,
    by: Across,
    cube: &mut [(String, Vec<Column>)],
    within_groups: &GroupFigures,
    threshold: i64,
) {
    let GroupFigures { barriers, scores } = within_groups;
    let mut linked = Linked::default();
    // The headline figures, as published; a held one a reader works out from the headline alone
    // (a barrier's count held beside a held answer) is known to them, as a published one is.
    // In the headline's order, so that the same answers are always held back the same way (a
    // map's order changes from run to run, and with it which companions are held).
    let mut published: Vec<(&Key, &Figure)> = headline.linked.keys.iter().collect();
    published.sort_by_key(|(_, figure)| **figure);
    for (key, figure) in published {
        let table = &headline.linked.table;
        let held = table.is_held(*figure) && !table.range(*figure).is_single_value();
        let copy = linked.published(key.clone(), table.value(*figure), held);
        if table.is_listed(*figure) {
            linked.table.listed(copy);
        }
    }
    let Some((_, first)) = cube.first() else { return };
    let groups: Vec<Key> = first
        .iter()
        .map(|c| match &by {
            Across::Profile { name, .. } => Key::Group(name, c.label.clone()),
            // Sizes that are the answer's headline count only when every version asked it alike.
            Across::Answer(question) if headline.bases.get(*question).is_some_and(|k| *k == Key::Respondents) => {
                Key::Row((*question).to_owned(), c.id.clone())
            }
            Across::Answer(question) => Key::Within(
                Box::new(Key::Base((*question).to_owned())),
                Box::new(Key::Row((*question).to_owned(), c.id.clone())),
            ),
        })
        .collect();
    // A channel or location nobody came through is left out of the headline breakdown, which a
    // reader reads as none: so its size is published, as 0.
    for group in &groups {
        if matches!(group, Key::Group(..)) {
            linked.published(group.clone(), 0, false);
        }
    }
    for (g, group) in groups.iter().enumerate() {
        let siblings: Vec<&QuestionSummary> = cube.iter().map(|(_, columns)| &columns[g].summary).collect();
        for q in &siblings {
            question(&mut linked, survey, q, |k| within(group, k), group.clone(), &siblings);
        }
    }
    // Those who gave no answer to an about-you question are a group too, never shown but known
    // to a reader: its size is that question's "No answer", and its figures are the headline's
    // less the groups'. Held as a column like the others, so that what the groups leave over is
    // bounded as a reader bounds it.
    let rest = match &by {
        Across::Answer(question) if groups.first().is_some_and(|g| matches!(g, Key::Row(..))) => {
            rest_column(headline, question, cube)
        }
        _ => None,
    };
    let covers_all = matches!(by, Across::Profile { covers_all: true, .. }) || rest.is_some();
    // Each group's barrier counts are never shown, but they add up to the headline's, and each is
    // bounded by the group's answers as the headline's is by all of them: a reader narrows a
    // group's held answers through them (how many gave two answers that show one barrier, say),
    // and so does the audit.
    let per_group = barriers.len() == groups.len();
    if per_group {
        for (g, group) in groups.iter().enumerate() {
            let siblings: Vec<&QuestionSummary> = cube.iter().map(|(_, columns)| &columns[g].summary).collect();
            group_barriers(&mut linked, survey, group, &siblings, &barriers[g]);
        }
    }
    // So are each group's national measures: a reader who knows nobody ticked every task, say,
    // knows it of every group, and reads each group's answers by it.
    let scored = scores.len() == groups.len();
    // Every measure the headline has, in every group (none scored is a count of none).
    let scores: Vec<Vec<Score>> = scores
        .iter()
        .map(|group| {
            let none = |s: &Score| Score { measure: s.measure, met: Cell::Count(0), base: Cell::Count(0) };
            let of = |s: &Score| group.iter().find(|g| g.measure.key == s.measure.key).copied().unwrap_or(none(s));
            headline.scores.iter().map(of).collect()
        })
        .collect();
    if scored {
        linked.hiding = true;
        for (g, group) in groups.iter().enumerate() {
            let siblings: Vec<&QuestionSummary> = cube.iter().map(|(_, columns)| &columns[g].summary).collect();
            for s in &scores[g] {
                score(&mut linked, survey, s, &siblings, &|k| within(group, k), group.clone());
            }
        }
        linked.hiding = false;
    }
    let mut groups = groups;
    if let Some((size, summaries)) = rest {
        linked.hiding = true;
        let siblings: Vec<&QuestionSummary> = summaries.iter().collect();
        for q in &siblings {
            question(&mut linked, survey, q, |k| within(&size, k), size.clone(), &siblings);
        }
        linked.hiding = false;
        if per_group {
            let left: Vec<(Barrier, i64)> = Barrier::ALL
                .iter()
                .filter_map(|b| {
                    let overall =
                        headline.linked.keys.get(&Key::Barrier(*b)).map(|f| headline.linked.table.value(*f))?;
                    let in_groups: i64 = barriers.iter().flatten().filter(|(x, _)| x == b).map(|(_, n)| n).sum();
                    Some((*b, (overall - in_groups).max(0)))
                })
                .collect();
            group_barriers(&mut linked, survey, &size, &siblings, &left);
        }
        if scored {
            linked.hiding = true;
            for s in &headline.scores {
                let of = |f: &dyn Fn(&Score) -> Cell| {
                    let groups: i64 =
                        scores.iter().flatten().filter(|g| g.measure.key == s.measure.key).map(|g| f(g).value()).sum();
                    Cell::Count((f(s).value() - groups).max(0))
                };
                let left = Score { measure: s.measure, met: of(&|s| s.met), base: of(&|s| s.base) };
                score(&mut linked, survey, &left, &siblings, &|k| within(&size, k), size.clone());
            }
            linked.hiding = false;
        }
        groups.push(size);
    }
    // Each measure's figures across the groups add up to the headline's.
    if scored {
        for s in &headline.scores {
            let asked = cube.iter().any(|(id, columns)| {
                *id == s.measure.question_id && columns.first().is_some_and(|c| c.summary.note.is_none())
            });
            for key in [Key::Score(s.measure.key, "base"), met_key(s.measure, asked)] {
                let parts: Option<Vec<Figure>> =
                    groups.iter().map(|g| linked.keys.get(&within(g, key.clone())).copied()).collect();
                if let (Some(total), Some(parts)) = (linked.keys.get(&key).copied(), parts) {
                    linked.adds_up(parts, total, covers_all);
                }
            }
        }
    }
    if per_group {
        for b in Barrier::ALL {
            let parts: Option<Vec<Figure>> =
                groups.iter().map(|g| linked.keys.get(&within(g, Key::Barrier(b))).copied()).collect();
            if let (Some(total), Some(parts)) = (linked.keys.get(&Key::Barrier(b)).copied(), parts) {
                linked.adds_up(parts, total, covers_all);
            }
        }
    }
    // Each figure across the groups adds up to the headline figure.
    for (id, columns) in cube.iter() {
        let Some(first) = columns.first() else { continue };
        let unconditional = survey.question(id).is_some_and(|d| d.show_if.is_none());
        let mut lines: Vec<(Key, Vec<Key>)> = first
            .summary
            .rows
            .iter()
            .map(|r| {
                let row = Key::Row(id.clone(), r.id.clone());
                (row.clone(), groups.iter().map(|g| within(g, row.clone())).collect())
            })
            .collect();
        let Some(overall_base) = headline.bases.get(id).cloned() else { continue };
        let group_bases = groups
            .iter()
            .zip(columns.iter().map(|c| &c.summary).chain(std::iter::repeat(&first.summary)))
            .map(|(g, c)| within(g, base_key(c, unconditional, g.clone())))
            .collect();
        lines.push((overall_base, group_bases));
        for (total, parts) in lines {
            // Every figure of the line is in the set (each group's column made them); a line short
            // of one would claim a sum that is not so.
            let parts: Option<Vec<Figure>> = parts.iter().map(|k| linked.keys.get(k).copied()).collect();
            if let (Some(total), Some(parts)) = (linked.keys.get(&total).copied(), parts) {
                linked.adds_up(parts, total, covers_all);
            }
        }
    }
    linked.table.suppress(threshold);
    for (g, group) in groups.iter().enumerate().take(first_len(cube)) {
        for (id, columns) in cube.iter_mut() {
            let summary = &mut columns[g].summary;
            let unconditional = survey.question(id).is_some_and(|d| d.show_if.is_none());
            linked.hold(&within(group, base_key(summary, unconditional, group.clone())), &mut summary.base);
            for r in &mut summary.rows {
                linked.hold(&within(group, Key::Row(id.clone(), r.id.clone())), &mut r.count);
            }
        }
    }
}

/// One group's barrier counts, as figures nobody is shown, bounded by the group's answers.
fn group_barriers(
    linked: &mut Linked,
    survey: &Survey,
    group: &Key,
    summaries: &[&QuestionSummary],
    counts: &[(Barrier, i64)],
) {
    linked.hiding = true;
    let figures: Vec<(Barrier, Figure)> =
        counts.iter().map(|(b, n)| (*b, linked.figure(within(group, Key::Barrier(*b)), Cell::Count(*n)))).collect();
    linked.hiding = false;
    for (b, figure) in figures {
        barrier_bounds(linked, survey, summaries, b, figure, &|k| within(group, k));
    }
}

fn first_len(cube: &[(String, Vec<Column>)]) -> usize {
    cube.first().map_or(0, |(_, columns)| columns.len())
}

/// The group of those who did not answer `question`: its size's key (that answer's "No answer"
/// in the headline) and each question's figures for it, the headline's less the groups'. None
/// when the figures do not add up that way (versions asked a question differently).
fn rest_column(
    headline: &Headline,
    question: &str,
    cube: &[(String, Vec<Column>)],
) -> Option<(Key, Vec<QuestionSummary>)> {
    let overall = |key: &Key| headline.linked.keys.get(key).map(|f| headline.linked.table.value(*f));
    let size = Key::Row(question.to_owned(), "no_answer".to_owned());
    overall(&size)?;
    let mut summaries = Vec::new();
    for (id, columns) in cube {
        let first = &columns.first()?.summary;
        let left = |total: i64, of: &dyn Fn(&QuestionSummary) -> i64| {
            Some(total - columns.iter().map(|c| of(&c.summary)).sum::<i64>()).filter(|n| *n >= 0)
        };
        let base = left(overall(headline.bases.get(id)?)?, &|s| s.base.value())?;
        let mut rows = Vec::new();
        for (i, r) in first.rows.iter().enumerate() {
            let count =
                left(overall(&Key::Row(id.clone(), r.id.clone()))?, &|s| s.rows.get(i).map_or(0, |r| r.count.value()))?;
            rows.push(super::summary::OptionRow {
                id: r.id.clone(),
                label: r.label.clone(),
                count: Cell::Count(count),
            });
        }
        summaries.push(QuestionSummary { base: Cell::Count(base), rows, ..first.clone() });
    }
    Some((size, summaries))
}

/// A publishable output: the headline figures and, when asked for, one question across the
/// groups of a breakdown. Always of every response: see the module's notes on filters.
pub struct Publication {
    pub summary: Summary,
    pub profile: Profile,
    pub crosstab: Option<Vec<Column>>,
}

/// The publishable figures of `version`'s survey, and of `compare` (question, breakdown) when
/// given and the survey can break that question down so.
pub async fn publication(
    db: &Db,
    catalogue: &Catalogue,
    version: &SurveyVersion,
    compare: Option<(&str, &str)>,
    threshold: i64,
) -> Result<Publication, AppError> {
    let (summary, profile, headline) = published_headline(db, catalogue, version, threshold).await?;
    let crosstab = match compare {
        Some((question, by)) => cube(db, catalogue, version, &headline, by, threshold)
            .await?
            .and_then(|cube| cube.into_iter().find(|(id, _)| id == question).map(|(_, c)| c)),
        None => None,
    };
    Ok(Publication { summary, profile, crosstab })
}

/// The headline figures of every response to `version`'s survey, counted and held back.
pub async fn published_headline(
    db: &Db,
    catalogue: &Catalogue,
    version: &SurveyVersion,
    threshold: i64,
) -> Result<(Summary, Profile, Headline), AppError> {
    let everyone = Filters::default();
    let mut summary = summarise(db, catalogue, version, &everyone).await?;
    let mut profile = profile(db, version.survey_id, &everyone).await?;
    let headline = headline(&version.survey, &mut summary, &mut profile, threshold);
    Ok((summary, profile, headline))
}

/// Every choice question across the groups of `by`, held back as one set; None when the survey
/// cannot break its questions down so.
pub async fn cube(
    db: &Db,
    catalogue: &Catalogue,
    version: &SurveyVersion,
    headline: &Headline,
    by: &str,
    threshold: i64,
) -> Result<Option<Vec<(String, Vec<Column>)>>, AppError> {
    let everyone = Filters::default();
    let mut cube = Vec::new();
    for q in version.survey.questions().iter().filter(|q| q.kind.is_choice()) {
        let Some(columns) = crosstab(db, catalogue, version, &everyone, &q.id, by).await? else { return Ok(None) };
        cube.push((q.id.clone(), columns));
    }
    let across = match by {
        // Every response has a channel; not every one a location still listed.
        "channel" => Across::Profile { name: "channel", covers_all: true },
        "location" => Across::Profile { name: "location", covers_all: false },
        question => Across::Answer(question),
    };
    let groups = group_figures_of(db, catalogue, version, by, &cube).await?;
    self::across(&version.survey, headline, across, &mut cube, &groups, threshold);
    Ok(Some(cube))
}

/// Each group's count of people showing each barrier, and its national measures, in the cube's
/// group order.
async fn group_figures_of(
    db: &Db,
    catalogue: &Catalogue,
    version: &SurveyVersion,
    by: &str,
    cube: &[(String, Vec<Column>)],
) -> Result<GroupFigures, AppError> {
    let Some((_, columns)) = cube.first() else { return Ok(GroupFigures::default()) };
    let mut all = GroupFigures::default();
    for column in columns {
        let filters = match by {
            "channel" => Filters { channel: Some(column.id.clone()), ..Filters::default() },
            "location" => Filters { location_id: column.id.parse().ok(), ..Filters::default() },
            question => Filters { answers: vec![(question.to_owned(), column.id.clone())], ..Filters::default() },
        };
        let counted = profile(db, version.survey_id, &filters).await?;
        all.barriers.push(counted.barriers.into_iter().map(|(b, n)| (b, n.value())).collect());
        // Only the measures need counting here; a group with none scored has none.
        all.scores.push(summarise(db, catalogue, version, &filters).await?.scores);
    }
    Ok(all)
}

#[cfg(test)]
mod tests;
