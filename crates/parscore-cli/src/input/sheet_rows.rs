//! The cells of a sheet, as they stream from the workbook, gathered into rows. Only the
//! cells the sheet holds are kept, never the rectangle around them: one stray cell at
//! XFD1048576 costs one cell, where a grid from A1 would take half a terabyte.
//!
//! A workbook's XML names each row; one written twice (by a faulty program, or a file
//! mended by hand) would have its second half overwrite the first in a grid, and a unit
//! vanish. Here each writing of the row stays a row of its own, and both are marked.

use std::collections::HashMap;

use super::table::Cell;

/// A row of the sheet: its cells by column, and what is wrong with it, if anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRow {
    /// The row as the sheet's XML numbers it, from 0.
    pub row: u32,
    /// Its cells by column (from 0), in column order.
    pub cells: Vec<(u32, Cell)>,
    /// Why the row cannot be trusted as a whole.
    pub problem: Option<String>,
}

/// Rows being gathered from a stream of cells.
#[derive(Debug, Default)]
pub struct SheetRows {
    /// Each stretch of cells of one row, in stream order.
    runs: Vec<Run>,
    /// The last stretch of each row seen.
    seen: HashMap<u32, usize>,
}

#[derive(Debug)]
struct Run {
    row: u32,
    cells: Vec<(u32, Cell)>,
    /// The row, or a cell of it, is written twice in the sheet.
    twice: Option<Twice>,
}

#[derive(Debug, Clone, Copy)]
enum Twice {
    Row,
    Cell(u32),
}

impl SheetRows {
    /// Adds a cell at its position (row and column from 0).
    pub fn push(&mut self, row: u32, column: u32, cell: Cell) {
        if let Some(run) = self.runs.last_mut().filter(|run| run.row == row) {
            // Cells come in column order; only one that does not is looked for among the
            // others.
            let in_order = run.cells.last().is_none_or(|(c, _)| *c < column);
            if in_order || !run.cells.iter().any(|(c, _)| *c == column) {
                run.cells.push((column, cell));
            } else if run.twice.is_none() {
                run.twice = Some(Twice::Cell(column));
            }
            return;
        }
        let mut run = Run {
            row,
            cells: vec![(column, cell)],
            twice: None,
        };
        if let Some(&earlier) = self.seen.get(&row) {
            self.runs[earlier].twice = Some(Twice::Row);
            run.twice = Some(Twice::Row);
        }
        self.seen.insert(row, self.runs.len());
        self.runs.push(run);
    }

    /// The rows in the sheet's order; a row written twice is there twice, in the order
    /// written, each with the problem. `sheet` names the cells in messages.
    pub fn finish(self, sheet: &str) -> Vec<SheetRow> {
        let mut runs = self.runs;
        runs.sort_by_key(|run| run.row);
        runs.into_iter()
            .map(|mut run| {
                run.cells.sort_by_key(|(column, _)| *column);
                let number = run.row as u64 + 1;
                let problem = run.twice.map(|twice| match twice {
                    Twice::Row => format!(
                        "the workbook writes row {number} of sheet `{sheet}` twice, so two \
                         rows claim this number: open the file in Excel and save it again, \
                         then check the row"
                    ),
                    Twice::Cell(column) => format!(
                        "the workbook writes cell {sheet}!{}{number} twice: open the file in \
                         Excel and save it again, then check the row",
                        super::xlsx::column_letters(column as usize)
                    ),
                });
                SheetRow {
                    row: run.row,
                    cells: run.cells,
                    problem,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    #[test]
    fn cells_gather_into_rows_in_sheet_order() {
        let mut rows = SheetRows::default();
        rows.push(4, 2, text("c"));
        rows.push(4, 0, text("a"));
        rows.push(1, 16_383, text("far"));
        let rows = rows.finish("S");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].row, 1);
        assert_eq!(rows[0].cells, [(16_383, text("far"))]);
        assert_eq!(rows[1].cells, [(0, text("a")), (2, text("c"))]);
        assert!(rows.iter().all(|r| r.problem.is_none()));
    }

    #[test]
    fn a_row_written_twice_stays_two_rows_both_marked() {
        let mut rows = SheetRows::default();
        rows.push(0, 0, text("unit"));
        rows.push(2, 0, text("Sở A"));
        rows.push(3, 0, text("Sở B"));
        rows.push(2, 0, text("Sở C"));
        let rows = rows.finish("S");
        let units: Vec<(u32, &Cell, bool)> = rows
            .iter()
            .map(|r| (r.row, &r.cells[0].1, r.problem.is_some()))
            .collect();
        assert_eq!(
            units,
            [
                (0, &text("unit"), false),
                (2, &text("Sở A"), true),
                (2, &text("Sở C"), true),
                (3, &text("Sở B"), false),
            ]
        );
        assert!(
            rows[1]
                .problem
                .as_ref()
                .unwrap()
                .contains("row 3 of sheet `S` twice")
        );
    }

    #[test]
    fn a_cell_written_twice_marks_its_row() {
        let mut rows = SheetRows::default();
        rows.push(1, 0, text("Sở A"));
        rows.push(1, 1, text("1"));
        rows.push(1, 1, text("2"));
        let rows = rows.finish("S");
        assert_eq!(rows[0].cells.len(), 2);
        assert!(
            rows[0]
                .problem
                .as_ref()
                .unwrap()
                .contains("cell S!B2 twice")
        );
    }
}
