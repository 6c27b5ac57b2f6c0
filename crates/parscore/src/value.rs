//! Input values as they are measured, before any rule sees them.

use std::fmt;

use rust_decimal::Decimal;

use crate::limits::too_large;
use crate::num::fraction::Fraction;
use crate::text::Word;

/// One measured value of an indicator.
///
/// A rate may be given as its counts (`Value::Ratio`), in which case every comparison is exact:
/// `990/1000` meets `>= 99`, `9899/10000` does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    /// A decimal number: a percentage, a count, points or any measure.
    Number(Decimal),
    /// A percentage given as counts: `num / den × 100`, with `den > 0`.
    Ratio {
        /// The counted part, e.g. the dossiers resolved on time: a whole number from 0 to
        /// `den` when read from counts; for a reduction, `baseline − current` (negative
        /// when the quantity grew).
        num: Decimal,
        /// The whole, e.g. the dossiers resolved (for a reduction, the baseline); above 0.
        den: Decimal,
    },
    /// A yes/no answer.
    Bool(bool),
    /// The criterion does not apply to this unit (no dossiers received, no event in the year).
    NotApplicable,
}

impl Value {
    /// The numeric value as an exact fraction (a ratio as its percentage), if numeric.
    pub(crate) fn fraction(&self) -> Option<Fraction> {
        match self {
            Value::Number(d) => Some(Fraction::whole(*d)),
            Value::Ratio { num, den } => Some(Fraction::percent(*num, *den)),
            Value::Bool(_) | Value::NotApplicable => None,
        }
    }

    /// The numeric value as a decimal (a ratio divided out to 28 significant digits).
    ///
    /// ```
    /// use parscore::{Decimal, Value};
    /// let v = Value::Ratio { num: Decimal::from(987), den: Decimal::from(1000) };
    /// assert_eq!(v.as_decimal(), Some(Decimal::new(987, 1)));
    /// ```
    pub fn as_decimal(&self) -> Option<Decimal> {
        match self {
            Value::Number(d) => Some(*d),
            other => other.fraction().map(Fraction::to_decimal),
        }
    }

    /// Reads a cell as typed by a person or exported by a system: a decimal (`98.7`,
    /// `98,7` is refused as ambiguous), counts (`987/1000`), `true`/`false` (also `yes`/`no`,
    /// `có`/`không`, `đạt`/`không đạt`), `n/a` (also `na`, `không áp dụng`, `kad`), words in
    /// any case. An empty cell is `None`: missing, never zero.
    ///
    /// A number must lie within the [limits](crate::limits) (below 10^15 in magnitude, at
    /// most 28 decimals): a larger one is "too large", never rounded or saturated. Digit
    /// group separators (`1,000`, `1_000`) are refused: which digits they group cannot be
    /// told from the cell. The value is not yet checked against an indicator;
    /// [`Inputs::set_text`](crate::Inputs::set_text) reads and checks it.
    ///
    /// ```
    /// use parscore::{Decimal, Value};
    /// assert_eq!(Value::parse("98.70")?, Some(Value::Number(Decimal::new(9870, 2))));
    /// let counts = Value::Ratio { num: Decimal::from(987), den: Decimal::from(1000) };
    /// assert_eq!(Value::parse("987/1000")?, Some(counts));
    /// assert_eq!(Value::parse("Có")?, Some(Value::Bool(true)));
    /// assert_eq!(Value::parse("N/A")?, Some(Value::NotApplicable));
    /// assert_eq!(Value::parse("0/0")?, Some(Value::NotApplicable)); // nothing to count
    /// assert_eq!(Value::parse("  ")?, None); // missing, not 0
    /// assert!(Value::parse("98,7").is_err());
    /// assert!(Value::parse("1e20").unwrap_err().contains("too large"));
    /// # Ok::<(), String>(())
    /// ```
    pub fn parse(text: &str) -> Result<Option<Value>, String> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        // Numbers and counts start with a digit, a sign or a point and skip the search.
        if !text.starts_with(|c: char| c.is_ascii_digit() || "+-.".contains(c))
            && let Some(word) = Word::of(text)
        {
            return Ok(Some(match word {
                Word::Yes => Value::Bool(true),
                Word::No => Value::Bool(false),
                Word::NotApplicable => Value::NotApplicable,
            }));
        }
        if let Some((num, den)) = text.split_once('/') {
            let num = parse_decimal(num.trim())?;
            let den = parse_decimal(den.trim())?;
            return Value::ratio(num, den).map(Some);
        }
        parse_decimal(text).map(|d| Some(Value::Number(d)))
    }

    /// A binary float read as the decimal it was typed as: its shortest representation that
    /// reads back as the same float (what Python's `repr` and Rust's `Display` print), so
    /// `0.1` is 0.1, not 0.1000000000000000055511151231257827.
    ///
    /// ```
    /// use parscore::{Decimal, Value};
    /// assert_eq!(Value::from_f64(98.7), Ok(Value::Number(Decimal::new(987, 1))));
    /// assert!(Value::from_f64(f64::NAN).is_err());
    /// assert!(Value::from_f64(1e20).unwrap_err().contains("too large"));
    /// ```
    pub fn from_f64(f: f64) -> Result<Value, String> {
        if !f.is_finite() {
            return Err(format!(
                "{f} is not a number{}",
                if f.is_nan() {
                    ": leave the cell empty for a missing value"
                } else {
                    ""
                }
            ));
        }
        if f.abs() >= 1e15 {
            return Err(format!(
                "{f} is too large: values lie below 10^15 (1,000,000,000,000,000) in magnitude"
            ));
        }
        // The fewest decimals that read back as `f` give the shortest form; for the usual
        // figures (≤ 9 decimals, ≤ 15 significant digits) this finds it without formatting.
        // Up to 15 digits a decimal is the only one of its length that reads back as its
        // float; beyond, two may (…110.2 and …110.3 are both …110.25), and which one is the
        // shortest form is for the formatter to say.
        const UNIQUE: f64 = 1e15;
        let mut scale = 1.0;
        for places in 0..=9u32 {
            let units = (f * scale).round();
            if units.abs() >= UNIQUE {
                break;
            }
            if units / scale == f {
                return Ok(Value::Number(Decimal::new(units as i64, places)));
            }
            scale *= 10.0;
        }
        let text = f.to_string();
        let parsed = if text.contains(['e', 'E']) {
            Decimal::from_scientific(&text)
        } else {
            Decimal::from_str_exact(&text)
        };
        // Below 10^15, a float's shortest form has at most 17 significant digits; only one
        // below 10^-28 has more places than a decimal holds.
        parsed.map(Value::Number).map_err(|_| {
            format!(
                "{text} has more digits than a value holds exactly (28 decimal places, 28 \
                 significant digits)"
            )
        })
    }

    /// A rate from counts; `0/0` (nothing received) is not applicable. The counts are
    /// whole, at most the whole is counted, and both lie within the [limits](crate::limits).
    pub fn ratio(num: Decimal, den: Decimal) -> Result<Value, String> {
        if let Some(reason) = too_large(num).or_else(|| too_large(den)) {
            return Err(reason);
        }
        if num.is_sign_negative() || den.is_sign_negative() {
            return Err(format!("counts cannot be negative in {num}/{den}"));
        }
        if !num.fract().is_zero() || !den.fract().is_zero() {
            return Err(format!("counts must be whole numbers in {num}/{den}"));
        }
        if den.is_zero() {
            return if num.is_zero() {
                Ok(Value::NotApplicable)
            } else {
                Err(format!("{num}/0 has no denominator"))
            };
        }
        if num > den {
            return Err(format!("{num}/{den} counts more than the whole"));
        }
        // Whole numbers without their trailing zeros (`5.00/10` is 5/10): a fraction of
        // them is then never widened by their places.
        Ok(Value::Ratio {
            num: num.normalize(),
            den: den.normalize(),
        })
    }
}

fn parse_decimal(text: &str) -> Result<Decimal, String> {
    let cleaned = text.strip_suffix('%').unwrap_or(text).trim();
    if cleaned.contains(',') {
        return Err(format!(
            "`{text}` is ambiguous: write decimals with a point (98.7) and no thousands separator"
        ));
    }
    if cleaned.contains('_') {
        return Err(format!(
            "`{text}` is not a number: write it without digit separators (1000, not 1_000)"
        ));
    }
    let parsed = if cleaned.contains(['e', 'E']) {
        Decimal::from_scientific(cleaned)
    } else {
        // Exact or refused: more digits than a decimal holds must not round away silently.
        Decimal::from_str_exact(cleaned)
    };
    let number = parsed.map_err(|_| match whole_digits(cleaned) {
        Some(digits) if digits > 15 => too_large_text(text),
        Some(_) => format!(
            "`{text}` has more digits than a value holds exactly (28 decimal places, 28 \
             significant digits)"
        ),
        None => format!("`{text}` is not a number"),
    })?;
    match too_large(number) {
        Some(_) => Err(too_large_text(text)),
        None => Ok(number),
    }
}

fn too_large_text(text: &str) -> String {
    format!("`{text}` is too large: values lie below 10^15 (1,000,000,000,000,000) in magnitude")
}

/// The digits before the point of a text written as a number (a sign, digits, a point, an
/// exponent) that did not parse — more than 15, and it was refused for its size; else for
/// its places. `None` for a text that is no number at all.
fn whole_digits(text: &str) -> Option<i64> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (mantissa, exponent) = match digits.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i64>().ok()?),
        None => (digits, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let numeric = |part: &str| part.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() && fraction.is_empty() || !numeric(whole) || !numeric(fraction) {
        return None;
    }
    let whole = whole.trim_start_matches('0');
    let places = if whole.is_empty() {
        -((fraction.len() - fraction.trim_start_matches('0').len()) as i64)
    } else {
        whole.len() as i64
    };
    Some(places.saturating_add(exponent))
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Number(d) => write!(f, "{}", d.normalize()),
            Value::Ratio { num, den } => write!(f, "{num}/{den}"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::NotApplicable => f.write_str("n/a"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn parses_every_cell_form() {
        assert_eq!(Value::parse(" 98.7 "), Ok(Some(Value::Number(dec!(98.7)))));
        assert_eq!(Value::parse("98.7%"), Ok(Some(Value::Number(dec!(98.7)))));
        assert_eq!(Value::parse("1e2"), Ok(Some(Value::Number(dec!(100)))));
        assert_eq!(
            Value::parse("987/1000"),
            Ok(Some(Value::Ratio {
                num: dec!(987),
                den: dec!(1000)
            }))
        );
        assert_eq!(Value::parse("Có"), Ok(Some(Value::Bool(true))));
        assert_eq!(Value::parse("false"), Ok(Some(Value::Bool(false))));
        assert_eq!(Value::parse("N/A"), Ok(Some(Value::NotApplicable)));
        assert_eq!(
            Value::parse("Không Áp Dụng"),
            Ok(Some(Value::NotApplicable))
        );
        assert_eq!(Value::parse(" KHÔNG ĐẠT "), Ok(Some(Value::Bool(false))));
        assert_eq!(Value::parse("Yes"), Ok(Some(Value::Bool(true))));
        assert!(Value::parse("nah").is_err());
        assert_eq!(Value::parse("0/0"), Ok(Some(Value::NotApplicable)));
        assert_eq!(Value::parse(""), Ok(None));
    }

    proptest::proptest! {
        #[test]
        fn words_are_read_in_any_case_and_form(
            word in proptest::sample::select(
                [crate::text::YES, crate::text::NO, crate::text::NOT_APPLICABLE].concat()
            ),
            upper in proptest::collection::vec(proptest::bool::ANY, 16),
            decompose: bool,
        ) {
            use unicode_normalization::UnicodeNormalization;
            let cased: String = word
                .chars()
                .zip(upper.iter().cycle())
                .map(|(c, &up)| if up { c.to_uppercase().to_string() } else { c.to_string() })
                .collect();
            let typed: String = if decompose { cased.nfd().collect() } else { cased };
            let expected = Value::parse(word).unwrap();
            proptest::prop_assert_eq!(Value::parse(&typed).unwrap(), expected);
            // The digits of the vocabulary stay numbers: a yes/no indicator reads 1 and 0 as
            // yes and no when it is set.
            if word.starts_with(|c: char| c.is_ascii_digit()) {
                proptest::prop_assert!(matches!(expected, Some(Value::Number(_))));
            } else {
                proptest::prop_assert!(matches!(expected, Some(Value::Bool(_) | Value::NotApplicable)));
            }
        }
    }

    #[test]
    fn the_vocabulary_of_records_reads_in_unit_inputs() {
        for (cell, value) in [
            ("x", Value::Bool(true)),
            ("✓", Value::Bool(true)),
            ("đúng", Value::Bool(true)),
            ("sai", Value::Bool(false)),
            ("co\u{301}", Value::Bool(true)),
            ("Chưa", Value::Bool(false)),
        ] {
            assert_eq!(Value::parse(cell), Ok(Some(value)), "{cell}");
        }
    }

    #[test]
    fn refuses_what_it_cannot_read_exactly() {
        assert!(Value::parse("98,7").unwrap_err().contains("ambiguous"));
        assert!(Value::parse("abc").unwrap_err().contains("not a number"));
        let tiny = Value::parse("0.0000000000000000000000000000001").unwrap_err();
        assert!(tiny.contains("28 decimal places"), "{tiny}");
        assert!(
            Value::parse("1001/1000")
                .unwrap_err()
                .contains("more than the whole")
        );
        assert!(Value::parse("5/0").unwrap_err().contains("no denominator"));
        assert!(Value::parse("1.5/3").unwrap_err().contains("whole numbers"));
        assert!(Value::parse("-1/3").unwrap_err().contains("negative"));
    }

    #[test]
    fn floats_read_as_typed() {
        let number = |f| match Value::from_f64(f) {
            Ok(Value::Number(d)) => d.to_string(),
            other => panic!("{other:?}"),
        };
        assert_eq!(number(0.1), "0.1");
        assert_eq!(number(98.7), "98.7");
        assert_eq!(number(100.0), "100");
        assert_eq!(number(-2.5), "-2.5");
        assert_eq!(number(1e-12), "0.000000000001");
        assert_eq!(number(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(number(1e14), "100000000000000");
        assert!(
            Value::from_f64(f64::INFINITY)
                .unwrap_err()
                .contains("not a number")
        );
        assert!(Value::from_f64(1e300).unwrap_err().contains("too large"));
        assert!(
            Value::from_f64(1e-40)
                .unwrap_err()
                .contains("28 decimal places")
        );
    }

    #[test]
    fn ratio_reads_as_percentage() {
        let v = Value::parse("1/3").unwrap().unwrap();
        assert_eq!(v.as_decimal().unwrap().round_dp(4), dec!(33.3333));
    }
}
