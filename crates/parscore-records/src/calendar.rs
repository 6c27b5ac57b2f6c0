//! Working days: weekends, public holidays and make-up working days, year by year, as data.
//!
//! Deadlines of administrative procedures are counted in working days ("N ngày làm việc"). A
//! working day is a day that is not a weekly rest day and not a day off, unless the Government
//! swapped it into a working day (a make-up Saturday). Every year's days come from a data
//! file that cites its sources; a year the calendar does not hold is refused, never guessed.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

use serde::Deserialize;
use thiserror::Error;

use crate::date::{Date, DateFormat, Weekday};
use crate::limits::{FIRST_YEAR, LAST_YEAR};
use crate::text::fold;
use parscore::Location;

/// A working-day calendar.
///
/// ```
/// use parscore_records::{Calendar, Date};
/// let vn = Calendar::vietnam();
/// let d = |s: &str| Date::parse(s).unwrap();
/// // Received on Wednesday 7 February 2024, the eve of the Tết break (8–14 February):
/// // the first working day after it is Thursday 15 February.
/// assert_eq!(vn.add_working_days(d("07/02/2024"), 1)?, d("15/02/2024"));
/// // Saturday 4 May 2024 was worked in exchange for Monday 29 April.
/// assert!(vn.is_working_day(d("04/05/2024"))?);
/// assert!(!vn.is_working_day(d("29/04/2024"))?);
/// assert!(vn.is_working_day(d("15/06/2021")).is_err()); // no sourced schedule for 2021
/// # Ok::<(), parscore_records::CalendarError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Calendar {
    name: String,
    weekend: [bool; 7],
    weekend_given: bool,
    years: BTreeMap<i32, CalendarYear>,
    /// Non-working days per year, one bit per day of the year, rebuilt on every change.
    table: YearTable,
}

/// One year of a calendar: where its days come from, and its days off and make-up days.
#[derive(Debug, Clone, PartialEq)]
pub struct CalendarYear {
    /// The year, 1990 to 2100.
    pub year: i32,
    /// The documents the days come from, and where they were read.
    pub source: String,
    /// In file order; a later entry overrides an earlier one for the same day (so a user's
    /// file can take back a built-in day off).
    entries: Vec<(DayRange, DayKind)>,
    replace: bool,
}

/// A day, or a run of days, of a calendar year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayRange {
    /// The first day, inclusive (the file's `date`, or `from`).
    pub from: Date,
    /// The last day, inclusive; `from` itself for a single day (the file's `date`, or `to`).
    pub to: Date,
    /// What the day is, as the file names it, e.g. "Tết Nguyên đán" or "Làm bù cho 29/04".
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DayKind {
    Off,
    Working,
}

impl CalendarYear {
    /// The days off (holidays, compensatory and swapped days).
    pub fn holidays(&self) -> impl Iterator<Item = &DayRange> {
        self.entries
            .iter()
            .filter(|(_, kind)| *kind == DayKind::Off)
            .map(|(range, _)| range)
    }

    /// The weekend days worked in exchange for a swapped day.
    pub fn working_days(&self) -> impl Iterator<Item = &DayRange> {
        self.entries
            .iter()
            .filter(|(_, kind)| *kind == DayKind::Working)
            .map(|(range, _)| range)
    }
}

/// A calendar that cannot be read, or a date it cannot answer for.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum CalendarError {
    /// Not valid TOML, or an unknown key or a value of the wrong type.
    #[error("calendar: {}{message}", location.map(|l| format!("{l}: ")).unwrap_or_default())]
    Syntax {
        /// Where the parser stopped in the file, when it says.
        location: Option<Location>,
        /// The parser's message.
        message: String,
    },
    /// The file parses but a year or an entry is wrong: a year outside 1990–2100 or given
    /// twice, a year without `source`, an entry without `name` or outside its year, a range
    /// whose `from` is after its `to`, a listed working day that is not a weekend day, a day
    /// both off and worked, an unknown `weekend` day name.
    #[error("calendar: {}{message}", year.map(|y| format!("year {y}: ")).unwrap_or_default())]
    Invalid {
        /// The year at fault; `None` for a problem outside the years (the `weekend`).
        year: Option<i32>,
        /// What is wrong, naming the entry (`holidays[2]`, …).
        message: String,
    },
    /// The calendar holds no schedule for this year.
    #[error(
        "no working-day calendar for {year} (this calendar covers {covered}): its holidays and \
         swapped days are announced each year, so they are not guessed; add the year with a \
         calendar file of your own"
    )]
    UnknownYear {
        /// The year asked about.
        year: i32,
        /// The years the calendar holds, as text (`2022–2026`, or a list; `no year`).
        covered: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CalendarFile {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    weekend: Option<Vec<String>>,
    #[serde(default)]
    years: Vec<YearFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct YearFile {
    year: i32,
    #[serde(default)]
    source: String,
    #[serde(default)]
    replace: bool,
    #[serde(default)]
    holidays: Vec<DayFile>,
    #[serde(default)]
    working_days: Vec<DayFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DayFile {
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    to: Option<String>,
    #[serde(default)]
    name: String,
}

const BUILTIN: &str = include_str!("../calendars/vietnam.toml");
const SATURDAY_SUNDAY: [bool; 7] = [false, false, false, false, false, true, true];

impl Calendar {
    /// The built-in calendar of Vietnam's public sector: Saturday and Sunday off, and the
    /// holidays, compensatory days and swapped days of every year with a sourced schedule
    /// (see [`Calendar::years`] and each year's `source`).
    pub fn vietnam() -> Calendar {
        static VIETNAM: OnceLock<Calendar> = OnceLock::new();
        VIETNAM
            .get_or_init(|| {
                Calendar::from_toml(BUILTIN)
                    .expect("the built-in calendar is valid (checked by its tests)")
            })
            .clone()
    }

    /// A calendar with weekends (Saturday, Sunday) and no year: every question is refused
    /// until years are added.
    pub fn empty() -> Calendar {
        Calendar {
            name: String::new(),
            weekend: SATURDAY_SUNDAY,
            weekend_given: false,
            years: BTreeMap::new(),
            table: YearTable::default(),
        }
    }

    /// Reads a calendar file (see `docs/records.md`).
    pub fn from_toml(text: &str) -> Result<Calendar, CalendarError> {
        let file: CalendarFile = toml::from_str(text).map_err(|e| CalendarError::Syntax {
            location: e.span().map(|span| Location::of_offset(text, span.start)),
            message: e.message().trim().to_string(),
        })?;
        let mut calendar = Calendar::empty();
        calendar.name = file.name.unwrap_or_default();
        if let Some(names) = &file.weekend {
            calendar.weekend = read_weekend(names)?;
            calendar.weekend_given = true;
        }
        for year_file in file.years {
            let year = read_year(year_file, &calendar.weekend)?;
            if calendar.years.contains_key(&year.year) {
                return Err(invalid(Some(year.year), "is given twice"));
            }
            calendar.years.insert(year.year, year);
        }
        calendar.rebuild();
        Ok(calendar)
    }

    /// This calendar with a user's calendar file laid over it (see [`Calendar::extend`]).
    ///
    /// ```
    /// use parscore_records::{Calendar, Date};
    /// let own = r#"
    ///     [[years]]
    ///     year = 2024
    ///     source = "Quyết định …/QĐ-UBND of the province, read on 02/01/2024"
    ///     holidays = [{ date = "2024-11-04", name = "Ngày truyền thống của tỉnh" }]
    ///
    ///     [[years]]
    ///     year = 2021
    ///     source = "Thông báo …/TB-LĐTBXH, read on 05/01/2021"
    ///     holidays = [{ from = "2021-02-10", to = "2021-02-16", name = "Tết Tân Sửu" }]
    /// "#;
    /// let calendar = Calendar::vietnam().with_toml(own)?;
    /// let d = |s: &str| Date::parse(s).unwrap();
    /// assert!(!calendar.is_working_day(d("04/11/2024"))?); // the province's own day off
    /// assert!(!calendar.is_working_day(d("29/04/2024"))?); // the built-in days stay
    /// assert!(!calendar.is_working_day(d("11/02/2021"))?); // a year added
    /// # Ok::<(), parscore_records::CalendarError>(())
    /// ```
    pub fn with_toml(mut self, text: &str) -> Result<Calendar, CalendarError> {
        self.extend(&Calendar::from_toml(text)?);
        Ok(self)
    }

    /// Lays another calendar over this one. A year it holds is added; for a year both hold,
    /// its days are added to this one's, and where both speak of the same day the other
    /// calendar wins, unless the year says `replace = true`, which replaces the whole year.
    /// Its weekend, when it states one, replaces this one's.
    pub fn extend(&mut self, other: &Calendar) {
        if other.weekend_given {
            self.weekend = other.weekend;
            self.weekend_given = true;
        }
        for (year, theirs) in &other.years {
            match self.years.get_mut(year) {
                Some(ours) if !theirs.replace => {
                    ours.entries.extend(theirs.entries.iter().cloned());
                    if !theirs.source.trim().is_empty() {
                        ours.source = format!("{}\n{}", ours.source, theirs.source);
                    }
                }
                _ => {
                    self.years.insert(*year, theirs.clone());
                }
            }
        }
        self.rebuild();
    }

    /// The calendar file's `name`; empty when it gives none.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The weekly rest days.
    pub fn weekend(&self) -> impl Iterator<Item = Weekday> + '_ {
        Weekday::ALL
            .into_iter()
            .filter(|day| self.weekend[day.index()])
    }

    /// The years this calendar can answer for, in order.
    pub fn years(&self) -> impl Iterator<Item = &CalendarYear> {
        self.years.values()
    }

    /// The days and source of a year; `None` when the calendar does not hold it.
    pub fn year(&self, year: i32) -> Option<&CalendarYear> {
        self.years.get(&year)
    }

    /// Whether the calendar holds a schedule for the year, and so can answer for its days.
    pub fn covers(&self, year: i32) -> bool {
        self.years.contains_key(&year)
    }

    /// Whether a day is a working day; refused for a year the calendar does not hold.
    pub fn is_working_day(&self, date: Date) -> Result<bool, CalendarError> {
        match self.table.is_off(date) {
            Some(off) => Ok(!off),
            None => Err(self.unknown_year(date.year())),
        }
    }

    /// The `n`-th working day after `start`. The day of `start` itself is not counted: a
    /// dossier received on a day has until the end of the `n`-th working day after it, as a
    /// term counted in days starts on the day after its event (Bộ luật Dân sự 2015, Điều 147).
    /// `n = 0` gives `start`. Refused when the days counted reach a year the calendar does
    /// not hold. Found by bisection, whatever `n`.
    pub fn add_working_days(&self, start: Date, n: u32) -> Result<Date, CalendarError> {
        if n == 0 {
            return Ok(start);
        }
        let day = start.days_since_epoch();
        let known_to = self.known_through(day + 1)?;
        self.table
            .nth_working_day_after(day, n)
            .filter(|&found| found <= known_to)
            .and_then(Date::from_days_since_epoch)
            .ok_or_else(|| self.unknown_year(self.year_of_day(known_to + 1)))
    }

    /// The working days after `from` up to and including `to` (negative when `to` is
    /// earlier): `add_working_days(a, working_days_between(a, b)) <= b`, with equality when
    /// `b` is a working day.
    pub fn working_days_between(&self, from: Date, to: Date) -> Result<i64, CalendarError> {
        let (low, high, sign) = if from <= to {
            (from, to, 1)
        } else {
            (to, from, -1)
        };
        let (low, high) = (low.days_since_epoch(), high.days_since_epoch());
        if low == high {
            return Ok(0);
        }
        let known_to = self.known_through(low + 1)?;
        if high > known_to {
            return Err(self.unknown_year(self.year_of_day(known_to + 1)));
        }
        Ok(sign * self.table.working_days_in(low + 1, high))
    }

    /// The day a term ending on `date` really ends: `date` itself when it is a working day,
    /// otherwise the next working day (Bộ luật Dân sự 2015, Điều 148.5: a term whose last day
    /// is a weekly rest day or a holiday ends with the next working day).
    pub fn roll_forward(&self, date: Date) -> Result<Date, CalendarError> {
        // Days off come a few at a time (a weekend, Tết): looked at one by one first, and
        // searched for only past a fortnight, so that the common case stays a few lookups.
        let mut day = date;
        for _ in 0..14 {
            if self.is_working_day(day)? {
                return Ok(day);
            }
            match day.add_days(1) {
                Some(next) => day = next,
                None => break,
            }
        }
        self.add_working_days(date, 1)
    }

    /// The last day of the run of held years that holds `day`, as days since 1970-01-01;
    /// refused, naming the year, when the calendar does not hold `day`'s year.
    fn known_through(&self, day: i32) -> Result<i32, CalendarError> {
        let year = self.year_of_day(day);
        if !self.covers(year) {
            return Err(self.unknown_year(year));
        }
        let mut last = year;
        while self.covers(last + 1) {
            last += 1;
        }
        Ok(year_bounds(last).1)
    }

    fn year_of_day(&self, day: i32) -> i32 {
        match Date::from_days_since_epoch(day) {
            Some(date) => date.year(),
            None if day < 0 => FIRST_YEAR - 1,
            None => LAST_YEAR + 1,
        }
    }

    pub(crate) fn unknown_year(&self, year: i32) -> CalendarError {
        let covered = match (self.years.keys().next(), self.years.keys().next_back()) {
            (Some(first), Some(last)) if first == last => first.to_string(),
            (Some(first), Some(last)) if self.years.len() as i32 == last - first + 1 => {
                format!("{first}–{last}")
            }
            (Some(_), Some(_)) => self
                .years
                .keys()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            _ => "no year".to_string(),
        };
        CalendarError::UnknownYear { year, covered }
    }

    fn rebuild(&mut self) {
        self.table = YearTable::build(&self.weekend, self.years.values());
    }
}

impl fmt::Display for DayRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.from == self.to {
            write!(f, "{} {}", self.from, self.name)
        } else {
            write!(f, "{}..{} {}", self.from, self.to, self.name)
        }
    }
}

fn invalid(year: Option<i32>, message: impl Into<String>) -> CalendarError {
    CalendarError::Invalid {
        year,
        message: message.into(),
    }
}

fn read_weekend(names: &[String]) -> Result<[bool; 7], CalendarError> {
    let mut weekend = [false; 7];
    for name in names {
        let day = match fold(name).as_str() {
            "monday" | "thu hai" => Weekday::Monday,
            "tuesday" | "thu ba" => Weekday::Tuesday,
            "wednesday" | "thu tu" => Weekday::Wednesday,
            "thursday" | "thu nam" => Weekday::Thursday,
            "friday" | "thu sau" => Weekday::Friday,
            "saturday" | "thu bay" => Weekday::Saturday,
            "sunday" | "chu nhat" => Weekday::Sunday,
            _ => {
                return Err(invalid(
                    None,
                    format!("`weekend`: `{name}` is not a day of the week"),
                ));
            }
        };
        weekend[day.index()] = true;
    }
    Ok(weekend)
}

fn read_year(file: YearFile, weekend: &[bool; 7]) -> Result<CalendarYear, CalendarError> {
    let year = file.year;
    if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
        return Err(invalid(
            Some(year),
            format!("lies outside {FIRST_YEAR}–{LAST_YEAR}, the years a summary accepts"),
        ));
    }
    if file.source.trim().is_empty() {
        return Err(invalid(
            Some(year),
            "has no `source`: every year must cite the documents its days come from",
        ));
    }
    let mut entries = Vec::new();
    for (list, kind, days) in [
        ("holidays", DayKind::Off, file.holidays),
        ("working_days", DayKind::Working, file.working_days),
    ] {
        for (i, day) in days.into_iter().enumerate() {
            let place = format!("{list}[{i}]");
            let range = read_range(year, &place, day)?;
            if kind == DayKind::Working {
                let mut date = range.from;
                loop {
                    if !weekend[date.weekday().index()] {
                        return Err(invalid(
                            Some(year),
                            format!(
                                "{place}: {date} is a {}, already a working day; \
                                 `working_days` lists weekend days worked in exchange",
                                date.weekday().name()
                            ),
                        ));
                    }
                    if date == range.to {
                        break;
                    }
                    date = date.succ();
                }
            }
            entries.push((range, kind));
        }
    }
    // Within one file a day is either off or worked, never both.
    for (i, (a, kind_a)) in entries.iter().enumerate() {
        for (b, kind_b) in &entries[i + 1..] {
            if kind_a != kind_b && a.from <= b.to && b.from <= a.to {
                return Err(invalid(
                    Some(year),
                    format!("`{b}` is both a day off and a working day (`{a}`)"),
                ));
            }
        }
    }
    Ok(CalendarYear {
        year,
        source: file.source.trim().to_string(),
        entries,
        replace: file.replace,
    })
}

fn read_range(year: i32, place: &str, day: DayFile) -> Result<DayRange, CalendarError> {
    let date = |text: &str| {
        Date::parse_as(text, DateFormat::Iso)
            .map_err(|e| invalid(Some(year), format!("{place}: {e}")))
    };
    let (from, to) = match (&day.date, &day.from, &day.to) {
        (Some(d), None, None) => (date(d)?, date(d)?),
        (None, Some(from), Some(to)) => (date(from)?, date(to)?),
        _ => {
            return Err(invalid(
                Some(year),
                format!("{place}: give either `date`, or `from` and `to`"),
            ));
        }
    };
    if from > to {
        return Err(invalid(
            Some(year),
            format!("{place}: `from` {from} is after `to` {to}"),
        ));
    }
    if from.year() != year || to.year() != year {
        return Err(invalid(
            Some(year),
            format!("{place}: {from}..{to} lies outside {year}"),
        ));
    }
    if day.name.trim().is_empty() {
        return Err(invalid(Some(year), format!("{place}: `name` is required")));
    }
    Ok(DayRange {
        from,
        to,
        name: day.name.trim().to_string(),
    })
}

/// Every day from the first held year to the last, as working, off, or unknown (a year the
/// calendar does not hold): a lookup is a subtraction and a load, with no date arithmetic.
/// With them, the working days before each day, so that counting working days is a
/// subtraction and finding the n-th a bisection, whatever the number of days.
#[derive(Debug, Clone, Default, PartialEq)]
struct YearTable {
    first_day: i32,
    days: Vec<DayState>,
    /// `working_before[i]`: the working days among `days[..i]`; one more entry than days.
    working_before: Vec<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DayState {
    Working,
    Off,
    Unknown,
}

impl YearTable {
    fn build<'a>(weekend: &[bool; 7], years: impl Iterator<Item = &'a CalendarYear>) -> YearTable {
        let years: Vec<&CalendarYear> = years.collect();
        let (Some(first), Some(last)) = (years.first(), years.last()) else {
            return YearTable::default();
        };
        let first_day = year_bounds(first.year).0;
        let end = year_bounds(last.year).1 + 1;
        let mut days = vec![DayState::Unknown; (end - first_day) as usize];
        for year in years {
            let (start, last_day) = year_bounds(year.year);
            for day in start..=last_day {
                let date = Date::from_days_since_epoch(day).expect("a held year");
                days[(day - first_day) as usize] = if weekend[date.weekday().index()] {
                    DayState::Off
                } else {
                    DayState::Working
                };
            }
            for (range, kind) in &year.entries {
                for day in range.from.days_since_epoch()..=range.to.days_since_epoch() {
                    days[(day - first_day) as usize] = match kind {
                        DayKind::Off => DayState::Off,
                        DayKind::Working => DayState::Working,
                    };
                }
            }
        }
        let mut working_before = Vec::with_capacity(days.len() + 1);
        let mut count = 0;
        working_before.push(count);
        for state in &days {
            count += u32::from(*state == DayState::Working);
            working_before.push(count);
        }
        YearTable {
            first_day,
            days,
            working_before,
        }
    }

    fn is_off(&self, date: Date) -> Option<bool> {
        let index = usize::try_from(date.days_since_epoch() - self.first_day).ok()?;
        match self.days.get(index)? {
            DayState::Working => Some(false),
            DayState::Off => Some(true),
            DayState::Unknown => None,
        }
    }

    /// The working days before `day` in the table (0 before it, all of them after it).
    fn before(&self, day: i32) -> u32 {
        let index = (i64::from(day) - i64::from(self.first_day)).clamp(0, self.days.len() as i64);
        self.working_before[index as usize]
    }

    /// The working days from `from` to `to`, both included.
    fn working_days_in(&self, from: i32, to: i32) -> i64 {
        i64::from(self.before(to + 1)) - i64::from(self.before(from))
    }

    /// The `n`-th working day after `day` (n ≥ 1), when the table holds it.
    fn nth_working_day_after(&self, day: i32, n: u32) -> Option<i32> {
        let wanted = self.before(day + 1).checked_add(n)?;
        // The first index whose count before it reaches `wanted` is one past that day.
        let past = self.working_before.partition_point(|&c| c < wanted);
        (past < self.working_before.len()).then(|| self.first_day + past as i32 - 1)
    }
}

/// The first and last day of a year held by a calendar (1990–2100, checked on reading).
fn year_bounds(year: i32) -> (i32, i32) {
    let day = |m, d| {
        Date::from_ymd(year, m, d)
            .expect("a year in 1900–9999")
            .days_since_epoch()
    };
    (day(1, 1), day(12, 31))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    #[test]
    fn builtin_years_each_give_eleven_holidays_net_of_swaps() {
        // Labour Code 2019: 11 days of public holidays a year. A holiday on a weekend gives a
        // compensatory weekday, and each swap moves one weekday off against one Saturday
        // worked, so weekdays off minus Saturdays worked is 11 in every year.
        let vn = Calendar::vietnam();
        let years: Vec<i32> = vn.years().map(|y| y.year).collect();
        assert_eq!(years, vec![2022, 2023, 2024, 2025, 2026]);
        for year in vn.years() {
            assert!(year.source.len() > 100, "{}: thin source", year.year);
            let mut weekdays_off = 0;
            let mut saturdays_worked = 0;
            let mut date = Date::from_ymd(year.year, 1, 1).unwrap();
            while date.year() == year.year {
                let weekend = matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday);
                let working = vn.is_working_day(date).unwrap();
                if !weekend && !working {
                    weekdays_off += 1;
                }
                if weekend && working {
                    saturdays_worked += 1;
                }
                date = date.succ();
            }
            assert_eq!(weekdays_off - saturdays_worked, 11, "{}", year.year);
        }
    }

    #[test]
    fn builtin_days_fall_on_the_weekdays_the_announcements_name() {
        use Weekday::*;
        for (date, weekday) in [
            ("2022-01-29", Saturday), // Tết 2022 starts on a Saturday
            ("2023-01-20", Friday),
            ("2023-04-29", Saturday), // Giỗ Tổ 2023
            ("2024-02-08", Thursday),
            ("2024-02-14", Wednesday),
            ("2024-04-18", Thursday), // Giỗ Tổ 2024
            ("2024-04-27", Saturday),
            ("2024-05-04", Saturday),
            ("2024-08-31", Saturday),
            ("2025-01-25", Saturday),
            ("2025-02-02", Sunday),
            ("2025-04-07", Monday),
            ("2025-04-26", Saturday),
            ("2025-05-02", Friday),
            ("2026-01-10", Saturday),
            ("2026-02-14", Saturday),
            ("2026-02-22", Sunday),
            ("2026-04-26", Sunday),
            ("2026-08-22", Saturday),
            ("2026-08-31", Monday),
            ("2026-09-02", Wednesday),
        ] {
            assert_eq!(Date::parse(date).unwrap().weekday(), weekday, "{date}");
        }
    }

    #[test]
    fn counts_working_days_across_tet_and_swaps() {
        let vn = Calendar::vietnam();
        // Tết 2024: off Thursday 8 to Wednesday 14 February.
        assert_eq!(
            vn.add_working_days(d("07/02/2024"), 1).unwrap(),
            d("15/02/2024")
        );
        assert_eq!(
            vn.add_working_days(d("06/02/2024"), 2).unwrap(),
            d("15/02/2024")
        );
        assert_eq!(
            vn.add_working_days(d("07/02/2024"), 3).unwrap(),
            d("19/02/2024")
        );
        assert_eq!(
            vn.working_days_between(d("07/02/2024"), d("15/02/2024"))
                .unwrap(),
            1
        );
        assert_eq!(
            vn.working_days_between(d("15/02/2024"), d("07/02/2024"))
                .unwrap(),
            -1
        );
        assert_eq!(
            vn.add_working_days(d("07/02/2024"), 0).unwrap(),
            d("07/02/2024")
        );
        // A dossier received on a day off is counted from the next working day.
        assert_eq!(
            vn.add_working_days(d("10/02/2024"), 1).unwrap(),
            d("15/02/2024")
        );
        // 30/4–1/5/2024: Friday 26 April + 1 working day is Thursday 2 May; the make-up
        // Saturday 4 May counts.
        assert_eq!(
            vn.add_working_days(d("26/04/2024"), 1).unwrap(),
            d("02/05/2024")
        );
        assert_eq!(
            vn.add_working_days(d("03/05/2024"), 1).unwrap(),
            d("04/05/2024")
        );
        assert_eq!(
            vn.add_working_days(d("03/05/2024"), 2).unwrap(),
            d("06/05/2024")
        );
        // Crossing a year end: Tết Dương lịch 2025 is Wednesday 1 January.
        assert_eq!(
            vn.add_working_days(d("31/12/2024"), 1).unwrap(),
            d("02/01/2025")
        );
        // Ordinary weeks.
        assert_eq!(
            vn.add_working_days(d("05/03/2024"), 5).unwrap(),
            d("12/03/2024")
        );
        assert_eq!(
            vn.working_days_between(d("05/03/2024"), d("12/03/2024"))
                .unwrap(),
            5
        );
    }

    #[test]
    fn rolls_a_deadline_on_a_day_off_to_the_next_working_day() {
        let vn = Calendar::vietnam();
        assert_eq!(vn.roll_forward(d("12/02/2024")).unwrap(), d("15/02/2024"));
        assert_eq!(vn.roll_forward(d("15/02/2024")).unwrap(), d("15/02/2024"));
        assert_eq!(vn.roll_forward(d("04/05/2024")).unwrap(), d("04/05/2024"));
        assert_eq!(vn.roll_forward(d("31/08/2024")).unwrap(), d("04/09/2024"));
    }

    #[test]
    fn refuses_years_it_does_not_hold_and_says_which_it_does() {
        let vn = Calendar::vietnam();
        let error = vn.is_working_day(d("02/01/2021")).unwrap_err();
        assert_eq!(
            error,
            CalendarError::UnknownYear {
                year: 2021,
                covered: "2022–2026".into()
            }
        );
        assert!(error.to_string().contains("not guessed"));
        // Counting into an unknown year is refused as well.
        assert!(vn.add_working_days(d("30/12/2026"), 5).is_err());
        assert!(Calendar::empty().is_working_day(d("01/01/2024")).is_err());
    }

    #[test]
    fn counting_any_number_of_days_is_one_lookup_and_stops_at_the_years_held() {
        let vn = Calendar::vietnam();
        // The last working day the calendar holds, found directly from 2022.
        let held = vn
            .working_days_between(d("31/12/2021"), d("31/12/2026"))
            .unwrap();
        let last = vn.add_working_days(d("31/12/2021"), held as u32).unwrap();
        assert_eq!(last, d("31/12/2026"));
        let error = vn.add_working_days(d("05/03/2024"), u32::MAX).unwrap_err();
        assert!(
            matches!(error, CalendarError::UnknownYear { year: 2027, .. }),
            "{error}"
        );
        assert!(
            vn.working_days_between(d("05/03/2024"), d("05/03/2027"))
                .is_err()
        );
        // A calendar whose every day is off: the next working day is refused at once.
        let never = Calendar::from_toml(
            "weekend = [\"thứ hai\", \"thứ ba\", \"thứ tư\", \"thứ năm\", \"thứ sáu\", \"thứ bảy\", \"chủ nhật\"]\n\
             [[years]]\nyear = 2024\nsource = \"no working day\"\n",
        )
        .unwrap();
        assert!(never.roll_forward(d("05/03/2024")).is_err());
    }

    #[test]
    fn a_users_file_adds_years_and_overrides_days() {
        let text = r#"
            [[years]]
            year = 2021
            source = "Thông báo …/TB-LĐTBXH (example)"
            holidays = [{ from = "2021-02-10", to = "2021-02-16", name = "Tết Tân Sửu" }]

            [[years]]
            year = 2024
            source = "Quyết định …/QĐ-UBND of the province (example): a local day off"
            holidays = [{ date = "2024-03-15", name = "Ngày hội tỉnh" }]
            working_days = [{ date = "2024-02-10", name = "Trực Tết" }]
        "#;
        let calendar = Calendar::vietnam().with_toml(text).unwrap();
        assert!(!calendar.is_working_day(d("11/02/2021")).unwrap());
        assert!(calendar.is_working_day(d("17/02/2021")).unwrap());
        assert!(!calendar.is_working_day(d("15/03/2024")).unwrap());
        // The user's file wins for a day both speak of.
        assert!(calendar.is_working_day(d("10/02/2024")).unwrap());
        assert!(!calendar.is_working_day(d("09/02/2024")).unwrap());
        assert!(calendar.year(2024).unwrap().source.contains("QĐ-UBND"));

        let replaced = Calendar::vietnam()
            .with_toml(
                r#"[[years]]
                year = 2024
                replace = true
                source = "own schedule"
                holidays = [{ date = "2024-01-01", name = "Tết Dương lịch" }]"#,
            )
            .unwrap();
        assert!(replaced.is_working_day(d("08/02/2024")).unwrap());
    }

    #[test]
    fn names_what_is_wrong_in_a_calendar_file() {
        let cases = [
            ("[[years]]\nyear = 2024\n", "no `source`"),
            (
                "[[years]]\nyear = 2024\nsource = \"x\"\nholidays = [{ date = \"2024-02-30\", name = \"x\" }]\n",
                "holidays[0]",
            ),
            (
                "[[years]]\nyear = 2024\nsource = \"x\"\nholidays = [{ date = \"2025-01-01\", name = \"x\" }]\n",
                "outside 2024",
            ),
            (
                "[[years]]\nyear = 2024\nsource = \"x\"\nworking_days = [{ date = \"2024-05-06\", name = \"x\" }]\n",
                "already a working day",
            ),
            (
                "[[years]]\nyear = 2024\nsource = \"x\"\nholidays = [{ date = \"2024-05-04\", name = \"x\" }]\nworking_days = [{ date = \"2024-05-04\", name = \"y\" }]\n",
                "both a day off and a working day",
            ),
            (
                "[[years]]\nyear = 2024\nsource = \"x\"\n[[years]]\nyear = 2024\nsource = \"y\"\n",
                "twice",
            ),
            (
                "[[years]]\nyear = 2024\nsource = \"x\"\nholidays = [{ from = \"2024-01-02\", name = \"x\" }]\n",
                "either `date`",
            ),
            ("weekend = [\"caturday\"]\n", "not a day of the week"),
            (
                "[[years]]\nyear = 1900\nsource = \"x\"\n",
                "year 1900: lies outside 1990–2100",
            ),
            (
                "[[years]]\nyear = 2024\nsorce = \"x\"\n",
                "3:1: unknown field `sorce`",
            ),
        ];
        for (text, expected) in cases {
            let error = Calendar::from_toml(text).unwrap_err().to_string();
            assert!(error.contains(expected), "{text}\n→ {error}");
        }
    }

    #[test]
    fn another_weekend_is_honoured() {
        let calendar = Calendar::from_toml(
            "weekend = [\"chủ nhật\"]\n[[years]]\nyear = 2024\nsource = \"six-day week\"\n",
        )
        .unwrap();
        assert!(calendar.is_working_day(d("06/01/2024")).unwrap()); // a Saturday
        assert!(!calendar.is_working_day(d("07/01/2024")).unwrap());
        assert_eq!(
            calendar.weekend().collect::<Vec<_>>(),
            vec![Weekday::Sunday]
        );
    }
}
