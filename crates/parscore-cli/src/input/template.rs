//! Filled templates: a workbook `parscore template` wrote (a table of units, or a
//! self-assessment form per unit), or one laid out like it, read through the workbook crate
//! into rows with their places, as any input's rows are.

use parscore::Scheme;
use parscore::text::fold;
use parscore_workbook::{FilledRow, WorkbookError, read_template};

use super::columns::{Column, Naming};
use super::table::Cell;
use super::{FileRows, Place, ReadOptions, SourceRow, names};
use crate::fail::Failure;
use parscore_workbook::sheet_cells::SheetRow;

/// How far down a sheet a template's labels may stand, as the workbook crate's reader
/// looks for them.
const LABEL_ROWS: u32 = 30;
/// The labels of a template's unit column (the first is the one `parscore template`
/// writes), and of a self-assessment form's indicator and value columns: those the workbook
/// crate's reader finds a filled template by. A test checks that both layouts written are
/// recognised.
const UNIT_LABELS: [&str; 3] = ["Đơn vị", "Tên đơn vị", "Unit"];
const ID_LABELS: [&str; 2] = ["Mã chỉ tiêu", "Indicator"];
const VALUE_LABELS: [&str; 3] = ["Giá trị tự đánh giá", "Giá trị", "Value"];

/// Whether a sheet (the one an input is read from) is laid out as a template: a unit
/// column headed as the template heads it, or a form's indicator and value columns. A
/// sheet of notes before the data is not: the first sheet is still the one read.
pub fn is_template(rows: &[SheetRow<Cell>]) -> bool {
    let is = |cell: &Cell, labels: &[&str]| match cell {
        Cell::Text(text) | Cell::Value(text) => {
            let folded = fold(text.trim());
            !folded.is_empty() && labels.iter().any(|l| fold(l) == folded)
        }
        Cell::Bad(_) => false,
    };
    rows.iter()
        .take_while(|row| row.row < LABEL_ROWS)
        .any(|row| {
            let has = |labels: &[&str]| row.cells.iter().any(|(_, c)| is(c, labels));
            has(&UNIT_LABELS) || (has(&ID_LABELS) && has(&VALUE_LABELS))
        })
}

/// The rows of a filled template, or `None` when the workbook holds no template (no table
/// with a unit column, no form): the caller then reports why it is no input either.
///
/// Cells are read as the template tells the person filling it in: numbers as typed, a
/// number typed as text with either decimal mark (`98,7`, `98.7`) and refused at its cell
/// when it reads two ways (`12.000`); `--decimal` does not apply. With `--sheet`, only that
/// sheet's rows.
pub fn read(
    file: &str,
    bytes: &[u8],
    scheme: &Scheme,
    options: &ReadOptions,
) -> Result<Option<FileRows>, Failure> {
    let filled = match read_template(bytes, scheme) {
        Ok(filled) => filled,
        // Problems of the workbook as a whole, not of a cell: there is no table or form.
        Err(WorkbookError::Invalid { problems })
            if problems.iter().all(|p| p.place.cell.is_none()) =>
        {
            return Ok(None);
        }
        Err(error) => return Err(Failure::workbook(file, error)),
    };
    let filled: Vec<FilledRow> = match &options.sheet {
        Some(sheet) => filled
            .into_iter()
            .filter(|row| row.place.sheet == *sheet)
            .collect(),
        None => filled,
    };
    if filled.is_empty() && options.sheet.is_some() {
        return Ok(None);
    }
    let mut columns: Vec<Column> = Vec::new();
    let rows = filled
        .into_iter()
        .map(|row| {
            for (name, _) in row.raw.cells.iter().chain(&row.bad_cells) {
                if !columns.iter().any(|c| c.name == *name) {
                    columns.push(Column {
                        name: name.clone(),
                        place: format!("{file}: sheet {}", row.place.sheet),
                        naming: Naming::Header,
                    });
                }
            }
            source_row(file, row)
        })
        .collect();
    Ok(Some(FileRows {
        file: file.to_string(),
        columns,
        rows,
    }))
}

/// A filled row as an input row: its unit and period in the form every input's are
/// compared in, its place as the workbook shows it.
fn source_row(file: &str, row: FilledRow) -> SourceRow {
    let FilledRow {
        place,
        mut raw,
        problem,
        bad_cells,
    } = row;
    raw.unit = raw.unit.as_deref().map(names::name);
    raw.period = raw
        .period
        .as_deref()
        .map(names::period)
        .filter(|p| !p.is_empty());
    raw.cells = raw
        .cells
        .into_iter()
        .map(|(id, text)| (names::name(&id), names::cell(text)))
        .collect();
    SourceRow {
        place: Place::SheetRow {
            file: file.to_string(),
            sheet: place.sheet.clone(),
            row: place.row_number().unwrap_or(raw.row as u32),
        },
        raw,
        problem,
        bad_cells,
    }
}
