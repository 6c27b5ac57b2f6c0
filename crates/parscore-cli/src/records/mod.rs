//! Dossier records: files read row by row (CSV, Excel, Parquet, Arrow IPC) into the core's
//! [`Summarizer`], and the bad ones reported where a person finds them.
//!
//! Nothing holds a file whole: CSV is parsed in chunks on one thread while another reads the
//! rows into records, Excel cells stream from the sheet's XML, Parquet and Arrow arrive in
//! record batches (Parquet's row groups split across threads, each with its own summarizer,
//! merged in order). Memory grows with units × periods, never with records.
//!
//! Rows: the core numbers records from 1 in each file (the header not counted, blank rows
//! skipped). Across several files a record's row runs on from the previous file's last, so
//! that every bad record is one row of one file; [`Sources`] turns it back into the file, its
//! row there, and the line (CSV) or sheet row (Excel) a person sees.

mod arrow;
mod csv;
mod format;
mod render;
mod source;
mod xlsx;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use parscore_records::limits::MAX_PERIODS;
use parscore_records::{
    BadRecord, Calendar, Date, PeriodKind, Profile, RecordError, RecordSummary, ResolvedBy,
    RowReader, Summarizer, SummaryOptions,
};

pub use format::RecordFormat;
pub use render::{bad_report, records_json, render_summary, summary_json};
pub use source::Sources;

use crate::cli::{RecordsArgs, ResolvedByArg};
use crate::fail::Failure;

/// How records are to be read and summarised: what the command line asked for.
pub struct Request<'a> {
    pub files: &'a [PathBuf],
    pub args: &'a RecordsArgs,
    pub sheet: Option<&'a str>,
    pub strict: bool,
}

/// The summary of every file, with where its rows came from.
pub struct Summarized {
    pub summary: RecordSummary,
    pub sources: Sources,
}

impl Summarized {
    /// The files, for a person: `a.csv`, or `a.csv, b.csv`.
    pub fn files_label(&self) -> String {
        self.sources.labels().join(", ")
    }
}

/// Reads every file in order and summarises its records.
pub fn summarize(request: &Request<'_>) -> Result<Summarized, Failure> {
    let started = Instant::now();
    let setup = Setup::new(request)?;
    let mut ingest = Ingest {
        setup: &setup,
        summarizer: Summarizer::new(setup.options, setup.calendar.clone()),
        sources: Sources::default(),
    };
    for path in request.files {
        let result = read_file(&mut ingest, path, request.sheet);
        if let Err(stop) = result {
            return Err(stop.into_failure(&ingest.sources));
        }
    }
    let Ingest {
        summarizer,
        sources,
        ..
    } = ingest;
    let mut summary = summarizer.finish().map_err(|error| match error {
        RecordError::Calendar { .. } => Failure::Records(format!(
            "{error}; give the year with --calendar FILE (see docs/records.md)"
        )),
        RecordError::TooManyPeriods {
            periods,
            first,
            last,
            row,
            received,
        } => Failure::Records(format!(
            "the records span {periods} periods, from {first} to {last}, and a summary spans \
             at most {MAX_PERIODS}: the earliest is {}, received {received}; summarise by \
             quarter or year (--period), count a range of dates (--period FROM..TO), or check \
             that record's dates",
            sources.place_of(row)
        )),
        other => Failure::Records(other.to_string()),
    })?;
    sources.fill_summary_ids(&mut summary);
    if request.args.stats {
        print_stats(&summary, started.elapsed());
    }
    Ok(Summarized { summary, sources })
}

/// The profile, calendar and options every file is read with.
pub(crate) struct Setup {
    pub profile: Profile,
    pub calendar: Calendar,
    pub options: SummaryOptions,
    pub threads: usize,
}

impl Setup {
    fn new(request: &Request<'_>) -> Result<Setup, Failure> {
        let args = request.args;
        let profile = match &args.profile {
            None => Profile::builtin(),
            Some(path) => {
                let text = read_text(path)?;
                Profile::from_toml(&text)
                    .map_err(|e| Failure::read(path.display().to_string(), e))?
            }
        };
        let mut calendar = Calendar::vietnam();
        for path in &args.calendar {
            let text = read_text(path)?;
            calendar = calendar
                .with_toml(&text)
                .map_err(|e| Failure::read(path.display().to_string(), e))?;
        }
        let period = match &args.period {
            None => PeriodKind::Year,
            Some(text) => {
                PeriodKind::parse(text).map_err(|e| Failure::Usage(format!("--period: {e}")))?
            }
        };
        let as_of = args
            .as_of
            .as_deref()
            .map(|text| Date::parse(text).map_err(|e| Failure::Usage(format!("--as-of: date {e}"))))
            .transpose()?;
        // Dates far outside any report are refused before any record is read.
        let alone = [
            (
                "--as-of",
                SummaryOptions {
                    as_of,
                    ..SummaryOptions::default()
                },
            ),
            (
                "--period",
                SummaryOptions {
                    period,
                    ..SummaryOptions::default()
                },
            ),
        ];
        for (option, options) in alone {
            options
                .check()
                .map_err(|e| Failure::Usage(format!("{option}: {e}")))?;
        }
        let threads = match args.threads {
            Some(0) => return Err(Failure::Usage("--threads: give 1 or more".into())),
            Some(n) => n,
            None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        };
        Ok(Setup {
            profile,
            calendar,
            options: SummaryOptions {
                period,
                by_sub_unit: args.by_sub_unit,
                resolved_by: match args.resolved_by {
                    None | Some(ResolvedByArg::Completed) => ResolvedBy::Completed,
                    Some(ResolvedByArg::Received) => ResolvedBy::Received,
                },
                as_of,
                strict: request.strict,
                ..SummaryOptions::default()
            },
            threads,
        })
    }

    /// The profile matched to a file's header; a header it does not fit stops the run.
    pub fn reader<S: AsRef<str>>(&self, label: &str, header: &[S]) -> Result<RowReader, Stop> {
        self.profile
            .reader(header)
            .map_err(|e| Stop::Failure(Failure::read(label, e)))
    }
}

fn read_text(path: &Path) -> Result<String, Failure> {
    std::fs::read_to_string(path).map_err(|e| Failure::read(path.display().to_string(), e))
}

/// What reading a file feeds: the summary so far and where its rows came from.
pub(crate) struct Ingest<'s> {
    pub setup: &'s Setup,
    pub summarizer: Summarizer,
    pub sources: Sources,
}

/// Why reading stopped: a failure, or a bad record in strict mode (reported with its place
/// once the sources know it).
pub(crate) enum Stop {
    Failure(Failure),
    Bad(BadRecord),
}

impl From<Failure> for Stop {
    fn from(failure: Failure) -> Stop {
        Stop::Failure(failure)
    }
}

impl Stop {
    /// The summarizer's error when a record is pushed: only strict mode has one.
    pub fn from_record(error: RecordError) -> Stop {
        match error {
            RecordError::Bad(bad) => Stop::Bad(bad),
            other => Stop::Failure(Failure::Records(other.to_string())),
        }
    }

    fn into_failure(self, sources: &Sources) -> Failure {
        match self {
            Stop::Failure(failure) => failure,
            Stop::Bad(mut bad) => {
                sources.fill_ids([&mut bad]);
                Failure::Records(format!(
                    "{} (--strict: the first bad record stops the run)",
                    sources.describe(&bad)
                ))
            }
        }
    }
}

fn read_file(ingest: &mut Ingest<'_>, path: &Path, sheet: Option<&str>) -> Result<(), Stop> {
    if path.as_os_str() == "-" {
        let label = "<stdin>".to_string();
        return csv::read(ingest, &label, Box::new(std::io::stdin()));
    }
    let label = path.display().to_string();
    let mut file = std::fs::File::open(path).map_err(|e| Failure::read(&label, e))?;
    let mut magic = [0u8; 8];
    let mut filled = 0;
    while filled < magic.len() {
        match file.read(&mut magic[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) => return Err(Failure::read(&label, e).into()),
        }
    }
    let format = RecordFormat::guess(path, &magic[..filled]);
    drop(file);
    match format {
        RecordFormat::Csv => {
            let file = std::fs::File::open(path).map_err(|e| Failure::read(&label, e))?;
            csv::read(ingest, &label, Box::new(file))
        }
        RecordFormat::Excel => xlsx::read(ingest, &label, path, sheet),
        RecordFormat::Parquet => arrow::read_parquet(ingest, &label, path),
        RecordFormat::ArrowFile | RecordFormat::ArrowStream => {
            arrow::read_ipc(ingest, &label, path, format)
        }
    }
}

/// `--stats`: records, time, rate and peak memory, for benchmarks.
fn print_stats(summary: &RecordSummary, elapsed: Duration) {
    let seconds = elapsed.as_secs_f64();
    let rate = if seconds > 0.0 {
        summary.records as f64 / seconds
    } else {
        0.0
    };
    let peak = peak_memory_kib()
        .map(|kib| format!("{:.1} MiB", kib as f64 / 1024.0))
        .unwrap_or_else(|| "unknown".into());
    eprintln!(
        "parscore: stats: {} records ({} counted, {} bad) in {seconds:.3} s, {rate:.0} records/s, peak memory {peak}",
        summary.records, summary.counted, summary.bad.total
    );
}

/// The peak resident memory of this process (Linux: `VmHWM`), in KiB.
fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
