//! The core's errors as the Python exceptions of `parscore._errors`, attributes filled in.

use parscore::{InputError, Problem, ProblemKind, SchemeError};
use parscore_records::{
    BadKind, BadRecord, CalendarError, MappingError, ProfileError, RecordError,
};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyType};

const ERRORS_MODULE: &str = "parscore._errors";

static PARSCORE_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static SCHEME_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static INPUT_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static PROBLEM: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static RECORDS_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// A `ParscoreError` with only a message, for failures that belong to no node or indicator.
pub fn parscore_error(py: Python<'_>, message: impl Into<String>) -> PyErr {
    let message = message.into();
    match PARSCORE_ERROR.import(py, ERRORS_MODULE, "ParscoreError") {
        Ok(class) => match class.call1((message,)) {
            Ok(instance) => PyErr::from_value(instance),
            Err(error) => error,
        },
        Err(error) => error,
    }
}

pub fn scheme_error(py: Python<'_>, error: &SchemeError) -> PyErr {
    build_scheme_error(py, error, None).unwrap_or_else(|e| e)
}

/// A `SchemeError` for a scheme read from a file: its message starts with the file's path,
/// as a compiler's would (`my-scheme.toml: 12:3: …`).
pub fn scheme_file_error(py: Python<'_>, error: &SchemeError, path: &str) -> PyErr {
    build_scheme_error(py, error, Some(path)).unwrap_or_else(|e| e)
}

fn build_scheme_error(py: Python<'_>, error: &SchemeError, path: Option<&str>) -> PyResult<PyErr> {
    let mut message = match error {
        SchemeError::UnknownBuiltin(id) => {
            format!("no built-in scheme `{id}` (see parscore.builtin_schemes())")
        }
        other => other.to_string(),
    };
    let problems = match error {
        SchemeError::Syntax { .. } | SchemeError::Invalid { .. } => error.problems(),
        _ => vec![Problem {
            location: None,
            code: None,
            field: None,
            kind: ProblemKind::InvalidValue(message.clone()),
        }],
    };
    if let Some(path) = path {
        // Each problem of a list on a line of its own, as the command prints them.
        let separator = if message.contains('\n') { ":\n" } else { ": " };
        message = format!("{path}{separator}{message}");
    }
    let list = PyList::empty(py);
    for problem in &problems {
        list.append(problem_object(py, problem)?)?;
    }
    let kwargs = PyDict::new(py);
    kwargs.set_item("problems", list)?;
    if let Some(first) = problems.first() {
        kwargs.set_item("line", first.location.map(|l| l.line))?;
        kwargs.set_item("column", first.location.map(|l| l.column))?;
        kwargs.set_item("code", first.code.as_deref())?;
        kwargs.set_item("field", first.field.as_deref())?;
    }
    let class = SCHEME_ERROR.import(py, ERRORS_MODULE, "SchemeError")?;
    Ok(PyErr::from_value(class.call((message,), Some(&kwargs))?))
}

fn problem_object<'py>(py: Python<'py>, problem: &Problem) -> PyResult<Bound<'py, PyAny>> {
    let kwargs = PyDict::new(py);
    kwargs.set_item("line", problem.location.map(|l| l.line))?;
    kwargs.set_item("column", problem.location.map(|l| l.column))?;
    kwargs.set_item("code", problem.code.as_deref())?;
    kwargs.set_item("field", problem.field.as_deref())?;
    PROBLEM
        .import(py, ERRORS_MODULE, "Problem")?
        .call((problem.kind.to_string(),), Some(&kwargs))
}

/// The `InputError` instance for an error, raised by the caller or kept on a batch row.
pub fn input_error_object<'py>(
    py: Python<'py>,
    error: &InputError,
    row: Option<usize>,
) -> PyResult<Bound<'py, PyAny>> {
    let kwargs = PyDict::new(py);
    kwargs.set_item("kind", input_error_kind(error))?;
    kwargs.set_item("row", row)?;
    kwargs.set_item("code", error.code())?;
    kwargs.set_item("indicator", error.indicator())?;
    INPUT_ERROR
        .import(py, ERRORS_MODULE, "InputError")?
        .call((error.to_string(),), Some(&kwargs))
}

/// An `InputError` for a table that cannot be read at all (a column given twice): of kind
/// `row`, no row's, naming the indicator when the column is one.
pub fn table_error(py: Python<'_>, message: String, indicator: Option<&str>) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let kwargs = PyDict::new(py);
        kwargs.set_item("kind", "row")?;
        kwargs.set_item("indicator", indicator)?;
        let class = INPUT_ERROR.import(py, ERRORS_MODULE, "InputError")?;
        Ok(PyErr::from_value(class.call((message,), Some(&kwargs))?))
    };
    build().unwrap_or_else(|e| e)
}

pub fn input_error(py: Python<'_>, error: &InputError) -> PyErr {
    match input_error_object(py, error, None) {
        Ok(instance) => PyErr::from_value(instance),
        Err(error) => error,
    }
}

pub fn input_error_kind(error: &InputError) -> &'static str {
    match error {
        InputError::UnknownIndicator(_) | InputError::MisspeltIndicator { .. } => {
            "unknown_indicator"
        }
        InputError::InvalidValue { .. } => "invalid_value",
        InputError::Missing { .. } => "missing",
        InputError::Rule { .. } => "rule",
        InputError::WrongScheme(_) => "wrong_scheme",
        _ => "row",
    }
}

/// Where a records failure is: a row of the records, a field of the profile, a position in
/// a profile, calendar or map text, an indicator of the scheme.
#[derive(Default)]
pub struct RecordsPlace<'a> {
    pub row: Option<usize>,
    pub field: Option<&'a str>,
    pub location: Option<parscore::Location>,
    pub indicator: Option<&'a str>,
}

/// A `RecordsError`: dossier records that cannot be counted or scored. `kind` is one of the
/// stubs' `RecordsErrorKind`: `profile`, `calendar`, `mapping`, `columns`, `bad_record`.
pub fn records_error(
    py: Python<'_>,
    kind: &str,
    message: String,
    place: RecordsPlace<'_>,
) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let kwargs = PyDict::new(py);
        kwargs.set_item("kind", kind)?;
        kwargs.set_item("row", place.row)?;
        kwargs.set_item("field", place.field)?;
        kwargs.set_item("line", place.location.map(|l| l.line))?;
        kwargs.set_item("column", place.location.map(|l| l.column))?;
        kwargs.set_item("indicator", place.indicator)?;
        let class = RECORDS_ERROR.import(py, ERRORS_MODULE, "RecordsError")?;
        Ok(PyErr::from_value(class.call((message,), Some(&kwargs))?))
    };
    build().unwrap_or_else(|e| e)
}

/// A profile that cannot be used, or a header it does not fit (`columns`).
pub fn profile_error(py: Python<'_>, error: &ProfileError) -> PyErr {
    let (kind, place) = match error {
        ProfileError::Syntax { location, .. } => (
            "profile",
            RecordsPlace {
                location: *location,
                ..RecordsPlace::default()
            },
        ),
        ProfileError::MissingColumns { missing } => (
            "columns",
            RecordsPlace {
                field: missing.first().map(|(f, _)| f.key()),
                ..RecordsPlace::default()
            },
        ),
        ProfileError::Invalid(_) => ("profile", RecordsPlace::default()),
        _ => ("columns", RecordsPlace::default()),
    };
    records_error(py, kind, error.to_string(), place)
}

/// A calendar text that cannot be used.
pub fn calendar_error(py: Python<'_>, error: &CalendarError) -> PyErr {
    let location = match error {
        CalendarError::Syntax { location, .. } => *location,
        _ => None,
    };
    let place = RecordsPlace {
        location,
        ..RecordsPlace::default()
    };
    records_error(py, "calendar", error.to_string(), place)
}

/// An indicator map that cannot be used with the scheme.
pub fn mapping_error(py: Python<'_>, error: &MappingError) -> PyErr {
    let place = match error {
        MappingError::Syntax { location, .. } => RecordsPlace {
            location: *location,
            ..RecordsPlace::default()
        },
        MappingError::UnknownIndicator { indicator, .. }
        | MappingError::KindMismatch { indicator, .. } => RecordsPlace {
            indicator: Some(indicator),
            ..RecordsPlace::default()
        },
        _ => RecordsPlace::default(),
    };
    records_error(py, "mapping", error.to_string(), place)
}

/// What stopped a count: a bad record in strict mode, or dossiers in progress due in a year
/// the calendar does not hold.
pub fn record_error(py: Python<'_>, error: &RecordError) -> PyErr {
    match error {
        RecordError::Bad(bad) => {
            let place = RecordsPlace {
                row: Some(bad.row),
                field: bad_field(bad),
                ..RecordsPlace::default()
            };
            records_error(py, "bad_record", bad.to_string(), place)
        }
        RecordError::TooManyPeriods { row, .. } => {
            let place = RecordsPlace {
                row: Some(*row),
                ..RecordsPlace::default()
            };
            records_error(py, "limits", error.to_string(), place)
        }
        RecordError::Calendar { .. } => {
            records_error(py, "calendar", error.to_string(), RecordsPlace::default())
        }
        other => records_error(py, "limits", other.to_string(), RecordsPlace::default()),
    }
}

fn bad_field(bad: &BadRecord) -> Option<&'static str> {
    match bad.kind {
        BadKind::Missing(f)
        | BadKind::UnreadableDate(f)
        | BadKind::UnreadableFlag(f)
        | BadKind::UnreadableNumber(f)
        | BadKind::OutOfRange(f) => Some(f.key()),
        _ => None,
    }
}

/// An input error as the kind and fields a pickled batch row carries.
pub(crate) fn error_state(error: &InputError, row: usize) -> (&'static str, Vec<String>) {
    match error {
        InputError::UnknownIndicator(id) => ("unknown_indicator", vec![id.clone()]),
        InputError::MisspeltIndicator { indicator, closest } => (
            "unknown_indicator",
            vec![indicator.clone(), closest.clone()],
        ),
        InputError::InvalidValue { indicator, reason } => {
            ("invalid_value", vec![indicator.clone(), reason.clone()])
        }
        InputError::Missing { code, indicator } => {
            ("missing", vec![code.clone(), indicator.clone()])
        }
        InputError::Rule {
            code,
            indicator,
            reason,
        } => (
            "rule",
            vec![code.clone(), indicator.clone(), reason.clone()],
        ),
        InputError::Row { row, reason } => ("row", vec![row.to_string(), reason.clone()]),
        InputError::WrongScheme(id) => ("wrong_scheme", vec![id.clone()]),
        other => ("row", vec![row.to_string(), other.to_string()]),
    }
}

/// The input error a pickled batch row carried.
pub(crate) fn restore_error(kind: &str, fields: &[String]) -> Option<InputError> {
    Some(match (kind, fields) {
        ("unknown_indicator", [id]) => InputError::UnknownIndicator(id.clone()),
        ("unknown_indicator", [indicator, closest]) => InputError::MisspeltIndicator {
            indicator: indicator.clone(),
            closest: closest.clone(),
        },
        ("invalid_value", [indicator, reason]) => InputError::InvalidValue {
            indicator: indicator.clone(),
            reason: reason.clone(),
        },
        ("missing", [code, indicator]) => InputError::Missing {
            code: code.clone(),
            indicator: indicator.clone(),
        },
        ("rule", [code, indicator, reason]) => InputError::Rule {
            code: code.clone(),
            indicator: indicator.clone(),
            reason: reason.clone(),
        },
        ("row", [row, reason]) => InputError::Row {
            row: row.parse().ok()?,
            reason: reason.clone(),
        },
        ("wrong_scheme", [id]) => InputError::WrongScheme(id.clone()),
        _ => return None,
    })
}
