//! `parscore template`: the workbook a department fills in for a scheme, which `evaluate`
//! reads back filled in.

use std::path::Path;

use parscore_workbook::{Layout, TemplateOptions, write_template};

use super::scheme_source;
use crate::cli::TemplateArgs;
use crate::commands::Done;
use crate::fail::Failure;
use crate::input::{period_name, unit_name};
use crate::output::{self, Destination, Protected};

pub fn run(args: &TemplateArgs) -> Result<Done, Failure> {
    let options = options(args)?;
    let output = args.output.as_deref();
    if let Some(path) = output
        && let Some(extension) = path.extension().and_then(|e| e.to_str())
        && !extension.eq_ignore_ascii_case("xlsx")
    {
        return Err(Failure::Usage(format!(
            "a template is an Excel workbook: name it .xlsx, not `{}`",
            path.display()
        )));
    }
    output::binary::needs_file(output, "nhap-lieu.xlsx")?;
    let destination = Destination::open(
        output,
        &[Protected::new(Path::new(&args.scheme), "the scheme")],
    )?;
    let scheme = scheme_source::load(&args.scheme)?;
    let bytes = write_template(&scheme, &options).map_err(|e| Failure::Write {
        target: output.map_or_else(|| "the template".into(), |p| p.display().to_string()),
        error: std::io::Error::other(e),
    })?;
    destination.write(&bytes)?;
    Ok(Done::Clean)
}

/// The layout, units and period asked for, in the form the inputs are read in; a unit
/// named twice is refused, as its rows would be.
fn options(args: &TemplateArgs) -> Result<TemplateOptions, Failure> {
    let mut units: Vec<String> = Vec::with_capacity(args.units.len());
    for unit in &args.units {
        let unit = unit_name(unit);
        if unit.is_empty() {
            return Err(Failure::Usage(
                "--units names an empty unit: separate the names with single commas".into(),
            ));
        }
        if units.contains(&unit) {
            return Err(Failure::Usage(format!("--units names `{unit}` twice")));
        }
        units.push(unit);
    }
    Ok(TemplateOptions {
        layout: if args.per_unit {
            Layout::PerUnit
        } else {
            Layout::Table
        },
        units,
        period: args
            .period
            .as_deref()
            .map(period_name)
            .filter(|p| !p.is_empty()),
    })
}
