//! `evaluate_frame`: an Arrow table in (from pandas, polars, pyarrow or any Arrow stream), one
//! result row per input row out, scored without the GIL.

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Decimal128Type, Decimal256Type, Float32Type, Float64Type, Int64Type, UInt64Type,
};
use arrow_array::{Array, ArrayRef, PrimitiveArray, RecordBatch, StringArray};
use arrow_cast::cast;
use arrow_schema::DataType;
use parscore::{Decimal, InputError, Scheme, Value};
use pyo3::prelude::*;
use pyo3_arrow::input::AnyRecordBatch;

use crate::errors::{input_error, input_error_message};
use crate::results::score_batch;
use crate::table::{self, Decimals};
use crate::values::{Row, write_shortest};

pub fn evaluate_frame<'py>(
    py: Python<'py>,
    scheme: &Scheme,
    frame: &Bound<'py, PyAny>,
    strict: bool,
    ignore_unknown: bool,
    decimals: Decimals,
) -> PyResult<Bound<'py, PyAny>> {
    let frames = py.import("parscore._frames")?;
    let (stream, library): (Bound<'py, PyAny>, String) =
        frames.call_method1("arrow_input", (frame,))?.extract()?;
    let input: AnyRecordBatch = stream.extract()?;
    let reader = input.into_reader()?;
    let schema = reader.schema();
    if schema.field_with_name("unit").is_err() {
        let columns: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
        return Err(input_error_message(
            py,
            format!(
                "the table has no `unit` column (its columns: {})",
                columns.join(", ")
            ),
        ));
    }
    // Reading may run the producer's Python code (a generator of batches), so the stream is
    // drained before the GIL is released.
    let batches = reader
        .collect::<Result<Vec<RecordBatch>, _>>()
        .map_err(pyo3_arrow::error::PyArrowError::from)?;
    let output = py
        .detach(|| {
            let rows = read_batches(scheme, &batches, ignore_unknown)?;
            Ok(table::units_table(
                &score_batch(scheme, rows, strict),
                decimals,
            ))
        })
        .map_err(|e: InputError| input_error(py, &e))?;
    let table = table::native_table(py, output)?;
    frames.call_method1("arrow_output", (table, library, frame))
}

/// The schema `evaluate_frame` writes with these decimals (scored on no rows).
pub fn output_schema<'py>(
    py: Python<'py>,
    scheme: &Scheme,
    decimals: Decimals,
) -> PyResult<Bound<'py, PyAny>> {
    let empty = table::units_table(&score_batch(scheme, Vec::new(), false), decimals);
    table::to_library(py, empty, "pyarrow")?.getattr("schema")
}

/// Every input row read into a unit's inputs, or the error that fails it. A column that no
/// reading can make sense of fails the whole call.
fn read_batches(
    scheme: &Scheme,
    batches: &[RecordBatch],
    ignore_unknown: bool,
) -> Result<Vec<Row>, InputError> {
    let mut rows = Vec::with_capacity(batches.iter().map(RecordBatch::num_rows).sum());
    let mut text = String::new();
    for batch in batches {
        let columns = Columns::of(scheme, batch, ignore_unknown)?;
        for i in 0..batch.num_rows() {
            let row = rows.len() + 1;
            rows.push(columns.row(scheme, i, row, &mut text));
        }
    }
    Ok(rows)
}

/// A batch's columns, each typed once so that reading a cell is a plain index.
struct Columns {
    unit: Reader,
    period: Option<Reader>,
    cells: Vec<Cells>,
}

enum Cells {
    Indicator { id: String, reader: Reader },
    Unknown(String),
}

impl Columns {
    fn of(
        scheme: &Scheme,
        batch: &RecordBatch,
        ignore_unknown: bool,
    ) -> Result<Columns, InputError> {
        let schema = batch.schema();
        let mut unit = None;
        let mut period = None;
        let mut cells = Vec::new();
        for (field, array) in schema.fields().iter().zip(batch.columns()) {
            let name = field.name();
            let reader = || {
                Reader::of(array).ok_or_else(|| InputError::InvalidValue {
                    indicator: name.clone(),
                    reason: format!(
                        "the column holds {} values, which are not numbers, text or yes/no",
                        field.data_type()
                    ),
                })
            };
            match name.as_str() {
                "unit" => unit = Some(reader()?),
                "period" => period = Some(reader()?),
                _ if scheme.indicator(name).is_some() => cells.push(Cells::Indicator {
                    id: name.clone(),
                    reader: reader()?,
                }),
                _ if ignore_unknown => {}
                _ => cells.push(Cells::Unknown(name.clone())),
            }
        }
        Ok(Columns {
            // Checked before reading: every table here has a unit column.
            unit: unit.unwrap_or(Reader::Null),
            period,
            cells,
        })
    }

    /// Row `i` read as a file's row is: unit first, then each cell in column order, the first
    /// bad one failing the row.
    fn row(&self, scheme: &Scheme, i: usize, row: usize, text: &mut String) -> Row {
        let unit = self.unit.label(i, text).filter(|u| !u.trim().is_empty());
        let period = self
            .period
            .as_ref()
            .and_then(|p| p.label(i, text))
            .filter(|p| !p.is_empty());
        let Some(unit_text) = unit.clone() else {
            return Row {
                unit,
                period,
                inputs: Err(InputError::Row {
                    row,
                    reason: "no `unit`".into(),
                }),
            };
        };
        let mut inputs = scheme.inputs(unit_text, period.clone());
        let mut outcome = Ok(());
        for cells in &self.cells {
            outcome = match cells {
                Cells::Unknown(name) => Err(InputError::UnknownIndicator(name.clone())),
                Cells::Indicator { id, reader } => match reader.cell(i, text) {
                    Ok(Cell::Missing) => Ok(()),
                    Ok(Cell::Value(value)) => inputs.set(id, value).map(drop),
                    Ok(Cell::Text(t)) => inputs.set_text(id, t).map(drop),
                    Err(reason) => Err(InputError::InvalidValue {
                        indicator: id.clone(),
                        reason,
                    }),
                },
            };
            if outcome.is_err() {
                break;
            }
        }
        Row {
            unit,
            period,
            inputs: outcome.map(|()| inputs),
        }
    }
}

/// A column cast once to one of the few types cells are read from.
enum Reader {
    Text(StringArray),
    Bool(arrow_array::BooleanArray),
    Int(PrimitiveArray<Int64Type>),
    UInt(PrimitiveArray<UInt64Type>),
    Float64(PrimitiveArray<Float64Type>),
    Float32(PrimitiveArray<Float32Type>),
    Decimal128(PrimitiveArray<Decimal128Type>, i8),
    Decimal256(PrimitiveArray<Decimal256Type>, i8),
    Null,
}

enum Cell<'a> {
    Missing,
    Value(Value),
    Text(&'a str),
}

impl Reader {
    fn of(array: &ArrayRef) -> Option<Reader> {
        let to = |data_type: &DataType| cast(array, data_type).ok();
        Some(match array.data_type() {
            DataType::Null => Reader::Null,
            DataType::Utf8 => Reader::Text(array.as_string::<i32>().clone()),
            DataType::LargeUtf8 | DataType::Utf8View | DataType::Dictionary(..) => {
                Reader::Text(to(&DataType::Utf8)?.as_string::<i32>().clone())
            }
            DataType::Boolean => Reader::Bool(array.as_boolean().clone()),
            DataType::Int8
            | DataType::Int16
            | DataType::Int32
            | DataType::Int64
            | DataType::UInt8
            | DataType::UInt16
            | DataType::UInt32 => Reader::Int(to(&DataType::Int64)?.as_primitive().clone()),
            DataType::UInt64 => Reader::UInt(array.as_primitive().clone()),
            // float16 and float32 keep their own shortest form: 0.1f32 is read as 0.1.
            DataType::Float16 | DataType::Float32 => {
                Reader::Float32(to(&DataType::Float32)?.as_primitive().clone())
            }
            DataType::Float64 => Reader::Float64(array.as_primitive().clone()),
            DataType::Decimal32(p, s) | DataType::Decimal64(p, s) => {
                let cast = to(&DataType::Decimal128(*p, *s))?;
                Reader::Decimal128(cast.as_primitive().clone(), *s)
            }
            DataType::Decimal128(_, s) => Reader::Decimal128(array.as_primitive().clone(), *s),
            DataType::Decimal256(_, s) => Reader::Decimal256(array.as_primitive().clone(), *s),
            _ => return None,
        })
    }

    fn cell<'a>(&'a self, i: usize, text: &mut String) -> Result<Cell<'a>, String> {
        if self.is_null(i) {
            return Ok(Cell::Missing);
        }
        let number = |d: Decimal| Ok(Cell::Value(Value::Number(d)));
        match self {
            Reader::Null => Ok(Cell::Missing),
            Reader::Text(a) => Ok(Cell::Text(a.value(i))),
            Reader::Bool(a) => Ok(Cell::Value(Value::Bool(a.value(i)))),
            Reader::Int(a) => number(Decimal::from(a.value(i))),
            Reader::UInt(a) => number(Decimal::from(a.value(i))),
            Reader::Float64(a) => float(a.value(i), text),
            Reader::Float32(a) => float(a.value(i), text),
            Reader::Decimal128(a, scale) => decimal(a.value(i), *scale).and_then(number),
            Reader::Decimal256(a, scale) => a
                .value(i)
                .to_i128()
                .ok_or_else(|| format!("{} does not fit a decimal", a.value_as_string(i)))
                .and_then(|m| decimal(m, *scale))
                .and_then(number),
        }
    }

    fn is_null(&self, i: usize) -> bool {
        match self {
            Reader::Null => true,
            Reader::Text(a) => a.is_null(i),
            Reader::Bool(a) => a.is_null(i),
            Reader::Int(a) => a.is_null(i),
            Reader::UInt(a) => a.is_null(i),
            Reader::Float64(a) => a.is_null(i),
            Reader::Float32(a) => a.is_null(i),
            Reader::Decimal128(a, _) => a.is_null(i),
            Reader::Decimal256(a, _) => a.is_null(i),
        }
    }

    /// A cell as a unit or period label: `2024`, not `2024.0` or a decimal's trailing zeros.
    /// A NaN is no label.
    fn label(&self, i: usize, text: &mut String) -> Option<String> {
        match self.cell(i, text) {
            Ok(Cell::Text(t)) => Some(t.to_string()),
            Ok(Cell::Value(v)) => Some(v.to_string()),
            Ok(Cell::Missing) | Err(_) => None,
        }
    }
}

/// A float read through its shortest repr (what was typed), as Python's `repr` gives it.
fn float<'a, F>(f: F, text: &mut String) -> Result<Cell<'a>, String>
where
    F: Into<f64> + std::fmt::Display + std::fmt::LowerExp + Copy,
{
    write_shortest(f, text);
    let wide: f64 = f.into();
    if wide.is_nan() {
        return Err("NaN is not a number: leave the cell empty (null) for a missing value".into());
    }
    if wide.is_infinite() {
        return Err(format!("{text} is not a number"));
    }
    match Value::parse(text) {
        Ok(Some(value)) => Ok(Cell::Value(value)),
        Ok(None) => Ok(Cell::Missing),
        Err(reason) => Err(reason),
    }
}

/// An Arrow decimal (integer and scale) as a `Decimal`, exactly or not at all.
fn decimal(mut mantissa: i128, scale: i8) -> Result<Decimal, String> {
    let mut scale = i32::from(scale);
    while scale < 0 {
        mantissa = mantissa
            .checked_mul(10)
            .ok_or("the decimal does not fit 28 digits")?;
        scale += 1;
    }
    // Trailing zeros beyond the 28 places a Decimal holds carry no value.
    while scale > 28 || Decimal::try_from_i128_with_scale(mantissa, scale as u32).is_err() {
        if scale == 0 || mantissa % 10 != 0 {
            return Err("the decimal does not fit 28 digits exactly".into());
        }
        mantissa /= 10;
        scale -= 1;
    }
    Decimal::try_from_i128_with_scale(mantissa, scale as u32)
        .map_err(|_| "the decimal does not fit 28 digits exactly".into())
}
