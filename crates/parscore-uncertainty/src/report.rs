//! What a study yields, with the keys scripts rely on: `units[]` with `unit`, `period`,
//! `index`, `p05`, `p50`, `p95`, `grades` (name → probability), `rank_p05`, `rank_p95`;
//! `variance_share[]` (and `rank_variance_share[]`) with `code`, `first`, `total`,
//! `first_se`, `total_se`. Exact figures are written as text, as in the results document.

use parscore::{Batch, Decimal};
use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::study::{Level, Settings};

/// The results of a study. They read back from their JSON (a pickle in Python keeps them
/// so): exact figures as text, probabilities as the shortest text of their double.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Results {
    /// The scheme's id.
    pub scheme: String,
    /// Whether the scheme's points are an estimate.
    pub estimated: bool,
    /// Samples of the uncertainty analysis.
    pub samples: usize,
    /// The seed that reproduces these results.
    pub seed: u64,
    /// The factors of the sensitivity analysis; `None` when it was not run.
    pub sensitivity: Option<Level>,
    /// One entry per input row of the batch, in order; a row that failed keeps its error.
    pub units: Vec<UnitUncertainty>,
    /// The share of the variance of the index each factor explains, over all units
    /// (their variances added up); empty without a sensitivity analysis.
    pub variance_share: Vec<VarianceShare>,
    /// The same for each unit's rank within its period.
    pub rank_variance_share: Vec<VarianceShare>,
}

/// One unit's index and rank over the samples.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitUncertainty {
    /// 1-based row of the batch.
    pub row: usize,
    /// The unit's name.
    pub unit: Option<String>,
    /// The period it is ranked within.
    pub period: Option<String>,
    /// The reported index under the scheme as it is.
    pub index: Option<Decimal>,
    /// Its grade under the scheme as it is.
    pub grade: Option<String>,
    /// Its rank under the scheme as it is.
    pub rank: Option<usize>,
    /// The 5th percentile of the index over the samples (nearest rank: a sampled value).
    pub p05: Option<Decimal>,
    /// The median index over the samples.
    pub p50: Option<Decimal>,
    /// The 95th percentile of the index over the samples.
    pub p95: Option<Decimal>,
    /// Each grade of the scheme (highest first) with the share of samples that reach it
    /// and no higher one.
    #[serde(serialize_with = "as_map", deserialize_with = "from_map")]
    pub grades: Vec<(String, f64)>,
    /// The 5th percentile of the rank over the samples (the better end).
    pub rank_p05: Option<usize>,
    /// The 95th percentile of the rank over the samples (the worse end).
    pub rank_p95: Option<usize>,
    /// The probability of each rank, from 1, for a period of at most
    /// [`RANK_TABLE_UNITS`](crate::RANK_TABLE_UNITS) units.
    pub ranks: Option<Vec<f64>>,
    /// Why the row could not be scored.
    pub error: Option<String>,
}

/// The share of a variance that one factor explains.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VarianceShare {
    /// The factor: an area or criterion code, an indicator id, `not_applicable` or
    /// `rounding`.
    pub code: String,
    /// First-order index: the share explained by the factor alone (Saltelli 2010).
    pub first: Option<f64>,
    /// Total-effect index: the share explained by the factor with all its interactions
    /// (Jansen).
    pub total: Option<f64>,
    /// Standard error of `first`.
    pub first_se: Option<f64>,
    /// Standard error of `total`.
    pub total_se: Option<f64>,
}

fn as_map<S: Serializer>(pairs: &[(String, f64)], serializer: S) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(pairs.len()))?;
    for (name, probability) in pairs {
        map.serialize_entry(name, probability)?;
    }
    map.end()
}

/// The grades' probabilities back from their map, in its order (the JSON keeps it).
fn from_map<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<(String, f64)>, D::Error> {
    struct Pairs;
    impl<'de> Visitor<'de> for Pairs {
        type Value = Vec<(String, f64)>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a map of grade names to probabilities")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut pairs = Vec::new();
            while let Some(pair) = map.next_entry()? {
                pairs.push(pair);
            }
            Ok(pairs)
        }
    }
    deserializer.deserialize_map(Pairs)
}

impl Results {
    pub(crate) fn new(batch: &Batch, settings: &Settings, _scored: usize) -> Results {
        let units = batch
            .results
            .iter()
            .map(|r| {
                let evaluation = r.outcome.as_ref().ok();
                UnitUncertainty {
                    row: r.row,
                    unit: r.unit.clone(),
                    period: r.period.clone(),
                    index: evaluation.and_then(|e| e.index_rounded()),
                    grade: evaluation.and_then(|e| e.grade()).map(|g| g.name.clone()),
                    rank: r.rank,
                    p05: None,
                    p50: None,
                    p95: None,
                    grades: Vec::new(),
                    rank_p05: None,
                    rank_p95: None,
                    ranks: None,
                    error: r.outcome.as_ref().err().map(ToString::to_string),
                }
            })
            .collect();
        Results {
            scheme: batch.scheme.id().to_string(),
            estimated: batch.scheme.estimated(),
            samples: settings.samples,
            seed: settings.seed,
            sensitivity: settings.sensitivity,
            units,
            variance_share: Vec::new(),
            rank_variance_share: Vec::new(),
        }
    }
}
