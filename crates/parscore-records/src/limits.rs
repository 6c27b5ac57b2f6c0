//! What a summary accepts, so that its work and memory follow the records it is given, never
//! the span of their dates: a dossier received in 1900 and counted to 9999 would otherwise
//! be pending in 97,200 months.
//!
//! - Dates of records, the export's date (`as_of`), the ends of a range of dates and the
//!   years of a calendar lie in [`FIRST_YEAR`]–[`LAST_YEAR`]: a record with a date outside
//!   is bad (`out_of_range:<field>`), an option or a calendar year outside is refused.
//! - A summary spans at most [`MAX_PERIODS`] periods, from the period of its earliest record
//!   to the period of the export's date, and holds at most [`MAX_GROUPS`] unit × period
//!   groups; beyond either, [`Summarizer::finish`](crate::Summarizer::finish) refuses it,
//!   naming the earliest record.

use crate::date::Date;

/// The first year of a date a summary accepts: the electronic one-stop-shop exports start
/// long after it.
pub const FIRST_YEAR: i32 = 1990;

/// The last year of a date a summary accepts.
pub const LAST_YEAR: i32 = 2100;

/// The most periods a summary spans, from the period of its earliest record to that of the
/// export's date: twenty years of months, sixty of quarters. No report needs more, and each
/// unit with a dossier in progress since the first has a row in every one.
pub const MAX_PERIODS: i64 = 240;

/// The most unit × period groups a summary holds (about a quarter of a gigabyte).
pub const MAX_GROUPS: usize = 1_000_000;

/// Whether a date lies in the years a summary accepts.
pub fn accepts(date: Date) -> bool {
    (FIRST_YEAR..=LAST_YEAR).contains(&date.year())
}

/// The accepted dates, for messages: `1990-01-01 to 2100-12-31`.
pub(crate) fn accepted_dates() -> String {
    format!("{FIRST_YEAR}-01-01 to {LAST_YEAR}-12-31")
}
