//! The scheme file format: what TOML and JSON scheme files hold, key for key.
//!
//! These types mirror the files exactly (unknown keys are refused) so that a scheme can be
//! read, validated, and written back unchanged. `docs/scheme-format.md` documents each key.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::locate::enclosing_node;
use super::rounding::{RoundingMode, RoundingScope};
use crate::error::{Location, SchemeError};

/// A decimal number in a scheme file, read exactly as written.
///
/// TOML and JSON may write it as a number (`2.5`) or a string (`"2.5"`). Either is read from
/// its digits, never through a binary float: `98.99999999999999999` stays what it says, and
/// a number with more digits than a decimal holds (28 places, 28 significant digits), or
/// beyond the [limits](crate::limits), is refused rather than rounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Num(pub Decimal);

impl From<Decimal> for Num {
    fn from(d: Decimal) -> Self {
        Num(d)
    }
}

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.normalize())
    }
}

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let d = self.0.normalize();
        if d.fract().is_zero()
            && let Some(i) = d.to_i64()
        {
            return serializer.serialize_i64(i);
        }
        // A float is written only when its shortest form reads back as the same decimal, so
        // that files stay plain numbers and a dump reloads exactly; otherwise a string.
        match d.to_f64() {
            Some(f) if Decimal::from_str(&f.to_string()).ok() == Some(d) => {
                serializer.serialize_f64(f)
            }
            _ => serializer.serialize_str(&d.to_string()),
        }
    }
}

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NumVisitor;
        impl<'v> Visitor<'v> for NumVisitor {
            type Value = Num;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a decimal number")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Num, E> {
                Ok(Num(Decimal::from(v)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Num, E> {
                Ok(Num(Decimal::from(v)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Num, E> {
                if !v.is_finite() {
                    return Err(E::custom("a number must be finite"));
                }
                self.visit_str(&v.to_string())
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Num, E> {
                number(v.trim()).map(Num).map_err(E::custom)
            }
            // serde_json's arbitrary-precision numbers arrive as a one-entry map holding the
            // digits; reading them this way keeps JSON scheme numbers exact.
            fn visit_map<A: de::MapAccess<'v>>(self, mut map: A) -> Result<Num, A::Error> {
                match map.next_entry::<String, String>()? {
                    Some((key, text)) if key == "$serde_json::private::Number" => {
                        self.visit_str(&text)
                    }
                    _ => Err(de::Error::custom("expected a decimal number")),
                }
            }
        }
        deserializer.deserialize_any(NumVisitor)
    }
}

/// A scheme number from its text: exact, finite and within the limits, or why not.
fn number(text: &str) -> Result<Decimal, String> {
    let digits = text.strip_prefix('+').unwrap_or(text);
    if digits.trim_start_matches('-').starts_with(['i', 'n']) {
        return Err(format!("`{text}` is not a finite number"));
    }
    let parsed = if digits.contains(['e', 'E']) {
        Decimal::from_scientific(digits)
    } else {
        Decimal::from_str_exact(digits)
    };
    let value = parsed.map_err(|_| {
        if digits.contains('_') || digits.is_empty() {
            format!("`{text}` is not a decimal number")
        } else if digits
            .chars()
            .all(|c| c.is_ascii_digit() || "+-.eE".contains(c))
        {
            format!(
                "`{text}` cannot be held exactly: a scheme number has at most 28 decimal places \
                 and 28 significant digits, and lies below 10^15"
            )
        } else {
            format!("`{text}` is not a decimal number")
        }
    })?;
    match crate::limits::too_large(value) {
        Some(_) => Err(format!(
            "`{text}` is too large: scheme numbers lie below 10^15 in magnitude"
        )),
        None => Ok(value),
    }
}

/// Reads a TOML scheme with every float kept as the text it was written as, so that [`Num`]
/// reads its digits (a float would have been rounded to 17 of them first). Errors carry the
/// position and the code (or indicator id) of the table they are in.
pub(crate) fn parse_toml(text: &str) -> Result<SchemeFile, SchemeError> {
    let syntax = |e: toml::de::Error| {
        let offset = e.span().map(|span| span.start);
        SchemeError::Syntax {
            location: offset.map(|at| Location::of_offset(text, at)),
            code: offset.and_then(|at| enclosing_node(text, at)),
            message: e.message().trim().to_string(),
        }
    };
    let mut table = toml::de::DeTable::parse(text).map_err(syntax)?;
    floats_as_text(table.get_mut());
    SchemeFile::deserialize(toml::de::Deserializer::from(table)).map_err(syntax)
}

fn floats_as_text(table: &mut toml::de::DeTable<'_>) {
    for (_, value) in table.iter_mut() {
        float_as_text(value.get_mut());
    }
}

fn float_as_text(value: &mut toml::de::DeValue<'_>) {
    use toml::de::DeValue;
    match value {
        // TOML allows `_` between digits only: without them the text is the number.
        DeValue::Float(float) => {
            *value = DeValue::String(float.as_str().replace('_', "").into());
        }
        DeValue::Array(array) => array.iter_mut().for_each(|v| float_as_text(v.get_mut())),
        DeValue::Table(table) => floats_as_text(table),
        _ => {}
    }
}

/// What an indicator measures, and so which values it accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorKind {
    /// 0 to 100, as a value or as counts.
    Percent,
    /// A whole number ≥ 0.
    Count,
    /// Yes or no.
    Bool,
    /// Points given by a survey or appraisal.
    Points,
    /// Any decimal.
    Number,
}

impl IndicatorKind {
    /// The kind as the `kind` key writes it: `percent`, `count`, `bool`, `points` or
    /// `number`.
    pub fn name(self) -> &'static str {
        match self {
            IndicatorKind::Percent => "percent",
            IndicatorKind::Count => "count",
            IndicatorKind::Bool => "bool",
            IndicatorKind::Points => "points",
            IndicatorKind::Number => "number",
        }
    }

    /// Whether values of this kind are numbers (every kind but `bool`): a numeric target
    /// (`>= 99`) fits only a numeric indicator, `== true` only a `bool` one.
    pub fn is_numeric(self) -> bool {
        self != IndicatorKind::Bool
    }
}

/// What a not-applicable criterion does: the scheme's `not_applicable` key, which a leaf's
/// own `not_applicable` overrides. A criterion is not applicable when its value is `n/a`
/// (or a rate's denominator is 0).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NaPolicy {
    /// Drop it from the applicable maximum and rescale the index.
    #[default]
    Exclude,
    /// Give it its full points.
    FullPoints,
}

fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

/// A whole scheme file: its top-level keys. [`Scheme::from_file`](crate::Scheme::from_file)
/// validates and compiles one built in code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchemeFile {
    /// `id`: the scheme's stable identifier, e.g. `lang-son-snn-2024`; reports and input
    /// files name the scheme by it.
    pub id: String,
    /// `title`: the human title, e.g. "Chỉ số CCHC các sở 2025".
    pub title: String,
    /// `version`: the scheme's own version, free text; reports carry it.
    pub version: String,
    /// `estimated` (default `false`): `true` when the points are an estimate rather than an
    /// official instrument; every report then says so.
    #[serde(default)]
    pub estimated: bool,
    /// `provenance` (default empty): where the structure and points come from, shown in
    /// reports.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub provenance: String,
    /// `not_applicable` (default `exclude`): what a not-applicable criterion does, unless
    /// the criterion sets its own.
    #[serde(default, skip_serializing_if = "is_default")]
    pub not_applicable: NaPolicy,
    /// `[rounding]` (default 2 places, `half_up`, applied to the report).
    #[serde(default)]
    pub rounding: RoundingFile,
    /// `[[grades]]` (default none): classes on the index, highest `min_index` first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grades: Vec<GradeFile>,
    /// `[[indicators]]`: the measured quantities criteria score, and that input columns
    /// name.
    pub indicators: Vec<IndicatorFile>,
    /// `[[areas]]`: the top-level groups of criteria (the PAR Index's "lĩnh vực"), each with
    /// its `criteria`; at least one.
    pub areas: Vec<CriterionFile>,
    /// `[bonus]` (optional): bonus points (điểm thưởng), criteria outside the maximum whose
    /// points are added to the total, at most `cap` in all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bonus: Option<BonusFile>,
    /// `[penalties]` (optional): penalty points (điểm trừ) taken from the unit's total, at
    /// most `cap` in all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub penalties: Option<PenaltiesFile>,
    /// `[ranking]` (default: units whose reported index is equal share a rank).
    #[serde(default, skip_serializing_if = "is_default")]
    pub ranking: RankingFile,
}

/// `[bonus]`: bonus points (điểm thưởng). Its criteria are scored as any criterion is, but
/// lie outside the maximum: their points, at most `cap` in all, are added to the unit's
/// total, and the applicable maximum does not include them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BonusFile {
    /// `code`: the section's code, unique across the scheme, e.g. `TH`.
    pub code: String,
    /// `title`: the section's name, e.g. "Điểm thưởng".
    pub title: String,
    /// `cap`: the most bonus points counted, in all; above 0.
    pub cap: Num,
    /// `index_above_100` (default `false`): whether the total may pass the applicable
    /// maximum, and so the index 100. When `false` the total stops at the maximum.
    #[serde(default, skip_serializing_if = "is_default")]
    pub index_above_100: bool,
    /// `criteria`: the bonus criteria, written as an area's are; at least one. One that
    /// does not apply gives no bonus unless it says `not_applicable = "full_points"`.
    pub criteria: Vec<CriterionFile>,
}

/// `[penalties]`: penalty points (điểm trừ) at the level of the unit, taken from its total
/// (which never falls below 0).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PenaltiesFile {
    /// `code`: the section's code, unique across the scheme, e.g. `TR`.
    pub code: String,
    /// `title`: the section's name, e.g. "Điểm trừ".
    pub title: String,
    /// `cap`: the most points taken off, in all; above 0.
    pub cap: Num,
    /// `criteria`: the penalties; at least one.
    pub criteria: Vec<PenaltyFile>,
}

/// One penalty (`[[penalties.criteria]]`): `per` points taken off for each occurrence its
/// indicator counts (a `count`), or once for a yes (a `bool`), at most `cap`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PenaltyFile {
    /// `code`: unique across the scheme, e.g. `TR.1`.
    pub code: String,
    /// `title`: what is penalised, e.g. "Bị phê bình, nhắc nhở về CCHC".
    pub title: String,
    /// `indicator`: the id of a `count` or `bool` indicator.
    pub indicator: String,
    /// `per`: the points taken off for each occurrence (for a yes); above 0.
    pub per: Num,
    /// `cap` (optional): the most this penalty takes off; above 0 and at most the section's
    /// `cap`, which applies without it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap: Option<Num>,
    /// `lead` (optional): the unit answerable for it (đơn vị chủ trì).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead: Option<String>,
    /// `evidence` (optional): the documents that establish it (tài liệu kiểm chứng).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
}

/// `[ranking]`: how units are ranked within a period, from the highest index.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RankingFile {
    /// `ties` (default `reported`): which index units must share to be tied.
    #[serde(default, skip_serializing_if = "is_default")]
    pub ties: Ties,
    /// `tie_break` (default none): codes of areas, groups or criteria; among tied units,
    /// more points in the first decide, then the next. Units still equal share a rank.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tie_break: Vec<String>,
}

/// Which index makes two units tied: `ranking.ties`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ties {
    /// The reported (rounded) index: two units shown as 86.90 are tied.
    #[default]
    Reported,
    /// The exact index: of two units shown as 86.90, the higher exact index ranks first.
    Exact,
}

/// `[rounding]`: how reported figures are rounded; arithmetic itself stays exact. Compiled
/// into a [`Rounding`](crate::Rounding).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoundingFile {
    /// `places` (default 2, at most 10): decimals of the reported index, and of each
    /// criterion's points with `apply = "criterion"`.
    #[serde(default = "default_places")]
    pub places: u32,
    /// `mode` (default `half_up`): `half_up`, `half_even` or `down`.
    #[serde(default)]
    pub mode: RoundingMode,
    /// `apply` (default `report`): `report` rounds only the reported index (and so grade
    /// and rank); `criterion` also rounds each leaf's points before they are summed.
    #[serde(default)]
    pub apply: RoundingScope,
}

fn default_places() -> u32 {
    2
}

impl Default for RoundingFile {
    fn default() -> Self {
        RoundingFile {
            places: default_places(),
            mode: RoundingMode::default(),
            apply: RoundingScope::default(),
        }
    }
}

/// `[[grades]]`: a class on the index, lower bound inclusive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GradeFile {
    /// `name`: the grade as reports print it, e.g. "Tốt".
    pub name: String,
    /// `min_index`: the lowest index (0–100, as rounded for the report) that earns the
    /// grade, inclusive.
    pub min_index: Num,
}

/// `[[indicators]]`: one measured quantity. Give `numerator` and `denominator`, or
/// `baseline` and `current`, to derive a `percent` from two input indicators; otherwise
/// the value is an input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorFile {
    /// `id`: the indicator id that criteria, `@id` targets and input columns refer to;
    /// letters, digits and `_`, unique in the scheme.
    pub id: String,
    /// `title` (default empty): the human name, e.g. "Tỷ lệ hồ sơ đúng hạn".
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    /// `kind`: what it measures, and so which values it accepts.
    pub kind: IndicatorKind,
    /// `min` (optional): the lowest value accepted, inclusive; without it, the kind's own
    /// (0 for a percent, count or points; none for a number or a reduction, which may be
    /// negative).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<Num>,
    /// `max` (optional): the highest value accepted, inclusive; without it, the kind's own
    /// (100 for a percent, none otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<Num>,
    /// `numerator` (optional, with `denominator`): the id of a `count` indicator; the
    /// percent is `numerator / denominator × 100`, computed exactly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub numerator: Option<String>,
    /// `denominator` (optional, with `numerator`): the id of a `count` indicator; a
    /// denominator of 0 makes the rate not applicable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub denominator: Option<String>,
    /// `baseline` (optional, with `current`): the id of a `count` or `number` indicator
    /// holding the earlier quantity; the percent is the reduction
    /// `(baseline − current) / baseline × 100`, negative when the quantity grew.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<String>,
    /// `current` (optional, with `baseline`): the id of a `count` or `number` indicator
    /// holding the quantity now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<String>,
}

/// An area (`[[areas]]`) or criterion (`[[areas.criteria]]`, and deeper): a group when it
/// has `criteria`, a leaf otherwise. A leaf needs `indicator`, `max_points` and `rule`; a
/// group takes none of `indicator`, `rule`, `target` and `not_applicable`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CriterionFile {
    /// `code`: unique across the scheme, areas included; the plan's numbering, e.g. `III`
    /// for an area, `III.4.1` for a criterion.
    pub code: String,
    /// `title`: the short name, e.g. "Tỷ lệ hồ sơ giải quyết đúng hạn".
    pub title: String,
    /// `task` (optional): the plan's task text (nhiệm vụ), as the plan words it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<String>,
    /// `indicator` (a leaf's, required): the id of the indicator it scores.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indicator: Option<String>,
    /// `max_points` (a leaf's, required; a group's, optional): the most points, ≥ 0. A
    /// group's is the sum of its children's maxima, and must equal it when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_points: Option<Num>,
    /// `target` (required by a `threshold` rule): the comparison that passes, as text:
    /// `>= 99`, `== true`, `<= @staff_quota` (see [`Target`](crate::Target)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// `rule` (a leaf's, required): how the value becomes points.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<RuleFile>,
    /// `not_applicable` (a leaf's, optional): overrides the scheme's policy for this
    /// criterion; `None` follows the scheme.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_applicable: Option<NaPolicy>,
    /// `lead` (optional): the lead unit (đơn vị chủ trì) responsible for the task.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead: Option<String>,
    /// `coordinating` (optional): the coordinating units (đơn vị phối hợp).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coordinating: Option<String>,
    /// `timeline` (optional): when the task is due (tiến độ), as the plan words it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeline: Option<String>,
    /// `result` (optional): the plan's expected result (kết quả / sản phẩm).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
    /// `evidence` (optional): the evidence documents (tài liệu kiểm chứng) the instrument
    /// asks a unit to attach to its self-assessment of the criterion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
    /// `criteria` (an area's, required): the children, which make this a group whose points
    /// are their sum, clamped to `[0, max_points]`; empty for a leaf.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub criteria: Vec<CriterionFile>,
}

/// `rule = { kind = "…", … }`: how a leaf of maximum M turns its value into points.
/// Compiled into a [`Rule`](crate::Rule).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum RuleFile {
    /// `kind = "threshold"`: the criterion's `target` met gives `pass_points`, else
    /// `fail_points`. Fits any indicator kind; needs a `target`.
    Threshold {
        /// `pass_points` (default M): points when the target is met, at most M.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pass_points: Option<Num>,
        /// `fail_points` (default 0): points when it is not, from 0 up to `pass_points`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        fail_points: Option<Num>,
    },
    /// `kind = "proportional"`: "Tỷ lệ × Điểm tối đa", `M × value / 100` capped at M; with
    /// goal posts, 0 at or below `floor`, M at or above `full_at`, linear between. For a
    /// `percent` or `number` indicator.
    Proportional {
        /// `floor` (default 0): the value at or below which the criterion scores 0.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        floor: Option<Num>,
        /// `full_at` (default 100): the value at or above which it scores M; above `floor`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        full_at: Option<Num>,
    },
    /// `kind = "bands"`: the points of the highest band whose `min` the value reaches;
    /// below every band, 0. For any numeric kind.
    Bands {
        /// `bands = [{ min, points }, …]`: at least one, highest `min` first, points in
        /// `[0, M]` and never rising as `min` falls.
        bands: Vec<BandFile>,
    },
    /// `kind = "boolean"`: `true` gives M, `false` 0. For a `bool` indicator.
    Boolean,
    /// `kind = "given"`: the value is the points (a survey or appraisal result) and must lie
    /// in `[0, M]`. For a `points` or `number` indicator.
    Given,
    /// `kind = "deduction"`: M less `per` for each occurrence counted, at most `cap` in all;
    /// a `cap` above M reaches into the group, which never falls below 0. For a `count`
    /// indicator.
    Deduction {
        /// `per`: the points taken off for each occurrence; above 0.
        per: Num,
        /// `cap`: the most points taken off in all; above 0.
        cap: Num,
    },
}

/// One band of a `bands` rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BandFile {
    /// `min`: the band's lower bound, inclusive, in the indicator's unit (a percent, a
    /// count, …); the band ends below the previous band's `min`.
    pub min: Num,
    /// `points`: the points a value in the band earns, in `[0, max_points]`.
    pub points: Num,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, Serialize, PartialEq)]
    struct Holder {
        n: Num,
    }

    #[test]
    fn numbers_read_exactly_from_toml_and_json() {
        let t: Holder = toml::from_str("n = 11.6").unwrap();
        assert_eq!(t.n.to_string(), "11.6");
        let j: Holder = serde_json::from_str(r#"{"n": 0.1000000000000000000001}"#).unwrap();
        assert_eq!(j.n.to_string(), "0.1000000000000000000001");
        let s: Holder = toml::from_str("n = \"2.3333\"").unwrap();
        assert_eq!(s.n.to_string(), "2.3333");
    }

    #[test]
    fn toml_floats_are_read_from_their_digits() {
        let read = |text: &str| parse_toml(text).err().map(|e| e.to_string());
        let scheme = |n: &str| {
            format!(
                "id = \"t\"\ntitle = \"T\"\nversion = \"1\"\nindicators = []\n\n[[areas]]\ncode = \"A\"\ntitle = \"A\"\nmax_points = {n}\n"
            )
        };
        let file = parse_toml(&scheme("98.99999999999999999")).unwrap();
        assert_eq!(
            file.areas[0].max_points.unwrap().to_string(),
            "98.99999999999999999"
        );
        let third = "0.3333333333333333333333333333";
        let file = parse_toml(&scheme(third)).unwrap();
        assert_eq!(file.areas[0].max_points.unwrap().to_string(), third);
        let file = parse_toml(&scheme("1_000.5")).unwrap();
        assert_eq!(file.areas[0].max_points.unwrap().to_string(), "1000.5");
        let file = parse_toml(&scheme("1e-28")).unwrap();
        assert_eq!(file.areas[0].max_points.unwrap().0, Decimal::new(1, 28));
        for (n, why) in [
            ("0.33333333333333333333333333333", "28 decimal places"),
            ("1e20", "too large"),
            ("inf", "finite"),
            ("nan", "finite"),
        ] {
            let message = read(&scheme(n)).unwrap();
            assert!(message.contains(why), "{n}: {message}");
            assert!(message.starts_with("9:"), "{n}: {message}");
        }
    }

    #[test]
    fn numbers_write_back_to_the_same_decimal() {
        for text in ["2.5", "11.6", "0.0001", "20", "0.1000000000000000000001"] {
            let holder = Holder {
                n: Num(Decimal::from_str(text).unwrap()),
            };
            let toml_text = toml::to_string(&holder).unwrap();
            assert_eq!(toml::from_str::<Holder>(&toml_text).unwrap(), holder);
            let json_text = serde_json::to_string(&holder).unwrap();
            assert_eq!(serde_json::from_str::<Holder>(&json_text).unwrap(), holder);
        }
    }
}
