//! Results as Arrow tables: one row per unit, per unit and criterion, or per unit and group.
//! Decimal figures are Arrow decimals holding the exact value unless floats are asked for.

use std::sync::Arc;

use arrow_array::builder::Decimal128Builder;
use arrow_array::{
    ArrayRef, BooleanArray, Decimal128Array, Float64Array, Int64Array, RecordBatch, StringArray,
};
use arrow_buffer::{BooleanBuffer, NullBuffer};
use arrow_schema::{Field, Schema};
use parscore::{Batch, Decimal, Evaluation, Rounding, Scheme, Status, nearest_f64};
use parscore_columnar::{CriterionPoints, Figures};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyString;
use pyo3_arrow::PyTable;
use rayon::prelude::*;

/// Arrow's widest common decimal: 38 digits.
const PRECISION: u8 = 38;
/// A `Decimal` holds at most 28 decimal places, so this scale is always exact.
const MAX_SCALE: u32 = 28;

/// How decimal figures are written to a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decimals {
    /// Exact: each column's scale is the fewest places that hold every value in it; the
    /// index has the scheme's places.
    Exact,
    /// Every decimal column at this scale, rounded as the scheme rounds: a schema that does not
    /// depend on the data, as Spark's `mapInArrow` and Ray's block concatenation need.
    Fixed(u32),
    /// `float64`, on request only (charts, numpy): the double nearest to each exact figure.
    Float,
}

impl Decimals {
    pub fn extract(value: Option<&Bound<'_, PyAny>>) -> PyResult<Decimals> {
        let Some(value) = value.filter(|v| !v.is_none()) else {
            return Ok(Decimals::Exact);
        };
        if let Ok(text) = value.cast::<PyString>() {
            return match &*text.to_cow()? {
                "exact" => Ok(Decimals::Exact),
                "float" => Ok(Decimals::Float),
                other => Err(PyValueError::new_err(format!(
                    "decimals must be \"exact\", \"float\" or a scale 0–{MAX_SCALE}, not {other:?}"
                ))),
            };
        }
        match value.extract::<u32>() {
            Ok(scale) if scale <= MAX_SCALE && !value.is_instance_of::<pyo3::types::PyBool>() => {
                Ok(Decimals::Fixed(scale))
            }
            _ => Err(PyValueError::new_err(format!(
                "decimals must be \"exact\", \"float\" or a scale 0–{MAX_SCALE}, not {}",
                value.repr()?
            ))),
        }
    }
}

/// The kind of columns a pandas result has, named as pandas' own `dtype_backend` (of
/// `read_csv` and `convert_dtypes`) names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DtypeBackend {
    /// NumPy columns, decimals as `decimal.Decimal` objects, pandas' nullable integers
    /// (the default, and `"numpy_nullable"`).
    NumpyNullable,
    /// Every column Arrow-backed (`pandas.ArrowDtype`): no Python object per figure.
    Pyarrow,
}

impl DtypeBackend {
    pub fn extract(value: Option<&str>) -> PyResult<DtypeBackend> {
        match value {
            None | Some("numpy_nullable") => Ok(DtypeBackend::NumpyNullable),
            Some("pyarrow") => Ok(DtypeBackend::Pyarrow),
            Some(other) => Err(PyValueError::new_err(format!(
                "dtype_backend must be \"numpy_nullable\" or \"pyarrow\", not {other:?}"
            ))),
        }
    }

    /// The name `parscore._frames.convert` takes.
    pub fn name(self) -> Option<&'static str> {
        match self {
            DtypeBackend::NumpyNullable => None,
            DtypeBackend::Pyarrow => Some("pyarrow"),
        }
    }
}

/// The columns of `evaluate_frame` that hold a scored row's figures (then each criterion's
/// points, under its code): null in a row that failed.
pub const FIGURE_COLUMNS: [&str; 7] = [
    "points",
    "max_points",
    "index",
    "grade",
    "rank",
    "missing",
    "missing_points",
];

/// Which rows a table has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    Units,
    Criteria,
    Groups,
}

impl Detail {
    pub fn parse(text: &str, units_allowed: bool) -> PyResult<Detail> {
        match text {
            "units" if units_allowed => Ok(Detail::Units),
            "criteria" => Ok(Detail::Criteria),
            "groups" => Ok(Detail::Groups),
            other => Err(PyValueError::new_err(format!(
                "detail must be {}\"criteria\" or \"groups\", not {other:?}",
                if units_allowed { "\"units\", " } else { "" }
            ))),
        }
    }
}

/// A scored unit, as a row of a detail table.
pub struct Unit<'a> {
    pub row: Option<usize>,
    pub unit: Option<&'a str>,
    pub period: Option<&'a str>,
    pub evaluation: &'a Evaluation,
}

/// Columns built one by one.
pub(crate) struct Columns {
    fields: Vec<Field>,
    arrays: Vec<ArrayRef>,
    decimals: Decimals,
    rounding: Rounding,
}

impl Columns {
    pub(crate) fn new(scheme: &Scheme, decimals: Decimals) -> Self {
        Columns {
            fields: Vec::new(),
            arrays: Vec::new(),
            decimals,
            rounding: scheme.rounding(),
        }
    }

    fn push(&mut self, name: &str, array: ArrayRef) {
        self.fields
            .push(Field::new(name, array.data_type().clone(), true));
        self.arrays.push(array);
    }

    pub(crate) fn text<'a>(
        &mut self,
        name: &str,
        values: impl IntoIterator<Item = Option<&'a str>>,
    ) {
        self.push(name, Arc::new(values.into_iter().collect::<StringArray>()));
    }

    pub(crate) fn bool(&mut self, name: &str, values: impl IntoIterator<Item = Option<bool>>) {
        self.push(name, Arc::new(values.into_iter().collect::<BooleanArray>()));
    }

    pub(crate) fn int(&mut self, name: &str, values: impl IntoIterator<Item = Option<usize>>) {
        let values = values.into_iter().map(|v| v.map(|v| v as i64));
        self.push(name, Arc::new(values.collect::<Int64Array>()));
    }

    /// A decimal column; `scale` fixes an exact column's scale (the index has the scheme's).
    pub(crate) fn decimal(&mut self, name: &str, values: Vec<Option<Decimal>>, scale: Option<u32>) {
        let array = self.decimal_array(values, scale);
        self.push(name, array);
    }

    /// The array of [`Columns::decimal`], built without adding it (from any thread).
    fn decimal_array(&self, mut values: Vec<Option<Decimal>>, scale: Option<u32>) -> ArrayRef {
        match self.decimals {
            Decimals::Float => Arc::new(
                values
                    .iter()
                    .map(|v| v.map(nearest_f64))
                    .collect::<Float64Array>(),
            ),
            Decimals::Fixed(places) => {
                let rounding = Rounding {
                    places,
                    ..self.rounding
                };
                for value in values.iter_mut().flatten() {
                    *value = rounding.round(*value);
                }
                decimal_array(values, places)
            }
            Decimals::Exact => {
                // The most places any value needs: a value is normalised only when its own
                // scale could raise the most found so far.
                let scale = scale.unwrap_or_else(|| {
                    values.iter().flatten().fold(0, |most, d| {
                        if d.scale() > most {
                            most.max(d.normalize().scale())
                        } else {
                            most
                        }
                    })
                });
                decimal_array(values, scale.min(MAX_SCALE))
            }
        }
    }

    pub(crate) fn finish(self) -> RecordBatch {
        let schema = Arc::new(Schema::new(self.fields));
        RecordBatch::try_new(schema, self.arrays)
            .expect("every column is built with one value per row")
    }
}

/// Values at a scale they fit without loss. A `Decimal` has at most 28 places and 29 digits,
/// so a figure below 10^10 always fits 38 digits at scale 28; larger ones are written at the
/// scale they fit, which only an absurd scheme reaches.
pub(crate) fn decimal_array(values: Vec<Option<Decimal>>, scale: u32) -> ArrayRef {
    // The column at a scale, or `None` when a value does not fit it; tried from `scale`
    // down, so that the usual table is written in one pass, straight into its buffer.
    let at = |scale: u32| -> Option<Decimal128Array> {
        let mut column = Decimal128Builder::with_capacity(values.len());
        for value in &values {
            match value {
                None => column.append_null(),
                Some(d) => column.append_value(mantissa_at(*d, scale)?),
            }
        }
        Some(column.finish())
    };
    let (scale, column) = (0..=scale)
        .rev()
        .find_map(|scale| Some((scale, at(scale)?)))
        .unwrap_or_else(|| {
            let whole = values.iter().map(|v| v.and_then(|d| mantissa_at(d, 0)));
            (0, whole.collect())
        });
    Arc::new(
        column
            .with_precision_and_scale(PRECISION, scale as i8)
            .expect("precision 38 holds scale 0–28"),
    )
}

/// `10^k` for the places a decimal128 column can hold.
const POW10: [i128; PRECISION as usize + 1] = {
    let mut powers = [1; PRECISION as usize + 1];
    let mut k = 1;
    while k < powers.len() {
        powers[k] = powers[k - 1] * 10;
        k += 1;
    }
    powers
};

/// `d` as an integer count of `10^-scale`, if that is exact and within 38 digits.
fn mantissa_at(d: Decimal, scale: u32) -> Option<i128> {
    // Only a value with more places than the column can lose them (trailing zeros).
    let d = if d.scale() > scale { d.normalize() } else { d };
    let up = scale.checked_sub(d.scale())? as usize;
    // m × 10^up < 10^38 exactly when |m| < 10^(38 − up): no product that could overflow.
    let limit = POW10.get((PRECISION as usize).checked_sub(up)?)?;
    (d.mantissa().unsigned_abs() < limit.unsigned_abs()).then(|| d.mantissa() * POW10[up])
}

/// The columns of `evaluate_frame` (unit, period, status, error, points, max_points, index,
/// grade, rank), then `missing` and `missing_points` (the criteria without input and the
/// points they stand for), then the points of each criterion under its code: null for a
/// criterion that does not apply and is excluded, which has no points to give (0 would read
/// as a failure).
pub fn units_table(batch: &Batch, decimals: Decimals) -> RecordBatch {
    let scheme = &batch.scheme;
    let results = &batch.results;
    let scored = || results.iter().map(|r| r.outcome.as_ref().ok());
    let mut columns = Columns::new(scheme, decimals);
    columns.text("unit", results.iter().map(|r| r.unit.as_deref()));
    columns.text("period", results.iter().map(|r| r.period.as_deref()));
    columns.text(
        "status",
        results
            .iter()
            .map(|r| Some(if r.outcome.is_ok() { "ok" } else { "error" })),
    );
    let errors: Vec<Option<String>> = results
        .iter()
        .map(|r| r.outcome.as_ref().err().map(ToString::to_string))
        .collect();
    columns.text("error", errors.iter().map(|e| e.as_deref()));
    columns.decimal(
        "points",
        scored().map(|e| e.map(|e| e.points())).collect(),
        None,
    );
    columns.decimal(
        "max_points",
        scored().map(|e| e.map(|e| e.max_points())).collect(),
        None,
    );
    columns.decimal(
        "index",
        scored()
            .map(|e| e.and_then(Evaluation::index_rounded))
            .collect(),
        Some(scheme.rounding().places),
    );
    columns.text(
        "grade",
        scored().map(|e| e.and_then(|e| e.grade()).map(|g| g.name.as_str())),
    );
    columns.int("rank", results.iter().map(|r| r.rank));
    let gaps: Vec<Option<(usize, Decimal)>> = scored()
        .map(|e| e.map(Evaluation::missing_summary))
        .collect();
    columns.int("missing", gaps.iter().map(|g| g.map(|(n, _)| n)));
    columns.decimal(
        "missing_points",
        gaps.iter().map(|g| g.map(|(_, p)| p)).collect(),
        None,
    );
    let points: Vec<Option<Vec<Option<Decimal>>>> = scored()
        .map(|e| e.map(|e| e.criteria().map(|c| awarded(&c)).collect()))
        .collect();
    for (i, leaf) in scheme.leaves().enumerate() {
        let column = points
            .iter()
            .map(|p| p.as_ref().and_then(|p| p[i]))
            .collect();
        columns.decimal(&leaf.code, column, None);
    }
    columns.finish()
}

/// A criterion's points for a table: `None` when it does not apply and is excluded (no
/// points, no maximum); a criterion given full points when not applicable shows them.
fn awarded(c: &parscore::CriterionResult<'_>) -> Option<Decimal> {
    let excluded = c.status() == Status::NotApplicable && c.max_points().is_zero();
    (!excluded).then(|| c.points())
}

/// The columns of `evaluate_frame` from columnar figures scored with their coverage
/// (`ColumnarOptions::coverage`): the same columns as [`units_table`], a failed row holding
/// its error and no figures.
pub fn figures_table(scheme: &Scheme, mut figures: Figures, decimals: Decimals) -> RecordBatch {
    let rows = figures.len();
    let mut errors: Vec<Option<String>> = vec![None; rows];
    for (row, error) in &figures.errors {
        errors[*row] = Some(error.to_string());
    }
    let failed = |row: usize| errors[row].is_some();
    let excluded = excluded(&figures);
    // A criterion's cell of a row: none when the row failed or the criterion is excluded.
    let kept = |row: usize, leaf: Option<usize>| {
        let excluded = leaf
            .and_then(|leaf| excluded[leaf].as_ref())
            .is_some_and(|rows| rows.value(row));
        !failed(row) && !excluded
    };
    let scored =
        |values: &mut dyn Iterator<Item = Decimal>, leaf: Option<usize>| -> Vec<Option<Decimal>> {
            values
                .enumerate()
                .map(|(row, d)| kept(row, leaf).then_some(d))
                .collect()
        };
    let mut columns = Columns::new(scheme, decimals);
    // Exact criterion columns are the core's buffers, handed over as they are; the other
    // decimal columns are built on every core, each from its own figures.
    let criteria = std::mem::take(&mut figures.criteria);
    let leaves = criteria.len();
    let exact = decimals == Decimals::Exact;
    let gaps: Vec<Option<(usize, Decimal)>> = (0..rows)
        .map(|row| {
            let gap = (figures.missing[row] as usize, figures.missing_points[row]);
            (!failed(row)).then_some(gap)
        })
        .collect();
    let missing_points = std::mem::take(&mut figures.missing_points);
    let sources = [&figures.points, &figures.max_points]
        .into_iter()
        .map(|values| Figure::Decimals(values))
        .chain(
            criteria
                .iter()
                .enumerate()
                .filter(|_| !exact)
                .map(|(leaf, points)| Figure::Points(leaf, points)),
        )
        .collect::<Vec<_>>();
    // Taken, not copied: a million rows' index is 20 MB of fresh pages.
    let index = std::mem::take(&mut figures.index);
    let (built, (index, missing_points)) = rayon::join(
        || {
            sources
                .into_par_iter()
                .map(|figure| {
                    let values = match figure {
                        Figure::Decimals(values) => scored(&mut values.iter().copied(), None),
                        Figure::Points(leaf, points) => scored(&mut points.iter(), Some(leaf)),
                    };
                    columns.decimal_array(values, None)
                })
                .collect::<Vec<_>>()
        },
        || {
            let gaps = gaps.iter().zip(missing_points).map(|(g, p)| g.map(|_| p));
            (
                columns.decimal_array(index, Some(scheme.rounding().places)),
                columns.decimal_array(gaps.collect(), None),
            )
        },
    );
    // Built once, shared by every criterion column excluded nowhere.
    let scored_rows =
        (!figures.errors.is_empty()).then(|| NullBuffer::from_iter((0..rows).map(|r| !failed(r))));
    let valid = |leaf: usize| match &excluded[leaf] {
        None => scored_rows.clone(),
        Some(excluded) => {
            let applies = !excluded;
            Some(NullBuffer::new(match &scored_rows {
                Some(scored) => scored.inner() & &applies,
                None => applies,
            }))
        }
    };
    let handed_over = criteria
        .into_iter()
        .enumerate()
        .filter(|_| exact)
        .map(|(leaf, points)| {
            let scale = points.scale() as i8;
            let array = Decimal128Array::new(points.into_mantissas().into(), valid(leaf))
                .with_precision_and_scale(PRECISION, scale)
                .expect("points of at most 10^9 at 28 places or fewer fit 38 digits");
            Arc::new(array) as ArrayRef
        });
    let mut built = built.into_iter().chain(handed_over);
    let mut next = || built.next().expect("one array per decimal column");
    columns.push("unit", Arc::new(figures.units.clone()));
    columns.push("period", Arc::new(figures.periods.clone()));
    columns.text(
        "status",
        (0..rows).map(|row| Some(if failed(row) { "error" } else { "ok" })),
    );
    columns.text("error", errors.iter().map(Option::as_deref));
    columns.push("points", next());
    columns.push("max_points", next());
    columns.push("index", index);
    let grades = scheme.grades();
    columns.text(
        "grade",
        figures
            .grades
            .iter()
            .map(|g| g.map(|g| grades[g].name.as_str())),
    );
    columns.int("rank", figures.ranks.iter().copied());
    columns.int("missing", gaps.iter().map(|g| g.map(|(n, _)| n)));
    columns.push("missing_points", missing_points);
    for leaf in scheme.leaves().take(leaves) {
        columns.push(&leaf.code, next());
    }
    columns.finish()
}

/// Per leaf, the rows where it does not apply and is excluded (from the applicable maximum,
/// with no points to give); `None` for a leaf excluded in no row, and for every leaf when
/// the criteria's points were not kept (only their columns show exclusions).
///
/// A criterion that does not apply has its points as its applicable maximum: none when its
/// policy excludes it, all of them when it is given full points. So a row excludes it
/// exactly when its status is `not_applicable` and its points are 0.
fn excluded(figures: &Figures) -> Vec<Option<BooleanBuffer>> {
    (figures.statuses.par_iter().zip(&figures.criteria))
        .map(|(statuses, points)| {
            let points = points.mantissas();
            let bits = BooleanBuffer::collect_bool(points.len(), |row| {
                statuses[row] == Some(Status::NotApplicable) && points[row] == 0
            });
            (bits.count_set_bits() > 0).then_some(bits)
        })
        .collect()
}

/// A column of figures, as the core gives it: a headline figure, or a leaf's points.
enum Figure<'a> {
    Decimals(&'a [Decimal]),
    Points(usize, &'a CriterionPoints),
}

/// A batch's table at the asked detail; error rows appear only in the units table.
pub fn batch_table(batch: &Batch, detail: Detail, decimals: Decimals) -> RecordBatch {
    if detail == Detail::Units {
        return units_table(batch, decimals);
    }
    let units: Vec<Unit<'_>> = batch
        .results
        .iter()
        .filter_map(|r| {
            Some(Unit {
                row: Some(r.row),
                unit: r.unit.as_deref(),
                period: r.period.as_deref(),
                evaluation: r.outcome.as_ref().ok()?,
            })
        })
        .collect();
    detail_table(&batch.scheme, &units, detail, true, decimals)
}

/// One row per criterion or group of each unit; `with_unit` leads with row, unit and period.
pub fn detail_table(
    scheme: &Scheme,
    units: &[Unit<'_>],
    detail: Detail,
    with_unit: bool,
    decimals: Decimals,
) -> RecordBatch {
    let mut columns = Columns::new(scheme, decimals);
    let width = match detail {
        Detail::Groups => scheme.criteria().iter().filter(|c| c.is_group()).count(),
        _ => scheme.leaves().count(),
    };
    let repeat = |f: &dyn Fn(&Unit<'_>) -> Option<String>| -> Vec<Option<String>> {
        units
            .iter()
            .flat_map(|u| std::iter::repeat_n(f(u), width))
            .collect()
    };
    if with_unit {
        columns.int(
            "row",
            units.iter().flat_map(|u| std::iter::repeat_n(u.row, width)),
        );
        let unit = repeat(&|u| u.unit.map(str::to_string));
        columns.text("unit", unit.iter().map(|u| u.as_deref()));
        let period = repeat(&|u| u.period.map(str::to_string));
        columns.text("period", period.iter().map(|p| p.as_deref()));
    }
    match detail {
        Detail::Groups => group_columns(&mut columns, units),
        _ => criterion_columns(&mut columns, units),
    }
    columns.finish()
}

fn group_columns(columns: &mut Columns, units: &[Unit<'_>]) {
    let groups: Vec<_> = units.iter().flat_map(|u| u.evaluation.groups()).collect();
    let rounding = columns.rounding;
    columns.text("code", groups.iter().map(|g| Some(g.code())));
    columns.text("title", groups.iter().map(|g| Some(g.title())));
    columns.int("depth", groups.iter().map(|g| Some(g.criterion().depth)));
    columns.decimal(
        "points",
        groups.iter().map(|g| Some(g.points())).collect(),
        None,
    );
    columns.decimal(
        "max_points",
        groups.iter().map(|g| Some(g.max_points())).collect(),
        None,
    );
    columns.decimal(
        "lost_points",
        groups
            .iter()
            .map(|g| Some(g.max_points() - g.points()))
            .collect(),
        None,
    );
    columns.decimal(
        "index",
        groups
            .iter()
            .map(|g| rounding.index(g.points(), g.max_points()))
            .collect(),
        Some(rounding.places),
    );
}

fn criterion_columns(columns: &mut Columns, units: &[Unit<'_>]) {
    let criteria: Vec<_> = units.iter().flat_map(|u| u.evaluation.criteria()).collect();
    columns.text("code", criteria.iter().map(|c| Some(c.code())));
    columns.text("title", criteria.iter().map(|c| Some(c.title())));
    columns.text(
        "indicator",
        criteria.iter().map(|c| Some(c.indicator().id.as_str())),
    );
    // One column holds numbers, counts, yes/no and n/a alike, so it holds their text.
    let values: Vec<Option<String>> = criteria
        .iter()
        .map(|c| c.value().map(|v| v.to_string()))
        .collect();
    columns.text("value", values.iter().map(|v| v.as_deref()));
    let targets: Vec<Option<String>> = criteria
        .iter()
        .map(|c| c.target().map(ToString::to_string))
        .collect();
    columns.text("target", targets.iter().map(|t| t.as_deref()));
    columns.bool("passed", criteria.iter().map(|c| c.passed()));
    columns.decimal(
        "margin",
        criteria.iter().map(|c| c.margin()).collect(),
        None,
    );
    columns.decimal("points", criteria.iter().map(awarded).collect(), None);
    columns.decimal(
        "max_points",
        criteria.iter().map(|c| Some(c.max_points())).collect(),
        None,
    );
    columns.decimal(
        "lost_points",
        criteria.iter().map(|c| Some(c.lost_points())).collect(),
        None,
    );
    columns.decimal(
        "recoverable",
        criteria.iter().map(|c| Some(c.recoverable())).collect(),
        None,
    );
    columns.text("status", criteria.iter().map(|c| Some(c.status().name())));
    let explanations: Vec<String> = criteria.iter().map(|c| c.explanation()).collect();
    columns.text("explanation", explanations.iter().map(|e| Some(e.as_str())));
    columns.text(
        "lead",
        criteria.iter().map(|c| c.criterion().lead.as_deref()),
    );
}

/// A native Arrow table (it speaks the Arrow C stream protocol).
pub fn native_table(py: Python<'_>, batch: RecordBatch) -> PyResult<Bound<'_, PyAny>> {
    let schema = batch.schema();
    Ok(PyTable::try_new(vec![batch], schema)?
        .into_pyobject(py)?
        .into_any())
}

/// A table as a `pandas`, `polars` or `pyarrow` table.
pub fn to_library<'py>(
    py: Python<'py>,
    batch: RecordBatch,
    library: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let table = native_table(py, batch)?;
    py.import("parscore._frames")?
        .call_method1("convert", (table, library))
}
