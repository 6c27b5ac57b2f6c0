//! Unit names, periods and column names as they are compared. The same name typed on two
//! keyboards arrives composed (NFC) or decomposed (NFD), and a period typed as a number may
//! arrive as `2024.0`: read as written, each would make a second unit or period that is
//! scored and ranked beside the first. They are put in one form as they are read, so that
//! the check of a unit and period given twice sees them as the same.

use std::borrow::Cow;

use parscore::text::nfc;

/// Text in NFC, trimmed.
pub fn name(text: &str) -> String {
    name_of(text).into_owned()
}

/// [`name`], borrowed when the text needs no change but trimming.
pub fn name_of(text: &str) -> Cow<'_, str> {
    nfc(text.trim())
}

/// A period in one form: NFC and trimmed, and a whole number written with a zero fraction
/// (`2024.0`, `2024,00`, what a number cell or a JSON number may give) written without it,
/// `2024`. Any other period (`2024-Q2`, `2024.5`) is kept as written.
pub fn period(text: &str) -> String {
    period_of(text).into_owned()
}

/// [`period`], borrowed when the text needs no change but trimming.
pub fn period_of(text: &str) -> Cow<'_, str> {
    let text = name_of(text);
    let whole = text
        .split_once(['.', ','])
        .filter(|(whole, zeros)| {
            !whole.is_empty()
                && whole.bytes().all(|b| b.is_ascii_digit())
                && !zeros.is_empty()
                && zeros.bytes().all(|b| b == b'0')
        })
        .map(|(whole, _)| whole.len());
    match (whole, text) {
        (Some(len), Cow::Borrowed(text)) => Cow::Borrowed(&text[..len]),
        (Some(len), Cow::Owned(text)) => Cow::Owned(text[..len].to_string()),
        (None, text) => text,
    }
}

/// Cell text in NFC, reusing the string when it already is.
pub fn cell(text: String) -> String {
    match nfc(&text) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(composed) => composed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_compare_in_one_form() {
        assert_eq!(name(" Sở Tư pha\u{301}p "), "Sở Tư pháp");
        assert_eq!(cell("co\u{301}".into()), "có");
    }

    #[test]
    fn a_whole_period_drops_its_zero_fraction() {
        for (given, read) in [
            ("2024", "2024"),
            ("2024.0", "2024"),
            (" 2024.00 ", "2024"),
            ("2024,0", "2024"),
            ("2024.5", "2024.5"),
            ("2024-Q2", "2024-Q2"),
            ("2024.", "2024."),
            (".0", ".0"),
            ("-2024.0", "-2024.0"),
            ("Năm 2024", "Năm 2024"),
        ] {
            assert_eq!(period(given), read, "{given}");
        }
    }
}
