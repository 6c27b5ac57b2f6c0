//! Figures as people read them, in their language's way of writing numbers. Reported points
//! and indices carry the scheme's decimal places (97,20, as published); values and margins
//! keep up to four places, as the explanations do. The JSON and CSV outputs keep exact
//! figures instead.

use parscore::{Decimal, Evaluation, Scheme, Value};

use super::lang::{Label, Lang};

/// Places shown for values and margins.
const VALUE_PLACES: u32 = 4;

/// Points (or any reported figure) rounded as the scheme rounds them.
pub fn points(scheme: &Scheme, d: Decimal, lang: Lang) -> String {
    lang.number(&scheme.rounding().round(d).to_string())
}

/// The reported index, or "not applicable" when nothing applies.
pub fn index(evaluation: &Evaluation, lang: Lang) -> String {
    evaluation.index_rounded().map_or_else(
        || lang.label(Label::NotApplicable).to_string(),
        |i| lang.number(&i.to_string()),
    )
}

pub fn grade(evaluation: &Evaluation) -> &str {
    evaluation.grade().map_or("-", |g| g.name.as_str())
}

/// A value: a number to four places, counts with their percentage, yes/no, not applicable;
/// "missing" when there is none.
pub fn value(value: Option<Value>, lang: Lang) -> String {
    match value {
        None => lang.label(Label::Missing).into(),
        Some(Value::Number(d)) => short(d, lang),
        Some(ratio @ Value::Ratio { num, den }) => {
            let counts = format!(
                "{}/{}",
                lang.number(&num.normalize().to_string()),
                lang.number(&den.normalize().to_string())
            );
            match ratio.as_decimal() {
                Some(percent) => format!("{counts} = {}%", short(percent, lang)),
                None => counts,
            }
        }
        Some(Value::Bool(true)) => lang.label(Label::Yes).into(),
        Some(Value::Bool(false)) => lang.label(Label::No).into(),
        Some(Value::NotApplicable) => lang.label(Label::NotApplicable).into(),
    }
}

/// A margin with its sign: `+2`, `-0.01`.
pub fn margin(margin: Option<Decimal>, lang: Lang) -> String {
    match margin {
        None => String::new(),
        Some(d) if d.is_sign_negative() && !d.is_zero() => short(d, lang),
        Some(d) => format!("+{}", short(d.abs(), lang)),
    }
}

fn short(d: Decimal, lang: Lang) -> String {
    lang.number(&d.round_dp(VALUE_PLACES).normalize().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_margins_read_as_a_person_writes_them() {
        let en = Lang::En;
        assert_eq!(value(None, en), "missing");
        assert_eq!(
            value(Some(Value::Number(Decimal::new(9870, 2))), en),
            "98.7"
        );
        let ratio = Value::Ratio {
            num: Decimal::from(1),
            den: Decimal::from(3),
        };
        assert_eq!(value(Some(ratio), en), "1/3 = 33.3333%");
        assert_eq!(value(Some(Value::NotApplicable), en), "n/a");
        assert_eq!(margin(Some(Decimal::new(-1, 2)), en), "-0.01");
        assert_eq!(margin(Some(Decimal::from(2)), en), "+2");
        assert_eq!(margin(Some(Decimal::ZERO), en), "+0");
        assert_eq!(margin(Some(Decimal::new(-0, 2)), en), "+0");
        assert_eq!(margin(None, en), "");
    }

    #[test]
    fn vietnamese_figures_use_the_decimal_comma_and_thousands_points() {
        let vi = Lang::Vi;
        let ratio = Value::Ratio {
            num: Decimal::from(9899),
            den: Decimal::from(10000),
        };
        assert_eq!(value(Some(ratio), vi), "9.899/10.000 = 98,99%");
        assert_eq!(value(None, vi), "chưa có số liệu");
        assert_eq!(value(Some(Value::Bool(false)), vi), "không");
        assert_eq!(value(Some(Value::NotApplicable), vi), "không áp dụng");
        assert_eq!(margin(Some(Decimal::new(-1, 2)), vi), "-0,01");
        assert_eq!(margin(Some(Decimal::new(15, 1)), vi), "+1,5");
    }
}
