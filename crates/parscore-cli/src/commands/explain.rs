//! `parscore explain`: one unit's criteria, why each has its points, and what is recoverable;
//! or the path to a grade (`--to-grade`), or what named changes would do (`--what-if`).

use std::fmt::Write;

use parscore::{Decimal, Evaluation, Fix, PathToGrade, Value, WhatIf};
use serde_json::{Value as Json, json};

use crate::cli::{ExplainArgs, ExplainFormat};
use crate::commands::{Done, evaluate_inputs};
use crate::fail::Failure;
use crate::input::DecimalMark;
use crate::{input, output};

pub fn run(args: &ExplainArgs) -> Result<Done, Failure> {
    // Checked before the inputs are read: a typing mistake is not worth a long read.
    let changes = changes(&args.what_if, args.input.decimal)?;
    let run = evaluate_inputs(&args.input)?;
    let results = &run.batch.results;
    // Compared in the form the inputs are read in, so that a name typed decomposed, or a
    // period typed `2024.0`, finds its row.
    let unit = input::unit_name(&args.unit);
    let period = args.period.as_deref().map(input::period_name);
    let of_unit: Vec<usize> = (0..results.len())
        .filter(|&i| results[i].unit.as_deref() == Some(unit.as_str()))
        .collect();
    if of_unit.is_empty() {
        let mut units: Vec<&str> = results.iter().filter_map(|r| r.unit.as_deref()).collect();
        units.dedup();
        let shown = units
            .iter()
            .take(20)
            .copied()
            .collect::<Vec<_>>()
            .join(", ");
        let more = if units.len() > 20 { ", …" } else { "" };
        return Err(Failure::Usage(format!(
            "no unit `{}` in the inputs (units: {shown}{more})",
            args.unit
        )));
    }
    let mut periods: Vec<Option<&str>> = Vec::new();
    for &i in &of_unit {
        let period = results[i].period.as_deref();
        if !periods.contains(&period) {
            periods.push(period);
        }
    }
    let listed = || {
        periods
            .iter()
            .map(|p| p.unwrap_or("(none)"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let wanted = match (&period, periods.as_slice()) {
        (Some(period), _) => Some(period.as_str()),
        (None, [only]) => *only,
        (None, _) => {
            return Err(Failure::Usage(format!(
                "unit `{}` has rows in several periods ({}): choose one with --period",
                args.unit,
                listed()
            )));
        }
    };
    // A repeated unit and period is an error on the later row, so the first is the one
    // to explain.
    let Some(i) = of_unit
        .iter()
        .copied()
        .find(|&i| results[i].period.as_deref() == wanted)
    else {
        return Err(Failure::Usage(format!(
            "unit `{}` has no row for period {} (its periods: {})",
            args.unit,
            wanted.unwrap_or("(none)"),
            listed()
        )));
    };
    let result = &results[i];
    if !args.input.quiet
        && let Some((_, line)) = run.errors().find(|(row, _)| *row == i)
    {
        output::message(&line);
    }
    let asked = Asked::of(args, &changes, result.outcome.as_ref().ok())?;
    match args.format {
        ExplainFormat::Json => {
            let mut object = run.result_json(i);
            if let (Json::Object(fields), Some(asked)) = (&mut object, &asked) {
                asked.add_json(fields);
            }
            output::to_stdout(output::json_text(&object).as_bytes())?;
        }
        ExplainFormat::Text => {
            if let Ok(evaluation) = &result.outcome {
                let mut text = match &asked {
                    Some(asked) => asked.text(evaluation),
                    None => evaluation.explain(),
                };
                if let Some(rank) = result.rank {
                    let ranked = results
                        .iter()
                        .filter(|r| r.rank.is_some() && r.period == result.period)
                        .count();
                    text.push_str(&format!("rank {rank} of {ranked} in these inputs\n"));
                }
                // Unit names and titles come from the files: their control characters are
                // shown, not run.
                output::to_stdout(output::escape::terminal_lines(&text).as_bytes())?;
            }
        }
    }
    Ok(if result.outcome.is_ok() {
        Done::Clean
    } else {
        Done::RowErrors
    })
}

/// A change `--what-if` names: a criterion's code and its indicator's new value.
#[derive(Debug, Clone, PartialEq)]
struct Change {
    code: String,
    /// As typed, for the output.
    text: String,
    value: Value,
}

/// The changes of every `--what-if`: `CODE=VALUE` pairs separated by commas; a comma not
/// followed by another `CODE=` belongs to the value (`III.4.1=98,7` under `--decimal ,`).
/// Each value is read as an input cell is, under the decimal mark given.
fn changes(given: &[String], decimal: DecimalMark) -> Result<Vec<Change>, Failure> {
    let mut pairs: Vec<String> = Vec::new();
    for argument in given {
        for (i, piece) in argument.split(',').enumerate() {
            match pairs.last_mut() {
                Some(last) if i > 0 && !piece.contains('=') => {
                    last.push(',');
                    last.push_str(piece);
                }
                _ => pairs.push(piece.to_string()),
            }
        }
    }
    let usage = |message: String| Failure::Usage(format!("--what-if: {message}"));
    let mut changes: Vec<Change> = Vec::with_capacity(pairs.len());
    for pair in pairs {
        let Some((code, text)) = pair.split_once('=') else {
            return Err(usage(format!(
                "`{}` is not CODE=VALUE (for example III.4.1=99 or I.2=có)",
                pair.trim()
            )));
        };
        let code = input::unit_name(code);
        let text = input::unit_name(text);
        let read = decimal
            .canonical(&text)
            .and_then(|canonical| Value::parse(&canonical));
        let value = match read {
            Ok(Some(value)) => value,
            Ok(None) => return Err(usage(format!("`{code}=` gives no value"))),
            Err(reason) => return Err(usage(format!("{code}: {reason}"))),
        };
        if changes.iter().any(|c| c.code == code) {
            return Err(usage(format!("`{code}` is given twice")));
        }
        changes.push(Change { code, text, value });
    }
    Ok(changes)
}

/// What `--to-grade` and `--what-if` ask of one unit's evaluation, worked out.
struct Asked<'c> {
    path: Option<PathToGrade>,
    what_if: Option<(&'c [Change], WhatIf)>,
}

impl<'c> Asked<'c> {
    /// `None` when neither was asked; a usage error for a grade the scheme does not have or
    /// a change that cannot be made.
    fn of(
        args: &ExplainArgs,
        changes: &'c [Change],
        evaluation: Option<&Evaluation>,
    ) -> Result<Option<Asked<'c>>, Failure> {
        if args.to_grade.is_none() && changes.is_empty() {
            return Ok(None);
        }
        let Some(evaluation) = evaluation else {
            // The row failed: its error says why, and there is nothing to work out.
            return Ok(None);
        };
        let path = match &args.to_grade {
            Some(grade) => Some(evaluation.path_to(grade).ok_or_else(|| {
                let grades: Vec<&str> = evaluation
                    .scheme()
                    .grades()
                    .iter()
                    .map(|g| g.name.as_str())
                    .collect();
                Failure::Usage(format!(
                    "--to-grade: `{grade}` is not a grade of {} (its grades: {})",
                    evaluation.scheme().id(),
                    grades.join(", ")
                ))
            })?),
            None => None,
        };
        let what_if = if changes.is_empty() {
            None
        } else {
            let made = evaluation
                .what_if(changes.iter().map(|c| (c.code.as_str(), c.value)))
                .map_err(|e| Failure::Usage(format!("--what-if: {e}")))?;
            Some((changes, made))
        };
        Ok(Some(Asked { path, what_if }))
    }

    /// The unit's headline, then the path and the changes, one criterion a line.
    fn text(&self, evaluation: &Evaluation) -> String {
        let scheme = evaluation.scheme();
        let shown = |d: Decimal| points(evaluation, d);
        let index = |i: Option<Decimal>| i.map_or_else(|| "n/a".into(), |i| i.to_string());
        let mut out = String::new();
        let period = evaluation
            .period()
            .map(|p| format!(" ({p})"))
            .unwrap_or_default();
        writeln!(
            out,
            "{}{period} — {} {}",
            evaluation.unit(),
            scheme.id(),
            scheme.version()
        )
        .ok();
        if scheme.estimated() {
            writeln!(out, "ESTIMATED scheme: points are not official.").ok();
        }
        writeln!(
            out,
            "points {} of {}, index {}, grade {}",
            shown(evaluation.points()),
            shown(evaluation.max_points()),
            index(evaluation.index_rounded()),
            grade_name(evaluation.grade())
        )
        .ok();
        if let Some(path) = &self.path {
            let grade = &path.grade;
            let from = format!("{} from {}", grade.name, grade.min_index.normalize());
            match (path.reached, path.fixes.len()) {
                (true, 0) => {
                    writeln!(out, "path to {from}: reached already, nothing to fix").ok();
                }
                (true, n) => {
                    let noun = if n == 1 { "criterion" } else { "criteria" };
                    writeln!(out, "path to {from}: fix {n} {noun}, fewest first:").ok();
                }
                (false, n) => {
                    writeln!(
                        out,
                        "path to {from}: out of reach: fixing all {n} criteria that can \
                         recover points falls short"
                    )
                    .ok();
                }
            }
            for fix in &path.fixes {
                fix_line(&mut out, evaluation, fix);
            }
            if !path.fixes.is_empty() {
                writeln!(
                    out,
                    "after: points {} of {}, index {}, grade {}{}",
                    shown(path.points),
                    shown(path.max_points),
                    index(path.index),
                    grade_name(path.index.and_then(|i| scheme.grade_of(i))),
                    if path.exhaustive {
                        ""
                    } else {
                        " (the fewest criteria; the search stopped before proving no other \
                         set brings fewer points)"
                    }
                )
                .ok();
            }
        }
        if let Some((changes, what_if)) = &self.what_if {
            let named: Vec<String> = changes
                .iter()
                .map(|c| format!("{} = {}", c.code, c.text))
                .collect();
            writeln!(out, "what if {}:", named.join(", ")).ok();
            if what_if.changes.is_empty() {
                writeln!(out, "  no criterion's points change").ok();
            }
            for fix in &what_if.changes {
                fix_line(&mut out, evaluation, fix);
            }
            let after = &what_if.evaluation;
            writeln!(
                out,
                "after: points {} of {}, index {}, grade {}",
                shown(after.points()),
                shown(after.max_points()),
                index(after.index_rounded()),
                grade_name(after.grade())
            )
            .ok();
        }
        out
    }

    /// `path_to_grade` and `what_if` added to the unit's result object: exact figures, as
    /// in the results document.
    fn add_json(&self, fields: &mut serde_json::Map<String, Json>) {
        if let Some(path) = &self.path {
            fields.insert(
                "path_to_grade".into(),
                json!({
                    "grade": path.grade.name,
                    "min_index": number(path.grade.min_index),
                    "reached": path.reached,
                    "fixes": path.fixes.iter().map(fix_json).collect::<Vec<_>>(),
                    "points": number(path.points),
                    "max_points": number(path.max_points),
                    "index": path.index.map_or(Json::Null, number),
                    "exhaustive": path.exhaustive,
                }),
            );
        }
        if let Some((changes, what_if)) = &self.what_if {
            let after = &what_if.evaluation;
            fields.insert(
                "what_if".into(),
                json!({
                    "given": changes
                        .iter()
                        .map(|c| json!({"code": c.code, "value": c.text}))
                        .collect::<Vec<_>>(),
                    "changes": what_if.changes.iter().map(fix_json).collect::<Vec<_>>(),
                    "points": number(after.points()),
                    "max_points": number(after.max_points()),
                    "index": after.index_rounded().map_or(Json::Null, number),
                    "grade": after.grade().map(|g| g.name.clone()),
                }),
            );
        }
    }
}

/// Points as the scheme reports them, to at least four places so that a fix of 0.2875 is
/// not shown as 0.29.
fn points(evaluation: &Evaluation, d: Decimal) -> String {
    let places = evaluation.scheme().rounding().places.max(4);
    d.round_dp(places).normalize().to_string()
}

fn grade_name(grade: Option<&parscore::Grade>) -> &str {
    grade.map_or("-", |g| g.name.as_str())
}

/// `  +0.58 III.4.1 Title: 0.58 → 1.16 — lead: Văn phòng Sở`
fn fix_line(out: &mut String, evaluation: &Evaluation, fix: &Fix) {
    let gain = fix.points();
    let sign = if gain.is_sign_negative() && !gain.is_zero() {
        ""
    } else {
        "+"
    };
    let lead = fix
        .lead
        .as_deref()
        .map(|l| format!(" — lead: {l}"))
        .unwrap_or_default();
    writeln!(
        out,
        "  {sign}{} {} {}: {} → {}{lead}",
        points(evaluation, gain),
        fix.code,
        fix.title,
        points(evaluation, fix.before),
        points(evaluation, fix.after)
    )
    .ok();
}

fn fix_json(fix: &Fix) -> Json {
    json!({
        "code": fix.code,
        "title": fix.title,
        "lead": fix.lead,
        "before": number(fix.before),
        "after": number(fix.after),
        "points": number(fix.points()),
    })
}

/// An exact decimal as a JSON number with its own digits.
fn number(d: Decimal) -> Json {
    d.normalize()
        .to_string()
        .parse::<serde_json::Number>()
        .map_or(Json::Null, Json::Number)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(given: &[&str], decimal: DecimalMark) -> Vec<(String, String)> {
        let given: Vec<String> = given.iter().map(|s| s.to_string()).collect();
        changes(&given, decimal)
            .unwrap()
            .into_iter()
            .map(|c| (c.code, c.text))
            .collect()
    }

    #[test]
    fn what_if_pairs_split_on_commas_that_start_a_pair() {
        let pair = |c: &str, v: &str| (c.to_string(), v.to_string());
        assert_eq!(
            codes(&["III.4.1=99,I.2=có", " VII.1 = x "], DecimalMark::Point),
            [pair("III.4.1", "99"), pair("I.2", "có"), pair("VII.1", "x")]
        );
        assert_eq!(
            codes(&["III.4.1=98,7,I.2=co\u{301}"], DecimalMark::Comma),
            [pair("III.4.1", "98,7"), pair("I.2", "có")]
        );
        let read = changes(&["III.4.1=98,7".into()], DecimalMark::Comma).unwrap();
        assert_eq!(read[0].value, Value::Number(Decimal::new(987, 1)));
    }

    #[test]
    fn what_if_refuses_what_it_cannot_read() {
        for given in ["III.4.1", "III.4.1=", "III.4.1=98,7", "A=1,A=2", "A=abc"] {
            let error = changes(&[given.to_string()], DecimalMark::Point).unwrap_err();
            assert!(error.to_string().starts_with("--what-if: "), "{error}");
        }
    }
}
