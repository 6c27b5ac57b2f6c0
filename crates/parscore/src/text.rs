//! Text as people type it. Vietnamese arrives in two Unicode forms — composed (NFC) from most
//! keyboards, decomposed (NFD) from some systems and copied file names — that look the same
//! and compare different: every text that is compared or stored (unit and period names,
//! headers, scheme text) is first made NFC ([`nfc`]). Words matched loosely (yes, no, not
//! applicable, record statuses, column names) are compared folded ([`fold`]).
//!
//! The words a cell may hold for yes, no and not applicable are listed here once
//! ([`YES`], [`NO`], [`NOT_APPLICABLE`]) and read the same in unit inputs and in dossier
//! records.

use std::borrow::Cow;
use std::sync::LazyLock;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// Spellings of yes, as typed in Vietnamese spreadsheets and exported by one-stop-shop systems.
/// Compared folded: `Có`, `CÓ`, `co` and a decomposed `có` are all yes.
pub const YES: &[&str] = &[
    "có", "x", "1", "true", "yes", "y", "đã", "đạt", "đúng", "✓", "✔", "☑",
];

/// Spellings of no, compared folded as [`YES`].
pub const NO: &[&str] = &[
    "không",
    "0",
    "false",
    "no",
    "n",
    "chưa",
    "không đạt",
    "sai",
    "✗",
    "✘",
];

/// Spellings of not applicable (the criterion does not apply to the unit), compared folded.
pub const NOT_APPLICABLE: &[&str] = &["n/a", "na", "không áp dụng", "kad"];

/// A word of the vocabulary above.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Word {
    /// One of [`YES`].
    Yes,
    /// One of [`NO`].
    No,
    /// One of [`NOT_APPLICABLE`].
    NotApplicable,
}

impl Word {
    /// The word a cell spells, in any case and Unicode form; `None` for anything else.
    ///
    /// ```
    /// use parscore::text::Word;
    /// assert_eq!(Word::of("Có"), Some(Word::Yes));
    /// assert_eq!(Word::of("co\u{301}"), Some(Word::Yes)); // decomposed
    /// assert_eq!(Word::of(" KHÔNG ĐẠT "), Some(Word::No));
    /// assert_eq!(Word::of("✓"), Some(Word::Yes));
    /// assert_eq!(Word::of("N/A"), Some(Word::NotApplicable));
    /// assert_eq!(Word::of("nah"), None);
    /// ```
    pub fn of(text: &str) -> Option<Word> {
        let folded = fold(text);
        FOLDED
            .iter()
            .find(|(spelling, _)| *spelling == folded)
            .map(|(_, word)| *word)
    }
}

/// Every spelling of the vocabulary, folded once.
static FOLDED: LazyLock<Vec<(String, Word)>> = LazyLock::new(|| {
    let words = [
        (YES, Word::Yes),
        (NO, Word::No),
        (NOT_APPLICABLE, Word::NotApplicable),
    ];
    words
        .iter()
        .flat_map(|(spellings, word)| spellings.iter().map(|s| (fold(s), *word)))
        .collect()
});

/// The text in Unicode's composed form (NFC), borrowed when it already is (all ASCII text,
/// and most Vietnamese text from keyboards).
///
/// ```
/// use parscore::text::nfc;
/// assert_eq!(nfc("Sở Tư pha\u{301}p"), "Sở Tư pháp");
/// assert!(matches!(nfc("Sở Tư pháp"), std::borrow::Cow::Borrowed(_)));
/// ```
pub fn nfc(text: &str) -> Cow<'_, str> {
    if text.is_ascii() || is_nfc_quick(text.chars()) == IsNormalized::Yes {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.nfc().collect())
    }
}

/// Vietnamese letters with their diacritics, by base letter.
const VARIANTS: &[(char, &str)] = &[
    ('a', "àáảãạăằắẳẵặâầấẩẫậäåā"),
    ('e', "èéẻẽẹêềếểễệëē"),
    ('i', "ìíỉĩịïī"),
    ('o', "òóỏõọôồốổỗộơờớởỡợöō"),
    ('u', "ùúủũụưừứửữựüū"),
    ('y', "ỳýỷỹỵÿ"),
    ('d', "đ"),
];

fn base_letter(c: char) -> char {
    if c.is_ascii() {
        return c;
    }
    VARIANTS
        .iter()
        .find(|(_, variants)| variants.contains(c))
        .map_or(c, |(base, _)| *base)
}

/// Lowercase, without diacritics, punctuation read as spaces, spaces collapsed and trimmed,
/// so that `Đúng hạn`, `ĐÚNG HẠN`, `dung han` and a decomposed `Đúng hạn` compare equal.
/// Symbols such as `✓` are kept: a check mark is a value, not punctuation.
///
/// ```
/// use parscore::text::fold;
/// assert_eq!(fold("  ĐÚNG   HẠN "), "dung han");
/// assert_eq!(fold("Đu\u{301}ng ha\u{323}n"), "dung han");
/// ```
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    let mut put = |c: char| {
        // Combining marks: the same label written in decomposed form.
        if ('\u{300}'..='\u{36f}').contains(&c) {
            return;
        }
        if c.is_whitespace() || is_separator(c) {
            space = !out.is_empty();
            return;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(base_letter(c));
    };
    for c in text.chars() {
        // Most cells are ASCII (`x`, `N/A`, `yes`): lowercased without Unicode's tables.
        if c.is_ascii() {
            put(c.to_ascii_lowercase());
        } else {
            c.to_lowercase().for_each(&mut put);
        }
    }
    out
}

/// Punctuation [`fold`] reads as a space.
fn is_separator(c: char) -> bool {
    matches!(
        c,
        '-' | '_' | '/' | '.' | ',' | ';' | ':' | '(' | ')' | '[' | ']' | '\'' | '"' | '*'
    )
}
