//! Targets: the comparisons a plan sets on an indicator (`>= 99`, `== 0`, `<= @quota`).

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;

use crate::num::exact::parse_exact;

/// A comparison operator of a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    /// `>=`: at least the target; margin `value − target`.
    Ge,
    /// `>`: above the target; margin `value − target`.
    Gt,
    /// `<=`: at most the target; margin `target − value`.
    Le,
    /// `<`: below the target; margin `target − value`.
    Lt,
    /// `==`: exactly the target; margin `−|value − target|`, so 0 when met.
    Eq,
    /// `!=`: anything but the target; margin `|value − target|`.
    Ne,
}

impl Op {
    /// The operator as a target writes it: `>=`, `>`, `<=`, `<`, `==` or `!=`.
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Ge => ">=",
            Op::Gt => ">",
            Op::Le => "<=",
            Op::Lt => "<",
            Op::Eq => "==",
            Op::Ne => "!=",
        }
    }

    /// Whether a value that compares with the target as `ordering` meets it.
    #[inline]
    pub fn holds(self, ordering: Ordering) -> bool {
        match self {
            Op::Ge => ordering != Ordering::Less,
            Op::Gt => ordering == Ordering::Greater,
            Op::Le => ordering != Ordering::Greater,
            Op::Lt => ordering == Ordering::Less,
            Op::Eq => ordering == Ordering::Equal,
            Op::Ne => ordering != Ordering::Equal,
        }
    }
}

/// The right-hand side of a target.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Rhs {
    /// A number, in the indicator's unit (`>= 99` for 99%); only for a numeric indicator.
    /// A trailing `%` is read as on a cell: accepted on a `percent` indicator only.
    Number(Decimal),
    /// `true` or `false`, compared with `==` or `!=`; only for a `bool` indicator.
    Bool(bool),
    /// Another indicator of the same unit, e.g. the province-wide disbursement rate.
    Indicator(String),
}

/// A target such as `>= 99`, `== true` or `<= @staff_quota`.
///
/// ```
/// use parscore::{Op, Rhs, Target};
/// let t: Target = ">= @province_rate".parse()?;
/// assert_eq!(t.op, Op::Ge);
/// assert_eq!(t.rhs, Rhs::Indicator("province_rate".into()));
/// assert_eq!(t.to_string(), ">= @province_rate");
/// # Ok::<(), String>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Target {
    /// The comparison.
    pub op: Op,
    /// What the value is compared with.
    pub rhs: Rhs,
}

impl FromStr for Target {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let (op, rest) = [
            (">=", Op::Ge),
            ("<=", Op::Le),
            ("==", Op::Eq),
            ("!=", Op::Ne),
            (">", Op::Gt),
            ("<", Op::Lt),
        ]
        .into_iter()
        .find_map(|(symbol, op)| text.strip_prefix(symbol).map(|rest| (op, rest.trim())))
        .ok_or_else(|| {
            format!("`{text}` does not start with an operator (>=, >, <=, <, ==, !=)")
        })?;
        let rhs = if let Some(id) = rest.strip_prefix('@') {
            if id.is_empty() || !id.chars().all(|c| c.is_alphanumeric() || c == '_') {
                return Err(format!("`@{id}` is not an indicator id"));
            }
            Rhs::Indicator(id.to_string())
        } else {
            match rest {
                "true" => Rhs::Bool(true),
                "false" => Rhs::Bool(false),
                _ => {
                    // Exact or refused, as every scheme number.
                    let number = rest.strip_suffix('%').unwrap_or(rest).trim();
                    Rhs::Number(parse_exact(number).ok_or_else(|| {
                        format!("`{rest}` is not a number, a bool or @indicator that can be held exactly")
                    })?)
                }
            }
        };
        if matches!(rhs, Rhs::Bool(_)) && !matches!(op, Op::Eq | Op::Ne) {
            return Err(format!(
                "a bool can only be compared with == or !=, not {}",
                op.symbol()
            ));
        }
        Ok(Target { op, rhs })
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ", self.op.symbol())?;
        match &self.rhs {
            Rhs::Number(d) => write!(f, "{}", d.normalize()),
            Rhs::Bool(b) => write!(f, "{b}"),
            Rhs::Indicator(id) => write!(f, "@{id}"),
        }
    }
}

/// The signed distance of `value` from `target` on the passing side of `op`.
pub(crate) fn margin(op: Op, value: Decimal, target: Decimal) -> Decimal {
    let difference = value.saturating_sub(target);
    match op {
        Op::Ge | Op::Gt => difference,
        Op::Le | Op::Lt => -difference,
        Op::Eq => -difference.abs(),
        Op::Ne => difference.abs(),
    }
    .normalize()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::num::fraction::Fraction;
    use rust_decimal::dec;

    #[test]
    fn margin_is_on_the_passing_side() {
        assert_eq!(margin(Op::Ge, dec!(98.7), dec!(99)), dec!(-0.3));
        assert_eq!(margin(Op::Le, dec!(98.7), dec!(99)), dec!(0.3));
        assert_eq!(margin(Op::Eq, dec!(2), dec!(0)), dec!(-2));
        let (v, t) = (Fraction::whole(dec!(98.7)), Fraction::whole(dec!(99)));
        assert!(!Op::Ge.holds(v.cmp_exact(t)));
        assert!(Op::Le.holds(v.cmp_exact(t)));
    }
}
