//! Binary outputs (Excel workbooks) go to a file or a pipe: written to a terminal they are
//! noise that can upset it.

use std::io::IsTerminal;
use std::path::Path;

use crate::fail::Failure;

/// Refuses, before any work, a workbook bound for standard output when that is a terminal.
pub fn needs_file(output: Option<&Path>, example: &str) -> Result<(), Failure> {
    if output.is_none() && std::io::stdout().is_terminal() {
        return Err(Failure::Usage(format!(
            "an Excel workbook is binary: write it to a file with --output {example}"
        )));
    }
    Ok(())
}
