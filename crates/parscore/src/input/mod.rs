//! A unit's input values, checked against each indicator's kind as they are set.

use std::cmp::Ordering;

use rust_decimal::Decimal;

use crate::error::InputError;
use crate::num::exact;
use crate::scheme::{Indicator, IndicatorKind, IndicatorSource, Scheme};
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
    /// Empty inputs (every indicator missing) for a unit of this scheme.
    pub fn inputs(&self, unit: impl Into<String>, period: Option<String>) -> Inputs {
        Inputs {
            scheme: self.clone(),
            unit: unit.into(),
            period,
            values: vec![None; self.indicators().len()],
        }
    }

    /// Inputs from a row of cells (column name → cell text), as read from CSV, JSON or Excel.
    /// The first bad cell fails the row, naming its column; columns that are not indicators
    /// are an error unless `ignore_unknown`.
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
        for (column, cell) in &row.cells {
            match self.slot(column) {
                Some(slot) => inputs.set_slot_text(slot, cell)?,
                None if ignore_unknown => {}
                None => return Err(InputError::UnknownIndicator(column.clone())),
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

    /// Sets a value after checking it fits the indicator's kind and range.
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
            .ok_or_else(|| InputError::UnknownIndicator(id.to_string()))
    }

    fn set_slot_text(&mut self, slot: usize, text: &str) -> Result<(), InputError> {
        let indicator = &self.scheme.indicators()[slot];
        let parsed = Value::parse(text).map_err(|reason| InputError::InvalidValue {
            indicator: indicator.id.clone(),
            reason,
        })?;
        self.values[slot] = parsed.map(|v| fit(indicator, v)).transpose()?;
        Ok(())
    }
}

/// The range a numeric indicator's values must lie in: its own bounds, else its kind's.
pub(crate) fn bounds(indicator: &Indicator) -> (Option<Decimal>, Option<Decimal>) {
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
pub(crate) fn fit(indicator: &Indicator, value: Value) -> Result<Value, InputError> {
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
        Value::Ratio { .. } if kind == IndicatorKind::Percent => return Ok(value),
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
    Ok(Value::Number(number))
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
/// keep their exact digits; `null` is missing.
///
/// ```
/// let rows = parscore::rows_from_json(r#"[{"unit": "A", "on_time": 98.70, "ok": true}]"#)?;
/// assert_eq!(rows[0].unit.as_deref(), Some("A"));
/// assert_eq!(rows[0].cells[0], ("on_time".to_string(), "98.70".to_string()));
/// # Ok::<(), parscore::InputError>(())
/// ```
pub fn rows_from_json(text: &str) -> Result<Vec<RawRow>, InputError> {
    let trimmed = text.trim_start();
    let values: Vec<(usize, serde_json::Value)> = if trimmed.starts_with('[') {
        let parsed: Vec<serde_json::Value> =
            serde_json::from_str(text).map_err(|e| InputError::Row {
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
        for (i, line) in text.lines().enumerate() {
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

fn raw_row_from_json(row: usize, value: serde_json::Value) -> Result<RawRow, InputError> {
    let serde_json::Value::Object(object) = value else {
        return Err(InputError::Row {
            row,
            reason: "each row must be a JSON object".into(),
        });
    };
    let mut raw = RawRow {
        row,
        ..RawRow::default()
    };
    for (key, value) in object {
        let text = match value {
            serde_json::Value::Null => String::new(),
            serde_json::Value::Bool(b) => b.to_string(),
            serde_json::Value::Number(n) => n.to_string(),
            serde_json::Value::String(s) => s,
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
