//! Finds where a node stands in scheme text, so that a problem found after parsing (a
//! duplicate code, a bad band) can still name its line and column.
//!
//! serde_json keeps no spans, and TOML spans would need a second set of file types; one
//! textual search serves both formats, since every node is introduced by its unique
//! `code = "…"` / `"code": "…"` (or `id`) entry.

use crate::error::Location;

/// The position of the `occurrence`-th (0-based) definition `key = "value"` in `text`, or of
/// `field` within that node when it is given and found before the next `key` definition.
pub(crate) fn locate(
    text: &str,
    key: &str,
    value: &str,
    occurrence: usize,
    field: Option<&str>,
) -> Option<Location> {
    let start = definitions(text, key, Some(value)).nth(occurrence)?;
    let end = definitions(&text[start + 1..], key, None)
        .next()
        .map_or(text.len(), |next| start + 1 + next);
    let offset = field
        .and_then(|field| key_position(&text[start..end], field).map(|p| start + p))
        .unwrap_or(start);
    Some(Location::of_offset(text, offset))
}

/// Byte offsets of the keys of `key = "value"` definitions (any value when `None`).
fn definitions<'a>(
    text: &'a str,
    key: &'a str,
    value: Option<&'a str>,
) -> impl Iterator<Item = usize> + 'a {
    keys(text, key).filter(move |&at| {
        let Some(rest) = after_key(&text[at..], key) else {
            return false;
        };
        match value {
            None => rest.starts_with('"'),
            Some(value) => rest
                .strip_prefix('"')
                .and_then(|r| r.strip_prefix(value))
                .is_some_and(|r| r.starts_with('"')),
        }
    })
}

/// Offsets of `key` used as a key: bare (`key =`) or quoted (`"key":`), not inside a word.
fn keys<'a>(text: &'a str, key: &'a str) -> impl Iterator<Item = usize> + 'a {
    text.match_indices(key).filter_map(move |(at, _)| {
        let before = text[..at].chars().next_back();
        let quoted = before == Some('"');
        let start = if quoted { at - 1 } else { at };
        let boundary = text[..start]
            .chars()
            .next_back()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '.'));
        (boundary && after_key(&text[start..], key).is_some()).then_some(start)
    })
}

/// What follows `key =` or `"key":` (trimmed), if `text` starts with such a key.
fn after_key<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    let (rest, separator) = match text.strip_prefix('"') {
        Some(quoted) => (quoted.strip_prefix(key)?.strip_prefix('"')?, ':'),
        None => (text.strip_prefix(key)?, '='),
    };
    rest.trim_start()
        .strip_prefix(separator)
        .map(str::trim_start)
}

fn key_position(text: &str, field: &str) -> Option<usize> {
    keys(text, field).next()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOML: &str = r#"
[[areas]]
code = "I"
title = "x"
max_points = 3

[[areas.criteria]]
code = "I.1"
rule = { kind = "bands", bands = [] }

[[areas.criteria]]
code = "I.1"
max_points = 2
"#;

    #[test]
    fn finds_codes_and_fields_in_toml() {
        let loc = |code, n, field| locate(TOML, "code", code, n, field).unwrap();
        assert_eq!(loc("I", 0, None), Location { line: 3, column: 1 });
        assert_eq!(
            loc("I", 0, Some("max_points")),
            Location { line: 5, column: 1 }
        );
        assert_eq!(
            loc("I.1", 0, Some("bands")),
            Location {
                line: 9,
                column: 26
            }
        );
        assert_eq!(
            loc("I.1", 1, None),
            Location {
                line: 12,
                column: 1
            }
        );
        // a field the node lacks points at the node itself, not at a later node's field
        assert_eq!(
            loc("I.1", 0, Some("max_points")),
            Location { line: 8, column: 1 }
        );
        assert!(locate(TOML, "code", "II", 0, None).is_none());
    }

    #[test]
    fn finds_codes_and_fields_in_json() {
        let json = "{\"areas\": [\n  {\"code\": \"I\", \"title\": \"x\",\n   \"max_points\": 3}]}";
        assert_eq!(
            locate(json, "code", "I", 0, Some("max_points")),
            Some(Location { line: 3, column: 4 })
        );
    }
}
