//! Rounding of reported figures. Arithmetic stays exact; rounding happens where the scheme
//! says: only in reports, or per criterion when an instrument requires it.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// How a tie (or any remainder) is rounded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundingMode {
    /// 2.345 → 2.35 (the usual reading of official tables).
    #[default]
    HalfUp,
    /// 2.345 → 2.34, 2.355 → 2.36 (banker's rounding).
    HalfEven,
    /// Truncation toward zero: 2.349 → 2.34.
    Down,
}

/// Where rounding applies.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundingScope {
    /// Exact points throughout; the reported index (and so grade and rank) is rounded.
    #[default]
    Report,
    /// Each criterion's points are rounded before they are summed.
    Criterion,
}

/// A scheme's rounding: decimal places, mode and scope.
///
/// ```
/// use parscore::{Decimal, Rounding, RoundingMode, RoundingScope};
/// let r = Rounding { places: 1, mode: RoundingMode::HalfUp, scope: RoundingScope::Report };
/// assert_eq!(r.round(Decimal::new(8125, 2)), Decimal::new(813, 1));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rounding {
    pub places: u32,
    pub mode: RoundingMode,
    pub scope: RoundingScope,
}

impl Default for Rounding {
    fn default() -> Self {
        Rounding {
            places: 2,
            mode: RoundingMode::HalfUp,
            scope: RoundingScope::Report,
        }
    }
}

impl Rounding {
    /// The most places a scheme may ask for.
    pub const MAX_PLACES: u32 = 10;

    pub fn round(&self, value: Decimal) -> Decimal {
        let strategy = match self.mode {
            RoundingMode::HalfUp => RoundingStrategy::MidpointAwayFromZero,
            RoundingMode::HalfEven => RoundingStrategy::MidpointNearestEven,
            RoundingMode::Down => RoundingStrategy::ToZero,
        };
        let mut rounded = value.round_dp_with_strategy(self.places, strategy);
        // Reported figures carry exactly `places` decimals (97.20, not 97.2), as published.
        rounded.rescale(self.places);
        rounded
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    fn with(mode: RoundingMode) -> Rounding {
        Rounding {
            places: 2,
            mode,
            scope: RoundingScope::Report,
        }
    }

    #[test]
    fn each_mode_rounds_its_way() {
        assert_eq!(with(RoundingMode::HalfUp).round(dec!(2.345)), dec!(2.35));
        assert_eq!(with(RoundingMode::HalfEven).round(dec!(2.345)), dec!(2.34));
        assert_eq!(with(RoundingMode::HalfEven).round(dec!(2.355)), dec!(2.36));
        assert_eq!(with(RoundingMode::Down).round(dec!(2.349)), dec!(2.34));
        assert_eq!(with(RoundingMode::HalfUp).round(dec!(81.3333)), dec!(81.33));
        assert_eq!(
            with(RoundingMode::HalfUp).round(dec!(97.2)).to_string(),
            "97.20"
        );
    }
}
