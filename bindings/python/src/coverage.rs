//! Which criteria of each row of a table had no input, and which do not apply: what the
//! columnar engine does not report (it gives points, not statuses), for `evaluate_frame`'s
//! `missing` columns and its nulls for excluded criteria.
//!
//! A criterion's status depends on a few cells only (its indicator's, the indicator its
//! target compares with, and the counts either is derived from), and on each of those only
//! through whether it is missing, not applicable, zero (counts of 0 make a rate `0/0` or a
//! reduction from 0 not applicable) or another value. So for every criterion and every
//! combination of those classes, the core itself scores stand-in values once, before any
//! row is read; a row's statuses are then looked up. They are the core's statuses, whatever
//! the rules, targets and policies of the scheme. A row whose combination the core refuses
//! (its own cells are then refused too, and the row is an error) has no coverage.

use std::ops::Range;

use arrow_array::cast::AsArray;
use arrow_array::types::{Decimal128Type, Float64Type, Int64Type};
use arrow_array::{Array, ArrayRef, PrimitiveArray, RecordBatch, StringArray};
use arrow_buffer::{BooleanBuffer, BooleanBufferBuilder};
use arrow_schema::DataType;
use parscore::{
    Decimal, IndicatorKind, IndicatorSource, Inputs, Options, Rhs, Scheme, Status, Value,
};
use rayon::prelude::*;

/// What a cell gives its indicator, as far as a status depends on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Class {
    Missing,
    NotApplicable,
    Zero,
    Value,
}

const CLASSES: [Class; 4] = [
    Class::Missing,
    Class::NotApplicable,
    Class::Zero,
    Class::Value,
];

/// Rows classified at a time, so that a chunk's classes stay small.
const CHUNK: usize = 8 * 1024;

/// A criterion's status for one combination of its cells' classes.
#[derive(Debug, Clone, Copy)]
struct Verdict {
    missing: bool,
    excluded: bool,
    max_points: Decimal,
}

/// What a criterion's status depends on: the slots of its cells, and its verdict for each
/// combination of their classes (two bits a slot, the first slot lowest); `None` where the
/// core refuses the combination.
struct Leaf {
    slots: Vec<usize>,
    verdicts: Vec<Option<Verdict>>,
}

/// The gaps of every row of a table.
pub struct Coverage {
    /// Each row's criteria without input and the points they stand for.
    missing: Vec<Option<(usize, Decimal)>>,
    /// Per leaf, the rows where it does not apply and is excluded; `None` for a leaf
    /// excluded in no row.
    excluded: Vec<Option<BooleanBuffer>>,
}

impl Coverage {
    /// The coverage of every row of the batches, as the core would score them.
    pub fn of(scheme: &Scheme, batches: &[RecordBatch]) -> Coverage {
        let leaves = leaves(scheme);
        let slots = scheme.indicators().len();
        let rows: usize = batches.iter().map(RecordBatch::num_rows).sum();
        let mut missing = Vec::with_capacity(rows);
        let mut excluded: Vec<BooleanBufferBuilder> = (0..leaves.len())
            .map(|_| BooleanBufferBuilder::new(rows))
            .collect();
        for batch in batches {
            let columns = indicator_columns(scheme, batch);
            let chunks: Vec<Range<usize>> = (0..batch.num_rows())
                .step_by(CHUNK)
                .map(|start| start..(start + CHUNK).min(batch.num_rows()))
                .collect();
            let covered: Vec<Chunk> = chunks
                .into_par_iter()
                .map(|rows| cover(&leaves, &columns, slots, rows))
                .collect();
            for chunk in covered {
                missing.extend(chunk.missing);
                for (bits, chunk_bits) in excluded.iter_mut().zip(chunk.excluded) {
                    bits.append_slice(&chunk_bits);
                }
            }
        }
        Coverage {
            missing,
            excluded: excluded
                .into_iter()
                .map(|mut bits| {
                    let bits = bits.finish();
                    (bits.count_set_bits() > 0).then_some(bits)
                })
                .collect(),
        }
    }

    /// The criteria without input of a row, and the points they stand for.
    pub fn missing(&self, row: usize) -> Option<(usize, Decimal)> {
        self.missing[row]
    }

    /// The rows where a leaf (by position) does not apply and is excluded; `None` when it
    /// is excluded in no row.
    pub fn excluded(&self, leaf: usize) -> Option<&BooleanBuffer> {
        self.excluded[leaf].as_ref()
    }
}

/// Every leaf's cells and its verdict for each combination of their classes.
fn leaves(scheme: &Scheme) -> Vec<Leaf> {
    let slot = |id: &str| scheme.indicators().iter().position(|i| i.id == id);
    let with_sources = |slot: usize, slots: &mut Vec<usize>| {
        slots.push(slot);
        match scheme.indicators()[slot].source {
            IndicatorSource::Input => {}
            IndicatorSource::Ratio {
                numerator,
                denominator,
            } => slots.extend([numerator, denominator]),
            IndicatorSource::Reduction { baseline, current } => slots.extend([baseline, current]),
        }
    };
    // The criteria with nothing given: what each scores and compares with.
    let nothing = scheme.inputs("", None);
    let Ok(empty) = scheme.evaluate(&nothing, &Options::default()) else {
        return Vec::new();
    };
    empty
        .criteria()
        .map(|c| {
            let mut slots = Vec::new();
            if let Some(own) = slot(&c.indicator().id) {
                with_sources(own, &mut slots);
            }
            if let Some(Rhs::Indicator(other)) = c.target().map(|t| &t.rhs)
                && let Some(other) = slot(other)
            {
                with_sources(other, &mut slots);
            }
            slots.sort_unstable();
            slots.dedup();
            Leaf {
                verdicts: verdicts(scheme, c.code(), &slots),
                slots,
            }
        })
        .collect()
}

/// A criterion's verdict for every combination of its cells' classes.
fn verdicts(scheme: &Scheme, code: &str, slots: &[usize]) -> Vec<Option<Verdict>> {
    (0..1usize << (2 * slots.len()))
        .map(|combination| {
            let mut inputs = scheme.inputs("", None);
            for (j, &slot) in slots.iter().enumerate() {
                let class = CLASSES[(combination >> (2 * j)) & 3];
                stand_in(&mut inputs, slot, class)?;
            }
            let evaluation = scheme.evaluate(&inputs, &Options::default()).ok()?;
            let c = evaluation.criterion(code)?;
            Some(Verdict {
                missing: c.status() == Status::Missing,
                excluded: c.status() == Status::NotApplicable && c.max_points().is_zero(),
                max_points: c.max_points(),
            })
        })
        .collect()
}

/// Sets a value of a class for an indicator: nothing for missing, `n/a`, 0, or a value other
/// than 0 that it accepts (yes for a yes/no; 1 keeps a rate's counts within each other).
fn stand_in(inputs: &mut Inputs, slot: usize, class: Class) -> Option<()> {
    let indicator = inputs.scheme().indicators()[slot].clone();
    let mut set = |value| inputs.set(&indicator.id, value).ok().map(drop);
    match class {
        Class::Missing => Some(()),
        Class::NotApplicable => set(Value::NotApplicable),
        Class::Zero => set(Value::Number(Decimal::ZERO)),
        Class::Value if indicator.kind == IndicatorKind::Bool => set(Value::Bool(true)),
        Class::Value => [
            Some(Decimal::ONE),
            indicator.min,
            indicator.max,
            Some(Decimal::from(50)),
        ]
        .into_iter()
        .flatten()
        .filter(|d| !d.is_zero())
        .find_map(|d| set(Value::Number(d))),
    }
}

/// Each indicator column of a batch, by slot, cast once to a type its classes are read from.
fn indicator_columns(scheme: &Scheme, batch: &RecordBatch) -> Vec<(usize, Column)> {
    let schema = batch.schema();
    let slot = |name: &str| scheme.indicators().iter().position(|i| i.id == name);
    schema
        .fields()
        .iter()
        .zip(batch.columns())
        .filter_map(|(field, array)| Some((slot(field.name())?, Column::of(array))))
        .collect()
}

/// A column as its classes are read: text is parsed as a cell is, numbers compared with 0,
/// each read in place (a copy of every column of a large table would double its memory).
enum Column {
    Null,
    Text(StringArray),
    Float64(PrimitiveArray<Float64Type>),
    Int64(PrimitiveArray<Int64Type>),
    Decimal128(PrimitiveArray<Decimal128Type>),
    /// Other numbers, cast once to `Float64` (only zero and null matter).
    Number(PrimitiveArray<Float64Type>),
    /// Booleans, and types no cell is read from (their rows are errors).
    Other(ArrayRef),
}

impl Column {
    fn of(array: &ArrayRef) -> Column {
        let cast = |to: &DataType| arrow_cast::cast(array, to).ok();
        match array.data_type() {
            DataType::Null => Column::Null,
            DataType::Utf8 => Column::Text(array.as_string::<i32>().clone()),
            DataType::LargeUtf8 | DataType::Utf8View | DataType::Dictionary(..) => {
                match cast(&DataType::Utf8) {
                    Some(text) => Column::Text(text.as_string::<i32>().clone()),
                    None => Column::Other(array.clone()),
                }
            }
            DataType::Float64 => Column::Float64(array.as_primitive().clone()),
            DataType::Int64 => Column::Int64(array.as_primitive().clone()),
            DataType::Decimal128(..) => Column::Decimal128(array.as_primitive().clone()),
            t if t.is_numeric() => match cast(&DataType::Float64) {
                Some(number) => Column::Number(number.as_primitive().clone()),
                None => Column::Other(array.clone()),
            },
            _ => Column::Other(array.clone()),
        }
    }

    /// Hands the class of each of `rows` to `put` (none for a missing cell, whose class the
    /// caller starts from): one loop per column type, so that none asks the type cell by
    /// cell.
    fn classify(&self, rows: Range<usize>, mut put: impl FnMut(usize, Class)) {
        let zero = |is_zero: bool| if is_zero { Class::Zero } else { Class::Value };
        match self {
            Column::Null => {}
            Column::Text(a) => {
                for i in rows {
                    let class = match a.is_valid(i).then(|| Value::parse(a.value(i))) {
                        None | Some(Ok(None)) => Class::Missing,
                        Some(Ok(Some(Value::NotApplicable))) => Class::NotApplicable,
                        Some(Ok(Some(Value::Number(d)))) if d.is_zero() => Class::Zero,
                        Some(_) => Class::Value,
                    };
                    put(i, class);
                }
            }
            Column::Float64(a) | Column::Number(a) => {
                let values = a.values();
                for i in rows {
                    if a.is_valid(i) {
                        put(i, zero(values[i] == 0.0));
                    }
                }
            }
            Column::Int64(a) => {
                let values = a.values();
                for i in rows {
                    if a.is_valid(i) {
                        put(i, zero(values[i] == 0));
                    }
                }
            }
            Column::Decimal128(a) => {
                let values = a.values();
                for i in rows {
                    if a.is_valid(i) {
                        put(i, zero(values[i] == 0));
                    }
                }
            }
            Column::Other(a) => {
                for i in rows {
                    if a.is_valid(i) {
                        put(i, Class::Value);
                    }
                }
            }
        }
    }
}

/// The coverage of a run of rows.
struct Chunk {
    missing: Vec<Option<(usize, Decimal)>>,
    /// Per leaf, whether each row excludes it.
    excluded: Vec<Vec<bool>>,
}

fn cover(leaves: &[Leaf], columns: &[(usize, Column)], slots: usize, rows: Range<usize>) -> Chunk {
    let first = rows.start;
    let mut classes = vec![Class::Missing as u8; rows.len() * slots];
    for (slot, column) in columns {
        column.classify(rows.clone(), |i, class| {
            classes[(i - first) * slots + slot] = class as u8;
        });
    }
    let mut chunk = Chunk {
        missing: Vec::with_capacity(rows.len()),
        excluded: vec![vec![false; rows.len()]; leaves.len()],
    };
    for (r, row) in classes.chunks_exact(slots.max(1)).enumerate() {
        let mut gaps = Some((0, Decimal::ZERO));
        for (leaf, excluded) in leaves.iter().zip(chunk.excluded.iter_mut()) {
            let combination = (leaf.slots.iter().enumerate())
                .fold(0, |c, (j, &slot)| c | usize::from(row[slot]) << (2 * j));
            match leaf.verdicts[combination] {
                Some(verdict) => {
                    excluded[r] = verdict.excluded;
                    if verdict.missing
                        && let Some((count, points)) = &mut gaps
                    {
                        *count += 1;
                        *points += verdict.max_points;
                    }
                }
                None => gaps = None,
            }
        }
        chunk.missing.push(gaps);
    }
    if slots == 0 {
        chunk.missing.resize(rows.len(), Some((0, Decimal::ZERO)));
    }
    chunk
}
