//! The lengths an Arrow IPC file declares, checked against the file before Arrow reads it.
//! Arrow's readers allocate a message's body at the length its header (or the file's
//! footer) states, before reading a byte of it: a file with one byte changed there asked for
//! exabytes and the allocation failure aborted the process, which no `catch_unwind` stops.
//! A length that reaches beyond the file is refused here, naming the file, instead.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};

/// Why a declared length cannot be read from the file; `None` when every one fits (the
/// readers then report any other damage themselves).
pub fn beyond_the_file(file: &File, stream: bool) -> std::io::Result<Option<String>> {
    let mut file = file.try_clone()?;
    let size = file.seek(SeekFrom::End(0))?;
    if stream {
        stream_lengths(&mut file, 0, size)
    } else {
        footer_lengths(&mut file, size)
    }
}

/// The stream format: messages one after the other, each a length-prefixed header whose
/// `bodyLength` says how many bytes follow it.
fn stream_lengths(file: &mut File, mut at: u64, size: u64) -> std::io::Result<Option<String>> {
    let beyond = |what: &str, at: u64, length: u64| {
        Some(format!(
            "{what} at byte {at} declares {length} bytes, beyond the file's {size}: the file is \
             damaged"
        ))
    };
    loop {
        file.seek(SeekFrom::Start(at))?;
        let Some(mut length) = word(file)? else {
            return Ok(None);
        };
        let mut header = 4;
        // A continuation marker, then the length (streams written before Arrow 0.15 have
        // the length alone).
        if length == u32::MAX {
            let Some(after) = word(file)? else {
                return Ok(None);
            };
            length = after;
            header = 8;
        }
        if length == 0 {
            return Ok(None);
        }
        let length = u64::from(length);
        let metadata_at = at + header;
        if metadata_at + length > size {
            return Ok(beyond("a message's header", at, length));
        }
        let mut metadata = vec![0; length as usize];
        file.read_exact(&mut metadata)?;
        // A header that is not a message is the reader's to report.
        let Ok(message) = arrow_ipc::root_as_message(&metadata) else {
            return Ok(None);
        };
        let body = u64::try_from(message.bodyLength()).unwrap_or(u64::MAX);
        let end = (metadata_at + length).checked_add(body);
        match end {
            Some(end) if end <= size => at = end,
            _ => return Ok(beyond("a message", at, body)),
        }
    }
}

/// The file format: the stream's messages, then a footer listing each record batch and
/// dictionary block with its offset and lengths, which the file reader reads by.
fn footer_lengths(file: &mut File, size: u64) -> std::io::Result<Option<String>> {
    // `ARROW1`, the footer's length and `ARROW1` again: a file without them is the
    // reader's to refuse.
    if size < 10 {
        return Ok(None);
    }
    file.seek(SeekFrom::Start(size - 10))?;
    let Some(length) = word(file)? else {
        return Ok(None);
    };
    let length = u64::from(length);
    if length + 10 > size {
        return Ok(Some(format!(
            "its footer declares {length} bytes, beyond the file's {size}: the file is damaged"
        )));
    }
    let mut footer = vec![0; length as usize];
    file.seek(SeekFrom::Start(size - 10 - length))?;
    file.read_exact(&mut footer)?;
    let Ok(footer) = arrow_ipc::root_as_footer(&footer) else {
        return Ok(None);
    };
    let blocks = (footer.recordBatches().into_iter().flatten())
        .chain(footer.dictionaries().into_iter().flatten());
    for block in blocks {
        let (offset, metadata, body) = (block.offset(), block.metaDataLength(), block.bodyLength());
        let end = u64::try_from(offset)
            .ok()
            .zip(u64::try_from(metadata).ok())
            .zip(u64::try_from(body).ok())
            .and_then(|((offset, metadata), body)| offset.checked_add(metadata)?.checked_add(body));
        if end.is_none_or(|end| end > size) {
            return Ok(Some(format!(
                "a block at byte {offset} declares {metadata} + {body} bytes, beyond the file's \
                 {size}: the file is damaged"
            )));
        }
    }
    Ok(None)
}

/// A little-endian 32-bit word, or `None` at the end of the file.
fn word(file: &mut File) -> std::io::Result<Option<u32>> {
    let mut bytes = [0; 4];
    match file.read_exact(&mut bytes) {
        Ok(()) => Ok(Some(u32::from_le_bytes(bytes))),
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::sync::Arc;

    use arrow_array::{ArrayRef, Int64Array, RecordBatch, StringArray};

    fn batch() -> RecordBatch {
        RecordBatch::try_from_iter([
            (
                "unit",
                Arc::new(StringArray::from(vec!["Sở Tư pháp", "Sở Y tế"])) as ArrayRef,
            ),
            (
                "survey_points",
                Arc::new(Int64Array::from(vec![15, 18])) as ArrayRef,
            ),
        ])
        .unwrap()
    }

    fn written(stream: bool) -> Vec<u8> {
        let mut bytes = Vec::new();
        let batch = batch();
        if stream {
            let mut writer =
                arrow_ipc::writer::StreamWriter::try_new(&mut bytes, &batch.schema()).unwrap();
            writer.write(&batch).unwrap();
            writer.finish().unwrap();
        } else {
            let mut writer =
                arrow_ipc::writer::FileWriter::try_new(&mut bytes, &batch.schema()).unwrap();
            writer.write(&batch).unwrap();
            writer.finish().unwrap();
        }
        bytes
    }

    fn check(bytes: &[u8], stream: bool) -> Option<String> {
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(bytes).unwrap();
        beyond_the_file(&file, stream).unwrap()
    }

    #[test]
    fn whole_files_pass_and_any_length_beyond_them_is_refused() {
        for stream in [true, false] {
            let bytes = written(stream);
            assert_eq!(check(&bytes, stream), None, "stream: {stream}");
            // Every byte changed to 0xff in turn: either every length still fits (the
            // reader sees the rest), or the one that no longer does is named.
            let mut refused = 0;
            for at in 0..bytes.len() {
                let mut damaged = bytes.clone();
                damaged[at] = 0xff;
                if let Some(why) = check(&damaged, stream) {
                    assert!(why.contains("beyond the file's"), "{why}");
                    refused += 1;
                }
            }
            assert!(refused > 0, "stream: {stream}");
        }
        // A stream cut inside its batch's body.
        let bytes = written(true);
        let cut = check(&bytes[..bytes.len() - 20], true).expect("refused");
        assert!(cut.contains("a message at byte"), "{cut}");
    }
}
