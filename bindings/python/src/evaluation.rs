//! `Evaluation` and its parts: one unit's points, index, grade, groups and criteria.

use parscore::{
    CriterionResult, Decimal, Evaluation, GroupResult, InputError, Inputs, Scheme, Value,
};
use pyo3::exceptions::PyKeyError;
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::document;
use crate::errors::input_error;
use crate::guard::guard;
use crate::html::{self, Lang};
use crate::scheme::PyScheme;
use crate::table::{self, Decimals};

/// The evaluation of one unit in one period.
#[pyclass(frozen, module = "parscore._parscore", name = "Evaluation")]
pub struct PyEvaluation {
    pub evaluation: Evaluation,
    /// The scheme object it came from, shared by every evaluation of a batch so that a pickle
    /// of many of them holds the scheme once.
    pub scheme: Py<PyScheme>,
    /// Kept so that the evaluation pickles as its inputs and re-scores identically.
    pub inputs: Inputs,
    pub strict: bool,
}

impl PyEvaluation {
    pub fn new(scheme: Py<PyScheme>, evaluation: Evaluation, inputs: Inputs, strict: bool) -> Self {
        PyEvaluation {
            evaluation,
            scheme,
            inputs,
            strict,
        }
    }
}

#[pymethods]
impl PyEvaluation {
    #[getter]
    fn scheme(&self, py: Python<'_>) -> Py<PyScheme> {
        self.scheme.clone_ref(py)
    }

    #[getter]
    fn unit(&self) -> &str {
        self.evaluation.unit()
    }

    #[getter]
    fn period(&self) -> Option<&str> {
        self.evaluation.period()
    }

    /// Total points, exact: the areas' points with the bonus added and the penalties taken
    /// off, never below 0.
    #[getter]
    fn points(&self) -> Decimal {
        self.evaluation.points().normalize()
    }

    /// The bonus points counted (điểm thưởng), at most the scheme's cap; `None` when the
    /// scheme gives no bonus.
    #[getter]
    fn bonus_points(&self) -> Option<Decimal> {
        self.evaluation.bonus_points().map(|b| b.normalize())
    }

    /// The penalty points taken off (điểm trừ), at most the scheme's cap; `None` when the
    /// scheme has no penalties.
    #[getter]
    fn penalty_points(&self) -> Option<Decimal> {
        self.evaluation.penalty_points().map(|p| p.normalize())
    }

    /// The applicable maximum: the scheme's maximum less every excluded criterion.
    #[getter]
    fn max_points(&self) -> Decimal {
        self.evaluation.max_points().normalize()
    }

    /// Points / applicable maximum × 100, rounded as the scheme reports it; `None` when
    /// nothing applies.
    #[getter]
    fn index(&self, py: Python<'_>) -> PyResult<Option<Decimal>> {
        guard(py, "computing the index", || {
            Ok(self.evaluation.index_rounded().map(|i| i.normalize()))
        })
    }

    /// The index before the scheme's rounding (28 significant digits).
    #[getter]
    fn index_exact(&self, py: Python<'_>) -> PyResult<Option<Decimal>> {
        guard(py, "computing the index", || Ok(self.evaluation.index()))
    }

    /// The grade (xếp loại) of the rounded index; `None` below every grade.
    #[getter]
    fn grade(&self, py: Python<'_>) -> PyResult<Option<&str>> {
        guard(py, "grading", || {
            Ok(self.evaluation.grade().map(|g| g.name.as_str()))
        })
    }

    /// How many criteria had no input (status `missing`, scored 0).
    #[getter]
    fn missing_count(&self) -> usize {
        self.evaluation.missing_summary().0
    }

    /// The points the criteria without input stand for (their maxima, all lost).
    #[getter]
    fn missing_points(&self, py: Python<'_>) -> PyResult<Decimal> {
        guard(py, "adding up the missing points", || {
            Ok(self.evaluation.missing_summary().1.normalize())
        })
    }

    /// The codes of the criteria without input, in scheme order.
    #[getter]
    fn missing(&self) -> Vec<&str> {
        self.evaluation.missing().map(|c| c.code()).collect()
    }

    /// Every area and sub-group, in scheme order.
    #[getter]
    fn groups(slf: &Bound<'_, Self>) -> PyResult<Vec<PyGroupResult>> {
        let evaluation = &slf.get().evaluation;
        guard(slf.py(), "listing the groups", || {
            Ok(evaluation
                .groups()
                .map(|g| PyGroupResult::new(slf, &g))
                .collect())
        })
    }

    /// The areas (top-level groups).
    #[getter]
    fn areas(slf: &Bound<'_, Self>) -> PyResult<Vec<PyGroupResult>> {
        let evaluation = &slf.get().evaluation;
        guard(slf.py(), "listing the areas", || {
            Ok(evaluation
                .areas()
                .map(|g| PyGroupResult::new(slf, &g))
                .collect())
        })
    }

    /// The area or sub-group with this code; `KeyError` if there is none.
    fn group(slf: &Bound<'_, Self>, code: &str) -> PyResult<PyGroupResult> {
        let evaluation = &slf.get().evaluation;
        guard(slf.py(), "finding a group", || {
            evaluation
                .groups()
                .find(|g| g.code() == code)
                .map(|g| PyGroupResult::new(slf, &g))
                .ok_or_else(|| PyKeyError::new_err(code.to_string()))
        })
    }

    /// Every scored criterion, in scheme order.
    #[getter]
    fn criteria(slf: &Bound<'_, Self>) -> PyResult<Vec<PyCriterionResult>> {
        let evaluation = &slf.get().evaluation;
        guard(slf.py(), "listing the criteria", || {
            Ok(evaluation
                .criteria()
                .map(|c| PyCriterionResult::new(slf, &c))
                .collect())
        })
    }

    /// The criterion with this code; `KeyError` if there is none.
    fn criterion(slf: &Bound<'_, Self>, code: &str) -> PyResult<PyCriterionResult> {
        let evaluation = &slf.get().evaluation;
        guard(slf.py(), "finding a criterion", || {
            evaluation
                .criterion(code)
                .map(|c| PyCriterionResult::new(slf, &c))
                .ok_or_else(|| PyKeyError::new_err(code.to_string()))
        })
    }

    /// Criteria whose target was checked and not met.
    fn failed_targets(slf: &Bound<'_, Self>) -> PyResult<Vec<PyCriterionResult>> {
        let evaluation = &slf.get().evaluation;
        guard(slf.py(), "listing the failed targets", || {
            Ok(evaluation
                .failed_targets()
                .map(|c| PyCriterionResult::new(slf, &c))
                .collect())
        })
    }

    /// What meeting each target (or supplying a missing value) would gain, largest first.
    fn recoverable(slf: &Bound<'_, Self>) -> PyResult<Vec<PyRecoverable>> {
        let py = slf.py();
        let evaluation = &slf.get().evaluation;
        guard(py, "listing the recoverable points", || {
            evaluation
                .recoverable()
                .into_iter()
                .map(|r| {
                    Ok(PyRecoverable {
                        points: r.points.normalize(),
                        criterion: Py::new(py, PyCriterionResult::new(slf, &r.criterion))?,
                    })
                })
                .collect()
        })
    }

    /// A plain-text explanation: headline, areas, every criterion with its reason, and the
    /// points recoverable.
    fn explain(&self, py: Python<'_>) -> PyResult<String> {
        guard(py, "explaining the evaluation", || {
            Ok(self.evaluation.explain())
        })
    }

    /// This evaluation beside `other`, a later one of the same unit under the same scheme
    /// (another period, or the appraisal of a self-assessment): the fields of
    /// `parscore compare`'s JSON. `labels` names the two sides (default: the periods when
    /// they differ); `rounds=True` makes it a comparison of rounds, with the appraisal list,
    /// whatever the periods.
    ///
    /// Returns a `Comparison`. Raises `ParscoreError` when the schemes differ.
    #[pyo3(signature = (other, *, labels = None, rounds = false))]
    fn compare(
        &self,
        py: Python<'_>,
        other: PyRef<'_, Self>,
        labels: Option<(String, String)>,
        rounds: bool,
    ) -> PyResult<crate::compare::PyComparison> {
        crate::compare::evaluations(
            py,
            self.scheme.clone_ref(py),
            &self.evaluation,
            &other.evaluation,
            labels,
            rounds,
        )
    }

    /// The result document of this unit (the shape of a report's result): a dict whose
    /// figures are `Decimal`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guard(py, "making the result document", || {
            document::to_python(py, &self.evaluation.to_json())
        })
    }

    /// The result document of this unit as JSON text, numbers with their exact digits
    /// (`indent=None`: one line).
    #[pyo3(signature = (*, indent = Some(2)), text_signature = "(self, /, *, indent=2)")]
    fn to_json(&self, py: Python<'_>, indent: Option<usize>) -> PyResult<String> {
        guard(py, "writing the result as JSON", || {
            document::to_text(&self.evaluation.to_json(), indent)
        })
    }

    /// A `pyarrow.Table`: one row per criterion (`detail="criteria"`: value, target, verdict,
    /// points, status, explanation, lead unit; `points` null for an excluded criterion that
    /// does not apply) or per area and group (`"groups"`).
    ///
    /// `decimals` is `"exact"` (default), a scale 0–28 or `"float"`. Raises `ValueError` for
    /// a `detail` or `decimals` it does not take, `ModuleNotFoundError` without pyarrow.
    #[pyo3(signature = (*, detail = "criteria", decimals = None))]
    fn to_arrow<'py>(
        &self,
        py: Python<'py>,
        detail: &str,
        decimals: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.convert(py, detail, decimals, "pyarrow")
    }

    /// `to_arrow()` as a `pandas.DataFrame` (decimal figures as `decimal.Decimal` in pandas).
    #[pyo3(signature = (*, detail = "criteria", decimals = None))]
    fn to_pandas<'py>(
        &self,
        py: Python<'py>,
        detail: &str,
        decimals: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.convert(py, detail, decimals, "pandas")
    }

    /// `to_arrow()` as a `polars.DataFrame` (decimal figures as `decimal.Decimal` in pandas).
    #[pyo3(signature = (*, detail = "criteria", decimals = None))]
    fn to_polars<'py>(
        &self,
        py: Python<'py>,
        detail: &str,
        decimals: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.convert(py, detail, decimals, "polars")
    }

    fn __eq__(&self, other: PyRef<'_, Self>) -> bool {
        self.evaluation == other.evaluation
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        guard(py, "showing the evaluation", || Ok(repr(&self.evaluation)))
    }

    /// The evaluation as an HTML table (what a notebook shows): the headline with the
    /// criteria without input, then every area and criterion, met targets in green, missed in
    /// red, missing values in grey.
    ///
    /// `lang` is `"vi"` (default: Vietnamese terms and decimal commas) or `"en"`. Returns
    /// the HTML text. Raises `ValueError` for another `lang`.
    #[pyo3(signature = (*, lang = "vi"))]
    fn to_html(&self, py: Python<'_>, lang: &str) -> PyResult<String> {
        let lang = Lang::extract(lang)?;
        guard(py, "showing the evaluation", || {
            Ok(html::evaluation(&self.evaluation, lang))
        })
    }

    /// What a notebook shows: `to_html(lang=lang)`.
    #[pyo3(signature = (*, lang = "vi"))]
    fn _repr_html_(&self, py: Python<'_>, lang: &str) -> PyResult<String> {
        self.to_html(py, lang)
    }

    /// The fewest criteria whose fixing lifts the reported index to the grade named
    /// `grade` (as typed, composed or decomposed), exactly: the index after the fixes, the
    /// points each brings and the lead unit responsible (see `docs/python.md`).
    ///
    /// Returns a `PathToGrade`. Raises `ParscoreError` when the scheme has no such grade.
    fn path_to(slf: &Bound<'_, Self>, grade: &str) -> PyResult<crate::path::PyPathToGrade> {
        crate::path::path_to(slf, grade)
    }

    /// The unit's evaluation after setting the indicator of each named criterion to a new
    /// value (`{"III.4.1": 99}`, values read as `Scheme.evaluate` reads them, `decimal=","`
    /// for a decimal comma), every other value as it was; with each criterion whose points
    /// moved.
    ///
    /// Returns a `WhatIf`. Raises `ParscoreError` (with `code`) for a code that is no leaf
    /// criterion, `InputError` for a value that does not fit, `TypeError` when `changes` is
    /// not a mapping.
    #[pyo3(signature = (changes, *, decimal = "."))]
    fn what_if(
        slf: &Bound<'_, Self>,
        changes: &Bound<'_, PyAny>,
        decimal: &str,
    ) -> PyResult<crate::path::PyWhatIf> {
        crate::path::what_if(slf, changes, decimal)
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let restore = py
            .import("parscore._parscore")?
            .getattr("_restore_evaluation")?;
        let args = (
            self.scheme.clone_ref(py),
            self.inputs.unit(),
            self.inputs.period(),
            inputs_state(&self.inputs),
            self.strict,
        );
        (restore, args).into_pyobject(py)
    }
}

// A pickled evaluation carries the scheme, the unit's inputs as cell text and the mode;
// unpickling scores the inputs again, which gives the same result in any process with the
// same parscore.

/// Indicator id and cell text of every value set.
type Cells = Vec<(String, String)>;

/// Every value set, as the text that reads back to it (`98.7`, `987/1000`, `true`, `n/a`).
pub(crate) fn inputs_state(inputs: &Inputs) -> Cells {
    inputs
        .scheme()
        .indicators()
        .iter()
        .filter_map(|i| inputs.get(&i.id).map(|v| (i.id.clone(), v.to_string())))
        .collect()
}

/// The inputs a pickled evaluation or batch row carried.
pub(crate) fn restore_inputs(
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

/// `<Evaluation Sở A 2024: 45.20 of 100 (index 45.20, Yếu), 55 criteria missing (54.80
/// points)>`: figures at the scheme's places, and the gaps whenever there are any.
fn repr(e: &Evaluation) -> String {
    let rounding = e.scheme().rounding();
    let places = rounding.places as usize;
    // Rounded as the scheme rounds; the width only pads (a decimal's own `{:.2}` truncates).
    let (points, missing_points) = (rounding.round(e.points()), e.missing_summary().1);
    let missing_points = rounding.round(missing_points);
    let period = e.period().map(|p| format!(" {p}")).unwrap_or_default();
    let index = e
        .index_rounded()
        .map_or("n/a".to_string(), |i| i.to_string());
    let grade = e
        .grade()
        .map(|g| format!(", {}", g.name))
        .unwrap_or_default();
    let gaps = match e.missing_summary().0 {
        0 => String::new(),
        1 => format!(", 1 criterion missing ({missing_points:.places$} points)"),
        n => format!(", {n} criteria missing ({missing_points:.places$} points)"),
    };
    format!(
        "<Evaluation {}{period}: {points:.places$} of {} (index {index}{grade}){gaps}>",
        e.unit(),
        e.max_points().normalize(),
    )
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
    guard(py, "unpickling an evaluation", || {
        let compiled = &scheme.get().scheme;
        let inputs =
            restore_inputs(compiled, unit, period, &cells).map_err(|e| input_error(py, &e))?;
        let evaluation = compiled
            .evaluate(&inputs, &parscore::Options { strict })
            .and_then(|e| crate::bounds::check(&e, 1).map(|()| e))
            .map_err(|e| input_error(py, &e))?;
        Ok(PyEvaluation::new(
            scheme.clone_ref(py),
            evaluation,
            inputs,
            strict,
        ))
    })
}

impl PyEvaluation {
    fn convert<'py>(
        &self,
        py: Python<'py>,
        detail: &str,
        decimals: Option<&Bound<'py, PyAny>>,
        library: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let decimals = Decimals::extract(decimals)?;
        let detail = table::Detail::parse(detail, false)?;
        let rows = [table::Unit {
            row: None,
            unit: Some(self.evaluation.unit()),
            period: self.evaluation.period(),
            evaluation: &self.evaluation,
        }];
        let batch = guard(py, "making a table of the evaluation", || {
            Ok(table::detail_table(
                self.evaluation.scheme(),
                &rows,
                detail,
                false,
                decimals,
            ))
        })?;
        table::to_library(py, batch, library)
    }
}

/// One criterion's result.
#[pyclass(frozen, module = "parscore._parscore", name = "CriterionResult")]
pub struct PyCriterionResult {
    /// Kept so that the result pickles as its evaluation's `criterion(code)`.
    parent: Py<PyEvaluation>,
    #[pyo3(get)]
    code: String,
    #[pyo3(get)]
    title: String,
    /// The indicator it scores.
    #[pyo3(get)]
    indicator: String,
    /// A Decimal, counts as `"987/1000"`, a bool, `"n/a"`, or `None` when missing.
    #[pyo3(get)]
    value: ValueOut,
    #[pyo3(get)]
    target: Option<String>,
    /// Whether the target was met; `None` without a target or a value.
    #[pyo3(get)]
    passed: Option<bool>,
    /// Signed distance on the passing side of a numeric target.
    #[pyo3(get)]
    margin: Option<Decimal>,
    #[pyo3(get)]
    points: Decimal,
    #[pyo3(get)]
    max_points: Decimal,
    #[pyo3(get)]
    lost_points: Decimal,
    /// What meeting the target would add.
    #[pyo3(get)]
    recoverable: Decimal,
    /// `scored`, `missing` or `not_applicable`.
    #[pyo3(get)]
    status: &'static str,
    #[pyo3(get)]
    explanation: String,
    #[pyo3(get)]
    task: Option<String>,
    #[pyo3(get)]
    lead: Option<String>,
    #[pyo3(get)]
    timeline: Option<String>,
    /// `content`, `bonus` or `penalty`: counted in the maximum, added, or taken off.
    #[pyo3(get)]
    part: &'static str,
}

impl PyCriterionResult {
    fn new(parent: &Bound<'_, PyEvaluation>, c: &CriterionResult<'_>) -> Self {
        let node = c.criterion();
        PyCriterionResult {
            parent: parent.clone().unbind(),
            code: c.code().to_string(),
            title: c.title().to_string(),
            indicator: c.indicator().id.clone(),
            value: ValueOut(c.value()),
            target: c.target().map(ToString::to_string),
            passed: c.passed(),
            margin: c.margin().map(|m| m.normalize()),
            points: c.points().normalize(),
            max_points: c.max_points().normalize(),
            lost_points: c.lost_points().normalize(),
            recoverable: c.recoverable().normalize(),
            status: c.status().name(),
            explanation: c.explanation(),
            task: node.task.clone(),
            lead: node.lead.clone(),
            timeline: node.timeline.clone(),
            part: node.part.name(),
        }
    }
}

/// A measured value as Python sees it: a Decimal, counts as `"987/1000"` text (exact), a
/// bool or `"n/a"` — the forms of the results document.
#[derive(Clone, Copy)]
pub struct ValueOut(pub Option<Value>);

impl<'py> IntoPyObject<'py> for &ValueOut {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(match self.0 {
            None => py.None().into_bound(py),
            Some(Value::Number(d)) => d.normalize().into_pyobject(py)?,
            Some(Value::Bool(b)) => b.into_pyobject(py)?.to_owned().into_any(),
            Some(other) => other.to_string().into_pyobject(py)?.into_any(),
        })
    }
}

#[pymethods]
impl PyCriterionResult {
    fn __repr__(&self) -> String {
        format!("<CriterionResult {}: {}>", self.code, self.explanation)
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let find = self.parent.bind(py).getattr("criterion")?;
        (find, (self.code.as_str(),)).into_pyobject(py)
    }
}

/// An area's or sub-group's subtotal.
#[pyclass(frozen, module = "parscore._parscore", name = "GroupResult")]
pub struct PyGroupResult {
    /// Kept so that the subtotal pickles as its evaluation's `group(code)`.
    parent: Py<PyEvaluation>,
    #[pyo3(get)]
    code: String,
    #[pyo3(get)]
    title: String,
    /// 0 for an area.
    #[pyo3(get)]
    depth: usize,
    #[pyo3(get)]
    points: Decimal,
    #[pyo3(get)]
    max_points: Decimal,
    #[pyo3(get)]
    lost_points: Decimal,
    /// Rounded as the scheme reports it; `None` when nothing in it applies.
    #[pyo3(get)]
    index: Option<Decimal>,
    /// `content`, `bonus` (the bonus section) or `penalty` (the penalties section).
    #[pyo3(get)]
    part: &'static str,
}

impl PyGroupResult {
    fn new(parent: &Bound<'_, PyEvaluation>, group: &GroupResult<'_>) -> Self {
        let rounding = parent.get().evaluation.scheme().rounding();
        PyGroupResult {
            parent: parent.clone().unbind(),
            code: group.code().to_string(),
            title: group.title().to_string(),
            depth: group.criterion().depth,
            points: group.points().normalize(),
            max_points: group.max_points().normalize(),
            lost_points: (group.max_points() - group.points()).normalize(),
            index: rounding
                .index(group.points(), group.max_points())
                .map(|i| i.normalize()),
            part: group.criterion().part.name(),
        }
    }
}

#[pymethods]
impl PyGroupResult {
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let find = self.parent.bind(py).getattr("group")?;
        (find, (self.code.as_str(),)).into_pyobject(py)
    }

    fn __repr__(&self) -> String {
        format!(
            "<GroupResult {} {}: {} of {}>",
            self.code, self.title, self.points, self.max_points
        )
    }
}

/// Points a criterion could recover.
#[pyclass(frozen, get_all, module = "parscore._parscore", name = "Recoverable")]
pub struct PyRecoverable {
    criterion: Py<PyCriterionResult>,
    points: Decimal,
}

#[pymethods]
impl PyRecoverable {
    #[getter]
    fn code(&self) -> &str {
        &self.criterion.get().code
    }

    #[getter]
    fn title(&self) -> &str {
        &self.criterion.get().title
    }

    fn __repr__(&self) -> String {
        let criterion = self.criterion.get();
        format!(
            "<Recoverable +{} {} {}>",
            self.points, criterion.code, criterion.title
        )
    }

    /// A criterion's recoverable points are its own `recoverable`, so it is all a pickle needs.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let restore = py.import("parscore._parscore")?.getattr("_recoverable")?;
        (restore, (self.criterion.clone_ref(py),)).into_pyobject(py)
    }
}

#[pyfunction]
pub fn _recoverable(py: Python<'_>, criterion: Py<PyCriterionResult>) -> PyRecoverable {
    PyRecoverable {
        points: criterion.get().recoverable,
        criterion: criterion.clone_ref(py),
    }
}
