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

use super::rounding::{RoundingMode, RoundingScope};

/// A decimal number in a scheme file, read exactly as written.
///
/// TOML and JSON may write it as a number (`2.5`) or a string (`"2.5"`). A TOML float is read
/// through its shortest representation, which is the text that was typed for any number of up
/// to 15 significant digits; a longer one should be written as a string.
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
                let v = v.trim();
                let parsed = if v.contains(['e', 'E']) {
                    Decimal::from_scientific(v)
                } else {
                    Decimal::from_str(v)
                };
                parsed
                    .map(Num)
                    .map_err(|_| E::custom(format!("`{v}` is not a decimal number")))
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
    pub fn name(self) -> &'static str {
        match self {
            IndicatorKind::Percent => "percent",
            IndicatorKind::Count => "count",
            IndicatorKind::Bool => "bool",
            IndicatorKind::Points => "points",
            IndicatorKind::Number => "number",
        }
    }

    pub fn is_numeric(self) -> bool {
        self != IndicatorKind::Bool
    }
}

/// What a not-applicable criterion does.
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

/// A whole scheme file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchemeFile {
    pub id: String,
    pub title: String,
    pub version: String,
    #[serde(default)]
    pub estimated: bool,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub provenance: String,
    #[serde(default, skip_serializing_if = "is_default")]
    pub not_applicable: NaPolicy,
    #[serde(default)]
    pub rounding: RoundingFile,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grades: Vec<GradeFile>,
    pub indicators: Vec<IndicatorFile>,
    pub areas: Vec<CriterionFile>,
}

/// `[rounding]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoundingFile {
    #[serde(default = "default_places")]
    pub places: u32,
    #[serde(default)]
    pub mode: RoundingMode,
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
    pub name: String,
    pub min_index: Num,
}

/// `[[indicators]]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorFile {
    pub id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    pub kind: IndicatorKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<Num>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<Num>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub numerator: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub denominator: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<String>,
}

/// An area or criterion: a group when it has `criteria`, a leaf otherwise.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CriterionFile {
    pub code: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indicator: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_points: Option<Num>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<RuleFile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_applicable: Option<NaPolicy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coordinating: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeline: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub criteria: Vec<CriterionFile>,
}

/// `rule = { kind = "…", … }`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum RuleFile {
    Threshold {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pass_points: Option<Num>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        fail_points: Option<Num>,
    },
    Proportional {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        floor: Option<Num>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        full_at: Option<Num>,
    },
    Bands {
        bands: Vec<BandFile>,
    },
    Boolean,
    Given,
    Deduction {
        per: Num,
        cap: Num,
    },
}

/// One band of a `bands` rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BandFile {
    pub min: Num,
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
