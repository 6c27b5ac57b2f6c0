//! Python values and mappings read into a unit's inputs, with the same rules as a file's cells.

use parscore::{Decimal, InputError, Inputs, Scheme, Value};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyString, PyType};

static DECIMAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// A Python value as the core takes it: a typed value, or cell text to parse.
pub enum Cell {
    Missing,
    Value(Value),
    Text(String),
}

/// Reads one value. `Err` holds the reason, which the caller attaches to the indicator.
pub fn cell<'py>(value: &Bound<'py, PyAny>) -> PyResult<Result<Cell, String>> {
    if value.is_none() {
        return Ok(Ok(Cell::Missing));
    }
    // bool before int: True is an int in Python, but a yes/no here.
    if let Ok(b) = value.cast::<PyBool>() {
        return Ok(Ok(Cell::Value(Value::Bool(b.is_true()))));
    }
    if let Ok(int) = value.cast::<PyInt>() {
        return Ok(Ok(match int.extract::<i64>() {
            Ok(i) => Cell::Value(Value::Number(Decimal::from(i))),
            // Too wide for i64: the text path reports whether a decimal can hold it.
            Err(_) => Cell::Text(int.str()?.to_cow()?.into_owned()),
        }));
    }
    if let Ok(float) = value.cast::<PyFloat>() {
        // Not repr(): numpy's float64 is a float whose repr is `np.float64(0.1)`.
        let f = float.value();
        return float_cell(f, || {
            let mut text = String::new();
            write_shortest(f, &mut text);
            Ok(text)
        });
    }
    if let Ok(text) = value.cast::<PyString>() {
        return Ok(Ok(Cell::Text(text.to_cow()?.into_owned())));
    }
    let py = value.py();
    if value.is_instance(DECIMAL.import(py, "decimal", "Decimal")?)? {
        if !value.call_method0("is_finite")?.is_truthy()? {
            return Ok(Err(format!(
                "Decimal('{}') is not a number",
                value.str()?.to_cow()?
            )));
        }
        return Ok(Ok(Cell::Text(value.str()?.to_cow()?.into_owned())));
    }
    if let Some(cell) = numpy_scalar(value)? {
        return Ok(cell);
    }
    if type_name(value)? == "NAType" {
        // pandas.NA, as found in rows taken from a frame with nullable columns.
        return Ok(Ok(Cell::Missing));
    }
    Ok(Err(format!(
        "a {} is not a value: give a Decimal, int, str (\"98.5\", \"987/1000\", \"n/a\"), bool \
         or None",
        type_name(value)?
    )))
}

/// Writes a float as Python's `repr` does: the shortest digits that read back to it (`0.1`,
/// not `0.1000000000000000055…`), positional from 1e-4 to 1e16 and with an exponent outside,
/// so that a float reads exactly as its repr text would in a file.
pub fn write_shortest<F: std::fmt::Display + std::fmt::LowerExp>(f: F, out: &mut String) {
    use std::fmt::Write;
    out.clear();
    write!(out, "{f:e}").ok();
    let exponent: i32 = out
        .rsplit_once('e')
        .and_then(|(_, e)| e.parse().ok())
        .unwrap_or(0);
    if (-4..16).contains(&exponent) {
        out.clear();
        write!(out, "{f}").ok();
    }
}

/// A float is read through its shortest repr, which is what was typed.
fn float_cell(f: f64, repr: impl FnOnce() -> PyResult<String>) -> PyResult<Result<Cell, String>> {
    if f.is_nan() {
        return Ok(Err(
            "NaN is not a number: give None for a missing value".into()
        ));
    }
    if f.is_infinite() {
        return Ok(Err(format!("{f} is not a number")));
    }
    Ok(Ok(Cell::Text(repr()?)))
}

/// numpy's scalars are not Python ints and floats (except float64), but rows taken from a
/// frame hold them.
fn numpy_scalar(value: &Bound<'_, PyAny>) -> PyResult<Option<Result<Cell, String>>> {
    let Ok(dtype) = value.getattr("dtype") else {
        return Ok(None);
    };
    let Ok(kind) = dtype.getattr("kind").and_then(|k| k.extract::<String>()) else {
        return Ok(None);
    };
    Ok(match kind.as_str() {
        "b" => Some(Ok(Cell::Value(Value::Bool(value.is_truthy()?)))),
        "i" | "u" => Some(Ok(Cell::Text(
            value
                .call_method0("__index__")?
                .str()?
                .to_cow()?
                .into_owned(),
        ))),
        // str() of a numpy float is the shortest repr at its own precision (float32 too).
        "f" => Some(float_cell(value.extract::<f64>()?, || {
            Ok(value.str()?.to_cow()?.into_owned())
        })?),
        _ => None,
    })
}

fn type_name(value: &Bound<'_, PyAny>) -> PyResult<String> {
    Ok(value.get_type().name()?.to_cow()?.into_owned())
}

/// A cell as the text a file would hold, for `unit` and `period`.
fn label(value: &Bound<'_, PyAny>) -> PyResult<Option<String>> {
    Ok(match cell(value)? {
        Ok(Cell::Missing) => None,
        Ok(Cell::Text(text)) => Some(text),
        Ok(Cell::Value(v)) => Some(v.to_string()),
        Err(_) => Some(value.str()?.to_cow()?.into_owned()),
    })
}

/// Sets one indicator's cell, as a file's row would.
pub fn set_cell(inputs: &mut Inputs, id: &str, cell: Cell) -> Result<(), InputError> {
    match cell {
        Cell::Missing => inputs.clear(id).map(drop),
        Cell::Value(value) => inputs.set(id, value).map(drop),
        Cell::Text(text) => inputs.set_text(id, &text).map(drop),
    }
}

/// One row read from a mapping, before scoring.
pub struct Row {
    pub unit: Option<String>,
    pub period: Option<String>,
    pub inputs: Result<Inputs, InputError>,
}

/// Reads a mapping of column → value into a unit's inputs. Cells are read in the mapping's
/// order and the first bad one fails the row, as for a row of a file; a batch row (`row`
/// given) must name its unit.
pub fn read_row(
    scheme: &Scheme,
    mapping: &Bound<'_, PyAny>,
    row: Option<usize>,
    ignore_unknown: bool,
) -> PyResult<Row> {
    let items = match items(mapping)? {
        Ok(items) => items,
        Err(reason) => {
            return Ok(Row {
                unit: None,
                period: None,
                inputs: Err(InputError::Row {
                    row: row.unwrap_or(1),
                    reason,
                }),
            });
        }
    };
    let mut unit = None;
    let mut period = None;
    for (key, value) in &items {
        match key.as_str() {
            "unit" => unit = label(value)?.filter(|u| !u.trim().is_empty()),
            "period" => period = label(value)?.filter(|p| !p.is_empty()),
            _ => {}
        }
    }
    let unit_text = match (&unit, row) {
        (Some(unit), _) => unit.clone(),
        (None, None) => String::new(),
        (None, Some(row)) => {
            return Ok(Row {
                unit,
                period,
                inputs: Err(InputError::Row {
                    row,
                    reason: "no `unit`".into(),
                }),
            });
        }
    };
    let mut inputs = scheme.inputs(unit_text, period.clone());
    let outcome = (|| -> PyResult<Result<(), InputError>> {
        for (key, value) in &items {
            if key == "unit" || key == "period" {
                continue;
            }
            if scheme.indicator(key).is_none() {
                if ignore_unknown {
                    continue;
                }
                return Ok(Err(scheme.unknown_indicator(key)));
            }
            let result = match cell(value)? {
                Ok(cell) => set_cell(&mut inputs, key, cell),
                Err(reason) => Err(InputError::InvalidValue {
                    indicator: key.clone(),
                    reason,
                }),
            };
            if result.is_err() {
                return Ok(result);
            }
        }
        Ok(Ok(()))
    })()?;
    Ok(Row {
        unit,
        period,
        inputs: outcome.map(|()| inputs),
    })
}

/// The mapping's items in order, or why they cannot be read as a row's cells.
type Items<'py> = Result<Vec<(String, Bound<'py, PyAny>)>, String>;

fn items<'py>(mapping: &Bound<'py, PyAny>) -> PyResult<Items<'py>> {
    let pairs: Vec<(Bound<'py, PyAny>, Bound<'py, PyAny>)> = match mapping.cast::<PyDict>() {
        Ok(dict) => dict.iter().collect(),
        Err(_) => mapping
            .call_method0("items")?
            .try_iter()?
            .map(|item| item?.extract())
            .collect::<PyResult<_>>()?,
    };
    let mut items = Vec::with_capacity(pairs.len());
    for (key, value) in pairs {
        match key.cast::<PyString>() {
            Ok(text) => items.push((text.to_cow()?.into_owned(), value)),
            Err(_) => {
                return Ok(Err(format!(
                    "column names must be str, not {}",
                    type_name(&key)?
                )));
            }
        }
    }
    Ok(Ok(items))
}

/// Whether an object can be read as a row.
pub fn is_mapping(value: &Bound<'_, PyAny>) -> bool {
    value.cast::<PyDict>().is_ok() || value.hasattr("items").unwrap_or(false)
}
