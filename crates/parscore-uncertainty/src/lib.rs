//! How sure a PAR Index score is: Monte Carlo uncertainty analysis and variance-based
//! sensitivity analysis of exact scores.
//!
//! The points of an estimated scheme, survey results not yet known and methodological
//! choices (not applicable excluded or given full points, the rounding) are uncertain. A
//! [`Model`] says, as data, what may vary and how; a [`Study`] draws samples of it — each a
//! valid scheme, each unit scored exactly — and reports each unit's index at p5, p50 and p95,
//! the probability of each grade, the distribution of its rank within its period, and the
//! share of the variance of the index and of the rank that each area, criterion, input or
//! choice explains (first-order and total-effect indices, with standard errors).
//! `docs/uncertainty.md` describes the model and the method.
//!
//! For one unit, [`GradePath`] tells what would change its score: the fewest criteria whose
//! fixing reaches a grade, and the figures after any changes of value named.
//!
//! ```
//! use parscore::{Options, Scheme, rows_from_json};
//! use parscore_uncertainty::{Model, Settings, Study};
//!
//! let scheme = Scheme::builtin("lang-son-snn-2024")?;
//! let rows = rows_from_json(r#"[{"unit": "Sở A", "survey_points": 17.5}]"#)?;
//! let batch = scheme.evaluate_rows(&rows, false, &Options::default());
//!
//! // Nothing uncertain: every sample is the scheme as it is.
//! let none = Model::weights(&scheme, 0.into());
//! let results = Study::new(&batch, &none, Settings { samples: 50, ..Settings::default() })?.run()?;
//! let unit = &results.units[0];
//! assert_eq!((unit.p05, unit.p50, unit.p95), (unit.index, unit.index, unit.index));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod engine;
mod error;
mod exact;
pub mod model;
mod path;
mod report;
mod study;

pub use error::Error;
pub use model::{Model, ModelFile};
pub use path::{ChangeError, Fix, GradePath, PathToGrade, WhatIf};
pub use report::{Results, UnitUncertainty, VarianceShare};
pub use study::{Level, RANK_TABLE_UNITS, Settings, Study};

/// The examples of `docs/uncertainty.md`, compiled and run with the doctests so they cannot
/// rot.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/uncertainty.md")]
struct DocsDoctests;
