//! Tracking the year from records exported mid-year: for each unit and each criterion a
//! rate of the records feeds (through an [`IndicatorMap`]), the rate so far as exact counts,
//! the dossiers expected in the rest of the year, and how many of them must meet the
//! condition for the year to reach the target, with what that says ([`TrackStatus`]); and
//! each rate month by month.
//!
//! The records are summarised by month up to the export's day (`as_of`). The year is the
//! calendar year of that day. The dossiers expected in the rest of it are, in this order:
//! the number given; else, when the records hold the unit's dossiers of the same months of
//! the year before, those (the month of `as_of` counted for its days still to come, pro
//! rata); else the pace so far carried over the days left. Each estimate is a whole number
//! of dossiers, rounded half up; then everything is exact integer arithmetic:
//! the smallest `k` with `(a + k) / (b + n) ≥ target`.

mod needed;

use std::collections::HashMap;

use parscore::text::nfc;
use parscore::{IndicatorSource, Op, Rhs, Scheme};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use thiserror::Error;

pub use needed::TrackStatus;

use crate::date::{Date, days_in_month};
use crate::mapping::{IndicatorMap, MappingError};
use crate::period::{Period, PeriodKind};
use crate::summary::{FlagCount, GroupSummary, RecordSummary};

/// Rates of the summary that a scheme's derived rate is, when its numerator and denominator
/// are fed by these counts: `resolved_on_time / resolved` is `on_time_rate` exactly.
const RATES_OF_COUNTS: &[(&str, &str, &str)] = &[("on_time_rate", "resolved_on_time", "resolved")];

/// Exact counts of a rate: dossiers that meet the condition of all those counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Counts {
    /// Dossiers that meet the condition (on time, full-process online, …).
    pub met: u64,
    /// Dossiers counted: the rate's denominator.
    pub total: u64,
}

impl Counts {
    fn add(self, other: Counts) -> Counts {
        Counts {
            met: self.met.saturating_add(other.met),
            total: self.total.saturating_add(other.total),
        }
    }
}

impl std::fmt::Display for Counts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.met, self.total)
    }
}

/// Written `"met/total"`, as the summary writes a rate.
impl Serialize for Counts {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Counts {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.split_once('/')
            .and_then(|(m, t)| {
                Some(Counts {
                    met: m.parse().ok()?,
                    total: t.parse().ok()?,
                })
            })
            .ok_or_else(|| serde::de::Error::custom(format!("`{text}` is not met/total")))
    }
}

/// Where the number of dossiers expected in the rest of the year comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExpectedFrom {
    /// Given ([`YearTracking::new`]'s `expected`).
    Given,
    /// The same months of the year before, from the records.
    PreviousYear,
    /// The pace so far, carried over the days left.
    Pace,
}

impl ExpectedFrom {
    /// As the JSON writes it: `given`, `previous_year`, `pace`.
    pub fn name(self) -> &'static str {
        match self {
            ExpectedFrom::Given => "given",
            ExpectedFrom::PreviousYear => "previous_year",
            ExpectedFrom::Pace => "pace",
        }
    }
}

/// One unit and one criterion a rate of the records feeds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackLine {
    /// The unit (`unit / sub-unit` by sub-unit), NFC.
    pub unit: String,
    /// The criterion's code.
    pub criterion: String,
    /// The criterion's short name.
    pub title: String,
    /// The scheme's indicator the criterion scores.
    pub indicator: String,
    /// The summary rate that feeds it (`on_time_rate`, …).
    pub rate: String,
    /// The rate over the year so far.
    pub so_far: Counts,
    /// The criterion's target, as the scheme writes it (`>= 99`).
    pub target: String,
    /// Dossiers expected to be counted in the rate in the rest of the year.
    pub expected: u64,
    /// How many of them must meet the condition for the year to reach the target; more than
    /// `expected` when it cannot be reached.
    pub needed: u64,
    /// What that says.
    pub status: TrackStatus,
    /// Where `expected` comes from.
    pub expected_from: ExpectedFrom,
    /// The lead unit (đơn vị chủ trì) the scheme names for the criterion.
    pub lead: Option<String>,
}

/// A unit and criterion fed by a rate that cannot be tracked, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Untracked {
    /// The unit.
    pub unit: String,
    /// The criterion's code.
    pub criterion: String,
    /// The scheme's indicator.
    pub indicator: String,
    /// Why, as a code.
    pub reason: UntrackedReason,
    /// Why, in a sentence.
    pub message: String,
}

/// Why a criterion fed by a rate is not tracked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UntrackedReason {
    /// The criterion has no target.
    NoTarget,
    /// Its target is not `>=` or `>` a number (a ceiling, `==`, another indicator).
    NotAFloor,
    /// Nothing counted so far and none expected: the rate does not apply.
    NothingCounted,
    /// The unit's dossiers exist but none has the rate's column filled.
    NotSaid,
}

/// One month of a rate's trend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrendMonth {
    /// `2024-03`.
    pub month: String,
    /// The month's own counts.
    pub count: Counts,
    /// From 1 January to the end of the month (or the export's day).
    pub year_to_date: Counts,
}

/// A rate of one unit month by month, January to the export's month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trend {
    /// The unit.
    pub unit: String,
    /// The summary rate.
    pub rate: String,
    /// The scheme's indicator it feeds.
    pub indicator: String,
    /// The lowest target a tracked criterion sets on it, as a percent.
    pub target: Option<parscore::Decimal>,
    /// Each month.
    pub months: Vec<TrendMonth>,
}

/// The year tracked: every unit's rates so far and what the rest of the year must deliver.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearTracking {
    /// The export's day.
    pub as_of: Date,
    /// The calendar year tracked.
    pub year: i32,
    /// Days of the year up to and including `as_of`.
    pub days_elapsed: u32,
    /// Days of the year after `as_of`.
    pub days_left: u32,
    /// One entry per unit and tracked criterion: units in the order the records first name
    /// them, criteria in scheme order.
    pub criteria: Vec<TrackLine>,
    /// The units and criteria fed by a rate that cannot be tracked.
    pub untracked: Vec<Untracked>,
    /// Each unit's tracked rates, month by month.
    pub trends: Vec<Trend>,
}

/// Why a summary cannot be tracked.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum TrackError {
    /// The summary is not by month, or was made without the export's day.
    #[error("tracking needs records summarised by month with the export's day (as_of)")]
    NotMonthly,
    /// The map does not fit the scheme.
    #[error(transparent)]
    Mapping(#[from] MappingError),
}

/// A criterion a rate feeds.
struct Tracked<'s> {
    code: &'s str,
    title: &'s str,
    lead: Option<&'s str>,
    indicator: &'s str,
    rate: &'static str,
    /// `(op, percent)` of a floor to reach, or why there is none.
    floor: Result<(Op, parscore::Decimal), (UntrackedReason, String)>,
}

impl YearTracking {
    /// Tracks the year of the summary's `as_of` (which must be by month), for every
    /// criterion of `scheme` that a rate of `map` feeds. `expected`: the dossiers expected in
    /// the rest of the year for every unit and rate, instead of estimating them.
    ///
    /// ```
    /// use parscore::Scheme;
    /// use parscore_records::*;
    /// let d = |s: &str| Date::parse(s).unwrap();
    /// let options = SummaryOptions {
    ///     period: PeriodKind::Month, as_of: Some(d("30/06/2024")), ..Default::default()
    /// };
    /// let mut summarizer = Summarizer::new(options, Calendar::vietnam());
    /// for (row, done) in [(1, "11/03/2024"), (2, "20/03/2024")] {
    ///     summarizer.push(&Record { due: Some(d("12/03/2024")), completed: Some(d(done)),
    ///         ..Record::new(row, "Sở A", d("05/03/2024")) })?;
    /// }
    /// let summary = summarizer.finish()?;
    /// let scheme = Scheme::builtin("lang-son-snn-2024")?;
    /// let map = IndicatorMap::for_scheme(&scheme);
    /// let year = YearTracking::new(&summary, &scheme, &map, Some(98))?;
    /// let line = year.criteria.iter().find(|l| l.criterion == "III.4.1").unwrap();
    /// assert_eq!(line.so_far.to_string(), "1/2"); // one late of two
    /// assert_eq!((line.expected, line.needed), (98, 98)); // 99% of 100 is 99: 98 more
    /// assert_eq!(line.status, TrackStatus::AtRisk);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(
        summary: &RecordSummary,
        scheme: &Scheme,
        map: &IndicatorMap,
        expected: Option<u64>,
    ) -> Result<YearTracking, TrackError> {
        let as_of = summary.options.as_of.ok_or(TrackError::NotMonthly)?;
        if summary.options.period != PeriodKind::Month {
            return Err(TrackError::NotMonthly);
        }
        map.check(scheme)?;
        let tracked = tracked_criteria(scheme, map);
        let (year, month, day) = as_of.ymd();
        let days_elapsed = as_of.ordinal0() as u32 + 1;
        let days_in_year = (1..=12).map(|m| days_in_month(year, m)).sum::<u32>();
        let mut tracking = YearTracking {
            as_of,
            year,
            days_elapsed,
            days_left: days_in_year - days_elapsed,
            criteria: Vec::new(),
            untracked: Vec::new(),
            trends: Vec::new(),
        };
        for (unit, groups) in units_of(summary) {
            let months = Months {
                groups: &groups,
                year,
                month,
                day,
            };
            let mut rates: Vec<(&'static str, &str, Option<parscore::Decimal>)> = Vec::new();
            for criterion in &tracked {
                let untracked = |reason: UntrackedReason, message: String| Untracked {
                    unit: unit.clone(),
                    criterion: criterion.code.to_string(),
                    indicator: criterion.indicator.to_string(),
                    reason,
                    message,
                };
                let (op, target) = match &criterion.floor {
                    Ok(floor) => *floor,
                    Err((reason, message)) => {
                        tracking.untracked.push(untracked(*reason, message.clone()));
                        continue;
                    }
                };
                if months.unsaid(criterion.rate) {
                    tracking.untracked.push(untracked(
                        UntrackedReason::NotSaid,
                        format!(
                            "the records do not say: no dossier of the year has the column of \
                             {} filled",
                            criterion.rate
                        ),
                    ));
                    continue;
                }
                let so_far = months.so_far(criterion.rate);
                let (expected, expected_from) = match expected {
                    Some(n) => (n, ExpectedFrom::Given),
                    None => match months.previous_year(criterion.rate) {
                        Some(n) => (n, ExpectedFrom::PreviousYear),
                        None => (
                            pace(so_far.total, days_elapsed, tracking.days_left),
                            ExpectedFrom::Pace,
                        ),
                    },
                };
                let Some(needed) = needed::needed(so_far.met, so_far.total, expected, op, target)
                else {
                    tracking.untracked.push(untracked(
                        UntrackedReason::NothingCounted,
                        "nothing counted so far and none expected: the rate does not apply".into(),
                    ));
                    continue;
                };
                tracking.criteria.push(TrackLine {
                    unit: unit.clone(),
                    criterion: criterion.code.to_string(),
                    title: criterion.title.to_string(),
                    indicator: criterion.indicator.to_string(),
                    rate: criterion.rate.to_string(),
                    so_far,
                    target: format!("{} {}", op.symbol(), target.normalize()),
                    expected,
                    needed,
                    status: needed::status(so_far.met, so_far.total, expected, needed),
                    expected_from,
                    lead: criterion.lead.map(str::to_string),
                });
                match rates
                    .iter_mut()
                    .find(|(rate, _, _)| *rate == criterion.rate)
                {
                    Some((_, _, lowest)) => *lowest = lowest.map(|l| l.min(target)),
                    None => rates.push((criterion.rate, criterion.indicator, Some(target))),
                }
            }
            for (rate, indicator, target) in rates {
                tracking.trends.push(Trend {
                    unit: unit.clone(),
                    rate: rate.to_string(),
                    indicator: indicator.to_string(),
                    target,
                    months: months.trend(rate),
                });
            }
        }
        Ok(tracking)
    }
}

/// Every leaf whose indicator a rate of the map feeds: mapped directly, or derived from two
/// counts whose ratio is a summary rate.
fn tracked_criteria<'s>(scheme: &'s Scheme, map: &IndicatorMap) -> Vec<Tracked<'s>> {
    let fed_by = |id: &str| {
        map.pairs()
            .find(|(_, target)| *target == id)
            .map(|(n, _)| n)
    };
    let static_name = |name: &str| {
        crate::summary::SUMMARY_INDICATORS
            .iter()
            .copied()
            .find(|n| *n == name)
    };
    let mut tracked = Vec::new();
    for criterion in scheme.leaves() {
        let Some(indicator) = scheme.indicator_of(criterion) else {
            continue;
        };
        let direct = map
            .pairs()
            .find(|(name, id)| *id == indicator.id && crate::is_rate_indicator(name))
            .and_then(|(name, _)| static_name(name));
        let derived = || match indicator.source {
            IndicatorSource::Ratio {
                numerator,
                denominator,
            } => {
                let of = |slot: usize| fed_by(&scheme.indicators()[slot].id);
                let (num, den) = (of(numerator)?, of(denominator)?);
                RATES_OF_COUNTS
                    .iter()
                    .find(|(_, n, d)| *n == num && *d == den)
                    .map(|(rate, _, _)| *rate)
            }
            _ => None,
        };
        let Some(rate) = direct.or_else(derived) else {
            continue;
        };
        let floor = match criterion.target() {
            Some(target) => match (&target.op, &target.rhs) {
                (Op::Ge | Op::Gt, Rhs::Number(p)) => Ok((target.op, *p)),
                _ => Err((
                    UntrackedReason::NotAFloor,
                    format!(
                        "its target `{target}` is not a floor to reach (only `>=` and `>` a \
                         number are tracked)"
                    ),
                )),
            },
            None => Err((
                UntrackedReason::NoTarget,
                "it has no target to reach".into(),
            )),
        };
        tracked.push(Tracked {
            code: &criterion.code,
            title: &criterion.title,
            lead: criterion.lead.as_deref(),
            indicator: &indicator.id,
            rate,
            floor,
        });
    }
    tracked
}

/// The groups of each unit, by the unit's label in NFC (a name typed in two forms is one
/// unit), units in the order the records first name them.
fn units_of(summary: &RecordSummary) -> Vec<(String, Vec<&GroupSummary>)> {
    let mut order: Vec<(String, Vec<&GroupSummary>)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for group in &summary.groups {
        let label = nfc(&group.label()).into_owned();
        let at = *index.entry(label.clone()).or_insert_with(|| {
            order.push((label, Vec::new()));
            order.len() - 1
        });
        order[at].1.push(group);
    }
    order
}

/// A rate's counts in one group.
fn counts(group: &GroupSummary, rate: &str) -> Counts {
    let flag = |f: FlagCount| Counts {
        met: f.yes,
        total: f.known(),
    };
    match rate {
        "on_time_rate" => Counts {
            met: group.resolved_on_time,
            total: group.resolved,
        },
        "online_rate" => flag(group.online),
        "full_online_rate" => flag(group.full_online),
        "paid_online_rate" => flag(group.paid_online),
        "digitised_rate" => flag(group.digitised),
        _ => Counts::default(),
    }
}

/// One unit's months.
struct Months<'g> {
    groups: &'g [&'g GroupSummary],
    year: i32,
    /// The export's month and day.
    month: u32,
    day: u32,
}

impl Months<'_> {
    fn month_of(group: &GroupSummary) -> Option<(i32, u32)> {
        match group.period {
            Period::Month { year, month } => Some((year, month)),
            _ => None,
        }
    }

    fn of_year(&self, year: i32) -> impl Iterator<Item = (u32, &GroupSummary)> {
        self.groups
            .iter()
            .filter_map(move |g| match Self::month_of(g) {
                Some((y, m)) if y == year => Some((m, *g)),
                _ => None,
            })
    }

    /// January to the export's day.
    fn so_far(&self, rate: &str) -> Counts {
        self.of_year(self.year)
            .filter(|(m, _)| *m <= self.month)
            .fold(Counts::default(), |sum, (_, g)| sum.add(counts(g, rate)))
    }

    /// Whether dossiers of this year exist but none said what the rate counts.
    fn unsaid(&self, rate: &str) -> bool {
        let mut groups = self.of_year(self.year).filter(|(m, _)| *m <= self.month);
        let mut any = false;
        let unsaid = groups.all(|(_, g)| {
            any = true;
            g.value(rate).is_none()
        });
        any && unsaid
    }

    /// The dossiers of the rest of the year as the year before had them, when the records
    /// hold the unit in those months: the months after the export's, in full, and the
    /// export's month for its days still to come.
    fn previous_year(&self, rate: &str) -> Option<u64> {
        let before = self.year - 1;
        let rest: Vec<(u32, Counts)> = self
            .of_year(before)
            .filter(|(m, _)| *m >= self.month)
            .map(|(m, g)| (m, counts(g, rate)))
            .collect();
        if rest.is_empty() {
            return None;
        }
        let whole: u128 = rest
            .iter()
            .filter(|(m, _)| *m > self.month)
            .map(|(_, c)| u128::from(c.total))
            .sum();
        let partial: u128 = rest
            .iter()
            .filter(|(m, _)| *m == self.month)
            .map(|(_, c)| u128::from(c.total))
            .sum();
        let days = u128::from(days_in_month(self.year, self.month));
        let left = days - u128::from(self.day);
        Some(needed::round_half_up(whole * days + partial * left, days))
    }

    fn trend(&self, rate: &str) -> Vec<TrendMonth> {
        let mut year_to_date = Counts::default();
        (1..=self.month)
            .map(|month| {
                let count = self
                    .of_year(self.year)
                    .filter(|(m, _)| *m == month)
                    .fold(Counts::default(), |sum, (_, g)| sum.add(counts(g, rate)));
                year_to_date = year_to_date.add(count);
                TrendMonth {
                    month: format!("{}-{month:02}", self.year),
                    count,
                    year_to_date,
                }
            })
            .collect()
    }
}

/// The pace so far over the days left: `total × left / elapsed`, rounded half up.
fn pace(total: u64, elapsed: u32, left: u32) -> u64 {
    needed::round_half_up(
        u128::from(total) * u128::from(left),
        u128::from(elapsed.max(1)),
    )
}
