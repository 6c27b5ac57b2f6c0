//! Reading a filled template back into rows of cells, without being told its layout: a
//! table of units (headers matched by indicator id or title) or self-assessment forms.

use std::collections::HashMap;

use parscore::text::fold;
use parscore::{RawRow, Scheme};

use crate::cells::{Book, Cell, Sheet};
use crate::error::{Place, Problems, WorkbookError};
use crate::number::parse_decimal;
use crate::template_write::{ID_LABELS, PERIOD_LABELS, UNIT_LABELS, VALUE_LABELS};

/// How far down a sheet its header may stand.
const HEADER_SEARCH: u32 = 30;

/// One unit's row of a filled template, with where it stands and what is wrong with it:
/// the same a command's input reader gives for a row of a CSV or Excel file, so that a
/// filled template is scored exactly as a file of the same data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilledRow {
    /// The sheet, and the cell of the unit's name.
    pub place: Place,
    /// The unit, period and indicator cells; `row` is the row Excel shows.
    pub raw: RawRow,
    /// Why the row as a whole cannot be used (an Excel error in its name, a value in a
    /// column without a header, an indicator filled in twice), if anything.
    pub problem: Option<String>,
    /// Cells that hold no value (Excel errors), as indicator id and reason, naming the cell.
    pub bad_cells: Vec<(String, String)>,
}

/// The rows of a filled template, in sheet and row order: each row of a table sheet (a
/// column of unit names, headed `Đơn vị` or `unit`, and a column per indicator headed by
/// its id, its title, or `Title [id]`) and each filled-in self-assessment form (a sheet with
/// a `Mã chỉ tiêu` and a `Giá trị tự đánh giá` column, and the unit's name beside
/// `Đơn vị`). Sheets that are neither (the guide) are passed over; blank rows and blank
/// forms are left out.
///
/// A header that names no indicator of the scheme is passed on as the cell's column name,
/// for the scheme to refuse as an unknown indicator, or to ignore when asked to, as it does
/// for a CSV file. What stops the whole file is located at its sheet and cell: a workbook
/// that cannot be read, a column that names two indicators, two columns for one indicator,
/// no sheet to read.
pub fn read_template(bytes: &[u8], scheme: &Scheme) -> Result<Vec<FilledRow>, WorkbookError> {
    let mut book = Book::open(bytes)?;
    let names = book.sheet_names();
    let mut rows = Vec::new();
    let mut problems = Problems::default();
    let mut found = false;
    let matcher = Matcher::new(scheme);
    for name in &names {
        let sheet = book.sheet(name)?;
        if let Some(form) = find_form(&sheet) {
            found = true;
            rows.extend(read_form(&sheet, &form));
        } else if let Some(table) = find_table(&sheet, &matcher, &mut problems) {
            found = true;
            rows.extend(read_table(&sheet, &table));
        }
    }
    if !found {
        problems.add(
            Place::sheet(names.first().map_or("", String::as_str)),
            None,
            None,
            "no sheet to read: a table with a column `Đơn vị` (or `unit`) and a column per \
             indicator, or a self-assessment form with `Mã chỉ tiêu` and `Giá trị tự đánh giá` \
             columns"
                .into(),
        );
    }
    problems.into_result(rows)
}

fn is_label(cell: &Cell, labels: &[&str]) -> bool {
    let folded = fold(cell.text());
    !folded.is_empty() && labels.iter().any(|l| fold(l) == folded)
}

/// Finds an indicator by the text of a header.
struct Matcher<'s> {
    ids: HashMap<&'s str, &'s str>,
    folded_ids: HashMap<String, &'s str>,
    titles: HashMap<String, Vec<&'s str>>,
}

impl<'s> Matcher<'s> {
    fn new(scheme: &'s Scheme) -> Matcher<'s> {
        let mut matcher = Matcher {
            ids: HashMap::new(),
            folded_ids: HashMap::new(),
            titles: HashMap::new(),
        };
        for indicator in scheme.indicators() {
            let id = indicator.id.as_str();
            matcher.ids.insert(id, id);
            matcher.folded_ids.insert(fold(id), id);
            if !indicator.title.is_empty() {
                matcher
                    .titles
                    .entry(fold(&indicator.title))
                    .or_default()
                    .push(id);
            }
        }
        matcher
    }

    /// The indicators a header names, and whether by id: by id (as written, or folded) or
    /// `Title [id]`; else by title, more than one when a title is shared.
    fn find(&self, header: &str) -> (Vec<&'s str>, bool) {
        let header = header.trim();
        if let Some(id) = self.ids.get(header) {
            return (vec![id], true);
        }
        for (open, close) in [('[', ']'), ('(', ')')] {
            if let Some(inner) = header
                .strip_suffix(close)
                .and_then(|h| h.rsplit_once(open))
                .map(|(_, inner)| inner.trim())
                && let Some(id) = self.ids.get(inner)
            {
                return (vec![id], true);
            }
        }
        let folded = fold(header);
        if let Some(id) = self.folded_ids.get(&folded) {
            return (vec![id], true);
        }
        (self.titles.get(&folded).cloned().unwrap_or_default(), false)
    }
}

/// What a column of a table holds.
#[derive(Debug, Clone, PartialEq)]
enum Column {
    Unit,
    Period,
    /// An indicator's id, or the header text of a column that names none.
    Named(String),
    /// No header at all.
    Unnamed,
}

struct Table {
    /// The first row after the header.
    data: u32,
    columns: Vec<Column>,
}

/// A table's header: the first rows whose unit column holds a unit label (`Đơn vị`, then
/// `unit` in the ids row below it); each column named by any of them.
fn find_table(sheet: &Sheet, matcher: &Matcher, problems: &mut Problems) -> Option<Table> {
    let width = sheet.columns();
    let (first, unit) = (0..HEADER_SEARCH.min(sheet.rows())).find_map(|row| {
        (0..width)
            .find(|&c| is_label(&sheet.cell(row, c), UNIT_LABELS))
            .map(|c| (row, c))
    })?;
    let mut last = first;
    while last + 1 < sheet.rows() && is_label(&sheet.cell(last + 1, unit), UNIT_LABELS) {
        last += 1;
    }
    let mut columns = Vec::with_capacity(usize::from(width));
    let mut seen: HashMap<String, u16> = HashMap::new();
    for column in 0..width {
        let headers: Vec<Cell> = (first..=last).map(|r| sheet.cell(r, column)).collect();
        if headers.iter().any(|h| is_label(h, UNIT_LABELS)) {
            columns.push(if column == unit {
                Column::Unit
            } else {
                Column::Unnamed
            });
            continue;
        }
        if headers.iter().any(|h| is_label(h, PERIOD_LABELS)) {
            columns.push(Column::Period);
            continue;
        }
        // An id names the column; a title only where no header cell gives an id (two
        // indicators may share a title).
        let found: Vec<(Vec<&str>, bool)> =
            headers.iter().map(|h| matcher.find(h.text())).collect();
        let by_id = found.iter().any(|(_, by_id)| *by_id);
        let mut named: Vec<&str> = found
            .into_iter()
            .filter(|(_, id)| *id == by_id)
            .flat_map(|(ids, _)| ids)
            .collect();
        named.sort_unstable();
        named.dedup();
        let place = sheet.place(last, column);
        let kind = match named[..] {
            [id] => {
                if let Some(other) = seen.insert(id.to_string(), column) {
                    problems.add(
                        place,
                        None,
                        None,
                        format!(
                            "indicator `{id}` has two columns ({} and {})",
                            rust_xlsxwriter::utility::column_number_to_name(other),
                            rust_xlsxwriter::utility::column_number_to_name(column)
                        ),
                    );
                }
                Column::Named(id.to_string())
            }
            [] => match headers.iter().rev().find(|h| !h.is_empty()) {
                Some(header) => Column::Named(header.text().to_string()),
                None => Column::Unnamed,
            },
            _ => {
                problems.add(
                    place,
                    None,
                    None,
                    format!(
                        "the header names more than one indicator ({}): head the column with \
                         the id",
                        named.join(", ")
                    ),
                );
                Column::Unnamed
            }
        };
        columns.push(kind);
    }
    Some(Table {
        data: last + 1,
        columns,
    })
}

fn read_table(sheet: &Sheet, table: &Table) -> Vec<FilledRow> {
    let width = table.columns.len() as u16;
    let unit_column = table
        .columns
        .iter()
        .position(|c| *c == Column::Unit)
        .unwrap_or(0) as u16;
    let mut rows = Vec::new();
    for row in sheet.rows_from(table.data) {
        if sheet.row_is_empty(row, width) {
            continue;
        }
        let mut filled = FilledRow {
            place: sheet.place(row, unit_column),
            raw: RawRow {
                row: row as usize + 1,
                ..RawRow::default()
            },
            problem: None,
            bad_cells: Vec::new(),
        };
        for (column, kind) in table.columns.iter().enumerate() {
            let column = column as u16;
            let cell = sheet.cell(row, column);
            let name = sheet.place(row, column).to_string();
            match (kind, cell) {
                (Column::Named(id), Cell::Error(error)) => filled
                    .bad_cells
                    .push((id.clone(), format!("cell {name} holds {error}"))),
                (_, Cell::Error(error)) => {
                    filled
                        .problem
                        .get_or_insert(format!("cell {name} holds {error}"));
                }
                (Column::Unit, cell) => filled.raw.unit = Some(cell.text().to_string()),
                (Column::Period, cell) => {
                    filled.raw.period = Some(cell.text().to_string()).filter(|p| !p.is_empty());
                }
                (Column::Named(id), cell) => match value(&cell) {
                    Ok(text) => filled.raw.cells.push((id.clone(), text)),
                    Err(reason) => filled
                        .bad_cells
                        .push((id.clone(), format!("cell {name}: {reason}"))),
                },
                (Column::Unnamed, cell) if !cell.is_empty() => {
                    filled.problem.get_or_insert(format!(
                        "`{}` in {name}, whose column has no header",
                        cell.text()
                    ));
                }
                (Column::Unnamed, _) => {}
            }
        }
        rows.push(filled);
    }
    rows
}

/// A value cell's text as a person typed it (a cell formatted as a percentage as it
/// shows): the scheme reads it as it reads a CSV cell. A number typed as text (the form's
/// value cells are text cells) may use either decimal mark, as the template's notes say
/// (`98,7` or `98.7`): it is read as numbers in a scheme workbook's text are, and one that
/// reads two ways (`1.500`, `12,000`: a thousand and a half, or one and a half?) is refused
/// rather than guessed.
fn value(cell: &Cell) -> Result<String, String> {
    match cell {
        Cell::Text(text) => typed_number(text),
        other => Ok(other.text().to_string()),
    }
}

/// Text that is a number with a decimal mark (`98,7`, `98.7%`, counts `1,5/3`) in the
/// core's form (`98.7`); any other text as it is.
fn typed_number(text: &str) -> Result<String, String> {
    let (body, percent) = match text.strip_suffix('%') {
        Some(body) => (body.trim_end(), "%"),
        None => (text, ""),
    };
    let numeric = |side: &str| {
        side.bytes().any(|b| b.is_ascii_digit())
            && side
                .bytes()
                .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b',' | b'+' | b'-'))
    };
    let sides: Vec<&str> = body.split('/').map(str::trim).collect();
    if sides.len() > 2 || !body.contains(['.', ',']) || !sides.iter().all(|s| numeric(s)) {
        return Ok(text.to_string());
    }
    let read = sides
        .iter()
        .map(|side| parse_decimal(side).map(|d| d.to_string()))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(read.join("/") + percent)
}

/// A self-assessment form: where its header, ids and values are, and the cells of the
/// unit's name and period.
struct Form {
    header: u32,
    id: u16,
    value: u16,
    unit: Option<(u32, u16)>,
    period: Option<(u32, u16)>,
}

fn find_form(sheet: &Sheet) -> Option<Form> {
    let width = sheet.columns();
    let find =
        |row: u32, labels: &[&str]| (0..width).find(|&c| is_label(&sheet.cell(row, c), labels));
    let (header, id, value) = (0..HEADER_SEARCH.min(sheet.rows()))
        .find_map(|row| Some((row, find(row, ID_LABELS)?, find(row, VALUE_LABELS)?)))?;
    // The unit's name and period stand beside their labels, above the header.
    let beside = |labels: &[&str]| {
        (0..header).find_map(|row| {
            let label = find(row, labels)?;
            let value = (label + 1..width)
                .find(|&c| !sheet.cell(row, c).is_empty())
                .unwrap_or(label + 1);
            Some((row, value))
        })
    };
    Some(Form {
        header,
        id,
        value,
        unit: beside(UNIT_LABELS),
        period: beside(PERIOD_LABELS),
    })
}

fn read_form(sheet: &Sheet, form: &Form) -> Option<FilledRow> {
    let (unit_row, unit_column) = form.unit.unwrap_or((form.header, form.value));
    let mut filled = FilledRow {
        place: sheet.place(unit_row, unit_column),
        raw: RawRow {
            row: unit_row as usize + 1,
            ..RawRow::default()
        },
        problem: None,
        bad_cells: Vec::new(),
    };
    let mut note = |problem: String| {
        filled.problem.get_or_insert(problem);
    };
    let mut header_cell = |at: Option<(u32, u16)>| -> Option<String> {
        let (row, column) = at?;
        match sheet.cell(row, column) {
            Cell::Error(error) => {
                note(format!("cell {} holds {error}", sheet.place(row, column)));
                None
            }
            cell => Some(cell.text().to_string()).filter(|t| !t.is_empty()),
        }
    };
    let unit = header_cell(form.unit);
    let period = header_cell(form.period);
    let mut cells: Vec<(String, String)> = Vec::new();
    let mut filled_at: HashMap<String, u32> = HashMap::new();
    let mut bad_cells = Vec::new();
    let mut problem = None;
    for row in sheet.rows_from(form.header + 1) {
        let id = sheet.cell(row, form.id);
        if id.is_empty() {
            continue;
        }
        let id = id.text().to_string();
        let cell = sheet.cell(row, form.value);
        let name = sheet.place(row, form.value);
        if let Cell::Error(error) = &cell {
            bad_cells.push((id, format!("cell {name} holds {error}")));
            continue;
        }
        let text = match value(&cell) {
            Ok(text) => text,
            Err(reason) => {
                bad_cells.push((id, format!("cell {name}: {reason}")));
                continue;
            }
        };
        if text.trim().is_empty() {
            continue;
        }
        if let Some(first) = filled_at.insert(id.clone(), row) {
            problem.get_or_insert(format!(
                "indicator `{id}` is filled in twice, in rows {} and {}",
                first + 1,
                row + 1
            ));
            continue;
        }
        cells.push((id, text));
    }
    if unit.is_none() && period.is_none() && cells.is_empty() && bad_cells.is_empty() {
        // A form left blank: a copy not yet filled in.
        return None;
    }
    filled.raw.unit = unit;
    filled.raw.period = period;
    filled.raw.cells = cells;
    filled.bad_cells = bad_cells;
    if let Some(problem) = problem {
        filled.problem.get_or_insert(problem);
    }
    Some(filled)
}
