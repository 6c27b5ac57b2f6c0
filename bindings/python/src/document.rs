//! The core's results document as Python objects, or as JSON text. Every measured value,
//! point and index is a `decimal.Decimal` holding the document's exact digits; the counts of
//! things (`row`, `rank`, `units`, `ok`, `errors` and the units per grade) are `int`.

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyType};
use serde::Serialize;
use serde_json::Value as Json;

static DECIMAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();

const COUNT_KEYS: [&str; 5] = ["row", "rank", "units", "ok", "errors"];

pub fn to_python<'py>(py: Python<'py>, json: &Json) -> PyResult<Bound<'py, PyAny>> {
    convert(py, json, false)
}

/// A document as JSON text with exact numbers: indented by `indent` spaces, or on one line.
pub fn to_text(document: &impl Serialize, indent: Option<usize>) -> PyResult<String> {
    let mut text = Vec::new();
    match indent {
        None => serde_json::to_writer(&mut text, document),
        Some(width) => {
            let spaces = vec![b' '; width];
            let formatter = serde_json::ser::PrettyFormatter::with_indent(&spaces);
            document.serialize(&mut serde_json::Serializer::with_formatter(
                &mut text, formatter,
            ))
        }
    }
    .map_err(|e| PyRuntimeError::new_err(format!("cannot write JSON: {e}")))?;
    // serde_json writes UTF-8 only.
    String::from_utf8(text).map_err(|e| PyRuntimeError::new_err(e.to_string()))
}

fn convert<'py>(py: Python<'py>, json: &Json, count: bool) -> PyResult<Bound<'py, PyAny>> {
    Ok(match json {
        Json::Null => py.None().into_bound(py),
        Json::Bool(b) => b.into_pyobject(py)?.to_owned().into_any(),
        Json::Number(n) if count => match n.as_u64() {
            Some(u) => u.into_pyobject(py)?.into_any(),
            None => decimal(py, n)?,
        },
        Json::Number(n) => decimal(py, n)?,
        Json::String(s) => s.into_pyobject(py)?.into_any(),
        Json::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(convert(py, item, false)?)?;
            }
            list.into_any()
        }
        Json::Object(map) => {
            let dict = PyDict::new(py);
            for (key, value) in map {
                let value = if key == "grades" && value.is_object() {
                    grade_counts(py, value)?
                } else {
                    convert(py, value, COUNT_KEYS.contains(&key.as_str()))?
                };
                dict.set_item(key, value)?;
            }
            dict.into_any()
        }
    })
}

fn grade_counts<'py>(py: Python<'py>, json: &Json) -> PyResult<Bound<'py, PyAny>> {
    let dict = PyDict::new(py);
    if let Json::Object(map) = json {
        for (name, n) in map {
            dict.set_item(name, convert(py, n, true)?)?;
        }
    }
    Ok(dict.into_any())
}

/// The number's own digits (serde_json keeps them with `arbitrary_precision`).
fn decimal<'py>(py: Python<'py>, n: &serde_json::Number) -> PyResult<Bound<'py, PyAny>> {
    DECIMAL
        .import(py, "decimal", "Decimal")?
        .call1((n.as_str(),))
}
