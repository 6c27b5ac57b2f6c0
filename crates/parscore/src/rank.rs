//! Competition ranking ("1224"): ties share a rank and the next rank skips.

use rust_decimal::Decimal;

/// Ranks within each group (a period) by descending index; `None` keys are not ranked.
/// Equal indices share the better rank; input order is kept among ties.
pub(crate) fn competition_ranks<'a>(
    keys: impl IntoIterator<Item = Option<(Option<&'a str>, Decimal)>>,
) -> Vec<Option<usize>> {
    let keys: Vec<_> = keys.into_iter().collect();
    let mut order: Vec<(Option<&str>, Decimal, usize)> = keys
        .iter()
        .enumerate()
        .filter_map(|(i, key)| key.map(|(period, index)| (period, index, i)))
        .collect();
    order.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    let mut ranks = vec![None; keys.len()];
    let mut previous: Option<(Option<&str>, Decimal, usize)> = None;
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
