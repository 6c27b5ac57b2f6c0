//! A cell as a reader hands it over: text, or a date that a typed column already holds; and
//! how such a date is written as text for a profile to read.

use std::fmt::Write;

use super::date::{Date, DateFormat};
use super::profile::RowReader;

/// One cell of a record's row: text, or a date that a typed column (an Excel date cell, an
/// Arrow `date32` or timestamp) already holds, as days since 1970-01-01.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordCell<'a> {
    Null,
    Text(&'a str),
    Days(i32),
}

/// The text a typed date is written as so that a profile reads it: ISO, unless the profile
/// restricts dates to day-first or Excel serial forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateForm {
    Iso,
    DayFirst,
    Serial,
}

impl DateForm {
    /// The form the reader's profile reads.
    pub fn of(reader: &RowReader) -> DateForm {
        match reader.profile().dates() {
            DateFormat::Auto | DateFormat::Iso => DateForm::Iso,
            DateFormat::DayMonthYear => DateForm::DayFirst,
            DateFormat::ExcelSerial => DateForm::Serial,
        }
    }

    /// 2000-01-01 in this form: a date for a typed one to pass through a row reader as.
    ///
    /// ```
    /// use parscore::{DateForm, Profile};
    /// let profile = Profile::from_toml("base = \"vn-one-stop\"\ndates = \"dmy\"\n")?;
    /// let reader = profile.reader(&["unit", "received", "due", "completed"])?;
    /// assert_eq!(DateForm::of(&reader).placeholder(), "01/01/2000");
    /// # Ok::<(), parscore::ProfileError>(())
    /// ```
    pub fn placeholder(self) -> &'static str {
        match self {
            DateForm::Iso => "2000-01-01",
            DateForm::DayFirst => "01/01/2000",
            DateForm::Serial => "36526",
        }
    }

    /// Writes a day given as days since 1970-01-01. A day outside the years 1900–9999 is
    /// written as text that reads as no date and names the day, so that the record is bad
    /// with a reason rather than missing its date.
    pub fn write(self, days: i64, text: &mut String) {
        let date = i32::try_from(days)
            .ok()
            .and_then(Date::from_days_since_epoch);
        // Writing to a String does not fail.
        let _ = match (date, self) {
            (None, _) => write!(text, "day {days} from 1970-01-01"),
            (Some(date), DateForm::Iso) => write!(text, "{date}"),
            (Some(date), DateForm::DayFirst) => {
                let (y, m, d) = date.ymd();
                write!(text, "{d:02}/{m:02}/{y:04}")
            }
            (Some(date), DateForm::Serial) => write!(text, "{}", date.to_excel_serial()),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_dates_are_written_as_the_profile_reads_them() {
        let day = i64::from(Date::parse("2024-03-05").unwrap().days_since_epoch());
        let written = |form: DateForm, days: i64| {
            let mut text = String::new();
            form.write(days, &mut text);
            text
        };
        assert_eq!(written(DateForm::Iso, day), "2024-03-05");
        assert_eq!(written(DateForm::DayFirst, day), "05/03/2024");
        assert_eq!(written(DateForm::Serial, day), "45356");
        assert_eq!(
            written(DateForm::Iso, -1_000_000),
            "day -1000000 from 1970-01-01"
        );
        for form in [DateForm::Iso, DateForm::DayFirst, DateForm::Serial] {
            let format = match form {
                DateForm::Iso => DateFormat::Iso,
                DateForm::DayFirst => DateFormat::DayMonthYear,
                DateForm::Serial => DateFormat::ExcelSerial,
            };
            assert_eq!(
                Date::parse_as(form.placeholder(), format).ok(),
                Date::from_ymd(2000, 1, 1)
            );
        }
    }
}
