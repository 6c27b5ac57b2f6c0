//! The points of each criterion down the rows, kept as the integers the kernels add (counts
//! of 10^-28) and narrowed to the fewest places their column needs, so that a column is one
//! buffer: an Arrow decimal column without a copy, and decimals made only for rows read.

use rust_decimal::Decimal;

use super::kernel::POINT_PLACES;
use parscore::ExactSum;
use parscore::engine::{Tens, trailing_decimal_zeros};

/// The points one criterion gave each row of a columnar run, in row order: integers
/// counting `10^-scale`, at the fewest places that hold every row's points exactly.
///
/// ```
/// use std::sync::Arc;
/// use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
/// use parscore::{Decimal, Scheme};
/// use parscore_columnar::{ColumnarOptions, ScoreBatches};
///
/// let scheme = Scheme::builtin("lang-son-snn-2024")?;
/// let batch = RecordBatch::try_from_iter([
///     ("unit", Arc::new(StringArray::from(vec!["A", "B"])) as ArrayRef),
///     ("survey_points", Arc::new(Float64Array::from(vec![Some(16.85), Some(12.0)]))),
/// ])?;
/// let options = ColumnarOptions { criteria: true, ..ColumnarOptions::default() };
/// let figures = scheme.score_batches(&[batch], &options)?;
/// let survey = scheme.leaves().position(|leaf| leaf.code == "KS.1").unwrap();
/// let points = &figures.criteria[survey];
/// assert_eq!((points.mantissas(), points.scale()), (&[1685, 1200][..], 2));
/// assert_eq!(points.get(0), Some(Decimal::new(1685, 2)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CriterionPoints {
    mantissas: Vec<i128>,
    scale: u32,
}

impl CriterionPoints {
    /// Points given as [`CriterionPoints::mantissas`] and [`CriterionPoints::scale`] give
    /// them (points kept apart and read back); `None` past 28 places, which no decimal holds.
    ///
    /// ```
    /// use parscore::Decimal;
    /// use parscore_columnar::CriterionPoints;
    ///
    /// let points = CriterionPoints::from_mantissas(vec![1685, 1200], 2).unwrap();
    /// assert_eq!(points.get(0), Some(Decimal::new(1685, 2)));
    /// assert!(CriterionPoints::from_mantissas(vec![1], 29).is_none());
    /// ```
    pub fn from_mantissas(mantissas: Vec<i128>, scale: u32) -> Option<CriterionPoints> {
        (scale <= POINT_PLACES).then_some(CriterionPoints { mantissas, scale })
    }

    /// Places of every row's points (at most 28).
    pub fn scale(&self) -> u32 {
        self.scale
    }

    /// Each row's points in units of `10^-scale`: an Arrow `decimal128(38, scale)` buffer
    /// (points are at most 10^9, so 38 digits always hold them).
    pub fn mantissas(&self) -> &[i128] {
        &self.mantissas
    }

    /// [`CriterionPoints::mantissas`], taken without a copy (to hand to an Arrow
    /// `Decimal128Array` of [`CriterionPoints::scale`]).
    pub fn into_mantissas(self) -> Vec<i128> {
        self.mantissas
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.mantissas.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.mantissas.is_empty()
    }

    /// A row's points as a decimal (without trailing zeros).
    pub fn get(&self, row: usize) -> Option<Decimal> {
        let units = *self.mantissas.get(row)?;
        Some(ExactSum::from_units(units, self.scale).to_decimal())
    }

    /// Every row's points as decimals, in row order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Decimal> + '_ {
        self.mantissas
            .iter()
            .map(|&units| ExactSum::from_units(units, self.scale).to_decimal())
    }

    /// Columns in point units, narrowed block by block, brought to one scale.
    pub(super) fn at_scale(mantissas: Vec<i128>, scale: u32) -> CriterionPoints {
        CriterionPoints { mantissas, scale }
    }
}

/// The fewest places, at least `places`, that hold `units` (a count of 10^-28) exactly.
#[inline]
fn places_of(units: i128, places: u32) -> u32 {
    let zeros = trailing_decimal_zeros(units.unsigned_abs(), POINT_PLACES - places);
    POINT_PLACES - zeros
}

/// Writes `points` (counts of 10^-28) into `to` as counts of `10^-places`, first raising
/// `places` as far as any of them needs (it never lowers it: a column carries its places
/// from block to block, and most blocks need no more).
pub(super) fn narrow(points: &[i128], to: &mut [i128], places: &mut u32) {
    'places: loop {
        let tens = Tens::new(POINT_PLACES - *places);
        for (to, &units) in to.iter_mut().zip(points) {
            match tens.divide(units.unsigned_abs()) {
                Some(narrowed) => {
                    let narrowed = narrowed as i128;
                    *to = if units < 0 { -narrowed } else { narrowed };
                }
                None => {
                    // More places than the block had so far: start it again at them.
                    *places = places_of(units, *places);
                    continue 'places;
                }
            }
        }
        return;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use parscore::engine::POW10;
    use proptest::prelude::*;

    fn units(d: Decimal) -> i128 {
        d.mantissa() * POW10[(POINT_PLACES - d.scale()) as usize]
    }

    #[test]
    fn places_are_those_of_the_decimal_without_trailing_zeros() {
        for (d, places) in [
            (Decimal::ZERO, 0),
            (Decimal::new(100, 0), 0),
            (Decimal::new(1685, 2), 2),
            (Decimal::new(-5, 1), 1),
            (Decimal::new(1, 28), 28),
            (Decimal::new(12_000, 3), 0),
        ] {
            assert_eq!(places_of(units(d), 0), places, "{d}");
        }
        // Never fewer than asked.
        assert_eq!(places_of(units(Decimal::new(3, 0)), 4), 4);
    }

    #[test]
    fn a_block_is_narrowed_to_the_places_it_needs() {
        let points = [
            Decimal::new(1, 0),
            Decimal::new(-125, 2),
            Decimal::new(5, 1),
        ]
        .map(units);
        let mut to = [0; 3];
        let mut places = 0;
        narrow(&points, &mut to, &mut places);
        assert_eq!((to, places), ([100, -125, 50], 2));
        // A column's places carry over to its next block.
        narrow(&points[..1], &mut to[..1], &mut places);
        assert_eq!((to[0], places), (100, 2));
    }

    proptest! {
        #[test]
        fn narrowing_agrees_with_decimals(
            mantissas in proptest::collection::vec(-(10i128.pow(28))..10i128.pow(28), 1..20),
            scales in proptest::collection::vec(0u32..=28, 20),
            start in 0u32..=28,
        ) {
            // Points are at most 10^9.
            let decimals: Vec<Decimal> = mantissas
                .iter()
                .zip(&scales)
                .map(|(&m, &scale)| Decimal::from_i128_with_scale(m % POW10[9 + scale as usize], scale))
                .collect();
            let points: Vec<i128> = decimals.iter().map(|&d| units(d)).collect();
            let mut to = vec![0; points.len()];
            let mut places = start;
            narrow(&points, &mut to, &mut places);
            let needed = decimals.iter().map(|d| d.normalize().scale()).max().unwrap();
            prop_assert_eq!(places, needed.max(start));
            for (narrowed, units) in to.iter().zip(&points) {
                prop_assert_eq!(narrowed * POW10[(POINT_PLACES - places) as usize], *units);
            }
        }
    }
}
