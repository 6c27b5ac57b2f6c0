//! `Evaluation.compare` and `Results.compare`: two evaluations of one scheme side by side,
//! as `parscore compare` makes them (the comparison crate does the work). Every field of the
//! command's JSON is an attribute here under the same name; figures are `decimal.Decimal`.

use parscore::{Batch, Decimal, Evaluation, Scheme};
use parscore_compare::{
    AreaChange, CompareOptions, CompareSummary, Comparison, CriterionChange, Entry, Kind, Labels,
    Lowered, UnitChange,
};
use pyo3::exceptions::{PyKeyError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use serde_json::Value as Json;

use crate::analysis_html::{self as page, Lang};
use crate::document;
use crate::errors::parscore_error;
use crate::guard::guard;
use crate::scheme::PyScheme;
use crate::table::{self, Columns, Decimals};

/// Labels as given (`("Tự đánh giá", "Thẩm định")`), in NFC and trimmed as the command
/// reads `--labels`; an empty one is refused.
fn labels(labels: Option<(String, String)>) -> PyResult<Option<Labels>> {
    let Some((before, after)) = labels else {
        return Ok(None);
    };
    let clean = |label: &str| parscore::text::nfc(label.trim()).into_owned();
    let (before, after) = (clean(&before), clean(&after));
    if before.is_empty() || after.is_empty() {
        return Err(PyValueError::new_err(
            "labels takes two non-empty names: (before, after)",
        ));
    }
    Ok(Some(Labels::new(before, after)))
}

fn kind(rounds: bool) -> Option<Kind> {
    rounds.then_some(Kind::Rounds)
}

/// `Evaluation.compare`: one unit's two evaluations (two periods, or two rounds).
pub fn evaluations(
    py: Python<'_>,
    scheme: Py<PyScheme>,
    before: &Evaluation,
    after: &Evaluation,
    names: Option<(String, String)>,
    rounds: bool,
) -> PyResult<PyComparison> {
    let names = labels(names)?;
    fn entry(e: &Evaluation) -> Entry<'_> {
        Entry {
            unit: Some(e.unit()),
            period: e.period(),
            outcome: Ok(e),
            rank: None,
        }
    }
    guard(py, "comparing two evaluations", || {
        let default = match (before.period(), after.period()) {
            (Some(b), Some(a)) if a != b => Labels::new(b, a),
            _ => Labels::default(),
        };
        let options = CompareOptions {
            labels: names.unwrap_or(default),
            kind: kind(rounds),
        };
        let comparison =
            Comparison::new(before.scheme(), [entry(before)], [entry(after)], &options)
                .map_err(|e| parscore_error(py, e.to_string()))?;
        Ok(PyComparison::new(comparison, scheme))
    })
}

/// `Results.compare`: two batches (last year and this year, self-assessment and appraisal),
/// or two periods of one (`periods=("2024", "2025")`).
pub fn batches(
    py: Python<'_>,
    scheme: Py<PyScheme>,
    before: &Batch,
    after: Option<&Batch>,
    periods: Option<(String, String)>,
    names: Option<(String, String)>,
    rounds: bool,
) -> PyResult<PyComparison> {
    let names = labels(names)?;
    guard(py, "comparing two sets of results", || {
        let comparison = match (after, periods) {
            (Some(after), None) => {
                let only_period = |batch: &Batch| {
                    let mut periods = batch.results.iter().filter_map(|r| r.period.as_deref());
                    let first = periods.next()?;
                    periods.all(|p| p == first).then(|| first.to_string())
                };
                let default = match (only_period(before), only_period(after)) {
                    (Some(b), Some(a)) if a != b => Labels::new(b, a),
                    _ => Labels::default(),
                };
                let options = CompareOptions {
                    labels: names.unwrap_or(default),
                    kind: kind(rounds),
                };
                Comparison::of_batches(before, after, &options)
            }
            (None, Some((b, a))) => {
                let period = |p: &str| parscore::text::nfc(p.trim()).into_owned();
                let (b, a) = (period(&b), period(&a));
                let options = CompareOptions {
                    labels: names.unwrap_or_else(|| Labels::new(b.clone(), a.clone())),
                    kind: kind(rounds),
                };
                Comparison::of_periods(before, &b, &a, &options)
            }
            (Some(_), Some(_)) => {
                return Err(PyValueError::new_err(
                    "give other results or periods=(before, after), not both",
                ));
            }
            (None, None) => {
                return Err(PyValueError::new_err(
                    "give the results to compare with, or periods=(before, after) to compare \
                     two periods of these results",
                ));
            }
        }
        .map_err(|e| parscore_error(py, e.to_string()))?;
        Ok(PyComparison::new(comparison, scheme))
    })
}

#[pyfunction]
pub fn _restore_comparison(
    py: Python<'_>,
    scheme: Py<PyScheme>,
    state: &str,
) -> PyResult<PyComparison> {
    guard(py, "unpickling a comparison", || {
        let comparison: Comparison = serde_json::from_str(state)
            .map_err(|e| parscore_error(py, format!("not a pickled Comparison: {e}")))?;
        Ok(PyComparison::new(comparison, scheme))
    })
}

/// Two evaluations of one scheme side by side, unit by unit.
#[pyclass(frozen, module = "parscore._parscore", name = "Comparison")]
pub struct PyComparison {
    comparison: Comparison,
    scheme: Py<PyScheme>,
    /// `"periods"` or `"rounds"`: two periods (last year and this year), or two rounds of
    /// one period (self-assessment and appraisal), which carry the appraisal list.
    #[pyo3(get)]
    kind: &'static str,
    /// The names of the two sides: `(before, after)`.
    #[pyo3(get)]
    labels: (String, String),
    /// One entry per unit, in the order of the side before, then the units of the side
    /// after only.
    #[pyo3(get)]
    units: Vec<PyUnitChange>,
    /// Between rounds: every criterion the second round lowered (or found missed), unit by
    /// unit, the largest reduction first; `None` between periods.
    #[pyo3(get)]
    appraisal: Option<Vec<PyLowered>>,
    /// Counts and means.
    #[pyo3(get)]
    summary: PyCompareSummary,
}

impl PyComparison {
    fn new(comparison: Comparison, scheme: Py<PyScheme>) -> PyComparison {
        PyComparison {
            kind: match comparison.kind {
                Kind::Periods => "periods",
                Kind::Rounds => "rounds",
            },
            labels: (
                comparison.labels.before.clone(),
                comparison.labels.after.clone(),
            ),
            units: comparison.units.iter().map(PyUnitChange::from).collect(),
            appraisal: comparison
                .appraisal
                .as_ref()
                .map(|list| list.iter().map(PyLowered::from).collect()),
            summary: PyCompareSummary::from(&comparison.summary),
            comparison,
            scheme,
        }
    }

    fn table(
        &self,
        scheme: &Scheme,
        detail: &str,
        decimals: Decimals,
    ) -> PyResult<arrow_array::RecordBatch> {
        let c = &self.comparison;
        let mut columns = Columns::new(scheme, decimals);
        match detail {
            "units" => {
                let units = &c.units;
                columns.text("unit", units.iter().map(|u| Some(u.unit.as_str())));
                columns.text("presence", units.iter().map(|u| Some(presence(u))));
                columns.text(
                    "period_before",
                    units.iter().map(|u| u.period_before.as_deref()),
                );
                columns.text(
                    "period_after",
                    units.iter().map(|u| u.period_after.as_deref()),
                );
                let places = Some(scheme.rounding().places);
                columns.decimal(
                    "index_before",
                    units.iter().map(|u| u.index_before).collect(),
                    places,
                );
                columns.decimal(
                    "index_after",
                    units.iter().map(|u| u.index_after).collect(),
                    places,
                );
                columns.decimal("delta", units.iter().map(|u| u.delta).collect(), places);
                columns.text(
                    "grade_before",
                    units.iter().map(|u| u.grade_before.as_deref()),
                );
                columns.text(
                    "grade_after",
                    units.iter().map(|u| u.grade_after.as_deref()),
                );
                columns.int("rank_before", units.iter().map(|u| u.rank_before));
                columns.int("rank_after", units.iter().map(|u| u.rank_after));
                columns.decimal(
                    "points_before",
                    units.iter().map(|u| u.points_before).collect(),
                    None,
                );
                columns.decimal(
                    "points_after",
                    units.iter().map(|u| u.points_after).collect(),
                    None,
                );
                columns.decimal(
                    "points_delta",
                    units.iter().map(|u| u.points_delta).collect(),
                    None,
                );
                columns.int("missing_before", units.iter().map(|u| u.missing_before));
                columns.int("missing_after", units.iter().map(|u| u.missing_after));
                columns.text(
                    "error_before",
                    units.iter().map(|u| u.error_before.as_deref()),
                );
                columns.text(
                    "error_after",
                    units.iter().map(|u| u.error_after.as_deref()),
                );
            }
            "criteria" => {
                let rows: Vec<(&str, &CriterionChange)> = c
                    .units
                    .iter()
                    .flat_map(|u| u.criteria.iter().map(move |k| (u.unit.as_str(), k)))
                    .collect();
                columns.text("unit", rows.iter().map(|(u, _)| Some(*u)));
                columns.text("area", rows.iter().map(|(_, k)| Some(k.area.as_str())));
                columns.text("code", rows.iter().map(|(_, k)| Some(k.code.as_str())));
                columns.text("title", rows.iter().map(|(_, k)| Some(k.title.as_str())));
                columns.decimal(
                    "points_before",
                    rows.iter().map(|(_, k)| Some(k.points_before)).collect(),
                    None,
                );
                columns.decimal(
                    "points_after",
                    rows.iter().map(|(_, k)| Some(k.points_after)).collect(),
                    None,
                );
                columns.decimal(
                    "delta",
                    rows.iter().map(|(_, k)| Some(k.delta)).collect(),
                    None,
                );
                columns.bool("passed_before", rows.iter().map(|(_, k)| k.passed_before));
                columns.bool("passed_after", rows.iter().map(|(_, k)| k.passed_after));
                columns.text("change", rows.iter().map(|(_, k)| Some(k.change.name())));
                columns.decimal(
                    "max_points",
                    rows.iter().map(|(_, k)| Some(k.max_points)).collect(),
                    None,
                );
                columns.text("lead", rows.iter().map(|(_, k)| k.lead.as_deref()));
            }
            "appraisal" => {
                let rows: &[Lowered] = c.appraisal.as_deref().unwrap_or(&[]);
                columns.text("unit", rows.iter().map(|l| Some(l.unit.as_str())));
                columns.text("code", rows.iter().map(|l| Some(l.code.as_str())));
                columns.text("title", rows.iter().map(|l| Some(l.title.as_str())));
                columns.text("lead", rows.iter().map(|l| l.lead.as_deref()));
                columns.decimal(
                    "points_before",
                    rows.iter().map(|l| Some(l.points_before)).collect(),
                    None,
                );
                columns.decimal(
                    "points_after",
                    rows.iter().map(|l| Some(l.points_after)).collect(),
                    None,
                );
                columns.decimal("delta", rows.iter().map(|l| Some(l.delta)).collect(), None);
                columns.bool("passed_before", rows.iter().map(|l| l.passed_before));
                columns.bool("passed_after", rows.iter().map(|l| l.passed_after));
                columns.bool(
                    "explanation_due",
                    rows.iter().map(|l| Some(l.explanation_due)),
                );
            }
            other => {
                return Err(PyValueError::new_err(format!(
                    "detail must be \"units\", \"criteria\" or \"appraisal\", not {other:?}"
                )));
            }
        }
        Ok(columns.finish())
    }

    fn convert<'py>(
        &self,
        py: Python<'py>,
        detail: &str,
        decimals: Option<&Bound<'py, PyAny>>,
        library: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let decimals = Decimals::extract(decimals)?;
        let scheme = self.scheme.bind(py).get();
        let batch = guard(py, "making the comparison's table", || {
            self.table(&scheme.scheme, detail, decimals)
        })?;
        table::to_library(py, batch, library)
    }
}

fn presence(unit: &UnitChange) -> &'static str {
    match unit.presence {
        parscore_compare::Presence::Both => "both",
        parscore_compare::Presence::BeforeOnly => "before_only",
        parscore_compare::Presence::AfterOnly => "after_only",
    }
}

#[pymethods]
impl PyComparison {
    /// Pickles as the comparison's own JSON (every unit, criterion, appraisal and summary
    /// figure, exact) with its scheme, which reads back to an equal comparison: the results
    /// compared are not kept.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let restore = py
            .import("parscore._parscore")?
            .getattr("_restore_comparison")?;
        let state = serde_json::to_string(&self.comparison)
            .map_err(|e| parscore_error(py, format!("cannot pickle a Comparison: {e}")))?;
        (restore, (self.scheme.clone_ref(py), state)).into_pyobject(py)
    }

    /// The scheme both sides were scored with.
    #[getter]
    fn scheme(&self, py: Python<'_>) -> Py<PyScheme> {
        self.scheme.clone_ref(py)
    }

    /// The entry of a unit, by name (in either Unicode form). Raises `KeyError` when the
    /// comparison has no such unit.
    fn unit(&self, name: &str) -> PyResult<PyUnitChange> {
        let key = parscore::text::nfc(name.trim()).into_owned();
        self.units
            .iter()
            .find(|u| u.unit == key)
            .cloned()
            .ok_or_else(|| PyKeyError::new_err(format!("no unit `{name}` in the comparison")))
    }

    /// The comparison as JSON text: the document `parscore compare --format json` writes,
    /// exact figures as strings (`indent=None`: one line).
    #[pyo3(signature = (*, indent = Some(2)), text_signature = "(self, /, *, indent=2)")]
    fn to_json(&self, py: Python<'_>, indent: Option<usize>) -> PyResult<String> {
        guard(py, "writing the comparison as JSON", || {
            document::to_text(&self.comparison, indent)
        })
    }

    /// A table of the comparison: one row per unit (`detail="units"`), per unit and
    /// criterion (`"criteria"`, largest change first) or per criterion the appraisal lowered
    /// (`"appraisal"`), as a `pandas.DataFrame` (`library="pandas"`), a `polars.DataFrame`
    /// (`"polars"`) or a `pyarrow.Table` (`"pyarrow"`). Figures are exact decimals
    /// (`decimals="exact"`), at a fixed scale 0–28, or floats on request (`"float"`).
    #[pyo3(signature = (library = "pandas", *, detail = "units", decimals = None))]
    fn to_frame<'py>(
        &self,
        py: Python<'py>,
        library: &str,
        detail: &str,
        decimals: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        frame_library(library)?;
        self.convert(py, detail, decimals, library)
    }

    /// `to_frame("pyarrow", …)`.
    #[pyo3(signature = (*, detail = "units", decimals = None))]
    fn to_arrow<'py>(
        &self,
        py: Python<'py>,
        detail: &str,
        decimals: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.convert(py, detail, decimals, "pyarrow")
    }

    /// `to_frame("pandas", …)`.
    #[pyo3(signature = (*, detail = "units", decimals = None))]
    fn to_pandas<'py>(
        &self,
        py: Python<'py>,
        detail: &str,
        decimals: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.convert(py, detail, decimals, "pandas")
    }

    /// `to_frame("polars", …)`.
    #[pyo3(signature = (*, detail = "units", decimals = None))]
    fn to_polars<'py>(
        &self,
        py: Python<'py>,
        detail: &str,
        decimals: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.convert(py, detail, decimals, "polars")
    }

    /// The comparison as HTML: the units with both indices, grades and ranks and a bar of
    /// each change, the criteria that moved, and between rounds the appraisal list.
    /// `lang` is `"vi"` (default) or `"en"`.
    #[pyo3(signature = (*, lang = "vi"))]
    fn to_html(&self, py: Python<'_>, lang: &str) -> PyResult<String> {
        let lang = Lang::extract(lang)?;
        guard(py, "showing the comparison", || {
            Ok(page::comparison(&self.comparison, lang))
        })
    }

    /// What a notebook shows: `to_html(lang=lang)`.
    #[pyo3(signature = (*, lang = "vi"))]
    fn _repr_html_(&self, py: Python<'_>, lang: &str) -> PyResult<String> {
        self.to_html(py, lang)
    }

    fn __len__(&self) -> usize {
        self.units.len()
    }

    fn __repr__(&self) -> String {
        let s = &self.comparison.summary;
        format!(
            "<Comparison {} {} → {}: {} units, {} on both sides, {} up, {} down>",
            self.kind, self.labels.0, self.labels.1, s.units, s.both, s.up, s.down
        )
    }
}

/// The frame libraries `to_frame` writes to.
pub fn frame_library(library: &str) -> PyResult<()> {
    match library {
        "pandas" | "polars" | "pyarrow" => Ok(()),
        other => Err(PyValueError::new_err(format!(
            "library must be \"pandas\", \"polars\" or \"pyarrow\", not {other:?}"
        ))),
    }
}

/// A scored value as the JSON writes it: text (`"9899/10000"`, `"n/a"`) or a yes/no.
#[derive(Clone)]
struct ValueOut(Option<Json>);

impl<'py> IntoPyObject<'py> for ValueOut {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;
    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(match self.0 {
            Some(Json::Bool(b)) => b.into_pyobject(py)?.to_owned().into_any(),
            Some(Json::String(s)) => s.into_pyobject(py)?.into_any(),
            Some(Json::Number(n)) => n.to_string().into_pyobject(py)?.into_any(),
            _ => py.None().into_bound(py),
        })
    }
}

/// The two values of a serialised change, as its JSON writes them.
fn values(json: &Json) -> (ValueOut, ValueOut) {
    let get = |key: &str| ValueOut(json.get(key).filter(|v| !v.is_null()).cloned());
    (get("value_before"), get("value_after"))
}

/// One unit on both sides. A side the unit is not on, or whose row failed, has no figures
/// (`None`), and then the unit has no areas or criteria to compare.
#[pyclass(frozen, module = "parscore._parscore", name = "UnitChange")]
#[derive(Clone)]
pub struct PyUnitChange {
    #[pyo3(get)]
    unit: String,
    #[pyo3(get)]
    presence: &'static str,
    #[pyo3(get)]
    period_before: Option<String>,
    #[pyo3(get)]
    period_after: Option<String>,
    #[pyo3(get)]
    index_before: Option<Decimal>,
    #[pyo3(get)]
    index_after: Option<Decimal>,
    #[pyo3(get)]
    delta: Option<Decimal>,
    #[pyo3(get)]
    grade_before: Option<String>,
    #[pyo3(get)]
    grade_after: Option<String>,
    #[pyo3(get)]
    rank_before: Option<usize>,
    #[pyo3(get)]
    rank_after: Option<usize>,
    #[pyo3(get)]
    points_before: Option<Decimal>,
    #[pyo3(get)]
    points_after: Option<Decimal>,
    #[pyo3(get)]
    points_delta: Option<Decimal>,
    #[pyo3(get)]
    max_points_before: Option<Decimal>,
    #[pyo3(get)]
    max_points_after: Option<Decimal>,
    #[pyo3(get)]
    missing_before: Option<usize>,
    #[pyo3(get)]
    missing_after: Option<usize>,
    #[pyo3(get)]
    error_before: Option<String>,
    #[pyo3(get)]
    error_after: Option<String>,
    #[pyo3(get)]
    areas: Vec<PyAreaChange>,
    #[pyo3(get)]
    criteria: Vec<PyCriterionChange>,
}

impl From<&UnitChange> for PyUnitChange {
    fn from(u: &UnitChange) -> PyUnitChange {
        PyUnitChange {
            unit: u.unit.clone(),
            presence: presence(u),
            period_before: u.period_before.clone(),
            period_after: u.period_after.clone(),
            index_before: u.index_before,
            index_after: u.index_after,
            delta: u.delta,
            grade_before: u.grade_before.clone(),
            grade_after: u.grade_after.clone(),
            rank_before: u.rank_before,
            rank_after: u.rank_after,
            points_before: u.points_before,
            points_after: u.points_after,
            points_delta: u.points_delta,
            max_points_before: u.max_points_before,
            max_points_after: u.max_points_after,
            missing_before: u.missing_before,
            missing_after: u.missing_after,
            error_before: u.error_before.clone(),
            error_after: u.error_after.clone(),
            areas: u.areas.iter().map(PyAreaChange::from).collect(),
            criteria: u.criteria.iter().map(PyCriterionChange::from).collect(),
        }
    }
}

#[pymethods]
impl PyUnitChange {
    /// The change of a criterion, by code. Raises `KeyError` when the unit has none (a
    /// unit on one side only has no criteria to compare).
    fn criterion(&self, code: &str) -> PyResult<PyCriterionChange> {
        self.criteria
            .iter()
            .find(|c| c.code == code)
            .cloned()
            .ok_or_else(|| {
                PyKeyError::new_err(format!(
                    "no criterion `{code}` compared for `{}`",
                    self.unit
                ))
            })
    }

    fn __repr__(&self) -> String {
        let show = |d: Option<Decimal>| d.map_or("—".to_string(), |d| d.to_string());
        format!(
            "<UnitChange {}: {} → {} ({})>",
            self.unit,
            show(self.index_before),
            show(self.index_after),
            self.presence
        )
    }
}

/// One criterion of a unit on both sides.
#[pyclass(frozen, module = "parscore._parscore", name = "CriterionChange")]
#[derive(Clone)]
pub struct PyCriterionChange {
    #[pyo3(get)]
    code: String,
    #[pyo3(get)]
    title: String,
    #[pyo3(get)]
    points_before: Decimal,
    #[pyo3(get)]
    points_after: Decimal,
    #[pyo3(get)]
    delta: Decimal,
    #[pyo3(get)]
    passed_before: Option<bool>,
    #[pyo3(get)]
    passed_after: Option<bool>,
    #[pyo3(get)]
    change: &'static str,
    #[pyo3(get)]
    status_before: String,
    #[pyo3(get)]
    status_after: String,
    #[pyo3(get)]
    value_before: ValueOut,
    #[pyo3(get)]
    value_after: ValueOut,
    #[pyo3(get)]
    max_points: Decimal,
    #[pyo3(get)]
    area: String,
    #[pyo3(get)]
    lead: Option<String>,
}

impl From<&CriterionChange> for PyCriterionChange {
    fn from(c: &CriterionChange) -> PyCriterionChange {
        let json = serde_json::to_value(c).unwrap_or(Json::Null);
        let text = |key: &str| {
            json.get(key)
                .and_then(Json::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let (value_before, value_after) = values(&json);
        PyCriterionChange {
            code: c.code.clone(),
            title: c.title.clone(),
            points_before: c.points_before,
            points_after: c.points_after,
            delta: c.delta,
            passed_before: c.passed_before,
            passed_after: c.passed_after,
            change: c.change.name(),
            status_before: text("status_before"),
            status_after: text("status_after"),
            value_before,
            value_after,
            max_points: c.max_points,
            area: c.area.clone(),
            lead: c.lead.clone(),
        }
    }
}

#[pymethods]
impl PyCriterionChange {
    fn __repr__(&self) -> String {
        format!(
            "<CriterionChange {}: {} → {} ({})>",
            self.code, self.points_before, self.points_after, self.change
        )
    }
}

/// An area's points on both sides.
#[pyclass(frozen, get_all, module = "parscore._parscore", name = "AreaChange")]
#[derive(Clone)]
pub struct PyAreaChange {
    code: String,
    title: String,
    points_before: Decimal,
    points_after: Decimal,
    delta: Decimal,
    max_points_before: Decimal,
    max_points_after: Decimal,
}

impl From<&AreaChange> for PyAreaChange {
    fn from(a: &AreaChange) -> PyAreaChange {
        PyAreaChange {
            code: a.code.clone(),
            title: a.title.clone(),
            points_before: a.points_before,
            points_after: a.points_after,
            delta: a.delta,
            max_points_before: a.max_points_before,
            max_points_after: a.max_points_after,
        }
    }
}

#[pymethods]
impl PyAreaChange {
    fn __repr__(&self) -> String {
        format!(
            "<AreaChange {}: {} → {}>",
            self.code, self.points_before, self.points_after
        )
    }
}

/// A criterion the appraisal took points from (or whose target it found missed).
#[pyclass(frozen, module = "parscore._parscore", name = "Lowered")]
#[derive(Clone)]
pub struct PyLowered {
    #[pyo3(get)]
    unit: String,
    #[pyo3(get)]
    code: String,
    #[pyo3(get)]
    title: String,
    #[pyo3(get)]
    lead: Option<String>,
    #[pyo3(get)]
    points_before: Decimal,
    #[pyo3(get)]
    points_after: Decimal,
    #[pyo3(get)]
    delta: Decimal,
    #[pyo3(get)]
    value_before: ValueOut,
    #[pyo3(get)]
    value_after: ValueOut,
    #[pyo3(get)]
    passed_before: Option<bool>,
    #[pyo3(get)]
    passed_after: Option<bool>,
    #[pyo3(get)]
    explanation_due: bool,
}

impl From<&Lowered> for PyLowered {
    fn from(l: &Lowered) -> PyLowered {
        let json = serde_json::to_value(l).unwrap_or(Json::Null);
        let (value_before, value_after) = values(&json);
        PyLowered {
            unit: l.unit.clone(),
            code: l.code.clone(),
            title: l.title.clone(),
            lead: l.lead.clone(),
            points_before: l.points_before,
            points_after: l.points_after,
            delta: l.delta,
            value_before,
            value_after,
            passed_before: l.passed_before,
            passed_after: l.passed_after,
            explanation_due: l.explanation_due,
        }
    }
}

#[pymethods]
impl PyLowered {
    fn __repr__(&self) -> String {
        format!(
            "<Lowered {} {}: {} → {}>",
            self.unit, self.code, self.points_before, self.points_after
        )
    }
}

/// Counts and means over a comparison.
#[pyclass(frozen, module = "parscore._parscore", name = "CompareSummary")]
#[derive(Clone)]
pub struct PyCompareSummary {
    #[pyo3(get)]
    units: usize,
    #[pyo3(get)]
    both: usize,
    #[pyo3(get)]
    before_only: usize,
    #[pyo3(get)]
    after_only: usize,
    #[pyo3(get)]
    errors: usize,
    #[pyo3(get)]
    up: usize,
    #[pyo3(get)]
    down: usize,
    #[pyo3(get)]
    same: usize,
    #[pyo3(get)]
    mean_index_before: Option<Decimal>,
    #[pyo3(get)]
    mean_index_after: Option<Decimal>,
    #[pyo3(get)]
    mean_delta: Option<Decimal>,
    counts: [(&'static str, usize); 5],
}

impl From<&CompareSummary> for PyCompareSummary {
    fn from(s: &CompareSummary) -> PyCompareSummary {
        let c = &s.changes;
        PyCompareSummary {
            units: s.units,
            both: s.both,
            before_only: s.before_only,
            after_only: s.after_only,
            errors: s.errors,
            up: s.up,
            down: s.down,
            same: s.same,
            mean_index_before: s.mean_index_before,
            mean_index_after: s.mean_index_after,
            mean_delta: s.mean_delta,
            counts: [
                ("newly_failed", c.newly_failed),
                ("newly_passed", c.newly_passed),
                ("down", c.down),
                ("up", c.up),
                ("same", c.same),
            ],
        }
    }
}

#[pymethods]
impl PyCompareSummary {
    /// Criteria of the units on both sides, by change: `{"newly_failed": 1, …}`.
    #[getter]
    fn changes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for (name, n) in self.counts {
            dict.set_item(name, n)?;
        }
        Ok(dict)
    }

    fn __repr__(&self) -> String {
        format!(
            "<CompareSummary {} units: {} up, {} down, {} same>",
            self.units, self.up, self.down, self.same
        )
    }
}
