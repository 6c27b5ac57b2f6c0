//! `evaluate_frame`: an Arrow table in (from pandas, polars, pyarrow or any Arrow stream), one
//! result row per input row out. Scoring is the core's columnar path, in parallel and without
//! the GIL; only the stream's collection and the output's hand-over touch Python.
//!
//! What the command refuses in a file is refused here too, before or around the core's pass:
//! a column given twice fails the table, and a row that repeats an earlier row's unit and
//! period, or holds text that does not follow `decimal=","`, fails its own row. Such a row is
//! scored again with no unit, so that it is neither scored nor ranked, and then given its
//! own error and its unit back. A repeat is refused whatever else is wrong with the row, as
//! `evaluate_many` refuses it.
//!
//! Ranks are those of the core's `Scheme::rank_rows` over the labels as written out (NFC), so
//! that `Scheme.rank` over results scored in parts gives the ranks of one call over the whole
//! table; the scoring's own ranks are the same when no period changes in composing and no
//! row is refused, and are kept then. With `rank=False`, a scheme whose `[ranking]` breaks ties by more than the
//! reported index gets a `rank_key` column holding what `Scheme.rank` needs (`rank.rs`).

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use parscore::text::nfc;
use parscore::{InputError, Scheme, Ties};
use parscore_columnar::{ColumnarOptions, Figures, ScoreBatches};
use pyo3::prelude::*;
use pyo3_arrow::input::AnyRecordBatch;

use crate::bounds;
use crate::decimal_mark::DecimalMark;
use crate::errors::{input_error, table_error};
use crate::rank;
use crate::table::{self, Decimals, DtypeBackend};
use crate::values::repeated;

/// What `evaluate_frame` writes besides the figures.
pub struct Output {
    /// How decimal figures are written.
    pub decimals: Decimals,
    /// Whether rows are ranked (off for a part of a table, ranked once combined).
    pub rank: bool,
    /// The number of the frame's first row in the whole table, which errors name.
    pub first_row: usize,
    /// The kind of pandas columns.
    pub dtype_backend: DtypeBackend,
}

pub fn evaluate_frame<'py>(
    py: Python<'py>,
    scheme: &Scheme,
    frame: &Bound<'py, PyAny>,
    options: &ColumnarOptions,
    output: &Output,
    decimal: DecimalMark,
) -> PyResult<Bound<'py, PyAny>> {
    let frames = py.import("parscore._frames")?;
    let (stream, library): (Bound<'py, PyAny>, String) =
        frames.call_method1("arrow_input", (frame,))?.extract()?;
    let input: AnyRecordBatch = stream.extract()?;
    // Reading may run the producer's Python code (a generator of batches), so the stream is
    // drained before the GIL is released.
    let reader = input.into_reader()?;
    let schema = reader.schema();
    let batches = reader
        .collect::<Result<Vec<RecordBatch>, _>>()
        .map_err(pyo3_arrow::error::PyArrowError::from)?;
    if let Some((name, first, second)) = repeated_column(&schema) {
        return Err(table_error(
            py,
            format!("column `{name}` is given twice in the table (columns {first} and {second})"),
            scheme.indicator(&name).map(|i| i.id.as_str()),
        ));
    }
    let scored = py
        .detach(|| {
            let (batches, unreadable) = read_decimal_mark(scheme, batches, decimal);
            let figures = score(scheme, &batches, options, output, unreadable)?;
            let key = (!output.rank && rank::keyed(scheme)).then(|| rank::key_column(&figures));
            let table = table::figures_table(scheme, figures, output.decimals);
            Ok(match key {
                Some(key) => rank::with_key(table, key),
                None => table,
            })
        })
        .map_err(|e: InputError| input_error(py, &e))?;
    let table = table::native_table(py, scored)?;
    frames.call_method1(
        "arrow_output",
        (table, library, frame, output.dtype_backend.name()),
    )
}

/// The first column name given twice (NFC-normalised), with both 1-based positions.
fn repeated_column(schema: &Schema) -> Option<(String, usize, usize)> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, field) in schema.fields().iter().enumerate() {
        match seen.entry(nfc(field.name()).into_owned()) {
            Entry::Occupied(entry) => return Some((entry.key().clone(), *entry.get(), i + 1)),
            Entry::Vacant(entry) => {
                entry.insert(i + 1);
            }
        }
    }
    None
}

/// Scores the batches, with each row's coverage (its criteria without input, and which
/// criteria do not apply); rows that repeat an earlier row's unit and period, and rows with
/// a cell `unreadable` names (0-based row, error), become errors of their own rows. Errors
/// name rows from `output.first_row`.
fn score(
    scheme: &Scheme,
    batches: &[RecordBatch],
    options: &ColumnarOptions,
    output: &Output,
    unreadable: Vec<(usize, InputError)>,
) -> Result<Figures, InputError> {
    let options = &ColumnarOptions {
        coverage: true,
        ..*options
    };
    let mut figures = scheme.score_batches(batches, options)?;
    let units = composed(&figures.units).unwrap_or_else(|| figures.units.clone());
    let relabelled = composed(&figures.periods);
    let periods = relabelled
        .clone()
        .unwrap_or_else(|| figures.periods.clone());
    let mut refused: HashMap<usize, InputError> = unreadable.into_iter().collect();
    for (row, error) in bounds::out_of_bounds(scheme, &figures) {
        refused.entry(row).or_insert(error);
    }
    // A repeat names the earlier row as the whole table numbers it; every row error's own
    // row is moved to `first_row` at the end.
    let shift = output.first_row - 1;
    let numbers: Vec<usize> = (1 + shift..=units.len() + shift).collect();
    for (row, first) in rank::repeats(&labels(&units), &labels(&periods), &numbers) {
        let period = (!periods.is_null(row)).then(|| periods.value(row));
        refused.insert(
            row,
            InputError::Row {
                row: row + 1,
                reason: repeated(units.value(row), period, first),
            },
        );
    }
    // The core ranked by the periods as it read them: the ranks of one call when no period
    // changed in composing and no row is refused (and no exact ties ask `rank_rows` to check
    // each ranked row's maximum). Ranking again costs a sort of every index.
    let ranked = relabelled.is_none() && refused.is_empty() && scheme.ties() != Ties::Exact;
    if !refused.is_empty() {
        let masked = without_units(batches, &units, &refused)?;
        figures = scheme.score_batches(&masked, options)?;
        figures.errors.retain(|(row, _)| !refused.contains_key(row));
        figures.errors.extend(refused);
        figures.errors.sort_by_key(|(row, _)| *row);
    }
    if !output.rank {
        figures.ranks = vec![None; figures.len()];
    } else if !ranked {
        figures.ranks = rank::ranks(scheme, &labels(&periods), &figures)?;
    }
    if shift > 0 {
        for (_, error) in &mut figures.errors {
            if let InputError::Row { row, .. } = error
                && *row > 0
            {
                *row += shift;
            }
        }
    }
    figures.units = units;
    figures.periods = periods;
    Ok(figures)
}

fn labels(labels: &StringArray) -> Vec<Option<&str>> {
    labels.iter().collect()
}

/// Labels in Unicode's composed form (NFC), so that a unit typed in either form is one unit;
/// `None` when every label already is.
fn composed(labels: &StringArray) -> Option<StringArray> {
    let changes = |label: Option<&str>| {
        label.is_some_and(|l| !matches!(nfc(l), std::borrow::Cow::Borrowed(_)))
    };
    if !labels.iter().any(changes) {
        return None;
    }
    Some(
        labels
            .iter()
            .map(|label| label.map(|l| nfc(l).into_owned()))
            .collect(),
    )
}

/// The batches with each refused row's unit taken away, so that the core neither scores nor
/// ranks it; every other unit is its label as the core read it.
fn without_units(
    batches: &[RecordBatch],
    units: &StringArray,
    refused: &HashMap<usize, InputError>,
) -> Result<Vec<RecordBatch>, InputError> {
    let mut start = 0;
    batches
        .iter()
        .map(|batch| {
            let rows = start..start + batch.num_rows();
            start = rows.end;
            let column: StringArray = rows
                .map(|row| {
                    (!refused.contains_key(&row) && !units.is_null(row)).then(|| units.value(row))
                })
                .collect();
            replace_column(batch, "unit", Arc::new(column))
        })
        .collect()
}

/// `batch` with the column `name` replaced by `array`.
fn replace_column(
    batch: &RecordBatch,
    name: &str,
    array: ArrayRef,
) -> Result<RecordBatch, InputError> {
    let schema = batch.schema();
    let mut fields: Vec<Field> = Vec::with_capacity(schema.fields().len());
    let mut columns = Vec::with_capacity(fields.capacity());
    for (field, column) in schema.fields().iter().zip(batch.columns()) {
        if field.name() == name {
            fields.push(Field::new(name, array.data_type().clone(), true));
            columns.push(array.clone());
        } else {
            fields.push(field.as_ref().clone());
            columns.push(column.clone());
        }
    }
    RecordBatch::try_new(SchemaRef::new(Schema::new(fields)), columns).map_err(|e| {
        InputError::Row {
            row: 0,
            reason: format!("the table cannot be rebuilt: {e}"),
        }
    })
}

/// With a decimal comma, every text column of an indicator read into the core's point form
/// (`1.234,5` → `1234.5`); a cell that does not follow the mark keeps its text and is named
/// with its row (0-based, across batches), the first of each row.
fn read_decimal_mark(
    scheme: &Scheme,
    batches: Vec<RecordBatch>,
    decimal: DecimalMark,
) -> (Vec<RecordBatch>, Vec<(usize, InputError)>) {
    let mut unreadable: HashMap<usize, InputError> = HashMap::new();
    if decimal == DecimalMark::Point {
        return (batches, Vec::new());
    }
    let mut start = 0;
    let batches = batches
        .into_iter()
        .map(|batch| {
            let first_row = start;
            start += batch.num_rows();
            let schema = batch.schema();
            let mut read = batch.clone();
            for (field, column) in schema.fields().iter().zip(batch.columns()) {
                let Some(indicator) = scheme.indicator(field.name()) else {
                    continue;
                };
                let Some(text) = text_column(column) else {
                    continue;
                };
                let cells: StringArray = text
                    .iter()
                    .enumerate()
                    .map(|(i, cell)| {
                        let cell = cell?;
                        Some(match decimal.read(cell) {
                            Ok(read) => read.into_owned(),
                            Err(reason) => {
                                unreadable.entry(first_row + i).or_insert(
                                    InputError::InvalidValue {
                                        indicator: indicator.id.clone(),
                                        reason,
                                    },
                                );
                                cell.to_string()
                            }
                        })
                    })
                    .collect();
                if let Ok(replaced) = replace_column(&read, field.name(), Arc::new(cells)) {
                    read = replaced;
                }
            }
            read
        })
        .collect();
    (batches, unreadable.into_iter().collect())
}

/// A column of text (any of Arrow's string layouts, or a dictionary of them) as `Utf8`.
fn text_column(column: &ArrayRef) -> Option<StringArray> {
    let is_text =
        |t: &DataType| matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View);
    let text = match column.data_type() {
        DataType::Dictionary(_, values) if is_text(values) => true,
        other => is_text(other),
    };
    if !text {
        return None;
    }
    let cast = arrow_cast::cast(column, &DataType::Utf8).ok()?;
    Some(cast.as_string::<i32>().clone())
}

/// The schema `evaluate_frame` writes with these decimals (scored on no rows).
pub fn output_schema<'py>(
    py: Python<'py>,
    scheme: &Scheme,
    decimals: Decimals,
    criteria: bool,
    rank: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let options = ColumnarOptions {
        criteria,
        coverage: true,
        ..ColumnarOptions::default()
    };
    let figures = scheme
        .score_batches(&[], &options)
        .map_err(|e| input_error(py, &e))?;
    let key = (!rank && rank::keyed(scheme)).then(|| rank::key_column(&figures));
    let mut empty = table::figures_table(scheme, figures, decimals);
    if let Some(key) = key {
        empty = rank::with_key(empty, key);
    }
    table::to_library(py, empty, "pyarrow")?.getattr("schema")
}
