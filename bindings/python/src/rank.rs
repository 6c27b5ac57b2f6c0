//! Competition ranks, and the rows a table refuses as repeats: what `evaluate_frame` does
//! within one call, done again by `Scheme.rank` over results scored in parts (the batches of
//! a Spark, Ray or Dask run) and combined, so that the parts rank as one table.
//!
//! The core ranks inside its columnar pass too; the binding ranks itself so that both calls
//! follow one rule, on the labels as the results show them (trimmed and in Unicode's
//! composed form, so that a period typed in either form is one period).

use std::borrow::Cow;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{Decimal128Type, Float32Type, Float64Type, Int64Type};
use arrow_array::{Array, ArrayRef, Int64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use parscore::text::nfc;
use parscore::{Decimal, InputError, Scheme, Value};
use pyo3::prelude::*;
use pyo3::types::PyList;
use pyo3_arrow::input::AnyRecordBatch;

use crate::errors::table_error;
use crate::table;
use crate::values::repeated;

/// Competition ranks ("1224": ties share a rank, the next rank skips) by reported index,
/// highest first, within each period. A row whose `index` is `None` is not ranked.
pub fn competition(periods: &[Option<&str>], index: &[Option<Decimal>]) -> Vec<Option<usize>> {
    let mut groups: HashMap<Option<&str>, Vec<usize>> = HashMap::new();
    for (row, (period, index)) in periods.iter().zip(index).enumerate() {
        if index.is_some() {
            groups.entry(*period).or_default().push(row);
        }
    }
    let mut ranks = vec![None; index.len()];
    for rows in groups.values_mut() {
        rows.sort_unstable_by(|a, b| index[*b].cmp(&index[*a]));
        let mut rank = 0;
        for (position, &row) in rows.iter().enumerate() {
            if position == 0 || index[row] != index[rows[position - 1]] {
                rank = position + 1;
            }
            ranks[row] = Some(rank);
        }
    }
    ranks
}

/// The rows (0-based positions) that repeat the unit and period of a row numbered lower,
/// each with the number of that first row: `numbers` are the rows' numbers in the whole
/// table. Every row with a unit claims it, whatever its status, as `evaluate_many` and the
/// command do.
pub fn repeats(
    units: &[Option<&str>],
    periods: &[Option<&str>],
    numbers: &[usize],
) -> Vec<(usize, usize)> {
    let mut first: HashMap<(&str, Option<&str>), (usize, usize)> = HashMap::new();
    for (position, (unit, period)) in units.iter().zip(periods).enumerate() {
        let Some(unit) = unit else { continue };
        let claim = (numbers[position], position);
        match first.entry((unit, *period)) {
            Entry::Vacant(entry) => {
                entry.insert(claim);
            }
            Entry::Occupied(mut entry) => {
                if claim < *entry.get() {
                    entry.insert(claim);
                }
            }
        }
    }
    let mut found = Vec::new();
    for (position, (unit, period)) in units.iter().zip(periods).enumerate() {
        let Some(unit) = unit else { continue };
        let (number, earliest) = first[&(*unit, *period)];
        if earliest != position {
            found.push((position, number));
        }
    }
    found
}

/// `Scheme.rank`: the competition ranks of the scored rows of `frame`, which are refused as
/// repeats, and the frame with them, in its own library.
pub fn rank_frame<'py>(
    py: Python<'py>,
    scheme: &Scheme,
    frame: &Bound<'py, PyAny>,
    first_row: usize,
) -> PyResult<Bound<'py, PyAny>> {
    let frames = py.import("parscore._frames")?;
    let (stream, library): (Bound<'py, PyAny>, String) =
        frames.call_method1("rank_input", (frame,))?.extract()?;
    let input: AnyRecordBatch = stream.extract()?;
    let reader = input.into_reader()?;
    let schema = reader.schema();
    let batches = reader
        .collect::<Result<Vec<RecordBatch>, _>>()
        .map_err(pyo3_arrow::error::PyArrowError::from)?;
    // Each column as its pieces, one per batch.
    let column = |name: &str| -> Option<Vec<ArrayRef>> {
        let i = schema.index_of(name).ok()?;
        Some(batches.iter().map(|b| b.column(i).clone()).collect())
    };
    let need = |name: &str| {
        column(name).ok_or_else(|| {
            table_error(
                py,
                format!(
                    "the table has no `{name}` column: rank takes rows scored by evaluate_frame"
                ),
                None,
            )
        })
    };
    let units = text(py, "unit", &need("unit")?)?;
    let periods = match column("period") {
        Some(period) => Some(text(py, "period", &period)?),
        None => None,
    };
    let mut index = figures(py, &need("index")?)?;
    if let Some(status) = column("status") {
        for (position, status) in labels(&text(py, "status", &status)?).enumerate() {
            if status.as_deref() == Some("error") {
                index[position] = None;
            }
        }
    }
    let units: Vec<Option<Cow<'_, str>>> = labels(&units).collect();
    let periods: Vec<Option<Cow<'_, str>>> = match &periods {
        Some(periods) => labels(periods).collect(),
        None => vec![None; units.len()],
    };
    let numbers = match column("row") {
        Some(rows) => row_numbers(py, &rows)?,
        None => (first_row..first_row + units.len()).collect(),
    };
    let units: Vec<Option<&str>> = units.iter().map(Option::as_deref).collect();
    let periods: Vec<Option<&str>> = periods.iter().map(Option::as_deref).collect();
    let refused: Vec<(usize, InputError)> = py.detach(|| {
        repeats(&units, &periods, &numbers)
            .into_iter()
            .map(|(position, first)| {
                let reason = repeated(units[position].unwrap_or_default(), periods[position], first);
                let row = numbers[position];
                (position, InputError::Row { row, reason })
            })
            .collect()
    });
    for (position, _) in &refused {
        index[*position] = None;
    }
    let ranks = py.detach(|| competition(&periods, &index));
    let ranks: Int64Array = ranks.iter().map(|r| r.map(|r| r as i64)).collect();
    let ranks = RecordBatch::try_new(
        Arc::new(Schema::new(vec![Field::new("rank", DataType::Int64, true)])),
        vec![Arc::new(ranks)],
    )
    .expect("one column of one value per row");
    let positions = PyList::new(py, refused.iter().map(|(p, _)| *p))?;
    let messages = PyList::new(py, refused.iter().map(|(_, e)| e.to_string()))?;
    let figures = PyList::new(
        py,
        table::FIGURE_COLUMNS
            .iter()
            .copied()
            .chain(scheme.leaves().map(|leaf| leaf.code.as_str())),
    )?;
    frames.call_method1(
        "rank_output",
        (
            frame,
            library,
            table::native_table(py, ranks)?,
            positions,
            messages,
            figures,
        ),
    )
}

/// A column (its pieces) as text: any text layout, a dictionary of text, or numbers.
fn text(py: Python<'_>, name: &str, pieces: &[ArrayRef]) -> PyResult<Vec<ArrayRef>> {
    pieces
        .iter()
        .map(|piece| {
            if piece.data_type() == &DataType::Null {
                return Ok(Arc::new(StringArray::new_null(piece.len())) as ArrayRef);
            }
            arrow_cast::cast(piece, &DataType::Utf8).map_err(|_| {
                table_error(
                    py,
                    format!("column `{name}` holds {}, not text", piece.data_type()),
                    None,
                )
            })
        })
        .collect()
}

/// Labels as `evaluate_frame` writes them: trimmed, in Unicode's composed form (borrowed
/// when they already are).
fn labels(text: &[ArrayRef]) -> impl Iterator<Item = Option<Cow<'_, str>>> {
    text.iter()
        .flat_map(|piece| piece.as_string::<i32>().iter())
        .map(|label| label.map(|l| nfc(l.trim())))
}

/// The `index` column as exact decimals: Arrow decimals as they are, floats through their
/// shortest repr (the figure `decimals="float"` wrote), integers and text as numbers.
fn figures(py: Python<'_>, pieces: &[ArrayRef]) -> PyResult<Vec<Option<Decimal>>> {
    let refuse = |what: String| table_error(py, format!("column `index`: {what}"), None);
    let number = |value: Result<Option<Value>, String>, shown: &dyn std::fmt::Display| match value {
        Ok(Some(Value::Number(d))) => Ok(d),
        _ => Err(refuse(format!("{shown} is no number"))),
    };
    let mut out = Vec::new();
    for piece in pieces {
        let floats = |values: &mut dyn Iterator<Item = Option<f64>>| {
            values
                .map(|v| v.map(|v| number(Value::from_f64(v).map(Some), &v)).transpose())
                .collect::<PyResult<Vec<_>>>()
        };
        let read = match piece.data_type() {
            DataType::Null => vec![None; piece.len()],
            DataType::Decimal128(_, scale) => {
                let scale = u32::try_from(*scale).map_err(|_| refuse("a negative scale".into()))?;
                piece
                    .as_primitive::<Decimal128Type>()
                    .iter()
                    .map(|v| {
                        v.map(|v| {
                            Decimal::try_from_i128_with_scale(v, scale)
                                .map_err(|_| refuse(format!("{v}e-{scale} is beyond 28 digits")))
                        })
                        .transpose()
                    })
                    .collect::<PyResult<_>>()?
            }
            DataType::Float64 => floats(&mut piece.as_primitive::<Float64Type>().iter())?,
            DataType::Float32 => floats(
                &mut piece
                    .as_primitive::<Float32Type>()
                    .iter()
                    .map(|v| v.map(f64::from)),
            )?,
            DataType::Int8
            | DataType::Int16
            | DataType::Int32
            | DataType::Int64
            | DataType::UInt8
            | DataType::UInt16
            | DataType::UInt32
            | DataType::UInt64 => {
                let whole = arrow_cast::cast(piece, &DataType::Int64)
                    .map_err(|_| refuse("whole numbers beyond 64 bits".into()))?;
                whole
                    .as_primitive::<Int64Type>()
                    .iter()
                    .map(|v| v.map(Decimal::from))
                    .collect()
            }
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => {
                let cells = text(py, "index", std::slice::from_ref(piece))?;
                labels(&cells)
                    .map(|v| v.map(|t| number(Value::parse(&t), &t)).transpose())
                    .collect::<PyResult<_>>()?
            }
            other => return Err(refuse(format!("{other} is not a column of figures"))),
        };
        out.extend(read);
    }
    Ok(out)
}

/// The `row` column: each row's number in the whole table, from 1.
fn row_numbers(py: Python<'_>, pieces: &[ArrayRef]) -> PyResult<Vec<usize>> {
    let refuse = || {
        table_error(
            py,
            "column `row` must hold each row's number in the whole table, a whole number from 1"
                .to_string(),
            None,
        )
    };
    let mut out = Vec::new();
    for piece in pieces {
        let numbers = arrow_cast::cast(piece, &DataType::Int64).map_err(|_| refuse())?;
        for n in numbers.as_primitive::<Int64Type>().iter() {
            out.push(
                n.and_then(|n| usize::try_from(n).ok())
                    .filter(|n| *n >= 1)
                    .ok_or_else(refuse)?,
            );
        }
    }
    Ok(out)
}
