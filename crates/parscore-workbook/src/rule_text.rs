//! A rule as two cells: its kind (phương pháp chấm điểm) and its parameters (mức điểm).
//!
//! Bands are written as instruments write them (see [`crate::bands`]); the other rules'
//! parameters as `name: value` clauses: `đạt: 1; không đạt: 0,25` for a threshold,
//! `sàn: 20; đủ điểm từ: 80` for a proportional rule, `mỗi lần: 0,25; trừ tối đa: 1` for a
//! deduction. A rule cell may also hold the bands themselves, as an instrument's "phương
//! pháp chấm điểm" column does.

use parscore::file::{Num, RuleFile};
use parscore::text::fold;

use crate::bands::{clauses, parse_bands, parse_points, write_bands};
use crate::cells::{spellings, word_of};
use crate::layout::{RULE_KINDS, RuleKind, name_of};
use crate::number::decimal_text;

/// Which cell a problem of a rule lies in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RuleCell {
    Kind,
    Parameters,
}

/// The parameters a rule kind takes, by key: the written name first, then the accepted ones.
fn parameter_names(kind: RuleKind) -> &'static [(&'static str, &'static [&'static str])] {
    match kind {
        RuleKind::Threshold => &[
            ("pass_points", &["đạt", "pass", "pass_points"]),
            ("fail_points", &["không đạt", "fail", "fail_points"]),
        ],
        RuleKind::Proportional => &[
            ("floor", &["sàn", "floor"]),
            ("full_at", &["đủ điểm từ", "full at", "full_at"]),
        ],
        RuleKind::Deduction => &[
            ("per", &["mỗi lần", "per"]),
            ("cap", &["trừ tối đa", "cap"]),
        ],
        RuleKind::Bands | RuleKind::Boolean | RuleKind::Given => &[],
    }
}

/// The rule of a kind cell and the parameter cells' text (joined by `;`: one band a cell is
/// as good as all in one).
pub(crate) fn parse_rule(kind: &str, parameters: &str) -> Result<RuleFile, (RuleCell, String)> {
    let Some(kind_word) = word_of(RULE_KINDS, kind) else {
        // An instrument's method column holds the bands themselves.
        if parameters.trim().is_empty() {
            match parse_bands(kind) {
                Ok(bands) => return Ok(RuleFile::Bands { bands }),
                // Text with a colon and a number was meant as bands: say what is wrong there.
                Err(reason)
                    if kind.contains(':') && kind.contains(|c: char| c.is_ascii_digit()) =>
                {
                    return Err((RuleCell::Kind, reason));
                }
                Err(_) => {}
            }
        }
        return Err((
            RuleCell::Kind,
            format!(
                "`{kind}` is not a rule: write {}, or the bands themselves",
                spellings(RULE_KINDS)
            ),
        ));
    };
    let wrong = |reason: String| (RuleCell::Parameters, reason);
    Ok(match kind_word {
        RuleKind::Bands => RuleFile::Bands {
            bands: parse_bands(parameters).map_err(wrong)?,
        },
        RuleKind::Threshold => {
            let [pass_points, fail_points] = values(kind_word, kind, parameters)?;
            RuleFile::Threshold {
                pass_points,
                fail_points,
            }
        }
        RuleKind::Proportional => {
            let [floor, full_at] = values(kind_word, kind, parameters)?;
            RuleFile::Proportional { floor, full_at }
        }
        RuleKind::Deduction => match values(kind_word, kind, parameters)? {
            [Some(per), Some(cap)] => RuleFile::Deduction { per, cap },
            _ => {
                return Err(wrong(
                    "a deduction needs both `mỗi lần` (points per occurrence) and `trừ tối đa` \
                     (the most taken off): `mỗi lần: 0,25; trừ tối đa: 1`"
                        .into(),
                ));
            }
        },
        RuleKind::Boolean => {
            let [] = values(kind_word, kind, parameters)?;
            RuleFile::Boolean
        }
        RuleKind::Given => {
            let [] = values(kind_word, kind, parameters)?;
            RuleFile::Given
        }
    })
}

/// A penalty's points per occurrence and its own cap, if any, from its rule cells: the kind
/// `trừ điểm` (or nothing) and `mỗi lần: 0,5; trừ tối đa: 1,5`, the cap optional.
pub(crate) fn parse_penalty(
    kind: &str,
    parameters: &str,
) -> Result<(Num, Option<Num>), (RuleCell, String)> {
    let deduction = name_of(RULE_KINDS, RuleKind::Deduction);
    if !kind.trim().is_empty() && word_of(RULE_KINDS, kind) != Some(RuleKind::Deduction) {
        return Err((
            RuleCell::Kind,
            format!("a penalty takes points off: its rule is `{deduction}`, not `{kind}`"),
        ));
    }
    match values(RuleKind::Deduction, deduction, parameters)? {
        [Some(per), cap] => Ok((per, cap)),
        _ => Err((
            RuleCell::Parameters,
            "a penalty needs `mỗi lần` (the points per occurrence), and may say `trừ tối đa`: \
             `mỗi lần: 0,5; trừ tối đa: 1,5`"
                .into(),
        )),
    }
}

/// The rule cells of a penalty, which [`parse_penalty`] reads back.
pub(crate) fn write_penalty(per: Num, cap: Option<Num>) -> (&'static str, String) {
    let names = parameter_names(RuleKind::Deduction);
    let mut parameters = format!("{}: {}", names[0].1[0], decimal_text(per.0));
    if let Some(cap) = cap {
        parameters += &format!("; {}: {}", names[1].1[0], decimal_text(cap.0));
    }
    (name_of(RULE_KINDS, RuleKind::Deduction), parameters)
}

/// The `name: value` parameters of a rule other than bands, in the order of
/// [`parameter_names`]; `N` is how many the rule takes.
fn values<const N: usize>(
    kind_word: RuleKind,
    kind: &str,
    parameters: &str,
) -> Result<[Option<Num>; N], (RuleCell, String)> {
    let wrong = |reason: String| (RuleCell::Parameters, reason);
    let names = parameter_names(kind_word);
    let mut values = [None; N];
    for clause in clauses(parameters) {
        let Some((key, value)) = clause.split_once(':') else {
            return Err(wrong(format!(
                "`{clause}` is not `name: value`{}",
                accepted(names, kind)
            )));
        };
        let folded = fold(key);
        let Some(slot) = names
            .iter()
            .position(|(_, spellings)| spellings.iter().any(|s| fold(s) == folded))
            .and_then(|i| values.get_mut(i))
        else {
            return Err(wrong(format!(
                "`{}` is no parameter of this rule{}",
                key.trim(),
                accepted(names, kind)
            )));
        };
        let number = parse_points(value.trim().trim_end_matches('%'))
            .map_err(|reason| wrong(format!("`{clause}`: {reason}")))?;
        if slot.replace(Num(number)).is_some() {
            return Err(wrong(format!("`{}` is given twice", key.trim())));
        }
    }
    Ok(values)
}

fn accepted(names: &[(&str, &[&str])], kind: &str) -> String {
    if names.is_empty() {
        format!(": `{kind}` takes no parameters")
    } else {
        let list: Vec<String> = names.iter().map(|(_, n)| format!("`{}`", n[0])).collect();
        format!(" (this rule takes {})", list.join(" and "))
    }
}

/// The kind cell and parameters cell of a rule; bands with `%` when the indicator is a
/// percent.
pub(crate) fn write_rule(rule: &RuleFile, percent: bool) -> (&'static str, String) {
    let (kind, values) = match rule {
        RuleFile::Threshold {
            pass_points,
            fail_points,
        } => (RuleKind::Threshold, vec![*pass_points, *fail_points]),
        RuleFile::Proportional { floor, full_at } => {
            (RuleKind::Proportional, vec![*floor, *full_at])
        }
        RuleFile::Bands { bands } => {
            return (
                name_of(RULE_KINDS, RuleKind::Bands),
                write_bands(bands, percent),
            );
        }
        RuleFile::Boolean => (RuleKind::Boolean, vec![]),
        RuleFile::Given => (RuleKind::Given, vec![]),
        RuleFile::Deduction { per, cap } => (RuleKind::Deduction, vec![Some(*per), Some(*cap)]),
    };
    let parameters: Vec<String> = parameter_names(kind)
        .iter()
        .zip(values)
        .filter_map(|((_, names), value)| {
            value.map(|v| format!("{}: {}", names[0], decimal_text(v.0)))
        })
        .collect();
    (name_of(RULE_KINDS, kind), parameters.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use parscore::Decimal;
    use parscore::file::BandFile;
    use std::str::FromStr;

    fn num(text: &str) -> Num {
        Num(Decimal::from_str(text).unwrap())
    }

    #[test]
    fn every_rule_reads_back_as_written() {
        let rules = [
            RuleFile::Threshold {
                pass_points: None,
                fail_points: None,
            },
            RuleFile::Threshold {
                pass_points: Some(num("1")),
                fail_points: Some(num("0.25")),
            },
            RuleFile::Threshold {
                pass_points: None,
                fail_points: Some(num("0.125")),
            },
            RuleFile::Proportional {
                floor: Some(num("20")),
                full_at: Some(num("80")),
            },
            RuleFile::Proportional {
                floor: None,
                full_at: None,
            },
            RuleFile::Bands {
                bands: vec![BandFile {
                    min: num("99"),
                    points: num("2"),
                }],
            },
            RuleFile::Boolean,
            RuleFile::Given,
            RuleFile::Deduction {
                per: num("0.25"),
                cap: num("1"),
            },
        ];
        for rule in rules {
            let (kind, parameters) = write_rule(&rule, true);
            assert_eq!(
                parse_rule(kind, &parameters),
                Ok(rule),
                "{kind} / {parameters}"
            );
        }
    }

    #[test]
    fn vietnamese_and_english_both_read() {
        assert_eq!(
            parse_rule("Đạt/Không đạt", "Đạt: 1 điểm; Không đạt: 0,25 điểm"),
            parse_rule("threshold", "pass: 1; fail: 0.25")
        );
        assert_eq!(
            parse_rule("Tỷ lệ x Điểm tối đa", ""),
            Ok(RuleFile::Proportional {
                floor: None,
                full_at: None
            })
        );
        assert_eq!(
            parse_rule("Từ 99% trở lên: 2 điểm; dưới 99%: 0", ""),
            Ok(RuleFile::Bands {
                bands: vec![BandFile {
                    min: num("99"),
                    points: num("2")
                }]
            })
        );
    }

    #[test]
    fn wrong_parameters_name_the_cell() {
        assert_eq!(parse_rule("thưởng", "").unwrap_err().0, RuleCell::Kind);
        for (kind, parameters) in [
            ("có/không", "đạt: 1"),
            ("trừ điểm", "mỗi lần: 0,25"),
            ("đạt/không đạt", "đạt 1"),
            ("đạt/không đạt", "đạt: 1; đạt: 2"),
            ("theo mức", "trên 99%: 2"),
            ("tỷ lệ", "sàn: hai"),
        ] {
            let (cell, reason) = parse_rule(kind, parameters).unwrap_err();
            assert_eq!(cell, RuleCell::Parameters, "{kind} {parameters}: {reason}");
        }
    }
}
