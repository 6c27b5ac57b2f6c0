//! Errors of workbooks, each naming the sheet and cell a person opens to fix it.

use std::fmt;

use parscore::ProblemKind;
use rust_xlsxwriter::utility::column_number_to_name;
use thiserror::Error;

/// A place in a workbook: a sheet, and the cell at fault when there is one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Place {
    /// The sheet's name, as its tab shows it.
    pub sheet: String,
    /// The 0-based row and column of the cell; `None` when the sheet as a whole is at fault
    /// (it is missing, or has no header).
    pub cell: Option<(u32, u16)>,
}

impl Place {
    /// A whole sheet.
    pub fn sheet(sheet: &str) -> Place {
        Place {
            sheet: sheet.to_string(),
            cell: None,
        }
    }

    /// A cell of a sheet, by its 0-based row and column.
    pub fn cell(sheet: &str, row: u32, column: u16) -> Place {
        Place {
            sheet: sheet.to_string(),
            cell: Some((row, column)),
        }
    }

    /// The row as Excel numbers it, from 1.
    pub fn row_number(&self) -> Option<u32> {
        self.cell.map(|(row, _)| row + 1)
    }

    /// The cell's name as Excel shows it, e.g. `F12`.
    pub fn cell_name(&self) -> Option<String> {
        self.cell
            .map(|(row, column)| format!("{}{}", column_number_to_name(column), row + 1))
    }
}

impl fmt::Display for Place {
    /// `Tiêu chí!F12`, or the sheet's name alone.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.cell_name() {
            Some(cell) => write!(f, "{}!{cell}", self.sheet),
            None => f.write_str(&self.sheet),
        }
    }
}

/// One problem of a workbook scheme, with where it is: the same as a scheme file's
/// [`parscore::Problem`], located at a cell rather than a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The sheet and cell at fault.
    pub place: Place,
    /// The criterion code (or indicator id) of the row at fault.
    pub code: Option<String>,
    /// The scheme key at fault (`max_points`, `bands`, `kind`, …), when one is.
    pub field: Option<String>,
    /// What is wrong.
    pub kind: ProblemKind,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.place)?;
        if let Some(code) = &self.code {
            write!(f, "{code}: ")?;
        }
        if let Some(field) = &self.field {
            write!(f, "`{field}`: ")?;
        }
        write!(f, "{}", self.kind)
    }
}

/// A workbook that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum WorkbookError {
    /// The bytes are not a workbook that can be read (not xlsx, xlsm, xls or ods, or
    /// damaged).
    #[error("not an Excel workbook that can be read ({0})")]
    Unreadable(String),
    /// The workbook reads, but what it holds is wrong; every problem found is listed.
    #[error("{}", problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Invalid {
        /// Every problem, in the order found.
        problems: Vec<Problem>,
    },
    /// The workbook could not be written (a text longer than the 32,767 characters a cell
    /// holds, more rows than a sheet has).
    #[error("cannot write the workbook: {0}")]
    Write(String),
}

impl WorkbookError {
    /// The problems, each with its place; one without a place for an unreadable file or a
    /// failed write.
    pub fn problems(&self) -> &[Problem] {
        match self {
            WorkbookError::Invalid { problems } => problems,
            _ => &[],
        }
    }
}

impl From<rust_xlsxwriter::XlsxError> for WorkbookError {
    fn from(error: rust_xlsxwriter::XlsxError) -> Self {
        WorkbookError::Write(error.to_string())
    }
}

/// Problems gathered while a workbook is read, so that all of them are reported at once.
#[derive(Debug, Default)]
pub(crate) struct Problems(pub Vec<Problem>);

impl Problems {
    pub fn add(&mut self, place: Place, code: Option<&str>, field: Option<&str>, message: String) {
        self.0.push(Problem {
            place,
            code: code.map(str::to_string),
            field: field.map(str::to_string),
            kind: ProblemKind::InvalidValue(message),
        });
    }

    pub fn push(&mut self, problem: Problem) {
        self.0.push(problem);
    }

    /// `Ok(value)` when nothing was found wrong.
    pub fn into_result<T>(self, value: T) -> Result<T, WorkbookError> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(WorkbookError::Invalid { problems: self.0 })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_read_as_excel_names_cells() {
        assert_eq!(Place::cell("Tiêu chí", 11, 5).to_string(), "Tiêu chí!F12");
        assert_eq!(Place::sheet("Chỉ tiêu").to_string(), "Chỉ tiêu");
        let problem = Problem {
            place: Place::cell("Tiêu chí", 11, 8),
            code: Some("III.4.1".into()),
            field: Some("bands".into()),
            kind: ProblemKind::Bands("bands out of order".into()),
        };
        assert_eq!(
            problem.to_string(),
            "Tiêu chí!I12: III.4.1: `bands`: bands out of order"
        );
    }
}
