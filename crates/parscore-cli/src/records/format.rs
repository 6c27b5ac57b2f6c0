//! The kinds of record files, and how a file's kind is told.

use std::path::Path;

/// The kinds of record files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordFormat {
    Csv,
    Excel,
    Parquet,
    /// The Arrow IPC file format (`.arrow`, Feather v2).
    ArrowFile,
    /// The Arrow IPC stream format (`.arrows`).
    ArrowStream,
}

impl RecordFormat {
    /// The format by the first bytes when they say it (Parquet, Arrow, a zip or OLE
    /// workbook), else by extension, else CSV.
    pub fn guess(path: &Path, magic: &[u8]) -> RecordFormat {
        if magic.starts_with(b"PAR1") {
            return RecordFormat::Parquet;
        }
        if magic.starts_with(b"ARROW1") {
            return RecordFormat::ArrowFile;
        }
        if magic.starts_with(&[0xFF, 0xFF, 0xFF, 0xFF]) {
            return RecordFormat::ArrowStream;
        }
        if magic.starts_with(b"PK\x03\x04") || magic.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
            return RecordFormat::Excel;
        }
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match extension.as_deref() {
            Some("xlsx" | "xlsm" | "xlsb" | "xls" | "ods") => RecordFormat::Excel,
            Some("parquet" | "pq") => RecordFormat::Parquet,
            Some("arrow" | "feather" | "ipc") => RecordFormat::ArrowFile,
            Some("arrows") => RecordFormat::ArrowStream,
            _ => RecordFormat::Csv,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            RecordFormat::Csv => "csv",
            RecordFormat::Excel => "xlsx",
            RecordFormat::Parquet => "parquet",
            RecordFormat::ArrowFile => "arrow",
            RecordFormat::ArrowStream => "arrow-stream",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_format_is_read_off_the_first_bytes_before_the_name() {
        let guess = |name: &str, magic: &[u8]| RecordFormat::guess(Path::new(name), magic);
        assert_eq!(guess("a.csv", b"PAR1\x15"), RecordFormat::Parquet);
        assert_eq!(guess("a", b"ARROW1\0\0"), RecordFormat::ArrowFile);
        assert_eq!(
            guess("a.arrow", b"\xFF\xFF\xFF\xFF"),
            RecordFormat::ArrowStream
        );
        assert_eq!(guess("a.xlsx", b"PK\x03\x04"), RecordFormat::Excel);
        assert_eq!(guess("a.feather", b""), RecordFormat::ArrowFile);
        assert_eq!(guess("a.txt", b"Ma ho so"), RecordFormat::Csv);
    }
}
