//! Indicator columns decoded for the fast path: every cell of a block of rows checked against
//! its indicator once and held as a small exact value — a fixed-point number in units of
//! 10^-9, counts, a yes/no — so that the kernels compare integers.
//!
//! A cell the lanes cannot hold exactly (a decimal with more than 9 places, a number beyond
//! ±9.2 × 10^9) or that does not fit its indicator is not guessed at: its row is marked for
//! the general path, which reads it again and reports the same error the row-by-row
//! evaluation gives.

use std::ops::Range;

use arrow_array::types::Float64Type;
use arrow_array::{Array, ArrowPrimitiveType, BooleanArray, PrimitiveArray};
use arrow_buffer::BooleanBuffer;
use rust_decimal::Decimal;

use super::reader::{Raw, Reader, decimal};
use super::tally::Mask;
use crate::columns::BLOCK;
use parscore::engine::{POW10, bounds, fit};
use parscore::{Indicator, IndicatorKind, Value};

/// Places of the fixed-point numbers of the lanes.
pub(super) const PLACES: u32 = 9;
/// 1 in lane units.
pub(super) const ONE: i64 = 1_000_000_000;

/// One cell of a lane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Cell {
    Missing,
    NotApplicable,
    /// `units × 10^-9`.
    Number(i64),
    /// A percentage from counts: `num / den × 100`, `den > 0`. Derived rates, and rates typed
    /// as `987/1000`.
    Counts {
        num: i64,
        den: i64,
    },
    Bool(bool),
}

impl Cell {
    /// The value the general path would hold for this cell, for the kernels that defer to it.
    pub(super) fn value(self) -> Option<Value> {
        match self {
            Cell::Missing => None,
            Cell::NotApplicable => Some(Value::NotApplicable),
            Cell::Number(units) => Some(Value::Number(Decimal::new(units, PLACES).normalize())),
            Cell::Counts { num, den } => Some(Value::Ratio {
                num: Decimal::from(num),
                den: Decimal::from(den),
            }),
            Cell::Bool(b) => Some(Value::Bool(b)),
        }
    }
}

/// A decimal in lane units, if it has at most 9 places and fits.
pub(super) fn units_of(d: Decimal) -> Option<i64> {
    let widened = d
        .mantissa()
        .checked_mul(*POW10.get(PLACES.checked_sub(d.scale())? as usize)?)?;
    i64::try_from(widened).ok()
}

/// A float as lane units of its shortest decimal form — the value [`Value::from_f64`] reads —
/// without formatting it.
///
/// Below 2^20 a float's spacing is under 2.4 × 10^-10, so at most one decimal of ≤ 9 places
/// reads back as it, and `x × 10^9` lies within 0.25 of that decimal's units: rounding finds
/// it, and the division checks it. `None` when no such decimal exists or the float is larger
/// (the caller then takes the general path).
#[inline]
pub(super) fn units_of_f64(x: f64) -> Option<i64> {
    const LIMIT: f64 = 1_048_576.0; // 2^20
    // NaN fails this test too.
    if x.abs().partial_cmp(&LIMIT) != Some(std::cmp::Ordering::Less) {
        return None;
    }
    let (units, reads_back) = rounded_units(x);
    reads_back.then_some(units)
}

/// 2^20 in lane units: [`units_of_f64`]'s limit.
const SMALL: i64 = 1_048_576 * ONE;

/// `x × 10^9` rounded to the nearest integer, and whether those units read back as `x`.
///
/// Adding and taking away 1.5 × 2^52 rounds in two instructions, where `round` is a library
/// call. While `|x × 10^9| < 2^51` the sum lies in [2^52, 2^53) and keeps the exponent of
/// `ROUND`, so its bits count the units. Any other sum — a larger float, an infinity —
/// gives bits that differ from `ROUND`'s by 2^51 or more either way (wrapped or not), so
/// its "units" are never below 2^20 × 10^9 in magnitude; NaN does not read back.
#[inline(always)]
fn rounded_units(x: f64) -> (i64, bool) {
    let (units, shifted) = shifted_units(x);
    (units, (shifted - ROUND) / SCALE == x)
}

const SCALE: f64 = 1e9;
/// 1.5 × 2^52: added to a float, it rounds it to an integer (see [`rounded_units`]).
const ROUND: f64 = 6_755_399_441_055_744.0;

/// `x × 10^9 + ROUND`, and the units its bits count.
#[inline(always)]
fn shifted_units(x: f64) -> (i64, f64) {
    let shifted = x * SCALE + ROUND;
    (
        shifted.to_bits().wrapping_sub(ROUND.to_bits()) as i64,
        shifted,
    )
}

/// A text cell as lane units when it is a plain decimal — digits, at most one point with
/// at most 9 places after it, an optional leading minus, whitespace around — as most cells
/// of a sheet saved as text are. `None` for anything else (`98.7%`, `987/1000`, `1e2`,
/// `n/a`, more places), which [`Value::parse`] reads.
pub(super) fn units_of_text(cell: &str) -> Option<i64> {
    // ASCII spaces only: any other space is not a digit, and the general reading trims it.
    let bytes = cell.as_bytes().trim_ascii();
    let (negative, bytes) = match bytes {
        [b'-', rest @ ..] => (true, rest),
        _ => (false, bytes),
    };
    // At most 19 digits fold into a u64 without overflow; longer cells (leading zeros) are
    // left to the general reading.
    if bytes.is_empty() || bytes.len() > 19 {
        return None;
    }
    // One pass: the digits folded as one number, and where the point was.
    let (mut digits, mut point) = (0u64, None);
    for (i, &b) in bytes.iter().enumerate() {
        let digit = b.wrapping_sub(b'0');
        if digit < 10 {
            digits = digits * 10 + u64::from(digit);
        } else if b == b'.' && point.is_none() && i > 0 {
            point = Some(i);
        } else {
            return None;
        }
    }
    let places = point.map_or(0, |point| bytes.len() - point - 1);
    // Digits after a point, at most 9 of them, and at most 9 (significant) before it keep
    // the units below 10^18.
    if point.is_some() && places == 0
        || places > PLACES as usize
        || digits >= POW10[PLACES as usize + places] as u64
    {
        return None;
    }
    let units = (digits * POW10[PLACES as usize - places] as u64) as i64;
    Some(if negative { -units } else { units })
}

/// How an indicator's cells are checked, resolved once per column.
pub(super) struct Check<'a> {
    indicator: &'a Indicator,
    /// A yes/no indicator, which reads numbers 0 and 1 only.
    bool: bool,
    /// Counts must be whole.
    whole: bool,
    /// Bounds in lane units, `i64::MIN`/`i64::MAX` where there is none; an empty range when
    /// lane units cannot express them, so that every cell takes the general check.
    min: i64,
    max: i64,
    /// Both bounds lie strictly within ±2^20: a float within them is read by
    /// [`Check::small_float`].
    small: bool,
    /// With `small`, the bounds as the sums `ROUND + bound` that [`shifted_units`] forms:
    /// below 2^51 in magnitude, each is a whole number that a float holds exactly.
    shifted: (f64, f64),
}

impl<'a> Check<'a> {
    pub(super) fn new(indicator: &'a Indicator) -> Check<'a> {
        let (min, max) = bounds(indicator);
        let lane = |bound: Option<Decimal>| bound.map(units_of);
        let (min, max) = match (lane(min), lane(max)) {
            (Some(None), _) | (_, Some(None)) => (1, 0),
            (min, max) => (
                min.flatten().unwrap_or(i64::MIN),
                max.flatten().unwrap_or(i64::MAX),
            ),
        };
        Check {
            indicator,
            bool: indicator.kind == IndicatorKind::Bool,
            whole: indicator.kind == IndicatorKind::Count,
            min,
            max,
            small: -SMALL < min && max < SMALL,
            shifted: (ROUND + min as f64, ROUND + max as f64),
        }
    }

    /// Neither a yes/no nor a count: a number needs only its bounds.
    fn measure(&self) -> bool {
        !self.bool && !self.whole
    }

    /// A number read from a typed column, checked as [`fit`] checks it.
    #[inline]
    fn number(&self, units: i64) -> Option<Cell> {
        if self.bool {
            return match units {
                0 => Some(Cell::Bool(false)),
                ONE => Some(Cell::Bool(true)),
                _ => None,
            };
        }
        if self.whole && units % ONE != 0 {
            return None;
        }
        self.within_bounds(units)
    }

    /// A whole number read from an integer column.
    #[inline]
    fn integer(&self, v: i64) -> Option<Cell> {
        let units = v.checked_mul(ONE)?;
        if self.bool {
            return self.number(units);
        }
        self.within_bounds(units)
    }

    /// A number of the right kind, if the indicator's bounds hold it.
    #[inline]
    fn within_bounds(&self, units: i64) -> Option<Cell> {
        (self.min..=self.max)
            .contains(&units)
            .then_some(Cell::Number(units))
    }

    /// A float of a measure whose bounds are `small`, as [`units_of_f64`] and
    /// [`Check::within_bounds`] read it, without the former's test of its size: units within
    /// such bounds are below 2^20 × 10^9, which [`rounded_units`] gives only for a float
    /// below 2^51 × 10^-9 — exactly — and so below 2^20 once within them. Gives the units
    /// and whether they are read; a float that is not is left to the general reading.
    ///
    /// Without a branch, so that a loop of them is vectorised. The units are within the
    /// bounds exactly when the shifted sum is within the shifted bounds: while the units are
    /// below 2^51 the sum is `ROUND + units` exactly, and any larger float gives a sum beyond
    /// both.
    #[inline(always)]
    fn small_float(&self, x: f64) -> (i64, bool) {
        let (units, shifted) = shifted_units(x);
        let (min, max) = self.shifted;
        let read = ((shifted - ROUND) / SCALE == x) & (min <= shifted) & (shifted <= max);
        (units, read)
    }

    /// Any value, through the general check.
    fn value(&self, value: Value) -> Option<Cell> {
        match fit(self.indicator, value).ok()? {
            Value::NotApplicable => Some(Cell::NotApplicable),
            Value::Bool(b) => Some(Cell::Bool(b)),
            Value::Number(d) => units_of(d).map(Cell::Number),
            Value::Ratio { num, den } => Some(Cell::Counts {
                num: whole(num)?,
                den: whole(den)?,
            }),
        }
    }
}

/// A whole decimal as an i64.
pub(super) fn whole(d: Decimal) -> Option<i64> {
    d.fract()
        .is_zero()
        .then(|| i64::try_from(d.trunc().mantissa() / POW10[d.trunc().scale() as usize]).ok())
        .flatten()
}

/// Decodes `rows` of a column (at most a block) into `lane` (cleared first). A cell that
/// needs the general path marks its row in `slow` (indexed from `rows.start`) and is left
/// missing.
pub(super) fn decode(
    reader: &Reader,
    check: &Check<'_>,
    rows: Range<usize>,
    lane: &mut Vec<Cell>,
    slow: &mut [bool],
    text: &mut String,
) {
    lane.clear();
    let start = rows.start;
    let mut out = Words {
        rows: rows.clone(),
        lane,
        slow,
    };
    match reader {
        Reader::Null => out.lane.resize(rows.len(), Cell::Missing),
        Reader::Float64(a) => {
            let read = |x: f64| {
                units_of_f64(x).or_else(|| match Value::from_f64(x) {
                    Ok(Value::Number(d)) => units_of(d),
                    _ => None,
                })
            };
            // Most float columns are rates or points: a loop of their own without the
            // yes/no and whole-count tests.
            if check.measure() && check.small {
                // Two passes over each 64 rows: the units and whether each is read, in a
                // loop without a branch (vectorised), then the cells. A float this reading
                // refuses, no reading holds within such bounds.
                out.each_word(a, |r, lane| {
                    let floats = &a.values()[r];
                    let units = &mut [0i64; 64][..floats.len()];
                    let failed = small_floats(check, floats, units);
                    lane.extend(units.iter().map(|&units| Cell::Number(units)));
                    failed
                })
            } else if check.measure() {
                out.values(a, |x| read(x).and_then(|u| check.within_bounds(u)))
            } else {
                out.values(a, |x| read(x).and_then(|u| check.number(u)))
            }
        }
        // Counts and whole numbers need only their bounds; a yes/no takes 0 and 1.
        Reader::Int(a) if !check.bool => out.values(a, |v| {
            v.checked_mul(ONE).and_then(|u| check.within_bounds(u))
        }),
        Reader::Int(a) => out.values(a, |v| check.integer(v)),
        Reader::UInt(a) => out.values(a, |v| i64::try_from(v).ok().and_then(|v| check.integer(v))),
        Reader::Bool(a) if check.bool => {
            // The values 64 at a time too, as the validity bits are read.
            let values = a.values().slice(start, rows.len());
            let chunks = values.bit_chunks();
            let mut words = chunks.iter_padded();
            out.each(
                a,
                |r| {
                    let word = words.next().unwrap_or(0);
                    (0..r.len()).map(move |k| word >> k & 1 == 1)
                },
                |b| Some(Cell::Bool(b)),
            )
        }
        Reader::Decimal128(a, scale) => out.values(a, |m| {
            let units = decimal(m, *scale).ok().and_then(units_of);
            units.and_then(|u| check.number(u))
        }),
        // A null's slot is an empty string, which reads as missing.
        Reader::Text(a) => out.each(a, |r| r.map(|i| a.value(i)), |cell| text_cell(check, cell)),
        _ => {
            for i in rows {
                let cell = match reader.raw(i, text) {
                    Ok(Raw::Missing) => Some(Cell::Missing),
                    Ok(Raw::Value(value)) => check.value(value),
                    Ok(Raw::Text(cell)) => text_cell(check, cell),
                    Err(_) => None,
                };
                out.lane.push(cell.unwrap_or_else(|| {
                    out.slow[i - start] = true;
                    Cell::Missing
                }));
            }
        }
    }
}

/// Where [`decode`] writes a block of a column: its rows, their lane and their marks for the
/// general path.
struct Words<'a> {
    rows: Range<usize>,
    lane: &'a mut Vec<Cell>,
    slow: &'a mut [bool],
}

impl Words<'_> {
    /// One tight loop over the column's own values, 64 rows to a word of validity bits:
    /// `decode` pushes a cell for each row of the range it is given and gives the bits of
    /// those that failed. Every slot is decoded, null or not (a null's slot holds some value
    /// of the column's type, and decoding is pure); the word then turns the nulls and the
    /// failures missing, whatever was pushed, and marks only the failures that hold a value,
    /// both by walking set bits, which are few.
    #[inline(always)]
    fn each_word(
        &mut self,
        array: &dyn Array,
        mut decode: impl FnMut(Range<usize>, &mut Vec<Cell>) -> u64,
    ) {
        let Range { start, end } = self.rows;
        let valid = validity(array, start..end);
        for (word, from) in valid.into_iter().zip((start..end).step_by(64)) {
            let to = (from + 64).min(end);
            let failed = decode(from..to, self.lane);
            let block = from - start;
            let present = u64::MAX >> (64 - (to - from));
            for bit in set_bits((!word | failed) & present) {
                self.lane[block + bit] = Cell::Missing;
            }
            for bit in set_bits(failed & word) {
                self.slow[block + bit] = true;
            }
        }
    }

    /// [`Words::each_word`] of a cell read from each of the values `values` gives for a
    /// word's rows; `None` fails it.
    #[inline(always)]
    fn each<T, I: Iterator<Item = T>>(
        &mut self,
        array: &dyn Array,
        mut values: impl FnMut(Range<usize>) -> I,
        cell: impl Fn(T) -> Option<Cell>,
    ) {
        self.each_word(array, |rows, lane| {
            let mut failed = 0u64;
            lane.extend(values(rows).enumerate().map(|(k, v)| {
                cell(v).unwrap_or_else(|| {
                    failed |= 1 << k;
                    Cell::Missing
                })
            }));
            failed
        })
    }

    /// [`Words::each`] of a cell read from each of a primitive column's values.
    #[inline(always)]
    fn values<T: ArrowPrimitiveType>(
        &mut self,
        array: &PrimitiveArray<T>,
        cell: impl Fn(T::Native) -> Option<Cell>,
    ) {
        self.each(array, |rows| array.values()[rows].iter().copied(), cell)
    }
}

/// Reads up to 64 floats of a measure whose bounds are `small` into `units` (as long), as
/// [`Check::small_float`] reads them, and gives the bits of those it refuses.
#[inline(always)]
fn small_floats(check: &Check<'_>, floats: &[f64], units: &mut [i64]) -> u64 {
    // Without a branch, so that the compiler vectorises it.
    let mut refused = false;
    for (x, units) in floats.iter().zip(units.iter_mut()) {
        let read;
        (*units, read) = check.small_float(*x);
        refused |= !read;
    }
    // Refusals are rare: their bits are gathered, reading again, only when there is one.
    if refused {
        let bits = floats.iter().enumerate();
        bits.fold(0, |failed, (k, &x)| {
            failed | u64::from(!check.small_float(x).1) << k
        })
    } else {
        0
    }
}

/// The floats of a column whose cells can be read as a lane of [`Numbers`]: a measure whose
/// bounds are small, which [`Check::small_float`] reads or refuses, so that a cell holds a
/// number or nothing.
pub(super) fn number_column<'r>(
    reader: &'r Reader,
    check: &Check<'_>,
) -> Option<&'r PrimitiveArray<Float64Type>> {
    match reader {
        Reader::Float64(array) if check.measure() && check.small => Some(array),
        _ => None,
    }
}

/// Decodes `rows` of a [`number_column`] (at most a block) into `numbers`: what [`decode`]
/// makes of it, without the cells. A float the reading refuses marks its row in `slow`
/// (indexed from `rows.start`) and is missing.
pub(super) fn decode_numbers(
    array: &PrimitiveArray<Float64Type>,
    check: &Check<'_>,
    rows: Range<usize>,
    numbers: &mut Numbers,
    slow: &mut [bool],
) {
    let valid = validity(array, rows.clone());
    // Not cleared: every row's number is written below.
    numbers.units.resize(rows.len(), 0);
    numbers.missing = [0; BLOCK / 64];
    let floats = &array.values()[rows];
    for (k, (floats, units)) in floats
        .chunks(64)
        .zip(numbers.units.chunks_mut(64))
        .enumerate()
    {
        let failed = small_floats(check, floats, units);
        let word = valid[k];
        let present = u64::MAX >> (64 - floats.len());
        numbers.missing[k] = (!word | failed) & present;
        for bit in set_bits(failed & word) {
            slow[k * 64 + bit] = true;
        }
    }
}

/// The bits of `rows` of `buffer` (at most a block), 64 rows a word; none beyond them.
fn mask_of(buffer: &BooleanBuffer, rows: Range<usize>) -> Mask {
    let mut mask = [0; BLOCK / 64];
    let bits = buffer.slice(rows.start, rows.len());
    for (word, chunk) in mask.iter_mut().zip(bits.bit_chunks().iter_padded()) {
        *word = chunk;
    }
    mask
}

/// The rows of `rows` of `array` (at most a block) that hold a value; none beyond them.
fn validity(array: &dyn Array, rows: Range<usize>) -> Mask {
    match array.nulls() {
        Some(nulls) => mask_of(nulls.inner(), rows),
        None => std::array::from_fn(|k| rows_of_word(rows.len(), k)),
    }
}

/// A text cell: a plain decimal read directly, anything else as [`Value::parse`] reads it.
#[inline(always)]
fn text_cell(check: &Check<'_>, cell: &str) -> Option<Cell> {
    match units_of_text(cell) {
        Some(units) => check.number(units),
        None => other_text_cell(check, cell),
    }
}

/// [`text_cell`] of anything but a plain decimal, out of the decoding loop.
#[inline(never)]
fn other_text_cell(check: &Check<'_>, cell: &str) -> Option<Cell> {
    // The words exports write most, spelt as they write them, without folding them as
    // `Value::parse` folds any word (which it reads the same).
    let word = match cell {
        "true" => Some(Value::Bool(true)),
        "false" => Some(Value::Bool(false)),
        "n/a" => Some(Value::NotApplicable),
        _ => None,
    };
    if let Some(word) = word {
        return check.value(word);
    }
    match Value::parse(cell) {
        Ok(None) => Some(Cell::Missing),
        // `50%` for an indicator that is no percent (a count, points): the general reading
        // refuses it, naming why.
        Ok(Some(Value::Number(_)))
            if check.indicator.kind != IndicatorKind::Percent && cell.trim_end().ends_with('%') =>
        {
            None
        }
        Ok(Some(value)) => check.value(value),
        Err(_) => None,
    }
}

/// A block's indicator columns, by indicator slot: the cells of each, the numbers of the
/// columns read as [`Numbers`] and the bits of the typed yes/no columns read as bits (whose
/// cells are then not decoded).
pub(super) struct Lanes {
    pub(super) cells: Vec<Vec<Cell>>,
    pub(super) numbers: Vec<Option<Numbers>>,
    pub(super) bits: Vec<Option<Bits>>,
}

impl Lanes {
    pub(super) fn new(slots: usize, rows: usize) -> Lanes {
        Lanes {
            cells: vec![Vec::with_capacity(rows); slots],
            numbers: (0..slots).map(|_| None).collect(),
            bits: (0..slots).map(|_| None).collect(),
        }
    }

    /// The lane of the indicator in `slot`, as its column was decoded.
    pub(super) fn lane(&self, slot: usize, rows: usize) -> Lane<'_> {
        match &self.numbers[slot] {
            Some(numbers) => Lane::Numbers(numbers),
            None => Lane::Cells(&self.cells[slot][..rows]),
        }
    }
}

/// A column whose every cell is a number or missing, held as the numbers alone (a missing
/// row's is any number) and the rows that are missing: 8 bytes a row where a [`Cell`] takes
/// 24, and kernels that score every row the same way and then mend the few missing ones.
#[derive(Default)]
pub(super) struct Numbers {
    pub(super) units: Vec<i64>,
    /// The rows holding no number.
    pub(super) missing: Mask,
}

/// A block's lane of one indicator, as its column was decoded.
#[derive(Clone, Copy)]
pub(super) enum Lane<'a> {
    Cells(&'a [Cell]),
    Numbers(&'a Numbers),
}

impl Lane<'_> {
    /// The cell of `row`.
    #[inline]
    pub(super) fn cell(self, row: usize) -> Cell {
        match self {
            Lane::Cells(cells) => cells[row],
            Lane::Numbers(numbers) if numbers.missing[row / 64] >> (row % 64) & 1 == 1 => {
                Cell::Missing
            }
            Lane::Numbers(numbers) => Cell::Number(numbers.units[row]),
        }
    }
}

/// A typed yes/no column's block as its bits, 64 rows to a word: for the leaves that ask
/// only yes, no or missing of it, which need no cells.
pub(super) struct Bits {
    values: Mask,
    /// Rows holding a value; none beyond the block's rows.
    valid: Mask,
    rows: usize,
}

impl Bits {
    /// The bits of `rows` of `array` (at most a block).
    pub(super) fn of(array: &BooleanArray, rows: Range<usize>) -> Bits {
        Bits {
            values: mask_of(array.values(), rows.clone()),
            valid: validity(array, rows.clone()),
            rows: rows.len(),
        }
    }

    /// The rows holding a value.
    pub(super) fn valid(&self) -> &Mask {
        &self.valid
    }

    /// The rows holding a yes.
    pub(super) fn yes(&self) -> Mask {
        std::array::from_fn(|k| self.values[k] & self.valid[k])
    }

    /// Marks the rows holding no value.
    pub(super) fn mark_missing(&self, slow: &mut [bool]) {
        for (k, &valid) in self.valid.iter().enumerate() {
            for bit in set_bits(!valid & rows_of_word(self.rows, k)) {
                slow[k * 64 + bit] = true;
            }
        }
    }

    /// Each row's points: `yes`, `no`, or 0 when missing.
    pub(super) fn keep(&self, yes: i128, no: i128, kept: &mut [i128]) {
        // Indexed by `valid << 1 | value`: a null's value bit is whatever its slot holds.
        let table = [0, 0, no, yes];
        for (row, kept) in kept[..self.rows].iter_mut().enumerate() {
            let (word, k) = (row / 64, row % 64);
            let (valid, value) = (self.valid[word] >> k & 1, self.values[word] >> k & 1);
            *kept = table[(valid << 1 | value) as usize];
        }
    }
}

/// The bits of word `k` that are rows of a block of `rows` rows.
fn rows_of_word(rows: usize, k: usize) -> u64 {
    let held = rows.saturating_sub(k * 64).min(64);
    u64::MAX.checked_shr(64 - held as u32).unwrap_or(0)
}

/// The positions of the set bits of a word, lowest first.
pub(super) fn set_bits(mut word: u64) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        let bit = word.trailing_zeros() as usize;
        word &= word.wrapping_sub(1);
        (bit < 64).then_some(bit)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use parscore::IndicatorSource;
    use proptest::prelude::*;
    use rust_decimal::dec;

    fn general(x: f64) -> Option<i64> {
        match Value::from_f64(x) {
            Ok(Value::Number(d)) => units_of(d),
            _ => None,
        }
    }

    #[test]
    fn floats_read_as_their_shortest_decimal() {
        assert_eq!(units_of_f64(98.7), Some(98_700_000_000));
        assert_eq!(units_of_f64(0.1), Some(100_000_000));
        assert_eq!(units_of_f64(-2.5), Some(-2_500_000_000));
        assert_eq!(units_of_f64(1.0 / 3.0), None);
        assert_eq!(units_of_f64(f64::NAN), None);
        assert_eq!(units_of_f64(2e6), None);
        assert_eq!(units_of(dec!(98.7)), Some(98_700_000_000));
        assert_eq!(units_of(dec!(0.0000000001)), None);
        assert_eq!(whole(dec!(12.0)), Some(12));
        assert_eq!(whole(dec!(12.5)), None);
    }

    /// An indicator's bound in whole units, often at 2^20 or at a usual bound.
    fn bound() -> impl Strategy<Value = i64> {
        prop_oneof![
            prop::sample::select(vec![-1_048_576, 1_048_576, -1_048_575, 1_048_575, 0, 100]),
            -1_048_576i64..=1_048_576,
        ]
    }

    /// An input indicator of `kind` with whole bounds.
    fn indicator(kind: IndicatorKind, min: Option<i64>, max: Option<i64>) -> Indicator {
        Indicator {
            id: "x".into(),
            title: "x".into(),
            kind,
            min: min.map(Decimal::from),
            max: max.map(Decimal::from),
            source: IndicatorSource::Input,
        }
    }

    #[test]
    fn only_bounds_strictly_within_2_to_the_20_are_small() {
        let check = |kind, min, max| Check::new(&indicator(kind, min, max)).small;
        assert!(check(IndicatorKind::Percent, None, None));
        assert!(check(
            IndicatorKind::Number,
            Some(-1_048_575),
            Some(1_048_575)
        ));
        assert!(!check(IndicatorKind::Number, Some(0), None));
        assert!(!check(IndicatorKind::Number, Some(0), Some(1_048_576)));
        assert!(!check(IndicatorKind::Number, Some(-1_048_576), Some(0)));
    }

    #[test]
    fn a_block_holds_its_rows_word_by_word() {
        assert_eq!(rows_of_word(256, 3), u64::MAX);
        assert_eq!(rows_of_word(70, 1), 0b11_1111);
        assert_eq!(rows_of_word(64, 1), 0);
        assert_eq!(rows_of_word(1, 0), 1);
    }

    #[test]
    fn set_bits_are_walked_lowest_first() {
        assert_eq!(set_bits(0).count(), 0);
        assert_eq!(set_bits(0b1010_0001).collect::<Vec<_>>(), [0, 5, 7]);
        assert_eq!(set_bits(u64::MAX).count(), 64);
        assert_eq!(set_bits(1 << 63).collect::<Vec<_>>(), [63]);
    }

    #[test]
    fn plain_decimals_in_text_are_read_directly() {
        assert_eq!(units_of_text(" 97.5 "), Some(97_500_000_000));
        assert_eq!(units_of_text("-0.000000001"), Some(-1));
        assert_eq!(units_of_text("007"), Some(7 * ONE));
        // 19 digits fold in a u64; more are left to the general reading, whatever they hold.
        assert_eq!(units_of_text("0000000000000000007"), Some(7 * ONE));
        assert_eq!(units_of_text("00000000000000000007"), None);
        assert_eq!(
            units_of_text("999999999.999999999"),
            Some(999_999_999_999_999_999)
        );
        for other in [
            "",
            "-",
            ".5",
            "5.",
            "1.2.3",
            "1..2",
            "-.5",
            "--1",
            "98.7%",
            "1/2",
            "1e2",
            "n/a",
            "+1",
            "0.0000000001",
            "1000000000",
        ] {
            assert_eq!(units_of_text(other), None, "{other}");
        }
    }

    #[test]
    fn the_words_read_directly_are_those_the_general_reading_gives() {
        for (cell, value) in [
            ("true", Value::Bool(true)),
            ("false", Value::Bool(false)),
            ("n/a", Value::NotApplicable),
        ] {
            assert_eq!(Value::parse(cell), Ok(Some(value)), "{cell}");
        }
    }

    proptest! {
        #[test]
        fn fast_text_reading_agrees_with_the_general_one(text in "[ ]?-?[0-9]{0,11}(\\.[0-9]{0,11})?[ ]?|\\PC{0,12}") {
            if let Some(units) = units_of_text(&text) {
                let general = match Value::parse(&text) {
                    Ok(Some(Value::Number(d))) => units_of(d),
                    _ => None,
                };
                prop_assert_eq!(Some(units), general, "{:?}", text);
            }
        }

        #[test]
        fn fast_float_reading_agrees_with_the_general_one(bits in any::<u64>()) {
            let x = f64::from_bits(bits);
            if let Some(units) = units_of_f64(x) {
                prop_assert_eq!(Some(units), general(x));
            }
        }

        #[test]
        fn small_floats_read_as_the_checked_reading_reads_them(
            bits in any::<u64>(),
            near in -2_000_000.0f64..2_000_000.0,
            kind in prop_oneof![Just(IndicatorKind::Percent), Just(IndicatorKind::Number)],
            min in proptest::option::of(bound()),
            max in proptest::option::of(bound()),
        ) {
            let indicator = indicator(kind, min, max);
            let check = Check::new(&indicator);
            // Any float at all (infinities, NaN, the largest), and floats near the limit.
            let specials = [f64::INFINITY, f64::NEG_INFINITY, f64::MAX, -f64::MAX, 1_048_576.0,
                -1_048_576.0, 2_251_799.813_685_248, -2_251_799.813_685_248, -6_755_399.441_055_744];
            // The bounds themselves, which are read, and the floats either side of them.
            let at = [min, max].into_iter().flatten().map(|b| b as f64);
            let around = at.flat_map(|b| [b, b.next_up(), b.next_down()]);
            for x in [f64::from_bits(bits), near].into_iter().chain(specials).chain(around) {
                let checked = units_of_f64(x).and_then(|u| check.within_bounds(u));
                if check.small {
                    let (units, read) = check.small_float(x);
                    prop_assert_eq!(read.then_some(units), checked.map(|_| units), "{}", x);
                    prop_assert_eq!(read.then_some(Cell::Number(units)), checked, "{}", x);
                }
            }
        }

        #[test]
        fn decimals_of_up_to_nine_places_are_found(units in -1_000_000_000_000_000i64..1_000_000_000_000_000, places in 0u32..=9) {
            let d = Decimal::new(units, places);
            let x: f64 = d.to_string().parse().unwrap();
            if x.abs() < 1_048_576.0 {
                prop_assert_eq!(units_of_f64(x), general(x));
                prop_assert_eq!(units_of_f64(x), units_of(d));
            }
        }
    }
}
