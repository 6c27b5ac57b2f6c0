//! The core's errors as the Python exceptions of `parscore._errors`, attributes filled in.

use parscore::{InputError, Problem, ProblemKind, SchemeError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyType};

const ERRORS_MODULE: &str = "parscore._errors";

static PARSCORE_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static SCHEME_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static INPUT_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static PROBLEM: PyOnceLock<Py<PyType>> = PyOnceLock::new();

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
    build_scheme_error(py, error).unwrap_or_else(|e| e)
}

fn build_scheme_error(py: Python<'_>, error: &SchemeError) -> PyResult<PyErr> {
    let message = match error {
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

pub fn input_error(py: Python<'_>, error: &InputError) -> PyErr {
    match input_error_object(py, error, None) {
        Ok(instance) => PyErr::from_value(instance),
        Err(error) => error,
    }
}

pub fn input_error_kind(error: &InputError) -> &'static str {
    match error {
        InputError::UnknownIndicator(_) => "unknown_indicator",
        InputError::InvalidValue { .. } => "invalid_value",
        InputError::Missing { .. } => "missing",
        InputError::Rule { .. } => "rule",
        InputError::WrongScheme(_) => "wrong_scheme",
        _ => "row",
    }
}

/// A `SchemeError` for a records profile, calendar or indicator map that cannot be used,
/// with the place in its text when known.
pub fn setting_error(
    py: Python<'_>,
    message: String,
    location: Option<parscore::Location>,
    indicator: Option<&str>,
) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let problem = PyDict::new(py);
        problem.set_item("line", location.map(|l| l.line))?;
        problem.set_item("column", location.map(|l| l.column))?;
        let problems = PyList::empty(py);
        problems.append(
            PROBLEM
                .import(py, ERRORS_MODULE, "Problem")?
                .call((message.clone(),), Some(&problem))?,
        )?;
        let kwargs = PyDict::new(py);
        kwargs.set_item("problems", problems)?;
        kwargs.set_item("line", location.map(|l| l.line))?;
        kwargs.set_item("column", location.map(|l| l.column))?;
        kwargs.set_item("indicator", indicator)?;
        let class = SCHEME_ERROR.import(py, ERRORS_MODULE, "SchemeError")?;
        Ok(PyErr::from_value(class.call((message,), Some(&kwargs))?))
    };
    build().unwrap_or_else(|e| e)
}

/// An `InputError` about dossier records: `kind` is `columns` (the header does not fit the
/// profile), `bad_record` (strict mode; `row` is the record's) or `calendar`.
pub fn records_error(
    py: Python<'_>,
    kind: &str,
    message: String,
    row: Option<usize>,
    field: Option<&str>,
) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let kwargs = PyDict::new(py);
        kwargs.set_item("kind", kind)?;
        kwargs.set_item("row", row)?;
        kwargs.set_item("field", field)?;
        let class = INPUT_ERROR.import(py, ERRORS_MODULE, "InputError")?;
        Ok(PyErr::from_value(class.call((message,), Some(&kwargs))?))
    };
    build().unwrap_or_else(|e| e)
}
