//! CSV inputs: a header line, then one line per unit.

use super::table::{Cell, Header};
use super::{Place, SourceRow};
use crate::fail::Failure;

/// Reads CSV text. The delimiter is guessed from the header line, since spreadsheets set to
/// a locale with a decimal comma (Vietnamese among them) save CSV with `;`.
pub fn read(file: &str, bytes: &[u8]) -> Result<Vec<SourceRow>, Failure> {
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
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(text))
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let Some(header) = records.next() else {
        return Ok(Vec::new());
    };
    let header = header.map_err(|e| Failure::read(file, e))?;
    let header = Header::new(
        file,
        header.iter().map(str::to_string).collect(),
        Box::new(|i| format!("field {}", i + 1)),
    )?;
    let mut rows = Vec::new();
    for record in records {
        let record = record.map_err(|e| Failure::read(file, e))?;
        let line = record.position().map_or(0, |p| first_line(text, p));
        let cells: Vec<Cell> = record.iter().map(|c| Cell::Text(c.to_string())).collect();
        if cells.iter().all(Cell::is_blank) {
            continue;
        }
        let problem = (record.len() != header.len()).then(|| {
            format!(
                "{} fields, but the header has {}",
                record.len(),
                header.len()
            )
        });
        let place = Place::Line {
            file: file.to_string(),
            line,
        };
        rows.push(header.row(line as usize, place, cells, problem));
    }
    Ok(rows)
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

/// The most frequent of `,` `;` and tab on the first line, outside quotes; `,` on a tie.
pub(crate) fn delimiter(text: &str) -> u8 {
    let first_line = text.lines().next().unwrap_or("");
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

    #[test]
    fn the_delimiter_is_read_off_the_header() {
        assert_eq!(delimiter("unit,period,a\n"), b',');
        assert_eq!(delimiter("unit;period;a\n1,5;2;3"), b';');
        assert_eq!(delimiter("unit\tperiod\n"), b'\t');
        assert_eq!(delimiter("\"a;b\",c\n"), b',');
        assert_eq!(delimiter("unit\n"), b',');
    }

    #[test]
    fn rows_keep_their_line_and_a_ragged_row_fails_alone() {
        let rows = read(
            "u.csv",
            b"\xEF\xBB\xBFunit,period,a\nA,2024,1\n\n\"B\nb\",2024\nC,2024,3\n,,\n\n\nD,2024,4\n",
        )
        .unwrap();
        assert_eq!(rows.len(), 4);
        assert_eq!(rows[0].raw.row, 2);
        assert_eq!(rows[0].raw.unit.as_deref(), Some("A"));
        assert_eq!(rows[0].raw.cells, vec![("a".to_string(), "1".to_string())]);
        assert_eq!(rows[1].raw.row, 4);
        assert_eq!(
            rows[1].problem.as_deref(),
            Some("2 fields, but the header has 3")
        );
        assert_eq!(rows[2].place.to_string(), "u.csv:6");
        assert!(rows[2].problem.is_none());
        assert_eq!(rows[3].place.to_string(), "u.csv:10");
    }

    #[test]
    fn a_file_in_a_legacy_encoding_is_refused_with_its_line() {
        let error = read("u.csv", b"unit,a\nS\xf4 A,1\n").unwrap_err();
        assert_eq!(
            error.to_string(),
            "cannot read u.csv: line 2 is not UTF-8 text; save the file as \"CSV UTF-8\""
        );
    }
}
