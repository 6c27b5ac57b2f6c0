//! The keyword arguments that say how records are read and counted, parsed once for both
//! entry points, and the reading of a frame's records with them.

use arrow_array::RecordBatch;
use parscore_records::{
    BatchCounter, Calendar, Date, PeriodKind, Profile, RecordField, RecordSummary, ResolvedBy,
    Summarizer, SummaryOptions,
};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyString, PyType};
use pyo3_arrow::input::AnyRecordBatch;

use crate::errors::{
    RecordsPlace, calendar_error, parscore_error, profile_error, record_error, records_error,
};

static DATE: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// How records are read and counted: the keyword arguments both entry points share.
pub struct Settings {
    profile: Profile,
    calendar: Calendar,
    pub options: SummaryOptions,
}

impl Settings {
    /// The keyword arguments of `summarize_records` and `Scheme.evaluate_records`, read in
    /// one place: `profile`, `calendar`, `period`, `as_of`, `by_sub_unit`, `resolved_by`,
    /// `strict`. Any other keyword is a `TypeError` naming `function`, as Python's own.
    pub fn from_kwargs(function: &str, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Settings> {
        let mut profile = Profile::builtin();
        let mut calendar = Calendar::vietnam();
        let mut options = SummaryOptions::default();
        let Some(kwargs) = kwargs else {
            return Ok(Settings {
                profile,
                calendar,
                options,
            });
        };
        let py = kwargs.py();
        for (key, value) in kwargs.iter() {
            let key: String = key.extract()?;
            let given = !value.is_none();
            match key.as_str() {
                "profile" if given => {
                    let text: String = value.extract()?;
                    profile = Profile::from_toml(&text).map_err(|e| profile_error(py, &e))?;
                }
                "calendar" => {
                    for text in calendar_texts(&value)? {
                        calendar = calendar
                            .with_toml(&text)
                            .map_err(|e| calendar_error(py, &e))?;
                    }
                }
                "period" if given => {
                    let text: String = value.extract()?;
                    options.period = PeriodKind::parse(&text)
                        .map_err(|e| parscore_error(py, format!("period `{text}`: {e}")))?;
                }
                "as_of" if given => options.as_of = Some(read_date(py, &value)?),
                "by_sub_unit" => options.by_sub_unit = value.extract()?,
                "resolved_by" => {
                    options.resolved_by = match value.extract::<String>()?.as_str() {
                        "completed" => ResolvedBy::Completed,
                        "received" => ResolvedBy::Received,
                        other => {
                            return Err(PyValueError::new_err(format!(
                                "resolved_by must be \"completed\" or \"received\", not {other:?}"
                            )));
                        }
                    }
                }
                "strict" => options.strict = value.extract()?,
                "profile" | "period" | "as_of" => {}
                other => {
                    return Err(PyTypeError::new_err(format!(
                        "{function}() got an unexpected keyword argument '{other}'"
                    )));
                }
            }
        }
        options
            .check()
            .map_err(|e| records_error(py, "limits", e.to_string(), RecordsPlace::default()))?;
        Ok(Settings {
            profile,
            calendar,
            options,
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
        let mut columns = BatchCounter::columns(&rows, self.options.by_sub_unit);
        // A file's dossier codes are read afterwards, for its bad records only; a frame is in
        // memory, so its codes are read with the rest.
        columns.extend(rows.column(RecordField::Id));
        columns.sort_unstable();
        columns.dedup();
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
            .map_err(|m| records_error(py, "columns", m, RecordsPlace::default()))?;
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

fn calendar_texts(calendar: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
    if calendar.is_none() {
        return Ok(Vec::new());
    }
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
