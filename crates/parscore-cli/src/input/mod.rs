//! Reading input files into rows of cells, each with the place a person finds it at.
//!
//! Readers never stop at a bad row: a ragged CSV line, a JSON line that does not parse, an
//! Excel error cell or a number that reads two ways becomes that row's problem, and the row
//! still gets a result. Only a file that cannot be read as a whole (missing, not UTF-8 where
//! text is needed, a quote never closed, no header, no such sheet, a column the scheme does
//! not know) stops the command.
//!
//! Unit names, periods, column names and cell text are put in one Unicode form (NFC) as they
//! are read, and numbers typed as text are read under the decimal mark given (`--decimal`).

pub mod arrow_units;
pub mod chunk;
mod closest;
pub mod columns;
pub(crate) mod csv;
mod csv_quotes;
pub mod csv_stream;
mod decimal_mark;
pub(crate) mod ipc_lengths;
mod json;
pub mod json_lines;
mod names;
mod table;
mod template;
mod xlsx;

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

use parscore::RawRow;
use serde_json::{Value as Json, json};

use crate::cli::InputFormat;
use crate::fail::Failure;

pub use self::columns::Column;
pub use self::decimal_mark::DecimalMark;
pub use self::names::{name as unit_name, period as period_name};

/// Where a row came from, as a person finds it in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A line of a CSV or JSON-lines file; the header is line 1.
    Line { file: String, line: u64 },
    /// An object of a JSON array, counted from 1.
    Object { file: String, index: usize },
    /// A row of a spreadsheet, numbered as the spreadsheet shows it.
    SheetRow {
        file: String,
        sheet: String,
        row: u32,
    },
    /// A row of a columnar file (Parquet, Arrow), counted from 1.
    Row { file: String, row: usize },
    /// A unit and period counted from dossier records (`evaluate --records`).
    Records { files: Vec<String> },
}

impl Place {
    /// The place as the `source` object of a JSON result.
    pub fn to_json(&self) -> Json {
        match self {
            Place::Line { file, line } => json!({ "file": file, "line": line }),
            Place::Object { file, index } => json!({ "file": file, "object": index }),
            Place::SheetRow { file, sheet, row } => {
                json!({ "file": file, "sheet": sheet, "row": row })
            }
            Place::Row { file, row } => json!({ "file": file, "row": row }),
            Place::Records { files } => json!({ "records": files }),
        }
    }
}

impl Place {
    /// The file (or files) the row came from.
    pub fn file(&self) -> String {
        match self {
            Place::Line { file, .. }
            | Place::Object { file, .. }
            | Place::SheetRow { file, .. }
            | Place::Row { file, .. } => file.clone(),
            Place::Records { files } => files.join(", "),
        }
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Line { file, line } => write!(f, "{file}:{line}"),
            Place::Object { file, index } => write!(f, "{file}: object {index}"),
            Place::SheetRow { file, sheet, row } => write!(f, "{file}: {sheet} row {row}"),
            Place::Row { file, row } => write!(f, "{file}: row {row}"),
            Place::Records { files } => write!(f, "records of {}", files.join(", ")),
        }
    }
}

/// One input row: its cells, where it is, and what is wrong with it, if anything.
#[derive(Debug, Clone)]
pub struct SourceRow {
    pub place: Place,
    /// `row` is the row number a person sees: the line of a CSV file, the spreadsheet row,
    /// the object's position in a JSON array.
    pub raw: RawRow,
    /// Why the row as a whole cannot be used (ragged, not an object, not JSON).
    pub problem: Option<String>,
    /// Cells that hold no value (Excel errors), as column and reason. A bad cell in a column
    /// that `--ignore-unknown` skips does no harm, so the verdict waits for the scheme.
    pub bad_cells: Vec<(String, String)>,
}

/// How to read the inputs.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// The format of every input, instead of guessing it per file.
    pub format: Option<InputFormat>,
    /// The spreadsheet to read in Excel inputs.
    pub sheet: Option<String>,
    /// Whether `sheet` may apply to no input (it is also for other files).
    pub sheet_unused_ok: bool,
    /// The decimal mark of numbers typed as text.
    pub decimal: DecimalMark,
    /// The scheme the rows are for: a workbook without a `unit` header is then read as a
    /// filled template of it (its columns headed by indicator titles or ids).
    pub scheme: Option<parscore::Scheme>,
}

/// One input file's rows, and the columns it names.
#[derive(Debug)]
pub struct FileRows {
    /// The file as places name it (`<stdin>` for standard input).
    pub file: String,
    /// The columns (in JSON, the keys) other than `unit` and `period`, each once, in order.
    pub columns: Vec<Column>,
    pub rows: Vec<SourceRow>,
}

impl FileRows {
    fn empty(file: &str) -> FileRows {
        FileRows {
            file: file.to_string(),
            columns: Vec::new(),
            rows: Vec::new(),
        }
    }

    /// The rows of every file, in order.
    pub fn rows_of(files: Vec<FileRows>) -> Vec<SourceRow> {
        let mut rows = Vec::with_capacity(files.iter().map(|f| f.rows.len()).sum());
        for file in files {
            rows.extend(file.rows);
        }
        rows
    }
}

/// Reads every input in order; standard input is `-`.
pub fn read_all(paths: &[PathBuf], options: &ReadOptions) -> Result<Vec<FileRows>, Failure> {
    let mut files = Vec::new();
    let mut any_excel = false;
    for path in paths {
        let (label, bytes) = read_bytes(path)?;
        let format = options.format.unwrap_or_else(|| guess_format(path, &bytes));
        any_excel |= format == InputFormat::Xlsx;
        files.push(read_rows(&label, bytes, format, options)?);
    }
    if options.sheet.is_some() && !any_excel && !options.sheet_unused_ok {
        return Err(Failure::Usage(
            "--sheet applies to Excel inputs, and none was given".into(),
        ));
    }
    Ok(files)
}

/// Reads one input from its bytes, as [`read_all`] reads each file; `file` names it in
/// places and messages. Whatever the bytes, this returns rows or a failure, never panics:
/// it is what a fuzz target calls.
pub fn read_rows(
    file: &str,
    bytes: Vec<u8>,
    format: InputFormat,
    options: &ReadOptions,
) -> Result<FileRows, Failure> {
    match format {
        InputFormat::Csv => csv::read(file, &bytes, options),
        InputFormat::Json => json::read(file, &bytes, options),
        InputFormat::Xlsx => xlsx::read(file, bytes, options),
        // Their cells are typed: only the columnar reading of `evaluate` reads them as the
        // engine scores them.
        InputFormat::Parquet | InputFormat::Arrow => Err(Failure::Usage(format!(
            "{file}: Parquet and Arrow inputs are scored by `evaluate` alone (without \
             --records); explain a unit of them from `evaluate --detail full --format jsonl`"
        ))),
    }
}

fn read_bytes(path: &Path) -> Result<(String, Vec<u8>), Failure> {
    if path.as_os_str() == "-" {
        let label = "<stdin>".to_string();
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| Failure::read(&label, e))?;
        return Ok((label, bytes));
    }
    let label = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| Failure::read(&label, e))?;
    Ok((label, bytes))
}

/// The format by extension, else by the first bytes: a zip (xlsx) or OLE (xls) signature,
/// Parquet's or Arrow's, a JSON bracket, and CSV for anything else.
pub fn guess_format(path: &Path, bytes: &[u8]) -> InputFormat {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("csv" | "tsv" | "txt") => return InputFormat::Csv,
        Some("json" | "jsonl" | "ndjson") => return InputFormat::Json,
        Some("xlsx" | "xlsm" | "xls" | "ods") => return InputFormat::Xlsx,
        Some("parquet" | "pq") => return InputFormat::Parquet,
        Some("arrow" | "feather" | "ipc" | "arrows") => return InputFormat::Arrow,
        _ => {}
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return InputFormat::Xlsx;
    }
    if bytes.starts_with(b"PAR1") {
        return InputFormat::Parquet;
    }
    if bytes.starts_with(b"ARROW1") || bytes.starts_with(&[0xFF, 0xFF, 0xFF, 0xFF]) {
        return InputFormat::Arrow;
    }
    match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'[' | b'{') => InputFormat::Json,
        _ => InputFormat::Csv,
    }
}
