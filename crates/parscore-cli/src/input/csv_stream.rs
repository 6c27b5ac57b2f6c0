//! CSV inputs, streamed: the file is parsed a record at a time (`csv-core` over a reused
//! read buffer, lines counted as a person counts them) into chunks of Arrow text columns,
//! each cell read as [`super::csv`] reads a whole file: composed, under the decimal mark,
//! every row with its line and whatever is wrong with it. Memory follows the chunk, not the
//! file.
//!
//! What [`super::csv`] refuses about a whole file, this refuses too, with the same message:
//! text that is not UTF-8 (at its line), a quote never closed (where it opens), a header
//! without `unit` or with a column twice. A file is refused as soon as that is known: the
//! header at once, the rest when the reading reaches it.

use std::borrow::Cow;
use std::io::{self, Read};
use std::sync::Arc;

use arrow_array::ArrayRef;
use arrow_array::builder::StringBuilder;
use csv_core::ReadRecordResult;

use super::chunk::{CHUNK_ROWS, Chunk, Flag, Places, batch, text_field};
use super::columns::{Column, Naming};
use super::csv::delimiter;
use super::csv_quotes::Quotes;
use super::decimal_mark::DecimalMark;
use super::names;
use super::table::Header;
use crate::fail::Failure;
use parscore::text::nfc;

const READ_BUFFER: usize = 1 << 20;
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A CSV input being read.
pub struct CsvChunks {
    file: String,
    parser: Parser,
    /// `None` for a file without a record: it has no rows.
    header: Option<Header>,
    /// The line of the header, and the character each of its fields starts at.
    header_line: u64,
    header_columns: Vec<usize>,
    /// The header's columns of indicators of the scheme: field, and its column in a chunk.
    read: Vec<(usize, String)>,
    /// The fields within the header's width that it does not name, in order.
    unnamed: Vec<usize>,
    record: Record,
    done: bool,
    chunk_rows: usize,
}

impl CsvChunks {
    /// Reads this many rows a chunk.
    pub fn with_chunk_rows(mut self, rows: usize) -> CsvChunks {
        self.chunk_rows = rows.max(1);
        self
    }

    /// Opens a CSV input and reads its header. `known` says which names are indicators: the
    /// cells of the other columns are not read (they are for the column check).
    pub fn open(
        file: &str,
        input: Box<dyn Read + Send>,
        decimal: DecimalMark,
        known: &dyn Fn(&str) -> bool,
    ) -> Result<CsvChunks, Failure> {
        let mut parser = Parser::new(input).map_err(|e| e.failure(file))?;
        let mut record = Record::default();
        let mut chunks = CsvChunks {
            file: file.to_string(),
            parser: Parser::empty(),
            header: None,
            header_line: 1,
            header_columns: Vec::new(),
            read: Vec::new(),
            unnamed: Vec::new(),
            record: Record::default(),
            done: false,
            chunk_rows: CHUNK_ROWS,
        };
        // The header: the first record.
        let header_line = match parser.next(&mut record) {
            Err(e) => return Err(e.failure(file)),
            Ok(None) => {
                chunks.done = true;
                return match parser.unclosed(&record) {
                    Some(e) => Err(e.failure(file)),
                    None => Ok(chunks),
                };
            }
            Ok(Some(line)) => line,
        };
        let text = record.text(header_line).map_err(|e| e.failure(file))?;
        let names: Vec<(usize, String)> = (0..text.len())
            .map(|i| (i, text.cell(i).to_string()))
            .collect();
        let scan = Quotes::scan(&record.raw_text(), parser.delimiter);
        let header = Header::new(
            file,
            names,
            Box::new(|i| format!("field {}", i + 1)),
            decimal,
        );
        let header = match header {
            Ok(header) => header,
            // Refused for its header, unless the rest of it is refused first, as a file read
            // whole is.
            Err(failure) => return Err(scan_only(file, parser, record).unwrap_or(failure)),
        };
        chunks.read = header
            .value_columns()
            .filter(|(_, name)| known(name))
            .map(|(i, name)| (i, name.to_string()))
            .collect();
        chunks.unnamed = (0..header.width())
            .filter(|&i| header.name_at(i).is_none())
            .collect();
        chunks.header_line = header_line;
        chunks.header_columns = scan
            .header_columns
            .iter()
            .map(|c| c + record.prefix)
            .collect();
        chunks.header = Some(header);
        chunks.parser = parser;
        chunks.record = record;
        Ok(chunks)
    }

    /// The columns the header names other than `unit` and `period`, each at its line and
    /// character, for the column check.
    pub fn columns(&self) -> Vec<Column> {
        let Some(header) = &self.header else {
            return Vec::new();
        };
        let (file, line) = (&self.file, self.header_line);
        header
            .value_columns()
            .map(|(i, name)| Column {
                name: name.to_string(),
                place: match self.header_columns.get(i) {
                    Some(column) => format!("{file}:{line}:{column}"),
                    None => format!("{file}:{line}"),
                },
                naming: Naming::Header,
            })
            .collect()
    }

    /// The next chunk of rows; `None` after the last.
    pub fn next_chunk(&mut self) -> Result<Option<Chunk>, Failure> {
        let (Some(header), false) = (&self.header, self.done) else {
            return Ok(None);
        };
        let file = self.file.as_str();
        let (unit_at, period_at) = header.keys();
        let width = header.width();
        let decimal = header.decimal();
        let rows = self.chunk_rows;
        let mut units = StringBuilder::with_capacity(rows, rows * 24);
        let mut periods = StringBuilder::with_capacity(rows, rows * 4);
        let mut cells: Vec<StringBuilder> = self
            .read
            .iter()
            .map(|_| StringBuilder::with_capacity(rows, rows * 6))
            .collect();
        let mut lines = Vec::with_capacity(rows);
        let mut flags = Vec::new();
        while lines.len() < rows {
            let line = match self.parser.next(&mut self.record) {
                Err(e) => return Err(e.failure(file)),
                Ok(None) => {
                    if let Some(e) = self.parser.unclosed(&self.record) {
                        return Err(e.failure(file));
                    }
                    self.done = true;
                    break;
                }
                Ok(Some(line)) => line,
            };
            let text = self.record.text(line).map_err(|e| e.failure(file))?;
            if text.is_blank() {
                continue;
            }
            let row = lines.len();
            lines.push(line);
            // A quote opened by mistake and closed by a later one joins lines into one row:
            // either its field count is off, or (when the count happens to fit) a unit or
            // period holds a line break. The count alone would point at the wrong line.
            let end = line + text.text.bytes().filter(|&b| b == b'\n').count() as u64;
            let inside_quotes = || {
                format!(
                    "runs inside quotes from line {line} to line {end}: is a closing quote missing?"
                )
            };
            let mut problem = if text.len() != width {
                let mut problem = format!("{} fields, but the header has {width}", text.len());
                if end > line {
                    problem.push_str(&format!("; this row {}", inside_quotes()));
                }
                Some(problem)
            } else {
                let broken = |i: usize| {
                    (i == unit_at || Some(i) == period_at) && text.cell(i).contains(['\n', '\r'])
                };
                (end > line && (0..text.len()).any(broken))
                    .then(|| format!("its unit or period {}", inside_quotes()))
            };
            let cell = |i: usize| (i < text.len()).then(|| text.cell(i));
            let unit = cell(unit_at).map(names::name_of);
            let period = period_at.and_then(cell).map(names::period_of);
            // Exports often end rows with empty columns; only a value in a column without a
            // name is a mistake.
            let unnamed = self.unnamed.iter().copied().chain(width..text.len());
            for i in unnamed.take_while(|&i| i < text.len()) {
                let value = text.cell(i).trim();
                if !value.is_empty() {
                    problem.get_or_insert_with(|| {
                        format!(
                            "`{value}` in {}, which has no name in the header",
                            header.label(i)
                        )
                    });
                    break;
                }
            }
            units.append_option(unit.as_deref().filter(|u| !u.is_empty()));
            periods.append_option(period.as_deref().filter(|p| !p.is_empty()));
            let mut bad_cells = Vec::new();
            for ((field, name), column) in self.read.iter().zip(&mut cells) {
                if *field >= text.len() {
                    column.append_null();
                    continue;
                }
                let composed = nfc(text.cell(*field));
                match decimal.canonical(&composed) {
                    Ok(read) => column.append_value(&*read),
                    Err(reason) => {
                        bad_cells.push((name.clone(), reason));
                        column.append_null();
                    }
                }
            }
            if problem.is_some() || !bad_cells.is_empty() {
                flags.push((
                    row,
                    Flag {
                        problem,
                        bad_cells,
                        by_row: false,
                    },
                ));
            }
        }
        if lines.is_empty() {
            return Ok(None);
        }
        let mut fields = vec![text_field("unit"), text_field("period")];
        let mut arrays: Vec<ArrayRef> = vec![Arc::new(units.finish()), Arc::new(periods.finish())];
        for ((_, name), mut column) in self.read.iter().zip(cells) {
            fields.push(text_field(name));
            arrays.push(Arc::new(column.finish()));
        }
        Ok(Some(Chunk {
            batch: batch(fields, arrays),
            numbers: lines.iter().map(|&l| l as usize).collect(),
            places: Places::Lines {
                file: self.file.clone(),
                lines,
            },
            flags,
            raw: None,
        }))
    }
}

/// Reads the rest of a file for what would refuse it as a whole (text that is not UTF-8, a
/// quote never closed), without keeping anything.
fn scan_only(file: &str, mut parser: Parser, mut record: Record) -> Option<Failure> {
    loop {
        match parser.next(&mut record) {
            Err(e) => return Some(e.failure(file)),
            Ok(None) => return parser.unclosed(&record).map(|e| e.failure(file)),
            Ok(Some(line)) => {
                if let Err(e) = record.text(line) {
                    return Some(e.failure(file));
                }
            }
        }
    }
}

/// What stops the reading of a file.
#[derive(Debug)]
enum ParseError {
    Io(io::Error),
    NotUtf8 { line: u64 },
    Unclosed { line: u64, column: usize },
}

impl ParseError {
    fn failure(self, file: &str) -> Failure {
        match self {
            ParseError::Io(e) => Failure::read(file, e),
            ParseError::NotUtf8 { line } => Failure::read(
                file,
                format!("line {line} is not UTF-8 text; save the file as \"CSV UTF-8\""),
            ),
            ParseError::Unclosed { line, column } => Failure::read(
                file,
                format!(
                    "line {line}, character {column}: a quote opens a cell here and is never \
                     closed, so the rest of the file would be that one cell; close it, or \
                     write a quote inside a cell as two (\"\")"
                ),
            ),
        }
    }
}

impl From<io::Error> for ParseError {
    fn from(e: io::Error) -> Self {
        ParseError::Io(e)
    }
}

/// `csv-core` over a reused read buffer, counting lines as a person does: a record is on
/// the line of its first cell, after any blank lines.
struct Parser {
    input: Box<dyn Read + Send>,
    core: csv_core::Reader,
    delimiter: u8,
    buf: Vec<u8>,
    pos: usize,
    len: usize,
    eof: bool,
    /// The line of the next byte: 1 + the line feeds consumed.
    line: u64,
    /// Characters of the current line before the next byte (lines end at line feeds).
    column: usize,
}

impl Parser {
    /// Reads the first buffer, drops a byte-order mark, and reads the delimiter off the
    /// first line that is not blank.
    fn new(input: Box<dyn Read + Send>) -> Result<Parser, ParseError> {
        let mut parser = Parser {
            input,
            core: csv_core::Reader::new(),
            delimiter: b',',
            buf: vec![0; READ_BUFFER],
            pos: 0,
            len: 0,
            eof: false,
            line: 1,
            column: 0,
        };
        while !parser.eof && parser.len < READ_BUFFER && !has_first_line(&parser.buf[..parser.len])
        {
            let n = read_some(&mut parser.input, &mut parser.buf[parser.len..])?;
            parser.eof = n == 0;
            parser.len += n;
        }
        if parser.buf[..parser.len].starts_with(BOM) {
            parser.pos = BOM.len();
        }
        let text = String::from_utf8_lossy(&parser.buf[parser.pos..parser.len]);
        parser.delimiter = delimiter(&text);
        parser.core = csv_core::ReaderBuilder::new()
            .delimiter(parser.delimiter)
            .build();
        Ok(parser)
    }

    /// A parser of nothing, to stand in until the real one is ready.
    fn empty() -> Parser {
        Parser {
            input: Box::new(io::empty()),
            core: csv_core::Reader::new(),
            delimiter: b',',
            buf: Vec::new(),
            pos: 0,
            len: 0,
            eof: true,
            line: 1,
            column: 0,
        }
    }

    /// Parses the next record into `record` and gives the line it starts on; `None` at the
    /// end of the input.
    fn next(&mut self, record: &mut Record) -> Result<Option<u64>, ParseError> {
        record.clear();
        let mut leading = true;
        let mut start_line = self.line;
        loop {
            if self.pos == self.len && !self.eof {
                self.pos = 0;
                self.len = read_some(&mut self.input, &mut self.buf)?;
                self.eof = self.len == 0;
            }
            record.reserve();
            let input = &self.buf[self.pos..self.len];
            let (result, nin, nout, nend) = self.core.read_record(
                input,
                &mut record.bytes[record.used..],
                &mut record.ends[record.nends..],
            );
            let mut consumed = &input[..nin];
            if leading {
                let blank = consumed
                    .iter()
                    .take_while(|b| matches!(b, b'\r' | b'\n'))
                    .count();
                advance(&mut self.line, &mut self.column, &consumed[..blank]);
                start_line = self.line;
                record.prefix = self.column;
                consumed = &consumed[blank..];
                leading = consumed.is_empty();
            }
            record.raw.extend_from_slice(consumed);
            advance(&mut self.line, &mut self.column, consumed);
            self.pos += nin;
            record.used += nout;
            record.nends += nend;
            match result {
                ReadRecordResult::InputEmpty
                | ReadRecordResult::OutputFull
                | ReadRecordResult::OutputEndsFull => {}
                ReadRecordResult::Record => return Ok(Some(start_line)),
                ReadRecordResult::End => return Ok(None),
            }
        }
    }

    /// At the end of the input: where a quote opened in the last record is never closed
    /// (`csv-core` ends such a record at the end of the input without a word).
    fn unclosed(&self, record: &Record) -> Option<ParseError> {
        let (raw, line, prefix) = match record.raw.is_empty() {
            true => (
                &record.previous,
                record.previous_line,
                record.previous_prefix,
            ),
            false => (&record.raw, record.line, record.prefix),
        };
        if !raw.contains(&b'"') {
            return None;
        }
        let at = Quotes::scan(&String::from_utf8_lossy(raw), self.delimiter).unclosed?;
        Some(ParseError::Unclosed {
            line: line + at.line - 1,
            column: if at.line == 1 {
                prefix + at.column
            } else {
                at.column
            },
        })
    }
}

/// Whether the bytes hold a whole line that is not blank (the one the delimiter is read
/// off).
fn has_first_line(bytes: &[u8]) -> bool {
    let mut lines = bytes.split(|&b| b == b'\n');
    let complete = bytes.iter().filter(|&&b| b == b'\n').count();
    lines
        .by_ref()
        .take(complete)
        .any(|line| !String::from_utf8_lossy(line).trim().is_empty())
}

/// Counts the lines and characters of bytes consumed: `line` is the line of the next byte,
/// `column` the characters before it on that line.
fn advance(line: &mut u64, column: &mut usize, bytes: &[u8]) {
    match bytes.iter().rposition(|&b| b == b'\n') {
        Some(last) => {
            *line += bytes.iter().filter(|&&b| b == b'\n').count() as u64;
            *column = chars(&bytes[last + 1..]);
        }
        None => *column += chars(bytes),
    }
}

/// Characters in bytes: those that do not continue a UTF-8 sequence.
fn chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count()
}

fn read_some(input: &mut Box<dyn Read + Send>, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        match input.read(buf) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            other => return other,
        }
    }
}

/// One record as parsed: its cells one after the other, their ends, and the bytes of the
/// file it was read from.
#[derive(Default)]
struct Record {
    bytes: Vec<u8>,
    used: usize,
    ends: Vec<usize>,
    nends: usize,
    /// The file's bytes of the record, from its first cell.
    raw: Vec<u8>,
    /// The line it starts on, and the characters of that line before it.
    line: u64,
    prefix: usize,
    /// The same of the record before.
    previous: Vec<u8>,
    previous_line: u64,
    previous_prefix: usize,
}

impl Record {
    fn clear(&mut self) {
        self.used = 0;
        self.nends = 0;
        std::mem::swap(&mut self.raw, &mut self.previous);
        self.raw.clear();
        self.previous_line = self.line;
        self.previous_prefix = self.prefix;
    }

    /// Room for a little more output, so that `csv-core` always makes progress.
    fn reserve(&mut self) {
        if self.bytes.len() - self.used < 4096 {
            let size = (self.bytes.len() * 2).max(1 << 16);
            self.bytes.resize(size, 0);
        }
        if self.ends.len() - self.nends < 64 {
            let size = (self.ends.len() * 2).max(1024);
            self.ends.resize(size, 0);
        }
    }

    /// The record's cells as text, checked to be UTF-8; `line` is where it starts.
    fn text(&mut self, line: u64) -> Result<Text<'_>, ParseError> {
        self.line = line;
        let bytes = &self.bytes[..self.used];
        let ends = &self.ends[..self.nends];
        let at_line = |at: usize| line + bytes[..at].iter().filter(|&&b| b == b'\n').count() as u64;
        let text = match simdutf8::basic::from_utf8(bytes) {
            Ok(text) => text,
            Err(_) => {
                let valid = std::str::from_utf8(bytes).map_or_else(|e| e.valid_up_to(), |_| 0);
                return Err(ParseError::NotUtf8 {
                    line: at_line(valid),
                });
            }
        };
        // A cell cut inside a character: the file is not UTF-8 there.
        if let Some(&cut) = ends.iter().find(|&&e| !text.is_char_boundary(e)) {
            let start = (0..cut)
                .rev()
                .find(|&i| text.is_char_boundary(i))
                .unwrap_or(0);
            return Err(ParseError::NotUtf8 {
                line: at_line(start),
            });
        }
        Ok(Text { text, ends })
    }

    /// The file's bytes of the record as text (UTF-8 once its cells are).
    fn raw_text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.raw)
    }
}

/// A record's cells.
struct Text<'a> {
    text: &'a str,
    ends: &'a [usize],
}

impl<'a> Text<'a> {
    fn len(&self) -> usize {
        self.ends.len()
    }

    fn cell(&self, i: usize) -> &'a str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }

    /// Blank lines and lines of empty cells are no rows.
    fn is_blank(&self) -> bool {
        (0..self.len()).all(|i| self.cell(i).trim().is_empty())
    }
}
