//! The arithmetic of a rate's year: how many of the dossiers still to come must meet the
//! condition, and what that says. Integers and exact decimals only.

use parscore::{Decimal, Op};
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};

/// What the rest of the year must deliver for a rate's target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrackStatus {
    /// The target is reached even if none of the dossiers expected meets the condition.
    Secured,
    /// Reached if the dossiers expected meet the condition at the rate so far, or better.
    OnTrack,
    /// Reachable, but only with a better rate than so far (or, with nothing counted yet, with
    /// any dossier meeting it at all).
    AtRisk,
    /// Not reached even if every dossier expected meets the condition.
    Impossible,
}

impl TrackStatus {
    /// The status as the JSON writes it.
    pub fn name(self) -> &'static str {
        match self {
            TrackStatus::Secured => "secured",
            TrackStatus::OnTrack => "on_track",
            TrackStatus::AtRisk => "at_risk",
            TrackStatus::Impossible => "impossible",
        }
    }
}

/// The smallest `k` for which `(met + k) / (total + expected)`, as a percent, meets
/// `op target` (`>=` or `>`); it may exceed `expected`, which makes the target impossible.
/// `None` when nothing is counted nor expected (the rate does not apply), for another
/// operator, or for figures too large to work out exactly.
///
/// ```text
/// 100 (a + k) >= p (b + n)   ⇔   k >= p (b + n) / 100 − a
/// ```
pub(crate) fn needed(met: u64, total: u64, expected: u64, op: Op, target: Decimal) -> Option<u64> {
    let whole = total.checked_add(expected)?;
    if whole == 0 {
        return None;
    }
    let share = target
        .checked_mul(Decimal::from(whole))?
        .checked_div(Decimal::ONE_HUNDRED)?
        .checked_sub(Decimal::from(met))?;
    let k = match op {
        Op::Ge => share.ceil(),
        Op::Gt => share.floor() + Decimal::ONE,
        _ => return None,
    };
    // `ceil` of a share between −1 and 0 is −0, which no unsigned integer holds.
    if k <= Decimal::ZERO {
        return Some(0);
    }
    Some(k.to_u64().unwrap_or(u64::MAX))
}

/// The status of a rate at `met / total` so far that needs `needed` of the `expected`
/// dossiers to come.
pub(crate) fn status(met: u64, total: u64, expected: u64, needed: u64) -> TrackStatus {
    if needed == 0 {
        TrackStatus::Secured
    } else if needed > expected {
        TrackStatus::Impossible
    } else if total == 0
        || u128::from(needed) * u128::from(total) > u128::from(met) * u128::from(expected)
    {
        // needed / expected > met / total: more than the rate so far.
        TrackStatus::AtRisk
    } else {
        TrackStatus::OnTrack
    }
}

/// `num / den` rounded half up; `den` > 0.
pub(crate) fn round_half_up(num: u128, den: u128) -> u64 {
    ((2 * num + den) / (2 * den)).try_into().unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn the_smallest_number_that_reaches_the_target() {
        // 970/980 so far, 20 to come, ≥ 99%: 99% of 1000 is 990, so 20 of 20.
        assert_eq!(needed(970, 980, 20, Op::Ge, d("99")), Some(20));
        // 980/980 so far: 10 of 20 suffice.
        assert_eq!(needed(980, 980, 20, Op::Ge, d("99")), Some(10));
        // 99% of 1001 is 990.99: 991 needed.
        assert_eq!(needed(980, 981, 20, Op::Ge, d("99")), Some(11));
        // Above 50%: half is not enough.
        assert_eq!(needed(5, 10, 10, Op::Gt, d("50")), Some(6));
        assert_eq!(needed(5, 10, 10, Op::Ge, d("50")), Some(5));
        // Already there whatever happens.
        assert_eq!(needed(95, 100, 2, Op::Ge, d("90")), Some(0));
        // 50% of 15 is 7.5, and 8 are there: the share left, −0.5, rounds up to none.
        assert_eq!(needed(8, 10, 5, Op::Ge, d("50")), Some(0));
        assert_eq!(needed(8, 10, 5, Op::Gt, d("50")), Some(0));
        // Nothing counted nor expected: the rate does not apply.
        assert_eq!(needed(0, 0, 0, Op::Ge, d("90")), None);
        assert_eq!(needed(1, 2, 3, Op::Le, d("90")), None);
    }

    #[test]
    fn statuses_read_the_arithmetic() {
        assert_eq!(status(95, 100, 2, 0), TrackStatus::Secured);
        assert_eq!(status(970, 980, 20, 21), TrackStatus::Impossible);
        // 20 of 20 needed at a rate so far of 970/980: better than so far.
        assert_eq!(status(970, 980, 20, 20), TrackStatus::AtRisk);
        // 10 of 20 at 980/980: the rate so far suffices.
        assert_eq!(status(980, 980, 20, 10), TrackStatus::OnTrack);
        // Nothing so far: any dossier needed is a risk.
        assert_eq!(status(0, 0, 20, 1), TrackStatus::AtRisk);
    }

    #[test]
    fn rounding_is_half_up() {
        assert_eq!(round_half_up(5, 2), 3);
        assert_eq!(round_half_up(7, 3), 2);
        assert_eq!(round_half_up(0, 3), 0);
    }

    proptest! {
        /// `needed` is the smallest count that meets the target, checked by exact integers.
        #[test]
        fn needed_is_the_least_that_suffices(
            met in 0u64..5000, extra in 0u64..5000, expected in 0u64..5000,
            percent in 0u32..=10_000, strict in any::<bool>(),
        ) {
            let total = met + extra;
            let target = Decimal::new(i64::from(percent), 2);
            let op = if strict { Op::Gt } else { Op::Ge };
            let Some(k) = needed(met, total, expected, op, target) else {
                prop_assert_eq!(total + expected, 0);
                return Ok(());
            };
            // 100 (met + k) against percent/100 (total + expected), in hundredths.
            let meets = |k: u64| {
                let lhs = 10_000 * u128::from(met + k);
                let rhs = u128::from(percent) * u128::from(total + expected);
                if strict { lhs > rhs } else { lhs >= rhs }
            };
            prop_assert!(meets(k));
            prop_assert!(k == 0 || !meets(k - 1));
        }
    }
}
