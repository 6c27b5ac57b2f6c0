//! Schemes and inputs as Excel workbooks from Python: `Scheme.from_file` of a workbook,
//! `Scheme.to_xlsx`, `Scheme.template` and `Scheme.evaluate_template`. The workbook crate
//! reads and writes the bytes; this module does the files, as the command does: a workbook
//! is told by its first bytes or its extension, and a file written is written whole (beside
//! itself, then moved into place) and never replaces an existing file unless asked to.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use parscore::{InputError, Scheme};
use parscore_workbook::{FilledRow, Layout, TemplateOptions, WorkbookError};
use pyo3::exceptions::PyOSError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyType};

use crate::errors::parscore_error;
use crate::results::PyResults;
use crate::scheme::PyScheme;
use crate::values::Row;

static SCHEME_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static PROBLEM: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// Extensions of the workbooks a scheme can be read from, as the command's.
const WORKBOOK_EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xlsb", "xls", "ods"];

/// A zip (xlsx, xlsm, xlsb, ods) or OLE (xls) file, or one named as a workbook.
pub fn is_workbook(path: &Path, bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
        || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
        || path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| WORKBOOK_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// An `OSError` naming the file (`FileNotFoundError`, `FileExistsError`, … by errno).
pub fn os_error(error: &io::Error, path: &Path) -> PyErr {
    // Errors made here carry no errno: theirs, so that Python picks the subclass.
    let errno = error.raw_os_error().unwrap_or(match error.kind() {
        io::ErrorKind::AlreadyExists => 17,
        io::ErrorKind::IsADirectory => 21,
        io::ErrorKind::NotFound => 2,
        _ => 0,
    });
    PyOSError::new_err((errno, error.to_string(), path.display().to_string()))
}

/// A scheme from a workbook's bytes, or a `SchemeError` whose message starts with the file
/// and lists each problem at its `sheet!cell` with its criterion code.
pub fn read_scheme(py: Python<'_>, path: &Path, bytes: &[u8]) -> PyResult<Scheme> {
    parscore_workbook::read_scheme(bytes).map_err(|e| workbook_error(py, path, &e))
}

/// A `SchemeError` for a workbook: each problem a `Problem` with its `sheet` and `cell`.
fn workbook_error(py: Python<'_>, path: &Path, error: &WorkbookError) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let text = error.to_string();
        let separator = if text.contains('\n') { ":\n" } else { ": " };
        let message = format!("{}{separator}{text}", path.display());
        let problem = PROBLEM.import(py, "parscore._errors", "Problem")?;
        let list = PyList::empty(py);
        for p in error.problems() {
            let kwargs = PyDict::new(py);
            kwargs.set_item("code", p.code.as_deref())?;
            kwargs.set_item("field", p.field.as_deref())?;
            kwargs.set_item("sheet", &p.place.sheet)?;
            kwargs.set_item("cell", p.place.cell_name())?;
            list.append(problem.call((p.kind.to_string(),), Some(&kwargs))?)?;
        }
        let kwargs = PyDict::new(py);
        if let Some(first) = error.problems().first() {
            kwargs.set_item("code", first.code.as_deref())?;
            kwargs.set_item("field", first.field.as_deref())?;
        }
        kwargs.set_item("problems", list)?;
        let class = SCHEME_ERROR.import(py, "parscore._errors", "SchemeError")?;
        Ok(PyErr::from_value(class.call((message,), Some(&kwargs))?))
    };
    build().unwrap_or_else(|e| e)
}

/// `Scheme.to_xlsx`: the scheme as a workbook laid out like a published instrument.
pub fn write_scheme(py: Python<'_>, scheme: &Scheme, path: &Path, overwrite: bool) -> PyResult<()> {
    let bytes = py
        .detach(|| parscore_workbook::write_scheme(scheme))
        .map_err(|e| parscore_error(py, format!("{}: {e}", path.display())))?;
    write_file(path, &bytes, overwrite).map_err(|e| os_error(&e, path))
}

/// `Scheme.template`: a workbook to fill in, a table of units or a form per unit.
pub fn write_template(
    py: Python<'_>,
    scheme: &Scheme,
    path: &Path,
    per_unit: bool,
    units: Vec<String>,
    period: Option<String>,
    overwrite: bool,
) -> PyResult<()> {
    let clean = |text: &str| parscore::text::nfc(text.trim()).into_owned();
    let options = TemplateOptions {
        layout: if per_unit {
            Layout::PerUnit
        } else {
            Layout::Table
        },
        units: units
            .iter()
            .map(|u| clean(u))
            .filter(|u| !u.is_empty())
            .collect(),
        period: period.as_deref().map(clean).filter(|p| !p.is_empty()),
    };
    let bytes = py
        .detach(|| parscore_workbook::write_template(scheme, &options))
        .map_err(|e| parscore_error(py, format!("{}: {e}", path.display())))?;
    write_file(path, &bytes, overwrite).map_err(|e| os_error(&e, path))
}

/// `Scheme.evaluate_template`: a filled template's rows scored as a batch. A row the
/// workbook marks (an Excel error in a cell, a value without a header) fails on its own,
/// named at its sheet and row; every other row is scored.
pub fn evaluate_template(
    scheme: &Bound<'_, PyScheme>,
    path: &Path,
    strict: bool,
    ignore_unknown: bool,
) -> PyResult<PyResults> {
    let py = scheme.py();
    let bytes = fs::read(path).map_err(|e| os_error(&e, path))?;
    let core = &scheme.get().scheme;
    let filled = parscore_workbook::read_template(&bytes, core)
        .map_err(|e| parscore_error(py, format!("{}: {e}", path.display())))?;
    if filled.is_empty() {
        return Err(parscore_error(
            py,
            format!("{}: the workbook holds no filled-in row", path.display()),
        ));
    }
    let rows = filled
        .into_iter()
        .map(|row| filled_row(core, row, ignore_unknown))
        .collect();
    Ok(PyResults::score(py, scheme.clone().unbind(), rows, strict))
}

fn filled_row(scheme: &Scheme, row: FilledRow, ignore_unknown: bool) -> Row {
    let FilledRow {
        place,
        raw,
        problem,
        bad_cells,
    } = row;
    let clean = |text: &str| parscore::text::nfc(text.trim()).into_owned();
    let unit = raw.unit.as_deref().map(clean).filter(|u| !u.is_empty());
    let period = raw.period.as_deref().map(clean).filter(|p| !p.is_empty());
    let where_ = format!(
        "sheet {}, row {}",
        place.sheet,
        place.row_number().unwrap_or(0)
    );
    let inputs = if let Some(problem) = problem {
        Err(InputError::Row {
            row: raw.row,
            reason: format!("{where_}: {problem}"),
        })
    } else if let Some((indicator, reason)) = bad_cells.into_iter().next() {
        Err(InputError::InvalidValue {
            indicator,
            reason: format!("{where_}: {reason}"),
        })
    } else {
        scheme.inputs_from_row(&raw, ignore_unknown)
    };
    Row {
        unit,
        period,
        inputs,
    }
}

/// Tells partial files of one process apart.
static PARTIALS: AtomicUsize = AtomicUsize::new(0);

/// Writes `bytes` to `path` whole or not at all: to a hidden `.NAME.PID.N.partial` beside
/// it, then moved into place. Without `overwrite`, an existing file (or a link, even one
/// to nothing) is refused with `FileExistsError`; with it, a link is followed and its
/// target replaced, as the command does. A folder is refused.
pub fn write_file(path: &Path, bytes: &[u8], overwrite: bool) -> io::Result<()> {
    let target: PathBuf = match fs::symlink_metadata(path) {
        Ok(meta) if !overwrite => {
            let what = if meta.is_dir() { "a folder" } else { "a file" };
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("{what} of this name exists: pass overwrite=True to replace it"),
            ));
        }
        Ok(meta) if meta.file_type().is_symlink() => fs::canonicalize(path)?,
        Ok(_) => path.to_path_buf(),
        Err(e) if e.kind() == io::ErrorKind::NotFound => path.to_path_buf(),
        Err(e) => return Err(e),
    };
    if target.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::IsADirectory,
            "it is a folder",
        ));
    }
    let folder = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let partial = folder.join(format!(
        ".{name}.{}.{}.partial",
        std::process::id(),
        PARTIALS.fetch_add(1, Ordering::Relaxed)
    ));
    let written = (|| {
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&partial)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        if overwrite {
            fs::rename(&partial, &target)
        } else {
            // A hard link is made only where nothing is: a file that appeared since the
            // check is not replaced.
            match fs::hard_link(&partial, &target) {
                Ok(()) => fs::remove_file(&partial),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    "a file of this name exists: pass overwrite=True to replace it",
                )),
                // A file system without hard links: the check above stands.
                Err(_) => fs::rename(&partial, &target),
            }
        }
    })();
    if written.is_err() {
        let _ = fs::remove_file(&partial);
    }
    written
}
