//! Competition ranking ("1224"): ties share a rank and the next rank skips. What ties two
//! units is the scheme's `[ranking]`: an equal reported index, or with `ties = "exact"` an
//! equal exact index, and then equal points in each `tie_break` node.

use std::cmp::Ordering;
use std::collections::HashMap;

use rust_decimal::Decimal;

use crate::error::InputError;
use crate::num::fraction::Fraction;
use crate::scheme::{Scheme, Ties};

/// What decides between rows of equal reported index, by row: the exact index when ties
/// are exact, then each tie-break node's points.
pub struct TieBreak<'a> {
    /// Whether rows of equal reported index are ordered by their exact index first.
    pub exact: bool,
    /// Each row's total and applicable maximum (above 0 for a ranked row).
    pub points: &'a [Decimal],
    /// Each row's applicable maximum.
    pub max_points: &'a [Decimal],
    /// Each row's points in the tie-break nodes, `width` a row, in the scheme's order.
    pub keys: &'a [Decimal],
    /// Keys a row: the number of tie-break nodes.
    pub width: usize,
}

impl TieBreak<'_> {
    /// Whether the scheme ranks by more than the reported index.
    pub fn needed(scheme: &Scheme) -> bool {
        scheme.0.ties == Ties::Exact || !scheme.0.tie_break.is_empty()
    }

    /// `Greater` when row `a` ranks above row `b`.
    pub fn order(&self, a: usize, b: usize) -> Ordering {
        let exact = if self.exact {
            let index = |row: usize| Fraction::percent(self.points[row], self.max_points[row]);
            index(a).cmp_exact(index(b))
        } else {
            Ordering::Equal
        };
        let keys = |row: usize| &self.keys[row * self.width..][..self.width];
        exact.then_with(|| keys(a).cmp(keys(b)))
    }
}

/// Scored rows to rank again with [`Scheme::rank_rows`]: what ranking reads of each row,
/// for rows scored apart (in the batches of a distributed run) and brought together.
#[derive(Debug, Clone, Copy)]
pub struct RankRows<'a> {
    /// Each row's period; rows without one are ranked together.
    pub periods: &'a [Option<&'a str>],
    /// Each row's reported (rounded) index; `None` for a row that is not ranked.
    pub index: &'a [Option<Decimal>],
    /// Each row's exact total and applicable maximum, one a row; read only when the scheme
    /// ties on the exact index (`ties = "exact"`), and may be empty otherwise.
    pub points: &'a [Decimal],
    /// See `points`.
    pub max_points: &'a [Decimal],
    /// Each row's points in the tie-break nodes, laid out as
    /// [`Figures::tie_keys`](crate::Figures); read only when the scheme has a `tie_break`.
    pub tie_keys: &'a [Decimal],
}

impl Scheme {
    /// Competition ranks within each period, as a [`Batch`](crate::Batch) and the columnar
    /// engine rank: by reported index, then as the scheme's `[ranking]` says. Rows ranked
    /// here in one call get the ranks one scoring run over all of them gives.
    ///
    /// # Errors
    ///
    /// [`InputError::Row`] (row 0) when the columns the scheme's ranking reads do not hold
    /// one entry a row; (the row, from 1) when a ranked row's applicable maximum is not
    /// above 0 and the scheme ties on the exact index.
    pub fn rank_rows(&self, rows: &RankRows<'_>) -> Result<Vec<Option<usize>>, InputError> {
        let n = rows.index.len();
        let width = self.0.tie_break.len();
        let exact = self.0.ties == Ties::Exact;
        let fits = rows.periods.len() == n
            && (!exact || (rows.points.len() == n && rows.max_points.len() == n))
            && (width == 0 || rows.tie_keys.len() == n * width);
        if !fits {
            return Err(InputError::Row {
                row: 0,
                reason: "the rows to rank do not hold one period, index and tie-break figure \
                         a row"
                    .to_string(),
            });
        }
        let unmeasured =
            |row: usize| rows.index[row].is_some() && rows.max_points[row] <= Decimal::ZERO;
        if let Some(row) = (0..n).find(|&row| exact && unmeasured(row)) {
            return Err(InputError::Row {
                row: row + 1,
                reason: "a ranked row has no applicable maximum to compare its exact index by"
                    .to_string(),
            });
        }
        // Reported indices become their places in the order of their values: integers as
        // `competition_ranks` takes them, whatever each figure's scale.
        let mut values: Vec<Decimal> = rows.index.iter().flatten().copied().collect();
        values.sort_unstable();
        values.dedup();
        let place = |row: usize| {
            rows.index[row].map_or(0, |index| {
                values.binary_search(&index).unwrap_or_default() as i128
            })
        };
        let tie = TieBreak {
            exact,
            points: rows.points,
            max_points: rows.max_points,
            keys: rows.tie_keys,
            width,
        };
        let periods = rows.index.iter().zip(rows.periods);
        Ok(competition_ranks(
            periods.map(|(index, period)| index.map(|_| *period)),
            place,
            TieBreak::needed(self).then_some(&tie),
        ))
    }
}

/// Ranks within each group (a period) by descending index: `periods` gives each row's period,
/// or `None` for a row that is not ranked, and `index` the index of a ranked row. Indices
/// are reported (rounded) figures in units of their places, so that equal figures are equal
/// integers. Without a `tie`, a rank is one more than the indices of the period above it,
/// so the order of tied rows does not matter; with one, rows of equal index are ordered by
/// it, and only rows equal by it too share a rank.
pub fn competition_ranks<'a>(
    periods: impl IntoIterator<Item = Option<Option<&'a str>>>,
    index: impl Fn(usize) -> i128,
    tie: Option<&TieBreak<'_>>,
) -> Vec<Option<usize>> {
    // Periods become small ids (rows of a period usually come together, so most rows reuse
    // the last id); rows are then bucketed by period, and each period sorted alone, which
    // is a short sort however many periods there are. The indices are read where the caller
    // holds them and the buckets hold row numbers: 12 bytes a row, where keys and buckets
    // of (index, row) took 64 — on a million rows, 50 MB of fresh pages less, each page a
    // fault to take.
    const UNRANKED: u32 = u32::MAX;
    let mut ids: HashMap<Option<&str>, u32> = HashMap::new();
    let mut last: Option<(Option<&str>, u32)> = None;
    let period_of: Vec<u32> = periods
        .into_iter()
        .map(|period| {
            let Some(period) = period else {
                return UNRANKED;
            };
            match last {
                Some((p, id)) if p == period => id,
                _ => {
                    let next = ids.len() as u32;
                    let id = *ids.entry(period).or_insert(next);
                    last = Some((period, id));
                    id
                }
            }
        })
        .collect();
    let mut starts = vec![0usize; ids.len() + 1];
    for &id in period_of.iter().filter(|&&id| id != UNRANKED) {
        starts[id as usize + 1] += 1;
    }
    for p in 1..starts.len() {
        starts[p] += starts[p - 1];
    }
    let mut next = starts.clone();
    let mut order = vec![0usize; starts[ids.len()]];
    for (row, &id) in period_of.iter().enumerate() {
        if id != UNRANKED {
            order[next[id as usize]] = row;
            next[id as usize] += 1;
        }
    }
    let mut ranks = vec![None; period_of.len()];
    let mut counts = Vec::new();
    for period in starts.windows(2) {
        let rows = &mut order[period[0]..period[1]];
        let better = |a: usize, b: usize| {
            let order = index(a).cmp(&index(b));
            match tie {
                Some(tie) => order.then_with(|| tie.order(a, b)),
                None => order,
            }
        };
        if tie.is_none() && rank_by_counting(rows, &index, &mut ranks, &mut counts) {
            continue;
        }
        rows.sort_unstable_by(|&a, &b| better(b, a));
        let mut rank = 0;
        for (position, &row) in rows.iter().enumerate() {
            if position == 0 || better(row, rows[position - 1]) != Ordering::Equal {
                rank = position + 1;
            }
            ranks[row] = Some(rank);
        }
    }
    ranks
}

/// Ranks a period's `rows` (by their `index`) without sorting when its indices span few
/// values, as reported indices do (0–100 at two places is 10,001 values): a row's rank is
/// one more than the rows whose index is higher, counted per value. `false` when the span
/// is too wide for that (or the period has more rows than its u32 counts hold).
///
/// Clearing and scanning a count per value is cheap next to sorting: a period of 500 rows
/// over a span of 10,000 values counts in fewer instructions than it sorts.
fn rank_by_counting(
    rows: &[usize],
    index: impl Fn(usize) -> i128,
    ranks: &mut [Option<usize>],
    counts: &mut Vec<u32>,
) -> bool {
    let (Some(highest), Some(lowest)) = (
        rows.iter().map(|&row| index(row)).max(),
        rows.iter().map(|&row| index(row)).min(),
    ) else {
        return true;
    };
    // Counts in u32: half the memory of usize ones to clear and scan.
    if highest - lowest > (4 * rows.len() + (1 << 16)) as i128 || rows.len() > u32::MAX as usize {
        return false;
    }
    counts.clear();
    counts.resize((highest - lowest) as usize + 1, 0);
    for &row in rows {
        counts[(highest - index(row)) as usize] += 1;
    }
    // Each value's count becomes the count of rows above it.
    let mut above = 0;
    for count in counts.iter_mut() {
        (*count, above) = (above, above + *count);
    }
    for &row in rows {
        ranks[row] = Some(counts[(highest - index(row)) as usize] as usize + 1);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Ranks of `(period, index)` keys.
    fn ranked(keys: &[Option<(Option<&str>, i128)>]) -> Vec<Option<usize>> {
        competition_ranks(
            keys.iter().map(|key| key.map(|(period, _)| period)),
            |row| keys[row].map_or(0, |(_, index)| index),
            None,
        )
    }

    proptest! {
        /// Counted or sorted, a rank is one more than the rows of its period above it.
        #[test]
        fn a_rank_counts_the_rows_above(
            keys in proptest::collection::vec(
                proptest::option::weighted(0.9, (0u8..3, prop_oneof![0i128..50, 0i128..100_000])),
                0..300,
            ),
        ) {
            let periods = ["2023", "2024", "2025"];
            let keys: Vec<_> = keys
                .iter()
                .map(|k| k.map(|(p, index)| (Some(periods[p as usize]), index)))
                .collect();
            let ranks = ranked(&keys);
            for (key, rank) in keys.iter().zip(&ranks) {
                let expected = key.map(|(period, index)| {
                    1 + keys
                        .iter()
                        .flatten()
                        .filter(|(p, i)| *p == period && *i > index)
                        .count()
                });
                prop_assert_eq!(*rank, expected);
            }
        }
    }

    #[test]
    fn ties_share_a_rank_within_each_period() {
        let keys = [
            Some((Some("2024"), 8940)),
            Some((Some("2024"), 8690)),
            None,
            Some((Some("2024"), 8690)),
            Some((Some("2025"), 7000)),
            Some((Some("2024"), 8000)),
            Some((None, -5)),
            Some((Some("2025"), 7000)),
        ];
        assert_eq!(
            ranked(&keys),
            [
                Some(1),
                Some(2),
                None,
                Some(2),
                Some(1),
                Some(4),
                Some(1),
                Some(1)
            ]
        );
        assert!(ranked(&[]).is_empty());
        // Indices too far apart to count take the sort.
        let wide = [
            Some((None, i128::MAX / 2)),
            Some((None, -5)),
            Some((None, i128::MAX / 2)),
        ];
        assert_eq!(ranked(&wide), [Some(1), Some(3), Some(1)]);
    }
}
