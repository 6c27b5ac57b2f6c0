//! `parscore`: scores PAR Index targets for many units and periods, from CSV, JSON or Excel
//! inputs, and writes tables, CSV, JSON, Markdown, HTML or Excel reports; counts the dossier
//! records of one-stop-shop exports (CSV, Excel, Parquet, Arrow) into indicators.
//!
//! Standard output carries only the result; messages go to standard error. Exit status: 0
//! when every row was scored (every record counted), 1 when some rows have errors or some
//! records are bad, 2 when nothing could be done (bad scheme, bad usage, unreadable input,
//! an internal error), 130 when interrupted.

fn main() -> std::process::ExitCode {
    parscore_cli::main()
}
