//! One result as the machine outputs write it (CSV, JSON lines, the JSON document, Parquet),
//! whether its figures come from the columnar engine or from the row-by-row evaluation: the
//! same row is written the same way by either.

use std::borrow::Cow;

use parscore::{Decimal, Evaluation, InputError, Scheme, Status};
use parscore_columnar::Figures;

use crate::input::Place;

/// What a result carries beyond its headline figures (points, maximum, index, grade, rank
/// and what it had no input for).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, clap::ValueEnum)]
pub enum Detail {
    /// The headline figures and the count and points of the criteria without input.
    Headline,
    /// Also every criterion's points and status.
    #[default]
    Criteria,
    /// Also every criterion's value, target, verdict, margin and explanation, and each
    /// group's points.
    Full,
}

/// One result: where the row came from, whose it is, and how it was scored.
#[derive(Debug, Clone)]
pub struct ResultRow<'a> {
    /// The row's position in the inputs, from 1.
    pub row: usize,
    pub place: Cow<'a, Place>,
    pub unit: Option<&'a str>,
    pub period: Option<&'a str>,
    pub outcome: Outcome<'a>,
    /// Competition rank within the period.
    pub rank: Option<usize>,
}

/// A row's figures, or why it has none.
#[derive(Debug, Clone, Copy)]
pub enum Outcome<'a> {
    Failed(&'a InputError),
    /// Row `row` of a columnar run (with coverage; with criteria when they are written).
    Columns {
        figures: &'a Figures,
        row: usize,
    },
    /// The full evaluation.
    Evaluated(&'a Evaluation),
}

/// A decimal figure, as the core gives it: a `Decimal`, or an integer count of `10^-scale`
/// (a criterion's points from the columnar engine).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    Decimal(Decimal),
    Scaled(i128, u32),
}

impl Figure {
    /// The figure as a decimal.
    pub fn decimal(self) -> Decimal {
        match self {
            Figure::Decimal(d) => d,
            Figure::Scaled(units, scale) => scaled_decimal(units, scale),
        }
    }

    /// The exact digits, without trailing zeros: what `Decimal::normalize` prints.
    pub fn write(self, out: &mut Vec<u8>) {
        match self {
            Figure::Decimal(d) => write_scaled(out, d.mantissa(), d.scale()),
            Figure::Scaled(units, scale) => write_scaled(out, units, scale),
        }
    }

    /// [`Figure::write`] as text.
    pub fn text(self) -> String {
        let mut out = Vec::with_capacity(32);
        self.write(&mut out);
        String::from_utf8(out).unwrap_or_default()
    }
}

/// `units × 10^-scale` as a decimal: exact for the points the core gives (at most 10^9, at
/// most 28 places), whose trailing zeros are dropped until it fits.
fn scaled_decimal(mut units: i128, mut scale: u32) -> Decimal {
    loop {
        if let Ok(d) = Decimal::try_from_i128_with_scale(units, scale) {
            return d;
        }
        // Never for figures of the core: the nearest that fits is better than a panic, a
        // place dropped at a time and, whole and still too large, the largest decimal.
        if scale == 0 {
            return if units < 0 {
                Decimal::MIN
            } else {
                Decimal::MAX
            };
        }
        units /= 10;
        scale -= 1;
    }
}

pub use parscore::engine::write_scaled;

impl<'a> Outcome<'a> {
    pub fn error(&self) -> Option<&'a InputError> {
        match self {
            Outcome::Failed(error) => Some(error),
            _ => None,
        }
    }

    pub fn is_ok(&self) -> bool {
        !matches!(self, Outcome::Failed(_))
    }

    /// Total points, applicable maximum, reported index and grade (a position in the
    /// scheme's grades); `None` for a failed row.
    pub fn headline(&self, scheme: &Scheme) -> Option<Headline> {
        match *self {
            Outcome::Failed(_) => None,
            Outcome::Columns { figures, row } => Some(Headline {
                points: figures.points[row],
                max_points: figures.max_points[row],
                bonus: figures.bonus.get(row).copied(),
                penalties: figures.penalties.get(row).copied(),
                index: figures.index[row],
                grade: figures.grades[row],
                missing: figures.missing.get(row).map_or(0, |&n| n as usize),
                missing_points: figures.missing_points.get(row).copied().unwrap_or_default(),
            }),
            Outcome::Evaluated(evaluation) => {
                let (missing, missing_points) = evaluation.missing_summary();
                let grade = evaluation
                    .grade()
                    .and_then(|g| scheme.grades().iter().position(|s| s.name == g.name));
                Some(Headline {
                    points: evaluation.points(),
                    max_points: evaluation.max_points(),
                    bonus: evaluation.bonus_points(),
                    penalties: evaluation.penalty_points(),
                    index: evaluation.index_rounded(),
                    grade,
                    missing,
                    missing_points,
                })
            }
        }
    }

    /// The points and status of each leaf (scheme order), for a row scored with them; none
    /// for a failed row.
    pub fn criteria(&self) -> Vec<Option<(Figure, Status)>> {
        match *self {
            Outcome::Failed(_) => Vec::new(),
            Outcome::Columns { figures, row } => figures
                .criteria
                .iter()
                .zip(&figures.statuses)
                .map(|(points, statuses)| {
                    let figure = Figure::Scaled(points.mantissas()[row], points.scale());
                    Some((figure, statuses[row]?))
                })
                .collect(),
            Outcome::Evaluated(evaluation) => evaluation
                .criteria()
                .map(|c| Some((Figure::Decimal(c.points()), c.status())))
                .collect(),
        }
    }

    pub fn evaluation(&self) -> Option<&'a Evaluation> {
        match self {
            Outcome::Evaluated(evaluation) => Some(evaluation),
            _ => None,
        }
    }
}

/// The figures every result carries.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Headline {
    pub points: Decimal,
    pub max_points: Decimal,
    /// The bonus points counted and the penalty points taken off, when the scheme has
    /// them.
    pub bonus: Option<Decimal>,
    pub penalties: Option<Decimal>,
    pub index: Option<Decimal>,
    /// A position in the scheme's grades.
    pub grade: Option<usize>,
    /// Criteria without input, and the points they stand for.
    pub missing: usize,
    pub missing_points: Decimal,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn figures_too_wide_for_a_decimal_come_out_as_the_nearest_that_fits() {
        // Places dropped until it fits (10^30 + 1 at 10 places is 10^20 and a little).
        let wide = Figure::Scaled(10i128.pow(30) + 1, 10).decimal();
        assert_eq!(wide, Decimal::from_i128_with_scale(10i128.pow(28), 8));
        assert_eq!(Figure::Scaled(i128::MAX, 0).decimal(), Decimal::MAX);
        assert_eq!(Figure::Scaled(-i128::MAX, 3).decimal(), Decimal::MIN);
    }

    proptest! {
        #[test]
        fn the_text_is_the_normalised_decimals(mantissa in any::<i64>(), lower in any::<u32>(), scale in 0u32..=28) {
            let mantissa = i128::from(mantissa) << 32 | i128::from(lower);
            let d = Decimal::from_i128_with_scale(mantissa % 10i128.pow(28), scale);
            prop_assert_eq!(Figure::Decimal(d).text(), d.normalize().to_string());
            prop_assert_eq!(
                Figure::Scaled(d.mantissa(), d.scale()).decimal(),
                d
            );
        }
    }
}
