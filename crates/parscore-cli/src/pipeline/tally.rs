//! The batch's summary, counted as results stream past: rows, scored and failed, the mean
//! index, units per grade and the criteria without input — what `Batch::summary` counts
//! over results held in memory, the same way and in the same order.

use parscore::{Decimal, Scheme, Score, Summary};
use serde_json::{Value as Json, json};

use rayon::prelude::*;

use crate::output::result_row::{Headline, ResultRow};

#[derive(Debug, Clone)]
pub struct Tally {
    rows: usize,
    ok: usize,
    /// The exact indices of the scored rows, added in row order, and how many.
    index_sum: Decimal,
    indices: usize,
    grades: Vec<usize>,
    missing_units: usize,
    missing_criteria: usize,
}

impl Tally {
    pub fn new(scheme: &Scheme) -> Tally {
        Tally {
            rows: 0,
            ok: 0,
            index_sum: Decimal::ZERO,
            indices: 0,
            grades: vec![0; scheme.grades().len()],
            missing_units: 0,
            missing_criteria: 0,
        }
    }

    /// Adds rows, their exact indices (a decimal division each) found on every core and
    /// added in row order.
    pub fn add_all(&mut self, scheme: &Scheme, rows: &[ResultRow<'_>]) {
        let scored: Vec<Option<(Headline, Option<Decimal>)>> = rows
            .par_iter()
            .with_min_len(1024)
            .map(|row| {
                let headline = row.outcome.headline(scheme)?;
                let score = Score {
                    points: headline.points,
                    max_points: headline.max_points,
                };
                Some((headline, score.index()))
            })
            .collect();
        for row in scored {
            self.rows += 1;
            if let Some((headline, index)) = row {
                self.add_scored(&headline, index);
            }
        }
    }

    fn add_scored(&mut self, headline: &Headline, index: Option<Decimal>) {
        self.ok += 1;
        if let Some(index) = index {
            self.index_sum += index;
            self.indices += 1;
        }
        if let Some(grade) = headline.grade {
            self.grades[grade] += 1;
        }
        if headline.missing > 0 {
            self.missing_units += 1;
            self.missing_criteria += headline.missing;
        }
    }

    pub fn errors(&self) -> usize {
        self.rows - self.ok
    }

    pub fn summary(&self, scheme: &Scheme) -> Summary {
        Summary {
            units: self.rows,
            ok: self.ok,
            errors: self.errors(),
            mean_index: (self.indices > 0).then(|| {
                scheme
                    .rounding()
                    .round(self.index_sum / Decimal::from(self.indices))
            }),
            grades: scheme
                .grades()
                .iter()
                .zip(&self.grades)
                .map(|(grade, &n)| (grade.name.clone(), n))
                .collect(),
            missing_units: self.missing_units,
            missing_criteria: self.missing_criteria,
        }
    }
}

/// The document's `summary`, as the core's results document writes it.
pub fn summary_json(summary: &Summary) -> Json {
    let number = |d: Decimal| {
        d.normalize()
            .to_string()
            .parse::<serde_json::Number>()
            .map_or(Json::Null, Json::Number)
    };
    json!({
        "units": summary.units,
        "ok": summary.ok,
        "errors": summary.errors,
        "mean_index": summary.mean_index.map_or(Json::Null, number),
        "grades": summary.grades.iter()
            .map(|(name, n)| (name.clone(), json!(n)))
            .collect::<serde_json::Map<_, _>>(),
        "missing": {
            "units": summary.missing_units,
            "criteria": summary.missing_criteria,
        },
    })
}
