//! `parscore schemes`: the built-in schemes.

use comfy_table::{Table, presets};
use parscore::Scheme;
use serde_json::json;

use crate::cli::{ListFormat, SchemesArgs};
use crate::commands::Done;
use crate::fail::Failure;
use crate::output;

pub fn run(args: &SchemesArgs) -> Result<Done, Failure> {
    let mut schemes = Vec::new();
    for id in parscore::builtin_ids() {
        let scheme = Scheme::builtin(id).map_err(|error| Failure::Scheme {
            file: format!("built-in scheme {id}"),
            error,
        })?;
        schemes.push(scheme);
    }
    let text = match args.format {
        ListFormat::Json => output::json_text(&json!(
            schemes
                .iter()
                .map(|s| json!({
                    "id": s.id(),
                    "title": s.title(),
                    "version": s.version(),
                    "estimated": s.estimated(),
                }))
                .collect::<Vec<_>>()
        )),
        ListFormat::Table => {
            let mut table = Table::new();
            table.load_preset(presets::NOTHING);
            table.set_header(["id", "version", "points", "title"]);
            for s in &schemes {
                table.add_row([
                    s.id(),
                    s.version(),
                    if s.estimated() {
                        "estimated"
                    } else {
                        "official"
                    },
                    s.title(),
                ]);
            }
            // The preset pads every line with a space on both sides; a list reads better
            // flush left.
            table
                .lines()
                .map(|line| format!("{}\n", line.trim()))
                .collect()
        }
    };
    output::to_stdout(text.as_bytes())?;
    Ok(Done::Clean)
}
