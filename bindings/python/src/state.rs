//! What a pickled evaluation or batch carries: the scheme, each unit's inputs as cell text,
//! and the errors of rows that could not be read. Unpickling scores the inputs again, which
//! gives the same result in any process with the same parscore.

use parscore::{InputError, Inputs, Scheme, UnitResult};
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::errors::{input_error, parscore_error};
use crate::evaluation::PyEvaluation;
use crate::results::PyResults;
use crate::scheme::PyScheme;
use crate::values::Row;

type Cells = Vec<(String, String)>;

/// Every value set, as the text that reads back to it (`98.7`, `987/1000`, `true`, `n/a`).
pub fn inputs_state(inputs: &Inputs) -> Cells {
    inputs
        .scheme()
        .indicators()
        .iter()
        .filter_map(|i| inputs.get(&i.id).map(|v| (i.id.clone(), v.to_string())))
        .collect()
}

fn restore_inputs(
    scheme: &Scheme,
    unit: String,
    period: Option<String>,
    cells: &Cells,
) -> Result<Inputs, InputError> {
    let mut inputs = scheme.inputs(unit, period);
    for (id, text) in cells {
        inputs.set_text(id, text)?;
    }
    Ok(inputs)
}

/// One batch row: `("ok", unit, period, cells)` or `("error", unit, period, kind, fields)`.
pub fn row_state<'py>(
    py: Python<'py>,
    inputs: &Result<Inputs, InputError>,
    result: &UnitResult,
) -> PyResult<Bound<'py, PyTuple>> {
    match inputs {
        Ok(inputs) => {
            ("ok", inputs.unit(), inputs.period(), inputs_state(inputs)).into_pyobject(py)
        }
        Err(error) => {
            let (kind, fields) = error_state(error, result.row);
            ("error", &result.unit, &result.period, kind, fields).into_pyobject(py)
        }
    }
}

fn error_state(error: &InputError, row: usize) -> (&'static str, Vec<String>) {
    match error {
        InputError::UnknownIndicator(id) => ("unknown_indicator", vec![id.clone()]),
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

fn restore_error(kind: &str, fields: &[String]) -> Option<InputError> {
    Some(match (kind, fields) {
        ("unknown_indicator", [id]) => InputError::UnknownIndicator(id.clone()),
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

#[pyfunction]
pub fn _restore_evaluation(
    py: Python<'_>,
    scheme: Py<PyScheme>,
    unit: String,
    period: Option<String>,
    cells: Cells,
    strict: bool,
) -> PyResult<PyEvaluation> {
    let compiled = &scheme.get().scheme;
    let inputs = restore_inputs(compiled, unit, period, &cells).map_err(|e| input_error(py, &e))?;
    let evaluation = compiled
        .evaluate(&inputs, &parscore::Options { strict })
        .map_err(|e| input_error(py, &e))?;
    Ok(PyEvaluation::new(scheme, evaluation, inputs, strict))
}

#[pyfunction]
pub fn _restore_results(
    py: Python<'_>,
    scheme: Py<PyScheme>,
    rows: Vec<Bound<'_, PyTuple>>,
    strict: bool,
) -> PyResult<PyResults> {
    let compiled = &scheme.get().scheme;
    let mut read = Vec::with_capacity(rows.len());
    for row in rows {
        let status: String = row.get_item(0)?.extract()?;
        let unit: Option<String> = row.get_item(1)?.extract()?;
        let period: Option<String> = row.get_item(2)?.extract()?;
        let inputs = if status == "ok" {
            let cells: Cells = row.get_item(3)?.extract()?;
            restore_inputs(
                compiled,
                unit.clone().unwrap_or_default(),
                period.clone(),
                &cells,
            )
        } else {
            let kind: String = row.get_item(3)?.extract()?;
            let fields: Vec<String> = row.get_item(4)?.extract()?;
            Err(restore_error(&kind, &fields)
                .ok_or_else(|| parscore_error(py, format!("cannot unpickle a `{kind}` error")))?)
        };
        read.push(Row {
            unit,
            period,
            inputs,
        });
    }
    Ok(PyResults::score(py, scheme, read, strict))
}
