//! Text from the inputs made harmless where it lands: on a terminal, a control character
//! could move the cursor, recolour or retitle the window, or hide what follows; in a
//! spreadsheet, a cell that starts like a formula could run as one.

use std::borrow::Cow;

/// Text for a terminal: every control character, and every character that reorders what a
/// terminal shows (bidirectional overrides and isolates), written visibly as Rust writes it
/// (`\u{1b}`, `\t`, `\n`); everything else, Vietnamese text included, as it is.
pub fn terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(acts_on_terminal) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if acts_on_terminal(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// [`terminal`] for text of several lines: each line escaped, the line breaks kept.
pub fn terminal_lines(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c != '\n' && acts_on_terminal(c)) {
        return Cow::Borrowed(text);
    }
    let lines: Vec<Cow<'_, str>> = text.split('\n').map(terminal).collect();
    Cow::Owned(lines.join("\n"))
}

/// Whether a terminal would act on `c` rather than show it: a control character (C0, DEL,
/// C1), or one that reorders or breaks what is shown.
pub fn acts_on_terminal(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{2028}' | '\u{2029}'
                | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// A CSV cell that a spreadsheet would not run as a formula, as OWASP recommends: a cell
/// that starts with `=`, `@`, a tab or a carriage return, or with `+` or `-` and is not a
/// number, gets a `'` in front. Numbers (`-0.01`) stay numbers.
pub fn csv_cell(text: &str) -> Cow<'_, str> {
    let formula = match text.chars().next() {
        Some('=' | '@' | '\t' | '\r') => true,
        Some('+' | '-') => !is_number(text),
        _ => false,
    };
    if formula {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Whether a CSV field must be quoted to read back as it is: it holds the delimiter, a
/// quote or a line break (`\r` too, which readers take for one), as the `csv` crate decides.
pub fn csv_needs_quotes(field: &[u8]) -> bool {
    field
        .iter()
        .any(|&b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
}

/// Writes a CSV field as the `csv` crate writes it: as it is, or quoted with its quotes
/// doubled when [`csv_needs_quotes`].
pub fn csv_field(out: &mut Vec<u8>, field: &[u8]) {
    if !csv_needs_quotes(field) {
        out.extend_from_slice(field);
        return;
    }
    out.push(b'"');
    for part in field.split_inclusive(|&b| b == b'"') {
        out.extend_from_slice(part);
        if part.ends_with(b"\"") {
            out.push(b'"');
        }
    }
    out.push(b'"');
}

/// A signed decimal number: `-12`, `+0.5`, `-1.25`.
fn is_number(text: &str) -> bool {
    let digits = &text[1..];
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
        && !(digits.ends_with('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_show_as_escapes_and_vietnamese_as_it_is() {
        assert_eq!(terminal("Sở NN&PTNT"), "Sở NN&PTNT");
        let nfd = "Chi cu\u{323}c Thu\u{309}y lơ\u{323}i";
        assert_eq!(terminal(nfd), nfd);
        assert_eq!(terminal("\u{1b}[31mĐỏ\u{7}"), "\\u{1b}[31mĐỏ\\u{7}");
        assert_eq!(terminal("a\tb\nc\r"), "a\\tb\\nc\\r");
        assert_eq!(terminal("\u{9b}2J"), "\\u{9b}2J");
        assert_eq!(terminal("abc\u{202E}fed"), "abc\\u{202e}fed");
        assert_eq!(terminal_lines("a\u{1b}\nb\n"), "a\\u{1b}\nb\n");
    }

    #[test]
    fn cells_that_would_run_as_formulas_are_quoted() {
        for formula in [
            "=HYPERLINK(\"http://x\")",
            "@SUM(A1)",
            "+1+cmd|' /C calc'!A0",
            "-2+3+cmd|' /C calc'!A0",
            "-x",
            "+",
            "-",
            "\tx",
            "\rx",
        ] {
            assert_eq!(csv_cell(formula), format!("'{formula}"), "{formula}");
        }
        for plain in [
            "Sở NN&PTNT",
            "-0.01",
            "-12",
            "+2",
            "90.57",
            "",
            "a=b",
            "n/a",
        ] {
            assert_eq!(csv_cell(plain), plain, "{plain}");
        }
    }
}
