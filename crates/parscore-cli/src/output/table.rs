//! The terminal table: one line per unit, a summary line, then the bad rows with their place.

use comfy_table::{CellAlignment, ContentArrangement, Table, presets};

use super::figures;
use crate::run::Run;

pub fn render(run: &Run, width: Option<u16>) -> String {
    let batch = &run.batch;
    let scheme = &batch.scheme;
    let with_period = batch.results.iter().any(|r| r.period.is_some());
    let mut table = Table::new();
    table.load_preset(presets::UTF8_FULL_CONDENSED);
    if let Some(width) = width {
        table
            .set_width(width)
            .set_content_arrangement(ContentArrangement::Dynamic);
    }
    let mut header = vec!["rank", "unit"];
    if with_period {
        header.push("period");
    }
    header.extend(["points", "max", "index", "grade", "status"]);
    table.set_header(header.clone());
    for result in &batch.results {
        let mut line = vec![
            result.rank.map_or_else(|| "-".into(), |r| r.to_string()),
            result.unit.clone().unwrap_or_else(|| "?".into()),
        ];
        if with_period {
            line.push(result.period.clone().unwrap_or_default());
        }
        match &result.outcome {
            Ok(evaluation) => line.extend([
                figures::points(scheme, evaluation.points()),
                figures::points(scheme, evaluation.max_points()),
                figures::index(evaluation),
                figures::grade(evaluation).to_string(),
                "ok".into(),
            ]),
            Err(_) => line.extend(["", "", "", "", "error"].map(String::from)),
        }
        table.add_row(line);
    }
    for (i, name) in header.iter().enumerate() {
        if matches!(*name, "rank" | "points" | "max" | "index")
            && let Some(column) = table.column_mut(i)
        {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }

    let mut out = format!(
        "{} {} — {}{}\n",
        scheme.id(),
        scheme.version(),
        scheme.title(),
        if scheme.estimated() {
            " (ESTIMATED points, not official)"
        } else {
            ""
        }
    );
    out.push_str(&table.to_string());
    out.push('\n');
    let summary = batch.summary();
    out.push_str(&format!(
        "{} units: {} ok, {} with errors",
        summary.units, summary.ok, summary.errors
    ));
    if let Some(mean) = summary.mean_index {
        out.push_str(&format!("; mean index {mean}"));
    }
    let grades: Vec<String> = summary
        .grades
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(name, n)| format!("{name} {n}"))
        .collect();
    if !grades.is_empty() {
        out.push_str(&format!("; {}", grades.join(", ")));
    }
    out.push('\n');
    let errors: Vec<(usize, String)> = run.errors().collect();
    if !errors.is_empty() {
        out.push_str("errors:\n");
        for (_, line) in errors {
            out.push_str(&format!("  {line}\n"));
        }
    }
    out
}
