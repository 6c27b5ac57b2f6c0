//! Schemes and inputs as Excel workbooks, for the analysts who live in Excel.
//!
//! - A scheme can be a workbook laid out like a published instrument: a sheet of areas,
//!   criteria and sub-criteria, one row each ([`read_scheme`], [`write_scheme`]). Reading
//!   one back gives the same scheme exactly, and every problem is located at its sheet and
//!   cell (`Tiêu chí!I12`) with the criterion code.
//! - For a scheme, an input workbook to fill in: one row per unit with a column per input
//!   indicator, or the self-assessment form with a sheet per unit ([`write_template`]); a
//!   filled one reads back into rows of cells ([`read_template`]) scored exactly as a CSV
//!   file of the same data.
//!
//! The crate touches no file: it reads bytes and writes bytes, and the command and the
//! Python binding do the files. The layout is documented in `docs/workbooks.md`.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod bands;
mod cells;
mod error;
mod layout;
mod number;
mod percent_cells;
mod rule_text;
mod scheme_read;
mod scheme_write;
pub mod sheet_cells;
mod sheet_write;
mod template_plan;
mod template_read;
mod template_write;

pub use error::{Place, Problem, WorkbookError};
pub use scheme_read::read_scheme;
pub use scheme_write::write_scheme;
pub use template_read::{FilledRow, read_template};
pub use template_write::{Layout, TemplateOptions, write_template};

/// The guide's Rust example, compiled and run with the doctests so it cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/workbooks.md")]
struct GuideDoctests;
