//! Two evaluations of one scheme side by side: two periods of one input, two files (last
//! year and this year), or two rounds of one year (self-assessment, tự đánh giá, and
//! appraisal, thẩm định).
//!
//! Units are matched by name (in NFC, trimmed, as every reader stores them); a unit on one
//! side only is listed as such. For each unit matched: the index, points, grade and rank of
//! each side and the differences, the points of each area, and every criterion with its
//! points, pass/fail and [`Change`] (`newly_failed`, `newly_passed`, `up`, `down`, `same`),
//! the largest changes first. Between rounds, the list an appraisal council works from
//! ([`Comparison::appraisal`]): every criterion whose points were lowered, with both figures,
//! the lead unit and whether an explanation (giải trình) is due.
//!
//! Every type serialises with serde to the keys the command's JSON and the Python objects
//! share; exact decimals are strings (`"90.57"`), never floats.
//!
//! ```
//! use parscore::{Options, Scheme};
//! use parscore_compare::{Change, CompareOptions, Comparison, Kind, Labels};
//!
//! let scheme = Scheme::builtin("lang-son-snn-2024")?;
//! let unit = |on_time: &str| {
//!     let mut inputs = scheme.inputs("Sở NN&PTNT", Some("2024".into()));
//!     inputs.set_text("dossiers_on_time_rate", on_time)?;
//!     inputs.set_text("survey_points", "16.85")?;
//!     Ok::<_, parscore::InputError>(inputs)
//! };
//! let own = scheme.evaluate_batch([unit("990/1000")], &Options::default());
//! let appraised = scheme.evaluate_batch([unit("9899/10000")], &Options::default());
//! let options = CompareOptions {
//!     labels: Labels::new("Tự đánh giá", "Thẩm định"),
//!     kind: None,
//! };
//! let comparison = Comparison::of_batches(&own, &appraised, &options)?;
//! assert_eq!(comparison.kind, Kind::Rounds); // the same period on both sides
//! let unit = &comparison.units[0];
//! let first = &unit.criteria[0]; // the largest change first
//! assert_eq!((first.code.as_str(), first.change), ("III.4.1", Change::NewlyFailed));
//! assert_eq!(first.points_before.to_string(), "1.16");
//! assert_eq!(first.points_after.to_string(), "0.58");
//! let lowered = &comparison.appraisal.as_ref().unwrap()[0];
//! assert!(lowered.explanation_due);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod appraisal;
mod comparison;
mod criterion;
mod text;
mod unit;

pub use appraisal::Lowered;
pub use comparison::{
    ChangeCounts, CompareError, CompareOptions, CompareSummary, Comparison, Entry, Kind, Labels,
    SchemeInfo,
};
pub use criterion::{AreaChange, Change, CriterionChange};
pub use unit::{Presence, UnitChange};
