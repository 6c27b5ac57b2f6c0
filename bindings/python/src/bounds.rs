//! The promise that points never leave `[0, max]`, checked where results leave the core:
//! a unit whose figures break it (an arithmetic bug, a value the core could not hold) is an
//! error of its own row naming the criterion, never a false grade handed on.

use parscore::{Decimal, Evaluation, Figures, InputError, Scheme};

/// The error of the first criterion (or the total) of an evaluation outside its bounds;
/// `row` is the evaluation's row (1-based), for a total.
pub fn check(evaluation: &Evaluation, row: usize) -> Result<(), InputError> {
    for c in evaluation.criteria() {
        if c.points() > c.max_points() {
            return Err(above(
                c.code(),
                &c.indicator().id,
                c.points(),
                c.max_points(),
            ));
        }
    }
    let (points, max) = (evaluation.points(), evaluation.max_points());
    if below_zero(points) || points > max {
        return Err(InputError::Row {
            row,
            reason: outside(points, max),
        });
    }
    Ok(())
}

fn below_zero(points: Decimal) -> bool {
    points.is_sign_negative() && !points.is_zero()
}

/// Rows (0-based) of a columnar run whose figures leave their bounds, with their errors.
pub fn out_of_bounds(scheme: &Scheme, figures: &Figures) -> Vec<(usize, InputError)> {
    let mut found = Vec::new();
    let leaves: Vec<_> = scheme.leaves().collect();
    for row in 0..figures.len() {
        if figures.error(row).is_some() {
            continue;
        }
        let (points, max) = (figures.points[row], figures.max_points[row]);
        let leaf = figures
            .criteria
            .iter()
            .zip(&leaves)
            .find_map(|(column, leaf)| {
                let p = column.get(row)?;
                (p > leaf.max_points).then_some((leaf, p))
            });
        if let Some((leaf, p)) = leaf {
            let indicator = leaf_indicator(scheme, &leaf.code);
            found.push((row, above(&leaf.code, &indicator, p, leaf.max_points)));
        } else if below_zero(points) || points > max {
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
    found
}

/// The indicator a leaf scores, found through an evaluation of nothing (the compiled
/// criterion keeps only its slot).
fn leaf_indicator(scheme: &Scheme, code: &str) -> String {
    let inputs = scheme.inputs("", None);
    scheme
        .evaluate(&inputs, &parscore::Options::default())
        .ok()
        .and_then(|e| e.criterion(code).map(|c| c.indicator().id.clone()))
        .unwrap_or_default()
}

fn above(code: &str, indicator: &str, points: Decimal, max: Decimal) -> InputError {
    InputError::Rule {
        code: code.to_string(),
        indicator: indicator.to_string(),
        reason: format!(
            "{} points are more than the criterion's {}: the value cannot be scored exactly \
             (an internal error; please report it)",
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
