//! A file output written on a thread of its own, its large blocks past the page cache.
//!
//! A batch's output runs to gigabytes (a million units with every criterion: 0.9 GB of CSV;
//! a hundred thousand explained: 2.5 GB of JSON lines). Written through the page cache, each
//! of those bytes is first copied into pages the kernel must find for it, and on a virtual
//! machine finding them costs as much as scoring the rows did (measured: 2 to 2.5 ms of
//! system time a megabyte once the cache has grown, where a write that bypasses the cache
//! costs 0.06). So the output is handed, a block at a time, to a writing thread, which
//! writes each full block with `O_DIRECT` (on Linux, where the file system takes it) and the
//! rest as any write: the scoring goes on while a block is written, and a block costs the
//! disk's time rather than the processor's.
//!
//! Nothing else changes: the same bytes reach the same file; an output smaller than a block
//! is written as before; a file system that refuses direct writes (tmpfs) gets ordinary
//! ones; a write error stops the run as any write error does.

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

/// Bytes of a block: large enough that a direct write keeps the disk busy, small enough
/// that the blocks in flight (three) stay a few tens of megabytes.
const BLOCK: usize = 8 << 20;
/// What a direct write's memory, length and place in the file must be multiples of: the
/// largest logical block size of a disk.
const ALIGN: usize = 4096;

/// A writer of a regular file that writes on a thread of its own (see the module).
pub struct LargeFile {
    /// The block being filled.
    block: Block,
    blocks: Option<SyncSender<Block>>,
    /// Blocks written, to be filled again.
    emptied: Receiver<Block>,
    writing: Option<JoinHandle<io::Result<()>>>,
}

impl LargeFile {
    /// Writes `file` (found at `path`, which a direct writer opens a second time) from its
    /// start.
    pub fn new(file: File, path: &Path) -> LargeFile {
        let direct = open_direct(path);
        let (blocks, received) = sync_channel::<Block>(1);
        let (give_back, emptied) = sync_channel::<Block>(3);
        let writing = std::thread::Builder::new()
            .name("parscore-writer".into())
            .spawn(move || write_blocks(file, direct, received, give_back))
            .ok();
        LargeFile {
            block: Block::new(),
            blocks: writing.as_ref().map(|_| blocks),
            emptied,
            writing,
        }
    }

    /// Hands the block filled to the writing thread, and takes an empty one.
    fn send(&mut self) -> io::Result<()> {
        let next = self.emptied.try_recv().unwrap_or_else(|_| Block::new());
        let full = std::mem::replace(&mut self.block, next);
        let sent = match &self.blocks {
            Some(blocks) => blocks.send(full).is_ok(),
            None => false,
        };
        if sent {
            Ok(())
        } else {
            // The thread stopped: its error says why.
            Err(self.join().err().unwrap_or_else(|| {
                io::Error::other("the output's writing thread could not be started")
            }))
        }
    }

    fn join(&mut self) -> io::Result<()> {
        self.blocks = None;
        match self.writing.take() {
            Some(writing) => writing
                .join()
                .unwrap_or_else(|_| Err(io::Error::other("the output's writing thread failed"))),
            None => Ok(()),
        }
    }

    /// Writes what is left and waits for every block to be written.
    pub fn finish(mut self) -> io::Result<()> {
        if !self.block.is_empty() {
            self.send()?;
        }
        self.join()
    }
}

impl Write for LargeFile {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let taken = self.block.take(bytes);
        if self.block.is_full() {
            self.send()?;
        }
        Ok(taken)
    }

    /// Blocks go as they fill; the last one goes at [`LargeFile::finish`].
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Bytes of the output, in memory aligned for a direct write.
struct Block {
    memory: Vec<u8>,
    /// Where the aligned part of `memory` begins.
    start: usize,
    len: usize,
}

impl Block {
    fn new() -> Block {
        let memory = vec![0; BLOCK + ALIGN];
        let start = memory.as_ptr().align_offset(ALIGN).min(ALIGN);
        Block {
            memory,
            start,
            len: 0,
        }
    }

    fn take(&mut self, bytes: &[u8]) -> usize {
        let n = bytes.len().min(BLOCK - self.len);
        let at = self.start + self.len;
        self.memory[at..at + n].copy_from_slice(&bytes[..n]);
        self.len += n;
        n
    }

    fn bytes(&self) -> &[u8] {
        &self.memory[self.start..self.start + self.len]
    }

    fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn is_full(&self) -> bool {
        self.len == BLOCK
    }
}

/// The writing thread: each block at its place, full ones directly while the file system
/// takes them, and each block given back to be filled again.
fn write_blocks(
    file: File,
    mut direct: Option<File>,
    blocks: Receiver<Block>,
    give_back: SyncSender<Block>,
) -> io::Result<()> {
    let mut at = 0u64;
    for mut block in blocks {
        let bytes = block.bytes();
        let aligned = bytes.len().is_multiple_of(ALIGN) && at.is_multiple_of(ALIGN as u64);
        let written_directly = match (&direct, aligned) {
            (Some(direct_file), true) => match write_at(direct_file, bytes, at) {
                Ok(()) => true,
                // The file system takes direct writes on opening but not these: ordinary
                // writes from here on.
                Err(error) if error.raw_os_error() == Some(EINVAL) => {
                    direct = None;
                    false
                }
                Err(error) => return Err(error),
            },
            _ => false,
        };
        if !written_directly {
            write_at(&file, bytes, at)?;
        }
        at += bytes.len() as u64;
        block.len = 0;
        let _ = give_back.try_send(block);
    }
    Ok(())
}

#[cfg(unix)]
fn write_at(file: &File, bytes: &[u8], at: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, bytes, at)
}

#[cfg(not(unix))]
fn write_at(mut file: &File, bytes: &[u8], at: u64) -> io::Result<()> {
    use std::io::{Seek, SeekFrom};
    file.seek(SeekFrom::Start(at))?;
    file.write_all(bytes)
}

#[cfg(target_os = "linux")]
const EINVAL: i32 = libc::EINVAL;
#[cfg(not(target_os = "linux"))]
const EINVAL: i32 = 22;

/// The file opened a second time for direct writes, where the system and the file system
/// allow them.
#[cfg(target_os = "linux")]
fn open_direct(path: &Path) -> Option<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .custom_flags(libc::O_DIRECT)
        .open(path)
        .ok()
}

#[cfg(not(target_os = "linux"))]
fn open_direct(_path: &Path) -> Option<File> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(sizes: &[usize]) -> (Vec<u8>, Vec<u8>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.jsonl");
        let file = File::create(&path).unwrap();
        let mut writer = LargeFile::new(file, &path);
        let mut expected = Vec::new();
        for (n, &size) in sizes.iter().enumerate() {
            let bytes: Vec<u8> = (0..size).map(|i| (i * 31 + n) as u8).collect();
            writer.write_all(&bytes).unwrap();
            expected.extend_from_slice(&bytes);
        }
        writer.finish().unwrap();
        (std::fs::read(&path).unwrap(), expected)
    }

    #[test]
    fn the_file_holds_every_byte_in_order_whatever_the_writes() {
        for sizes in [
            vec![],
            vec![10],
            vec![BLOCK],
            vec![BLOCK - 1, 1, 1],
            vec![3 * BLOCK + 17],
            vec![1 << 20; 20],
            vec![ALIGN + 1; 5000],
        ] {
            let (file, expected) = written(&sizes);
            assert_eq!(file.len(), expected.len(), "{sizes:?}");
            assert!(file == expected, "{sizes:?}");
        }
    }

    #[test]
    fn a_file_that_cannot_be_written_fails_the_write() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        File::create(&path).unwrap();
        // Opened for reading only: every write fails.
        let mut writer = LargeFile::new(File::open(&path).unwrap(), Path::new("/nonexistent"));
        let mut failed = false;
        for _ in 0..4 {
            if writer.write_all(&vec![b'x'; BLOCK]).is_err() {
                failed = true;
                break;
            }
        }
        assert!(failed || writer.finish().is_err());
    }
}
