//! The decimal mark of numbers typed as text (`--decimal`). Excel under a Vietnamese locale
//! writes `17,5` and `1.234,5`; the core reads `17.5` and refuses a comma as ambiguous. The
//! mark is never guessed: `1,234` is 1.234 under one locale and 1234 under the other, and a
//! wrong guess is a wrong score that nobody sees. The user says which, and the text is
//! rewritten in the core's form here, digit for digit, with no float in between.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

/// What separates a number's whole part from its decimals in text cells.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DecimalMark {
    /// `98.7`; a comma in a number is refused by the core as ambiguous.
    #[default]
    Point,
    /// `98,7`, with `.` as an optional thousands separator: `1.234,5` is 1234.5.
    Comma,
}

impl FromStr for DecimalMark {
    type Err = String;

    fn from_str(text: &str) -> Result<DecimalMark, String> {
        match text {
            "." => Ok(DecimalMark::Point),
            "," => Ok(DecimalMark::Comma),
            _ => Err("the decimal mark is `.` (98.7) or `,` (98,7)".into()),
        }
    }
}

impl fmt::Display for DecimalMark {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DecimalMark::Point => ".",
            DecimalMark::Comma => ",",
        })
    }
}

impl DecimalMark {
    /// A text cell as the core reads it: numbers (`17,5`, `1.234,5`, `98,7%`, counts
    /// `1.000/1.200`) with a decimal point and no grouping; anything else (words, `n/a`,
    /// empty) unchanged. Under [`DecimalMark::Point`] every text is unchanged.
    ///
    /// Under [`DecimalMark::Comma`] a number that does not read one way only is refused
    /// with the reason: two commas (`1,234,5`), a point that does not group thousands
    /// (`98.7`, `1.23,5`), a point after the comma (`1,234.5`).
    pub fn canonical(self, text: &str) -> Result<Cow<'_, str>, String> {
        if self == DecimalMark::Point {
            return Ok(Cow::Borrowed(text));
        }
        let trimmed = text.trim();
        let numeric = trimmed.starts_with(|c: char| c.is_ascii_digit() || "+-,.".contains(c));
        if !numeric || !trimmed.contains([',', '.']) {
            return Ok(Cow::Borrowed(text));
        }
        let (body, percent) = match trimmed.strip_suffix('%') {
            Some(body) => (body.trim_end(), "%"),
            None => (trimmed, ""),
        };
        let refuse = |why: &str| format!("`{trimmed}` is not a number under --decimal , ({why})");
        let converted = match body.split_once('/') {
            Some((num, den)) => format!(
                "{}/{}",
                comma_number(num.trim()).map_err(refuse)?,
                comma_number(den.trim()).map_err(refuse)?
            ),
            None => comma_number(body).map_err(refuse)?,
        };
        Ok(Cow::Owned(converted + percent))
    }
}

/// A number written with a decimal comma and optional thousands points, with a point: the
/// sign, the digits and the exponent as written.
fn comma_number(text: &str) -> Result<String, &'static str> {
    let (sign, unsigned) = match text.strip_prefix(['+', '-']) {
        Some(rest) => (&text[..1], rest),
        None => ("", text),
    };
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => unsigned.split_at(at),
        None => (unsigned, ""),
    };
    let (whole, fraction) = match mantissa.split_once(',') {
        Some((_, fraction)) if fraction.contains(',') => {
            return Err("more than one decimal comma");
        }
        Some((_, fraction)) if fraction.contains('.') => {
            return Err("a point after the decimal comma");
        }
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (mantissa, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let mut out = String::with_capacity(text.len());
    out.push_str(sign);
    if whole.contains('.') {
        let mut groups = whole.split('.');
        let first = groups.next().unwrap_or("");
        if !digits(first) || first.len() > 3 || !groups.all(|g| g.len() == 3 && digits(g)) {
            return Err("a point separates thousands, as in 1.234,5, and here it does not");
        }
        out.extend(whole.split('.'));
    } else if whole.is_empty() {
        out.push('0');
    } else if digits(whole) {
        out.push_str(whole);
    } else {
        return Err("not digits");
    }
    match fraction {
        Some(fraction) if digits(fraction) => {
            out.push('.');
            out.push_str(fraction);
        }
        Some(_) => return Err("no digits after the decimal comma"),
        None if whole.is_empty() => return Err("no digits"),
        None => {}
    }
    let exponent_digits = exponent
        .get(1..)
        .map(|e| e.strip_prefix(['+', '-']).unwrap_or(e));
    if exponent_digits.is_some_and(|e| !digits(e)) {
        return Err("not digits");
    }
    out.push_str(exponent);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comma(text: &str) -> Result<String, String> {
        DecimalMark::Comma.canonical(text).map(Cow::into_owned)
    }

    #[test]
    fn decimal_commas_become_points_digit_for_digit() {
        for (text, read) in [
            ("17,5", "17.5"),
            ("1.234,5", "1234.5"),
            ("1.234.567,125", "1234567.125"),
            ("1.000", "1000"),
            ("98,70%", "98.70%"),
            ("98,7 %", "98.7%"),
            (" -0,5 ", "-0.5"),
            ("+3,0", "+3.0"),
            (",5", "0.5"),
            ("1.000/1.200", "1000/1200"),
            ("987/1000", "987/1000"),
            ("1,5e-3", "1.5e-3"),
            (
                "0,00000000000000000000000001",
                "0.00000000000000000000000001",
            ),
        ] {
            assert_eq!(comma(text).as_deref(), Ok(read), "{text}");
        }
    }

    #[test]
    fn text_that_is_no_number_is_left_to_the_core() {
        for text in [
            "",
            "  ",
            "có",
            "x",
            "n/a",
            "không áp dụng",
            "2024-05-01",
            "987/1000",
            "12",
        ] {
            assert!(
                matches!(DecimalMark::Comma.canonical(text), Ok(Cow::Borrowed(_))),
                "{text}"
            );
        }
    }

    #[test]
    fn what_reads_two_ways_is_refused() {
        for (text, why) in [
            ("1,234,5", "more than one decimal comma"),
            ("98.7", "a point separates thousands"),
            ("1.23,5", "a point separates thousands"),
            ("1234.567,5", "a point separates thousands"),
            ("1,234.5", "a point after the decimal comma"),
            ("17,", "no digits after the decimal comma"),
            (".", "a point separates thousands"),
            ("1,5x", "no digits after the decimal comma"),
            ("1,5e", "not digits"),
        ] {
            let error = comma(text).unwrap_err();
            assert!(
                error.starts_with(&format!(
                    "`{}` is not a number under --decimal , (",
                    text.trim()
                )),
                "{error}"
            );
            assert!(error.contains(why), "{text}: {error}");
        }
    }

    #[test]
    fn the_point_leaves_everything_to_the_core() {
        assert_eq!(DecimalMark::Point.canonical("17,5").unwrap(), "17,5");
        assert_eq!(",".parse(), Ok(DecimalMark::Comma));
        assert_eq!(".".parse(), Ok(DecimalMark::Point));
        assert!(";".parse::<DecimalMark>().is_err());
    }
}
