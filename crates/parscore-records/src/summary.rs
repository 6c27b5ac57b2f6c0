//! Streaming summaries of dossier records: counts and exact rates per unit and period.
//!
//! Records are pushed one at a time; memory grows with the number of (unit, period) groups
//! and of distinct dates, never with the number of records.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};
use serde_json::{Value as Json, json};
use thiserror::Error;

use std::sync::Arc;

use crate::calendar::{Calendar, CalendarError};
use crate::codes::{DossierCodes, code_hash};
use crate::date::Date;
use crate::limits::{self, MAX_GROUPS, MAX_PERIODS};
use crate::period::{Period, PeriodKind};
use crate::record::{BadKind, BadRecord, Record, RecordField};
use crate::status::DossierStatus;
use crate::text::{Dense, FxMap, trim_cell};
use parscore::Value;
use parscore::text::nfc;

/// Which date puts a resolved dossier in a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResolvedBy {
    /// The period it was completed in (default): "resolved in the period".
    #[default]
    Completed,
    /// The period it was received in: "received in the period and resolved", as some
    /// instruments word the on-time rate.
    Received,
}

/// How records are summarised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryOptions {
    /// How records are grouped in time: years (default), quarters, months or one range of
    /// dates. A record outside a range is not counted in any group.
    pub period: PeriodKind,
    /// Group by unit and sub-unit instead of by unit.
    pub by_sub_unit: bool,
    /// Which date puts a resolved dossier in a period: its completed date (default) or its
    /// received date.
    pub resolved_by: ResolvedBy,
    /// The day the export was taken. Dossiers in progress are counted at the end of each
    /// period, or on this day for the period it falls in. When not given, the latest received
    /// or completed date among the records stands for it. A record received or completed
    /// after it is bad.
    pub as_of: Option<Date>,
    /// The first bad record is an error instead of being counted and reported.
    pub strict: bool,
    /// How many bad records of each kind are kept with their row and message (all are
    /// counted).
    pub bad_examples: usize,
}

impl Default for SummaryOptions {
    fn default() -> Self {
        SummaryOptions {
            period: PeriodKind::Year,
            by_sub_unit: false,
            resolved_by: ResolvedBy::Completed,
            as_of: None,
            strict: false,
            bad_examples: 1000,
        }
    }
}

impl SummaryOptions {
    /// Checks the options against the [limits](crate::limits): the export's date and the ends
    /// of a range of dates lie in the years a summary accepts. [`Summarizer::finish`] refuses
    /// options that do not; a reader can check them before reading anything.
    ///
    /// ```
    /// use parscore_records::{Date, SummaryOptions};
    /// let far = SummaryOptions { as_of: Date::parse("9999-12-30").ok(), ..Default::default() };
    /// assert!(far.check().unwrap_err().to_string().contains("1990-01-01 to 2100-12-31"));
    /// ```
    pub fn check(&self) -> Result<(), RecordError> {
        let mut dates = Vec::new();
        if let Some(as_of) = self.as_of {
            dates.push(("the export's date", as_of));
        }
        if let PeriodKind::Range { from, to } = self.period {
            dates.extend([
                ("the range's first day", from),
                ("the range's last day", to),
            ]);
        }
        match dates.into_iter().find(|(_, date)| !limits::accepts(*date)) {
            Some((what, date)) => Err(RecordError::Options(format!(
                "{what} {date} lies outside the dates a summary accepts, {}",
                limits::accepted_dates()
            ))),
            None => Ok(()),
        }
    }
}

/// Why records cannot be summarised.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum RecordError {
    /// A bad record in strict mode.
    #[error("{0}")]
    Bad(BadRecord),
    /// Dossiers still in progress are due on a day of a year the calendar does not hold, so
    /// whether they are overdue cannot be told.
    #[error("{dossiers} dossier(s) in progress fall due in a year without a calendar: {source}")]
    Calendar {
        /// How many dossiers in progress fall due in years the calendar does not hold.
        dossiers: u64,
        /// The calendar's refusal, naming the first such year and the years it covers.
        #[source]
        source: CalendarError,
    },
    /// An option outside the [limits](crate::limits): the export's date, or an end of a range
    /// of dates, outside the years a summary accepts.
    #[error("{0}")]
    Options(String),
    /// The records span more periods than a summary holds ([`MAX_PERIODS`]), from the period
    /// of the earliest record counted to that of the export's date.
    #[error(
        "the records span {periods} periods, from {first} to {last}, and a summary spans at \
         most {MAX_PERIODS}: the earliest is row {row}, received {received}; summarise by \
         quarter or year, count a range of dates, or check that record's dates"
    )]
    TooManyPeriods {
        /// How many periods the summary would span.
        periods: i64,
        /// The period of the earliest record.
        first: Period,
        /// The period of the export's date.
        last: Period,
        /// The row of the earliest record.
        row: usize,
        /// Its received date.
        received: Date,
    },
    /// Summarizers merged ([`Summarizer::merge`]) both counted a dossier code: read apart,
    /// the later row was counted as well as the first. Parts read apart check their codes
    /// ahead ([`Summarizer::check_code`]).
    #[error(
        "row {row} repeats a dossier code{}, and both were counted by summaries made apart: \
         check the codes ahead (Summarizer::check_code)",
        first_row.map(|r| format!(" of row {r}")).unwrap_or_default()
    )]
    CodeCountedApart {
        /// The later row.
        row: usize,
        /// The row that first gave the code, when known.
        first_row: Option<usize>,
    },
    /// The summary would hold more unit × period groups than [`MAX_GROUPS`].
    #[error(
        "the summary would hold {groups} unit × period groups, more than the {MAX_GROUPS} a \
         summary holds: summarise by quarter or year, or fewer units at a time"
    )]
    TooManyGroups {
        /// How many groups it would hold.
        groups: u64,
    },
}

/// The summary indicators, in report order: counts, then rates as exact counts
/// (`Value::Ratio`, or not applicable when the denominator is 0).
pub const SUMMARY_INDICATORS: &[&str] = &[
    "received",
    "resolved",
    "resolved_on_time",
    "resolved_early",
    "resolved_late",
    "on_time_rate",
    "pending",
    "overdue_in_progress",
    "withdrawn",
    "online",
    "online_rate",
    "full_online",
    "full_online_rate",
    "payable",
    "paid_online",
    "paid_online_rate",
    "digitised",
    "digitised_rate",
];

/// Whether a summary indicator is a rate (a percent) rather than a count.
pub fn is_rate_indicator(name: &str) -> bool {
    name.ends_with("_rate")
}

/// Dossiers of a group whose yes/no field is yes, and no; the others did not say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FlagCount {
    /// Dossiers whose cell says yes.
    pub yes: u64,
    /// Dossiers whose cell says no (or is empty, under a profile with `blank = "no"`).
    pub no: u64,
}

impl FlagCount {
    /// Dossiers that said either: the denominator of the field's rate.
    pub fn known(self) -> u64 {
        self.yes + self.no
    }

    fn add(&mut self, flag: Option<bool>) {
        match flag {
            Some(true) => self.yes += 1,
            Some(false) => self.no += 1,
            None => {}
        }
    }

    fn merge(&mut self, other: FlagCount) {
        self.yes += other.yes;
        self.no += other.no;
    }

    /// The count of yes, when anything is known or there is nothing to know (`base` 0).
    fn count(self, base: Option<u64>) -> Option<u64> {
        (self.known() > 0 || base == Some(0)).then_some(self.yes)
    }

    /// yes / known, not applicable when there is nothing to know, missing when the dossiers
    /// exist but none said.
    fn rate(self, base: Option<u64>) -> Option<Value> {
        if self.known() > 0 {
            ratio(self.yes, self.known())
        } else if base == Some(0) {
            Some(Value::NotApplicable)
        } else {
            None
        }
    }
}

fn ratio(num: u64, den: u64) -> Option<Value> {
    Value::ratio(Decimal::from(num), Decimal::from(den)).ok()
}

/// The counts of one unit (or sub-unit) in one period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupSummary {
    /// The unit, as its records write it (trimmed, NFC: the same name typed composed or
    /// decomposed is one unit).
    pub unit: String,
    /// The sub-unit (trimmed, NFC), when summarising by sub-unit and the records name one;
    /// `None` otherwise.
    pub sub_unit: Option<String>,
    /// The period counted.
    pub period: Period,
    /// The day dossiers in progress were counted on: the period's end, or the `as_of` day.
    pub evaluated_on: Date,
    /// Dossiers received in the period (withdrawn ones included).
    pub received: u64,
    /// Dossiers received in the period and withdrawn.
    pub withdrawn: u64,
    /// Dossiers resolved in the period (see [`ResolvedBy`]).
    pub resolved: u64,
    /// Of those, resolved before their due date (sớm hạn).
    pub resolved_early: u64,
    /// Resolved by their due date, early ones included.
    pub resolved_on_time: u64,
    /// Of those, resolved after their due date (trễ hạn); a due date on a day off runs to
    /// the next working day.
    pub resolved_late: u64,
    /// Received and not yet resolved on `evaluated_on` (withdrawn ones excluded).
    pub pending: u64,
    /// Of those, past their due date on `evaluated_on` (those waiting for supplements
    /// excluded: their clock stops).
    pub overdue_in_progress: u64,
    /// Among the dossiers received in the period: submitted online (nộp trực tuyến) or not.
    pub online: FlagCount,
    /// Among the dossiers received in the period: full-process online (trực tuyến toàn
    /// trình) or not.
    pub full_online: FlagCount,
    /// Received dossiers that carry fees: yes / no. A dossier paid online counts as
    /// payable; without a fee cell, a dossier whose payment cell says yes or no does.
    pub payable: FlagCount,
    /// Among the payable dossiers received in the period.
    pub paid_online: FlagCount,
    /// Among the dossiers received in the period: digitised (số hóa) or not.
    pub digitised: FlagCount,
}

impl GroupSummary {
    /// `unit`, or `unit / sub-unit`.
    pub fn label(&self) -> String {
        match &self.sub_unit {
            Some(sub) => format!("{} / {sub}", self.unit),
            None => self.unit.clone(),
        }
    }

    /// A summary indicator (see [`SUMMARY_INDICATORS`]) as a value for a scheme: a count,
    /// an exact rate, not applicable (nothing to count), or `None` when the records did not
    /// say (no dossier of the group has that yes/no field filled).
    ///
    /// ```
    /// # use parscore::{Value, Decimal};
    /// # use parscore_records::{Calendar, Date, Record, Summarizer, SummaryOptions};
    /// # let mut s = Summarizer::new(SummaryOptions::default(), Calendar::vietnam());
    /// # let d = |t: &str| Date::parse(t).unwrap();
    /// # s.push(&Record { due: Some(d("12/03/2024")), completed: Some(d("11/03/2024")),
    /// #     ..Record::new(1, "A", d("05/03/2024")) })?;
    /// let summary = s.finish()?;
    /// let group = &summary.groups[0];
    /// assert_eq!(group.value("resolved_on_time"), Some(Value::Number(Decimal::ONE)));
    /// assert_eq!(group.value("on_time_rate").unwrap().to_string(), "1/1");
    /// assert_eq!(group.value("online_rate"), None); // no record said
    /// # Ok::<(), parscore_records::RecordError>(())
    /// ```
    pub fn value(&self, name: &str) -> Option<Value> {
        let count = |n: u64| Some(Value::Number(Decimal::from(n)));
        let received = Some(self.received);
        let payable = self.payable.count(received);
        match name {
            "received" => count(self.received),
            "resolved" => count(self.resolved),
            "resolved_on_time" => count(self.resolved_on_time),
            "resolved_early" => count(self.resolved_early),
            "resolved_late" => count(self.resolved_late),
            "on_time_rate" => ratio(self.resolved_on_time, self.resolved),
            "pending" => count(self.pending),
            "overdue_in_progress" => count(self.overdue_in_progress),
            "withdrawn" => count(self.withdrawn),
            "online" => self.online.count(received).and_then(count),
            "online_rate" => self.online.rate(received),
            "full_online" => self.full_online.count(received).and_then(count),
            "full_online_rate" => self.full_online.rate(received),
            "payable" => payable.and_then(count),
            "paid_online" => self.paid_online.count(payable).and_then(count),
            "paid_online_rate" => self.paid_online.rate(payable),
            "digitised" => self.digitised.count(received).and_then(count),
            "digitised_rate" => self.digitised.rate(received),
            _ => None,
        }
    }

    /// The group as JSON: unit, sub-unit, period, evaluation day, then every summary
    /// indicator: counts as numbers, rates as `"num/den"` or `"n/a"`, `null` when unknown.
    pub fn to_json(&self) -> Json {
        let mut object = serde_json::Map::new();
        object.insert("unit".into(), json!(self.unit));
        object.insert("sub_unit".into(), json!(self.sub_unit));
        object.insert("period".into(), json!(self.period.to_string()));
        object.insert("evaluated_on".into(), json!(self.evaluated_on.to_string()));
        for name in SUMMARY_INDICATORS {
            let value = match self.value(name) {
                None => Json::Null,
                Some(Value::Number(n)) => json!(n.to_u64()),
                Some(other) => json!(other.to_string()),
            };
            object.insert((*name).into(), value);
        }
        Json::Object(object)
    }
}

/// Bad records of one kind: how many, and the first ones with their rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BadKindCount {
    /// What is wrong with them.
    pub kind: BadKind,
    /// How many records of this kind, all of them (not only those kept).
    pub count: u64,
    /// The first records of this kind, in the order pushed.
    pub examples: Vec<BadRecord>,
}

/// Every bad record, counted by kind.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct BadRecords {
    /// Bad records of every kind.
    pub total: u64,
    /// In the order of [`BadKind`].
    pub kinds: Vec<BadKindCount>,
}

impl BadRecords {
    fn add(&mut self, bad: BadRecord, keep: usize) {
        self.total += 1;
        let index = match self.kinds.binary_search_by(|k| k.kind.cmp(&bad.kind)) {
            Ok(index) => index,
            Err(index) => {
                self.kinds.insert(
                    index,
                    BadKindCount {
                        kind: bad.kind,
                        count: 0,
                        examples: Vec::new(),
                    },
                );
                index
            }
        };
        let entry = &mut self.kinds[index];
        entry.count += 1;
        if entry.examples.len() < keep {
            entry.examples.push(bad);
        }
    }

    fn merge(&mut self, other: BadRecords, keep: usize) {
        for kind in other.kinds {
            // Those the other summary counted without keeping them as examples.
            let unkept = kind.count - kind.examples.len() as u64;
            for bad in kind.examples {
                self.add(bad, keep);
            }
            if unkept > 0 {
                let index = match self.kinds.binary_search_by(|k| k.kind.cmp(&kind.kind)) {
                    Ok(index) => index,
                    Err(index) => {
                        self.kinds.insert(
                            index,
                            BadKindCount {
                                kind: kind.kind,
                                count: 0,
                                examples: Vec::new(),
                            },
                        );
                        index
                    }
                };
                self.kinds[index].count += unkept;
                self.total += unkept;
            }
        }
    }

    /// Whether no record was bad.
    pub fn is_empty(&self) -> bool {
        self.total == 0
    }
}

/// The summary of a set of records. It serializes (with serde) to a form that reads back
/// to an equal summary, which is how it travels between processes; [`RecordSummary::to_json`]
/// is the report document instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordSummary {
    /// The options the records were summarised with.
    pub options: SummaryOptions,
    /// The day dossiers in progress were counted on in the last period: the `as_of` option,
    /// or the latest received or completed date; `None` when no record was counted.
    pub as_of: Option<Date>,
    /// Records pushed, good and bad.
    pub records: u64,
    /// Records counted.
    pub counted: u64,
    /// One per unit (or sub-unit) and period with anything to count, units in the order
    /// first met, periods in time order.
    pub groups: Vec<GroupSummary>,
    /// The records that could not be counted, by kind.
    pub bad: BadRecords,
}

/// A streaming summary of dossier records.
///
/// ```
/// use parscore_records::{Calendar, Date, DossierStatus, PeriodKind, Record, Summarizer, SummaryOptions};
/// let d = |s: &str| Date::parse(s).unwrap();
/// let options = SummaryOptions { period: PeriodKind::Quarter, ..SummaryOptions::default() };
/// let mut summarizer = Summarizer::new(options, Calendar::vietnam());
/// // Due on Saturday 10 February 2024, in the Tết break: the term runs to Thursday the 15th.
/// summarizer.push(&Record {
///     due: Some(d("10/02/2024")),
///     completed: Some(d("15/02/2024")),
///     ..Record::new(1, "Sở A", d("01/02/2024"))
/// })?;
/// summarizer.push(&Record {
///     due: Some(d("20/02/2024")),
///     completed: Some(d("21/02/2024")),
///     status: Some(DossierStatus::Late),
///     ..Record::new(2, "Sở A", d("05/02/2024"))
/// })?;
/// let summary = summarizer.finish()?;
/// let q1 = &summary.groups[0];
/// assert_eq!(q1.period.to_string(), "2024-Q1");
/// assert_eq!((q1.received, q1.resolved, q1.resolved_on_time), (2, 2, 1));
/// assert_eq!(q1.value("on_time_rate").unwrap().to_string(), "1/2");
/// # Ok::<(), parscore_records::RecordError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Summarizer {
    options: SummaryOptions,
    calendar: Calendar,
    names: Vec<Box<str>>,
    name_ids: FxMap<Box<str>, u32>,
    group_ids: FxMap<(u32, u32), usize>,
    groups: Vec<GroupState>,
    last_group: Option<usize>,
    bad: BadRecords,
    records: u64,
    counted: u64,
    latest: Option<Date>,
    /// The earliest received date counted, and its row (the first of them).
    earliest: Option<(Date, usize)>,
    codes: Codes,
}

/// How a summarizer knows the dossier codes read.
#[derive(Debug, Clone)]
enum Codes {
    /// Checked as records are pushed.
    Checked(DossierCodes),
    /// Checked ahead by the summarizer this one is a part of: these rows (sorted) repeat the
    /// code of the row given with each.
    Ahead(Arc<[(usize, usize)]>),
}

const NO_SUB_UNIT: u32 = u32::MAX;

/// A unit (or unit and sub-unit) of a [`Summarizer`], for [`Summarizer::push_to`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GroupId(usize);

impl GroupId {
    pub(crate) fn index(self) -> usize {
        self.0
    }
}

/// Up to about 11 years of days, and 100 years of months, side by side in memory; a date
/// beyond that is kept apart (see [`Dense`]).
const DAY_SPAN: usize = 4096;
const PERIOD_SPAN: usize = 1200;

#[derive(Debug, Clone)]
struct GroupState {
    unit: u32,
    sub_unit: u32,
    periods: Dense<Counts>,
    /// Per day: `[pending, overdue]` deltas. Pending: +1 on the day a dossier is received,
    /// −1 on the day it is completed. Overdue: +1 on the day its term ends (its due date,
    /// rolled to a working day), −1 on the day it is completed.
    days: Dense<[i64; 2]>,
    /// Dossiers in progress due in a year the calendar does not hold, by due date: they
    /// matter only if that day is reached (see [`Summarizer::finish`]).
    unrolled: BTreeMap<i32, u64>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Counts {
    received: u64,
    withdrawn: u64,
    resolved: u64,
    early: u64,
    on_time: u64,
    late: u64,
    online: FlagCount,
    full_online: FlagCount,
    payable: FlagCount,
    paid_online: FlagCount,
    digitised: FlagCount,
}

impl Counts {
    fn merge(&mut self, other: &Counts) {
        self.received += other.received;
        self.withdrawn += other.withdrawn;
        self.resolved += other.resolved;
        self.early += other.early;
        self.on_time += other.on_time;
        self.late += other.late;
        self.online.merge(other.online);
        self.full_online.merge(other.full_online);
        self.payable.merge(other.payable);
        self.paid_online.merge(other.paid_online);
        self.digitised.merge(other.digitised);
    }
}

/// What a good record contributes, worked out before anything is counted, so that a bad
/// record changes nothing.
struct Contribution {
    withdrawn: bool,
    /// Early, on time or late, for a resolved dossier.
    timeliness: Option<DossierStatus>,
    overdue: Overdue,
}

enum Overdue {
    Never,
    /// Overdue from this day (its term's end) until completed.
    From(Date),
    /// In progress and due on a day of a year the calendar does not hold.
    Unrolled(Date),
}

impl Summarizer {
    /// An empty summarizer; `calendar` gives the working days that due dates from
    /// processing days and the terms of due dates on days off need.
    pub fn new(options: SummaryOptions, calendar: Calendar) -> Summarizer {
        Summarizer {
            options,
            calendar,
            names: Vec::new(),
            name_ids: FxMap::default(),
            group_ids: FxMap::default(),
            groups: Vec::new(),
            last_group: None,
            bad: BadRecords::default(),
            records: 0,
            counted: 0,
            latest: None,
            earliest: None,
            codes: Codes::Checked(DossierCodes::default()),
        }
    }

    /// The options it summarises with.
    pub fn options(&self) -> &SummaryOptions {
        &self.options
    }

    /// Counts one record, or, when it is bad, counts it among the bad records (strict mode:
    /// returns it as the error). A record whose dossier code was read before is bad
    /// ([`BadKind::DuplicateId`]), whatever else it holds.
    pub fn push(&mut self, record: &Record<'_>) -> Result<(), RecordError> {
        self.push_with(record, |s| s.group(record.unit, record.sub_unit))
    }

    /// Counts one record in a group from [`Summarizer::group_id`], whatever its `unit` and
    /// `sub_unit` say.
    pub fn push_to(&mut self, group: GroupId, record: &Record<'_>) -> Result<(), RecordError> {
        assert!(
            group.0 < self.groups.len(),
            "group {} was not made by this summarizer",
            group.0
        );
        self.push_with(record, |_| group.0)
    }

    /// Counts one record in the group `group` gives, asked for only when the record is
    /// counted: a unit is met at its first counted record, as [`Summarizer::push`] meets
    /// it, whatever the reader.
    pub(crate) fn push_with(
        &mut self,
        record: &Record<'_>,
        group: impl FnOnce(&mut Summarizer) -> usize,
    ) -> Result<(), RecordError> {
        self.records += 1;
        if let Some(duplicate) = self.duplicate(record.row, record.id) {
            return self.reject(duplicate);
        }
        match self.contribution(record) {
            Ok(contribution) => {
                let index = group(self);
                self.count_in(index, record, &contribution);
                Ok(())
            }
            Err(bad) => self.reject(bad),
        }
    }

    /// Counts a row that could not be read as a record; a dossier code read before makes it
    /// a duplicate instead.
    pub fn push_bad(&mut self, bad: BadRecord) -> Result<(), RecordError> {
        self.records += 1;
        match self.duplicate(bad.row, bad.id.as_deref()) {
            Some(duplicate) => self.reject(duplicate),
            None => self.reject(bad),
        }
    }

    /// Counts what a [`RowReader`](crate::RowReader) made of a row.
    pub fn push_read(&mut self, read: Result<Record<'_>, BadRecord>) -> Result<(), RecordError> {
        match read {
            Ok(record) => self.push(&record),
            Err(bad) => self.push_bad(bad),
        }
    }

    /// The duplicate a row is, when its dossier code was read before; otherwise its code is
    /// kept as read at `row`.
    fn duplicate(&mut self, row: usize, id: Option<&str>) -> Option<BadRecord> {
        match &mut self.codes {
            Codes::Checked(codes) => {
                let id = id?;
                let first = codes.first_or_keep(code_hash(id)?, row)?;
                Some(BadRecord::duplicate(row, Some(id), first))
            }
            Codes::Ahead(duplicates) => {
                let at = duplicates.binary_search_by_key(&row, |(r, _)| *r).ok()?;
                Some(BadRecord::duplicate(row, id, duplicates[at].1))
            }
        }
    }

    /// Checks the dossier code of a row ahead of counting it, for records counted in parts
    /// apart (threads, each with its own summarizer): called on the summarizer the parts are
    /// merged into, for every row that has a code, in row order, it gives the row that first
    /// gave the code when the code is not new, and otherwise keeps it. The parts, made with
    /// [`Summarizer::part`] from the duplicates found, count those rows as bad.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use parscore_records::{Calendar, Date, Record, Summarizer, SummaryOptions};
    /// let d = |s: &str| Date::parse(s).unwrap();
    /// let rows = [(1, "H-01"), (2, "H-02"), (3, "H-01")];
    /// let mut whole = Summarizer::new(SummaryOptions::default(), Calendar::vietnam());
    /// let duplicates: Vec<(usize, usize)> = rows
    ///     .iter()
    ///     .filter_map(|&(row, code)| Some((row, whole.check_code(row, code)?)))
    ///     .collect();
    /// assert_eq!(duplicates, [(3, 1)]);
    /// let duplicates: Arc<[(usize, usize)]> = duplicates.into();
    /// let (mut first, mut second) = (whole.part(duplicates.clone()), whole.part(duplicates));
    /// for (row, code) in rows {
    ///     let part = if row < 3 { &mut first } else { &mut second };
    ///     part.push(&Record {
    ///         id: Some(code),
    ///         due: Some(d("12/03/2024")),
    ///         ..Record::new(row, "Sở A", d("05/03/2024"))
    ///     })?;
    /// }
    /// whole.merge(first)?;
    /// whole.merge(second)?;
    /// let summary = whole.finish()?;
    /// assert_eq!((summary.counted, summary.bad.total), (2, 1));
    /// # Ok::<(), parscore_records::RecordError>(())
    /// ```
    pub fn check_code(&mut self, row: usize, code: &str) -> Option<usize> {
        match &mut self.codes {
            Codes::Checked(codes) => codes.first_or_keep(code_hash(code)?, row),
            Codes::Ahead(_) => None,
        }
    }

    /// [`Summarizer::check_code`] for the codes of many rows, in row order: the rows whose
    /// code was read before, each with the row that first gave it. Faster than one at a time
    /// for a large table of codes: the memory of several is fetched at once.
    pub fn check_codes<'a>(
        &mut self,
        codes: impl IntoIterator<Item = (usize, &'a str)>,
    ) -> Vec<(usize, usize)> {
        let Codes::Checked(known) = &mut self.codes else {
            return Vec::new();
        };
        let hashes: Vec<(u64, usize)> = codes
            .into_iter()
            .filter_map(|(row, code)| Some((code_hash(code)?, row)))
            .collect();
        let mut repeated = Vec::new();
        known.first_or_keep_all(&hashes, |row, first| repeated.push((row, first)));
        repeated
    }

    /// Makes room for the dossier codes of `records` more records, when their number is
    /// known ahead (a Parquet file's): the codes are then kept without the table growing.
    pub fn reserve_codes(&mut self, records: usize) {
        if let Codes::Checked(codes) = &mut self.codes {
            codes.reserve(records);
        }
    }

    /// An empty summarizer, with this one's options and calendar, for a part of the records
    /// whose dossier codes this one checked ahead ([`Summarizer::check_code`]): the rows of
    /// `duplicates` (sorted by row, each with the row that first gave its code) are counted
    /// as duplicates, and no other code is checked or kept. Merged back in, it adds no code.
    pub fn part(&self, duplicates: Arc<[(usize, usize)]>) -> Summarizer {
        debug_assert!(duplicates.is_sorted_by_key(|(row, _)| *row));
        Summarizer {
            codes: Codes::Ahead(duplicates),
            ..Summarizer::new(self.options, self.calendar.clone())
        }
    }

    fn reject(&mut self, bad: BadRecord) -> Result<(), RecordError> {
        if self.options.strict {
            return Err(RecordError::Bad(bad));
        }
        self.bad.add(bad, self.options.bad_examples);
        Ok(())
    }

    fn contribution(&self, record: &Record<'_>) -> Result<Contribution, BadRecord> {
        let status = record.check()?;
        let bad = |kind, message: String| BadRecord::new(record.row, record.id, kind, message);
        let no_calendar = |e: CalendarError| bad(BadKind::NoCalendar, e.to_string());
        for (field, date) in [
            (RecordField::Received, Some(record.received)),
            (RecordField::Due, record.due),
            (RecordField::Completed, record.completed),
        ] {
            if let Some(date) = date.filter(|d| !limits::accepts(*d)) {
                return Err(bad(
                    BadKind::OutOfRange(field),
                    format!(
                        "{field} {date} lies outside the dates a summary accepts, {}",
                        limits::accepted_dates()
                    ),
                ));
            }
        }
        if let Some(as_of) = self.options.as_of {
            for (what, date) in [
                ("received", Some(record.received)),
                ("completed", record.completed),
            ] {
                if let Some(date) = date.filter(|d| *d > as_of) {
                    return Err(bad(
                        BadKind::AfterAsOf,
                        format!("{what} {date} is after the export's date {as_of}"),
                    ));
                }
            }
        }
        if status == DossierStatus::Withdrawn {
            return Ok(Contribution {
                withdrawn: true,
                timeliness: None,
                overdue: Overdue::Never,
            });
        }
        let due = match (record.due, record.processing_days) {
            (Some(due), _) => due,
            (None, Some(days)) => self
                .calendar
                .add_working_days(record.received, days)
                .map_err(no_calendar)?,
            (None, None) => {
                return Err(bad(
                    BadKind::Missing(RecordField::Due),
                    "no due date (nor processing days to compute it)".into(),
                ));
            }
        };
        let completed = record.completed;
        let timeliness = match (status, completed) {
            (DossierStatus::Resolved, Some(completed)) => Some(if completed < due {
                DossierStatus::Early
            } else if completed == due
                // A term ending on a day off runs to the next working day.
                || completed <= self.calendar.roll_forward(due).map_err(no_calendar)?
            {
                DossierStatus::OnTime
            } else {
                DossierStatus::Late
            }),
            (s, _) if s.is_resolved() => Some(s),
            _ => None,
        };
        let overdue = if status == DossierStatus::WaitingForSupplement
            || matches!(
                timeliness,
                Some(DossierStatus::Early | DossierStatus::OnTime)
            )
            || completed.is_some_and(|c| c <= due)
        {
            Overdue::Never
        } else {
            match self.calendar.roll_forward(due) {
                Ok(end) if completed.is_none_or(|c| end < c) => Overdue::From(end),
                Ok(_) => Overdue::Never,
                Err(_) if completed.is_none() => Overdue::Unrolled(due),
                Err(e) => return Err(no_calendar(e)),
            }
        };
        Ok(Contribution {
            withdrawn: false,
            timeliness,
            overdue,
        })
    }

    fn intern(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.name_ids.get(name) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(name.into());
        self.name_ids.insert(name.into(), id);
        id
    }

    /// The group of a unit (and sub-unit, when summarising by sub-unit), made on first use.
    /// Pushing with [`Summarizer::push_to`] skips the name lookup of every record: a
    /// columnar reader resolves each entry of a dictionary column once.
    pub fn group_id(&mut self, unit: &str, sub_unit: Option<&str>) -> GroupId {
        GroupId(self.group(unit, sub_unit))
    }

    fn group(&mut self, unit: &str, sub_unit: Option<&str>) -> usize {
        let unit = trim_cell(unit);
        let sub_unit = sub_unit
            .map(trim_cell)
            .filter(|s| self.options.by_sub_unit && !s.is_empty());
        // Exports are often sorted by unit: the previous record's group is tried first.
        if let Some(last) = self.last_group {
            let group = &self.groups[last];
            let same_sub = match sub_unit {
                Some(sub) => {
                    group.sub_unit != NO_SUB_UNIT && *self.names[group.sub_unit as usize] == *sub
                }
                None => group.sub_unit == NO_SUB_UNIT,
            };
            if same_sub && *self.names[group.unit as usize] == *unit {
                return last;
            }
        }
        // Names are kept NFC: a unit typed composed and decomposed is one unit. The previous
        // record's, compared above, is already NFC, so only a new name is normalised.
        let unit = self.intern(&nfc(unit));
        let sub_unit = sub_unit.map_or(NO_SUB_UNIT, |sub| self.intern(&nfc(sub)));
        if let Some(&index) = self.group_ids.get(&(unit, sub_unit)) {
            self.last_group = Some(index);
            return index;
        }
        let index = self.groups.len();
        self.groups.push(GroupState {
            unit,
            sub_unit,
            periods: Dense::new(PERIOD_SPAN),
            days: Dense::new(DAY_SPAN),
            unrolled: BTreeMap::new(),
        });
        self.group_ids.insert((unit, sub_unit), index);
        self.last_group = Some(index);
        index
    }

    fn count_in(&mut self, index: usize, record: &Record<'_>, contribution: &Contribution) {
        self.counted += 1;
        let latest = record
            .completed
            .map_or(record.received, |c| c.max(record.received));
        self.latest = Some(self.latest.map_or(latest, |l| l.max(latest)));
        if self.earliest.is_none_or(|(date, _)| record.received < date) {
            self.earliest = Some((record.received, record.row));
        }
        let kind = self.options.period;
        let resolved_by = self.options.resolved_by;
        let group = &mut self.groups[index];
        if let Some(key) = kind.key(record.received) {
            let counts = group.periods.get_mut(key);
            counts.received += 1;
            counts.withdrawn += u64::from(contribution.withdrawn);
            counts.online.add(record.online);
            counts.full_online.add(record.full_online);
            counts.digitised.add(record.digitised);
            // Fees paid online mean there were fees; without a fee column, a dossier whose
            // payment cell says anything is taken to carry fees.
            let payable = match record.payable {
                Some(payable) => Some(payable || record.paid_online == Some(true)),
                None => record.paid_online.map(|_| true),
            };
            counts.payable.add(payable);
            if payable == Some(true) {
                counts.paid_online.add(record.paid_online);
            }
        }
        if let Some(timeliness) = contribution.timeliness {
            let date = match resolved_by {
                ResolvedBy::Completed => record.completed.unwrap_or(record.received),
                ResolvedBy::Received => record.received,
            };
            if let Some(key) = kind.key(date) {
                let counts = group.periods.get_mut(key);
                counts.resolved += 1;
                match timeliness {
                    DossierStatus::Early => counts.early += 1,
                    DossierStatus::OnTime => counts.on_time += 1,
                    _ => counts.late += 1,
                }
            }
        }
        if contribution.withdrawn {
            return;
        }
        let day = |date: Date| i64::from(date.days_since_epoch());
        group.days.get_mut(day(record.received))[0] += 1;
        let overdue = match contribution.overdue {
            Overdue::From(end) => {
                group.days.get_mut(day(end))[1] += 1;
                true
            }
            Overdue::Unrolled(due) => {
                *group.unrolled.entry(due.days_since_epoch()).or_default() += 1;
                false
            }
            Overdue::Never => false,
        };
        if let Some(completed) = record.completed {
            let deltas = group.days.get_mut(day(completed));
            deltas[0] -= 1;
            deltas[1] -= i64::from(overdue);
        }
    }

    /// Adds the records another summarizer counted (made with the same options and
    /// calendar), as if they had been pushed to this one after its own: chunks of a file can
    /// be summarised apart and merged in order. Their dossier codes must not repeat ours: a
    /// code both counted is an error, as the records read apart were then counted twice;
    /// parts read apart check their codes ahead ([`Summarizer::check_code`],
    /// [`Summarizer::part`]).
    pub fn merge(&mut self, other: Summarizer) -> Result<(), RecordError> {
        match (&mut self.codes, other.codes) {
            (_, Codes::Ahead(_)) => {}
            (Codes::Checked(ours), Codes::Checked(theirs)) => {
                ours.merge(theirs)
                    .map_err(|(row, first)| RecordError::CodeCountedApart {
                        row,
                        first_row: Some(first),
                    })?
            }
            (Codes::Ahead(_), Codes::Checked(theirs)) => {
                if !theirs.is_empty() {
                    return Err(RecordError::CodeCountedApart {
                        row: theirs.any_row().unwrap_or_default(),
                        first_row: None,
                    });
                }
            }
        }
        self.records += other.records;
        self.counted += other.counted;
        self.latest = match (self.latest, other.latest) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        self.earliest = match (self.earliest, other.earliest) {
            // Rows run on from part to part: on a tie, ours is the first.
            (Some(a), Some(b)) => Some(if b.0 < a.0 { b } else { a }),
            (a, b) => a.or(b),
        };
        self.bad.merge(other.bad, self.options.bad_examples);
        for theirs in other.groups {
            let unit = other.names[theirs.unit as usize].to_string();
            let sub_unit = (theirs.sub_unit != NO_SUB_UNIT)
                .then(|| other.names[theirs.sub_unit as usize].to_string());
            let index = self.group(&unit, sub_unit.as_deref());
            let ours = &mut self.groups[index];
            for (key, counts) in theirs.periods.entries() {
                ours.periods.get_mut(key).merge(counts);
            }
            for (key, [pending, overdue]) in theirs.days.entries() {
                let deltas = ours.days.get_mut(key);
                deltas[0] += pending;
                deltas[1] += overdue;
            }
            for (day, n) in theirs.unrolled {
                *ours.unrolled.entry(day).or_default() += n;
            }
        }
        Ok(())
    }

    /// The summary: for every unit and period with anything to count, the counts and rates.
    /// Fails when dossiers still in progress fell due, before the export's date, in a year the
    /// calendar does not hold, and when the options or the summary exceed the
    /// [limits](crate::limits): its work follows the records and groups, never the span of
    /// their dates.
    pub fn finish(self) -> Result<RecordSummary, RecordError> {
        self.options.check()?;
        let as_of = self.options.as_of.or(self.latest);
        let mut summary = RecordSummary {
            options: self.options,
            as_of,
            records: self.records,
            counted: self.counted,
            groups: Vec::new(),
            bad: self.bad,
        };
        let (Some(as_of), Some((earliest, row))) = (as_of, self.earliest) else {
            return Ok(summary);
        };
        let kind = self.options.period;
        // Every day and period a group holds lies between the earliest received date and the
        // export's date (later records are bad), so this bounds the periods of every group.
        let span = match kind {
            PeriodKind::Range { from, .. } if as_of < from => None,
            PeriodKind::Range { .. } => Some((0, 0)),
            _ => kind.key(earliest).zip(kind.key(as_of)),
        };
        let Some((first, last)) = span.filter(|(first, last)| first <= last) else {
            return Ok(summary);
        };
        if last - first + 1 > MAX_PERIODS {
            return Err(RecordError::TooManyPeriods {
                periods: last - first + 1,
                first: kind.period(first),
                last: kind.period(last),
                row,
                received: earliest,
            });
        }
        let mut states = Vec::with_capacity(self.groups.len());
        for mut group in self.groups {
            for (&due, &dossiers) in group.unrolled.range(..=as_of.days_since_epoch()) {
                let due = Date::from_days_since_epoch(due).expect("a stored date");
                let end = self
                    .calendar
                    .roll_forward(due)
                    .map_err(|source| RecordError::Calendar { dossiers, source })?;
                group.days.get_mut(i64::from(end.days_since_epoch()))[1] += dossiers as i64;
            }
            let days: Vec<(i32, [i64; 2])> = group
                .days
                .entries()
                .into_iter()
                .map(|(day, deltas)| (day as i32, *deltas))
                .collect();
            let periods: Vec<(i64, Counts)> = group
                .periods
                .entries()
                .into_iter()
                .map(|(key, counts)| (key, *counts))
                .collect();
            states.push((group.unit, group.sub_unit, days, periods));
        }
        // Counted before any is made, so that too many are refused before taking the memory.
        let mut groups: u64 = 0;
        for (_, _, days, periods) in &states {
            each_period(kind, as_of, first..=last, days, periods, |_, _, _| {
                groups += 1
            });
        }
        if groups > MAX_GROUPS as u64 {
            return Err(RecordError::TooManyGroups { groups });
        }
        summary.groups.reserve(groups as usize);
        for (unit, sub_unit, days, periods) in &states {
            each_period(
                kind,
                as_of,
                first..=last,
                days,
                periods,
                |period, counts, [pending, overdue]| {
                    summary.groups.push(GroupSummary {
                        unit: self.names[*unit as usize].to_string(),
                        sub_unit: (*sub_unit != NO_SUB_UNIT)
                            .then(|| self.names[*sub_unit as usize].to_string()),
                        period,
                        evaluated_on: period.end().min(as_of),
                        received: counts.received,
                        withdrawn: counts.withdrawn,
                        resolved: counts.resolved,
                        resolved_early: counts.early,
                        resolved_on_time: counts.early + counts.on_time,
                        resolved_late: counts.late,
                        pending: pending.max(0) as u64,
                        overdue_in_progress: overdue.max(0) as u64,
                        online: counts.online,
                        full_online: counts.full_online,
                        payable: counts.payable,
                        paid_online: counts.paid_online,
                        digitised: counts.digitised,
                    });
                },
            );
        }
        Ok(summary)
    }
}

/// Calls `report` for each period of `keys` in which a group has anything to say: counts,
/// or dossiers pending or overdue on its evaluation day. Periods where nothing happens are
/// skipped over, to the next that holds counts or a day that changes the backlog: the work
/// follows the group's days and periods, not the keys between.
fn each_period(
    kind: PeriodKind,
    as_of: Date,
    keys: std::ops::RangeInclusive<i64>,
    days: &[(i32, [i64; 2])],
    periods: &[(i64, Counts)],
    mut report: impl FnMut(Period, Counts, [i64; 2]),
) {
    let mut running = Running::new(days);
    let mut counts = periods.iter().peekable();
    let (mut key, last) = keys.into_inner();
    while key <= last {
        let period = kind.period(key);
        let backlog = running.at(period.end().min(as_of).days_since_epoch());
        while counts.next_if(|(k, _)| *k < key).is_some() {}
        let here = counts.next_if(|(k, _)| *k == key).map(|(_, c)| *c);
        if here.is_none() && backlog == [0, 0] {
            let next_counts = counts.peek().map(|(k, _)| *k);
            let next_change = running
                .next_day()
                .and_then(Date::from_days_since_epoch)
                .and_then(|d| kind.key(d));
            match next_counts.into_iter().chain(next_change).min() {
                Some(next) => key = next.max(key + 1),
                None => return,
            }
            continue;
        }
        report(period, here.unwrap_or_default(), backlog);
        key += 1;
    }
}

/// Running sums of day deltas, read at increasing days.
struct Running<'a> {
    deltas: std::iter::Peekable<std::slice::Iter<'a, (i32, [i64; 2])>>,
    sums: [i64; 2],
}

impl<'a> Running<'a> {
    fn new(deltas: &'a [(i32, [i64; 2])]) -> Self {
        Running {
            deltas: deltas.iter().peekable(),
            sums: [0, 0],
        }
    }

    /// The next day whose deltas are not yet summed.
    fn next_day(&mut self) -> Option<i32> {
        self.deltas.peek().map(|(day, _)| *day)
    }

    /// The sums of the deltas on days up to and including `day`.
    fn at(&mut self, day: i32) -> [i64; 2] {
        while let Some((_, [a, b])) = self.deltas.next_if(|(d, _)| *d <= day) {
            self.sums[0] += a;
            self.sums[1] += b;
        }
        self.sums
    }
}

impl RecordSummary {
    /// Bad records of one kind.
    pub fn bad_of(&self, kind: BadKind) -> Option<&BadKindCount> {
        self.bad.kinds.iter().find(|k| k.kind == kind)
    }

    /// The summary as JSON: options, record counts, groups (see [`GroupSummary::to_json`])
    /// and bad records by kind with their rows and messages.
    pub fn to_json(&self) -> Json {
        json!({
            "period": self.options.period.name(),
            "resolved_by": match self.options.resolved_by {
                ResolvedBy::Completed => "completed",
                ResolvedBy::Received => "received",
            },
            "by_sub_unit": self.options.by_sub_unit,
            "as_of": self.as_of.map(|d| d.to_string()),
            "records": self.records,
            "counted": self.counted,
            "groups": self.groups.iter().map(GroupSummary::to_json).collect::<Vec<_>>(),
            "bad": {
                "total": self.bad.total,
                "kinds": self.bad.kinds.iter().map(|k| json!({
                    "kind": k.kind.code(),
                    "count": k.count,
                    "rows": k.examples.iter().map(|b| b.row).collect::<Vec<_>>(),
                    "messages": k.examples.iter().map(ToString::to_string).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DossierStatus::*;

    fn d(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    fn record(
        row: usize,
        received: &str,
        due: Option<&str>,
        completed: Option<&str>,
        status: Option<DossierStatus>,
    ) -> Record<'static> {
        Record {
            due: due.map(d),
            completed: completed.map(d),
            status,
            ..Record::new(row, "A", d(received))
        }
    }

    fn summarize(options: SummaryOptions, records: &[Record<'_>]) -> RecordSummary {
        let mut summarizer = Summarizer::new(options, Calendar::vietnam());
        for r in records {
            summarizer.push(r).unwrap();
        }
        summarizer.finish().unwrap()
    }

    /// Seven dossiers around the end of Q1 2024 and into Q2, checked by hand below.
    fn quarter_records() -> Vec<Record<'static>> {
        vec![
            // late: due Friday 29/03, done Tuesday 02/04; open and overdue on 31/03
            record(
                1,
                "2024-03-25",
                Some("2024-03-29"),
                Some("2024-04-02"),
                None,
            ),
            // in progress, due 03/04: open on 31/03, overdue on 20/04
            record(2, "2024-03-28", Some("2024-04-03"), None, Some(InProgress)),
            // on time on its due date, open on 31/03
            record(
                3,
                "2024-03-29",
                Some("2024-04-05"),
                Some("2024-04-05"),
                None,
            ),
            // early
            record(
                4,
                "2024-01-10",
                Some("2024-01-17"),
                Some("2024-01-15"),
                None,
            ),
            // due Saturday 10/02 in the Tết break, done Thursday 15/02, the first working day
            record(
                5,
                "2024-02-01",
                Some("2024-02-10"),
                Some("2024-02-15"),
                None,
            ),
            // withdrawn: no due date needed
            record(6, "2024-04-10", None, None, Some(Withdrawn)),
            // waiting for supplements past its due date: open, never overdue
            record(
                7,
                "2024-04-11",
                Some("2024-04-16"),
                None,
                Some(WaitingForSupplement),
            ),
        ]
    }

    #[test]
    fn counts_by_quarter_with_pending_and_overdue_at_each_period_end() {
        let options = SummaryOptions {
            period: PeriodKind::Quarter,
            as_of: Some(d("2024-04-20")),
            ..SummaryOptions::default()
        };
        let summary = summarize(options, &quarter_records());
        assert_eq!(summary.records, 7);
        assert_eq!(summary.counted, 7);
        assert_eq!(summary.groups.len(), 2);
        let q1 = &summary.groups[0];
        assert_eq!(q1.period.to_string(), "2024-Q1");
        assert_eq!(q1.evaluated_on, d("2024-03-31"));
        assert_eq!(
            (
                q1.received,
                q1.resolved,
                q1.resolved_on_time,
                q1.resolved_early,
                q1.resolved_late
            ),
            (5, 2, 2, 1, 0)
        );
        assert_eq!(
            (q1.pending, q1.overdue_in_progress, q1.withdrawn),
            (3, 1, 0)
        );
        let q2 = &summary.groups[1];
        assert_eq!(q2.period.to_string(), "2024-Q2");
        assert_eq!(q2.evaluated_on, d("2024-04-20"));
        assert_eq!(
            (
                q2.received,
                q2.resolved,
                q2.resolved_on_time,
                q2.resolved_late
            ),
            (2, 2, 1, 1)
        );
        assert_eq!(
            (q2.pending, q2.overdue_in_progress, q2.withdrawn),
            (2, 1, 1)
        );
        assert_eq!(q2.value("on_time_rate").unwrap().to_string(), "1/2");
    }

    #[test]
    fn resolved_by_received_date_puts_results_in_the_period_received() {
        let options = SummaryOptions {
            period: PeriodKind::Quarter,
            as_of: Some(d("2024-04-20")),
            resolved_by: ResolvedBy::Received,
            ..SummaryOptions::default()
        };
        let summary = summarize(options, &quarter_records());
        let q1 = &summary.groups[0];
        assert_eq!(
            (q1.resolved, q1.resolved_on_time, q1.resolved_late),
            (4, 3, 1)
        );
        assert_eq!(summary.groups[1].resolved, 0);
        assert_eq!(
            summary.groups[1].value("on_time_rate"),
            Some(Value::NotApplicable)
        );
    }

    #[test]
    fn as_of_defaults_to_the_latest_date_in_the_records() {
        let summary = summarize(SummaryOptions::default(), &quarter_records());
        assert_eq!(summary.as_of, Some(d("2024-04-11")));
        let year = &summary.groups[0];
        assert_eq!(year.evaluated_on, d("2024-04-11"));
        // On 11/04: r2 (overdue since 03/04) and r7 (received that day) are open.
        assert_eq!((year.pending, year.overdue_in_progress), (2, 1));
        assert_eq!((year.received, year.resolved), (7, 4));
    }

    #[test]
    fn months_without_new_dossiers_still_report_the_backlog() {
        let options = SummaryOptions {
            period: PeriodKind::Month,
            as_of: Some(d("2024-03-15")),
            ..SummaryOptions::default()
        };
        let records = [record(1, "2024-01-25", Some("2024-02-20"), None, None)];
        let summary = summarize(options, &records);
        let periods: Vec<String> = summary
            .groups
            .iter()
            .map(|g| g.period.to_string())
            .collect();
        assert_eq!(periods, ["2024-01", "2024-02", "2024-03"]);
        let february = &summary.groups[1];
        assert_eq!(
            (
                february.received,
                february.pending,
                february.overdue_in_progress
            ),
            (0, 1, 1)
        );
        assert_eq!(february.value("on_time_rate"), Some(Value::NotApplicable));
        assert_eq!(february.value("online_rate"), Some(Value::NotApplicable));
        assert_eq!(february.value("online"), Some(Value::Number(Decimal::ZERO)));
        assert_eq!(summary.groups[0].overdue_in_progress, 0);
    }

    #[test]
    fn a_range_counts_the_backlog_from_before_it() {
        let options = SummaryOptions {
            period: PeriodKind::parse("2024-Q2").unwrap(),
            ..SummaryOptions::default()
        };
        let records = [
            record(1, "2024-03-20", Some("2024-03-27"), None, None),
            record(
                2,
                "2024-04-02",
                Some("2024-04-09"),
                Some("2024-04-08"),
                None,
            ),
            record(3, "2024-07-01", Some("2024-07-08"), None, None),
        ];
        let summary = summarize(options, &records);
        assert_eq!(summary.groups.len(), 1);
        let q2 = &summary.groups[0];
        assert_eq!(q2.period.to_string(), "2024-Q2");
        assert_eq!(q2.evaluated_on, d("2024-06-30"));
        assert_eq!(
            (q2.received, q2.resolved, q2.pending, q2.overdue_in_progress),
            (1, 1, 1, 1)
        );
    }

    #[test]
    fn rates_count_known_flags_and_fees() {
        let mut records = vec![record(1, "2024-03-01", Some("2024-03-08"), None, None); 4];
        for (i, r) in records.iter_mut().enumerate() {
            r.row = i + 1;
        }
        (
            records[0].online,
            records[0].full_online,
            records[0].paid_online,
        ) = (Some(true), Some(true), Some(true));
        (records[1].online, records[1].paid_online) = (Some(false), Some(false));
        (records[2].full_online, records[2].payable) = (Some(false), Some(false));
        records[3].payable = Some(true);
        let summary = summarize(SummaryOptions::default(), &records);
        let g = &summary.groups[0];
        let text = |name| g.value(name).map(|v| v.to_string());
        assert_eq!(text("online_rate").as_deref(), Some("1/2"));
        assert_eq!(text("full_online_rate").as_deref(), Some("1/2"));
        assert_eq!(text("payable").as_deref(), Some("3"));
        assert_eq!(text("paid_online").as_deref(), Some("1"));
        // The payable dossier whose payment cell is empty is left out of the rate.
        assert_eq!(text("paid_online_rate").as_deref(), Some("1/2"));
        // No dossier said whether it was digitised: unknown, not 0.
        assert_eq!(g.value("digitised"), None);
        assert_eq!(g.value("digitised_rate"), None);
    }

    #[test]
    fn bad_records_are_counted_with_their_rows_and_change_nothing_else() {
        let options = SummaryOptions {
            as_of: Some(d("2024-12-31")),
            bad_examples: 1,
            ..SummaryOptions::default()
        };
        let mut summarizer = Summarizer::new(options, Calendar::vietnam());
        let records = [
            record(
                1,
                "2024-03-01",
                Some("2024-03-08"),
                Some("2024-03-07"),
                None,
            ),
            record(
                2,
                "2024-03-05",
                Some("2024-03-08"),
                Some("2024-03-04"),
                None,
            ),
            record(3, "2024-03-05", Some("2024-03-08"), None, Some(OnTime)),
            record(4, "2024-03-05", None, None, None),
            record(5, "2025-01-02", Some("2025-01-08"), None, None),
            // completed after its due date in a year without a calendar
            record(
                6,
                "2021-03-05",
                Some("2021-03-08"),
                Some("2021-03-10"),
                None,
            ),
            record(7, "2024-03-02", Some("2024-03-01"), None, None),
            record(8, "2024-03-06", Some("2024-03-05"), None, None),
        ];
        for r in &records {
            summarizer.push(r).unwrap();
        }
        summarizer
            .push_bad(BadRecord::new(
                9,
                Some("H9"),
                BadKind::UnknownStatus,
                "x".into(),
            ))
            .unwrap();
        let summary = summarizer.finish().unwrap();
        assert_eq!(
            (summary.records, summary.counted, summary.bad.total),
            (9, 1, 8)
        );
        let rows = |kind| {
            let k = summary.bad_of(kind).unwrap();
            (
                k.count,
                k.examples.iter().map(|b| b.row).collect::<Vec<_>>(),
            )
        };
        assert_eq!(rows(BadKind::CompletedBeforeReceived), (1, vec![2]));
        assert_eq!(rows(BadKind::StatusConflict), (1, vec![3]));
        assert_eq!(rows(BadKind::Missing(RecordField::Due)), (1, vec![4]));
        assert_eq!(rows(BadKind::AfterAsOf), (1, vec![5]));
        assert_eq!(rows(BadKind::NoCalendar), (1, vec![6]));
        // Only the first of each kind is kept as an example, all are counted.
        assert_eq!(rows(BadKind::DueBeforeReceived), (2, vec![7]));
        assert_eq!(rows(BadKind::UnknownStatus), (1, vec![9]));
        let no_calendar = &summary.bad_of(BadKind::NoCalendar).unwrap().examples[0];
        assert!(
            no_calendar
                .message
                .contains("no working-day calendar for 2021"),
            "{no_calendar}"
        );
        assert_eq!(summary.groups.len(), 1);
        assert_eq!(summary.groups[0].received, 1);
        let json = summary.to_json();
        assert_eq!(json["bad"]["total"], 8);
        assert_eq!(json["bad"]["kinds"][0]["kind"], "missing:due");
    }

    /// Two dossiers of the Sở Tư pháp received in 1900, still in progress, counted by month to
    /// 9999: 97,200 months of backlog each, 16 s and 2.8 GB before the limits.
    #[test]
    fn dates_far_outside_any_report_are_refused_not_counted_to() {
        let far = SummaryOptions {
            period: PeriodKind::Month,
            as_of: Some(d("9999-12-30")),
            ..SummaryOptions::default()
        };
        let error = far.check().unwrap_err().to_string();
        assert_eq!(
            error,
            "the export's date 9999-12-30 lies outside the dates a summary accepts, 1990-01-01 \
             to 2100-12-31"
        );
        let mut summarizer = Summarizer::new(far, Calendar::vietnam());
        for row in 1..=2 {
            let mut r = record(
                row,
                "1900-01-01",
                Some("1900-01-10"),
                None,
                Some(InProgress),
            );
            r.unit = "Sở Tư pháp";
            summarizer.push(&r).unwrap();
        }
        assert!(matches!(summarizer.finish(), Err(RecordError::Options(_))));

        // Within the limits, the same dossiers are bad records, named with their dates.
        let options = SummaryOptions {
            period: PeriodKind::Month,
            as_of: Some(d("2024-12-31")),
            ..SummaryOptions::default()
        };
        let summary = summarize(
            options,
            &[
                record(1, "1900-01-01", Some("1900-01-10"), None, None),
                record(2, "2024-03-01", Some("2150-01-10"), None, None),
                record(3, "2024-03-01", Some("2024-03-08"), None, None),
            ],
        );
        let received = summary
            .bad_of(BadKind::OutOfRange(RecordField::Received))
            .unwrap();
        assert_eq!(
            received.examples[0].to_string(),
            "row 1: received 1900-01-01 lies outside the dates a summary accepts, 1990-01-01 \
             to 2100-12-31"
        );
        assert_eq!(received.kind.code(), "out_of_range:received");
        assert_eq!(
            summary
                .bad_of(BadKind::OutOfRange(RecordField::Due))
                .unwrap()
                .count,
            1
        );
        assert_eq!(summary.counted, 1);

        let range = SummaryOptions {
            period: PeriodKind::parse("1900-01-01..2024-12-31").unwrap(),
            ..SummaryOptions::default()
        };
        assert!(
            range
                .check()
                .unwrap_err()
                .to_string()
                .contains("range's first day 1900-01-01")
        );
    }

    #[test]
    fn a_summary_spans_at_most_so_many_periods_and_names_the_earliest_record() {
        let options = |period| SummaryOptions {
            period,
            as_of: Some(d("2024-12-31")),
            ..SummaryOptions::default()
        };
        // In progress since March 1995: 358 months of backlog.
        let records = [
            record(1, "2024-03-01", Some("2024-03-08"), None, None),
            record(
                2,
                "1995-03-02",
                Some("1995-03-09"),
                None,
                Some(WaitingForSupplement),
            ),
        ];
        let mut summarizer = Summarizer::new(options(PeriodKind::Month), Calendar::vietnam());
        for r in &records {
            summarizer.push(r).unwrap();
        }
        let error = summarizer.finish().unwrap_err();
        assert_eq!(
            error.to_string(),
            "the records span 358 periods, from 1995-03 to 2024-12, and a summary spans at most \
             240: the earliest is row 2, received 1995-03-02; summarise by quarter or year, count \
             a range of dates, or check that record's dates"
        );
        // By quarter they fit: 120 quarters, each with the backlog.
        let by_quarter = summarize(options(PeriodKind::Quarter), &records);
        assert_eq!(by_quarter.groups.len(), 120);
        assert!(by_quarter.groups.iter().all(|g| g.pending >= 1));
        assert_eq!(by_quarter.groups[0].period.to_string(), "1995-Q1");
    }

    #[test]
    fn periods_with_nothing_to_say_are_skipped_over_not_walked() {
        // Resolved in 2001 and received again in 2020: nothing in between is reported.
        let records = [
            record(
                1,
                "2001-03-01",
                Some("2001-03-08"),
                Some("2001-03-05"),
                None,
            ),
            record(
                2,
                "2020-06-01",
                Some("2020-06-08"),
                Some("2020-06-05"),
                None,
            ),
        ];
        let options = SummaryOptions {
            period: PeriodKind::Quarter,
            as_of: Some(d("2020-12-31")),
            ..SummaryOptions::default()
        };
        let summary = summarize(options, &records);
        let periods: Vec<String> = summary
            .groups
            .iter()
            .map(|g| g.period.to_string())
            .collect();
        assert_eq!(periods, ["2001-Q1", "2020-Q2"]);
    }

    #[test]
    fn too_many_groups_are_refused_before_they_are_made() {
        // 5,000 units, each with a dossier in progress since January 2005: a row in each of
        // 240 months for each, 1.2 million in all.
        let units: Vec<String> = (0..5_000).map(|i| format!("UBND xã {i}")).collect();
        let options = SummaryOptions {
            period: PeriodKind::Month,
            as_of: Some(d("2024-12-31")),
            ..SummaryOptions::default()
        };
        let mut summarizer = Summarizer::new(options, Calendar::vietnam());
        for (i, unit) in units.iter().enumerate() {
            summarizer
                .push(&Record {
                    due: Some(d("2005-01-20")),
                    status: Some(WaitingForSupplement),
                    ..Record::new(i + 1, unit, d("2005-01-10"))
                })
                .unwrap();
        }
        let error = summarizer.finish().unwrap_err();
        assert!(
            matches!(error, RecordError::TooManyGroups { groups: 1_200_000 }),
            "{error}"
        );
    }

    #[test]
    fn strict_mode_stops_at_the_first_bad_record() {
        let options = SummaryOptions {
            strict: true,
            ..SummaryOptions::default()
        };
        let mut summarizer = Summarizer::new(options, Calendar::vietnam());
        summarizer
            .push(&record(1, "2024-03-01", Some("2024-03-08"), None, None))
            .unwrap();
        let error = summarizer
            .push(&record(
                2,
                "2024-03-05",
                Some("2024-03-08"),
                Some("2024-03-04"),
                None,
            ))
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "row 2: completed 2024-03-04 is before received 2024-03-05"
        );
    }

    #[test]
    fn open_dossiers_due_in_a_year_without_calendar_matter_only_once_that_day_is_reached() {
        let open = record(1, "2026-12-20", Some("2027-01-05"), None, None);
        let options = |as_of| SummaryOptions {
            as_of: Some(d(as_of)),
            ..SummaryOptions::default()
        };
        let summary = summarize(options("2026-12-31"), &[open]);
        assert_eq!(summary.groups[0].pending, 1);
        let mut summarizer = Summarizer::new(options("2027-02-01"), Calendar::vietnam());
        summarizer.push(&open).unwrap();
        let error = summarizer.finish().unwrap_err();
        assert!(
            matches!(
                error,
                RecordError::Calendar {
                    dossiers: 1,
                    source: CalendarError::UnknownYear { year: 2027, .. }
                }
            ),
            "{error}"
        );
    }

    #[test]
    fn due_dates_come_from_processing_days_when_not_given() {
        let mut r = record(1, "2024-02-07", None, Some("2024-02-15"), None);
        r.processing_days = Some(1);
        let summary = summarize(SummaryOptions::default(), &[r]);
        // 1 working day after Wednesday 7 February 2024 is Thursday 15 February (Tết).
        assert_eq!(summary.groups[0].resolved_on_time, 1);
        assert_eq!(summary.groups[0].resolved_early, 0);
    }

    #[test]
    fn sub_units_group_apart_when_asked() {
        let mut a = record(1, "2024-03-01", Some("2024-03-08"), None, None);
        a.sub_unit = Some("Chi cục Thú y");
        let mut b = a;
        b.sub_unit = Some("Chi cục Kiểm lâm");
        let c = record(3, "2024-03-01", Some("2024-03-08"), None, None);
        let by_unit = summarize(SummaryOptions::default(), &[a, b, c]);
        assert_eq!(by_unit.groups.len(), 1);
        assert_eq!(by_unit.groups[0].received, 3);
        let options = SummaryOptions {
            by_sub_unit: true,
            ..SummaryOptions::default()
        };
        let by_sub = summarize(options, &[a, b, c]);
        let labels: Vec<String> = by_sub.groups.iter().map(GroupSummary::label).collect();
        assert_eq!(labels, ["A / Chi cục Thú y", "A / Chi cục Kiểm lâm", "A"]);
    }

    #[test]
    fn a_unit_typed_composed_or_decomposed_is_one_unit() {
        let composed = "Sở Tư pháp";
        let decomposed = "So\u{31b}\u{309} Tu\u{31b} pha\u{301}p";
        assert_ne!(composed, decomposed);
        let mut summarizer = Summarizer::new(
            SummaryOptions {
                by_sub_unit: true,
                ..SummaryOptions::default()
            },
            Calendar::vietnam(),
        );
        for (row, unit, sub_unit) in [
            (1, composed, "Phòng Hành chính tư pháp"),
            (
                2,
                decomposed,
                "Pho\u{300}ng Ha\u{300}nh chi\u{301}nh tu\u{31b} pha\u{301}p",
            ),
            (3, decomposed, "Phòng Hành chính tư pháp"),
        ] {
            let mut r = record(row, "2024-03-01", Some("2024-03-08"), None, None);
            (r.unit, r.sub_unit) = (unit, Some(sub_unit));
            summarizer.push(&r).unwrap();
        }
        let summary = summarizer.finish().unwrap();
        assert_eq!(summary.groups.len(), 1);
        assert_eq!(summary.groups[0].received, 3);
        assert_eq!(
            summary.groups[0].label(),
            "Sở Tư pháp / Phòng Hành chính tư pháp"
        );
    }

    #[test]
    fn a_dossier_code_read_twice_is_counted_once_and_names_both_rows() {
        let options = SummaryOptions {
            as_of: Some(d("2024-03-31")),
            ..SummaryOptions::default()
        };
        let mut summarizer = Summarizer::new(options, Calendar::vietnam());
        let coded = |row, id| Record {
            id: Some(id),
            ..record(
                row,
                "2024-03-05",
                Some("2024-03-12"),
                Some("2024-03-11"),
                None,
            )
        };
        summarizer
            .push(&coded(1, "000.00.10.H47-240305-0001"))
            .unwrap();
        summarizer
            .push(&coded(2, "000.00.10.H47-240305-0002"))
            .unwrap();
        // The same row copied, with a space: the same code.
        summarizer
            .push(&coded(3, " 000.00.10.H47-240305-0001 "))
            .unwrap();
        // A row that cannot be read keeps its code: its copy is a duplicate of it.
        summarizer
            .push_bad(BadRecord::new(
                4,
                Some("HS-Sở-4"),
                BadKind::UnknownStatus,
                "status `Đã huỷ`".into(),
            ))
            .unwrap();
        summarizer.push(&coded(5, "HS-So\u{31b}\u{309}-4")).unwrap();
        // No code: not checked.
        summarizer
            .push(&record(6, "2024-03-05", Some("2024-03-12"), None, None))
            .unwrap();
        summarizer
            .push(&record(7, "2024-03-05", Some("2024-03-12"), None, None))
            .unwrap();
        let summary = summarizer.finish().unwrap();
        assert_eq!((summary.records, summary.counted), (7, 4));
        assert_eq!(summary.groups[0].received, 4);
        let duplicates = summary.bad_of(BadKind::DuplicateId).unwrap();
        assert_eq!(duplicates.count, 2);
        let first = &duplicates.examples[0];
        assert_eq!((first.row, first.first_row), (3, Some(1)));
        assert_eq!(
            first.to_string(),
            "row 3 (000.00.10.H47-240305-0001): dossier code 000.00.10.H47-240305-0001 was \
             read before, at row 1"
        );
        assert_eq!(duplicates.examples[1].first_row, Some(4));
        assert_eq!(duplicates.kind.code(), "duplicate_id");
        // The place of the first travels with the summary.
        let text = serde_json::to_string(&summary).unwrap();
        let again: RecordSummary = serde_json::from_str(&text).unwrap();
        assert_eq!(again, summary);
    }

    #[test]
    fn summaries_made_apart_that_both_counted_a_code_are_refused_at_merge() {
        let coded = |row, id| Record {
            id: Some(id),
            ..record(row, "2024-03-05", Some("2024-03-12"), None, None)
        };
        let mut first = Summarizer::new(SummaryOptions::default(), Calendar::vietnam());
        let mut second = Summarizer::new(SummaryOptions::default(), Calendar::vietnam());
        first.push(&coded(1, "H1")).unwrap();
        second.push(&coded(2, "H1")).unwrap();
        let error = first.merge(second).unwrap_err();
        assert!(
            matches!(
                error,
                RecordError::CodeCountedApart {
                    row: 2,
                    first_row: Some(1)
                }
            ),
            "{error}"
        );
    }

    #[test]
    fn merging_chunks_equals_pushing_everything_to_one() {
        let records = quarter_records();
        let options = SummaryOptions {
            period: PeriodKind::Month,
            bad_examples: 2,
            ..SummaryOptions::default()
        };
        let mut whole = Summarizer::new(options, Calendar::vietnam());
        let mut first = Summarizer::new(options, Calendar::vietnam());
        let mut second = Summarizer::new(options, Calendar::vietnam());
        for (i, r) in records.iter().enumerate() {
            whole.push(r).unwrap();
            if i < 3 {
                first.push(r).unwrap()
            } else {
                second.push(r).unwrap()
            }
        }
        first.merge(second).unwrap();
        assert_eq!(first.finish(), whole.finish());
    }

    #[test]
    fn a_summary_serializes_to_an_equal_summary() {
        let mut records = quarter_records();
        records.push(record(8, "2024-03-02", Some("2024-03-01"), None, None));
        records[0].sub_unit = Some("Chi cục Thú y");
        records[1].online = Some(true);
        for period in ["quarter", "2024-01-15..2024-05-20", "2024"] {
            let options = SummaryOptions {
                period: PeriodKind::parse(period).unwrap(),
                by_sub_unit: true,
                as_of: Some(d("2024-06-30")),
                ..SummaryOptions::default()
            };
            let summary = summarize(options, &records);
            assert!(!summary.bad.is_empty());
            let text = serde_json::to_string(&summary).unwrap();
            let again: RecordSummary = serde_json::from_str(&text).unwrap();
            assert_eq!(again, summary, "{period}");
        }
    }
}
