//! Evaluation: each leaf scored ([`leaf`]), the figures of a unit ([`scorer`]), the full
//! evaluation with margins and recoverable points ([`detail`]) and what it yields
//! ([`result`], [`explain`]); batches ranked within their periods and the results document.

mod batch;
mod detail;
mod explain;
pub(crate) mod leaf;
pub(crate) mod rank;
mod report;
mod result;
pub(crate) mod scorer;

pub use batch::{Batch, UnitResult};
pub use leaf::Status;
pub use rank::RankRows;
pub use report::{Report, Summary};
pub use result::{CriterionResult, Evaluation, GroupResult, Recoverable};
pub use scorer::{Score, Scorer};
