//! The inputs of a streamed run, opened once and read once per pass, chunk by chunk.
//!
//! CSV, Parquet and Arrow files are read again from the file on each pass, with a reading
//! thread a chunk ahead of the scoring; standard input is copied to a temporary file first,
//! since it cannot be read twice. JSON and Excel inputs are read whole when opened (as they
//! always were) and their rows kept as chunks for both passes. A file that changes between
//! the passes is refused rather than scored half old, half new.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::SystemTime;

use parscore::Scheme;

use crate::cli::InputFormat;
use crate::fail::Failure;
use crate::input::arrow_units::{ArrowChunks, ArrowFormat};
use crate::input::chunk::{CHUNK_ROWS, Chunk};
use crate::input::csv_stream::CsvChunks;
use crate::input::json_lines::{self, JsonLines};
use crate::input::{self, FileRows, ReadOptions, SourceRow, columns};

/// Chunks read ahead of the scoring.
const CHUNKS_AHEAD: usize = 1;

/// The inputs, in order: one batch.
pub struct Sources {
    inputs: Vec<Source>,
    scheme: Scheme,
    decimal: input::DecimalMark,
    ignore_unknown: bool,
    known: Vec<String>,
    chunk_rows: usize,
}

struct Source {
    label: String,
    kind: Kind,
    /// Rows read on the first pass, and the file's size and time then.
    rows: Option<usize>,
    stamp: Option<(u64, Option<SystemTime>)>,
}

enum Kind {
    Csv(Reopen),
    JsonLines(Reopen),
    Arrow(Reopen, ArrowFormat),
    /// Rows read whole when opened.
    Held(Vec<SourceRow>),
}

/// Where a file is read from again: its path, or the copy of standard input.
enum Reopen {
    Path(PathBuf),
    Spool(File),
}

impl Reopen {
    fn open(&self) -> io::Result<File> {
        match self {
            Reopen::Path(path) => File::open(path),
            Reopen::Spool(file) => {
                let mut file = file.try_clone()?;
                file.seek(SeekFrom::Start(0))?;
                Ok(file)
            }
        }
    }

    fn stamp(&self) -> Option<(u64, Option<SystemTime>)> {
        match self {
            Reopen::Path(path) => std::fs::metadata(path)
                .ok()
                .filter(|meta| meta.is_file())
                .map(|meta| (meta.len(), meta.modified().ok())),
            Reopen::Spool(_) => None,
        }
    }
}

impl Sources {
    /// Opens every input in order, reads the headers (and JSON and Excel inputs whole) and
    /// checks their columns against the scheme, as the inputs read whole always were:
    /// the first input that cannot be read stops the run, with what a whole reading would
    /// have found first.
    pub fn open(
        scheme: &Scheme,
        paths: &[PathBuf],
        options: &ReadOptions,
        ignore_unknown: bool,
    ) -> Result<Sources, Failure> {
        let mut sources = Sources::new(scheme, options.decimal, ignore_unknown);
        let mut files = Vec::new();
        let mut any_excel = false;
        for path in paths {
            let opened = sources.open_one(path, options, &mut any_excel);
            match opened {
                Ok((source, columns)) => {
                    files.push(columns);
                    sources.inputs.push(source);
                }
                Err(failure) => return Err(sources.first_failure().unwrap_or(failure)),
            }
        }
        if options.sheet.is_some() && !any_excel && !options.sheet_unused_ok {
            return Err(Failure::Usage(
                "--sheet applies to Excel inputs, and none was given".into(),
            ));
        }
        // Checked before any row is scored: a misspelt header is one mistake of the file,
        // not one of every row.
        match columns::check(scheme, &files, ignore_unknown) {
            Ok(ignored) => {
                for ignored in ignored {
                    eprintln!("parscore: warning: {ignored}");
                }
            }
            Err(failure) => return Err(sources.first_failure().unwrap_or(failure)),
        }
        Ok(sources)
    }

    /// Rows already read, scored as inputs of their own (rows joined to dossier records).
    pub fn held(
        scheme: &Scheme,
        label: &str,
        rows: Vec<SourceRow>,
        ignore_unknown: bool,
    ) -> Sources {
        let mut sources = Sources::new(scheme, input::DecimalMark::default(), ignore_unknown);
        sources.inputs.push(Source {
            label: label.to_string(),
            kind: Kind::Held(rows),
            rows: None,
            stamp: None,
        });
        sources
    }

    fn new(scheme: &Scheme, decimal: input::DecimalMark, ignore_unknown: bool) -> Sources {
        Sources {
            inputs: Vec::new(),
            scheme: scheme.clone(),
            decimal,
            ignore_unknown,
            known: scheme.indicators().iter().map(|i| i.id.clone()).collect(),
            chunk_rows: CHUNK_ROWS,
        }
    }

    /// Reads this many rows at a time instead of [`CHUNK_ROWS`] (tests cross chunks with
    /// few rows).
    pub fn with_chunk_rows(mut self, rows: usize) -> Sources {
        self.chunk_rows = rows.max(1);
        self
    }

    fn open_one(
        &mut self,
        path: &Path,
        options: &ReadOptions,
        any_excel: &mut bool,
    ) -> Result<(Source, FileRows), Failure> {
        let stdin = path.as_os_str() == "-";
        let label = if stdin {
            "<stdin>".to_string()
        } else {
            path.display().to_string()
        };
        let fail = |e: io::Error| Failure::read(&label, e);
        let reopen = if stdin {
            Reopen::Spool(spool_stdin().map_err(fail)?)
        } else {
            Reopen::Path(path.to_path_buf())
        };
        let mut magic = [0u8; 8];
        let read = read_prefix(&mut reopen.open().map_err(fail)?, &mut magic).map_err(fail)?;
        let format = options
            .format
            .unwrap_or_else(|| input::guess_format(path, &magic[..read]));
        let stamp = reopen.stamp();
        let (kind, columns) = match format {
            InputFormat::Csv => {
                let reader = CsvChunks::open(
                    &label,
                    Box::new(reopen.open().map_err(fail)?),
                    options.decimal,
                    &|name| self.known(name),
                )?;
                (Kind::Csv(reopen), reader.columns())
            }
            InputFormat::Parquet | InputFormat::Arrow => {
                let format = match format {
                    InputFormat::Parquet => ArrowFormat::Parquet,
                    _ => ArrowFormat::ipc(&magic[..read]),
                };
                let reader = ArrowChunks::open(
                    &label,
                    reopen.open().map_err(fail)?,
                    format,
                    options.decimal,
                    &|name| self.known(name),
                )?;
                (Kind::Arrow(reopen, format), reader.columns())
            }
            InputFormat::Json
                if json_lines::is_lines(&prefix(&reopen).map_err(fail)?) == Some(true) =>
            {
                (Kind::JsonLines(reopen), Vec::new())
            }
            InputFormat::Json | InputFormat::Xlsx => {
                *any_excel |= format == InputFormat::Xlsx;
                let mut bytes = Vec::new();
                reopen
                    .open()
                    .and_then(|mut file| file.read_to_end(&mut bytes))
                    .map_err(fail)?;
                let mut file = input::read_rows(&label, bytes, format, options)?;
                let rows = std::mem::take(&mut file.rows);
                (Kind::Held(rows), file.columns)
            }
        };
        let columns = FileRows {
            file: label.clone(),
            columns,
            rows: Vec::new(),
        };
        Ok((
            Source {
                label,
                kind,
                rows: None,
                stamp,
            },
            columns,
        ))
    }

    fn known(&self, name: &str) -> bool {
        self.known.iter().any(|id| id == name)
    }

    /// What a whole reading of the CSV inputs opened so far finds first that refuses one
    /// (text that is not UTF-8, a quote never closed), before anything opened after them.
    fn first_failure(&self) -> Option<Failure> {
        self.inputs.iter().find_map(|source| {
            let label = &source.label;
            let fail = |e: io::Error| Some(Failure::read(label, e));
            match &source.kind {
                Kind::Csv(reopen) => {
                    let file = match reopen.open() {
                        Ok(file) => file,
                        Err(e) => return fail(e),
                    };
                    let opened = CsvChunks::open(label, Box::new(file), self.decimal, &|_| false);
                    let mut reader = match opened {
                        Ok(reader) => reader,
                        Err(failure) => return Some(failure),
                    };
                    loop {
                        match reader.next_chunk() {
                            Ok(Some(_)) => {}
                            Ok(None) => return None,
                            Err(failure) => return Some(failure),
                        }
                    }
                }
                Kind::JsonLines(reopen) => {
                    let file = match reopen.open() {
                        Ok(file) => file,
                        Err(e) => return fail(e),
                    };
                    let options = ReadOptions {
                        decimal: self.decimal,
                        ..ReadOptions::default()
                    };
                    let mut reader = JsonLines::open(label, Box::new(file), &options);
                    loop {
                        match reader.next_rows(self.chunk_rows) {
                            Ok(Some(_)) => {}
                            Ok(None) => return None,
                            Err(failure) => return Some(failure),
                        }
                    }
                }
                Kind::Arrow(..) | Kind::Held(_) => None,
            }
        })
    }

    /// Reads every input once, chunk by chunk, in order, handing each chunk to `each` with
    /// the label of its input; the first pass counts each input's rows, and the passes after
    /// it refuse an input that no longer has them.
    pub fn pass(
        &mut self,
        mut each: impl FnMut(&Chunk) -> Result<(), Failure>,
    ) -> Result<(), Failure> {
        let decimal = self.decimal;
        let read_options = ReadOptions {
            decimal,
            ..ReadOptions::default()
        };
        let known = &self.known;
        let (scheme, ignore_unknown) = (&self.scheme, self.ignore_unknown);
        let chunk_rows = self.chunk_rows;
        for source in &mut self.inputs {
            let label = source.label.clone();
            let changed = || {
                Failure::read(
                    &label,
                    "the file changed while it was being read; run again on a file that stays \
                     as it is",
                )
            };
            if source.rows.is_some() && source.stamp.is_some() {
                let now = match &source.kind {
                    Kind::Csv(reopen) | Kind::JsonLines(reopen) | Kind::Arrow(reopen, _) => {
                        reopen.stamp()
                    }
                    Kind::Held(_) => source.stamp,
                };
                if now != source.stamp {
                    return Err(changed());
                }
            }
            let known = |name: &str| known.iter().any(|id| id == name);
            let mut rows = 0;
            match &source.kind {
                Kind::Held(held) => {
                    for part in held.chunks(chunk_rows) {
                        let chunk = Chunk::from_rows(scheme, part.to_vec(), ignore_unknown);
                        rows += chunk.len();
                        each(&chunk)?;
                    }
                }
                Kind::Csv(reopen) => {
                    let file = reopen.open().map_err(|e| Failure::read(&label, e))?;
                    let mut reader = CsvChunks::open(&label, Box::new(file), decimal, &known)?
                        .with_chunk_rows(chunk_rows);
                    rows = ahead(&label, || reader.next_chunk(), &mut each)?;
                }
                Kind::JsonLines(reopen) => {
                    let file = reopen.open().map_err(|e| Failure::read(&label, e))?;
                    let mut reader = JsonLines::open(&label, Box::new(file), &read_options);
                    rows = ahead(
                        &label,
                        || {
                            let rows = reader.next_rows(chunk_rows)?;
                            Ok(rows.map(|rows| Chunk::from_rows(scheme, rows, ignore_unknown)))
                        },
                        &mut each,
                    )?;
                    // The keys of JSON objects are known once read: those skipped are named
                    // after the first reading.
                    if source.rows.is_none() {
                        let columns = FileRows {
                            file: label.clone(),
                            columns: reader.columns(),
                            rows: Vec::new(),
                        };
                        for ignored in columns::check(scheme, &[columns], ignore_unknown)? {
                            eprintln!("parscore: warning: {ignored}");
                        }
                    }
                }
                Kind::Arrow(reopen, format) => {
                    let file = reopen.open().map_err(|e| Failure::read(&label, e))?;
                    let mut reader = ArrowChunks::open(&label, file, *format, decimal, &known)?
                        .with_chunk_rows(chunk_rows);
                    rows = ahead(&label, || reader.next_chunk(), &mut each)?;
                }
            }
            match source.rows {
                Some(before) if before != rows => return Err(changed()),
                _ => source.rows = Some(rows),
            }
        }
        Ok(())
    }

    /// How many rows every input held on the first pass.
    pub fn rows(&self) -> usize {
        self.inputs.iter().filter_map(|s| s.rows).sum()
    }

    /// The total size of the files, for the progress of the first pass.
    pub fn bytes(&self) -> u64 {
        self.inputs
            .iter()
            .filter_map(|s| s.stamp.map(|(len, _)| len))
            .sum()
    }
}

/// Runs `next` on a thread of its own, a chunk ahead of `each`; how many rows it read from
/// the input `label`.
fn ahead(
    label: &str,
    next: impl FnMut() -> Result<Option<Chunk>, Failure> + Send,
    each: &mut impl FnMut(&Chunk) -> Result<(), Failure>,
) -> Result<usize, Failure> {
    let mut next = next;
    let (sender, chunks) = mpsc::sync_channel::<Result<Chunk, Failure>>(CHUNKS_AHEAD);
    std::thread::scope(|scope| {
        let reading = scope.spawn(move || {
            loop {
                match next() {
                    Ok(Some(chunk)) => {
                        if sender.send(Ok(chunk)).is_err() {
                            return;
                        }
                    }
                    Ok(None) => return,
                    Err(failure) => {
                        let _ = sender.send(Err(failure));
                        return;
                    }
                }
            }
        });
        let mut rows = 0;
        let mut outcome = Ok(());
        for chunk in &chunks {
            let chunk = match chunk {
                Ok(chunk) => chunk,
                Err(failure) => {
                    outcome = Err(failure);
                    break;
                }
            };
            rows += chunk.len();
            if let Err(failure) = each(&chunk) {
                outcome = Err(failure);
                break;
            }
        }
        // The reader stops at its next chunk once nobody takes it.
        drop(chunks);
        if reading.join().is_err() && outcome.is_ok() {
            outcome = Err(Failure::read(label, "its reading stopped"));
        }
        outcome.map(|()| rows)
    })
}

/// Standard input, copied to a file that is removed when closed.
fn spool_stdin() -> io::Result<File> {
    let mut file = tempfile::tempfile()?;
    io::copy(&mut io::stdin().lock(), &mut file)?;
    Ok(file)
}

/// The first bytes of a file, enough to tell JSON lines from an array.
fn prefix(reopen: &Reopen) -> io::Result<Vec<u8>> {
    let mut bytes = vec![0; 1 << 16];
    let read = read_prefix(&mut reopen.open()?, &mut bytes)?;
    bytes.truncate(read);
    Ok(bytes)
}

/// Reads up to `buf.len()` bytes from the start of a file.
fn read_prefix(file: &mut File, buf: &mut [u8]) -> io::Result<usize> {
    let mut read = 0;
    while read < buf.len() {
        match file.read(&mut buf[read..]) {
            Ok(0) => break,
            Ok(n) => read += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(read)
}
