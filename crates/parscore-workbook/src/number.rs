//! Numbers of a scheme as a workbook holds them: a number cell read as the decimal typed,
//! and numbers inside text (`từ 99,5%: 2`) read with either decimal mark.

use std::str::FromStr;

use parscore::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// A decimal written in text: `2.5`, or `2,5` with the Vietnamese decimal comma; an optional
/// sign, no thousands separator. A mark followed by exactly three digits after a whole part
/// other than 0 (`1.500`, `1,500`) is refused: it is a thousand and a half in one locale and
/// one and a half in the other.
pub(crate) fn parse_decimal(text: &str) -> Result<Decimal, String> {
    let text = text.trim();
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (whole, fraction) = match unsigned.split_once(['.', ',']) {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let well_formed = match fraction {
        Some(fraction) => {
            (whole.is_empty() || digits(whole)) && digits(fraction) && !unsigned.is_empty()
        }
        None => digits(whole),
    };
    if !well_formed {
        return Err(format!("`{text}` is not a number"));
    }
    if let Some(fraction) = fraction
        && fraction.len() == 3
        && !whole.trim_start_matches('0').is_empty()
    {
        return Err(format!(
            "`{text}` could be a thousand-and-more or a decimal: write it without a \
             thousands separator, or with a fourth decimal (`{whole}.{fraction}0`)"
        ));
    }
    let normalised = text.replace(',', ".");
    Decimal::from_str_exact(&normalised)
        .map_err(|_| format!("`{text}` does not fit a decimal of 28 digits"))
}

/// The text of a decimal that [`parse_decimal`] reads back as the same number: a point for
/// the decimal mark, and a fourth decimal where exactly three would read as ambiguous.
pub(crate) fn decimal_text(value: Decimal) -> String {
    let text = value.normalize().to_string();
    match text.split_once('.') {
        Some((whole, fraction))
            if fraction.len() == 3 && !whole.trim_start_matches(['-', '0']).is_empty() =>
        {
            format!("{text}0")
        }
        _ => text,
    }
}

/// A number as a cell holds it: a number when Excel shows it and reads it back exactly
/// (a double whose shortest text is the decimal, of at most 15 significant digits, which
/// Excel displays without rounding), else its text, which is read back exactly.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum NumberCell {
    Number(f64),
    Text(String),
}

impl NumberCell {
    pub fn of(value: Decimal) -> NumberCell {
        let value = value.normalize();
        let significant = value.mantissa().unsigned_abs().to_string().len();
        match value.to_f64() {
            Some(f)
                if significant <= 15 && Decimal::from_str(&f.to_string()).ok() == Some(value) =>
            {
                NumberCell::Number(f)
            }
            _ => NumberCell::Text(decimal_text(value)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    #[test]
    fn either_decimal_mark_reads() {
        assert_eq!(parse_decimal("99,5"), Ok(d("99.5")));
        assert_eq!(parse_decimal("99.5"), Ok(d("99.5")));
        assert_eq!(parse_decimal(" 2 "), Ok(d("2")));
        assert_eq!(parse_decimal("-3.25"), Ok(d("-3.25")));
        assert_eq!(parse_decimal(".5"), Ok(d("0.5")));
        assert_eq!(parse_decimal("0.125"), Ok(d("0.125")));
        assert_eq!(parse_decimal("1.1250"), Ok(d("1.125")));
    }

    #[test]
    fn a_thousands_separator_is_refused_not_guessed() {
        for text in [
            "1.500",
            "1,500",
            "12.345",
            "1,000,000",
            "1.2.3",
            "",
            "-",
            "2e3",
            "x",
        ] {
            assert!(parse_decimal(text).is_err(), "{text}");
        }
    }

    #[test]
    fn written_decimals_read_back() {
        for text in ["1.125", "0.125", "-1.125", "2", "0.8888", "99.5", "1000"] {
            let value = d(text);
            assert_eq!(parse_decimal(&decimal_text(value)), Ok(value), "{text}");
        }
        assert_eq!(decimal_text(d("1.125")), "1.1250");
        assert_eq!(decimal_text(d("2.50")), "2.5");
    }

    #[test]
    fn cells_hold_numbers_that_read_back_exactly() {
        assert_eq!(NumberCell::of(d("2.5")), NumberCell::Number(2.5));
        assert_eq!(NumberCell::of(d("0.8888")), NumberCell::Number(0.8888));
        assert_eq!(
            NumberCell::of(d("0.1000000000000000000001")),
            NumberCell::Text("0.1000000000000000000001".into())
        );
    }
}
