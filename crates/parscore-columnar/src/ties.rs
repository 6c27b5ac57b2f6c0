//! What ranks a row beyond its reported index, kept for rows scored apart: a stream scored a
//! chunk at a time ranks its rows once every chunk has been seen, as [`Batch`](parscore::Batch)
//! and [`Scheme::score_batches`] rank theirs.

use std::cmp::Ordering;

use rust_decimal::Decimal;

use super::Figures;
use parscore::engine::{TieBreak, compiled, node_points};
use parscore::{Evaluation, Scheme, Ties};

/// The scheme's `[ranking]` figures of each row pushed, in order: its exact index (its
/// points and applicable maximum) when ties are exact, and its points in each tie-break
/// node. Only a scheme that ranks by more than the reported index needs them (see
/// [`TieKeys::of`]); then a row costs 32 bytes for an exact index and 16 per tie-break
/// node.
///
/// ```
/// use parscore::Scheme;
/// use parscore_columnar::TieKeys;
/// // The built-in plan ranks by its reported index alone.
/// assert!(TieKeys::of(&Scheme::builtin("lang-son-snn-2024")?).is_none());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct TieKeys {
    exact: bool,
    /// The scheme's tie-break nodes, in its order.
    nodes: Vec<usize>,
    points: Vec<Decimal>,
    max_points: Vec<Decimal>,
    keys: Vec<Decimal>,
}

impl TieKeys {
    /// Empty keys for `scheme`, or `None` when it ranks by the reported index alone.
    pub fn of(scheme: &Scheme) -> Option<TieKeys> {
        TieBreak::needed(scheme).then(|| TieKeys {
            exact: compiled(scheme).ties == Ties::Exact,
            nodes: compiled(scheme).tie_break.clone(),
            points: Vec::new(),
            max_points: Vec::new(),
            keys: Vec::new(),
        })
    }

    /// The rows pushed.
    pub fn len(&self) -> usize {
        if self.exact {
            self.points.len()
        } else {
            self.keys.len() / self.nodes.len().max(1)
        }
    }

    /// Whether no row was pushed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn push(&mut self, points: Decimal, max_points: Decimal, keys: impl Iterator<Item = Decimal>) {
        if self.exact {
            self.points.push(points);
            self.max_points.push(max_points);
        }
        let before = self.keys.len();
        self.keys.extend(keys);
        self.keys.resize(before + self.nodes.len(), Decimal::ZERO);
    }

    /// Notes the next row as [`Scheme::score_batches`] scored it: row `row` of `figures`.
    pub fn push_figures(&mut self, figures: &Figures, row: usize) {
        let width = self.nodes.len();
        let keys = figures.tie_keys.get(row * width..(row + 1) * width);
        self.push(
            figures.points[row],
            figures.max_points[row],
            keys.unwrap_or_default().iter().copied(),
        );
    }

    /// Notes the next row as evaluated in full.
    pub fn push_evaluation(&mut self, evaluation: &Evaluation) {
        let keys = self.nodes.iter().map(|&node| node_points(evaluation, node));
        let keys: Vec<Decimal> = keys.collect();
        self.push(
            evaluation.points(),
            evaluation.max_points(),
            keys.into_iter(),
        );
    }

    /// Notes the next row as one that is not ranked (it failed, or nothing of it applies).
    pub fn push_unranked(&mut self) {
        self.push(Decimal::ZERO, Decimal::ONE, std::iter::empty());
    }

    /// How rows `a` and `b` (from 0, in the order pushed) of equal reported index rank:
    /// `Greater` when `a` ranks above `b`, `Equal` when they share a rank.
    pub fn order(&self, a: usize, b: usize) -> Ordering {
        TieBreak {
            exact: self.exact,
            points: &self.points,
            max_points: &self.max_points,
            keys: &self.keys,
            width: self.nodes.len(),
        }
        .order(a, b)
    }
}
