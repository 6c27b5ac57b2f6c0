//! Python values and mappings read into a unit's inputs, with the same rules as a file's cells.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use parscore::text::nfc;
use parscore::{Decimal, InputError, Inputs, Scheme, Value};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyString, PyType};

use crate::decimal_mark::DecimalMark;

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
        return Ok(text_of(text).map(Cell::Text));
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
    if is_pandas_missing(value)? {
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
    // An array or a pandas Series has a dtype too, but many values: not a cell.
    if value
        .getattr("ndim")
        .and_then(|n| n.extract::<usize>())
        .is_ok_and(|n| n > 0)
    {
        return Ok(None);
    }
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

/// A Python string as Rust text, or why it cannot be: a lone surrogate (`"\ud800"`, as a
/// bad decoding with `errors="surrogateescape"` leaves) is no character of any text file.
fn text_of(text: &Bound<'_, PyString>) -> Result<String, String> {
    text.to_cow().map(|t| t.into_owned()).map_err(|_| {
        let shown = text
            .repr()
            .and_then(|r| r.to_cow().map(|r| r.into_owned()))
            .unwrap_or_default();
        format!(
            "the text {shown} is not valid Unicode: it holds a lone surrogate, which no file \
             can hold (decode the source with errors=\"replace\" or fix its encoding)"
        )
    })
}

/// pandas' missing values: `pandas.NA` (nullable columns) and `pandas.NaT` (dates).
fn is_pandas_missing(value: &Bound<'_, PyAny>) -> PyResult<bool> {
    let name = type_name(value)?;
    Ok((name == "NAType" || name == "NaTType")
        && value.get_type().module()?.to_cow()?.starts_with("pandas"))
}

/// Why a `unit` or `period` cell cannot be a label: a value of the wrong type (a
/// `TypeError` when raised), or a value of the right type that is no label.
enum LabelProblem {
    Type(String),
    Value(String),
}

/// A `unit` or `period` cell as the label a file would hold: text trimmed and NFC-normalised
/// (the same name typed in composed and decomposed form is one unit), a number as its
/// shortest decimal (`2024`, also for `2024.0`), missing for `None`, NaN, `pandas.NA`.
/// A bool, bytes, a list or any other type is not a label.
fn label(value: &Bound<'_, PyAny>, what: &str) -> PyResult<Result<Option<String>, LabelProblem>> {
    if value.is_none() || is_pandas_missing(value)? {
        return Ok(Ok(None));
    }
    if let Ok(text) = value.cast::<PyString>() {
        return Ok(match text_of(text) {
            Ok(text) => {
                let text = nfc(text.trim()).into_owned();
                Ok((!text.is_empty()).then_some(text))
            }
            Err(reason) => Err(LabelProblem::Value(reason)),
        });
    }
    let kind = numpy_kind(value)?;
    let float = value.cast::<PyFloat>().is_ok() || kind.as_deref() == Some("f");
    let numeric = float
        || (value.cast::<PyInt>().is_ok() && value.cast::<PyBool>().is_err())
        || matches!(kind.as_deref(), Some("i" | "u"))
        || value.is_instance(DECIMAL.import(value.py(), "decimal", "Decimal")?)?;
    if !numeric {
        return Ok(Err(LabelProblem::Type(format!(
            "`{what}` must be text or a number, not a {}",
            type_name(value)?
        ))));
    }
    if float && value.extract::<f64>().is_ok_and(f64::is_nan) {
        // pandas' missing value, in rows taken from a frame.
        return Ok(Ok(None));
    }
    let whole = !float && matches!(kind.as_deref(), None | Some("i" | "u"));
    let number = match cell(value)? {
        Ok(Cell::Value(Value::Number(d))) => Some(d.normalize().to_string()),
        Ok(Cell::Text(text)) => match Value::parse(&text) {
            Ok(Some(Value::Number(d))) => Some(d.normalize().to_string()),
            // An int too wide for a decimal is still a name made of digits.
            _ if whole && value.is_instance_of::<PyInt>() => Some(text),
            _ => None,
        },
        _ => None,
    };
    Ok(match number {
        Some(text) => Ok(Some(text)),
        None => Err(LabelProblem::Value(format!(
            "{} is not a {what}",
            value.str()?.to_cow()?
        ))),
    })
}

/// The kind of a numpy scalar's dtype (`b`, `i`, `u`, `f`, …), if the value is one (an
/// array or a pandas Series has a dtype too, but is no scalar).
fn numpy_kind(value: &Bound<'_, PyAny>) -> PyResult<Option<String>> {
    let array = value
        .getattr("ndim")
        .and_then(|n| n.extract::<usize>())
        .is_ok_and(|n| n > 0);
    Ok(value
        .getattr("dtype")
        .and_then(|d| d.getattr("kind"))
        .and_then(|k| k.extract::<String>())
        .ok()
        .filter(|_| !array))
}

/// Sets one indicator's cell, as a file's row would; text is read with the decimal mark.
pub fn set_cell(
    inputs: &mut Inputs,
    id: &str,
    cell: Cell,
    decimal: DecimalMark,
) -> Result<(), InputError> {
    match cell {
        Cell::Missing => inputs.clear(id).map(drop),
        Cell::Value(value) => inputs.set(id, value).map(drop),
        Cell::Text(text) => {
            let text = decimal
                .read(&text)
                .map_err(|reason| InputError::InvalidValue {
                    indicator: id.to_string(),
                    reason,
                })?;
            inputs.set_text(id, &text).map(drop)
        }
    }
}

/// One row read from a mapping, before scoring.
pub struct Row {
    pub unit: Option<String>,
    pub period: Option<String>,
    pub inputs: Result<Inputs, InputError>,
}

/// How the cells of a row are read.
#[derive(Debug, Clone, Copy, Default)]
pub struct Reading {
    /// Keys that are not indicators are skipped instead of failing the row.
    pub ignore_unknown: bool,
    /// The decimal mark of numbers written as text.
    pub decimal: DecimalMark,
}

/// Reads a mapping of column → value into a unit's inputs. Cells are read in the mapping's
/// order and the first bad one fails the row, as for a row of a file; a batch row (`row`
/// given) must name its unit. A `unit` or `period` of the wrong type is a `TypeError` for
/// one mapping (`row` not given) and an error of its row in a batch.
pub fn read_row(
    scheme: &Scheme,
    mapping: &Bound<'_, PyAny>,
    row: Option<usize>,
    reading: Reading,
) -> PyResult<Row> {
    let failed = |unit, period, reason| Row {
        unit,
        period,
        inputs: Err(InputError::Row {
            row: row.unwrap_or(1),
            reason,
        }),
    };
    let items = match items(mapping)? {
        Ok(items) => items,
        Err(reason) => return Ok(failed(None, None, reason)),
    };
    let mut labels = [None, None];
    let mut problem = None;
    for (key, value) in &items {
        let (slot, what) = match key.as_str() {
            "unit" => (0, "unit"),
            "period" => (1, "period"),
            _ => continue,
        };
        match label(value, what)? {
            Ok(text) => labels[slot] = text,
            Err(LabelProblem::Type(message)) if row.is_none() => {
                return Err(PyTypeError::new_err(message));
            }
            Err(LabelProblem::Type(reason) | LabelProblem::Value(reason)) => {
                problem.get_or_insert(reason);
            }
        }
    }
    let [unit, period] = labels;
    if let Some(reason) = problem {
        return Ok(failed(unit, period, reason));
    }
    let unit_text = match (&unit, row) {
        (Some(unit), _) => unit.clone(),
        (None, None) => String::new(),
        (None, Some(_)) => return Ok(failed(unit, period, "no `unit`".into())),
    };
    let mut inputs = scheme.inputs(unit_text, period.clone());
    let outcome = (|| -> PyResult<Result<(), InputError>> {
        for (key, value) in &items {
            if key == "unit" || key == "period" {
                continue;
            }
            if scheme.indicator(key).is_none() {
                if reading.ignore_unknown {
                    continue;
                }
                return Ok(Err(scheme.unknown_indicator(key)));
            }
            let result = match cell(value)? {
                Ok(cell) => set_cell(&mut inputs, key, cell, reading.decimal),
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
    let mut items: Vec<(String, Bound<'py, PyAny>)> = Vec::with_capacity(pairs.len());
    for (key, value) in pairs {
        let Ok(text) = key.cast::<PyString>() else {
            return Ok(Err(format!(
                "column names must be str, not {}",
                type_name(&key)?
            )));
        };
        let name = match text_of(text) {
            Ok(name) => nfc(&name).into_owned(),
            Err(reason) => return Ok(Err(format!("a column name: {reason}"))),
        };
        // A dict cannot repeat a key, but another mapping's items() can, and two spellings
        // of one name (composed and decomposed) are the same column.
        if items.iter().any(|(seen, _)| *seen == name) {
            return Ok(Err(format!("column `{name}` is given twice")));
        }
        items.push((name, value));
    }
    Ok(Ok(items))
}

/// Refuses every row that repeats the unit and period of an earlier one, as the command does
/// for a file: the first keeps its place and is scored, a later one becomes an error of its
/// row. Every row with a unit claims it, even one that failed: a second row for the same
/// unit is a mistake whichever of the two is broken.
pub fn refuse_repeats(rows: &mut [Row]) {
    let mut first: HashMap<(String, Option<String>), usize> = HashMap::new();
    for (i, row) in rows.iter_mut().enumerate() {
        let Some(unit) = row.unit.clone() else {
            continue;
        };
        match first.entry((unit, row.period.clone())) {
            Entry::Vacant(entry) => {
                entry.insert(i + 1);
            }
            Entry::Occupied(entry) => {
                row.inputs = Err(InputError::Row {
                    row: i + 1,
                    reason: repeated(&entry.key().0, entry.key().1.as_deref(), *entry.get()),
                });
            }
        }
    }
}

/// Why a row that repeats an earlier row's unit and period is refused.
pub fn repeated(unit: &str, period: Option<&str>, first: usize) -> String {
    match period {
        Some(period) => {
            format!("unit `{unit}`, period `{period}`, is already given in row {first}")
        }
        None => format!("unit `{unit}` is already given in row {first}"),
    }
}

/// Whether an object can be read as a row.
pub fn is_mapping(value: &Bound<'_, PyAny>) -> bool {
    value.cast::<PyDict>().is_ok() || value.hasattr("items").unwrap_or(false)
}
