//! `Evaluation.path_to` and `Evaluation.what_if`: the fewest criteria whose fixing reaches a
//! grade, and the unit's figures after any changes of value, exactly (the core's
//! `Evaluation::path_to` and `Evaluation::what_if`).

use parscore::text::nfc;
use parscore::{Decimal, IndicatorSource, InputError, Value};
use parscore_uncertainty::{ChangeError, Fix, GradePath};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyMapping, PyTuple};

use crate::decimal_mark::DecimalMark;
use crate::errors::{input_error, parscore_error};
use crate::evaluation::PyEvaluation;
use crate::guard::guard;
use crate::values::{self, Cell};

/// One criterion of a path or of a "what if": the points it brings and who answers for it.
#[pyclass(frozen, get_all, module = "parscore._parscore", name = "Fix")]
pub struct PyFix {
    /// The criterion's code, e.g. `III.4.1`.
    code: String,
    title: String,
    /// The lead unit (đơn vị chủ trì) responsible for it, when the scheme names one.
    lead: Option<String>,
    /// Its points before the change, exact.
    before: Decimal,
    /// Its points after the change, exact.
    after: Decimal,
    /// `after − before`: the points it brings (negative when a change loses points).
    points: Decimal,
}

impl PyFix {
    fn new(fix: &Fix) -> PyFix {
        PyFix {
            code: fix.code.clone(),
            title: fix.title.clone(),
            lead: fix.lead.clone(),
            before: fix.before.normalize(),
            after: fix.after.normalize(),
            points: fix.points().normalize(),
        }
    }
}

#[pymethods]
impl PyFix {
    /// Pickles as its fields: a fix is figures already worked out, not a search to redo.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let restore = py.import("parscore._parscore")?.getattr("_restore_fix")?;
        let state = (&self.code, &self.title, &self.lead, self.before, self.after);
        (restore, state).into_pyobject(py)
    }

    fn __repr__(&self) -> String {
        let lead = self
            .lead
            .as_ref()
            .map(|l| format!(", lead {l}"))
            .unwrap_or_default();
        format!(
            "<Fix {} {:+} points ({} → {}){lead}>",
            self.code, self.points, self.before, self.after
        )
    }
}

/// The fewest criteria whose fixing lifts a unit's reported index to a grade.
#[pyclass(frozen, get_all, module = "parscore._parscore", name = "PathToGrade")]
pub struct PyPathToGrade {
    /// The unit.
    unit: String,
    /// The grade aimed at, and the lowest index that earns it.
    grade: String,
    min_index: Decimal,
    /// Whether the index after the fixes reaches the grade: `False` when even every
    /// recoverable point falls short (the fixes are then all of them).
    reached: bool,
    /// The criteria to fix, largest gain first; empty when the unit already has the grade.
    fixes: Vec<Py<PyFix>>,
    /// The index before the fixes, as reported.
    index_before: Option<Decimal>,
    /// Total points after the fixes, exact.
    points: Decimal,
    /// The applicable maximum, which fixes do not change.
    max_points: Decimal,
    /// The reported index after the fixes; `None` when nothing applies.
    index: Option<Decimal>,
    /// Whether the search proved that no set of as many criteria reaches the grade with
    /// fewer points; the count of fixes is the fewest either way.
    exhaustive: bool,
}

#[pymethods]
impl PyPathToGrade {
    /// Pickles as its fields (the search is not run again).
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let restore = py.import("parscore._parscore")?.getattr("_restore_path")?;
        let fixes: Vec<Py<PyFix>> = self.fixes.iter().map(|f| f.clone_ref(py)).collect();
        let state = (
            &self.unit,
            &self.grade,
            self.min_index,
            self.reached,
            fixes,
            self.index_before,
            self.points,
            self.max_points,
            self.index,
            self.exhaustive,
        );
        (restore, (state,)).into_pyobject(py)
    }

    fn __repr__(&self) -> String {
        let index = |i: Option<Decimal>| i.map_or_else(|| "-".into(), |i| i.to_string());
        format!(
            "<PathToGrade {} → {}: {} fixes, index {} → {}{}>",
            self.unit,
            self.grade,
            self.fixes.len(),
            index(self.index_before),
            index(self.index),
            if self.reached { "" } else { ", not reached" }
        )
    }
}

/// A unit's figures after a set of changes, with every criterion whose points moved.
#[pyclass(frozen, get_all, module = "parscore._parscore", name = "WhatIf")]
pub struct PyWhatIf {
    /// The unit evaluated with the changed values.
    evaluation: Py<PyEvaluation>,
    /// Each criterion whose points changed, in scheme order.
    changes: Vec<Py<PyFix>>,
    /// The index before the changes, as reported.
    index_before: Option<Decimal>,
    /// The reported index after the changes.
    index: Option<Decimal>,
    /// Total points after the changes, exact.
    points: Decimal,
    /// The grade after the changes.
    grade: Option<String>,
}

#[pymethods]
impl PyWhatIf {
    /// Pickles as its fields: the evaluation with the changed values pickles itself.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let restore = py
            .import("parscore._parscore")?
            .getattr("_restore_what_if")?;
        let changes: Vec<Py<PyFix>> = self.changes.iter().map(|f| f.clone_ref(py)).collect();
        let state = (
            self.evaluation.clone_ref(py),
            changes,
            self.index_before,
            self.index,
            self.points,
            &self.grade,
        );
        (restore, (state,)).into_pyobject(py)
    }

    fn __repr__(&self) -> String {
        let index = |i: Option<Decimal>| i.map_or_else(|| "-".into(), |i| i.to_string());
        format!(
            "<WhatIf: {} criteria moved, index {} → {}>",
            self.changes.len(),
            index(self.index_before),
            index(self.index)
        )
    }
}

#[pyfunction]
pub fn _restore_fix(
    code: String,
    title: String,
    lead: Option<String>,
    before: Decimal,
    after: Decimal,
) -> PyFix {
    PyFix {
        points: (after - before).normalize(),
        code,
        title,
        lead,
        before,
        after,
    }
}

/// A pickled `PathToGrade`'s fields, in the order of the struct.
type PathState = (
    String,
    String,
    Decimal,
    bool,
    Vec<Py<PyFix>>,
    Option<Decimal>,
    Decimal,
    Decimal,
    Option<Decimal>,
    bool,
);

#[pyfunction]
pub fn _restore_path(state: PathState) -> PyPathToGrade {
    let (
        unit,
        grade,
        min_index,
        reached,
        fixes,
        index_before,
        points,
        max_points,
        index,
        exhaustive,
    ) = state;
    PyPathToGrade {
        unit,
        grade,
        min_index,
        reached,
        fixes,
        index_before,
        points,
        max_points,
        index,
        exhaustive,
    }
}

/// A pickled `WhatIf`'s fields, in the order of the struct.
type WhatIfState = (
    Py<PyEvaluation>,
    Vec<Py<PyFix>>,
    Option<Decimal>,
    Option<Decimal>,
    Decimal,
    Option<String>,
);

#[pyfunction]
pub fn _restore_what_if(state: WhatIfState) -> PyWhatIf {
    let (evaluation, changes, index_before, index, points, grade) = state;
    PyWhatIf {
        evaluation,
        changes,
        index_before,
        index,
        points,
        grade,
    }
}

fn fixes(py: Python<'_>, fixes: &[Fix]) -> PyResult<Vec<Py<PyFix>>> {
    fixes.iter().map(|f| Py::new(py, PyFix::new(f))).collect()
}

/// `Evaluation.path_to(grade)`.
pub fn path_to(slf: &Bound<'_, PyEvaluation>, grade: &str) -> PyResult<PyPathToGrade> {
    let py = slf.py();
    let evaluation = &slf.get().evaluation;
    guard(py, "finding the path to a grade", || {
        let path = py.detach(|| evaluation.path_to(grade)).ok_or_else(|| {
            let names: Vec<String> = evaluation
                .scheme()
                .grades()
                .iter()
                .map(|g| format!("`{}`", g.name))
                .collect();
            parscore_error(
                py,
                format!(
                    "the scheme has no grade `{}` (its grades: {})",
                    nfc(grade.trim()),
                    if names.is_empty() {
                        "none".to_string()
                    } else {
                        names.join(", ")
                    }
                ),
            )
        })?;
        Ok(PyPathToGrade {
            unit: evaluation.unit().to_string(),
            grade: path.grade.name.clone(),
            min_index: path.grade.min_index.normalize(),
            reached: path.reached,
            fixes: fixes(py, &path.fixes)?,
            index_before: evaluation.index_rounded().map(|i| i.normalize()),
            points: path.points.normalize(),
            max_points: path.max_points.normalize(),
            index: path.index.map(|i| i.normalize()),
            exhaustive: path.exhaustive,
        })
    })
}

/// `Evaluation.what_if(changes, decimal=…)`: `changes` maps criterion codes to values, read
/// as `Scheme.evaluate` reads a value.
pub fn what_if(
    slf: &Bound<'_, PyEvaluation>,
    changes: &Bound<'_, PyAny>,
    decimal: &str,
) -> PyResult<PyWhatIf> {
    let py = slf.py();
    let decimal = DecimalMark::extract(decimal)?;
    let Ok(changes) = changes.cast::<PyMapping>() else {
        return Err(PyTypeError::new_err(format!(
            "what_if takes a mapping of criterion code → value, not a {}",
            changes.get_type().name()?
        )));
    };
    let this = slf.get();
    let evaluation = &this.evaluation;
    guard(py, "scoring a what-if", || {
        // The changed values, and the unit's inputs with them (kept for pickling).
        let mut values: Vec<(String, Value)> = Vec::new();
        let mut inputs = this.inputs.clone();
        for item in changes.items()?.iter() {
            let (code, value): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item.extract()?;
            let code: String = code.extract().map_err(|_| {
                PyTypeError::new_err(format!(
                    "what_if's keys are criterion codes (text), not {}",
                    code.repr().map(|r| r.to_string()).unwrap_or_default()
                ))
            })?;
            let code = nfc(code.trim()).into_owned();
            let Some(criterion) = evaluation.criterion(&code) else {
                return Err(unknown_criterion(py, &code));
            };
            let indicator = criterion.indicator().id.clone();
            let invalid = |reason: String| InputError::InvalidValue {
                indicator: indicator.clone(),
                reason,
            };
            let value = match values::cell(&value)?.map_err(invalid) {
                Ok(Cell::Value(value)) => value,
                Ok(Cell::Text(text)) => decimal
                    .read(&text)
                    .and_then(|text| Value::parse(&text))
                    .map_err(invalid)
                    .and_then(|v| {
                        v.ok_or_else(|| invalid("a change needs a value, not empty text".into()))
                    })
                    .map_err(|e| input_error(py, &e))?,
                Ok(Cell::Missing) => {
                    return Err(input_error(
                        py,
                        &invalid("a change needs a value, not None".into()),
                    ));
                }
                Err(e) => return Err(input_error(py, &e)),
            };
            // A rate given through its counts is now given as the rate itself.
            if let Some(source) = evaluation.scheme().indicator(&indicator) {
                let sources = match source.source {
                    IndicatorSource::Input => vec![],
                    IndicatorSource::Ratio {
                        numerator,
                        denominator,
                    } => vec![numerator, denominator],
                    IndicatorSource::Reduction { baseline, current } => vec![baseline, current],
                };
                for slot in sources {
                    let id = &evaluation.scheme().indicators()[slot].id;
                    inputs.clear(id).map_err(|e| input_error(py, &e))?;
                }
            }
            inputs
                .set(&indicator, value)
                .map_err(|e| input_error(py, &e))?;
            values.push((code, value));
        }
        let outcome = py.detach(|| {
            evaluation.what_if(values.iter().map(|(code, value)| (code.as_str(), *value)))
        });
        let what_if = match outcome {
            Ok(what_if) => what_if,
            Err(ChangeError::Value(error)) => return Err(input_error(py, &error)),
            Err(ChangeError::UnknownCriterion(code)) => return Err(unknown_criterion(py, &code)),
            Err(other) => return Err(parscore_error(py, other.to_string())),
        };
        let after = &what_if.evaluation;
        Ok(PyWhatIf {
            index_before: evaluation.index_rounded().map(|i| i.normalize()),
            index: after.index_rounded().map(|i| i.normalize()),
            points: after.points().normalize(),
            grade: after.grade().map(|g| g.name.clone()),
            changes: fixes(py, &what_if.changes)?,
            evaluation: Py::new(
                py,
                PyEvaluation::new(
                    this.scheme.clone_ref(py),
                    what_if.evaluation,
                    inputs,
                    this.strict,
                ),
            )?,
        })
    })
}

/// A `ParscoreError` naming a code that is no leaf criterion (`code` set).
fn unknown_criterion(py: Python<'_>, code: &str) -> PyErr {
    let error = parscore_error(
        py,
        format!(
            "`{code}` is not a leaf criterion of this scheme (a group's points come from its \
             criteria)"
        ),
    );
    // The exception's `code` attribute, as the scheme errors set theirs.
    error.value(py).setattr("code", code).ok();
    error
}
