//! Competition ranking ("1224"): ties share a rank and the next rank skips.

use std::collections::HashMap;

use rust_decimal::Decimal;

use crate::exact::POW10;

/// Ranks within each group (a period) by descending index; `None` keys are not ranked.
/// Equal indices share the better rank; input order is kept among ties.
pub(crate) fn competition_ranks<'a>(
    keys: impl IntoIterator<Item = Option<(Option<&'a str>, Decimal)>>,
) -> Vec<Option<usize>> {
    // Periods become small ids (rows of a period usually come together, so most rows reuse
    // the last id), and indices exact integers, so that the sort compares plain numbers.
    let mut periods: HashMap<Option<&str>, u32> = HashMap::new();
    let mut last: Option<(Option<&str>, u32)> = None;
    let mut order: Vec<(u32, i128, usize)> = Vec::new();
    let mut ranks = Vec::new();
    for (i, key) in keys.into_iter().enumerate() {
        ranks.push(None);
        let Some((period, index)) = key else {
            continue;
        };
        let id = match last {
            Some((p, id)) if p == period => id,
            _ => {
                let next = periods.len() as u32;
                let id = *periods.entry(period).or_insert(next);
                last = Some((period, id));
                id
            }
        };
        order.push((id, -exact(index), i));
    }
    order.sort_unstable();
    let mut previous: Option<(u32, i128, usize)> = None;
    let mut position = 0;
    for (period, index, i) in order {
        let same_period = previous.is_some_and(|(p, _, _)| p == period);
        position = if same_period { position + 1 } else { 1 };
        let rank = match previous {
            Some((p, prev_index, prev_rank)) if p == period && prev_index == index => prev_rank,
            _ => position,
        };
        ranks[i] = Some(rank);
        previous = Some((period, index, rank));
    }
    ranks
}

/// An index as an integer of 10^-28, which orders every index up to 10^10 exactly (an index
/// is at most 100); beyond, it saturates.
fn exact(index: Decimal) -> i128 {
    let units = index
        .mantissa()
        .checked_mul(POW10[(28 - index.scale()) as usize]);
    units.unwrap_or(if index.is_sign_negative() {
        -i128::MAX
    } else {
        i128::MAX
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn ties_share_a_rank_within_each_period() {
        let keys = [
            Some((Some("2024"), dec!(89.4))),
            Some((Some("2024"), dec!(86.9))),
            None,
            Some((Some("2024"), dec!(86.9))),
            Some((Some("2025"), dec!(70))),
            Some((Some("2024"), dec!(80))),
        ];
        assert_eq!(
            competition_ranks(keys),
            [Some(1), Some(2), None, Some(2), Some(1), Some(4)]
        );
    }
}
