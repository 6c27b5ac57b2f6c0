//! `parscore explain`: one unit's criteria, why each has its points, and what is recoverable.

use crate::cli::{ExplainArgs, ExplainFormat};
use crate::commands::{Done, evaluate_inputs};
use crate::fail::Failure;
use crate::{input, output};

pub fn run(args: &ExplainArgs) -> Result<Done, Failure> {
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
    match args.format {
        ExplainFormat::Json => {
            output::to_stdout(output::json_text(&run.result_json(i)).as_bytes())?;
        }
        ExplainFormat::Text => {
            if let Ok(evaluation) = &result.outcome {
                let mut text = evaluation.explain();
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
