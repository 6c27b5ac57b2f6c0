//! One module per command. Each returns how the run went, or the failure that stopped it.

pub mod evaluate;
pub mod explain;
pub mod scheme;
pub mod schemes;

use crate::cli::InputArgs;
use crate::fail::Failure;
use crate::input::{self, ReadOptions};
use crate::run::{Run, RunOptions};
use crate::scheme_source;

/// How a command that ran to the end went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Done {
    /// Everything asked for was done: exit 0.
    Clean,
    /// Some rows have errors; the others were scored: exit 1.
    RowErrors,
}

/// Loads the scheme, reads the inputs and scores them.
pub fn evaluate_inputs(args: &InputArgs) -> Result<Run, Failure> {
    let scheme = scheme_source::load(&args.scheme)?;
    let rows = input::read_all(
        &args.inputs,
        &ReadOptions {
            format: args.input_format,
            sheet: args.sheet.clone(),
        },
    )?;
    if rows.is_empty() {
        eprintln!("parscore: warning: the inputs hold no rows");
    }
    let run = Run::evaluate(
        &scheme,
        rows,
        RunOptions {
            strict: args.strict,
            ignore_unknown: args.ignore_unknown,
        },
    );
    Ok(run)
}
