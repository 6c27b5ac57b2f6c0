//! Dossier records in a frame: `summarize_records` and `Scheme.evaluate_records`. The frame's
//! columns are read as the cells of an export (typed columns written out as the text a file
//! would hold), counted by the core's `Summarizer` without the GIL, and handed back as a
//! `RecordSummary` or, mapped onto a scheme's indicators, as `Results`.

use std::sync::Arc;

use arrow_array::{ArrayRef, Int64Array, RecordBatch, StringArray};
use arrow_schema::{Field, Schema};
use parscore::{Options, Value};
use parscore_records::{
    BadKind, BadRecord, BatchCounter, Calendar, CalendarError, Date, GroupSummary, IndicatorMap,
    MappingError, PeriodKind, Profile, ProfileError, RecordError, RecordSummary, ResolvedBy,
    SUMMARY_INDICATORS, Summarizer, SummaryOptions, is_rate_indicator,
};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyString, PyTuple, PyType};
use pyo3_arrow::input::AnyRecordBatch;
use serde_json::Value as Json;

use crate::errors::{parscore_error, records_error, setting_error};
use crate::results::PyResults;
use crate::scheme::PyScheme;
use crate::table;

static DECIMAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static DATE: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// How records are read and counted: the keyword arguments both entry points share.
pub struct Settings {
    profile: Profile,
    calendar: Calendar,
    options: SummaryOptions,
}

impl Settings {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        py: Python<'_>,
        profile: Option<&str>,
        calendar: Option<&Bound<'_, PyAny>>,
        period: &str,
        as_of: Option<&Bound<'_, PyAny>>,
        by_sub_unit: bool,
        resolved_by: &str,
        strict: bool,
    ) -> PyResult<Settings> {
        let profile = match profile {
            None => Profile::builtin(),
            Some(text) => Profile::from_toml(text).map_err(|e| profile_error(py, &e))?,
        };
        let mut own = Calendar::vietnam();
        for text in calendar_texts(calendar)? {
            own = own.with_toml(&text).map_err(|e| calendar_error(py, &e))?;
        }
        let period = PeriodKind::parse(period)
            .map_err(|e| parscore_error(py, format!("period `{period}`: {e}")))?;
        let resolved_by = match resolved_by {
            "completed" => ResolvedBy::Completed,
            "received" => ResolvedBy::Received,
            other => {
                return Err(PyValueError::new_err(format!(
                    "resolved_by must be \"completed\" or \"received\", not {other:?}"
                )));
            }
        };
        Ok(Settings {
            profile,
            calendar: own,
            options: SummaryOptions {
                period,
                by_sub_unit,
                resolved_by,
                as_of: as_of.map(|d| read_date(py, d)).transpose()?,
                strict,
                ..SummaryOptions::default()
            },
        })
    }

    /// Reads the frame's rows (data rows numbered from 1) and counts them.
    pub fn summarize(&self, frame: &Bound<'_, PyAny>) -> PyResult<RecordSummary> {
        let py = frame.py();
        let frames = py.import("parscore._frames")?;
        let (stream, _library): (Bound<'_, PyAny>, String) = frames
            .call_method1("arrow_input", (frame, "summarize_records"))?
            .extract()?;
        let input: AnyRecordBatch = stream.extract()?;
        // Reading may run the producer's Python code, so the stream is drained with the GIL.
        let reader = input.into_reader()?;
        let schema = reader.schema();
        let batches = reader
            .collect::<Result<Vec<RecordBatch>, _>>()
            .map_err(pyo3_arrow::error::PyArrowError::from)?;
        let header: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
        let mut rows = self
            .profile
            .reader(&header)
            .map_err(|e| profile_error(py, &e))?;
        let columns = BatchCounter::columns(&rows, self.options.by_sub_unit);
        // Selecting columns shares their buffers: nothing is copied.
        let projected = || -> Result<_, arrow_schema::ArrowError> {
            let batches = batches
                .iter()
                .map(|batch| batch.project(&columns))
                .collect::<Result<Vec<_>, _>>()?;
            Ok((schema.project(&columns)?, batches))
        };
        let (schema, batches) = projected().map_err(pyo3_arrow::error::PyArrowError::from)?;
        let counter = BatchCounter::new(&schema, &columns, &rows, self.options.by_sub_unit)
            .map_err(|m| records_error(py, "columns", m, None, None))?;
        py.detach(|| {
            let mut summarizer = Summarizer::new(self.options, self.calendar.clone());
            let mut row = 0;
            for batch in &batches {
                counter.count(batch, row, &mut rows, &mut summarizer)?;
                row += batch.num_rows();
            }
            summarizer.finish()
        })
        .map_err(|e| record_error(py, &e))
    }
}

fn calendar_texts(calendar: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<String>> {
    let Some(calendar) = calendar.filter(|c| !c.is_none()) else {
        return Ok(Vec::new());
    };
    if let Ok(text) = calendar.cast::<PyString>() {
        return Ok(vec![text.to_cow()?.into_owned()]);
    }
    calendar
        .try_iter()
        .and_then(|items| items.map(|item| item?.extract::<String>()).collect())
        .map_err(|_| {
            PyTypeError::new_err(
                "calendar takes the TOML text of a calendar, or a list of them, laid over the \
                 built-in Vietnamese calendar",
            )
        })
}

/// A `datetime.date` (or `datetime`, its day), or text in any form a date cell may take.
fn read_date(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<Date> {
    if let Ok(text) = value.cast::<PyString>() {
        let text = text.to_cow()?;
        return Date::parse(&text).map_err(|e| parscore_error(py, format!("as_of: {e}")));
    }
    if value.is_instance(DATE.import(py, "datetime", "date")?)? {
        let (y, m, d): (i32, u32, u32) = (
            value.getattr("year")?.extract()?,
            value.getattr("month")?.extract()?,
            value.getattr("day")?.extract()?,
        );
        return Date::from_ymd(y, m, d).ok_or_else(|| {
            parscore_error(py, format!("as_of: {y:04}-{m:02}-{d:02} is out of range"))
        });
    }
    Err(PyTypeError::new_err(format!(
        "as_of takes a datetime.date or its text, not a {}",
        value.get_type().name()?
    )))
}

fn profile_error(py: Python<'_>, error: &ProfileError) -> PyErr {
    match error {
        ProfileError::Syntax { location, .. } => {
            setting_error(py, error.to_string(), *location, None)
        }
        ProfileError::Invalid(_) => setting_error(py, error.to_string(), None, None),
        ProfileError::MissingColumns { missing } => {
            let field = missing.first().map(|(f, _)| f.key());
            records_error(py, "columns", error.to_string(), None, field)
        }
        other => records_error(py, "columns", other.to_string(), None, None),
    }
}

fn calendar_error(py: Python<'_>, error: &CalendarError) -> PyErr {
    let location = match error {
        CalendarError::Syntax { location, .. } => *location,
        _ => None,
    };
    setting_error(py, error.to_string(), location, None)
}

fn mapping_error(py: Python<'_>, error: &MappingError) -> PyErr {
    match error {
        MappingError::Syntax { location, .. } => {
            setting_error(py, error.to_string(), *location, None)
        }
        MappingError::UnknownIndicator { indicator, .. }
        | MappingError::KindMismatch { indicator, .. } => {
            setting_error(py, error.to_string(), None, Some(indicator))
        }
        other => setting_error(py, other.to_string(), None, None),
    }
}

fn record_error(py: Python<'_>, error: &RecordError) -> PyErr {
    match error {
        RecordError::Bad(bad) => records_error(
            py,
            "bad_record",
            bad.to_string(),
            Some(bad.row),
            bad_field(bad),
        ),
        other => records_error(py, "calendar", other.to_string(), None, None),
    }
}

fn bad_field(bad: &BadRecord) -> Option<&'static str> {
    match bad.kind {
        BadKind::Missing(f)
        | BadKind::UnreadableDate(f)
        | BadKind::UnreadableFlag(f)
        | BadKind::UnreadableNumber(f) => Some(f.key()),
        _ => None,
    }
}

/// Counts dossier records per unit and period.
#[pyfunction]
#[pyo3(signature = (frame, *, profile = None, calendar = None, period = "year", as_of = None,
    by_sub_unit = false, resolved_by = "completed", strict = false))]
#[allow(clippy::too_many_arguments)]
pub fn summarize_records(
    py: Python<'_>,
    frame: &Bound<'_, PyAny>,
    profile: Option<&str>,
    calendar: Option<&Bound<'_, PyAny>>,
    period: &str,
    as_of: Option<&Bound<'_, PyAny>>,
    by_sub_unit: bool,
    resolved_by: &str,
    strict: bool,
) -> PyResult<PyRecordSummary> {
    let settings = Settings::new(
        py,
        profile,
        calendar,
        period,
        as_of,
        by_sub_unit,
        resolved_by,
        strict,
    )?;
    Ok(PyRecordSummary {
        summary: settings.summarize(frame)?,
    })
}

/// The indicator map: the scheme's own by default, a TOML text, or a dict of summary
/// indicator → indicator id; checked against the scheme.
fn indicator_map(
    py: Python<'_>,
    scheme: &parscore::Scheme,
    mapping: Option<&Bound<'_, PyAny>>,
) -> PyResult<IndicatorMap> {
    let map = match mapping.filter(|m| !m.is_none()) {
        None => IndicatorMap::for_scheme(scheme),
        Some(m) => {
            if let Ok(text) = m.cast::<PyString>() {
                IndicatorMap::from_toml(&text.to_cow()?).map_err(|e| mapping_error(py, &e))?
            } else if let Ok(dict) = m.cast::<PyDict>() {
                let mut map = IndicatorMap::default();
                for (name, id) in dict.iter() {
                    let (name, id): (String, String) = (name.extract()?, id.extract()?);
                    map.insert(&name, &id).map_err(|e| mapping_error(py, &e))?;
                }
                map
            } else {
                return Err(PyTypeError::new_err(format!(
                    "mapping takes the TOML text of an indicator map or a dict of summary \
                     indicator → indicator id, not a {}",
                    m.get_type().name()?
                )));
            }
        }
    };
    map.check(scheme).map_err(|e| mapping_error(py, &e))?;
    Ok(map)
}

/// `Scheme.evaluate_records`: records summarised, mapped and scored as a batch.
pub fn evaluate_records(
    scheme: &Bound<'_, PyScheme>,
    frame: &Bound<'_, PyAny>,
    mapping: Option<&Bound<'_, PyAny>>,
    settings: &Settings,
) -> PyResult<PyResults> {
    let py = scheme.py();
    let core = &scheme.get().scheme;
    let map = indicator_map(py, core, mapping)?;
    let summary = settings.summarize(frame)?;
    let strict = settings.options.strict;
    let (batch, inputs) = py.detach(|| {
        let rows = summary.raw_rows(&map);
        let inputs = rows
            .iter()
            .map(|r| core.inputs_from_row(r, false))
            .collect();
        (
            core.evaluate_rows(&rows, false, &Options { strict }),
            inputs,
        )
    });
    Ok(PyResults {
        batch,
        scheme: scheme.clone().unbind(),
        inputs,
        strict,
    })
}

/// Dossier records counted per unit (or sub-unit) and period, with the bad records.
#[pyclass(frozen, module = "parscore._parscore", name = "RecordSummary")]
pub struct PyRecordSummary {
    summary: RecordSummary,
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
        json_to_python(py, &self.summary.to_json())
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
    let summary = serde_json::from_str(state)
        .map_err(|e| parscore_error(py, format!("cannot unpickle a RecordSummary: {e}")))?;
    Ok(PyRecordSummary { summary })
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
        let batch = py.detach(|| summary_table(&self.summary, percent));
        table::to_library(py, batch, library)
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
