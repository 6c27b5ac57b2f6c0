//! Calendar dates as the one-stop-shop systems export them: `dd/mm/yyyy` (with or without a
//! time), ISO `yyyy-mm-dd`, or an Excel serial number. Parsing never allocates on success.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use thiserror::Error;

/// A day of the Gregorian calendar, years 1900 to 9999.
///
/// ```
/// use parscore_records::Date;
/// let d: Date = "08/02/2024".parse()?;
/// assert_eq!(d, Date::from_ymd(2024, 2, 8).unwrap());
/// assert_eq!(Date::parse("2024-02-08T10:30:00")?, d);
/// assert_eq!(Date::parse("15/01/2024 08:30")?.to_string(), "2024-01-15");
/// assert_eq!(Date::parse("45292")?.to_string(), "2024-01-01"); // Excel serial
/// assert!(Date::parse("31/02/2024").is_err());
/// # Ok::<(), parscore_records::DateError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(i32);

/// A day of the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Weekday {
    /// Monday (thứ Hai).
    Monday,
    /// Tuesday (thứ Ba).
    Tuesday,
    /// Wednesday (thứ Tư).
    Wednesday,
    /// Thursday (thứ Năm).
    Thursday,
    /// Friday (thứ Sáu).
    Friday,
    /// Saturday (thứ Bảy), a weekly rest day of the public sector.
    Saturday,
    /// Sunday (Chủ nhật), a weekly rest day of the public sector.
    Sunday,
}

impl Weekday {
    /// Every day of the week, Monday first (in [`Weekday::index`] order).
    pub const ALL: [Weekday; 7] = [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
        Weekday::Saturday,
        Weekday::Sunday,
    ];

    /// 0 for Monday to 6 for Sunday.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The English name in lowercase (`monday` … `sunday`), as a calendar file's `weekend`
    /// may write it.
    pub fn name(self) -> &'static str {
        match self {
            Weekday::Monday => "monday",
            Weekday::Tuesday => "tuesday",
            Weekday::Wednesday => "wednesday",
            Weekday::Thursday => "thursday",
            Weekday::Friday => "friday",
            Weekday::Saturday => "saturday",
            Weekday::Sunday => "sunday",
        }
    }
}

/// Which forms of date text to accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DateFormat {
    /// Any of the forms below. A day-first date is never read month-first.
    #[default]
    Auto,
    /// `dd/mm/yyyy`, `d/m/yyyy`, also with `-` or `.`, optionally followed by a time.
    DayMonthYear,
    /// `yyyy-mm-dd`, optionally followed by `T` or a space and a time.
    Iso,
    /// An Excel serial day number (1900 date system), optionally with a fraction (the time).
    ExcelSerial,
}

/// A text that is not a date.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("`{text}` is not a date: {reason}")]
pub struct DateError {
    /// The text that was read, as given (or the serial number, as text).
    pub text: String,
    /// Why it is not a date: no known form, a day that does not exist (31/02), a year
    /// outside 1900–9999, Excel serial 0 or 60, …
    pub reason: String,
}

fn refuse(text: &str, reason: impl Into<String>) -> DateError {
    DateError {
        text: text.to_string(),
        reason: reason.into(),
    }
}

const MIN_YEAR: i32 = 1900;
const MAX_YEAR: i32 = 9999;
/// 1900-01-01 and 9999-12-31 as days since 1970-01-01.
const MIN_DAY: i32 = days_from_civil(MIN_YEAR, 1, 1);
const MAX_DAY: i32 = days_from_civil(MAX_YEAR, 12, 31);
/// The last serial Excel accepts: 9999-12-31.
const MAX_SERIAL: i64 = 2_958_465;

impl Date {
    /// The date of a year, month (1–12) and day (1–31), if it exists and lies in 1900–9999.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(MIN_YEAR..=MAX_YEAR).contains(&year)
            || !(1..=12).contains(&month)
            || day == 0
            || day > days_in_month(year, month)
        {
            return None;
        }
        Some(Date(days_from_civil(year, month, day)))
    }

    /// Days since 1970-01-01 (negative before), the Arrow `Date32` representation.
    pub fn from_days_since_epoch(days: i32) -> Option<Date> {
        // Compared as days: columnar readers call this for every cell of a date column.
        (MIN_DAY..=MAX_DAY).contains(&days).then_some(Date(days))
    }

    /// Days since 1970-01-01.
    pub fn days_since_epoch(self) -> i32 {
        self.0
    }

    /// An Excel serial day number in the 1900 date system. Excel counts 1900-02-29, a day that
    /// never was (serial 60), so serials from 61 on are one more than their distance from
    /// 1899-12-31; serial 60 itself is refused, and so is 0 (Excel's "1900-01-00").
    ///
    /// ```
    /// use parscore_records::Date;
    /// assert_eq!(Date::from_excel_serial(1).unwrap().to_string(), "1900-01-01");
    /// assert_eq!(Date::from_excel_serial(59).unwrap().to_string(), "1900-02-28");
    /// assert!(Date::from_excel_serial(60).is_err());
    /// assert_eq!(Date::from_excel_serial(61).unwrap().to_string(), "1900-03-01");
    /// assert_eq!(Date::from_excel_serial(45292).unwrap().to_string(), "2024-01-01");
    /// ```
    pub fn from_excel_serial(serial: i64) -> Result<Date, DateError> {
        let shown = || serial.to_string();
        match serial {
            i64::MIN..=0 => Err(refuse(
                &shown(),
                "Excel serial dates start at 1 (1900-01-01)",
            )),
            60 => Err(refuse(
                &shown(),
                "Excel serial 60 is 1900-02-29, a day that does not exist",
            )),
            1..=59 => Ok(Date(days_from_civil(1899, 12, 31) + serial as i32)),
            61..=MAX_SERIAL => Ok(Date(days_from_civil(1899, 12, 30) + serial as i32)),
            _ => Err(refuse(
                &shown(),
                "Excel serial dates end at 2958465 (9999-12-31)",
            )),
        }
    }

    /// The Excel serial number of this date (1900 date system).
    pub fn to_excel_serial(self) -> i64 {
        let march_1900 = days_from_civil(1900, 3, 1);
        if self.0 >= march_1900 {
            i64::from(self.0 - days_from_civil(1899, 12, 30))
        } else {
            i64::from(self.0 - days_from_civil(1899, 12, 31))
        }
    }

    /// Reads a date in any accepted form (see [`DateFormat::Auto`]).
    pub fn parse(text: &str) -> Result<Date, DateError> {
        Date::parse_as(text, DateFormat::Auto)
    }

    /// Reads a date in the given form.
    pub fn parse_as(text: &str, format: DateFormat) -> Result<Date, DateError> {
        // The forms of millions of rows first, before any scan of the text.
        if format != DateFormat::ExcelSerial
            && let Some(date) = parse_common(text.trim_ascii(), format)
        {
            return Ok(date);
        }
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(refuse(text, "it is empty"));
        }
        let bytes = trimmed.as_bytes();
        let numeric = bytes.iter().all(|b| b.is_ascii_digit() || *b == b'.')
            && bytes.iter().filter(|&&b| b == b'.').count() <= 1;
        if numeric && format != DateFormat::DayMonthYear && format != DateFormat::Iso {
            return parse_serial(trimmed);
        }
        if format == DateFormat::ExcelSerial {
            return Err(refuse(text, "expected an Excel serial number"));
        }
        parse_calendar(trimmed, format).map_err(|reason| refuse(text, reason))
    }

    /// The year, 1900 to 9999.
    pub fn year(self) -> i32 {
        civil_from_days(self.0).0
    }

    /// The month, 1 (January) to 12.
    pub fn month(self) -> u32 {
        civil_from_days(self.0).1
    }

    /// The day of the month, 1 to 31.
    pub fn day(self) -> u32 {
        civil_from_days(self.0).2
    }

    /// `(year, month, day)`.
    pub fn ymd(self) -> (i32, u32, u32) {
        civil_from_days(self.0)
    }

    /// The day of the week.
    pub fn weekday(self) -> Weekday {
        // 1970-01-01 was a Thursday.
        Weekday::ALL[(self.0 + 3).rem_euclid(7) as usize]
    }

    /// The date `days` later (earlier when negative), if it stays within 1900–9999.
    pub fn add_days(self, days: i32) -> Option<Date> {
        self.0
            .checked_add(days)
            .and_then(Date::from_days_since_epoch)
    }

    /// The next day. Dates stop at 9999-12-31, which is its own successor: nothing in the
    /// records domain reaches it, and saturating keeps callers free of impossible branches.
    pub fn succ(self) -> Date {
        self.add_days(1).unwrap_or(self)
    }

    /// Days from `self` to `other` (negative when `other` is earlier).
    pub fn days_until(self, other: Date) -> i32 {
        other.0 - self.0
    }

    /// 1 January of this date's year.
    pub fn year_start(self) -> Date {
        Date(days_from_civil(self.year(), 1, 1))
    }

    /// 0 for 1 January.
    pub fn ordinal0(self) -> usize {
        (self.0 - days_from_civil(self.year(), 1, 1)) as usize
    }
}

impl FromStr for Date {
    type Err = DateError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Date::parse(text)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

/// Written as its ISO text, which reads back only as a date of 1900–9999.
impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Date::parse_as(&text, DateFormat::Iso).map_err(serde::de::Error::custom)
    }
}

pub(crate) fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub(crate) fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
const fn days_from_civil(year: i32, month: u32, day: u32) -> i32 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = month as i32;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + day as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i32) -> (i32, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i32::from(month <= 2);
    (year, month, day)
}

fn parse_serial(text: &str) -> Result<Date, DateError> {
    // The integer part is the day; a fraction is the time of day, which is dropped.
    let whole = text.split('.').next().unwrap_or("");
    if whole.is_empty() || whole.len() > 9 {
        return Err(refuse(
            text,
            "not a day-first date, an ISO date or an Excel serial",
        ));
    }
    let serial = whole
        .bytes()
        .fold(0i64, |n, b| n * 10 + i64::from(b - b'0'));
    Date::from_excel_serial(serial).map_err(|e| refuse(text, e.reason))
}

/// The forms exports use for millions of rows, `dd/mm/yyyy` and `yyyy-mm-dd` (each maybe
/// followed by a time), read straight from their bytes; `None` sends anything else, and any
/// invalid date, to the general reader and its explanations.
fn parse_common(text: &str, format: DateFormat) -> Option<Date> {
    let b = text.as_bytes();
    if b.len() < 10 {
        return None;
    }
    let two = |i: usize| -> Option<u32> {
        let (hi, lo) = (b[i].wrapping_sub(b'0'), b[i + 1].wrapping_sub(b'0'));
        (hi < 10 && lo < 10).then(|| u32::from(hi) * 10 + u32::from(lo))
    };
    let (year, month, day, time_mark) = if b[2] == b'/' && b[5] == b'/' && format != DateFormat::Iso
    {
        let year = two(6)? * 100 + two(8)?;
        (year, two(3)?, two(0)?, b' ')
    } else if b[4] == b'-' && b[7] == b'-' && format != DateFormat::DayMonthYear {
        let year = two(0)? * 100 + two(2)?;
        (year, two(5)?, two(8)?, b'T')
    } else {
        return None;
    };
    let rest = &text[10..];
    if !rest.is_empty() {
        let mark = rest.as_bytes()[0];
        if !(mark == b' ' || mark == time_mark) || !is_time(&rest[1..]) {
            return None;
        }
    }
    Date::from_ymd(year as i32, month, day)
}

/// Reads `d/m/yyyy` or `yyyy-m-d`, with an optional time before or after it.
fn parse_calendar(text: &str, format: DateFormat) -> Result<Date, String> {
    // ISO date-times join the parts with `T`: split there when the text starts with a year.
    let (date_part, rest) = match text.find(['T', 't']) {
        Some(at) if at == 10 && text.as_bytes()[4] == b'-' => (&text[..at], &text[at + 1..]),
        _ => split_date_token(text)?,
    };
    if !rest.is_empty() && !is_time(rest) {
        return Err(format!("`{}` is not a time of day", rest.trim()));
    }
    let mut parts = [0u32; 3];
    let mut lengths = [0usize; 3];
    let mut index = 0;
    let mut separator = None;
    for &b in date_part.as_bytes() {
        match b {
            b'0'..=b'9' => {
                if lengths[index] == 4 {
                    return Err("a part has too many digits".into());
                }
                parts[index] = parts[index] * 10 + u32::from(b - b'0');
                lengths[index] += 1;
            }
            b'/' | b'-' | b'.' => {
                if separator.is_some_and(|s| s != b) {
                    return Err("the separators differ".into());
                }
                separator = Some(b);
                index += 1;
                if index == 3 || lengths[index - 1] == 0 {
                    return Err("expected three numbers: day/month/year or year-month-day".into());
                }
            }
            _ => return Err("expected day/month/year or year-month-day".into()),
        }
    }
    if index != 2 || lengths[2] == 0 {
        return Err("expected three numbers: day/month/year or year-month-day".into());
    }
    let (year, month, day) = match (lengths[0], lengths[2]) {
        (4, 1..=2) if lengths[1] <= 2 && format != DateFormat::DayMonthYear => {
            (parts[0] as i32, parts[1], parts[2])
        }
        (1..=2, 4) if lengths[1] <= 2 && format != DateFormat::Iso => {
            (parts[2] as i32, parts[1], parts[0])
        }
        (1..=2, 1..=2) => return Err("the year must have four digits".into()),
        _ if format == DateFormat::Iso => return Err("expected year-month-day".into()),
        _ if format == DateFormat::DayMonthYear => return Err("expected day/month/year".into()),
        _ => return Err("expected day/month/year or year-month-day".into()),
    };
    if !(1..=12).contains(&month) {
        return Err(format!("there is no month {month}"));
    }
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        return Err(format!("the year {year} lies outside 1900–9999"));
    }
    let last = days_in_month(year, month);
    if day == 0 || day > last {
        return Err(format!("month {month} of {year} has {last} days"));
    }
    Ok(Date(days_from_civil(year, month, day)))
}

/// Splits `"15/01/2024 08:30"` or `"08:30 15/01/2024"` into the date and the rest.
fn split_date_token(text: &str) -> Result<(&str, &str), String> {
    let mut date = None;
    let mut rest_start = 0;
    let mut rest_end = 0;
    for token in text.split_whitespace() {
        let is_date =
            token.bytes().any(|b| matches!(b, b'/' | b'-' | b'.')) && !token.contains(':');
        if is_date && date.is_none() {
            date = Some(token);
        } else {
            let start = token.as_ptr() as usize - text.as_ptr() as usize;
            if rest_end == 0 {
                rest_start = start;
            }
            rest_end = start + token.len();
        }
    }
    let date = date.ok_or("expected day/month/year or year-month-day")?;
    let rest = if rest_end == 0 {
        ""
    } else {
        &text[rest_start..rest_end]
    };
    Ok((date, rest))
}

/// `HH:MM`, `HH:MM:SS`, `HH:MM:SS.fff`, optionally with `AM`/`PM` (or `SA`/`CH`), `Z` or a
/// UTC offset.
fn is_time(text: &str) -> bool {
    // `HH:MM` and `HH:MM:SS`, as exported, without the general parse.
    let b = text.as_bytes();
    let pair = |i: usize, max: u8| {
        b[i].is_ascii_digit()
            && b[i + 1].is_ascii_digit()
            && (b[i] - b'0') * 10 + (b[i + 1] - b'0') <= max
    };
    if (b.len() == 5 || (b.len() == 8 && b[5] == b':' && pair(6, 60))) && b[2] == b':' {
        return pair(0, 24) && pair(3, 59);
    }
    let mut text = text.trim();
    for suffix in ["AM", "PM", "am", "pm", "SA", "CH", "sa", "ch", "Z", "z"] {
        if let Some(stripped) = text.strip_suffix(suffix) {
            text = stripped.trim_end();
            break;
        }
    }
    // A trailing UTC offset (+07:00, -0500).
    if let Some(at) = text.rfind(['+', '-'])
        && at >= 4
    {
        let offset = &text[at + 1..];
        if offset.len() <= 5 && offset.bytes().all(|b| b.is_ascii_digit() || b == b':') {
            text = &text[..at];
        }
    }
    let mut fields = text.split(':');
    let hours = fields.next().unwrap_or("");
    let minutes = fields.next().unwrap_or("");
    let seconds = fields.next();
    if fields.next().is_some() {
        return false;
    }
    let digits = |s: &str, max: u32| {
        (1..=2).contains(&s.len())
            && s.bytes().all(|b| b.is_ascii_digit())
            && s.parse::<u32>().is_ok_and(|n| n <= max)
    };
    let seconds_ok = seconds.is_none_or(|s| {
        let whole = s.split('.').next().unwrap_or("");
        let fraction_ok = s
            .split_once('.')
            .is_none_or(|(_, f)| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()));
        digits(whole, 60) && fraction_ok
    });
    digits(hours, 24) && digits(minutes, 59) && seconds_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> Date {
        Date::from_ymd(y, m, d).unwrap()
    }

    #[test]
    fn reads_day_first_dates_with_and_without_times() {
        let d = ymd(2024, 2, 8);
        for text in [
            "08/02/2024",
            "8/2/2024",
            " 08/02/2024 ",
            "08-02-2024",
            "08.02.2024",
            "08/02/2024 14:35",
            "08/02/2024 14:35:07",
            "08/02/2024 02:35:07 PM",
            "14:35 08/02/2024",
        ] {
            assert_eq!(Date::parse(text), Ok(d), "{text}");
        }
    }

    #[test]
    fn reads_iso_dates_and_date_times() {
        let d = ymd(2024, 2, 8);
        for text in [
            "2024-02-08",
            "2024-2-8",
            "2024/02/08",
            "2024-02-08T14:35:07",
            "2024-02-08T14:35:07.123Z",
            "2024-02-08T14:35:07+07:00",
            "2024-02-08 14:35",
        ] {
            assert_eq!(Date::parse(text), Ok(d), "{text}");
        }
    }

    #[test]
    fn reads_excel_serials_around_the_1900_leap_bug() {
        assert_eq!(Date::parse("1"), Ok(ymd(1900, 1, 1)));
        assert_eq!(Date::parse("59"), Ok(ymd(1900, 2, 28)));
        let sixty = Date::parse("60").unwrap_err();
        assert!(sixty.reason.contains("does not exist"), "{sixty}");
        assert_eq!(Date::parse("61"), Ok(ymd(1900, 3, 1)));
        assert_eq!(Date::parse("45292"), Ok(ymd(2024, 1, 1)));
        assert_eq!(Date::parse("45292.75"), Ok(ymd(2024, 1, 1)));
        assert_eq!(Date::parse("2958465"), Ok(ymd(9999, 12, 31)));
        assert!(Date::parse("0").is_err());
        assert!(Date::parse("2958466").is_err());
        assert!(Date::parse("20240115").is_err()); // not a serial, and never guessed as yyyymmdd
        for serial in [1, 59, 61, 45292, 2_958_465] {
            let date = Date::from_excel_serial(serial).unwrap();
            assert_eq!(date.to_excel_serial(), serial);
        }
    }

    #[test]
    fn refuses_what_is_not_a_date_and_names_the_text() {
        for (text, reason) in [
            ("31/02/2024", "has 29 days"),
            ("29/02/2023", "has 28 days"),
            ("15/13/2024", "no month 13"),
            ("15/01/24", "four digits"),
            ("2024-01", "three numbers"),
            ("01/02-2024", "separators differ"),
            ("15/01/2024 noon", "not a time"),
            ("15/01/2024 25:00", "not a time"),
            ("hôm qua", "expected"),
            ("", "empty"),
            ("15/01/1899", "outside"),
        ] {
            let error = Date::parse(text).unwrap_err();
            assert!(error.reason.contains(reason), "{text}: {error}");
            assert!(error.to_string().contains(&format!("`{text}`")), "{error}");
        }
    }

    #[test]
    fn formats_restrict_the_accepted_forms() {
        assert!(Date::parse_as("2024-02-08", DateFormat::DayMonthYear).is_err());
        assert!(Date::parse_as("08/02/2024", DateFormat::Iso).is_err());
        assert!(Date::parse_as("45292", DateFormat::Iso).is_err());
        assert!(Date::parse_as("08/02/2024", DateFormat::ExcelSerial).is_err());
        assert_eq!(
            Date::parse_as("45292", DateFormat::ExcelSerial),
            Ok(ymd(2024, 1, 1))
        );
    }

    #[test]
    fn civil_arithmetic_round_trips_and_knows_weekdays() {
        assert_eq!(
            Date::from_days_since_epoch(0).unwrap().to_string(),
            "1970-01-01"
        );
        assert_eq!(ymd(1970, 1, 1).weekday(), Weekday::Thursday);
        assert_eq!(ymd(2024, 2, 10).weekday(), Weekday::Saturday);
        assert_eq!(ymd(2024, 1, 1).weekday(), Weekday::Monday);
        assert_eq!(ymd(1900, 1, 1).weekday(), Weekday::Monday);
        let mut d = ymd(1900, 1, 1);
        let end = ymd(2100, 12, 31);
        while d < end {
            let (y, m, dd) = d.ymd();
            assert_eq!(Date::from_ymd(y, m, dd), Some(d));
            d = d.succ();
        }
        assert_eq!(ymd(2024, 12, 31).ordinal0(), 365);
        assert_eq!(ymd(2024, 3, 1).add_days(-1), Some(ymd(2024, 2, 29)));
        assert!(Date::from_ymd(2023, 2, 29).is_none());
        assert!(Date::from_ymd(1900, 2, 29).is_none()); // 1900 was not a leap year
    }

    #[test]
    fn a_serialized_date_reads_back_only_in_range() {
        let date: Date = serde_json::from_str("\"2024-02-29\"").unwrap();
        assert_eq!(serde_json::to_string(&date).unwrap(), "\"2024-02-29\"");
        assert!(serde_json::from_str::<Date>("\"1899-12-31\"").is_err());
        assert!(serde_json::from_str::<Date>("45292").is_err());
    }
}
