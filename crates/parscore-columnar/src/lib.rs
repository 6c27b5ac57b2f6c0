//! Columnar scoring of Arrow record batches with a [`parscore`] scheme: a pandas, polars or
//! pyarrow frame, a Parquet file or any batches of many units in, the figures of every row
//! out, scored in parallel one block of rows at a time.
//!
//! The figures are those of the row-by-row path, row for row: the same points, maxima,
//! reported index, grade, rank, per-criterion points and errors as
//! [`Scheme::evaluate`](parscore::Scheme::evaluate) and
//! [`Batch`](parscore::Batch) give, in exact decimals. A row whose cells the integer lanes
//! cannot hold exactly, or that has an error to report, is scored again by the general path.
//! One output row per input row, in order: a row that cannot be read or scored keeps its place
//! with its error.
//!
//! Bring [`ScoreBatches`] into scope and call it on a [`Scheme`](parscore::Scheme):
//!
//! ```
//! use std::sync::Arc;
//! use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
//! use parscore::{Decimal, Scheme};
//! use parscore_columnar::{ColumnarOptions, ScoreBatches};
//!
//! let scheme = Scheme::builtin("lang-son-snn-2024")?;
//! let batch = RecordBatch::try_from_iter([
//!     ("unit", Arc::new(StringArray::from(vec!["Sở A", "Sở B"])) as ArrayRef),
//!     ("survey_points", Arc::new(Float64Array::from(vec![Some(16.85), None]))),
//! ])?;
//! let options = ColumnarOptions { threads: Some(1), ..ColumnarOptions::default() };
//! let figures = scheme.score_batches(&[batch], &options)?;
//! assert_eq!(figures.points, [Decimal::new(1685, 2), Decimal::ZERO]);
//! assert_eq!(figures.units.value(0), "Sở A");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The crate's modules are its stages: reading typed columns (`reader`), decoding a block into
//! exact integer lanes (`lane`), the scheme compiled for columns (`plan`, `leaf`, `kernel`,
//! `target`, `memo`), the passes down a block (`pass`, `tally`), the points kept per
//! criterion (`points`), ranks across chunks (`ties`), and the run over batches (`columns`).

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod columns;
mod kernel;
mod lane;
mod leaf;
mod memo;
mod pass;
mod plan;
mod points;
mod reader;
mod tally;
mod target;
mod ties;

use arrow_array::RecordBatch;
use parscore::InputError;

pub use columns::{BatchRows, ColumnarOptions, Figures};
pub use points::CriterionPoints;
pub use ties::TieKeys;

/// Columnar scoring of record batches, as methods of a [`Scheme`](parscore::Scheme): `use
/// parscore_columnar::ScoreBatches;` and call `scheme.score_batches(…)`.
pub trait ScoreBatches {
    /// Scores every row of the batches (all with the same columns) into their [`Figures`]:
    /// see [the implementation for `Scheme`](#impl-ScoreBatches-for-Scheme).
    fn score_batches(
        &self,
        batches: &[RecordBatch],
        options: &ColumnarOptions,
    ) -> Result<Figures, InputError>;

    /// The rows of `batch`, to read one by one as [`ScoreBatches::score_batches`] reads them
    /// (see [`BatchRows`]); fails as it fails for a table it cannot read at all.
    fn batch_rows(
        &self,
        batch: &RecordBatch,
        ignore_unknown: bool,
    ) -> Result<BatchRows<'_>, InputError>;
}
