//! Scores the example units of `examples/data/units-2024.json` on the built-in 2024 plan and
//! explains the first one: what passed, what failed by how much, and what to fix first.
//!
//! Run: `cargo run -p parscore --example evaluate_plan [FILE.json]`

use std::error::Error;

use parscore::{Options, Scheme, rows_from_json};

fn main() -> Result<(), Box<dyn Error>> {
    let path = std::env::args().nth(1).unwrap_or_else(|| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../examples/data/units-2024.json"
        )
        .into()
    });
    let text = std::fs::read_to_string(&path)?;
    let scheme = Scheme::builtin("lang-son-snn-2024")?;

    let rows = rows_from_json(&text)?;
    let inputs = rows.iter().map(|row| scheme.inputs_from_row(row, false));
    let batch = scheme.evaluate_batch(inputs, &Options::default());

    println!(
        "{:<4} {:<30} {:>8} {:>8}  grade",
        "rank", "unit", "points", "index"
    );
    for result in &batch.results {
        let unit = result.unit.as_deref().unwrap_or("?");
        match &result.outcome {
            Ok(evaluation) => println!(
                "{:<4} {:<30} {:>8} {:>8}  {}",
                result.rank.map_or("-".into(), |r| r.to_string()),
                unit,
                scheme.rounding().round(evaluation.points()),
                evaluation
                    .index_rounded()
                    .map_or("n/a".into(), |i| i.to_string()),
                evaluation.grade().map_or("-", |g| &g.name),
            ),
            Err(error) => println!("{:<4} {unit:<30} error: {error}", "-"),
        }
    }

    if let Some(Ok(first)) = batch.results.first().map(|r| &r.outcome) {
        println!();
        print!("{}", first.explain());
    }
    Ok(())
}
