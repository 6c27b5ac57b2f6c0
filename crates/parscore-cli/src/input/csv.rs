//! CSV inputs: a header line, then one line per unit.

use super::columns::{Column, Naming};
use super::csv_quotes::Quotes;
use super::table::{Cell, Header};
use super::{FileRows, Place, ReadOptions};
use crate::fail::Failure;

/// Reads CSV text. The delimiter is guessed from the header line, since spreadsheets set to
/// a locale with a decimal comma (Vietnamese among them) save CSV with `;`.
pub fn read(file: &str, bytes: &[u8], options: &ReadOptions) -> Result<FileRows, Failure> {
    // Excel's "CSV UTF-8" starts with a byte-order mark that would stick to the first name.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // A legacy encoding (Windows-1258, TCVN3) garbles every Vietnamese name, so it is refused
    // for the whole file rather than row by row.
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        Failure::read(
            file,
            format!("line {line} is not UTF-8 text; save the file as \"CSV UTF-8\""),
        )
    })?;
    let delimiter = delimiter(text);
    let quotes = Quotes::scan(text, delimiter);
    // A quote left open makes the csv reader take the rest of the file as one cell: the
    // rows after it would vanish, or be counted as fields of another row.
    if let Some(open) = quotes.unclosed {
        return Err(Failure::read(
            file,
            format!(
                "line {}, character {}: a quote opens a cell here and is never closed, so \
                 the rest of the file would be that one cell; close it, or write a quote \
                 inside a cell as two (\"\")",
                open.line, open.column
            ),
        ));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    let more = reader
        .read_record(&mut record)
        .map_err(|e| Failure::read(file, e))?;
    if !more {
        return Ok(FileRows::empty(file));
    }
    let header_line = record.position().map_or(1, |p| first_line(text, p));
    let header = Header::new(
        file,
        record.iter().map(str::to_string).enumerate().collect(),
        Box::new(|i| format!("field {}", i + 1)),
        options.decimal,
    )?;
    let columns = header
        .value_columns()
        .map(|(i, name)| Column {
            name: name.to_string(),
            place: match quotes.header_columns.get(i) {
                Some(column) => format!("{file}:{header_line}:{column}"),
                None => format!("{file}:{header_line}"),
            },
            naming: Naming::Header,
        })
        .collect();
    let mut rows = Vec::new();
    loop {
        let start = reader.position().clone();
        let more = reader
            .read_record(&mut record)
            .map_err(|e| Failure::read(file, e))?;
        if !more {
            break;
        }
        let line = record.position().map_or(0, |p| first_line(text, p));
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        // A quote opened by mistake and closed by a later one joins lines into one row:
        // either its field count is off, or (when the count happens to fit) a unit or
        // period holds a line break. The count alone would point at the wrong line.
        let end = last_line(text, start.byte(), reader.position().byte());
        let inside_quotes = || {
            format!(
                "runs inside quotes from line {line} to line {end}: is a closing quote missing?"
            )
        };
        let problem = if record.len() != header.width() {
            let mut problem = format!(
                "{} fields, but the header has {}",
                record.len(),
                header.width()
            );
            if end > line {
                problem.push_str(&format!("; this row {}", inside_quotes()));
            }
            Some(problem)
        } else {
            let broken = |(i, cell): (usize, &str)| header.is_key(i) && cell.contains(['\n', '\r']);
            (end > line && record.iter().enumerate().any(broken))
                .then(|| format!("its unit or period {}", inside_quotes()))
        };
        let place = Place::Line {
            file: file.to_string(),
            line,
        };
        let cells = record
            .iter()
            .map(|c| Cell::Text(c.to_string()))
            .enumerate()
            .collect();
        rows.push(header.row(line as usize, place, cells, problem));
    }
    Ok(FileRows {
        file: file.to_string(),
        columns,
        rows,
    })
}

/// The line a record starts on. The csv crate reports the position where it started
/// looking, before any blank lines it skipped, so those are counted here.
fn first_line(text: &str, position: &csv::Position) -> u64 {
    let skipped = text.as_bytes()[position.byte() as usize..]
        .iter()
        .take_while(|b| matches!(b, b'\r' | b'\n'))
        .filter(|&&b| b == b'\n')
        .count();
    position.line() + skipped as u64
}

/// The line a record that spans the bytes `from..to` ends on, its line ending not counted.
fn last_line(text: &str, from: u64, to: u64) -> u64 {
    let bytes = &text.as_bytes()[..to as usize];
    let content = bytes
        .iter()
        .rposition(|b| !matches!(b, b'\r' | b'\n'))
        .map_or(0, |at| at + 1);
    1 + bytes[..content.max(from as usize)]
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u64
}

/// The most frequent of `,` `;` and tab on the first line that is not blank (the header),
/// outside quotes; `,` on a tie.
pub(crate) fn delimiter(text: &str) -> u8 {
    let first_line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut counts = [(b',', 0), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for byte in first_line.bytes() {
        if byte == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(entry) = counts.iter_mut().find(|(d, _)| *d == byte) {
            entry.1 += 1;
        }
    }
    counts
        .iter()
        .fold(
            (b',', 0),
            |best, &(d, n)| if n > best.1 { (d, n) } else { best },
        )
        .0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(bytes: &[u8]) -> Result<FileRows, Failure> {
        read("u.csv", bytes, &ReadOptions::default())
    }

    #[test]
    fn the_delimiter_is_read_off_the_header() {
        assert_eq!(delimiter("unit,period,a\n"), b',');
        assert_eq!(delimiter("unit;period;a\n1,5;2;3"), b';');
        assert_eq!(delimiter("unit\tperiod\n"), b'\t');
        assert_eq!(delimiter("\"a;b\",c\n"), b',');
        assert_eq!(delimiter("unit\n"), b',');
        assert_eq!(delimiter("\r\n\nunit;a\n"), b';');
    }

    #[test]
    fn rows_keep_their_line_and_a_ragged_row_fails_alone() {
        let rows = read_text(
            b"\xEF\xBB\xBFunit,period,a\nA,2024,1\n\n\"B\nb\",2024\nC,2024,3\n,,\n\n\nD,2024,4\n",
        )
        .unwrap()
        .rows;
        assert_eq!(rows.len(), 4);
        assert_eq!(rows[0].raw.row, 2);
        assert_eq!(rows[0].raw.unit.as_deref(), Some("A"));
        assert_eq!(rows[0].raw.cells, vec![("a".to_string(), "1".to_string())]);
        assert_eq!(rows[1].raw.row, 4);
        assert_eq!(
            rows[1].problem.as_deref(),
            Some(
                "2 fields, but the header has 3; this row runs inside quotes from line 4 to \
                 line 5: is a closing quote missing?"
            )
        );
        assert_eq!(rows[2].place.to_string(), "u.csv:6");
        assert!(rows[2].problem.is_none());
        assert_eq!(rows[3].place.to_string(), "u.csv:10");
    }

    #[test]
    fn header_columns_are_placed_at_their_line_and_character() {
        let read =
            read_text("\n\"unit\";period;Số hồ sơ;\"a;b\"\r\nA;2024;1;2\n".as_bytes()).unwrap();
        let places: Vec<(&str, &str)> = read
            .columns
            .iter()
            .map(|c| (c.name.as_str(), c.place.as_str()))
            .collect();
        assert_eq!(places, [("Số hồ sơ", "u.csv:2:15"), ("a;b", "u.csv:2:24")]);
    }

    #[test]
    fn an_unclosed_quote_is_named_with_its_line() {
        let error = read_text(b"unit,period,a\nA,2024,1\nB,2024,\"1\nC,2024,3\n").unwrap_err();
        assert_eq!(
            error.to_string(),
            "cannot read u.csv: line 3, character 8: a quote opens a cell here and is never \
             closed, so the rest of the file would be that one cell; close it, or write a \
             quote inside a cell as two (\"\")"
        );
    }

    #[test]
    fn a_file_in_a_legacy_encoding_is_refused_with_its_line() {
        let error = read_text(b"unit,a\nS\xf4 A,1\n").unwrap_err();
        assert_eq!(
            error.to_string(),
            "cannot read u.csv: line 2 is not UTF-8 text; save the file as \"CSV UTF-8\""
        );
    }
}
