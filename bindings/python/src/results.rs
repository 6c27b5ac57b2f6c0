//! `Results`: a batch scored row by row, each row with its status, ranked within its period.

use parscore::{Batch, Decimal, InputError, Inputs, Options, Report, Scheme, UnitResult};
use pyo3::exceptions::PyIndexError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};

use crate::bounds;
use crate::document;
use crate::errors::{error_state, input_error_object, parscore_error, restore_error};
use crate::evaluation::{PyEvaluation, inputs_state, restore_inputs};
use crate::guard::guard;
use crate::html::{self, Lang};
use crate::scheme::PyScheme;
use crate::table::{self, Decimals};
use crate::values::Row;

/// The results of `evaluate_many`, one per input row, in input order.
#[pyclass(frozen, module = "parscore._parscore", name = "Results")]
pub struct PyResults {
    pub batch: Batch,
    /// Shared with the evaluations of its rows (see `PyEvaluation::scheme`).
    pub scheme: Py<PyScheme>,
    /// Each row's inputs as read (or why they could not be): what a pickle carries.
    pub inputs: Vec<Result<Inputs, InputError>>,
    pub strict: bool,
}

impl PyResults {
    /// Scores rows without the GIL.
    pub fn score(py: Python<'_>, scheme: Py<PyScheme>, rows: Vec<Row>, strict: bool) -> PyResults {
        let (batch, inputs) = py.detach(|| score_rows(&scheme.get().scheme, rows, strict));
        PyResults {
            batch,
            scheme,
            inputs,
            strict,
        }
    }
}

/// Scores rows into a batch, keeping each row's inputs.
fn score_rows(
    scheme: &Scheme,
    rows: Vec<Row>,
    strict: bool,
) -> (Batch, Vec<Result<Inputs, InputError>>) {
    let inputs = rows.iter().map(|r| r.inputs.clone()).collect();
    (score_batch(scheme, rows, strict), inputs)
}

/// Scores rows into a batch. A row that could not be read keeps the unit and period it gave,
/// as the core's `evaluate_rows` does for a file. A unit whose points leave their bounds is
/// an error of its row, and the batch is scored again without it so that it is not ranked.
pub fn score_batch(scheme: &Scheme, rows: Vec<Row>, strict: bool) -> Batch {
    let options = Options { strict };
    let (labels, mut inputs): (Vec<_>, Vec<_>) = rows
        .into_iter()
        .map(|row| ((row.unit, row.period), row.inputs))
        .unzip();
    let mut batch = scheme.evaluate_batch(inputs.iter().cloned(), &options);
    let broken: Vec<(usize, InputError)> = batch
        .results
        .iter()
        .enumerate()
        .filter_map(|(i, r)| Some((i, bounds::check(r.outcome.as_ref().ok()?, i + 1).err()?)))
        .collect();
    if !broken.is_empty() {
        for (i, error) in broken {
            inputs[i] = Err(error);
        }
        batch = scheme.evaluate_batch(inputs, &options);
    }
    for (result, (unit, period)) in batch.results.iter_mut().zip(labels) {
        if result.unit.is_none() {
            result.unit = unit;
            result.period = period;
        }
    }
    batch
}

#[pymethods]
impl PyResults {
    #[getter]
    fn scheme(&self, py: Python<'_>) -> Py<PyScheme> {
        self.scheme.clone_ref(py)
    }

    fn __len__(&self) -> usize {
        self.batch.results.len()
    }

    fn __getitem__(slf: &Bound<'_, Self>, index: isize) -> PyResult<PyRow> {
        let len = slf.get().batch.results.len() as isize;
        let at = if index < 0 { index + len } else { index };
        if !(0..len).contains(&at) {
            return Err(PyIndexError::new_err("row index out of range"));
        }
        guard(slf.py(), "reading a row", || row(slf, at as usize))
    }

    fn __iter__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        PyList::new(slf.py(), rows(slf)?)?
            .try_iter()
            .map(|i| i.into_any())
    }

    /// The rows that scored.
    #[getter]
    fn ok(slf: &Bound<'_, Self>) -> PyResult<Vec<PyRow>> {
        Ok(rows(slf)?.into_iter().filter(|r| r.ok()).collect())
    }

    /// The rows that failed, each with its error (an `InputError`, not raised).
    #[getter]
    fn errors(slf: &Bound<'_, Self>) -> PyResult<Vec<PyRow>> {
        Ok(rows(slf)?.into_iter().filter(|r| !r.ok()).collect())
    }

    /// Scored rows by rank within each period (ties share a rank and keep input order).
    fn ranking(slf: &Bound<'_, Self>) -> PyResult<Vec<PyRow>> {
        guard(slf.py(), "ranking", || ranking(slf))
    }

    /// Counts of rows scored and failed, the mean index, units per grade, and the units and
    /// criteria without input.
    #[getter]
    fn summary(slf: &Bound<'_, Self>) -> PyResult<PySummary> {
        let batch = &slf.get().batch;
        guard(slf.py(), "summarising the results", || {
            let summary = batch.summary();
            let gaps: Vec<usize> = batch
                .results
                .iter()
                .filter_map(|r| Some(r.outcome.as_ref().ok()?.missing_summary().0))
                .collect();
            Ok(PySummary {
                parent: slf.clone().unbind(),
                units: summary.units,
                ok: summary.ok,
                errors: summary.errors,
                mean_index: summary.mean_index.map(|d| d.normalize()),
                grades: summary.grades,
                missing_units: gaps.iter().filter(|&&n| n > 0).count(),
                missing_criteria: gaps.iter().sum(),
            })
        })
    }

    /// These results beside `other` (last year and this year, the self-assessment and the
    /// appraisal), or two periods of these results (`periods=("2024", "2025")`), unit by
    /// unit as `parscore compare` matches them: by name, a unit on one side only listed as
    /// such. `labels` names the two sides (default: the periods); `rounds=True` makes it a
    /// comparison of rounds, with the appraisal list, whatever the periods.
    ///
    /// Returns a `Comparison`. Raises `ParscoreError` when the schemes differ, a side holds
    /// a unit in several periods, or a period has no row; `ValueError` for neither or both
    /// of `other` and `periods`.
    #[pyo3(signature = (other = None, *, periods = None, labels = None, rounds = false))]
    fn compare(
        &self,
        py: Python<'_>,
        other: Option<PyRef<'_, Self>>,
        periods: Option<(String, String)>,
        labels: Option<(String, String)>,
        rounds: bool,
    ) -> PyResult<crate::compare::PyComparison> {
        crate::compare::batches(
            py,
            self.scheme.clone_ref(py),
            &self.batch,
            other.as_deref().map(|o| &o.batch),
            periods,
            labels,
            rounds,
        )
    }

    /// The results document: `{"scheme": …, "results": […], "summary": …}`, figures as
    /// `Decimal`, counts as `int`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guard(py, "making the results document", || self.document(py))
    }

    /// The results document as JSON text, numbers with their exact digits: the text
    /// `parscore evaluate --format json` writes, less each row's source. Rendered one result
    /// at a time, without the GIL, and without building `to_dict()`'s objects
    /// (`indent=None`: one line).
    #[pyo3(signature = (*, indent = Some(2)), text_signature = "(self, /, *, indent=2)")]
    fn to_json(&self, py: Python<'_>, indent: Option<usize>) -> PyResult<String> {
        guard(py, "writing the results as JSON", || {
            let report = self.batch.report();
            py.detach(|| document::to_text(&report, indent))
        })
    }

    /// A `pyarrow.Table`: one row per unit (`detail="units"`: the columns of
    /// `evaluate_frame`, with `missing` and `missing_points`, and each criterion's points,
    /// null for an excluded criterion that does not apply), per unit and criterion
    /// (`"criteria"`) or per unit and group (`"groups"`).
    ///
    /// `decimals` is `"exact"` (default), a scale 0–28 or `"float"`. Raises `ValueError` for
    /// a `detail` or `decimals` it does not take, `ModuleNotFoundError` without pyarrow.
    #[pyo3(signature = (*, detail = "units", decimals = None))]
    fn to_arrow<'py>(
        &self,
        py: Python<'py>,
        detail: &str,
        decimals: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.convert(py, detail, decimals, "pyarrow")
    }

    /// `to_arrow()` as a `pandas.DataFrame` (decimal figures as `decimal.Decimal` in pandas).
    #[pyo3(signature = (*, detail = "units", decimals = None))]
    fn to_pandas<'py>(
        &self,
        py: Python<'py>,
        detail: &str,
        decimals: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.convert(py, detail, decimals, "pandas")
    }

    /// `to_arrow()` as a `polars.DataFrame` (decimal figures as `decimal.Decimal` in pandas).
    #[pyo3(signature = (*, detail = "units", decimals = None))]
    fn to_polars<'py>(
        &self,
        py: Python<'py>,
        detail: &str,
        decimals: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.convert(py, detail, decimals, "polars")
    }

    fn __eq__(&self, other: PyRef<'_, Self>) -> bool {
        self.batch == other.batch
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        guard(py, "showing the results", || {
            let summary = self.batch.summary();
            let mean = summary
                .mean_index
                .map(|m| format!(", mean index {m}"))
                .unwrap_or_default();
            let short = self
                .batch
                .results
                .iter()
                .filter(|r| {
                    r.outcome
                        .as_ref()
                        .is_ok_and(|e| e.missing().next().is_some())
                })
                .count();
            let gaps = match short {
                0 => String::new(),
                n => format!(", {n} with missing criteria"),
            };
            Ok(format!(
                "<Results {}: {} units, {} ok, {} errors{mean}{gaps}>",
                self.batch.scheme.id(),
                summary.units,
                summary.ok,
                summary.errors
            ))
        })
    }

    /// The batch as an HTML table (what a notebook shows): units by rank within each period,
    /// with the criteria each lacks input for, and rows in error last, in red.
    ///
    /// `lang` is `"vi"` (default: Vietnamese terms and decimal commas) or `"en"`. Returns
    /// the HTML text. Raises `ValueError` for another `lang`.
    #[pyo3(signature = (*, lang = "vi"))]
    fn to_html(&self, py: Python<'_>, lang: &str) -> PyResult<String> {
        let lang = Lang::extract(lang)?;
        guard(py, "showing the results", || {
            Ok(html::results(&self.batch, lang))
        })
    }

    /// What a notebook shows: `to_html(lang=lang)`.
    #[pyo3(signature = (*, lang = "vi"))]
    fn _repr_html_(&self, py: Python<'_>, lang: &str) -> PyResult<String> {
        self.to_html(py, lang)
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let restore = py
            .import("parscore._parscore")?
            .getattr("_restore_results")?;
        let rows = PyList::empty(py);
        for (inputs, result) in self.inputs.iter().zip(&self.batch.results) {
            rows.append(row_state(py, inputs, result)?)?;
        }
        (restore, (self.scheme.clone_ref(py), rows, self.strict)).into_pyobject(py)
    }
}

/// What a pickled batch carries: the scheme, each row's inputs as cell text (or the error of
/// a row that could not be read) and the mode; unpickling scores the rows again.
/// One batch row: `("ok", unit, period, cells)` or `("error", unit, period, kind, fields)`.
fn row_state<'py>(
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

#[pyfunction]
pub fn _restore_results(
    py: Python<'_>,
    scheme: Py<PyScheme>,
    rows: Vec<Bound<'_, PyTuple>>,
    strict: bool,
) -> PyResult<PyResults> {
    guard(py, "unpickling results", || {
        restore_results(py, scheme, rows, strict)
    })
}

fn restore_results(
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
            let cells: Vec<(String, String)> = row.get_item(3)?.extract()?;
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
impl PyResults {
    fn convert<'py>(
        &self,
        py: Python<'py>,
        detail: &str,
        decimals: Option<&Bound<'py, PyAny>>,
        library: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let decimals = Decimals::extract(decimals)?;
        let detail = table::Detail::parse(detail, true)?;
        let batch = guard(py, "making a table of the results", || {
            Ok(py.detach(|| table::batch_table(&self.batch, detail, decimals)))
        })?;
        table::to_library(py, batch, library)
    }

    /// The results document, part by part, a result at a time: the JSON of the whole
    /// document (tens of KB a unit) is never held next to the Python objects made from it.
    fn document<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let report = self.batch.report();
        let results = PyList::empty(py);
        for result in &self.batch.results {
            results.append(document::to_python(py, &Report::result_json(result))?)?;
        }
        let dict = PyDict::new(py);
        dict.set_item("scheme", document::to_python(py, &report.scheme_json())?)?;
        dict.set_item("results", results)?;
        dict.set_item("summary", document::to_python(py, &report.summary_json())?)?;
        Ok(dict.into_any())
    }
}

/// Scored rows by period, then rank.
fn ranking(slf: &Bound<'_, PyResults>) -> PyResult<Vec<PyRow>> {
    let results = &slf.get().batch.results;
    let mut order: Vec<usize> = (0..results.len())
        .filter(|&i| results[i].rank.is_some())
        .collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&results[a], &results[b]);
        a.period.cmp(&b.period).then(a.rank.cmp(&b.rank))
    });
    order.into_iter().map(|i| row(slf, i)).collect()
}

fn rows(results: &Bound<'_, PyResults>) -> PyResult<Vec<PyRow>> {
    guard(results.py(), "reading the rows", || {
        (0..results.get().batch.results.len())
            .map(|i| row(results, i))
            .collect()
    })
}

fn row(parent: &Bound<'_, PyResults>, i: usize) -> PyResult<PyRow> {
    let py = parent.py();
    let this = parent.get();
    let result = &this.batch.results[i];
    let (evaluation, error) = match (&result.outcome, &this.inputs[i]) {
        (Ok(evaluation), Ok(inputs)) => (
            Some(Py::new(
                py,
                PyEvaluation::new(
                    this.scheme.clone_ref(py),
                    evaluation.clone(),
                    inputs.clone(),
                    this.strict,
                ),
            )?),
            None,
        ),
        (Err(error), _) | (Ok(_), Err(error)) => (
            None,
            Some(input_error_object(py, error, Some(result.row))?.unbind()),
        ),
    };
    Ok(PyRow::new(parent, i, result, evaluation, error))
}

/// One row of a batch: its evaluation, or its error.
#[pyclass(frozen, module = "parscore._parscore", name = "Row")]
pub struct PyRow {
    /// Kept so that the row pickles as `results[position]`.
    parent: Py<PyResults>,
    position: usize,
    /// 1-based position in the batch.
    #[pyo3(get)]
    row: usize,
    #[pyo3(get)]
    unit: Option<String>,
    #[pyo3(get)]
    period: Option<String>,
    /// `"ok"` or `"error"`.
    #[pyo3(get)]
    status: &'static str,
    #[pyo3(get)]
    evaluation: Option<Py<PyEvaluation>>,
    /// The row's `InputError` (not raised), with its indicator and criterion code.
    #[pyo3(get)]
    error: Option<Py<PyAny>>,
    /// Competition rank within the period (1, 2, 2, 4), ties decided as the scheme's
    /// `[ranking]` says.
    #[pyo3(get)]
    rank: Option<usize>,
    #[pyo3(get)]
    points: Option<Decimal>,
    #[pyo3(get)]
    index: Option<Decimal>,
    #[pyo3(get)]
    grade: Option<String>,
    /// The bonus points counted; `None` for an error or a scheme without a bonus.
    #[pyo3(get)]
    bonus_points: Option<Decimal>,
    /// The penalty points taken off; `None` for an error or a scheme without penalties.
    #[pyo3(get)]
    penalty_points: Option<Decimal>,
}

impl PyRow {
    fn new(
        parent: &Bound<'_, PyResults>,
        position: usize,
        result: &UnitResult,
        evaluation: Option<Py<PyEvaluation>>,
        error: Option<Py<PyAny>>,
    ) -> Self {
        let scored = result.outcome.as_ref().ok();
        PyRow {
            parent: parent.clone().unbind(),
            position,
            row: result.row,
            unit: result.unit.clone(),
            period: result.period.clone(),
            status: if evaluation.is_some() { "ok" } else { "error" },
            evaluation,
            error,
            rank: result.rank,
            points: scored.map(|e| e.points().normalize()),
            index: scored
                .and_then(|e| e.index_rounded())
                .map(|i| i.normalize()),
            grade: scored.and_then(|e| e.grade()).map(|g| g.name.clone()),
            bonus_points: scored.and_then(|e| e.bonus_points()).map(|b| b.normalize()),
            penalty_points: scored
                .and_then(|e| e.penalty_points())
                .map(|p| p.normalize()),
        }
    }

    fn ok(&self) -> bool {
        self.evaluation.is_some()
    }
}

#[pymethods]
impl PyRow {
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let getitem = py.import("operator")?.getattr("getitem")?;
        (getitem, (self.parent.clone_ref(py), self.position)).into_pyobject(py)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let unit = self.unit.as_deref().unwrap_or("?");
        let period = self
            .period
            .as_ref()
            .map(|p| format!(" ({p})"))
            .unwrap_or_default();
        Ok(match (&self.evaluation, &self.error) {
            (Some(_), _) => format!(
                "<Row {} {unit}{period}: rank {}, index {}{}>",
                self.row,
                self.rank.map_or("-".to_string(), |r| r.to_string()),
                self.index.map_or("n/a".to_string(), |i| i.to_string()),
                self.grade
                    .as_ref()
                    .map(|g| format!(", grade {g}"))
                    .unwrap_or_default()
            ),
            (None, Some(error)) => format!(
                "<Row {} {unit}{period}: error: {}>",
                self.row,
                error.bind(py).str()?
            ),
            (None, None) => format!("<Row {} {unit}{period}>", self.row),
        })
    }
}

/// A summary of a batch.
#[pyclass(frozen, module = "parscore._parscore", name = "Summary")]
pub struct PySummary {
    /// Kept so that the summary pickles as its batch's `summary`.
    parent: Py<PyResults>,
    #[pyo3(get)]
    units: usize,
    #[pyo3(get)]
    ok: usize,
    #[pyo3(get)]
    errors: usize,
    /// Mean of the units' exact indices, rounded as the scheme reports.
    #[pyo3(get)]
    mean_index: Option<Decimal>,
    grades: Vec<(String, usize)>,
    /// Scored units with at least one criterion without input.
    #[pyo3(get)]
    missing_units: usize,
    /// Criteria without input, over every scored unit.
    #[pyo3(get)]
    missing_criteria: usize,
}

#[pymethods]
impl PySummary {
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let getattr = py.import("builtins")?.getattr("getattr")?;
        (getattr, (self.parent.clone_ref(py), "summary")).into_pyobject(py)
    }

    /// Units per grade, in the scheme's grade order.
    #[getter]
    fn grades<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for (name, n) in &self.grades {
            dict.set_item(name, n)?;
        }
        Ok(dict)
    }

    fn __repr__(&self) -> String {
        let grades: Vec<String> = self
            .grades
            .iter()
            .map(|(name, n)| format!("{name}: {n}"))
            .collect();
        let gaps = match self.missing_units {
            0 => String::new(),
            n => format!(
                "; {n} units with missing criteria ({} in all)",
                self.missing_criteria
            ),
        };
        format!(
            "<Summary {} units, {} ok, {} errors, mean index {}; {}{gaps}>",
            self.units,
            self.ok,
            self.errors,
            self.mean_index.map_or("n/a".to_string(), |m| m.to_string()),
            grades.join(", ")
        )
    }
}
