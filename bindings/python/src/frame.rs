//! `evaluate_frame`: an Arrow table in (from pandas, polars, pyarrow or any Arrow stream), one
//! result row per input row out. Scoring is the core's columnar path, in parallel and without
//! the GIL; only the stream's collection and the output's hand-over touch Python.

use arrow_array::RecordBatch;
use parscore::{ColumnarOptions, InputError, Scheme};
use pyo3::prelude::*;
use pyo3_arrow::input::AnyRecordBatch;

use crate::errors::input_error;
use crate::table::{self, Decimals};

pub fn evaluate_frame<'py>(
    py: Python<'py>,
    scheme: &Scheme,
    frame: &Bound<'py, PyAny>,
    options: &ColumnarOptions,
    decimals: Decimals,
) -> PyResult<Bound<'py, PyAny>> {
    let frames = py.import("parscore._frames")?;
    let (stream, library): (Bound<'py, PyAny>, String) =
        frames.call_method1("arrow_input", (frame,))?.extract()?;
    let input: AnyRecordBatch = stream.extract()?;
    // Reading may run the producer's Python code (a generator of batches), so the stream is
    // drained before the GIL is released.
    let batches = input
        .into_reader()?
        .collect::<Result<Vec<RecordBatch>, _>>()
        .map_err(pyo3_arrow::error::PyArrowError::from)?;
    let output = py
        .detach(|| {
            let figures = scheme.score_batches(&batches, options)?;
            Ok(table::figures_table(scheme, figures, decimals))
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
    criteria: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let options = ColumnarOptions {
        criteria,
        ..ColumnarOptions::default()
    };
    let figures = scheme
        .score_batches(&[], &options)
        .map_err(|e| input_error(py, &e))?;
    let empty = table::figures_table(scheme, figures, decimals);
    table::to_library(py, empty, "pyarrow")?.getattr("schema")
}
