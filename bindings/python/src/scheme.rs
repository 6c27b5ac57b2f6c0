//! `Scheme`: loading a methodology, reading its plan, and the entry points that score units.

use std::path::PathBuf;

use parscore::{Criterion, Decimal, Indicator, IndicatorSource, Options, Scheme, SchemeError};
use parscore_columnar::ColumnarOptions;
use pyo3::exceptions::{PyKeyError, PyOSError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

use crate::bounds;
use crate::decimal_mark::DecimalMark;
use crate::errors::{input_error, scheme_error, scheme_file_error};
use crate::evaluation::PyEvaluation;
use crate::frame;
use crate::guard::guard;
use crate::html::{self, Lang};
use crate::rank;
use crate::records::{self, Settings};
use crate::results::PyResults;
use crate::table::{Decimals, DtypeBackend};
use crate::values::{self, Reading, is_mapping};
use crate::workbook;

/// A validated, compiled scoring methodology. Load it once, score any number of units.
#[pyclass(frozen, module = "parscore._parscore", name = "Scheme")]
pub struct PyScheme {
    pub scheme: Scheme,
}

/// A scheme loaded by `load` inside the guard, or the `SchemeError` it gave.
fn loaded(
    py: Python<'_>,
    load: impl FnOnce() -> Result<Scheme, SchemeError>,
) -> PyResult<PyScheme> {
    guard(py, "loading a scheme", || {
        load()
            .map(|scheme| PyScheme { scheme })
            .map_err(|e| scheme_error(py, &e))
    })
}

#[pymethods]
impl PyScheme {
    /// A scheme built into the library, by id (`parscore.builtin_schemes()` lists them, e.g.
    /// `"lang-son-snn-2024"`).
    ///
    /// Returns a `Scheme`. Raises `SchemeError` for an id that is not built in.
    #[staticmethod]
    fn builtin(py: Python<'_>, id: &str) -> PyResult<Self> {
        loaded(py, || Scheme::builtin(id))
    }

    /// A scheme from the text of a TOML scheme file (`docs/scheme-format.md`).
    ///
    /// Returns a `Scheme`. Raises `SchemeError` listing every problem found (`problems`),
    /// each with its line, column, criterion code and key.
    #[staticmethod]
    fn from_toml(py: Python<'_>, text: &str) -> PyResult<Self> {
        loaded(py, || Scheme::from_toml(text))
    }

    /// A scheme from the text of a JSON scheme file (the shape of `to_json()`).
    ///
    /// Returns a `Scheme`. Raises `SchemeError` listing every problem found (`problems`).
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<Self> {
        loaded(py, || Scheme::from_json(text))
    }

    /// A scheme from its text: JSON when the text starts with `{`, TOML otherwise.
    ///
    /// Returns a `Scheme`. Raises `SchemeError` listing every problem found (`problems`).
    #[staticmethod]
    fn from_text(py: Python<'_>, text: &str) -> PyResult<Self> {
        loaded(py, || Scheme::from_text(text))
    }

    /// A scheme from a file (`str` or path-like): an Excel workbook (`.xlsx`, or any file
    /// whose bytes are one) laid out like a published instrument, a `.json` file read as
    /// JSON, a `.toml` file as TOML, any other by its first character. A workbook's problems
    /// are each located at `sheet!cell` (`Problem.sheet`, `Problem.cell`).
    ///
    /// Returns a `Scheme`. Raises `SchemeError` whose message starts with the file's path
    /// (`my-scheme.toml: 12:3: A.1: …`), `FileNotFoundError` (or another `OSError`) naming the
    /// file when it cannot be read.
    #[staticmethod]
    fn from_file(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        let bytes = std::fs::read(&path).map_err(|e| workbook::os_error(&e, &path))?;
        if workbook::is_workbook(&path, &bytes) {
            return guard(py, "loading a scheme workbook", || {
                workbook::read_scheme(py, &path, &bytes).map(|scheme| PyScheme { scheme })
            });
        }
        let text = String::from_utf8(bytes).map_err(|_| {
            let e = std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "not UTF-8 text: a scheme is a TOML or JSON file, or an Excel workbook (.xlsx)",
            );
            // OSError(errno, message, filename) becomes FileNotFoundError etc. and names the file.
            PyOSError::new_err((
                e.raw_os_error().unwrap_or(0),
                e.to_string(),
                path.display().to_string(),
            ))
        })?;
        let extension = path.extension().map(|e| e.to_string_lossy().to_lowercase());
        guard(py, "loading a scheme file", || {
            match extension.as_deref() {
                Some("json") => Scheme::from_json(&text),
                Some("toml") => Scheme::from_toml(&text),
                _ => Scheme::from_text(&text),
            }
            .map(|scheme| PyScheme { scheme })
            .map_err(|e| scheme_file_error(py, &e, &path.display().to_string()))
        })
    }

    #[getter]
    fn id(&self) -> &str {
        self.scheme.id()
    }

    #[getter]
    fn title(&self) -> &str {
        self.scheme.title()
    }

    #[getter]
    fn version(&self) -> &str {
        self.scheme.version()
    }

    /// Whether the points are an estimate rather than an official instrument.
    #[getter]
    fn estimated(&self) -> bool {
        self.scheme.estimated()
    }

    #[getter]
    fn provenance(&self) -> &str {
        self.scheme.provenance()
    }

    /// The most points a unit can earn.
    #[getter]
    fn max_points(&self) -> Decimal {
        self.scheme.max_points().normalize()
    }

    /// Decimal places of reported figures (index, grade and rank use the rounded index).
    #[getter]
    fn places(&self) -> u32 {
        self.scheme.rounding().places
    }

    /// `(name, min_index)` pairs, highest first.
    #[getter]
    fn grades(&self) -> Vec<(String, Decimal)> {
        self.scheme
            .grades()
            .iter()
            .map(|g| (g.name.clone(), g.min_index.normalize()))
            .collect()
    }

    #[getter]
    fn indicators(slf: &Bound<'_, Self>) -> Vec<PyIndicator> {
        let scheme = &slf.get().scheme;
        scheme
            .indicators()
            .iter()
            .map(|i| PyIndicator::new(slf, i))
            .collect()
    }

    /// The indicator with this id. Raises `KeyError` if there is none.
    fn indicator(slf: &Bound<'_, Self>, id: &str) -> PyResult<PyIndicator> {
        slf.get()
            .scheme
            .indicator(id)
            .map(|i| PyIndicator::new(slf, i))
            .ok_or_else(|| PyKeyError::new_err(id.to_string()))
    }

    /// The scored criteria (leaves), in plan order.
    #[getter]
    fn criteria(slf: &Bound<'_, Self>) -> Vec<PyCriterion> {
        let scheme = &slf.get().scheme;
        scheme
            .criteria()
            .iter()
            .filter(|c| !c.is_group())
            .map(|c| PyCriterion::new(slf, c))
            .collect()
    }

    /// The areas and sub-groups, in plan order.
    #[getter]
    fn groups(slf: &Bound<'_, Self>) -> Vec<PyCriterion> {
        let scheme = &slf.get().scheme;
        scheme
            .criteria()
            .iter()
            .filter(|c| c.is_group())
            .map(|c| PyCriterion::new(slf, c))
            .collect()
    }

    /// The area, group or criterion with this code. Raises `KeyError` if there is none.
    fn criterion(slf: &Bound<'_, Self>, code: &str) -> PyResult<PyCriterion> {
        slf.get()
            .scheme
            .criterion(code)
            .map(|c| PyCriterion::new(slf, c))
            .ok_or_else(|| PyKeyError::new_err(code.to_string()))
    }

    /// The scheme as TOML text, which loads back to an equal scheme.
    fn to_toml(&self, py: Python<'_>) -> PyResult<String> {
        guard(py, "writing the scheme as TOML", || {
            self.scheme.to_toml().map_err(|e| scheme_error(py, &e))
        })
    }

    /// The scheme as JSON text, which loads back to an equal scheme.
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        guard(py, "writing the scheme as JSON", || {
            self.scheme.to_json().map_err(|e| scheme_error(py, &e))
        })
    }

    /// Scores one unit.
    ///
    /// `values` maps indicator ids to values (`Decimal`, `int`, `float`, `str` such as
    /// `"98.7"`, `"987/1000"` or `"n/a"`, `bool`, `None` for missing); the keys `unit` and
    /// `period` are optional. `strict=True` makes a missing value an error instead of a
    /// missing criterion; `ignore_unknown=True` skips keys that are not indicators;
    /// `decimal=","` reads text numbers with a decimal comma (`"17,5"`, `"1.234,5"`).
    ///
    /// Returns an `Evaluation`. Raises `InputError` for a value that cannot be scored
    /// (naming its indicator), `TypeError` when `values` is not a mapping or `unit` or
    /// `period` is not text or a number.
    #[pyo3(signature = (values, *, strict = false, ignore_unknown = false, decimal = "."))]
    fn evaluate(
        slf: &Bound<'_, Self>,
        values: &Bound<'_, PyAny>,
        strict: bool,
        ignore_unknown: bool,
        decimal: &str,
    ) -> PyResult<PyEvaluation> {
        if !is_mapping(values) {
            return Err(PyTypeError::new_err(format!(
                "evaluate takes a mapping of indicator id → value, not a {} (use evaluate_many \
                 for rows, evaluate_frame for a table)",
                values.get_type().name()?
            )));
        }
        let reading = Reading {
            ignore_unknown,
            decimal: DecimalMark::extract(decimal)?,
        };
        let py = slf.py();
        let scheme = &slf.get().scheme;
        guard(py, "scoring a unit", || {
            let row = values::read_row(scheme, values, None, reading)?;
            let inputs = row.inputs.map_err(|e| input_error(py, &e))?;
            let options = Options { strict };
            let evaluation = py
                .detach(|| {
                    let evaluation = scheme.evaluate(&inputs, &options)?;
                    bounds::check(&evaluation, 1).map(|()| evaluation)
                })
                .map_err(|e| input_error(py, &e))?;
            Ok(PyEvaluation::new(
                slf.clone().unbind(),
                evaluation,
                inputs,
                strict,
            ))
        })
    }

    /// Scores a batch of units, one mapping per row, each naming its `unit`.
    ///
    /// `rows` is any iterable of mappings read as `evaluate` reads one (same keywords). A
    /// bad row keeps its place with its error instead of raising: a value that cannot be
    /// scored, no `unit`, a `unit` that is not text or a number, and a row that repeats an
    /// earlier row's unit and period (the same name in composed or decomposed Unicode is one
    /// unit): the first is scored, the later one is not.
    ///
    /// Returns `Results`, one `Row` per input row in order, ranked within each period.
    /// Raises `TypeError` when `rows` is a mapping, a table or not iterable.
    #[pyo3(signature = (rows, *, strict = false, ignore_unknown = false, decimal = "."))]
    fn evaluate_many(
        slf: &Bound<'_, Self>,
        rows: &Bound<'_, PyAny>,
        strict: bool,
        ignore_unknown: bool,
        decimal: &str,
    ) -> PyResult<PyResults> {
        if is_mapping(rows) || rows.hasattr("__arrow_c_stream__")? {
            return Err(PyTypeError::new_err(
                "evaluate_many takes an iterable of mappings, one per unit (use evaluate for \
                 one mapping, evaluate_frame for a table)",
            ));
        }
        let reading = Reading {
            ignore_unknown,
            decimal: DecimalMark::extract(decimal)?,
        };
        let py = slf.py();
        let scheme = &slf.get().scheme;
        guard(py, "scoring a batch", || {
            let mut read = Vec::new();
            for (i, item) in rows.try_iter()?.enumerate() {
                let item = item?;
                let row = i + 1;
                read.push(if is_mapping(&item) {
                    values::read_row(scheme, &item, Some(row), reading)?
                } else {
                    values::Row {
                        unit: None,
                        period: None,
                        inputs: Err(parscore::InputError::Row {
                            row,
                            reason: format!(
                                "each row must be a mapping of column → value, not a {}",
                                item.get_type().name()?
                            ),
                        }),
                    }
                });
            }
            values::refuse_repeats(&mut read);
            Ok(PyResults::score(py, slf.clone().unbind(), read, strict))
        })
    }

    /// Scores a table, one result row per input row, returned in the library it came in.
    ///
    /// `frame` is a pandas, polars or pyarrow table (`Table`, `RecordBatch`,
    /// `RecordBatchReader`) or any object with `__arrow_c_stream__`, with a `unit` column,
    /// an optional `period` and a column per indicator. Cells are read by column type; text
    /// columns as `evaluate` reads text, with `decimal=","` for a decimal comma.
    /// `decimals` chooses how figures are written (`"exact"`, a scale 0–28, `"float"`);
    /// `criteria=False` leaves out the points per criterion (faster, less memory).
    /// `dtype_backend="pyarrow"` gives pandas columns backed by Arrow (`pandas.ArrowDtype`)
    /// instead of `decimal.Decimal` objects.
    ///
    /// For a part of a larger table (a batch of a distributed run): `rank=False` leaves
    /// `rank` null, for `Scheme.rank` to rank the combined parts, and `first_row` is the
    /// number of the frame's first row in the whole table, which errors name.
    ///
    /// Returns a frame with `unit`, `period`, `status`, `error`, `points`, `max_points`,
    /// `index`, `grade`, `rank`, `missing` and `missing_points` (the criteria without input
    /// and the points they stand for), and the points of each criterion (null for one that
    /// does not apply and is excluded). A bad row keeps its place
    /// with `status == "error"`, as does a row that repeats an earlier row's unit and
    /// period. Raises `InputError` for a table that cannot be read at all (no `unit`
    /// column, a column given twice, a column of lists), `TypeError` for what is not a table.
    #[pyo3(signature = (frame, *, strict = false, ignore_unknown = false, decimals = None, criteria = true, decimal = ".", rank = true, first_row = 1, dtype_backend = None))]
    #[allow(clippy::too_many_arguments)]
    fn evaluate_frame<'py>(
        &self,
        py: Python<'py>,
        frame: &Bound<'py, PyAny>,
        strict: bool,
        ignore_unknown: bool,
        decimals: Option<&Bound<'py, PyAny>>,
        criteria: bool,
        decimal: &str,
        rank: bool,
        first_row: usize,
        dtype_backend: Option<&str>,
    ) -> PyResult<Bound<'py, PyAny>> {
        if first_row == 0 {
            return Err(PyValueError::new_err("first_row counts from 1"));
        }
        let output = frame::Output {
            decimals: Decimals::extract(decimals)?,
            rank,
            first_row,
            dtype_backend: DtypeBackend::extract(dtype_backend)?,
        };
        let decimal = DecimalMark::extract(decimal)?;
        let options = ColumnarOptions {
            strict,
            ignore_unknown,
            threads: None,
            criteria,
            ..ColumnarOptions::default()
        };
        guard(py, "scoring a table", || {
            frame::evaluate_frame(py, &self.scheme, frame, &options, &output, decimal)
        })
    }

    /// The competition ranks of rows `evaluate_frame` scored, computed again over the whole
    /// of `frame`: for results scored in parts (with `rank=False`) and combined, as a
    /// distributed run makes them. Ties share a rank (1, 2, 2, 4), by reported index within
    /// each period, as `evaluate_frame` ranks; rows that failed are not ranked.
    ///
    /// A row that repeats the unit and period of an earlier row (one the parts could not
    /// see together) becomes an error of its row, as in `evaluate_frame`: its figures null,
    /// its message naming the earlier row. Rows are numbered by the frame's `row` column
    /// when it has one (the Spark and Ray helpers' results do), else from `first_row` in
    /// order.
    ///
    /// Returns the frame, in its own library (pandas, polars or pyarrow), with `rank` set
    /// (added at the end when it has none). Raises `InputError` for a frame without `unit`
    /// or `index`, `TypeError` for what is not a table.
    #[pyo3(signature = (frame, *, first_row = 1))]
    fn rank<'py>(
        &self,
        py: Python<'py>,
        frame: &Bound<'py, PyAny>,
        first_row: usize,
    ) -> PyResult<Bound<'py, PyAny>> {
        if first_row == 0 {
            return Err(PyValueError::new_err("first_row counts from 1"));
        }
        guard(py, "ranking a table", || {
            rank::rank_frame(py, &self.scheme, frame, first_row)
        })
    }

    /// Counts dossier records (a pandas, polars or pyarrow table, one row per dossier) per
    /// unit and period as `summarize_records` does, feeds the counts to this scheme's
    /// indicators through an indicator map, and scores each unit and period.
    ///
    /// `mapping` is an indicator map's TOML text or a dict of summary indicator → indicator
    /// id (default: the scheme's own map); the other keywords are `summarize_records`'s.
    ///
    /// Returns `Results`, one row per unit (or unit / sub-unit) and period. Raises
    /// `RecordsError` for a profile, calendar, map or header that cannot be used (and, with
    /// `strict`, for the first bad record), `TypeError` for a keyword it does not take.
    #[pyo3(signature = (frame, *, mapping = None, **settings), text_signature = "($self, \
        frame, *, mapping=None, profile=None, calendar=None, period='year', as_of=None, \
        by_sub_unit=False, resolved_by='completed', strict=False)")]
    fn evaluate_records(
        slf: &Bound<'_, Self>,
        frame: &Bound<'_, PyAny>,
        mapping: Option<&Bound<'_, PyAny>>,
        settings: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<PyResults> {
        let settings = Settings::from_kwargs("evaluate_records", settings)?;
        guard(slf.py(), "scoring dossier records", || {
            records::evaluate_records(slf, frame, mapping, &settings)
        })
    }

    /// The year tracked from dossier records exported mid-year (`as_of`, required), as
    /// `parscore records track` tracks it: for each unit and each criterion a rate of the
    /// records feeds, the rate so far (exact counts), the dossiers expected in the rest of
    /// the year (`expected`, else the same months of the previous year when the records hold
    /// them, else the pace so far; each row says which) and how many of them must meet the
    /// condition; and each rate month by month. The records are read as `summarize_records`
    /// reads them (same keywords, counted by month: no `period`).
    ///
    /// Returns a `Tracking`. Raises `RecordsError` as `evaluate_records` does, `TypeError`
    /// without `as_of` or with `period`, `ValueError` for an `expected` that is not a whole
    /// number of dossiers.
    #[pyo3(signature = (frame, *, as_of, expected = None, mapping = None, **settings),
        text_signature = "($self, frame, *, as_of, expected=None, mapping=None, profile=None, \
        calendar=None, by_sub_unit=False, resolved_by='completed', strict=False)")]
    fn track_records(
        slf: &Bound<'_, Self>,
        frame: &Bound<'_, PyAny>,
        as_of: &Bound<'_, PyAny>,
        expected: Option<&Bound<'_, PyAny>>,
        mapping: Option<&Bound<'_, PyAny>>,
        settings: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<records::PyTracking> {
        let settings = match settings {
            Some(s) => s.copy()?,
            None => PyDict::new(slf.py()),
        };
        settings.set_item("as_of", as_of)?;
        records::track_records(slf, frame, expected, mapping, Some(&settings))
    }

    /// Writes the scheme as an Excel workbook laid out like a published instrument (a sheet
    /// of areas, criteria and sub-criteria, one of indicators, one of grades and settings),
    /// with data validation and a note on each column; `Scheme.from_file` reads it back as
    /// the same scheme. The file is written whole or not at all, and an existing file is
    /// replaced only with `overwrite=True`.
    ///
    /// Raises `FileExistsError` for an existing file without `overwrite`, another `OSError`
    /// naming the file when it cannot be written, `ParscoreError` when the scheme does not
    /// fit a workbook.
    #[pyo3(signature = (path, *, overwrite = false))]
    fn to_xlsx(&self, py: Python<'_>, path: PathBuf, overwrite: bool) -> PyResult<()> {
        guard(py, "writing the scheme as a workbook", || {
            workbook::write_scheme(py, &self.scheme, &path, overwrite)
        })
    }

    /// Writes a workbook to fill in for this scheme: a row per unit (`units`, with `period`
    /// beside each) and a column per input indicator headed by its Vietnamese title and id,
    /// with data validation and a sheet explaining each indicator; with `per_unit=True`, the
    /// self-assessment form (tự đánh giá): a sheet per unit, a row per criterion.
    /// `evaluate_template` scores a filled one. The file is written whole or not at all, and
    /// an existing file is replaced only with `overwrite=True`.
    ///
    /// Raises `FileExistsError` for an existing file without `overwrite`, another `OSError`
    /// naming the file when it cannot be written.
    #[pyo3(signature = (path, *, per_unit = false, units = None, period = None, overwrite = false))]
    fn template(
        &self,
        py: Python<'_>,
        path: PathBuf,
        per_unit: bool,
        units: Option<Vec<String>>,
        period: Option<String>,
        overwrite: bool,
    ) -> PyResult<()> {
        guard(py, "writing a template", || {
            workbook::write_template(
                py,
                &self.scheme,
                &path,
                per_unit,
                units.unwrap_or_default(),
                period,
                overwrite,
            )
        })
    }

    /// Scores a filled template (a table of units or self-assessment forms, as `template`
    /// writes them, headers matched by indicator id or title) as `evaluate_many` scores
    /// rows: one result per filled-in row, a row with a bad cell failing on its own, named
    /// at its sheet and row.
    ///
    /// Returns `Results`. Raises `OSError` naming the file when it cannot be read,
    /// `ParscoreError` located at `sheet!cell` when the workbook holds no template.
    #[pyo3(signature = (path, *, strict = false, ignore_unknown = false))]
    fn evaluate_template(
        slf: &Bound<'_, Self>,
        path: PathBuf,
        strict: bool,
        ignore_unknown: bool,
    ) -> PyResult<PyResults> {
        guard(slf.py(), "scoring a filled template", || {
            workbook::evaluate_template(slf, &path, strict, ignore_unknown)
        })
    }

    /// The pyarrow schema of `evaluate_frame`'s result with these `decimals` (a fixed scale
    /// 0–28 makes it independent of the data, as Spark's `mapInArrow` needs it declared);
    /// with `rank=False`, that of `evaluate_frame(..., rank=False)`, which ends with
    /// `rank_key` under a scheme whose `[ranking]` breaks ties.
    ///
    /// Returns a `pyarrow.Schema`. Raises `ValueError` for a `decimals` it does not take,
    /// `ModuleNotFoundError` without pyarrow.
    #[pyo3(signature = (decimals = None, *, criteria = true, rank = true))]
    fn output_schema<'py>(
        &self,
        py: Python<'py>,
        decimals: Option<&Bound<'py, PyAny>>,
        criteria: bool,
        rank: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let decimals = Decimals::extract(decimals)?;
        guard(py, "making the output schema", || {
            frame::output_schema(py, &self.scheme, decimals, criteria, rank)
        })
    }

    /// How sure the scores are: an uncertainty and sensitivity study of the units, as
    /// `parscore sensitivity` runs it (see `docs/uncertainty.md`).
    ///
    /// `rows` is what `evaluate_many` takes, a pandas, polars or pyarrow table, or `Results`
    /// already scored with this scheme; `strict`, `ignore_unknown` and `decimal` read rows
    /// and tables as `evaluate_many` does. `samples` (1 to 1,000,000) draws of the model,
    /// `seed` to reproduce them; `model` is a model's TOML text or a path to its file;
    /// `weights` (a percent) varies every criterion's points by ± that much, over the
    /// model's `[weights]`; neither gives the scheme's default (±20% for an estimated
    /// scheme, nothing for an official one). `factors` is `"areas"` or `"criteria"` (the
    /// factors of the variance shares), or `None` for the uncertainty analysis alone;
    /// `threads=None` uses every core, with the same results on any number.
    ///
    /// Returns a `Sensitivity`. Raises `SchemeError` for a model that cannot be used (with
    /// its line and column), `ParscoreError` for a study that cannot run (a rank policy),
    /// `ValueError` for `samples`, `threads` or `factors` out of range, `TypeError` for
    /// rows, a model or weights of the wrong type.
    #[pyo3(signature = (rows, *, samples = 1000, seed = 0, model = None, weights = None, factors = Some("areas"), threads = None, **scoring), text_signature = "($self, rows, *, samples=1000, seed=0, model=None, weights=None, factors='areas', threads=None, strict=False, ignore_unknown=False, decimal='.')")]
    #[allow(clippy::too_many_arguments)]
    fn sensitivity(
        slf: &Bound<'_, Self>,
        rows: &Bound<'_, PyAny>,
        samples: usize,
        seed: u64,
        model: Option<&Bound<'_, PyAny>>,
        weights: Option<&Bound<'_, PyAny>>,
        factors: Option<&str>,
        threads: Option<usize>,
        scoring: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<crate::sensitivity::PySensitivity> {
        let empty = PyDict::new(slf.py());
        let scoring = scoring.unwrap_or(&empty);
        for key in scoring.keys() {
            let key: String = key.extract()?;
            if !["strict", "ignore_unknown", "decimal"].contains(&key.as_str()) {
                return Err(PyTypeError::new_err(format!(
                    "sensitivity() got an unexpected keyword argument '{key}'"
                )));
            }
        }
        let request = crate::sensitivity::Request {
            samples,
            seed,
            model,
            weights,
            factors,
            threads,
            scoring,
        };
        crate::sensitivity::sensitivity(slf, rows, request)
    }

    fn __eq__(&self, other: PyRef<'_, Self>) -> bool {
        self.scheme == other.scheme
    }

    fn __repr__(&self) -> String {
        let estimated = if self.scheme.estimated() {
            ", estimated"
        } else {
            ""
        };
        format!(
            "<Scheme {} {}: {} criteria, {} points{estimated}>",
            self.scheme.id(),
            self.scheme.version(),
            self.scheme.leaves().count(),
            self.scheme.max_points().normalize()
        )
    }

    /// The scheme's areas as an HTML table (what a notebook shows).
    ///
    /// `lang` is `"vi"` (default: Vietnamese terms and decimal commas) or `"en"`. Returns
    /// the HTML text. Raises `ValueError` for another `lang`.
    #[pyo3(signature = (*, lang = "vi"))]
    fn to_html(&self, py: Python<'_>, lang: &str) -> PyResult<String> {
        let lang = Lang::extract(lang)?;
        guard(py, "showing the scheme", || {
            Ok(html::scheme(&self.scheme, lang))
        })
    }

    /// What a notebook shows: `to_html(lang=lang)`.
    #[pyo3(signature = (*, lang = "vi"))]
    fn _repr_html_(&self, py: Python<'_>, lang: &str) -> PyResult<String> {
        self.to_html(py, lang)
    }

    /// Pickles as its JSON text, which loads back to the same scheme in any process.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let constructor = py.get_type::<PyScheme>().getattr("from_json")?;
        (constructor, (self.to_json(py)?,)).into_pyobject(py)
    }
}

/// A declared indicator.
#[pyclass(frozen, module = "parscore._parscore", name = "Indicator")]
pub struct PyIndicator {
    /// Kept so that the indicator pickles as its scheme's `indicator(id)`.
    parent: Py<PyScheme>,
    #[pyo3(get)]
    id: String,
    #[pyo3(get)]
    title: String,
    /// `percent`, `count`, `bool`, `points` or `number`.
    #[pyo3(get)]
    kind: &'static str,
    #[pyo3(get)]
    min: Option<Decimal>,
    #[pyo3(get)]
    max: Option<Decimal>,
    /// `input`, `ratio` (numerator / denominator × 100) or `reduction` (against a baseline).
    #[pyo3(get)]
    source: &'static str,
    /// The indicators a derived one is computed from.
    #[pyo3(get)]
    derived_from: Vec<String>,
}

impl PyIndicator {
    fn new(parent: &Bound<'_, PyScheme>, indicator: &Indicator) -> Self {
        let scheme = &parent.get().scheme;
        let id_of = |slot: usize| scheme.indicators()[slot].id.clone();
        let (source, derived_from) = match indicator.source {
            IndicatorSource::Input => ("input", vec![]),
            IndicatorSource::Ratio {
                numerator,
                denominator,
            } => ("ratio", vec![id_of(numerator), id_of(denominator)]),
            IndicatorSource::Reduction { baseline, current } => {
                ("reduction", vec![id_of(baseline), id_of(current)])
            }
        };
        PyIndicator {
            parent: parent.clone().unbind(),
            id: indicator.id.clone(),
            title: indicator.title.clone(),
            kind: indicator.kind.name(),
            min: indicator.min.map(|d| d.normalize()),
            max: indicator.max.map(|d| d.normalize()),
            source,
            derived_from,
        }
    }
}

#[pymethods]
impl PyIndicator {
    fn __repr__(&self) -> String {
        format!("<Indicator {} ({}): {}>", self.id, self.kind, self.title)
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let find = self.parent.bind(py).getattr("indicator")?;
        (find, (self.id.as_str(),)).into_pyobject(py)
    }
}

/// An area, group or criterion of a scheme, with its plan details.
#[pyclass(frozen, module = "parscore._parscore", name = "Criterion")]
pub struct PyCriterion {
    /// Kept so that the criterion pickles as its scheme's `criterion(code)`.
    parent: Py<PyScheme>,
    #[pyo3(get)]
    code: String,
    #[pyo3(get)]
    title: String,
    #[pyo3(get)]
    max_points: Decimal,
    /// 0 for an area.
    #[pyo3(get)]
    depth: usize,
    #[pyo3(get)]
    is_group: bool,
    #[pyo3(get)]
    indicator: Option<String>,
    #[pyo3(get)]
    target: Option<String>,
    /// The rule's kind: `threshold`, `proportional`, `bands`, `boolean`, `given`, `deduction`.
    #[pyo3(get)]
    rule: Option<&'static str>,
    #[pyo3(get)]
    task: Option<String>,
    #[pyo3(get)]
    lead: Option<String>,
    #[pyo3(get)]
    coordinating: Option<String>,
    #[pyo3(get)]
    timeline: Option<String>,
    #[pyo3(get)]
    result: Option<String>,
}

impl PyCriterion {
    fn new(parent: &Bound<'_, PyScheme>, criterion: &Criterion) -> Self {
        let scheme = &parent.get().scheme;
        PyCriterion {
            parent: parent.clone().unbind(),
            code: criterion.code.clone(),
            title: criterion.title.clone(),
            max_points: criterion.max_points.normalize(),
            depth: criterion.depth,
            is_group: criterion.is_group(),
            indicator: leaf_indicator(scheme, criterion),
            target: criterion.target().map(ToString::to_string),
            rule: criterion.rule().map(|r| r.kind()),
            task: criterion.task.clone(),
            lead: criterion.lead.clone(),
            coordinating: criterion.coordinating.clone(),
            timeline: criterion.timeline.clone(),
            result: criterion.result.clone(),
        }
    }
}

/// The indicator a leaf scores, read back from the scheme file (the compiled node keeps a slot).
fn leaf_indicator(scheme: &Scheme, criterion: &Criterion) -> Option<String> {
    fn find<'a>(
        criteria: &'a [parscore::file::CriterionFile],
        code: &str,
    ) -> Option<&'a parscore::file::CriterionFile> {
        criteria.iter().find_map(|c| {
            if c.code == code {
                Some(c)
            } else {
                find(&c.criteria, code)
            }
        })
    }
    if criterion.is_group() {
        return None;
    }
    scheme
        .file()
        .areas
        .iter()
        .find_map(|area| find(&area.criteria, &criterion.code))
        .and_then(|c| c.indicator.clone())
}

#[pymethods]
impl PyCriterion {
    fn __repr__(&self) -> String {
        let target = self
            .target
            .as_ref()
            .map(|t| format!(", target {t}"))
            .unwrap_or_default();
        format!(
            "<Criterion {} {} ({} points{target})>",
            self.code, self.title, self.max_points
        )
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let find = self.parent.bind(py).getattr("criterion")?;
        (find, (self.code.as_str(),)).into_pyobject(py)
    }
}
