//! Where the quotes of a CSV text open and close, read the way the csv crate reads them
//! (RFC 4180: a quote opens a cell only at its start, `""` inside is a quote, a quote in the
//! middle of an unquoted cell is a character). The csv crate ends a quoted cell at the end
//! of the file without a word; this finds the quote that was never closed, and where each
//! header name starts, for messages that point at the character.

/// A position in the text as an editor shows it: line and character, from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct At {
    pub line: u64,
    pub column: usize,
}

/// What a pass over the quotes found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quotes {
    /// The quote that opens a cell and is still open at the end of the text.
    pub unclosed: Option<At>,
    /// The character each field of the first record (the header) starts at, from 1.
    pub header_columns: Vec<usize>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    StartRecord,
    StartField,
    InField,
    InQuoted,
    /// A quote inside a quoted cell: a second one makes a quote, anything else closes it.
    QuoteInQuoted,
}

impl Quotes {
    pub fn scan(text: &str, delimiter: u8) -> Quotes {
        let bytes = text.as_bytes();
        let mut state = State::StartRecord;
        let mut line = 1;
        let mut line_start = 0;
        let mut records = 0;
        // Byte offsets, turned into characters at the end: the delimiters, quotes and line
        // ends are ASCII, never part of a multi-byte character.
        let mut open = (0, 0);
        let mut header_starts = Vec::new();
        for (at, &byte) in bytes.iter().enumerate() {
            let terminator = byte == b'\n' || byte == b'\r';
            if state == State::StartRecord && !terminator {
                records += 1;
                state = State::StartField;
            }
            if state == State::StartField && records == 1 {
                header_starts.push((line_start, at));
            }
            state = match state {
                State::StartRecord => State::StartRecord,
                State::StartField | State::InField | State::QuoteInQuoted if terminator => {
                    State::StartRecord
                }
                State::StartField | State::InField | State::QuoteInQuoted if byte == delimiter => {
                    State::StartField
                }
                State::StartField if byte == b'"' => {
                    open = (line, at);
                    State::InQuoted
                }
                State::QuoteInQuoted if byte == b'"' => State::InQuoted,
                State::StartField | State::InField | State::QuoteInQuoted => State::InField,
                State::InQuoted if byte == b'"' => State::QuoteInQuoted,
                State::InQuoted => State::InQuoted,
            };
            if byte == b'\n' {
                line += 1;
                line_start = at + 1;
            }
        }
        let column = |from: usize, to: usize| text[from..to].chars().count() + 1;
        let line_of_open = {
            let (line, at) = open;
            let start = text[..at].rfind('\n').map_or(0, |n| n + 1);
            At {
                line,
                column: column(start, at),
            }
        };
        Quotes {
            unclosed: (state == State::InQuoted).then_some(line_of_open),
            header_columns: header_starts
                .into_iter()
                .map(|(start, at)| column(start, at))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quote_open_at_the_end_is_found_where_it_opened() {
        let scan = Quotes::scan("unit,a\nSở A,\"98\nSở B,1\n", b',');
        assert_eq!(scan.unclosed, Some(At { line: 2, column: 6 }));
        assert_eq!(scan.header_columns, [1, 6]);
    }

    #[test]
    fn closed_doubled_and_inner_quotes_leave_nothing_open() {
        for text in [
            "unit,a\n\"Sở \"\"A\"\"\",1\n",
            "unit,a\n\"two\nlines\",1",
            "unit,a\nSở \"A,1\n",
            "unit,a\n\"A\"x\",1\n",
            "",
            "\n\n",
        ] {
            assert_eq!(Quotes::scan(text, b',').unclosed, None, "{text:?}");
        }
    }

    #[test]
    fn header_fields_start_after_blank_lines_and_each_delimiter() {
        let scan = Quotes::scan("\r\n\n đơn vị;\"a;b\";;x\nA;1\n", b';');
        assert_eq!(scan.header_columns, [1, 9, 15, 16]);
        assert_eq!(scan.unclosed, None);
    }
}
