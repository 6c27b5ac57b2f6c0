//! The promise that points never leave `[0, max]`, checked where results leave the core:
//! a unit whose figures break it (an arithmetic bug, a value the core could not hold) is an
//! error of its own row naming the criterion, never a false grade handed on.
//!
//! A criterion's rounded points (`apply = "criterion"`) stay within its maximum too (the core
//! caps 0.6667 rounded to 0.67 at 0.6667). A deduction may take a leaf below 0 (into its
//! group); no other rule may.

use parscore::{Criterion, Decimal, Evaluation, InputError, Rule, Scheme};
use parscore_columnar::Figures;

/// The error of the first criterion (or the total) of an evaluation outside its bounds;
/// `row` is the evaluation's row (1-based), for a total.
pub fn check(evaluation: &Evaluation, row: usize) -> Result<(), InputError> {
    // The total may pass the content's maximum by the bonus criteria's points, never by more
    // than every criterion's maximum together.
    let mut ceiling = Decimal::ZERO;
    for c in evaluation.criteria() {
        ceiling += c.max_points();
        if outside_leaf(c.criterion(), c.points(), c.max_points()) {
            return Err(beyond(
                c.code(),
                &c.indicator().id,
                c.points(),
                c.max_points(),
            ));
        }
    }
    let (points, max) = (evaluation.points(), evaluation.max_points());
    if below_zero(points) || points > max.max(ceiling) {
        return Err(InputError::Row {
            row,
            reason: outside(points, max),
        });
    }
    Ok(())
}

/// Rows (0-based) of a columnar run whose figures leave their bounds, with their errors: the
/// first criterion (in scheme order) outside its bounds, else the total.
pub fn out_of_bounds(scheme: &Scheme, figures: &Figures) -> Vec<(usize, InputError)> {
    // Each criterion's column is read down its rows as the integers it holds, compared with
    // the criterion's maximum in the column's units where that is a whole number of them
    // (a decimal made of every cell cost more than the scoring).
    let mut leaves_outside: Vec<(usize, usize, Decimal)> = Vec::new();
    for (i, (column, leaf)) in figures.criteria.iter().zip(scheme.leaves()).enumerate() {
        let deduction = matches!(leaf.rule(), Some(Rule::Deduction { .. }));
        let max = leaf.max_points;
        let limit = (column.scale().checked_sub(max.scale()))
            .and_then(|up| 10i128.checked_pow(up))
            .and_then(|up| max.mantissa().checked_mul(up));
        for (row, &units) in column.mantissas().iter().enumerate() {
            let out = match limit {
                Some(limit) => units > limit || (!deduction && units < 0),
                None => column
                    .get(row)
                    .is_some_and(|points| outside_leaf(leaf, points, max)),
            };
            if out && figures.error(row).is_none() {
                leaves_outside.push((row, i, column.get(row).unwrap_or_default()));
            }
        }
    }
    // The first criterion of each row.
    leaves_outside.sort_unstable_by_key(|&(row, leaf, _)| (row, leaf));
    leaves_outside.dedup_by_key(|&mut (row, _, _)| row);
    let leaves: Vec<&Criterion> = scheme.leaves().collect();
    let mut found: Vec<(usize, InputError)> = leaves_outside
        .into_iter()
        .map(|(row, leaf, points)| {
            let leaf = leaves[leaf];
            let indicator = leaf_indicator(scheme, &leaf.code);
            (row, beyond(&leaf.code, &indicator, points, leaf.max_points))
        })
        .collect();
    let by_leaf = found.len();
    for row in 0..figures.len() {
        let (points, max) = (figures.points[row], figures.max_points[row]);
        if (below_zero(points) || points > max)
            && figures.error(row).is_none()
            && found[..by_leaf]
                .binary_search_by_key(&row, |(r, _)| *r)
                .is_err()
        {
            let reason = outside(points, max);
            found.push((
                row,
                InputError::Row {
                    row: row + 1,
                    reason,
                },
            ));
        }
    }
    found.sort_by_key(|(row, _)| *row);
    found
}

/// Whether a leaf's points leave its bounds.
fn outside_leaf(leaf: &Criterion, points: Decimal, max: Decimal) -> bool {
    let deduction = matches!(leaf.rule(), Some(Rule::Deduction { .. }));
    points > max || (!deduction && below_zero(points))
}

fn below_zero(points: Decimal) -> bool {
    points.is_sign_negative() && !points.is_zero()
}

/// The indicator a leaf scores, found through an evaluation of nothing (the compiled
/// criterion keeps only its slot); only a failing row asks.
fn leaf_indicator(scheme: &Scheme, code: &str) -> String {
    let inputs = scheme.inputs("", None);
    scheme
        .evaluate(&inputs, &parscore::Options::default())
        .ok()
        .and_then(|e| e.criterion(code).map(|c| c.indicator().id.clone()))
        .unwrap_or_default()
}

fn beyond(code: &str, indicator: &str, points: Decimal, max: Decimal) -> InputError {
    InputError::Rule {
        code: code.to_string(),
        indicator: indicator.to_string(),
        reason: format!(
            "{} points lie outside the criterion's [0, {}]: the value cannot be scored \
             exactly (an internal error; please report it)",
            points.normalize(),
            max.normalize()
        ),
    }
}

fn outside(points: Decimal, max: Decimal) -> String {
    format!(
        "{} points lie outside [0, {}]: an internal error; please report it",
        points.normalize(),
        max.normalize()
    )
}
