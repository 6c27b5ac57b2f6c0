//! Competition ranks, and the rows a table refuses as repeats: what `evaluate_frame` does
//! within one call, done again by `Scheme.rank` over results scored in parts (the batches of
//! a Spark, Ray or Dask run) and combined, so that the parts rank as one table.
//!
//! Both rank with the core's `Scheme::rank_rows`, on the labels as the results show them
//! (trimmed and in Unicode's composed form, so that a period typed in either form is one
//! period) and by the scheme's `[ranking]`: a scheme that breaks ties by more than the
//! reported index has `evaluate_frame(rank=False)` write each row's `rank_key` (exact points,
//! maximum, tie-break points), which `Scheme.rank` reads and takes away.

use std::borrow::Cow;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{Decimal128Type, Float32Type, Float64Type, Int64Type};
use arrow_array::{Array, ArrayRef, Int64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use parscore::text::nfc;
use parscore::{Decimal, InputError, RankRows, Scheme, Ties, Value};
use parscore_columnar::Figures;
use pyo3::prelude::*;
use pyo3::types::PyList;
use pyo3_arrow::input::AnyRecordBatch;

use crate::errors::{input_error, table_error};
use crate::table;
use crate::values::repeated;

/// Whether the scheme ranks by more than the reported index (`[ranking]` with exact ties or
/// a tie-break), so that ranking rows again needs their `rank_key`.
pub fn keyed(scheme: &Scheme) -> bool {
    scheme.ties() == Ties::Exact || scheme.tie_break().next().is_some()
}

/// The ranks of scored rows as one call ranks them: by the scheme's `[ranking]`, within
/// each period as labelled in `periods`.
pub fn ranks(
    scheme: &Scheme,
    periods: &[Option<&str>],
    figures: &Figures,
) -> Result<Vec<Option<usize>>, InputError> {
    scheme.rank_rows(&RankRows {
        periods,
        index: &figures.index,
        points: &figures.points,
        max_points: &figures.max_points,
        tie_keys: &figures.tie_keys,
    })
}

/// Each scored row's `rank_key`: its exact points, its applicable maximum and its points in
/// each tie-break node, exact decimals joined by `;` (text, so that every engine carries it
/// as it is); null for a row that is not ranked.
pub fn key_column(figures: &Figures) -> StringArray {
    let width = figures
        .tie_keys
        .len()
        .checked_div(figures.len())
        .unwrap_or(0);
    (0..figures.len())
        .map(|row| {
            figures.index[row].map(|_| {
                let keys = figures.tie_keys.iter().skip(row * width).take(width);
                [figures.points[row], figures.max_points[row]]
                    .iter()
                    .chain(keys)
                    .map(Decimal::to_string)
                    .collect::<Vec<_>>()
                    .join(";")
            })
        })
        .collect()
}

/// `table` with `key` appended as `rank_key`.
pub fn with_key(table: RecordBatch, key: StringArray) -> RecordBatch {
    let mut fields: Vec<Field> = table
        .schema()
        .fields()
        .iter()
        .map(|f| f.as_ref().clone())
        .collect();
    fields.push(Field::new(KEY, DataType::Utf8, true));
    let mut columns = table.columns().to_vec();
    columns.push(Arc::new(key));
    RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)
        .expect("one key a row, appended under a name the table does not have")
}

/// The column of what ranking reads besides the index, under a scheme that breaks ties.
pub const KEY: &str = "rank_key";

/// The rows (0-based positions) that repeat the unit and period of a row numbered lower,
/// each with the number of that first row, in position order: `numbers` are the rows' numbers
/// in the whole table. Every row with a unit claims it, whatever its status, as
/// `evaluate_many` and the command do.
pub fn repeats(
    units: &[Option<&str>],
    periods: &[Option<&str>],
    numbers: &[usize],
) -> Vec<(usize, usize)> {
    // Rows are bucketed by period first (periods become small ids; rows of a period usually
    // come together, so most rows reuse the last id), and each period's units are then found
    // in a table of their own, cleared for the next: a period's few hundred units stay in
    // cache, where one table of every (unit, period) of a million rows missed it at every
    // row and cost several times the scoring.
    const NO_UNIT: usize = usize::MAX;
    let mut ids: HashMap<Option<&str>, usize, Hasher> = HashMap::default();
    let mut last: Option<(Option<&str>, usize)> = None;
    let period_of: Vec<usize> = units
        .iter()
        .zip(periods)
        .map(|(unit, &period)| {
            if unit.is_none() {
                return NO_UNIT;
            }
            match last {
                Some((p, id)) if p == period => id,
                _ => {
                    let next = ids.len();
                    let id = *ids.entry(period).or_insert(next);
                    last = Some((period, id));
                    id
                }
            }
        })
        .collect();
    let mut starts = vec![0usize; ids.len() + 1];
    for &id in period_of.iter().filter(|&&id| id != NO_UNIT) {
        starts[id + 1] += 1;
    }
    for p in 1..starts.len() {
        starts[p] += starts[p - 1];
    }
    let mut next = starts.clone();
    let mut order = vec![0usize; starts[ids.len()]];
    for (position, &id) in period_of.iter().enumerate() {
        if id != NO_UNIT {
            order[next[id]] = position;
            next[id] += 1;
        }
    }
    let mut first: HashMap<&str, (usize, usize), Hasher> = HashMap::default();
    let mut found = Vec::new();
    for period in starts.windows(2) {
        let rows = &order[period[0]..period[1]];
        first.clear();
        for &position in rows {
            let Some(unit) = units[position] else {
                continue;
            };
            let claim = (numbers[position], position);
            match first.entry(unit) {
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
        for &position in rows {
            let Some(unit) = units[position] else {
                continue;
            };
            let (number, earliest) = first[unit];
            if earliest != position {
                found.push((position, number));
            }
        }
    }
    found.sort_unstable();
    found
}

/// The hasher of the tables of labels: labels are the caller's own, no adversary's keys, and
/// a million of them hashed with SipHash cost more than the scoring.
type Hasher = foldhash::fast::RandomState;

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
                let reason = repeated(
                    units[position].unwrap_or_default(),
                    periods[position],
                    first,
                );
                let row = numbers[position];
                (position, InputError::Row { row, reason })
            })
            .collect()
    });
    for (position, _) in &refused {
        index[*position] = None;
    }
    let keys = if keyed(scheme) {
        let pieces = column(KEY).ok_or_else(|| {
            table_error(
                py,
                format!(
                    "the scheme's [ranking] breaks ties by more than the reported index, and \
                     the table has no `{KEY}` column: rank takes rows evaluate_frame scored \
                     with rank=False, which hold it"
                ),
                None,
            )
        })?;
        Some(rank_keys(py, scheme, &text(py, KEY, &pieces)?, &index)?)
    } else {
        None
    };
    let ranks = py
        .detach(|| {
            let (points, max_points, tie_keys) =
                keys.as_ref().map_or((&[][..], &[][..], &[][..]), |k| {
                    (&k.points[..], &k.max_points[..], &k.tie_keys[..])
                });
            scheme.rank_rows(&RankRows {
                periods: &periods,
                index: &index,
                points,
                max_points,
                tie_keys,
            })
        })
        .map_err(|e| input_error(py, &e))?;
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
                .map(|v| {
                    v.map(|v| number(Value::from_f64(v).map(Some), &v))
                        .transpose()
                })
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

/// What the `rank_key` column holds, read for every row.
struct Keys {
    points: Vec<Decimal>,
    max_points: Vec<Decimal>,
    tie_keys: Vec<Decimal>,
}

/// The `rank_key` column read: each ranked row's (its `index` not null) must hold its points,
/// maximum and tie-break points; other rows are not ranked and may hold anything.
fn rank_keys(
    py: Python<'_>,
    scheme: &Scheme,
    pieces: &[ArrayRef],
    index: &[Option<Decimal>],
) -> PyResult<Keys> {
    let width = scheme.tie_break().count();
    let mut keys = Keys {
        points: Vec::with_capacity(index.len()),
        max_points: Vec::with_capacity(index.len()),
        tie_keys: Vec::with_capacity(index.len() * width),
    };
    for (position, key) in labels(pieces).enumerate() {
        let parsed: Option<Vec<Decimal>> = key.as_deref().and_then(|key| {
            key.split(';')
                .map(|d| Decimal::from_str_exact(d).ok())
                .collect::<Option<Vec<_>>>()
        });
        let figures = match parsed {
            Some(figures) if figures.len() == 2 + width => figures,
            _ if index.get(position).copied().flatten().is_none() => vec![Decimal::ZERO; 2 + width],
            _ => {
                return Err(table_error(
                    py,
                    format!(
                        "column `{KEY}`, table row {}: {:?} is not the key evaluate_frame \
                         wrote for this scheme",
                        position + 1,
                        key.as_deref().unwrap_or("")
                    ),
                    None,
                ));
            }
        };
        keys.points.push(figures[0]);
        keys.max_points.push(figures[1]);
        keys.tie_keys.extend_from_slice(&figures[2..]);
    }
    Ok(keys)
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
