//! Competition ranking ("1224"): ties share a rank and the next rank skips.

use std::collections::HashMap;

/// Ranks within each group (a period) by descending index; `None` keys are not ranked.
/// Indices are reported (rounded) figures in units of their places, so that equal figures
/// are equal integers. A rank is one more than the indices of the period above it, so the
/// order of tied rows does not matter.
pub(crate) fn competition_ranks<'a>(
    keys: impl IntoIterator<Item = Option<(Option<&'a str>, i128)>>,
) -> Vec<Option<usize>> {
    // Periods become small ids (rows of a period usually come together, so most rows reuse
    // the last id); rows are then bucketed by period, and each period sorted alone, which
    // is a short sort however many periods there are. Each row's period id and index are
    // kept apart and the buckets hold row numbers: 32 bytes a row, where (id, index) keys
    // and buckets of (index, row) took 64 — on a million rows, 32 MB of fresh pages less,
    // each page a fault to take.
    let mut periods: HashMap<Option<&str>, u32> = HashMap::new();
    let mut last: Option<(Option<&str>, u32)> = None;
    let mut ids: Vec<Option<u32>> = Vec::new();
    let mut indices: Vec<i128> = Vec::new();
    for key in keys {
        let (id, index) = match key {
            Some((period, index)) => {
                let id = match last {
                    Some((p, id)) if p == period => id,
                    _ => {
                        let next = periods.len() as u32;
                        let id = *periods.entry(period).or_insert(next);
                        last = Some((period, id));
                        id
                    }
                };
                (Some(id), index)
            }
            None => (None, 0),
        };
        ids.push(id);
        indices.push(index);
    }
    let mut starts = vec![0usize; periods.len() + 1];
    for &id in ids.iter().flatten() {
        starts[id as usize + 1] += 1;
    }
    for p in 1..starts.len() {
        starts[p] += starts[p - 1];
    }
    let mut next = starts.clone();
    let mut order = vec![0usize; starts[periods.len()]];
    for (row, id) in ids.iter().enumerate() {
        if let Some(id) = id {
            order[next[*id as usize]] = row;
            next[*id as usize] += 1;
        }
    }
    let mut ranks = vec![None; ids.len()];
    let mut counts = Vec::new();
    for period in starts.windows(2) {
        let rows = &mut order[period[0]..period[1]];
        if rank_by_counting(rows, &indices, &mut ranks, &mut counts) {
            continue;
        }
        rows.sort_unstable_by_key(|&row| std::cmp::Reverse(indices[row]));
        let mut rank = 0;
        for (position, &row) in rows.iter().enumerate() {
            if position == 0 || indices[row] != indices[rows[position - 1]] {
                rank = position + 1;
            }
            ranks[row] = Some(rank);
        }
    }
    ranks
}

/// Ranks a period's `rows` (by their `indices`) without sorting when its indices span few
/// values, as reported indices do (0–100 at two places is 10,001 values): a row's rank is
/// one more than the rows whose index is higher, counted per value. `false` when the span
/// is too wide for that (or the period has more rows than its u32 counts hold).
///
/// Clearing and scanning a count per value is cheap next to sorting: a period of 500 rows
/// over a span of 10,000 values counts in fewer instructions than it sorts.
fn rank_by_counting(
    rows: &[usize],
    indices: &[i128],
    ranks: &mut [Option<usize>],
    counts: &mut Vec<u32>,
) -> bool {
    let (Some(highest), Some(lowest)) = (
        rows.iter().map(|&row| indices[row]).max(),
        rows.iter().map(|&row| indices[row]).min(),
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
        counts[(highest - indices[row]) as usize] += 1;
    }
    // Each value's count becomes the count of rows above it.
    let mut above = 0;
    for count in counts.iter_mut() {
        (*count, above) = (above, above + *count);
    }
    for &row in rows {
        ranks[row] = Some(counts[(highest - indices[row]) as usize] as usize + 1);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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
            let ranks = competition_ranks(keys.iter().copied());
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
            competition_ranks(keys),
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
        assert!(competition_ranks([]).is_empty());
        // Indices too far apart to count take the sort.
        let wide = [
            Some((None, i128::MAX / 2)),
            Some((None, -5)),
            Some((None, i128::MAX / 2)),
        ];
        assert_eq!(competition_ranks(wide), [Some(1), Some(3), Some(1)]);
    }
}
