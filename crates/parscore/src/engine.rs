//! The compiled scheme and the exact-number kernels as a scoring engine reads them.
//!
//! For the engines of this workspace (`parscore-columnar`, the columnar fast path), which
//! score a scheme their own way and must give, to the last digit, what [`Scheme::evaluate`]
//! and [`Scorer`](crate::Scorer) give: they read the same compiled tree, check cells as
//! [`Inputs`] checks them and form points with the same integer arithmetic. Not a stable API:
//! it follows the core's insides, and changes with them.

use rust_decimal::Decimal;

use crate::scheme::Scheme;
use crate::value::Value;
use crate::{Evaluation, Inputs};

pub use crate::eval::leaf::LeafScore;
pub use crate::eval::rank::{TieBreak, competition_ranks};
pub use crate::input::{bounds, fit, read};
pub use crate::num::digits::write_scaled;
pub use crate::num::exact::{POW10, Scaled, mul_i128};
pub use crate::num::fraction::quotient_units;
pub use crate::num::trailing_zeros::{Tens, trailing_decimal_zeros};
pub use crate::scheme::{Leaf, Node, SchemeData, Section};

/// The compiled scheme behind a [`Scheme`]: its indicators resolved to slots and every area
/// and criterion in one tree.
#[inline]
pub fn compiled(scheme: &Scheme) -> &SchemeData {
    &scheme.0
}

/// The points of node `node` (a position in [`SchemeData::nodes`]) in an evaluation.
pub fn node_points(evaluation: &Evaluation, node: usize) -> Decimal {
    evaluation.outcomes[node].points
}

/// Replaces every value of `inputs`, by slot (position in [`Scheme::indicators`]), with values
/// already read and checked as [`read`] and [`fit`] check them.
pub fn set_values(inputs: &mut Inputs, values: Vec<Option<Value>>) {
    inputs.values = values;
}
