//! `RecordSummary`: the counts per unit and period, as Python values, frames and the
//! summary document, pickled as its own JSON text.

use std::sync::Arc;

use arrow_array::{ArrayRef, Int64Array, RecordBatch, StringArray};
use arrow_schema::{Field, Schema};
use parscore::Value;
use parscore_records::{Date, GroupSummary, RecordSummary, SUMMARY_INDICATORS, is_rate_indicator};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyTuple, PyType};
use serde_json::Value as Json;

use crate::errors::parscore_error;
use crate::guard::guard;
use crate::table;

static DECIMAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static DATE: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// Dossier records counted per unit (or sub-unit) and period, with the bad records.
#[pyclass(frozen, module = "parscore._parscore", name = "RecordSummary")]
pub struct PyRecordSummary {
    pub(super) summary: RecordSummary,
}

#[pymethods]
impl PyRecordSummary {
    /// Records read, good and bad.
    #[getter]
    fn records(&self) -> u64 {
        self.summary.records
    }

    /// Records counted.
    #[getter]
    fn counted(&self) -> u64 {
        self.summary.counted
    }

    /// The day dossiers in progress were counted on in the last period.
    #[getter]
    fn as_of<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.summary.as_of.map(|d| py_date(py, d)).transpose()
    }

    /// `year`, `quarter`, `month` or the range given.
    #[getter]
    fn period(&self) -> String {
        self.summary.options.period.name()
    }

    #[getter]
    fn by_sub_unit(&self) -> bool {
        self.summary.options.by_sub_unit
    }

    /// One dict per unit (or sub-unit) and period: `unit`, `sub_unit`, `period`,
    /// `evaluated_on`, then every summary indicator: counts as `int`, rates as the exact
    /// percentage (`Decimal`, divided out to 28 significant digits when it does not end),
    /// `"n/a"` when there is nothing to count, `None` when the records did not say.
    #[getter]
    fn groups<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for group in &self.summary.groups {
            list.append(group_dict(py, group)?)?;
        }
        Ok(list)
    }

    /// Bad records by kind (`missing:unit`, `unreadable_date:received`, …): `count`, and the
    /// `rows` and `messages` of the first 1000.
    #[getter]
    fn bad<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for kind in &self.summary.bad.kinds {
            let entry = PyDict::new(py);
            entry.set_item("count", kind.count)?;
            entry.set_item(
                "rows",
                kind.examples.iter().map(|b| b.row).collect::<Vec<_>>(),
            )?;
            entry.set_item(
                "messages",
                kind.examples
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>(),
            )?;
            dict.set_item(kind.kind.code(), entry)?;
        }
        Ok(dict)
    }

    /// Bad records, all kinds.
    #[getter]
    fn bad_total(&self) -> u64 {
        self.summary.bad.total
    }

    /// The summary document, as `parscore records summarize --format json` writes it: counts
    /// as `int`, rates as exact counts (`"987/1000"`), `"n/a"` or `None`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guard(py, "writing the records summary", || {
            json_to_python(py, &self.summary.to_json())
        })
    }

    /// One row per unit (or sub-unit) and period. Rates are Arrow decimals holding the exact
    /// percentage (`rates="percent"`, null when not applicable or unknown) or the exact
    /// counts as text (`rates="counts"`: `"987/1000"`, `"n/a"`, null when unknown).
    #[pyo3(signature = (*, rates = "percent"))]
    fn to_arrow<'py>(&self, py: Python<'py>, rates: &str) -> PyResult<Bound<'py, PyAny>> {
        self.convert(py, rates, "pyarrow")
    }

    #[pyo3(signature = (*, rates = "percent"))]
    fn to_pandas<'py>(&self, py: Python<'py>, rates: &str) -> PyResult<Bound<'py, PyAny>> {
        self.convert(py, rates, "pandas")
    }

    #[pyo3(signature = (*, rates = "percent"))]
    fn to_polars<'py>(&self, py: Python<'py>, rates: &str) -> PyResult<Bound<'py, PyAny>> {
        self.convert(py, rates, "polars")
    }

    fn __eq__(&self, other: PyRef<'_, Self>) -> bool {
        self.summary == other.summary
    }

    fn __repr__(&self) -> String {
        let units = {
            let mut labels: Vec<String> = self
                .summary
                .groups
                .iter()
                .map(GroupSummary::label)
                .collect();
            labels.sort();
            labels.dedup();
            labels.len()
        };
        format!(
            "<RecordSummary {} records, {} counted, {} bad; {} groups of {} units by {}>",
            self.summary.records,
            self.summary.counted,
            self.summary.bad.total,
            self.summary.groups.len(),
            units,
            self.summary.options.period.name()
        )
    }

    /// Pickles as the summary's own JSON text (every count, bad record and option, not the
    /// report document), which reads back to an equal summary: the records are not kept.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let restore = py
            .import("parscore._parscore")?
            .getattr("_restore_record_summary")?;
        let state = serde_json::to_string(&self.summary)
            .map_err(|e| parscore_error(py, format!("cannot pickle a RecordSummary: {e}")))?;
        (restore, (state,)).into_pyobject(py)
    }
}

#[pyfunction]
pub fn _restore_record_summary(py: Python<'_>, state: &str) -> PyResult<PyRecordSummary> {
    guard(py, "unpickling a records summary", || {
        let summary = serde_json::from_str(state)
            .map_err(|e| parscore_error(py, format!("cannot unpickle a RecordSummary: {e}")))?;
        Ok(PyRecordSummary { summary })
    })
}

impl PyRecordSummary {
    fn convert<'py>(
        &self,
        py: Python<'py>,
        rates: &str,
        library: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let percent = match rates {
            "percent" => true,
            "counts" => false,
            other => {
                return Err(PyValueError::new_err(format!(
                    "rates must be \"percent\" or \"counts\", not {other:?}"
                )));
            }
        };
        guard(py, "building the records summary table", || {
            let batch = py.detach(|| summary_table(&self.summary, percent));
            table::to_library(py, batch, library)
        })
    }
}

fn summary_table(summary: &RecordSummary, percent: bool) -> RecordBatch {
    let groups = &summary.groups;
    let mut fields = Vec::new();
    let mut arrays: Vec<ArrayRef> = Vec::new();
    let mut push = |name: &str, array: ArrayRef| {
        fields.push(Field::new(name, array.data_type().clone(), true));
        arrays.push(array);
    };
    let text = |values: Vec<Option<String>>| -> ArrayRef { Arc::new(StringArray::from(values)) };
    push(
        "unit",
        text(groups.iter().map(|g| Some(g.unit.clone())).collect()),
    );
    push(
        "sub_unit",
        text(groups.iter().map(|g| g.sub_unit.clone()).collect()),
    );
    push(
        "period",
        text(groups.iter().map(|g| Some(g.period.to_string())).collect()),
    );
    push(
        "evaluated_on",
        Arc::new(arrow_array::Date32Array::from(
            groups
                .iter()
                .map(|g| g.evaluated_on.days_since_epoch())
                .collect::<Vec<_>>(),
        )),
    );
    for name in SUMMARY_INDICATORS {
        let values: Vec<Option<Value>> = groups.iter().map(|g| g.value(name)).collect();
        let array: ArrayRef = if !is_rate_indicator(name) {
            Arc::new(Int64Array::from(
                values
                    .iter()
                    .map(|v| {
                        v.as_ref()
                            .and_then(Value::as_decimal)
                            .and_then(|d| i64::try_from(d).ok())
                    })
                    .collect::<Vec<_>>(),
            ))
        } else if percent {
            let decimals: Vec<Option<parscore::Decimal>> = values
                .iter()
                .map(|v| {
                    v.as_ref()
                        .and_then(Value::as_decimal)
                        .map(|d| d.normalize())
                })
                .collect();
            let scale = decimals
                .iter()
                .flatten()
                .map(|d| d.scale())
                .max()
                .unwrap_or(0);
            table::decimal_array(decimals, scale)
        } else {
            text(
                values
                    .iter()
                    .map(|v| v.as_ref().map(ToString::to_string))
                    .collect(),
            )
        };
        push(name, array);
    }
    RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays)
        .expect("every column has one value per group")
}

fn py_date(py: Python<'_>, date: Date) -> PyResult<Bound<'_, PyAny>> {
    let (y, m, d) = date.ymd();
    DATE.import(py, "datetime", "date")?.call1((y, m, d))
}

fn group_dict<'py>(py: Python<'py>, group: &GroupSummary) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    dict.set_item("unit", &group.unit)?;
    dict.set_item("sub_unit", &group.sub_unit)?;
    dict.set_item("period", group.period.to_string())?;
    dict.set_item("evaluated_on", py_date(py, group.evaluated_on)?)?;
    for name in SUMMARY_INDICATORS {
        let value: Bound<'py, PyAny> = match group.value(name) {
            None => py.None().into_bound(py),
            Some(Value::NotApplicable) => "n/a".into_pyobject(py)?.into_any(),
            Some(Value::Number(n)) if !is_rate_indicator(name) => i64::try_from(n)
                .unwrap_or(i64::MAX)
                .into_pyobject(py)?
                .into_any(),
            Some(other) => match other.as_decimal() {
                Some(d) => decimal(py, &d.normalize().to_string())?,
                None => other.to_string().into_pyobject(py)?.into_any(),
            },
        };
        dict.set_item(name, value)?;
    }
    Ok(dict)
}

fn decimal<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    DECIMAL.import(py, "decimal", "Decimal")?.call1((text,))
}

/// The summary document: whole numbers as `int` (every number in it is a count).
fn json_to_python<'py>(py: Python<'py>, json: &Json) -> PyResult<Bound<'py, PyAny>> {
    Ok(match json {
        Json::Null => py.None().into_bound(py),
        Json::Bool(b) => b.into_pyobject(py)?.to_owned().into_any(),
        Json::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => u.into_pyobject(py)?.into_any(),
            (_, Some(i)) => i.into_pyobject(py)?.into_any(),
            _ => decimal(py, n.as_str())?,
        },
        Json::String(s) => s.into_pyobject(py)?.into_any(),
        Json::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(json_to_python(py, item)?)?;
            }
            list.into_any()
        }
        Json::Object(map) => {
            let dict = PyDict::new(py);
            for (key, value) in map {
                dict.set_item(key, json_to_python(py, value)?)?;
            }
            dict.into_any()
        }
    })
}
