//! `Scheme.track_records`: records exported mid-year against the scheme's targets, as
//! `parscore records track` tracks them: for each unit and criterion a rate of the records
//! feeds, the rate so far (exact counts), the dossiers expected in the rest of the year and
//! how many of them must meet the condition; and each rate month by month.

use parscore::{Decimal, Scheme};
use parscore_records::{
    Counts, PeriodKind, TrackLine, Trend, TrendMonth, Untracked, UntrackedReason, YearTracking,
};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyTuple, PyType};
use serde_json::{Map, Value as Json, json};

use super::Settings;
use crate::analysis_html::{self as page, Lang};
use crate::compare::frame_library;
use crate::document;
use crate::errors::{RecordsPlace, parscore_error, records_error};
use crate::guard::guard;
use crate::scheme::PyScheme;
use crate::table::{self, Columns, Decimals};

static DATE: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// `Scheme.track_records`: the frame's records counted by month up to `as_of` (required),
/// and the year tracked.
pub fn track_records(
    scheme: &Bound<'_, PyScheme>,
    frame: &Bound<'_, PyAny>,
    expected: Option<&Bound<'_, PyAny>>,
    mapping: Option<&Bound<'_, PyAny>>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<PyTracking> {
    let py = scheme.py();
    if let Some(kwargs) = kwargs
        && kwargs.contains("period")?
    {
        return Err(PyTypeError::new_err(
            "track_records() counts by month over the year of as_of: it takes no period",
        ));
    }
    let expected = match expected.filter(|e| !e.is_none()) {
        None => None,
        Some(e) if e.is_instance_of::<pyo3::types::PyBool>() => {
            return Err(PyTypeError::new_err(
                "expected takes a whole number of dossiers",
            ));
        }
        Some(e) => Some(e.extract::<u64>().map_err(|_| {
            PyValueError::new_err(format!(
                "expected takes a whole number of dossiers (0 or more), not {}",
                e.repr().map_or_else(|_| "?".into(), |r| r.to_string())
            ))
        })?),
    };
    let mut settings = Settings::from_kwargs("track_records", kwargs)?;
    if settings.options.as_of.is_none() {
        return Err(PyTypeError::new_err(
            "track_records() needs as_of, the day the records were exported: it decides how \
             much of the year is left",
        ));
    }
    settings.options.period = PeriodKind::Month;
    guard(py, "tracking the year from dossier records", || {
        let core = &scheme.get().scheme;
        let map = super::indicator_map(py, core, mapping)?;
        let summary = settings.summarize(frame)?;
        let tracking = py
            .detach(|| YearTracking::new(&summary, core, &map, expected))
            .map_err(|e| records_error(py, "mapping", e.to_string(), RecordsPlace::default()))?;
        PyTracking::new(py, tracking, scheme.clone().unbind())
    })
}

#[pyfunction]
pub fn _restore_tracking(
    py: Python<'_>,
    scheme: Py<PyScheme>,
    state: &str,
) -> PyResult<PyTracking> {
    guard(py, "unpickling a tracking", || {
        let tracking: YearTracking = serde_json::from_str(state)
            .map_err(|e| parscore_error(py, format!("not a pickled Tracking: {e}")))?;
        PyTracking::new(py, tracking, scheme)
    })
}

/// The year tracked from records exported mid-year.
#[pyclass(frozen, module = "parscore._parscore", name = "Tracking")]
pub struct PyTracking {
    tracking: YearTracking,
    scheme: Py<PyScheme>,
    /// The export's day, a `datetime.date`.
    #[pyo3(get)]
    as_of: Py<PyAny>,
    /// The calendar year tracked.
    #[pyo3(get)]
    year: i32,
    /// Days of the year up to and including `as_of`.
    #[pyo3(get)]
    days_elapsed: u32,
    /// Days of the year after `as_of`.
    #[pyo3(get)]
    days_left: u32,
    /// One entry per unit and tracked criterion (the JSON's `criteria`).
    #[pyo3(get)]
    rows: Vec<PyTrackRow>,
    /// The units and criteria fed by a rate that cannot be tracked, and why.
    #[pyo3(get)]
    untracked: Vec<PyUntracked>,
    /// Each unit's tracked rates, month by month.
    #[pyo3(get)]
    trends: Vec<PyTrend>,
}

impl PyTracking {
    fn new(py: Python<'_>, tracking: YearTracking, scheme: Py<PyScheme>) -> PyResult<PyTracking> {
        let (y, m, d) = tracking.as_of.ymd();
        let as_of = DATE
            .import(py, "datetime", "date")?
            .call1((y, m, d))?
            .unbind();
        Ok(PyTracking {
            as_of,
            year: tracking.year,
            days_elapsed: tracking.days_elapsed,
            days_left: tracking.days_left,
            rows: tracking.criteria.iter().map(PyTrackRow::from).collect(),
            untracked: tracking.untracked.iter().map(PyUntracked::from).collect(),
            trends: tracking.trends.iter().map(PyTrend::from).collect(),
            tracking,
            scheme,
        })
    }

    fn table(
        &self,
        scheme: &Scheme,
        detail: &str,
        decimals: Decimals,
    ) -> PyResult<arrow_array::RecordBatch> {
        let t = &self.tracking;
        let mut columns = Columns::new(scheme, decimals);
        let count = |n: u64| Some(n as usize);
        match detail {
            "criteria" => {
                let rows = &t.criteria;
                columns.text("unit", rows.iter().map(|r| Some(r.unit.as_str())));
                columns.text("criterion", rows.iter().map(|r| Some(r.criterion.as_str())));
                columns.text("title", rows.iter().map(|r| Some(r.title.as_str())));
                columns.text("indicator", rows.iter().map(|r| Some(r.indicator.as_str())));
                columns.text("rate", rows.iter().map(|r| Some(r.rate.as_str())));
                columns.int("met", rows.iter().map(|r| count(r.so_far.met)));
                columns.int("counted", rows.iter().map(|r| count(r.so_far.total)));
                columns.decimal(
                    "so_far",
                    rows.iter().map(|r| percent(r.so_far)).collect(),
                    None,
                );
                columns.text("target", rows.iter().map(|r| Some(r.target.as_str())));
                columns.int("expected", rows.iter().map(|r| count(r.expected)));
                columns.int("needed", rows.iter().map(|r| count(r.needed)));
                columns.text("status", rows.iter().map(|r| Some(r.status.name())));
                columns.text(
                    "expected_from",
                    rows.iter().map(|r| Some(r.expected_from.name())),
                );
                columns.text("lead", rows.iter().map(|r| r.lead.as_deref()));
            }
            "trends" => {
                let rows: Vec<(&Trend, &TrendMonth)> = t
                    .trends
                    .iter()
                    .flat_map(|trend| trend.months.iter().map(move |m| (trend, m)))
                    .collect();
                columns.text("unit", rows.iter().map(|(t, _)| Some(t.unit.as_str())));
                columns.text("rate", rows.iter().map(|(t, _)| Some(t.rate.as_str())));
                columns.text(
                    "indicator",
                    rows.iter().map(|(t, _)| Some(t.indicator.as_str())),
                );
                columns.text("month", rows.iter().map(|(_, m)| Some(m.month.as_str())));
                columns.int("met", rows.iter().map(|(_, m)| count(m.count.met)));
                columns.int("counted", rows.iter().map(|(_, m)| count(m.count.total)));
                columns.int(
                    "met_to_date",
                    rows.iter().map(|(_, m)| count(m.year_to_date.met)),
                );
                columns.int(
                    "counted_to_date",
                    rows.iter().map(|(_, m)| count(m.year_to_date.total)),
                );
                columns.decimal(
                    "rate_to_date",
                    rows.iter().map(|(_, m)| percent(m.year_to_date)).collect(),
                    None,
                );
                columns.decimal("target", rows.iter().map(|(t, _)| t.target).collect(), None);
            }
            "untracked" => {
                let rows = &t.untracked;
                columns.text("unit", rows.iter().map(|r| Some(r.unit.as_str())));
                columns.text("criterion", rows.iter().map(|r| Some(r.criterion.as_str())));
                columns.text("indicator", rows.iter().map(|r| Some(r.indicator.as_str())));
                columns.text("reason", rows.iter().map(|r| Some(reason(r))));
                columns.text("message", rows.iter().map(|r| Some(r.message.as_str())));
            }
            other => {
                return Err(PyValueError::new_err(format!(
                    "detail must be \"criteria\", \"trends\" or \"untracked\", not {other:?}"
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
        let batch = guard(py, "making the tracking's table", || {
            self.table(&scheme.scheme, detail, decimals)
        })?;
        table::to_library(py, batch, library)
    }

    /// The document `records track --format json` writes, less the records' summary.
    fn document(&self, py: Python<'_>) -> PyResult<Json> {
        let scheme = &self.scheme.bind(py).get().scheme;
        let mut document = Map::new();
        document.insert(
            "scheme".into(),
            json!({
                "id": scheme.id(),
                "title": scheme.title(),
                "version": scheme.version(),
                "estimated": scheme.estimated(),
            }),
        );
        if let Json::Object(fields) = serde_json::to_value(&self.tracking)
            .map_err(|e| PyValueError::new_err(format!("cannot write JSON: {e}")))?
        {
            document.extend(fields);
        }
        Ok(Json::Object(document))
    }
}

/// A rate as a percent, exact to the scheme's digits (`None` when nothing is counted).
fn percent(counts: Counts) -> Option<Decimal> {
    (counts.total > 0).then(|| {
        (Decimal::from(counts.met) * Decimal::ONE_HUNDRED / Decimal::from(counts.total)).normalize()
    })
}

fn reason(u: &Untracked) -> &'static str {
    match u.reason {
        UntrackedReason::NoTarget => "no_target",
        UntrackedReason::NotAFloor => "not_a_floor",
        UntrackedReason::NothingCounted => "nothing_counted",
        UntrackedReason::NotSaid => "not_said",
    }
}

#[pymethods]
impl PyTracking {
    /// Pickles as the tracking's own JSON (every rate, count, month and reason) with its
    /// scheme, which reads back to an equal tracking: the records are not kept.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let restore = py
            .import("parscore._parscore")?
            .getattr("_restore_tracking")?;
        let state = serde_json::to_string(&self.tracking)
            .map_err(|e| parscore_error(py, format!("cannot pickle a Tracking: {e}")))?;
        (restore, (self.scheme.clone_ref(py), state)).into_pyobject(py)
    }

    /// The scheme tracked against.
    #[getter]
    fn scheme(&self, py: Python<'_>) -> Py<PyScheme> {
        self.scheme.clone_ref(py)
    }

    /// The same as `rows`, under the name the JSON gives them.
    #[getter]
    fn criteria(&self) -> Vec<PyTrackRow> {
        self.rows.clone()
    }

    /// The tracking as JSON text: the document `parscore records track --format json`
    /// writes, less the summary of the records read (`indent=None`: one line).
    #[pyo3(signature = (*, indent = Some(2)), text_signature = "(self, /, *, indent=2)")]
    fn to_json(&self, py: Python<'_>, indent: Option<usize>) -> PyResult<String> {
        guard(py, "writing the tracking as JSON", || {
            document::to_text(&self.document(py)?, indent)
        })
    }

    /// A table of the tracking: one row per unit and tracked criterion
    /// (`detail="criteria"`), per unit, rate and month (`"trends"`) or per criterion not
    /// tracked (`"untracked"`), as a `pandas.DataFrame` (`library="pandas"`), a
    /// `polars.DataFrame` (`"polars"`) or a `pyarrow.Table` (`"pyarrow"`). Counts are
    /// integers and rates exact decimals (`decimals="exact"`, a scale 0–28, or `"float"`).
    #[pyo3(signature = (library = "pandas", *, detail = "criteria", decimals = None))]
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
    #[pyo3(signature = (*, detail = "criteria", decimals = None))]
    fn to_arrow<'py>(
        &self,
        py: Python<'py>,
        detail: &str,
        decimals: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.convert(py, detail, decimals, "pyarrow")
    }

    /// `to_frame("pandas", …)`.
    #[pyo3(signature = (*, detail = "criteria", decimals = None))]
    fn to_pandas<'py>(
        &self,
        py: Python<'py>,
        detail: &str,
        decimals: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.convert(py, detail, decimals, "pandas")
    }

    /// `to_frame("polars", …)`.
    #[pyo3(signature = (*, detail = "criteria", decimals = None))]
    fn to_polars<'py>(
        &self,
        py: Python<'py>,
        detail: &str,
        decimals: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.convert(py, detail, decimals, "polars")
    }

    /// The tracking as HTML: each criterion with its status in colour, then each rate month
    /// by month with a small chart of its year-to-date value against the target. `lang` is
    /// `"vi"` (default) or `"en"`.
    #[pyo3(signature = (*, lang = "vi"))]
    fn to_html(&self, py: Python<'_>, lang: &str) -> PyResult<String> {
        let lang = Lang::extract(lang)?;
        guard(py, "showing the tracking", || {
            Ok(page::tracking(&self.tracking, lang))
        })
    }

    /// What a notebook shows: `to_html(lang=lang)`.
    #[pyo3(signature = (*, lang = "vi"))]
    fn _repr_html_(&self, py: Python<'_>, lang: &str) -> PyResult<String> {
        self.to_html(py, lang)
    }

    fn __len__(&self) -> usize {
        self.rows.len()
    }

    fn __repr__(&self) -> String {
        let count = |name: &str| self.rows.iter().filter(|r| r.status == name).count();
        format!(
            "<Tracking {} as of {}: {} criteria tracked, {} secured, {} on track, {} at risk, \
             {} impossible>",
            self.year,
            self.tracking.as_of,
            self.rows.len(),
            count("secured"),
            count("on_track"),
            count("at_risk"),
            count("impossible")
        )
    }
}

/// One unit and one criterion a rate of the records feeds.
#[pyclass(frozen, get_all, module = "parscore._parscore", name = "TrackRow")]
#[derive(Clone)]
pub struct PyTrackRow {
    unit: String,
    criterion: String,
    title: String,
    indicator: String,
    rate: String,
    /// `"met/total"`, as the JSON writes it.
    so_far: String,
    met: u64,
    counted: u64,
    target: String,
    expected: u64,
    needed: u64,
    status: &'static str,
    expected_from: &'static str,
    lead: Option<String>,
}

impl From<&TrackLine> for PyTrackRow {
    fn from(l: &TrackLine) -> PyTrackRow {
        PyTrackRow {
            unit: l.unit.clone(),
            criterion: l.criterion.clone(),
            title: l.title.clone(),
            indicator: l.indicator.clone(),
            rate: l.rate.clone(),
            so_far: l.so_far.to_string(),
            met: l.so_far.met,
            counted: l.so_far.total,
            target: l.target.clone(),
            expected: l.expected,
            needed: l.needed,
            status: l.status.name(),
            expected_from: l.expected_from.name(),
            lead: l.lead.clone(),
        }
    }
}

#[pymethods]
impl PyTrackRow {
    fn __repr__(&self) -> String {
        format!(
            "<TrackRow {} {}: {} so far, {} of {} needed ({})>",
            self.unit, self.criterion, self.so_far, self.needed, self.expected, self.status
        )
    }
}

/// A unit and criterion fed by a rate that cannot be tracked, and why.
#[pyclass(frozen, get_all, module = "parscore._parscore", name = "Untracked")]
#[derive(Clone)]
pub struct PyUntracked {
    unit: String,
    criterion: String,
    indicator: String,
    reason: &'static str,
    message: String,
}

impl From<&Untracked> for PyUntracked {
    fn from(u: &Untracked) -> PyUntracked {
        PyUntracked {
            unit: u.unit.clone(),
            criterion: u.criterion.clone(),
            indicator: u.indicator.clone(),
            reason: reason(u),
            message: u.message.clone(),
        }
    }
}

#[pymethods]
impl PyUntracked {
    fn __repr__(&self) -> String {
        format!(
            "<Untracked {} {}: {}>",
            self.unit, self.criterion, self.reason
        )
    }
}

/// A rate of one unit month by month, January to the export's month.
#[pyclass(frozen, get_all, module = "parscore._parscore", name = "Trend")]
#[derive(Clone)]
pub struct PyTrend {
    unit: String,
    rate: String,
    indicator: String,
    target: Option<Decimal>,
    months: Vec<PyTrendMonth>,
}

impl From<&Trend> for PyTrend {
    fn from(t: &Trend) -> PyTrend {
        PyTrend {
            unit: t.unit.clone(),
            rate: t.rate.clone(),
            indicator: t.indicator.clone(),
            target: t.target,
            months: t
                .months
                .iter()
                .map(|m| PyTrendMonth {
                    month: m.month.clone(),
                    count: m.count.to_string(),
                    year_to_date: m.year_to_date.to_string(),
                    rate: percent(m.count),
                    rate_to_date: percent(m.year_to_date),
                })
                .collect(),
        }
    }
}

#[pymethods]
impl PyTrend {
    fn __repr__(&self) -> String {
        format!(
            "<Trend {} {}: {} months>",
            self.unit,
            self.rate,
            self.months.len()
        )
    }
}

/// One month of a rate's trend.
#[pyclass(frozen, get_all, module = "parscore._parscore", name = "TrendMonth")]
#[derive(Clone)]
pub struct PyTrendMonth {
    /// `"2024-03"`.
    month: String,
    /// The month's own counts, `"met/total"`.
    count: String,
    /// From 1 January to the end of the month (or the export's day), `"met/total"`.
    year_to_date: String,
    /// The month's rate as an exact percent; `None` when nothing was counted.
    rate: Option<Decimal>,
    /// The year-to-date rate as an exact percent.
    rate_to_date: Option<Decimal>,
}

#[pymethods]
impl PyTrendMonth {
    fn __repr__(&self) -> String {
        format!(
            "<TrendMonth {}: {} ({} to date)>",
            self.month, self.count, self.year_to_date
        )
    }
}
