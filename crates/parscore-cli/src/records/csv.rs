//! CSV records, streamed: one thread parses the bytes into chunks of records (`csv-core`, a
//! 1 MiB read buffer, every buffer reused), the calling thread reads each row into a record
//! and counts it. Memory stays a few chunks, whatever the file's size.

use std::io::{self, Read};
use std::sync::mpsc;

use csv_core::ReadRecordResult;
use parscore_records::RowReader;

use super::format::RecordFormat;
use super::{Ingest, Stop};
use crate::fail::Failure;

const READ_BUFFER: usize = 1 << 20;
/// A chunk ends at this many records or bytes, whichever comes first.
const CHUNK_RECORDS: usize = 4096;
const CHUNK_BYTES: usize = 1 << 20;
/// Chunks parsed ahead of the reading thread.
const CHUNKS_AHEAD: usize = 4;

/// Reads one CSV file (or standard input) into the summary.
pub fn read(ingest: &mut Ingest<'_>, label: &str, input: Box<dyn Read + Send>) -> Result<(), Stop> {
    let failure = |e: ParseError| Stop::Failure(e.into_failure(label));
    let mut parser = Parser::new(input).map_err(|e| failure(ParseError::Io(e)))?;
    let mut chunk = Chunk::default();
    ingest.sources.begin(label, RecordFormat::Csv, None);
    // The header: the first line that is not blank.
    loop {
        match parser.next_record(&mut chunk).map_err(failure)? {
            None => return Ok(()),
            Some(_) if chunk.last_is_blank() => chunk.clear(),
            Some(_) => break,
        }
    }
    let header = chunk.record(0).map_err(failure)?;
    let header: Vec<&str> = (0..header.ends.len())
        .filter_map(|c| header.cell(c))
        .collect();
    let reader = ingest.setup.reader(label, &header)?;
    if ingest.setup.threads <= 1 {
        return read_here(ingest, parser, reader);
    }
    read_alongside(ingest, label, parser, reader)
}

/// One thread: parse a chunk, read it, and again.
fn read_here(
    ingest: &mut Ingest<'_>,
    mut parser: Parser,
    mut reader: RowReader,
) -> Result<(), Stop> {
    let label = ingest.sources.current().label.clone();
    let mut chunk = Chunk::default();
    let mut rows = 0;
    loop {
        let done = chunk
            .fill(&mut parser, rows + 1)
            .map_err(|e| Stop::Failure(e.into_failure(&label)))?;
        rows += chunk.len();
        count(ingest, &mut reader, &chunk, &label)?;
        if done {
            return Ok(());
        }
    }
}

/// Two threads: the parser runs ahead of the reading by a few chunks, and chunks go back to
/// it to be filled again.
fn read_alongside(
    ingest: &mut Ingest<'_>,
    label: &str,
    mut parser: Parser,
    mut reader: RowReader,
) -> Result<(), Stop> {
    let (full_tx, full_rx) = mpsc::sync_channel::<Chunk>(CHUNKS_AHEAD);
    let (empty_tx, empty_rx) = mpsc::channel::<Chunk>();
    std::thread::scope(|scope| {
        let parsing = scope.spawn(move || -> Result<(), ParseError> {
            let mut rows = 0;
            loop {
                let mut chunk = empty_rx.try_recv().unwrap_or_default();
                let done = chunk.fill(&mut parser, rows + 1)?;
                rows += chunk.len();
                // The reader stopped (a bad record with --strict): nothing more to parse.
                if full_tx.send(chunk).is_err() || done {
                    return Ok(());
                }
            }
        });
        let mut counted = Ok(());
        for chunk in &full_rx {
            counted = count(ingest, &mut reader, &chunk, label);
            if counted.is_err() {
                break;
            }
            let _ = empty_tx.send(chunk);
        }
        drop(full_rx);
        let parsed = parsing
            .join()
            .unwrap_or_else(|_| Err(ParseError::Io(io::Error::other("the CSV parser stopped"))));
        // A bad record stops the reading before the parser's end: it is the one to report.
        counted?;
        parsed.map_err(|e| Stop::Failure(e.into_failure(label)))
    })
}

/// Reads every record of a chunk and counts it.
fn count(
    ingest: &mut Ingest<'_>,
    reader: &mut RowReader,
    chunk: &Chunk,
    label: &str,
) -> Result<(), Stop> {
    let source = ingest.sources.current();
    let first_row = source.first_row;
    for i in 0..chunk.len() {
        let row = chunk.first_row + i;
        let line = chunk.lines[i];
        let record = chunk
            .record(i)
            .map_err(|e| Stop::Failure(e.into_failure(label)))?;
        let source = ingest.sources.current();
        source.records = row;
        source.found_at(row, line);
        let read = reader.read_with(first_row + row, |c| record.cell(c));
        ingest
            .summarizer
            .push_read(read)
            .map_err(Stop::from_record)?;
    }
    Ok(())
}

#[derive(Debug)]
enum ParseError {
    Io(io::Error),
    NotUtf8 { line: u64 },
}

impl ParseError {
    fn into_failure(self, label: &str) -> Failure {
        match self {
            ParseError::Io(e) => Failure::read(label, e),
            ParseError::NotUtf8 { line } => Failure::read(
                label,
                format!("line {line} is not UTF-8 text; save the file as \"CSV UTF-8\""),
            ),
        }
    }
}

impl From<io::Error> for ParseError {
    fn from(e: io::Error) -> Self {
        ParseError::Io(e)
    }
}

/// `csv-core` over a reused read buffer, counting lines as a person does: the header is line
/// 1, and a record is on the line where its first cell is, after any blank lines.
struct Parser {
    input: Box<dyn Read + Send>,
    core: csv_core::Reader,
    buf: Vec<u8>,
    pos: usize,
    len: usize,
    eof: bool,
    /// The line of the next byte: 1 + the line feeds consumed.
    line: u64,
}

impl Parser {
    /// Reads the first buffer, and the delimiter off the first line: `,`, `;` or tab (see
    /// the inputs' CSV reader).
    fn new(input: Box<dyn Read + Send>) -> io::Result<Parser> {
        let mut parser = Parser {
            input,
            core: csv_core::Reader::new(),
            buf: vec![0; READ_BUFFER],
            pos: 0,
            len: 0,
            eof: false,
            line: 1,
        };
        // Enough of the file to hold the first line, unless it is longer than a buffer.
        while !parser.eof && parser.len < READ_BUFFER && !parser.buf[..parser.len].contains(&b'\n')
        {
            let n = read_some(&mut parser.input, &mut parser.buf[parser.len..])?;
            parser.eof = n == 0;
            parser.len += n;
        }
        let text = &parser.buf[..parser.len];
        let text = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text);
        let first_line = text.split(|&b| b == b'\n').next().unwrap_or_default();
        let delimiter = crate::input::csv::delimiter(&String::from_utf8_lossy(first_line));
        parser.core = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
        Ok(parser)
    }

    /// Parses the next record into the chunk and gives the line it starts on; `None` at the
    /// end of the input.
    fn next_record(&mut self, chunk: &mut Chunk) -> Result<Option<u64>, ParseError> {
        let start = chunk.used;
        let first_end = chunk.nends;
        let mut leading = true;
        let mut start_line = self.line;
        loop {
            if self.pos == self.len && !self.eof {
                self.pos = 0;
                self.len = read_some(&mut self.input, &mut self.buf)?;
                self.eof = self.len == 0;
            }
            chunk.reserve();
            let input = &self.buf[self.pos..self.len];
            let (result, nin, nout, nend) = self.core.read_record(
                input,
                &mut chunk.bytes[chunk.used..],
                &mut chunk.ends[chunk.nends..],
            );
            let consumed = &input[..nin];
            if leading {
                let blank = consumed
                    .iter()
                    .take_while(|b| matches!(b, b'\r' | b'\n'))
                    .count();
                start_line += line_feeds(&consumed[..blank]);
                leading = blank == consumed.len();
            }
            self.line += line_feeds(consumed);
            self.pos += nin;
            chunk.used += nout;
            chunk.nends += nend;
            match result {
                ReadRecordResult::InputEmpty
                | ReadRecordResult::OutputFull
                | ReadRecordResult::OutputEndsFull => {}
                ReadRecordResult::Record => {
                    chunk.spans.push((start, first_end, chunk.nends));
                    chunk.lines.push(start_line);
                    return Ok(Some(start_line));
                }
                ReadRecordResult::End => return Ok(None),
            }
        }
    }
}

fn read_some(input: &mut Box<dyn Read + Send>, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        match input.read(buf) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            other => return other,
        }
    }
}

fn line_feeds(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u64
}

/// Records parsed into one buffer, their cells one after the other; reused chunk after
/// chunk, so that parsing allocates nothing once the buffers have grown.
#[derive(Debug, Default)]
struct Chunk {
    bytes: Vec<u8>,
    used: usize,
    /// Cell ends, relative to their record's first byte.
    ends: Vec<usize>,
    nends: usize,
    /// Per record: its first byte, and its cell ends as a range of `ends`.
    spans: Vec<(usize, usize, usize)>,
    /// Per record: the line it starts on.
    lines: Vec<u64>,
    /// The file's row of the first record (data rows from 1, blank ones not counted).
    first_row: usize,
}

/// One parsed record: its text and cell ends.
struct ParsedRecord<'a> {
    text: &'a str,
    ends: &'a [usize],
}

impl<'a> ParsedRecord<'a> {
    fn cell(&self, column: usize) -> Option<&'a str> {
        let end = *self.ends.get(column)?;
        let start = if column == 0 {
            0
        } else {
            self.ends[column - 1]
        };
        self.text.get(start..end)
    }
}

impl Chunk {
    fn clear(&mut self) {
        self.used = 0;
        self.nends = 0;
        self.spans.clear();
        self.lines.clear();
    }

    fn len(&self) -> usize {
        self.spans.len()
    }

    /// Room for at least a little more output, so that `csv-core` always makes progress.
    fn reserve(&mut self) {
        if self.bytes.len() - self.used < 4096 {
            let size = (self.bytes.len() * 2).max(CHUNK_BYTES + 65536);
            self.bytes.resize(size, 0);
        }
        if self.ends.len() - self.nends < 256 {
            let size = (self.ends.len() * 2).max(4096);
            self.ends.resize(size, 0);
        }
    }

    /// Parses records until the chunk is full; `true` at the end of the input. Blank lines
    /// and lines of empty cells are no records: they are skipped.
    fn fill(&mut self, parser: &mut Parser, first_row: usize) -> Result<bool, ParseError> {
        self.clear();
        self.first_row = first_row;
        while self.spans.len() < CHUNK_RECORDS && self.used < CHUNK_BYTES {
            match parser.next_record(self)? {
                None => return Ok(true),
                Some(_) if self.last_is_blank() => self.pop(),
                Some(_) => {}
            }
        }
        Ok(false)
    }

    fn last_is_blank(&self) -> bool {
        let Some(&(start, _, _)) = self.spans.last() else {
            return false;
        };
        self.bytes[start..self.used]
            .iter()
            .all(u8::is_ascii_whitespace)
    }

    fn pop(&mut self) {
        if let Some((start, first_end, _)) = self.spans.pop() {
            self.used = start;
            self.nends = first_end;
            self.lines.pop();
        }
    }

    /// A record's cells as text, checked to be UTF-8.
    fn record(&self, i: usize) -> Result<ParsedRecord<'_>, ParseError> {
        let (start, first_end, end_of_ends) = self.spans[i];
        let end = self
            .spans
            .get(i + 1)
            .map_or(self.used, |&(next, _, _)| next);
        let ends = &self.ends[first_end..end_of_ends];
        let bytes = &self.bytes[start..end];
        let text = simdutf8::basic::from_utf8(bytes).map_err(|_| ParseError::NotUtf8 {
            line: self.lines[i],
        })?;
        // A cell cut inside a character would read as no text.
        if !ends.iter().all(|&e| text.is_char_boundary(e)) {
            return Err(ParseError::NotUtf8 {
                line: self.lines[i],
            });
        }
        Ok(ParsedRecord { text, ends })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Vec<(u64, Vec<String>)> {
        let mut parser = Parser::new(Box::new(io::Cursor::new(text.as_bytes().to_vec()))).unwrap();
        let mut chunk = Chunk::default();
        chunk.fill(&mut parser, 1).unwrap();
        (0..chunk.len())
            .map(|i| {
                let record = chunk.record(i).unwrap();
                let cells = (0..record.ends.len())
                    .map(|c| record.cell(c).unwrap().to_string())
                    .collect();
                (chunk.lines[i], cells)
            })
            .collect()
    }

    #[test]
    fn records_keep_the_line_a_person_sees() {
        let records = parse("\u{feff}a;b\n1;2\n\n\n\"x\ny\";3\r\n\r\n4;5\n;\n6;\"7\"");
        let lines: Vec<u64> = records.iter().map(|(line, _)| *line).collect();
        // Blank lines (3, 4, 7) and the line of empty cells (9) are skipped.
        assert_eq!(lines, [1, 2, 5, 8, 10]);
        assert_eq!(records[0].1, ["a", "b"]);
        assert_eq!(records[2].1, ["x\ny", "3"]);
        assert_eq!(records[4].1, ["6", "7"]);
    }

    #[test]
    fn text_that_is_not_utf8_names_its_line() {
        let mut parser =
            Parser::new(Box::new(io::Cursor::new(b"a,b\n1,2\nS\xf4,3\n".to_vec()))).unwrap();
        let mut chunk = Chunk::default();
        chunk.fill(&mut parser, 1).unwrap();
        assert!(chunk.record(1).is_ok());
        assert!(matches!(
            chunk.record(2),
            Err(ParseError::NotUtf8 { line: 3 })
        ));
    }
}
