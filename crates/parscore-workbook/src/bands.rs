//! Bands as instruments write them: `từ 99%: 2; từ 95% đến dưới 99%: 1; dưới 95%: 0`.
//!
//! Each clause is a condition, a colon and the points. A band starts at its lower bound,
//! inclusive (`từ 95%`, `≥ 95`, or the number alone), and may say where it ends (`đến dưới
//! 99%`), which must be where the band above it starts; the highest band is open. A last
//! `dưới 95%: 0` says what lies below every band, which always scores 0. Clauses are
//! separated by `;` or a line break, in any order. Anything that cannot be scored exactly as
//! written (`trên 95%`, "above", which leaves out the bound; `đến 99%` without `dưới`; a gap
//! between bands) is refused with the reason, never guessed.

use parscore::Decimal;
use parscore::file::{BandFile, Num};
use parscore::text::fold;

use crate::number::{decimal_text, parse_decimal};

/// The bands of a text, highest first, or why they cannot be read.
pub(crate) fn parse_bands(text: &str) -> Result<Vec<BandFile>, String> {
    let mut bands: Vec<(Decimal, Option<Decimal>, Decimal)> = Vec::new();
    let mut floor: Option<(Decimal, Decimal)> = None;
    for clause in clauses(text) {
        let (condition, points) = clause.rsplit_once(':').ok_or_else(|| {
            format!("`{clause}` has no points: write the condition, a colon and the points (`từ 99%: 2`)")
        })?;
        let points = parse_points(points).map_err(|reason| format!("`{clause}`: {reason}"))?;
        match parse_condition(condition).map_err(|reason| format!("`{clause}`: {reason}"))? {
            Condition::From { min, below } => bands.push((min, below, points)),
            Condition::Below(bound) => {
                if floor.replace((bound, points)).is_some() {
                    return Err(format!(
                        "`{clause}`: only one clause may say what lies below every band"
                    ));
                }
            }
        }
    }
    if bands.is_empty() {
        return Err(format!(
            "`{text}` holds no band: write `từ 99%: 2; từ 95% đến dưới 99%: 1; dưới 95%: 0`"
        ));
    }
    bands.sort_by_key(|band| std::cmp::Reverse(band.0));
    for pair in bands.windows(2) {
        if pair[0].0 == pair[1].0 {
            return Err(format!("two bands start at {}", pair[0].0.normalize()));
        }
    }
    if let Some(&(min, Some(below), _)) = bands.first() {
        return Err(format!(
            "the highest band, from {} to below {}, leaves nothing for values from {} up: \
             write it as `từ {}` (and above)",
            min.normalize(),
            below.normalize(),
            below.normalize(),
            min.normalize()
        ));
    }
    for pair in bands.windows(2) {
        let (upper, (min, below, _)) = (pair[0].0, pair[1]);
        if let Some(below) = below
            && below != upper
        {
            return Err(format!(
                "the band from {} ends below {}, but the band above it starts at {}: bands \
                 must meet, without gap or overlap",
                min.normalize(),
                below.normalize(),
                upper.normalize()
            ));
        }
    }
    if let Some((bound, points)) = floor {
        let lowest = bands[bands.len() - 1].0;
        if bound != lowest {
            return Err(format!(
                "`dưới {}` must name where the lowest band starts, {}",
                bound.normalize(),
                lowest.normalize()
            ));
        }
        if !points.is_zero() {
            return Err(format!(
                "below every band a value scores 0, not {}: add a band for it (`từ 0: {}`)",
                points.normalize(),
                points.normalize()
            ));
        }
    }
    Ok(bands
        .into_iter()
        .map(|(min, _, points)| BandFile {
            min: Num(min),
            points: Num(points),
        })
        .collect())
}

/// Bands as [`parse_bands`] reads them, highest first: `từ 99%: 2; từ 95% đến dưới 99%: 1;
/// dưới 95%: 0` (with `%` for a percent indicator). The last clause is left out when the
/// lowest band starts at 0, below which nothing lies.
pub(crate) fn write_bands(bands: &[BandFile], percent: bool) -> String {
    let unit = if percent { "%" } else { "" };
    let mut clauses = Vec::new();
    let mut above: Option<Decimal> = None;
    for band in bands {
        let min = decimal_text(band.min.0);
        let points = decimal_text(band.points.0);
        clauses.push(match above {
            None => format!("từ {min}{unit}: {points}"),
            Some(upper) => format!(
                "từ {min}{unit} đến dưới {}{unit}: {points}",
                decimal_text(upper)
            ),
        });
        above = Some(band.min.0);
    }
    if let Some(lowest) = above
        && !lowest.is_zero()
    {
        clauses.push(format!("dưới {}{unit}: 0", decimal_text(lowest)));
    }
    clauses.join("; ")
}

/// The clauses of a text: separated by `;` or line breaks, blank ones left out.
pub(crate) fn clauses(text: &str) -> impl Iterator<Item = &str> {
    text.split([';', '\n'])
        .map(|c| c.trim().trim_end_matches('.').trim())
        .filter(|c| !c.is_empty())
}

/// Points: a number, with `điểm`, `đ` or `points` after it if the writer likes.
pub(crate) fn parse_points(text: &str) -> Result<Decimal, String> {
    let text = text.trim();
    let number = text.trim_end_matches(|c: char| c.is_alphabetic() || c.is_whitespace());
    let unit = fold(&text[number.len()..]);
    if !["", "diem", "d", "point", "points", "pt"].contains(&unit.as_str()) {
        return Err(format!("`{text}` is not points"));
    }
    parse_decimal(number)
}

enum Condition {
    From {
        min: Decimal,
        below: Option<Decimal>,
    },
    Below(Decimal),
}

/// A condition's words and numbers, read as one of the forms the module names.
fn parse_condition(text: &str) -> Result<Condition, String> {
    let tokens = tokens(text)?;
    let mut numbers = Vec::new();
    let mut words: Vec<String> = vec![String::new()];
    for token in tokens {
        match token {
            Token::Number(n) => {
                numbers.push(n);
                words.push(String::new());
            }
            Token::Word(w) => {
                let phrase = words.last_mut().expect("one phrase per gap");
                if !phrase.is_empty() {
                    phrase.push(' ');
                }
                phrase.push_str(&w);
            }
        }
    }
    let phrase = |i: usize| words[i].as_str();
    let is = |i: usize, forms: &[&str]| forms.contains(&phrase(i));
    const FROM: &[&str] = &[
        "",
        "tu",
        "dat tu",
        "from",
        ">=",
        "≥",
        "at least",
        "it nhat",
        "toi thieu",
    ];
    const AND_UP: &[&str] = &["", "tro len", "and above", "or more", "and over"];
    const TO_BELOW: &[&str] = &["den duoi", "to below", "to under", "den <", "<"];
    const BELOW: &[&str] = &["duoi", "dat duoi", "<", "below", "under", "less than"];
    match numbers[..] {
        [min] if is(0, FROM) && is(1, AND_UP) => Ok(Condition::From { min, below: None }),
        [min, below] if is(0, FROM) && is(1, TO_BELOW) && is(2, &[""]) => Ok(Condition::From {
            min,
            below: Some(below),
        }),
        [bound] if is(0, BELOW) && is(1, &[""]) => Ok(Condition::Below(bound)),
        _ => {
            let all = words.join(" ");
            Err(
                if all.contains("tren")
                    || all.contains("above")
                    || text.contains('>') && !text.contains(">=")
                {
                    "`trên` (above) leaves its bound out, and a band starts at its bound: write `từ`".into()
                } else if all.contains("den") || all.contains("<=") || all.contains('≤') {
                    "a band ends below where the next starts: write `đến dưới`".into()
                } else {
                    "write a band as `từ 95%`, `từ 95% đến dưới 99%` or `dưới 95%`".into()
                },
            )
        }
    }
}

enum Token {
    Number(Decimal),
    /// A word, folded, or a comparison sign (`>=`, `≥`, `<`).
    Word(String),
}

fn tokens(text: &str) -> Result<Vec<Token>, String> {
    let mut tokens = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let starts_number =
            c.is_ascii_digit() || (c == '-' && chars.get(i + 1).is_some_and(char::is_ascii_digit));
        if starts_number {
            let start = i;
            i += 1;
            while i < chars.len()
                && (chars[i].is_ascii_digit()
                    || (matches!(chars[i], '.' | ',')
                        && chars.get(i + 1).is_some_and(char::is_ascii_digit)))
            {
                i += 1;
            }
            let number: String = chars[start..i].iter().collect();
            tokens.push(Token::Number(parse_decimal(&number)?));
        } else if c.is_alphabetic() {
            let start = i;
            while i < chars.len() && (chars[i].is_alphabetic() || is_mark(chars[i])) {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            tokens.push(Token::Word(fold(&word)));
        } else if matches!(c, '<' | '>' | '=' | '≥' | '≤') {
            let start = i;
            while i < chars.len() && matches!(chars[i], '<' | '>' | '=' | '≥' | '≤') {
                i += 1;
            }
            tokens.push(Token::Word(chars[start..i].iter().collect()));
        } else {
            // `%`, bullets, dashes and brackets carry no meaning here: the bound is in the
            // indicator's unit, as a target's is.
            i += 1;
        }
    }
    Ok(tokens)
}

/// A combining mark: part of a word typed in decomposed form.
fn is_mark(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    fn bands(pairs: &[(&str, &str)]) -> Vec<BandFile> {
        pairs
            .iter()
            .map(|(min, points)| BandFile {
                min: Num(d(min)),
                points: Num(d(points)),
            })
            .collect()
    }

    #[test]
    fn instrument_wording_reads_exactly() {
        let expected = bands(&[("99", "2"), ("95", "1")]);
        for text in [
            "từ 99%: 2; từ 95% đến dưới 99%: 1; dưới 95%: 0",
            "Từ 99% trở lên: 2 điểm\nTừ 95% đến dưới 99%: 1 điểm\nDưới 95%: 0 điểm.",
            "dưới 95%: 0; từ 95% đến dưới 99%: 1; từ 99%: 2",
            "- Đạt từ 99% trở lên: 2đ; - Từ 95% đến dưới 99%: 1đ",
            ">= 99: 2; >= 95: 1",
            "≥ 99%: 2; 95 - < 99%: 1",
            "from 99%: 2; from 95% to below 99%: 1; below 95%: 0",
            "TƯ\u{300} 99%: 2; tu 95 den duoi 99: 1",
        ] {
            assert_eq!(parse_bands(text), Ok(expected.clone()), "{text}");
        }
        assert_eq!(
            parse_bands("từ 99,5%: 1,5; từ 90%: 0,75"),
            Ok(bands(&[("99.5", "1.5"), ("90", "0.75")]))
        );
        assert_eq!(
            parse_bands("4: 20; 3: 15; 2: 10; 1: 5"),
            Ok(bands(&[("4", "20"), ("3", "15"), ("2", "10"), ("1", "5")]))
        );
        assert_eq!(parse_bands("từ -5%: 1"), Ok(bands(&[("-5", "1")])));
    }

    #[test]
    fn what_cannot_be_scored_exactly_is_refused() {
        for (text, why) in [
            ("trên 99%: 2", "trên"),
            ("từ 95% đến 99%: 1; từ 99%: 2", "đến dưới"),
            ("từ 95% đến dưới 98%: 1; từ 99%: 2", "must meet"),
            ("từ 95% đến dưới 99%: 1", "leaves nothing"),
            ("từ 99%: 2; dưới 99%: 0,5", "scores 0"),
            ("từ 99%: 2; dưới 90%: 0", "lowest band"),
            ("từ 99%: 2; từ 99%: 1", "two bands"),
            ("từ 99%", "no points"),
            ("từ 99%: hai", "not points"),
            ("từ 1.500: 2", "thousand"),
            ("dưới 95%: 0", "no band"),
            ("", "no band"),
        ] {
            let error = parse_bands(text).unwrap_err();
            assert!(error.contains(why), "{text}: {error}");
        }
    }

    #[test]
    fn written_bands_read_back() {
        let cases = [
            (bands(&[("99", "2"), ("95", "1")]), true),
            (
                bands(&[("3", "1.3333"), ("2", "0.8888"), ("1", "0.4444")]),
                false,
            ),
            (bands(&[("9", "1"), ("5", "0.45"), ("0", "0.1")]), false),
            (bands(&[("1.125", "1.125"), ("-2.5", "0")]), true),
        ];
        for (bands, percent) in cases {
            let text = write_bands(&bands, percent);
            assert_eq!(parse_bands(&text), Ok(bands), "{text}");
        }
        assert_eq!(
            write_bands(&bands(&[("99", "2"), ("95", "1")]), true),
            "từ 99%: 2; từ 95% đến dưới 99%: 1; dưới 95%: 0"
        );
    }
}
