//! Text in one form: NFC composition, folding for comparison, and the yes/no/n-a vocabulary.

use std::borrow::Cow;

use parscore::text::{NO, NOT_APPLICABLE, YES, fold, nfc};
use unicode_normalization::UnicodeNormalization;

#[test]
fn folds_case_diacritics_punctuation_and_decomposed_forms() {
    assert_eq!(fold("Đang xử lý - Quá hạn"), "dang xu ly qua han");
    assert_eq!(fold("Số hóa"), fold("Số hoá"));
    assert_eq!(fold("on_time"), "on time");
    assert_eq!(fold("✓"), "✓");
    assert_eq!(fold(" - "), "");
}

#[test]
fn no_spelling_is_two_words() {
    for (i, a) in [YES, NO, NOT_APPLICABLE].iter().enumerate() {
        for (j, b) in [YES, NO, NOT_APPLICABLE].iter().enumerate() {
            if i != j {
                assert!(!a.iter().any(|w| b.iter().any(|v| fold(w) == fold(v))));
            }
        }
    }
}

#[test]
fn decomposed_text_is_composed_once() {
    let decomposed = "Sở Nông nghie\u{302}\u{323}p";
    assert_eq!(nfc(decomposed), "Sở Nông nghiệp");
    assert!(matches!(nfc("Sở Nông nghiệp"), Cow::Borrowed(_)));
    assert!(matches!(nfc("plain"), Cow::Borrowed(_)));
}

/// [`fold`] as it was written before its ASCII shortcut: every character through Unicode's
/// lowercase and a search of the punctuation.
fn folded_plainly(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        if ('\u{300}'..='\u{36f}').contains(&c) {
            continue;
        }
        if c.is_whitespace() || "-_/.,;:()[]'\"*".contains(c) {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
    out
}

proptest::proptest! {
    #[test]
    fn fold_is_what_it_was_before_its_ascii_shortcut(
        text in "[ -~\\t\\u{b}]{0,16}|\\PC{0,12}|[Aa Đđ\\u{300}-\\u{36f}ÔƠƯôơư.,_\\-]{0,12}"
    ) {
        // Base letters aside (which folding again applies), the same text.
        let plain = folded_plainly(&text);
        proptest::prop_assert_eq!(fold(&plain), fold(&text));
        proptest::prop_assert_eq!(plain.chars().count(), fold(&text).chars().count());
    }

    #[test]
    fn nfc_is_idempotent_and_fold_ignores_the_form(text in "\\PC{0,12}") {
        let composed = nfc(&text).into_owned();
        proptest::prop_assert_eq!(nfc(&composed).into_owned(), composed.clone());
        let decomposed: String = text.nfd().collect();
        proptest::prop_assert_eq!(fold(&nfc(&decomposed)), fold(&composed));
    }
}
