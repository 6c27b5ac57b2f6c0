//! Plain-language reasons: one line per criterion, and a whole-unit explanation.

use std::fmt::Write;

use rust_decimal::Decimal;

use super::leaf::Status;
use super::result::{CriterionResult, Evaluation};
use crate::scheme::Part;
use crate::scheme::file::NaPolicy;
use crate::scheme::rule::Rule;
use crate::value::Value;

/// Decimals shown for values and margins in reasons; points use the scheme's places.
const VALUE_PLACES: u32 = 4;

fn show(d: Decimal, places: u32) -> String {
    d.round_dp(places).normalize().to_string()
}

fn show_value(value: Value) -> String {
    match value {
        Value::Ratio { num, den } => {
            let percent = value.as_decimal().unwrap_or_default();
            format!("{num}/{den} = {}%", show(percent, VALUE_PLACES))
        }
        Value::Number(d) => show(d, VALUE_PLACES),
        other => other.to_string(),
    }
}

impl CriterionResult<'_> {
    /// One line saying why the criterion has its points.
    pub fn explanation(&self) -> String {
        criterion_line(self)
    }
}

fn criterion_line(result: &CriterionResult<'_>) -> String {
    // At least four decimals, so that 0.999875 of 1 never reads as "1 of 1".
    let places = result.scheme.rounding().places.max(VALUE_PLACES);
    let max = show(result.criterion.max_points, places);
    let points = show(result.points(), places);
    let indicator = &result.indicator().id;
    if result.criterion.part == Part::Penalty {
        return penalty_line(result, &points);
    }
    match result.status() {
        Status::Missing => match (result.value(), result.target()) {
            (Some(_), Some(target)) => {
                format!("no value to compare with ({target}): 0 of {max} (missing)")
            }
            _ => format!("no value for `{indicator}`: 0 of {max} (missing)"),
        },
        Status::NotApplicable => {
            let policy = result.criterion.leaf().map(|l| l.not_applicable);
            match policy {
                Some(NaPolicy::FullPoints) => {
                    format!("not applicable: full points, {points} of {max}")
                }
                _ => format!("not applicable: excluded from the maximum ({max})"),
            }
        }
        Status::Scored => {
            let mut line = result.value().map(show_value).unwrap_or_default();
            if let Some(target) = result.target() {
                let verdict = if result.passed() == Some(true) {
                    "meets"
                } else {
                    "misses"
                };
                write!(line, " {verdict} {target}").ok();
                if let Some(reference) = result.reference() {
                    write!(line, " ({})", show_value(reference)).ok();
                }
                if let Some(margin) = result.margin() {
                    write!(line, ", margin {}", show(margin, VALUE_PLACES)).ok();
                }
            }
            let rule = result
                .criterion
                .rule()
                .map(describe_rule)
                .unwrap_or_default();
            write!(line, "; {rule}: {points} of {max}").ok();
            line
        }
    }
}

/// A penalty's reason: what was counted, what it took off and where its cap held it.
fn penalty_line(result: &CriterionResult<'_>, points: &str) -> String {
    let Some(Rule::Deduction { per, cap }) = result.criterion.rule() else {
        return String::new();
    };
    let counted = match (result.status(), result.value()) {
        (Status::Scored, Some(Value::Bool(yes))) => {
            Some((if yes { "yes" } else { "no" }.to_string(), *per, yes))
        }
        (Status::Scored, Some(Value::Number(n))) => Some((
            format!("{} × {}", n.normalize(), per.normalize()),
            per.checked_mul(n).unwrap_or(Decimal::MAX),
            !n.is_zero(),
        )),
        _ => None,
    };
    match counted {
        Some((what, raw, _)) if raw > *cap => {
            format!("{what}, at most {}: {points}", cap.normalize())
        }
        Some((what, _, true)) => format!("{what}: {points}"),
        Some((what, _, false)) => format!("{what}: nothing taken off"),
        None if result.status() == Status::Missing => format!(
            "no value for `{}`: nothing taken off (missing)",
            result.indicator().id
        ),
        None => "not applicable: nothing taken off".into(),
    }
}

fn describe_rule(rule: &Rule) -> String {
    match rule {
        Rule::Threshold { .. } => "threshold".into(),
        Rule::Proportional(posts) => {
            let (floor, full_at) = (posts.floor(), posts.full_at());
            if floor.is_zero() && full_at == Decimal::ONE_HUNDRED {
                "proportional (rate × max)".into()
            } else {
                format!(
                    "proportional from {} to {}",
                    floor.normalize(),
                    full_at.normalize()
                )
            }
        }
        Rule::Bands(_) => "bands".into(),
        Rule::Boolean => "yes/no".into(),
        Rule::Given => "given points".into(),
        Rule::Deduction { per, cap } => {
            format!(
                "deduction {} each, at most {}",
                per.normalize(),
                cap.normalize()
            )
        }
    }
}

impl Evaluation {
    /// How the total is made when the scheme has a bonus or penalties: `areas 94.5 + bonus
    /// 2 − penalties 1.5`, and where the total was held at 0 or at the maximum.
    fn sections_line(&self) -> Option<String> {
        let scheme = &self.scheme;
        let (bonus, penalty) = (self.bonus_points(), self.penalty_points());
        if bonus.is_none() && penalty.is_none() {
            return None;
        }
        let places = scheme.rounding().places;
        let areas: Decimal = self.areas().map(|a| a.points()).sum();
        let mut line = format!("areas {}", show(areas, places));
        if let Some(bonus) = bonus {
            let cap = scheme.bonus().map_or(Decimal::ZERO, |(_, cap)| cap);
            write!(
                line,
                " + bonus {} (at most {})",
                show(bonus, places),
                cap.normalize()
            )
            .ok();
        }
        if let Some(penalty) = penalty {
            let cap = scheme.penalties().map_or(Decimal::ZERO, |(_, cap)| cap);
            write!(
                line,
                " − penalties {} (at most {})",
                show(penalty, places),
                cap.normalize()
            )
            .ok();
        }
        let sum = areas + bonus.unwrap_or_default() - penalty.unwrap_or_default();
        if sum < Decimal::ZERO {
            line.push_str(", held at 0");
        } else if sum > self.points {
            line.push_str(", held at the maximum: the index stops at 100");
        }
        Some(line)
    }

    /// A plain-text explanation: headline, areas, every criterion with its reason, and the
    /// points recoverable, largest first.
    pub fn explain(&self) -> String {
        let scheme = &self.scheme;
        let places = scheme.rounding().places;
        let mut out = String::new();
        let period = self.period().map(|p| format!(" ({p})")).unwrap_or_default();
        writeln!(
            out,
            "{}{period} — {} {}",
            self.unit,
            scheme.id(),
            scheme.version()
        )
        .ok();
        if scheme.estimated() {
            writeln!(out, "ESTIMATED scheme: points are not official.").ok();
        }
        let index = self
            .index_rounded()
            .map_or("n/a".to_string(), |i| i.to_string());
        let grade = self.grade().map_or("-", |g| g.name.as_str());
        writeln!(
            out,
            "points {} of {}, index {index}, grade {grade}",
            show(self.points, places),
            show(self.max_points, places)
        )
        .ok();
        if let Some(line) = self.sections_line() {
            writeln!(out, "  {line}").ok();
        }
        let sections = [scheme.bonus(), scheme.penalties()];
        for group in self.groups() {
            let indent = "  ".repeat(group.criterion.depth);
            let points = show(group.points(), places);
            let figures = match sections
                .iter()
                .flatten()
                .find(|(s, _)| s.code == group.code())
            {
                Some((_, cap)) => format!("{points} (at most {})", cap.normalize()),
                None => format!("{points} of {}", show(group.max_points(), places)),
            };
            writeln!(out, "{indent}{} {}: {figures}", group.code(), group.title()).ok();
        }
        writeln!(out, "criteria:").ok();
        for c in self.criteria() {
            let penalised = c.criterion.part == Part::Penalty && c.points() < Decimal::ZERO;
            let mark = match (c.status(), c.passed()) {
                (Status::Missing, _) => "?",
                (Status::NotApplicable, _) => "-",
                (_, Some(false)) => "✗",
                _ if penalised => "✗",
                _ => "✓",
            };
            writeln!(
                out,
                "{mark} {} {}: {}",
                c.code(),
                c.title(),
                c.explanation()
            )
            .ok();
        }
        let recoverable = self.recoverable();
        if !recoverable.is_empty() {
            writeln!(out, "recoverable points, largest first:").ok();
            for r in recoverable {
                writeln!(
                    out,
                    "  +{} {} {}",
                    show(r.points, places),
                    r.criterion.code(),
                    r.criterion.title()
                )
                .ok();
            }
        }
        out
    }
}
