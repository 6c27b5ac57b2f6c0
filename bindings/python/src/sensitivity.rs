//! `Scheme.sensitivity`: how sure the scores are. The rows are scored as `evaluate_many`
//! scores them; an uncertainty study of the batch (`parscore-uncertainty`, the study behind
//! `parscore sensitivity`) draws samples of the model and scores every unit under each,
//! exactly. The results come back as a `Sensitivity`: the command's JSON document, frames
//! of its units, variance shares and rank probabilities, and charts in a notebook.

use std::path::PathBuf;
use std::sync::Arc;

use arrow_array::{ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray};
use arrow_schema::{Field, Schema};
use parscore::{Batch, Decimal, Rounding, Scheme, nearest_f64};
use parscore_uncertainty::{Level, Model, Results, Settings, Study, VarianceShare};
use pyo3::exceptions::{PyOSError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyList, PyString, PyTuple, PyType};
use serde_json::{Map, Value as Json, json};

use crate::document;
use crate::errors::{input_error, parscore_error, scheme_error, scheme_file_error};
use crate::guard::guard;
use crate::html::Lang;
use crate::results::PyResults;
use crate::scheme::PyScheme;
use crate::sensitivity_html;
use crate::table::{self, Decimals};

/// The most samples a study takes, as the command's `--samples`: each is an evaluation of
/// every unit, held in memory until the statistics are made.
const MAX_SAMPLES: usize = 1_000_000;

/// Keys of the document whose values are exact figures, written as text in JSON and as
/// `Decimal` in `to_dict()`.
const DECIMAL_KEYS: [&str; 6] = ["index", "p05", "p50", "p95", "points", "weights"];

static DECIMAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// Where the model came from, as the command's document says it (`model`).
#[derive(Debug, Clone)]
pub enum ModelSource {
    /// The scheme's default: ±20% for an estimated scheme, nothing for an official one.
    Default { spread: Decimal },
    /// `weights=PCT` alone.
    Weights(Decimal),
    /// A model's TOML (from a file when `path` is set), with `weights` laid over it.
    Text {
        path: Option<String>,
        weights: Option<Decimal>,
    },
}

/// The results of `Scheme.sensitivity`.
#[pyclass(frozen, module = "parscore._parscore", name = "Sensitivity")]
pub struct PySensitivity {
    pub results: Results,
    /// The units studied, scored: kept as the `Results` they are so that a pickle of the
    /// study carries them (their rows score again to the same figures).
    scored: Py<PyResults>,
    scheme: Py<PyScheme>,
    pub model: ModelSource,
    /// Whether anything varies under the model.
    pub certain: bool,
}

/// The keywords of `Scheme.sensitivity` besides the rows.
pub struct Request<'a, 'py> {
    pub samples: usize,
    pub seed: u64,
    pub model: Option<&'a Bound<'py, PyAny>>,
    pub weights: Option<&'a Bound<'py, PyAny>>,
    pub factors: Option<&'a str>,
    pub threads: Option<usize>,
    pub scoring: &'a Bound<'py, PyDict>,
}

/// `Scheme.sensitivity(rows, …)`.
pub fn sensitivity(
    slf: &Bound<'_, PyScheme>,
    rows: &Bound<'_, PyAny>,
    request: Request<'_, '_>,
) -> PyResult<PySensitivity> {
    let py = slf.py();
    if !(1..=MAX_SAMPLES).contains(&request.samples) {
        return Err(PyValueError::new_err(format!(
            "samples={}: give from 1 to {MAX_SAMPLES} samples",
            request.samples
        )));
    }
    if request.threads == Some(0) {
        return Err(PyValueError::new_err(
            "threads=0: give at least one thread (None uses every core)",
        ));
    }
    let level = match request.factors {
        None => None,
        Some("areas") => Some(Level::Areas),
        Some("criteria") => Some(Level::Criteria),
        Some(other) => {
            return Err(PyValueError::new_err(format!(
                "factors must be \"areas\", \"criteria\" or None (no variance shares), not \
                 {other:?}"
            )));
        }
    };
    let weights = request.weights.map(weights_percent).transpose()?;
    // Read before the rows: a model file that cannot be read is not worth scoring for.
    let model_text = request.model.map(model_text).transpose()?;
    let scheme = &slf.get().scheme;
    let scored = batch_of(slf, rows, request.scoring)?;
    let batch = &scored.get().batch;
    guard(py, "running a sensitivity study", || {
        let (model, source) = model(py, scheme, model_text, weights)?;
        let settings = Settings {
            samples: request.samples,
            seed: request.seed,
            threads: request.threads,
            sensitivity: level,
        };
        let results = py
            .detach(|| Study::new(batch, &model, settings).and_then(|s| s.run()))
            .map_err(|e| study_error(py, e))?;
        Ok(PySensitivity {
            results,
            scored: scored.clone_ref(py),
            scheme: slf.clone().unbind(),
            model: source,
            certain: model.is_certain(),
        })
    })
}

/// `weights=`: a percent, as a number or its text; not a bool.
fn weights_percent(value: &Bound<'_, PyAny>) -> PyResult<Decimal> {
    let refuse = || -> PyResult<PyErr> {
        Ok(PyTypeError::new_err(format!(
            "weights must be a percent (a number such as 20), not {}",
            value.repr()?
        )))
    };
    if value.is_instance_of::<PyBool>() {
        return Err(refuse()?);
    }
    if let Ok(text) = value.cast::<PyString>() {
        return text.to_cow()?.trim().parse::<Decimal>().map_err(|_| {
            PyValueError::new_err(format!(
                "weights must be a percent (a number such as 20), not {:?}",
                text.to_cow().unwrap_or_default()
            ))
        });
    }
    match value.extract::<Decimal>() {
        Ok(d) => Ok(d),
        Err(_) => Err(refuse()?),
    }
}

/// `model=`: TOML text (`str`), or a path (`os.PathLike`) whose file holds it.
fn model_text(value: &Bound<'_, PyAny>) -> PyResult<(String, Option<String>)> {
    if let Ok(text) = value.cast::<PyString>() {
        return Ok((text.to_cow()?.into_owned(), None));
    }
    if value.hasattr("__fspath__")? {
        let path: PathBuf = value.extract()?;
        let text = std::fs::read_to_string(&path).map_err(|e| {
            PyOSError::new_err((
                e.raw_os_error().unwrap_or(0),
                e.to_string(),
                path.display().to_string(),
            ))
        })?;
        return Ok((text, Some(path.display().to_string())));
    }
    Err(PyTypeError::new_err(format!(
        "model must be the model's TOML text (str) or a path to its file, not a {}",
        value.get_type().name()?
    )))
}

/// The model: the text's (its problems located, as a scheme's), with `weights` laid over
/// its `[weights]`; or `weights` alone; or the scheme's default.
fn model(
    py: Python<'_>,
    scheme: &Scheme,
    text: Option<(String, Option<String>)>,
    weights: Option<Decimal>,
) -> PyResult<(Model, ModelSource)> {
    let Some((text, path)) = text else {
        return match weights {
            Some(spread) => {
                let file = parscore_uncertainty::ModelFile {
                    weights: Some(parscore_uncertainty::model::WeightsFile::uniform(spread)),
                    ..Default::default()
                };
                let model = Model::from_file(scheme, file).map_err(|e| weights_error(py, &e))?;
                Ok((model, ModelSource::Weights(spread)))
            }
            None => {
                let spread = if scheme.estimated() {
                    Decimal::from(20)
                } else {
                    Decimal::ZERO
                };
                Ok((Model::default_for(scheme), ModelSource::Default { spread }))
            }
        };
    };
    let located = |e: &parscore::SchemeError| match &path {
        Some(path) => scheme_file_error(py, e, path),
        None => scheme_error(py, e),
    };
    let model = match weights {
        None => Model::from_toml(scheme, &text).map_err(|e| located(&e))?,
        Some(spread) => {
            // The text's own problems first, with their places; then the spread's.
            Model::from_toml(scheme, &text).map_err(|e| located(&e))?;
            Model::from_toml_with_weights(scheme, &text, spread)
                .map_err(|e| weights_error(py, &e))?
        }
    };
    Ok((model, ModelSource::Text { path, weights }))
}

/// A spread that the model refuses, said of `weights=`.
fn weights_error(py: Python<'_>, error: &parscore::SchemeError) -> PyErr {
    let reasons: Vec<String> = error
        .problems()
        .iter()
        .map(|p| p.kind.to_string())
        .collect();
    let error = parscore_error(py, format!("weights: {}", reasons.join("; ")));
    error.value(py).setattr("field", "weights").ok();
    error
}

/// Why a study cannot run, as the package's exceptions.
fn study_error(py: Python<'_>, error: parscore_uncertainty::Error) -> PyErr {
    match &error {
        parscore_uncertainty::Error::Scheme(e) => scheme_error(py, e),
        parscore_uncertainty::Error::Input(e) => input_error(py, e),
        other => parscore_error(py, format!("the study cannot run: {other}")),
    }
}

/// The batch to study: a `Results` as it is, a frame's rows or an iterable of mappings
/// scored by `evaluate_many` with the same keywords.
fn batch_of(
    slf: &Bound<'_, PyScheme>,
    rows: &Bound<'_, PyAny>,
    scoring: &Bound<'_, PyDict>,
) -> PyResult<Py<PyResults>> {
    let py = slf.py();
    if let Ok(results) = rows.cast::<PyResults>() {
        let batch = &results.get().batch;
        if batch.scheme != slf.get().scheme {
            return Err(parscore_error(
                py,
                format!(
                    "these results were scored with scheme `{}`, not `{}`: study them with \
                     their own scheme",
                    batch.scheme.id(),
                    slf.get().scheme.id()
                ),
            ));
        }
        if !scoring.is_empty() {
            return Err(PyTypeError::new_err(
                "strict, ignore_unknown and decimal apply to rows to score, not to Results \
                 already scored",
            ));
        }
        return Ok(results.clone().unbind());
    }
    let frame_rows = py
        .import("parscore._frames")?
        .call_method1("frame_rows", (rows, "sensitivity"))?;
    let rows = if frame_rows.is_none() {
        rows
    } else {
        &frame_rows
    };
    let results = slf.call_method("evaluate_many", (rows,), Some(scoring))?;
    Ok(results.cast::<PyResults>()?.clone().unbind())
}

impl PySensitivity {
    /// The units studied, as they were scored.
    pub fn batch(&self) -> &Batch {
        &self.scored.get().batch
    }
}

/// A pickled `ModelSource`: `("default", spread, None)`, `("weights", spread, None)` or
/// `("text", weights, path)`.
type ModelState = (String, Option<Decimal>, Option<String>);

impl ModelSource {
    fn state(&self) -> ModelState {
        match self {
            ModelSource::Default { spread } => ("default".into(), Some(*spread), None),
            ModelSource::Weights(spread) => ("weights".into(), Some(*spread), None),
            ModelSource::Text { path, weights } => ("text".into(), *weights, path.clone()),
        }
    }

    fn from_state((kind, figure, path): ModelState) -> Option<ModelSource> {
        match kind.as_str() {
            "default" => figure.map(|spread| ModelSource::Default { spread }),
            "weights" => figure.map(ModelSource::Weights),
            "text" => Some(ModelSource::Text {
                path,
                weights: figure,
            }),
            _ => None,
        }
    }
}

#[pyfunction]
pub fn _restore_sensitivity(
    py: Python<'_>,
    scored: Py<PyResults>,
    state: &str,
    model: ModelState,
    certain: bool,
) -> PyResult<PySensitivity> {
    guard(py, "unpickling a sensitivity study", || {
        let results: Results = serde_json::from_str(state)
            .map_err(|e| parscore_error(py, format!("not a pickled Sensitivity: {e}")))?;
        let model = ModelSource::from_state(model)
            .ok_or_else(|| parscore_error(py, "not a pickled Sensitivity: its model"))?;
        let scheme = scored.get().scheme.clone_ref(py);
        Ok(PySensitivity {
            results,
            scored,
            scheme,
            model,
            certain,
        })
    })
}

#[pymethods]
impl PySensitivity {
    /// Pickles as the study's results (its JSON: exact figures as text, probabilities as
    /// their doubles' shortest text), the scored units (which pickle as their rows) and
    /// where the model came from: the samples are not drawn again.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let restore = py
            .import("parscore._parscore")?
            .getattr("_restore_sensitivity")?;
        let state = serde_json::to_string(&self.results)
            .map_err(|e| parscore_error(py, format!("cannot pickle a Sensitivity: {e}")))?;
        let args = (
            self.scored.clone_ref(py),
            state,
            self.model.state(),
            self.certain,
        );
        (restore, args).into_pyobject(py)
    }

    /// The scheme the units were scored with.
    #[getter]
    fn scheme(&self, py: Python<'_>) -> Py<PyScheme> {
        self.scheme.clone_ref(py)
    }

    /// Samples of the uncertainty analysis.
    #[getter]
    fn samples(&self) -> usize {
        self.results.samples
    }

    /// The seed that gives these results again.
    #[getter]
    fn seed(&self) -> u64 {
        self.results.seed
    }

    /// `"areas"` or `"criteria"`: the factors of the variance shares; `None` when they were
    /// not asked for.
    #[getter]
    fn factors(&self) -> Option<&'static str> {
        self.results.sensitivity.map(|level| match level {
            Level::Criteria => "criteria",
            Level::Areas => "areas",
        })
    }

    /// Whether anything varies under the model (`False`: every sample is the scheme as it is).
    #[getter]
    fn varies(&self) -> bool {
        !self.certain
    }

    /// The study as the command's JSON document: `units[]` with `row`, `unit`, `period`,
    /// `index`, `grade`, `rank`, `p05`, `p50`, `p95`, `grades` (name → probability),
    /// `rank_p05`, `rank_p95`, `ranks`, `error`, `missing`; `variance_share[]` and
    /// `rank_variance_share[]` with `code`, `first`, `total`, `first_se`, `total_se`.
    /// Exact figures are `Decimal`; probabilities and shares are float estimates.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guard(py, "making the study's document", || {
            to_python(py, &self.document(), None)
        })
    }

    /// `to_dict()` as JSON text, the keys and figures `parscore sensitivity --format json`
    /// writes (less each unit's source): exact figures as text (`"85.12"`).
    #[pyo3(signature = (*, indent = Some(2)), text_signature = "(self, /, *, indent=2)")]
    fn to_json(&self, py: Python<'_>, indent: Option<usize>) -> PyResult<String> {
        guard(py, "writing the study as JSON", || {
            document::to_text(&self.document(), indent)
        })
    }

    /// A `pyarrow.Table` of the study: one row per unit (`detail="units"`), per factor
    /// (`"variance_share"`, `"rank_variance_share"`) or per unit and rank (`"ranks"`).
    ///
    /// `decimals` is `"exact"` (default), a scale 0–28 or `"float"` for the exact figures
    /// (index, quantiles, missing points); probabilities and shares are always `float64`.
    /// Raises `ValueError` for a `detail` or `decimals` it does not take,
    /// `ModuleNotFoundError` without pyarrow.
    #[pyo3(signature = (*, detail = "units", decimals = None))]
    fn to_arrow<'py>(
        &self,
        py: Python<'py>,
        detail: &str,
        decimals: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.convert(py, detail, decimals, "pyarrow")
    }

    /// `to_arrow()` as a `pandas.DataFrame` (exact figures as `decimal.Decimal`).
    #[pyo3(signature = (*, detail = "units", decimals = None))]
    fn to_pandas<'py>(
        &self,
        py: Python<'py>,
        detail: &str,
        decimals: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.convert(py, detail, decimals, "pandas")
    }

    /// `to_arrow()` as a `polars.DataFrame` (exact figures as `Decimal` columns).
    #[pyo3(signature = (*, detail = "units", decimals = None))]
    fn to_polars<'py>(
        &self,
        py: Python<'py>,
        detail: &str,
        decimals: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.convert(py, detail, decimals, "polars")
    }

    fn __repr__(&self) -> String {
        let (scored, failed) = (
            self.results
                .units
                .iter()
                .filter(|u| u.error.is_none())
                .count(),
            self.results
                .units
                .iter()
                .filter(|u| u.error.is_some())
                .count(),
        );
        format!(
            "<Sensitivity {}: {} units, {} errors, {} samples, seed {}{}>",
            self.results.scheme,
            scored,
            failed,
            self.results.samples,
            self.results.seed,
            if self.certain { ", nothing varies" } else { "" }
        )
    }

    /// The study as HTML (what a notebook shows): a fan chart of each unit's index (p5–p95,
    /// median, the index as scored) against the grade thresholds, a rank-stability chart
    /// per period, the units' table and the variance shares, as inline SVG.
    ///
    /// `lang` is `"vi"` (default) or `"en"`. Raises `ValueError` for another `lang`.
    #[pyo3(signature = (*, lang = "vi"))]
    fn to_html(&self, py: Python<'_>, lang: &str) -> PyResult<String> {
        let lang = Lang::extract(lang)?;
        guard(py, "showing the study", || {
            Ok(sensitivity_html::render(self, lang))
        })
    }

    /// What a notebook shows: `to_html(lang=lang)`.
    #[pyo3(signature = (*, lang = "vi"))]
    fn _repr_html_(&self, py: Python<'_>, lang: &str) -> PyResult<String> {
        self.to_html(py, lang)
    }
}

impl PySensitivity {
    /// The command's document: the study's results with the model after the seed and each
    /// unit's criteria without input.
    fn document(&self) -> Json {
        let mut document = serde_json::to_value(&self.results).unwrap_or(Json::Null);
        let Json::Object(fields) = &mut document else {
            return document;
        };
        let text = |d: &Decimal| d.normalize().to_string();
        let model = match &self.model {
            ModelSource::Default { spread } => {
                json!({"file": null, "weights": text(spread), "default": true})
            }
            ModelSource::Weights(spread) => {
                json!({"file": null, "weights": text(spread), "default": false})
            }
            ModelSource::Text { path, weights } => json!({
                "file": path,
                "weights": weights.as_ref().map(text),
                "default": false,
            }),
        };
        let mut ordered = Map::new();
        for (key, value) in std::mem::take(fields) {
            let after = key == "seed";
            ordered.insert(key, value);
            if after {
                ordered.insert("model".into(), model.clone());
                ordered.insert("varies".into(), Json::Bool(!self.certain));
            }
        }
        *fields = ordered;
        if let Some(Json::Array(units)) = fields.get_mut("units") {
            for (unit, result) in units.iter_mut().zip(&self.batch().results) {
                if let (Json::Object(unit), Ok(evaluation)) = (unit, &result.outcome) {
                    let (count, points) = evaluation.missing_summary();
                    unit.insert(
                        "missing".into(),
                        json!({"count": count, "points": text(&points)}),
                    );
                }
            }
        }
        document
    }

    fn convert<'py>(
        &self,
        py: Python<'py>,
        detail: &str,
        decimals: Option<&Bound<'py, PyAny>>,
        library: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let decimals = Decimals::extract(decimals)?;
        let batch = guard(py, "making the study's table", || {
            match detail {
                "units" => Ok(self.units_table(decimals)),
                "variance_share" => Ok(shares_table(
                    &self.batch().scheme,
                    &self.results.variance_share,
                )),
                "rank_variance_share" => Ok(shares_table(
                    &self.batch().scheme,
                    &self.results.rank_variance_share,
                )),
                "ranks" => Ok(self.ranks_table()),
                other => Err(PyValueError::new_err(format!(
                    "detail must be \"units\", \"variance_share\", \"rank_variance_share\" or \
                     \"ranks\", not {other:?}"
                ))),
            }
            .and_then(|batch| batch.map_err(|e| PyValueError::new_err(e.to_string())))
        })?;
        table::to_library(py, batch, library)
    }

    /// One row per input row: the unit's exact figures, each grade's probability (`P(name)`),
    /// the rank's range and its gaps.
    fn units_table(&self, decimals: Decimals) -> Result<RecordBatch, arrow_schema::ArrowError> {
        let units = &self.results.units;
        let rounding = self.batch().scheme.rounding();
        let mut columns = Columns::default();
        columns.int("row", units.iter().map(|u| Some(u.row as i64)));
        columns.text("unit", units.iter().map(|u| u.unit.as_deref()));
        columns.text("period", units.iter().map(|u| u.period.as_deref()));
        columns.decimal("index", units.iter().map(|u| u.index), decimals, rounding);
        columns.text("grade", units.iter().map(|u| u.grade.as_deref()));
        columns.int("rank", units.iter().map(|u| u.rank.map(|r| r as i64)));
        columns.decimal("p05", units.iter().map(|u| u.p05), decimals, rounding);
        columns.decimal("p50", units.iter().map(|u| u.p50), decimals, rounding);
        columns.decimal("p95", units.iter().map(|u| u.p95), decimals, rounding);
        for (g, grade) in self.batch().scheme.grades().iter().enumerate() {
            columns.float(
                &format!("P({})", grade.name),
                units.iter().map(|u| u.grades.get(g).map(|(_, p)| *p)),
            );
        }
        columns.int(
            "rank_p05",
            units.iter().map(|u| u.rank_p05.map(|r| r as i64)),
        );
        columns.int(
            "rank_p95",
            units.iter().map(|u| u.rank_p95.map(|r| r as i64)),
        );
        let missing: Vec<Option<(usize, Decimal)>> = self
            .batch()
            .results
            .iter()
            .map(|r| r.outcome.as_ref().ok().map(|e| e.missing_summary()))
            .collect();
        columns.int(
            "missing",
            missing.iter().map(|m| m.map(|(count, _)| count as i64)),
        );
        columns.decimal(
            "missing_points",
            missing
                .iter()
                .map(|m| m.map(|(_, points)| points.normalize())),
            decimals,
            rounding,
        );
        columns.text("error", units.iter().map(|u| u.error.as_deref()));
        columns.finish()
    }

    /// One row per unit and rank, for periods of at most 30 units: the probability that the
    /// unit takes that rank.
    fn ranks_table(&self) -> Result<RecordBatch, arrow_schema::ArrowError> {
        let (mut rows, mut units, mut periods, mut ranks, mut probabilities) =
            (vec![], vec![], vec![], vec![], vec![]);
        for unit in &self.results.units {
            for (r, p) in unit.ranks.iter().flatten().enumerate() {
                rows.push(Some(unit.row as i64));
                units.push(unit.unit.as_deref());
                periods.push(unit.period.as_deref());
                ranks.push(Some(r as i64 + 1));
                probabilities.push(Some(*p));
            }
        }
        let mut columns = Columns::default();
        columns.int("row", rows);
        columns.text("unit", units);
        columns.text("period", periods);
        columns.int("rank", ranks);
        columns.float("probability", probabilities);
        columns.finish()
    }
}

/// One row per factor: its code and title, and its first-order and total shares with
/// their standard errors (float estimates; null when nothing varies).
fn shares_table(
    scheme: &Scheme,
    shares: &[VarianceShare],
) -> Result<RecordBatch, arrow_schema::ArrowError> {
    let mut columns = Columns::default();
    columns.text("code", shares.iter().map(|s| Some(s.code.as_str())));
    let titles: Vec<String> = shares
        .iter()
        .map(|s| factor_title(scheme, &s.code))
        .collect();
    columns.text("title", titles.iter().map(|t| Some(t.as_str())));
    columns.float("first", shares.iter().map(|s| s.first));
    columns.float("total", shares.iter().map(|s| s.total));
    columns.float("first_se", shares.iter().map(|s| s.first_se));
    columns.float("total_se", shares.iter().map(|s| s.total_se));
    columns.finish()
}

/// What a factor is: an area's or criterion's title, an indicator's, or the choice.
pub fn factor_title(scheme: &Scheme, code: &str) -> String {
    if let Some(criterion) = scheme.criterion(code) {
        return criterion.title.clone();
    }
    if let Some(indicator) = scheme.indicator(code) {
        return indicator.title.clone();
    }
    match code {
        "not_applicable" => "not applicable: excluded or full points".into(),
        "rounding" => "rounding".into(),
        _ => String::new(),
    }
}

/// The columns of a table, built in order.
#[derive(Default)]
struct Columns {
    fields: Vec<Field>,
    arrays: Vec<ArrayRef>,
}

impl Columns {
    fn push(&mut self, name: &str, array: ArrayRef) {
        self.fields
            .push(Field::new(name, array.data_type().clone(), true));
        self.arrays.push(array);
    }

    fn int(&mut self, name: &str, values: impl IntoIterator<Item = Option<i64>>) {
        let array: Int64Array = values.into_iter().collect();
        self.push(name, Arc::new(array));
    }

    fn float(&mut self, name: &str, values: impl IntoIterator<Item = Option<f64>>) {
        let array: Float64Array = values.into_iter().collect();
        self.push(name, Arc::new(array));
    }

    fn text<'a>(&mut self, name: &str, values: impl IntoIterator<Item = Option<&'a str>>) {
        let array: StringArray = values.into_iter().collect();
        self.push(name, Arc::new(array));
    }

    /// Exact figures: at the most places any of them has, at a fixed scale (rounded as the
    /// scheme rounds), or as the nearest doubles.
    fn decimal(
        &mut self,
        name: &str,
        values: impl IntoIterator<Item = Option<Decimal>>,
        decimals: Decimals,
        rounding: Rounding,
    ) {
        let values: Vec<Option<Decimal>> = values.into_iter().collect();
        let array = match decimals {
            Decimals::Exact => {
                let scale = values.iter().flatten().map(Decimal::scale).max();
                table::decimal_array(values, scale.unwrap_or(0))
            }
            Decimals::Fixed(places) => {
                let rounding = Rounding { places, ..rounding };
                let rounded = values.iter().map(|v| v.map(|d| rounding.round(d)));
                table::decimal_array(rounded.collect(), places)
            }
            Decimals::Float => Arc::new(
                values
                    .iter()
                    .map(|v| v.map(nearest_f64))
                    .collect::<Float64Array>(),
            ) as ArrayRef,
        };
        self.push(name, array);
    }

    fn finish(self) -> Result<RecordBatch, arrow_schema::ArrowError> {
        RecordBatch::try_new(Arc::new(Schema::new(self.fields)), self.arrays)
    }
}

/// The document as Python objects: exact figures (`DECIMAL_KEYS`) as `Decimal`, whole
/// numbers as `int`, probabilities and shares as `float`.
fn to_python<'py>(py: Python<'py>, json: &Json, key: Option<&str>) -> PyResult<Bound<'py, PyAny>> {
    Ok(match json {
        Json::Null => py.None().into_bound(py),
        Json::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Json::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => i.into_pyobject(py)?.into_any(),
            (None, Some(f)) => f.into_pyobject(py)?.into_any(),
            (None, None) => n.to_string().into_pyobject(py)?.into_any(),
        },
        Json::String(s) if key.is_some_and(|k| DECIMAL_KEYS.contains(&k)) => DECIMAL
            .import(py, "decimal", "Decimal")?
            .call1((s.as_str(),))?,
        Json::String(s) => s.into_pyobject(py)?.into_any(),
        Json::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_python(py, item, key)?)?;
            }
            list.into_any()
        }
        Json::Object(map) => {
            let dict = PyDict::new(py);
            for (k, value) in map {
                dict.set_item(k, to_python(py, value, Some(k))?)?;
            }
            dict.into_any()
        }
    })
}
