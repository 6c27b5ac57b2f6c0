//! JSON lines, streamed: one object per line, read a line at a time and each object read as
//! [`super::json`] reads it in a whole file (its keys as written, a key given twice failing
//! its row, cells under the decimal mark), so that memory follows the chunk, not the file.
//! Text that is not UTF-8 refuses the file with the message a whole reading gives.

use std::io::{BufRead, BufReader, Read};

use super::columns::Column;
use super::json::{Keys, row, strip_position};
use super::{Place, ReadOptions, SourceRow};
use crate::fail::Failure;

/// A JSON-lines input being read.
pub struct JsonLines {
    file: String,
    input: BufReader<Box<dyn Read + Send>>,
    options: ReadOptions,
    keys: Keys,
    buffer: Vec<u8>,
    /// Lines read, bytes read (the byte-order mark included, as a whole reading counts
    /// them), objects read.
    lines: u64,
    offset: usize,
    objects: usize,
    done: bool,
}

impl JsonLines {
    pub fn open(file: &str, input: Box<dyn Read + Send>, options: &ReadOptions) -> JsonLines {
        JsonLines {
            file: file.to_string(),
            input: BufReader::with_capacity(1 << 20, input),
            options: options.clone(),
            keys: Keys::default(),
            buffer: Vec::new(),
            lines: 0,
            offset: 0,
            objects: 0,
            done: false,
        }
    }

    /// The keys (other than `unit` and `period`) of the objects read so far, each with the
    /// first object that has it.
    pub fn columns(&self) -> Vec<Column> {
        self.keys.columns.clone()
    }

    /// The rows of the next `count` objects; `None` after the last.
    pub fn next_rows(&mut self, count: usize) -> Result<Option<Vec<SourceRow>>, Failure> {
        let mut rows = Vec::new();
        while rows.len() < count && !self.done {
            self.buffer.clear();
            let read = self
                .input
                .read_until(b'\n', &mut self.buffer)
                .map_err(|e| Failure::read(&self.file, e))?;
            if read == 0 {
                self.done = true;
                break;
            }
            // Checked with its line end, as the whole file is: a sequence cut by it is
            // invalid, not incomplete.
            let text = std::str::from_utf8(&self.buffer).map_err(|e| {
                let at = self.offset + e.valid_up_to();
                let why = match e.error_len() {
                    Some(n) => format!("invalid utf-8 sequence of {n} bytes from index {at}"),
                    None => format!("incomplete utf-8 byte sequence from index {at}"),
                };
                Failure::read(&self.file, format!("not UTF-8 text: {why}"))
            })?;
            let first = self.offset == 0;
            self.offset += read;
            self.lines += 1;
            let mut line = text;
            if first {
                line = line.strip_prefix('\u{feff}').unwrap_or(line);
            }
            if let Some(ended) = line.strip_suffix('\n') {
                line = ended.strip_suffix('\r').unwrap_or(ended);
            }
            if line.trim().is_empty() {
                continue;
            }
            let place = Place::Line {
                file: self.file.clone(),
                line: self.lines,
            };
            let parsed = serde_json::from_str(line)
                .map_err(|e| format!("not JSON: column {}: {}", e.column(), strip_position(&e)));
            // Rows are numbered by object, not by line, as the core numbers JSON lines.
            self.objects += 1;
            rows.push(row(
                self.objects,
                place,
                parsed,
                &self.options,
                &mut self.keys,
            ));
        }
        Ok((!rows.is_empty()).then_some(rows))
    }
}

/// Whether text that starts with these bytes is JSON lines rather than an array: its first
/// character that is not a space (after a byte-order mark) is not `[`. `None` when the bytes
/// hold no such character.
pub fn is_lines(prefix: &[u8]) -> Option<bool> {
    let text = String::from_utf8_lossy(prefix);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let first = text.trim_start().chars().next()?;
    Some(first != '[')
}
