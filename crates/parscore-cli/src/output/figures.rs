//! Figures as reports show them. Reported points and indices carry the scheme's decimal
//! places (97.20, as published); values and margins keep up to four places, as the
//! explanations do. The JSON and CSV outputs keep exact figures instead.

use parscore::{Decimal, Evaluation, Scheme, Value};

/// Places shown for values and margins.
const VALUE_PLACES: u32 = 4;

/// Points (or any reported figure) rounded as the scheme rounds them.
pub fn points(scheme: &Scheme, d: Decimal) -> String {
    scheme.rounding().round(d).to_string()
}

/// The reported index, or `n/a` when nothing applies.
pub fn index(evaluation: &Evaluation) -> String {
    evaluation
        .index_rounded()
        .map_or_else(|| "n/a".to_string(), |i| i.to_string())
}

pub fn grade(evaluation: &Evaluation) -> &str {
    evaluation.grade().map_or("-", |g| g.name.as_str())
}

/// A value: a number to four places, counts with their percentage, yes/no, n/a; `missing`
/// when there is none.
pub fn value(value: Option<Value>) -> String {
    match value {
        None => "missing".into(),
        Some(Value::Number(d)) => short(d),
        Some(ratio @ Value::Ratio { num, den }) => match ratio.as_decimal() {
            Some(percent) => format!("{num}/{den} = {}%", short(percent)),
            None => format!("{num}/{den}"),
        },
        Some(other) => other.to_string(),
    }
}

/// A margin with its sign: `+2`, `-0.01`.
pub fn margin(margin: Option<Decimal>) -> String {
    match margin {
        None => String::new(),
        Some(d) if d.is_sign_negative() && !d.is_zero() => short(d),
        Some(d) => format!("+{}", short(d)),
    }
}

fn short(d: Decimal) -> String {
    d.round_dp(VALUE_PLACES).normalize().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_margins_read_as_a_person_writes_them() {
        assert_eq!(value(None), "missing");
        assert_eq!(value(Some(Value::Number(Decimal::new(9870, 2)))), "98.7");
        let ratio = Value::Ratio {
            num: Decimal::from(1),
            den: Decimal::from(3),
        };
        assert_eq!(value(Some(ratio)), "1/3 = 33.3333%");
        assert_eq!(value(Some(Value::NotApplicable)), "n/a");
        assert_eq!(margin(Some(Decimal::new(-1, 2))), "-0.01");
        assert_eq!(margin(Some(Decimal::from(2))), "+2");
        assert_eq!(margin(Some(Decimal::ZERO)), "+0");
        assert_eq!(margin(None), "");
    }
}
