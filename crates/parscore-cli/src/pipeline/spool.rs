//! Results of CSV and JSON lines kept on the first pass, without their ranks, in a temporary
//! file; the second pass reads them back and writes them with their ranks. This replaces
//! reading, parsing and scoring the inputs a second time (four fifths of a run's work) with a
//! reading of what the first pass scored: the engine's figures in binary (module `spooled`:
//! some 90 bytes a row at `headline`, 330 with every criterion, a third of their text),
//! rendered on the way out, on every core. Memory holds a few parts of it at a time.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};

use rayon::prelude::*;

use super::spooled;
use crate::fail::Failure;
use crate::output::result_row::ResultRow;

/// Rows of a part: encoded and later rendered by one task, some hundreds of kilobytes of
/// text with every criterion.
pub const PART_ROWS: usize = 1024;

/// The results of rows whose ranks are not yet known.
pub struct Spool {
    file: BufWriter<File>,
    /// Whether each criterion's points and status are kept.
    criteria: bool,
}

fn failure(error: io::Error) -> Failure {
    Failure::Write {
        target: format!(
            "a temporary file in {} (TMPDIR chooses the folder)",
            std::env::temp_dir().display()
        ),
        error,
    }
}

impl Spool {
    /// A spool in a temporary file (removed when closed); `criteria` keeps each criterion's
    /// points and status.
    pub fn new(criteria: bool) -> Result<Spool, Failure> {
        let file = tempfile::tempfile().map_err(failure)?;
        Ok(Spool {
            file: BufWriter::with_capacity(1 << 20, file),
            criteria,
        })
    }

    /// Adds rows' results, encoded on every core a part at a time: the engine's figures,
    /// and for any other row its text from `render` (which returns where its rank goes).
    pub fn push(
        &mut self,
        rows: &[ResultRow<'_>],
        quiet: bool,
        render: impl Fn(&ResultRow<'_>, &mut Vec<u8>) -> Option<usize> + Sync,
    ) -> Result<(), Failure> {
        let criteria = self.criteria;
        let parts: Vec<Vec<u8>> = rows
            .par_chunks(PART_ROWS)
            .map(|part| {
                let mut bytes = Vec::with_capacity(part.len() * 128);
                spooled::encode(part, criteria, quiet, &render, &mut bytes);
                bytes
            })
            .collect();
        for part in &parts {
            self.file
                .write_all(&(part.len() as u64).to_le_bytes())
                .and_then(|()| self.file.write_all(part))
                .map_err(failure)?;
        }
        Ok(())
    }

    /// Reads the parts back in order, their bytes handed to `each` some `at_once` at a time.
    pub fn replay(
        self,
        at_once: usize,
        mut each: impl FnMut(&[Vec<u8>]) -> Result<(), Failure>,
    ) -> Result<(), Failure> {
        let mut file = self
            .file
            .into_inner()
            .map_err(|e| failure(e.into_error()))?;
        let end = file.stream_position().map_err(failure)?;
        file.seek(SeekFrom::Start(0)).map_err(failure)?;
        // Small: a part (larger) is read straight into its own buffer.
        let mut file = BufReader::with_capacity(64 << 10, file);
        let mut parts: Vec<Vec<u8>> = Vec::new();
        let mut filled = 0;
        let mut read = 0u64;
        while read < end {
            let mut length = [0u8; 8];
            file.read_exact(&mut length).map_err(failure)?;
            let length = u64::from_le_bytes(length);
            if length > end - read {
                return Err(failure(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "the spool holds less than it says",
                )));
            }
            if parts.len() == filled {
                parts.push(Vec::new());
            }
            let part = &mut parts[filled];
            part.resize(length as usize, 0);
            file.read_exact(part).map_err(failure)?;
            filled += 1;
            read += 8 + length;
            if filled == at_once.max(1) {
                each(&parts[..filled])?;
                filled = 0;
            }
        }
        if filled > 0 {
            each(&parts[..filled])?;
        }
        Ok(())
    }
}

/// A damaged part (a spool changed under the run) as the run's failure.
pub fn damaged() -> Failure {
    failure(io::Error::new(
        io::ErrorKind::InvalidData,
        "the spool was changed while the run read it",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_come_back_in_order_as_written_some_at_a_time() {
        let mut spool = Spool::new(false).unwrap();
        let mut written = Vec::new();
        for n in 0..7u8 {
            let part = vec![n; usize::from(n) * 100];
            spool
                .file
                .write_all(&(part.len() as u64).to_le_bytes())
                .unwrap();
            spool.file.write_all(&part).unwrap();
            written.push(part);
        }
        let mut read = Vec::new();
        let mut groups = Vec::new();
        spool
            .replay(3, |parts| {
                groups.push(parts.len());
                read.extend(parts.iter().cloned());
                Ok(())
            })
            .unwrap();
        assert_eq!(read, written);
        assert_eq!(groups, [3, 3, 1]);
    }
}
