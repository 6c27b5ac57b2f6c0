//! The points of each criterion down the rows, kept as the integers the kernels add (counts
//! of 10^-28) and narrowed to the fewest places their column needs, so that a column is one
//! buffer: an Arrow decimal column without a copy, and decimals made only for rows read.
//!
//! Dividing an i128 by a power of ten is a library call; these columns take millions of
//! such divisions, all of them exact. So they multiply instead: `10^k = 2^k × 5^k`, a shift
//! takes out `2^k`, and `5^k`, being odd, has an inverse modulo 2^128 that divides a
//! multiple of it exactly. The same inverse tells whether a number is such a multiple
//! (Granlund and Montgomery, "Division by invariant integers using multiplication", 1994).

use rust_decimal::Decimal;

use super::plan::POINT_PLACES;
use crate::exact_sum::ExactSum;

/// The points one criterion gave each row of a columnar run, in row order: integers
/// counting `10^-scale`, at the fewest places that hold every row's points exactly.
///
/// ```
/// use std::sync::Arc;
/// use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
/// use parscore::{ColumnarOptions, Decimal, Scheme};
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
    /// Places of every row's points (at most 28).
    pub fn scale(&self) -> u32 {
        self.scale
    }

    /// Each row's points in units of `10^-scale`: an Arrow `decimal128(38, scale)` buffer
    /// (points are at most 10^9, so 38 digits always hold them).
    pub fn mantissas(&self) -> &[i128] {
        &self.mantissas
    }

    pub fn into_mantissas(self) -> Vec<i128> {
        self.mantissas
    }

    pub fn len(&self) -> usize {
        self.mantissas.len()
    }

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

/// 5^k for every k a column narrows by.
const POW5: [u128; POINT_PLACES as usize + 1] = {
    let mut table = [1u128; POINT_PLACES as usize + 1];
    let mut k = 1;
    while k < table.len() {
        table[k] = table[k - 1] * 5;
        k += 1;
    }
    table
};

/// The inverse of 5^k modulo 2^128, by Newton's iteration (each step doubles the bits that
/// are right; an odd `d` is its own inverse to 3 bits, so 6 steps reach 192).
const INVERSE5: [u128; POINT_PLACES as usize + 1] = {
    let mut table = [1u128; POINT_PLACES as usize + 1];
    let mut k = 0;
    while k < table.len() {
        let d = POW5[k];
        let mut x = d;
        let mut step = 0;
        while step < 6 {
            x = x.wrapping_mul(2u128.wrapping_sub(d.wrapping_mul(x)));
            step += 1;
        }
        table[k] = x;
        k += 1;
    }
    table
};

/// A number is a multiple of 5^k exactly when its product with the inverse is at most this.
const MULTIPLES5: [u128; POINT_PLACES as usize + 1] = {
    let mut table = [0u128; POINT_PLACES as usize + 1];
    let mut k = 0;
    while k < table.len() {
        table[k] = u128::MAX / POW5[k];
        k += 1;
    }
    table
};

/// Whether `magnitude` is a multiple of `10^k`, `k ≤ 28`.
#[inline]
fn multiple_of_pow10(magnitude: u128, k: u32) -> bool {
    magnitude.trailing_zeros() >= k
        && (magnitude >> k).wrapping_mul(INVERSE5[k as usize]) <= MULTIPLES5[k as usize]
}

/// The fewest places, at least `places`, that hold `units` (a count of 10^-28) exactly.
#[inline]
pub(super) fn places_of(units: i128, mut places: u32) -> u32 {
    let magnitude = units.unsigned_abs();
    while places < POINT_PLACES && !multiple_of_pow10(magnitude, POINT_PLACES - places) {
        places += 1;
    }
    places
}

/// `units / 10^k`, for a multiple of `10^k`.
#[inline]
pub(super) fn divided(units: i128, k: u32) -> i128 {
    let quotient = (units.unsigned_abs() >> k).wrapping_mul(INVERSE5[k as usize]) as i128;
    if units < 0 { -quotient } else { quotient }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exact::POW10;
    use proptest::prelude::*;

    #[test]
    fn inverses_divide_exactly() {
        for k in 0..=POINT_PLACES as usize {
            assert_eq!(POW5[k].wrapping_mul(INVERSE5[k]), 1, "5^{k}");
        }
        assert_eq!(divided(-12_300, 2), -123);
        assert_eq!(divided(POW10[28] * 7, 28), 7);
        assert!(multiple_of_pow10(0, 28));
        assert!(!multiple_of_pow10(5, 1));
        assert!(!multiple_of_pow10(2, 1));
    }

    #[test]
    fn places_are_those_of_the_decimal_without_trailing_zeros() {
        let units = |d: Decimal| d.mantissa() * POW10[(POINT_PLACES - d.scale()) as usize];
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

    proptest! {
        #[test]
        fn narrowing_agrees_with_decimals(mantissa in -(10i128.pow(28))..10i128.pow(28), scale in 0u32..=28, more in 0u32..=28) {
            // Points are at most 10^9.
            let mantissa = mantissa % POW10[9 + scale as usize];
            let d = Decimal::from_i128_with_scale(mantissa, scale);
            let units = mantissa * POW10[(POINT_PLACES - scale) as usize];
            let places = places_of(units, 0);
            prop_assert_eq!(places, d.normalize().scale());
            let wider = places.max(more);
            let narrowed = divided(units, POINT_PLACES - wider);
            prop_assert_eq!(narrowed * POW10[(POINT_PLACES - wider) as usize], units);
            // A number that is not a multiple is found so.
            if units % 10 != 0 {
                prop_assert!(!multiple_of_pow10(units.unsigned_abs(), 1));
            }
        }
    }
}
