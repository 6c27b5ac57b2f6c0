//! Joining a records summary to a scheme: which summary indicator feeds which indicator id.

use std::collections::BTreeMap;

use serde::Deserialize;
use thiserror::Error;

use crate::summary::{RecordSummary, SUMMARY_INDICATORS, is_rate_indicator};
use parscore::{IndicatorKind, Scheme};
use parscore::{InputError, Location};
use parscore::{Inputs, RawRow};

/// Summary indicators → a scheme's indicator ids.
///
/// ```
/// use parscore::Scheme;
/// use parscore_records::IndicatorMap;
/// let scheme = Scheme::builtin("lang-son-snn-2024")?;
/// let map = IndicatorMap::for_scheme(&scheme);
/// assert_eq!(map.get("resolved_on_time"), Some("dossiers_on_time"));
/// map.check(&scheme)?;
///
/// let custom = IndicatorMap::from_toml(r#"
///     [indicators]
///     on_time_rate = "on_time"
/// "#)?;
/// assert_eq!(custom.get("on_time_rate"), Some("on_time"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IndicatorMap {
    scheme: Option<String>,
    /// In the order of [`SUMMARY_INDICATORS`].
    pairs: Vec<(String, String)>,
}

/// A mapping that cannot be read or does not fit its scheme.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum MappingError {
    /// A map file that is not valid TOML or holds an unknown key, or a `name=id` pair
    /// without its `=`.
    #[error("indicator map: {}{message}", location.map(|l| format!("{l}: ")).unwrap_or_default())]
    Syntax {
        /// Where in the file; `None` for pairs given on a command line.
        location: Option<Location>,
        /// What is wrong.
        message: String,
    },
    /// A map names something that is not one of [`SUMMARY_INDICATORS`] (`resolved`,
    /// `on_time_rate`, …) as the summary indicator to feed from.
    #[error("`{0}` is not a summary indicator (one of: {list})", list = SUMMARY_INDICATORS.join(", "))]
    UnknownName(String),
    /// [`IndicatorMap::check`]: a pair feeds an indicator id the scheme does not declare.
    #[error("`{name}` → `{indicator}`: the scheme `{scheme}` has no indicator `{indicator}`")]
    UnknownIndicator {
        /// The summary indicator, e.g. `resolved_on_time`.
        name: String,
        /// The indicator id it was mapped to.
        indicator: String,
        /// The id of the scheme checked against.
        scheme: String,
    },
    /// [`IndicatorMap::check`]: a count feeds an indicator that is not a `count` or
    /// `number`, or a rate one that is not a `percent`.
    #[error("`{name}` → `{indicator}`: {reason}")]
    KindMismatch {
        /// The summary indicator, e.g. `on_time_rate`.
        name: String,
        /// The indicator id it was mapped to.
        indicator: String,
        /// Which kinds disagree.
        reason: String,
    },
    /// [`IndicatorMap::check`]: the map's `scheme = "…"` names another scheme than the one
    /// checked against.
    #[error("this map was written for scheme `{expected}`, not `{actual}`")]
    WrongScheme {
        /// The scheme id the map names.
        expected: String,
        /// The id of the scheme it was checked against.
        actual: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MapFile {
    #[serde(default)]
    scheme: Option<String>,
    #[serde(default)]
    indicators: BTreeMap<String, String>,
}

const BUILTIN: &[(&str, &str)] = &[(
    "lang-son-snn-2024",
    include_str!("../mappings/lang-son-snn-2024.toml"),
)];

impl IndicatorMap {
    /// Reads a map file: an optional `scheme = "id"` and a table `[indicators]` of
    /// `summary_indicator = "scheme_indicator_id"`.
    pub fn from_toml(text: &str) -> Result<IndicatorMap, MappingError> {
        let file: MapFile = toml::from_str(text).map_err(|e| MappingError::Syntax {
            location: e.span().map(|span| Location::of_offset(text, span.start)),
            message: e.message().trim().to_string(),
        })?;
        let mut map = IndicatorMap {
            scheme: file.scheme,
            pairs: Vec::new(),
        };
        for (name, id) in file.indicators {
            map.insert(&name, &id)?;
        }
        Ok(map)
    }

    /// Reads `name=id` pairs separated by commas, as given on a command line:
    /// `resolved=dossiers_resolved,resolved_on_time=dossiers_on_time`.
    pub fn parse_pairs(text: &str) -> Result<IndicatorMap, MappingError> {
        let mut map = IndicatorMap::default();
        for pair in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (name, id) = pair.split_once('=').ok_or_else(|| MappingError::Syntax {
                location: None,
                message: format!("`{pair}` is not name=indicator"),
            })?;
            map.insert(name.trim(), id.trim())?;
        }
        Ok(map)
    }

    /// The built-in map of a built-in scheme, if it has one.
    pub fn builtin(scheme_id: &str) -> Option<IndicatorMap> {
        BUILTIN
            .iter()
            .find(|(id, _)| *id == scheme_id)
            .map(|(_, text)| {
                IndicatorMap::from_toml(text).expect("built-in maps are valid (checked by tests)")
            })
    }

    /// The built-in map of the scheme; otherwise every summary indicator whose name is also
    /// an indicator id of the scheme maps to it (a scheme may simply name its indicators
    /// `received`, `on_time_rate`, …).
    pub fn for_scheme(scheme: &Scheme) -> IndicatorMap {
        IndicatorMap::builtin(scheme.id()).unwrap_or_else(|| IndicatorMap {
            scheme: None,
            pairs: SUMMARY_INDICATORS
                .iter()
                .filter(|name| scheme.indicator(name).is_some())
                .map(|name| (name.to_string(), name.to_string()))
                .collect(),
        })
    }

    /// Maps a summary indicator to a scheme indicator id, replacing any earlier target.
    pub fn insert(&mut self, name: &str, indicator: &str) -> Result<&mut Self, MappingError> {
        let position = SUMMARY_INDICATORS
            .iter()
            .position(|n| *n == name)
            .ok_or_else(|| MappingError::UnknownName(name.to_string()))?;
        self.pairs.retain(|(n, _)| n != name);
        let at = self
            .pairs
            .iter()
            .position(|(n, _)| {
                SUMMARY_INDICATORS
                    .iter()
                    .position(|s| s == n)
                    .unwrap_or(usize::MAX)
                    > position
            })
            .unwrap_or(self.pairs.len());
        self.pairs
            .insert(at, (name.to_string(), indicator.to_string()));
        Ok(self)
    }

    /// The scheme indicator a summary indicator feeds.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, id)| id.as_str())
    }

    /// `(summary indicator, scheme indicator)` pairs.
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pairs.iter().map(|(n, id)| (n.as_str(), id.as_str()))
    }

    /// Whether the map feeds nothing: the records would give a scheme no value.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// Checks the map against a scheme: the scheme it names, every target declared, counts
    /// into count (or number) indicators and rates into percent indicators.
    pub fn check(&self, scheme: &Scheme) -> Result<(), MappingError> {
        if let Some(expected) = &self.scheme
            && expected != scheme.id()
        {
            return Err(MappingError::WrongScheme {
                expected: expected.clone(),
                actual: scheme.id().to_string(),
            });
        }
        for (name, id) in self.pairs() {
            let indicator = scheme
                .indicator(id)
                .ok_or_else(|| MappingError::UnknownIndicator {
                    name: name.to_string(),
                    indicator: id.to_string(),
                    scheme: scheme.id().to_string(),
                })?;
            let fits = if is_rate_indicator(name) {
                indicator.kind == IndicatorKind::Percent
            } else {
                matches!(indicator.kind, IndicatorKind::Count | IndicatorKind::Number)
            };
            if !fits {
                return Err(MappingError::KindMismatch {
                    name: name.to_string(),
                    indicator: id.to_string(),
                    reason: format!(
                        "a {} cannot feed a {} indicator",
                        if is_rate_indicator(name) {
                            "rate"
                        } else {
                            "count"
                        },
                        indicator.kind.name()
                    ),
                });
            }
        }
        Ok(())
    }
}

impl RecordSummary {
    /// One row per group, ready for [`Scheme::evaluate_rows`]: the unit label, the period,
    /// and a cell per mapped indicator that the records could say (`987`, `987/1000`,
    /// `n/a`). An indicator the records did not say stays out of the row, so the scheme sees
    /// it missing, never 0.
    pub fn raw_rows(&self, map: &IndicatorMap) -> Vec<RawRow> {
        self.groups
            .iter()
            .enumerate()
            .map(|(i, group)| RawRow {
                row: i + 1,
                unit: Some(group.label()),
                period: Some(group.period.to_string()),
                cells: map
                    .pairs()
                    .filter_map(|(name, id)| {
                        group.value(name).map(|v| (id.to_string(), v.to_string()))
                    })
                    .collect(),
            })
            .collect()
    }

    /// The groups as inputs of a scheme, after checking the map against it.
    ///
    /// ```
    /// use parscore::*;
    /// use parscore_records::*;
    /// let scheme = Scheme::builtin("lang-son-snn-2024")?;
    /// let d = |s: &str| Date::parse(s).unwrap();
    /// let mut summarizer = Summarizer::new(SummaryOptions::default(), Calendar::vietnam());
    /// summarizer.push(&Record { due: Some(d("12/03/2024")), completed: Some(d("11/03/2024")),
    ///     full_online: Some(true), ..Record::new(1, "Sở NN&PTNT", d("05/03/2024")) })?;
    /// let summary = summarizer.finish()?;
    /// let inputs = summary.inputs(&scheme, &IndicatorMap::for_scheme(&scheme))?;
    /// let inputs = inputs.into_iter().next().unwrap()?;
    /// assert_eq!(inputs.get("dossiers_on_time_rate").unwrap().to_string(), "1/1");
    /// assert_eq!(inputs.period(), Some("2024"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn inputs(
        &self,
        scheme: &Scheme,
        map: &IndicatorMap,
    ) -> Result<Vec<Result<Inputs, InputError>>, MappingError> {
        map.check(scheme)?;
        Ok(self
            .raw_rows(map)
            .iter()
            .map(|row| scheme.inputs_from_row(row, false))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_maps_fit_their_schemes() {
        for (id, _) in BUILTIN {
            let scheme = Scheme::builtin(id).unwrap();
            let map = IndicatorMap::builtin(id).unwrap();
            map.check(&scheme).unwrap();
            assert!(!map.is_empty());
        }
    }

    #[test]
    fn maps_are_checked_against_the_scheme() {
        let scheme = Scheme::builtin("lang-son-snn-2024").unwrap();
        let map = IndicatorMap::parse_pairs("received=nope").unwrap();
        assert!(matches!(
            map.check(&scheme),
            Err(MappingError::UnknownIndicator { .. })
        ));
        let map = IndicatorMap::parse_pairs("on_time_rate=dossiers_on_time").unwrap();
        let error = map.check(&scheme).unwrap_err();
        assert_eq!(
            error.to_string(),
            "`on_time_rate` → `dossiers_on_time`: a rate cannot feed a count indicator"
        );
        let error = IndicatorMap::parse_pairs("on_time=x").unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("`on_time` is not a summary indicator")
        );
        let map = IndicatorMap::from_toml("scheme = \"other\"\n").unwrap();
        assert!(matches!(
            map.check(&scheme),
            Err(MappingError::WrongScheme { .. })
        ));
        assert!(IndicatorMap::from_toml("[indicator]\n").is_err());
    }

    #[test]
    fn pairs_keep_the_report_order() {
        let map =
            IndicatorMap::parse_pairs("digitised_rate=d, received=r ,on_time_rate=o").unwrap();
        let names: Vec<&str> = map.pairs().map(|(n, _)| n).collect();
        assert_eq!(names, ["received", "on_time_rate", "digitised_rate"]);
    }
}
