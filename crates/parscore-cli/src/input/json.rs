//! JSON inputs: an array of objects, or one object per line (JSON lines).
//!
//! Each object goes through the core's `rows_from_json`, so a cell reads exactly as it does in
//! the Rust and Python interfaces; the file is split into objects here so that one bad object
//! fails its own row and not the whole file.

use parscore::{InputError, RawRow, rows_from_json};
use serde_json::Value as Json;

use super::{Place, SourceRow};
use crate::fail::Failure;

pub fn read(file: &str, bytes: &[u8]) -> Result<Vec<SourceRow>, Failure> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| Failure::read(file, format!("not UTF-8 text: {e}")))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim_start().starts_with('[') {
        // An array that does not parse has no rows to speak of: the file is unreadable.
        let objects: Vec<Json> = serde_json::from_str(text).map_err(|e| {
            Failure::read(
                file,
                format!(
                    "line {} column {}: {}",
                    e.line(),
                    e.column(),
                    strip_position(&e)
                ),
            )
        })?;
        Ok(objects
            .into_iter()
            .enumerate()
            .map(|(i, object)| {
                let place = Place::Object {
                    file: file.to_string(),
                    index: i + 1,
                };
                row(i + 1, place, Ok(object))
            })
            .collect())
    } else {
        let mut rows = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let place = Place::Line {
                file: file.to_string(),
                line: i as u64 + 1,
            };
            let parsed = serde_json::from_str(line)
                .map_err(|e| format!("not JSON: column {}: {}", e.column(), strip_position(&e)));
            // Rows are numbered by object, not by line, as the core numbers JSON lines.
            rows.push(row(rows.len() + 1, place, parsed));
        }
        Ok(rows)
    }
}

fn row(number: usize, place: Place, object: Result<Json, String>) -> SourceRow {
    let failed = |raw: RawRow, reason: String| SourceRow {
        place: place.clone(),
        raw,
        problem: Some(reason),
        bad_cells: Vec::new(),
    };
    let object = match object {
        Ok(object) => object,
        Err(reason) => return failed(numbered(number), reason),
    };
    // Even a row that fails keeps its unit and period, so its result says whose it is.
    let mut fallback = numbered(number);
    if let Json::Object(map) = &object {
        fallback.unit = map.get("unit").and_then(text_of);
        fallback.period = map
            .get("period")
            .and_then(text_of)
            .filter(|p| !p.is_empty());
    }
    match rows_from_json(&object.to_string()) {
        Ok(mut rows) if rows.len() == 1 => {
            let mut raw = rows.remove(0);
            raw.row = number;
            SourceRow {
                place,
                raw,
                problem: None,
                bad_cells: Vec::new(),
            }
        }
        Ok(_) => failed(fallback, "each row must be a JSON object".into()),
        Err(InputError::Row { reason, .. }) => failed(fallback, reason),
        Err(other) => failed(fallback, other.to_string()),
    }
}

fn numbered(row: usize) -> RawRow {
    RawRow {
        row,
        ..RawRow::default()
    }
}

fn text_of(value: &Json) -> Option<String> {
    match value {
        Json::String(s) => Some(s.clone()),
        Json::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// serde_json ends its messages with " at line L column C", which the place already says.
fn strip_position(error: &serde_json::Error) -> String {
    let message = error.to_string();
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_string(),
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrays_keep_digits_and_a_bad_object_fails_alone() {
        let rows = read(
            "u.json",
            br#"[{"unit": "A", "a": 98.70}, {"unit": "B", "a": [1]}, 3]"#,
        )
        .unwrap();
        assert_eq!(rows[0].raw.cells, vec![("a".into(), "98.70".into())]);
        assert!(rows[0].problem.is_none());
        assert_eq!(rows[1].raw.unit.as_deref(), Some("B"));
        assert_eq!(
            rows[1].problem.as_deref(),
            Some("`a` holds [1], not a value")
        );
        assert_eq!(rows[2].place.to_string(), "u.json: object 3");
        assert_eq!(
            rows[2].problem.as_deref(),
            Some("each row must be a JSON object")
        );
    }

    #[test]
    fn json_lines_number_rows_by_object_and_places_by_line() {
        let rows = read("u.jsonl", b"{\"unit\": \"A\"}\n\n{\"unit\": \nX\n").unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[1].raw.row, 2);
        assert_eq!(rows[1].place.to_string(), "u.jsonl:3");
        assert!(rows[1].problem.as_ref().unwrap().starts_with("not JSON"));
    }

    #[test]
    fn an_array_that_does_not_parse_is_unreadable() {
        let error = read("u.json", b"[{\"unit\": }]").unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("cannot read u.json: line 1 column 11: ")
        );
    }
}
