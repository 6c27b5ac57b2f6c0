//! Workbooks built from arbitrary cells: any text, number, percentage, yes/no or formula at
//! any place of a sheet up to XFD1048576, most of them near the corner where a table is.

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use rust_xlsxwriter::{Format, Formula, Workbook};

/// A place in a sheet: mostly near the corner, now and then anywhere.
fn position(u: &mut Unstructured<'_>) -> Result<(u32, u16)> {
    Ok(if u.ratio(1, 5)? {
        (u.int_in_range(0..=1_048_575)?, u.int_in_range(0..=16_383)?)
    } else {
        (u.int_in_range(0..=12)?, u.int_in_range(0..=12)?)
    })
}

/// Writes up to 64 arbitrary cells into a sheet named `name`; `words` are texts worth
/// trying (headers, ids, labels) besides arbitrary ones.
pub fn sheet(
    u: &mut Unstructured<'_>,
    book: &mut Workbook,
    name: &str,
    words: &[&str],
) -> Result<()> {
    let percent = Format::new().set_num_format("0.0%");
    let sheet = book.add_worksheet();
    // An arbitrary name may be one Excel refuses: the default name then.
    let _ = sheet.set_name(name);
    for _ in 0..u.int_in_range(0..=64)? {
        let (row, column) = position(u)?;
        // A write Excel would refuse (a text too long) is skipped, as Excel would not save it.
        let _ = match u.int_in_range(0..=7)? {
            0 => sheet.write_string(row, column, u.arbitrary::<&str>()?),
            1 => {
                let word = words
                    .get(u.choose_index(words.len().max(1))?)
                    .copied()
                    .unwrap_or("");
                sheet.write_string(row, column, word)
            }
            2 => sheet.write_number(row, column, u.arbitrary::<f64>()?),
            3 => sheet.write_number(row, column, f64::from(u.int_in_range(0..=1000u32)?) / 10.0),
            4 => sheet.write_number_with_format(
                row,
                column,
                f64::from(u.int_in_range(0..=1000u32)?) / 1000.0,
                &percent,
            ),
            5 => sheet.write_boolean(row, column, u.arbitrary()?),
            // A formula with its value, and one whose value was never computed (an empty
            // result, as a program that writes formulas without computing them leaves).
            6 => sheet.write_formula(row, column, Formula::new("=1+1").set_result("2")),
            _ => sheet.write_formula(row, column, Formula::new("=A1*2").set_result("")),
        };
    }
    Ok(())
}

/// A workbook of one to three sheets of arbitrary cells.
pub fn workbook(u: &mut Unstructured<'_>, names: &[&str], words: &[&str]) -> Result<Vec<u8>> {
    let mut book = Workbook::new();
    for i in 0..u.int_in_range(1..=3)? {
        let name = names.get(i).copied().unwrap_or("Sheet");
        sheet(u, &mut book, name, words)?;
    }
    Ok(book.save_to_buffer().unwrap_or_default())
}

/// A workbook rebuilt from another's cells (values only, by the one sheet reader), with
/// arbitrary edits: cells overwritten, emptied or added anywhere. A real scheme or template
/// so mistyped reaches the readers' every branch, where cells from nothing seldom do.
pub fn edited(u: &mut Unstructured<'_>, original: &[u8], words: &[&str]) -> Result<Vec<u8>> {
    use parscore_workbook::sheet_cells::{SheetCell, Workbook as Sheets};

    let mut sheets = Sheets::open(original).expect("the original opens");
    let mut book = Workbook::new();
    for name in sheets.sheet_names() {
        let rows = sheets.rows(&name).expect("the original reads");
        let mut cells: Vec<((u32, u16), Option<SheetCell>)> = rows
            .into_iter()
            .flat_map(|row| {
                let at = row.row;
                row.cells
                    .into_iter()
                    .map(move |(column, cell)| ((at, column as u16), Some(cell)))
            })
            .collect();
        for _ in 0..u.int_in_range(0..=8)? {
            let edit = if cells.is_empty() {
                0
            } else {
                u.int_in_range(0..=3)?
            };
            let at = if edit == 0 {
                position(u)?
            } else {
                cells[u.choose_index(cells.len())?].0
            };
            let cell = match u.int_in_range(0..=4)? {
                0 => None,
                1 => Some(SheetCell::Text(u.arbitrary::<&str>()?.to_string())),
                2 => Some(SheetCell::Text(
                    words
                        .get(u.choose_index(words.len().max(1))?)
                        .copied()
                        .unwrap_or("")
                        .to_string(),
                )),
                3 => Some(SheetCell::Number(u.arbitrary::<f64>()?.to_string())),
                _ => Some(SheetCell::Error("#N/A".into())),
            };
            cells.push((at, cell));
        }
        let sheet = book.add_worksheet();
        let _ = sheet.set_name(&name);
        for ((row, column), cell) in cells {
            let _ = match cell {
                None => sheet.write_blank(row, column, &Format::new()),
                Some(SheetCell::Text(text) | SheetCell::Date(text)) => {
                    sheet.write_string(row, column, &text)
                }
                Some(SheetCell::Number(number)) => {
                    match number.trim_end_matches('%').parse::<f64>() {
                        Ok(n) if number.ends_with('%') => {
                            sheet.write_number(row, column, n / 100.0)
                        }
                        Ok(n) => sheet.write_number(row, column, n),
                        Err(_) => sheet.write_string(row, column, &number),
                    }
                }
                Some(SheetCell::Bool(b)) => sheet.write_boolean(row, column, b),
                Some(SheetCell::Error(_)) => {
                    sheet.write_formula(row, column, Formula::new("=1/0").set_result("#DIV/0!"))
                }
            };
        }
    }
    Ok(book.save_to_buffer().unwrap_or_default())
}
