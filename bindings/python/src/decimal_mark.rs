//! `decimal=","`: numbers written as text the way a Vietnamese-locale spreadsheet writes them,
//! a comma before the decimals and, optionally, a point between thousands (`1.234,5`). The
//! mark is what the caller says, never guessed from the cells: `17.500` is seventeen thousand
//! five hundred with a decimal comma and seventeen and a half without.

use std::borrow::Cow;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

/// The decimal mark of numbers written as text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DecimalMark {
    /// `98.7`, the core's own form; a comma is refused there as ambiguous.
    #[default]
    Point,
    /// `98,7`, with `.` as an optional thousands separator (`1.234,5`).
    Comma,
}

impl DecimalMark {
    /// `decimal=` as given: `"."` or `","`.
    pub fn extract(value: &str) -> PyResult<DecimalMark> {
        match value {
            "." => Ok(DecimalMark::Point),
            "," => Ok(DecimalMark::Comma),
            other => Err(PyValueError::new_err(format!(
                "decimal must be \".\" or \",\", not {other:?}"
            ))),
        }
    }

    /// A cell's text as the core reads it (`1.234,5` → `1234.5`, `17,5%` → `17.5%`,
    /// `1.000/1.200` → `1000/1200`); words (`có`, `n/a`) as they are. A number that does not
    /// follow the mark is refused rather than read another way.
    pub fn read<'a>(&self, text: &'a str) -> Result<Cow<'a, str>, String> {
        if *self == DecimalMark::Point {
            return Ok(Cow::Borrowed(text));
        }
        let trimmed = text.trim();
        let (body, percent) = match trimmed.strip_suffix('%') {
            Some(body) => (body.trim_end(), "%"),
            None => (trimmed, ""),
        };
        let starts_like_a_number = body
            .trim_start_matches(['+', '-'])
            .starts_with(|c: char| c.is_ascii_digit() || c == ',' || c == '.');
        if !starts_like_a_number {
            return Ok(Cow::Borrowed(text));
        }
        let refuse = || {
            format!(
                "`{trimmed}` is not a number with a decimal comma (decimal=\",\"): write \
                 17,5 or 1.234,5, a point only between groups of three digits"
            )
        };
        let parts: Vec<String> = body
            .split('/')
            .map(|part| comma_number(part.trim()).ok_or_else(refuse))
            .collect::<Result<_, _>>()?;
        Ok(Cow::Owned(format!("{}{percent}", parts.join("/"))))
    }
}

/// `[+-]digits[,digits]` with the integer digits optionally grouped by points in threes, as
/// the core's point form; `None` for anything else.
fn comma_number(text: &str) -> Option<String> {
    let (sign, unsigned) = match text.strip_prefix(['+', '-']) {
        Some(rest) => (&text[..1], rest),
        None => ("", text),
    };
    let (whole, fraction) = match unsigned.split_once(',') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let mut groups = whole.split('.');
    let first = groups.next().unwrap_or_default();
    let grouped = whole.contains('.');
    let whole_ok = if grouped {
        digits(first) && first.len() <= 3 && groups.all(|g| g.len() == 3 && digits(g))
    } else {
        (first.is_empty() && fraction.is_some()) || digits(first)
    };
    if !whole_ok || fraction.is_some_and(|f| !digits(f)) {
        return None;
    }
    let whole: String = whole.chars().filter(|c| *c != '.').collect();
    let whole = if whole.is_empty() { "0".into() } else { whole };
    Some(match fraction {
        Some(fraction) => format!("{sign}{whole}.{fraction}"),
        None => format!("{sign}{whole}"),
    })
}
