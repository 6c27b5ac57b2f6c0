//! JSON inputs: an array of objects, or one object per line (JSON lines).
//!
//! Each object goes through the core's `rows_from_json`, so a cell reads exactly as it does in
//! the Rust and Python interfaces; the file is split into objects here so that one bad object
//! fails its own row and not the whole file. Objects are read with their keys as written:
//! a key given twice would otherwise keep its last value without a word.

use std::collections::HashSet;
use std::fmt;

use parscore::{InputError, RawRow, rows_from_json};
use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value as Json};

use super::columns::{Column, Naming};
use super::{FileRows, Place, ReadOptions, SourceRow, names};
use crate::fail::Failure;

pub fn read(file: &str, bytes: &[u8], options: &ReadOptions) -> Result<FileRows, Failure> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| Failure::read(file, format!("not UTF-8 text: {e}")))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut keys = Keys::default();
    let mut rows = Vec::new();
    if text.trim_start().starts_with('[') {
        // An array that does not parse has no rows to speak of: the file is unreadable.
        let objects: Vec<Written> = serde_json::from_str(text).map_err(|e| {
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
        for (i, object) in objects.into_iter().enumerate() {
            let place = Place::Object {
                file: file.to_string(),
                index: i + 1,
            };
            rows.push(row(i + 1, place, Ok(object), options, &mut keys));
        }
    } else {
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
            rows.push(row(rows.len() + 1, place, parsed, options, &mut keys));
        }
    }
    Ok(FileRows {
        file: file.to_string(),
        columns: keys.columns,
        rows,
    })
}

/// The keys seen in a file's objects (other than `unit` and `period`), each with the first
/// object that has it.
#[derive(Default)]
pub(super) struct Keys {
    seen: HashSet<String>,
    pub(super) columns: Vec<Column>,
}

impl Keys {
    fn note(&mut self, key: &str, place: &Place) {
        if key != "unit" && key != "period" && !self.seen.contains(key) {
            self.seen.insert(key.to_string());
            self.columns.push(Column {
                name: key.to_string(),
                place: place.to_string(),
                naming: Naming::Key,
            });
        }
    }
}

pub(super) fn row(
    number: usize,
    place: Place,
    written: Result<Written, String>,
    options: &ReadOptions,
    keys: &mut Keys,
) -> SourceRow {
    let failed = |raw: RawRow, reason: String| SourceRow {
        place: place.clone(),
        raw,
        problem: Some(reason),
        bad_cells: Vec::new(),
    };
    let pairs = match written {
        Ok(Written::Object(pairs)) => pairs,
        Ok(Written::Other) => {
            return failed(numbered(number), "each row must be a JSON object".into());
        }
        Err(reason) => return failed(numbered(number), reason),
    };
    // Even a row that fails keeps its unit and period, so its result says whose it is.
    let mut fallback = numbered(number);
    let mut object = Map::new();
    let mut twice = None;
    let mut bad_cells = Vec::new();
    for (key, value) in pairs {
        let key = names::name(&key);
        keys.note(&key, &place);
        match key.as_str() {
            "unit" => fallback.unit = text_of(&value).map(|u| names::name(&u)),
            "period" => {
                fallback.period = text_of(&value)
                    .map(|p| names::period(&p))
                    .filter(|p| !p.is_empty());
            }
            _ => {}
        }
        if object.contains_key(&key) {
            twice.get_or_insert_with(|| key.clone());
            continue;
        }
        let value = match value {
            Json::String(text) if key != "unit" && key != "period" => {
                let text = names::cell(text);
                match options.decimal.canonical(&text) {
                    Ok(read) => Json::String(read.into_owned()),
                    Err(reason) => {
                        bad_cells.push((key, reason));
                        continue;
                    }
                }
            }
            other => other,
        };
        object.insert(key, value);
    }
    if let Some(key) = twice {
        return failed(
            fallback,
            format!("key `{key}` appears twice in this object; which value is meant?"),
        );
    }
    match rows_from_json(&Json::Object(object).to_string()) {
        Ok(mut rows) if rows.len() == 1 => {
            let mut raw = rows.remove(0);
            raw.row = number;
            raw.unit = raw.unit.map(|u| names::name(&u));
            raw.period = raw
                .period
                .map(|p| names::period(&p))
                .filter(|p| !p.is_empty());
            SourceRow {
                place,
                raw,
                problem: None,
                bad_cells,
            }
        }
        Ok(_) => failed(fallback, "each row must be a JSON object".into()),
        Err(InputError::Row { reason, .. }) => failed(fallback, reason),
        Err(other) => failed(fallback, other.to_string()),
    }
}

/// A row as written in the file: an object's keys and values in order, a key given twice
/// kept twice; or anything else, which is no row.
pub(super) enum Written {
    Object(Vec<(String, Json)>),
    Other,
}

/// How serde_json (with `arbitrary_precision`) hands over a number: as a map of this one
/// key to the number's text.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

impl<'de> Deserialize<'de> for Written {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Written, D::Error> {
        deserializer.deserialize_any(WrittenVisitor)
    }
}

struct WrittenVisitor;

impl<'de> Visitor<'de> for WrittenVisitor {
    type Value = Written;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Written, A::Error> {
        let mut pairs = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if pairs.is_empty() && key == NUMBER_TOKEN {
                map.next_value::<IgnoredAny>()?;
                return Ok(Written::Other);
            }
            pairs.push((key, map.next_value::<Json>()?));
        }
        Ok(Written::Object(pairs))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Written, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Written::Other)
    }

    fn visit_bool<E>(self, _: bool) -> Result<Written, E> {
        Ok(Written::Other)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Written, E> {
        Ok(Written::Other)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Written, E> {
        Ok(Written::Other)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Written, E> {
        Ok(Written::Other)
    }

    fn visit_str<E>(self, _: &str) -> Result<Written, E> {
        Ok(Written::Other)
    }

    fn visit_unit<E>(self) -> Result<Written, E> {
        Ok(Written::Other)
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
pub(super) fn strip_position(error: &serde_json::Error) -> String {
    let message = error.to_string();
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_string(),
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::DecimalMark;

    fn rows(file: &str, bytes: &[u8]) -> Vec<SourceRow> {
        read(file, bytes, &ReadOptions::default()).unwrap().rows
    }

    #[test]
    fn arrays_keep_digits_and_a_bad_object_fails_alone() {
        let rows = rows(
            "u.json",
            br#"[{"unit": "A", "a": 98.70}, {"unit": "B", "a": [1]}, 3, "x", null, [1]]"#,
        );
        assert_eq!(rows[0].raw.cells, vec![("a".into(), "98.70".into())]);
        assert!(rows[0].problem.is_none());
        assert_eq!(rows[1].raw.unit.as_deref(), Some("B"));
        assert_eq!(
            rows[1].problem.as_deref(),
            Some("`a` holds [1], not a value")
        );
        assert_eq!(rows[2].place.to_string(), "u.json: object 3");
        for row in &rows[2..] {
            assert_eq!(
                row.problem.as_deref(),
                Some("each row must be a JSON object")
            );
        }
    }

    #[test]
    fn json_lines_number_rows_by_object_and_places_by_line() {
        let rows = rows("u.jsonl", b"{\"unit\": \"A\"}\n\n{\"unit\": \nX\n");
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[1].raw.row, 2);
        assert_eq!(rows[1].place.to_string(), "u.jsonl:3");
        assert!(rows[1].problem.as_ref().unwrap().starts_with("not JSON"));
    }

    #[test]
    fn an_array_that_does_not_parse_is_unreadable() {
        let error = read("u.json", b"[{\"unit\": }]", &ReadOptions::default()).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("cannot read u.json: line 1 column 11: ")
        );
    }

    #[test]
    fn a_key_given_twice_fails_its_row_in_either_unicode_form() {
        let rows = rows(
            "u.jsonl",
            "{\"unit\": \"A\", \"a\": 1, \"a\": 2}\n{\"unit\": \"B\", \"có\": 1, \"co\u{301}\": 2}\n"
                .as_bytes(),
        );
        assert_eq!(
            rows[0].problem.as_deref(),
            Some("key `a` appears twice in this object; which value is meant?")
        );
        assert_eq!(rows[0].raw.unit.as_deref(), Some("A"));
        assert!(
            rows[1]
                .problem
                .as_ref()
                .unwrap()
                .starts_with("key `có` appears twice")
        );
    }

    #[test]
    fn names_are_composed_periods_whole_and_texts_read_under_the_decimal_mark() {
        let options = ReadOptions {
            decimal: DecimalMark::Comma,
            ..ReadOptions::default()
        };
        let read = read(
            "u.json",
            "[{\"unit\": \"Sở Tư pha\u{301}p\", \"period\": 2024.0, \"a\": \"17,5\", \"b\": 17.5, \"c\": \"1,2,3\"}]"
                .as_bytes(),
            &options,
        )
        .unwrap();
        let row = &read.rows[0];
        assert_eq!(row.raw.unit.as_deref(), Some("Sở Tư pháp"));
        assert_eq!(row.raw.period.as_deref(), Some("2024"));
        assert_eq!(
            row.raw.cells,
            [("a".into(), "17.5".into()), ("b".into(), "17.5".into())]
        );
        assert_eq!(row.bad_cells[0].0, "c");
        let keys: Vec<(&str, &str)> = read
            .columns
            .iter()
            .map(|c| (c.name.as_str(), c.place.as_str()))
            .collect();
        assert_eq!(
            keys,
            [
                ("a", "u.json: object 1"),
                ("b", "u.json: object 1"),
                ("c", "u.json: object 1")
            ]
        );
    }
}
