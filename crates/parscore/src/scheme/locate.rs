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

/// The position of `field` in the top-level table `table` (`[ranking]`, `"ranking": {…}`),
/// a table without a code of its own.
pub(crate) fn locate_in_table(text: &str, table: &str, field: &str) -> Option<Location> {
    let header = format!("[{table}]");
    let start = text
        .match_indices(&header)
        .map(|(at, _)| at)
        .chain(keys(text, table))
        .next()?;
    let offset = start + key_position(&text[start..], field)?;
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

/// The byte offset of a line and column (columns counted in characters).
pub(crate) fn offset_of(text: &str, location: Location) -> Option<usize> {
    let line_start = if location.line <= 1 {
        0
    } else {
        text.match_indices('\n').nth(location.line - 2)?.0 + 1
    };
    let line = &text[line_start..];
    let within = line
        .char_indices()
        .nth(location.column.saturating_sub(1))
        .map_or(line.len(), |(at, _)| at);
    Some(line_start + within)
}

/// The code (or, in `[[indicators]]`, the id) of the node whose text holds `offset`: in
/// TOML, the `code = "…"` of the table (`[[areas.criteria]]` …) it stands in; in JSON, of
/// the innermost object around it that has one.
pub(crate) fn enclosing_node(text: &str, offset: usize) -> Option<String> {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    if text.trim_start().starts_with('{') {
        return enclosing_object(text, offset);
    }
    let header = |line: &str| line.trim_start().starts_with('[');
    let start = text[..offset].rfind('\n').map_or(0, |at| at + 1);
    // The table's header: the last header line at or before the offset's line.
    let mut table_start = None;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if at > start {
            break;
        }
        if header(line) {
            table_start = Some(at);
        }
        at += line.len();
    }
    let table_start = table_start?;
    let first_line_end = text[table_start..]
        .find('\n')
        .map_or(text.len(), |e| table_start + e + 1);
    let table_end = text[first_line_end..]
        .split_inclusive('\n')
        .scan(first_line_end, |at, line| {
            let here = *at;
            *at += line.len();
            Some((here, line))
        })
        .find(|(_, line)| header(line))
        .map_or(text.len(), |(here, _)| here);
    let table = &text[table_start..table_end];
    let key = if table.trim_start().starts_with("[[indicators]]") {
        "id"
    } else {
        "code"
    };
    quoted_value(table, key)
}

/// The innermost JSON object around `offset` with a `"code"` (or `"id"`) of its own.
fn enclosing_object(text: &str, offset: usize) -> Option<String> {
    // Object starts open at the offset, skipping strings.
    let mut open = Vec::new();
    let mut in_string = false;
    let mut escaped = false;
    for (at, c) in text[..offset].char_indices() {
        match (in_string, escaped, c) {
            (true, true, _) => escaped = false,
            (true, false, '\\') => escaped = true,
            (true, false, '"') => in_string = false,
            (true, false, _) => {}
            (false, _, '"') => in_string = true,
            (false, _, '{') => open.push(at),
            (false, _, '}') => {
                open.pop();
            }
            _ => {}
        }
    }
    open.iter().rev().find_map(|&start| {
        let object = object_at(text, start);
        quoted_value(&object, "code").or_else(|| quoted_value(&object, "id"))
    })
}

/// The object starting at `start`, with its nested objects and arrays blanked out, so that
/// only its own keys are found in it.
fn object_at(text: &str, start: usize) -> String {
    let mut own = String::new();
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for c in text[start..].chars() {
        if in_string {
            if depth == 1 {
                own.push(c);
            }
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' | '[' => depth += 1,
            '}' | ']' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            _ => {}
        }
        if depth == 1 {
            own.push(c);
        }
    }
    own
}

/// The text of the first `key = "…"` / `"key": "…"` in `text`.
fn quoted_value(text: &str, key: &str) -> Option<String> {
    let at = definitions(text, key, None).next()?;
    let rest = after_key(&text[at..], key)?.strip_prefix('"')?;
    rest.find('"').map(|end| rest[..end].to_string())
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
    fn finds_the_node_around_a_position() {
        let at = |text: &str, needle: &str| enclosing_node(text, text.find(needle).unwrap());
        assert_eq!(at(TOML, "rule"), Some("I.1".into()));
        assert_eq!(at(TOML, "title"), Some("I".into()));
        let late = "[[areas.criteria]]\nmax_point = 1\ncode = \"A.3\"\n[[indicators]]\nid = \"x\"\nkin = 1\n";
        assert_eq!(at(late, "max_point"), Some("A.3".into()));
        assert_eq!(at(late, "kin"), Some("x".into()));
        assert_eq!(at("id = \"t\"\ncolour = 1\n", "colour"), None);
        let json = r#"{"areas": [{"code": "I", "criteria": [{"rule": {"kind": "x"}, "code": "I.1"}], "colour": 1}]}"#;
        assert_eq!(at(json, "\"x\""), Some("I.1".into()));
        assert_eq!(at(json, "colour"), Some("I".into()));
        assert_eq!(at(json, "areas"), None);
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
