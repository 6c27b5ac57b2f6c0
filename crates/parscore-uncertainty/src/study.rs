//! A study of a batch: the uncertainty analysis (each unit's index and rank over the
//! samples) and the sensitivity analysis (the share of their variance each factor explains,
//! first-order and total, by the Saltelli 2010 and Jansen estimators).
//!
//! Sample `n` of the base matrix A draws from stream `2n` of the seed, of matrix B from
//! stream `2n + 1`; a sensitivity row `A_B^(j)` is A's row with factor `j`'s draws from B's.
//! Rows are scored in parallel into their own slots and every statistic is summed in row
//! order afterwards, so that the results are the same on any number of threads.

use parscore::{Batch, Decimal, Inputs, Scheme};
use rayon::prelude::*;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};

use crate::engine::{Engine, Sample, Scratch, Variable};
use crate::error::Error;
use crate::model::Model;
use crate::report::{Results, VarianceShare};

/// Periods of at most this many units get the probability of every rank.
pub const RANK_TABLE_UNITS: usize = 30;

/// Which factors the sensitivity analysis measures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// One factor per area (all the points drawn within it), per varied input and per
    /// switched method: few factors, cheap.
    #[default]
    Areas,
    /// One factor per varied criterion (or area, with `vary = "areas"`), input and method.
    Criteria,
}

/// How a study runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// Samples of the uncertainty analysis (N): each unit is scored N times. The
    /// sensitivity analysis scores it N × (factors + 1) times more.
    pub samples: usize,
    /// The seed: the same seed gives the same results, on any number of threads.
    pub seed: u64,
    /// Threads; `None` uses every core.
    pub threads: Option<usize>,
    /// The factors of the sensitivity analysis; `None` skips it.
    pub sensitivity: Option<Level>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            samples: 1_000,
            seed: 0,
            threads: None,
            sensitivity: Some(Level::Areas),
        }
    }
}

/// An uncertainty and sensitivity study of a batch under a model.
///
/// ```
/// use parscore::{Options, Scheme, rows_from_json};
/// use parscore_uncertainty::{Model, Settings, Study};
///
/// let scheme = Scheme::builtin("lang-son-snn-2024")?;
/// let rows = rows_from_json(r#"
///     {"unit": "Sở A", "period": "2024", "survey_points": 17, "dossiers_on_time": 990, "dossiers_resolved": 1000}
///     {"unit": "Sở B", "period": "2024", "survey_points": 15, "dossiers_on_time": 9899, "dossiers_resolved": 10000}
/// "#)?;
/// let batch = scheme.evaluate_rows(&rows, false, &Options::default());
/// let model = Model::weights(&scheme, 20.into()); // every criterion's points ±20%
/// let study = Study::new(&batch, &model, Settings { samples: 200, seed: 7, ..Settings::default() })?;
/// let results = study.run()?;
/// let a = &results.units[0];
/// assert!(a.p05 <= a.p50 && a.p50 <= a.p95);
/// assert_eq!(a.grades.iter().map(|(_, p)| p).sum::<f64>().round(), 1.0);
///
/// // Every sample is a scheme of its own, which the core scores to the same index.
/// let (sample_scheme, inputs) = study.sample(0)?;
/// let evaluation = sample_scheme.evaluate(&inputs[0], &Options::default())?;
/// assert_eq!(evaluation.index_rounded(), study.sample_indices(0)?[0]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Study {
    engine: Engine,
    settings: Settings,
    batch: Batch,
    /// Positions, among the scored units, of each period's units.
    periods: Vec<Vec<usize>>,
}

/// One row of the design, scored: every unit's index (units of the analysis's places) and
/// rank (0 for none).
type Row = (Vec<Option<i64>>, Vec<u32>);

/// A sensitivity row's terms: the variance terms of the index and of the rank, and per
/// factor the first-order and total terms of each.
type Terms = (f64, f64, Vec<[f64; 4]>);

impl Study {
    /// A study of every scored row of the batch (rows that failed keep their error in the
    /// results) under the model, which must be the batch's scheme's.
    pub fn new(batch: &Batch, model: &Model, settings: Settings) -> Result<Study, Error> {
        let engine = Engine::new(batch, model, settings.seed)?;
        let mut periods: Vec<(Option<String>, Vec<usize>)> = Vec::new();
        for (u, period) in engine.periods.iter().enumerate() {
            match periods.iter_mut().find(|(p, _)| p == period) {
                Some((_, units)) => units.push(u),
                None => periods.push((period.clone(), vec![u])),
            }
        }
        Ok(Study {
            engine,
            settings,
            batch: batch.clone(),
            periods: periods.into_iter().map(|(_, units)| units).collect(),
        })
    }

    /// Sample `n` (of the uncertainty analysis) written out: the scheme it scores with and
    /// every scored unit's inputs to it, in batch order.
    pub fn sample(&self, n: usize) -> Result<(Scheme, Vec<Inputs>), Error> {
        self.engine.sample_scheme(&self.engine.draw(2 * n as u64))
    }

    /// Every scored unit's reported index under sample `n`, as the study computes it.
    pub fn sample_indices(&self, n: usize) -> Result<Vec<Option<Decimal>>, Error> {
        let (indices, _) =
            self.score(&self.engine.draw(2 * n as u64), &mut self.engine.scratch())?;
        Ok(indices
            .into_iter()
            .map(|i| i.map(|units| Decimal::new(units, self.engine.places)))
            .collect())
    }

    /// Runs the analyses.
    pub fn run(&self) -> Result<Results, Error> {
        if self.settings.samples == 0 {
            return Err(Error::NoSamples);
        }
        match self.settings.threads {
            None => self.run_here(),
            Some(threads) => rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .map_err(|e| Error::Threads {
                    threads,
                    reason: e.to_string(),
                })?
                .install(|| self.run_here()),
        }
    }

    fn run_here(&self) -> Result<Results, Error> {
        let samples = self.settings.samples;
        let a = self.rows(0)?;
        let mut results = Results::new(&self.batch, &self.settings, self.engine.units.len());
        self.summarise(&a, &mut results);
        if let Some(level) = self.settings.sensitivity {
            let b = self.rows(1)?;
            let factors = self.factors(level);
            let (index, rank) = self.shares(&a, &b, &factors, samples)?;
            results.variance_share = index;
            results.rank_variance_share = rank;
        }
        Ok(results)
    }

    /// The rows of matrix A (`matrix` 0) or B (1), scored in parallel.
    fn rows(&self, matrix: u64) -> Result<Vec<Row>, Error> {
        (0..self.settings.samples as u64)
            .into_par_iter()
            .map_init(
                || self.engine.scratch(),
                |scratch, n| self.score(&self.engine.draw(2 * n + matrix), scratch),
            )
            .collect()
    }

    fn score(&self, sample: &Sample, scratch: &mut Scratch) -> Result<Row, Error> {
        let mut indices = Vec::with_capacity(self.engine.units.len());
        self.engine.evaluate(sample, scratch, &mut indices)?;
        let ranks = self.ranks(&indices);
        Ok((indices, ranks))
    }

    /// Competition ranks within each period (1, 2, 2, 4); 0 for a unit without an index.
    fn ranks(&self, indices: &[Option<i64>]) -> Vec<u32> {
        let mut ranks = vec![0u32; indices.len()];
        let mut sorted: Vec<i64> = Vec::new();
        for period in &self.periods {
            sorted.clear();
            sorted.extend(period.iter().filter_map(|&u| indices[u]));
            sorted.sort_unstable_by(|a, b| b.cmp(a));
            for &u in period {
                if let Some(index) = indices[u] {
                    // One more than the units above it: equal indices share a rank.
                    ranks[u] = sorted.partition_point(|&other| other > index) as u32 + 1;
                }
            }
        }
        ranks
    }

    /// Quantiles, grade and rank probabilities of every unit, from the rows of A.
    fn summarise(&self, rows: &[Row], results: &mut Results) {
        let scheme = &self.batch.scheme;
        let places = self.engine.places;
        let n = rows.len();
        let thresholds: Vec<i64> = scheme
            .grades()
            .iter()
            .map(|g| {
                (g.min_index * Decimal::from(10i64.pow(places)))
                    .ceil()
                    .to_i64()
                    .unwrap_or(i64::MAX)
            })
            .collect();
        // Each scored unit's period size, found once rather than by a search per unit.
        let mut sizes = Vec::new();
        for members in &self.periods {
            for &u in members {
                if sizes.len() <= u {
                    sizes.resize(u + 1, 0);
                }
                sizes[u] = members.len();
            }
        }
        let mut scored = results.units.iter_mut().filter(|u| u.error.is_none());
        for (u, unit) in scored.by_ref().enumerate() {
            let mut indices: Vec<i64> = rows.iter().filter_map(|(i, _)| i[u]).collect();
            let mut quantile =
                |p: f64| nearest_rank(&mut indices, p).map(|i| Decimal::new(i, places));
            (unit.p05, unit.p50, unit.p95) = (quantile(0.05), quantile(0.5), quantile(0.95));
            unit.grades = scheme
                .grades()
                .iter()
                .enumerate()
                .map(|(g, grade)| {
                    let above = |i: &i64| *i >= thresholds[g];
                    let below_higher = |i: &i64| g == 0 || *i < thresholds[g - 1];
                    let count = indices
                        .iter()
                        .filter(|i| above(i) && below_higher(i))
                        .count();
                    (grade.name.clone(), count as f64 / n as f64)
                })
                .collect();
            let period = sizes.get(u).copied().unwrap_or(0);
            // Counting costs the period's size a unit, selecting costs the samples: a large
            // period with few samples selects.
            if period <= n.max(RANK_TABLE_UNITS) {
                // How often each rank (from 1) comes: a rank is at most the period's units.
                let mut counts = vec![0usize; period];
                for (_, r) in rows {
                    if r[u] > 0 {
                        counts[r[u] as usize - 1] += 1;
                    }
                }
                unit.rank_p05 = nearest_rank_counted(&counts, 0.05);
                unit.rank_p95 = nearest_rank_counted(&counts, 0.95);
                if period <= RANK_TABLE_UNITS {
                    unit.ranks = Some(counts.iter().map(|&c| c as f64 / n as f64).collect());
                }
            } else {
                let mut ranks: Vec<i64> = rows
                    .iter()
                    .map(|(_, r)| i64::from(r[u]))
                    .filter(|&r| r > 0)
                    .collect();
                let mut quantile = |p: f64| nearest_rank(&mut ranks, p).map(|r| r as usize);
                (unit.rank_p05, unit.rank_p95) = (quantile(0.05), quantile(0.95));
            }
        }
    }

    /// The sensitivity factors: groups of the analysis's variables, with their codes.
    fn factors(&self, level: Level) -> Vec<(String, Vec<Variable>)> {
        let model = &self.engine.model;
        let mut factors: Vec<(String, Vec<Variable>)> = Vec::new();
        for (i, item) in model.items.iter().enumerate() {
            let code = match level {
                Level::Areas => &item.area,
                Level::Criteria => &item.code,
            };
            match factors.iter_mut().find(|(c, _)| c == code) {
                Some((_, variables)) => variables.push(Variable::Weight(i)),
                None => factors.push((code.clone(), vec![Variable::Weight(i)])),
            }
        }
        for (i, input) in model.inputs.iter().enumerate() {
            factors.push((input.indicator.clone(), vec![Variable::Input(i)]));
        }
        if self.engine.not_applicable.len() > 1 {
            factors.push(("not_applicable".into(), vec![Variable::NotApplicable]));
        }
        if self.engine.rounding.len() > 1 {
            factors.push(("rounding".into(), vec![Variable::Rounding]));
        }
        factors
    }

    /// First-order (Saltelli 2010) and total (Jansen) shares of the variance of the index
    /// and of the rank, summed over the units, with standard errors by linearisation.
    fn shares(
        &self,
        a: &[Row],
        b: &[Row],
        factors: &[(String, Vec<Variable>)],
        samples: usize,
    ) -> Result<(Vec<VarianceShare>, Vec<VarianceShare>), Error> {
        let scale = 10f64.powi(self.engine.places as i32);
        let index = |i: Option<i64>| i.map(|i| i as f64 / scale);
        let rank = |r: u32| (r > 0).then_some(f64::from(r));
        let units = self.engine.units.len();
        let mean = |values: &dyn Fn(&Row, usize) -> Option<f64>| -> Vec<f64> {
            (0..units)
                .map(|u| {
                    let all: Vec<f64> =
                        a.iter().chain(b).filter_map(|row| values(row, u)).collect();
                    all.iter().sum::<f64>() / all.len().max(1) as f64
                })
                .collect()
        };
        let mu_index = mean(&|row, u| index(row.0[u]));
        let mu_rank = mean(&|row, u| rank(row.1[u]));
        // Per row: the variance terms, and per factor [Y, Z] of the index then of the rank.
        let per_row: Vec<Terms> = (0..samples)
            .into_par_iter()
            .map_init(
                || self.engine.scratch(),
                |scratch, n| -> Result<_, Error> {
                    let (row_a, row_b) = (&a[n], &b[n]);
                    let (sample_a, sample_b) = (
                        self.engine.draw(2 * n as u64),
                        self.engine.draw(2 * n as u64 + 1),
                    );
                    let spread = |mu: &[f64], get: &dyn Fn(&Row, usize) -> Option<f64>| {
                        (0..units)
                            .filter_map(|u| {
                                let (x, y) = (get(row_a, u)?, get(row_b, u)?);
                                Some(((x - mu[u]).powi(2) + (y - mu[u]).powi(2)) / 2.0)
                            })
                            .sum::<f64>()
                    };
                    let d_index = spread(&mu_index, &|row, u| index(row.0[u]));
                    let d_rank = spread(&mu_rank, &|row, u| rank(row.1[u]));
                    let mut terms = Vec::with_capacity(factors.len());
                    for (_, variables) in factors {
                        let row_ab = self.score(&sample_a.with(&sample_b, variables), scratch)?;
                        let estimate = |mu: &[f64], get: &dyn Fn(&Row, usize) -> Option<f64>| {
                            (0..units)
                                .filter_map(|u| {
                                    let (x, y, z) =
                                        (get(row_a, u)?, get(row_b, u)?, get(&row_ab, u)?);
                                    Some(((y - mu[u]) * (z - x), (x - z).powi(2) / 2.0))
                                })
                                .fold((0.0, 0.0), |(s, t), (p, q)| (s + p, t + q))
                        };
                        let (yi, zi) = estimate(&mu_index, &|row, u| index(row.0[u]));
                        let (yr, zr) = estimate(&mu_rank, &|row, u| rank(row.1[u]));
                        terms.push([yi, zi, yr, zr]);
                    }
                    Ok((d_index, d_rank, terms))
                },
            )
            .collect::<Result<_, _>>()?;
        let shares = |d: &dyn Fn(&Terms) -> f64, at: usize| {
            let ds: Vec<f64> = per_row.iter().map(d).collect();
            factors
                .iter()
                .enumerate()
                .map(|(j, (code, _))| {
                    let ys: Vec<f64> = per_row.iter().map(|r| r.2[j][at]).collect();
                    let zs: Vec<f64> = per_row.iter().map(|r| r.2[j][at + 1]).collect();
                    let (first, first_se) = ratio(&ys, &ds);
                    let (total, total_se) = ratio(&zs, &ds);
                    VarianceShare {
                        code: code.clone(),
                        first,
                        total,
                        first_se,
                        total_se,
                    }
                })
                .collect()
        };
        Ok((shares(&|r| r.0, 0), shares(&|r| r.1, 2)))
    }
}

/// `mean(y) / mean(d)` and its standard error by linearisation (the delta method): the
/// standard deviation of `(y − ratio × d) / mean(d)` over √N. `None` when nothing varies.
fn ratio(y: &[f64], d: &[f64]) -> (Option<f64>, Option<f64>) {
    let n = y.len() as f64;
    let mean_d = d.iter().sum::<f64>() / n;
    if mean_d.is_nan() || mean_d <= 1e-12 {
        return (None, None);
    }
    let estimate = y.iter().sum::<f64>() / n / mean_d;
    let influence: Vec<f64> = y
        .iter()
        .zip(d)
        .map(|(y, d)| (y - estimate * d) / mean_d)
        .collect();
    let mean_influence = influence.iter().sum::<f64>() / n;
    let variance = influence
        .iter()
        .map(|v| (v - mean_influence).powi(2))
        .sum::<f64>()
        / (n - 1.0).max(1.0);
    (Some(estimate), Some((variance / n).sqrt()))
}

/// The nearest-rank quantile: the value at position ⌈p × N⌉ (from 1) of the values in
/// order, so that a quantile is always one of the samples (an exact decimal, never
/// interpolated). Selected, not sorted: the values are left partly reordered.
fn nearest_rank(values: &mut [i64], p: f64) -> Option<i64> {
    let position = nearest_position(values.len(), p)?;
    Some(*values.select_nth_unstable(position).1)
}

/// [`nearest_rank`] of ranks given as how often each comes (`counts[r - 1]` for rank `r`).
fn nearest_rank_counted(counts: &[usize], p: f64) -> Option<usize> {
    let position = nearest_position(counts.iter().sum(), p)?;
    let mut seen = 0;
    counts
        .iter()
        .position(|&c| {
            seen += c;
            seen > position
        })
        .map(|r| r + 1)
}

/// The position (from 0) of the nearest-rank quantile `p` among `n` values in order.
fn nearest_position(n: usize, p: f64) -> Option<usize> {
    let rank = ((p * n as f64).ceil() as usize).max(1);
    (rank <= n).then(|| rank - 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The quantile at position ⌈p × N⌉ of the values sorted.
    fn sorted_quantile<T: Ord + Copy>(mut values: Vec<T>, p: f64) -> Option<T> {
        values.sort_unstable();
        let rank = ((p * values.len() as f64).ceil() as usize).max(1);
        values.get(rank - 1).copied()
    }

    proptest! {
        /// Selected or counted, a quantile is the one of the values sorted.
        #[test]
        fn quantiles_are_those_of_the_sorted_values(
            values in proptest::collection::vec(-50i64..50, 0..300),
            ranks in proptest::collection::vec(1usize..=12, 0..300),
            p in prop_oneof![Just(0.05), Just(0.5), Just(0.95), 0.0f64..=1.0],
        ) {
            let mut selected = values.clone();
            prop_assert_eq!(nearest_rank(&mut selected, p), sorted_quantile(values, p));
            let mut counts = vec![0; 12];
            for &r in &ranks {
                counts[r - 1] += 1;
            }
            prop_assert_eq!(nearest_rank_counted(&counts, p), sorted_quantile(ranks, p));
        }
    }
}
