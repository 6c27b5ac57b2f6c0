//! One sample, exactly: the draws of a sample (from its own seeded stream), each leaf's
//! points under the sample's scheme, and every unit's reported index.
//!
//! Every point figure of a leaf (its maximum, pass and fail points, band points, deduction
//! per occurrence and cap, and for a `given` criterion the points given) scaled by a factor
//! `r` scales its points by exactly `r`: so each unit is scored once by the core, and a
//! sample multiplies each leaf's exact points by its exact factor. What the factor cannot
//! carry is scored again: criterion-level rounding (rounded per sample), groups that
//! deductions would take below 0 (summed up the tree per sample), and inputs that vary (the
//! criteria that read them are scored per sample by the core, on a scheme of just those
//! criteria). [`Engine::sample_scheme`] writes a sample out as a scheme and inputs, which
//! the core scores to the same figures.
//!
//! Bonus and penalty points lie outside the maximum and are not drawn: a unit's bonus and
//! penalty sections are scored once per methodological choice (by the core, on the sample
//! scheme of that choice), and each sample adds them to its areas' points with the caps the
//! core applies: the total never below 0, and with a bonus never above the applicable
//! maximum unless the scheme lets the index pass 100.

use std::collections::{HashMap, HashSet};

use parscore::file::{
    CriterionFile, IndicatorFile, Num, RankingFile, RoundingFile, RuleFile, SchemeFile,
};
use parscore::{
    Batch, Decimal, Evaluation, Inputs, NaPolicy, Options, Rounding, RoundingScope, Scheme, Scorer,
    Status, Value,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Gamma};
use rust_decimal::prelude::ToPrimitive;

use crate::error::Error;
use crate::exact::{FACTOR_PLACES, ONE, POW10, Sum, index_units};
use crate::model::{Draw, Model, Spread, Tree};

/// What one sample draws, by the model's items: the variables of the analysis.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Sample {
    /// A factor per weight item.
    pub factors: Vec<f64>,
    /// Per input item, per unit: the drawn value, or `None` to keep the unit's own.
    pub inputs: Vec<Vec<Option<Decimal>>>,
    /// The not-applicable policy, by position in the model's choices.
    pub not_applicable: usize,
    /// The rounding, by position in the model's choices.
    pub rounding: usize,
}

/// A variable of the analysis: what a sensitivity factor swaps between samples.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Variable {
    Weight(usize),
    Input(usize),
    NotApplicable,
    Rounding,
}

impl Sample {
    /// This sample with the given variables taken from `other`.
    pub fn with(&self, other: &Sample, variables: &[Variable]) -> Sample {
        let mut sample = self.clone();
        for variable in variables {
            match *variable {
                Variable::Weight(i) => sample.factors[i] = other.factors[i],
                Variable::Input(i) => sample.inputs[i].clone_from(&other.inputs[i]),
                Variable::NotApplicable => sample.not_applicable = other.not_applicable,
                Variable::Rounding => sample.rounding = other.rounding,
            }
        }
        sample
    }
}

/// A unit as the engine scores it.
#[derive(Debug, Clone)]
pub(crate) struct Unit {
    pub name: String,
    pub period: Option<String>,
    pub status: Vec<Status>,
    /// Each leaf's exact points under the scheme's maxima, before any criterion rounding.
    pub points: Vec<Decimal>,
    /// The same in units of `10^-points_scale`, the most places any of them has.
    points_units: Vec<i128>,
    points_scale: u32,
    /// The leaves that earn points as they are under any factor, with those points (in
    /// units of `10^-points_scale`, none zero): scored, neither missing nor not applicable.
    earned: Vec<(usize, i128)>,
    /// The leaves that do not apply to the unit.
    not_applicable: Vec<usize>,
    /// The sum of the magnitudes of `points_units`: times a sample's largest factor, a
    /// bound on every sum of the unit's points under it.
    points_bound: u128,
    /// The values criteria read, by indicator id.
    pub values: HashMap<String, Option<Value>>,
    /// The values of the criteria scored again per sample, by the rescoring scheme's slots.
    pub rescore_values: Vec<Option<Value>>,
    /// Bonus points less penalty points, per methodological choice ([`Engine::choice`]);
    /// empty when the scheme has neither.
    sections: Vec<Sum>,
}

/// The criteria that read varied inputs, as a scheme of their own.
#[derive(Debug, Clone)]
pub(crate) struct Rescore {
    pub scheme: Scheme,
    /// Position among the main scheme's leaves of each of its leaves.
    pub leaves: Vec<usize>,
    /// Its slot of each varied input, by input item.
    pub slots: Vec<usize>,
}

/// Scratch reused from one sample to the next on a thread.
#[derive(Debug, Clone)]
pub(crate) struct Scratch {
    scorer: Option<Scorer>,
    values: Vec<Option<Value>>,
    points: Vec<Sum>,
    max: Vec<Sum>,
}

/// A group's children, for sums up the tree.
#[derive(Debug, Clone)]
enum Child {
    Leaf(usize),
    Group(usize),
}

/// Everything a sample needs, compiled once for a batch and a model.
#[derive(Debug, Clone)]
pub(crate) struct Engine {
    pub model: Model,
    pub tree: Tree,
    pub seed: u64,
    /// Every scored unit of the batch (rows that failed are left out), in batch order.
    pub units: Vec<Unit>,
    /// Each unit's period, for ranks.
    pub periods: Vec<Option<String>>,
    rescore: Option<Rescore>,
    /// Each leaf's position among the rescored criteria, if it is one.
    rescored_at: Vec<Option<usize>>,
    /// Each leaf's maximum in units of `10^-max_scale`.
    max_units: Vec<i128>,
    max_scale: u32,
    /// The sum of the magnitudes of `max_units` (see [`Unit::points_bound`]).
    max_bound: u128,
    /// Each leaf's maximum as the float that renormalises drawn factors.
    max_f64: Vec<f64>,
    /// Groups in pre-order, with their children; only when a deduction can take a group
    /// below 0 (otherwise the leaves simply add up).
    groups: Option<Vec<Vec<Child>>>,
    areas: Vec<usize>,
    pub not_applicable: Vec<Option<NaPolicy>>,
    pub rounding: Vec<Rounding>,
    /// Places of every reported index of the analysis: the most any rounding choice has.
    pub places: u32,
    /// Whether the scheme has bonus or penalty points, and whether a bonus stops the total
    /// at the applicable maximum.
    sections: Option<Sections>,
}

/// What the scheme's bonus and penalties do to a total.
#[derive(Debug, Clone, Copy)]
struct Sections {
    /// A bonus whose total stops at the applicable maximum (`index_above_100 = false`).
    capped_at_max: bool,
}

impl Engine {
    pub fn new(batch: &Batch, model: &Model, seed: u64) -> Result<Engine, Error> {
        let scheme = &batch.scheme;
        if *scheme != model.scheme {
            return Err(Error::WrongScheme(model.scheme.id().to_string()));
        }
        let file = scheme.file();
        if file.ranking != RankingFile::default() {
            return Err(Error::Unsupported("a rank policy ([ranking])".into()));
        }
        if let Some(id) = model
            .inputs
            .iter()
            .map(|i| i.indicator.as_str())
            .find(|id| section_reads(file, id))
        {
            return Err(Error::Unsupported(format!(
                "an input read by bonus or penalty criteria (`{id}`)"
            )));
        }
        let tree = Tree::of(scheme);
        let rounding = if model.rounding.is_empty() {
            vec![scheme.rounding()]
        } else {
            model.rounding.clone()
        };
        let not_applicable = if model.not_applicable.is_empty() {
            vec![None]
        } else {
            model.not_applicable.iter().copied().map(Some).collect()
        };
        // Leaf points before criterion rounding, which each sample applies to its own points.
        let unrounded = if scheme.rounding().scope == RoundingScope::Criterion {
            let mut file = scheme.file().clone();
            file.rounding.apply = RoundingScope::Report;
            Some(Scheme::from_file(file)?)
        } else {
            None
        };
        let varied: HashSet<&str> = model.inputs.iter().map(|i| i.indicator.as_str()).collect();
        let rescore = (!varied.is_empty())
            .then(|| rescoring_scheme(scheme, &tree, &varied, model))
            .transpose()?;
        let mut units = Vec::new();
        let mut periods = Vec::new();
        for result in &batch.results {
            let Ok(evaluation) = &result.outcome else {
                continue;
            };
            let values = values_of(evaluation);
            let evaluation = match &unrounded {
                Some(variant) => {
                    let inputs = inputs_of(variant, evaluation, &values)?;
                    variant.evaluate(&inputs, &Options::default())?
                }
                None => evaluation.clone(),
            };
            let rescore_values = rescore.as_ref().map_or(Vec::new(), |r| {
                r.scheme
                    .indicators()
                    .iter()
                    .map(|i| values.get(&i.id).copied().flatten())
                    .collect()
            });
            // The areas' leaves come first; the bonus and penalty leaves are summed apart.
            let areas = evaluation.criteria().take(tree.leaves.len());
            let points: Vec<Decimal> = areas.map(|c| c.points()).collect();
            let (points_units, points_scale) =
                common_scale(&points).ok_or(Error::TooManyDigits(units.len()))?;
            let status: Vec<Status> = evaluation.criteria().map(|c| c.status()).collect();
            let earned = (0..tree.leaves.len())
                .filter(|&l| status[l] == Status::Scored && points_units[l] != 0)
                .map(|l| (l, points_units[l]))
                .collect();
            let not_applicable = (0..tree.leaves.len())
                .filter(|&l| status[l] == Status::NotApplicable)
                .collect();
            units.push(Unit {
                name: evaluation.unit().to_string(),
                period: evaluation.period().map(str::to_string),
                status,
                points,
                points_bound: magnitude(&points_units),
                points_units,
                points_scale,
                earned,
                not_applicable,
                values,
                rescore_values,
                sections: Vec::new(),
            });
            periods.push(result.period.clone());
        }
        let (groups, areas) = groups_of(scheme.file(), &tree);
        let maxima: Vec<Decimal> = tree.leaves.iter().map(|l| l.max).collect();
        let (max_units, max_scale) = common_scale(&maxima).ok_or(Error::TooManyDigits(0))?;
        let mut rescored_at = vec![None; tree.leaves.len()];
        if let Some(rescore) = &rescore {
            for (i, &leaf) in rescore.leaves.iter().enumerate() {
                rescored_at[leaf] = Some(i);
            }
        }
        let sections = (file.bonus.is_some() || file.penalties.is_some()).then(|| Sections {
            capped_at_max: file.bonus.as_ref().is_some_and(|b| !b.index_above_100),
        });
        let mut engine = Engine {
            rescored_at,
            max_bound: magnitude(&max_units),
            max_f64: maxima.iter().map(|m| m.to_f64().unwrap_or(0.0)).collect(),
            max_units,
            max_scale,
            model: model.clone(),
            seed,
            units,
            periods,
            rescore,
            groups: tree.leaves.iter().any(|l| l.negative).then_some(groups),
            areas,
            not_applicable,
            places: rounding.iter().map(|r| r.places).max().unwrap_or(2),
            rounding,
            tree,
            sections,
        };
        if engine.sections.is_some() {
            engine.score_sections()?;
        }
        Ok(engine)
    }

    /// The position of a sample's methodological choices among every combination.
    fn choice(&self, sample: &Sample) -> usize {
        sample.not_applicable * self.rounding.len() + sample.rounding
    }

    /// Each unit's bonus less penalty points under each methodological choice, scored by
    /// the core on the sample scheme of that choice with the drawn points left as they are
    /// (bonus and penalty points are not drawn, and no varied input feeds them).
    fn score_sections(&mut self) -> Result<(), Error> {
        let ones = vec![ONE; self.tree.leaves.len()];
        let mut sections = vec![Vec::new(); self.units.len()];
        for not_applicable in 0..self.not_applicable.len() {
            for rounding in 0..self.rounding.len() {
                let (scheme, inputs) = self.written_out(&ones, &[], not_applicable, rounding)?;
                for (u, inputs) in inputs.iter().enumerate() {
                    let evaluation = scheme.evaluate(inputs, &Options::default())?;
                    let bonus = evaluation.bonus_points().unwrap_or_default();
                    let penalty = evaluation.penalty_points().unwrap_or_default();
                    let net = Sum::of(bonus)
                        .add(Sum::of(-penalty))
                        .ok_or(Error::TooManyDigits(u))?;
                    sections[u].push(net);
                }
            }
        }
        for (unit, sections) in self.units.iter_mut().zip(sections) {
            unit.sections = sections;
        }
        Ok(())
    }

    /// The total of a unit's areas' `points` with its bonus and penalties, capped as the
    /// core caps it (see [`Scheme::evaluate`]).
    fn with_sections(&self, unit: &Unit, choice: usize, points: Sum, max: Sum) -> Option<Sum> {
        let Some(sections) = self.sections else {
            return Some(points);
        };
        let total = points.add(unit.sections[choice])?.max_zero();
        if sections.capped_at_max && total.exceeds(max)? {
            return Some(max);
        }
        Some(total)
    }

    pub fn scratch(&self) -> Scratch {
        let nodes = self.groups.as_ref().map_or(0, Vec::len);
        Scratch {
            scorer: self.rescore.as_ref().map(|r| Scorer::new(&r.scheme)),
            values: Vec::new(),
            points: vec![Sum::default(); nodes],
            max: vec![Sum::default(); nodes],
        }
    }

    /// The draws of a sample from its own stream: the same on any thread, in any order.
    pub fn draw(&self, stream: u64) -> Sample {
        let mut key = [0u8; 32];
        key[..8].copy_from_slice(&self.seed.to_le_bytes());
        key[8..16].copy_from_slice(b"parscore");
        let mut rng = ChaCha8Rng::from_seed(key);
        rng.set_stream(stream);
        let factors = self
            .model
            .items
            .iter()
            .map(|item| match item.draw {
                Draw::Uniform(spread) => rng.random_range(1.0 - spread..=1.0 + spread),
                Draw::Gamma(shape) => {
                    let gamma = Gamma::new(shape, 1.0).expect("shapes are above 0");
                    gamma.sample(&mut rng) / shape
                }
            })
            .collect();
        let inputs = self
            .model
            .inputs
            .iter()
            .map(|item| {
                let unit = Decimal::new(1, item.places);
                let units_of = |d: Decimal| (d / unit).round().to_i64().unwrap_or(0);
                self.units
                    .iter()
                    .map(|u| {
                        let own = u.values.get(&item.indicator).copied().flatten();
                        let drawn = match (item.spread, own) {
                            (_, Some(Value::NotApplicable | Value::Bool(_))) => return None,
                            (Spread::Range(..), Some(_)) if item.only_missing => return None,
                            (Spread::Range(low, high), _) => {
                                let (low, high) = (units_of(low), units_of(high));
                                Decimal::new(rng.random_range(low..=high), item.places)
                            }
                            (Spread::Margin(_), None) => return None,
                            (Spread::Margin(margin), Some(value)) => {
                                let m = units_of(margin);
                                // A drawn value has the item's places, as a range's has.
                                let own = value.as_decimal()?.round_dp(item.places);
                                own + Decimal::new(rng.random_range(-m..=m), item.places)
                            }
                        };
                        let (low, high) = item.bounds;
                        Some(drawn.max(low.unwrap_or(drawn)).min(high.unwrap_or(drawn)))
                    })
                    .collect()
            })
            .collect();
        let pick = |n: usize, rng: &mut ChaCha8Rng| if n > 1 { rng.random_range(0..n) } else { 0 };
        Sample {
            factors,
            inputs,
            not_applicable: pick(self.not_applicable.len(), &mut rng),
            rounding: pick(self.rounding.len(), &mut rng),
        }
    }

    /// Each leaf's factor in millionths: the drawn factors renormalised within their scope
    /// so that its maxima keep their sum, rounded to 6 places (so that every figure of the
    /// sample's scheme is an exact decimal); fixed leaves keep exactly 1.
    pub fn factors(&self, sample: &Sample) -> Vec<i64> {
        let leaves = &self.tree.leaves;
        let mut raw = vec![1.0f64; leaves.len()];
        for (item, factor) in self.model.items.iter().zip(&sample.factors) {
            for &leaf in &item.leaves {
                raw[leaf] = *factor;
            }
        }
        let mut factors = vec![ONE; leaves.len()];
        for scope in &self.model.scopes {
            let max = |l: usize| self.max_f64[l];
            let total: f64 = scope.iter().map(|&l| max(l)).sum();
            let drawn: f64 = scope.iter().map(|&l| max(l) * raw[l]).sum();
            for &leaf in scope {
                let r = raw[leaf] * total / drawn;
                factors[leaf] = ((r * ONE as f64).round() as i64).max(1);
            }
        }
        factors
    }

    /// Every unit's reported index under a sample, in units of `10^-places` of the
    /// analysis; `None` for a unit to which nothing applies.
    pub fn evaluate(
        &self,
        sample: &Sample,
        scratch: &mut Scratch,
        out: &mut Vec<Option<i64>>,
    ) -> Result<(), Error> {
        let factors = self.factors(sample);
        let rounding = self.rounding[sample.rounding];
        let policy = self.not_applicable[sample.not_applicable];
        out.clear();
        let choice = self.choice(sample);
        let shared = self.shared(&factors, rounding);
        for (u, unit) in self.units.iter().enumerate() {
            let rescored = self.rescore(u, unit, sample, scratch)?;
            let content = match shared {
                Some(shared) if !rescored && fits(shared.largest, unit.points_bound) => {
                    self.quick_content(unit, &factors, policy, shared)
                }
                _ => self.unit_content(unit, &factors, rounding, policy, rescored, scratch),
            };
            let index = content
                .and_then(|(points, max)| {
                    let total = self.with_sections(unit, choice, points, max)?;
                    self.reported(total, max, rounding)
                })
                .ok_or(Error::TooManyDigits(u))?;
            out.push(index);
        }
        Ok(())
    }

    /// What every unit's sums share under a sample's factors when its leaves simply add
    /// up, unrounded: `None` when they do not (groups that a deduction can take below 0,
    /// criterion rounding), or when a sum of the maxima might not fit 38 digits.
    fn shared(&self, factors: &[i64], rounding: Rounding) -> Option<Shared> {
        if self.groups.is_some() || rounding.scope == RoundingScope::Criterion {
            return None;
        }
        let largest = u128::from(factors.iter().map(|r| r.unsigned_abs()).max()?);
        if !fits(largest, self.max_bound) {
            return None;
        }
        // No product or partial sum exceeds `largest × max_bound`, which fits.
        let max = factors
            .iter()
            .zip(&self.max_units)
            .map(|(&r, &m)| i128::from(r) * m)
            .sum();
        Some(Shared { largest, max })
    }

    /// [`Engine::plain_content`] of a unit without drawn inputs and without criterion
    /// rounding, whose sums fit (see [`fits`]): its maximum is the sample's less the leaves
    /// that do not apply to it and are excluded, and its points are the products of the
    /// leaves that earn any. The same integers, summed in another order.
    fn quick_content(
        &self,
        unit: &Unit,
        factors: &[i64],
        policy: Option<NaPolicy>,
        shared: Shared,
    ) -> Option<(Sum, Sum)> {
        let points: i128 = unit
            .earned
            .iter()
            .map(|&(leaf, units)| i128::from(factors[leaf]) * units)
            .sum();
        let (mut full, mut max) = (0i128, shared.max);
        for &leaf in &unit.not_applicable {
            let scaled_max = i128::from(factors[leaf]) * self.max_units[leaf];
            if policy.unwrap_or(self.tree.leaves[leaf].not_applicable) == NaPolicy::FullPoints {
                full += scaled_max;
            } else {
                max -= scaled_max;
            }
        }
        let at = |units: i128, scale: u32| Sum {
            units,
            scale: scale + FACTOR_PLACES,
        };
        let total = at(points, unit.points_scale).add(at(full, self.max_scale))?;
        Some((total, at(max, self.max_scale)))
    }

    /// Scores again the criteria that read a varied input, when this unit draws one; their
    /// points are then in the scorer.
    fn rescore(
        &self,
        u: usize,
        unit: &Unit,
        sample: &Sample,
        scratch: &mut Scratch,
    ) -> Result<bool, Error> {
        let (Some(rescore), Some(scorer)) = (&self.rescore, scratch.scorer.as_mut()) else {
            return Ok(false);
        };
        scratch.values.clone_from(&unit.rescore_values);
        let mut any = false;
        for (item, drawn) in sample.inputs.iter().enumerate() {
            if let Some(value) = drawn[u] {
                scratch.values[rescore.slots[item]] = Some(Value::Number(value));
                any = true;
            }
        }
        if any {
            scorer.score_values(&scratch.values, &Options::default())?;
        }
        Ok(any)
    }

    /// A unit's exact points and applicable maximum from its areas under a sample;
    /// `None` once a sum needs more than 38 digits.
    fn unit_content(
        &self,
        unit: &Unit,
        factors: &[i64],
        rounding: Rounding,
        policy: Option<NaPolicy>,
        rescored: bool,
        scratch: &mut Scratch,
    ) -> Option<(Sum, Sum)> {
        if self.groups.is_none() {
            return self.plain_content(unit, factors, rounding, policy, rescored, scratch);
        }
        let leaves = &self.tree.leaves;
        let points_of = |leaf: usize| -> Option<(Sum, Sum)> {
            let r = factors[leaf];
            let max = Sum::of(leaves[leaf].max).times(r)?;
            Some(match unit.status[leaf] {
                Status::NotApplicable => match policy.unwrap_or(leaves[leaf].not_applicable) {
                    NaPolicy::Exclude => (Sum::default(), Sum::default()),
                    NaPolicy::FullPoints => (max, max),
                },
                Status::Missing if !rescored => (Sum::default(), max),
                _ => {
                    let base = match (rescored, self.rescored_at[leaf], &scratch.scorer) {
                        (true, Some(i), Some(scorer)) => scorer.leaf_points()[i],
                        _ => unit.points[leaf],
                    };
                    let mut points = Sum::of(base).times(r)?;
                    if rounding.scope == RoundingScope::Criterion {
                        let least = Sum::of(leaves[leaf].least).times(r)?;
                        points = points.round(rounding.places, rounding.mode);
                        points = points.at_most(max).at_least(least);
                    }
                    (points, max)
                }
            })
        };
        let (points, max) = match &self.groups {
            None => {
                let mut sums = (Sum::default(), Sum::default());
                for leaf in 0..leaves.len() {
                    let (p, m) = points_of(leaf)?;
                    sums = (sums.0.add(p)?, sums.1.add(m)?);
                }
                sums
            }
            Some(groups) => {
                let mut leaf_sums = Vec::with_capacity(leaves.len());
                for leaf in 0..leaves.len() {
                    leaf_sums.push(points_of(leaf)?);
                }
                // Pre-order: every child group comes after its parent.
                for g in (0..groups.len()).rev() {
                    let (mut p, mut m) = (Sum::default(), Sum::default());
                    for child in &groups[g] {
                        let (cp, cm) = match *child {
                            Child::Leaf(l) => leaf_sums[l],
                            Child::Group(c) => (scratch.points[c], scratch.max[c]),
                        };
                        p = p.add(cp)?;
                        m = m.add(cm)?;
                    }
                    scratch.points[g] = p.max_zero();
                    scratch.max[g] = m;
                }
                let mut sums = (Sum::default(), Sum::default());
                for &a in &self.areas {
                    sums = (sums.0.add(scratch.points[a])?, sums.1.add(scratch.max[a])?);
                }
                sums
            }
        };
        Some((points, max))
    }

    /// [`Engine::unit_content`] when the leaves simply add up: one product and sum of
    /// integers per leaf, unless the leaf's points need rounding or were scored again.
    fn plain_content(
        &self,
        unit: &Unit,
        factors: &[i64],
        rounding: Rounding,
        policy: Option<NaPolicy>,
        rescored: bool,
        scratch: &Scratch,
    ) -> Option<(Sum, Sum)> {
        let leaves = &self.tree.leaves;
        let round = rounding.scope == RoundingScope::Criterion;
        // Points at the unit's scale, maxima (and full points) at the maxima's, and the rest.
        let (mut points, mut full, mut max) = (0i128, 0i128, 0i128);
        let mut other = Sum::default();
        for leaf in 0..leaves.len() {
            let r = i128::from(factors[leaf]);
            let scaled_max = r.checked_mul(self.max_units[leaf])?;
            let leaf_max = Sum {
                units: scaled_max,
                scale: self.max_scale + FACTOR_PLACES,
            };
            let bounds = |term: Sum| -> Option<Sum> {
                let least = Sum::of(leaves[leaf].least).times(factors[leaf])?;
                Some(term.at_most(leaf_max).at_least(least))
            };
            match unit.status[leaf] {
                Status::NotApplicable => {
                    if policy.unwrap_or(leaves[leaf].not_applicable) == NaPolicy::FullPoints {
                        full = full.checked_add(scaled_max)?;
                        max = max.checked_add(scaled_max)?;
                    }
                    continue;
                }
                Status::Missing if !rescored => {}
                _ => match (rescored, self.rescored_at[leaf], &scratch.scorer) {
                    (true, Some(i), Some(scorer)) => {
                        let mut term = Sum::of(scorer.leaf_points()[i]).times(factors[leaf])?;
                        if round {
                            term = bounds(term.round(rounding.places, rounding.mode))?;
                        }
                        other = other.add(term)?;
                    }
                    _ if round => {
                        let term = Sum::of(unit.points[leaf]).times(factors[leaf])?;
                        let term = bounds(term.round(rounding.places, rounding.mode))?;
                        other = other.add(term)?;
                    }
                    _ => points = points.checked_add(r.checked_mul(unit.points_units[leaf])?)?,
                },
            }
            max = max.checked_add(scaled_max)?;
        }
        let at = |units: i128, scale: u32| Sum {
            units,
            scale: scale + FACTOR_PLACES,
        };
        let total = at(points, unit.points_scale)
            .add(at(full, self.max_scale))?
            .add(other)?;
        Some((total, at(max, self.max_scale)))
    }

    /// The reported index of exact points and maximum, in units of the analysis's places.
    fn reported(&self, points: Sum, max: Sum, rounding: Rounding) -> Option<Option<i64>> {
        match index_units(points, max, rounding.places, rounding.mode) {
            None => Some(None),
            Some(Err(())) => None,
            Some(Ok(units)) => {
                let widened = units.checked_mul(POW10[(self.places - rounding.places) as usize])?;
                Some(Some(i64::try_from(widened).ok()?))
            }
        }
    }

    /// A sample written out: the scheme it scores with, and each unit's inputs to it
    /// (`None` for a unit that failed to score under the scheme as it is).
    pub fn sample_scheme(&self, sample: &Sample) -> Result<(Scheme, Vec<Inputs>), Error> {
        let factors = self.factors(sample);
        self.written_out(
            &factors,
            &sample.inputs,
            sample.not_applicable,
            sample.rounding,
        )
    }

    /// The scheme of these factors and methodological choices, and each unit's inputs to it
    /// with these drawn values (per input item, per unit; none for no input item).
    fn written_out(
        &self,
        factors: &[i64],
        drawn_inputs: &[Vec<Option<Decimal>>],
        not_applicable: usize,
        rounding: usize,
    ) -> Result<(Scheme, Vec<Inputs>), Error> {
        let scheme = &self.model.scheme;
        let mut file = scheme.file().clone();
        let mut next = 0;
        let policy = self.not_applicable[not_applicable];
        for area in &mut file.areas {
            scale_criterion(area, factors, &mut next, policy);
        }
        if let Some(policy) = policy {
            file.not_applicable = policy;
        }
        let rounding = self.rounding[rounding];
        file.rounding = RoundingFile {
            places: rounding.places,
            mode: rounding.mode,
            apply: rounding.scope,
        };
        // A `given` criterion's value is its points: its indicator's bound scales with them.
        let given: HashMap<&str, i64> = self
            .tree
            .leaves
            .iter()
            .zip(factors)
            .filter(|(l, _)| l.given)
            .map(|(l, &r)| (l.indicator.as_str(), r))
            .collect();
        for indicator in &mut file.indicators {
            if let Some(&r) = given.get(indicator.id.as_str()) {
                indicator.max = indicator.max.map(|m| Num(scale(m.0, r)));
            }
        }
        let sample_scheme = Scheme::from_file(file)?;
        let mut inputs = Vec::with_capacity(self.units.len());
        for (u, unit) in self.units.iter().enumerate() {
            let mut values = unit.values.clone();
            for (item, drawn) in self.model.inputs.iter().zip(drawn_inputs) {
                if let Some(value) = drawn[u] {
                    values.insert(item.indicator.clone(), Some(Value::Number(value)));
                }
            }
            for (id, &r) in &given {
                if let Some(Some(Value::Number(v))) = values.get_mut(*id) {
                    *v = scale(*v, r);
                }
            }
            let mut unit_inputs = sample_scheme.inputs(unit.name.clone(), unit.period.clone());
            for (id, value) in &values {
                if let Some(value) = value {
                    unit_inputs.set(id, *value)?;
                }
            }
            inputs.push(unit_inputs);
        }
        Ok((sample_scheme, inputs))
    }
}

/// A sample's largest factor (in millionths, as a magnitude) and the sum of every leaf's
/// maximum under its factors, in units of `10^-(max_scale + FACTOR_PLACES)`.
#[derive(Debug, Clone, Copy)]
struct Shared {
    largest: u128,
    max: i128,
}

/// Whether every sum of products of factors of at most `largest` with integers whose
/// magnitudes add up to `bound` fits an `i128`: then they need no overflow checks, and the
/// order of the sum does not change it.
fn fits(largest: u128, bound: u128) -> bool {
    largest
        .checked_mul(bound)
        .is_some_and(|b| b <= i128::MAX as u128)
}

/// The sum of the magnitudes of the integers, saturating.
fn magnitude(values: &[i128]) -> u128 {
    values
        .iter()
        .fold(0u128, |sum, v| sum.saturating_add(v.unsigned_abs()))
}

/// The decimals as integers at the largest scale among them, if they fit.
fn common_scale(values: &[Decimal]) -> Option<(Vec<i128>, u32)> {
    let scale = values.iter().map(Decimal::scale).max().unwrap_or(0);
    let units = values
        .iter()
        .map(|d| {
            d.mantissa()
                .checked_mul(POW10[(scale - d.scale()) as usize])
        })
        .collect::<Option<_>>()?;
    Some((units, scale))
}

/// `value × r × 10^-6`, exactly.
fn scale(value: Decimal, r: i64) -> Decimal {
    (value * Decimal::new(r, FACTOR_PLACES)).normalize()
}

/// Scales every point figure of a criterion's leaves by their factors (in scheme order),
/// and drops a group's stated maximum, which the core sums again.
fn scale_criterion(
    file: &mut CriterionFile,
    factors: &[i64],
    next: &mut usize,
    policy: Option<NaPolicy>,
) {
    if !file.criteria.is_empty() {
        file.max_points = None;
        for child in &mut file.criteria {
            scale_criterion(child, factors, next, policy);
        }
        return;
    }
    let r = factors[*next];
    *next += 1;
    let by = |n: &mut Num| n.0 = scale(n.0, r);
    if let Some(max) = &mut file.max_points {
        by(max);
    }
    match &mut file.rule {
        Some(RuleFile::Threshold {
            pass_points,
            fail_points,
        }) => {
            pass_points
                .iter_mut()
                .chain(fail_points.iter_mut())
                .for_each(by);
        }
        Some(RuleFile::Bands { bands }) => bands.iter_mut().for_each(|b| by(&mut b.points)),
        Some(RuleFile::Deduction { per, cap }) => {
            by(per);
            by(cap);
        }
        _ => {}
    }
    if policy.is_some() {
        file.not_applicable = None;
    }
}

/// The values criteria read (their own and their targets' references), by indicator id.
fn values_of(evaluation: &Evaluation) -> HashMap<String, Option<Value>> {
    let mut values = HashMap::new();
    for criterion in evaluation.criteria() {
        let own = values
            .entry(criterion.indicator().id.clone())
            .or_insert(None);
        *own = own.or(criterion.value());
        if let Some(parscore::Target {
            rhs: parscore::Rhs::Indicator(id),
            ..
        }) = criterion.target()
        {
            let reference = values.entry(id.clone()).or_insert(None);
            *reference = reference.or(criterion.reference());
        }
    }
    values
}

fn inputs_of(
    scheme: &Scheme,
    evaluation: &Evaluation,
    values: &HashMap<String, Option<Value>>,
) -> Result<Inputs, Error> {
    let mut inputs = scheme.inputs(evaluation.unit(), evaluation.period().map(str::to_string));
    for (id, value) in values {
        if let Some(value) = value {
            inputs.set(id, *value)?;
        }
    }
    Ok(inputs)
}

/// A scheme of the criteria that read a varied input (as their value or their target's),
/// scored per sample; its indicators are plain inputs of the same kind and bounds.
fn rescoring_scheme(
    scheme: &Scheme,
    tree: &Tree,
    varied: &HashSet<&str>,
    model: &Model,
) -> Result<Rescore, Error> {
    let leaves = tree.reading(varied);
    let mut files: Vec<CriterionFile> = Vec::new();
    let mut ids: Vec<String> = Vec::new();
    fn find<'f>(files: &'f [CriterionFile], code: &str) -> Option<&'f CriterionFile> {
        files.iter().find_map(|f| {
            if f.code == code {
                Some(f)
            } else {
                find(&f.criteria, code)
            }
        })
    }
    for &leaf in &leaves {
        let info = &tree.leaves[leaf];
        let mut file = find(&scheme.file().areas, &info.code)
            .expect("every leaf of the tree is in the file")
            .clone();
        file.not_applicable = Some(info.not_applicable);
        files.push(file);
        for id in std::iter::once(&info.indicator).chain(&info.reference) {
            if !ids.contains(id) {
                ids.push(id.clone());
            }
        }
    }
    let indicators = ids
        .iter()
        .map(|id| {
            let indicator = scheme
                .indicator(id)
                .expect("criteria read declared indicators");
            IndicatorFile {
                id: id.clone(),
                title: String::new(),
                kind: indicator.kind,
                min: indicator.min.map(Num),
                max: indicator.max.map(Num),
                numerator: None,
                denominator: None,
                baseline: None,
                current: None,
            }
        })
        .collect();
    let mut rounding = scheme.file().rounding.clone();
    rounding.apply = RoundingScope::Report;
    let file = SchemeFile {
        id: format!("{}-rescored", scheme.id()),
        title: String::new(),
        version: String::new(),
        estimated: false,
        provenance: String::new(),
        not_applicable: scheme.file().not_applicable,
        rounding,
        grades: Vec::new(),
        indicators,
        areas: vec![CriterionFile {
            code: "\u{0}rescored".into(),
            title: String::new(),
            task: None,
            indicator: None,
            max_points: None,
            target: None,
            rule: None,
            not_applicable: None,
            lead: None,
            coordinating: None,
            timeline: None,
            result: None,
            evidence: None,
            criteria: files,
        }],
        bonus: None,
        penalties: None,
        ranking: RankingFile::default(),
    };
    let rescoring = Scheme::from_file(file)?;
    let slots = model
        .inputs
        .iter()
        .map(|item| {
            ids.iter()
                .position(|id| *id == item.indicator)
                .expect("a varied input is read by some criterion")
        })
        .collect();
    Ok(Rescore {
        scheme: rescoring,
        leaves,
        slots,
    })
}

/// Groups in pre-order with their children, and the areas' positions among them.
fn groups_of(file: &SchemeFile, tree: &Tree) -> (Vec<Vec<Child>>, Vec<usize>) {
    fn add(file: &CriterionFile, groups: &mut Vec<Vec<Child>>, next_leaf: &mut usize) -> Child {
        if file.criteria.is_empty() {
            *next_leaf += 1;
            return Child::Leaf(*next_leaf - 1);
        }
        let position = groups.len();
        groups.push(Vec::new());
        let children = file
            .criteria
            .iter()
            .map(|c| add(c, groups, next_leaf))
            .collect();
        groups[position] = children;
        Child::Group(position)
    }
    let mut groups = Vec::new();
    let mut next_leaf = 0;
    let mut areas = Vec::new();
    for area in &file.areas {
        if let Child::Group(g) = add(area, &mut groups, &mut next_leaf) {
            areas.push(g);
        }
    }
    debug_assert_eq!(next_leaf, tree.leaves.len());
    (groups, areas)
}

/// Whether a bonus or penalty criterion reads the indicator `id`, as its value or its
/// target's reference.
fn section_reads(file: &SchemeFile, id: &str) -> bool {
    fn reads(criteria: &[CriterionFile], id: &str) -> bool {
        criteria.iter().any(|c| {
            c.indicator.as_deref() == Some(id)
                || c.target
                    .as_deref()
                    .is_some_and(|t| t.split('@').nth(1).map(str::trim) == Some(id))
                || reads(&c.criteria, id)
        })
    }
    file.bonus.as_ref().is_some_and(|b| reads(&b.criteria, id))
        || file
            .penalties
            .as_ref()
            .is_some_and(|p| p.criteria.iter().any(|c| c.indicator == id))
}
