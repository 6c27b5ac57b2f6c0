//! Dossier records in a frame: `summarize_records` and `Scheme.evaluate_records`. The frame's
//! columns are read by the records crate's Arrow reader (typed dates kept as days), counted
//! without the GIL, and handed back as a `RecordSummary` or, mapped onto a scheme's
//! indicators, as `Results`.

mod settings;
mod summary;
mod track;

use parscore::Options;
use parscore_records::IndicatorMap;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

pub use settings::Settings;
pub use summary::{_restore_record_summary, PyRecordSummary};
pub use track::{
    _restore_tracking, PyTrackRow, PyTracking, PyTrend, PyTrendMonth, PyUntracked, track_records,
};

use crate::errors::mapping_error;
use crate::guard::guard;
use crate::results::PyResults;
use crate::scheme::PyScheme;

/// Counts dossier records per unit and period.
#[pyfunction]
#[pyo3(signature = (frame, **settings), text_signature = "(frame, *, profile=None, \
    calendar=None, period='year', as_of=None, by_sub_unit=False, resolved_by='completed', \
    strict=False)")]
pub fn summarize_records(
    frame: &Bound<'_, PyAny>,
    settings: Option<&Bound<'_, PyDict>>,
) -> PyResult<PyRecordSummary> {
    guard(frame.py(), "counting dossier records", || {
        let settings = Settings::from_kwargs("summarize_records", settings)?;
        Ok(PyRecordSummary {
            summary: settings.summarize(frame)?,
        })
    })
}

/// The indicator map: the scheme's own by default, a TOML text, or a dict of summary
/// indicator → indicator id; checked against the scheme.
fn indicator_map(
    py: Python<'_>,
    scheme: &parscore::Scheme,
    mapping: Option<&Bound<'_, PyAny>>,
) -> PyResult<IndicatorMap> {
    let map = match mapping.filter(|m| !m.is_none()) {
        None => IndicatorMap::for_scheme(scheme),
        Some(m) => {
            if let Ok(text) = m.cast::<PyString>() {
                IndicatorMap::from_toml(&text.to_cow()?).map_err(|e| mapping_error(py, &e))?
            } else if let Ok(dict) = m.cast::<PyDict>() {
                let mut map = IndicatorMap::default();
                for (name, id) in dict.iter() {
                    let (name, id): (String, String) = (name.extract()?, id.extract()?);
                    map.insert(&name, &id).map_err(|e| mapping_error(py, &e))?;
                }
                map
            } else {
                return Err(PyTypeError::new_err(format!(
                    "mapping takes the TOML text of an indicator map or a dict of summary \
                     indicator → indicator id, not a {}",
                    m.get_type().name()?
                )));
            }
        }
    };
    map.check(scheme).map_err(|e| mapping_error(py, &e))?;
    Ok(map)
}

/// `Scheme.evaluate_records`: records summarised, mapped and scored as a batch.
pub fn evaluate_records(
    scheme: &Bound<'_, PyScheme>,
    frame: &Bound<'_, PyAny>,
    mapping: Option<&Bound<'_, PyAny>>,
    settings: &Settings,
) -> PyResult<PyResults> {
    let py = scheme.py();
    let core = &scheme.get().scheme;
    let map = indicator_map(py, core, mapping)?;
    let summary = settings.summarize(frame)?;
    let strict = settings.options.strict;
    let (batch, inputs) = py.detach(|| {
        let rows = summary.raw_rows(&map);
        let inputs = rows
            .iter()
            .map(|r| core.inputs_from_row(r, false))
            .collect();
        (
            core.evaluate_rows(&rows, false, &Options { strict }),
            inputs,
        )
    });
    Ok(PyResults {
        batch,
        scheme: scheme.clone().unbind(),
        inputs,
        strict,
    })
}
