//! `parscore._parscore`: the native half of the Python package `parscore`. It converts Python
//! values in and results out and leaves every decision to the core crate.

mod analysis_html;
mod bounds;
mod compare;
mod decimal_mark;
mod document;
mod errors;
mod evaluation;
mod frame;
mod guard;
mod html;
mod path;
mod rank;
mod records;
mod results;
mod scheme;
mod sensitivity;
mod sensitivity_html;
mod table;
mod values;
mod workbook;

use pyo3::prelude::*;

/// The ids of the schemes built into the library.
#[pyfunction]
fn builtin_schemes() -> Vec<&'static str> {
    parscore::builtin_ids().collect()
}

#[pymodule]
fn _parscore(m: &Bound<'_, PyModule>) -> PyResult<()> {
    guard::install_hook();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<scheme::PyScheme>()?;
    m.add_class::<scheme::PyIndicator>()?;
    m.add_class::<scheme::PyCriterion>()?;
    m.add_class::<evaluation::PyEvaluation>()?;
    m.add_class::<evaluation::PyCriterionResult>()?;
    m.add_class::<evaluation::PyGroupResult>()?;
    m.add_class::<evaluation::PyRecoverable>()?;
    m.add_class::<results::PyResults>()?;
    m.add_class::<results::PyRow>()?;
    m.add_class::<results::PySummary>()?;
    m.add_class::<records::PyRecordSummary>()?;
    m.add_class::<sensitivity::PySensitivity>()?;
    m.add_class::<path::PyPathToGrade>()?;
    m.add_class::<path::PyWhatIf>()?;
    m.add_class::<path::PyFix>()?;
    m.add_function(wrap_pyfunction!(records::summarize_records, m)?)?;
    m.add_class::<compare::PyComparison>()?;
    m.add_class::<compare::PyUnitChange>()?;
    m.add_class::<compare::PyCriterionChange>()?;
    m.add_class::<compare::PyAreaChange>()?;
    m.add_class::<compare::PyLowered>()?;
    m.add_class::<compare::PyCompareSummary>()?;
    m.add_class::<records::PyTracking>()?;
    m.add_class::<records::PyTrackRow>()?;
    m.add_class::<records::PyUntracked>()?;
    m.add_class::<records::PyTrend>()?;
    m.add_class::<records::PyTrendMonth>()?;
    m.add_function(wrap_pyfunction!(builtin_schemes, m)?)?;
    m.add_function(wrap_pyfunction!(evaluation::_restore_evaluation, m)?)?;
    m.add_function(wrap_pyfunction!(results::_restore_results, m)?)?;
    m.add_function(wrap_pyfunction!(records::_restore_record_summary, m)?)?;
    m.add_function(wrap_pyfunction!(evaluation::_recoverable, m)?)?;
    m.add_function(wrap_pyfunction!(compare::_restore_comparison, m)?)?;
    m.add_function(wrap_pyfunction!(records::_restore_tracking, m)?)?;
    m.add_function(wrap_pyfunction!(path::_restore_fix, m)?)?;
    m.add_function(wrap_pyfunction!(path::_restore_path, m)?)?;
    m.add_function(wrap_pyfunction!(path::_restore_what_if, m)?)?;
    m.add_function(wrap_pyfunction!(sensitivity::_restore_sensitivity, m)?)?;
    m.add_function(wrap_pyfunction!(guard::_panic_for_tests, m)?)?;
    Ok(())
}
