//! Exact scoring of public-administration reform targets and PAR Index points.
//!
//! A [`Scheme`] is a methodology given as data (TOML or JSON, or a built-in id): areas of
//! criteria, each scoring one indicator with a rule and an optional target. It is validated
//! and compiled once; each unit's [`Inputs`] are then evaluated into an [`Evaluation`] that
//! keeps, for every criterion, the value, target, pass/fail, margin, points and the reason.
//! All arithmetic is exact decimal: a rate given as counts is compared as a fraction.
//!
//! The crate's folders are its layers: [`file`](mod@file) and the compiled [`Scheme`] (`scheme/`),
//! evaluation (`eval/`: one leaf, one unit's figures, its full [`Evaluation`], batches and
//! ranks, the results [`Report`]), exact numbers (`num/`). The columnar fast path, which
//! scores Arrow record batches in parallel, is a crate of its own, `parscore-columnar`
//! (`Scheme::score_batches` through its `ScoreBatches` trait); it reads the compiled scheme
//! through [`engine`].
//!
//! ```
//! use parscore::{Scheme, Options};
//!
//! let scheme = Scheme::from_toml(r#"
//!     id = "demo"
//!     title = "Demo"
//!     version = "1"
//!     [[indicators]]
//!     id = "on_time"
//!     title = "On-time dossiers"
//!     kind = "percent"
//!     [[areas]]
//!     code = "A"
//!     title = "Procedures"
//!     [[areas.criteria]]
//!     code = "A.1"
//!     title = "On-time dossiers"
//!     indicator = "on_time"
//!     max_points = 2
//!     target = ">= 99"
//!     rule = { kind = "threshold" }
//! "#)?;
//!
//! let mut inputs = scheme.inputs("Sở A", None);
//! inputs.set_text("on_time", "9899/10000")?;
//! let result = scheme.evaluate(&inputs, &Options::default())?;
//! let criterion = result.criteria().next().unwrap();
//! assert_eq!(criterion.passed(), Some(false)); // 98.99% misses 99% exactly
//! assert_eq!(result.points().to_string(), "0");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod engine;
mod error;
mod eval;
mod input;
pub mod limits;
mod num;
mod scheme;
pub mod text;
mod value;

pub use error::{InputError, Location, Problem, ProblemKind, SchemeError};
pub use eval::RankRows;
pub use eval::{
    Batch, CriterionResult, Evaluation, GroupResult, Recoverable, Report, Score, Scorer, Status,
    Summary, UnitResult,
};
pub use input::{Inputs, RawRow, rows_from_json};
pub use num::float::nearest_f64;
pub use num::sum::ExactSum;
pub use scheme::file::{self, NaPolicy};
pub use scheme::rounding::{Rounding, RoundingMode, RoundingScope};
pub use scheme::rule::{Band, Goalposts, Rule};
pub use scheme::target::{Op, Rhs, Target};
pub use scheme::{
    Criterion, Grade, Indicator, IndicatorKind, IndicatorSource, Part, Scheme, Ties, builtin_ids,
};
pub use value::Value;

pub use rust_decimal::Decimal;

/// The README's Rust example, compiled and run with the doctests so it cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeDoctests;

/// How an evaluation treats gaps in the input.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// A missing input is an error instead of a `missing` criterion scored 0.
    pub strict: bool,
}
