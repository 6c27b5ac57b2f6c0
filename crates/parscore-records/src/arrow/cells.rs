//! Dossier records in Arrow columns (a frame handed over from Python, a Parquet or Arrow IPC
//! file), read as the cells of an export: text as it is, other types written out as the
//! text a file would hold, and dates either written in the form the profile reads or kept
//! as days for readers that take typed dates.

use std::borrow::Cow;
use std::fmt::Write;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Date64Type, Decimal128Type, Decimal256Type, Float16Type, Float32Type, Float64Type,
    Int8Type, Int16Type, Int32Type, Int64Type, TimestampMicrosecondType, TimestampMillisecondType,
    TimestampNanosecondType, TimestampSecondType, UInt8Type, UInt16Type, UInt32Type, UInt64Type,
};
use arrow_array::{Array, ArrayRef, BooleanArray, LargeStringArray, StringArray, StringViewArray};
use arrow_buffer::NullBuffer;
use arrow_schema::{DataType, Field, TimeUnit};

use crate::cell::{DateForm, RecordCell};

/// One Arrow column of records, giving each row's cell.
///
/// ```
/// use std::sync::Arc;
/// use arrow_array::{ArrayRef, Float64Array};
/// use parscore_records::{ArrowCells, RecordCell};
/// let days: ArrayRef = Arc::new(Float64Array::from(vec![Some(5.0), None, Some(2.5)]));
/// let cells = ArrowCells::new(&days, 0, None);
/// assert_eq!(cells.cell(0), RecordCell::Text("5")); // a whole number, as a file holds it
/// assert_eq!(cells.cell(1), RecordCell::Null);
/// assert_eq!(cells.cell(2), RecordCell::Text("2.5"));
/// ```
pub struct ArrowCells<'a>(Column<'a>);

enum Column<'a> {
    Null,
    Utf8(&'a StringArray),
    LargeUtf8(&'a LargeStringArray),
    View(&'a StringViewArray),
    /// Texts by dictionary key; a null value reads as an empty cell, as a null key does.
    Dict {
        keys: Cow<'a, [i32]>,
        values: Vec<&'a str>,
        nulls: Option<NullBuffer>,
    },
    Bool(&'a BooleanArray),
    Days {
        days: Cow<'a, [i32]>,
        nulls: Option<NullBuffer>,
    },
    /// Everything else written out as text, one row after the other.
    Formatted {
        text: String,
        ends: Vec<usize>,
        nulls: Option<NullBuffer>,
    },
}

impl<'a> ArrowCells<'a> {
    /// Checks that a column can be read as cells (text, a date, a number or yes/no, or a
    /// dictionary of one of those) and gives its offset from UTC in seconds: its time zone's
    /// for a timestamp, so that a timestamp counts on its local day, and 0 for anything else.
    ///
    /// ```
    /// use arrow_schema::{DataType, Field, TimeUnit};
    /// use parscore_records::ArrowCells;
    /// let hanoi = DataType::Timestamp(TimeUnit::Second, Some("Asia/Ho_Chi_Minh".into()));
    /// assert_eq!(ArrowCells::check(&Field::new("received", hanoi, true)), Ok(7 * 3600));
    /// let paris = DataType::Timestamp(TimeUnit::Second, Some("Europe/Paris".into()));
    /// assert!(ArrowCells::check(&Field::new("received", paris, true)).is_err());
    /// ```
    pub fn check(field: &Field) -> Result<i64, String> {
        let offset = |data_type: &DataType| match data_type {
            DataType::Timestamp(_, Some(zone)) => zone_offset(zone).ok_or_else(|| {
                format!(
                    "column “{}”: time zone `{zone}` is not one parscore knows; give local \
                     dates (date32) or timestamps with a fixed offset",
                    field.name()
                )
            }),
            t if is_text(t) || is_typed(t) => Ok(0),
            other => Err(format!(
                "column “{}” holds {other}, which is not text, a date, a number or yes/no",
                field.name()
            )),
        };
        match field.data_type() {
            DataType::Dictionary(_, values) => offset(values),
            other => offset(other),
        }
    }

    /// The cells of a column that [`ArrowCells::check`] accepts, with the offset it gave.
    /// Dates and timestamps are written as text in `dates`' form, or given as
    /// [`RecordCell::Days`] when `dates` is `None`. A column of another type reads as empty
    /// cells.
    pub fn new(array: &'a ArrayRef, utc_offset: i64, dates: Option<DateForm>) -> ArrowCells<'a> {
        let column = Column::new(array, utc_offset);
        ArrowCells(match (column, dates) {
            (Column::Days { days, nulls }, Some(form)) => {
                let mut text = String::new();
                let mut ends = Vec::with_capacity(days.len());
                for &day in days.iter() {
                    form.write(i64::from(day), &mut text);
                    ends.push(text.len());
                }
                Column::Formatted { text, ends, nulls }
            }
            (column, _) => column,
        })
    }

    /// Row `i`'s cell: dictionaries and dates (the columns of most fields) without a call.
    #[inline(always)]
    pub fn cell(&self, i: usize) -> RecordCell<'_> {
        self.0.cell(i)
    }

    /// For a dictionary of texts, each row's key and the number of distinct texts: rows of
    /// one key hold the same text, so a reader can find a row's group by its key. A null or
    /// out-of-range key reads as an empty cell.
    pub fn dictionary_keys(&self) -> Option<(&[i32], usize)> {
        match &self.0 {
            Column::Dict { keys, values, .. } => Some((keys, values.len())),
            _ => None,
        }
    }
}

impl<'a> Column<'a> {
    #[inline(always)]
    fn cell(&self, i: usize) -> RecordCell<'_> {
        let null = |nulls: &Option<NullBuffer>| nulls.as_ref().is_some_and(|n| n.is_null(i));
        match self {
            Column::Dict {
                keys,
                values,
                nulls,
            } => {
                if null(nulls) {
                    return RecordCell::Null;
                }
                let key = keys.get(i).map_or(usize::MAX, |&k| k as usize);
                values
                    .get(key)
                    .map_or(RecordCell::Null, |v| RecordCell::Text(v))
            }
            Column::Days { days, nulls } => match days.get(i) {
                Some(day) if !null(nulls) => RecordCell::Days(*day),
                _ => RecordCell::Null,
            },
            Column::Null => RecordCell::Null,
            other => other.other_cell(i),
        }
    }

    fn new(array: &'a ArrayRef, offset: i64) -> Column<'a> {
        let nulls = array.nulls().cloned();
        match array.data_type() {
            DataType::Null => Column::Null,
            DataType::Utf8 => Column::Utf8(array.as_string::<i32>()),
            DataType::LargeUtf8 => Column::LargeUtf8(array.as_string::<i64>()),
            DataType::Utf8View => Column::View(array.as_string_view()),
            DataType::Boolean => Column::Bool(array.as_boolean()),
            DataType::Dictionary(key_type, values) if is_text(values) => {
                let dictionary = array.as_any_dictionary();
                let values = text_values(dictionary.values());
                let keys = match key_type.as_ref() {
                    // A key past the values reads as an empty cell.
                    _ if values.is_empty() => Cow::Owned(vec![-1; array.len()]),
                    // What Parquet's dictionaries are read as: the keys as they are.
                    DataType::Int32 => {
                        Cow::Borrowed(&**array.as_dictionary::<Int32Type>().keys().values())
                    }
                    _ => Cow::Owned(
                        dictionary
                            .normalized_keys()
                            .into_iter()
                            .map(|k| i32::try_from(k).unwrap_or(-1))
                            .collect(),
                    ),
                };
                Column::Dict {
                    keys,
                    values,
                    nulls,
                }
            }
            // Numbers, dates or yes/no by key: read as the column of their values.
            DataType::Dictionary(_, values) => match arrow_cast::cast(array, values) {
                Ok(unpacked) => Column::new(&unpacked, offset).into_owned(unpacked.len()),
                Err(_) => Column::Null,
            },
            DataType::Date32 => Column::Days {
                days: Cow::Borrowed(array.as_primitive::<Date32Type>().values()),
                nulls,
            },
            DataType::Date64 => Column::Days {
                days: Cow::Owned(
                    array
                        .as_primitive::<Date64Type>()
                        .values()
                        .iter()
                        .map(|ms| days_of(*ms, 86_400_000))
                        .collect(),
                ),
                nulls,
            },
            DataType::Timestamp(unit, _) => {
                let (values, per_second): (&[i64], i64) = match unit {
                    TimeUnit::Second => (array.as_primitive::<TimestampSecondType>().values(), 1),
                    TimeUnit::Millisecond => (
                        array.as_primitive::<TimestampMillisecondType>().values(),
                        1_000,
                    ),
                    TimeUnit::Microsecond => (
                        array.as_primitive::<TimestampMicrosecondType>().values(),
                        1_000_000,
                    ),
                    TimeUnit::Nanosecond => (
                        array.as_primitive::<TimestampNanosecondType>().values(),
                        1_000_000_000,
                    ),
                };
                let shift = offset.saturating_mul(per_second);
                Column::Days {
                    days: Cow::Owned(
                        values
                            .iter()
                            .map(|v| days_of(v.saturating_add(shift), per_second * 86_400))
                            .collect(),
                    ),
                    nulls,
                }
            }
            _ => Column::formatted(array, nulls),
        }
    }

    /// Every number of the array written out: Rust writes a whole float without a fraction
    /// (`3.0` as `3`), as a file would hold it.
    fn formatted(array: &ArrayRef, nulls: Option<NullBuffer>) -> Column<'static> {
        let mut text = String::new();
        let mut ends = Vec::with_capacity(array.len());
        macro_rules! write_all {
            ($type:ty) => {{
                for value in array.as_primitive::<$type>().values().iter() {
                    let _ = write!(text, "{value}");
                    ends.push(text.len());
                }
            }};
        }
        match array.data_type() {
            DataType::Int8 => write_all!(Int8Type),
            DataType::Int16 => write_all!(Int16Type),
            DataType::Int32 => write_all!(Int32Type),
            DataType::Int64 => write_all!(Int64Type),
            DataType::UInt8 => write_all!(UInt8Type),
            DataType::UInt16 => write_all!(UInt16Type),
            DataType::UInt32 => write_all!(UInt32Type),
            DataType::UInt64 => write_all!(UInt64Type),
            DataType::Float16 => write_all!(Float16Type),
            DataType::Float32 => write_all!(Float32Type),
            DataType::Float64 => write_all!(Float64Type),
            DataType::Decimal128(..) => {
                let decimals = array.as_primitive::<Decimal128Type>();
                for i in 0..decimals.len() {
                    text.push_str(&decimals.value_as_string(i));
                    ends.push(text.len());
                }
            }
            DataType::Decimal256(..) => {
                let decimals = array.as_primitive::<Decimal256Type>();
                for i in 0..decimals.len() {
                    text.push_str(&decimals.value_as_string(i));
                    ends.push(text.len());
                }
            }
            // Refused by `check`: empty cells.
            _ => ends.resize(array.len(), 0),
        }
        Column::Formatted { text, ends, nulls }
    }

    /// The column holding its own cells, for one read from an array that does not outlive
    /// it.
    fn into_owned(self, len: usize) -> Column<'static> {
        match self {
            Column::Null => Column::Null,
            Column::Days { days, nulls } => Column::Days {
                days: Cow::Owned(days.into_owned()),
                nulls,
            },
            Column::Formatted { text, ends, nulls } => Column::Formatted { text, ends, nulls },
            other => {
                let mut text = String::new();
                let mut ends = Vec::with_capacity(len);
                let mut valid = Vec::with_capacity(len);
                for i in 0..len {
                    let cell = other.cell(i);
                    if let RecordCell::Text(t) = cell {
                        text.push_str(t);
                    }
                    valid.push(matches!(cell, RecordCell::Text(_)));
                    ends.push(text.len());
                }
                Column::Formatted {
                    text,
                    ends,
                    nulls: Some(NullBuffer::from(valid)),
                }
            }
        }
    }

    fn other_cell(&self, i: usize) -> RecordCell<'_> {
        let null = |nulls: &Option<NullBuffer>| nulls.as_ref().is_some_and(|n| n.is_null(i));
        match self {
            Column::Utf8(a) if !a.is_null(i) => RecordCell::Text(a.value(i)),
            Column::LargeUtf8(a) if !a.is_null(i) => RecordCell::Text(a.value(i)),
            Column::View(a) if !a.is_null(i) => RecordCell::Text(a.value(i)),
            Column::Bool(a) if !a.is_null(i) => {
                RecordCell::Text(if a.value(i) { "true" } else { "false" })
            }
            Column::Formatted { text, ends, nulls } if !null(nulls) => {
                let start = if i == 0 { 0 } else { ends[i - 1] };
                text.get(start..ends[i])
                    .map_or(RecordCell::Null, RecordCell::Text)
            }
            _ => RecordCell::Null,
        }
    }
}

fn is_text(data_type: &DataType) -> bool {
    matches!(
        data_type,
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
    )
}

fn is_typed(data_type: &DataType) -> bool {
    use DataType::*;
    matches!(
        data_type,
        Null | Boolean
            | Int8
            | Int16
            | Int32
            | Int64
            | UInt8
            | UInt16
            | UInt32
            | UInt64
            | Float16
            | Float32
            | Float64
            | Decimal128(..)
            | Decimal256(..)
            | Date32
            | Date64
            | Timestamp(..)
    )
}

/// The offset from UTC of a timestamp column's time zone, in seconds: fixed offsets, UTC,
/// and the zones of Vietnam and its neighbours at +07:00 (none has summer time).
fn zone_offset(zone: &str) -> Option<i64> {
    match zone {
        "UTC" | "Z" | "Etc/UTC" | "GMT" | "Etc/GMT" => return Some(0),
        "Asia/Ho_Chi_Minh" | "Asia/Saigon" | "Asia/Bangkok" | "Asia/Phnom_Penh"
        | "Asia/Vientiane" | "Asia/Jakarta" | "Etc/GMT-7" => return Some(7 * 3600),
        _ => {}
    }
    let (sign, rest) = match zone.as_bytes().first()? {
        b'+' => (1, &zone[1..]),
        b'-' => (-1, &zone[1..]),
        _ => return None,
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) || !matches!(digits.len(), 2 | 4) {
        return None;
    }
    let hours: i64 = digits[..2].parse().ok()?;
    let minutes: i64 = if digits.len() == 4 {
        digits[2..].parse().ok()?
    } else {
        0
    };
    (hours <= 14 && minutes < 60).then_some(sign * (hours * 3600 + minutes * 60))
}

/// The texts of a dictionary's values; empty for a null value.
fn text_values(values: &ArrayRef) -> Vec<&str> {
    fn collect<'a>(
        len: usize,
        valid: impl Fn(usize) -> bool,
        value: impl Fn(usize) -> &'a str,
    ) -> Vec<&'a str> {
        (0..len)
            .map(|j| if valid(j) { value(j) } else { "" })
            .collect()
    }
    match values.data_type() {
        DataType::Utf8 => {
            let a = values.as_string::<i32>();
            collect(a.len(), |j| a.is_valid(j), |j| a.value(j))
        }
        DataType::LargeUtf8 => {
            let a = values.as_string::<i64>();
            collect(a.len(), |j| a.is_valid(j), |j| a.value(j))
        }
        DataType::Utf8View => {
            let a = values.as_string_view();
            collect(a.len(), |j| a.is_valid(j), |j| a.value(j))
        }
        _ => Vec::new(),
    }
}

/// Whole days since 1970-01-01 of a count of `per_day` units, rounded down.
fn days_of(value: i64, per_day: i64) -> i32 {
    i32::try_from(value.div_euclid(per_day)).unwrap_or(i32::MAX)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow_array::types::Int8Type;
    use arrow_array::{
        Date32Array, Decimal128Array, DictionaryArray, Int64Array, TimestampSecondArray,
    };

    use super::*;
    use crate::date::Date;

    fn cells(array: &ArrayRef, offset: i64, dates: Option<DateForm>) -> Vec<String> {
        let cells = ArrowCells::new(array, offset, dates);
        (0..array.len())
            .map(|i| match cells.cell(i) {
                RecordCell::Null => "null".to_string(),
                RecordCell::Text(text) => format!("{text:?}"),
                RecordCell::Days(days) => Date::from_days_since_epoch(days)
                    .map_or(format!("day {days}"), |d| d.to_string()),
            })
            .collect()
    }

    fn day(text: &str) -> i32 {
        Date::parse(text).unwrap().days_since_epoch()
    }

    #[test]
    fn numbers_and_yes_no_read_as_a_file_holds_them() {
        let ints: ArrayRef = Arc::new(Int64Array::from(vec![Some(5), None, Some(-12)]));
        assert_eq!(cells(&ints, 0, None), ["\"5\"", "null", "\"-12\""]);
        let yes_no: ArrayRef = Arc::new(BooleanArray::from(vec![Some(true), None, Some(false)]));
        assert_eq!(cells(&yes_no, 0, None), ["\"true\"", "null", "\"false\""]);
        let decimals: ArrayRef = Arc::new(
            Decimal128Array::from(vec![Some(12_345), None])
                .with_precision_and_scale(10, 2)
                .unwrap(),
        );
        assert_eq!(cells(&decimals, 0, None), ["\"123.45\"", "null"]);
        let text: ArrayRef = Arc::new(StringArray::from(vec![Some(" Sở A "), None]));
        assert_eq!(cells(&text, 0, None), ["\" Sở A \"", "null"]);
    }

    #[test]
    fn dates_are_days_or_the_text_the_profile_reads() {
        let dates: ArrayRef = Arc::new(Date32Array::from(vec![
            Some(day("2024-03-05")),
            None,
            Some(-1_000_000),
        ]));
        assert_eq!(
            cells(&dates, 0, None),
            ["2024-03-05", "null", "day -1000000"]
        );
        assert_eq!(
            cells(&dates, 0, Some(DateForm::DayFirst)),
            ["\"05/03/2024\"", "null", "\"day -1000000 from 1970-01-01\""]
        );
        assert_eq!(cells(&dates, 0, Some(DateForm::Serial))[0], "\"45356\"");
    }

    #[test]
    fn a_timestamp_counts_on_its_local_day() {
        // 23:30 UTC on 4 March is 06:30 on 5 March in Hanoi.
        let seconds = i64::from(day("2024-03-04")) * 86_400 + 23 * 3600 + 1800;
        let stamps: ArrayRef = Arc::new(TimestampSecondArray::from(vec![seconds]));
        assert_eq!(cells(&stamps, 0, None), ["2024-03-04"]);
        assert_eq!(cells(&stamps, 7 * 3600, None), ["2024-03-05"]);
        assert_eq!(
            cells(&stamps, 7 * 3600, Some(DateForm::Iso)),
            ["\"2024-03-05\""]
        );
    }

    #[test]
    fn dictionaries_read_as_their_values() {
        let units: DictionaryArray<Int8Type> = vec![Some("A"), None, Some("B"), Some("A")]
            .into_iter()
            .collect();
        let units: ArrayRef = Arc::new(units);
        let read = ArrowCells::new(&units, 0, None);
        assert_eq!(read.cell(3), RecordCell::Text("A"));
        assert_eq!(read.cell(1), RecordCell::Null);
        let (keys, distinct) = read.dictionary_keys().unwrap();
        assert_eq!(
            (keys[0] == keys[3], keys[0] == keys[2], distinct),
            (true, false, 2)
        );
        let days = DictionaryArray::<Int8Type>::new(
            vec![0, 1, 0].into(),
            Arc::new(Date32Array::from(vec![
                day("2024-03-05"),
                day("2024-03-06"),
            ])),
        );
        let days: ArrayRef = Arc::new(days);
        assert_eq!(
            cells(&days, 0, None),
            ["2024-03-05", "2024-03-06", "2024-03-05"]
        );
        assert!(ArrowCells::new(&days, 0, None).dictionary_keys().is_none());
        let numbers = DictionaryArray::<Int8Type>::new(
            vec![Some(1), None, Some(0)].into(),
            Arc::new(arrow_array::Float64Array::from(vec![5.0, 2.5])),
        );
        let numbers: ArrayRef = Arc::new(numbers);
        assert_eq!(cells(&numbers, 0, None), ["\"2.5\"", "null", "\"5\""]);
    }

    #[test]
    fn columns_of_other_types_and_unknown_zones_are_refused() {
        let list = DataType::List(Arc::new(Field::new("item", DataType::Utf8, true)));
        let error = ArrowCells::check(&Field::new("unit", list, true)).unwrap_err();
        assert!(error.starts_with("column “unit” holds List"), "{error}");
        let paris = DataType::Timestamp(TimeUnit::Second, Some("Europe/Paris".into()));
        let error = ArrowCells::check(&Field::new("received", paris, true)).unwrap_err();
        assert!(error.contains("`Europe/Paris`"), "{error}");
        let zoned = DataType::Dictionary(
            Box::new(DataType::Int8),
            Box::new(DataType::Timestamp(TimeUnit::Second, Some("+07:00".into()))),
        );
        assert_eq!(
            ArrowCells::check(&Field::new("due", zoned, true)),
            Ok(25_200)
        );
        let text = DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8));
        assert_eq!(ArrowCells::check(&Field::new("unit", text, true)), Ok(0));
    }

    #[test]
    fn time_zones_read_as_offsets() {
        assert_eq!(zone_offset("+07:00"), Some(25_200));
        assert_eq!(zone_offset("-0530"), Some(-19_800));
        assert_eq!(zone_offset("Asia/Ho_Chi_Minh"), Some(25_200));
        assert_eq!(zone_offset("UTC"), Some(0));
        assert_eq!(zone_offset("Europe/Paris"), None);
        assert_eq!(zone_offset("+7"), None);
    }

    #[test]
    fn timestamps_fall_on_their_day() {
        assert_eq!(days_of(-1, 86_400), -1);
        assert_eq!(days_of(86_399, 86_400), 0);
        assert_eq!(days_of(86_400_000, 86_400_000), 1);
    }
}
