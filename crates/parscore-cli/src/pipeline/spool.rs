//! Results written on the first pass, without their ranks, to a temporary file; the second
//! pass copies them to the output and puts each row's rank in its place. For CSV and JSON
//! lines at `headline` and `criteria` this replaces reading, parsing and scoring the inputs
//! a second time (four fifths of a run's work) with a copy of the text the output was going
//! to hold anyway: the file holds what the output will, some 150 to 900 bytes a row, and
//! memory holds a block of it at a time.
//!
//! A block is its rows' text, where each row ends and where its rank goes, and the lines a
//! bad row puts on standard error, so that they come out in the order of the rows, as the
//! rows are written.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};

use crate::fail::Failure;

/// Where a row's rank goes in its text, when it has one; and the row's end.
pub type Mark = (usize, Option<usize>);

/// Text of rows whose ranks are not yet known.
pub struct Spool {
    file: BufWriter<File>,
    /// What a row without a rank holds where the rank goes (`""` in CSV, `null` in JSON).
    unranked: &'static [u8],
}

/// One block read back.
#[derive(Default)]
pub struct Block {
    pub text: Vec<u8>,
    pub marks: Vec<Mark>,
    /// Lines for standard error, each after the row (from 0 in the block) they are of.
    pub messages: Vec<(usize, String)>,
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
    /// A spool in a temporary file (removed when closed); `unranked` is the text of a rank
    /// that is not there.
    pub fn new(unranked: &'static [u8]) -> Result<Spool, Failure> {
        let file = tempfile::tempfile().map_err(failure)?;
        Ok(Spool {
            file: BufWriter::with_capacity(1 << 20, file),
            unranked,
        })
    }

    /// Adds a block: rows' text, each row's [`Mark`] (its end counted in `text`), and the
    /// lines of its bad rows.
    pub fn push(&mut self, block: &Block) -> Result<(), Failure> {
        let mut head = Vec::with_capacity(24 + block.marks.len() * 16);
        for n in [block.text.len(), block.marks.len(), block.messages.len()] {
            head.extend_from_slice(&(n as u64).to_le_bytes());
        }
        for &(end, rank) in &block.marks {
            head.extend_from_slice(&(end as u64).to_le_bytes());
            head.extend_from_slice(&rank.map_or(u64::MAX, |r| r as u64).to_le_bytes());
        }
        for (row, message) in &block.messages {
            head.extend_from_slice(&(*row as u64).to_le_bytes());
            head.extend_from_slice(&(message.len() as u64).to_le_bytes());
            head.extend_from_slice(message.as_bytes());
        }
        self.file
            .write_all(&head)
            .and_then(|()| self.file.write_all(&block.text))
            .map_err(failure)
    }

    /// Reads the blocks back in order, handing each to `each` with the text to put where a
    /// row's rank goes.
    pub fn replay(
        self,
        mut each: impl FnMut(&Block, &'static [u8]) -> Result<(), Failure>,
    ) -> Result<(), Failure> {
        let unranked = self.unranked;
        let mut file = self
            .file
            .into_inner()
            .map_err(|e| failure(e.into_error()))?;
        let end = file.stream_position().map_err(failure)?;
        file.seek(SeekFrom::Start(0)).map_err(failure)?;
        let mut file = BufReader::with_capacity(1 << 20, file);
        let mut block = Block::default();
        let mut read = 0u64;
        let number = |file: &mut BufReader<File>| -> io::Result<usize> {
            let mut bytes = [0u8; 8];
            file.read_exact(&mut bytes)?;
            Ok(u64::from_le_bytes(bytes) as usize)
        };
        while read < end {
            let (text, rows, messages) = (
                number(&mut file).map_err(failure)?,
                number(&mut file).map_err(failure)?,
                number(&mut file).map_err(failure)?,
            );
            block.marks.clear();
            for _ in 0..rows {
                let row_end = number(&mut file).map_err(failure)?;
                let rank = number(&mut file).map_err(failure)?;
                block
                    .marks
                    .push((row_end, (rank != u64::MAX as usize).then_some(rank)));
            }
            block.messages.clear();
            let mut length = 24 + rows * 16;
            for _ in 0..messages {
                let row = number(&mut file).map_err(failure)?;
                let len = number(&mut file).map_err(failure)?;
                let mut message = vec![0; len];
                file.read_exact(&mut message).map_err(failure)?;
                let message = String::from_utf8(message)
                    .map_err(|e| failure(io::Error::new(io::ErrorKind::InvalidData, e)))?;
                block.messages.push((row, message));
                length += 16 + len;
            }
            block.text.resize(text, 0);
            file.read_exact(&mut block.text).map_err(failure)?;
            read += (length + text) as u64;
            each(&block, unranked)?;
        }
        Ok(())
    }
}

impl Block {
    /// Writes the block's rows, each with its rank (`ranks` by row of the block; 0 for none),
    /// where `unranked` stands.
    pub fn write_ranked(
        &self,
        ranks: &[u32],
        unranked: &[u8],
        out: &mut impl Write,
    ) -> io::Result<()> {
        let mut start = 0;
        let mut digits = Vec::with_capacity(12);
        for (&(end, rank_at), &rank) in self.marks.iter().zip(ranks) {
            match rank_at {
                Some(at) if rank > 0 => {
                    digits.clear();
                    crate::output::result_row::write_scaled(&mut digits, i128::from(rank), 0);
                    out.write_all(&self.text[start..at])?;
                    out.write_all(&digits)?;
                    out.write_all(&self.text[at + unranked.len()..end])?;
                }
                _ => out.write_all(&self.text[start..end])?,
            }
            start = end;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_come_back_in_order_with_their_ranks_in_place() {
        let mut spool = Spool::new(b"null").unwrap();
        let mut block = Block::default();
        for (text, rank) in [("{\"rank\":null}\n", true), ("{\"error\":1}\n", false)] {
            let start = block.text.len();
            block.text.extend_from_slice(text.as_bytes());
            let at = rank.then(|| start + text.find("null").unwrap());
            block.marks.push((block.text.len(), at));
        }
        block.messages.push((1, "u.csv:3: no `unit`".into()));
        spool.push(&block).unwrap();
        let mut block = Block::default();
        block.text.extend_from_slice(b"{\"rank\":null}\n");
        block.marks.push((block.text.len(), Some(8)));
        spool.push(&block).unwrap();

        let mut out = Vec::new();
        let mut messages = Vec::new();
        let mut ranks = [7u32, 0, 0].iter();
        spool
            .replay(|block, unranked| {
                let these: Vec<u32> = ranks.by_ref().take(block.marks.len()).copied().collect();
                messages.extend(block.messages.iter().cloned());
                block
                    .write_ranked(&these, unranked, &mut out)
                    .map_err(failure)
            })
            .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\"rank\":7}\n{\"error\":1}\n{\"rank\":null}\n"
        );
        assert_eq!(messages, [(1, "u.csv:3: no `unit`".to_string())]);
    }
}
