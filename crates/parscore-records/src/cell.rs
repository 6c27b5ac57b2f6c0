//! A cell as a reader hands it over: text, or a date that a typed column already holds; how
//! such a date is written as text for a profile to read, and how a row of such cells is read
//! into a record.

use std::fmt::Write;

use crate::date::{Date, DateFormat};
use crate::profile::RowReader;
use crate::record::{BadKind, BadRecord, Record, RecordField};

/// One cell of a record's row: text, or a date that a typed column (an Excel date cell, an
/// Arrow `date32` or timestamp) already holds, as days since 1970-01-01.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordCell<'a> {
    /// No value: an empty or null cell.
    Null,
    /// Text as the file holds it, read by the profile like a CSV cell.
    Text(&'a str),
    /// A typed date, as days since 1970-01-01 (Arrow `date32`), read as is whatever the
    /// profile's `dates` say about text.
    Days(i32),
}

/// The text a typed date is written as so that a profile reads it: ISO, unless the profile
/// restricts dates to day-first or Excel serial forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateForm {
    /// `yyyy-mm-dd`, for `dates = "auto"` or `"iso"`.
    Iso,
    /// `dd/mm/yyyy`, for `dates = "dmy"`.
    DayFirst,
    /// An Excel serial number, for `dates = "serial"`.
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
    /// use parscore_records::{DateForm, Profile};
    /// let profile = Profile::from_toml("base = \"vn-one-stop\"\ndates = \"dmy\"\n")?;
    /// let reader = profile.reader(&["unit", "received", "due", "completed"])?;
    /// assert_eq!(DateForm::of(&reader).placeholder(), "01/01/2000");
    /// # Ok::<(), parscore_records::ProfileError>(())
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

/// Reads rows whose date cells may be typed dates rather than text (Excel date cells, Arrow
/// dates and timestamps). The row reader takes text only, so a typed date goes through it as
/// a placeholder that the profile's date forms accept (or as no cell, where the row reader
/// does not need one), and its value replaces the placeholder's in the record: no date is
/// written out as text and parsed again.
///
/// ```
/// use parscore_records::{Date, Profile, RecordCell, TypedDates};
/// let header = ["Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả"];
/// let mut reader = Profile::builtin().reader(&header)?;
/// let typed = TypedDates::new(&reader);
/// let day = Date::parse("05/03/2024").unwrap().days_since_epoch();
/// let cells = [RecordCell::Text("Sở A"), RecordCell::Days(day), RecordCell::Null, RecordCell::Null];
/// let record = typed.read(&mut reader, 1, |c| cells[c]).unwrap();
/// assert_eq!(record.received.to_string(), "2024-03-05");
/// # Ok::<(), parscore_records::ProfileError>(())
/// ```
#[derive(Debug, Clone)]
pub struct TypedDates {
    /// Each date field, its column, and whether a typed date may pass as no cell.
    columns: [(RecordField, Option<usize>, bool); 3],
    placeholder: &'static str,
}

impl TypedDates {
    /// Finds the date columns of a row reader (received, due, completed) and the
    /// placeholder its profile reads; once per header.
    pub fn new(reader: &RowReader) -> TypedDates {
        let placeholder = DateForm::of(reader).placeholder();
        let columns = [
            RecordField::Received,
            RecordField::Due,
            RecordField::Completed,
        ]
        .map(|field| {
            let as_none = field != RecordField::Received && !reader.requires(field);
            (field, reader.column(field), as_none)
        });
        TypedDates {
            columns,
            placeholder,
        }
    }

    /// Whether a column holds one of the date fields.
    pub fn is_date_column(&self, column: usize) -> bool {
        self.columns.iter().any(|(_, c, _)| *c == Some(column))
    }

    /// Reads row `row` (from 1) of cells by column.
    pub fn read<'a>(
        &self,
        reader: &mut RowReader,
        row: usize,
        cell: impl Fn(usize) -> RecordCell<'a>,
    ) -> Result<Record<'a>, BadRecord> {
        // The date cells, read once.
        let dates = self.columns.map(|(_, column, _)| column.map(&cell));
        let [_, due, completed] = self.columns;
        let as_none =
            |c: usize| (due.2 && due.1 == Some(c)) || (completed.2 && completed.1 == Some(c));
        let mut record = reader.read_with(row, |c| match cell(c) {
            RecordCell::Null => None,
            RecordCell::Text(text) => Some(text),
            // No cell, then set below: the reader would only parse the placeholder.
            RecordCell::Days(_) if as_none(c) => None,
            RecordCell::Days(_) => Some(self.placeholder),
        })?;
        for ((field, _, _), date) in self.columns.into_iter().zip(dates) {
            let Some(RecordCell::Days(days)) = date else {
                continue;
            };
            let date = Date::from_days_since_epoch(days).ok_or_else(|| {
                BadRecord::new(
                    row,
                    record.id,
                    BadKind::UnreadableDate(field),
                    format!(
                        "{field} date is day {days} from 1970-01-01, outside the years 1900–9999"
                    ),
                )
            })?;
            match field {
                RecordField::Received => record.received = date,
                RecordField::Due => record.due = Some(date),
                _ => record.completed = Some(date),
            }
        }
        Ok(record)
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
