//! Plain-language reasons: one line per criterion, and a whole-unit explanation.
//!
//! Reasons are written into any [`fmt::Write`] as they are made, with no string of their own
//! (see [`CriterionResult::write_explanation`]): an output of a batch explained in full writes
//! some six million of them, each straight into its text.

use std::fmt::{self, Write};

use rust_decimal::Decimal;

use super::leaf::Status;
use super::result::{CriterionResult, Evaluation};
use crate::num::digits::compose;
use crate::scheme::Part;
use crate::scheme::file::NaPolicy;
use crate::scheme::rule::Rule;
use crate::value::Value;

/// Decimals shown for values and margins in reasons; points use the scheme's places.
const VALUE_PLACES: u32 = 4;

/// A decimal rounded to `places`, as `round_dp(places).normalize()` prints.
fn show(d: Decimal, places: u32) -> Plain {
    Plain(d.round_dp(places))
}

/// A decimal written as `Decimal::normalize` prints it (no exponent, no trailing zeros after
/// the point, no point when whole, `0` for any zero), without a string of its own.
#[derive(Clone, Copy)]
pub(crate) struct Plain(pub(crate) Decimal);

impl fmt::Display for Plain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // What `compose` asks for a decimal's most places: 44 + 28.
        let mut text = [0u8; 72];
        let d = self.0;
        let len = compose(d.mantissa(), d.scale() as usize, &mut text);
        // Only ASCII was written.
        f.write_str(std::str::from_utf8(&text[..len]).map_err(|_| fmt::Error)?)
    }
}

/// A value as a reason shows it: a rate from counts with its percentage.
struct Shown(Value);

impl fmt::Display for Shown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Value::Ratio { num, den } => {
                let percent = self.0.as_decimal().unwrap_or_default();
                write!(f, "{num}/{den} = {}%", show(percent, VALUE_PLACES))
            }
            Value::Number(d) => show(d, VALUE_PLACES).fmt(f),
            other => other.fmt(f),
        }
    }
}

impl CriterionResult<'_> {
    /// One line saying why the criterion has its points.
    pub fn explanation(&self) -> String {
        let mut line = String::new();
        // Writing to a string cannot fail.
        let _ = self.write_explanation(&mut line);
        line
    }

    /// [`CriterionResult::explanation`] written into `out` as it is made: for a writer of
    /// many rows, which then allocates no string of its own for each.
    pub fn write_explanation<W: Write + ?Sized>(&self, out: &mut W) -> fmt::Result {
        // At least four decimals, so that 0.999875 of 1 never reads as "1 of 1".
        let places = self.scheme.rounding().places.max(VALUE_PLACES);
        let max = show(self.criterion.max_points, places);
        let points = show(self.points(), places);
        let indicator = &self.indicator().id;
        if self.criterion.part == Part::Penalty {
            return penalty_line(self, points, out);
        }
        match self.status() {
            Status::Missing => match (self.value(), self.target()) {
                (Some(_), Some(target)) => {
                    write!(
                        out,
                        "no value to compare with ({target}): 0 of {max} (missing)"
                    )
                }
                _ => write!(out, "no value for `{indicator}`: 0 of {max} (missing)"),
            },
            Status::NotApplicable => {
                let policy = self.criterion.leaf().map(|l| l.not_applicable);
                match policy {
                    Some(NaPolicy::FullPoints) => {
                        write!(out, "not applicable: full points, {points} of {max}")
                    }
                    _ => write!(out, "not applicable: excluded from the maximum ({max})"),
                }
            }
            Status::Scored => {
                if let Some(value) = self.value() {
                    write!(out, "{}", Shown(value))?;
                }
                if let Some(target) = self.target() {
                    let verdict = if self.passed() == Some(true) {
                        "meets"
                    } else {
                        "misses"
                    };
                    write!(out, " {verdict} {target}")?;
                    if let Some(reference) = self.reference() {
                        write!(out, " ({})", Shown(reference))?;
                    }
                    if let Some(margin) = self.margin() {
                        write!(out, ", margin {}", show(margin, VALUE_PLACES))?;
                    }
                }
                out.write_str("; ")?;
                if let Some(rule) = self.criterion.rule() {
                    describe_rule(rule, out)?;
                }
                write!(out, ": {points} of {max}")
            }
        }
    }
}

/// What a penalty counted: a yes/no answer, or a number of events times the deduction each.
enum Counted {
    Answer(bool),
    Times(Decimal, Decimal),
}

impl fmt::Display for Counted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Counted::Answer(yes) => f.write_str(if yes { "yes" } else { "no" }),
            Counted::Times(n, per) => write!(f, "{} × {}", Plain(n), Plain(per)),
        }
    }
}

/// A penalty's reason: what was counted, what it took off and where its cap held it.
fn penalty_line<W: Write + ?Sized>(
    result: &CriterionResult<'_>,
    points: Plain,
    out: &mut W,
) -> fmt::Result {
    let Some(Rule::Deduction { per, cap }) = result.criterion.rule() else {
        return Ok(());
    };
    let counted = match (result.status(), result.value()) {
        (Status::Scored, Some(Value::Bool(yes))) => Some((Counted::Answer(yes), *per, yes)),
        (Status::Scored, Some(Value::Number(n))) => Some((
            Counted::Times(n, *per),
            per.checked_mul(n).unwrap_or(Decimal::MAX),
            !n.is_zero(),
        )),
        _ => None,
    };
    match counted {
        Some((what, raw, _)) if raw > *cap => {
            write!(out, "{what}, at most {}: {points}", Plain(*cap))
        }
        Some((what, _, true)) => write!(out, "{what}: {points}"),
        Some((what, _, false)) => write!(out, "{what}: nothing taken off"),
        None if result.status() == Status::Missing => write!(
            out,
            "no value for `{}`: nothing taken off (missing)",
            result.indicator().id
        ),
        None => out.write_str("not applicable: nothing taken off"),
    }
}

fn describe_rule<W: Write + ?Sized>(rule: &Rule, out: &mut W) -> fmt::Result {
    match rule {
        Rule::Threshold { .. } => out.write_str("threshold"),
        Rule::Proportional(posts) => {
            let (floor, full_at) = (posts.floor(), posts.full_at());
            if floor.is_zero() && full_at == Decimal::ONE_HUNDRED {
                out.write_str("proportional (rate × max)")
            } else {
                write!(
                    out,
                    "proportional from {} to {}",
                    Plain(floor),
                    Plain(full_at)
                )
            }
        }
        Rule::Bands(_) => out.write_str("bands"),
        Rule::Boolean => out.write_str("yes/no"),
        Rule::Given => out.write_str("given points"),
        Rule::Deduction { per, cap } => {
            write!(
                out,
                "deduction {} each, at most {}",
                Plain(*per),
                Plain(*cap)
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
        let sections = [
            ("+ bonus", bonus, scheme.bonus()),
            ("− penalties", penalty, scheme.penalties()),
        ];
        for (name, figure, section) in sections {
            if let (Some(figure), Some((_, cap))) = (figure, section) {
                let (figure, cap) = (show(figure, places), cap.normalize());
                write!(line, " {name} {figure} (at most {cap})").ok();
            }
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
        let (unit, id, version) = (&self.unit, scheme.id(), scheme.version());
        writeln!(out, "{unit}{period} — {id} {version}").ok();
        if scheme.estimated() {
            writeln!(out, "ESTIMATED scheme: points are not official.").ok();
        }
        let index = self
            .index_rounded()
            .map_or("n/a".to_string(), |i| i.to_string());
        let grade = self.grade().map_or("-", |g| g.name.as_str());
        let (points, max) = (show(self.points, places), show(self.max_points, places));
        writeln!(
            out,
            "points {points} of {max}, index {index}, grade {grade}"
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
            let (code, title) = (c.code(), c.title());
            write!(out, "{mark} {code} {title}: ").ok();
            c.write_explanation(&mut out).ok();
            out.push('\n');
        }
        let recoverable = self.recoverable();
        if !recoverable.is_empty() {
            writeln!(out, "recoverable points, largest first:").ok();
            for r in recoverable {
                let (code, title) = (r.criterion.code(), r.criterion.title());
                writeln!(out, "  +{} {code} {title}", show(r.points, places)).ok();
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    use super::{Plain, show};

    /// Any decimal: a 96-bit mantissa of either sign, at any scale.
    fn decimal() -> impl Strategy<Value = Decimal> {
        let mantissa = prop_oneof![
            -1_000_000i128..1_000_000,
            any::<i64>().prop_map(i128::from),
            (-(1i128 << 96) + 1)..(1i128 << 96),
            Just((1i128 << 96) - 1),
            Just(-(1i128 << 96) + 1),
        ];
        (mantissa, 0u32..=28).prop_map(|(m, scale)| Decimal::from_i128_with_scale(m, scale))
    }

    #[test]
    fn plain_decimals_are_what_normalize_prints() {
        for text in [
            "0", "-0", "0.000", "-0.0001", "100", "100.00", "99.9876", "1e-28",
        ] {
            let d: Decimal = text
                .parse()
                .unwrap_or_else(|_| Decimal::from_scientific(text).unwrap());
            assert_eq!(Plain(d).to_string(), d.normalize().to_string(), "{text}");
        }
    }

    proptest! {
        #[test]
        fn any_decimal_is_written_as_normalize_prints_it(d in decimal()) {
            prop_assert_eq!(Plain(d).to_string(), d.normalize().to_string());
        }

        #[test]
        fn any_decimal_is_rounded_as_round_dp_prints_it(d in decimal(), places in 0u32..=28) {
            prop_assert_eq!(
                show(d, places).to_string(),
                d.round_dp(places).normalize().to_string()
            );
        }
    }
}
