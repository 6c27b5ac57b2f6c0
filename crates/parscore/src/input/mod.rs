//! A unit's input values, checked against each indicator's kind as they are set.

use std::cmp::Ordering;

use rust_decimal::Decimal;

use crate::error::InputError;
use crate::limits::too_large;
use crate::num::exact;
use crate::scheme::{Indicator, IndicatorKind, IndicatorSource, Scheme};
use crate::text::nfc;
use crate::value::Value;

/// The measured values of one unit in one period, one slot per indicator of its scheme.
///
/// ```
/// use parscore::{Scheme, Value, Decimal};
/// let scheme = Scheme::builtin("lang-son-snn-2024")?;
/// let mut inputs = scheme.inputs("Sở NN&PTNT", Some("2024".into()));
/// inputs.set_text("dossiers_on_time", "990")?.set_text("dossiers_resolved", "1000")?;
/// assert!(inputs.set_text("dossiers_on_time", "-1").is_err()); // a count is never negative
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Inputs {
    pub(crate) scheme: Scheme,
    pub(crate) unit: String,
    pub(crate) period: Option<String>,
    pub(crate) values: Vec<Option<Value>>,
}

impl Scheme {
    /// Empty inputs (every indicator missing) for a unit of this scheme. The unit and
    /// period are kept in Unicode's composed form (NFC), so that a name typed on two
    /// keyboards is one unit.
    pub fn inputs(&self, unit: impl Into<String>, period: Option<String>) -> Inputs {
        let composed = |text: String| match nfc(&text) {
            std::borrow::Cow::Borrowed(_) => text,
            std::borrow::Cow::Owned(composed) => composed,
        };
        Inputs {
            scheme: self.clone(),
            unit: composed(unit.into()),
            period: period.map(composed),
            values: vec![None; self.indicators().len()],
        }
    }

    /// Inputs from a row of cells (column name → cell text), as read from CSV, JSON or Excel.
    /// The first bad cell fails the row, naming its column; columns that are not indicators
    /// are an error unless `ignore_unknown` (naming the closest indicator id when one is
    /// close), and so is a column given twice. Names and cells are read in Unicode's
    /// composed form (NFC).
    pub fn inputs_from_row(
        &self,
        row: &RawRow,
        ignore_unknown: bool,
    ) -> Result<Inputs, InputError> {
        let unit = row
            .unit
            .clone()
            .filter(|u| !u.trim().is_empty())
            .ok_or(InputError::Row {
                row: row.row,
                reason: "no `unit`".into(),
            })?;
        let mut inputs = self.inputs(unit, row.period.clone());
        let mut given = vec![false; self.indicators().len()];
        for (column, cell) in &row.cells {
            match self.slot(column) {
                Some(slot) if given[slot] => {
                    return Err(InputError::Row {
                        row: row.row,
                        reason: format!("`{}` is given twice", self.indicators()[slot].id),
                    });
                }
                Some(slot) => {
                    given[slot] = true;
                    inputs.set_slot_text(slot, &nfc(cell))?;
                }
                None if ignore_unknown => {}
                None => return Err(self.unknown_indicator(column)),
            }
        }
        Ok(inputs)
    }
}

impl Inputs {
    /// The unit's name (a ministry, province or department, e.g. "Sở NN&PTNT").
    pub fn unit(&self) -> &str {
        &self.unit
    }

    /// The period the values are for (e.g. `2024`); `None` when not given.
    pub fn period(&self) -> Option<&str> {
        self.period.as_deref()
    }

    /// The scheme the inputs were made for; only it (or a scheme compiled from the same file)
    /// can evaluate them.
    pub fn scheme(&self) -> &Scheme {
        &self.scheme
    }

    /// The value set for an indicator, if any.
    pub fn get(&self, id: &str) -> Option<&Value> {
        self.scheme
            .slot(id)
            .and_then(|slot| self.values[slot].as_ref())
    }

    /// Sets a value after checking it fits the indicator's kind and range and the
    /// [limits](crate::limits); counts (`Value::Ratio`) built by hand are checked as
    /// [`Value::ratio`] checks them.
    pub fn set(&mut self, id: &str, value: Value) -> Result<&mut Self, InputError> {
        let slot = self.slot(id)?;
        let value = fit(&self.scheme.indicators()[slot], value)?;
        self.values[slot] = Some(value);
        Ok(self)
    }

    /// Sets a value from cell text (see [`Value::parse`]); empty text makes it missing.
    pub fn set_text(&mut self, id: &str, text: &str) -> Result<&mut Self, InputError> {
        let slot = self.slot(id)?;
        self.set_slot_text(slot, text)?;
        Ok(self)
    }

    /// Makes an indicator missing again.
    pub fn clear(&mut self, id: &str) -> Result<&mut Self, InputError> {
        let slot = self.slot(id)?;
        self.values[slot] = None;
        Ok(self)
    }

    fn slot(&self, id: &str) -> Result<usize, InputError> {
        self.scheme
            .slot(id)
            .ok_or_else(|| self.scheme.unknown_indicator(id))
    }

    fn set_slot_text(&mut self, slot: usize, text: &str) -> Result<(), InputError> {
        self.values[slot] = read(&self.scheme.indicators()[slot], text)?;
        Ok(())
    }
}

impl Scheme {
    /// The error for an id that is not one of this scheme's indicators (a misspelt column, a
    /// stray key): [`InputError::MisspeltIndicator`] naming the closest id when one is close
    /// ([`Scheme::closest_indicator`]), else [`InputError::UnknownIndicator`].
    pub fn unknown_indicator(&self, id: &str) -> InputError {
        match self.closest_indicator(id) {
            Some(closest) => InputError::MisspeltIndicator {
                indicator: id.to_string(),
                closest: closest.to_string(),
            },
            None => InputError::UnknownIndicator(id.to_string()),
        }
    }
}

/// A cell read for an indicator ([`Value::parse`], then [`fit`]); `None` when empty. A
/// percentage (`50%`) is refused for any indicator that is not a percent: a count of 50% is
/// a typo for a rate, not 50.
pub fn read(indicator: &Indicator, text: &str) -> Result<Option<Value>, InputError> {
    let refuse = |reason| InputError::InvalidValue {
        indicator: indicator.id.clone(),
        reason,
    };
    let parsed = Value::parse(text).map_err(refuse)?;
    if indicator.kind != IndicatorKind::Percent
        && text.trim_end().ends_with('%')
        && matches!(parsed, Some(Value::Number(_)))
    {
        return Err(refuse(format!(
            "`{}`: a {} is not a percentage",
            text.trim(),
            indicator.kind.name()
        )));
    }
    parsed.map(|v| fit(indicator, v)).transpose()
}

/// The range a numeric indicator's values must lie in: its own bounds, else its kind's.
pub fn bounds(indicator: &Indicator) -> (Option<Decimal>, Option<Decimal>) {
    let (default_min, default_max) = match (indicator.kind, indicator.source) {
        (IndicatorKind::Percent, IndicatorSource::Reduction { .. }) => (None, Some(100)),
        (IndicatorKind::Percent, _) => (Some(0), Some(100)),
        (IndicatorKind::Count | IndicatorKind::Points, _) => (Some(0), None),
        _ => (None, None),
    };
    (
        indicator.min.or(default_min.map(Decimal::from)),
        indicator.max.or(default_max.map(Decimal::from)),
    )
}

/// Checks (and, for a bool written as 1/0, converts) a value for an indicator.
#[inline]
pub fn fit(indicator: &Indicator, value: Value) -> Result<Value, InputError> {
    let refuse = |reason: String| InputError::InvalidValue {
        indicator: indicator.id.clone(),
        reason,
    };
    let kind = indicator.kind;
    let number = match value {
        Value::NotApplicable => return Ok(value),
        Value::Bool(_) if kind == IndicatorKind::Bool => return Ok(value),
        Value::Number(d) if kind == IndicatorKind::Bool && (d == Decimal::ONE || d.is_zero()) => {
            return Ok(Value::Bool(d == Decimal::ONE));
        }
        // Counts, checked as when they are read: a value built by hand is no exception.
        Value::Ratio { num, den } if kind == IndicatorKind::Percent => {
            return Value::ratio(num, den).map_err(refuse);
        }
        Value::Number(d) if kind.is_numeric() => d,
        other => {
            return Err(refuse(format!(
                "{other} is not a {} value{}",
                kind.name(),
                match kind {
                    IndicatorKind::Bool => " (true or false)",
                    IndicatorKind::Percent => " (0–100, or counts a/b)",
                    _ => "",
                }
            )));
        }
    };
    if let Some(reason) = too_large(number) {
        return Err(refuse(reason));
    }
    let (min, max) = bounds(indicator);
    if kind == IndicatorKind::Count && number.scale() > 0 && !number.fract().is_zero() {
        return Err(refuse(format!(
            "a count must be a whole number, not {number}"
        )));
    }
    let below = min.is_some_and(|min| exact::cmp(number, min) == Ordering::Less);
    let above = max.is_some_and(|max| exact::cmp(number, max) == Ordering::Greater);
    if below || above {
        let show = |b: Option<Decimal>| b.map_or("…".to_string(), |d| d.normalize().to_string());
        return Err(refuse(format!(
            "{} lies outside [{}, {}] for a {}",
            number.normalize(),
            show(min),
            show(max),
            kind.name()
        )));
    }
    // A whole count without the zeros of its places (`5.00` is 5): a product of it never
    // carries them.
    Ok(Value::Number(if kind == IndicatorKind::Count {
        number.normalize()
    } else {
        number
    }))
}

/// A row of cells as read from a file, before it is checked against a scheme.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RawRow {
    /// 1-based row number in its source (data rows, not counting a header).
    pub row: usize,
    /// The `unit` cell; `None` (or blank) fails the row when it is scored.
    pub unit: Option<String>,
    /// The `period` cell (e.g. `2024`, `2024-Q2`); `None` when the row has none.
    pub period: Option<String>,
    /// Indicator id → cell text (empty: missing).
    pub cells: Vec<(String, String)>,
}

/// Rows from JSON text: an array of objects, or one object per line (JSON lines). Numbers
/// keep their exact digits; `null` is missing. Keys and text are read in Unicode's composed
/// form (NFC); a key given twice in one object fails its row (JSON keeps only one of them,
/// silently).
///
/// ```
/// let rows = parscore::rows_from_json(r#"[{"unit": "A", "on_time": 98.70, "ok": true}]"#)?;
/// assert_eq!(rows[0].unit.as_deref(), Some("A"));
/// assert_eq!(rows[0].cells[0], ("on_time".to_string(), "98.70".to_string()));
/// assert!(parscore::rows_from_json(r#"[{"unit": "A", "x": 1, "x": 2}]"#).is_err());
/// # Ok::<(), parscore::InputError>(())
/// ```
pub fn rows_from_json(text: &str) -> Result<Vec<RawRow>, InputError> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    let values: Vec<(usize, JsonRow)> = if trimmed.starts_with('[') {
        let parsed: Vec<JsonRow> = serde_json::from_str(trimmed).map_err(|e| InputError::Row {
            row: 0,
            reason: format!("line {} column {}: {e}", e.line(), e.column()),
        })?;
        parsed
            .into_iter()
            .enumerate()
            .map(|(i, v)| (i + 1, v))
            .collect()
    } else {
        let mut rows = Vec::new();
        for (i, line) in trimmed.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let value = serde_json::from_str(line).map_err(|e| InputError::Row {
                row: rows.len() + 1,
                reason: format!("line {} column {}: {e}", i + 1, e.column()),
            })?;
            rows.push((rows.len() + 1, value));
        }
        rows
    };
    values
        .into_iter()
        .map(|(row, value)| raw_row_from_json(row, value))
        .collect()
}

/// A JSON row as written: an object's entries in order, duplicates kept, or what else it is.
enum JsonRow {
    Object(Vec<(String, serde_json::Value)>),
    Other(&'static str),
}

impl<'de> serde::Deserialize<'de> for JsonRow {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::{IgnoredAny, MapAccess, SeqAccess, Visitor};
        struct RowVisitor;
        impl<'de> Visitor<'de> for RowVisitor {
            type Value = JsonRow;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<JsonRow, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    // An exact number arrives as a map of one private key.
                    if key == "$serde_json::private::Number" {
                        map.next_value::<IgnoredAny>()?;
                        return Ok(JsonRow::Other("a number"));
                    }
                    entries.push((key, map.next_value()?));
                }
                Ok(JsonRow::Object(entries))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<JsonRow, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(JsonRow::Other("an array"))
            }
            fn visit_bool<E>(self, _: bool) -> Result<JsonRow, E> {
                Ok(JsonRow::Other("a boolean"))
            }
            fn visit_i64<E>(self, _: i64) -> Result<JsonRow, E> {
                Ok(JsonRow::Other("a number"))
            }
            fn visit_u64<E>(self, _: u64) -> Result<JsonRow, E> {
                Ok(JsonRow::Other("a number"))
            }
            fn visit_f64<E>(self, _: f64) -> Result<JsonRow, E> {
                Ok(JsonRow::Other("a number"))
            }
            fn visit_str<E>(self, _: &str) -> Result<JsonRow, E> {
                Ok(JsonRow::Other("a string"))
            }
            fn visit_unit<E>(self) -> Result<JsonRow, E> {
                Ok(JsonRow::Other("null"))
            }
        }
        deserializer.deserialize_any(RowVisitor)
    }
}

fn raw_row_from_json(row: usize, value: JsonRow) -> Result<RawRow, InputError> {
    let object = match value {
        JsonRow::Object(object) => object,
        JsonRow::Other(what) => {
            return Err(InputError::Row {
                row,
                reason: format!("each row must be a JSON object, not {what}"),
            });
        }
    };
    let mut raw = RawRow {
        row,
        ..RawRow::default()
    };
    let mut keys = std::collections::HashSet::new();
    for (key, value) in object {
        let key = nfc(&key).into_owned();
        if !keys.insert(key.clone()) {
            return Err(InputError::Row {
                row,
                reason: format!("`{key}` is given twice in one object"),
            });
        }
        let text = match value {
            serde_json::Value::Null => String::new(),
            serde_json::Value::Bool(b) => b.to_string(),
            serde_json::Value::Number(n) => n.to_string(),
            serde_json::Value::String(s) => nfc(&s).into_owned(),
            other => {
                return Err(InputError::Row {
                    row,
                    reason: format!("`{key}` holds {other}, not a value"),
                });
            }
        };
        match key.as_str() {
            "unit" => raw.unit = Some(text),
            "period" => raw.period = Some(text).filter(|p| !p.is_empty()),
            _ => raw.cells.push((key, text)),
        }
    }
    Ok(raw)
}
